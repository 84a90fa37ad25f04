//! `validate` prints each file's result as soon as it and every file before it are checked,
//! not after the whole run: a file that cannot be read yet (a FIFO nobody writes to) must not
//! hold back the result of the file before it.

mod cli_support;

#[cfg(target_os = "linux")]
#[test]
fn prints_a_result_while_a_later_file_is_still_blocked() {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::fs::OpenOptionsExt;
    use std::process::{Command, Stdio};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{mpsc, Arc};
    use std::time::{Duration, Instant};

    /// Linux's O_NONBLOCK: opening a FIFO for writing fails at once while nobody reads it.
    const O_NONBLOCK: i32 = 0o4000;

    let dir = cli_support::scratch("streaming");
    std::fs::write(dir.join("a-broken.xml"), "<a>\n").expect("fixture is written");
    let fifo = dir.join("b-fifo.xml");
    match Command::new("mkfifo").arg(&fifo).status() {
        Ok(s) if s.success() => {}
        _ => {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_validate"))
        .args(["a-broken.xml", "b-fifo.xml"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the validate binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines, received) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });

    // 1. The first file's diagnostics arrive while the second one still cannot be opened.
    let mut seen: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !seen.iter().any(|l| l.contains("a-broken.xml")) {
        match received.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => seen.push(line),
            Err(_) => {
                let _ = child.kill();
                panic!("no result for a-broken.xml while b-fifo.xml was blocked: the output is not streamed (stdout so far: {seen:?})");
            }
        }
    }
    assert!(
        !seen.iter().any(|l| l.contains("b-fifo.xml")),
        "b-fifo.xml reported before anything was written to it: {seen:?}"
    );

    // 2. Now feed the FIFO (a short document each time validate opens it) until validate exits.
    // The document is an unclosed `<b>`: not well-formed however many copies one read gets
    // (under load a reader can see two rounds), so the verdict does not depend on timing.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let opened = std::fs::OpenOptions::new()
                    .write(true)
                    .custom_flags(O_NONBLOCK)
                    .open(&fifo);
                if let Ok(mut f) = opened {
                    let _ = f.write_all(b"<b>\n");
                }
                // Closed: the reader sees the end of the document before the next round.
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("validate did not finish after b-fifo.xml was written");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    stop.store(true, Ordering::Relaxed);
    let _ = writer.join();
    let _ = reader.join();
    seen.extend(received.try_iter());
    let text = seen.join("\n");
    // Both files are not well-formed: exit 1.
    assert_eq!(status.code(), Some(1), "{text}");
    let a = text.find("a-broken.xml");
    let b = text.find("b-fifo.xml");
    assert!(
        a.is_some() && b.is_some() && a < b,
        "results out of order:\n{text}"
    );
    assert!(text.contains("2 files: 0 valid, 2 invalid"), "{text}");
}
