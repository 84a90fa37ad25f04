//! `xs:dateTime`, validated and kept in its lexical form.

use std::fmt;
use std::str::FromStr;

use crate::scalar::{trim_xml, ScalarError, XmlScalar};

/// An `xs:dateTime` (`YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]`): validated, kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTime(String);

impl DateTime {
    /// Validate a lexical form.
    pub fn new(text: &str) -> Result<DateTime, ScalarError> {
        let t = trim_xml(text);
        if valid(t) {
            Ok(DateTime(t.to_string()))
        } else {
            Err(ScalarError::expected("xs:dateTime"))
        }
    }

    /// Wrap a lexical form that generated code already validated (schema defaults, checked
    /// when the code was generated). Not for input data: use [`DateTime::new`].
    #[doc(hidden)]
    pub fn from_validated(text: &str) -> DateTime {
        DateTime(text.to_string())
    }

    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The timezone part as written (`Z`, `+02:00`), if any.
    pub fn timezone(&self) -> Option<&str> {
        let time = self.0.split_once('T').map_or("", |(_, t)| t);
        time.find(['Z', '+', '-']).map(|i| &time[i..])
    }
}

fn number(s: &str, len: usize, max: u32) -> bool {
    s.len() == len
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u32>().is_ok_and(|v| v <= max)
}

fn valid(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    let Some((date, time)) = t.split_once('T') else {
        return false;
    };
    let mut d = date.split('-');
    let (Some(y), Some(m), Some(day), None) = (d.next(), d.next(), d.next(), d.next()) else {
        return false;
    };
    let year_ok = y.len() >= 4 && y.bytes().all(|b| b.is_ascii_digit());
    let date_ok = year_ok && number(m, 2, 12) && m != "00" && number(day, 2, 31) && day != "00";
    let (clock, tz) = match time.find(['Z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let tz_ok = match tz {
        "" | "Z" => true,
        _ => {
            let body = &tz[1..];
            matches!(body.split_once(':'), Some((h, m)) if number(h, 2, 14) && number(m, 2, 59))
        }
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let mut c = hms.split(':');
    let (Some(h), Some(mi), Some(s), None) = (c.next(), c.next(), c.next(), c.next()) else {
        return false;
    };
    let frac_ok = !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit());
    let clock_ok = (number(h, 2, 23) || (h == "24" && mi == "00" && s == "00"))
        && number(mi, 2, 59)
        && number(s, 2, 59);
    date_ok && tz_ok && frac_ok && clock_ok
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DateTime {
    type Err = ScalarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::new(s)
    }
}

impl XmlScalar for DateTime {
    const TYPE_NAME: &'static str = "xs:dateTime";
    fn parse_text(text: &str) -> Result<Self, ScalarError> {
        DateTime::new(text)
    }
    fn to_text(&self) -> String {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_lexical_forms() {
        for ok in [
            "2020-09-10T00:08:20Z",
            "2017-12-02T00:30:00",
            "2017-12-02T00:30:00.123+02:00",
            "-0001-01-01T00:00:00-05:00",
        ] {
            assert_eq!(DateTime::new(ok).map(|d| d.to_string()), Ok(ok.to_string()));
        }
        assert_eq!(
            DateTime::new("2020-09-10T00:08:20Z").unwrap().timezone(),
            Some("Z")
        );
    }

    #[test]
    fn rejects_malformed_values() {
        for bad in [
            "",
            "2020-09-10",
            "2020-13-10T00:00:00Z",
            "2020-09-10T25:00:00Z",
            "2020-09-10T00:08:20ZZ",
            "2020-9-10T00:08:20Z",
            "2020-09-10T00:08:20.Z",
            "2020-09-10T00:08:20+2:00",
        ] {
            assert!(DateTime::new(bad).is_err(), "{bad}");
        }
    }
}
