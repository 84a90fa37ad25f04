//! The rules pass: one streaming read of the document with quick-xml.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::position::{LineCol, PositionReader};
use super::{normalize_operator, Context, Kind, PassError, RuleSet};
use crate::path::PathTracker;
use crate::report::ValidationError;

/// Longest text kept for a value check; longer values are checked on their first part only
/// (a UUID or a criteria value is far shorter).
const MAX_CAPTURE: usize = 64 * 1024;

/// An element whose children are watched by a mutually-exclusive rule.
struct ExclusiveFrame {
    rule: usize,
    depth: usize,
    first: Option<(String, LineCol)>,
}

/// What a captured text is checked for.
enum Target {
    /// `elements` of a value-pattern rule.
    Element { rule: usize },
    /// A `Criteria` element: its field and operator.
    Criteria { field: String, operator: String },
}

/// An element whose text is being collected.
struct Capture {
    depth: usize,
    target: Target,
    at: LineCol,
    path: String,
    text: String,
}

struct Pass<'a> {
    rules: &'a RuleSet,
    context: &'a Context,
    names: Vec<String>,
    path: PathTracker,
    exclusive: Vec<ExclusiveFrame>,
    captures: Vec<Capture>,
    errors: Vec<ValidationError>,
    wants_criteria: bool,
}

pub(super) fn run<R: BufRead>(
    rules: &RuleSet,
    reader: R,
    context: &Context,
) -> Result<Vec<ValidationError>, PassError> {
    let mut xml = Reader::from_reader(PositionReader::new(reader));
    xml.config_mut().trim_text(false);
    xml.config_mut().check_end_names = true;
    let wants_criteria = rules.rules().iter().any(|r| match &r.kind {
        Kind::ValuePattern {
            criteria_fields, ..
        } => !criteria_fields.is_empty(),
        Kind::ForbiddenOperator { .. } => true,
        Kind::MutuallyExclusive { .. } => false,
    });
    let mut pass = Pass {
        rules,
        context,
        names: Vec::new(),
        path: PathTracker::new(),
        exclusive: Vec::new(),
        captures: Vec::new(),
        errors: Vec::new(),
        wants_criteria,
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let at = xml.get_ref().last_markup_start();
                return Err(PassError {
                    line: at.line,
                    column: at.column,
                    message: e.to_string(),
                    partial: pass.errors,
                });
            }
        };
        let at = xml.get_ref().last_markup_start();
        match event {
            Event::Start(e) => pass.start(&e, at),
            Event::Empty(e) => {
                pass.start(&e, at);
                pass.end();
            }
            Event::End(_) => pass.end(),
            Event::Text(t) if !pass.captures.is_empty() => {
                let text = t
                    .unescape()
                    .map(|c| c.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(&t).into_owned());
                pass.text(&text);
            }
            Event::CData(c) if !pass.captures.is_empty() => {
                let text = String::from_utf8_lossy(&c).into_owned();
                pass.text(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pass.errors)
}

/// The local part of a qualified name.
fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

use qschema_model::xml_chars::is_xml_space;

impl Pass<'_> {
    fn ends_with(&self, suffix: &[String]) -> bool {
        self.names.len() >= suffix.len()
            && self.names[self.names.len() - suffix.len()..]
                .iter()
                .zip(suffix)
                .all(|(a, b)| a == b)
    }

    fn start(&mut self, e: &BytesStart<'_>, at: LineCol) {
        let qname = String::from_utf8_lossy(e.name().into_inner());
        let name = local(&qname);
        self.path.push(&qname);
        self.names.push(name.to_string());
        let depth = self.names.len();

        self.check_exclusive_child(name, depth, at);

        for (i, rule) in self.rules.rules().iter().enumerate() {
            match &rule.kind {
                Kind::MutuallyExclusive { element, .. } if self.ends_with(element) => {
                    self.exclusive.push(ExclusiveFrame {
                        rule: i,
                        depth,
                        first: None,
                    });
                }
                Kind::ValuePattern { elements, .. }
                    if elements.iter().any(|el| self.ends_with(el)) =>
                {
                    self.captures.push(Capture {
                        depth,
                        target: Target::Element { rule: i },
                        at,
                        path: self.path.current(),
                        text: String::new(),
                    });
                }
                _ => {}
            }
        }

        if self.wants_criteria && name == "Criteria" {
            let mut field = String::new();
            let mut operator = String::new();
            for attr in e.attributes().flatten() {
                let value = attr
                    .unescape_value()
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
                match local(&String::from_utf8_lossy(attr.key.as_ref())) {
                    "field" => field = value,
                    "operator" => operator = value,
                    _ => {}
                }
            }
            self.check_operator(&operator, at);
            self.captures.push(Capture {
                depth,
                target: Target::Criteria { field, operator },
                at,
                path: self.path.current(),
                text: String::new(),
            });
        }
    }

    fn check_exclusive_child(&mut self, name: &str, depth: usize, at: LineCol) {
        let rules = self.rules.rules();
        let mut found = Vec::new();
        for frame in self.exclusive.iter_mut().filter(|f| f.depth + 1 == depth) {
            let Some(rule) = rules.get(frame.rule) else {
                continue;
            };
            let Kind::MutuallyExclusive { element, children } = &rule.kind else {
                continue;
            };
            if !children.iter().any(|c| c == name) {
                continue;
            }
            match &frame.first {
                None => frame.first = Some((name.to_string(), at)),
                Some((first, first_at)) if first != name => {
                    let parent = element.last().map(String::as_str).unwrap_or("");
                    found.push(ValidationError {
                        line: at.line,
                        column: at.column,
                        path: String::new(),
                        rule: rule.id.clone(),
                        message: format!(
                            "<{name}> cannot be used together with <{first}> (line {}) in <{parent}>: {} are mutually exclusive",
                            first_at.line,
                            children.join(", ")
                        ),
                        found: Some(name.to_string()),
                        expected: Some(format!("at most one of {}", children.join(", "))),
                        declared_at: Some(rule.declared_at()),
                    });
                }
                Some(_) => {}
            }
        }
        for mut err in found {
            err.path = self.path.current();
            self.errors.push(err);
        }
    }

    fn check_operator(&mut self, operator: &str, at: LineCol) {
        let Some(endpoint) = &self.context.endpoint else {
            return;
        };
        let op = normalize_operator(operator);
        let module_object = endpoint.module_object();
        for rule in self.rules.rules() {
            let Kind::ForbiddenOperator {
                operator: forbidden,
                actions,
                endpoints,
            } = &rule.kind
            else {
                continue;
            };
            if &op == forbidden
                && actions.iter().any(|a| a == &endpoint.action)
                && endpoints.iter().any(|e| e == &module_object)
            {
                self.errors.push(ValidationError {
                    line: at.line,
                    column: at.column,
                    path: self.path.attribute("operator"),
                    rule: rule.id.clone(),
                    message: format!(
                        "operator `{forbidden}` is not allowed in a {} request to {endpoint}",
                        endpoint.action
                    ),
                    found: Some(operator.to_string()),
                    expected: Some(format!("an operator other than {forbidden}")),
                    declared_at: Some(rule.declared_at()),
                });
            }
        }
    }

    fn text(&mut self, text: &str) {
        let depth = self.names.len();
        for c in self.captures.iter_mut().filter(|c| c.depth == depth) {
            if c.text.len() < MAX_CAPTURE {
                let room = MAX_CAPTURE - c.text.len();
                let mut cut = text.len().min(room);
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                c.text.push_str(&text[..cut]);
            }
        }
    }

    fn end(&mut self) {
        let depth = self.names.len();
        while self.captures.last().is_some_and(|c| c.depth == depth) {
            if let Some(c) = self.captures.pop() {
                self.check_capture(c);
            }
        }
        while self.exclusive.last().is_some_and(|f| f.depth == depth) {
            self.exclusive.pop();
        }
        self.names.pop();
        self.path.pop();
    }

    fn check_capture(&mut self, c: Capture) {
        let value = c.text.trim_matches(is_xml_space);
        match &c.target {
            Target::Element { rule } => {
                let Some(rule) = self.rules.rules().get(*rule) else {
                    return;
                };
                let Kind::ValuePattern { regex, pattern, .. } = &rule.kind else {
                    return;
                };
                if !regex.is_match(value) {
                    let name = self.names.last().cloned().unwrap_or_default();
                    self.errors.push(ValidationError {
                        line: c.at.line,
                        column: c.at.column,
                        path: c.path.clone(),
                        rule: rule.id.clone(),
                        message: format!(
                            "<{name}> value `{value}` does not match the pattern `{pattern}`"
                        ),
                        found: Some(value.to_string()),
                        expected: Some(pattern.clone()),
                        declared_at: Some(rule.declared_at()),
                    });
                }
            }
            Target::Criteria { field, operator } => {
                let list = matches!(normalize_operator(operator).as_str(), "IN" | "NOT IN");
                for rule in self.rules.rules() {
                    let Kind::ValuePattern {
                        regex,
                        pattern,
                        criteria_fields,
                        ..
                    } = &rule.kind
                    else {
                        continue;
                    };
                    if !criteria_fields.iter().any(|f| f == field) {
                        continue;
                    }
                    let items: Vec<&str> = if list {
                        value
                            .split(',')
                            .map(|v| v.trim_matches(is_xml_space))
                            .collect()
                    } else {
                        vec![value]
                    };
                    for item in items.into_iter().filter(|i| !regex.is_match(i)) {
                        self.errors.push(ValidationError {
                            line: c.at.line,
                            column: c.at.column,
                            path: c.path.clone(),
                            rule: rule.id.clone(),
                            message: format!(
                                "Criteria field=\"{field}\" value `{item}` does not match the pattern `{pattern}`"
                            ),
                            found: Some(item.to_string()),
                            expected: Some(pattern.clone()),
                            declared_at: Some(rule.declared_at()),
                        });
                    }
                }
            }
        }
    }
}
