//! The XML declaration event.

use super::*;
use crate::engine::input::TrackedReader;
use crate::engine::sink::{error, Abort};
use crate::report::rules;
use std::io::BufRead;

pub(super) fn decl<R: BufRead>(
    pass: &mut Pass,
    tr: &TrackedReader<R>,
    d: &quick_xml::events::BytesDecl,
    at: u64,
    first: bool,
) -> Result<(), Abort> {
    let pos = tr.at(at);
    if !first {
        return Err(fatal_at(
            pass,
            pos,
            "XML declaration allowed only at the start of the document".into(),
        ));
    }
    let raw: &[u8] = d;
    let content = String::from_utf8_lossy(raw).into_owned();
    let decl = match crate::engine::xml_decl::parse(&content) {
        Ok(decl) => decl,
        Err((offset, message)) => {
            return Err(fatal_at(pass, tr.at(at + 2 + offset as u64), message));
        }
    };
    if let Some(enc) = decl.encoding {
        let ok = ["utf-8", "utf8", "us-ascii", "ascii"]
            .iter()
            .any(|e| enc.eq_ignore_ascii_case(e));
        if !ok {
            let path = pass.path.current();
            return Err(pass.sink.fatal(error(
                pos,
                path,
                rules::ENCODING,
                format!(
                    "Unsupported encoding '{enc}': only UTF-8 documents are supported (convert the document to UTF-8)"
                ),
                Some(enc),
                Some("UTF-8".to_string()),
                None,
            )));
        }
    }
    Ok(())
}
