//! One large document on several threads, speculatively.
//!
//! A large API response is mostly a long list of records (`/ServiceResponse/data/Finding`,
//! `.../SCHEDULE_SCAN_LIST/SCAN`). Between two records the pass is in the same state at every
//! boundary: the same open elements, namespaces, content-model states and observer state. So:
//!
//! 1. The first thread reads the document from its start. Just after the end tag of a record
//!    that is not the first of its name under its parent, it saves its state (a
//!    [`Snapshot`]) and starts one worker per extra thread, each at an offset further on.
//! 2. A worker looks for the same end tag (`</Finding>`) after its offset, counts the lines
//!    before it, and validates from just after it, starting from the snapshot.
//! 3. A thread that reaches the offset where the next worker started, just after an end tag
//!    and in the snapshot's state, has checked everything before it; the worker checked
//!    everything after it from that same state, so the thread takes the worker's results
//!    (their paths' sibling indexes raised by the records counted before) and stops.
//!
//! The guess is only ever used when it is verified: a worker that started inside a comment,
//! a CDATA section or a nested element of the same name started from a state the thread
//! before it is not in at that offset, so its results are dropped and that thread reads on.
//! Results that cannot be joined (a part with IDs or IDREFs, or entity expansions, whose
//! checks span the parts; a worker that could not start) are dropped the same way. The
//! report is the one a single thread makes: the tests split documents at every record.

use super::*;
use crate::engine::observer::{ObserverFactory, SavedState};
use crate::path::raise_index;
use crate::report::ValidationError;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

/// A document that may be split: a file the pass reads unchanged from its start.
#[derive(Clone, Copy)]
pub(crate) struct Source<'s, 'f> {
    /// The file.
    pub path: &'s Path,
    /// Its size.
    pub len: u64,
    /// Threads to use, the first one included.
    pub threads: usize,
    /// Observers for the workers, when the pass has one.
    pub observers: Option<&'s ObserverFactory<'f>>,
    /// The smallest part a worker takes, in bytes.
    pub min_part: u64,
}

/// The split of `doc`'s file that `opts` allows, if any: at least two threads, and a file at
/// least [`Options::split_min_bytes`] long.
pub(crate) fn source<'s, 'f>(
    doc: &DocumentInput<'s>,
    opts: &Options,
    observers: Option<&'s ObserverFactory<'f>>,
) -> Option<Source<'s, 'f>> {
    if opts.split_threads < 2 {
        return None;
    }
    let path = doc.path?;
    let meta = std::fs::metadata(path).ok()?;
    (meta.is_file() && meta.len() >= opts.split_min_bytes.max(2)).then_some(Source {
        path,
        len: meta.len(),
        threads: opts.split_threads,
        observers,
        min_part: (opts.split_min_bytes / 2).max(1),
    })
}

/// How far past its offset a worker looks for the end tag of a record.
const SEARCH_BYTES: u64 = 4 << 20;
/// The first bytes of a document, read before choosing the records to split at.
const PROBE_BYTES: u64 = 64 * 1024;
/// End tags at which the first thread tries to save its state before it gives up.
const MAX_TRIES: usize = 64;
/// A worker's start offset before it is known.
const UNKNOWN: u64 = u64::MAX;
/// A worker's start offset when it found none.
const NOWHERE: u64 = u64::MAX - 1;

/// The pass's state just after the end tag of a record; every part after the first starts
/// from it.
struct Snapshot {
    /// That end tag, as written (`</Finding>`).
    end_tag: Vec<u8>,
    /// Path of the records' parent, and its depth.
    parent: String,
    parent_depth: usize,
    /// The parent's children so far, by name.
    counts: Vec<(String, usize)>,
    path: PathTracker,
    ns: Namespaces,
    open: Vec<Open>,
    events_seen: usize,
    external_dtd: bool,
    standalone: bool,
    validator: Validator,
    observer: Option<SavedState>,
    own: Option<Arc<DocumentSchema>>,
}

impl Snapshot {
    /// Save `pass` if it can be continued elsewhere: just after the end tag of a record that
    /// is not the first of its name, nothing pending that a later part would have to see.
    fn take(pass: &Pass, own: &Option<Arc<DocumentSchema>>) -> Option<Snapshot> {
        let (name, index) = pass.path.last_closed()?;
        if index < 2 || !pass.entity_stack.is_empty() || pass.root_done || pass.sink.aborted() {
            return None;
        }
        let observer = match pass.observer.as_deref() {
            Some(o) => Some(o.save()?),
            None => None,
        };
        Some(Snapshot {
            end_tag: format!("</{name}>").into_bytes(),
            parent: pass.path.current(),
            parent_depth: pass.path.depth(),
            counts: pass.path.child_counts(),
            path: pass.path.clone(),
            ns: pass.ns.clone(),
            open: pass.open.clone(),
            events_seen: pass.events_seen,
            external_dtd: pass.external_dtd,
            standalone: pass.standalone,
            validator: pass.validator.fork()?,
            observer,
            own: own.clone(),
        })
    }

    /// Whether `pass` is in this state (at a boundary): what follows is then validated alike.
    fn matches(&self, pass: &Pass) -> bool {
        let observer = match (pass.observer.as_deref(), &self.observer) {
            (None, None) => true,
            (Some(o), Some(saved)) => o.is_in_state(saved),
            _ => false,
        };
        observer
            && pass.entity_stack.is_empty()
            && !pass.root_done
            && pass.open == self.open
            && pass.ns == self.ns
            && pass.external_dtd == self.external_dtd
            && pass.standalone == self.standalone
            && pass.path.same_open_elements(&self.path)
            && pass.validator.same_state(&self.validator)
    }

    /// A pass continuing from this state.
    fn pass<'a>(&self, env: &Env<'a>, observer: Option<&'a mut dyn Observer>) -> Option<Pass<'a>> {
        let mut pass = Pass::new(env, self.path.clone(), self.validator.fork()?, observer);
        pass.ns = self.ns.clone();
        pass.open = self.open.clone();
        pass.root_seen = true;
        pass.events_seen = self.events_seen;
        pass.external_dtd = self.external_dtd;
        pass.standalone = self.standalone;
        if let (Some(o), Some(saved)) = (pass.observer.as_deref_mut(), &self.observer) {
            if !o.restore(saved) {
                return None;
            }
        }
        Some(pass)
    }

    /// `path` of a later part, reported as the part before it sees it: the records' indexes
    /// raised by those the part before counted beyond the snapshot's (`counts`, at the
    /// boundary).
    fn raise(&self, path: &str, counts: &[(String, usize)]) -> String {
        let by = |name: &str| {
            let now = counts.iter().find(|(n, _)| n == name).map_or(0, |c| c.1);
            let then = self
                .counts
                .iter()
                .find(|(n, _)| n == name)
                .map_or(0, |c| c.1);
            now.saturating_sub(then)
        };
        raise_index(path, &self.parent, self.parent_depth, &by)
    }
}

/// What a worker found: its part's results, and those of the parts it joined.
struct Outcome {
    /// Whether they can be joined to the parts before.
    joinable: bool,
    report: Report,
    findings: Vec<ValidationError>,
}

impl Outcome {
    fn unjoinable() -> Outcome {
        Outcome {
            joinable: false,
            report: Report::default(),
            findings: Vec::new(),
        }
    }
}

/// A worker's outcome once it is published.
#[derive(Default)]
struct Slot {
    outcome: Mutex<Option<Arc<Outcome>>>,
    ready: Condvar,
}

/// What the threads of one document share.
struct Shared {
    /// Where each part starts (`[0]` is the first thread's: 0).
    starts: Vec<AtomicU64>,
    /// Each part's outcome (`[0]` unused).
    slots: Vec<Slot>,
    /// The first thread is done: workers still running stop.
    cancel: AtomicBool,
    /// The first thread went past this part's start without joining it: it is of no use.
    passed: Vec<AtomicBool>,
}

impl Shared {
    fn publish(&self, part: usize, outcome: Outcome) {
        if let Some(slot) = self.slots.get(part) {
            let mut held = slot.outcome.lock().unwrap_or_else(|e| e.into_inner());
            if held.is_none() {
                *held = Some(Arc::new(outcome));
            }
            slot.ready.notify_all();
        }
    }

    fn wait(&self, part: usize) -> Arc<Outcome> {
        let Some(slot) = self.slots.get(part) else {
            return Arc::new(Outcome::unjoinable());
        };
        let mut held = slot.outcome.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(o) = held.as_ref() {
                return o.clone();
            }
            held = slot.ready.wait(held).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Publishes an unjoinable outcome for a worker that ends without one (it panicked), so no
/// thread waits for it forever.
struct PublishOnDrop<'s> {
    shared: &'s Shared,
    part: usize,
}

impl Drop for PublishOnDrop<'_> {
    fn drop(&mut self) {
        self.shared.publish(self.part, Outcome::unjoinable());
    }
}

/// One thread's watch of the boundaries after its part's start.
struct Watch {
    shared: Arc<Shared>,
    snapshot: Arc<Snapshot>,
    /// This thread's part (0: the first thread).
    own: usize,
    /// The next part whose start this thread has not passed.
    next: usize,
    /// The part this thread stopped at, and its outcome.
    joined: Option<Arc<Outcome>>,
    /// The parent's child counts at that boundary.
    counts: Vec<(String, usize)>,
    cancelled: bool,
}

impl Watch {
    fn new(shared: Arc<Shared>, snapshot: Arc<Snapshot>, next: usize) -> Watch {
        Watch {
            shared,
            snapshot,
            own: next.saturating_sub(1),
            next,
            joined: None,
            counts: Vec::new(),
            cancelled: false,
        }
    }

    /// At a boundary (just after an end tag, `offset`): whether to stop here, the rest of the
    /// document being checked by the part that starts here.
    fn at_boundary(&mut self, pass: &mut Pass, offset: u64, first: bool) -> bool {
        if !first && self.shared.cancel.load(Ordering::Relaxed)
            || self.own_part().is_some_and(|p| p.load(Ordering::Relaxed))
        {
            self.cancelled = true;
            return true;
        }
        while let Some(start) = self.shared.starts.get(self.next) {
            let start = start.load(Ordering::Acquire);
            if start == UNKNOWN || offset < start {
                return false;
            }
            let part = self.next;
            self.next += 1;
            // Every part the first thread does not join is of no use: stop its worker.
            let stop = |shared: &Shared| {
                if first {
                    if let Some(p) = shared.passed.get(part) {
                        p.store(true, Ordering::Relaxed);
                    }
                }
            };
            if start == NOWHERE {
                continue;
            }
            if offset > start {
                trace(|| format!("part {part} (byte {start}): not after an end tag of this pass"));
                stop(&self.shared);
                continue;
            }
            if !self.snapshot.matches(pass) {
                trace(|| format!("part {part} (byte {start}): not in the snapshot's state there"));
                stop(&self.shared);
                return false;
            }
            let outcome = self.shared.wait(part);
            if !outcome.joinable {
                trace(|| format!("part {part} (byte {start}): its results cannot be joined"));
                stop(&self.shared);
                return false;
            }
            trace(|| format!("part {part} (byte {start}): joined"));
            self.counts = pass.path.child_counts();
            self.joined = Some(outcome);
            return true;
        }
        false
    }

    /// The flag that stops this thread's own part (`None` for the first thread's).
    fn own_part(&self) -> Option<&AtomicBool> {
        let own = Some(self.own).filter(|&p| p > 0)?;
        self.shared.passed.get(own)
    }

    /// Add the joined part's results to `pass`'s.
    fn join(&self, pass: &mut Pass) {
        let Some(outcome) = &self.joined else {
            return;
        };
        let raise = |e: &ValidationError| {
            let mut e = e.clone();
            e.path = self.snapshot.raise(&e.path, &self.counts);
            e
        };
        let r = &outcome.report;
        pass.sink
            .append(r.errors.iter().map(raise), r.truncated, r.aborted);
        if let Some(o) = pass.observer.as_deref_mut() {
            o.add_findings(outcome.findings.iter().map(raise).collect());
        }
    }
}

/// The first thread's pass over a document that may be split (see the module docs).
pub(super) fn run<R: BufRead>(
    cur: Cursor<R>,
    pass: &mut Pass,
    env: &Env,
    resolver: &dyn Resolver,
    source: Source,
) -> Cursor<R> {
    std::thread::scope(|scope| {
        let mut watch: Option<Watch> = None;
        let mut tries = 0;
        let mut spawn = |pass: &mut Pass, own: &Option<Arc<DocumentSchema>>, offset: u64| {
            if tries >= MAX_TRIES {
                return None;
            }
            tries += 1;
            let rest = source.len.saturating_sub(offset);
            let parts = (rest / source.min_part.max(1)).min(source.threads as u64);
            if parts < 2 {
                tries = MAX_TRIES;
                return None;
            }
            let snapshot = Arc::new(Snapshot::take(pass, own)?);
            trace(|| {
                let tag = String::from_utf8_lossy(&snapshot.end_tag);
                format!("{parts} parts after byte {offset}, at {tag}")
            });
            let shared = Arc::new(Shared {
                starts: (0..parts).map(|_| AtomicU64::new(UNKNOWN)).collect(),
                slots: (0..parts).map(|_| Slot::default()).collect(),
                cancel: AtomicBool::new(false),
                passed: (0..parts).map(|_| AtomicBool::new(false)).collect(),
            });
            shared.starts[0].store(0, Ordering::Release);
            for part in 1..parts {
                let target = offset + rest * part / parts;
                let watch = Watch::new(shared.clone(), snapshot.clone(), part as usize + 1);
                scope.spawn(move || worker(part as usize, target, watch, env, source));
            }
            Some((shared, snapshot))
        };
        // Records are told apart from repeated elements inside them by their depth: the
        // shallowest repeated element of the document's first bytes.
        let probe_end = PROBE_BYTES.min(source.len / 8);
        let mut shallowest = usize::MAX;
        let (cur, _) = pump(cur, pass, env, resolver, &mut |pass, offset, own| {
            if let Some(w) = watch.as_mut() {
                return w.at_boundary(pass, offset, true);
            }
            if pass.path.last_closed().is_none_or(|(_, index)| index < 2) {
                return false;
            }
            let depth = pass.path.depth();
            if offset < probe_end {
                shallowest = shallowest.min(depth);
                return false;
            }
            if depth > shallowest {
                return false;
            }
            if let Some((shared, snapshot)) = spawn(pass, own, offset) {
                watch = Some(Watch::new(shared, snapshot, 1));
            }
            false
        });
        if let Some(w) = &watch {
            w.join(pass);
            w.shared.cancel.store(true, Ordering::Relaxed);
        }
        cur
    })
}

/// A worker: find its start after `target`, validate from there (see the module docs), and
/// publish what it found as part `part`.
fn worker(part: usize, target: u64, watch: Watch, env: &Env, source: Source) {
    let shared = watch.shared.clone();
    let _guard = PublishOnDrop {
        shared: &shared,
        part,
    };
    let end_tag = &watch.snapshot.end_tag;
    let start = boundary_after(source.path, target, end_tag).ok().flatten();
    if let Some(s) = shared.starts.get(part) {
        s.store(start.unwrap_or(NOWHERE), Ordering::Release);
    }
    let outcome = match start {
        Some(start) => validate_part(start, watch, env, source),
        None => None,
    };
    shared.publish(part, outcome.unwrap_or_else(Outcome::unjoinable));
}

/// Validate the part from `start` (found, not yet verified) to where the next part joins it
/// or to the end.
fn validate_part(start: u64, mut watch: Watch, env: &Env, source: Source) -> Option<Outcome> {
    let snapshot = watch.snapshot.clone();
    let at = position_at(source.path, start).ok()?;
    let mut file = std::fs::File::open(source.path).ok()?;
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut observer = match (source.observers, &snapshot.observer) {
        (Some(make), Some(_)) => Some(make()),
        (None, None) => None,
        _ => return None,
    };
    let observer = observer.as_mut().map(|o| &mut **o as &mut dyn Observer);
    let mut pass = snapshot.pass(env, observer)?;
    let input = std::io::BufReader::new(file);
    let limit = event_limit(env.opts);
    let cur = Cursor {
        xml: configured(TrackedReader::resuming(input, limit, Vec::new(), start, at)),
        buf: Vec::new(),
        prev_text: false,
        after_end: false,
        own: snapshot.own.clone(),
        announced: true,
    };
    let (_, _) = pump(cur, &mut pass, env, &Offline, &mut |pass, offset, _| {
        watch.at_boundary(pass, offset, false)
    });
    if watch.cancelled {
        return None;
    }
    watch.join(&mut pass);
    let joinable = !pass.validator.saw_ids() && pass.expansions == 0 && pass.expanded_bytes == 0;
    let findings = pass
        .observer
        .as_deref_mut()
        .map(|o| o.take_findings())
        .unwrap_or_default();
    Some(Outcome {
        joinable,
        report: pass.sink.into_report(),
        findings,
    })
}

/// Write `message` to stderr when `QSCHEMA_TRACE_SPLIT` is set (how a split went, for
/// tests and for finding out why a document was not split).
fn trace(message: impl FnOnce() -> String) {
    if std::env::var_os("QSCHEMA_TRACE_SPLIT").is_some() {
        eprintln!("qschema: split: {}", message());
    }
}

/// A resolver for workers: they never read a DTD (a DOCTYPE after the root is an error
/// before anything is read).
struct Offline;

impl Resolver for Offline {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        Err(std::io::Error::other(format!(
            "{}: not read by a worker of a split document",
            path.display()
        )))
    }
}

/// The offset just after the first `end_tag` at or after `target` (within
/// [`SEARCH_BYTES`]), unless the bytes there start with a byte order mark (quick-xml would
/// drop it at the start of its input).
fn boundary_after(path: &Path, target: u64, end_tag: &[u8]) -> std::io::Result<Option<u64>> {
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(target))?;
    let mut bytes = Vec::new();
    file.take(SEARCH_BYTES).read_to_end(&mut bytes)?;
    let Some(at) = memchr::memmem::find(&bytes, end_tag) else {
        return Ok(None);
    };
    let after = at + end_tag.len();
    if bytes
        .get(after..)
        .is_some_and(|rest| rest.starts_with(b"\xEF\xBB\xBF"))
    {
        return Ok(None);
    }
    Ok(Some(target + after as u64))
}

/// `(line, column)` of byte `offset` of the file, counted as the pass counts them: CR, LF and
/// CR LF end a line; columns count characters; a byte order mark at the start is not one.
fn position_at(path: &Path, offset: u64) -> std::io::Result<(u32, u32)> {
    let mut input = std::fs::File::open(path)?.take(offset);
    let mut chunk = vec![0u8; 256 * 1024];
    let (mut line, mut column, mut after_cr, mut first) = (1u64, 1u64, false, true);
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut bytes = &chunk[..n];
        if first {
            first = false;
            if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                bytes = rest;
            }
        }
        if after_cr {
            // A CR ended the previous chunk: an LF right after it ends no other line.
            after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        if !bytes.contains(&b'\r') {
            // The usual case: LF only, counted in bulk.
            let lfs = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            let last_line = match bytes.iter().rposition(|&b| b == b'\n') {
                Some(i) => {
                    line += lfs;
                    column = 1;
                    &bytes[i + 1..]
                }
                None => bytes,
            };
            column += chars(last_line);
            continue;
        }
        for &b in bytes {
            match b {
                b'\n' if after_cr => after_cr = false,
                b'\n' => {
                    line += 1;
                    column = 1;
                }
                b'\r' => {
                    line += 1;
                    column = 1;
                    after_cr = true;
                }
                _ => {
                    after_cr = false;
                    column += u64::from((b & 0xC0) != 0x80);
                }
            }
        }
    }
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((clamp(line), clamp(column)))
}

/// Characters in UTF-8 `bytes` (bytes that do not continue a sequence).
fn chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64
}
