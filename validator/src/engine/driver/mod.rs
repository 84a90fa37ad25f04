//! The streaming pass: parses quick-xml events out of a [`TrackedReader`]'s buffer, checks
//! well-formedness (with namespaces), expands references, and hands elements, attributes and
//! text to the [`Validator`]. No recursion per element: the open elements are a `Vec`.

use crate::engine::chars::{is_name, is_xml_space};
use crate::engine::compile::CompiledSchema;
use crate::engine::doctype::{self, DocumentSchema};
use crate::engine::input::{TrackedReader, View};
use crate::engine::namespaces::Namespaces;
use crate::engine::observer::{ObservedStart, Observer};
use crate::engine::options::{DocumentInput, Options};
use crate::engine::sink::{error, Abort, Sink};
use crate::engine::validate::{NonText, Validator};
use crate::path::PathTracker;
use crate::report::{rules, Report};
use indexmap::IndexMap;
use qschema_model::EntityDecl;
use qschema_model::Resolver;
use quick_xml::events::Event;
use quick_xml::Reader;
use scratch::Scratch;
use std::borrow::Cow;
use std::io::BufRead;
use std::sync::Arc;

/// General entities in force.
type Entities<'e> = Option<&'e IndexMap<String, EntityDecl>>;

mod errors;
mod leaf;
mod markup_entity;
mod prolog;
mod scratch;
mod split;
mod start_tag;
mod text;

pub(crate) use split::source as split_source;

use errors::{input_problem, xml_error};
use leaf::{pass_over_layout, read_plain, Layout, Plain, Reading};
use markup_entity::markup_entity;
use prolog::decl;
use start_tag::start;
use text::{expand, ignores_layout, layout_before_markup, text};

/// One open element, for well-formedness (its name is the path tracker's innermost one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Open {
    /// Line of the start tag.
    line: u32,
    /// Namespace bindings the start tag declared.
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
    /// `standalone="yes"` in the XML declaration.
    standalone: bool,
    /// Names of the entities with markup being parsed in place, innermost last.
    entity_stack: Vec<String>,
    pub validator: Validator,
    /// Sees elements and text too (the Qualys rules).
    pub observer: Option<&'a mut dyn Observer>,
    /// The memory of the last start tag's attributes, reused by the next one.
    attr_memory: start_tag::AttrMemory,
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

    /// `bytes` as text without checking them again, when they lie in bytes already known to
    /// be UTF-8 (see [`View::known_text`]); `None` otherwise.
    fn known_text(&self, _bytes: &[u8]) -> Option<&str> {
        None
    }
}

impl Positions for View<'_> {
    fn at(&self, offset: u64) -> (u32, u32) {
        self.position(offset)
    }

    #[inline]
    fn known_text(&self, bytes: &[u8]) -> Option<&str> {
        View::known_text(self, bytes)
    }
}

/// `bytes` (of the current event) as text: borrowed from the bytes the run checked when they
/// are UTF-8 there, else checked now (and replaced where they are not UTF-8).
#[inline]
pub(super) fn text_of<'s>(tr: &'s dyn Positions, bytes: &'s [u8]) -> Cow<'s, str> {
    match tr.known_text(bytes) {
        Some(text) => Cow::Borrowed(text),
        None => crate::engine::chars::lossy(bytes),
    }
}

/// What the pass reads but never changes; shared by the threads of a split document.
pub(crate) struct Env<'a> {
    pub doc: &'a DocumentInput<'a>,
    pub given: Option<&'a CompiledSchema>,
    pub opts: &'a Options,
}

/// The reader side of a pass: the tracked input, and what the prolog set.
pub(crate) struct Cursor<R: BufRead> {
    input: TrackedReader<R>,
    /// The last event was an end tag that closed an element.
    after_end: bool,
    /// What the DOCTYPE contributes.
    own: Option<Arc<DocumentSchema>>,
    /// The schema's findings were reported.
    announced: bool,
}

impl<R: BufRead> Cursor<R> {
    /// A cursor at the start of `input` (or where a split document's part starts).
    fn new(input: TrackedReader<R>, own: Option<Arc<DocumentSchema>>, announced: bool) -> Self {
        Cursor {
            input,
            after_end: false,
            own,
            announced,
        }
    }
}

/// Run the pass (on several threads when `split` allows it, see [`split`]).
pub(crate) fn run<'a, R: BufRead>(
    reader: R,
    env: &Env<'a>,
    resolver: &dyn Resolver,
    observer: Option<&'a mut dyn Observer>,
    split: Option<split::Source<'_, '_>>,
) -> Report {
    let opts = env.opts;
    let limit = event_limit(opts);
    let mut scratch = Scratch::take();
    let read_buf = std::mem::take(&mut scratch.read_buf);
    let cur = Cursor::new(
        TrackedReader::with_buffer(reader, limit, read_buf),
        None,
        false,
    );
    let mut pass = Pass::new(
        env,
        std::mem::take(&mut scratch.path),
        Validator::with_pools(std::mem::take(&mut scratch.pools)),
        observer,
    );
    let cur = match split {
        Some(source) => split::run(cur, &mut pass, env, resolver, source),
        None => pump(cur, &mut pass, env, resolver, None),
    };
    scratch.read_buf = cur.input.into_buffer();
    scratch.path = pass.path;
    scratch.pools = pass.validator.into_pools();
    scratch.keep();
    pass.sink.into_report()
}

/// The most bytes one event may take.
fn event_limit(opts: &Options) -> usize {
    opts.max_attribute_bytes
        .max(opts.max_text_bytes)
        .saturating_add(64 * 1024)
}

impl<'a> Pass<'a> {
    /// The state before the first event.
    fn new(
        env: &Env<'a>,
        path: PathTracker,
        validator: Validator,
        observer: Option<&'a mut dyn Observer>,
    ) -> Pass<'a> {
        Pass {
            opts: env.opts,
            sink: Sink::new(env.opts.max_errors),
            path,
            ns: Namespaces::default(),
            open: Vec::new(),
            root_done: false,
            root_seen: false,
            events_seen: 0,
            expansions: 0,
            expanded_bytes: 0,
            doc_dir: env
                .doc
                .path
                .and_then(crate::engine::local_files::document_folder),
            external_dtd: env
                .given
                .is_some_and(|g| g.schema().kind == qschema_model::SchemaKind::Dtd),
            standalone: false,
            entity_stack: Vec::new(),
            validator,
            observer,
            attr_memory: start_tag::AttrMemory::default(),
        }
    }
}

/// What ends a run of events parsed from the bytes read so far.
enum RunEnd {
    /// The next event may go on past the bytes read: read more, then parse it again.
    Fill,
    /// Parse again from the next event's start (quick-xml read past a DOCTYPE's end).
    Restart,
    /// The end of the document, or a fatal error, or the hook said so.
    Stop,
}

/// The byte order mark, which quick-xml drops at the start of the bytes it is given.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Read and check events until the end of the document (or a fatal error), or until `hook`
/// returns true. `hook` (if any: a split document's) is called between events, after each end
/// tag that closed an element, with the offset of the next byte. The cursor is handed back
/// (its buffer is reused).
///
/// Events are parsed by quick-xml's slice reader straight out of the input's buffer, one run
/// of events per buffer fill: an event that reaches the end of the bytes read (it may go on
/// in the next ones) ends the run, more bytes are read, and a new run parses it again.
pub(crate) fn pump<R: BufRead>(
    cur: Cursor<R>,
    pass: &mut Pass,
    env: &Env,
    resolver: &dyn Resolver,
    mut hook: Option<&mut Hook>,
) -> Cursor<R> {
    let (opts, given) = (env.opts, env.given);
    let watching = hook.is_some();
    let Cursor {
        mut input,
        mut after_end,
        mut own,
        mut announced,
    } = cur;
    loop {
        let at_eof = input.at_eof();
        let (buf, track) = input.parts();
        let mut run = RunStart::at(buf, track.next_index(), at_eof, track.consumed() == 0);
        // What the run will parse, checked as UTF-8 at once: the events' names and texts are
        // then borrowed from it instead of each being checked on its own.
        let known = crate::engine::chars::utf8_prefix(buf.get(track.next_index()..));
        let mut xml = Reader::from_reader(buf.get(run.xml_start..).unwrap_or_default());
        configure(xml.config_mut());
        let end = loop {
            if after_end {
                after_end = false;
                if hook
                    .as_mut()
                    .is_some_and(|h| h(pass, track.consumed(), &own))
                {
                    break RunEnd::Stop;
                }
            }
            let (schema, entities) = in_force(&own, given);
            // Layout between elements that nothing takes is passed over without an event:
            // quick-xml, between two markup events here, is given the bytes after it.
            let mut reading = Reading::new(buf, track, known, &mut xml, &mut run);
            if let Layout::Problem = pass_over_layout(pass, &mut reading, schema) {
                break RunEnd::Stop;
            }
            track.begin_event(buf);
            let from = track.next_index();
            let (mut result, to) = parse_event(&mut xml, &mut run, buf, from);
            let limits = (track.limit(), opts.max_text_bytes);
            let (event_end, doctype) = match event_end(&result, to, buf, from, at_eof, limits) {
                End::At(end) => (end, None),
                End::Doctype(end, text) => {
                    if text.is_ok() {
                        // Its content is the pass's: quick-xml's is not used.
                        result = Ok(Event::DocType(quick_xml::events::BytesText::from_escaped(
                            "",
                        )));
                    }
                    (end, Some(text))
                }
                End::Fill => break RunEnd::Fill,
                End::OverLimit => {
                    result = Err(over_limit_error());
                    (buf.len(), None)
                }
            };
            track.take(event_end);
            if result.is_ok() && track.over_limit() {
                result = Err(over_limit_error());
            }
            let problem = if matches!(result, Ok(Event::Eof)) {
                track.finish(buf)
            } else {
                track.scan(buf)
            };
            let tr = View::new(buf, track, known);
            let markup_start = tr.window_start();
            if let Some(p) = problem {
                input_problem(pass, &tr, p);
                break RunEnd::Stop;
            }
            let event = match result {
                Ok(e) => e,
                Err(e) => {
                    xml_error(pass, &tr, e, markup_start);
                    break RunEnd::Stop;
                }
            };
            // quick-xml read past a DOCTYPE whose end the pass found: parse again after it.
            let restart = matches!(doctype, Some(Ok(_)));
            let first = pass.events_seen == 0;
            let mut opened = false;
            pass.events_seen += 1;
            // The schema's findings are reported once the schema in force is known: at the
            // root element (after the prolog's DOCTYPE), or at the end of a document without
            // one.
            if !announced && matches!(event, Event::Start(_) | Event::Empty(_) | Event::Eof) {
                announced = true;
                pass.validator.announce_schema(schema, &mut pass.sink);
                if opts.require_dtd && schema.is_none() && !matches!(event, Event::Eof) {
                    no_dtd(pass, tr.at(markup_start));
                }
            }
            let outcome = match event {
                Event::Decl(d) => decl(pass, &tr, &d, markup_start, first),
                Event::DocType(_) => doctype_event(pass, &tr, doctype, &mut own, env, resolver),
                Event::Start(s) => {
                    let started = start(pass, &tr, schema, entities, &s, markup_start, false);
                    opened = started.is_ok();
                    started
                }
                Event::Empty(s) => start(pass, &tr, schema, entities, &s, markup_start, true),
                Event::End(e) => {
                    let closed = end(pass, &tr, schema, e.name().into_inner(), markup_start);
                    after_end = watching && closed.is_ok();
                    closed
                }
                Event::Text(t) => {
                    let raw = text_of(&tr, &t);
                    text(pass, &tr, schema, entities, &raw, markup_start)
                }
                Event::CData(t) => cdata(pass, &tr, schema, &t, markup_start),
                Event::PI(p) => pi(pass, &tr, schema, &p, markup_start),
                Event::Comment(_) => {
                    let (pos, comment) = (tr.at(markup_start), NonText::Comment);
                    pass.validator
                        .non_text(schema, comment, pos, &mut pass.sink, &pass.path);
                    Ok(())
                }
                Event::Eof => {
                    let _ = eof(pass, &tr, schema);
                    break RunEnd::Stop;
                }
            };
            if outcome.is_err() {
                break RunEnd::Stop;
            }
            if opened && leaf::enabled() {
                // Plain markup after a start tag is read without quick-xml (see `leaf`).
                let mut reading = Reading::new(buf, track, known, &mut xml, &mut run);
                let (schema, entities) = in_force(&own, given);
                let mut cx = leaf::Context {
                    schema,
                    entities,
                    own: &own,
                    hook: hook.as_deref_mut(),
                };
                if let Plain::Stop = read_plain(pass, &mut reading, &mut cx) {
                    break RunEnd::Stop;
                }
            }
            if restart {
                break RunEnd::Restart;
            }
        };
        match end {
            RunEnd::Stop => break,
            RunEnd::Restart => {}
            RunEnd::Fill => {
                if let Err(e) = input.fill() {
                    let tr = input.view();
                    let at = tr.window_start();
                    xml_error(pass, &tr, quick_xml::Error::Io(Arc::new(e)), at);
                    break;
                }
            }
        }
    }
    Cursor {
        input,
        after_end,
        own,
        announced,
    }
}

/// How long a DOCTYPE's content is (after the keyword, before the closing `>`), or why it has
/// no end.
type DoctypeText = Result<usize, String>;

/// The keyword the pass finds a DOCTYPE's end after.
const DOCTYPE: &[u8] = b"<!DOCTYPE";

/// How many bytes quick-xml may need after an error to be sure of it: `<!` at the end of the
/// bytes read is an error until the next byte says comment, CDATA or DOCTYPE.
const ERROR_LOOKAHEAD: usize = 2;

/// The schema in force (the DOCTYPE's, else the one given) and the general entities in force.
#[inline(always)]
fn in_force<'s>(
    own: &'s Option<Arc<DocumentSchema>>,
    given: Option<&'s CompiledSchema>,
) -> (Option<&'s CompiledSchema>, Entities<'s>) {
    let schema = own.as_ref().and_then(|d| d.schema()).or(given);
    let entities = own
        .as_ref()
        .and_then(|d| d.entities.as_ref())
        .or(schema.map(|s| &s.schema().entities));
    (schema, entities)
}

/// Where a run of events starts in the read buffer.
struct RunStart {
    /// quick-xml's bytes start here.
    xml_start: usize,
    /// Bytes quick-xml dropped at their start (a byte order mark), so its offsets are short.
    dropped: usize,
    /// A text the pass reads itself before quick-xml's bytes, ending here.
    own_text: Option<usize>,
}

impl RunStart {
    /// A run from buffer index `start`; `doc_start`: it is the document's first byte.
    ///
    /// quick-xml drops a byte order mark at the start of the bytes it is given, without
    /// counting it. At the start of the document that is what it is; further on it is a text
    /// that starts with U+FEFF, which the pass reads itself, and quick-xml starts at the `<`
    /// after it (with no `<` read yet, quick-xml gets nothing, which asks for more bytes).
    fn at(buf: &[u8], start: usize, at_eof: bool, doc_start: bool) -> RunStart {
        let bytes = buf.get(start..).unwrap_or_default();
        let plain = RunStart {
            xml_start: start,
            dropped: 0,
            own_text: None,
        };
        if !bytes.starts_with(BOM) {
            return plain;
        }
        if doc_start {
            return RunStart {
                dropped: BOM.len(),
                ..plain
            };
        }
        let lt = memchr::memchr(b'<', bytes).map_or(buf.len(), |i| start + i);
        RunStart {
            xml_start: lt,
            dropped: 0,
            own_text: (lt < buf.len() || at_eof).then_some(lt),
        }
    }
}

/// Where the event just parsed ends, as [`event_end`] finds it.
enum End {
    /// Before this buffer index.
    At(usize),
    /// A DOCTYPE, before this buffer index; its content as the pass found it.
    Doctype(usize, DoctypeText),
    /// It may go on past the bytes read: read more and parse it again.
    Fill,
    /// It goes on past the size cap.
    OverLimit,
}

/// Parse the event at buffer index `from`: quick-xml's result, and the buffer index it
/// stopped before.
#[inline(always)]
fn parse_event<'b>(
    xml: &mut Reader<&'b [u8]>,
    run: &mut RunStart,
    buf: &'b [u8],
    from: usize,
) -> (Result<Event<'b>, quick_xml::Error>, usize) {
    match run.own_text.take() {
        Some(lt) => {
            let text = crate::engine::chars::lossy(buf.get(from..lt).unwrap_or_default());
            let text = quick_xml::events::BytesText::from_escaped(text);
            (Ok(Event::Text(text)), lt)
        }
        None => {
            let result = xml.read_event();
            let read = usize::try_from(xml.buffer_position()).unwrap_or(usize::MAX);
            let to = (run.xml_start + run.dropped).saturating_add(read);
            (result, to.min(buf.len()))
        }
    }
}

/// Where the event `result` parsed at buffer index `from` really ends (quick-xml stopped
/// before `to`; `limits`: the event size cap and the most bytes a DOCTYPE may have).
#[inline(always)]
fn event_end(
    result: &Result<Event, quick_xml::Error>,
    to: usize,
    buf: &[u8],
    from: usize,
    at_eof: bool,
    (limit, max_doctype): (usize, usize),
) -> End {
    let rest = buf.get(from..).unwrap_or_default();
    if matches!(result, Ok(Event::DocType(_)) | Err(_)) && rest.starts_with(DOCTYPE) {
        // quick-xml may end a DOCTYPE at a `>` inside it, or run past its end (see
        // `doctype::real_end`): the pass finds the end itself.
        let content = from + DOCTYPE.len();
        let after = buf.get(content..).unwrap_or_default();
        return match doctype::real_end(after) {
            Some(e) => End::Doctype(content + e + 1, Ok(e)),
            None if !at_eof && after.len() <= max_doctype => End::Fill,
            None if result.is_ok() => End::Doctype(
                buf.len(),
                Err(if at_eof {
                    "DOCTYPE not finished: the input ends inside it".to_string()
                } else {
                    format!("DOCTYPE declaration longer than {max_doctype} bytes")
                }),
            ),
            None => End::At(to),
        };
    }
    // An event that reaches the end of the bytes read may go on in the next ones.
    let complete = at_eof
        || match result {
            Ok(_) => to < buf.len(),
            Err(_) => buf.len() - to > ERROR_LOOKAHEAD,
        };
    if complete {
        End::At(to)
    } else if buf.len() - from <= limit {
        End::Fill
    } else {
        End::OverLimit
    }
}

/// A DOCTYPE event: its keyword and place are checked, and its content (`text`, found by
/// [`event_end`]) loaded into what the DOCTYPE contributes (`own`).
fn doctype_event(
    pass: &mut Pass,
    tr: &View,
    text: Option<DoctypeText>,
    own: &mut Option<Arc<DocumentSchema>>,
    env: &Env,
    resolver: &dyn Resolver,
) -> Result<(), Abort> {
    let at = tr.window_start();
    if !tr.starts_with(at, DOCTYPE) {
        let message = "StartTag: invalid element name (the keyword is DOCTYPE, in upper case)";
        return Err(fatal_at(pass, tr.at(at), message.to_string()));
    }
    if pass.root_seen || own.is_some() {
        return Err(fatal_at(
            pass,
            tr.at(at),
            "DOCTYPE improperly placed".into(),
        ));
    }
    match text {
        Some(Ok(len)) => {
            let content = tr.event_bytes().get(DOCTYPE.len()..DOCTYPE.len() + len);
            let text = crate::engine::chars::lossy(content.unwrap_or_default());
            let text_at = tr.at(at + DOCTYPE.len() as u64);
            match doctype::load(&text, text_at, env.doc, env.given, resolver, env.opts) {
                Ok(d) => {
                    pass.external_dtd |= d.relaxes_entity_wfc;
                    pass.validator.set_unparsed_entities(d.unparsed_entities());
                    pass.validator
                        .set_doctype(d.names_root.then(|| d.name.clone()));
                    *own = Some(Arc::new(d));
                    Ok(())
                }
                Err((pos, message)) => Err(fatal_at(pass, pos, message)),
            }
        }
        Some(Err(message)) => Err(fatal_at(pass, tr.at(at), message)),
        None => Ok(()),
    }
}

/// The error of an event longer than the size cap (see [`event_limit`]).
fn over_limit_error() -> quick_xml::Error {
    quick_xml::Error::Io(Arc::new(std::io::Error::other(
        crate::engine::input::OVER_LIMIT,
    )))
}

/// A CDATA section: character data of the innermost open element.
fn cdata(
    pass: &mut Pass,
    tr: &View,
    schema: Option<&CompiledSchema>,
    t: &[u8],
    markup_start: u64,
) -> Result<(), Abort> {
    let pos = tr.at(markup_start);
    if pass.open.is_empty() {
        let message = "CData section not allowed outside the root element";
        return Err(fatal_at(pass, pos, message.into()));
    }
    pass.validator
        .non_text(schema, NonText::CData, pos, &mut pass.sink, &pass.path);
    let raw = text_of(tr, t);
    let blank = crate::engine::chars::is_blank(&raw);
    give_text(pass, schema, &raw, blank, pos);
    Ok(())
}

/// A processing instruction (not the XML declaration): its target is checked.
fn pi(
    pass: &mut Pass,
    tr: &View,
    schema: Option<&CompiledSchema>,
    p: &[u8],
    markup_start: u64,
) -> Result<(), Abort> {
    let content = text_of(tr, p);
    let target = content
        .split(|c: char| is_xml_space(c))
        .next()
        .unwrap_or("");
    if target.eq_ignore_ascii_case("xml") {
        Err(fatal_at(
            pass,
            tr.at(markup_start),
            "XML declaration allowed only at the start of the document".into(),
        ))
    } else if pass.opts.namespace_aware && target.contains(':') && is_name(target) {
        Err(fatal_at(
            pass,
            tr.at(markup_start),
            format!("colon in processing instruction target '{target}' (Namespaces in XML)"),
        ))
    } else if !is_name(target) {
        Err(fatal_at(
            pass,
            tr.at(markup_start),
            format!(
                "xmlParsePI : no target name in '<?{}'",
                super::messages::short(&content)
            ),
        ))
    } else {
        let (pos, pi) = (tr.at(markup_start), NonText::ProcessingInstruction);
        pass.validator
            .non_text(schema, pi, pos, &mut pass.sink, &pass.path);
        Ok(())
    }
}

/// [`pump`]'s call between events: the pass, the offset of the next byte, and what the
/// DOCTYPE contributes; true stops the pump.
pub(crate) type Hook<'h> = dyn FnMut(&mut Pass, u64, &Option<Arc<DocumentSchema>>) -> bool + 'h;

impl Pass<'_> {
    /// Record the XML declaration's `standalone="yes"` (entity and validity rules depend on it).
    pub(super) fn set_standalone(&mut self, standalone: bool) {
        self.standalone = standalone;
        self.validator.set_standalone(standalone);
    }
}

/// Validating-processor mode without a DTD: the document is invalid (not fatal).
fn no_dtd(pass: &mut Pass, pos: (u32, u32)) {
    let message = "Validation failed: no DTD found !".to_string();
    let e = error(pos, "/".into(), rules::NO_DTD, message, None, None, None);
    pass.sink.push(e);
}

/// Record a fatal error at `pos` for a limit the document went past (`found`: what went past
/// it, when the message does not say).
pub(crate) fn fatal_limit(
    pass: &mut Pass,
    pos: (u32, u32),
    message: String,
    found: Option<String>,
) -> Abort {
    let path = pass.path.current();
    pass.sink
        .fatal(error(pos, path, rules::LIMIT, message, found, None, None))
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

/// Hand character data of the innermost open element to the validator and the observer
/// (`blank`: whether it is all white space, see [`crate::engine::chars::is_blank`]).
pub(super) fn give_text(
    pass: &mut Pass,
    schema: Option<&CompiledSchema>,
    text: &str,
    blank: bool,
    pos: (u32, u32),
) {
    pass.validator.text(
        schema,
        text,
        blank,
        pos,
        &mut pass.sink,
        &pass.path,
        pass.opts,
    );
    if let Some(o) = pass.observer.as_deref_mut() {
        o.text(text);
    }
}

/// Close the innermost open element (validation end checks, path, namespaces).
pub(super) fn close(pass: &mut Pass, schema: Option<&CompiledSchema>, end_pos: (u32, u32)) {
    pass.validator
        .end(schema, end_pos, &mut pass.sink, &pass.path, &pass.ns);
    if let Some(o) = pass.observer.as_deref_mut() {
        o.end(&pass.path);
    }
    if let Some(open) = pass.open.pop() {
        pass.ns.pop(open.bindings);
    }
    pass.path.pop();
    if pass.open.is_empty() {
        pass.root_done = true;
    }
}

/// Close the innermost open element at an end tag named `name` (its raw bytes: they are
/// compared with the start tag's name as they are, and decoded only for a message).
pub(super) fn end(
    pass: &mut Pass,
    tr: &dyn Positions,
    schema: Option<&CompiledSchema>,
    name: &[u8],
    at: u64,
) -> Result<(), Abort> {
    end_at(pass, schema, name, tr.at(at))
}

/// [`end`] of an end tag at `pos`.
pub(super) fn end_at(
    pass: &mut Pass,
    schema: Option<&CompiledSchema>,
    name: &[u8],
    pos: (u32, u32),
) -> Result<(), Abort> {
    let (Some(open), Some(qname)) = (pass.open.last(), pass.path.open_names().next_back()) else {
        let name = crate::engine::chars::lossy(name);
        return Err(fatal_at(pass, pos, format!("Unexpected end tag : {name}")));
    };
    if qname.as_bytes() != name {
        let name = crate::engine::chars::lossy(name);
        let message = format!(
            "Opening and ending tag mismatch: {qname} line {} and {name}",
            open.line
        );
        return Err(fatal_at(pass, pos, message));
    }
    close(pass, schema, pos);
    Ok(())
}

pub(super) fn eof(
    pass: &mut Pass,
    tr: &View,
    schema: Option<&CompiledSchema>,
) -> Result<(), Abort> {
    let pos = tr.at(tr.consumed());
    let unclosed = pass
        .open
        .last()
        .zip(pass.path.open_names().next_back())
        .map(|(open, qname)| format!("Premature end of data in tag {qname} line {}", open.line));
    if let Some(message) = unclosed {
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

/// quick-xml's settings for the pass (the document's and entities' replacement text alike):
/// the checks it leaves out are the pass's own.
pub(super) fn configure(c: &mut quick_xml::reader::Config) {
    c.check_end_names = false;
    c.check_comments = true;
    c.expand_empty_elements = false;
    c.trim_text(false);
    c.allow_unmatched_ends = true;
    c.trim_markup_names_in_closing_tags = true;
}
