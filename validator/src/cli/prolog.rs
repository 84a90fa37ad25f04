//! Cheap prolog sniffing: read up to the root start tag to find the schema a document names
//! (DOCTYPE system id, or the root's `xsi:noNamespaceSchemaLocation`).

use std::io::Read;

use quick_xml::events::Event;
use quick_xml::Reader;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// How much of a document is read at most to find its root start tag: as much as a document
/// read into memory may be, so that a file and the same bytes on stdin sniff alike.
const MAX_PROLOG: u64 = super::inputs::MAX_STREAM_BYTES;
/// The first read; each further read doubles what is held, so re-sniffing the growing prefix
/// costs at most about twice its length in all.
const STEP: u64 = 16 * 1024;

/// What the prolog and root start tag say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prolog {
    /// The DOCTYPE name, if there is a DOCTYPE.
    pub doctype_name: Option<String>,
    /// The DOCTYPE's system id.
    pub system_id: Option<String>,
    /// The root element's name.
    pub root: Option<String>,
    /// `xsi:noNamespaceSchemaLocation` of the root.
    pub no_namespace_schema_location: Option<String>,
    /// Why the root start tag could not be reached (not well-formed, not UTF-8, too long).
    pub problem: Option<String>,
}

impl Prolog {
    /// The schema URL the document names: the DOCTYPE system id first, else the root's
    /// `xsi:noNamespaceSchemaLocation`.
    pub fn schema_url(&self) -> Option<&str> {
        self.system_id
            .as_deref()
            .or(self.no_namespace_schema_location.as_deref())
    }

    /// Take the DOCTYPE's name and system id from its content (what follows `<!DOCTYPE`).
    fn set_doctype(&mut self, content: &[u8]) {
        let (name, system) = parse_doctype(&String::from_utf8_lossy(content));
        self.doctype_name = name;
        self.system_id = system;
    }
}

/// Read the start of `reader` until the root start tag (at most [`MAX_PROLOG`]) and sniff it.
pub fn sniff_reader<R: Read>(reader: R) -> std::io::Result<Prolog> {
    sniff_reader_within(reader, MAX_PROLOG)
}

/// [`sniff_reader`] reading at most `max` bytes.
fn sniff_reader_within<R: Read>(mut reader: R, max: u64) -> std::io::Result<Prolog> {
    let mut buf = Vec::new();
    let mut want = STEP.min(max);
    loop {
        let before = buf.len();
        (&mut reader).take(want).read_to_end(&mut buf)?;
        let eof = ((buf.len() - before) as u64) < want;
        let prolog = sniff(&buf, eof);
        if prolog.root.is_some() || prolog.problem.is_some() || eof {
            return Ok(prolog);
        }
        let held = buf.len() as u64;
        if held >= max {
            return Ok(Prolog {
                problem: Some(format!(
                    "no root start tag in the first {} MiB",
                    max / (1024 * 1024)
                )),
                ..prolog
            });
        }
        want = held.min(max - held);
    }
}

/// Sniff a prefix of a document. `complete` says whether `bytes` is the whole document (else
/// running out of bytes is not a problem, just "not found yet").
pub fn sniff(bytes: &[u8], complete: bool) -> Prolog {
    let mut p = Prolog::default();
    let mut xml = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    // Where `xml` started reading in `bytes` (it restarts after a re-cut DOCTYPE).
    let mut base = 0;
    loop {
        buf.clear();
        let before = base + usize::try_from(xml.buffer_position()).unwrap_or(usize::MAX);
        // (Not `read_event`: the engine's own reading inlines quick-xml's event parser while
        // it is its only user; callgrind counts 1.4% more instructions on finding-1MB when
        // this sniff shares it.)
        let event = xml.read_event_into(&mut buf);
        // quick-xml balances `<` and `>` inside a DOCTYPE's quoted literals and may read past
        // its end: cut it where it really ends and read on after it.
        if event.is_err() {
            let at = base + usize::try_from(xml.error_position()).unwrap_or(usize::MAX);
            if let Some((text, next)) = recut_doctype(bytes, at) {
                p.set_doctype(text);
                base = next;
                xml = Reader::from_reader(bytes.get(next..).unwrap_or_default());
                continue;
            }
        }
        match event {
            Ok(Event::DocType(t)) => {
                // quick-xml ends a DOCTYPE at the first `>` that balances its `<`s, which can
                // be inside a comment, a processing instruction or an entity value of the
                // internal subset: cut it where it really ends and read on after it.
                match recut_doctype(bytes, before) {
                    Some((text, next)) => {
                        p.set_doctype(text);
                        base = next;
                        xml = Reader::from_reader(bytes.get(next..).unwrap_or_default());
                    }
                    // Its real end is not read yet.
                    None if !complete
                        && bytes
                            .get(before..)
                            .is_some_and(|b| b.starts_with(b"<!DOCTYPE")) =>
                    {
                        return p
                    }
                    None => p.set_doctype(&t),
                }
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                p.root = Some(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                let mut xsi_prefixes = Vec::new();
                let mut candidates = Vec::new();
                for attr in e.attributes().flatten() {
                    let key = String::from_utf8_lossy(attr.key.as_ref());
                    let value = attr
                        .unescape_value()
                        .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value));
                    if let Some(prefix) = key.strip_prefix("xmlns:") {
                        if value == XSI {
                            xsi_prefixes.push(prefix.to_string());
                        }
                    } else if let Some((prefix, local)) = key.split_once(':') {
                        if local == "noNamespaceSchemaLocation" {
                            candidates.push((prefix.to_string(), value.into_owned()));
                        }
                    }
                }
                p.no_namespace_schema_location = candidates
                    .into_iter()
                    .find(|(prefix, _)| xsi_prefixes.contains(prefix))
                    .map(|(_, v)| {
                        if v.contains(char::is_whitespace) {
                            v.split_whitespace().collect()
                        } else {
                            v
                        }
                    });
                return p;
            }
            Ok(Event::Eof) => {
                if complete {
                    p.problem = Some("no root element".to_string());
                }
                return p;
            }
            Ok(_) => {}
            Err(e) => {
                // A cut-off prefix ends in the middle of a construct: read more first.
                if complete {
                    p.problem = Some(e.to_string());
                }
                return p;
            }
        }
    }
}

/// The content of a DOCTYPE declaration starting at `at` in `bytes` and the offset after it,
/// when its real end is in `bytes`.
fn recut_doctype(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let after = bytes.get(at..)?.strip_prefix(b"<!DOCTYPE")?;
    let end = qschema_validator::engine::doctype_end(after)?;
    Some((after.get(..end)?, at + "<!DOCTYPE".len() + end + 1))
}

/// `NAME SYSTEM "url" [...]` / `NAME PUBLIC "pub" "url"` -> (name, system id), through the
/// DTD front end's DOCTYPE splitter. A malformed declaration yields nothing here: the engine
/// reports it, located, when it validates the document.
fn parse_doctype(text: &str) -> (Option<String>, Option<String>) {
    match qschema_model::dtd::parse_doctype(text) {
        Ok(d) => (
            Some(d.name).filter(|n| !n.is_empty()),
            d.system_id.map(|s| s.trim().to_string()),
        ),
        Err(_) => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_prolog_is_read_to_its_root_as_the_in_memory_sniff_reads_it() {
        let doc = format!(
            "<?xml version=\"1.0\"?><!--{}--><r xmlns:xsi=\"{XSI}\" xsi:noNamespaceSchemaLocation=\"https://x/y.xsd\"/>",
            "x".repeat(3 * 1024 * 1024)
        );
        let streamed = sniff_reader(doc.as_bytes()).expect("read");
        assert_eq!(streamed, sniff(doc.as_bytes(), true));
        assert_eq!(streamed.root.as_deref(), Some("r"));
        let capped = sniff_reader_within(doc.as_bytes(), 1024 * 1024).expect("read");
        assert_eq!(
            capped.problem.as_deref(),
            Some("no root start tag in the first 1 MiB")
        );
    }

    #[test]
    fn finds_doctype_system_id() {
        let p = sniff(
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE A SYSTEM \"https://x/a.dtd\" [ <!ENTITY e \"v\"> ]>\n<A/>",
            true,
        );
        assert_eq!(p.doctype_name.as_deref(), Some("A"));
        assert_eq!(p.schema_url(), Some("https://x/a.dtd"));
        assert_eq!(p.root.as_deref(), Some("A"));
    }

    #[test]
    fn finds_public_doctype() {
        let (n, s) = parse_doctype("B PUBLIC '-//X//EN' \"b.dtd\"");
        assert_eq!(n.as_deref(), Some("B"));
        assert_eq!(s.as_deref(), Some("b.dtd"));
    }

    #[test]
    fn finds_no_namespace_schema_location_only_when_bound_to_xsi() {
        let ok = sniff(
            br#"<R xmlns:x="http://www.w3.org/2001/XMLSchema-instance" x:noNamespaceSchemaLocation="https://q/f.xsd"><a/></R>"#,
            true,
        );
        assert_eq!(ok.schema_url(), Some("https://q/f.xsd"));
        let unbound = sniff(
            br#"<R xmlns:x="http://example.org/" x:noNamespaceSchemaLocation="https://q/f.xsd"/>"#,
            true,
        );
        assert_eq!(unbound.schema_url(), None);
        assert_eq!(unbound.root.as_deref(), Some("R"));
    }

    #[test]
    fn keeps_the_system_id_when_the_internal_subset_has_a_gt_in_markup() {
        for subset in [
            "<!-- a > b -->",
            "<!-- ]> -->",
            "<?pi > ?>",
            "<!ENTITY x \"a>b\">",
        ] {
            let doc = format!("<!DOCTYPE A SYSTEM \"https://x/a.dtd\" [\n{subset}\n]>\n<A/>");
            let whole = sniff(doc.as_bytes(), true);
            assert_eq!(whole.schema_url(), Some("https://x/a.dtd"), "{subset}");
            assert_eq!(whole.root.as_deref(), Some("A"), "{subset}");
            assert_eq!(whole.problem, None, "{subset}");
            let streamed = sniff_reader(doc.as_bytes()).expect("read");
            assert_eq!(streamed, whole, "{subset}");
        }
    }

    #[test]
    fn reads_past_a_doctype_with_a_lone_lt_in_a_literal() {
        let doc =
            "<!DOCTYPE doc SYSTEM \"d.dtd\" [\n<!ENTITY e \"<foo/&#62;\">\n]>\n<doc>&e;</doc>\n";
        let p = sniff(doc.as_bytes(), true);
        assert_eq!(p.problem, None);
        assert_eq!(p.doctype_name.as_deref(), Some("doc"));
        assert_eq!(p.system_id.as_deref(), Some("d.dtd"));
        assert_eq!(p.root.as_deref(), Some("doc"));
    }

    #[test]
    fn incomplete_prefix_is_not_a_problem() {
        let p = sniff(b"<?xml version=\"1.0\"?>\n<!DOCTYPE A SYS", false);
        assert_eq!(p, Prolog::default());
        let q = sniff(b"<?xml version=\"1.0\"?>\n<!DOCTYPE A SYS", true);
        assert!(q.problem.is_some());
    }
}
