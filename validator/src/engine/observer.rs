//! [`Observer`]: a hook that sees the elements and text of the engine's single pass, so checks
//! beyond the schema (the Qualys rules, [`crate::rules`]) run without parsing the document a
//! second time.

use crate::engine::validate::Attr;
use crate::path::PathTracker;
use crate::report::ValidationError;

/// A start tag as the observer sees it: name, position of its `<`, attributes (values
/// normalized, references expanded).
pub struct ObservedStart<'a> {
    pub(crate) qname: &'a str,
    pub(crate) pos: (u32, u32),
    pub(crate) attrs: &'a [Attr],
}

impl ObservedStart<'_> {
    /// The element name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> &str {
        self.qname
    }

    /// 1-based `(line, column)` of the tag's `<`.
    pub fn position(&self) -> (u32, u32) {
        self.pos
    }

    /// The attributes as `(qname as written, value)`, in document order.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attrs
            .iter()
            .map(|a| (a.qname.as_str(), a.value.as_str()))
    }
}

/// Receives the document's elements and character data during [`crate::engine::validate_with`].
///
/// Calls nest like the document: `start`, then the element's `text` and children, then `end`.
/// `path` is the engine's path tracker, at the element (after `start`'s push, before `end`'s
/// pop). Text is given in pieces (text runs, CDATA sections), references expanded. If the pass
/// stops (not well-formed, a limit), calls stop too: what was observed is then incomplete.
pub trait Observer {
    /// An element starts (`path` includes it).
    fn start(&mut self, tag: &ObservedStart, path: &PathTracker);
    /// Character data directly inside the innermost open element.
    fn text(&mut self, text: &str);
    /// The innermost open element ends (`path` still includes it).
    fn end(&mut self, path: &PathTracker);

    /// Whether [`Observer::text`] must be given the next text even when it is only spaces,
    /// tabs and line feeds (`true`, the default). An observer that says `false` is not given
    /// such a text, which saves the engine its work on the layout between elements.
    fn wants_blank_text(&self) -> bool {
        true
    }

    /// This observer's state between two elements, for an observer of the same kind that
    /// follows a later part of the document on another thread ([`crate::engine::validate_split`]).
    /// `None` (the default): the state cannot be handed over, and the document is read by one
    /// thread.
    fn save(&self) -> Option<SavedState> {
        None
    }

    /// Take over `state`, saved by [`Observer::save`] of another observer of the same kind;
    /// false when it cannot (the default).
    fn restore(&mut self, _state: &SavedState) -> bool {
        false
    }

    /// Whether this observer is now in `state` (saved by [`Observer::save`]): the part of the
    /// document after this point is then observed alike from either.
    fn is_in_state(&self, _state: &SavedState) -> bool {
        false
    }

    /// The findings so far, taken out of the observer (those of a later part of a split
    /// document, handed to the observer of the part before it with [`Observer::add_findings`]).
    fn take_findings(&mut self) -> Vec<ValidationError> {
        Vec::new()
    }

    /// Findings of the part of the document after this observer's part, in document order.
    fn add_findings(&mut self, _findings: Vec<ValidationError>) {}
}

/// An observer's state saved by [`Observer::save`] (its own type, behind `Any`).
pub type SavedState = Box<dyn std::any::Any + Send + Sync>;

/// Makes a new observer for each extra thread of a split document
/// ([`crate::engine::validate_split`]).
pub type ObserverFactory<'f> = dyn Fn() -> Box<dyn Observer + Send + 'f> + Sync + 'f;
