//! `cargo xtask bench`: `validate` against `xmllint --noout --schema` on the same generated
//! WAS finding responses (1k, 10k, 100k `Finding`s shaped like the recorded corpus; ~1 GB with
//! `--huge`), N repetitions each, in one run. Prints a markdown table: median wall time,
//! throughput, peak RSS (GNU `/usr/bin/time`, when installed) and the ratio ours/xmllint.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Options of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Repetitions per tool and payload (the median is reported).
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Finding counts of the generated payloads.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Also benchmark a ~1 GB payload (1.3 million findings).
    #[arg(long)]
    huge: bool,
    /// Use the existing release binary instead of building it.
    #[arg(long)]
    no_build: bool,
    /// Also write the markdown table to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Findings in the `--huge` payload (about 1 GB).
const HUGE_FINDINGS: usize = 1_300_000;
/// The schema both tools use (the version the recorded corpus belongs to).
const SCHEMA: &str = "schemas/was/recorded-2020-2023/finding.xsd";
const SCHEMA_URL: &str = "https://qualysapi.qg3.apps.qualys.com/qps/xsd/3.0/was/finding.xsd";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// Run `cargo xtask bench`.
pub fn run(args: Args) -> ExitCode {
    match bench(&args) {
        Ok(table) => {
            print!("{table}");
            if let Some(out) = &args.out {
                if let Err(e) = std::fs::write(out, &table) {
                    eprintln!("error: cannot write {}: {e}", out.display());
                    return ExitCode::from(2);
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn bench(args: &Args) -> Result<String, String> {
    if args.reps == 0 {
        return Err("--reps must be at least 1".to_string());
    }
    let exe = target_dir().join("release").join("validate");
    if !args.no_build {
        eprintln!("building validate (release)...");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = Command::new(cargo)
            .args([
                "build",
                "--release",
                "-p",
                "qschema-validator",
                "--bin",
                "validate",
            ])
            .current_dir(repo_root())
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("the release build of validate failed".to_string());
        }
    }
    if !exe.is_file() {
        return Err(format!(
            "{} does not exist (build it or drop --no-build)",
            exe.display()
        ));
    }
    let xmllint = Command::new("xmllint").arg("--version").output().is_ok();
    if !xmllint {
        eprintln!("note: xmllint is not installed (apt-get install -y libxml2-utils): only validate is measured");
    }
    let time = gnu_time_available();
    if !time {
        eprintln!("note: GNU /usr/bin/time is not installed: peak RSS is not measured");
    }
    let dir = target_dir().join("qschema-bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let schema = repo_root().join(SCHEMA);

    let mut sizes = args.sizes.clone();
    if args.huge {
        sizes.push(HUGE_FINDINGS);
    }
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| payload | size | tool | verdict | median wall | throughput | median CPU | peak RSS | ours/xmllint (wall, CPU, RSS) |"
    );
    let _ = writeln!(table, "|---|---:|---|---|---:|---:|---:|---:|---:|");
    for n in sizes {
        let file = dir.join(format!("findings-{n}.xml"));
        let bytes = generate(&file, n)?;
        let mb = bytes as f64 / 1e6;
        eprintln!("{}: {n} findings, {mb:.1} MB", file.display());
        let ours_cmd: Vec<String> = vec![
            exe.display().to_string(),
            "--quiet".into(),
            file.display().to_string(),
        ];
        let ours = measure(&ours_cmd, args.reps, time)?;
        let theirs = if xmllint {
            let cmd: Vec<String> = vec![
                "xmllint".into(),
                "--noout".into(),
                "--schema".into(),
                schema.display().to_string(),
                file.display().to_string(),
            ];
            Some(measure(&cmd, args.reps, time)?)
        } else {
            None
        };
        let name = format!("findings-{n}");
        let ratio = theirs.as_ref().map(|t| {
            let rss = match (ours.rss_kib, t.rss_kib) {
                (Some(a), Some(b)) if b > 0 => format!("{:.2}", a as f64 / b as f64),
                _ => "n/a".to_string(),
            };
            let cpu = match (ours.cpu_s, t.cpu_s) {
                (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
                _ => "n/a".to_string(),
            };
            format!("{:.2}, {cpu}, {rss}", ours.median_s / t.median_s)
        });
        let _ = writeln!(
            table,
            "{}",
            row(&name, mb, "validate", &ours, ratio.as_deref())
        );
        if let Some(t) = &theirs {
            let _ = writeln!(table, "{}", row(&name, mb, "xmllint --schema", t, None));
        }
    }
    let _ = writeln!(
        table,
        "\n{} repetitions each; schema {SCHEMA}; validate {} ; wall time includes process start.",
        args.reps,
        exe.display()
    );
    Ok(table)
}

fn row(name: &str, mb: f64, tool: &str, m: &Measurement, ratio: Option<&str>) -> String {
    let rss = m
        .rss_kib
        .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
        .unwrap_or_else(|| "n/a".to_string());
    let cpu = m
        .cpu_s
        .map(|c| format!("{c:.3} s"))
        .unwrap_or_else(|| "n/a".to_string());
    format!(
        "| {name} | {mb:.1} MB | {tool} | {} | {:.3} s | {:.1} MB/s | {cpu} | {rss} | {} |",
        m.verdict,
        m.median_s,
        mb / m.median_s.max(1e-9),
        ratio.unwrap_or("")
    )
}

/// One tool on one payload.
struct Measurement {
    /// Median wall time.
    median_s: f64,
    /// Median user + system CPU time (GNU time), robust on a loaded machine.
    cpu_s: Option<f64>,
    /// Largest peak RSS over the repetitions.
    rss_kib: Option<u64>,
    verdict: String,
}

fn gnu_time_available() -> bool {
    Command::new("/usr/bin/time")
        .args(["-f", "%M %U %S", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

fn measure(cmd: &[String], reps: usize, time: bool) -> Result<Measurement, String> {
    let mut walls = Vec::with_capacity(reps);
    let mut cpus = Vec::with_capacity(reps);
    let mut rss = None;
    let mut verdict = String::new();
    let rss_file = target_dir().join("qschema-bench").join("rss.txt");
    for _ in 0..reps {
        let mut c = if time {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "%M %U %S", "-o"]).arg(&rss_file).args(cmd);
            c
        } else {
            let mut c = Command::new(&cmd[0]);
            c.args(&cmd[1..]);
            c
        };
        let start = Instant::now();
        let out = c
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cmd[0]))?;
        walls.push(start.elapsed().as_secs_f64());
        verdict = match out.status.code() {
            Some(0) => "valid".to_string(),
            Some(c) => format!("exit {c}"),
            None => "killed".to_string(),
        };
        if time {
            // The last line is ours ("%M %U %S"); earlier ones are the tool's own messages.
            let text = std::fs::read_to_string(&rss_file).unwrap_or_default();
            let fields: Vec<&str> = text
                .lines()
                .next_back()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            if let [m, u, s] = fields.as_slice() {
                rss = rss.max(m.parse::<u64>().ok());
                if let (Ok(u), Ok(s)) = (u.parse::<f64>(), s.parse::<f64>()) {
                    cpus.push(u + s);
                }
            }
        }
    }
    walls.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    let median_s = walls[walls.len() / 2];
    let cpu_s = cpus.get(cpus.len() / 2).copied();
    Ok(Measurement {
        median_s,
        cpu_s,
        rss_kib: rss,
        verdict,
    })
}

/// Write a finding search response with `n` findings shaped like the recorded corpus
/// (`was/finding/recorded-*.xml`), unless an identical one is there. Returns its size.
fn generate(path: &Path, n: usize) -> Result<u64, String> {
    let marker = format!("<count>{n}</count>");
    if let Ok(meta) = std::fs::metadata(path) {
        let head = std::fs::read(path)
            .map(|b| String::from_utf8_lossy(&b[..b.len().min(512)]).into_owned())
            .unwrap_or_default();
        if head.contains(&marker) {
            return Ok(meta.len());
        }
    }
    let err = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let f = std::fs::File::create(path).map_err(err)?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    write!(
        w,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"{SCHEMA_URL}\">\n  <responseCode>SUCCESS</responseCode>\n  {marker}\n  <hasMoreRecords>false</hasMoreRecords>\n  <data>\n"
    )
    .map_err(err)?;
    let names = [
        "Information Disclosure via Response Header",
        "JavaScript Libraries Detected",
        "Missing header: Referrer-Policy",
        "Email Addresses Collected",
    ];
    let types = ["INFORMATION_GATHERED", "VULNERABILITY", "SENSITIVE_CONTENT"];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..n {
        // xorshift: deterministic, distinct-looking UUIDs.
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (a, b) = (next(), next());
        let uuid = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        );
        let day = 1 + i % 28;
        write!(
            w,
            "    <Finding>\n      <id>{}</id>\n      <uniqueId>{uuid}</uniqueId>\n      <qid>{}</qid>\n      <name><![CDATA[{}]]></name>\n      <type>{}</type>\n      <potential>false</potential>\n      <findingType>QUALYS</findingType>\n      <severity>{}</severity>\n      <firstDetectedDate>2022-04-{day:02}T21:15:33Z</firstDetectedDate>\n      <lastDetectedDate>2022-04-{day:02}T21:15:33Z</lastDetectedDate>\n      <lastTestedDate>2022-04-{day:02}T21:15:33Z</lastTestedDate>\n      <webApp>\n        <id>{}</id>\n        <name><![CDATA[http://rest.vulnweb.com/]]></name>\n        <url><![CDATA[http://rest.vulnweb.com/]]></url>\n      </webApp>\n    </Finding>\n",
            6_816_386 + i,
            150_000 + i % 300,
            names[i % names.len()],
            types[i % types.len()],
            1 + i % 5,
            238_483_924 + i % 7
        )
        .map_err(err)?;
    }
    write!(w, "  </data>\n</ServiceResponse>\n").map_err(err)?;
    w.flush().map_err(err)?;
    std::fs::metadata(path).map(|m| m.len()).map_err(err)
}
