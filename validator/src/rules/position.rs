//! A `BufRead` wrapper that knows the line and column of what its consumer has consumed, so a
//! streaming pass with quick-xml can report 1-based line:column positions without holding the
//! document in memory.

use std::io::{BufRead, Read};

/// A 1-based line and column (columns count characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Tracks positions of the bytes consumed through it.
pub struct PositionReader<R> {
    inner: R,
    here: LineCol,
    last_lt: LineCol,
}

impl<R: BufRead> PositionReader<R> {
    /// Wrap a reader positioned at the start of a document.
    pub fn new(inner: R) -> PositionReader<R> {
        let start = LineCol { line: 1, column: 1 };
        PositionReader {
            inner,
            here: start,
            last_lt: start,
        }
    }

    /// Where the last `<` consumed so far is: after quick-xml returned a start tag, the
    /// position of that tag's `<`.
    pub fn last_markup_start(&self) -> LineCol {
        self.last_lt
    }
}

/// Move `here` over `bytes`, remembering where the last `<` among them is.
fn advance(here: &mut LineCol, last_lt: &mut LineCol, bytes: &[u8]) {
    match bytes.iter().rposition(|&b| b == b'<') {
        Some(lt) => {
            *last_lt = step(*here, &bytes[..lt]);
            *here = step(*last_lt, &bytes[lt..]);
        }
        None => *here = step(*here, bytes),
    }
}

/// The position after `bytes`, starting at `at` (whole-slice scans the compiler vectorizes).
fn step(mut at: LineCol, bytes: &[u8]) -> LineCol {
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(nl) => {
            let lines = bytes[..=nl].iter().filter(|&&b| b == b'\n').count();
            at.line = at
                .line
                .saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
            at.column = 1u32.saturating_add(chars(&bytes[nl + 1..]));
        }
        None => at.column = at.column.saturating_add(chars(bytes)),
    }
    at
}

/// Characters in UTF-8 bytes: the bytes that are not continuation bytes.
fn chars(bytes: &[u8]) -> u32 {
    let n = bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<R: BufRead> Read for PositionReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.inner.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for PositionReader<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // The bytes being consumed are still in the inner buffer: look at them first.
        let PositionReader {
            inner,
            here,
            last_lt,
        } = self;
        if let Ok(buf) = inner.fill_buf() {
            advance(here, last_lt, &buf[..amt.min(buf.len())]);
        }
        inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunked computation equals a byte-by-byte walk, however the input is cut.
    #[test]
    fn chunking_does_not_change_positions() {
        let text = "<a>\n é<b x='1'>zz</b>\n\n<c/>ü<d>\n</d></a>";
        let bytes = text.as_bytes();
        let whole = {
            let (mut h, mut l) = (LineCol { line: 1, column: 1 }, LineCol::default());
            advance(&mut h, &mut l, bytes);
            (h, l)
        };
        for cut in 1..bytes.len() {
            let (mut h, mut l) = (LineCol { line: 1, column: 1 }, LineCol::default());
            for chunk in bytes.chunks(cut) {
                advance(&mut h, &mut l, chunk);
            }
            assert_eq!((h, l), whole, "chunks of {cut}");
        }
        assert_eq!(whole.1, LineCol { line: 5, column: 5 });
        assert_eq!(whole.0, LineCol { line: 5, column: 9 });
    }

    #[test]
    fn tracks_lines_columns_and_markup_starts() {
        let text = "<a>\n  <bé>x</bé>\n</a>";
        let mut r = PositionReader::new(text.as_bytes());
        // consume "<a>\n  <bé"
        let upto = text.find("é>").unwrap() + 'é'.len_utf8();
        r.fill_buf().unwrap();
        r.consume(upto);
        assert_eq!(r.last_markup_start(), LineCol { line: 2, column: 3 });
        assert_eq!(r.here, LineCol { line: 2, column: 6 });
    }
}
