//! [`Observer`]: a hook that sees the elements and text of the engine's single pass, so checks
//! beyond the schema (the Qualys rules, [`crate::rules`]) run without parsing the document a
//! second time.

use crate::engine::validate::Attr;
use crate::path::PathTracker;

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
}
