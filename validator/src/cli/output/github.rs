//! GitHub Actions workflow annotations:
//! `::error file=F,line=L,col=C,title=RULE::MESSAGE`.

use crate::cli::results::{FileResult, Outcome, Summary};

use super::visible;

/// Escape annotation data (the message): the toolkit's percent escapes for `%`, CR and LF,
/// and the other characters that would act on the log viewer written as `\u{..}`.
fn data(s: &str) -> String {
    visible::rewrite(s, |c| match c {
        '%' => Some("%25"),
        '\r' => Some("%0D"),
        '\n' => Some("%0A"),
        _ => None,
    })
}

/// Escape an annotation property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotations of one file.
pub(super) fn file(r: &FileResult) -> String {
    let mut out = String::new();
    {
        let file = property(&r.display);
        match &r.outcome {
            Outcome::Checked(report) => {
                for e in &report.errors {
                    let mut message = format!("{} (at {})", e.message, e.path);
                    if let Some(x) = &e.expected {
                        message.push_str(&format!("; expected: {x}"));
                    }
                    out.push_str(&format!(
                        "::error file={file},line={},col={},title={}::{}\n",
                        e.line,
                        e.column,
                        property(&e.rule),
                        data(&message)
                    ));
                }
            }
            Outcome::Versions(vs) => {
                let accepted: Vec<&str> = vs
                    .iter()
                    .filter(|v| v.outcome.as_ref().is_ok_and(|r| r.is_valid()))
                    .map(|v| v.version.as_str())
                    .collect();
                let level = if accepted.is_empty() {
                    "error"
                } else {
                    "notice"
                };
                let text = if accepted.is_empty() {
                    "accepted by no version".to_string()
                } else {
                    format!("accepted by {}", accepted.join(", "))
                };
                out.push_str(&format!(
                    "::{level} file={file},title=schema-versions::{}\n",
                    data(&text)
                ));
            }
            Outcome::Failed(f) => {
                out.push_str(&format!(
                    "::error file={file},title={}::{}\n",
                    property(f.kind.id()),
                    data(&f.message)
                ));
            }
        }
    }
    out
}

/// The end of the run: the summary line, unless `--quiet`.
pub(super) fn end(summary: &Summary, quiet: bool) -> String {
    if quiet {
        String::new()
    } else {
        format!("{}\n", summary.line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(data("50%\na"), "50%25%0Aa");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(data("x\u{1b}[2Jy\u{202e}"), "x\\u{1b}[2Jy\\u{202e}");
    }
}
