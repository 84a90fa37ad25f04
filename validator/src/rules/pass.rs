//! The rules pass: one streaming read of the document with quick-xml.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::position::{LineCol, PositionReader};
use super::{normalize_operator, Context, Kind, PassError, RuleSet};
use crate::engine::{ObservedStart, Observer, SavedState};
use crate::path::PathTracker;
use crate::report::ValidationError;

/// Longest text kept for a value check; longer values are checked on their first part only
/// (a UUID or a criteria value is far shorter).
const MAX_CAPTURE: usize = 64 * 1024;

/// The element whose `field` and `operator` attributes and text the criteria rules check.
const CRITERIA: &str = "Criteria";

/// An element whose children are watched by a mutually-exclusive rule.
#[derive(Clone, Debug, PartialEq)]
struct ExclusiveFrame {
    rule: usize,
    depth: usize,
    first: Option<(String, LineCol)>,
}

/// What a captured text is checked for.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    /// `elements` of a value-pattern rule.
    Element { rule: usize },
    /// A `Criteria` element: its field and operator.
    Criteria { field: String, operator: String },
}

/// An element whose text is being collected.
#[derive(Clone, Debug, PartialEq)]
struct Capture {
    depth: usize,
    target: Target,
    at: LineCol,
    text: String,
}

/// The rules' state during one document, fed element by element (by the engine through
/// [`RulesObserver`], or by [`run`]'s own reader).
pub(super) struct Pass<'a> {
    rules: &'a RuleSet,
    context: &'a Context,
    /// Depth of the innermost open element (the path tracker's depth; `text` has no path).
    depth: usize,
    exclusive: Vec<ExclusiveFrame>,
    captures: Vec<Capture>,
    errors: Vec<ValidationError>,
    wants_criteria: bool,
    /// Local names an element must have for a mutually-exclusive or value-pattern rule to
    /// start at it (the last step of their paths); `None` when some path is empty (then every
    /// element must be looked at).
    watched: Option<Vec<String>>,
    /// The lengths of the names an element must have for any rule to start at it (`watched`
    /// and `Criteria`), one bit per length (bit 63 for 63 bytes and more): most elements are
    /// ruled out by their length alone.
    lengths: u64,
}

/// The bit of a name's length in [`Pass::lengths`].
fn length_bit(name: &str) -> u64 {
    1 << name.len().min(63)
}

/// The rules as an engine [`Observer`]: checks the document during the engine's single pass.
/// Take the violations with [`RulesObserver::into_errors`] (meaningful only when the document
/// was read to its end).
pub struct RulesObserver<'a> {
    pass: Pass<'a>,
}

impl<'a> RulesObserver<'a> {
    pub(super) fn new(rules: &'a RuleSet, context: &'a Context) -> RulesObserver<'a> {
        RulesObserver {
            pass: Pass::new(rules, context),
        }
    }

    /// The rule violations found, in document order.
    pub fn into_errors(self) -> Vec<ValidationError> {
        self.pass.errors
    }
}

/// What a [`RulesObserver`] hands to the observer of a later part of a split document.
#[derive(Clone, Debug, PartialEq)]
struct Saved {
    depth: usize,
    exclusive: Vec<ExclusiveFrame>,
    captures: Vec<Capture>,
}

impl RulesObserver<'_> {
    /// The state a later part of a split document starts from.
    fn saved(&self) -> Saved {
        Saved {
            depth: self.pass.depth,
            exclusive: self.pass.exclusive.clone(),
            captures: self.pass.captures.clone(),
        }
    }
}

impl Observer for RulesObserver<'_> {
    fn save(&self) -> Option<SavedState> {
        Some(Box::new(self.saved()))
    }

    fn restore(&mut self, state: &SavedState) -> bool {
        let Some(saved) = state.downcast_ref::<Saved>() else {
            return false;
        };
        self.pass.depth = saved.depth;
        self.pass.exclusive = saved.exclusive.clone();
        self.pass.captures = saved.captures.clone();
        true
    }

    fn is_in_state(&self, state: &SavedState) -> bool {
        state.downcast_ref::<Saved>() == Some(&self.saved())
    }

    fn take_findings(&mut self) -> Vec<ValidationError> {
        std::mem::take(&mut self.pass.errors)
    }

    fn add_findings(&mut self, findings: Vec<ValidationError>) {
        self.pass.errors.extend(findings);
    }

    fn start(&mut self, tag: &ObservedStart, path: &PathTracker) {
        let (line, column) = tag.position();
        let at = LineCol { line, column };
        self.pass.start(tag.qname(), at, path, || {
            let mut field = String::new();
            let mut operator = String::new();
            for (key, value) in tag.attributes() {
                match local(key) {
                    "field" => field = value.to_string(),
                    "operator" => operator = value.to_string(),
                    _ => {}
                }
            }
            (field, operator)
        });
    }

    fn text(&mut self, text: &str) {
        if !self.pass.captures.is_empty() {
            self.pass.text(text);
        }
    }

    fn wants_blank_text(&self) -> bool {
        // Only a capture (a value the rules check) takes text.
        !self.pass.captures.is_empty()
    }

    #[inline]
    fn end(&mut self, path: &PathTracker) {
        self.pass.end(path);
    }
}

pub(super) fn run<R: BufRead>(
    rules: &RuleSet,
    reader: R,
    context: &Context,
) -> Result<Vec<ValidationError>, PassError> {
    let mut xml = Reader::from_reader(PositionReader::new(reader));
    xml.config_mut().trim_text(false);
    xml.config_mut().check_end_names = true;
    let mut pass = Pass::new(rules, context);
    let mut path = PathTracker::new();
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
            Event::Start(e) => start(&mut pass, &mut path, &e, at),
            Event::Empty(e) => {
                start(&mut pass, &mut path, &e, at);
                pass.end(&path);
                path.pop();
            }
            Event::End(_) => {
                pass.end(&path);
                path.pop();
            }
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

/// A start tag read by [`run`]'s own reader.
fn start(pass: &mut Pass, path: &mut PathTracker, e: &BytesStart<'_>, at: LineCol) {
    let qname = String::from_utf8_lossy(e.name().into_inner());
    path.push(&qname);
    pass.start(&qname, at, path, || {
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
        (field, operator)
    });
}

/// Whether the local names of the open elements end with `suffix`.
fn ends_with(path: &PathTracker, suffix: &[String]) -> bool {
    let names = path.open_names();
    names.len() >= suffix.len()
        && names
            .rev()
            .zip(suffix.iter().rev())
            .all(|(name, step)| local(name) == step)
}

/// The local part of a qualified name.
fn local(qname: &str) -> &str {
    // A byte loop: names are short, and `rsplit_once(':')` sets up a searcher per call.
    match qname.bytes().rposition(|b| b == b':') {
        Some(i) => qname.get(i + 1..).unwrap_or_default(),
        None => qname,
    }
}

use qschema_model::xml_chars::is_xml_space;

impl<'a> Pass<'a> {
    fn new(rules: &'a RuleSet, context: &'a Context) -> Pass<'a> {
        let wants_criteria = rules.rules().iter().any(|r| match &r.kind {
            Kind::ValuePattern {
                criteria_fields, ..
            } => !criteria_fields.is_empty(),
            Kind::ForbiddenOperator { .. } => true,
            Kind::MutuallyExclusive { .. } => false,
        });
        let mut watched = Some(Vec::new());
        for rule in rules.rules() {
            let paths: Vec<&Vec<String>> = match &rule.kind {
                Kind::MutuallyExclusive { element, .. } => vec![element],
                Kind::ValuePattern { elements, .. } => elements.iter().collect(),
                Kind::ForbiddenOperator { .. } => Vec::new(),
            };
            for path in paths {
                match (path.last(), watched.as_mut()) {
                    (Some(last), Some(w)) => w.push(last.clone()),
                    (None, _) => watched = None,
                    (Some(_), None) => {}
                }
            }
        }
        let lengths = match &watched {
            Some(names) => names
                .iter()
                .map(|n| length_bit(n))
                .chain(wants_criteria.then(|| length_bit(CRITERIA)))
                .fold(0, |bits, bit| bits | bit),
            None => u64::MAX,
        };
        Pass {
            rules,
            context,
            depth: 0,
            exclusive: Vec::new(),
            captures: Vec::new(),
            errors: Vec::new(),
            wants_criteria,
            watched,
            lengths,
        }
    }

    /// An element starts; `path` already includes it; `criteria` gives the `field` and
    /// `operator` attributes (asked only for a `Criteria` element).
    fn start(
        &mut self,
        qname: &str,
        at: LineCol,
        path: &PathTracker,
        criteria: impl FnOnce() -> (String, String),
    ) {
        let name = local(qname);
        self.depth += 1;
        // The usual element: no mutually exclusive element is open, and no rule starts at a
        // name of its length.
        if self.exclusive.is_empty() && self.lengths & length_bit(name) == 0 {
            return;
        }
        self.start_watched(name, at, path, criteria);
    }

    /// [`Pass::start`] of an element a rule may concern (`name`: its local name; the depth
    /// already counts it). Kept out of line, so the usual element's path stays short.
    #[inline(never)]
    fn start_watched(
        &mut self,
        name: &str,
        at: LineCol,
        path: &PathTracker,
        criteria: impl FnOnce() -> (String, String),
    ) {
        let depth = self.depth;
        self.check_exclusive_child(name, depth, at, path);
        if self.lengths & length_bit(name) == 0 {
            return;
        }

        let rules = match &self.watched {
            Some(w) if !w.iter().any(|n| n == name) => &[][..],
            _ => self.rules.rules(),
        };
        for (i, rule) in rules.iter().enumerate() {
            match &rule.kind {
                Kind::MutuallyExclusive { element, .. } if ends_with(path, element) => {
                    self.exclusive.push(ExclusiveFrame {
                        rule: i,
                        depth,
                        first: None,
                    });
                }
                Kind::ValuePattern { elements, .. }
                    if elements.iter().any(|el| ends_with(path, el)) =>
                {
                    self.captures.push(Capture {
                        depth,
                        target: Target::Element { rule: i },
                        at,
                        text: String::new(),
                    });
                }
                _ => {}
            }
        }

        if self.wants_criteria && name == CRITERIA {
            let (field, operator) = criteria();
            self.check_operator(&operator, at, path);
            self.captures.push(Capture {
                depth,
                target: Target::Criteria { field, operator },
                at,
                text: String::new(),
            });
        }
    }

    fn check_exclusive_child(&mut self, name: &str, depth: usize, at: LineCol, path: &PathTracker) {
        // The usual element: no mutually exclusive element is open.
        if self.exclusive.is_empty() {
            return;
        }
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
            err.path = path.current();
            self.errors.push(err);
        }
    }

    fn check_operator(&mut self, operator: &str, at: LineCol, path: &PathTracker) {
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
                    path: path.attribute("operator"),
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
        let depth = self.depth;
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

    /// The innermost open element ends; `path` still includes it.
    fn end(&mut self, path: &PathTracker) {
        // The usual element: nothing captured, no mutually exclusive element open.
        if self.captures.is_empty() && self.exclusive.is_empty() {
            self.depth = self.depth.saturating_sub(1);
            return;
        }
        let depth = self.depth;
        while self.captures.last().is_some_and(|c| c.depth == depth) {
            if let Some(c) = self.captures.pop() {
                self.check_capture(c, path);
            }
        }
        while self.exclusive.last().is_some_and(|f| f.depth == depth) {
            self.exclusive.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn check_capture(&mut self, c: Capture, path: &PathTracker) {
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
                    let name = path.open_names().next_back().map(local).unwrap_or_default();
                    self.errors.push(ValidationError {
                        line: c.at.line,
                        column: c.at.column,
                        path: path.current(),
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
                            path: path.current(),
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
