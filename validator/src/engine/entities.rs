//! Character and entity references in text and attribute values, expanded iteratively (no
//! recursion) under the document-wide limits of [`Options`].
//!
//! - Character references are decoded and must be XML `Char`s.
//! - The five predefined entities always work.
//! - Internal general entities from the DTD are expanded recursively; a reference loop is a
//!   well-formedness error; [`Options::max_entity_expansions`] and
//!   [`Options::max_expanded_bytes`] stop billion laughs and quadratic blowup early.
//! - External parsed entities are read only with [`Options::allow_local_external_entities`],
//!   only from local files inside the document's folder, never from a URL.
//! - Entities whose replacement text contains markup (`<`) are handed back to the driver as
//!   [`Piece::Markup`] in content (it parses them in place) and are an error in attribute values.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use indexmap::IndexMap;
use qschema_model::{EntityDecl, EntityValue};

use super::chars::{is_name, is_name_char, is_name_start};
use super::input::is_xml_char;
use super::options::Options;
use crate::report::rules;

/// Where the references are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    /// Character data: line ends are normalized to `\n`.
    Content,
    /// An attribute value: white space characters become spaces (attribute-value
    /// normalization, before any type-specific collapsing).
    Attribute,
}

/// What expansion produces, in document order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Piece<'s> {
    /// Character data.
    Text(&'s str),
    /// An internal entity whose replacement text contains markup (content only): the driver
    /// parses it as content in place of the reference.
    Markup {
        /// Entity name.
        name: &'s str,
        /// Replacement text.
        text: &'s str,
        /// Byte offset of the (top-level) reference in the raw text.
        at: usize,
    },
}

/// A problem found while expanding; `offset` is a byte offset in the raw text given to
/// [`Expander::expand`] (the reference at fault, or the top-level reference whose expansion
/// failed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RefProblem {
    /// Byte offset in the raw text.
    pub offset: usize,
    /// Rule id.
    pub rule: &'static str,
    /// Message.
    pub message: String,
    /// Whether the pass must stop (well-formedness, limits).
    pub fatal: bool,
}

/// Document-wide expansion state.
pub(crate) struct Expander<'a> {
    /// General entities of the DTD in force (none without a DTD).
    pub entities: Option<&'a IndexMap<String, EntityDecl>>,
    /// The document's folder, for external entities.
    pub doc_dir: Option<&'a Path>,
    /// Limits.
    pub opts: &'a Options,
    /// Entity references expanded so far.
    pub expansions: usize,
    /// Bytes produced by entity expansion so far.
    pub expanded_bytes: usize,
    /// Whether a reference to an undeclared entity is a well-formedness error (no external DTD
    /// in force) rather than an `xml-entity` error.
    pub undeclared_is_fatal: bool,
    /// `standalone="yes"`: a reference to an entity declared in the external subset (or a
    /// parameter entity) is a well-formedness error (WFC: Entity Declared).
    pub standalone: bool,
    /// Set when a character reference was expanded (directly or in a replacement text).
    pub char_refs: bool,
    /// Entities with markup being expanded around this text (reference loops through them are
    /// loops too).
    pub outer: &'a [String],
}

struct Frame<'t> {
    text: Cow<'t, str>,
    pos: usize,
    entity: Option<String>,
}

const PREDEFINED: [(&str, &str); 5] = [
    ("lt", "<"),
    ("gt", ">"),
    ("amp", "&"),
    ("apos", "'"),
    ("quot", "\""),
];

fn fatal(offset: usize, rule: &'static str, message: String) -> RefProblem {
    RefProblem {
        offset,
        rule,
        message,
        fatal: true,
    }
}

fn note(offset: usize, rule: &'static str, message: String) -> RefProblem {
    RefProblem {
        offset,
        rule,
        message,
        fatal: false,
    }
}

/// Emit `text` with line-end (content) or white-space (attribute) normalization.
fn emit_normalized(text: &str, ctx: Context, emit: &mut dyn FnMut(Piece)) {
    let special = match ctx {
        Context::Content => memchr::memchr(b'\r', text.as_bytes()),
        Context::Attribute => memchr::memchr3(b'\r', b'\n', b'\t', text.as_bytes()),
    };
    if special.is_none() {
        if !text.is_empty() {
            emit(Piece::Text(text));
        }
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if ctx == Context::Attribute { ' ' } else { '\n' });
            }
            '\n' | '\t' if ctx == Context::Attribute => out.push(' '),
            c => out.push(c),
        }
    }
    emit(Piece::Text(&out));
}

impl Expander<'_> {
    /// Expand the references in `raw`, calling `emit` with the resulting text in order.
    /// Non-fatal problems are pushed to `notes`; a fatal one is returned.
    pub(crate) fn expand(
        &mut self,
        raw: &str,
        ctx: Context,
        emit: &mut dyn FnMut(Piece),
        notes: &mut Vec<RefProblem>,
    ) -> Result<(), RefProblem> {
        if !raw.contains('&') {
            emit_normalized(raw, ctx, emit);
            return Ok(());
        }
        let mut stack: Vec<Frame> = vec![Frame {
            text: Cow::Borrowed(raw),
            pos: 0,
            entity: None,
        }];
        // Offset in `raw` of the top-level reference being expanded.
        let mut top_ref = 0usize;
        while let Some(frame) = stack.last_mut() {
            let text: &str = &frame.text;
            let Some(rest) = text.get(frame.pos..) else {
                stack.pop();
                continue;
            };
            if rest.is_empty() {
                stack.pop();
                continue;
            }
            let in_entity = frame.entity.is_some();
            let amp = rest.find('&').unwrap_or(rest.len());
            if amp > 0 {
                let piece = &rest[..amp];
                if in_entity {
                    self.charge(piece.len(), top_ref)?;
                }
                emit_normalized(piece, ctx, emit);
                frame.pos += amp;
                continue;
            }
            // A reference at `frame.pos`.
            let at = if in_entity { top_ref } else { frame.pos };
            if !in_entity {
                top_ref = frame.pos;
            }
            let Some(semi) = rest.find(';') else {
                return Err(fatal(
                    at,
                    rules::NOT_WELL_FORMED,
                    "EntityRef: expecting ';'".to_string(),
                ));
            };
            let body = &rest[1..semi];
            frame.pos += semi + 1;
            if let Some(num) = body.strip_prefix('#') {
                let code = match num.strip_prefix('x') {
                    Some(hex) if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
                        u32::from_str_radix(hex, 16).ok()
                    }
                    None if !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()) => {
                        num.parse::<u32>().ok()
                    }
                    _ => {
                        return Err(fatal(
                            at,
                            rules::NOT_WELL_FORMED,
                            format!("CharRef: invalid character reference '&{body};'"),
                        ))
                    }
                };
                match code.and_then(char::from_u32).filter(|&c| is_xml_char(c)) {
                    Some(c) => {
                        self.char_refs = true;
                        let mut b = [0u8; 4];
                        emit(Piece::Text(c.encode_utf8(&mut b)));
                    }
                    None => {
                        return Err(fatal(
                            at,
                            rules::NOT_WELL_FORMED,
                            format!("xmlParseCharRef: invalid xmlChar value in '&{body};'"),
                        ))
                    }
                }
                continue;
            }
            if !is_name(body) {
                let message = if body.is_empty() || !body.starts_with(is_name_start) {
                    "xmlParseEntityRef: no name".to_string()
                } else if !body.chars().all(is_name_char) {
                    "EntityRef: expecting ';'".to_string()
                } else {
                    format!("invalid entity reference '&{body};'")
                };
                return Err(fatal(at, rules::NOT_WELL_FORMED, message));
            }
            if let Some((_, value)) = PREDEFINED.iter().find(|(n, _)| *n == body) {
                emit(Piece::Text(value));
                continue;
            }
            let name = body.to_string();
            if self.outer.contains(&name)
                || stack
                    .iter()
                    .any(|f| f.entity.as_deref() == Some(name.as_str()))
            {
                return Err(fatal(
                    at,
                    rules::NOT_WELL_FORMED,
                    format!("Detected an entity reference loop (entity '{name}')"),
                ));
            }
            let Some(decl) = self.entities.and_then(|m| m.get(&name)) else {
                let message = format!("Entity '{name}' not defined");
                if self.undeclared_is_fatal {
                    return Err(fatal(at, rules::NOT_WELL_FORMED, message));
                }
                notes.push(note(at, rules::ENTITY, message));
                continue;
            };
            if self.standalone && decl.external_declaration {
                return Err(fatal(
                    at,
                    rules::NOT_WELL_FORMED,
                    format!("Entity '{name}' is declared externally but the document is standalone=\"yes\" (WFC: Entity Declared)"),
                ));
            }
            self.expansions += 1;
            if self.expansions > self.opts.max_entity_expansions {
                return Err(fatal(
                    at,
                    rules::LIMIT,
                    format!(
                        "Maximum entity amplification exceeded: more than {} entity references expanded in this document ({})",
                        self.opts.max_entity_expansions,
                        self.opts.option_name("max_entity_expansions"),
                    ),
                ));
            }
            let replacement: String = match &decl.value {
                EntityValue::Internal(v) => v.clone(),
                EntityValue::Unparsed { .. } => {
                    return Err(fatal(
                        at,
                        rules::NOT_WELL_FORMED,
                        format!("Entity reference to unparsed entity {name}"),
                    ))
                }
                EntityValue::External {
                    system_id,
                    resolved,
                    ..
                } => {
                    if ctx == Context::Attribute {
                        return Err(fatal(
                            at,
                            rules::NOT_WELL_FORMED,
                            format!("Attribute references external entity '{name}'"),
                        ));
                    }
                    match self.read_external(&name, system_id, resolved.as_deref()) {
                        Ok(text) => text,
                        Err(message) => {
                            notes.push(note(at, rules::ENTITY, message));
                            continue;
                        }
                    }
                }
            };
            self.charge(replacement.len(), at)?;
            if replacement.contains('<') {
                if ctx == Context::Attribute {
                    return Err(fatal(
                        at,
                        rules::NOT_WELL_FORMED,
                        format!("'<' in entity '{name}' is not allowed in attributes values"),
                    ));
                }
                emit(Piece::Markup {
                    name: &name,
                    text: &replacement,
                    at,
                });
                continue;
            }
            stack.push(Frame {
                text: Cow::Owned(replacement),
                pos: 0,
                entity: Some(name),
            });
        }
        Ok(())
    }

    fn charge(&mut self, bytes: usize, at: usize) -> Result<(), RefProblem> {
        self.expanded_bytes = self.expanded_bytes.saturating_add(bytes);
        if self.expanded_bytes > self.opts.max_expanded_bytes {
            return Err(fatal(
                at,
                rules::LIMIT,
                format!(
                    "Maximum entity amplification exceeded: entity expansion produced more than {} bytes in this document ({})",
                    self.opts.max_expanded_bytes,
                    self.opts.option_name("max_expanded_bytes"),
                ),
            ));
        }
        Ok(())
    }

    /// Read an external parsed entity, if allowed.
    fn read_external(
        &self,
        name: &str,
        system_id: &str,
        resolved: Option<&Path>,
    ) -> Result<String, String> {
        if !self.opts.allow_local_external_entities {
            return Err(format!(
                "Entity '{name}' is external (SYSTEM \"{system_id}\") and external entities are not loaded (enable {} to read local files next to the document)",
                self.opts.option_name("allow_local_external_entities")
            ));
        }
        if system_id.contains("://") || system_id.starts_with("//") {
            return Err(format!(
                "Entity '{name}': external entity \"{system_id}\" is not a local file; URLs are never fetched"
            ));
        }
        let Some(dir) = &self.doc_dir else {
            return Err(format!(
                "Entity '{name}': the document has no folder to resolve \"{system_id}\" against"
            ));
        };
        let candidate = match resolved {
            Some(p) if p.is_absolute() => p.to_path_buf(),
            _ => dir.join(system_id),
        };
        let Some(file) = super::local_files::inside_folder(dir, &candidate) else {
            return Err(format!(
                "Entity '{name}': external entity \"{system_id}\" is not a readable file inside the document's folder"
            ));
        };
        let limit = self.opts.max_expanded_bytes as u64;
        let mut bytes = Vec::new();
        std::fs::File::open(&file)
            .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("Entity '{name}': cannot read \"{system_id}\": {e}"))?;
        if bytes.len() as u64 > limit {
            return Err(format!(
                "Entity '{name}': \"{system_id}\" is larger than {} ({limit} bytes)",
                self.opts.option_name("max_expanded_bytes")
            ));
        }
        // Read in the encoding its byte order mark or text declaration names (XML 1.0, 4.3.3),
        // then without them.
        let text = qschema_model::encoding::decode(bytes)
            .and_then(|text| qschema_model::dtd::strip_text_declaration(&text))
            .map_err(|e| format!("Entity '{name}': \"{system_id}\": {e}"))?;
        if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
            return Err(format!(
                "Entity '{name}': \"{system_id}\" contains the invalid character U+{:04X}",
                c as u32
            ));
        }
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qschema_model::{FileId, Location};

    fn entity(name: &str, value: &str) -> (String, EntityDecl) {
        (
            name.to_string(),
            EntityDecl {
                name: name.to_string(),
                value: EntityValue::Internal(value.to_string()),
                external_declaration: false,
                location: Location {
                    file: FileId(0),
                    line: 1,
                    column: 1,
                },
            },
        )
    }

    fn run(
        raw: &str,
        ctx: Context,
        ents: &[(&str, &str)],
    ) -> Result<(String, Vec<RefProblem>), RefProblem> {
        let map: IndexMap<String, EntityDecl> = ents.iter().map(|(n, v)| entity(n, v)).collect();
        let opts = Options::default();
        let mut x = Expander {
            entities: Some(&map),
            doc_dir: None,
            opts: &opts,
            expansions: 0,
            expanded_bytes: 0,
            undeclared_is_fatal: false,
            standalone: false,
            char_refs: false,
            outer: &[],
        };
        let mut out = String::new();
        let mut notes = Vec::new();
        x.expand(
            raw,
            ctx,
            &mut |p| match p {
                Piece::Text(s) => out.push_str(s),
                Piece::Markup { name, .. } => out.push_str(&format!("[markup {name}]")),
            },
            &mut notes,
        )?;
        Ok((out, notes))
    }

    #[test]
    fn expands_references() {
        let (out, notes) = run(
            "a&lt;&#x41;&#66;&e;\r\n",
            Context::Content,
            &[("e", "x&f;y"), ("f", "F")],
        )
        .unwrap();
        assert_eq!(out, "a<ABxFy\n");
        assert!(notes.is_empty());
        let (out, _) = run("a\tb&#9;\n", Context::Attribute, &[]).unwrap();
        assert_eq!(out, "a b\t ");
    }

    #[test]
    fn reports_problems() {
        let e = run("&a;", Context::Content, &[("a", "&b;"), ("b", "&a;")]).unwrap_err();
        assert!(e.message.contains("loop"), "{e:?}");
        let e = run("x &#0; y", Context::Content, &[]).unwrap_err();
        assert_eq!(e.offset, 2);
        let (_, notes) = run("&nope;", Context::Content, &[]).unwrap();
        assert_eq!(notes[0].message, "Entity 'nope' not defined");
        let e = run("&a", Context::Content, &[]).unwrap_err();
        assert_eq!(e.message, "EntityRef: expecting ';'");
    }
}
