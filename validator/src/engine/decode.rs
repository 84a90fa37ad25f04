//! The document's character encoding, settled before the pass: UTF-8 documents go through
//! unchanged; UTF-16 (with or without a byte order mark), ISO-8859-1 and every other encoding
//! the WHATWG Encoding Standard names (via `encoding_rs`: windows-125x, ISO-8859-x, Shift_JIS,
//! EUC-JP, EUC-KR, GBK, Big5, KOI8, ...) are decoded to UTF-8 as the document streams, so the
//! engine only ever sees UTF-8. Bytes that are not valid in the encoding stop the pass with an
//! I/O error naming the encoding (never replaced silently).
//!
//! The encoding is decided from the first bytes (XML 1.0 Appendix F): a byte order mark, the
//! UTF-16 pattern of `<?`, or the XML declaration's `encoding`. A declaration that contradicts
//! the bytes (UTF-16 declared in an 8-bit document, a UTF-8 byte order mark with another
//! encoding declared) or names an encoding nobody implements is an `xml-encoding` error.

use std::io::{BufRead, Chain, Cursor, Read};

use encoding_rs::{Decoder, Encoding, UTF_8};
use qschema_model::encoding::{decide, declaration, detect, is_ascii, is_latin1, EncodingError};

/// How many bytes are read ahead to find the XML declaration.
const SNIFF_BYTES: u64 = 1024;

/// The document as UTF-8.
pub enum Utf8Input<R: BufRead> {
    /// Already UTF-8 (or ASCII): the sniffed bytes, then the rest.
    Unchanged(Chain<Cursor<Vec<u8>>, R>),
    /// Decoded from another encoding as it is read.
    Decoded(Box<Transcoder<Chain<Cursor<Vec<u8>>, R>>>),
}

/// The encoding cannot be used: a message for an `xml-encoding` error at 1:1, and the
/// encoding found (declared or detected).
pub type EncodingProblem = EncodingError;

/// The report for a document whose encoding cannot be used: one `xml-encoding` error at 1:1,
/// aborted.
pub fn problem_report(problem: EncodingProblem) -> crate::report::Report {
    let e = super::sink::error(
        (1, 1),
        "/".to_string(),
        crate::report::rules::ENCODING,
        problem.message,
        Some(problem.found),
        None,
        None,
    );
    crate::report::Report {
        errors: vec![e],
        truncated: false,
        aborted: true,
    }
}

/// Decide the document's encoding from its first bytes and return it as UTF-8.
pub fn utf8_input<R: BufRead>(mut reader: R) -> Result<Utf8Input<R>, EncodingProblem> {
    // Room for the whole head up front: read_to_end would otherwise grow it step by step.
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    // An I/O error here is left for the pass to meet again (and report with its position).
    let _ = reader.by_ref().take(SNIFF_BYTES).read_to_end(&mut head);
    let Decision {
        encoding,
        declared,
        ascii,
    } = decision(&head)?;
    let stream = Cursor::new(head).chain(reader);
    if encoding == UTF_8 && !ascii {
        return Ok(Utf8Input::Unchanged(stream));
    }
    let decoding = if ascii {
        Decoding::Ascii
    } else if is_latin1(declared.as_deref()) {
        Decoding::Latin1
    } else {
        Decoding::Whatwg(encoding.new_decoder_with_bom_removal())
    };
    Ok(Utf8Input::Decoded(Box::new(Transcoder {
        inner: stream,
        decoding,
        name: encoding.name(),
        out: Vec::new(),
        pos: 0,
        done: false,
        read: 0,
    })))
}

/// Whether a document starting with `head` is read as it is (UTF-8: no transcoder), as
/// [`utf8_input`] decides, without reading it through a reader.
pub fn reads_unchanged(head: &[u8]) -> Result<bool, EncodingProblem> {
    let head = head.get(..SNIFF_BYTES as usize).unwrap_or(head);
    let d = decision(head)?;
    Ok(d.encoding == UTF_8 && !d.ascii)
}

/// What the first bytes of a document say of its encoding.
struct Decision {
    /// The encoding it is read in.
    encoding: &'static Encoding,
    /// The encoding its XML declaration names.
    declared: Option<String>,
    /// US-ASCII declared, without a byte order mark.
    ascii: bool,
}

/// [`Decision`] from the first bytes `head` (at most [`SNIFF_BYTES`] are looked at).
fn decision(head: &[u8]) -> Result<Decision, EncodingProblem> {
    let (detected, bom) = detect(head);
    let declared = declared_encoding(head, detected);
    let encoding = decide(detected, bom, declared.as_deref())?;
    let ascii = is_ascii(declared.as_deref()) && !bom;
    Ok(Decision {
        encoding,
        declared,
        ascii,
    })
}

/// The `encoding` of the XML declaration at the start of `head` (read in the detected
/// encoding), if there is a well-formed one (the strict parse); a malformed declaration is
/// left to the pass.
fn declared_encoding(head: &[u8], detected: &'static Encoding) -> Option<String> {
    let content = declaration(head, detected)?;
    super::xml_decl::parse_after_xml(&content).ok()?.encoding
}

/// How the bytes are decoded.
enum Decoding {
    /// US-ASCII: bytes below 0x80 are themselves, any other byte is an error.
    Ascii,
    /// Any WHATWG encoding.
    Whatwg(Decoder),
    /// ISO-8859-1: byte = code point.
    Latin1,
}

/// A [`BufRead`] giving the UTF-8 text of a stream in another encoding.
pub struct Transcoder<R: BufRead> {
    inner: R,
    decoding: Decoding,
    name: &'static str,
    out: Vec<u8>,
    pos: usize,
    done: bool,
    /// Bytes of the source consumed so far (for messages).
    read: u64,
}

impl<R: BufRead> Transcoder<R> {
    /// Decode the next chunk of the source into `out` (which is fully consumed).
    fn refill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.done {
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            let used = match &mut self.decoding {
                Decoding::Ascii => {
                    let ascii = src.iter().position(|b| !b.is_ascii()).unwrap_or(src.len());
                    if ascii == 0 && !last {
                        let at = self.read;
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            format!(
                                "byte 0x{:02X} at byte offset {at} is not valid in the document's encoding US-ASCII",
                                src[0]
                            ),
                        ));
                    }
                    self.out.extend_from_slice(&src[..ascii]);
                    ascii
                }
                Decoding::Latin1 => {
                    let mut utf8 = [0u8; 4];
                    for &b in src {
                        let c = char::from(b).encode_utf8(&mut utf8);
                        self.out.extend_from_slice(c.as_bytes());
                    }
                    src.len()
                }
                Decoding::Whatwg(decoder) => {
                    let room = decoder
                        .max_utf8_buffer_length_without_replacement(src.len())
                        .unwrap_or(src.len().saturating_mul(3).saturating_add(16));
                    self.out.resize(room, 0);
                    let (result, used, written) =
                        decoder.decode_to_utf8_without_replacement(src, &mut self.out, last);
                    self.out.truncate(written);
                    if let encoding_rs::DecoderResult::Malformed(len, _) = result {
                        let at = self.read + used as u64;
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            format!(
                                "bytes not valid in the document's encoding {} (a sequence of {len} ending before byte offset {at})",
                                self.name
                            ),
                        ));
                    }
                    used
                }
            };
            self.inner.consume(used);
            self.read += used as u64;
            self.done = last;
        }
        Ok(())
    }
}

impl<R: BufRead> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Transcoder<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        Ok(self.out.get(self.pos..).unwrap_or_default())
    }

    fn consume(&mut self, amt: usize) {
        self.pos = self.pos.saturating_add(amt).min(self.out.len());
    }
}

impl<R: BufRead> Read for Utf8Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Utf8Input::Unchanged(r) => r.read(buf),
            Utf8Input::Decoded(r) => r.read(buf),
        }
    }
}

impl<R: BufRead> BufRead for Utf8Input<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        match self {
            Utf8Input::Unchanged(r) => r.fill_buf(),
            Utf8Input::Decoded(r) => r.fill_buf(),
        }
    }

    fn consume(&mut self, amt: usize) {
        match self {
            Utf8Input::Unchanged(r) => r.consume(amt),
            Utf8Input::Decoded(r) => r.consume(amt),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{reads_unchanged, utf8_input, Utf8Input};
    use std::io::Read;

    /// `reads_unchanged` decides as `utf8_input` does, for every kind of head.
    #[test]
    fn reads_unchanged_agrees_with_utf8_input() {
        let long = format!("<?xml version=\"1.0\"?><!--{}--><a/>", "x".repeat(3000));
        let heads: Vec<Vec<u8>> = vec![
            b"<a/>".to_vec(),
            b"".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>".to_vec(),
            b"<?xml version='1.0' encoding='utf-8'?><a/>".to_vec(),
            // The usual declarations, and near misses.
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a>\xC3\xA9</a>".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"UTF-8\" ?><a/>".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?\xEF\xBB\xBF".to_vec(),
            b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>".to_vec(),
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"US-ASCII\"?><a/>".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"x-unknown\"?><a/>".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>".to_vec(),
            b"\xFF\xFE<\0a\0/\0>\0".to_vec(),
            b"<\0?\0x\0m\0l\0 \0".to_vec(),
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"".to_vec(),
            long.into_bytes(),
        ];
        for head in heads {
            let by_reader = match utf8_input(&head[..]) {
                Ok(Utf8Input::Unchanged(_)) => Ok(true),
                Ok(Utf8Input::Decoded(_)) => Ok(false),
                Err(p) => Err(p.message),
            };
            let direct = reads_unchanged(&head).map_err(|p| p.message);
            assert_eq!(direct, by_reader, "{:?}", String::from_utf8_lossy(&head));
        }
    }

    /// The UTF-8 text of `bytes`, or the problem.
    fn text(bytes: &[u8]) -> Result<String, String> {
        let mut out = String::new();
        match utf8_input(bytes) {
            Ok(Utf8Input::Unchanged(mut r)) => r.read_to_string(&mut out),
            Ok(Utf8Input::Decoded(mut r)) => r.read_to_string(&mut out),
            Err(p) => return Err(p.message),
        }
        .map_err(|e| e.to_string())?;
        Ok(out)
    }

    fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let bom = bom.then_some('\u{FEFF}');
        bom.into_iter()
            .chain(s.chars())
            .collect::<String>()
            .encode_utf16()
            .flat_map(|u| match big_endian {
                true => u.to_be_bytes(),
                false => u.to_le_bytes(),
            })
            .collect()
    }

    #[test]
    fn utf8_passes_through() {
        let doc = "\u{FEFF}<?xml version='1.0' encoding='UTF-8'?><a>é</a>";
        assert_eq!(text(doc.as_bytes()).unwrap(), doc);
        assert_eq!(text(b"<a/>").unwrap(), "<a/>");
        assert_eq!(text(b"").unwrap(), "");
    }

    #[test]
    fn decodes_utf16_with_and_without_bom() {
        let doc = "<?xml version='1.0' encoding='UTF-16'?><a>\u{65E5}\u{1F600}</a>";
        for be in [true, false] {
            assert_eq!(text(&utf16(doc, be, true)).unwrap(), doc);
            assert_eq!(text(&utf16(doc, be, false)).unwrap(), doc);
        }
        assert_eq!(text(&utf16("<a/>", false, true)).unwrap(), "<a/>");
    }

    #[test]
    fn decodes_declared_8_bit_encodings() {
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9\x85</a>";
        assert_eq!(
            text(latin1).unwrap(),
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>\u{E9}\u{85}</a>"
        );
        let ascii = b"<?xml version='1.0' encoding='US-ASCII'?><a>x</a>";
        assert_eq!(text(ascii).unwrap(), std::str::from_utf8(ascii).unwrap());
        let sjis = b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x93\xfa</a>";
        assert_eq!(
            text(sjis).unwrap(),
            "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\u{65E5}</a>"
        );
    }

    #[test]
    fn refuses_contradictions_and_unknown_encodings() {
        let problem = |b: &[u8]| text(b).unwrap_err();
        assert!(problem(b"<?xml version='1.0' encoding='UTF-16'?><a/>").contains("not UTF-16"));
        assert!(problem(b"<?xml version='1.0' encoding='x-klingon'?><a/>").contains("x-klingon"));
        assert!(
            problem(b"\xEF\xBB\xBF<?xml version='1.0' encoding='ISO-8859-2'?><a/>")
                .contains("byte order mark")
        );
        let utf16_says_utf8 = utf16("<?xml version='1.0' encoding='UTF-8'?><a/>", true, true);
        assert!(problem(&utf16_says_utf8).contains("is UTF-16"));
    }

    #[test]
    fn invalid_bytes_are_an_error_not_a_replacement() {
        let bad = b"<?xml version='1.0' encoding='Shift_JIS'?><a>\x81\x20</a>";
        assert!(text(bad).unwrap_err().contains("Shift_JIS"));
        let ascii = b"<?xml version='1.0' encoding='us-ascii'?><a>\xE9</a>";
        let problem = text(ascii).unwrap_err();
        assert!(
            problem.contains("0xE9") && problem.contains("US-ASCII"),
            "{problem}"
        );
        let odd = utf16("<a/>", false, true);
        assert!(text(&odd[..odd.len() - 1]).is_err());
    }
}
