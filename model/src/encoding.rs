//! Character encodings of XML text (XML 1.0, 4.3.3 and Appendix F), shared by the schema
//! loaders and the validator: which encoding the first bytes and the declaration name
//! ([`detect`], [`decide`]), and reading a whole file in it ([`decode`]). UTF-16, ISO-8859-1,
//! US-ASCII and every encoding the WHATWG Encoding Standard names (via `encoding_rs`) are
//! read; bytes that are not valid in the encoding are an error, never replaced.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::dtd::pseudo_attributes;

/// An encoding that cannot be used: what is wrong, and the encoding found (declared or
/// detected).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EncodingError {
    /// What is wrong.
    pub message: String,
    /// The encoding found (declared or detected).
    pub found: String,
}

/// The text of a whole XML file or external entity, read in the encoding its byte order mark,
/// the UTF-16 pattern of `<?`, or its XML or text declaration's `encoding` names (UTF-8
/// otherwise). A byte order mark is kept, as U+FEFF at the start. Bytes that are not valid in
/// the encoding are an error that says where (line and column of the text read before them).
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    let (detected, bom) = detect(&bytes);
    let declared = declared_in(&bytes, detected);
    let encoding = decide(detected, bom, declared.as_deref()).map_err(|e| e.message)?;
    // A byte order mark says UTF-8 whatever the declaration's US-ASCII (as for documents).
    let ascii = is_ascii(declared.as_deref()) && !bom;
    if ascii {
        if let Some(at) = bytes.iter().position(|b| !b.is_ascii()) {
            let before = String::from_utf8_lossy(&bytes[..at]);
            return Err(format!(
                "byte 0x{:02X} at {} is not valid in the declared encoding US-ASCII",
                bytes[at],
                position_after(&before)
            ));
        }
    }
    if encoding == UTF_8 {
        return String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            format!(
                "not UTF-8 at {}: byte 0x{:02X} (declare the file's encoding, or convert it to UTF-8)",
                position_after(&before),
                bytes[valid]
            )
        });
    }
    if is_latin1(declared.as_deref()) {
        return Ok(bytes.iter().map(|&b| char::from(b)).collect());
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(room);
    match decoder.decode_to_string_without_replacement(&bytes, &mut text, true) {
        (encoding_rs::DecoderResult::InputEmpty, _) => Ok(text),
        (encoding_rs::DecoderResult::Malformed(..), _) => Err(format!(
            "bytes at {} are not valid in the encoding {}",
            position_after(&text),
            encoding.name()
        )),
        (encoding_rs::DecoderResult::OutputFull, _) => Err(format!(
            "the text is longer than expected in the encoding {}",
            encoding.name()
        )),
    }
}

/// `line L, column C` of the character that follows `before` (columns count characters).
fn position_after(before: &str) -> String {
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("line {line}, column {column}")
}

/// The `encoding` of the XML or text declaration at the start of `bytes`, if there is one
/// that can be read.
fn declared_in(bytes: &[u8], detected: &'static Encoding) -> Option<String> {
    let content = declaration(bytes, detected)?;
    let pairs = pseudo_attributes(&content).ok()?;
    pairs
        .into_iter()
        .find(|(n, _)| n == "encoding")
        .map(|(_, v)| v)
}

/// The content of the XML (or text) declaration the first 1024 bytes of `head` start with,
/// read in the `detected` encoding: what lies between `<?xml` and the first `?>` (starting
/// with the white space after `xml`). `None` when there is no closed declaration.
pub fn declaration(head: &[u8], detected: &'static Encoding) -> Option<String> {
    let head = head.get(..1024).unwrap_or(head);
    let text = if detected == UTF_8 {
        let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(head);
        let end = head.windows(2).position(|w| w == b"?>")?;
        std::borrow::Cow::Borrowed(std::str::from_utf8(head.get(..end + 2)?).ok()?)
    } else {
        // A code unit cut at the end of `head` becomes a replacement character after the
        // declaration, which is not read.
        detected.decode_with_bom_removal(head).0
    };
    let rest = text.strip_prefix("<?xml")?;
    if !rest.starts_with([' ', '\t', '\r', '\n']) {
        return None;
    }
    rest.find("?>").map(|end| rest[..end].to_string())
}

/// The encoding the first bytes show (UTF-8 when nothing else), and whether a byte order
/// mark says so.
pub fn detect(head: &[u8]) -> (&'static Encoding, bool) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => (UTF_8, true),
        [0xFE, 0xFF, ..] => (UTF_16BE, true),
        [0xFF, 0xFE, ..] => (UTF_16LE, true),
        [0x00, b'<', 0x00, b'?', ..] => (UTF_16BE, false),
        [b'<', 0x00, b'?', 0x00, ..] => (UTF_16LE, false),
        _ => (UTF_8, false),
    }
}

/// The encoding to read the document in, or why it cannot be read.
pub fn decide(
    detected: &'static Encoding,
    bom: bool,
    declared: Option<&str>,
) -> Result<&'static Encoding, EncodingError> {
    let Some(label) = declared else {
        return Ok(detected);
    };
    let problem = |message: String| EncodingError {
        message,
        found: label.to_string(),
    };
    // `Encoding::for_label` does not know the XML names of these.
    let named = if ["utf-16", "iso-10646-ucs-2", "ucs-2", "csunicode"]
        .iter()
        .any(|n| label.eq_ignore_ascii_case(n))
    {
        Some(UTF_16LE)
    } else if is_ascii(Some(label)) {
        Some(UTF_8)
    } else {
        Encoding::for_label(label.as_bytes())
    };
    let Some(named) = named.filter(|&e| e != encoding_rs::REPLACEMENT) else {
        return match named {
            Some(_) => Err(problem(format!(
                "Unsupported encoding '{label}': it cannot be read as the text of an XML document"
            ))),
            None => Err(problem(format!(
                "Unsupported encoding '{label}': not an encoding this validator knows (convert the document to UTF-8)"
            ))),
        };
    };
    // Also accepts ISO-10646-UCS-2 and "UTF-16" declared in a byte-order-marked document.
    match (is_utf16(detected), is_utf16(named)) {
        (true, true) => Ok(detected),
        (true, false) => Err(problem(format!(
            "Document is UTF-16 but declares encoding '{label}'"
        ))),
        (false, true) => Err(problem(format!(
            "Document declares encoding '{label}' but is not UTF-16 (no byte order mark, and '<?xml' is not in UTF-16)"
        ))),
        (false, false) if bom && named != UTF_8 => Err(problem(format!(
            "Document starts with a UTF-8 byte order mark but declares encoding '{label}'"
        ))),
        (false, false) => Ok(named),
    }
}

/// Whether `e` is UTF-16 (either byte order).
fn is_utf16(e: &'static Encoding) -> bool {
    e == UTF_16LE || e == UTF_16BE
}

/// Whether the declared label is ISO-8859-1 proper (which `encoding_rs` reads as
/// windows-1252, whose 0x80-0x9F are not the C1 controls ISO-8859-1 has there).
pub fn is_latin1(declared: Option<&str>) -> bool {
    declared.is_some_and(|l| {
        matches!(
            l.to_ascii_lowercase().as_str(),
            "iso-8859-1" | "iso_8859-1" | "latin1" | "l1" | "iso-ir-100" | "cp819" | "ibm819"
        )
    })
}

/// Whether the declared label is US-ASCII (which `encoding_rs` reads as windows-1252, so that
/// bytes above 0x7F would be taken silently instead of being an error).
pub fn is_ascii(declared: Option<&str>) -> bool {
    const NAMES: [&str; 11] = [
        "us-ascii",
        "ascii",
        "us",
        "iso-ir-6",
        "ansi_x3.4-1968",
        "ansi_x3.4-1986",
        "iso_646.irv:1991",
        "iso646-us",
        "ibm367",
        "cp367",
        "csascii",
    ];
    declared.is_some_and(|l| NAMES.iter().any(|n| l.eq_ignore_ascii_case(n)))
}

#[cfg(test)]
mod tests {
    use super::decode;
    use crate::dtd::strip_text_declaration;

    fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| match big_endian {
                true => u.to_be_bytes(),
                false => u.to_le_bytes(),
            })
            .collect()
    }

    /// What an external parsed entity's bytes read as: decoded, without a byte order mark and
    /// text declaration (as the DTD loader and the validator's entity expansion read them).
    fn entity(bytes: Vec<u8>) -> Result<String, String> {
        decode(bytes).and_then(|text| strip_text_declaration(&text))
    }

    #[test]
    fn external_entities_are_read_in_their_declared_encoding() {
        let latin1 = b"<?xml encoding='ISO-8859-1'?>caf\xe9".to_vec();
        assert_eq!(
            decode(latin1.clone()).unwrap(),
            "<?xml encoding='ISO-8859-1'?>caf\u{e9}"
        );
        assert_eq!(entity(latin1).unwrap(), "caf\u{e9}");
        let be = utf16("\u{FEFF}d\u{e9}j\u{e0}", true);
        assert_eq!(decode(be.clone()).unwrap(), "\u{FEFF}d\u{e9}j\u{e0}");
        assert_eq!(entity(be).unwrap(), "d\u{e9}j\u{e0}");
        assert_eq!(decode(utf16("\u{FEFF}x", true)).unwrap(), "\u{FEFF}x");
        let no_bom = utf16("<?xml encoding='UTF-16'?>x", false);
        assert_eq!(
            decode(no_bom.clone()).unwrap(),
            "<?xml encoding='UTF-16'?>x"
        );
        assert_eq!(entity(no_bom).unwrap(), "x");
        assert_eq!(entity(b"\xEF\xBB\xBFplain".to_vec()).unwrap(), "plain");
        let undeclared = entity(b"caf\xe9".to_vec()).unwrap_err();
        assert!(undeclared.contains("not UTF-8"), "{undeclared}");
    }

    #[test]
    fn reads_the_encoding_the_declaration_or_byte_order_mark_names() {
        assert_eq!(
            decode(b"<!ELEMENT a EMPTY>".to_vec()).unwrap(),
            "<!ELEMENT a EMPTY>"
        );
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9\x85</a>".to_vec();
        // ISO-8859-1 proper: 0x85 is U+0085, not windows-1252's ellipsis.
        assert!(decode(latin1).unwrap().ends_with("<a>\u{e9}\u{85}</a>"));
        let cp1252 = b"<?xml encoding='windows-1252'?>\x85".to_vec();
        assert!(decode(cp1252).unwrap().ends_with('\u{2026}'));
        let le = utf16("\u{FEFF}<!ELEMENT \u{65E5} EMPTY>", false);
        assert_eq!(decode(le).unwrap(), "\u{FEFF}<!ELEMENT \u{65E5} EMPTY>");
        let be_no_bom = utf16("<?xml version='1.0'?><a/>", true);
        assert_eq!(decode(be_no_bom).unwrap(), "<?xml version='1.0'?><a/>");
    }

    #[test]
    fn bytes_outside_the_encoding_are_an_error() {
        assert!(decode(vec![0xC3]).unwrap_err().contains("not UTF-8"));
        assert!(decode(vec![0xFF, 0xFE, 0x00]).is_err());
        assert!(decode(vec![0xFF, 0xFE, 0x00, 0xD8]).is_err());
        let ascii = decode(b"<?xml version='1.0' encoding='US-ASCII'?>\xe9".to_vec());
        let ascii = ascii.unwrap_err();
        assert!(
            ascii.contains("US-ASCII") && ascii.contains("line 1, column 42"),
            "{ascii}"
        );
        let utf8 = decode(b"<a>\n  caf\xe9</a>".to_vec()).unwrap_err();
        assert!(utf8.contains("not UTF-8 at line 2, column 6"), "{utf8}");
        let sjis = decode(b"<?xml version='1.0' encoding='Shift_JIS'?>\n\x81\x20".to_vec());
        let sjis = sjis.unwrap_err();
        assert!(
            sjis.contains("Shift_JIS") && sjis.contains("line 2, column 1"),
            "{sjis}"
        );
        let unknown = decode(b"<?xml version='1.0' encoding='klingon'?>".to_vec());
        assert!(unknown.unwrap_err().contains("klingon"));
    }
}
