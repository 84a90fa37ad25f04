//! The DTD loader never panics: every prefix of every DTD fixture, and thousands of random
//! mutations of them, either load or fail with diagnostics that carry a position.

mod seeded;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use seeded::Rng;

use qschema_model::dtd::{load_document_dtd, load_str, parse_doctype, DocumentDtd};
use qschema_model::{FsResolver, LoadError};

/// The `.dtd` and `.ent` fixtures (expansion bombs excluded: they are slow by design).
fn inputs() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dtd");
    let mut stack = vec![root];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if (name.ends_with(".dtd") || name.ends_with(".ent")) && !name.contains("bomb") {
                let bytes = std::fs::read(&path).unwrap();
                let text = qschema_model::encoding::decode(bytes).unwrap();
                out.push((path, text));
            }
        }
    }
    out.sort();
    assert!(out.len() > 30);
    out
}

/// Load `text` as if read from `path`; panics (with the input) if the loader panics or
/// reports a diagnostic without a position.
fn check(path: &Path, text: &str) {
    let result = catch_unwind(AssertUnwindSafe(|| load_str(text, path, &FsResolver)));
    match result {
        Err(_) => panic!("loader panicked on {} with input:\n{text}", path.display()),
        Ok(Err(LoadError::Invalid(diags))) => {
            for d in diags {
                assert!(
                    d.line > 0 && d.column > 0,
                    "no position: {d} for input:\n{text}"
                );
            }
        }
        Ok(_) => {}
    }
    // The same text as a document's internal subset.
    let decl = format!("<!DOCTYPE doc [{text}]>");
    if let Ok(doctype) = parse_doctype(&decl) {
        let input = DocumentDtd {
            document: path,
            document_text_line: 1,
            document_text_column: 1,
            doctype: &doctype,
            external_subset: None,
        };
        let result = catch_unwind(AssertUnwindSafe(|| load_document_dtd(&input, &FsResolver)));
        assert!(
            result.is_ok(),
            "loader panicked on the internal subset:\n{text}"
        );
    }
}

#[test]
fn every_prefix_loads_or_fails_cleanly() {
    for (path, text) in inputs() {
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let step = (boundaries.len() / 200).max(1);
        for &end in boundaries.iter().step_by(step) {
            check(&path, &text[..end]);
        }
    }
}

#[test]
fn random_mutations_load_or_fail_cleanly() {
    const PIECES: &[&str] = &[
        "<",
        ">",
        "!",
        "(",
        ")",
        "[",
        "]",
        "%",
        ";",
        "&",
        "#",
        "\"",
        "'",
        "|",
        ",",
        "?",
        "*",
        "+",
        " ",
        "\n",
        "<!",
        "<![",
        "]]>",
        "<!--",
        "-->",
        "<?",
        "?>",
        "#PCDATA",
        "EMPTY",
        "ANY",
        "%e;",
        "&e;",
        "&#",
        "&#x",
        "<!ENTITY % e '",
        "<!ELEMENT ",
        "<!ATTLIST ",
        "IGNORE",
        "INCLUDE",
        "NOTATION",
        "SYSTEM",
        "é",
        "\u{1}",
    ];
    let mut rng = Rng(0x5eed_d7d0);
    for (path, text) in inputs() {
        let chars: Vec<char> = text.chars().collect();
        for _ in 0..60 {
            let mut mutated = chars.clone();
            for _ in 0..=rng.below(4) {
                let at = rng.below(mutated.len() + 1);
                match rng.below(3) {
                    0 if at < mutated.len() => {
                        let len = rng.below(8).min(mutated.len() - at);
                        mutated.drain(at..at + len);
                    }
                    _ => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        for (k, c) in piece.chars().enumerate() {
                            mutated.insert(at + k, c);
                        }
                    }
                }
            }
            let mutated: String = mutated.into_iter().collect();
            check(&path, &mutated);
        }
    }
}
