//! The `whiteSpace` facet: preserve, replace, collapse (only tab, newline, carriage return and
//! space count as white space, as in XSD).

use std::borrow::Cow;

use qschema_model::{Builtin, WhiteSpace};

use qschema_model::xml_chars::is_xml_space;

/// Apply a whiteSpace mode to a value.
pub fn apply(value: &str, mode: WhiteSpace) -> Cow<'_, str> {
    match mode {
        WhiteSpace::Preserve => Cow::Borrowed(value),
        WhiteSpace::Replace => {
            if value.contains(['\t', '\n', '\r']) {
                Cow::Owned(value.replace(['\t', '\n', '\r'], " "))
            } else {
                Cow::Borrowed(value)
            }
        }
        WhiteSpace::Collapse => {
            let already = !value.starts_with(is_xml_space)
                && !value.ends_with(is_xml_space)
                && !value.contains(['\t', '\n', '\r'])
                && !value.contains("  ");
            if already {
                Cow::Borrowed(value)
            } else {
                Cow::Owned(
                    value
                        .split(is_xml_space)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }
        }
    }
}

/// The whiteSpace a built-in has when no facet overrides it: `preserve` for `string` (and
/// `anySimpleType`), `replace` for `normalizedString`, `collapse` for everything else.
pub fn builtin_default(b: Builtin) -> WhiteSpace {
    match b {
        Builtin::String | Builtin::AnySimpleType => WhiteSpace::Preserve,
        Builtin::NormalizedString => WhiteSpace::Replace,
        _ => WhiteSpace::Collapse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(apply(" a\t b\n", WhiteSpace::Preserve), " a\t b\n");
        assert_eq!(apply(" a\t b\n", WhiteSpace::Replace), " a  b ");
        assert_eq!(apply(" a\t b\n", WhiteSpace::Collapse), "a b");
        assert_eq!(apply("\u{a0}a", WhiteSpace::Collapse), "\u{a0}a");
        assert_eq!(apply("", WhiteSpace::Collapse), "");
    }
}
