//! The payload sets of the benchmark and how each is generated (deterministically, into
//! `$CARGO_TARGET_DIR/qschema-bench/`, reused while the generator is unchanged).

use std::path::{Path, PathBuf};

use super::dtd_payloads::ScheduleList;
use super::generate::{is_cached, marker, write_sized, Document, Rng};
use super::xsd_payloads::{FindingResponse, SyntheticResponse};

/// A kind of payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Set {
    /// Large WAS finding responses against the reconstructed finding.xsd (recorded-2020-2023).
    Finding,
    /// Large responses against the synthetic benchmark schema xtask/bench/qualys-shaped.xsd.
    Synthetic,
    /// Large VM schedule lists against the reconstructed schedule_scan_list_output.dtd (8.11.2).
    Dtd,
    /// Many small finding responses (finding.xsd).
    SmallXsd,
    /// Many small schedule lists (schedule_scan_list_output.dtd).
    SmallDtd,
}

impl Set {
    /// Every set, in table order.
    pub const ALL: [Set; 5] = [
        Set::Finding,
        Set::Synthetic,
        Set::Dtd,
        Set::SmallXsd,
        Set::SmallDtd,
    ];

    /// Short name used in file names and the table.
    pub fn name(self) -> &'static str {
        match self {
            Set::Finding => "finding",
            Set::Synthetic => "synthetic",
            Set::Dtd => "dtd",
            Set::SmallXsd => "small-xsd",
            Set::SmallDtd => "small-dtd",
        }
    }

    /// Whether the set is checked against a DTD (else an XSD).
    pub fn is_dtd(self) -> bool {
        matches!(self, Set::Dtd | Set::SmallDtd)
    }

    /// Whether the set is many small files.
    pub fn is_small(self) -> bool {
        matches!(self, Set::SmallXsd | Set::SmallDtd)
    }

    /// The schema file both tools use, relative to the repository root.
    pub fn schema(self) -> &'static str {
        match self {
            Set::Finding | Set::SmallXsd => "schemas/was/recorded-2020-2023/finding.xsd",
            Set::Synthetic => "xtask/bench/qualys-shaped.xsd",
            Set::Dtd | Set::SmallDtd => "schemas/vm/8.11.2/schedule_scan_list_output.dtd",
        }
    }

    /// `validate`'s options selecting that same schema: the catalog version for the payloads
    /// that name their schema's public location, `--schema` for the synthetic one.
    pub fn validate_args(self, repo: &Path) -> Vec<String> {
        match self {
            Set::Finding | Set::SmallXsd => vec!["--version".into(), "recorded-2020-2023".into()],
            Set::Dtd | Set::SmallDtd => vec!["--version".into(), "8.11.2".into()],
            Set::Synthetic => vec![
                "--schema".into(),
                repo.join(self.schema()).display().to_string(),
            ],
        }
    }

    fn document(self, stream: u64, marker: String) -> Box<dyn Document> {
        let rng = Rng::new(stream);
        match self {
            Set::Finding | Set::SmallXsd => Box::new(FindingResponse { rng, marker }),
            Set::Synthetic => Box::new(SyntheticResponse { rng, marker }),
            Set::Dtd | Set::SmallDtd => Box::new(ScheduleList { rng, marker }),
        }
    }
}

/// Generated input of one benchmark row.
pub struct Payload {
    /// `finding-10MB`, `small-xsd-10000`.
    pub name: String,
    /// Its kind.
    pub set: Set,
    /// The folder the tools run in (file names are relative to it: short command lines).
    pub dir: PathBuf,
    /// The documents, relative to `dir`.
    pub files: Vec<String>,
    /// Total size in bytes.
    pub bytes: u64,
}

/// Generate (or reuse) a single large payload of about `mb` megabytes (10^6 bytes).
pub fn large(set: Set, mb: u64, root: &Path) -> Result<Payload, String> {
    let name = format!("{}-{mb}MB", set.name());
    let file = format!("{name}.xml");
    let path = root.join(&file);
    let target = mb * 1_000_000;
    let stream = mb * 16 + set as u64;
    let mark = marker(set.name(), target, stream);
    if !is_cached(&path, &mark) {
        eprintln!("generating {}...", path.display());
        let mut doc = set.document(stream, mark);
        write_sized(&path, doc.as_mut(), target, 1)?;
    }
    let bytes = std::fs::metadata(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    Ok(Payload {
        name,
        set,
        dir: root.to_path_buf(),
        files: vec![file],
        bytes,
    })
}

/// Generate (or reuse) `count` small payloads of 2 to 6 records each (a few KB).
pub fn small(set: Set, count: usize, root: &Path) -> Result<Payload, String> {
    let name = format!("{}-{count}", set.name());
    let dir = root.join(&name);
    let done = dir.join("complete.txt");
    let mark = marker(set.name(), count as u64, 0);
    let cached = std::fs::read_to_string(&done).is_ok_and(|t| t == mark);
    let files: Vec<String> = (0..count).map(|i| format!("{i:05}.xml")).collect();
    if !cached {
        eprintln!("generating {count} files in {}...", dir.display());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut rng = Rng::new(0x5A11 + set as u64);
        for (i, f) in files.iter().enumerate() {
            let records = rng.range(2, 6) as usize;
            let mut doc = set.document(i as u64, mark.clone());
            write_sized(&dir.join(f), doc.as_mut(), 0, records)?;
        }
        std::fs::write(&done, &mark)
            .map_err(|e| format!("cannot write {}: {e}", done.display()))?;
    }
    let mut bytes = 0;
    for f in &files {
        bytes += std::fs::metadata(dir.join(f))
            .map_err(|e| format!("cannot read {}: {e}", dir.join(f).display()))?
            .len();
    }
    Ok(Payload {
        name,
        set,
        dir,
        files,
        bytes,
    })
}

/// Write (or reuse) a small document of `set` with one validity error (a severity outside its
/// enumeration for the XSDs, an undeclared element for the DTD): a tool that accepts it does
/// not really validate in that mode (`xmllint --stream --dtdvalid` ignores the DTD) and is
/// not counted as a baseline. Returns its file name, relative to `root`.
pub fn invalid_control(set: Set, root: &Path) -> Result<String, String> {
    let file = format!("{}-invalid-control.xml", set.name());
    let path = root.join(&file);
    let mut doc = set.document(0xBAD, marker(set.name(), 0, 0xBAD));
    write_sized(&path, doc.as_mut(), 0, 2)?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (from, to) = if set.is_dtd() {
        ("<START_HOUR>", "<UNDECLARED_ELEMENT/><START_HOUR>")
    } else {
        ("<severity>", "<severity>9")
    };
    if !text.contains(from) {
        return Err(format!("cannot make {} invalid: no {from}", path.display()));
    }
    std::fs::write(&path, text.replacen(from, to, 1))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "qschema-bench-payloads-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn payloads_are_deterministic_and_controls_carry_their_error() {
        let (a, b) = (temp("a"), temp("b"));
        for set in Set::ALL {
            let (pa, pb) = if set.is_small() {
                (small(set, 3, &a), small(set, 3, &b))
            } else {
                (large(set, 0, &a), large(set, 0, &b))
            };
            let (pa, pb) = (pa.expect("generated"), pb.expect("generated"));
            assert_eq!(pa.bytes, pb.bytes, "{}", set.name());
            for f in &pa.files {
                let x = std::fs::read(pa.dir.join(f)).expect("read");
                let y = std::fs::read(pb.dir.join(f)).expect("read");
                assert!(x == y, "{} {f} differs between two generations", set.name());
            }
            let control = invalid_control(set, &a).expect("control");
            let text = std::fs::read_to_string(a.join(control)).expect("read");
            let injected = if set.is_dtd() {
                "<UNDECLARED_ELEMENT/>"
            } else {
                "<severity>9"
            };
            assert_eq!(text.matches(injected).count(), 1, "{}", set.name());
        }
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }
}
