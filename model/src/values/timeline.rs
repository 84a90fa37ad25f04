//! The seconds timeline shared by the date/time types and durations: exact positions with
//! fractions, and proleptic Gregorian calendar arithmetic.

/// A position on a seconds timeline: `whole + 0.frac` (`frac`: fraction digits without
/// trailing zeros, so the derived order is numeric order).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds {
    pub(super) whole: i128,
    pub(super) frac: String,
}

impl Seconds {
    pub(super) fn add(&self, n: i128) -> Option<Seconds> {
        Some(Seconds {
            whole: self.whole.checked_add(n)?,
            frac: self.frac.clone(),
        })
    }

    pub(super) fn negate(&self) -> Option<Seconds> {
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

/// Days since 1970-01-01 of an astronomical (proleptic Gregorian) date.
pub(super) fn days_from_civil(year: i128, month: u32, day: u32) -> Option<i128> {
    // The years documents have: the same arithmetic on 64 bits (128-bit division is a
    // library call, and every date value takes this path).
    match small_year(year) {
        Some(y) => Some(i128::from(days_from_civil_64(y, month, day))),
        None => days_from_civil_wide(year, month, day),
    }
}

/// [`days_from_civil`] on 128 bits, for any year.
fn days_from_civil_wide(year: i128, month: u32, day: u32) -> Option<i128> {
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

/// Years of at most 40 bits, for which [`days_from_civil_64`] cannot overflow.
const SMALL_YEAR: i64 = 1 << 40;

/// `year` as 64 bits when it is within [`SMALL_YEAR`] of zero.
fn small_year(year: i128) -> Option<i64> {
    i64::try_from(year)
        .ok()
        .filter(|y| (-SMALL_YEAR..SMALL_YEAR).contains(y))
}

/// [`days_from_civil`] for a year within [`SMALL_YEAR`] of zero (no overflow: the result
/// stays below 2^50).
fn days_from_civil_64(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(astronomical_year: i128) -> bool {
    match small_year(astronomical_year) {
        Some(y) => y % 4 == 0 && (y % 100 != 0 || y % 400 == 0),
        None => is_leap_wide(astronomical_year),
    }
}

/// [`is_leap`] on 128 bits, for any year.
fn is_leap_wide(y: i128) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub(super) fn days_in_month(astronomical_year: i128, month: u32) -> u32 {
    match month {
        2 if is_leap(astronomical_year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 64-bit fast path agrees with the 128-bit arithmetic, around its limits too.
    #[test]
    fn small_years_agree_with_the_wide_arithmetic() {
        let limit = i128::from(SMALL_YEAR);
        let years = (-2_100..2_500)
            .chain(limit - 900..limit + 900)
            .chain(-limit - 900..-limit + 900)
            .chain([i128::from(i64::MAX), i128::from(i64::MIN), 10i128.pow(24)]);
        for year in years {
            assert_eq!(is_leap(year), is_leap_wide(year), "{year}");
            for month in 1..=12 {
                for day in [1, 28, days_in_month(year, month)] {
                    assert_eq!(
                        days_from_civil(year, month, day),
                        days_from_civil_wide(year, month, day),
                        "{year}-{month}-{day}"
                    );
                }
            }
        }
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
    }

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
}
