//! Content that is not plain character data, against DTD content types (XML 1.0 second
//! edition erratum E15): an element declared `EMPTY` has no content at all (not even a
//! comment, a processing instruction or a reference to an empty entity), and element content
//! allows white space only as literal characters (not as character references or CDATA
//! sections).

use qschema_model::SchemaKind;

use super::super::compile::CompiledSchema;
use super::super::sink::{error, Sink};
use super::{as_written, ChildMode, ContentCheck, Validator};
use crate::path::PathTracker;
use crate::report::rules;

/// What appeared in the content besides literal text and elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NonText {
    /// `<!-- ... -->`.
    Comment,
    /// `<?target ...?>`.
    ProcessingInstruction,
    /// A general entity reference (`&name;`), possibly with an empty replacement.
    Reference,
    /// A character reference (`&#32;`), directly or in an entity's replacement text.
    CharReference,
    /// `<![CDATA[ ... ]]>`, possibly empty.
    CData,
}

impl NonText {
    fn describe(self) -> &'static str {
        match self {
            NonText::Comment => "a comment",
            NonText::ProcessingInstruction => "a processing instruction",
            NonText::Reference => "an entity reference",
            NonText::CharReference => "a character reference",
            NonText::CData => "a CDATA section",
        }
    }
}

impl Validator {
    /// Check `what`, found at `pos` in the current element, against its DTD content type.
    pub(crate) fn non_text(
        &mut self,
        cs: Option<&CompiledSchema>,
        what: NonText,
        pos: (u32, u32),
        sink: &mut Sink,
        path: &PathTracker,
    ) {
        let Some(cs) = cs.filter(|cs| cs.schema().kind == SchemaKind::Dtd) else {
            return;
        };
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        if f.mode != ChildMode::Normal || f.text_reported {
            return;
        }
        let message = match (&f.content, what) {
            (ContentCheck::Empty, _) => format!(
                "Element {} was declared EMPTY this one has content ({})",
                f.name(as_written(path, 0)),
                what.describe()
            ),
            (
                ContentCheck::Elements { mixed: false, .. },
                NonText::CharReference | NonText::CData,
            ) => format!(
                "Element {} content does not follow the DTD, {} is not allowed (element content)",
                f.name(as_written(path, 0)),
                what.describe()
            ),
            _ => return,
        };
        let rule = match f.content {
            ContentCheck::Empty => rules::NOT_EMPTY,
            _ => rules::UNEXPECTED_TEXT,
        };
        f.text_reported = true;
        let schema = cs.schema();
        let declared_at = f
            .decl
            .and_then(|d| schema.elements.get(d.index()))
            .map(|d| schema.display_location(d.location));
        sink.push(error(
            pos,
            path.current(),
            rule,
            message,
            None,
            None,
            declared_at,
        ));
    }
}
