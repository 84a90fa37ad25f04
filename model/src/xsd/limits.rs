//! Limits that keep hostile schemas from exhausting the stack or memory: nesting depth of
//! content models and anonymous types, and the total expansion work (named groups referenced
//! repeatedly can expand exponentially). Exceeding one is a located error, reported once.

use roxmltree::Node;

use super::lower::Lowerer;

/// Deepest nesting of particles and anonymous types (real schemas stay far below).
pub(crate) const MAX_DEPTH: u32 = 100;

/// Most particles, anonymous types and attribute group expansions one schema may produce.
pub(crate) const MAX_WORK: u64 = 200_000;

impl Lowerer<'_, '_> {
    /// Enter one nesting level at `node`; `false` (reported once) when a limit is exceeded, in
    /// which case the caller must not descend (and must not call [`Lowerer::leave`]).
    pub(crate) fn enter(&mut self, d: usize, node: Node) -> bool {
        self.work += 1;
        if self.depth >= MAX_DEPTH {
            if !self.limit_reported {
                self.limit_reported = true;
                self.error_at(
                    d,
                    node,
                    format!("content models and anonymous types are nested more than {MAX_DEPTH} levels deep"),
                );
            }
            return false;
        }
        if self.work > MAX_WORK {
            if !self.limit_reported {
                self.limit_reported = true;
                self.error_at(
                    d,
                    node,
                    format!("the schema expands to more than {MAX_WORK} particles and types (are named groups referenced exponentially often?)"),
                );
            }
            return false;
        }
        self.depth += 1;
        true
    }

    /// Leave a level entered with [`Lowerer::enter`].
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}
