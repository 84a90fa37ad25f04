//! `schema-diff OLD NEW`: compare two schema files or version folders and classify every
//! change per audience (see `qschema_model::diff`).

use std::process::ExitCode;

use clap::Parser;
use qschema_model::diff::cli::{run, DiffArgs};

/// Compare two versions of the Qualys schemas (files or version folders).
#[derive(Parser)]
#[command(name = "schema-diff", version)]
struct Cli {
    #[command(flatten)]
    args: DiffArgs,
}

fn main() -> ExitCode {
    run(&Cli::parse().args)
}
