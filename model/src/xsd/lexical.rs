//! Lexical forms of the primitive types, for checking facet values and default/fixed values
//! at load time: numbers, booleans, durations, hex binary, and the date/time types (parsed by
//! [`crate::values`], so calendar validity such as February 30 and the year 0000 count). Other
//! primitives (strings, URIs, QNames, base64) are left to the validator.

use crate::ir::Builtin;
use crate::values::{datetime, duration, Decimal};

/// Why `value` is not in the lexical space of the primitive (`None` if it is, or if this
/// front end does not check that primitive).
pub(crate) fn lexical_problem(
    primitive: Builtin,
    integer: bool,
    value: &str,
) -> Option<&'static str> {
    let v = value.trim();
    let ok = match primitive {
        Builtin::Decimal if integer => Decimal::parse_integer(v).is_some(),
        Builtin::Decimal => Decimal::parse(v).is_some(),
        Builtin::Float | Builtin::Double => matches!(v, "INF" | "-INF" | "NaN") || is_float(v),
        Builtin::Boolean => matches!(v, "true" | "false" | "1" | "0"),
        Builtin::Duration => duration::parse_duration(v).is_some(),
        Builtin::HexBinary => v.len().is_multiple_of(2) && v.bytes().all(|b| b.is_ascii_hexdigit()),
        p if p.is_date_time() => datetime::parse(p, v).is_some(),
        _ => return None,
    };
    if ok {
        None
    } else {
        Some(match primitive {
            Builtin::Decimal if integer => "an integer",
            Builtin::Decimal => "a decimal number",
            Builtin::Boolean => "a boolean",
            Builtin::Float | Builtin::Double => "a floating-point number",
            Builtin::Duration => "a duration (like P1DT2H)",
            Builtin::HexBinary => "hex binary (pairs of hex digits)",
            Builtin::DateTime => "a dateTime (like 2017-03-15T11:50:01Z)",
            Builtin::Date => "a date (like 2017-03-15)",
            Builtin::Time => "a time (like 11:50:01)",
            Builtin::GYearMonth => "a gYearMonth (like 2017-03)",
            Builtin::GYear => "a gYear (like 2017)",
            Builtin::GMonthDay => "a gMonthDay (like --03-15)",
            Builtin::GDay => "a gDay (like ---15)",
            _ => "a gMonth (like --03)",
        })
    }
}

fn is_float(v: &str) -> bool {
    let (mantissa, exponent) = match v.find(['e', 'E']) {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    Decimal::parse(mantissa).is_some()
        && exponent.is_none_or(|e| Decimal::parse_integer(e).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_forms() {
        let ok = |b, v| lexical_problem(b, false, v).is_none();
        assert!(ok(Builtin::DateTime, "2017-03-15T11:50:01Z"));
        assert!(ok(Builtin::DateTime, "-0044-03-15T24:00:00+01:00"));
        assert!(!ok(Builtin::DateTime, "2017-03-15 11:50:01"));
        assert!(!ok(Builtin::Date, "2017-13-01"));
        assert!(ok(Builtin::Date, "2017-01-01"));
        assert!(ok(Builtin::GMonthDay, "--02-29"));
        assert!(!ok(Builtin::Date, "2017-02-30"));
        assert!(!ok(Builtin::Date, "2017-02-29"));
        assert!(ok(Builtin::Date, "2016-02-29"));
        assert!(!ok(Builtin::GYear, "0000"));
        assert!(!ok(Builtin::Time, "24:00:01"));
        assert!(ok(Builtin::Duration, "P1Y2M3DT4H5M6.5S"));
        assert!(ok(Builtin::Duration, "-PT0S"));
        assert!(!ok(Builtin::Duration, "P"));
        assert!(ok(Builtin::Duration, "PT1.S"));
        assert!(ok(Builtin::Duration, "PT.5S"));
        assert!(!ok(Builtin::Duration, "PT.S"));
        assert!(!ok(Builtin::Duration, "P1DT"));
        assert!(!ok(Builtin::HexBinary, "ABC"));
        assert!(ok(Builtin::Decimal, "-1.50"));
        assert!(!ok(Builtin::Decimal, "1e5"));
        assert!(ok(Builtin::Double, "1e5"));
    }
}
