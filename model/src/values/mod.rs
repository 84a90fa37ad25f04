//! Values in the XSD 1.0 value spaces that need more than a string compare: exact decimals
//! (and the integers), the eight date/time types and `xs:duration`. One implementation serves
//! the schema checks (facet literals, bounds that narrow, defaults among the enumerated values),
//! the schema diff (how a bound moved) and the validator's datatypes.

pub mod datetime;
pub mod decimal;
pub mod duration;
mod timeline;

pub use datetime::Moment;
pub use decimal::Decimal;
pub use duration::Duration;
