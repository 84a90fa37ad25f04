//! Exact decimal numbers for `xs:decimal` and the integer types: compared on their digit
//! strings, never through floating point.

use std::cmp::Ordering;

/// A decimal value in canonical form: integer digits without leading zeros, fraction digits
/// without trailing zeros; zero is never negative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// Parse the `xs:decimal` lexical space: `(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)`.
    pub fn parse(s: &str) -> Option<Decimal> {
        let (negative, body) = split_sign(s);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Decimal::from_parts(negative, int, frac))
    }

    /// Parse the `xs:integer` lexical space: `(\+|-)?[0-9]+`.
    pub fn parse_integer(s: &str) -> Option<Decimal> {
        let (negative, body) = split_sign(s);
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Decimal::from_parts(negative, body, ""))
    }

    fn from_parts(negative: bool, int: &str, frac: &str) -> Decimal {
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let zero = int.is_empty() && frac.is_empty();
        Decimal {
            negative: negative && !zero,
            int,
            frac,
        }
    }

    /// Number of significant digits (`totalDigits`); zero counts as one digit.
    pub fn total_digits(&self) -> usize {
        (self.int.len() + self.frac.len()).max(1)
    }

    /// Number of fraction digits (`fractionDigits`), trailing zeros excluded.
    pub fn fraction_digits(&self) -> usize {
        self.frac.len()
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            // Both fractions have no trailing zeros, so string order is numeric order.
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else {
        (false, s)
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn canonical_equality_and_order() {
        assert_eq!(d("1.0"), d("1"));
        assert_eq!(d("-0.0"), d("+0"));
        assert_eq!(d("007.50"), d("7.5"));
        assert!(d("-2") < d("-1.5"));
        assert!(d("0.5") < d("0.51"));
        assert!(d("0.49") < d("0.5"));
        assert!(d("10") > d("9.999"));
        assert!(d("9223372036854775808") > d("9223372036854775807"));
        assert_eq!(d("1.230").total_digits(), 3);
        assert_eq!(d("0.00").total_digits(), 1);
        assert_eq!(d("1.230").fraction_digits(), 2);
        for bad in ["", ".", "+", "-", "1e5", "1.2.3", " 1", "+-1", "INF"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert!(Decimal::parse_integer("1.0").is_none());
        assert!(Decimal::parse(".5").is_some());
        assert!(Decimal::parse("5.").is_some());
    }
}
