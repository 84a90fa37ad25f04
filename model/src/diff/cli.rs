//! The `schema-diff` command (also `cargo xtask diff`): arguments, output, exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use super::inputs::{diff_paths, DiffOptions};
use super::verdict::{AudienceFilter, Directions, Verdict};

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A review-ready Markdown report.
    #[default]
    Markdown,
    /// The stable JSON shape documented in `qschema_model::diff::json`.
    Json,
}

/// The verdict at or above which the command exits 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// Exit 1 when a change is breaking for a selected audience.
    #[default]
    Breaking,
    /// Exit 1 when a change is a warning or breaking for a selected audience.
    Warning,
    /// Always exit 0 when the diff could be computed.
    Never,
}

/// Direction override.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DirectionArg {
    /// Every component is request content.
    Request,
    /// Every component is response content.
    Response,
    /// Every component is both.
    Both,
}

/// Arguments of `schema-diff` / `cargo xtask diff`.
#[derive(Clone, Debug, clap::Args)]
pub struct DiffArgs {
    /// The old schema file or version folder (e.g. `schemas/vm/pre-8.11.2`).
    pub old: PathBuf,
    /// The new schema file or version folder.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Which audiences to report on and decide the exit code for.
    #[arg(long, value_enum, default_value_t = AudienceFilter::All)]
    pub audience: AudienceFilter,
    /// Exit 1 when a change reaches this verdict for a selected audience.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    pub fail_on: FailOn,
    /// Count every component as request and/or response content instead of using the
    /// catalog roles (schemas outside `schemas/` default to both).
    #[arg(long, value_enum)]
    pub direction: Option<DirectionArg>,
}

/// Run the diff: print the report to stdout; exit 0 (nothing at or above `--fail-on`),
/// 1 (something is) or 2 (an error, printed with its located diagnostics to stderr).
pub fn run(args: &DiffArgs) -> ExitCode {
    let options = DiffOptions {
        direction: args.direction.map(|d| match d {
            DirectionArg::Request => Directions::REQUEST,
            DirectionArg::Response => Directions::RESPONSE,
            DirectionArg::Both => Directions::BOTH,
        }),
    };
    let report = match diff_paths(&args.old, &args.new, &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match args.format {
        Format::Markdown => super::markdown::render(&report, args.audience),
        Format::Json => super::json::render(&report, args.audience),
    };
    print!("{text}");
    let threshold = match args.fail_on {
        FailOn::Breaking => Some(Verdict::Breaking),
        FailOn::Warning => Some(Verdict::Warning),
        FailOn::Never => None,
    };
    match (threshold, report.worst(args.audience)) {
        (Some(t), Some(w)) if w >= t => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}
