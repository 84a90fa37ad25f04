//! [`TrackedReader`]: the document's bytes, read into a buffer the pass parses its events from
//! (quick-xml's slice reader, no copy), and a [`Track`] of them that
//!
//! - counts lines and columns (in characters) so any byte offset of the current event can be
//!   turned into `line:column`,
//! - checks that the bytes are UTF-8 and XML 1.0 `Char`s,
//! - caps the size of one event (one tag, text run, comment...) so a 100 MB attribute value is
//!   refused after the cap instead of being buffered whole.
//!
//! The engine calls [`Track::begin_event`] before parsing each event, [`Track::take`] with
//! where it ends and [`Track::scan`] after; the bytes of the current event stay in the buffer
//! until the next `begin_event`. When an event may go on past the bytes read, the engine calls
//! [`TrackedReader::fill`] and parses it again. The bytes already read after the event are
//! checked ahead, many events at a time (printable ASCII, tabs and line feeds, whose offsets
//! are noted), so the usual event's scan only moves the position; an event holding any other
//! byte is scanned byte by byte.

use super::byte_classes::{classes, LANES};
use std::cell::Cell;
use std::io::{self, Read};

/// What [`TrackedReader::scan`] found wrong in the bytes of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum InputProblem {
    /// Bytes that are not UTF-8, at this offset.
    InvalidUtf8 {
        /// Absolute byte offset.
        offset: u64,
        /// The offending bytes (up to 4).
        bytes: Vec<u8>,
    },
    /// A character outside XML 1.0's `Char` production.
    InvalidChar {
        /// Absolute byte offset.
        offset: u64,
        /// The character's code point.
        code: u32,
    },
}

/// Marker text of the I/O error returned when one event exceeds the size cap.
pub(crate) const OVER_LIMIT: &str = "qschema: event size limit exceeded";

/// Position bookkeeping (line, column in characters, pending CR).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pos {
    line: u32,
    column: u32,
    after_cr: bool,
}

impl Pos {
    fn advance(&mut self, c: char) {
        match c {
            '\n' if self.after_cr => {
                self.after_cr = false;
            }
            '\n' => {
                self.line += 1;
                self.column = 1;
            }
            '\r' => {
                self.line += 1;
                self.column = 1;
                self.after_cr = true;
                return;
            }
            _ => self.column += 1,
        }
        self.after_cr = false;
    }

    /// Advance over the start of `bytes` that is ASCII and XML `Char`s (printable runs eight
    /// bytes at a time, then tab, LF, CR one by one); how many bytes that is. It stops at the
    /// first byte that is not ASCII or is an ASCII control outside `Char`.
    #[inline]
    fn advance_ascii(&mut self, bytes: &[u8]) -> usize {
        let mut i = 0;
        loop {
            let run = printable_ascii_run(bytes.get(i..).unwrap_or_default());
            if run > 0 {
                self.column += run as u32;
                self.after_cr = false;
                i += run;
            }
            match bytes.get(i) {
                Some(&b @ (b'\t' | b'\n' | b'\r')) => {
                    self.advance(char::from(b));
                    i += 1;
                }
                _ => return i,
            }
        }
    }
}

/// How many bytes at the start of `bytes` are printable ASCII (`0x20..0x80`): eight at a time
/// while a whole word is, then byte by byte.
#[inline]
fn printable_ascii_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        if !is_printable_word(little_endian(word)) {
            break;
        }
        i += 8;
    }
    i + bytes
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| (0x20..0x80).contains(&b))
        .count()
}

/// The high bit of each byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight bytes as one little-endian word (`bytes` has eight).
#[inline]
fn little_endian(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(bytes);
    u64::from_le_bytes(b)
}

/// Whether every byte of the word is printable ASCII (`0x20..0x80`): no byte below 0x20 (the
/// "has less than" test of Bit Twiddling Hacks, exact for whether there is one) or from 0x80
/// up.
#[inline]
fn is_printable_word(x: u64) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    (x.wrapping_sub(LOW) & !x & HIGH) | (x & HIGH) == 0
}

/// The bytes of a little-endian word that are line feeds, and those that are neither
/// printable ASCII nor a tab nor a line feed, as masks with the high bit of each such byte set.
/// Exact per byte (no borrow crosses bytes, unlike [`is_printable_word`]'s test).
#[inline]
fn word_classes(x: u64) -> (u64, u64) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // High bit set where the byte is zero.
    let zero = |y: u64| !(((y & LOW7).wrapping_add(LOW7)) | y) & HIGH;
    // High bit set where the byte is below 0x20 (and ASCII).
    let control = !(((x & LOW7).wrapping_add(0x6060_6060_6060_6060)) | x) & HIGH;
    let feeds = zero(x ^ 0x0a0a_0a0a_0a0a_0a0a);
    let tabs = zero(x ^ 0x0909_0909_0909_0909);
    (feeds, (control & !feeds & !tabs) | (x & HIGH))
}

/// The line and column after some bytes of a document, counted as [`TrackedReader`] counts
/// them ([`Pos::advance`]: CR, LF and CR LF end a line, columns count characters, a byte order
/// mark at the start is not one), without checking the bytes: where a later part of a split
/// document starts (its bytes are checked by the pass that reads them).
pub(crate) struct LineCounter {
    pos: Pos,
    started: bool,
}

impl LineCounter {
    /// At the start of a document.
    pub(crate) fn new() -> LineCounter {
        LineCounter {
            pos: Pos {
                line: 1,
                column: 1,
                after_cr: false,
            },
            started: false,
        }
    }

    /// Count the next `bytes` of the document.
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) {
        if !self.started && !bytes.is_empty() {
            self.started = true;
            // A document's first byte 0xEF starts its byte order mark (a well-formed document
            // starts with nothing else of three bytes); the other two continue it.
            bytes = bytes.strip_prefix(b"\xEF").unwrap_or(bytes);
        }
        if self.pos.after_cr || memchr::memchr(b'\r', bytes).is_some() {
            for &b in bytes {
                // One advance per character: its first byte stands for it.
                if b & 0xC0 != 0x80 {
                    self.pos.advance(if b.is_ascii() {
                        char::from(b)
                    } else {
                        '\u{80}'
                    });
                }
            }
            return;
        }
        // The usual case, LF only: counted in bulk (SIMD; a split document's worker counts
        // the lines of everything before its part, and the first thread waits for it).
        let last_line = match memchr::memrchr(b'\n', bytes) {
            Some(i) => {
                let lfs = bytecount::count(bytes, b'\n');
                self.pos.line = self.pos.line.saturating_add(lfs as u32);
                self.pos.column = 1;
                &bytes[i + 1..]
            }
            None => bytes,
        };
        let chars = bytecount::num_chars(last_line);
        self.pos.column = self.pos.column.saturating_add(chars as u32);
    }

    /// `(line, column)` after the bytes counted.
    pub(crate) fn position(&self) -> (u32, u32) {
        (self.pos.line, self.pos.column)
    }
}

/// Bytes read from the inner reader at a time, at most (the buffer grows to this).
const CHUNK: usize = 256 * 1024;
/// The first buffer: small documents (most API responses are a few KB) never zero 256 KiB.
const FIRST_CHUNK: usize = 8 * 1024;
/// The most bytes checked ahead of the events at once (bounds the line feeds kept).
const CHECK_AHEAD: usize = 64 * 1024;

/// The reader; see the module docs.
///
/// It owns the buffer the events are parsed from: `buf[..track.end]` is what is read. The
/// rest of its state is a [`Track`], so the pass can parse events out of the buffer (borrowing
/// it) while the track moves on. Bytes before the current event are dropped when more room is
/// needed, so an event is never copied byte by byte.
pub(crate) struct TrackedReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// A read returned nothing: the rest of the input is in the buffer.
    eof: bool,
    /// A read error after some bytes were read: returned by the next fill, once the events
    /// before it are parsed (so it is reported at the event it cuts).
    pending: Option<io::Error>,
    track: Track,
}

/// Where a [`TrackedReader`]'s events are and what their bytes were found to be:
/// `buf[begin..pos]` is the current event's window, `buf[pos..end]` what is read after it.
pub(crate) struct Track {
    begin: usize,
    pos: usize,
    end: usize,
    window_start: u64,
    start_pos: Pos,
    scanned: usize,
    scanned_pos: Pos,
    limit: usize,
    /// The last position computed in the current window (`position` is called with increasing
    /// offsets within an event, so this keeps it linear).
    cache: Cell<(u64, Pos)>,
    /// Checked ahead: the bytes from the scanned point up to this absolute offset are printable
    /// ASCII, tabs and line feeds (the usual document), checked many events at a time.
    clean_to: u64,
    /// Whether the byte at `clean_to` stopped the check (a CR, a control, a byte that is not
    /// ASCII: the event holding it takes the byte-by-byte path).
    clean_stopped: bool,
    /// Absolute offsets of the line feeds before `clean_to`; those from `next_feed` on are not
    /// passed by the scan yet.
    line_feeds: Vec<u64>,
    next_feed: usize,
}

/// The current event as the pass sees it: the bytes read and where they are.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    buf: &'a [u8],
    track: &'a Track,
    /// Bytes of `buf` known to be UTF-8 (checked once for a run of events).
    known: &'a str,
}

pub(crate) use qschema_model::xml_chars::is_xml_char;

impl<R: Read> TrackedReader<R> {
    /// Wrap `inner`; one event may be at most `limit` bytes.
    #[cfg(test)]
    pub(crate) fn new(inner: R, limit: usize) -> TrackedReader<R> {
        TrackedReader::with_buffer(inner, limit, Vec::new())
    }

    /// Wrap `inner` (one event may be at most `limit` bytes), reading into `buf`: its contents
    /// are ignored and its memory is reused, so a buffer kept from an earlier document is
    /// neither allocated nor zeroed again.
    pub(crate) fn with_buffer(inner: R, limit: usize, buf: Vec<u8>) -> TrackedReader<R> {
        let start = Pos {
            line: 1,
            column: 1,
            after_cr: false,
        };
        TrackedReader {
            inner,
            buf,
            eof: false,
            pending: None,
            track: Track {
                begin: 0,
                pos: 0,
                end: 0,
                window_start: 0,
                start_pos: start,
                scanned: 0,
                scanned_pos: start,
                limit,
                cache: Cell::new((0, start)),
                clean_to: 0,
                clean_stopped: false,
                line_feeds: Vec::new(),
                next_feed: 0,
            },
        }
    }

    /// [`TrackedReader::with_buffer`] for input that continues a document: `inner` starts at
    /// byte `offset` of it, which is at `line:column` (a worker of a split document).
    pub(crate) fn resuming(
        inner: R,
        limit: usize,
        buf: Vec<u8>,
        offset: u64,
        (line, column): (u32, u32),
    ) -> TrackedReader<R> {
        let mut tr = TrackedReader::with_buffer(inner, limit, buf);
        let start = Pos {
            line,
            column,
            after_cr: false,
        };
        let t = &mut tr.track;
        t.window_start = offset;
        t.start_pos = start;
        t.scanned_pos = start;
        t.cache.set((offset, start));
        t.clean_to = offset;
        tr
    }

    /// Read more bytes after those read (dropping those before the current event, or growing
    /// the buffer when the event fills it); 0 at the end of input, which is then noted.
    ///
    /// It reads at least as many bytes as the current event has (or to the end of input, or
    /// just past the size cap), however few each read of `inner` gives: an event is parsed
    /// again after each fill, so its bytes are parsed a bounded number of times in all.
    #[cold]
    #[inline(never)]
    pub(crate) fn fill(&mut self) -> io::Result<usize> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let t = &mut self.track;
        if t.begin > 0 {
            self.buf.copy_within(t.begin..t.end, 0);
            t.end -= t.begin;
            t.pos -= t.begin;
            t.begin = 0;
        }
        // The read size doubles with the buffer, from FIRST_CHUNK up to CHUNK.
        let chunk = self.buf.len().clamp(FIRST_CHUNK, CHUNK);
        let event = t.end;
        let want = event
            .max(chunk / 2)
            .min((t.limit + 1).saturating_sub(event).max(1));
        if self.buf.len() - t.end < want {
            let grown = (t.end + want.max(chunk)).max(self.buf.len());
            self.buf.resize(grown, 0);
        }
        let mut got = 0;
        while got < want {
            let room = self.buf.get_mut(t.end..).unwrap_or_default();
            match self.inner.read(room) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    t.end += n;
                    got += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if got > 0 => {
                    self.pending = Some(e);
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(got)
    }

    /// Whether every byte of the input is read.
    pub(crate) fn at_eof(&self) -> bool {
        self.eof
    }

    /// The bytes read (from the start of the buffer) and the track, to parse events from the
    /// bytes while the track moves.
    pub(crate) fn parts(&mut self) -> (&[u8], &mut Track) {
        let end = self.track.end;
        (self.buf.get(..end).unwrap_or_default(), &mut self.track)
    }

    /// The current event.
    pub(crate) fn view(&self) -> View<'_> {
        View {
            buf: self.buf.get(..self.track.end).unwrap_or_default(),
            track: &self.track,
            known: "",
        }
    }

    /// The read buffer, for the next document.
    pub(crate) fn into_buffer(self) -> Vec<u8> {
        self.buf
    }
}

impl Track {
    /// Forget the previous event's bytes; the next event starts at [`Track::next_index`].
    #[inline]
    pub(crate) fn begin_event(&mut self, buf: &[u8]) {
        // Advance over anything not scanned yet (positions only; usually nothing is left).
        if self.scanned < self.pos - self.begin {
            self.scan_rest(buf);
        }
        self.window_start = self.consumed();
        self.start_pos = self.scanned_pos;
        self.begin = self.pos;
        self.scanned = 0;
        self.cache.set((self.window_start, self.start_pos));
    }

    /// [`Track::scan`] of what is left of an event before the next one begins.
    #[cold]
    #[inline(never)]
    fn scan_rest(&mut self, buf: &[u8]) {
        let _ = self.scan(buf);
    }

    /// The index in the buffer of the byte after the current event (where the next starts).
    pub(crate) fn next_index(&self) -> usize {
        self.pos
    }

    /// The current event ends before buffer index `upto` (at or after its start, within what is
    /// read; see [`Track::over_limit`]).
    pub(crate) fn take(&mut self, upto: usize) {
        self.pos = upto.clamp(self.begin, self.end);
    }

    /// The cap on one event's size.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// How many bytes the current event has.
    pub(crate) fn event_len(&self) -> usize {
        self.pos - self.begin
    }

    /// Whether the current event is longer than the cap.
    pub(crate) fn over_limit(&self) -> bool {
        self.event_len() > self.limit
    }

    /// Absolute offset of the byte after the current event.
    pub(crate) fn consumed(&self) -> u64 {
        self.window_start + (self.pos - self.begin) as u64
    }

    /// Check the current event's bytes not checked yet (UTF-8, XML `Char`s) and advance the
    /// position. Call it only after a complete event was taken (events end on ASCII
    /// delimiters).
    #[inline]
    pub(crate) fn scan(&mut self, buf: &[u8]) -> Option<InputProblem> {
        let read_to = self.consumed();
        if read_to <= self.clean_to {
            // The usual event: checked ahead already, only the position moves.
            let from = self.window_start + self.scanned as u64;
            if from < read_to {
                self.pass_clean(from, read_to);
                self.scanned = self.pos - self.begin;
            }
            return None;
        }
        self.scan_unchecked(buf, read_to)
    }

    /// [`Track::scan`] when the event goes past the bytes checked ahead.
    #[inline(never)]
    fn scan_unchecked(&mut self, buf: &[u8], read_to: u64) -> Option<InputProblem> {
        loop {
            let from = self.window_start + self.scanned as u64;
            if from >= read_to {
                return None;
            }
            if from < self.clean_to {
                // Checked ahead already: only the position moves.
                let upto = read_to.min(self.clean_to);
                self.pass_clean(from, upto);
                self.scanned += (upto - from) as usize;
                continue;
            }
            if from > self.clean_to || !self.clean_stopped {
                if from > self.clean_to {
                    // The byte-by-byte path went past the checked bytes: start again here.
                    self.line_feeds.clear();
                    self.next_feed = 0;
                    self.clean_to = from;
                    self.clean_stopped = false;
                }
                // (A line feed right after a CR ends no line: the byte-by-byte path knows.)
                if !self.scanned_pos.after_cr {
                    self.check_ahead(buf);
                    if self.clean_to > from {
                        continue;
                    }
                }
            }
            return self.scan_bytes(buf);
        }
    }

    /// Check the bytes after `clean_to` that are read (at most [`CHECK_AHEAD`]): printable
    /// ASCII, tabs and line feeds, a word of eight bytes at a time, line feeds noted; it stops
    /// before any other byte.
    #[inline(never)]
    fn check_ahead(&mut self, buf: &[u8]) {
        let start = self.begin + (self.clean_to - self.window_start) as usize;
        let stop = self.end.min(start.saturating_add(CHECK_AHEAD));
        let bytes = buf.get(start..stop).unwrap_or_default();
        let base = self.clean_to;
        let mut i = 0;
        let mut stopped = false;
        // Forget the line feeds passed already.
        self.line_feeds
            .drain(..self.next_feed.min(self.line_feeds.len()));
        self.next_feed = 0;
        // Sixteen bytes at a time first, then a word at a time from the chunk with a byte of
        // another kind.
        while let Some(chunk) = bytes.get(i..i + LANES).and_then(|c| c.try_into().ok()) {
            let c = classes(chunk);
            if c.unusual != 0 {
                if c.unusual & !(c.feeds | c.tabs) != 0 {
                    break;
                }
                let mut feeds = c.feeds;
                while feeds != 0 {
                    let at = i + feeds.trailing_zeros() as usize;
                    self.line_feeds.push(base + at as u64);
                    feeds &= feeds - 1;
                }
            }
            i += LANES;
        }
        while let Some(word) = bytes.get(i..i + 8) {
            let x = little_endian(word);
            // Most words are printable ASCII only, which the cheaper test says.
            if is_printable_word(x) {
                i += 8;
                continue;
            }
            let (feeds, others) = word_classes(x);
            if others != 0 {
                break;
            }
            let mut feeds = feeds;
            while feeds != 0 {
                let at = i + (feeds.trailing_zeros() / 8) as usize;
                self.line_feeds.push(base + at as u64);
                feeds &= feeds - 1;
            }
            i += 8;
        }
        // The rest (and the word that stopped the loop) one byte at a time.
        while let Some(&b) = bytes.get(i) {
            match b {
                0x20..=0x7f | b'\t' => {}
                b'\n' => self.line_feeds.push(base + i as u64),
                _ => {
                    stopped = true;
                    break;
                }
            }
            i += 1;
        }
        self.clean_to = base + i as u64;
        self.clean_stopped = stopped;
    }

    /// Advance the position over checked bytes `from..upto` (absolute).
    #[inline]
    fn pass_clean(&mut self, from: u64, upto: u64) {
        let mut last_feed = None;
        let mut feeds = 0;
        while let Some(&at) = self.line_feeds.get(self.next_feed) {
            if at >= upto {
                break;
            }
            self.next_feed += 1;
            feeds += 1;
            last_feed = Some(at);
        }
        let pos = &mut self.scanned_pos;
        match last_feed {
            Some(at) => {
                pos.line += feeds;
                pos.column = 1 + (upto - at - 1) as u32;
            }
            None => pos.column += (upto - from) as u32,
        }
        pos.after_cr = false;
    }

    /// The current event's bytes.
    fn window<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        buf.get(self.begin..self.pos).unwrap_or_default()
    }

    /// [`Track::scan`] byte by byte, from the scanned point to the end of the event.
    fn scan_bytes(&mut self, buf: &[u8]) -> Option<InputProblem> {
        // The usual case: ASCII `Char`s; no UTF-8 decoding needed (and no byte order mark).
        let rest = buf
            .get(self.begin + self.scanned..self.pos)
            .unwrap_or_default();
        let ascii = self.scanned_pos.advance_ascii(rest);
        self.scanned += ascii;
        match rest.get(ascii) {
            None => None,
            // An ASCII control outside `Char`.
            Some(&b) if b.is_ascii() => Some(InputProblem::InvalidChar {
                offset: self.window_start + self.scanned as u64,
                code: u32::from(b),
            }),
            Some(_) => self.scan_utf8(buf),
        }
    }

    /// [`Track::scan`] from a byte that is not ASCII to the end of the event: UTF-8
    /// decoding, `Char` checks, the byte order mark.
    fn scan_utf8(&mut self, buf: &[u8]) -> Option<InputProblem> {
        let window = self.window(buf);
        while self.scanned < window.len() {
            let rest = window.get(self.scanned..).unwrap_or_default();
            let (valid, bad) = match std::str::from_utf8(rest) {
                Ok(s) => (s, None),
                Err(e) => {
                    let valid = std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or("");
                    (valid, Some(e.error_len()))
                }
            };
            let bytes = valid.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                // ASCII `Char`s (printable runs, tab, LF, CR) without decoding a char.
                let ascii = self
                    .scanned_pos
                    .advance_ascii(bytes.get(i..).unwrap_or_default());
                if ascii > 0 {
                    i += ascii;
                    continue;
                }
                let Some(c) = valid.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                let at = self.window_start + (self.scanned + i) as u64;
                i += c.len_utf8();
                if at == 0 && c == '\u{FEFF}' {
                    continue; // byte order mark
                }
                if !is_xml_char(c) {
                    self.scanned += i - c.len_utf8();
                    return Some(InputProblem::InvalidChar {
                        offset: at,
                        code: c as u32,
                    });
                }
                self.scanned_pos.advance(c);
            }
            self.scanned += valid.len();
            match bad {
                None => {}
                // Events end on ASCII delimiters, so a sequence cut at the end of an event (or
                // of the input) is invalid too.
                Some(None) => {
                    let start = self.scanned;
                    return Some(InputProblem::InvalidUtf8 {
                        offset: self.window_start + start as u64,
                        bytes: window
                            .get(start..)
                            .unwrap_or_default()
                            .iter()
                            .take(4)
                            .copied()
                            .collect(),
                    });
                }
                Some(Some(len)) => {
                    let start = self.scanned;
                    let end = (start + len.max(1)).min(window.len());
                    return Some(InputProblem::InvalidUtf8 {
                        offset: self.window_start + start as u64,
                        bytes: window.get(start..end).unwrap_or_default().to_vec(),
                    });
                }
            }
        }
        None
    }

    /// At the end of input: [`Track::scan`], then an incomplete UTF-8 sequence left over is a
    /// problem.
    pub(crate) fn finish(&mut self, buf: &[u8]) -> Option<InputProblem> {
        if let Some(p) = self.scan(buf) {
            return Some(p);
        }
        if self.scanned < self.pos - self.begin {
            return Some(InputProblem::InvalidUtf8 {
                offset: self.window_start + self.scanned as u64,
                bytes: self
                    .window(buf)
                    .get(self.scanned..)
                    .unwrap_or_default()
                    .iter()
                    .take(4)
                    .copied()
                    .collect(),
            });
        }
        None
    }

    /// `(line, column)` of an absolute byte offset. Offsets before the current event map to its
    /// start; offsets past the event map to its end.
    #[inline]
    fn position(&self, buf: &[u8], offset: u64) -> (u32, u32) {
        let pos = self.start_pos;
        if offset <= self.window_start {
            // Only ever a few bytes back on the same line.
            let back = (self.window_start - offset).min(u64::from(pos.column - 1)) as u32;
            return (pos.line, pos.column - back);
        }
        self.position_in_window(buf, offset)
    }

    /// [`Track::position`] of an offset after the start of the current event.
    #[inline(never)]
    fn position_in_window(&self, buf: &[u8], offset: u64) -> (u32, u32) {
        let mut pos = self.start_pos;
        let window = self.window(buf);
        let upto = ((offset - self.window_start) as usize).min(window.len());
        let (cached_at, cached_pos) = self.cache.get();
        let from = if cached_at >= self.window_start && cached_at <= offset {
            pos = cached_pos;
            ((cached_at - self.window_start) as usize).min(upto)
        } else {
            0
        };
        let bytes = window.get(from..upto).unwrap_or_default();
        // ASCII first (as in `scan`), then decode the rest.
        let ascii = pos.advance_ascii(bytes);
        let (bytes, from) = (bytes.get(ascii..).unwrap_or_default(), from + ascii);
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
        };
        for (i, c) in text.char_indices() {
            if self.window_start + (from + i) as u64 == 0 && c == '\u{FEFF}' {
                continue;
            }
            pos.advance(c);
        }
        self.cache
            .set((self.window_start + (from + text.len()) as u64, pos));
        (pos.line, pos.column)
    }
}

/// `bytes` as text when they are a part of `known` (the same memory, starting and ending on a
/// character's boundary); `None` otherwise.
#[inline]
pub(crate) fn known_part<'k>(known: &'k str, bytes: &[u8]) -> Option<&'k str> {
    let from = (bytes.as_ptr() as usize).wrapping_sub(known.as_ptr() as usize);
    known.get(from..from.checked_add(bytes.len())?)
}

impl<'a> View<'a> {
    /// The current event of `track`, whose bytes are `buf` (as [`TrackedReader::parts`] gave
    /// them); `known` is bytes of `buf` known to be UTF-8.
    pub(crate) fn new(buf: &'a [u8], track: &'a Track, known: &'a str) -> View<'a> {
        View { buf, track, known }
    }

    /// `bytes` as text when they are a part of the bytes known to be UTF-8 (the same memory,
    /// starting and ending on a character's boundary); `None` otherwise.
    #[inline]
    pub(crate) fn known_text(&self, bytes: &[u8]) -> Option<&'a str> {
        known_part(self.known, bytes)
    }

    /// `(line, column)` of an absolute byte offset (see [`Track::position`]).
    #[inline]
    pub(crate) fn position(&self, offset: u64) -> (u32, u32) {
        self.track.position(self.buf, offset)
    }

    /// Absolute offset of the first byte of the current event.
    pub(crate) fn window_start(&self) -> u64 {
        self.track.window_start
    }

    /// `(line, column)` of the byte `back` bytes before the end of the current event, when
    /// those bytes are printable ASCII (an end tag that ends the event): counted back from the
    /// position after the event, without a pass over the event's bytes.
    pub(crate) fn position_back(&self, back: usize) -> (u32, u32) {
        let t = self.track;
        let whole = t.scanned == t.event_len();
        let tail = t
            .pos
            .checked_sub(back)
            .and_then(|from| self.buf.get(from..t.pos));
        match tail {
            Some(tail) if whole && back <= t.event_len() && printable_ascii_run(tail) == back => {
                let pos = t.scanned_pos;
                (pos.line, pos.column.saturating_sub(back as u32))
            }
            _ => self.position(t.consumed() - back as u64),
        }
    }

    /// Absolute offset of the byte after the current event.
    pub(crate) fn consumed(&self) -> u64 {
        self.track.consumed()
    }

    /// The cap on one event's size.
    pub(crate) fn limit(&self) -> usize {
        self.track.limit
    }

    /// The current event's bytes.
    pub(crate) fn event_bytes(&self) -> &'a [u8] {
        self.track.window(self.buf)
    }

    /// Whether the bytes of the current event at absolute `offset` start with `prefix`
    /// (`false` when they are not in the current event).
    pub(crate) fn starts_with(&self, offset: u64, prefix: &[u8]) -> bool {
        offset
            .checked_sub(self.track.window_start)
            .and_then(|rel| self.event_bytes().get(rel as usize..))
            .is_some_and(|rest| rest.starts_with(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read all of `text` into the buffer.
    fn fill_all(r: &mut TrackedReader<&[u8]>) {
        while !r.at_eof() {
            r.fill().unwrap();
        }
    }

    /// Read `text` as one event and return the reader.
    fn read_all(text: &[u8]) -> TrackedReader<&[u8]> {
        let mut r = TrackedReader::new(text, 1 << 20);
        fill_all(&mut r);
        let (buf, track) = r.parts();
        track.begin_event(buf);
        track.take(buf.len());
        r
    }

    /// [`Track::scan`] of the current event.
    fn scan(r: &mut TrackedReader<&[u8]>) -> Option<InputProblem> {
        let (buf, track) = r.parts();
        track.scan(buf)
    }

    /// [`View::position`] in the current event.
    fn position(r: &TrackedReader<&[u8]>, offset: u64) -> (u32, u32) {
        r.view().position(offset)
    }

    #[test]
    fn printable_ascii_runs_stop_at_the_first_other_byte() {
        for len in 0..20 {
            for at in 0..=len {
                for stop in [0x00, 0x09, 0x0A, 0x1F, 0x80, 0xC3, 0xFF] {
                    let mut bytes: Vec<u8> =
                        (0..len).map(|i| 0x20 + (i as u8 * 7) % 0x60).collect();
                    if at < len {
                        bytes[at] = stop;
                    }
                    let naive = bytes
                        .iter()
                        .take_while(|&&b| (0x20..0x80).contains(&b))
                        .count();
                    assert_eq!(printable_ascii_run(&bytes), naive, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn word_tests_are_exact_for_every_byte_in_every_lane() {
        for lane in 0..8 {
            for filler in [b'a', b'\n', b'\t', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xff] {
                for b in 0..=255u8 {
                    let mut bytes = [filler; 8];
                    bytes[lane] = b;
                    let x = u64::from_le_bytes(bytes);
                    let printable = bytes.iter().all(|b| (0x20..0x80).contains(b));
                    assert_eq!(is_printable_word(x), printable, "{bytes:?}");
                    let (feeds, others) = word_classes(x);
                    for (k, &c) in bytes.iter().enumerate() {
                        let bit = 0x80u64 << (8 * k);
                        let other = !matches!(c, 0x20..=0x7f | b'\t' | b'\n');
                        assert_eq!(feeds & bit != 0, c == b'\n', "{bytes:?} lane {k}");
                        assert_eq!(others & bit != 0, other, "{bytes:?} lane {k}");
                    }
                }
            }
        }
    }

    /// Counted back from the end of a checked event, a position is the one counted from its
    /// start: after line ends, CRs, characters that are not ASCII, and in a tail that is not
    /// printable ASCII (where it is counted from the start).
    #[test]
    fn positions_counted_back_are_the_ones_counted_forward() {
        for text in [
            "<a>text</a>",
            "<a>\nline\r\ncaf\u{e9}</a>",
            "\u{FEFF}x</b>",
            "ab\tc</a>",
            "z\u{e9}</\u{e9}>",
        ] {
            let mut r = read_all(text.as_bytes());
            assert_eq!(scan(&mut r), None, "{text:?}");
            let len = text.len() as u64;
            for back in 0..=text.len() {
                let forward = position(&r, len - back as u64);
                assert_eq!(
                    r.view().position_back(back),
                    forward,
                    "{text:?} back {back}"
                );
            }
        }
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let mut r = read_all("\u{FEFF}ab\r\ncé\rd\ne".as_bytes());
        assert_eq!(scan(&mut r), None);
        assert_eq!(position(&r, 3), (1, 1)); // after the BOM
        assert_eq!(position(&r, 4), (1, 2));
        assert_eq!(position(&r, 7), (2, 1)); // after CR LF
        assert_eq!(position(&r, 10), (2, 3)); // é is one column
        assert_eq!(position(&r, 11), (3, 1)); // after a lone CR
        assert_eq!(position(&r, 13), (4, 1));
        // Asking again for an earlier offset (cache behind) still works.
        assert_eq!(position(&r, 4), (1, 2));
    }

    #[test]
    fn a_line_counter_counts_as_the_reader_does_whatever_the_chunks() {
        let text = "\u{FEFF}ab\r\ncé\rd\ne\r\r\nf\n\ng".as_bytes();
        let mut r = read_all(text);
        assert_eq!(scan(&mut r), None);
        // Every offset between two characters (pieces may cut characters).
        let ends = (0..=text.len()).filter(|&end| std::str::from_utf8(&text[..end]).is_ok());
        for end in ends {
            for chunk in 1..=4 {
                let mut counter = LineCounter::new();
                for piece in text[..end].chunks(chunk) {
                    counter.feed(piece);
                }
                let expected = position(&r, end as u64);
                assert_eq!(
                    counter.position(),
                    expected,
                    "{end} bytes in chunks of {chunk}"
                );
            }
        }
    }

    #[test]
    fn event_by_event_scans_agree_with_one_scan_of_everything() {
        // Clean stretches (checked ahead) between the bytes that take the byte-by-byte path:
        // CR, CR LF, a line feed right after a CR, characters that are not ASCII, tabs.
        let text = "<a>\n  <b>x</b>\r\n\t<c>\u{e9}t\u{e9}</c>\r\n\r<d/>\n\n  long text of more than eight bytes\n</a>\n"
            .repeat(3);
        let bytes = text.as_bytes();
        let whole = read_all(bytes);
        for event_len in 1..=9 {
            let mut r = TrackedReader::new(bytes, 1 << 20);
            fill_all(&mut r);
            let mut offset = 0;
            while offset < bytes.len() {
                let (buf, track) = r.parts();
                track.begin_event(buf);
                assert_eq!(
                    position(&r, offset as u64),
                    position(&whole, offset as u64),
                    "events of {event_len} bytes, at byte {offset}"
                );
                // Events end on ASCII delimiters: never inside a character.
                let mut len = event_len.min(bytes.len() - offset);
                while !text.is_char_boundary(offset + len) {
                    len += 1;
                }
                let (buf, track) = r.parts();
                track.take(track.next_index() + len);
                assert_eq!(track.scan(buf), None);
                offset += len;
            }
        }
    }

    #[test]
    fn invalid_bytes_and_characters_are_located() {
        let mut r = read_all(b"ab\ncd\xC3(x");
        assert_eq!(
            scan(&mut r),
            Some(InputProblem::InvalidUtf8 {
                offset: 5,
                bytes: vec![0xC3]
            })
        );
        assert_eq!(position(&r, 5), (2, 3));
        let mut r = read_all(b"ok\x01");
        assert_eq!(
            scan(&mut r),
            Some(InputProblem::InvalidChar { offset: 2, code: 1 })
        );
        let mut r = read_all("\u{FFFE}".as_bytes());
        assert!(matches!(
            scan(&mut r),
            Some(InputProblem::InvalidChar { code: 0xFFFE, .. })
        ));
    }

    #[test]
    fn an_event_larger_than_the_limit_is_over_it() {
        let data = vec![b'a'; 10_000];
        let mut r = TrackedReader::new(&data[..], 1000);
        fill_all(&mut r);
        let (buf, track) = r.parts();
        track.begin_event(buf);
        track.take(1000);
        assert!(!track.over_limit());
        track.take(1001);
        assert!(track.over_limit());
        assert_eq!(track.consumed(), 1001);
    }

    #[test]
    fn reading_keeps_the_current_event_and_drops_the_bytes_before_it() {
        let data: Vec<u8> = (0..100_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let mut r = TrackedReader::new(&data[..], 1 << 20);
        r.fill().unwrap();
        let (buf, track) = r.parts();
        let first = buf.len();
        track.begin_event(buf);
        track.take(first - 10);
        let (buf, track) = r.parts();
        track.begin_event(buf);
        // The event at `first - 10` goes on past the bytes read: read more.
        r.fill().unwrap();
        let view = r.view();
        assert_eq!(view.window_start(), (first - 10) as u64);
        let (buf, track) = r.parts();
        let at = track.next_index();
        assert_eq!(&buf[at..at + 10], &data[first - 10..first]);
        assert!(buf.len() - at > 10);
        track.take(at + 20);
        assert_eq!(track.scan(buf), None);
        assert_eq!(position(&r, (first + 10) as u64), (1, first as u32 + 11));
    }

    #[test]
    fn known_text_is_borrowed_only_for_whole_characters_of_the_checked_bytes() {
        let doc = "<a b='é'>ü</a>\u{FFFD}".as_bytes().to_vec();
        let mut bad = doc.clone();
        bad.extend_from_slice(&[0xff, b'x']);
        let r = read_all(&bad);
        let (buf, track) = (r.buf.get(..r.track.end).unwrap(), &r.track);
        let known = crate::engine::chars::utf8_prefix(Some(buf));
        assert_eq!(
            known.len(),
            doc.len(),
            "the prefix stops at the byte that is not UTF-8"
        );
        let view = View::new(buf, track, known);
        let at = |s: &str| {
            doc.windows(s.len())
                .position(|w| w == s.as_bytes())
                .unwrap()
        };
        let e = at("é");
        // Slices of the same memory on character boundaries are borrowed.
        assert_eq!(view.known_text(&buf[e..e + 2]), Some("é"));
        assert_eq!(view.known_text(&buf[..2]), Some("<a"));
        assert_eq!(view.known_text(&buf[e..e]), Some(""));
        // Half a character, bytes past the checked prefix, equal bytes elsewhere: not known.
        assert_eq!(view.known_text(&buf[e..e + 1]), None);
        assert_eq!(view.known_text(&buf[doc.len()..]), None);
        assert_eq!(view.known_text(&buf[doc.len() - 1..doc.len() + 1]), None);
        let copy = buf[e..e + 2].to_vec();
        assert_eq!(view.known_text(&copy), None);
        assert_eq!(
            crate::engine::chars::utf8_prefix(Some(&bad[..e + 1])).len(),
            e
        );
        assert_eq!(crate::engine::chars::utf8_prefix(None), "");
    }
}
