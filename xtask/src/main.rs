//! `cargo xtask <command>`: the project's developer tasks.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod codegen;
mod diff;
mod model;

/// Developer tasks for qschema.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the model dump of a DTD or XSD file.
    Model(model::Args),
    /// Compare two schema files or version folders and classify the changes per audience.
    Diff(diff::Args),
    /// Regenerate the checked-in qschema-types crate (`--check`: list stale files, exit 1).
    Codegen(codegen::Args),
    /// Benchmark `validate` against xmllint (XSD and DTD modes) on generated payloads.
    Bench(bench::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Model(args) => model::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Codegen(args) => codegen::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
