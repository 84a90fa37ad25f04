//! Output formats: human (rustc-style), json, github (workflow annotations), junit.
//!
//! Output is streamed: each file's text is rendered by the thread that checked it
//! ([`Style::file`]) and written by the [`Printer`] in input order as soon as it is ready; the
//! summary (and, for JUnit, whose header holds the counts, the whole document) comes at the
//! end.

mod github;
mod human;
mod json;
mod junit;
mod visible;

use std::io::Write;

use super::args::Format;
use super::inputs::Input;
use super::results::{FileResult, Summary};

/// The output options the formats need.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Output format.
    pub format: Format,
    /// `--quiet`.
    pub quiet: bool,
    /// `--max-errors` (named in the human output's truncation note).
    pub max_errors: usize,
}

/// One file's result, rendered, with what the summary needs from it.
#[derive(Debug)]
pub struct Rendered {
    /// The file's text in the chosen format.
    pub text: String,
    /// Its exit code (0 valid, 1 invalid, 2 not checked).
    pub exit_code: u8,
    /// Its error count.
    pub errors: usize,
    /// Whether it had more errors than were kept.
    pub truncated: bool,
}

impl Style {
    /// Render the result of `input`.
    pub fn file(&self, input: &Input, result: &FileResult) -> Rendered {
        let text = match self.format {
            Format::Human if self.quiet => String::new(),
            Format::Human => human::file(input, result, self.max_errors),
            Format::Json => json::file(result),
            Format::Github => github::file(result),
            Format::Junit => junit::file(result),
        };
        Rendered {
            text,
            exit_code: result.exit_code(),
            errors: result.error_count(),
            truncated: result.truncated(),
        }
    }
}

/// Writes a run's output to stdout, file by file, in the order it is given the files.
pub struct Printer {
    style: Style,
    out: std::io::Stdout,
    summary: Summary,
    exit_code: u8,
    /// JUnit testcases, kept until the counts of the header are known.
    held: String,
    /// The first write error; later writes are skipped.
    error: Option<std::io::Error>,
}

impl Printer {
    /// A printer for `style` on stdout.
    pub fn new(style: Style) -> Printer {
        Printer {
            style,
            out: std::io::stdout(),
            summary: Summary::default(),
            exit_code: 0,
            held: String::new(),
            error: None,
        }
    }

    fn write(&mut self, text: &str) {
        if self.error.is_some() || text.is_empty() {
            return;
        }
        if let Err(e) = self
            .out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
        {
            self.error = Some(e);
        }
    }

    /// Write the next file's result.
    pub fn file(&mut self, rendered: Rendered) {
        let index = self.summary.files;
        self.summary
            .add(rendered.exit_code, rendered.errors, rendered.truncated);
        self.exit_code = self.exit_code.max(rendered.exit_code);
        match self.style.format {
            Format::Junit => self.held.push_str(&rendered.text),
            Format::Json => {
                let text = format!("{}{}", json::separator(index), rendered.text);
                self.write(&text);
            }
            Format::Human | Format::Github => self.write(&rendered.text),
        }
    }

    /// Write the end of the output. Returns the run's exit code (2 if any input could not be
    /// checked, else 1 if any is invalid, else 0), or the first write error.
    pub fn finish(mut self) -> std::io::Result<u8> {
        let summary = self.summary;
        let text = match self.style.format {
            Format::Human => human::end(&summary, self.style.quiet),
            Format::Github => github::end(&summary, self.style.quiet),
            Format::Json => json::end(summary.files, &summary),
            Format::Junit => junit::document(&std::mem::take(&mut self.held), &summary),
        };
        self.write(&text);
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.exit_code),
        }
    }
}
