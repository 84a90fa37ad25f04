//! Checking many inputs on a few threads while printing results in input order as soon as
//! they are ready.
//!
//! Workers take inputs in input order (a shared counter, not rayon's split-in-halves, so the
//! second half of a long list does not finish before the first half and sit unprinted). The
//! worker that finishes the oldest result not yet emitted emits it, and every finished result
//! after it, under one lock: a result is emitted as soon as it and every result before it are
//! done, without a separate printing thread to wake for each result (on 10,000 small files,
//! those wake-ups cost about a tenth of the CPU time).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Threads to use in all: `jobs`, or one per core.
fn threads(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// Threads to use for `count` inputs: [`threads`], at most one per input.
pub fn workers(count: usize, jobs: Option<usize>) -> usize {
    threads(jobs).min(count).max(1)
}

/// Threads one large input may be split across: those the other inputs leave.
pub fn split_threads(count: usize, jobs: Option<usize>) -> usize {
    threads(jobs) / workers(count, jobs)
}

/// Results finished out of order, and the emitter they wait for.
struct Ordered<T, E> {
    pending: BTreeMap<usize, T>,
    expected: usize,
    emit: E,
}

impl<T, E: FnMut(usize, T)> Ordered<T, E> {
    /// Record result `i` and emit every result that is now next in order.
    fn finish(&mut self, i: usize, result: T) {
        if i != self.expected {
            self.pending.insert(i, result);
            return;
        }
        (self.emit)(i, result);
        self.expected += 1;
        while let Some(result) = self.pending.remove(&self.expected) {
            (self.emit)(self.expected, result);
            self.expected += 1;
        }
    }
}

/// Run `work(scratch, i)` for every `i` in `0..count` on `threads` threads (each with its own
/// `S::default()` scratch, reused across its inputs) and call `emit(i, result)` in increasing
/// `i`, each as early as possible (on whichever thread finished the result that made it next;
/// calls never overlap).
pub fn run_ordered<S, T, W, E>(count: usize, threads: usize, work: W, mut emit: E)
where
    S: Default,
    T: Send,
    W: Fn(&mut S, usize) -> T + Sync,
    E: FnMut(usize, T) + Send,
{
    if threads <= 1 || count <= 1 {
        let mut scratch = S::default();
        for i in 0..count {
            let result = work(&mut scratch, i);
            emit(i, result);
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let ordered = Mutex::new(Ordered {
        pending: BTreeMap::new(),
        expected: 0,
        emit,
    });
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (next, work, ordered) = (&next, &work, &ordered);
            scope.spawn(move || {
                let mut scratch = S::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let result = work(&mut scratch, i);
                    // A worker that panicked while emitting poisons the lock; the others stop.
                    match ordered.lock() {
                        Ok(mut ordered) => ordered.finish(i, result),
                        Err(_) => break,
                    }
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_every_result_once_in_input_order() {
        for threads in [1, 2, 4] {
            let mut seen = Vec::new();
            run_ordered(
                100,
                threads,
                |calls: &mut usize, i| {
                    *calls += 1;
                    // Uneven work, so results finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros((i % 7) as u64 * 50));
                    i * 2
                },
                |i, r| seen.push((i, r)),
            );
            let expected: Vec<(usize, usize)> = (0..100).map(|i| (i, i * 2)).collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn emits_early_results_before_later_work_is_done() {
        // Input 0 is emitted while input 9 is still running: 9 waits for a signal sent by emit(0).
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = std::sync::Mutex::new(rx);
        let mut order = Vec::new();
        run_ordered(
            10,
            2,
            |_: &mut (), i| {
                if i == 9 {
                    let got = rx
                        .lock()
                        .map(|r| r.recv_timeout(std::time::Duration::from_secs(10)).is_ok())
                        .unwrap_or(false);
                    assert!(got, "input 0 was not emitted while input 9 was running");
                }
                i
            },
            |i, _| {
                if i == 0 {
                    let _ = tx.send(());
                }
                order.push(i);
            },
        );
        assert_eq!(order, (0..10).collect::<Vec<_>>());
    }
}
