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
