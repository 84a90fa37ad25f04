//! Text values: the [`XmlScalar`] trait and its implementations for the Rust types that the
//! XSD built-ins map to.

/// A text value that did not parse: `expected` names the type (e.g. `xs:int`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarError {
    /// The expected type or form, e.g. `xs:int` or `one of ACTIVE, FIXED`.
    pub expected: String,
}

impl ScalarError {
    /// A value is not of type `expected`.
    pub fn expected(expected: impl Into<String>) -> ScalarError {
        ScalarError {
            expected: expected.into(),
        }
    }
}

/// A value written as element text or an attribute value.
pub trait XmlScalar: Sized {
    /// The type's name in messages (`xs:int`, or a generated enum's schema name).
    const TYPE_NAME: &'static str;
    /// Parse the text. Implementations other than `String` trim XML whitespace first.
    fn parse_text(text: &str) -> Result<Self, ScalarError>;
    /// The canonical text to write.
    fn to_text(&self) -> String;
}

/// Remove leading and trailing XML whitespace (space, tab, CR, LF).
pub fn trim_xml(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\r', '\n'])
}

impl XmlScalar for String {
    const TYPE_NAME: &'static str = "xs:string";
    fn parse_text(text: &str) -> Result<Self, ScalarError> {
        Ok(text.to_string())
    }
    fn to_text(&self) -> String {
        self.clone()
    }
}

impl XmlScalar for bool {
    const TYPE_NAME: &'static str = "xs:boolean";
    fn parse_text(text: &str) -> Result<Self, ScalarError> {
        match trim_xml(text) {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(ScalarError::expected(Self::TYPE_NAME)),
        }
    }
    fn to_text(&self) -> String {
        self.to_string()
    }
}

macro_rules! integer_scalar {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl XmlScalar for $ty {
            const TYPE_NAME: &'static str = $name;
            fn parse_text(text: &str) -> Result<Self, ScalarError> {
                let t = trim_xml(text);
                let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(ScalarError::expected(Self::TYPE_NAME));
                }
                t.parse().map_err(|_| ScalarError::expected(concat!($name, " (out of range)")))
            }
            fn to_text(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

integer_scalar!(
    i8 => "xs:byte",
    i16 => "xs:short",
    i32 => "xs:int",
    i64 => "xs:long",
    u8 => "xs:unsignedByte",
    u16 => "xs:unsignedShort",
    u32 => "xs:unsignedInt",
    u64 => "xs:unsignedLong",
);

macro_rules! float_scalar {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl XmlScalar for $ty {
            const TYPE_NAME: &'static str = $name;
            fn parse_text(text: &str) -> Result<Self, ScalarError> {
                match trim_xml(text) {
                    "INF" | "+INF" => Ok(<$ty>::INFINITY),
                    "-INF" => Ok(<$ty>::NEG_INFINITY),
                    "NaN" => Ok(<$ty>::NAN),
                    t if !t.is_empty()
                        && t.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) =>
                    {
                        t.parse().map_err(|_| ScalarError::expected(Self::TYPE_NAME))
                    }
                    _ => Err(ScalarError::expected(Self::TYPE_NAME)),
                }
            }
            fn to_text(&self) -> String {
                if self.is_nan() {
                    "NaN".to_string()
                } else if self.is_infinite() {
                    if *self > 0.0 { "INF".to_string() } else { "-INF".to_string() }
                } else {
                    self.to_string()
                }
            }
        }
    )*};
}

float_scalar!(f32 => "xs:float", f64 => "xs:double");

/// `xs:list` types: whitespace-separated items.
impl<T: XmlScalar> XmlScalar for Vec<T> {
    const TYPE_NAME: &'static str = "a whitespace-separated list";
    fn parse_text(text: &str) -> Result<Self, ScalarError> {
        text.split([' ', '\t', '\r', '\n'])
            .filter(|s| !s.is_empty())
            .map(|item| {
                T::parse_text(item)
                    .map_err(|e| ScalarError::expected(format!("a list of {}", e.expected)))
            })
            .collect()
    }
    fn to_text(&self) -> String {
        self.iter().map(T::to_text).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_trim_and_reject_garbage() {
        assert_eq!(i32::parse_text(" 42\n"), Ok(42));
        assert_eq!(i64::parse_text("-7"), Ok(-7));
        assert!(i32::parse_text("x").is_err());
        assert!(i32::parse_text("").is_err());
        assert!(i32::parse_text("1 2").is_err());
        assert!(u8::parse_text("300").is_err());
    }

    #[test]
    fn booleans_accept_the_four_lexical_forms() {
        assert_eq!(bool::parse_text("1"), Ok(true));
        assert_eq!(bool::parse_text(" false "), Ok(false));
        assert!(bool::parse_text(">false").is_err());
        assert!(bool::parse_text("TRUE").is_err());
    }

    #[test]
    fn strings_keep_whitespace() {
        assert_eq!(String::parse_text(" minutes "), Ok(" minutes ".to_string()));
    }

    #[test]
    fn floats_use_xsd_special_values() {
        assert_eq!(f64::parse_text("INF"), Ok(f64::INFINITY));
        assert!(f64::parse_text("inf").is_err());
        assert_eq!(f64::NEG_INFINITY.to_text(), "-INF");
        assert_eq!(f32::parse_text("1.5e3"), Ok(1500.0));
    }

    #[test]
    fn lists_split_on_whitespace() {
        assert_eq!(Vec::<i32>::parse_text(" 1  2\n3 "), Ok(vec![1, 2, 3]));
        assert_eq!(vec![1, 2].to_text(), "1 2");
    }
}
