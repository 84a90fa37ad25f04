//! `cargo xtask model PATH`: print the stable dump of a schema file.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `cargo xtask model`.
#[derive(clap::Args)]
pub struct Args {
    /// A `.dtd` or `.xsd` file.
    path: PathBuf,
}

/// Load the schema and print its dump; exit 2 with located diagnostics when it does not load.
pub fn run(args: Args) -> ExitCode {
    match qschema_model::load_file(&args.path) {
        Ok(schema) => {
            print!("{}", qschema_model::dump::dump(&schema));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
