//! Human output: rustc-style diagnostics rendered with annotate-snippets.
//!
//! ```text
//! error[invalid-value]: 'false>' is not a valid value of xs:boolean
//!  --> payload.xml:5:19
//!   |
//! 5 |   <hasMoreRecords>>false</hasMoreRecords>
//!   |                   ^
//!   = path: /ServiceResponse/hasMoreRecords
//!   = expected: xs:boolean
//! ```

use std::collections::{BTreeMap, BTreeSet};

use annotate_snippets::{Level, Renderer, Snippet};
use qschema_validator::report::{Report, ValidationError};

use crate::cli::inputs::Input;
use crate::cli::results::{Failure, FileResult, Outcome, Summary};
use crate::cli::source_lines;

use super::visible;

/// Lines longer than this (in characters) are shown as a window around the column.
const MAX_SHOWN_CHARS: usize = 160;
const WINDOW_BEFORE: usize = 60;

/// The diagnostics of one file (nothing for a valid file).
pub(super) fn file(input: &Input, result: &FileResult, max_errors: usize) -> String {
    let mut out = String::new();
    let display = visible::one_line(&result.display);
    match &result.outcome {
        Outcome::Checked(report) => render_report(&mut out, input, &display, report, max_errors),
        Outcome::Versions(versions) => render_versions(&mut out, &display, result, versions),
        Outcome::Failed(f) => render_failure(&mut out, &display, f),
    }
    out
}

/// The end of the run: the summary line (with `--quiet`, only when some file is not valid).
pub(super) fn end(summary: &Summary, quiet: bool) -> String {
    if quiet && summary.valid == summary.files {
        return String::new();
    }
    format!("{}\n", summary.line())
}

fn render_failure(out: &mut String, display: &str, f: &Failure) {
    let message = visible::one_line(&f.message);
    let title = Level::Error.title(&message).id(f.kind.id());
    out.push_str(&Renderer::plain().render(title).to_string());
    out.push_str(&format!("\n --> {display}\n\n"));
}

fn render_report(out: &mut String, input: &Input, display: &str, report: &Report, max: usize) {
    let wanted: BTreeSet<u32> = report
        .errors
        .iter()
        .filter(|e| e.line > 0)
        .map(|e| e.line)
        .collect();
    let lines = source_lines::lines(input, &wanted);
    for e in &report.errors {
        render_error(out, display, e, &lines);
    }
    if report.truncated {
        out.push_str(&format!(
            "note: {display}: more errors were found than shown (--max-errors {max})\n\n"
        ));
    }
    if report.aborted && report.errors.is_empty() {
        out.push_str(&format!("note: {display}: reading stopped early\n\n"));
    }
}

fn render_error(
    out: &mut String,
    display: &str,
    e: &ValidationError,
    lines: &BTreeMap<u32, String>,
) {
    let gutter = e.line.max(1).to_string().len() + 1;
    let message = visible::one_line(&e.message);
    let source = lines.get(&e.line).filter(|_| e.line > 0);
    match source {
        Some(line) => {
            let (shown, caret) = window(line, e.column);
            let origin = display.to_string();
            let message = Level::Error.title(&message).id(&e.rule).snippet(
                Snippet::source(&shown)
                    .line_start(e.line as usize)
                    .origin(&origin)
                    .annotation(Level::Error.span(caret)),
            );
            let rendered = Renderer::plain().render(message).to_string();
            out.push_str(&fix_origin_column(&rendered, &origin, e.line, e.column));
        }
        None => {
            let message = Level::Error.title(&message).id(&e.rule);
            out.push_str(&Renderer::plain().render(message).to_string());
            if e.line > 0 {
                out.push_str(&format!(
                    "\n{} --> {display}:{}:{}",
                    " ".repeat(gutter - 2),
                    e.line,
                    e.column
                ));
            } else {
                out.push_str(&format!("\n{} --> {display}", " ".repeat(gutter - 2)));
            }
        }
    }
    out.push('\n');
    let pad = " ".repeat(gutter);
    out.push_str(&format!("{pad}= path: {}\n", visible::one_line(&e.path)));
    if let Some(expected) = &e.expected {
        out.push_str(&format!(
            "{pad}= expected: {}\n",
            visible::one_line(expected)
        ));
    }
    if let Some(at) = &e.declared_at {
        out.push_str(&format!("{pad}= declared at: {}\n", visible::one_line(at)));
    }
    out.push('\n');
}

/// annotate-snippets computes the `-->` column from the (possibly windowed) snippet; show the
/// real document column instead.
fn fix_origin_column(rendered: &str, origin: &str, line: u32, column: u32) -> String {
    let mut out = String::with_capacity(rendered.len());
    for (i, l) in rendered.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = l.trim_start();
        if let Some(rest) = trimmed.strip_prefix("--> ") {
            if rest.starts_with(origin) {
                let indent = &l[..l.len() - trimmed.len()];
                out.push_str(&format!("{indent}--> {origin}:{line}:{column}"));
                continue;
            }
        }
        out.push_str(l);
    }
    out
}

/// Width a tab is shown with. Tabs are expanded before rendering: annotate-snippets shows a tab
/// as spaces but gives it no width when placing the caret.
const TAB: &str = "    ";

/// The part of `line` to show (tabs expanded, hidden characters escaped) and the byte range of
/// the character at `column` (1-based, characters) in it.
fn window(line: &str, column: u32) -> (String, std::ops::Range<usize>) {
    let (raw, offset) = window_raw(line, column);
    let mut shown = String::with_capacity(raw.len());
    let mut caret = None;
    for (i, c) in raw.char_indices() {
        let start = shown.len();
        match c {
            '\t' => shown.push_str(TAB),
            c => match visible::escape(c) {
                Some(e) => shown.push_str(&e),
                None => shown.push(c),
            },
        }
        if i == offset {
            caret = Some(start..shown.len());
        }
    }
    let end = shown.len();
    (shown, caret.unwrap_or(end..end))
}

fn window_raw(line: &str, column: u32) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let col = (column.max(1) as usize - 1).min(chars.len());
    if chars.len() <= MAX_SHOWN_CHARS {
        let offset: usize = chars[..col].iter().map(|c| c.len_utf8()).sum();
        return (line.to_string(), offset);
    }
    let start = col.saturating_sub(WINDOW_BEFORE);
    let end = (start + MAX_SHOWN_CHARS).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push_str("...");
    }
    let offset = shown.len()
        + chars[start..col]
            .iter()
            .map(|c| c.len_utf8())
            .sum::<usize>();
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, offset)
}

fn render_versions(
    out: &mut String,
    display: &str,
    result: &FileResult,
    versions: &[crate::cli::results::VersionResult],
) {
    let schema = result.schema.as_deref().unwrap_or("?");
    out.push_str(&format!("{display} ({schema}):\n"));
    let accepted: Vec<&str> = versions
        .iter()
        .filter(|v| v.outcome.as_ref().is_ok_and(|r| r.is_valid()))
        .map(|v| v.version.as_str())
        .collect();
    out.push_str(&format!(
        "  accepted by: {}\n",
        if accepted.is_empty() {
            "none".to_string()
        } else {
            accepted.join(", ")
        }
    ));
    for v in versions {
        match &v.outcome {
            Ok(r) if r.is_valid() => {}
            Ok(r) => {
                let n = r.errors.len();
                let first = r
                    .errors
                    .first()
                    .map(|e| {
                        format!(
                            "; first: {}:{} [{}] {}",
                            e.line,
                            e.column,
                            e.rule,
                            visible::one_line(&e.message)
                        )
                    })
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  rejected by: {} ({n} error{}{first})\n",
                    v.version,
                    if n == 1 { "" } else { "s" }
                ));
            }
            Err(f) => out.push_str(&format!(
                "  not checked: {} ([{}] {})\n",
                v.version,
                f.kind.id(),
                visible::one_line(&f.message)
            )),
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_long_lines_around_the_column() {
        let line = "a".repeat(500) + "X" + &"b".repeat(500);
        let (shown, caret) = window(&line, 501);
        assert!(shown.starts_with("..."));
        assert!(shown.ends_with("..."));
        assert_eq!(&shown[caret], "X");
    }

    #[test]
    fn tabs_are_expanded_and_the_caret_follows() {
        let (shown, caret) = window("\t\t<b>é", 6);
        assert_eq!(shown, "        <b>é");
        assert_eq!(&shown[caret], "é");
    }

    #[test]
    fn short_lines_are_kept_and_columns_count_characters() {
        let (shown, caret) = window("é<a>", 2);
        assert_eq!(shown, "é<a>");
        assert_eq!(&shown[caret], "<");
    }

    #[test]
    fn hidden_characters_are_escaped_and_the_caret_covers_the_escape() {
        let (shown, caret) = window("<a>\u{202e}x\u{1b}</a>", 5);
        assert_eq!(shown, "<a>\\u{202e}x\\u{1b}</a>");
        assert_eq!(&shown[caret], "x");
        let (shown, caret) = window("<a>\u{9b}</a>", 4);
        assert_eq!(&shown[caret], "\\u{9b}");
    }

    #[test]
    fn a_column_past_the_end_gives_an_empty_caret_at_the_end() {
        let (shown, caret) = window("<a>", 9);
        assert_eq!(caret, shown.len()..shown.len());
    }
}
