//! Shared helpers of the `validate` binary tests: run the real binary, find the fixtures.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A finished run of `validate`.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Parse stdout as the JSON format.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `tests/fixtures/payloads`.
pub fn payloads_dir() -> PathBuf {
    repo_root().join("tests/fixtures/payloads")
}

/// `../shared` beside the repository, if present. When `QSCHEMA_REQUIRE_SHARED=1` (CI), its
/// absence fails the test instead of skipping it.
pub fn shared_dir() -> Option<PathBuf> {
    let p = repo_root().join("../shared");
    if p.is_dir() {
        return Some(p);
    }
    if std::env::var("QSCHEMA_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("../shared is required (QSCHEMA_REQUIRE_SHARED=1) but missing");
    }
    None
}

/// Whether `xmllint` (libxml2) can run, for the tests that compare with it. When
/// `QSCHEMA_REQUIRE_SHARED=1` (CI, where `.ci/run` installs it), its absence fails the test
/// instead of skipping it.
pub fn xmllint_available() -> bool {
    let ok = Command::new("xmllint")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok && std::env::var("QSCHEMA_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("xmllint is required (QSCHEMA_REQUIRE_SHARED=1) but not installed");
    }
    ok
}

/// A scratch folder for one test (under cargo's target tmp dir), emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("cannot create {}: {e}", p.display()));
    p
}

/// No run may hang: a run taking longer than this is killed and fails the test.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Run `validate` with `args` in `cwd`, feeding `stdin` if given.
pub fn validate(args: &[&str], cwd: &Path, stdin: Option<&[u8]>) -> Run {
    validate_with_env(args, cwd, stdin, &[])
}

/// [`validate`] with environment variables `env` set.
pub fn validate_with_env(
    args: &[&str],
    cwd: &Path,
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_validate"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(cwd)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the validate binary starts");
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes).expect("stdin is written");
    }
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            break status;
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("validate {args:?} did not finish within {HANG_GUARD:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = out_thread.join().expect("stdout reader");
    let stderr = err_thread.join().expect("stderr reader");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}
