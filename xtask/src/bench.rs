//! `cargo xtask bench`: `validate` against `xmllint` on generated Qualys-shaped payloads, all
//! tools side by side in one run.
//!
//! Payloads (deterministic, generated into `$CARGO_TARGET_DIR/qschema-bench/`, see
//! [`payloads::Set`]): large WAS finding responses (finding.xsd), large responses against the
//! synthetic benchmark schema `xtask/bench/qualys-shaped.xsd`, large VM schedule lists
//! (schedule_scan_list_output.dtd), and sets of many small files of both kinds. Tools: `validate`,
//! `xmllint --schema`, `xmllint --stream --schema` (XSD) or `xmllint --dtdvalid`,
//! `xmllint --stream --dtdvalid` (DTD). Output: a markdown table (or `--json`) with median
//! wall time, MB/s, CPU, peak RSS and validate's throughput relative to the best xmllint mode.

mod dtd_payloads;
mod generate;
mod host;
mod payloads;
mod runner;
mod table;
mod xsd_payloads;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use payloads::{Payload, Set};
use runner::Tool;
use table::{Report, Row};

/// Options of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Runs per tool and payload (the median is reported).
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Runs per tool on the large payloads under 50 MB: their runs are short, and the
    /// machine's load moves them most (at least `--reps`).
    #[arg(long, default_value_t = 15)]
    short_reps: usize,
    /// Sizes of the large payloads, in MB (10^6 bytes).
    #[arg(long, value_delimiter = ',', default_value = "10,100")]
    sizes: Vec<u64>,
    /// Files in each small-payload set.
    #[arg(long, default_value_t = 10_000)]
    small_files: usize,
    /// Payload sets to run (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    sets: Vec<Set>,
    /// Calls on a single small file per tool, to measure the per-invocation cost (0: skip).
    #[arg(long, default_value_t = 20)]
    invocations: usize,
    /// Fast smoke run: 1 MB payloads, 200 small files, 2 runs, 5 single-file calls.
    #[arg(long)]
    quick: bool,
    /// Use the existing release binary instead of building it.
    #[arg(long)]
    no_build: bool,
    /// Print JSON instead of markdown.
    #[arg(long)]
    json: bool,
    /// Also write the output to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    here.canonicalize().unwrap_or(here)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// Run `cargo xtask bench`.
pub fn run(mut args: Args) -> ExitCode {
    if args.quick {
        args.sizes = vec![1];
        args.small_files = 200;
        args.reps = 2;
        args.short_reps = 2;
        args.invocations = args.invocations.min(5);
    }
    match bench(&args) {
        Ok(report) => {
            let text = if args.json {
                report.json()
            } else {
                report.markdown()
            };
            print!("{text}");
            if let Some(out) = &args.out {
                if let Err(e) = std::fs::write(out, &text) {
                    eprintln!("error: cannot write {}: {e}", out.display());
                    return ExitCode::from(2);
                }
            }
            if report.has_mismatch() {
                eprintln!("error: VERDICT MISMATCH: a tool rejected a generated payload (every payload is generated valid); see the verdict column");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Build `validate` and the tokenizer floor (`examples/tokenizer_floor.rs`) in release.
fn build_validate() -> Result<(), String> {
    eprintln!("building validate and tokenizer_floor (release)...");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "qschema-validator",
            "--bin",
            "validate",
            "--example",
            "tokenizer_floor",
        ])
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the release build of validate failed".to_string())
    }
}

/// The tools compared on `set`: validate first, then the xmllint modes, then (large payloads)
/// the tokenizer floor `floor`.
fn tools(set: Set, validate: &Path, floor: &Path, xmllint: bool) -> Vec<Tool> {
    let repo = repo_root();
    let schema = repo.join(set.schema()).display().to_string();
    let mut argv = vec![validate.display().to_string(), "--quiet".to_string()];
    argv.extend(set.validate_args(&repo));
    let mut out = vec![Tool {
        label: "validate".to_string(),
        ours: true,
        floor: false,
        argv,
    }];
    if !set.is_small() {
        out.push(Tool {
            label: "quick-xml alone (tokenizer floor)".to_string(),
            ours: false,
            floor: true,
            argv: vec![floor.display().to_string()],
        });
    }
    if !xmllint {
        return out;
    }
    let option = if set.is_dtd() {
        "--dtdvalid"
    } else {
        "--schema"
    };
    for stream in [false, true] {
        let mut argv = vec![
            "xmllint".to_string(),
            "--noout".to_string(),
            "--nonet".to_string(),
        ];
        if stream {
            argv.push("--stream".to_string());
        }
        argv.push(option.to_string());
        argv.push(schema.clone());
        out.push(Tool {
            label: format!("xmllint{} {option}", if stream { " --stream" } else { "" }),
            ours: false,
            floor: false,
            argv,
        });
    }
    out
}

fn bench(args: &Args) -> Result<Report, String> {
    if args.reps == 0 {
        return Err("--reps must be at least 1".to_string());
    }
    if !args.no_build {
        build_validate()?;
    }
    let exe = target_dir().join("release").join("validate");
    let floor = target_dir()
        .join("release")
        .join("examples")
        .join("tokenizer_floor");
    for built in [&exe, &floor] {
        if !built.is_file() {
            return Err(format!(
                "{} does not exist (build it or drop --no-build)",
                built.display()
            ));
        }
    }
    let machine = machine::describe();
    let xmllint = !machine.xmllint.is_empty();
    if !xmllint {
        eprintln!("note: xmllint is not installed (apt-get install -y libxml2-utils): only validate is measured");
    }
    let gnu_time = runner::gnu_time_available();
    if !gnu_time {
        eprintln!(
            "note: GNU /usr/bin/time is not installed: CPU time and peak RSS are not measured"
        );
    }
    let root = target_dir().join("qschema-bench");
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let sets: Vec<Set> = if args.sets.is_empty() {
        Set::ALL.to_vec()
    } else {
        args.sets.clone()
    };
    let mut payloads: Vec<Payload> = Vec::new();
    for &set in &sets {
        if set.is_small() {
            payloads.push(payloads::small(set, args.small_files, &root)?);
        } else {
            for &mb in &args.sizes {
                payloads.push(payloads::large(set, mb, &root)?);
            }
        }
    }
    // `--short-reps` never runs a payload fewer times than `--reps`.
    let short_reps = args.short_reps.max(args.reps);
    let mut rows = Vec::new();
    for p in &payloads {
        eprintln!(
            "{}: {} file(s), {:.1} MB",
            p.name,
            p.files.len(),
            p.bytes as f64 / 1e6
        );
        let tools = tools(p.set, &exe, &floor, xmllint);
        let control = payloads::invalid_control(p.set, &root)?;
        let reps = if is_short(p) { short_reps } else { args.reps };
        let (measured, host) = runner::measure(&tools, p, &control, reps, gnu_time, &root)?;
        let mut per_invocation_s = Vec::new();
        if p.set.is_small() && args.invocations > 0 {
            if let Some(first) = p.files.first() {
                for t in &tools {
                    per_invocation_s.push((
                        t.label.clone(),
                        runner::per_invocation(t, &p.dir, first, args.invocations)?,
                    ));
                }
            }
        }
        rows.push(Row {
            payload: p.name.clone(),
            schema: p.set.schema().to_string(),
            dtd: p.set.is_dtd(),
            small: p.set.is_small(),
            files: p.files.len(),
            bytes: p.bytes,
            tools: measured,
            per_invocation_s,
            host,
            reps,
        });
    }
    Ok(Report {
        machine,
        reps: args.reps,
        short_reps,
        command: command_line(args),
        rows,
    })
}

/// A large payload under 50 MB (runs `--short-reps` times).
fn is_short(p: &Payload) -> bool {
    !p.set.is_small() && p.bytes < 50_000_000
}

/// The `cargo xtask bench ...` command with the options of this run.
fn command_line(args: &Args) -> String {
    let mut c = "cargo xtask bench".to_string();
    if args.quick {
        c.push_str(" --quick");
        return c;
    }
    let sizes: Vec<String> = args.sizes.iter().map(u64::to_string).collect();
    if sizes != ["10", "100"] {
        c.push_str(&format!(" --sizes {}", sizes.join(",")));
    }
    if args.reps != 5 {
        c.push_str(&format!(" --reps {}", args.reps));
    }
    if args.short_reps != 15 {
        c.push_str(&format!(" --short-reps {}", args.short_reps));
    }
    if args.small_files != 10_000 {
        c.push_str(&format!(" --small-files {}", args.small_files));
    }
    if !args.sets.is_empty() {
        let names: Vec<&str> = args.sets.iter().map(|s| s.name()).collect();
        c.push_str(&format!(" --sets {}", names.join(",")));
    }
    c
}

mod machine {
    //! Describing the machine the benchmark runs on.

    use std::process::Command;

    use super::table::Machine;

    fn output(program: &str, args: &[&str]) -> String {
        Command::new(program)
            .args(args)
            .current_dir(super::repo_root())
            .output()
            .map(|o| {
                let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
                text.push_str(&String::from_utf8_lossy(&o.stderr));
                text.lines().next().unwrap_or("").trim().to_string()
            })
            .unwrap_or_default()
    }

    /// Cores, CPU, RAM, xmllint version, commit, date and load.
    pub fn describe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or("unknown CPU".to_string(), |(_, v)| v.trim().to_string());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let ram_kib: f64 = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let dirty = !output("git", &["status", "--porcelain", "--untracked-files=no"]).is_empty();
        let mut commit = output("git", &["rev-parse", "--short", "HEAD"]);
        if dirty {
            commit.push_str("-dirty");
        }
        Machine {
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu,
            ram_gib: ram_kib / 1024.0 / 1024.0,
            xmllint: output("xmllint", &["--version"]),
            commit,
            date: output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            load_at_start: std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
