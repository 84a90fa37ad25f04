//! Fetch the few source lines human output shows, without holding whole documents in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};

use super::inputs::{Input, Source};

/// Longest line kept for display (longer lines are shown cut, around the column).
const MAX_LINE_BYTES: usize = 1024 * 1024;

/// The requested 1-based lines of an input (lossy UTF-8, without the line break). Lines that
/// cannot be read are simply absent.
pub fn lines(input: &Input, wanted: &BTreeSet<u32>) -> BTreeMap<u32, String> {
    let Some(&last) = wanted.iter().next_back() else {
        return BTreeMap::new();
    };
    match &input.source {
        Source::File(p) => match std::fs::File::open(p) {
            Ok(f) => collect(BufReader::new(f), wanted, last),
            Err(_) => BTreeMap::new(),
        },
        Source::Stdin(bytes) => collect(bytes.as_slice(), wanted, last),
        Source::Loaded(_, bytes) => collect(bytes.as_slice(), wanted, last),
        Source::Unreadable(_) => BTreeMap::new(),
    }
}

fn collect<R: BufRead>(mut r: R, wanted: &BTreeSet<u32>, last: u32) -> BTreeMap<u32, String> {
    let mut out = BTreeMap::new();
    let mut line_no: u32 = 1;
    let mut buf = Vec::new();
    while line_no <= last {
        buf.clear();
        let keep = wanted.contains(&line_no);
        match read_line(&mut r, &mut buf, keep) {
            Ok(0) => break,
            Ok(_) => {}
            Err(_) => break,
        }
        if keep {
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            out.insert(line_no, String::from_utf8_lossy(&buf).into_owned());
        }
        line_no += 1;
    }
    out
}

/// Read one line; keep at most [`MAX_LINE_BYTES`] of it (and nothing when `keep` is false).
fn read_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, keep: bool) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let available = r.fill_buf()?;
        if available.is_empty() {
            return Ok(total);
        }
        let (chunk, done) = match memchr_newline(available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        if keep && buf.len() < MAX_LINE_BYTES {
            let room = MAX_LINE_BYTES - buf.len();
            buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        let n = chunk.len();
        total += n;
        r.consume(n);
        if done {
            return Ok(total);
        }
    }
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}
