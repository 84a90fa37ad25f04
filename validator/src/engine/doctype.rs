//! The document's `<!DOCTYPE ...>`: its name, and the schema it brings (the internal subset,
//! combined with the external DTD given to [`super::validate()`]).

use std::path::Path;

use indexmap::IndexMap;
use qschema_model::dtd::{self, DocumentDtd};
use qschema_model::{
    automaton, EntityDecl, EntityValue, FileId, LoadError, Resolver, Schema, SchemaKind,
};

use super::compile::CompiledSchema;
use super::dtd_resolver::DocumentDtdResolver;
use super::options::{DocumentInput, Options};

/// What a DOCTYPE contributes to validating one document.
#[derive(Debug)]
pub(crate) struct DocumentSchema {
    /// The document type name.
    pub name: String,
    /// A schema compiled for this document (internal subset, possibly combined with the
    /// external DTD); `None` to keep using the schema given by the caller.
    pub compiled: Option<CompiledSchema>,
    /// General entities declared by the internal subset (used even when validating against an
    /// XSD).
    pub entities: Option<IndexMap<String, EntityDecl>>,
    /// Whether the document type name constrains the root (DTD validation only).
    pub names_root: bool,
    /// Whether an external subset was read for this document, or the internal subset
    /// references parameter entities: then an undeclared entity is a validity error, not a
    /// well-formedness error (XML 1.0 WFC: Entity Declared).
    pub relaxes_entity_wfc: bool,
}

impl DocumentSchema {
    /// The schema compiled for this document, if any.
    pub(crate) fn schema(&self) -> Option<&CompiledSchema> {
        self.compiled.as_ref()
    }

    /// The names of the unparsed (`NDATA`) entities the DOCTYPE declares.
    pub(crate) fn unparsed_entities(&self) -> impl Iterator<Item = String> + '_ {
        self.entities
            .iter()
            .flatten()
            .filter(|(_, e)| matches!(e.value, EntityValue::Unparsed { .. }))
            .map(|(name, _)| name.clone())
    }
}

/// A DOCTYPE problem: position in the document and message.
pub(crate) type DoctypeFailure = ((u32, u32), String);

/// Split the DOCTYPE (`text` = what follows `<!DOCTYPE`, starting at document position
/// `text_pos`) and load what it brings.
pub(crate) fn load(
    text: &str,
    text_pos: (u32, u32),
    doc: &DocumentInput,
    given: Option<&CompiledSchema>,
    resolver: &dyn Resolver,
    opts: &Options,
) -> Result<DocumentSchema, DoctypeFailure> {
    let doctype = dtd::parse_doctype(text).map_err(|e| {
        let (l, c) = qschema_model::location::line_col(text, e.offset);
        (shift(text_pos, l, c), format!("DOCTYPE: {}", e.message))
    })?;
    if let Some(bad) = doctype
        .public_id
        .as_deref()
        .and_then(|p| p.chars().find(|&c| !is_pubid_char(c)))
    {
        return Err((
            text_pos,
            format!("DOCTYPE: invalid character '{bad}' in the public identifier"),
        ));
    }
    let given_kind = given.map(|g| g.schema().kind);
    let names_root = given_kind != Some(SchemaKind::Xsd);
    let document = doc.path.unwrap_or(Path::new(doc.display_name));
    let external = match (given_kind, given.and_then(CompiledSchema::source_path)) {
        (Some(SchemaKind::Dtd), Some(p)) => Some(p.to_path_buf()),
        // Without a schema, a validating processor reads the DOCTYPE's own external subset
        // (local files only: `local_system_path` never yields a URL).
        (None, _) if opts.load_external_dtd && doc.path.is_some() => {
            doctype.local_system_path(document)
        }
        _ => None,
    };
    let own_external = given.is_none() && external.is_some();
    if doctype.internal_subset.is_none() && !own_external {
        return Ok(DocumentSchema {
            name: doctype.name.clone(),
            compiled: None,
            entities: None,
            names_root,
            relaxes_entity_wfc: false,
        });
    }
    let input = DocumentDtd {
        document,
        document_text_line: text_pos.0,
        document_text_column: text_pos.1,
        doctype: &doctype,
        external_subset: external,
    };
    let resolver =
        DocumentDtdResolver::new(resolver, input.external_subset.as_deref(), doc.path, opts);
    let mut schema = match dtd::load_document_dtd(&input, &resolver) {
        Ok(s) => s,
        Err(LoadError::Invalid(diags)) => {
            let more = if diags.len() > 1 {
                format!(" (and {} more problems)", diags.len() - 1)
            } else {
                String::new()
            };
            let entry = document.file_name().map(|n| n.to_string_lossy());
            return Err(match diags.first() {
                // In the document itself: at its position there.
                Some(d) if entry.as_deref() == Some(d.file.as_str()) => (
                    (d.line, d.column),
                    format!("internal DTD subset: {}{more}", d.message),
                ),
                // In a file the DTD reads (an external parameter entity, the external
                // subset): its line and column are that file's, so they go in the message,
                // and the error sits at the DOCTYPE.
                Some(d) => (
                    text_pos,
                    format!(
                        "DTD file {}, line {}, column {}: {}{more}",
                        d.file, d.line, d.column, d.message
                    ),
                ),
                None => (text_pos, format!("internal DTD subset: invalid{more}")),
            });
        }
        Err(e) => return Err((text_pos, format!("cannot load the document's DTD: {e}"))),
    };
    if let Some(f) = schema.files.first_mut() {
        f.display = doc.display_name.to_string();
    }
    if opts.namespace_aware {
        colon_in_names(&schema, text_pos)?;
    }
    let entities = Some(schema.entities.clone());
    if given_kind == Some(SchemaKind::Xsd) {
        // The XSD stays in force; the internal subset only contributes entities.
        return Ok(DocumentSchema {
            name: doctype.name.clone(),
            compiled: None,
            entities,
            names_root: false,
            relaxes_entity_wfc: false,
        });
    }
    let references_pes = schema.references_parameter_entities;
    automaton::add_determinism_findings(&mut schema);
    let compiled = CompiledSchema::compile(schema)
        .map_err(|e| (text_pos, format!("cannot compile the document's DTD: {e}")))?;
    Ok(DocumentSchema {
        name: doctype.name.clone(),
        compiled: Some(compiled),
        entities,
        names_root: true,
        relaxes_entity_wfc: own_external || references_pes,
    })
}

/// Namespaces in XML 1.0 (section 7): entity and notation names contain no colon. The engine
/// is namespace-aware, so such a DTD makes the document not namespace-well-formed.
fn colon_in_names(schema: &Schema, text_pos: (u32, u32)) -> Result<(), DoctypeFailure> {
    let entities = schema
        .entities
        .values()
        .map(|e| ("entity", &e.name, e.location));
    let notations = schema
        .notations
        .values()
        .map(|n| ("notation", &n.name, n.location));
    for (what, name, location) in entities.chain(notations) {
        if name.contains(':') {
            let pos = if location.file == FileId(0) {
                (location.line, location.column)
            } else {
                text_pos
            };
            let at = schema.display_location(location);
            return Err((
                pos,
                format!("colon in {what} name '{name}' (declared at {at}; Namespaces in XML)"),
            ));
        }
    }
    Ok(())
}

/// XML 1.0 `PubidChar`.
fn is_pubid_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ' ' | '\r'
                | '\n'
                | '-'
                | '\''
                | '('
                | ')'
                | '+'
                | ','
                | '.'
                | '/'
                | ':'
                | '='
                | '?'
                | ';'
                | '!'
                | '*'
                | '#'
                | '@'
                | '$'
                | '_'
                | '%'
        )
}

/// Position of (line, column) of a text that starts at `base`.
fn shift(base: (u32, u32), line: u32, column: u32) -> (u32, u32) {
    if line <= 1 {
        (base.0, base.1 + column.saturating_sub(1))
    } else {
        (base.0 + line - 1, column)
    }
}

/// Where the DOCTYPE scanner is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scan {
    /// In the declaration, outside the internal subset.
    Outside,
    /// Inside `[...]`.
    Subset,
    /// Inside a quoted literal; the state to return to.
    Quote(u8, bool),
    /// Inside a comment of the internal subset.
    Comment,
    /// Inside a processing instruction of the internal subset.
    Pi,
    /// After the closing `>`.
    Done,
}

struct DoctypeScanner {
    state: Scan,
    last: [u8; 2],
}

impl DoctypeScanner {
    fn feed(&mut self, b: u8) {
        let [p2, p1] = self.last;
        self.state = match self.state {
            Scan::Outside => match b {
                b'"' | b'\'' => Scan::Quote(b, false),
                b'[' => Scan::Subset,
                b'>' => Scan::Done,
                _ => Scan::Outside,
            },
            Scan::Subset => match b {
                b'"' | b'\'' => Scan::Quote(b, true),
                b'-' if p2 == b'<' && p1 == b'!' => Scan::Subset,
                b'-' if p1 == b'-' && self.after_bang() => Scan::Comment,
                b'?' if p1 == b'<' => Scan::Pi,
                b']' => Scan::Outside,
                _ => Scan::Subset,
            },
            Scan::Quote(q, in_subset) if b == q => {
                if in_subset {
                    Scan::Subset
                } else {
                    Scan::Outside
                }
            }
            Scan::Comment if b == b'>' && p1 == b'-' && p2 == b'-' => Scan::Subset,
            Scan::Pi if b == b'>' && p1 == b'?' => Scan::Subset,
            s => s,
        };
        self.last = [p1, b];
    }

    /// Whether the two bytes before the current `-` were `<!` + `-` (a comment opening).
    fn after_bang(&self) -> bool {
        self.last == [b'!', b'-']
    }
}

/// Where a DOCTYPE really ends: given the bytes after its `<!DOCTYPE` keyword, the index of its
/// closing `>` (quote-, comment- and bracket-aware), if they hold it. quick-xml balances `<`
/// and `>` even inside quoted literals and comments of the internal subset, so it may end the
/// declaration at a `>` inside one, or read past the real end (a literal with a lone `<`,
/// `"<foo/&#62;"`); the driver takes the declaration's end from here instead.
pub fn real_end(after_keyword: &[u8]) -> Option<usize> {
    let mut s = DoctypeScanner {
        state: Scan::Outside,
        last: [0, 0],
    };
    after_keyword.iter().position(|&b| {
        s.feed(b);
        s.state == Scan::Done
    })
}

#[cfg(test)]
mod tests {
    use super::real_end;

    /// The declaration's content and what follows it, when quick-xml cut the declaration at
    /// the `>` between `quick_xml_part` and `rest`.
    fn run(quick_xml_part: &str, rest: &str) -> Result<String, String> {
        let whole = format!("{quick_xml_part}>{rest}");
        let end = real_end(whole.as_bytes()).ok_or("not finished")?;
        Ok(format!("{}|{}", &whole[..end], &whole[end + 1..]))
    }

    #[test]
    fn finds_the_real_end_of_overlong_doctypes() {
        let text = b" doc [<!ENTITY e \"<foo/&#62;\"><!-- > --><?p >?>]><doc>&e;</doc>";
        let end = real_end(text).expect("an end");
        assert_eq!(&text[end..end + 6], b"><doc>");
        assert_eq!(real_end(b" a SYSTEM 'x>y'>rest"), Some(15));
        assert_eq!(real_end(b" a [<!ENTITY e '<'>"), None);
    }

    #[test]
    fn finds_the_real_end_of_cut_doctypes() {
        assert_eq!(
            run(" a [<!ELEMENT a EMPTY>]", "<a/>").unwrap(),
            " a [<!ELEMENT a EMPTY>]|<a/>"
        );
        assert_eq!(
            run(" d [<!ENTITY e \"&#60;foo", "</foo>\">]>\n<d/>").unwrap(),
            " d [<!ENTITY e \"&#60;foo></foo>\">]|\n<d/>"
        );
        assert_eq!(
            run(" d [<!-- a ", " b --><!ELEMENT d ANY>]>x").unwrap(),
            " d [<!-- a > b --><!ELEMENT d ANY>]|x"
        );
        assert!(run(" d [<!ENTITY e \"a", "b").is_err());
    }
}
