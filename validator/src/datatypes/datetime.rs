//! The date/time types (`dateTime`, `time`, `date`, `gYearMonth`, `gYear`, `gMonthDay`,
//! `gDay`, `gMonth`) and `duration`: lexical checks and values on a seconds timeline.
//!
//! Years: at least four digits, no leading zero beyond four digits, no year `0000` (XSD 1.0),
//! at most 25 digits (larger years are rejected as out of range). Negative years are BCE with
//! no year zero; for leap years and the timeline `-0001` is astronomical year 0 (a leap year).
//! Seconds `60` are not allowed; `24:00:00` only with zero minutes, seconds and fraction (it is
//! the first instant of the next day). Timezones range over `-14:00..=+14:00`.
//! `gMonth` is `--MM` (XSD 1.0 Second Edition; the first edition's `--MM--` is rejected, as
//! xmllint does).

use std::cmp::Ordering;

use qschema_model::Builtin;

/// A position on a seconds timeline: `whole + 0.frac` (`frac`: fraction digits without
/// trailing zeros, so the derived order is numeric order).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds {
    whole: i128,
    frac: String,
}

impl Seconds {
    fn add(&self, n: i128) -> Option<Seconds> {
        Some(Seconds {
            whole: self.whole.checked_add(n)?,
            frac: self.frac.clone(),
        })
    }

    fn negate(&self) -> Option<Seconds> {
        if self.frac.is_empty() {
            return Some(Seconds {
                whole: self.whole.checked_neg()?,
                frac: String::new(),
            });
        }
        // -(w + 0.f) = (-w - 1) + (1 - 0.f); 1 - 0.f is the ten's complement of f.
        let mut digits: Vec<u8> = self.frac.bytes().map(|b| b'9' - b + b'0').collect();
        if let Some(last) = digits.last_mut() {
            *last += 1; // the last digit of f is non-zero, so no carry
        }
        let frac = String::from_utf8(digits).unwrap_or_default();
        Some(Seconds {
            whole: self.whole.checked_neg()?.checked_sub(1)?,
            frac: frac.trim_end_matches('0').to_string(),
        })
    }
}

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

/// Days since 1970-01-01 of an astronomical (proleptic Gregorian) date.
fn days_from_civil(year: i128, month: u32, day: u32) -> Option<i128> {
    let y = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i128::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i128::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?.checked_add(doe - 719_468)
}

fn is_leap(astronomical_year: i128) -> bool {
    astronomical_year % 4 == 0 && (astronomical_year % 100 != 0 || astronomical_year % 400 == 0)
}

fn days_in_month(astronomical_year: i128, month: u32) -> u32 {
    match month {
        2 if is_leap(astronomical_year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A byte cursor over an ASCII lexical form.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.i += 1)
    }

    fn run_of_digits(&mut self) -> &[u8] {
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
    fn seconds_negation() {
        let s = Seconds {
            whole: 5,
            frac: "25".into(),
        };
        let n = s.negate().unwrap();
        assert_eq!(
            n,
            Seconds {
                whole: -6,
                frac: "75".into()
            }
        );
    }

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
