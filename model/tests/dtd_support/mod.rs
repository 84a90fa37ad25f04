//! Shared by the DTD fixture tests: load a fixture, either a DTD file or a document whose
//! DOCTYPE brings an internal subset (and names its external subset).

use std::path::Path;

use qschema_model::dtd::{load_document_dtd, parse_doctype, DocumentDtd};
use qschema_model::{FsResolver, LoadError, Schema};

/// Load `path`: a `.xml` document through [`load_document_dtd`] (its DOCTYPE is the text from
/// `<!DOCTYPE` to the last `]>`, or to the first `>` without a subset; the external subset is
/// its system id resolved against the document), anything else with `qschema_model::load_with`.
pub fn load_fixture(path: &Path) -> Result<Schema, LoadError> {
    if path.extension().is_none_or(|e| e != "xml") {
        return qschema_model::load_with(path, &FsResolver);
    }
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find("<!DOCTYPE")
        .expect("fixture document has a DOCTYPE");
    let end = match text.rfind("]>") {
        Some(i) => i + 2,
        None => start + text[start..].find('>').unwrap() + 1,
    };
    let doctype = parse_doctype(&text[start..end]).unwrap();
    let before = &text[..start];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    let input = DocumentDtd {
        document: path,
        document_text_line: line,
        document_text_column: column,
        doctype: &doctype,
        external_subset: doctype.local_system_path(path),
    };
    load_document_dtd(&input, &FsResolver)
}
