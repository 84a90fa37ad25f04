//! Lexical forms of the primitive types, for checking facet values and default/fixed values
//! at load time: numbers, booleans, durations, hex binary, and the date/time types (their
//! shapes and field ranges, not calendar validity such as February 30). Other primitives
//! (strings, URIs, QNames, base64) are left to the validator.

use std::sync::OnceLock;

use regex::Regex;

use crate::ir::Builtin;

/// Why `value` is not in the lexical space of the primitive (`None` if it is, or if this
/// front end does not check that primitive).
pub(crate) fn lexical_problem(
    primitive: Builtin,
    integer: bool,
    value: &str,
) -> Option<&'static str> {
    let v = value.trim();
    let ok = match primitive {
        Builtin::Decimal if integer => is_integer(v),
        Builtin::Decimal => is_decimal(v),
        Builtin::Float | Builtin::Double => matches!(v, "INF" | "-INF" | "NaN") || is_float(v),
        Builtin::Boolean => matches!(v, "true" | "false" | "1" | "0"),
        Builtin::Duration => is_duration(v),
        Builtin::HexBinary => v.len().is_multiple_of(2) && v.bytes().all(|b| b.is_ascii_hexdigit()),
        Builtin::DateTime
        | Builtin::Date
        | Builtin::Time
        | Builtin::GYearMonth
        | Builtin::GYear
        | Builtin::GMonthDay
        | Builtin::GDay
        | Builtin::GMonth => date_time_pattern(primitive).is_some_and(|re| re.is_match(v)),
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

fn is_integer(v: &str) -> bool {
    let d = v.strip_prefix(['+', '-']).unwrap_or(v);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal(v: &str) -> bool {
    let d = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (int, frac) = d.split_once('.').unwrap_or((d, ""));
    (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_float(v: &str) -> bool {
    let (mantissa, exponent) = match v.find(['e', 'E']) {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    is_decimal(mantissa) && exponent.is_none_or(is_integer)
}

/// `PnYnMnDTnHnMnS` with at least one field, and at least one after a `T`.
fn is_duration(v: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^-?P([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?(([0-9]+(\.[0-9]*)?|\.[0-9]+)S)?)?$",
        )
        .ok()
    });
    re.as_ref().is_some_and(|re| re.is_match(v)) && !v.ends_with('P') && !v.ends_with('T')
}

/// The shape (with field ranges) of a date/time primitive's lexical form.
fn date_time_pattern(primitive: Builtin) -> Option<&'static Regex> {
    const YEAR: &str = r"-?([1-9][0-9]{4,}|[0-9]{4})";
    const MONTH: &str = r"(0[1-9]|1[0-2])";
    const DAY: &str = r"(0[1-9]|[12][0-9]|3[01])";
    const TIME: &str = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)";
    const ZONE: &str = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?";
    static RES: OnceLock<Vec<(Builtin, Regex)>> = OnceLock::new();
    let all = RES.get_or_init(|| {
        [
            (
                Builtin::DateTime,
                format!("{YEAR}-{MONTH}-{DAY}T{TIME}{ZONE}"),
            ),
            (Builtin::Date, format!("{YEAR}-{MONTH}-{DAY}{ZONE}")),
            (Builtin::Time, format!("{TIME}{ZONE}")),
            (Builtin::GYearMonth, format!("{YEAR}-{MONTH}{ZONE}")),
            (Builtin::GYear, format!("{YEAR}{ZONE}")),
            (Builtin::GMonthDay, format!("--{MONTH}-{DAY}{ZONE}")),
            (Builtin::GDay, format!("---{DAY}{ZONE}")),
            (Builtin::GMonth, format!("--{MONTH}{ZONE}")),
        ]
        .into_iter()
        .filter_map(|(b, p)| Regex::new(&format!("^{p}$")).ok().map(|re| (b, re)))
        .collect()
    });
    all.iter().find(|(b, _)| *b == primitive).map(|(_, re)| re)
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
