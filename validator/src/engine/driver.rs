//! The streaming pass: reads quick-xml events through a [`TrackedReader`], checks
//! well-formedness (with namespaces), expands references, and hands elements, attributes and
//! text to the [`Validator`]. No recursion per element: the open elements are a `Vec`.

use std::io::BufRead;
use std::path::Path;

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use qschema_model::Resolver;

use super::chars::{is_name, is_qname, is_xml_space};
use super::compile::CompiledSchema;
use super::doctype::{self, DocumentSchema};
use indexmap::IndexMap;
use qschema_model::EntityDecl;

/// General entities in force.
type Entities<'e> = Option<&'e IndexMap<String, EntityDecl>>;
use super::entities::{Context, Expander, Piece, RefProblem};
use super::input::{InputProblem, TrackedReader, OVER_LIMIT};
use super::namespaces::{split_qname, Namespaces, XMLNS_NS, XML_NS};
use super::options::{DocumentInput, Options};
use super::sink::{error, Abort, Sink};
use super::validate::{Attr, StartTag, Validator};
use crate::path::PathTracker;
use crate::report::{rules, Report};

/// One open element, for well-formedness.
struct Open {
    qname: String,
    line: u32,
    bindings: usize,
}

/// Mutable state of the pass (everything but the reader and the schema in force).
pub(crate) struct Pass<'a> {
    pub opts: &'a Options,
    pub sink: Sink,
    pub path: PathTracker,
    pub ns: Namespaces,
    open: Vec<Open>,
    root_done: bool,
    root_seen: bool,
    events_seen: usize,
    expansions: usize,
    expanded_bytes: usize,
    doc_dir: Option<std::path::PathBuf>,
    /// Whether an external DTD is in force (then an undeclared entity is a validity error,
    /// not a well-formedness error).
    external_dtd: bool,
    /// Names of the entities with markup being parsed in place, innermost last.
    entity_stack: Vec<String>,
    pub validator: Validator,
}

/// Positions inside an entity's replacement text: all at the reference.
struct Fixed((u32, u32));

impl Positions for Fixed {
    fn at(&self, _offset: u64) -> (u32, u32) {
        self.0
    }
}

/// Entities with markup nest at most this deep.
const MAX_MARKUP_ENTITY_DEPTH: usize = 32;

/// Offsets to positions, for the current event.
pub(crate) trait Positions {
    /// `(line, column)` of an absolute byte offset in the current event.
    fn at(&self, offset: u64) -> (u32, u32);
}

impl<R: BufRead> Positions for TrackedReader<R> {
    fn at(&self, offset: u64) -> (u32, u32) {
        self.position(offset)
    }
}

/// Run the pass.
pub(crate) fn run<R: BufRead>(
    reader: R,
    doc: &DocumentInput,
    given: Option<&CompiledSchema>,
    resolver: &dyn Resolver,
    opts: &Options,
) -> Report {
    let limit = opts
        .max_attribute_bytes
        .max(opts.max_text_bytes)
        .saturating_add(64 * 1024);
    let mut xml = Reader::from_reader(TrackedReader::new(reader, limit));
    {
        let c = xml.config_mut();
        c.check_end_names = false;
        c.check_comments = true;
        c.expand_empty_elements = false;
        c.trim_text(false);
        c.allow_unmatched_ends = true;
        c.trim_markup_names_in_closing_tags = true;
    }
    let mut pass = Pass {
        opts,
        sink: Sink::new(opts.max_errors),
        path: PathTracker::new(),
        ns: Namespaces::default(),
        open: Vec::new(),
        root_done: false,
        root_seen: false,
        events_seen: 0,
        expansions: 0,
        expanded_bytes: 0,
        doc_dir: doc.path.and_then(Path::parent).map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
            .to_path_buf()
        }),
        external_dtd: given.is_some_and(|g| g.schema().kind == qschema_model::SchemaKind::Dtd),
        entity_stack: Vec::new(),
        validator: Validator::new(),
    };
    let mut own: Option<DocumentSchema> = None;
    let mut announced = false;
    let mut buf = Vec::new();
    let mut prev_text = false;
    loop {
        let schema: Option<&CompiledSchema> = own.as_ref().and_then(|d| d.schema()).or(given);
        let entities: Entities = own
            .as_ref()
            .and_then(|d| d.entities.as_ref())
            .or(schema.map(|s| &s.schema().entities));
        xml.get_mut().begin_event();
        buf.clear();
        let result = xml.read_event_into(&mut buf);
        // quick-xml may cut a DOCTYPE short (see `doctype::complete`).
        let mut doctype_text: Option<Result<Vec<u8>, String>> = None;
        if let Ok(Event::DocType(t)) = &result {
            let mut bytes = t.to_vec();
            doctype_text = Some(
                doctype::complete(xml.get_mut(), &mut bytes, opts.max_text_bytes).map(|()| bytes),
            );
        }
        let problem = if matches!(result, Ok(Event::Eof)) {
            xml.get_mut().finish()
        } else {
            xml.get_mut().scan()
        };
        let tr = xml.get_ref();
        let markup_start = if prev_text {
            tr.window_start().saturating_sub(1)
        } else {
            tr.window_start()
        };
        if let Some(p) = problem {
            input_problem(&mut pass, tr, p);
            break;
        }
        let event = match result {
            Ok(e) => e,
            Err(e) => {
                xml_error(&mut pass, tr, e, markup_start);
                break;
            }
        };
        prev_text = matches!(event, Event::Text(_));
        let first = pass.events_seen == 0;
        pass.events_seen += 1;
        // The schema's findings are reported once the schema in force is known (after the
        // prolog's DOCTYPE).
        if !announced
            && !matches!(
                event,
                Event::Decl(_) | Event::DocType(_) | Event::Comment(_) | Event::PI(_)
            )
        {
            announced = true;
            pass.validator.announce_schema(schema, &mut pass.sink);
        }
        let outcome = match event {
            Event::Decl(d) => decl(&mut pass, tr, &d, markup_start, first),
            Event::DocType(_) => {
                if pass.root_seen || own.is_some() {
                    Err(fatal_at(
                        &mut pass,
                        tr.at(markup_start),
                        "DOCTYPE improperly placed".to_string(),
                    ))
                } else {
                    match doctype_text.take() {
                        Some(Ok(bytes)) => {
                            let text = String::from_utf8_lossy(&bytes).into_owned();
                            let text_offset = markup_start + "<!DOCTYPE".len() as u64;
                            match doctype::load(&text, tr.at(text_offset), doc, given, resolver) {
                                Ok(d) => {
                                    pass.validator
                                        .set_doctype(d.names_root.then(|| d.name.clone()));
                                    own = Some(d);
                                    Ok(())
                                }
                                Err((pos, message)) => Err(fatal_at(&mut pass, pos, message)),
                            }
                        }
                        Some(Err(message)) => {
                            Err(fatal_at(&mut pass, tr.at(markup_start), message))
                        }
                        None => Ok(()),
                    }
                }
            }
            Event::Start(s) => start(&mut pass, tr, schema, entities, &s, markup_start, false),
            Event::Empty(s) => start(&mut pass, tr, schema, entities, &s, markup_start, true),
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                end(&mut pass, tr, schema, &name, markup_start)
            }
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(&t).into_owned();
                text(&mut pass, tr, schema, entities, &raw, tr.window_start())
            }
            Event::CData(t) => {
                let raw = String::from_utf8_lossy(&t).into_owned();
                if pass.open.is_empty() {
                    Err(fatal_at(
                        &mut pass,
                        tr.at(markup_start),
                        "CData section not allowed outside the root element".into(),
                    ))
                } else {
                    let pos = tr.at(markup_start);
                    pass.validator
                        .text(schema, &raw, pos, &mut pass.sink, &pass.path, pass.opts);
                    Ok(())
                }
            }
            Event::PI(p) => {
                let content = String::from_utf8_lossy(&p).into_owned();
                let target = content
                    .split(|c: char| is_xml_space(c))
                    .next()
                    .unwrap_or("");
                if target.eq_ignore_ascii_case("xml") {
                    Err(fatal_at(
                        &mut pass,
                        tr.at(markup_start),
                        "XML declaration allowed only at the start of the document".into(),
                    ))
                } else if !is_name(target) {
                    Err(fatal_at(
                        &mut pass,
                        tr.at(markup_start),
                        format!(
                            "xmlParsePI : no target name in '<?{}'",
                            super::messages::short(&content)
                        ),
                    ))
                } else {
                    Ok(())
                }
            }
            Event::Comment(_) => Ok(()),
            Event::Eof => {
                let _ = eof(&mut pass, tr, schema);
                break;
            }
        };
        if outcome.is_err() {
            break;
        }
    }
    pass.sink.into_report()
}

/// Record a fatal well-formedness error at `pos`.
pub(crate) fn fatal_at(pass: &mut Pass, pos: (u32, u32), message: String) -> Abort {
    let path = pass.path.current();
    pass.sink.fatal(error(
        pos,
        path,
        rules::NOT_WELL_FORMED,
        message,
        None,
        None,
        None,
    ))
}

fn input_problem<R: BufRead>(pass: &mut Pass, tr: &TrackedReader<R>, p: InputProblem) {
    let path = pass.path.current();
    let e = match p {
        InputProblem::InvalidUtf8 { offset: 0, bytes } if matches!(bytes.first(), Some(0xFF | 0xFE)) => error(
            (1, 1),
            path,
            rules::ENCODING,
            "Document starts with a UTF-16 byte order mark: only UTF-8 documents are supported (convert the document to UTF-8)".to_string(),
            Some("UTF-16".to_string()),
            Some("UTF-8".to_string()),
            None,
        ),
        InputProblem::InvalidChar { offset: 0 | 1, code: 0 } => error(
            (1, 1),
            path,
            rules::ENCODING,
            "Document looks like UTF-16 (NUL bytes at its start): only UTF-8 documents are supported (convert the document to UTF-8)".to_string(),
            Some("UTF-16".to_string()),
            Some("UTF-8".to_string()),
            None,
        ),
        InputProblem::InvalidUtf8 { offset, bytes } => {
            let shown: Vec<String> = bytes.iter().map(|b| format!("0x{b:02X}")).collect();
            error(
                tr.at(offset),
                path,
                rules::ENCODING,
                format!(
                    "Input is not proper UTF-8, indicate encoding ! Bytes: {}",
                    shown.join(" ")
                ),
                Some(shown.join(" ")),
                Some("UTF-8".to_string()),
                None,
            )
        }
        InputProblem::InvalidChar { offset, code } => error(
            tr.at(offset),
            path,
            rules::NOT_WELL_FORMED,
            format!("Char 0x{code:X} out of allowed range"),
            Some(format!("U+{code:04X}")),
            Some("an XML 1.0 character".to_string()),
            None,
        ),
    };
    pass.sink.fatal(e);
}

fn xml_error<R: BufRead>(pass: &mut Pass, tr: &TrackedReader<R>, e: XmlError, markup_start: u64) {
    let pos = tr.at(markup_start);
    let (rule, message) = match e {
        XmlError::Io(io) if tr.over_limit() || io.to_string().contains(OVER_LIMIT) => (
            rules::LIMIT,
            format!(
                "A single tag, text run, comment or CDATA section exceeds {} bytes (max_attribute_bytes / max_text_bytes)",
                tr.limit()
            ),
        ),
        XmlError::Io(io) => (rules::NOT_WELL_FORMED, format!("I/O error while reading: {io}")),
        XmlError::Syntax(s) => (
            rules::NOT_WELL_FORMED,
            match s {
                SyntaxError::UnclosedTag => "Couldn't find end of Start Tag".to_string(),
                SyntaxError::UnclosedComment => "Comment not terminated".to_string(),
                SyntaxError::UnclosedCData => "CData section not finished".to_string(),
                SyntaxError::UnclosedDoctype => "DOCTYPE not finished".to_string(),
                SyntaxError::UnclosedPIOrXmlDecl => "ParsePI: PI not finished".to_string(),
                SyntaxError::InvalidBangMarkup => "StartTag: invalid element name".to_string(),
            },
        ),
        XmlError::IllFormed(i) => (
            rules::NOT_WELL_FORMED,
            match i {
                IllFormedError::DoubleHyphenInComment => {
                    "Double hyphen within comment".to_string()
                }
                IllFormedError::MissingDeclVersion(_) => {
                    "Malformed declaration expecting version".to_string()
                }
                IllFormedError::MissingDoctypeName => {
                    "xmlParseDocTypeDecl : no DOCTYPE name !".to_string()
                }
                other => other.to_string(),
            },
        ),
        other => (rules::NOT_WELL_FORMED, other.to_string()),
    };
    let path = pass.path.current();
    pass.sink
        .fatal(error(pos, path, rule, message, None, None, None));
}

fn decl<R: BufRead>(
    pass: &mut Pass,
    tr: &TrackedReader<R>,
    d: &quick_xml::events::BytesDecl,
    at: u64,
    first: bool,
) -> Result<(), Abort> {
    let pos = tr.at(at);
    if !first {
        return Err(fatal_at(
            pass,
            pos,
            "XML declaration allowed only at the start of the document".into(),
        ));
    }
    let raw: &[u8] = d;
    let content = String::from_utf8_lossy(raw).into_owned();
    let decl = match super::xml_decl::parse(&content) {
        Ok(decl) => decl,
        Err((offset, message)) => {
            return Err(fatal_at(pass, tr.at(at + 2 + offset as u64), message));
        }
    };
    if let Some(enc) = decl.encoding {
        let ok = ["utf-8", "utf8", "us-ascii", "ascii"]
            .iter()
            .any(|e| enc.eq_ignore_ascii_case(e));
        if !ok {
            let path = pass.path.current();
            return Err(pass.sink.fatal(error(
                pos,
                path,
                rules::ENCODING,
                format!(
                    "Unsupported encoding '{enc}': only UTF-8 documents are supported (convert the document to UTF-8)"
                ),
                Some(enc),
                Some("UTF-8".to_string()),
                None,
            )));
        }
    }
    Ok(())
}

/// Expand references in `raw` (document offset `base`), reporting problems.
fn expand(
    pass: &mut Pass,
    tr: &dyn Positions,
    entities: Entities,
    raw: &str,
    base: u64,
    ctx: Context,
    emit: &mut dyn FnMut(Piece),
) -> Result<(), Abort> {
    let mut x = Expander {
        entities,
        doc_dir: pass.doc_dir.clone(),
        opts: pass.opts,
        expansions: pass.expansions,
        expanded_bytes: pass.expanded_bytes,
        undeclared_is_fatal: !pass.external_dtd,
        outer: &pass.entity_stack,
    };
    let mut notes: Vec<RefProblem> = Vec::new();
    let result = x.expand(raw, ctx, emit, &mut notes);
    pass.expansions = x.expansions;
    pass.expanded_bytes = x.expanded_bytes;
    for n in notes {
        let path = pass.path.current();
        pass.sink.push(error(
            tr.at(base + n.offset as u64),
            path,
            n.rule,
            n.message,
            None,
            None,
            None,
        ));
    }
    match result {
        Ok(()) => Ok(()),
        Err(p) => {
            let path = pass.path.current();
            Err(pass.sink.fatal(error(
                tr.at(base + p.offset as u64),
                path,
                p.rule,
                p.message,
                None,
                None,
                None,
            )))
        }
    }
}

fn text(
    pass: &mut Pass,
    tr: &dyn Positions,
    schema: Option<&CompiledSchema>,
    entities: Entities,
    raw: &str,
    base: u64,
) -> Result<(), Abort> {
    if let Some(i) = raw.find("]]>") {
        return Err(fatal_at(
            pass,
            tr.at(base + i as u64),
            "Sequence ']]>' not allowed in content".into(),
        ));
    }
    if pass.open.is_empty() {
        if let Some(i) = raw.find(|c: char| !is_xml_space(c)) {
            let message = if pass.root_done {
                "Extra content at the end of the document"
            } else {
                "Start tag expected, '<' not found"
            };
            return Err(fatal_at(pass, tr.at(base + i as u64), message.into()));
        }
        return Ok(());
    }
    let pos = tr.at(base);
    let mut pieces: Vec<Owned> = Vec::new();
    let mut total = 0usize;
    let cap = pass.opts.max_text_bytes.saturating_add(1);
    expand(
        pass,
        tr,
        entities,
        raw,
        base,
        Context::Content,
        &mut |p: Piece| match p {
            Piece::Text(s) => {
                // Keep only what the validator can use: simple content is capped anyway.
                if total < cap {
                    let take = s.len().min(cap - total);
                    let mut end = take;
                    while !s.is_char_boundary(end) {
                        end -= 1;
                    }
                    pieces.push(Owned::Text(s[..end].to_string()));
                    total += end;
                } else {
                    total = total.saturating_add(s.len());
                }
            }
            Piece::Markup { name, text, at } => {
                pieces.push(Owned::Markup(name.to_string(), text.to_string(), at));
            }
        },
    )?;
    for p in pieces {
        match p {
            Owned::Text(t) => {
                pass.validator
                    .text(schema, &t, pos, &mut pass.sink, &pass.path, pass.opts)
            }
            Owned::Markup(name, text, at) => {
                let at = tr.at(base + at as u64);
                markup_entity(pass, schema, entities, &name, &text, at)?;
            }
        }
    }
    if total >= cap {
        pass.validator
            .text_overflow(pos, &mut pass.sink, &pass.path, pass.opts);
    }
    Ok(())
}

/// An owned [`Piece`].
enum Owned {
    Text(String),
    Markup(String, String, usize),
}

/// Parse the replacement text of entity `name` (it contains markup) as content, in place of
/// its reference at `pos`: every event goes through the same checks, positioned at the reference.
fn markup_entity(
    pass: &mut Pass,
    schema: Option<&CompiledSchema>,
    entities: Entities,
    name: &str,
    replacement: &str,
    pos: (u32, u32),
) -> Result<(), Abort> {
    if pass.entity_stack.len() >= MAX_MARKUP_ENTITY_DEPTH {
        let path = pass.path.current();
        return Err(pass.sink.fatal(error(
            pos,
            path,
            rules::LIMIT,
            format!("Entities containing markup are nested more than {MAX_MARKUP_ENTITY_DEPTH} deep (entity '{name}')"),
            None,
            None,
            None,
        )));
    }
    if let Some(c) = replacement.chars().find(|&c| !super::input::is_xml_char(c)) {
        return Err(fatal_at(
            pass,
            pos,
            format!(
                "Char 0x{:X} out of allowed range in entity '{name}'",
                c as u32
            ),
        ));
    }
    let fixed = Fixed(pos);
    let depth = pass.open.len();
    let mut reader = Reader::from_str(replacement);
    {
        let c = reader.config_mut();
        c.check_end_names = false;
        c.check_comments = true;
        c.expand_empty_elements = false;
        c.trim_text(false);
        c.allow_unmatched_ends = true;
    }
    pass.entity_stack.push(name.to_string());
    let result = loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                break Err(fatal_at(
                    pass,
                    pos,
                    format!("in the replacement text of entity '{name}': {e}"),
                ))
            }
        };
        let step = match event {
            Event::Start(s) => start(pass, &fixed, schema, entities, &s, 0, false),
            Event::Empty(s) => start(pass, &fixed, schema, entities, &s, 0, true),
            Event::End(e) => {
                let end_name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if pass.open.len() <= depth {
                    Err(fatal_at(pass, pos, format!("Entity '{name}' is not balanced: </{end_name}> closes an element opened outside it")))
                } else {
                    end(pass, &fixed, schema, &end_name, 0)
                }
            }
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(&t).into_owned();
                text(pass, &fixed, schema, entities, &raw, 0)
            }
            Event::CData(t) => {
                let raw = String::from_utf8_lossy(&t).into_owned();
                pass.validator
                    .text(schema, &raw, pos, &mut pass.sink, &pass.path, pass.opts);
                Ok(())
            }
            Event::Comment(_) | Event::PI(_) => Ok(()),
            Event::Decl(_) | Event::DocType(_) => Err(fatal_at(
                pass,
                pos,
                format!("Entity '{name}': an XML or document type declaration is not allowed in content"),
            )),
            Event::Eof => break Ok(()),
        };
        if let Err(a) = step {
            break Err(a);
        }
    };
    pass.entity_stack.pop();
    result?;
    if pass.open.len() != depth {
        let open = pass
            .open
            .last()
            .map(|o| o.qname.clone())
            .unwrap_or_default();
        return Err(fatal_at(
            pass,
            pos,
            format!("Entity '{name}' is not balanced: <{open}> is not closed inside it"),
        ));
    }
    Ok(())
}

fn attr_error_message(e: &AttrError) -> (usize, String) {
    match *e {
        AttrError::ExpectedEq(p) => (p, "Specification mandates value for attribute".to_string()),
        AttrError::ExpectedValue(p) => (p, "AttValue: \" or ' expected".to_string()),
        AttrError::UnquotedValue(p) => (p, "AttValue: \" or ' expected".to_string()),
        AttrError::ExpectedQuote(p, _) => (p, "AttValue: ' expected".to_string()),
        AttrError::Duplicated(p, _) => (p, "Attribute redefined".to_string()),
    }
}

fn start(
    pass: &mut Pass,
    tr: &dyn Positions,
    schema: Option<&CompiledSchema>,
    entities: Entities,
    s: &BytesStart,
    tag_off: u64,
    empty: bool,
) -> Result<(), Abort> {
    let tag_pos = tr.at(tag_off);
    let qname = String::from_utf8_lossy(s.name().as_ref()).into_owned();
    if pass.open.len() >= pass.opts.max_depth {
        let path = pass.path.current();
        return Err(pass.sink.fatal(error(
            tag_pos,
            path,
            rules::LIMIT,
            format!(
                "Excessive depth in document: more than {} nested elements (max_depth)",
                pass.opts.max_depth
            ),
            Some(qname),
            None,
            None,
        )));
    }
    if !is_name(&qname) {
        return Err(fatal_at(
            pass,
            tag_pos,
            format!(
                "StartTag: invalid element name '{}'",
                super::messages::short(&qname)
            ),
        ));
    }
    if pass.open.is_empty() && pass.root_done {
        return Err(fatal_at(
            pass,
            tag_pos,
            "Extra content at the end of the document".into(),
        ));
    }
    if !is_qname(&qname) {
        return Err(fatal_at(
            pass,
            tag_pos,
            format!("Failed to parse QName '{qname}'"),
        ));
    }
    // Attributes: syntax, names, values (normalized, references expanded).
    let raw_tag: &[u8] = s;
    let content_start = raw_tag.as_ptr() as usize;
    let mut attrs: Vec<Attr> = Vec::new();
    for a in s.attributes().with_checks(true) {
        let a = match a {
            Ok(a) => a,
            Err(e) => {
                let (rel, mut message) = attr_error_message(&e);
                if let AttrError::Duplicated(p, _) = e {
                    let rest = raw_tag.get(p..).unwrap_or_default();
                    let name: String = String::from_utf8_lossy(rest)
                        .chars()
                        .take_while(|&c| c != '=' && !is_xml_space(c))
                        .collect();
                    message = format!("Attribute {name} redefined");
                }
                return Err(fatal_at(pass, tr.at(tag_off + 1 + rel as u64), message));
            }
        };
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let key_rel = (a.key.as_ref().as_ptr() as usize).wrapping_sub(content_start);
        let key_off = tag_off + 1 + key_rel as u64;
        let key_pos = tr.at(key_off);
        if !is_name(&key) {
            return Err(fatal_at(
                pass,
                key_pos,
                format!(
                    "error parsing attribute name '{}'",
                    super::messages::short(&key)
                ),
            ));
        }
        if !is_qname(&key) {
            return Err(fatal_at(
                pass,
                key_pos,
                format!("Failed to parse QName '{key}'"),
            ));
        }
        let raw_bytes: &[u8] = &a.value;
        if raw_bytes.len() > pass.opts.max_attribute_bytes {
            let path = pass.path.current();
            return Err(pass.sink.fatal(error(
                key_pos,
                path,
                rules::LIMIT,
                format!(
                    "Attribute {key} is longer than {} bytes (max_attribute_bytes)",
                    pass.opts.max_attribute_bytes
                ),
                None,
                None,
                None,
            )));
        }
        let raw = String::from_utf8_lossy(raw_bytes).into_owned();
        let value_rel = (raw_bytes.as_ptr() as usize).wrapping_sub(content_start);
        // After the closing quote: white space or the end of the tag.
        let after = value_rel.saturating_add(raw_bytes.len()).saturating_add(1);
        if raw_tag
            .get(after)
            .is_some_and(|&c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            return Err(fatal_at(
                pass,
                tr.at(tag_off + 1 + after as u64),
                "attributes construct error: white space is required between attributes".into(),
            ));
        }
        let value_off = tag_off + 1 + value_rel as u64;
        if let Some(i) = raw.find('<') {
            return Err(fatal_at(
                pass,
                tr.at(value_off + i as u64),
                "Unescaped '<' not allowed in attributes values".into(),
            ));
        }
        let mut value = String::new();
        let mut too_long = false;
        let max = pass.opts.max_attribute_bytes;
        expand(
            pass,
            tr,
            entities,
            &raw,
            value_off,
            Context::Attribute,
            &mut |piece: Piece| {
                let Piece::Text(p) = piece else { return };
                if value.len() + p.len() > max {
                    too_long = true;
                } else {
                    value.push_str(p);
                }
            },
        )?;
        if too_long {
            let path = pass.path.current();
            return Err(pass.sink.fatal(error(
                key_pos,
                path,
                rules::LIMIT,
                format!("Attribute {key} is longer than {max} bytes after entity expansion (max_attribute_bytes)"),
                None,
                None,
                None,
            )));
        }
        attrs.push(Attr {
            qname: key,
            namespace: None,
            value,
            pos: key_pos,
        });
    }
    // Namespace declarations of this element.
    let mut bindings = 0;
    for a in &attrs {
        let (prefix, local) = split_qname(&a.qname);
        let declared = if a.qname == "xmlns" {
            Some("")
        } else if prefix == "xmlns" {
            Some(local)
        } else {
            None
        };
        let Some(p) = declared else { continue };
        if p == "xmlns"
            || (p == "xml" && a.value != XML_NS)
            || (p != "xml" && a.value == XML_NS)
            || a.value == XMLNS_NS
        {
            let pos = a.pos;
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                pos,
                format!(
                    "xmlns: reserved prefix or namespace in '{}=\"{}\"'",
                    a.qname, a.value
                ),
            ));
        }
        if !p.is_empty() && a.value.is_empty() {
            let pos = a.pos;
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                pos,
                format!("xmlns:{p}: Empty XML namespace is not allowed"),
            ));
        }
        if p != "xml" {
            pass.ns.push(p, &a.value);
            bindings += 1;
        }
    }
    let (prefix, local) = split_qname(&qname);
    let element_ns = match pass.ns.resolve(prefix) {
        Some(ns) => ns.map(str::to_string),
        None => {
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                tag_pos,
                format!("Namespace prefix {prefix} on {local} is not defined"),
            ));
        }
    };
    for i in 0..attrs.len() {
        let (prefix, local) = split_qname(&attrs[i].qname);
        let (prefix, local) = (prefix.to_string(), local.to_string());
        if attrs[i].qname == "xmlns" || prefix == "xmlns" {
            attrs[i].namespace = Some(XMLNS_NS.to_string());
            continue;
        }
        if prefix.is_empty() {
            continue;
        }
        match pass.ns.resolve(&prefix) {
            Some(ns) => attrs[i].namespace = ns.map(str::to_string),
            None => {
                let pos = attrs[i].pos;
                pass.ns.pop(bindings);
                return Err(fatal_at(
                    pass,
                    pos,
                    format!("Namespace prefix {prefix} for {local} on {qname} is not defined"),
                ));
            }
        }
        let dup = attrs[..i].iter().any(|b| {
            b.namespace == attrs[i].namespace
                && split_qname(&b.qname).1 == local
                && b.namespace.is_some()
        });
        if dup {
            let pos = attrs[i].pos;
            let ns = attrs[i].namespace.clone().unwrap_or_default();
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                pos,
                format!("Namespaced Attribute {local} in '{ns}' redefined"),
            ));
        }
    }
    pass.root_seen = true;
    pass.path.push(&qname);
    pass.open.push(Open {
        qname: qname.clone(),
        line: tag_pos.0,
        bindings,
    });
    let tag = StartTag {
        qname: &qname,
        local,
        namespace: element_ns.as_deref(),
        pos: tag_pos,
        attrs: &attrs,
        is_root: pass.open.len() == 1,
    };
    pass.validator.start(
        schema,
        &tag,
        &pass.ns,
        &mut pass.sink,
        &pass.path,
        pass.opts,
    );
    if empty {
        close(pass, schema, tag_pos);
    }
    Ok(())
}

/// Close the innermost open element (validation end checks, path, namespaces).
fn close(pass: &mut Pass, schema: Option<&CompiledSchema>, end_pos: (u32, u32)) {
    pass.validator
        .end(schema, end_pos, &mut pass.sink, &pass.path, pass.opts);
    if let Some(o) = pass.open.pop() {
        pass.ns.pop(o.bindings);
    }
    pass.path.pop();
    if pass.open.is_empty() {
        pass.root_done = true;
    }
}

fn end(
    pass: &mut Pass,
    tr: &dyn Positions,
    schema: Option<&CompiledSchema>,
    name: &str,
    at: u64,
) -> Result<(), Abort> {
    let pos = tr.at(at);
    let Some(open) = pass.open.last() else {
        return Err(fatal_at(pass, pos, format!("Unexpected end tag : {name}")));
    };
    if open.qname != name {
        let message = format!(
            "Opening and ending tag mismatch: {} line {} and {name}",
            open.qname, open.line
        );
        return Err(fatal_at(pass, pos, message));
    }
    close(pass, schema, pos);
    Ok(())
}

fn eof<R: BufRead>(
    pass: &mut Pass,
    tr: &TrackedReader<R>,
    schema: Option<&CompiledSchema>,
) -> Result<(), Abort> {
    let pos = tr.at(tr.consumed());
    if let Some(open) = pass.open.last() {
        let message = format!(
            "Premature end of data in tag {} line {}",
            open.qname, open.line
        );
        return Err(fatal_at(pass, pos, message));
    }
    if !pass.root_seen {
        let message = if pass.events_seen <= 1 {
            "Document is empty"
        } else {
            "Start tag expected, '<' not found"
        };
        return Err(fatal_at(pass, pos, message.into()));
    }
    pass.validator.finish(schema, &mut pass.sink, pass.opts);
    Ok(())
}
