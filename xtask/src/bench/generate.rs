//! Shared pieces of the payload generators: a seeded random source, a size-targeted writer,
//! and the cache check that skips regenerating an identical payload.

use std::fmt::Write as _;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

/// Bumped whenever a generator's output changes, so stale cached payloads are rewritten.
pub const GENERATOR_VERSION: u32 = 1;

/// Seed of every generator (payloads are byte-identical across runs and machines).
pub const SEED: u64 = 0x5143_5348_454d_4131;

/// xorshift64*: small, deterministic, good enough for varied-looking test data.
pub struct Rng(u64);

impl Rng {
    /// A generator for stream `stream` (different payloads use different streams).
    pub fn new(stream: u64) -> Rng {
        Rng((SEED ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Shuffle `items` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }

    /// A lowercase UUID (matches the WAS `uniqueId` pattern).
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    /// An `xs:dateTime` in 2020-2023, UTC.
    pub fn date_time(&mut self) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.range(2020, 2023),
            self.range(1, 12),
            self.range(1, 28),
            self.range(0, 23),
            self.range(0, 59),
            self.range(0, 59)
        )
    }
}

/// The marker comment written after the XML declaration; a cached file with the same marker is
/// reused.
pub fn marker(kind: &str, target: u64, stream: u64) -> String {
    format!("<!-- qschema-bench generator v{GENERATOR_VERSION} {kind} target={target} seed={SEED:x}/{stream} -->")
}

/// Whether `path` starts with `marker` within its first 512 bytes.
pub fn is_cached(path: &Path, marker: &str) -> bool {
    let mut head = [0u8; 512];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).contains(marker)
}

/// A document generator: a head, as many records as needed, and a tail.
pub trait Document {
    /// Everything before the first record (the marker must be inside it).
    fn head(&mut self, out: &mut String, records: usize);
    /// Record number `i`.
    fn record(&mut self, out: &mut String, i: usize);
    /// Everything after the last record.
    fn tail(&mut self, out: &mut String);
}

/// Write `doc` to `path` with records appended until the file reaches `target` bytes (at least
/// `min_records` records). Returns the size written.
pub fn write_sized(
    path: &Path,
    doc: &mut dyn Document,
    target: u64,
    min_records: usize,
) -> Result<u64, String> {
    let err = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let file = std::fs::File::create(path).map_err(err)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let mut buf = String::with_capacity(64 * 1024);
    doc.head(&mut buf, min_records);
    let mut written = 0u64;
    let mut i = 0;
    loop {
        written += buf.len() as u64;
        w.write_all(buf.as_bytes()).map_err(err)?;
        buf.clear();
        if i >= min_records && written >= target {
            break;
        }
        doc.record(&mut buf, i);
        i += 1;
    }
    doc.tail(&mut buf);
    written += buf.len() as u64;
    w.write_all(buf.as_bytes()).map_err(err)?;
    w.flush().map_err(err)?;
    Ok(written)
}

/// Append `<name>text</name>` with `indent` spaces before it and a newline after it.
pub fn leaf(out: &mut String, indent: usize, name: &str, text: &str) {
    let _ = writeln!(out, "{:indent$}<{name}>{text}</{name}>", "");
}

/// Append `<name><![CDATA[text]]></name>`.
pub fn cdata(out: &mut String, indent: usize, name: &str, text: &str) {
    let _ = writeln!(out, "{:indent$}<{name}><![CDATA[{text}]]></{name}>", "");
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Numbers;

    impl Document for Numbers {
        fn head(&mut self, out: &mut String, records: usize) {
            let _ = writeln!(out, "<r n=\"{records}\">");
        }
        fn record(&mut self, out: &mut String, i: usize) {
            leaf(out, 2, "i", &i.to_string());
        }
        fn tail(&mut self, out: &mut String) {
            out.push_str("</r>\n");
        }
    }

    #[test]
    fn random_streams_are_deterministic_and_distinct() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(1);
                move |_| r.next()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(1);
                move |_| r.next()
            })
            .collect();
        let mut other = Rng::new(2);
        assert_eq!(a, b);
        assert_ne!(a[0], other.next());
        let uuid = Rng::new(3).uuid();
        assert_eq!(uuid.len(), 36);
        assert!(uuid
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }

    #[test]
    fn sized_documents_reach_the_target_and_have_the_minimum_records() {
        let dir = std::env::temp_dir().join(format!("qschema-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("n.xml");
        let size = write_sized(&path, &mut Numbers, 1000, 1).expect("written");
        let text = std::fs::read_to_string(&path).expect("read back");
        assert_eq!(size, text.len() as u64);
        assert!((1000..1100).contains(&size), "{size}");
        assert!(text.ends_with("</r>\n"));
        write_sized(&path, &mut Numbers, 0, 3).expect("written");
        let text = std::fs::read_to_string(&path).expect("read back");
        assert_eq!(
            text,
            "<r n=\"3\">\n  <i>0</i>\n  <i>1</i>\n  <i>2</i>\n</r>\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
