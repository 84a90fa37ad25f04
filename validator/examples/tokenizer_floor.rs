//! The tokenizer floor: quick-xml alone over XML files, read as the engine reads them
//! (`engine/input.rs` and `engine/driver/mod.rs`): the file is read into one buffer of the
//! engine's read size, quick-xml's slice reader parses a run of events straight out of it with
//! the engine's settings (`engine::configure_reader`), and an event that reaches the end of
//! the bytes read is parsed again after the next read. Nothing else is checked. No validator
//! built on this reader can be faster, so `cargo xtask bench` runs it beside `validate` and
//! xmllint on the large payloads.
//!
//! Usage: `tokenizer_floor FILE...`. Prints the events and bytes read; exits 0 when quick-xml
//! read every file to its end, 1 when it stopped at an error (named with its byte offset), 2
//! on a usage or I/O error.

use std::io::Read;
use std::process::ExitCode;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// The engine's largest read (`engine/input.rs`, `CHUNK`).
const READ_SIZE: usize = 256 * 1024;

/// What a run of events over the bytes read ended with.
enum Run {
    /// The document's end.
    Done,
    /// An event reached the end of the bytes read: read more, from this index on.
    Fill(usize),
    /// quick-xml stopped at an error, at this absolute offset.
    Error(u64, quick_xml::Error),
}

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: tokenizer_floor FILE...");
        return ExitCode::from(2);
    }
    let (mut events, mut bytes) = (0u64, 0u64);
    let mut buf = vec![0u8; READ_SIZE];
    for file in &files {
        let mut opened = match std::fs::File::open(file) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::from(2);
            }
        };
        // `buf[keep..end]` is read and not parsed yet; `dropped` bytes came before it.
        let (mut keep, mut end, mut dropped, mut eof) = (0usize, 0usize, 0u64, false);
        loop {
            if !eof {
                buf.copy_within(keep..end, 0);
                (dropped, end, keep) = (dropped + keep as u64, end - keep, 0);
                if buf.len() - end < READ_SIZE / 2 {
                    buf.resize(end + READ_SIZE, 0);
                }
                match opened.read(&mut buf[end..]) {
                    Ok(0) => eof = true,
                    Ok(n) => end += n,
                    Err(e) => {
                        eprintln!("{file}: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            match run(&buf[keep..end], eof, &mut events) {
                Run::Done => break,
                Run::Fill(at) => keep += at,
                Run::Error(at, e) => {
                    let at = dropped + keep as u64 + at;
                    eprintln!("{file}: quick-xml stopped at byte {at}: {e}");
                    return ExitCode::from(1);
                }
            }
        }
        bytes += dropped + end as u64;
    }
    println!("{events} events, {bytes} bytes");
    ExitCode::SUCCESS
}

/// Parse the events of `bytes` (all of the rest of the document when `eof`), counting them.
fn run(bytes: &[u8], eof: bool, events: &mut u64) -> Run {
    let mut xml = Reader::from_reader(bytes);
    qschema_validator::engine::configure_reader(xml.config_mut());
    loop {
        let start = xml.buffer_position();
        let result = xml.read_event();
        // The engine's rule (`engine/driver/mod.rs`, `next_event`): an event that reaches the
        // end of the bytes read, or an error within two bytes of it, may go on.
        let to = xml.buffer_position() as usize;
        let at_end = match &result {
            Ok(_) => to >= bytes.len(),
            Err(_) => to + 2 >= bytes.len(),
        };
        match result {
            _ if at_end && !eof => return Run::Fill(start as usize),
            Ok(Event::Eof) => return Run::Done,
            Ok(_) => *events += 1,
            Err(e) => return Run::Error(start, e),
        }
    }
}
