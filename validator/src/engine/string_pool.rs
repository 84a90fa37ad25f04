//! Cleared strings kept for reuse, so the usual element allocates no string: a start tag's
//! attribute names and values (the validator's frames keep their own, see
//! `validate/frames.rs`).

/// Strings kept, at most (the validator keeps as many automaton states of closed elements).
pub(crate) const MAX_KEPT: usize = 64;
/// Largest capacity of a string kept (a document with one huge value should not pin it).
pub(crate) const MAX_CAPACITY: usize = 1024;

/// A bounded pool of empty strings.
#[derive(Debug, Default)]
pub(crate) struct StringPool(Vec<String>);

impl StringPool {
    /// An empty string, a kept one when there is one.
    pub(crate) fn take(&mut self) -> String {
        self.0.pop().unwrap_or_default()
    }

    /// Keep `s`, cleared, unless it is large or the pool is full.
    pub(crate) fn give(&mut self, mut s: String) {
        if s.capacity() <= MAX_CAPACITY && self.0.len() < MAX_KEPT {
            s.clear();
            self.0.push(s);
        }
    }
}
