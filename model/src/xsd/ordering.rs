//! Comparing facet values in the value space of their primitive type, for the checks that a
//! restriction narrows its base, that a default is an enumerated value and, in the schema
//! diff, whether two versions' bounds or enumeration values differ: decimals (and the
//! integers) exactly, floats as `f32` and doubles as `f64` (each rounded in its own precision,
//! as XSD Part 2 defines their value spaces); the other primitives are not ordered here
//! (`None`).

use std::cmp::Ordering;

use crate::ir::Builtin;

/// The order of the values written `a` and `b` of a type with this `primitive`; `None` when
/// they are not ordered here (other primitives, lexically bad values, NaN).
pub(crate) fn compare(primitive: Builtin, a: &str, b: &str) -> Option<Ordering> {
    match primitive {
        Builtin::Decimal => Some(compare_decimal(&Decimal::parse(a)?, &Decimal::parse(b)?)),
        Builtin::Float => single(a)?.partial_cmp(&single(b)?),
        Builtin::Double => float(a)?.partial_cmp(&float(b)?),
        _ => None,
    }
}

/// Whether two lexical forms are the same value (numbers and booleans by value: decimals and
/// integers exactly, floats in their own precision).
pub(crate) fn same_value(primitive: Builtin, a: &str, b: &str) -> bool {
    match primitive {
        Builtin::Decimal | Builtin::Float | Builtin::Double => match compare(primitive, a, b) {
            Some(order) => order.is_eq(),
            None => a == b,
        },
        Builtin::Boolean => {
            let truth = |v: &str| matches!(v, "true" | "1");
            truth(a) == truth(b)
        }
        _ => a == b,
    }
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

/// A decimal as sign and digit strings without insignificant zeros.
struct Decimal<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
}

impl<'a> Decimal<'a> {
    fn parse(v: &'a str) -> Option<Decimal<'a>> {
        let v = v.trim();
        let (negative, digits) = match v.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, v.strip_prefix('+').unwrap_or(v)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        // Zero has no sign.
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Some(Decimal {
            negative,
            int,
            frac,
        })
    }
}

fn compare_decimal(a: &Decimal, b: &Decimal) -> Ordering {
    let magnitude = a
        .int
        .len()
        .cmp(&b.int.len())
        .then_with(|| a.int.cmp(b.int))
        .then_with(|| a.frac.cmp(b.frac));
    match (a.negative, b.negative) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
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
        assert_eq!(compare(Builtin::Date, "2020-01-01", "2021-01-01"), None);
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
}
