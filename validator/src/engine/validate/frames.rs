//! The validator's frames, reused in place: `all[..open]` are the open elements, outermost
//! first; the frames after them are closed elements' frames, kept so that the next element at
//! their depth takes over their strings and automaton state where they are (as the path
//! tracker does with its frames), instead of moving whole frames in and out of a vector and
//! their parts through the pools.

use qschema_model::automaton::State;

use super::{ContentCheck, Frame};
use crate::engine::string_pool::MAX_CAPACITY;

/// The open elements' frames, and closed ones kept for reuse.
#[derive(Debug, Default)]
pub(super) struct Frames {
    all: Vec<Frame>,
    open: usize,
}

impl Frames {
    /// Open elements.
    pub(super) fn len(&self) -> usize {
        self.open
    }

    /// The open elements' frames, outermost first.
    pub(super) fn open(&self) -> &[Frame] {
        self.all.get(..self.open).unwrap_or_default()
    }

    /// The innermost open element's frame.
    pub(super) fn last(&self) -> Option<&Frame> {
        self.open().last()
    }

    /// The innermost open element's frame, to change.
    pub(super) fn last_mut(&mut self) -> Option<&mut Frame> {
        self.all.get_mut(..self.open).and_then(<[Frame]>::last_mut)
    }

    /// Open a frame for a new innermost element: the one kept at that depth (its name and
    /// automaton state taken out already by [`Frames::kept_display`] and
    /// [`Frames::kept_state`], its text emptied here), or a new one. The caller sets every
    /// other field.
    pub(super) fn open_next(&mut self) -> &mut Frame {
        if self.all.len() <= self.open {
            self.all.push(Frame::EMPTY);
        }
        let index = self.open;
        self.open += 1;
        let frame = &mut self.all[index];
        if frame.text.capacity() > MAX_CAPACITY {
            frame.text = String::new();
        } else {
            frame.text.clear();
        }
        frame
    }

    /// Close the innermost element: the index of its frame, which stays where it is (for
    /// [`Frames::get`]) until the next element at its depth takes it over.
    pub(super) fn close(&mut self) -> Option<usize> {
        self.open = self.open.checked_sub(1)?;
        Some(self.open)
    }

    /// The frame at `index` (open, or just closed).
    pub(super) fn get(&self, index: usize) -> Option<&Frame> {
        self.all.get(index)
    }

    /// No element open (the kept frames stay, for the next document).
    pub(super) fn restart(&mut self) {
        self.open = 0;
    }

    /// The name string of the frame the next element will take over, emptied (`None` when
    /// there is none, or its string has no memory or too much to keep).
    pub(super) fn kept_display(&mut self) -> Option<String> {
        let s = &mut self.all.get_mut(self.open)?.display;
        if s.capacity() == 0 || s.capacity() > MAX_CAPACITY {
            return None;
        }
        let mut s = std::mem::take(s);
        s.clear();
        Some(s)
    }

    /// The automaton state of the frame the next element will take over.
    pub(super) fn kept_state(&mut self) -> Option<State> {
        match &mut self.all.get_mut(self.open)?.content {
            ContentCheck::Elements { state, .. } => state.take(),
            _ => None,
        }
    }
}

impl Clone for Frames {
    /// The open frames (kept ones are memory, not state).
    fn clone(&self) -> Frames {
        Frames {
            all: self.open().to_vec(),
            open: self.open,
        }
    }
}

impl PartialEq for Frames {
    /// The same open frames.
    fn eq(&self, other: &Frames) -> bool {
        self.open() == other.open()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(name: &str, text: &str) -> Frame {
        let mut f = Frame::EMPTY;
        f.display.push_str(name);
        f.text.push_str(text);
        f
    }

    #[test]
    fn closed_frames_are_taken_over_in_place() {
        let mut frames = Frames::default();
        *frames.open_next() = frame("a", "");
        *frames.open_next() = frame("b", "some text");
        assert_eq!(frames.len(), 2);
        assert_eq!(frames.last().map(|f| f.display.as_str()), Some("b"));
        let closed = frames.close().unwrap();
        assert_eq!(frames.len(), 1);
        // The closed frame is still there to look at.
        assert_eq!(
            frames.get(closed).map(|f| f.text.as_str()),
            Some("some text")
        );
        assert_eq!(frames.open().len(), 1);
        // The next element at that depth takes over its name string and its text, emptied.
        let name = frames.kept_display().unwrap();
        assert!(name.is_empty() && name.capacity() > 0);
        let next = frames.open_next();
        assert!(next.text.is_empty() && next.text.capacity() >= "some text".len());
        assert_eq!(frames.len(), 2);
        // Clones and comparisons see the open frames only.
        frames.close();
        let copy = frames.clone();
        assert_eq!(copy.all.len(), 1);
        assert!(copy == frames);
        frames.restart();
        assert_eq!(frames.len(), 0);
        assert!(frames.last().is_none() && frames.close().is_none());
    }

    #[test]
    fn large_texts_are_not_kept() {
        let mut frames = Frames::default();
        *frames.open_next() = frame("a", &"x".repeat(MAX_CAPACITY + 1));
        frames.close();
        assert_eq!(frames.open_next().text.capacity(), 0);
    }
}
