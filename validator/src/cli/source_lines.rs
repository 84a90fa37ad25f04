//! Fetch the few source lines human output shows, without holding whole documents in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};

use qschema_validator::engine::decode;

use super::inputs::{Input, Source};

/// Longest line kept for display (longer lines are shown cut, around the column).
const MAX_LINE_BYTES: usize = 1024 * 1024;

/// The requested 1-based lines of an input (decoded from the document's encoding as the
/// engine decodes it, lossy UTF-8 where it is not valid, without the line break or a byte
/// order mark). Lines that cannot be read are simply absent.
pub fn lines(input: &Input, wanted: &BTreeSet<u32>) -> BTreeMap<u32, String> {
    let Some(&last) = wanted.iter().next_back() else {
        return BTreeMap::new();
    };
    match &input.source {
        Source::File(p) => match std::fs::File::open(p) {
            Ok(f) => decoded(BufReader::new(f), wanted, last),
            Err(_) => BTreeMap::new(),
        },
        Source::Stdin(bytes) => decoded(bytes.as_slice(), wanted, last),
        Source::Loaded(_, bytes) => decoded(bytes.as_slice(), wanted, last),
        Source::Unreadable(_) => BTreeMap::new(),
    }
}

/// [`collect`] over the document's text in UTF-8 (UTF-16, ISO-8859-1, ... decoded); no lines
/// when its encoding cannot be used (the only error then is that one, at 1:1).
fn decoded<R: BufRead>(r: R, wanted: &BTreeSet<u32>, last: u32) -> BTreeMap<u32, String> {
    let mut lines = match decode::utf8_input(r) {
        Ok(text) => collect(text, wanted, last),
        Err(_) => BTreeMap::new(),
    };
    if let Some(first) = lines.get_mut(&1) {
        if let Some(rest) = first.strip_prefix('\u{feff}') {
            *first = rest.to_string();
        }
    }
    lines
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

/// Read one line, through its line break (LF, CRLF or a lone CR, the three XML 1.0 line ends
/// the engine counts); keep at most [`MAX_LINE_BYTES`] of it (and nothing when `keep` is
/// false).
fn read_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, keep: bool) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let available = r.fill_buf()?;
        if available.is_empty() {
            return Ok(total);
        }
        let (chunk, end) = match line_end(available) {
            Some(i) => (&available[..=i], Some(available[i])),
            None => (available, None),
        };
        if keep && buf.len() < MAX_LINE_BYTES {
            let room = MAX_LINE_BYTES - buf.len();
            buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        let n = chunk.len();
        total += n;
        r.consume(n);
        match end {
            Some(b'\r') => {
                // A CR followed by LF is one line end.
                if r.fill_buf()?.first() == Some(&b'\n') {
                    r.consume(1);
                    total += 1;
                }
                return Ok(total);
            }
            Some(_) => return Ok(total),
            None => {}
        }
    }
}

fn line_end(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n' || c == b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte per `fill_buf`, so that CR and LF fall in different
    /// reads.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn lf_crlf_and_lone_cr_each_end_one_line() {
        let text = b"one\ntwo\r\nthree\rfour\r\r\nsix";
        let wanted: BTreeSet<u32> = (1..=7).collect();
        let expected: BTreeMap<u32, String> = [
            (1, "one"),
            (2, "two"),
            (3, "three"),
            (4, "four"),
            (5, ""),
            (6, "six"),
        ]
        .into_iter()
        .map(|(n, s)| (n, s.to_string()))
        .collect();
        assert_eq!(collect(&text[..], &wanted, 7), expected);
        let trickle = std::io::BufReader::with_capacity(1, Trickle(text));
        assert_eq!(collect(trickle, &wanted, 7), expected);
    }
}
