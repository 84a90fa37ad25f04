//! `xs:decimal`, kept in its lexical form.

use std::fmt;
use std::str::FromStr;

use crate::scalar::{trim_xml, ScalarError, XmlScalar};

/// An `xs:decimal` value: validated, kept exactly as written (no rounding, no float).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    /// Validate a lexical form (`[+-]?(d+(.d*)?|.d+)`).
    pub fn new(text: &str) -> Result<Decimal, ScalarError> {
        let t = trim_xml(text);
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            return Err(ScalarError::expected("xs:decimal"));
        }
        Ok(Decimal(t.to_string()))
    }

    /// Wrap a lexical form that generated code already validated (schema defaults, checked
    /// when the code was generated). Not for input data: use [`Decimal::new`].
    #[doc(hidden)]
    pub fn from_validated(text: &str) -> Decimal {
        Decimal(text.to_string())
    }

    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as an `f64` (may round).
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Decimal {
    type Err = ScalarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::new(s)
    }
}

impl XmlScalar for Decimal {
    const TYPE_NAME: &'static str = "xs:decimal";
    fn parse_text(text: &str) -> Result<Self, ScalarError> {
        Decimal::new(text)
    }
    fn to_text(&self) -> String {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_lexical_form() {
        assert_eq!(
            Decimal::new(" 1.50 ").map(|d| d.to_string()),
            Ok("1.50".into())
        );
        assert_eq!(Decimal::new("-.5").map(|d| d.to_f64()), Ok(-0.5));
        for bad in ["", ".", "1e5", "1.2.3", "+", "abc"] {
            assert!(Decimal::new(bad).is_err(), "{bad}");
        }
    }
}
