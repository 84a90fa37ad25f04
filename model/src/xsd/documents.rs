//! Reading the schema documents: the entry file and every local file it includes or imports
//! (transitively), through the [`Resolver`]. URLs are never fetched. `xs:redefine`
//! reads its document like an include.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use roxmltree::{Document, Node, ParsingOptions};

use super::diagnostics::Diags;
use super::values::{is_xsd, XSD_NS};
use crate::ir::Schema;
use crate::location::{line_col, FileId, Location, SourceFile};
use crate::resolver::{normalize, Resolver};

/// Most schema documents one schema may consist of (guards against include loops through
/// ever-new paths, e.g. via symbolic links).
const MAX_FILES: usize = 1000;

/// How a document came to be read, and so which target namespace it must have.
#[derive(Clone, Debug)]
enum Origin {
    /// The entry file.
    Entry,
    /// `xs:include`d by a document whose (effective) target namespace is given.
    Include { tns: Option<String>, at: Location },
    /// `xs:import`ed with the `namespace` given.
    Import { ns: Option<String>, at: Location },
}

/// One schema document's text and what loading found out about it.
#[derive(Debug)]
pub(crate) struct SourceText {
    /// Its file id in [`Schema::files`].
    pub file: FileId,
    /// The text.
    pub text: String,
    /// The target namespace its components belong to (an included no-namespace document
    /// takes the including document's: a "chameleon" include).
    pub tns: Option<String>,
    /// Whether it is a chameleon include (unqualified references then mean `tns`).
    pub chameleon: bool,
    /// Whether it parsed and has an `xs:schema` root; unusable documents are skipped.
    pub usable: bool,
}

/// The parsing options for schema documents: DTDs allowed (roxmltree guards against entity
/// expansion attacks), node count bounded.
pub(crate) fn parsing_options() -> ParsingOptions {
    ParsingOptions {
        allow_dtd: true,
        nodes_limit: 5_000_000,
    }
}

/// Read the entry document (given as text) and every local document it includes or imports.
/// Every file read is appended to `schema.files`; problems go to `diags`.
pub(crate) fn read_all(
    entry_text: String,
    entry_path: &Path,
    resolver: &dyn Resolver,
    schema: &mut Schema,
    diags: &mut Diags,
) -> Vec<SourceText> {
    let entry_dir = entry_path.parent().map(normalize).unwrap_or_default();
    let mut seen: HashMap<PathBuf, FileId> = HashMap::new();
    seen.insert(normalize(entry_path), FileId(0));
    let mut texts = vec![SourceText {
        file: FileId(0),
        text: entry_text,
        tns: None,
        chameleon: false,
        usable: false,
    }];
    let mut origins = vec![Origin::Entry];
    let mut paths = vec![normalize(entry_path)];
    let mut i = 0;
    while i < texts.len() {
        let mut found: Vec<(PathBuf, Origin)> = Vec::new();
        {
            let st = &texts[i];
            if let Some(offset) = super::nesting::too_deep(&st.text) {
                let (line, column) = line_col(&st.text, offset);
                diags.error(
                    Location {
                        file: st.file,
                        line,
                        column,
                    },
                    format!(
                        "schema document nests elements more than {} levels deep",
                        super::nesting::MAX_XML_DEPTH
                    ),
                );
                i += 1;
                continue;
            }
            match Document::parse_with_options(&st.text, parsing_options()) {
                Err(e) => {
                    let pos = e.pos();
                    let msg = e.to_string().replace(&format!(" at {pos}"), "");
                    diags.error(
                        Location {
                            file: st.file,
                            line: pos.row,
                            column: pos.col,
                        },
                        format!("schema document is not well-formed XML: {msg}"),
                    );
                }
                Ok(doc) => {
                    let root = doc.root_element();
                    let at = node_location(&doc, st.file, root);
                    if !is_xsd(root, "schema") {
                        diags.error(
                            at,
                            format!(
                                "the root element is <{}>{}, expected <xs:schema> in namespace {XSD_NS}",
                                root.tag_name().name(),
                                root.tag_name()
                                    .namespace()
                                    .map(|n| format!(" in namespace {n}"))
                                    .unwrap_or_else(|| " in no namespace".to_string())
                            ),
                        );
                    } else {
                        let own = root
                            .attribute("targetNamespace")
                            .filter(|s| !s.is_empty())
                            .map(str::to_string);
                        let (tns, chameleon) = effective_namespace(&origins[i], own, at, diags);
                        let references = root.children().filter(|c| {
                            is_xsd(*c, "include") || is_xsd(*c, "import") || is_xsd(*c, "redefine")
                        });
                        for child in references {
                            let child_at = node_location(&doc, st.file, child);
                            if let Some(f) = reference(child, child_at, &tns, &paths[i], diags) {
                                found.push(f);
                            }
                        }
                        let st = &mut texts[i];
                        st.tns = tns;
                        st.chameleon = chameleon;
                        st.usable = true;
                    }
                }
            }
        }
        for (path, origin) in found {
            if seen.contains_key(&path) {
                continue;
            }
            let at = match &origin {
                Origin::Include { at, .. } | Origin::Import { at, .. } => *at,
                Origin::Entry => Location::default(),
            };
            if texts.len() >= MAX_FILES {
                diags.error(
                    at,
                    format!("more than {MAX_FILES} schema documents are included or imported"),
                );
                break;
            }
            match resolver.read(&path) {
                Ok(text) => {
                    let file = FileId(schema.files.len() as u32);
                    schema.files.push(SourceFile::new(
                        path.clone(),
                        display_path(&entry_dir, &path),
                    ));
                    seen.insert(path.clone(), file);
                    texts.push(SourceText {
                        file,
                        text,
                        tns: None,
                        chameleon: false,
                        usable: false,
                    });
                    origins.push(origin);
                    paths.push(path);
                }
                Err(e) => {
                    let what = match origin {
                        Origin::Import { .. } => "imported",
                        _ => "included",
                    };
                    diags.error(
                        at,
                        format!(
                            "cannot read {what} schema '{}': {e}",
                            display_path(&entry_dir, &path)
                        ),
                    );
                }
            }
        }
        i += 1;
    }
    texts
}

/// The target namespace a document's components get, checked against how it was reached.
fn effective_namespace(
    origin: &Origin,
    own: Option<String>,
    at: Location,
    diags: &mut Diags,
) -> (Option<String>, bool) {
    match origin {
        Origin::Entry => (own, false),
        Origin::Include { tns, at: inc } => match own {
            None => (tns.clone(), tns.is_some()),
            Some(own) => {
                if Some(&own) != tns.as_ref() {
                    diags.error(
                        at,
                        format!(
                            "included schema has targetNamespace '{own}' but the including schema's is {} (included at line {})",
                            show_ns(tns),
                            inc.line
                        ),
                    );
                }
                (Some(own), false)
            }
        },
        Origin::Import { ns, at: imp } => {
            if &own != ns {
                diags.error(
                    at,
                    format!(
                        "imported schema has targetNamespace {} but the import names {} (imported at line {})",
                        show_ns(&own),
                        show_ns(ns),
                        imp.line
                    ),
                );
            }
            (own, false)
        }
    }
}

fn show_ns(ns: &Option<String>) -> String {
    match ns {
        Some(n) => format!("'{n}'"),
        None => "absent".to_string(),
    }
}

/// If `child` is an `xs:include`/`xs:import` of a local file, the file's path and origin.
fn reference(
    child: Node,
    at: Location,
    tns: &Option<String>,
    including: &Path,
    diags: &mut Diags,
) -> Option<(PathBuf, Origin)> {
    let origin = if is_xsd(child, "include") {
        Origin::Include {
            tns: tns.clone(),
            at,
        }
    } else if is_xsd(child, "import") {
        let ns = child
            .attribute("namespace")
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if ns.is_some() && &ns == tns {
            diags.error(
                at,
                "xs:import of the schema's own target namespace (use xs:include)",
            );
            return None;
        }
        if ns.is_none() && tns.is_none() {
            diags.error(
                at,
                "xs:import without a namespace in a schema without a targetNamespace",
            );
            return None;
        }
        Origin::Import { ns, at }
    } else if is_xsd(child, "redefine") {
        Origin::Include {
            tns: tns.clone(),
            at,
        }
    } else {
        return None;
    };
    let Some(location) = child.attribute("schemaLocation").map(str::trim) else {
        if matches!(origin, Origin::Include { .. }) {
            diags.error(
                at,
                format!(
                    "{} without a schemaLocation attribute",
                    super::values::show(child)
                ),
            );
        }
        // An import without schemaLocation only declares the namespace.
        return None;
    };
    if is_url(location) {
        diags.error(
            at,
            format!(
                "schemaLocation '{location}' is a URL; URLs are never fetched (give a local relative path)"
            ),
        );
        return None;
    }
    if location.is_empty() {
        diags.error(at, "empty schemaLocation");
        return None;
    }
    let base = including.parent().unwrap_or(Path::new(""));
    Some((normalize(&base.join(location)), origin))
}

/// Whether a schemaLocation is a URL (a scheme followed by `:`, longer than a drive letter).
fn is_url(location: &str) -> bool {
    match location.find(':') {
        Some(i) if i > 1 => location[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// The location of an element's start tag.
pub(crate) fn node_location(doc: &Document, file: FileId, node: Node) -> Location {
    let (line, column) = line_col(doc.input_text(), node.range().start);
    Location { file, line, column }
}

/// `path` shown relative to `base` (both normalized), with `/` separators.
pub(crate) fn display_path(base: &Path, path: &Path) -> String {
    let base: Vec<Component> = base.components().collect();
    let target: Vec<Component> = path.components().collect();
    let common = base
        .iter()
        .zip(target.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..base.len() {
        parts.push("..".to_string());
    }
    for c in &target[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    if parts.is_empty() {
        path.display().to_string()
    } else {
        parts.join("/")
    }
}
