//! `xs:duration`: lexical checks and the XSD 1.0 partial order.

use std::cmp::Ordering;

use super::datetime::Cursor;
use super::timeline::{days_from_civil, Seconds};

/// An `xs:duration` value: months and seconds, both carrying the duration's sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duration {
    months: i128,
    seconds: Seconds,
}

/// `-?P(nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n)?S)?)?` with at least one component and no empty `T`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let mut c = Cursor {
        s: s.as_bytes(),
        i: 0,
    };
    let negative = c.eat(b'-').is_some();
    c.eat(b'P')?;
    let (mut months, mut seconds) = (0i128, 0i128);
    let mut frac = String::new();
    let mut any = false;
    let mut in_time = false;
    let mut after_t_any = false;
    // Designators still allowed, in order.
    let mut allowed: &[u8] = b"YMD";
    loop {
        if c.at_end() {
            break;
        }
        if !in_time && c.eat(b'T').is_some() {
            in_time = true;
            allowed = b"HMS";
            continue;
        }
        let digits = c.run_of_digits().to_vec();
        if digits.len() > 30 {
            return None;
        }
        let n = digits.iter().try_fold(0i128, |acc, b| {
            acc.checked_mul(10)?.checked_add(i128::from(b - b'0'))
        })?;
        // Seconds may be any unsigned decimal numeral: `1S`, `1.5S`, `1.S`, `.5S`.
        let mut fraction = None;
        if in_time && c.peek() == Some(b'.') {
            c.i += 1;
            let f = c.run_of_digits();
            if digits.is_empty() && f.is_empty() {
                return None;
            }
            fraction = Some(String::from_utf8_lossy(f).trim_end_matches('0').to_string());
        } else if digits.is_empty() {
            return None;
        }
        let designator = c.peek()?;
        let pos = allowed.iter().position(|&d| d == designator)?;
        allowed = &allowed[pos + 1..];
        c.i += 1;
        if fraction.is_some() && designator != b'S' {
            return None;
        }
        let factor: i128 = match (in_time, designator) {
            (false, b'Y') => {
                months = months.checked_add(n.checked_mul(12)?)?;
                0
            }
            (false, b'M') => {
                months = months.checked_add(n)?;
                0
            }
            (false, b'D') => 86_400,
            (true, b'H') => 3600,
            (true, b'M') => 60,
            (true, b'S') => 1,
            _ => return None,
        };
        seconds = seconds.checked_add(n.checked_mul(factor)?)?;
        if let Some(f) = fraction {
            frac = f;
        }
        any = true;
        after_t_any |= in_time;
    }
    if !any || (in_time && !after_t_any) {
        return None;
    }
    let mut secs = Seconds {
        whole: seconds,
        frac,
    };
    if negative {
        months = -months;
        secs = secs.negate()?;
    }
    Some(Duration {
        months,
        seconds: secs,
    })
}

impl Duration {
    /// Value equality: same months and same seconds (`P1D` = `PT24H`, `P1M` != `P30D`).
    pub fn equals(&self, other: &Duration) -> bool {
        self == other
    }

    /// The XSD 1.0 partial order: compare after adding both to 1696-09-01, 1697-02-01,
    /// 1903-03-01 and 1903-07-01; incomparable unless all four agree.
    pub fn compare(&self, other: &Duration) -> Option<Ordering> {
        const REFERENCES: [(i128, u32); 4] = [(1696, 9), (1697, 2), (1903, 3), (1903, 7)];
        let mut verdict = None;
        for (year, month) in REFERENCES {
            let a = self.end_from(year, month)?;
            let b = other.end_from(year, month)?;
            let ord = a.cmp(&b);
            match verdict {
                None => verdict = Some(ord),
                Some(v) if v != ord => return None,
                Some(_) => {}
            }
        }
        verdict
    }

    /// Seconds from `year-month-01T00:00:00` to that instant plus this duration.
    fn end_from(&self, year: i128, month: u32) -> Option<Seconds> {
        let start = days_from_civil(year, month, 1)?;
        let total = (year.checked_mul(12)?)
            .checked_add(i128::from(month) - 1)?
            .checked_add(self.months)?;
        let end = days_from_civil(total.div_euclid(12), (total.rem_euclid(12) + 1) as u32, 1)?;
        self.seconds.add((end - start).checked_mul(86_400)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_order() {
        let d = |s: &str| parse_duration(s).unwrap();
        assert_eq!(d("P1M").compare(&d("P32D")), Some(Ordering::Less));
        assert_eq!(d("P1M").compare(&d("P30D")), None);
        assert_eq!(d("P1Y").compare(&d("P365D")), None);
        assert_eq!(d("P1Y").compare(&d("P367D")), Some(Ordering::Less));
        assert!(d("P1D").equals(&d("PT24H")));
        assert_eq!(d("-PT1.5S").compare(&d("-PT1S")), Some(Ordering::Less));
    }
}
