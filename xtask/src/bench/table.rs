//! The benchmark report: machine description, one row per tool and payload, the ratios and
//! goals, as markdown or JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::host::HostState;
use super::runner::Measurement;

/// Where and when the benchmark ran.
#[derive(Debug, Serialize)]
pub struct Machine {
    /// `nproc`.
    pub cores: usize,
    /// CPU model from /proc/cpuinfo.
    pub cpu: String,
    /// Total RAM, GiB.
    pub ram_gib: f64,
    /// `xmllint --version`, first line.
    pub xmllint: String,
    /// Commit of the checkout (with `-dirty` when it has uncommitted changes).
    pub commit: String,
    /// Start of the run, UTC.
    pub date: String,
    /// /proc/loadavg at the start (other work on the machine makes wall times noisy).
    pub load_at_start: String,
}

/// The results for one payload.
#[derive(Debug, Serialize)]
pub struct Row {
    /// `finding-10MB`.
    pub payload: String,
    /// Schema file both tools used.
    pub schema: String,
    /// Whether the schema is a DTD.
    pub dtd: bool,
    /// Whether the payload is many small files.
    pub small: bool,
    /// Documents validated per invocation.
    pub files: usize,
    /// Total bytes.
    pub bytes: u64,
    /// Every tool, `validate` first.
    pub tools: Vec<Measurement>,
    /// Median wall time of one invocation on one file, seconds, per tool (small sets).
    pub per_invocation_s: Vec<(String, f64)>,
    /// What the host gave the runs.
    pub host: HostState,
    /// Runs per tool.
    pub reps: usize,
}

impl Row {
    fn ours(&self) -> Option<&Measurement> {
        self.tools.iter().find(|m| m.ours)
    }

    /// The fastest valid xmllint mode.
    fn best_baseline(&self) -> Option<&Measurement> {
        self.tools
            .iter()
            .filter(|m| !m.ours && !m.floor && m.valid && m.rejects_invalid)
            .min_by(|a, b| a.median_wall_s.total_cmp(&b.median_wall_s))
    }

    /// The tokenizer floor's measurement (large payloads).
    fn floor(&self) -> Option<&Measurement> {
        self.tools.iter().find(|m| m.floor && m.valid)
    }

    /// Throughput of validate over that of the best xmllint mode.
    pub fn speedup(&self) -> Option<f64> {
        Some(self.best_baseline()?.median_wall_s / self.ours()?.median_wall_s)
    }

    /// The same ratio round by round: the tools run interleaved, so the two times of a round
    /// were taken under the same load. The lowest and the highest of those ratios show how
    /// much the machine's load moved the comparison during the run.
    pub fn round_speedups(&self) -> Option<(f64, f64)> {
        let (ours, best) = (self.ours()?, self.best_baseline()?);
        let ratios = ours
            .walls_s
            .iter()
            .zip(&best.walls_s)
            .filter(|(o, _)| **o > 0.0)
            .map(|(o, b)| b / o);
        ratios.fold(None, |range, r| match range {
            None => Some((r, r)),
            Some((lo, hi)) => Some((f64::min(lo, r), f64::max(hi, r))),
        })
    }
}

/// A whole run.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Where it ran.
    pub machine: Machine,
    /// Runs per tool and payload.
    pub reps: usize,
    /// Runs per tool on the large payloads under 50 MB.
    pub short_reps: usize,
    /// The command that reproduces it.
    pub command: String,
    /// One row per payload.
    pub rows: Vec<Row>,
}

impl Report {
    /// Whether some tool rejected a payload (every payload is generated valid), or validate
    /// accepted the invalid control.
    pub fn has_mismatch(&self) -> bool {
        self.rows
            .iter()
            .flat_map(|r| &r.tools)
            .any(|m| !m.valid || (m.ours && !m.rejects_invalid))
    }

    /// The report as JSON.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
            + "\n"
    }

    /// The report as markdown: a header, the table, per-invocation costs, goals.
    pub fn markdown(&self) -> String {
        let m = &self.machine;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Measured {} on commit `{}`: {} cores (`nproc`), {}, {:.1} GiB RAM, {}; load average at start: {}.",
            m.date, m.commit, m.cores, m.cpu, m.ram_gib, m.xmllint, m.load_at_start
        );
        let _ = writeln!(
            out,
            "{} runs per tool ({} on the large payloads under 50 MB: their runs are short, and other load on the machine moves them most), tools interleaved, median wall time including process start; CPU = user + system (median; less sensitive than wall time to other load on the machine, and the 'by CPU time' ratio compares it); 'round by round': the lowest and highest ratio of the two tools' times in one round of the interleaved runs; peak RSS = largest over the runs (GNU time). Every payload is generated valid; each tool also gets one invalid control document, and a mode that accepts it does not validate and is no baseline. Reproduce: `{}`.\n",
            self.reps, self.short_reps, self.command
        );
        out.push_str("| payload | schema | files | size | tool | verdict | median wall | MB/s | CPU | peak RSS | validate vs best xmllint |\n");
        out.push_str("|---|---|---:|---:|---|---|---:|---:|---:|---:|---|\n");
        for row in &self.rows {
            let mb = row.bytes as f64 / 1e6;
            for t in &row.tools {
                let ratio = match (t.ours, row.speedup(), row.best_baseline()) {
                    (true, Some(s), Some(best)) => {
                        let rss = match (t.peak_rss_kib, best.peak_rss_kib) {
                            (Some(a), Some(b)) if b > 0 => {
                                format!(", RSS {:.2}x", a as f64 / b as f64)
                            }
                            _ => String::new(),
                        };
                        let cpu = match (t.median_cpu_s, best.median_cpu_s) {
                            (Some(a), Some(b)) if a > 0.0 => {
                                format!(" (by CPU time {:.2}x)", b / a)
                            }
                            _ => String::new(),
                        };
                        let rounds = match row.round_speedups() {
                            Some((lo, hi)) if t.walls_s.len() > 1 => {
                                format!("; {lo:.2}x to {hi:.2}x round by round")
                            }
                            _ => String::new(),
                        };
                        format!(
                            "**{s:.2}x** throughput of `{}`{cpu}{rss}{rounds}",
                            best.tool
                        )
                    }
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {mb:.1} MB | {} | {} | {:.3} s | {:.1} | {} | {} | {ratio} |",
                    row.payload,
                    row.schema,
                    row.files,
                    t.tool,
                    t.verdict,
                    t.median_wall_s,
                    mb / t.median_wall_s.max(1e-9),
                    t.median_cpu_s
                        .map_or("n/a".to_string(), |c| format!("{c:.3} s")),
                    t.peak_rss_kib.map_or("n/a".to_string(), |k| format!(
                        "{:.1} MiB",
                        k as f64 / 1024.0
                    )),
                );
            }
        }
        let per: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| !r.per_invocation_s.is_empty())
            .collect();
        if !per.is_empty() {
            out.push_str("\nOne invocation per small file (median wall of one call on one file; the table above gives each tool all files in one call):\n\n");
            out.push_str("| payload | tool | one call, one file | files/s, all files in one call |\n|---|---|---:|---:|\n");
            for row in per {
                for (tool, s) in &row.per_invocation_s {
                    let all = row
                        .tools
                        .iter()
                        .find(|t| &t.tool == tool)
                        .map_or(String::new(), |t| {
                            format!("{:.0}", row.files as f64 / t.median_wall_s.max(1e-9))
                        });
                    let _ = writeln!(
                        out,
                        "| {} | {tool} | {:.1} ms | {all} |",
                        row.payload,
                        s * 1e3
                    );
                }
            }
        }
        self.floor_table(&mut out);
        self.host_table(&mut out);
        out.push_str("\nGoals:\n\n");
        for line in self.goals() {
            let _ = writeln!(out, "- {line}");
        }
        out
    }

    /// The large payloads' time budget: the 3x goal's time against what quick-xml alone takes.
    fn floor_table(&self, out: &mut String) {
        let rows: Vec<(&Row, &Measurement, &Measurement)> = self
            .rows
            .iter()
            .filter_map(|r| Some((r, r.ours()?, r.floor()?)))
            .collect();
        if rows.is_empty() {
            return;
        }
        out.push_str("\nTime budget of the large payloads: `quick-xml alone (tokenizer floor)` is quick-xml reading every event as the engine reads them (its slice reader over a buffer of the engine's read size, with the engine's settings) and checking nothing (`validator/examples/tokenizer_floor.rs`); no validator built on it can be faster. The 3x goal's time is the best xmllint mode's median wall divided by 3; what is left of it after tokenizing is the whole budget for the character and position checks, validation and the Qualys rules, which take `validate minus floor` now.\n\n");
        out.push_str("| payload | floor | floor MB/s | validate | validate minus floor | 3x goal's time | goal minus floor |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (row, ours, floor) in rows {
            let goal = row.best_baseline().map(|b| b.median_wall_s / 3.0);
            let _ = writeln!(
                out,
                "| {} | {:.3} s | {:.0} | {:.3} s | {:.3} s | {} | {} |",
                row.payload,
                floor.median_wall_s,
                row.bytes as f64 / 1e6 / floor.median_wall_s.max(1e-9),
                ours.median_wall_s,
                ours.median_wall_s - floor.median_wall_s,
                goal.map_or("n/a".to_string(), |g| format!("{g:.3} s")),
                goal.map_or("n/a".to_string(), |g| format!(
                    "{:.3} s",
                    g - floor.median_wall_s
                )),
            );
        }
    }

    /// What the host gave each payload's runs: two threads' speedup of a fixed CPU loop
    /// before each round, and the hypervisor's steal.
    fn host_table(&self, out: &mut String) {
        if self
            .rows
            .iter()
            .all(|r| r.host.two_thread_speedups.is_empty())
        {
            return;
        }
        out.push_str("\nThe host during each payload's runs: before each round, a fixed CPU loop ran on one thread and then on two at once, each on a CPU of its own and timed from when both ran (`xtask/src/bench/host.rs`); 2.00x means two full cores, 1.00x one core shared. `validate` splits a large file over two threads and xmllint uses one, so with less than two cores the wall-time ratio drops while the CPU-time ratio does not. Steal: the share of the machine's CPU time the hypervisor took meanwhile (/proc/stat).\n\n");
        out.push_str("| payload | two threads vs one (median) | lowest to highest | steal |\n|---|---:|---:|---:|\n");
        for row in &self.rows {
            let speedups = &row.host.two_thread_speedups;
            let Some(median) = row.host.median_speedup() else {
                continue;
            };
            let lo = speedups.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = speedups.iter().copied().fold(0.0, f64::max);
            let _ = writeln!(
                out,
                "| {} | {median:.2}x | {lo:.2}x to {hi:.2}x | {} |",
                row.payload,
                row.host
                    .steal_share
                    .map_or("n/a".to_string(), |s| format!("{:.1}%", s * 100.0)),
            );
        }
    }

    /// One line per goal and payload: met or not, with the measured value.
    fn goals(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
        for row in &self.rows {
            let what = match (row.small, row.dtd) {
                (true, _) => "3x xmllint on many small files",
                (false, true) => "3x the best xmllint mode (DTD)",
                (false, false) => "3x the best xmllint mode (XSD)",
            };
            if let Some(s) = row.speedup() {
                let rounds = match row.round_speedups() {
                    Some((lo, hi)) if row.reps > 1 => {
                        format!("; round by round {lo:.2}x to {hi:.2}x")
                    }
                    _ => String::new(),
                };
                let host = match row.host.median_speedup() {
                    Some(h) => format!("; two threads of the host probe ran {h:.2}x one"),
                    None => String::new(),
                };
                lines.push(format!(
                    "{what}, {}: {} ({s:.2}x{rounds}{host})",
                    row.payload,
                    verdict(s >= 3.0)
                ));
            }
            if !row.small && row.bytes >= 100_000_000 {
                if let Some(k) = row.ours().and_then(|m| m.peak_rss_kib) {
                    let mb = k as f64 * 1024.0 / 1e6;
                    lines.push(format!(
                        "peak RSS <= 16 MB on 100 MB, {}: {} ({mb:.1} MB)",
                        row.payload,
                        verdict(mb <= 16.0)
                    ));
                }
            }
        }
        if self.has_mismatch() {
            lines.push("VERDICT MISMATCH: some tool rejected a generated payload (see the verdict column); the numbers of that row are not comparable".to_string());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(name: &str, ours: bool, wall: f64, valid: bool, rejects_invalid: bool) -> Measurement {
        Measurement {
            tool: name.to_string(),
            ours,
            floor: false,
            verdict: String::new(),
            valid,
            rejects_invalid,
            median_wall_s: wall,
            walls_s: vec![wall],
            median_cpu_s: Some(wall),
            peak_rss_kib: Some(8 * 1024),
        }
    }

    fn row(tools: Vec<Measurement>) -> Row {
        Row {
            payload: "dtd-100MB".to_string(),
            schema: "x.dtd".to_string(),
            dtd: true,
            small: false,
            files: 1,
            bytes: 100_000_000,
            tools,
            per_invocation_s: Vec::new(),
            host: HostState::default(),
            reps: 1,
        }
    }

    #[test]
    fn a_mode_that_accepts_the_invalid_control_is_no_baseline() {
        let r = row(vec![
            tool("validate", true, 1.0, true, true),
            tool("xmllint --dtdvalid", false, 2.0, true, true),
            tool("xmllint --stream --dtdvalid", false, 0.5, true, false),
        ]);
        assert_eq!(r.speedup(), Some(2.0));
    }

    #[test]
    fn the_floor_is_no_baseline_and_gives_the_time_budget() {
        let mut floor = tool(
            "quick-xml alone (tokenizer floor)",
            false,
            0.25,
            true,
            false,
        );
        floor.floor = true;
        let r = row(vec![
            tool("validate", true, 1.0, true, true),
            floor,
            tool("xmllint --dtdvalid", false, 1.5, true, true),
        ]);
        assert_eq!(r.speedup(), Some(1.5));
        let mut out = String::new();
        report(vec![r]).floor_table(&mut out);
        assert!(
            out.contains("| dtd-100MB | 0.250 s | 400 | 1.000 s | 0.750 s | 0.500 s | 0.250 s |"),
            "{out}"
        );
    }

    fn report(rows: Vec<Row>) -> Report {
        Report {
            machine: Machine {
                cores: 2,
                cpu: "cpu".to_string(),
                ram_gib: 1.0,
                xmllint: "xmllint".to_string(),
                commit: "abc".to_string(),
                date: "today".to_string(),
                load_at_start: "0".to_string(),
            },
            reps: 1,
            short_reps: 1,
            command: "cargo xtask bench".to_string(),
            rows,
        }
    }

    #[test]
    fn the_host_table_gives_the_two_thread_speedups_and_steal() {
        let mut r = row(vec![tool("validate", true, 1.0, true, true)]);
        let mut out = String::new();
        report(vec![]).host_table(&mut out);
        assert_eq!(out, "", "no rows, no table");
        r.host = HostState {
            two_thread_speedups: vec![1.9, 1.2, 2.0, 1.6],
            steal_share: Some(0.05),
        };
        let mut with_host = report(vec![r]);
        with_host.host_table(&mut out);
        assert!(
            out.contains("| dtd-100MB | 1.90x | 1.20x to 2.00x | 5.0% |"),
            "{out}"
        );
        with_host.rows[0]
            .tools
            .push(tool("xmllint --dtdvalid", false, 3.0, true, true));
        let goals = with_host.goals().join("\n");
        assert!(
            goals.contains("dtd-100MB: met (3.00x; two threads of the host probe ran 1.90x one)"),
            "{goals}"
        );
    }

    #[test]
    fn round_ratios_pair_the_runs_of_one_round() {
        let mut ours = tool("validate", true, 1.0, true, true);
        ours.walls_s = vec![1.0, 0.5, 2.0];
        let mut base = tool("xmllint --dtdvalid", false, 3.0, true, true);
        base.walls_s = vec![3.0, 2.0, 3.0];
        let mut r = row(vec![ours, base]);
        r.reps = 3;
        assert_eq!(r.round_speedups(), Some((1.5, 4.0)));
        let mut report = report(vec![r]);
        report.reps = 3;
        let text = report.markdown();
        assert!(
            text.contains("dtd-100MB: met (3.00x; round by round 1.50x to 4.00x)"),
            "{text}"
        );
        assert!(text.contains("; 1.50x to 4.00x round by round |"), "{text}");
    }

    #[test]
    fn goals_and_mismatches_are_reported() {
        let report = report(vec![row(vec![
            tool("validate", true, 1.0, true, true),
            tool("xmllint --dtdvalid", false, 4.0, false, true),
            tool("xmllint --stream --dtdvalid", false, 2.0, true, true),
        ])]);
        let text = report.markdown();
        assert!(
            text.contains("3x the best xmllint mode (DTD), dtd-100MB: NOT met (2.00x)"),
            "{text}"
        );
        assert!(
            text.contains("peak RSS <= 16 MB on 100 MB, dtd-100MB: met (8.4 MB)"),
            "{text}"
        );
        assert!(report.has_mismatch());
        assert!(text.contains("VERDICT MISMATCH"), "{text}");
    }
}
