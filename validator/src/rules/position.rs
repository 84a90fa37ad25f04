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

fn advance(here: &mut LineCol, last_lt: &mut LineCol, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'\n' => {
                here.line = here.line.saturating_add(1);
                here.column = 1;
            }
            b'<' => {
                *last_lt = *here;
                here.column = here.column.saturating_add(1);
            }
            // UTF-8 continuation bytes do not start a character.
            0x80..=0xBF => {}
            _ => here.column = here.column.saturating_add(1),
        }
    }
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
