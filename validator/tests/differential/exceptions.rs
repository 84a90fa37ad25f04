//! The reviewed exceptions file: disagreements with xmllint that are xmllint's error or a
//! difference by design, each with its reason.

use regex::Regex;
use serde::Deserialize;

/// What differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// The valid/invalid verdict.
    Verdict,
    /// Both say invalid, but xmllint's first error line is not among ours.
    Line,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    exception: Vec<Raw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    /// A regex matched against the whole case id (`payload@version#kind:target`).
    case: String,
    aspect: Aspect,
    /// For verdict exceptions: our verdict (`valid` / `invalid`).
    ours: Option<String>,
    /// A regex that must occur in xmllint's first error message.
    xmllint_first: Option<String>,
    /// A regex that must occur in one of OUR messages; `$element` stands for the element
    /// xmllint's first message names (`element NAME: ...`).
    ours_any: Option<String>,
    reason: String,
}

/// One reviewed exception.
pub struct Exception {
    /// The pattern as written.
    pub case: String,
    /// Compiled, anchored at both ends.
    pub pattern: Regex,
    /// Verdict or line.
    pub aspect: Aspect,
    /// For verdict exceptions: our verdict.
    pub ours_valid: Option<bool>,
    /// Must occur in xmllint's first error message.
    pub xmllint_first: Option<Regex>,
    /// Must occur in one of our messages (`$element`: the element xmllint names).
    pub ours_any: Option<String>,
    /// Why.
    pub reason: String,
}

impl Exception {
    /// Whether this entry covers a disagreement of `aspect` on case `id` where our verdict
    /// was `ours_valid`, our messages `ours`, and xmllint's first error message
    /// `xmllint_first`.
    pub fn covers(
        &self,
        id: &str,
        aspect: Aspect,
        ours_valid: bool,
        ours: &[String],
        xmllint_first: Option<&str>,
    ) -> bool {
        self.aspect == aspect
            && self.ours_valid.is_none_or(|v| v == ours_valid)
            && self.pattern.is_match(id)
            && self
                .xmllint_first
                .as_ref()
                .is_none_or(|re| xmllint_first.is_some_and(|m| re.is_match(m)))
            && self.ours_any.as_ref().is_none_or(|p| {
                let element = xmllint_first
                    .and_then(|m| m.strip_prefix("element "))
                    .and_then(|m| m.split(':').next())
                    .unwrap_or("");
                Regex::new(&p.replace("$element", &regex::escape(element)))
                    .is_ok_and(|re| ours.iter().any(|m| re.is_match(m)))
            })
    }
}

/// Parse the exceptions file; every entry needs a reason and a valid pattern.
pub fn parse(text: &str) -> Result<Vec<Exception>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    file.exception
        .into_iter()
        .map(|r| {
            if r.reason.trim().is_empty() {
                return Err(format!("{}: give the reason", r.case));
            }
            let ours_valid = match r.ours.as_deref() {
                None => None,
                Some("valid") => Some(true),
                Some("invalid") => Some(false),
                Some(other) => {
                    return Err(format!("{}: ours = {other:?}: valid or invalid", r.case))
                }
            };
            if let Some(p) = &r.ours_any {
                Regex::new(&p.replace("$element", "x"))
                    .map_err(|e| format!("{}: bad ours_any pattern: {e}", r.case))?;
            }
            let pattern = Regex::new(&format!("^(?:{})$", r.case))
                .map_err(|e| format!("{}: bad pattern: {e}", r.case))?;
            let xmllint_first = r
                .xmllint_first
                .as_deref()
                .map(Regex::new)
                .transpose()
                .map_err(|e| format!("{}: bad xmllint_first pattern: {e}", r.case))?;
            Ok(Exception {
                case: r.case,
                pattern,
                aspect: r.aspect,
                ours_valid,
                xmllint_first,
                ours_any: r.ours_any,
                reason: r.reason,
            })
        })
        .collect()
}
