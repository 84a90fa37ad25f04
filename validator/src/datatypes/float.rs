//! `xs:float` and `xs:double` (XSD 1.0 lexical space: no `+INF`, no hexadecimal, no `inf`).

/// Parse a float/double literal; `single` rounds to `f32` precision (stored as `f64`).
pub fn parse(s: &str, single: bool) -> Option<f64> {
    match s {
        "INF" => return Some(f64::INFINITY),
        "-INF" => return Some(f64::NEG_INFINITY),
        "NaN" => return Some(f64::NAN),
        _ => {}
    }
    if !is_lexical(s) {
        return None;
    }
    if single {
        s.parse::<f32>().ok().map(f64::from)
    } else {
        s.parse::<f64>().ok()
    }
}

/// `(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?`
fn is_lexical(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return false;
    }
    match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(parse("1.5E3", false), Some(1500.0));
        assert_eq!(parse("-INF", true), Some(f64::NEG_INFINITY));
        assert!(parse("NaN", false).is_some_and(f64::is_nan));
        for bad in [
            "+INF", "inf", "nan", "1e", "e5", ".", "", "0x10", "1.5f", " 1", "Infinity",
        ] {
            assert!(parse(bad, false).is_none(), "{bad}");
        }
        assert_eq!(parse(".5e-1", false), Some(0.05));
        assert_eq!(parse("5.", false), Some(5.0));
    }
}
