//! `cargo xtask diff OLD NEW`: the schema diff (same library function as `schema-diff`).

use std::process::ExitCode;

pub use qschema_model::diff::cli::DiffArgs as Args;

/// Run the diff; exit 0/1/2 as `schema-diff` does.
pub fn run(args: Args) -> ExitCode {
    qschema_model::diff::cli::run(&args)
}
