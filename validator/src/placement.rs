//! Where the threads of a split document run: each worker on a CPU of its own (the
//! benchmark's host probe places its two threads the same way).
//!
//! Linux puts a new thread on its parent's CPU. Until the next load balance moves it (measured
//! on the 2-vCPU benchmark VM: often 2 to 4 ms, sometimes not within 20 ms), the worker and the
//! first thread share one CPU while the other is idle, and a thread woken from a wait may be put
//! back beside the thread that woke it. On a 10 MB payload (40 ms on two threads) that is a
//! tenth of the run. So a worker moves itself, first thing, to a CPU of the process's allowed
//! set other than the first thread's, and the first thread stays on its own, both for as long
//! as the document's split lasts; each thread's mask is restored when it ends (a [`Pinned`]
//! dropped). With more threads than allowed CPUs (`--jobs` above the core count) they are
//! spread around the set, as many on each CPU as on the others, give or take one. A thread
//! that cannot be moved (not Linux, a set of one CPU, a refused call) runs where the scheduler
//! puts it: placement is a hint, never a condition.

/// A thread held on one CPU; its previous affinity mask is restored when this is dropped.
pub struct Pinned {
    #[cfg(target_os = "linux")]
    previous: nix::sched::CpuSet,
}

/// The CPUs of a split: the one the first thread runs on and those the process may use.
pub struct Cpus {
    first: usize,
    allowed: Vec<usize>,
}

impl Cpus {
    /// The calling thread's CPU and allowed set, read before any thread is moved (a thread
    /// inherits its parent's mask: after [`Cpus::pin_first`] the workers' would be one CPU).
    pub fn here() -> Option<Cpus> {
        #[cfg(target_os = "linux")]
        {
            use nix::sched::{sched_getaffinity, sched_getcpu, CpuSet};
            use nix::unistd::Pid;
            let allowed = sched_getaffinity(Pid::from_raw(0)).ok()?;
            let allowed = (0..CpuSet::count())
                .filter(|&c| allowed.is_set(c).unwrap_or(false))
                .collect();
            Some(Cpus {
                first: sched_getcpu().ok()?,
                allowed,
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            None
        }
    }

    /// Hold the calling thread (the first thread) on its CPU.
    pub fn pin_first(&self) -> Option<Pinned> {
        pin_to(self.first)
    }

    /// Hold the calling thread on worker `nth`'s CPU (0 for the first worker): the allowed
    /// CPUs in order after the first thread's, around (see `pick_after`).
    pub fn pin_worker(&self, nth: usize) -> Option<Pinned> {
        pin_to(pick_after(&self.allowed, self.first, nth)?)
    }
}

/// The CPU the calling thread runs on, if the platform says (for traces).
pub fn current_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        nix::sched::sched_getcpu().ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Hold the calling thread on `cpu` (which the caller's allowed set has).
fn pin_to(cpu: usize) -> Option<Pinned> {
    #[cfg(target_os = "linux")]
    {
        use nix::sched::{sched_getaffinity, sched_setaffinity, CpuSet};
        use nix::unistd::Pid;
        let me = Pid::from_raw(0);
        let previous = sched_getaffinity(me).ok()?;
        let mut only = CpuSet::new();
        only.set(cpu).ok()?;
        sched_setaffinity(me, &only).ok()?;
        Some(Pinned { previous })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cpu;
        None
    }
}

/// Of `cpus` (ascending), worker `nth`'s when the first thread runs on `first`: the CPUs in
/// order from the one after `first`, around, so that with more threads than CPUs every CPU
/// gets as many as the others, give or take one (`first` is the first thread's until every
/// other CPU has a worker). `None` when there is no other CPU.
fn pick_after(cpus: &[usize], first: usize, nth: usize) -> Option<usize> {
    if !cpus.iter().any(|&c| c != first) {
        return None;
    }
    // The CPUs from the first thread's (or, if the set lacks it, from the next one), around.
    let from = cpus.iter().position(|&c| c >= first).unwrap_or(0);
    let skip = usize::from(cpus.get(from) == Some(&first));
    cpus.get((from + skip + nth) % cpus.len()).copied()
}

impl Drop for Pinned {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        {
            let _ = nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &self.previous);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_get_the_cpus_after_the_first_threads_around() {
        assert_eq!(pick_after(&[0, 1], 0, 0), Some(1));
        assert_eq!(pick_after(&[0, 1], 1, 0), Some(0));
        assert_eq!(pick_after(&[0, 1, 2, 3], 2, 0), Some(3));
        assert_eq!(pick_after(&[0, 1, 2, 3], 2, 1), Some(0));
        assert_eq!(pick_after(&[0, 1, 2, 3], 2, 2), Some(1));
        // More workers than other CPUs: around again, the first thread's CPU included, so
        // each CPU has as many threads as the others, give or take one.
        assert_eq!(pick_after(&[0, 1, 2, 3], 2, 3), Some(2));
        assert_eq!(pick_after(&[0, 1, 2, 3], 2, 4), Some(3));
        assert_eq!(pick_after(&[0, 1], 0, 1), Some(0));
        assert_eq!(pick_after(&[0, 1], 0, 2), Some(1));
        // A set without the first thread's CPU (it was moved meanwhile).
        assert_eq!(pick_after(&[4, 6], 5, 0), Some(6));
        assert_eq!(pick_after(&[4, 6], 5, 1), Some(4));
        // Nowhere else to go.
        assert_eq!(pick_after(&[3], 3, 0), None);
        assert_eq!(pick_after(&[], 3, 0), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_pinned_thread_runs_there_and_gets_its_mask_back() {
        std::thread::spawn(|| {
            let cpus = Cpus::here().expect("Linux says where a thread runs");
            let target = pick_after(&cpus.allowed, cpus.first, 0).unwrap_or(cpus.first);
            let before = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0)).ok();
            {
                let pinned = cpus.pin_worker(0).or_else(|| cpus.pin_first());
                assert!(pinned.is_some(), "CPU {target} is in the allowed set");
                assert_eq!(current_cpu(), Some(target));
            }
            let after = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0)).ok();
            assert_eq!(before, after, "the mask is restored");
        })
        .join()
        .expect("the probe thread ends");
    }
}
