//! Output formats: human (rustc-style), json, github (workflow annotations), junit.

mod github;
mod human;
mod json;
mod junit;

use super::args::Format;
use super::inputs::Input;
use super::results::{FileResult, Summary};

/// Write the results of a run to stdout in `format`.
pub fn print(
    format: Format,
    inputs: &[Input],
    results: &[FileResult],
    quiet: bool,
    max_errors: usize,
) -> std::io::Result<()> {
    let text = render(format, inputs, results, quiet, max_errors);
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Render the results of a run in `format`.
pub fn render(
    format: Format,
    inputs: &[Input],
    results: &[FileResult],
    quiet: bool,
    max_errors: usize,
) -> String {
    let summary = Summary::of(results);
    match format {
        Format::Human => human::render(inputs, results, &summary, quiet, max_errors),
        Format::Json => json::render(results, &summary),
        Format::Github => github::render(results, &summary, quiet),
        Format::Junit => junit::render(results, &summary),
    }
}
