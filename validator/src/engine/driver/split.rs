//! One large document on several threads, speculatively.
//!
//! A large API response is mostly a long list of records (`/ServiceResponse/data/Finding`,
//! `.../SCHEDULE_SCAN_LIST/SCAN`). Between two records the pass is in the same state at every
//! boundary: the same open elements, namespaces, content-model states and observer state. So:
//!
//! 1. The first thread reads the document from its start; one worker per extra thread starts
//!    with it, each on a CPU of its own ([`crate::placement`]), and waits. Just after the end
//!    tag of a record that is not the first of its name under its parent, the first thread
//!    saves its state (a [`Snapshot`]) and cuts the rest of the document into parts (sixteen
//!    per thread, on average no smaller than a sixteenth of [`Options::split_min_bytes`],
//!    smallest where the threads are expected to meet): the workers' plan ([`Start`]).
//! 2. The first worker looks for the same end tag (`</Finding>`) after each part's offset and
//!    counts the lines before it, in one read of the file. Each worker then takes the last
//!    part that no thread has taken and validates it from just after that end tag, starting
//!    from the snapshot; then the last part left, and so on.
//! 3. A thread that reaches the start of a part no worker took reads on through it (no worker
//!    takes it any more). A thread that reaches the start of a part a worker took, just after
//!    an end tag and in the snapshot's state, has checked everything before it; the worker
//!    checked everything after it from that same state, so the thread takes the worker's
//!    results (their paths' sibling indexes raised by the records counted before) and stops.
//!    So the threads meet where the faster ones got to, a part away at most: a thread slowed
//!    down (the machine's other load) takes fewer parts. The last part is kept for a worker:
//!    the thread before it always waits for it (a valid list of records is joined there).
//!
//! The guess is only ever used when it is verified: a worker that started inside a comment,
//! a CDATA section or a nested element of the same name started from a state the thread
//! before it is not in at that offset, so its results are dropped and that thread reads on.
//! Results that cannot be joined (a part with IDs or IDREFs, or entity expansions, whose
//! checks span the parts; a worker that could not start) are dropped the same way. The
//! report is the one a single thread makes: the tests split documents at every record.

use super::*;
use crate::engine::input::LineCounter;
use crate::engine::observer::{ObserverFactory, SavedState};
use crate::path::raise_index;
use crate::placement;
use crate::report::ValidationError;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
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
        min_part: (opts.split_min_bytes / PARTS_PER_THREAD).max(1),
    })
}

/// How far past its offset a worker looks for the end tag of a record.
const SEARCH_BYTES: u64 = 4 << 20;
/// The first bytes of a document, read before choosing the records to split at.
const PROBE_BYTES: u64 = 64 * 1024;
/// End tags at which the first thread tries to save its state before it gives up.
const MAX_TRIES: usize = 64;
/// Parts per thread: more parts than threads, so a thread that runs faster takes more of
/// them (see [`Shared::claims`]).
const PARTS_PER_THREAD: u64 = 16;

/// Who validates a part ([`Shared::claims`]).
mod claim {
    /// No one yet: a worker may take it, or the pass before it reads on through it.
    pub const FREE: u8 = 0;
    /// The last part, kept for the first worker (the pass before it never reads on through it
    /// while it is kept).
    pub const KEPT: u8 = 1;
    /// A worker validates it (or did).
    pub const WORKER: u8 = 2;
    /// The pass before it reads on through it.
    pub const READ_ON: u8 = 3;
}

/// The pass's state just after the end tag of a record; every part after the first starts
/// from it.
struct Snapshot {
    /// That end tag, as written (`</Finding>`).
    end_tag: Vec<u8>,
    /// Path of the records' parent.
    parent: String,
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
        // Index 2 or more: a parent is open.
        if index < 2 || !pass.entity_stack.is_empty() || pass.sink.aborted() {
            return None;
        }
        let observer = match pass.observer.as_deref() {
            Some(o) => Some(o.save()?),
            None => None,
        };
        Some(Snapshot {
            end_tag: format!("</{name}>").into_bytes(),
            parent: pass.path.current(),
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
        // The same open elements: the root is not done either.
        observer
            && pass.entity_stack.is_empty()
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
        let count = |counts: &[(String, usize)], name: &str| {
            counts.iter().find(|(n, _)| n == name).map_or(0, |c| c.1)
        };
        let by = |name: &str| count(counts, name).saturating_sub(count(&self.counts, name));
        raise_index(path, &self.parent, &by)
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
    /// Who validates each part ([`claim`]). Workers take the last free part first and the
    /// pass before a free part reads on through it, so the threads meet where the faster one
    /// got to, a part away at most; a pass waits only for a part a worker took.
    claims: Vec<AtomicU8>,
    /// Where each part starts and its line and column there (found once, by the first
    /// worker, in one read of the file up to the last part; unset until then, `None` for a
    /// part without a start, and for part 0, the first thread's).
    located: std::sync::OnceLock<Vec<Option<Located>>>,
    /// Each part's outcome (`[0]` unused).
    slots: Vec<Slot>,
    /// The first thread will not join this part (it went past its start without joining it,
    /// or it is done): the part's worker stops.
    unused: Vec<AtomicBool>,
}

impl Shared {
    fn mark_unused(&self, part: usize) {
        if let Some(flag) = self.unused.get(part) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    fn is_unused(&self, part: usize) -> bool {
        self.unused
            .get(part)
            .is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// For the pass that reached `part`'s start: whether it reads on through the part (no
    /// worker took it, and now none will).
    fn read_on(&self, part: usize) -> bool {
        let Some(c) = self.claims.get(part) else {
            return true;
        };
        match c.compare_exchange(
            claim::FREE,
            claim::READ_ON,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => true,
            Err(now) => now == claim::READ_ON,
        }
    }

    /// For a worker: the last part it may take (kept or free, not of no use, with a start),
    /// now taken.
    fn take_last(&self, located: &[Option<Located>]) -> Option<usize> {
        (1..self.claims.len()).rev().find(|&part| {
            let startable = located.get(part).is_some_and(Option::is_some);
            let Some(c) = self.claims.get(part) else {
                return false;
            };
            startable
                && !self.is_unused(part)
                && [claim::KEPT, claim::FREE].into_iter().any(|from| {
                    c.compare_exchange(from, claim::WORKER, Ordering::AcqRel, Ordering::Acquire)
                        .is_ok()
                })
        })
    }

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
    /// document being checked by the part that starts here (or this part being of no use).
    fn at_boundary(&mut self, pass: &mut Pass, offset: u64) -> bool {
        let first = self.own == 0;
        if !first && self.shared.is_unused(self.own) {
            self.cancelled = true;
            return true;
        }
        // Until the parts are located, read on.
        let Some(located) = self.shared.located.get() else {
            return false;
        };
        while self.next < self.shared.claims.len() {
            let part = self.next;
            let start = located.get(part).copied().flatten().map(|l| l.offset);
            if start.is_some_and(|start| offset < start) {
                return false;
            }
            self.next += 1;
            // Every part the first thread does not join is of no use: stop its worker.
            let stop = |shared: &Shared| {
                if first {
                    shared.mark_unused(part);
                }
            };
            let Some(start) = start else {
                continue; // no start was found: nothing to join
            };
            // Reached or passed: no worker takes it any more.
            if self.shared.read_on(part) {
                trace(|| format!("part {part} (byte {start}): read on by the pass before"));
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
            trace(|| format!("part {part} (byte {start}): waiting for its worker"));
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
    // The first thread stays on its CPU and each worker gets another (see `placement`).
    let cpus = placement::Cpus::here();
    let _pinned = cpus.as_ref().and_then(placement::Cpus::pin_first);
    let start = Start::default();
    std::thread::scope(|scope| {
        // The workers start with the pass, not when it has found where to split: a new thread
        // takes milliseconds to get a CPU of its own, and the pass finds the split after its
        // first records. They wait for the plan (see `Start`).
        let _undecided = DecideOnDrop(&start);
        for nth in 0..source.threads.saturating_sub(1) {
            let (start, cpus) = (&start, &cpus);
            scope.spawn(move || {
                let _pinned = cpus.as_ref().and_then(|c| c.pin_worker(nth));
                trace(|| format!("worker {nth} started on CPU {:?}", placement::current_cpu()));
                if let Some(job) = start.wait() {
                    worker(job.shared, job.snapshot, &job.targets, env, source);
                }
            });
        }
        let mut watch: Option<Watch> = None;
        let mut tries = 0;
        let mut plan_split = |pass: &mut Pass, own: &Option<Arc<DocumentSchema>>, offset: u64| {
            if tries >= MAX_TRIES {
                return None;
            }
            tries += 1;
            let rest = source.len.saturating_sub(offset);
            let parts =
                (rest / source.min_part.max(1)).min(source.threads as u64 * PARTS_PER_THREAD);
            let snapshot = if parts < 2 {
                tries = MAX_TRIES;
                None
            } else {
                Snapshot::take(pass, own)
            };
            let Some(snapshot) = snapshot.map(Arc::new) else {
                if tries >= MAX_TRIES {
                    start.decide(None);
                }
                return None;
            };
            trace(|| {
                let tag = String::from_utf8_lossy(&snapshot.end_tag);
                format!("{parts} parts after byte {offset}, at {tag}")
            });
            let shared = Arc::new(Shared {
                claims: (0..parts)
                    .map(|part| match part {
                        0 => AtomicU8::new(claim::READ_ON),
                        p if p + 1 == parts => AtomicU8::new(claim::KEPT),
                        _ => AtomicU8::new(claim::FREE),
                    })
                    .collect(),
                located: std::sync::OnceLock::new(),
                slots: (0..parts).map(|_| Slot::default()).collect(),
                unused: (0..parts).map(|_| AtomicBool::new(false)).collect(),
            });
            let targets: Arc<[u64]> = part_targets(offset, rest, parts, source.threads).into();
            start.decide(Some(Job {
                shared: shared.clone(),
                snapshot: snapshot.clone(),
                targets,
            }));
            Some((shared, snapshot))
        };
        // Records are told apart from repeated elements inside them by their depth: the
        // shallowest repeated element of the document's first bytes.
        let probe_end = PROBE_BYTES.min(source.len / 8);
        let mut shallowest = usize::MAX;
        let mut hook = |pass: &mut Pass, offset, own: &Option<Arc<DocumentSchema>>| {
            if let Some(w) = watch.as_mut() {
                return w.at_boundary(pass, offset);
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
            if let Some((shared, snapshot)) = plan_split(pass, own, offset) {
                watch = Some(Watch::new(shared, snapshot, 1));
            }
            false
        };
        let cur = pump(cur, pass, env, resolver, Some(&mut hook));
        if let Some(w) = &watch {
            w.join(pass);
            (1..w.shared.unused.len()).for_each(|part| w.shared.mark_unused(part));
        }
        cur
    })
}

/// How much smaller than the average the parts are where the threads are expected to meet,
/// and larger far from it: the parts' sizes go from `1 - NARROWING` to `1 + NARROWING` times
/// the average (see [`part_targets`]).
const NARROWING: f64 = 0.75;

/// Where the `parts - 1` parts after the first one start looking for their start, for `rest`
/// bytes after `offset` on `threads` threads. The first thread reads on from the start and the
/// workers take parts from the end, so they meet about `1 / threads` of the way, a part away
/// at most: the thread that gets there first waits for the other to finish the part it is in.
/// So the parts are small there and larger towards the ends: the size of the part at `u` (0 to
/// 1 of the way) is proportional to `1 - NARROWING * cos(2 pi (u - 1 / threads))`.
fn part_targets(offset: u64, rest: u64, parts: u64, threads: usize) -> Vec<u64> {
    use std::f64::consts::TAU;
    let meet = 1.0 / threads.max(2) as f64;
    let way = |u: f64| u - NARROWING / TAU * ((TAU * (u - meet)).sin() + (TAU * meet).sin());
    (1..parts)
        .map(|p| {
            let u = way(p as f64 / parts as f64).clamp(0.0, 1.0);
            offset + ((rest as f64 * u) as u64).min(rest)
        })
        .collect()
}

/// How long a worker started with the pass spins, waiting for the plan, before it sleeps
/// until then: a sleeping thread's CPU may go idle, and an idle virtual CPU takes milliseconds
/// to wake. The pass usually has its plan within a few milliseconds (after the records of the
/// document's first [`PROBE_BYTES`]).
const SPIN: std::time::Duration = std::time::Duration::from_millis(20);

/// A split, for the workers.
#[derive(Clone)]
struct Job {
    /// What the threads share.
    shared: Arc<Shared>,
    /// The state each part starts from.
    snapshot: Arc<Snapshot>,
    /// Where the parts after the first are to start looking for their start.
    targets: Arc<[u64]>,
}

/// What the workers wait for: the first thread's plan, decided once (`None`: the document is
/// not split, and the workers end).
#[derive(Default)]
struct Start(std::sync::OnceLock<Option<Job>>);

impl Start {
    /// Decide `plan`, unless a plan was decided before.
    fn decide(&self, plan: Option<Job>) {
        let _ = self.0.set(plan);
    }

    /// The split to work on, once decided (spinning up to [`SPIN`], then asleep); `None` when
    /// there is none.
    fn wait(&self) -> Option<Job> {
        let began = std::time::Instant::now();
        let mut spins = 0u32;
        while self.0.get().is_none() {
            std::hint::spin_loop();
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(1024) && began.elapsed() >= SPIN {
                break;
            }
        }
        self.0.wait().clone()
    }
}

/// Decides that there is no split when the first thread's pass ends without a plan (or
/// unwinds), so no worker waits for one forever.
struct DecideOnDrop<'s>(&'s Start);

impl Drop for DecideOnDrop<'_> {
    fn drop(&mut self) {
        self.0.decide(None);
    }
}

/// A worker: find where the parts start (the first worker; the others wait for it), then
/// take the last part left, validate it (see the module docs) and publish what it found,
/// until no part is left.
fn worker(
    shared: Arc<Shared>,
    snapshot: Arc<Snapshot>,
    targets: &[u64],
    env: &Env,
    source: Source,
) {
    let located = shared.located.get_or_init(|| {
        let began = std::time::Instant::now();
        let found = locate(source.path, targets, &snapshot.end_tag);
        trace(|| format!("parts located in {} ms", began.elapsed().as_millis()));
        part_starts(found, targets.len())
    });
    while let Some(part) = shared.take_last(located) {
        let _guard = PublishOnDrop {
            shared: &shared,
            part,
        };
        trace(|| format!("part {part}: taken by a worker"));
        let watch = Watch::new(shared.clone(), snapshot.clone(), part + 1);
        let outcome = located
            .get(part)
            .copied()
            .flatten()
            .and_then(|start| validate_part(start, watch, env, source));
        trace(|| format!("part {part}: worker done"));
        shared.publish(part, outcome.unwrap_or_else(Outcome::unjoinable));
    }
}

/// Validate the part from `start` to where the next part joins it or to the end.
fn validate_part(start: Located, mut watch: Watch, env: &Env, source: Source) -> Option<Outcome> {
    let snapshot = watch.snapshot.clone();
    let mut observer = match (source.observers, &snapshot.observer) {
        (Some(make), Some(_)) => Some(make()),
        (None, None) => None,
        _ => return None,
    };
    let observer = observer.as_mut().map(|o| &mut **o as &mut dyn Observer);
    let mut pass = snapshot.pass(env, observer)?;
    let mut file = std::fs::File::open(source.path).ok()?;
    file.seek(SeekFrom::Start(start.offset)).ok()?;
    let input = std::io::BufReader::new(file);
    let limit = event_limit(env.opts);
    let cur = Cursor::new(
        TrackedReader::resuming(input, limit, Vec::new(), start.offset, start.at),
        snapshot.own.clone(),
        true,
    );
    // Workers never read a DTD: a DOCTYPE after the root is an error before anything is read.
    let offline = qschema_model::MemoryResolver::new();
    let mut hook =
        |pass: &mut Pass, offset, _: &Option<Arc<DocumentSchema>>| watch.at_boundary(pass, offset);
    pump(cur, &mut pass, env, &offline, Some(&mut hook));
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
/// tests and for finding out why a document was not split), with the milliseconds since the
/// first message.
fn trace(message: impl FnOnce() -> String) {
    static FIRST: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    if std::env::var_os("QSCHEMA_TRACE_SPLIT").is_some() {
        let ms = FIRST
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
            * 1e3;
        eprintln!("qschema: split: [{ms:7.1} ms] {}", message());
    }
}

/// Where a part starts (not yet verified).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Located {
    /// Just after an end tag of a record.
    offset: u64,
    /// Its line and column.
    at: (u32, u32),
}

/// Where each part starts: for each of `targets` (ascending), the first `end_tag` at or after
/// it (and after the start found for the target before), looked for within
/// [`SEARCH_BYTES`], with its line and column; the file is read once, up to the last start.
/// `None` for a target without such an end tag, or whose end tag is followed by a byte order
/// mark (quick-xml would drop it at the start of its input).
fn locate(path: &Path, targets: &[u64], end_tag: &[u8]) -> std::io::Result<Vec<Option<Located>>> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut file = std::fs::File::open(path)?;
    let mut counter = LineCounter::new();
    let mut chunk = vec![0u8; 256 * 1024];
    // Bytes counted (and read: `file` is there).
    let mut counted = 0u64;
    let mut found = Vec::with_capacity(targets.len());
    for &target in targets {
        // The lines before `target`.
        let mut prefix = (&mut file).take(target.saturating_sub(counted));
        loop {
            let n = read_some(&mut prefix, &mut chunk)?;
            if n == 0 {
                break;
            }
            counter.feed(&chunk[..n]);
            counted += n as u64;
        }
        // Then the end tag, in a window that keeps a tag cut by a read whole.
        let mut window: Vec<u8> = Vec::new();
        let mut searched = 0u64;
        let start = loop {
            let n = read_some(&mut file, &mut chunk)?;
            window.extend_from_slice(&chunk[..n]);
            if let Some(at) = memchr::memmem::find(&window, end_tag) {
                let after = at + end_tag.len();
                let rest = &window[after..];
                if rest.len() >= BOM.len() || n == 0 {
                    counter.feed(&window[..after]);
                    counted += after as u64;
                    let start = Located {
                        offset: counted,
                        at: counter.position(),
                    };
                    break (!rest.starts_with(BOM)).then_some(start);
                }
                continue; // the bytes after the tag decide: read them first
            }
            searched += n as u64;
            if n == 0 || searched > SEARCH_BYTES {
                break None;
            }
            let cut = window.len().saturating_sub(end_tag.len() - 1);
            counter.feed(&window[..cut]);
            counted += cut as u64;
            window.drain(..cut);
        };
        // Read on from what is counted.
        file.seek(SeekFrom::Start(counted))?;
        found.push(start);
    }
    Ok(found)
}

/// Where each part starts, from what [`locate`] found for the parts after the first: part 0
/// is the first thread's. When the file could not be read (an I/O error), no part has a
/// start: no worker takes one, and the first thread reads the whole document.
fn part_starts(
    found: std::io::Result<Vec<Option<Located>>>,
    targets: usize,
) -> Vec<Option<Located>> {
    let found = found.unwrap_or_else(|e| {
        trace(|| format!("parts not located: {e}"));
        vec![None; targets]
    });
    std::iter::once(None).chain(found).collect()
}

/// One read into `buf`, again when interrupted; 0 at the end.
fn read_some(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch file of this process holding `bytes`.
    fn file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("qschema-split-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).expect("scratch file written");
        path
    }

    /// The line and column of `offset` in `doc`, counted naively.
    fn position(doc: &[u8], offset: usize) -> (u32, u32) {
        let before = &doc[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = std::str::from_utf8(&before[line_start..])
            .unwrap()
            .chars()
            .count()
            + 1;
        (line as u32, column as u32)
    }

    #[test]
    fn parts_start_after_the_first_end_tag_at_or_after_each_target() {
        let records: String = (0..50)
            .map(|i| {
                format!(
                    "  <a>r\u{e9}cord {i}</a>{}\n",
                    if i % 3 == 0 { " " } else { "" }
                )
            })
            .collect();
        let doc = format!("<r>\n{records}</r>\n").into_bytes();
        let path = file("locate", &doc);
        let targets = [10, 200, 201, 600];
        let found = locate(&path, &targets, b"</a>").expect("located");
        let _ = std::fs::remove_file(&path);
        assert_eq!(found.len(), targets.len());
        let mut after = 0;
        for (target, start) in targets.iter().zip(&found) {
            // The first `</a>` that ends at or after the target and after the previous start.
            let from = (*target as usize).max(after);
            let at =
                from + memchr::memmem::find(&doc[from..], b"</a>").expect("an end tag after it");
            let offset = at + b"</a>".len();
            assert_eq!(
                *start,
                Some(Located {
                    offset: offset as u64,
                    at: position(&doc, offset),
                }),
                "target {target}"
            );
            after = offset;
        }
    }

    #[test]
    fn targets_without_an_end_tag_after_them_have_no_start() {
        let doc = b"<r>\n  <a>1</a>\n  <b>2</b>\n</r>\n";
        let path = file("no-end-tag", doc);
        let found = locate(&path, &[2, 15], b"</a>").expect("located");
        let _ = std::fs::remove_file(&path);
        assert!(found[0].is_some());
        assert_eq!(found[1], None);
    }

    #[test]
    fn parts_are_smallest_where_the_threads_meet() {
        for threads in [2, 3, 4] {
            let (offset, rest, parts) = (1000, 10_000_000, 18);
            let targets = part_targets(offset, rest, parts, threads);
            assert_eq!(targets.len(), parts as usize - 1);
            let bounds: Vec<u64> = std::iter::once(offset)
                .chain(targets.iter().copied())
                .chain(std::iter::once(offset + rest))
                .collect();
            let sizes: Vec<u64> = bounds.windows(2).map(|w| w[1] - w[0]).collect();
            assert!(sizes.iter().all(|&s| s > 0), "ascending: {sizes:?}");
            // The part about 1 / threads of the way is the smallest, about a quarter of the
            // average; the largest are about 1.75 times it.
            let average = rest / parts;
            let smallest = (0..sizes.len()).min_by_key(|&i| sizes[i]).unwrap();
            let meet = parts as f64 / threads as f64;
            assert!(
                (smallest as f64 - meet).abs() <= 1.0,
                "{threads}: {sizes:?}"
            );
            assert!(sizes[smallest] * 3 < average, "{threads}: {sizes:?}");
            assert!(
                sizes.iter().all(|&s| s < average * 2),
                "{threads}: {sizes:?}"
            );
        }
    }

    #[test]
    fn workers_waiting_for_the_plan_see_the_first_decision_only() {
        // A worker that waits before the decision (spinning, then asleep) and one that comes
        // after it both see no split; a later decision does not change it.
        let start = Start::default();
        std::thread::scope(|scope| {
            let early = scope.spawn(|| start.wait().is_none());
            std::thread::sleep(SPIN + std::time::Duration::from_millis(5));
            drop(DecideOnDrop(&start));
            let shared = Arc::new(Shared {
                claims: Vec::new(),
                located: std::sync::OnceLock::new(),
                slots: Vec::new(),
                unused: Vec::new(),
            });
            let snapshot = Arc::new(Snapshot {
                end_tag: b"</a>".to_vec(),
                parent: "/r".into(),
                counts: Vec::new(),
                path: PathTracker::new(),
                ns: Namespaces::default(),
                open: Vec::new(),
                events_seen: 0,
                external_dtd: false,
                standalone: false,
                validator: Validator::with_pools(Default::default()),
                observer: None,
                own: None,
            });
            start.decide(Some(Job {
                shared,
                snapshot,
                targets: Arc::from([]),
            }));
            assert!(early.join().expect("the early worker ends"));
            assert!(start.wait().is_none());
        });
    }

    #[test]
    fn an_unreadable_file_leaves_every_part_to_the_first_thread() {
        // A file that is gone, and a folder (opened, but not readable as a file).
        let gone = std::env::temp_dir().join(format!("qschema-split-{}-gone", std::process::id()));
        let folder = std::env::temp_dir();
        for path in [gone.as_path(), folder.as_path()] {
            let found = locate(path, &[10, 20, 30], b"</a>");
            assert!(found.is_err(), "{}: {found:?}", path.display());
            let starts = part_starts(found, 3);
            assert_eq!(starts, vec![None; 4], "{}", path.display());
            // No worker takes a part without a start.
            let shared = Shared {
                claims: (0..4).map(|_| AtomicU8::new(claim::FREE)).collect(),
                located: std::sync::OnceLock::new(),
                slots: (0..4).map(|_| Slot::default()).collect(),
                unused: (0..4).map(|_| AtomicBool::new(false)).collect(),
            };
            assert_eq!(shared.take_last(&starts), None);
            // A part with a start is taken, the last first.
            let mut some = starts.clone();
            some[2] = Some(Located {
                offset: 5,
                at: (1, 6),
            });
            assert_eq!(shared.take_last(&some), Some(2));
            assert_eq!(shared.take_last(&some), None);
        }
    }
}
