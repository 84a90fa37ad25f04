//! Comparing facet values in the value space of their primitive type, for the checks that a
//! restriction narrows its base, that a default is an enumerated value and, in the schema
//! diff, whether two versions' bounds or enumeration values differ: decimals (and the
//! integers) exactly, floats as `f32` and doubles as `f64` (each rounded in its own precision,
//! as XSD Part 2 defines their value spaces), the date/time types on the timeline (with XSD's
//! partial order between values with and without a timezone) and durations in XSD's partial
//! order (`P1M` and `P30D` are incomparable); the other primitives are not ordered here
//! (`None`).

use std::cmp::Ordering;

use crate::ir::Builtin;
use crate::values::{datetime, duration, Decimal};

/// The order of the values written `a` and `b` of a type with this `primitive`; `None` when
/// they are not ordered here (other primitives, lexically bad values, NaN, incomparable
/// dates or durations).
pub(crate) fn compare(primitive: Builtin, a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (a.trim(), b.trim());
    match primitive {
        Builtin::Decimal => Some(Decimal::parse(a)?.cmp(&Decimal::parse(b)?)),
        Builtin::Float => single(a)?.partial_cmp(&single(b)?),
        Builtin::Double => float(a)?.partial_cmp(&float(b)?),
        Builtin::Duration => duration::parse_duration(a)?.compare(&duration::parse_duration(b)?),
        p if p.is_date_time() => datetime::parse(p, a)?.compare(&datetime::parse(p, b)?),
        _ => None,
    }
}

/// Whether two lexical forms are the same value: booleans by truth, the primitives
/// [`compare`] orders when it finds them equal (decimals and integers exactly, floats in their
/// own precision, `2020-01-01T01:00:00+01:00` and `2020-01-01T00:00:00Z`, `P1D` and `PT24H`:
/// in these value spaces "equal in the order" is value equality), anything else as written.
pub(crate) fn same_value(primitive: Builtin, a: &str, b: &str) -> bool {
    if primitive == Builtin::Boolean {
        let truth = |v: &str| matches!(v, "true" | "1");
        return truth(a) == truth(b);
    }
    compare(primitive, a, b).map_or(a == b, Ordering::is_eq)
}

/// An `xs:float` value: the literal rounded once to single precision (not through `f64`).
fn single(v: &str) -> Option<f32> {
    match v.trim() {
        "INF" => Some(f32::INFINITY),
        "-INF" => Some(f32::NEG_INFINITY),
        // `float` refuses NaN and the spellings Rust accepts but XSD does not ("inf", ...).
        t => float(t).and_then(|_| t.parse().ok()),
    }
}

/// An `xs:double` value (`None` for NaN and for literals that are not numbers).
fn float(v: &str) -> Option<f64> {
    match v.trim() {
        "INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        "NaN" => None,
        t if t.contains(['i', 'I', 'n', 'N']) => None,
        t => t.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_by_value() {
        let cmp = |a, b| compare(Builtin::Decimal, a, b);
        assert_eq!(cmp("3", "5"), Some(Ordering::Less));
        assert_eq!(cmp("+003.50", "3.5"), Some(Ordering::Equal));
        assert_eq!(cmp("-0", "0.0"), Some(Ordering::Equal));
        assert_eq!(cmp("-2", "-10"), Some(Ordering::Greater));
        assert_eq!(cmp("0.1", ".09"), Some(Ordering::Greater));
        assert_eq!(
            cmp("18446744073709551616", "18446744073709551615"),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp("1x", "2"), None);
    }

    #[test]
    fn floats_compare_except_nan() {
        let cmp = |a, b| compare(Builtin::Double, a, b);
        assert_eq!(cmp("1e3", "999.5"), Some(Ordering::Greater));
        assert_eq!(cmp("-INF", "-1E300"), Some(Ordering::Less));
        assert_eq!(cmp("NaN", "1"), None);
        // Each in its own precision: equal as floats, not as doubles.
        assert_eq!(
            compare(Builtin::Float, "1.00000001", "1"),
            Some(Ordering::Equal)
        );
        assert_eq!(cmp("1.00000001", "1"), Some(Ordering::Greater));
        assert_eq!(
            compare(Builtin::Float, "-INF", "-1E30"),
            Some(Ordering::Less)
        );
    }

    #[test]
    fn dates_and_durations_compare_in_their_value_spaces() {
        use Ordering::*;
        let dt = |a, b| compare(Builtin::DateTime, a, b);
        assert_eq!(
            compare(Builtin::Date, "2020-01-01", "2021-01-01"),
            Some(Less)
        );
        // Instants, whatever the timezone they are written in.
        assert_eq!(
            dt("2020-01-01T03:00:00+02:00", "2020-01-01T00:00:00Z"),
            Some(Greater)
        );
        assert_eq!(
            dt("2020-01-01T01:00:00+01:00", "2020-01-01T00:00:00Z"),
            Some(Equal)
        );
        // Without a timezone, within 14 hours of one with: incomparable; beyond: ordered.
        assert_eq!(dt("2020-01-01T00:00:00", "2020-01-01T10:00:00Z"), None);
        assert_eq!(
            dt("2020-01-01T00:00:00", "2020-01-02T00:00:00Z"),
            Some(Less)
        );
        // Years beyond four digits order by value, not by their text.
        assert_eq!(compare(Builtin::GYear, "10000", "9999"), Some(Greater));
        assert_eq!(compare(Builtin::Date, "2017-02-30", "2017-01-01"), None);
        let du = |a, b| compare(Builtin::Duration, a, b);
        assert_eq!(du("P1Y", "P11M"), Some(Greater));
        assert_eq!(du("P1M", "P30D"), None);
        assert_eq!(du("PT36H", "P1D"), Some(Greater));
        assert!(same_value(Builtin::Duration, "P1D", "PT24H"));
        assert!(!same_value(Builtin::Duration, "P1M", "P30D"));
        assert!(same_value(Builtin::Boolean, "1", "true"));
        assert!(same_value(
            Builtin::DateTime,
            "2020-01-01T00:00:00Z",
            "2020-01-01T01:00:00+01:00"
        ));
        assert!(!same_value(
            Builtin::DateTime,
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00"
        ));
    }
}
