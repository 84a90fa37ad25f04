//! The XML name and white-space productions the engine uses: the model's, in one place.

pub(crate) use qschema_model::xml_chars::{
    ascii_qname_colon, is_ascii_qname, is_name, is_name_char, is_name_start_char as is_name_start,
    is_ncname, is_nmtoken, is_qname, is_xml_space,
};

use std::borrow::Cow;

/// `String::from_utf8_lossy` with a fast path: valid UTF-8 (all input the engine reads has
/// been checked by then) is borrowed after one `from_utf8` check, which is cheaper than the
/// lossy decoder's chunk iterator on short slices.
pub(crate) fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The longest prefix of `bytes` that is UTF-8 (a character cut by the end of the bytes, or
/// a byte that is not UTF-8, ends it).
pub(crate) fn utf8_prefix(bytes: Option<&[u8]>) -> &str {
    let bytes = bytes.unwrap_or_default();
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default())
            .unwrap_or_default(),
    }
}

/// Whether `b` is an XML white space byte (space, tab, CR, LF: all ASCII, so the byte test is
/// the character test, [`is_xml_space`]).
pub(crate) fn is_xml_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether `text` is all XML white space.
pub(crate) fn is_blank(text: &str) -> bool {
    text.bytes().all(is_xml_space_byte)
}
