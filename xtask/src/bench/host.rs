//! What the host gave the benchmark while it ran: whether two threads really ran at once, and
//! how much CPU time the hypervisor took (steal).
//!
//! On a virtual machine, two vCPUs may share one physical core (or wait for one), and then
//! `validate`'s second thread adds little while single-threaded xmllint loses nothing; the
//! wall-time ratio then moves with the host, not with the code. Measuring it next to each
//! payload tells the two apart.
//!
//! The probe's two threads run as `validate`'s do: each held on a CPU of its own (Linux puts a
//! new thread on its parent's CPU and moves it only at a later load balance), and the clock
//! starts once both run. Before `host.rs` did so, the second thread started unplaced and the
//! probe also measured how long Linux took to give it a CPU of its own (0.1 to 4 ms of a 15 ms
//! probe on the benchmark VM).

use std::time::Instant;

use qschema_validator::placement;

use serde::Serialize;

/// Iterations of [`spin`]: some 20 ms on one core of a 2.5 GHz x86_64.
const SPIN_ITERATIONS: u64 = 12_000_000;

/// The host's state during one payload's runs.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HostState {
    /// Per round: how many times one thread's work two threads did in the same wall time
    /// (2.0: two full cores; 1.0: one core between them).
    pub two_thread_speedups: Vec<f64>,
    /// The share of the machine's CPU time the hypervisor took during the runs (`steal` in
    /// /proc/stat), when known.
    pub steal_share: Option<f64>,
}

impl HostState {
    /// The median of [`HostState::two_thread_speedups`], if any round was probed.
    pub fn median_speedup(&self) -> Option<f64> {
        super::runner::median(&mut self.two_thread_speedups.clone())
    }
}

/// A fixed integer workload with much instruction-level parallelism (as a validator's loop
/// has: one core's spare execution units are what a second thread on its sibling would use).
fn spin(n: u64) -> u64 {
    let (mut a, mut b, mut c, mut d) = (1u64, 2u64, 3u64, 4u64);
    for i in 0..n {
        a = a.wrapping_add(i) ^ (b >> 3);
        b = b.wrapping_add(a) ^ (c << 1);
        c = c.wrapping_add(i ^ d);
        d = d.wrapping_add(c) ^ a;
    }
    a ^ b ^ c ^ d
}

/// Run [`spin`] on one thread, then on two at once (each on a CPU of its own, timed from when
/// both run): `2 * one / two`.
pub fn two_thread_speedup() -> f64 {
    use std::sync::atomic::{AtomicBool, Ordering};
    let n = std::hint::black_box(SPIN_ITERATIONS);
    let started = Instant::now();
    std::hint::black_box(spin(n));
    let one = started.elapsed().as_secs_f64();
    let cpus = placement::Cpus::here();
    let _first = cpus.as_ref().and_then(placement::Cpus::pin_first);
    let (running, go) = (AtomicBool::new(false), AtomicBool::new(false));
    let two = std::thread::scope(|s| {
        let other = s.spawn(|| {
            let _pinned = cpus.as_ref().and_then(|c| c.pin_worker(0));
            running.store(true, Ordering::Release);
            while !go.load(Ordering::Acquire) {
                std::hint::spin_loop();
            }
            std::hint::black_box(spin(n))
        });
        while !running.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
        let started = Instant::now();
        go.store(true, Ordering::Release);
        std::hint::black_box(spin(n));
        let _ = other.join();
        started.elapsed().as_secs_f64()
    });
    if two > 0.0 {
        2.0 * one / two
    } else {
        0.0
    }
}

/// The machine's CPU time so far, from the first line of /proc/stat: (all, steal), in ticks.
pub fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    parse_cpu_line(stat.lines().next()?)
}

/// `cpu  user nice system idle iowait irq softirq steal ...` -> (sum of the first eight, steal).
fn parse_cpu_line(line: &str) -> Option<(u64, u64)> {
    let mut fields = line.split_whitespace();
    if fields.next()? != "cpu" {
        return None;
    }
    let ticks: Vec<u64> = fields
        .take(8)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    (ticks.len() == 8).then(|| (ticks.iter().sum(), ticks[7]))
}

/// The share of CPU time stolen between two [`cpu_ticks`] readings.
pub fn steal_share(before: Option<(u64, u64)>, after: Option<(u64, u64)>) -> Option<f64> {
    let ((all0, steal0), (all1, steal1)) = (before?, after?);
    let all = all1.checked_sub(all0)?;
    (all > 0).then(|| steal1.saturating_sub(steal0) as f64 / all as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_stat_lines_are_read() {
        let line = "cpu  5466413 0 1239604 8249151 98760 0 13499 137995 0 0";
        let (all, steal) = parse_cpu_line(line).unwrap();
        assert_eq!(steal, 137995);
        assert_eq!(all, 5466413 + 1239604 + 8249151 + 98760 + 13499 + 137995);
        assert_eq!(parse_cpu_line("cpu0 1 2 3 4 5 6 7 8"), None);
        assert_eq!(parse_cpu_line("cpu 1 2 3"), None);
        assert_eq!(steal_share(Some((100, 10)), Some((300, 30))), Some(0.1));
        assert_eq!(steal_share(Some((100, 10)), Some((100, 10))), None);
        assert_eq!(steal_share(None, Some((100, 10))), None);
    }

    #[test]
    fn the_spin_loop_depends_on_its_length() {
        assert_ne!(spin(1000), spin(1001));
        let s = two_thread_speedup();
        assert!(s.is_finite() && s > 0.0, "{s}");
    }
}
