//! Memory a thread keeps from one document's pass to the next: the read buffer, the path
//! tracker's frames and the validator's pools. Only memory is kept, never
//! document state (each is emptied or restarted before reuse); it saves the warm-up
//! allocations that dominate small documents (thousands of API responses in one run).

use std::cell::Cell;

use crate::engine::validate::Pools;
use crate::path::PathTracker;

/// Buffers larger than this are not kept (a document with one huge event should not pin its
/// memory to the thread).
const MAX_KEPT_BYTES: usize = 1024 * 1024;

/// The kept memory.
#[derive(Default)]
pub(super) struct Scratch {
    pub read_buf: Vec<u8>,
    pub path: PathTracker,
    pub pools: Pools,
}

thread_local! {
    static KEPT: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

impl Scratch {
    /// This thread's kept memory (or new, empty memory), with the path at the document level.
    pub fn take() -> Box<Scratch> {
        let mut scratch = KEPT.with(Cell::take).unwrap_or_default();
        scratch.path.restart();
        scratch
    }

    /// Keep `self` for this thread's next pass (large buffers are dropped).
    pub fn keep(mut self: Box<Scratch>) {
        if self.read_buf.capacity() > MAX_KEPT_BYTES {
            self.read_buf = Vec::new();
        }
        KEPT.with(|kept| kept.set(Some(self)));
    }
}
