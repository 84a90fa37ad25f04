//! `cargo xtask codegen [--check]`: regenerate the checked-in `qschema-types` crate from
//! `schemas/`, or (with `--check`) list the files that are stale and exit 1.
//!
//! Exit codes: 0 done / up to date, 1 stale files (`--check`), 2 a schema or the catalog does
//! not load (the located diagnostics are printed) or a file cannot be written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `cargo xtask codegen`.
#[derive(clap::Args)]
pub struct Args {
    /// Do not write: list stale files and exit 1 when there are any.
    #[arg(long)]
    check: bool,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Generate; write (or check) `generated/src/`. Exit 2 when a schema does not load.
pub fn run(args: Args) -> ExitCode {
    let root = repo_root();
    let files = match qschema_codegen::types_crate::generate(&root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let stale = qschema_codegen::types_crate::stale_files(&root, &files);
    if args.check {
        if stale.is_empty() {
            println!("generated/ is up to date ({} files)", files.len());
            return ExitCode::SUCCESS;
        }
        eprintln!("stale generated files (run `cargo xtask codegen`):");
        for p in &stale {
            eprintln!("  {}", p.display());
        }
        return ExitCode::from(1);
    }
    for p in &stale {
        let full = root.join(p);
        let result = match files.get(p) {
            Some(contents) => full
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&full, contents)),
            None => std::fs::remove_file(&full),
        };
        if let Err(e) = result {
            eprintln!("error: {}: {e}", full.display());
            return ExitCode::from(2);
        }
        println!(
            "{} {}",
            if files.contains_key(p) {
                "wrote"
            } else {
                "removed"
            },
            p.display()
        );
    }
    println!("generated/: {} files, {} updated", files.len(), stale.len());
    ExitCode::SUCCESS
}
