//! The lexical spaces of the XSD 1.0 built-in types: value parsing and the short description
//! of what each accepts.

use qschema_model::xml_chars as names;
use qschema_model::Builtin;

use super::value::Value;
use super::InScope;
use super::{binary, float, uri};
use qschema_model::values::{datetime, duration, Decimal};

/// Why a lexical check failed beyond "not in the lexical space".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LexicalError {
    /// Not in the lexical space (or out of the type's range).
    Invalid,
    /// A QName whose prefix has no namespace binding in scope.
    UnboundPrefix(String),
    /// An `ENTITY` value that names no unparsed entity of the document's DTD.
    NotUnparsedEntity,
}

/// Parse `s` (already whitespace-normalized) as a value of built-in `b`. List built-ins
/// (`NMTOKENS`, `IDREFS`, `ENTITIES`) are handled by the caller as lists.
/// `scope` resolves QName/NOTATION prefixes and knows the document's unparsed entities
/// (`None`: neither is checked, and a QName keeps only its lexical form).
pub fn parse(b: Builtin, s: &str, scope: Option<&InScope>) -> Result<Value, LexicalError> {
    use Builtin::*;
    let ok = |cond: bool| {
        if cond {
            Ok(Value::Str(s.to_string()))
        } else {
            Err(LexicalError::Invalid)
        }
    };
    match b {
        AnySimpleType | String => ok(true),
        NormalizedString => ok(!s.contains(['\t', '\n', '\r'])),
        Token => ok(is_token(s)),
        Language => ok(is_language(s)),
        Name => ok(names::is_name(s)),
        NCName | Id | IdRef => ok(names::is_ncname(s)),
        Entity if !names::is_ncname(s) => Err(LexicalError::Invalid),
        Entity => match scope {
            Some(scope) if !(scope.unparsed_entity)(s) => Err(LexicalError::NotUnparsedEntity),
            _ => ok(true),
        },
        NmToken => ok(names::is_nmtoken(s)),
        IdRefs | Entities | NmTokens => ok(!s.is_empty()
            && s.split(' ').all(|t| {
                if b == NmTokens {
                    names::is_nmtoken(t)
                } else {
                    names::is_ncname(t)
                }
            })),
        Boolean => match s {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err(LexicalError::Invalid),
        },
        Decimal => self::Decimal::parse(s)
            .map(Value::Decimal)
            .ok_or(LexicalError::Invalid),
        Integer | NonPositiveInteger | NegativeInteger | Long | Int | Short | Byte
        | NonNegativeInteger | UnsignedLong | UnsignedInt | UnsignedShort | UnsignedByte
        | PositiveInteger => {
            let d = self::Decimal::parse_integer(s).ok_or(LexicalError::Invalid)?;
            let in_range = match small_integer_in_range(b, s) {
                // Fast path: the value fits an i128 and so do the bounds.
                Some(in_range) => in_range,
                None => {
                    let (min, max) = b.integer_range();
                    min.is_none_or(|m| d >= parse_const(m))
                        && max.is_none_or(|m| d <= parse_const(m))
                }
            };
            if in_range {
                Ok(Value::Decimal(d))
            } else {
                Err(LexicalError::Invalid)
            }
        }
        Float => float::parse(s, true)
            .map(Value::Float)
            .ok_or(LexicalError::Invalid),
        Double => float::parse(s, false)
            .map(Value::Double)
            .ok_or(LexicalError::Invalid),
        Duration => duration::parse_duration(s)
            .map(Value::Duration)
            .ok_or(LexicalError::Invalid),
        DateTime | Time | Date | GYearMonth | GYear | GMonthDay | GDay | GMonth => {
            datetime::parse(b, s)
                .map(Value::Moment)
                .ok_or(LexicalError::Invalid)
        }
        HexBinary => binary::parse_hex(s)
            .map(Value::Hex)
            .ok_or(LexicalError::Invalid),
        Base64Binary => binary::parse_base64(s)
            .map(Value::Base64)
            .ok_or(LexicalError::Invalid),
        AnyUri => ok(uri::is_any_uri(s)),
        QName | Notation => {
            if !names::is_qname(s) {
                return Err(LexicalError::Invalid);
            }
            let (prefix, local) = s.split_once(':').unwrap_or(("", s));
            let expanded = match scope.map(|scope| (scope.namespaces)(prefix)) {
                None => None,
                Some(Some(namespace)) => Some((namespace, local.to_string())),
                Some(None) => return Err(LexicalError::UnboundPrefix(prefix.to_string())),
            };
            Ok(Value::QName {
                lexical: s.to_string(),
                expanded,
            })
        }
    }
}

/// Whether the integer literal `s` (`[+-]?[0-9]+`) is within the range of the integer
/// built-in `b`, decided with `i128` arithmetic: `None` when it cannot be (not such a literal,
/// more than 30 digits, or `b` has no integer bounds), for the `Decimal` comparison.
pub(super) fn small_integer_in_range(b: Builtin, s: &str) -> Option<bool> {
    let (min, max) = integer_range_i128(b)?;
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 30 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Up to 18 digits fit 64 bits: no overflow checks per digit (the usual value).
    let magnitude: i128 = if digits.len() <= 18 {
        let m = digits
            .bytes()
            .fold(0u64, |m, b| m * 10 + u64::from(b - b'0'));
        i128::from(m)
    } else {
        digits.parse().ok()?
    };
    let v = if negative { -magnitude } else { magnitude };
    Some(min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m))
}

/// [`Builtin::integer_range`] as `i128` bounds (`None` for types without integer bounds).
fn integer_range_i128(b: Builtin) -> Option<(Option<i128>, Option<i128>)> {
    use Builtin::*;
    Some(match b {
        Integer => (None, None),
        NonPositiveInteger => (None, Some(0)),
        NegativeInteger => (None, Some(-1)),
        Long => (Some(i128::from(i64::MIN)), Some(i128::from(i64::MAX))),
        Int => (Some(i128::from(i32::MIN)), Some(i128::from(i32::MAX))),
        Short => (Some(i128::from(i16::MIN)), Some(i128::from(i16::MAX))),
        Byte => (Some(i128::from(i8::MIN)), Some(i128::from(i8::MAX))),
        NonNegativeInteger => (Some(0), None),
        UnsignedLong => (Some(0), Some(i128::from(u64::MAX))),
        UnsignedInt => (Some(0), Some(i128::from(u32::MAX))),
        UnsignedShort => (Some(0), Some(i128::from(u16::MAX))),
        UnsignedByte => (Some(0), Some(i128::from(u8::MAX))),
        PositiveInteger => (Some(1), None),
        _ => return None,
    })
}

fn parse_const(s: &str) -> Decimal {
    // The range constants below are valid integers.
    Decimal::parse_integer(s).unwrap_or_else(|| unreachable!("bad integer constant {s}"))
}

/// `xs:token`: no tab/newline/CR, no leading, trailing or double spaces.
fn is_token(s: &str) -> bool {
    !s.contains(['\t', '\n', '\r']) && !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ")
}

/// `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`
fn is_language(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A short description of a built-in's lexical space for [`super::ValueError::expected`].
pub fn expected(b: Builtin) -> String {
    use Builtin::*;
    let what: std::borrow::Cow<'static, str> = match b {
        AnySimpleType | String => return format!("xs:{}", b.name()),
        NormalizedString => "no tab, newline or carriage return".into(),
        Token => "no tab or newline, no leading, trailing or double spaces".into(),
        Language => "a language tag such as en or en-US".into(),
        Name => "an XML name".into(),
        NCName | Id | IdRef | Entity => "an XML name without ':'".into(),
        NmToken => "XML name characters only".into(),
        NmTokens => "a space-separated list of XML name tokens".into(),
        IdRefs | Entities => "a space-separated list of XML names without ':'".into(),
        Boolean => "true, false, 1, 0".into(),
        Decimal => "a decimal number such as -1.25".into(),
        Integer => "an integer".into(),
        Float | Double => "a number such as 1.5, -2E3, INF, -INF or NaN".into(),
        Duration => "a duration such as P1Y2M3DT4H5M6.7S".into(),
        DateTime => "YYYY-MM-DDThh:mm:ss with optional .fraction and Z or +hh:mm".into(),
        Time => "hh:mm:ss with optional .fraction and Z or +hh:mm".into(),
        Date => "YYYY-MM-DD with optional Z or +hh:mm".into(),
        GYearMonth => "YYYY-MM with optional Z or +hh:mm".into(),
        GYear => "YYYY with optional Z or +hh:mm".into(),
        GMonthDay => "--MM-DD with optional Z or +hh:mm".into(),
        GDay => "---DD with optional Z or +hh:mm".into(),
        GMonth => "--MM with optional Z or +hh:mm".into(),
        HexBinary => "an even number of hex digits".into(),
        Base64Binary => "base64 text with correct padding".into(),
        AnyUri => "a URI reference".into(),
        QName | Notation => "a qualified name such as prefix:name".into(),
        _ => match b.integer_range() {
            (Some(min), Some(max)) => format!("an integer from {min} to {max}").into(),
            (Some(min), None) => format!("an integer >= {min}").into(),
            (None, Some(max)) => format!("an integer <= {max}").into(),
            (None, None) => "an integer".into(),
        },
    };
    format!("xs:{} ({what})", b.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `i128` fast path has the same bounds as the decimal constants, and gives the same
    /// verdicts at and around them.
    #[test]
    fn integer_fast_path_agrees_with_the_decimal_bounds() {
        for b in Builtin::ALL {
            let (min, max) = b.integer_range();
            let Some((fmin, fmax)) = integer_range_i128(b) else {
                assert!(min.is_none() && max.is_none(), "{b:?}");
                continue;
            };
            assert_eq!(min.map(|m| m.parse::<i128>().unwrap()), fmin, "{b:?}");
            assert_eq!(max.map(|m| m.parse::<i128>().unwrap()), fmax, "{b:?}");
            for bound in [fmin, fmax].into_iter().flatten() {
                for v in [bound - 1, bound, bound + 1] {
                    let text = v.to_string();
                    let d = Decimal::parse_integer(&text).unwrap();
                    let slow = min.is_none_or(|m| d >= parse_const(m))
                        && max.is_none_or(|m| d <= parse_const(m));
                    assert_eq!(parse(b, &text, None).is_ok(), slow, "{b:?} {text}");
                }
            }
        }
        assert!(parse(Builtin::Long, "-0009223372036854775808", None).is_ok());
        assert!(parse(Builtin::Long, "9223372036854775808", None).is_err());
        assert!(parse(Builtin::Integer, &"9".repeat(40), None).is_ok());
        assert!(parse(Builtin::UnsignedLong, &"9".repeat(40), None).is_err());
        // Around the 64-bit digit loop's limit (18 digits), signs and leading zeros included.
        for digits in 16..=21 {
            for text in ["9".repeat(digits), format!("1{}", "0".repeat(digits - 1))] {
                for signed in [text.clone(), format!("-{text}"), format!("+0{text}")] {
                    let v: i128 = signed.parse().unwrap();
                    for b in [Builtin::Long, Builtin::UnsignedLong, Builtin::Integer] {
                        let (min, max) = integer_range_i128(b).unwrap();
                        let expected = min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m);
                        assert_eq!(
                            small_integer_in_range(b, &signed),
                            Some(expected),
                            "{b:?} {signed}"
                        );
                    }
                }
            }
        }
    }
}
