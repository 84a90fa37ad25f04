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

pub(super) fn text(
    pass: &mut Pass,
    tr: &dyn Positions,
    schema: Option<&CompiledSchema>,
    entities: Entities,
    raw: &str,
    base: u64,
) -> Result<(), Abort> {
    if let Some(i) = find_cdata_end(raw.as_bytes()) {
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
    if !raw.bytes().any(|b| b == b'&' || b == b'\r') {
        // Nothing to expand or normalize (the common case).
        give_text(pass, schema, raw, pos);
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
            Owned::Text(t) => give_text(pass, schema, &t, pos),
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

/// Offset of the first `]]>` in `bytes` (a scan for `>`, which text rarely has).
fn find_cdata_end(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = bytes.get(from..)?.iter().position(|&b| b == b'>') {
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
