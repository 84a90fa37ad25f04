//! The date/time types (`dateTime`, `time`, `date`, `gYearMonth`, `gYear`, `gMonthDay`,
//! `gDay`, `gMonth`): lexical checks and values on the seconds timeline.
//!
//! Years: at least four digits, no leading zero beyond four digits, no year `0000` (XSD 1.0),
//! at most 25 digits (larger years are rejected as out of range). Negative years are BCE with
//! no year zero; for leap years and the timeline `-0001` is astronomical year 0 (a leap year).
//! Seconds `60` are not allowed; `24:00:00` only with zero minutes, seconds and fraction (it is
//! the first instant of the next day). Timezones range over `-14:00..=+14:00`.
//! `gMonth` is `--MM` (XSD 1.0 Second Edition; the first edition's `--MM--` is rejected, as
//! xmllint does).

use std::cmp::Ordering;

use crate::ir::Builtin;

use super::timeline::{days_from_civil, days_in_month, Seconds};

/// A date/time value: its kind, its position (UTC when it has a timezone, local otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moment {
    kind: Builtin,
    at: Seconds,
    timezoned: bool,
}

const FOURTEEN_HOURS: i128 = 14 * 3600;

impl Moment {
    /// Value-space equality (a value with a timezone never equals one without).
    pub fn equals(&self, other: &Moment) -> bool {
        self == other
    }

    /// The XSD partial order: values of different kinds, and values with and without timezone
    /// within 14 hours of each other, are incomparable.
    pub fn compare(&self, other: &Moment) -> Option<Ordering> {
        if self.kind != other.kind {
            return None;
        }
        if self.timezoned == other.timezoned {
            return Some(self.at.cmp(&other.at));
        }
        let (tz, local, flip) = if self.timezoned {
            (self, other, false)
        } else {
            (other, self, true)
        };
        let ord = if tz.at < local.at.add(-FOURTEEN_HOURS)? {
            Ordering::Less
        } else if tz.at > local.at.add(FOURTEEN_HOURS)? {
            Ordering::Greater
        } else {
            return None;
        };
        Some(if flip { ord.reverse() } else { ord })
    }
}

/// A byte cursor over an ASCII lexical form.
pub(super) struct Cursor<'a> {
    pub(super) s: &'a [u8],
    pub(super) i: usize,
}

impl Cursor<'_> {
    pub(super) fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    pub(super) fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.i += 1)
    }

    pub(super) fn run_of_digits(&mut self) -> &[u8] {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        &self.s[start..self.i]
    }

    /// Exactly `n` digits.
    fn fixed(&mut self, n: usize) -> Option<u32> {
        let part = self.s.get(self.i..self.i + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(part.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
    }

    /// XSD year: `-?` then 4+ digits (no leading zero beyond 4), not 0; astronomical value.
    fn year(&mut self) -> Option<i128> {
        let negative = self.eat(b'-').is_some();
        let digits = self.run_of_digits();
        if digits.len() < 4 || digits.len() > 25 || (digits.len() > 4 && digits[0] == b'0') {
            return None;
        }
        let value = digits
            .iter()
            .fold(0i128, |acc, b| acc * 10 + i128::from(b - b'0'));
        if value == 0 {
            return None;
        }
        Some(if negative { 1 - value } else { value })
    }

    fn month(&mut self) -> Option<u32> {
        self.fixed(2).filter(|m| (1..=12).contains(m))
    }

    /// `hh:mm:ss(.s+)?` as (seconds of day, fraction digits without trailing zeros).
    fn time(&mut self) -> Option<(i128, String)> {
        let h = self.fixed(2)?;
        self.eat(b':')?;
        let m = self.fixed(2)?;
        self.eat(b':')?;
        let s = self.fixed(2)?;
        let mut frac = String::new();
        if self.eat(b'.').is_some() {
            let digits = self.run_of_digits();
            if digits.is_empty() {
                return None;
            }
            frac = String::from_utf8_lossy(digits)
                .trim_end_matches('0')
                .to_string();
        }
        if m > 59 || s > 59 || h > 24 || (h == 24 && (m != 0 || s != 0 || !frac.is_empty())) {
            return None;
        }
        Some((i128::from(h * 3600 + m * 60 + s), frac))
    }

    /// Optional timezone at the end: offset in minutes.
    fn timezone(&mut self) -> Option<Option<i128>> {
        if self.at_end() {
            return Some(None);
        }
        if self.eat(b'Z').is_some() {
            return Some(Some(0));
        }
        let sign = match self.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        self.i += 1;
        let h = self.fixed(2)?;
        self.eat(b':')?;
        let m = self.fixed(2)?;
        if m > 59 || h > 14 || (h == 14 && m != 0) {
            return None;
        }
        Some(Some(sign * i128::from(h * 60 + m)))
    }
}

/// `true` when `s` is certainly a valid `dateTime` or `date` ([`parse`] would give a value),
/// decided without building the value, for the usual forms: a four-digit year, hours up to
/// 23, a timezone up to 14:00 or none. `false` decides nothing: [`parse`] must.
pub fn certainly_valid(kind: Builtin, s: &str) -> bool {
    let b = s.as_bytes();
    // `YYYY-MM-DD`, then the time and the timezone.
    let rest = match (kind, b) {
        (
            Builtin::DateTime | Builtin::Date,
            [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, rest @ ..],
        ) => {
            let Some([y0, y1, y2, y3, m0, m1, d0, d1]) =
                digits([*y0, *y1, *y2, *y3, *m0, *m1, *d0, *d1])
            else {
                return false;
            };
            let year = [y0, y1, y2, y3]
                .iter()
                .fold(0i128, |acc, &d| acc * 10 + i128::from(d));
            let (month, day) = (u32::from(m0 * 10 + m1), u32::from(d0 * 10 + d1));
            if year == 0
                || !(1..=12).contains(&month)
                || day == 0
                || day > days_in_month(year, month)
            {
                return false;
            }
            rest
        }
        _ => return false,
    };
    let zone = if kind == Builtin::DateTime {
        let [b'T', h0, h1, b':', n0, n1, b':', s0, s1, rest @ ..] = rest else {
            return false;
        };
        let Some([h0, h1, n0, _, s0, _]) = digits([*h0, *h1, *n0, *n1, *s0, *s1]) else {
            return false;
        };
        if h0 * 10 + h1 > 23 || n0 > 5 || s0 > 5 {
            return false;
        }
        match rest {
            [b'.', frac @ ..] => {
                let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
                if n == 0 {
                    return false;
                }
                &frac[n..]
            }
            _ => rest,
        }
    } else {
        rest
    };
    match zone {
        [] | [b'Z'] => true,
        [b'+' | b'-', h0, h1, b':', m0, m1] => match digits([*h0, *h1, *m0, *m1]) {
            Some([h0, h1, m0, m1]) => {
                h0 * 10 + h1 < 14 && m0 < 6 || [h0, h1, m0, m1] == [1, 4, 0, 0]
            }
            None => false,
        },
        _ => false,
    }
}

/// The values of `N` ASCII digits, if they all are.
fn digits<const N: usize>(bytes: [u8; N]) -> Option<[u8; N]> {
    let values = bytes.map(|b| b.wrapping_sub(b'0'));
    values.iter().all(|&v| v <= 9).then_some(values)
}

/// Parse a value of one of the eight date/time kinds (`kind` must be one of them).
pub fn parse(kind: Builtin, s: &str) -> Option<Moment> {
    let mut c = Cursor {
        s: s.as_bytes(),
        i: 0,
    };
    // Reference values for the parts a kind does not have (XSD 1.0 Appendix D.3 style).
    let (mut year, mut month, mut day) = (1972i128, 12u32, 31u32);
    let mut second_of_day = 0i128;
    let mut frac = String::new();
    match kind {
        Builtin::DateTime | Builtin::Date | Builtin::GYearMonth | Builtin::GYear => {
            year = c.year()?;
            month = 1;
            day = 1;
            if kind != Builtin::GYear {
                c.eat(b'-')?;
                month = c.month()?;
                if kind != Builtin::GYearMonth {
                    c.eat(b'-')?;
                    day = c.fixed(2)?;
                }
            }
            if kind == Builtin::DateTime {
                c.eat(b'T')?;
                (second_of_day, frac) = c.time()?;
            }
        }
        Builtin::Time => (second_of_day, frac) = c.time()?,
        Builtin::GMonthDay => {
            c.eat(b'-')?;
            c.eat(b'-')?;
            month = c.month()?;
            c.eat(b'-')?;
            day = c.fixed(2)?;
        }
        Builtin::GDay => {
            for _ in 0..3 {
                c.eat(b'-')?;
            }
            day = c.fixed(2)?;
        }
        Builtin::GMonth => {
            c.eat(b'-')?;
            c.eat(b'-')?;
            month = c.month()?;
            day = 1;
        }
        _ => return None,
    }
    let timezone = c.timezone()?;
    if !c.at_end() || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if kind == Builtin::Time && second_of_day == 86_400 {
        second_of_day = 0;
    }
    let local = days_from_civil(year, month, day)?
        .checked_mul(86_400)?
        .checked_add(second_of_day)?;
    let whole = match timezone {
        Some(minutes) => local.checked_sub(minutes * 60)?,
        None => local,
    };
    Some(Moment {
        kind,
        at: Seconds { whole, frac },
        timezoned: timezone.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every combination of these parts, valid and not, each as a `dateTime` and a `date`.
    fn values() -> Vec<(Builtin, String)> {
        let years = [
            "0000", "0001", "1900", "1999", "2000", "2023", "2024", "9999", "-0001", "10000",
            "02024", "20a4",
        ];
        let months = ["00", "01", "02", "04", "09", "12", "13", "1x"];
        let days = ["00", "01", "28", "29", "30", "31", "32", "3"];
        let times = [
            "00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "25:00:00", "12:00",
            "1:00:00", "12:5a:00",
        ];
        let fractions = ["", ".5", ".000", ".", ".12345678901234567890", ".5x"];
        let zones = [
            "", "Z", "+00:00", "-05:30", "+13:59", "+14:00", "-14:00", "+14:01", "+15:00",
            "+05:60", "z", "+0500", "Z ", "+05:00Z",
        ];
        let mut out = Vec::new();
        for y in years {
            for m in months {
                for d in days {
                    let date = format!("{y}-{m}-{d}");
                    for z in zones {
                        out.push((Builtin::Date, format!("{date}{z}")));
                    }
                    for t in times {
                        for f in fractions {
                            for z in zones {
                                out.push((Builtin::DateTime, format!("{date}T{t}{f}{z}")));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn certainly_valid_values_parse_and_usual_ones_are_certain() {
        let (mut certain, mut valid) = (0, 0);
        for (kind, v) in values() {
            let parsed = parse(kind, &v).is_some();
            let quick = certainly_valid(kind, &v);
            assert!(
                !quick || parsed,
                "{kind:?} {v:?}: certainly valid, but parse rejects it"
            );
            // The usual forms are decided without `parse`: four-digit years, hours up to 23.
            let usual =
                !v.starts_with('-') && v.as_bytes().get(4) == Some(&b'-') && !v.contains("T24:");
            if parsed && usual {
                assert!(quick, "{kind:?} {v:?}: valid and usual, but not certain");
            }
            certain += usize::from(quick);
            valid += usize::from(parsed);
        }
        assert!(
            certain > 1000 && valid > certain,
            "{certain} certain of {valid} valid"
        );
        // Other kinds are never decided here.
        assert!(!certainly_valid(Builtin::Time, "12:00:00"));
        assert!(!certainly_valid(Builtin::GYear, "2024"));
    }
}
