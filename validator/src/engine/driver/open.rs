//! The open elements, for well-formedness: a stack whose entries (and their name strings) are
//! reused when the depth comes back, so opening an element allocates nothing in the steady
//! state.

/// One open element.
pub(crate) struct Open {
    /// The name as written in the start tag.
    pub qname: String,
    /// Line of the start tag.
    pub line: u32,
    /// Namespace bindings the start tag declared.
    pub bindings: usize,
}

/// The open elements, innermost last.
#[derive(Default)]
pub(crate) struct OpenStack {
    /// `entries[..len]` are open; the rest are kept for reuse.
    entries: Vec<Open>,
    len: usize,
}

impl OpenStack {
    /// Number of open elements.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether no element is open.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The innermost open element.
    pub(crate) fn last(&self) -> Option<&Open> {
        self.len.checked_sub(1).and_then(|i| self.entries.get(i))
    }

    /// Open an element.
    pub(crate) fn push(&mut self, qname: &str, line: u32, bindings: usize) {
        match self.entries.get_mut(self.len) {
            Some(e) => {
                e.qname.clear();
                e.qname.push_str(qname);
                e.line = line;
                e.bindings = bindings;
            }
            None => self.entries.push(Open {
                qname: qname.to_string(),
                line,
                bindings,
            }),
        }
        self.len += 1;
    }

    /// Close the innermost element; its namespace bindings count.
    pub(crate) fn pop(&mut self) -> Option<usize> {
        let bindings = self.last()?.bindings;
        self.len -= 1;
        Some(bindings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_entries() {
        let mut s = OpenStack::default();
        s.push("a", 1, 0);
        s.push("b", 2, 1);
        assert_eq!(s.pop(), Some(1));
        s.push("c", 3, 2);
        assert_eq!(s.last().map(|o| (o.qname.as_str(), o.line)), Some(("c", 3)));
        assert_eq!(s.len(), 2);
        assert_eq!(s.pop(), Some(2));
        assert_eq!(s.pop(), Some(0));
        assert_eq!(s.pop(), None);
        assert!(s.is_empty());
    }
}
