//! The tokenizer floor: quick-xml alone over XML files, with the settings the engine reads
//! with (`engine::configure_reader`) and the engine's read size, reading every event into a
//! reused buffer and checking nothing else. No validator built on this reader can be faster,
//! so `cargo xtask bench` runs it beside `validate` and xmllint on the large payloads.
//!
//! Usage: `tokenizer_floor FILE...`. Prints the events and bytes read; exits 0 when quick-xml
//! read every file to its end, 1 when it stopped at an error (named with its byte offset), 2
//! on a usage or I/O error.

use std::io::BufReader;
use std::process::ExitCode;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// The engine's largest read (`engine/input.rs`, `CHUNK`).
const READ_SIZE: usize = 256 * 1024;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: tokenizer_floor FILE...");
        return ExitCode::from(2);
    }
    let (mut events, mut bytes) = (0u64, 0u64);
    for file in &files {
        let opened = match std::fs::File::open(file) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::from(2);
            }
        };
        let mut xml = Reader::from_reader(BufReader::with_capacity(READ_SIZE, opened));
        qschema_validator::engine::configure_reader(xml.config_mut());
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Eof) => break,
                Ok(_) => events += 1,
                Err(e) => {
                    eprintln!(
                        "{file}: quick-xml stopped at byte {}: {e}",
                        xml.buffer_position()
                    );
                    return ExitCode::from(1);
                }
            }
        }
        bytes += xml.buffer_position();
    }
    println!("{events} events, {bytes} bytes");
    ExitCode::SUCCESS
}
