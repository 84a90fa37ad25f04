//! Character data: `]]>`, text outside the root, reference expansion, handing text to the validator.

use super::*;
use crate::engine::chars::is_xml_space;
use crate::engine::compile::CompiledSchema;
use crate::engine::entities::{Context, Expander, Piece, RefProblem};
use crate::engine::sink::{error, Abort};

/// Expand references in `raw` (document offset `base`), reporting problems.
pub(super) fn expand(
    pass: &mut Pass,
    tr: &dyn Positions,
    entities: Entities,
    raw: &str,
    base: u64,
    ctx: Context,
    emit: &mut dyn FnMut(Piece),
) -> Result<bool, Abort> {
    let mut x = Expander {
        entities,
        doc_dir: pass.doc_dir.as_deref(),
        opts: pass.opts,
        expansions: pass.expansions,
        expanded_bytes: pass.expanded_bytes,
        undeclared_is_fatal: !pass.external_dtd || pass.standalone,
        standalone: pass.standalone,
        char_refs: false,
        outer: &pass.entity_stack,
    };
    let mut notes: Vec<RefProblem> = Vec::new();
    let result = x.expand(raw, ctx, emit, &mut notes);
    pass.expansions = x.expansions;
    pass.expanded_bytes = x.expanded_bytes;
    for n in notes {
        let path = pass.path.current();
        pass.sink.push(error(
            tr.at(base + n.offset as u64),
            path,
            n.rule,
            n.message,
            None,
            None,
            None,
        ));
    }
    match result {
        Ok(()) => Ok(x.char_refs),
        Err(p) => {
            let path = pass.path.current();
            Err(pass.sink.fatal(error(
                tr.at(base + p.offset as u64),
                path,
                p.rule,
                p.message,
                None,
                None,
                None,
            )))
        }
    }
}

/// Whether neither the validator nor the observer takes a text of spaces, tabs and line
/// feeds in the innermost open element, so the pass may skip it (see
/// [`layout_before_markup`]).
#[inline]
pub(super) fn ignores_layout(pass: &Pass, schema: Option<&CompiledSchema>) -> bool {
    pass.validator.ignores_blank_text(schema)
        && pass
            .observer
            .as_deref()
            .is_none_or(|o| !o.wants_blank_text())
}

/// How many layout bytes (spaces, tabs, line feeds) start `bytes` when a `<` follows them in
/// `bytes`; 0 otherwise (no layout, or it may go on past the bytes read).
#[inline]
pub(super) fn layout_before_markup(bytes: &[u8]) -> usize {
    // After a text the first byte is already the `<`; layout (a line feed and the next
    // line's indentation) is counted sixteen bytes at a time. (A CR is normalized, so a text
    // with one takes the general path.)
    if bytes.first() == Some(&b'<') {
        return 0;
    }
    let n = crate::engine::byte_classes::leading_layout(bytes);
    if bytes.get(n) == Some(&b'<') {
        n
    } else {
        0
    }
}

pub(super) fn text(
    pass: &mut Pass,
    tr: &dyn Positions,
    schema: Option<&CompiledSchema>,
    entities: Entities,
    raw: &str,
    base: u64,
) -> Result<(), Abort> {
    let shape = TextShape::of(raw.as_bytes());
    if let Some(i) = shape.gt.then(|| find_cdata_end(raw.as_bytes())).flatten() {
        return Err(fatal_at(
            pass,
            tr.at(base + i as u64),
            "Sequence ']]>' not allowed in content".into(),
        ));
    }
    if pass.open.is_empty() {
        if let Some(i) = raw.find(|c: char| !is_xml_space(c)) {
            let message = if pass.root_done {
                "Extra content at the end of the document"
            } else {
                "Start tag expected, '<' not found"
            };
            return Err(fatal_at(pass, tr.at(base + i as u64), message.into()));
        }
        return Ok(());
    }
    let pos = tr.at(base);
    if !shape.needs_expansion {
        // Nothing to expand or normalize (the common case).
        give_text(pass, schema, raw, shape.blank, pos);
        return Ok(());
    }
    let mut pieces: Vec<Owned> = Vec::new();
    let mut total = 0usize;
    let cap = pass.opts.max_text_bytes.saturating_add(1);
    let char_refs = expand(
        pass,
        tr,
        entities,
        raw,
        base,
        Context::Content,
        &mut |p: Piece| match p {
            Piece::Text(s) => {
                // Keep only what the validator can use: simple content is capped anyway.
                if total < cap {
                    let take = s.len().min(cap - total);
                    let mut end = take;
                    while !s.is_char_boundary(end) {
                        end -= 1;
                    }
                    // Adjacent pieces of text are one text to the validator.
                    match pieces.last_mut() {
                        Some(Owned::Text(t)) => t.push_str(&s[..end]),
                        _ => pieces.push(Owned::Text(s[..end].to_string())),
                    }
                    total += end;
                } else {
                    total = total.saturating_add(s.len());
                }
            }
            Piece::Markup { name, text, at } => {
                pieces.push(Owned::Markup(name.to_string(), text.to_string(), at));
            }
        },
    )?;
    for p in pieces {
        match p {
            Owned::Text(t) => {
                let blank = crate::engine::chars::is_blank(&t);
                give_text(pass, schema, &t, blank, pos)
            }
            Owned::Markup(name, text, at) => {
                let at = tr.at(base + at as u64);
                markup_entity(pass, schema, entities, &name, &text, at)?;
            }
        }
    }
    // After the text: a reference producing text is reported as that text, with what it found.
    if raw.contains('&') {
        let what = if char_refs {
            NonText::CharReference
        } else {
            NonText::Reference
        };
        pass.validator
            .non_text(schema, what, pos, &mut pass.sink, &pass.path);
    }
    if total >= cap {
        pass.validator
            .text_overflow(schema, pos, &mut pass.sink, &pass.path, pass.opts);
    }
    Ok(())
}

/// What one pass over a text's bytes found (most texts are short, and need neither check).
struct TextShape {
    /// A `>`: the text may contain `]]>`.
    gt: bool,
    /// A `&` or a CR: references to expand or line ends to normalize.
    needs_expansion: bool,
    /// Only XML white space (or nothing).
    blank: bool,
}

impl TextShape {
    fn of(bytes: &[u8]) -> TextShape {
        // Bit 0: `>`; bit 1: `&` or CR; bit 2: not white space. One table lookup per byte,
        // no branch.
        const CLASS: [u8; 256] = {
            let mut t = [4u8; 256];
            t[b' ' as usize] = 0;
            t[b'\t' as usize] = 0;
            t[b'\n' as usize] = 0;
            t[b'>' as usize] = 1 | 4;
            t[b'&' as usize] = 2 | 4;
            t[b'\r' as usize] = 2;
            t
        };
        let seen = bytes
            .iter()
            .fold(0u8, |acc, &b| acc | CLASS[usize::from(b)]);
        TextShape {
            gt: seen & 1 != 0,
            needs_expansion: seen & 2 != 0,
            blank: seen & 4 == 0,
        }
    }
}

/// Offset of the first `]]>` in `bytes`.
fn find_cdata_end(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'>', bytes.get(from..)?) {
        let gt = from + p;
        if gt >= 2 && bytes.get(gt - 2..gt) == Some(b"]]") {
            return Some(gt - 2);
        }
        from = gt + 1;
    }
    None
}

/// An owned [`Piece`].
pub(super) enum Owned {
    Text(String),
    Markup(String, String, usize),
}

#[cfg(test)]
mod tests {
    use super::{find_cdata_end, layout_before_markup, TextShape};

    #[test]
    fn layout_before_markup_needs_the_markup_in_the_bytes() {
        for (bytes, n) in [
            ("\n    <a>", 5),
            (" \t\n<", 3),
            ("<a>", 0),
            ("\n    ", 0),
            ("", 0),
            (" x <", 0),
            ("\r\n<a>", 0),
            ("\u{a0}<a>", 0),
            ("\n                <a>", 17),
            ("\n  \t\t  \n\n  \t    <", 16),
            ("\n      \u{85}   <a>", 0),
            ("\n       x        <a>", 0),
            ("        ", 0),
            ("\n       \n       <", 16),
        ] {
            assert_eq!(layout_before_markup(bytes.as_bytes()), n, "{bytes:?}");
        }
    }

    #[test]
    fn text_shape_flags_what_needs_a_second_look() {
        for (text, gt, expansion, blank) in [
            ("plain words", false, false, false),
            ("", false, false, true),
            ("\n    \t", false, false, true),
            (" \r\n ", false, true, true),
            ("a > b", true, false, false),
            ("fish &amp; chips", false, true, false),
            ("line\r\nend", false, true, false),
            ("]]> and &lt;", true, true, false),
            ("caf\u{e9} \u{2192}", false, false, false),
            ("\u{a0}", false, false, false),
        ] {
            let shape = TextShape::of(text.as_bytes());
            let found = (shape.gt, shape.needs_expansion, shape.blank);
            assert_eq!(found, (gt, expansion, blank), "{text:?}");
            assert_eq!(
                shape.blank,
                crate::engine::chars::is_blank(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn cdata_end_is_found_after_other_gts() {
        assert_eq!(find_cdata_end(b"a > b ]] > c ]]> d"), Some(13));
        assert_eq!(find_cdata_end(b"]]>"), Some(0));
        assert_eq!(find_cdata_end(b"> ]>"), None);
        assert_eq!(find_cdata_end(b""), None);
    }
}
