//! The scanner's input: a stack of frames (the file being read, with the replacement texts of
//! parameter entities pushed on top), read character by character with exact positions.

use std::rc::Rc;

use super::source::Source;
use crate::location::Location;

/// One input being read: part of a [`Source`] from `pos` to `end`.
#[derive(Debug)]
pub(crate) struct Frame {
    /// The text.
    pub src: Rc<Source>,
    /// Current byte offset.
    pub pos: usize,
    /// Byte offset where this frame's text ends.
    pub end: usize,
    /// Unique id of this frame (for the proper-nesting validity constraints).
    pub id: u32,
    /// Name of the parameter entity whose replacement text this is.
    pub entity: Option<String>,
    /// Whether this text lies in an external entity (the external subset or an external
    /// parameter entity, or an internal parameter entity referenced from one): only there
    /// may parameter-entity references appear inside markup declarations.
    pub external: bool,
    /// For the replacement text of an internal parameter entity: every position in it is
    /// reported at the reference.
    pub origin: Option<Location>,
}

/// The frame stack.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    frames: Vec<Frame>,
    next_id: u32,
}

impl Reader {
    /// Push a frame reading all of `src`; returns its id.
    pub fn push(
        &mut self,
        src: Rc<Source>,
        entity: Option<String>,
        external: bool,
        origin: Option<Location>,
    ) -> u32 {
        let end = src.text.len();
        self.push_range(src, 0, end, entity, external, origin)
    }

    /// Push a frame reading `src` from `start` to `end`; returns its id.
    pub fn push_range(
        &mut self,
        src: Rc<Source>,
        start: usize,
        end: usize,
        entity: Option<String>,
        external: bool,
        origin: Option<Location>,
    ) -> u32 {
        self.next_id += 1;
        let end = end.min(src.text.len());
        self.frames.push(Frame {
            src,
            pos: start.min(end),
            end,
            id: self.next_id,
            entity,
            external,
            origin,
        });
        self.next_id
    }

    /// Remove the top frame.
    pub fn pop(&mut self) -> Option<Frame> {
        self.frames.pop()
    }

    /// How many frames are open.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// The top frame.
    pub fn top(&self) -> Option<&Frame> {
        self.frames.last()
    }

    /// The unread rest of the top frame.
    pub fn rest(&self) -> &str {
        self.frames
            .last()
            .and_then(|f| f.src.text.get(f.pos..f.end))
            .unwrap_or("")
    }

    /// The next character of the top frame (`None` at its end; frames are never popped here).
    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// The character after the next one.
    pub fn peek2(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    /// Does the top frame continue with `s`?
    pub fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    /// Consume one character of the top frame.
    pub fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        if let Some(f) = self.frames.last_mut() {
            f.pos += c.len_utf8();
        }
        Some(c)
    }

    /// Consume `n` bytes of the top frame (callers pass the length of text they matched).
    pub fn advance(&mut self, n: usize) {
        if let Some(f) = self.frames.last_mut() {
            let mut to = (f.pos + n).min(f.end);
            while !f.src.text.is_char_boundary(to) {
                to += 1;
            }
            f.pos = to;
        }
    }

    /// Consume characters of the top frame while `pred` holds; returns them.
    pub fn take_while(&mut self, pred: impl Fn(char) -> bool) -> String {
        let rest = self.rest();
        let len = rest.find(|c| !pred(c)).unwrap_or(rest.len());
        let taken = rest.get(..len).unwrap_or("").to_string();
        self.advance(len);
        taken
    }

    /// Where the scanner is: the top frame's id and offset.
    pub fn mark(&self) -> (u32, usize) {
        self.frames.last().map(|f| (f.id, f.pos)).unwrap_or((0, 0))
    }

    /// Id of the top frame (0 when there is none).
    pub fn frame_id(&self) -> u32 {
        self.frames.last().map(|f| f.id).unwrap_or(0)
    }

    /// Whether the top frame lies in an external entity.
    pub fn external(&self) -> bool {
        self.frames.last().is_some_and(|f| f.external)
    }

    /// The location of the next character.
    pub fn location(&self) -> Location {
        match self.frames.last() {
            Some(f) => f.origin.unwrap_or_else(|| f.src.location(f.pos)),
            None => Location::default(),
        }
    }

    /// Is a parameter entity of this name being read (open in some frame)?
    pub fn entity_open(&self, name: &str) -> bool {
        self.frames
            .iter()
            .any(|f| f.entity.as_deref() == Some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::FileId;
    use std::path::Path;

    #[test]
    fn frames_stack_and_positions() {
        let mut r = Reader::default();
        let base = Rc::new(Source::new("ab\ncd", FileId(0), Path::new("x"), (1, 1)));
        r.push(base, None, true, None);
        assert_eq!(r.bump(), Some('a'));
        let pe = Rc::new(Source::new("zz", FileId(0), Path::new("x"), (1, 1)));
        let origin = r.location();
        r.push(pe, Some("p".into()), true, Some(origin));
        assert!(r.entity_open("p"));
        assert_eq!(r.take_while(|c| c == 'z'), "zz");
        assert_eq!(r.peek(), None);
        assert_eq!(r.location().column, 2);
        r.pop();
        r.advance(2);
        assert_eq!(r.location().line, 2);
        assert_eq!(r.rest(), "cd");
    }
}
