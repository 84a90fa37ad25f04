//! Plain markup read without quick-xml: start tags, leaf elements' texts and CDATA sections
//! with their end tags, end tags, and the layout between them.
//!
//! [`pump`] hands each event to the pass after the same bookkeeping: quick-xml's parse, the
//! event's bytes taken and checked (UTF-8, `Char`s, positions), its position. For the usual
//! API response (`<name>text</name>` on a line of its own, over and over) that bookkeeping is
//! most of the work. Once a start tag is handed to the pass, [`read_plain`] reads on by
//! itself while the markup is plain, and hands each piece to the same functions with the
//! same arguments as [`pump`] would:
//!
//! - a start tag: `<` and an ASCII letter, `_` or `:`, up to the `>` outside quotes (what
//!   quick-xml reads as one), to [`start`];
//! - a leaf's text (everything up to the next `<`, as quick-xml's text event) or CDATA section
//!   and then its end tag `</name>` (the start tag's name as written, no spaces): one event,
//!   checked once, to [`text`] or [`cdata`] and [`end_at`]; the layout after it joins it;
//! - the innermost element's end tag `</name>`, to [`end_at`];
//! - layout (spaces, tabs, line feeds) before markup when nothing takes it: passed over.
//!
//! Anything else (a piece that may go on past the bytes read or past the size cap, a
//! comment, a processing instruction, an end tag with spaces or another name, a text before
//! a child, bytes not known to be UTF-8) goes back to [`pump`]'s general path from where it
//! starts, which reads it and reports its errors. After each end tag the split's hook is
//! called as [`pump`] calls it, at the offset just after the tag.

use super::*;
use crate::engine::input::{known_part, Track};
use quick_xml::events::BytesStart;
use quick_xml::parser::{ElementParser, Parser};

/// Whether [`read_plain`] reads plain markup: always, except in the tests that compare it with
/// the general path ([`tests::general_path_only`]).
#[inline(always)]
pub(super) fn enabled() -> bool {
    #[cfg(test)]
    {
        !tests::GENERAL_ONLY.with(std::cell::Cell::get)
    }
    #[cfg(not(test))]
    {
        true
    }
}

/// What [`read_plain`] ends with.
pub(super) enum Plain {
    /// Markup that is not plain next (or no more bytes read): the general path goes on.
    General,
    /// A fatal error, or the hook said stop: the pass stops.
    Stop,
}

/// The bytes of the document being read, and what reads them: the pieces of [`pump`]'s state
/// that reading an event moves.
pub(super) struct Reading<'r, 'b> {
    buf: &'b [u8],
    track: &'r mut Track,
    /// Bytes of `buf` known to be UTF-8 (see [`View::new`]).
    known: &'b str,
    xml: &'r mut Reader<&'b [u8]>,
    run: &'r mut RunStart,
}

/// What a pass over plain markup hands to the pass besides the bytes.
pub(super) struct Context<'c, 'h> {
    pub schema: Option<&'c CompiledSchema>,
    pub entities: Entities<'c>,
    pub own: &'c Option<Arc<DocumentSchema>>,
    pub hook: Option<&'c mut Hook<'h>>,
}

impl<'r, 'b> Reading<'r, 'b> {
    /// The reading state of [`pump`]'s current run.
    pub(super) fn new(
        buf: &'b [u8],
        track: &'r mut Track,
        known: &'b str,
        xml: &'r mut Reader<&'b [u8]>,
        run: &'r mut RunStart,
    ) -> Reading<'r, 'b> {
        Reading {
            buf,
            track,
            known,
            xml,
            run,
        }
    }

    /// The bytes read after the current event.
    fn rest(&self) -> &'b [u8] {
        self.buf.get(self.track.next_index()..).unwrap_or_default()
    }

    /// Take the next `n` bytes as one event that quick-xml does not parse: they are checked
    /// (UTF-8, `Char`s, positions) and quick-xml is given the bytes after them. `false`: a
    /// problem in the bytes, reported.
    fn take_unparsed(&mut self, pass: &mut Pass, n: usize) -> bool {
        let from = self.track.next_index();
        self.track.begin_event(self.buf);
        self.track.take(from + n);
        self.checked(pass, n)
    }

    /// Add the next `n` bytes to the current event (see [`Reading::take_unparsed`]).
    fn extend_unparsed(&mut self, pass: &mut Pass, n: usize) -> bool {
        let to = self.track.next_index() + n;
        self.track.take(to);
        self.checked(pass, n)
    }

    /// Check the `n` bytes just taken, and give quick-xml the bytes after them.
    fn checked(&mut self, pass: &mut Pass, n: usize) -> bool {
        if let Some(p) = self.track.scan(self.buf) {
            input_problem(pass, &self.view(), p);
            return false;
        }
        let rest = self.xml.get_mut();
        *rest = rest.get(n..).unwrap_or_default();
        self.run.dropped += n;
        true
    }

    /// The current event.
    fn view(&self) -> View<'_> {
        View::new(self.buf, self.track, self.known)
    }
}

/// What the layout before the next markup was to [`pass_over_layout`].
pub(super) enum Layout {
    /// No layout (the next byte is not layout, or the layout may go on past the bytes read).
    None,
    /// Passed over, without an event.
    Passed,
    /// Something takes it: it is a text event of the general path.
    Kept,
    /// A problem in its bytes, reported: the pass stops.
    Problem,
}

/// Pass over layout (spaces, tabs, line feeds) before the next markup when nothing takes it
/// (see [`skips_layout`]): no event.
#[inline(always)]
pub(super) fn pass_over_layout(
    pass: &mut Pass,
    r: &mut Reading,
    schema: Option<&CompiledSchema>,
) -> Layout {
    let n = layout_before_markup(r.rest());
    if n == 0 {
        Layout::None
    } else if !skips_layout(pass, r, schema, n, 0) {
        Layout::Kept
    } else if r.take_unparsed(pass, n) {
        Layout::Passed
    } else {
        Layout::Problem
    }
}

/// Whether `n` bytes of layout are passed over, as an event of their own or joined to one of
/// `joined` bytes: in an open element whose validator and observer take nothing of it (see
/// [`ignores_layout`]), not in the text a run starts with, within the size cap.
#[inline]
fn skips_layout(
    pass: &Pass,
    r: &Reading,
    schema: Option<&CompiledSchema>,
    n: usize,
    joined: usize,
) -> bool {
    r.run.own_text.is_none()
        && !pass.open.is_empty()
        && joined + n <= r.track.limit()
        && ignores_layout(pass, schema)
}

/// Just after a start tag (not an empty-element tag) was handed to the pass: read on while
/// the markup is plain (see the module docs).
pub(super) fn read_plain(pass: &mut Pass, r: &mut Reading, cx: &mut Context) -> Plain {
    // Whether the innermost open element's start tag was the last markup read.
    let mut after_start = true;
    loop {
        let rest = r.rest();
        let step = if rest.first() == Some(&b'<') {
            match rest.get(1) {
                Some(b'/') => end_tag(pass, r, cx, rest),
                Some(b'!') if after_start && rest.starts_with(CDATA) => {
                    leaf_cdata(pass, r, cx, rest)
                }
                Some(&b) if b.is_ascii_alphabetic() || b == b'_' || b == b':' => {
                    start_tag(pass, r, cx, rest)
                }
                _ => Step::NotPlain,
            }
        } else {
            // Layout and then markup, passed over when nothing takes it; else a leaf's text.
            match pass_over_layout(pass, r, cx.schema) {
                Layout::Passed => continue,
                Layout::Kept => Step::NotPlain,
                Layout::Problem => Step::Stop,
                Layout::None if after_start => leaf_text(pass, r, cx, rest),
                Layout::None => Step::NotPlain,
            }
        };
        match step {
            Step::Read => after_start = false,
            Step::Opened => after_start = true,
            Step::Stop => return Plain::Stop,
            Step::NotPlain => return Plain::General,
        }
    }
}

/// What reading one plain piece did.
enum Step {
    /// Read and handed to the pass; the innermost open element is the one before.
    Read,
    /// A start tag read and handed to the pass: its element is open.
    Opened,
    /// A fatal error, or the hook said stop: the pass stops.
    Stop,
    /// Not plain (or not all read yet): nothing was read.
    NotPlain,
}

/// What starts a CDATA section.
const CDATA: &[u8] = b"<![CDATA[";

/// A leaf's text (`rest` up to the next `<`, not empty) and the end tag after it, as one
/// event.
fn leaf_text(pass: &mut Pass, r: &mut Reading, cx: &mut Context, rest: &[u8]) -> Step {
    let Some(lt) = memchr::memchr(b'<', rest) else {
        return Step::NotPlain;
    };
    let content = &rest[..lt];
    read_leaf(pass, r, cx, rest, lt, |pass, tr, cx, at| {
        let raw = text_of(tr, content);
        text(pass, tr, cx.schema, cx.entities, &raw, at)
    })
}

/// A leaf's CDATA section (at the start of `rest`) and the end tag after it, as one event.
fn leaf_cdata(pass: &mut Pass, r: &mut Reading, cx: &mut Context, rest: &[u8]) -> Step {
    let body = rest.get(CDATA.len()..).unwrap_or_default();
    let Some(len) = memchr::memmem::find(body, b"]]>") else {
        return Step::NotPlain;
    };
    let content = &body[..len];
    read_leaf(
        pass,
        r,
        cx,
        rest,
        CDATA.len() + len + 3,
        |pass, tr, cx, at| cdata(pass, tr, cx.schema, content, at),
    )
}

/// A leaf's content (`rest[..content_end]`, handed to the pass by `hand` with the event's
/// offset) and the end tag after it, as one event.
fn read_leaf(
    pass: &mut Pass,
    r: &mut Reading,
    cx: &mut Context,
    rest: &[u8],
    content_end: usize,
    hand: impl FnOnce(&mut Pass, &View, &Context, u64) -> Result<(), Abort>,
) -> Step {
    let tag = rest.get(content_end..).unwrap_or_default();
    let Some(end_len) = end_tag_len(pass, tag) else {
        return Step::NotPlain;
    };
    if content_end + end_len > r.track.limit() {
        return Step::NotPlain;
    }
    if !r.take_unparsed(pass, content_end + end_len) {
        return Step::Stop;
    }
    pass.events_seen += 2;
    let tr = r.view();
    if hand(pass, &tr, cx, tr.window_start()).is_err() {
        return Step::Stop;
    }
    close_leaf(pass, r, cx, tag, end_len)
}

/// The length of the end tag at the start of `bytes` when it is `</name>` with the innermost
/// open element's name as written (no spaces).
fn end_tag_len(pass: &Pass, bytes: &[u8]) -> Option<usize> {
    let name = pass.path.open_names().next_back()?.as_bytes();
    let len = name.len() + 3;
    let plain = bytes.get(..2) == Some(b"</")
        && bytes.get(2..len - 1) == Some(name)
        && bytes.get(len - 1) == Some(&b'>');
    plain.then_some(len)
}

/// The end tag (`tag`, `end_len` bytes) that ends the current event: the innermost element is
/// closed, the hook called, and the layout after the tag joins the event when nothing takes
/// it.
fn close_leaf(
    pass: &mut Pass,
    r: &mut Reading,
    cx: &mut Context,
    tag: &[u8],
    end_len: usize,
) -> Step {
    let tr = r.view();
    // Its position: counted back from the end of the event (not over the text).
    let pos = tr.position_back(end_len);
    let consumed = tr.consumed();
    let name = tag.get(2..end_len - 1).unwrap_or_default();
    if end_at(pass, cx.schema, name, pos).is_err() {
        return Step::Stop;
    }
    if let Some(h) = cx.hook.as_deref_mut() {
        if h(pass, consumed, cx.own) {
            return Step::Stop;
        }
    }
    let n = layout_before_markup(tag.get(end_len..).unwrap_or_default());
    let joined = r.track.event_len();
    if n > 0 && skips_layout(pass, r, cx.schema, n, joined) && !r.extend_unparsed(pass, n) {
        return Step::Stop;
    }
    Step::Read
}

/// The innermost element's plain end tag at the start of `rest`, as its own event.
fn end_tag(pass: &mut Pass, r: &mut Reading, cx: &mut Context, rest: &[u8]) -> Step {
    let Some(end_len) = end_tag_len(pass, rest) else {
        return Step::NotPlain;
    };
    if !r.take_unparsed(pass, end_len) {
        return Step::Stop;
    }
    pass.events_seen += 1;
    close_leaf(pass, r, cx, rest, end_len)
}

/// A start tag at the start of `rest` (its name starts with an ASCII letter, `_` or `:`), as
/// its own event: [`Step::Opened`], or [`Step::Read`] for an empty-element tag.
fn start_tag(pass: &mut Pass, r: &mut Reading, cx: &mut Context, rest: &[u8]) -> Step {
    // Its `>` outside quotes, as quick-xml finds it.
    let Some(gt) = ElementParser::Outside.feed(rest) else {
        return Step::NotPlain;
    };
    let content = rest.get(1..gt).and_then(|c| known_part(r.known, c));
    let Some(content) = content.filter(|_| gt < r.track.limit()) else {
        return Step::NotPlain;
    };
    let (content, empty) = match content.strip_suffix('/') {
        Some(c) => (c, true),
        None => (content, false),
    };
    // The name ends at the first white space (as quick-xml's), found byte by byte: a search
    // for any of four chars decodes each character.
    let name_len = content
        .bytes()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(content.len());
    if !r.take_unparsed(pass, gt + 1) {
        return Step::Stop;
    }
    pass.events_seen += 1;
    let tr = r.view();
    let at = tr.window_start();
    let tag = BytesStart::from_content(content, name_len);
    match start(pass, &tr, cx.schema, cx.entities, &tag, at, empty) {
        Ok(()) if empty => Step::Read,
        Ok(()) => Step::Opened,
        Err(_) => Step::Stop,
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{validate, CompiledSchema, DocumentInput, Options};
    use crate::report::Report;
    use fixture_dirs::{fixtures, schema};
    use std::cell::Cell;
    use std::path::Path;

    /// Shared with `tests/engine_robustness.rs`.
    mod fixture_dirs {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/engine_support/fixture_dirs.rs"
        ));
    }

    thread_local! {
        /// Set: this thread's passes read everything through the general path.
        pub(super) static GENERAL_ONLY: Cell<bool> = const { Cell::new(false) };
    }

    /// `f` with plain markup read through the general path, on this thread.
    fn general_path_only<T>(f: impl FnOnce() -> T) -> T {
        GENERAL_ONLY.with(|g| g.set(true));
        let out = f();
        GENERAL_ONLY.with(|g| g.set(false));
        out
    }

    /// The report on `bytes` (as the document `doc.xml` of `dir`) with `opts`.
    fn report(bytes: &[u8], dir: &Path, schema: Option<&CompiledSchema>, opts: &Options) -> Report {
        let path = dir.join("doc.xml");
        let doc = DocumentInput {
            display_name: "doc.xml",
            path: Some(&path),
        };
        validate(bytes, &doc, schema, &qschema_model::FsResolver, opts)
    }

    /// The report on `bytes` with plain markup read here must be the general path's.
    fn check(bytes: &[u8], dir: &Path, schema: Option<&CompiledSchema>, opts: &Options) -> Report {
        let plain = report(bytes, dir, schema, opts);
        let general = general_path_only(|| report(bytes, dir, schema, opts));
        assert_eq!(
            plain,
            general,
            "{}: {:?}",
            dir.display(),
            String::from_utf8_lossy(bytes)
        );
        plain
    }

    /// Every engine fixture, cut short and with bytes replaced by markup characters, invalid
    /// UTF-8 and control characters, gets the same report from both paths.
    #[test]
    fn mutated_fixtures_get_the_general_paths_report() {
        let opts = Options::default();
        let mut runs = 0;
        for dir in fixtures() {
            let original = std::fs::read(dir.join("doc.xml")).expect("doc");
            let schema = schema(&dir);
            check(&original, &dir, schema.as_ref(), &opts);
            for cut in (0..original.len()).step_by(3) {
                check(&original[..cut], &dir, schema.as_ref(), &opts);
                runs += 1;
            }
            let replacements = [b'<', b'>', b'&', b'"', 0xFF, 0x01, b']', b'/', b' ', b'\n'];
            for (i, replacement) in (0..original.len())
                .step_by(2)
                .zip(replacements.iter().cycle())
            {
                let mut mutated = original.clone();
                mutated[i] = *replacement;
                check(&mutated, &dir, schema.as_ref(), &opts);
                runs += 1;
            }
        }
        assert!(runs > 1000, "only {runs} runs");
    }

    /// Plain pieces and the ones next to them that are not: each gets the general path's
    /// report, with the first read's end (8 KiB in) falling on each byte of the body in turn.
    /// The documents have validity errors in plain pieces and one fatal error each, last.
    #[test]
    fn plain_pieces_cut_by_the_end_of_the_bytes_read() {
        let dtd = "<!DOCTYPE r [\n<!ELEMENT r (l|e|m|n|p)*>\n<!ELEMENT p (l,e)>\n<!ELEMENT l (#PCDATA)>\n\
            <!ELEMENT e EMPTY>\n<!ELEMENT m (l|e)*>\n<!ELEMENT n (#PCDATA|l)*>\n\
            <!ATTLIST l a CDATA #IMPLIED>\n<!ATTLIST e a CDATA #IMPLIED>\n]>\n";
        let bodies = [
            "<r>\n  <l>text</l>\n  <l a=\"1 > 0\" >caf\u{e9}</l>\n  <e/>\n  <e a='/>'/>\n\
             <m>\n    <l><![CDATA[ <not markup> ]]></l>\n    <l></l>\n  </m>\n\
             <n>mixed <l>inner</l> text</n>\n  <l>x</l >\n  <m> <l>y</l> </m>\n\
             <e>not empty</e>\n  <q>undeclared</q>\n  <m><n>n in m</n></m>\n\
             <p><l>t</l></p>\n  <p>\n    <l>t</l>\n  </p>\n  <p></p>\n\
             <l><![CDATA[c]]> and text</l>\n  <l>&#65;&amp;</l>\n  <l>z</m>\n</r>\n",
            "<r>\n  <l>a</l>\n  <l>a ]]> b</l>\n</r>\n",
            "<r>\n  <l>a</l>\n  <l>\u{1}</l>\n</r>\n",
            "<r>\n  <l>a</l>\n  <l>\u{fffe}</l>\n</r>\n",
        ];
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--";
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = Options::default();
        for body in bodies {
            let body = format!("{dtd}{body}");
            let doc = |pad: usize| format!("{head}{}-->\n{body}", "p".repeat(pad)).into_bytes();
            let reference = check(&doc(10), dir, None, &opts);
            assert!(reference.aborted, "{reference:#?}");
            assert!(
                reference.errors.len() > 1 || !body.contains("<q>"),
                "{reference:#?}"
            );
            let before = 8 * 1024 - head.len() - "-->\n".len();
            for pad in before - body.len()..=before {
                check(&doc(pad), dir, None, &opts);
            }
        }
    }
}
