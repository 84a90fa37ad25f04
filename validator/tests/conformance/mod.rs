//! Support for the conformance runner: the index walker, the per-case check, the tally and
//! the recorded baseline.

pub mod check;
pub mod index;
pub mod tally;
