//! Element paths as reported in errors: `/ServiceResponse/data/Finding[3]/uniqueId`.
//!
//! A step carries a `[n]` index (1-based, counting same-named siblings) only when it is not the
//! first sibling of that name, so the common case reads like a plain path and repeated
//! elements are still unambiguous: `/a/b`, `/a/b[2]`, `/a/b[3]/c`.

use std::collections::HashMap;
use std::fmt::Write as _;

/// Tracks the current element path during a streaming pass.
///
/// Nothing is allocated per element in the steady state: frames (and the strings in them)
/// are reused when the depth comes back, and sibling counts live in a small list (a map only
/// past `SMALL` distinct child names).
#[derive(Debug, Default, Clone)]
pub struct PathTracker {
    /// `stack[..depth]` are the open elements; the rest are frames kept for reuse.
    stack: Vec<Frame>,
    depth: usize,
    root_seen: bool,
}

/// Distinct child names counted in a list before a map takes over.
const SMALL: usize = 16;

#[derive(Debug, Default, Clone)]
struct Frame {
    name: String,
    index: usize,
    /// Same-named children seen so far: `counts[..used]`, then `more`.
    counts: Vec<(String, usize)>,
    used: usize,
    /// The [`name_bit`]s of the names counted: a name whose bit is not set is new, without a
    /// search (a record's children mostly have names not seen yet under it).
    seen: u64,
    more: HashMap<String, usize>,
}

impl Frame {
    /// Reuse this frame for a new element `name` at sibling index `index`.
    fn reset(&mut self, name: &str, index: usize) {
        self.name.clear();
        self.name.push_str(name);
        self.index = index;
        self.used = 0;
        self.seen = 0;
        self.more.clear();
    }

    /// Count one more child named `name`; its 1-based index among same-named siblings.
    fn bump(&mut self, name: &str) -> usize {
        let used = self.used.min(self.counts.len());
        let bit = name_bit(name);
        if self.seen & bit != 0 {
            if let Some(entry) = self.counts[..used].iter_mut().find(|(n, _)| n == name) {
                entry.1 += 1;
                return entry.1;
            }
            if let Some(n) = self.more.get_mut(name) {
                *n += 1;
                return *n;
            }
        }
        self.seen |= bit;
        if used < SMALL {
            match self.counts.get_mut(used) {
                Some(entry) => {
                    entry.0.clear();
                    entry.0.push_str(name);
                    entry.1 = 1;
                }
                None => self.counts.push((name.to_string(), 1)),
            }
            self.used = used + 1;
        } else {
            self.more.insert(name.to_string(), 1);
        }
        1
    }
}

/// One of 64 bits for `name` (from its length and its first and last bytes): equal names
/// have the same bit.
#[inline]
fn name_bit(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let first = bytes.first().copied().unwrap_or(0) as usize;
    let last = bytes.last().copied().unwrap_or(0) as usize;
    1 << ((bytes.len() * 7 + first * 3 + last) % 64)
}

impl PathTracker {
    /// A tracker at the document level.
    pub fn new() -> PathTracker {
        PathTracker::default()
    }

    /// Back to the document level with nothing seen, keeping the frames' memory for reuse
    /// (for the next document).
    pub fn restart(&mut self) {
        self.depth = 0;
        self.root_seen = false;
    }

    /// Enter a child element named `name` of the current element.
    pub fn push(&mut self, name: &str) {
        let index = match self
            .depth
            .checked_sub(1)
            .and_then(|i| self.stack.get_mut(i))
        {
            Some(parent) => parent.bump(name),
            None => {
                self.root_seen = true;
                1
            }
        };
        match self.stack.get_mut(self.depth) {
            Some(frame) => frame.reset(name, index),
            None => {
                let mut frame = Frame::default();
                frame.reset(name, index);
                self.stack.push(frame);
            }
        }
        self.depth += 1;
    }

    /// Leave the current element.
    pub fn pop(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The names of the open elements as they were pushed, outermost first.
    pub fn open_names(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        let open = self.stack.get(..self.depth).unwrap_or_default();
        open.iter().map(|f| f.name.as_str())
    }

    /// Nesting depth (0 at document level).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The current path, e.g. `/ServiceResponse/data/Finding[3]`; `/` at document level.
    pub fn current(&self) -> String {
        let open = self.stack.get(..self.depth).unwrap_or_default();
        if open.is_empty() {
            return "/".to_string();
        }
        let mut s = String::new();
        for f in open {
            s.push('/');
            s.push_str(&f.name);
            if f.index > 1 {
                let _ = write!(s, "[{}]", f.index);
            }
        }
        s
    }

    /// Whether `other` has the same open elements (names and sibling indexes) as this one: the
    /// two passes are at the same place of the document, whatever came before it.
    pub(crate) fn same_open_elements(&self, other: &PathTracker) -> bool {
        let ours = self.stack.get(..self.depth).unwrap_or_default();
        let theirs = other.stack.get(..other.depth).unwrap_or_default();
        self.root_seen == other.root_seen
            && ours.len() == theirs.len()
            && ours
                .iter()
                .zip(theirs)
                .all(|(a, b)| a.name == b.name && a.index == b.index)
    }

    /// The name and sibling index of the element closed last, when no element was opened
    /// since.
    pub(crate) fn last_closed(&self) -> Option<(&str, usize)> {
        self.stack
            .get(self.depth)
            .map(|f| (f.name.as_str(), f.index))
    }

    /// How many children of each name the innermost open element has had so far.
    pub(crate) fn child_counts(&self) -> Vec<(String, usize)> {
        let Some(f) = self.depth.checked_sub(1).and_then(|i| self.stack.get(i)) else {
            return Vec::new();
        };
        let used = f.used.min(f.counts.len());
        let mut counts: Vec<(String, usize)> = f.counts[..used].to_vec();
        counts.extend(f.more.iter().map(|(n, c)| (n.clone(), *c)));
        counts
    }

    /// The path of an attribute of the current element: `/a/b[2]/@name`.
    pub fn attribute(&self, name: &str) -> String {
        let base = self.current();
        if base == "/" {
            format!("/@{name}")
        } else {
            format!("{base}/@{name}")
        }
    }
}

/// `path` (as [`PathTracker::current`] writes it) with the sibling index of its step below
/// `parent` (the path of an element) raised by `raise(name)` for that step's name: the path a
/// later part of a split document reports, once the children counted before the part are
/// known. Other paths are returned unchanged.
pub(crate) fn raise_index(path: &str, parent: &str, raise: &dyn Fn(&str) -> usize) -> String {
    let Some(rest) = path.strip_prefix(parent).and_then(|r| r.strip_prefix('/')) else {
        return path.to_string();
    };
    let (step, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (name, index) = match step.strip_suffix(']').and_then(|s| s.split_once('[')) {
        Some((name, n)) => match n.parse::<usize>() {
            Ok(n) => (name, n),
            Err(_) => return path.to_string(),
        },
        None => (step, 1),
    };
    let by = raise(name);
    if by == 0 || name.starts_with('@') {
        return path.to_string();
    }
    let head = &path[..path.len() - rest.len()];
    format!("{head}{name}[{}]{tail}", index + by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raise_index_moves_the_step_below_the_parent_only() {
        let by = |name: &str| if name == "Finding" { 10 } else { 0 };
        let parent = "/ServiceResponse/data";
        let cases = [
            (
                "/ServiceResponse/data/Finding/id",
                "/ServiceResponse/data/Finding[11]/id",
            ),
            (
                "/ServiceResponse/data/Finding[3]",
                "/ServiceResponse/data/Finding[13]",
            ),
            ("/ServiceResponse/data/count", "/ServiceResponse/data/count"),
            ("/ServiceResponse/data", "/ServiceResponse/data"),
            (
                "/ServiceResponse/data[2]/Finding",
                "/ServiceResponse/data[2]/Finding",
            ),
            (
                "/ServiceResponse/dataX/Finding",
                "/ServiceResponse/dataX/Finding",
            ),
            (
                "/ServiceResponse/data/@Finding",
                "/ServiceResponse/data/@Finding",
            ),
        ];
        for (path, raised) in cases {
            assert_eq!(raise_index(path, parent, &by), raised, "{path}");
        }
    }

    #[test]
    fn indexes_repeated_siblings_only() {
        let mut p = PathTracker::new();
        p.push("ServiceResponse");
        p.push("data");
        for _ in 0..3 {
            p.push("Finding");
            p.pop();
        }
        p.push("Finding");
        p.push("uniqueId");
        assert_eq!(p.current(), "/ServiceResponse/data/Finding[4]/uniqueId");
        assert_eq!(
            p.attribute("x"),
            "/ServiceResponse/data/Finding[4]/uniqueId/@x"
        );
        p.pop();
        p.pop();
        p.pop();
        p.pop();
        assert_eq!(p.current(), "/");
    }

    /// The open names follow pushes and pops (reused frames included).
    #[test]
    fn open_names_follow_the_stack() {
        let mut p = PathTracker::new();
        p.push("a");
        p.push("b");
        p.pop();
        p.push("c");
        assert_eq!(p.open_names().collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(p.open_names().next_back(), Some("c"));
        assert_eq!(p.open_names().len(), 2);
        p.pop();
        p.pop();
        assert_eq!(p.open_names().next_back(), None);
        assert_eq!(p.depth(), 0);
    }

    /// Names that share a bit (same length, first and last bytes) are still counted apart,
    /// past the list's size too.
    #[test]
    fn names_sharing_a_bit_are_counted_apart() {
        let names: Vec<String> = (0..40).map(|i| format!("a{i:02}z")).collect();
        assert_eq!(name_bit(&names[0]), name_bit(&names[1]));
        let mut p = PathTracker::new();
        p.push("r");
        for round in 1..=3 {
            for name in &names {
                p.push(name);
                let expected = if round == 1 {
                    format!("/r/{name}")
                } else {
                    format!("/r/{name}[{round}]")
                };
                assert_eq!(p.current(), expected);
                p.pop();
            }
        }
    }

    /// Reused frames start counting afresh, and many distinct names (past the small list)
    /// are counted too.
    #[test]
    fn reused_frames_and_many_names() {
        let mut p = PathTracker::new();
        p.push("r");
        p.push("a");
        p.push("x");
        p.pop();
        p.push("x");
        assert_eq!(p.current(), "/r/a/x[2]");
        p.pop();
        p.pop();
        p.push("b");
        p.push("x");
        assert_eq!(p.current(), "/r/b/x");
        p.pop();
        for round in 1..=2 {
            for i in 0..40 {
                p.push(&format!("n{i}"));
                if i == 39 {
                    let expected = if round == 1 {
                        "/r/b/n39".to_string()
                    } else {
                        "/r/b/n39[2]".to_string()
                    };
                    assert_eq!(p.current(), expected);
                }
                p.pop();
            }
        }
        assert_eq!(p.depth(), 2);
    }
}
