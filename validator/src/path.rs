//! Element paths as reported in errors: `/ServiceResponse/data/Finding[3]/uniqueId`.
//!
//! A step carries a `[n]` index (1-based, counting same-named siblings) only when it is not the
//! first sibling of that name, so the common case reads like a plain path and repeated
//! elements are still unambiguous: `/a/b`, `/a/b[2]`, `/a/b[3]/c`.

use std::collections::HashMap;

/// Tracks the current element path during a streaming pass.
#[derive(Debug, Default, Clone)]
pub struct PathTracker {
    stack: Vec<Frame>,
    root_seen: bool,
}

#[derive(Debug, Default, Clone)]
struct Frame {
    name: String,
    index: usize,
    child_counts: HashMap<String, usize>,
}

impl PathTracker {
    /// A tracker at the document level.
    pub fn new() -> PathTracker {
        PathTracker::default()
    }

    /// Enter a child element named `name` of the current element.
    pub fn push(&mut self, name: &str) {
        let index = match self.stack.last_mut() {
            Some(parent) => {
                let n = parent.child_counts.entry(name.to_string()).or_insert(0);
                *n += 1;
                *n
            }
            None => {
                self.root_seen = true;
                1
            }
        };
        self.stack.push(Frame {
            name: name.to_string(),
            index,
            child_counts: HashMap::new(),
        });
    }

    /// Leave the current element.
    pub fn pop(&mut self) {
        self.stack.pop();
    }

    /// Nesting depth (0 at document level).
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// The current path, e.g. `/ServiceResponse/data/Finding[3]`; `/` at document level.
    pub fn current(&self) -> String {
        if self.stack.is_empty() {
            return "/".to_string();
        }
        let mut s = String::new();
        for f in &self.stack {
            s.push('/');
            s.push_str(&f.name);
            if f.index > 1 {
                s.push_str(&format!("[{}]", f.index));
            }
        }
        s
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
