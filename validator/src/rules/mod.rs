//! Qualys rules that the published schemas cannot express, kept as data beside the schemas
//! (`schemas/<api>/<version>/rules.toml`). They run inside the engine's single pass as an
//! [`crate::engine::Observer`] ([`RuleSet::observer`]); [`RuleSet::check`] reads a document on
//! its own for callers without the engine.
//!
//! The code is generic; the data says what to check. Three rule kinds exist (see
//! [`data::RuleData`]): mutually exclusive children, a value pattern on elements and on
//! `Criteria` fields, and an operator forbidden in requests to given endpoints.

pub mod data;
pub mod endpoint;
mod pass;
pub mod position;

use std::io::BufRead;

use regex::Regex;

pub use data::RuleSource;
pub use endpoint::{Endpoint, EndpointError};
pub use pass::RulesObserver;

use crate::report::ValidationError;

/// Why a `rules.toml` file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file is not valid TOML or does not have the expected shape.
    #[error("{origin}: {message}")]
    Syntax {
        /// Where the rules come from (`was/2019/rules.toml`).
        origin: String,
        /// The TOML parser's message (with line and column).
        message: String,
    },
    /// A rule's data is inconsistent (bad pattern, empty list).
    #[error("{origin}: rule `{id}`: {message}")]
    Invalid {
        /// Where the rules come from.
        origin: String,
        /// The rule id.
        id: String,
        /// What is wrong.
        message: String,
    },
}

/// Why the rules pass could not read the document to its end.
#[derive(Debug, thiserror::Error)]
#[error("{line}:{column}: rules pass stopped: {message}")]
pub struct PassError {
    /// 1-based line where reading stopped.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The XML reader's message.
    pub message: String,
    /// Rule violations found before reading stopped.
    pub partial: Vec<ValidationError>,
}

/// One loaded rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Stable kebab-case id, e.g. `qualys-unique-id-pattern`.
    pub id: String,
    /// One-line description.
    pub description: String,
    /// The release note and section the rule comes from.
    pub source: RuleSource,
    /// Schema files the rule applies to (empty: any document).
    pub files: Vec<String>,
    /// The rules file it was read from (`was/2019/rules.toml`).
    pub origin: String,
    pub(crate) kind: Kind,
}

/// A rule kind, compiled.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    MutuallyExclusive {
        element: Vec<String>,
        children: Vec<String>,
    },
    ValuePattern {
        pattern: String,
        regex: Regex,
        elements: Vec<Vec<String>>,
        criteria_fields: Vec<String>,
    },
    ForbiddenOperator {
        operator: String,
        actions: Vec<String>,
        endpoints: Vec<String>,
    },
}

impl Rule {
    /// The kind's name as written in `rules.toml`.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::MutuallyExclusive { .. } => "mutually-exclusive-children",
            Kind::ValuePattern { .. } => "value-pattern",
            Kind::ForbiddenOperator { .. } => "forbidden-operator",
        }
    }

    /// Where the rule is written and where it comes from, for reports:
    /// `was/2019-notes/rules.toml (release note 003_....txt, "WAS API: ...")`.
    pub fn declared_at(&self) -> String {
        format!(
            "{} (release note {}, \"{}\")",
            self.origin, self.source.seed, self.source.section
        )
    }

    /// Whether the rule applies to a document validated against schema file `file`
    /// (`None`: no schema, every rule applies).
    pub fn applies_to_file(&self, file: Option<&str>) -> bool {
        match file {
            None => true,
            Some(f) => self.files.is_empty() || self.files.iter().any(|x| x == f),
        }
    }
}

/// A set of rules to apply to a document.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

/// What the pass knows beyond the document itself.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The endpoint the request is (or was) sent to (`--endpoint`).
    pub endpoint: Option<Endpoint>,
}

fn split_path(p: &str) -> Vec<String> {
    p.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl RuleSet {
    /// No rules.
    pub fn new() -> RuleSet {
        RuleSet::default()
    }

    /// Parse a `rules.toml` text; `origin` names it in errors and reports.
    pub fn from_toml(text: &str, origin: &str) -> Result<RuleSet, RuleError> {
        let file: data::RuleFile = toml::from_str(text).map_err(|e| RuleError::Syntax {
            origin: origin.to_string(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        let mut set = RuleSet::new();
        for r in file.rules {
            let invalid = |message: String| RuleError::Invalid {
                origin: origin.to_string(),
                id: r.id.clone(),
                message,
            };
            let kind = match r.kind.as_str() {
                "mutually-exclusive-children" => {
                    let element = split_path(r.element.as_deref().unwrap_or(""));
                    if element.is_empty() || r.children.len() < 2 {
                        return Err(invalid(
                            "needs `element` and at least two `children`".to_string(),
                        ));
                    }
                    Kind::MutuallyExclusive {
                        element,
                        children: r.children.clone(),
                    }
                }
                "value-pattern" => {
                    let Some(pattern) = &r.pattern else {
                        return Err(invalid("needs `pattern`".to_string()));
                    };
                    let regex = Regex::new(&format!(r"\A(?:{pattern})\z"))
                        .map_err(|e| invalid(format!("bad pattern: {e}")))?;
                    if r.elements.is_empty() && r.criteria_fields.is_empty() {
                        return Err(invalid(
                            "needs `elements` or `criteria_fields`".to_string(),
                        ));
                    }
                    Kind::ValuePattern {
                        pattern: pattern.clone(),
                        regex,
                        elements: r.elements.iter().map(|e| split_path(e)).collect(),
                        criteria_fields: r.criteria_fields.clone(),
                    }
                }
                "forbidden-operator" => {
                    let Some(operator) = &r.operator else {
                        return Err(invalid("needs `operator`".to_string()));
                    };
                    if r.actions.is_empty() || r.endpoints.is_empty() {
                        return Err(invalid("needs `actions` and `endpoints`".to_string()));
                    }
                    Kind::ForbiddenOperator {
                        operator: normalize_operator(operator),
                        actions: r.actions.iter().map(|a| a.to_ascii_lowercase()).collect(),
                        endpoints: r
                            .endpoints
                            .iter()
                            .map(|e| e.trim_matches('/').to_ascii_lowercase())
                            .collect(),
                    }
                }
                other => {
                    return Err(invalid(format!(
                        "unknown kind `{other}` (expected mutually-exclusive-children, value-pattern or forbidden-operator)"
                    )))
                }
            };
            if set.rules.iter().any(|x| x.id == r.id) {
                return Err(invalid("duplicate rule id".to_string()));
            }
            set.rules.push(Rule {
                id: r.id.clone(),
                description: r.description.clone(),
                source: r.source.clone(),
                files: r.files.clone(),
                origin: origin.to_string(),
                kind,
            });
        }
        Ok(set)
    }

    /// Add the rules of `other` whose id is not present yet.
    pub fn extend(&mut self, other: RuleSet) {
        for r in other.rules {
            if !self.rules.iter().any(|x| x.id == r.id) {
                self.rules.push(r);
            }
        }
    }

    /// The rules that apply to a document validated against schema file `file`.
    pub fn applying_to(&self, file: Option<&str>) -> RuleSet {
        RuleSet {
            rules: self
                .rules
                .iter()
                .filter(|r| r.applies_to_file(file))
                .cloned()
                .collect(),
        }
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules that can report anything in `context`: forbidden-operator rules only when the
    /// context's endpoint is one of theirs. An empty result means the pass can be skipped.
    pub fn relevant(&self, context: &Context) -> RuleSet {
        let rules = self
            .rules
            .iter()
            .filter(|r| match &r.kind {
                Kind::ForbiddenOperator {
                    actions, endpoints, ..
                } => context.endpoint.as_ref().is_some_and(|e| {
                    actions.iter().any(|a| a == &e.action)
                        && endpoints.iter().any(|x| *x == e.module_object())
                }),
                _ => true,
            })
            .cloned()
            .collect();
        RuleSet { rules }
    }

    /// Check a well-formed document (read from `reader`) against the rules. Returns the rule
    /// violations in document order.
    pub fn check<R: BufRead>(
        &self,
        reader: R,
        context: &Context,
    ) -> Result<Vec<ValidationError>, PassError> {
        pass::run(self, reader, context)
    }

    /// The rules as an engine observer, to check a document during the engine's own pass
    /// ([`crate::engine::validate_with`]) instead of reading it a second time.
    pub fn observer<'a>(&'a self, context: &'a Context) -> RulesObserver<'a> {
        RulesObserver::new(self, context)
    }
}

/// `not  equals` -> `NOT EQUALS`.
pub(crate) fn normalize_operator(op: &str) -> String {
    op.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests;
