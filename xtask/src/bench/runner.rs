//! Running the tools: each tool on a payload `reps` times (tools interleaved, so drifting
//! machine load hits all of them alike), with wall time, CPU time and peak RSS per run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;

use super::host::{self, HostState};
use super::payloads::Payload;

/// One command under test.
#[derive(Clone, Debug)]
pub struct Tool {
    /// `validate`, `xmllint --schema`, ...
    pub label: String,
    /// Whether this is our `validate` (the others are baselines).
    pub ours: bool,
    /// Whether this is the tokenizer floor (`tokenizer_floor`: quick-xml alone, checking
    /// nothing): a reference point, never a baseline.
    pub floor: bool,
    /// Program and options; the payload's files are appended.
    pub argv: Vec<String>,
}

/// The measurements of one tool on one payload.
#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    /// The tool's label.
    pub tool: String,
    /// Whether this is our `validate`.
    pub ours: bool,
    /// Whether this is the tokenizer floor.
    pub floor: bool,
    /// `valid`, or what went wrong (exit code and first message line).
    pub verdict: String,
    /// Whether every run accepted every document (exit 0).
    pub valid: bool,
    /// Whether the tool rejected the invalid control document (else it does not validate in
    /// this mode, and is no baseline).
    pub rejects_invalid: bool,
    /// Median wall time over the runs, seconds.
    pub median_wall_s: f64,
    /// Every run's wall time, seconds, in run order.
    pub walls_s: Vec<f64>,
    /// Median user + system CPU time, seconds (GNU time).
    pub median_cpu_s: Option<f64>,
    /// Largest peak resident set size over the runs, KiB (GNU time).
    pub peak_rss_kib: Option<u64>,
}

/// Whether GNU `/usr/bin/time` can report peak RSS here.
pub fn gnu_time_available() -> bool {
    Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o", "/dev/null", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Run every tool on `payload` `reps` times, interleaved, and measure the host before each
/// round ([`host`]). `scratch` holds GNU time's and the tools' stderr output.
pub fn measure(
    tools: &[Tool],
    payload: &Payload,
    control: &str,
    reps: usize,
    gnu_time: bool,
    scratch: &Path,
) -> Result<(Vec<Measurement>, HostState), String> {
    let mut rejects = Vec::new();
    for tool in tools {
        let r = run_files(tool, scratch, &[control.to_string()], false, scratch)?;
        if r.exit == Some(0) && !tool.floor {
            eprintln!("  note: {} accepts the invalid control document {control}: it does not validate in this mode", tool.label);
        }
        rejects.push(r.exit != Some(0));
    }
    let mut runs: Vec<Vec<Run>> = tools.iter().map(|_| Vec::new()).collect();
    let mut host = HostState::default();
    let ticks = host::cpu_ticks();
    for rep in 0..reps {
        host.two_thread_speedups.push(host::two_thread_speedup());
        for (tool, runs) in tools.iter().zip(&mut runs) {
            let run = run_files(tool, &payload.dir, &payload.files, gnu_time, scratch)?;
            eprintln!(
                "  {} rep {}/{reps}: {:.3} s{}",
                tool.label,
                rep + 1,
                run.wall_s,
                if run.exit == Some(0) {
                    ""
                } else {
                    " NOT VALID"
                }
            );
            runs.push(run);
        }
    }
    host.steal_share = host::steal_share(ticks, host::cpu_ticks());
    let measured = tools
        .iter()
        .zip(runs)
        .zip(rejects)
        .map(|((tool, runs), rejects)| summarize(tool, &runs, rejects))
        .collect();
    Ok((measured, host))
}

struct Run {
    wall_s: f64,
    cpu_s: Option<f64>,
    rss_kib: Option<u64>,
    exit: Option<i32>,
    first_message: String,
}

fn run_files(
    tool: &Tool,
    dir: &Path,
    files: &[String],
    gnu_time: bool,
    scratch: &Path,
) -> Result<Run, String> {
    let time_file = scratch.join("time.txt");
    let err_file = scratch.join("stderr.txt");
    let (program, args) = tool
        .argv
        .split_first()
        .ok_or_else(|| format!("{}: empty command", tool.label))?;
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M %U %S", "-o"])
            .arg(&time_file)
            .arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args).args(files).current_dir(dir);
    let stderr = std::fs::File::create(&err_file)
        .map_err(|e| format!("cannot write {}: {e}", err_file.display()))?;
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(stderr)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let wall_s = start.elapsed().as_secs_f64();
    let (mut cpu_s, mut rss_kib) = (None, None);
    if gnu_time {
        let text = std::fs::read_to_string(&time_file).unwrap_or_default();
        let fields: Vec<&str> = text
            .lines()
            .next_back()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        if let [m, u, s] = fields.as_slice() {
            rss_kib = m.parse().ok();
            if let (Ok(u), Ok(s)) = (u.parse::<f64>(), s.parse::<f64>()) {
                cpu_s = Some(u + s);
            }
        }
    }
    // GNU time exits with the command's status.
    let exit = status.code();
    let first_message = if exit == Some(0) {
        String::new()
    } else {
        first_error_line(&err_file)
    };
    Ok(Run {
        wall_s,
        cpu_s,
        rss_kib,
        exit,
        first_message,
    })
}

/// The first line of a failing tool's stderr that is not a "validates" line.
fn first_error_line(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find(|l| !l.trim().is_empty() && !l.ends_with(" validates"))
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

/// The median of `values` (the upper middle one for an even count), sorting them.
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

fn summarize(tool: &Tool, runs: &[Run], rejects_invalid: bool) -> Measurement {
    let mut walls: Vec<f64> = runs.iter().map(|r| r.wall_s).collect();
    let mut cpus: Vec<f64> = runs.iter().filter_map(|r| r.cpu_s).collect();
    let bad = runs.iter().find(|r| r.exit != Some(0));
    let verdict = match bad {
        None if tool.floor => "read to the end (tokenizer only: checks nothing)".to_string(),
        None if !rejects_invalid => {
            "valid, but it also accepts the invalid control: not validating".to_string()
        }
        None => "valid".to_string(),
        Some(r) => format!(
            "NOT VALID (exit {}): {}",
            r.exit.map_or("signal".to_string(), |c| c.to_string()),
            r.first_message
        ),
    };
    Measurement {
        tool: tool.label.clone(),
        ours: tool.ours,
        floor: tool.floor,
        verdict,
        valid: bad.is_none(),
        rejects_invalid,
        walls_s: walls.clone(),
        median_wall_s: median(&mut walls).unwrap_or(f64::NAN),
        median_cpu_s: median(&mut cpus),
        peak_rss_kib: runs.iter().filter_map(|r| r.rss_kib).max(),
    }
}

/// Median wall time of `runs` invocations of `tool` on the single file `file` in `dir`
/// (process start, schema load and one small document: the cost of one call per file).
pub fn per_invocation(tool: &Tool, dir: &Path, file: &str, runs: usize) -> Result<f64, String> {
    let (program, args) = tool
        .argv
        .split_first()
        .ok_or_else(|| format!("{}: empty command", tool.label))?;
    let mut walls = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        Command::new(program)
            .args(args)
            .arg(file)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        walls.push(start.elapsed().as_secs_f64());
    }
    median(&mut walls).ok_or_else(|| "no runs".to_string())
}
