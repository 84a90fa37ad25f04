//! The XML declaration event.

use super::*;
use crate::engine::input::View;
use crate::engine::sink::Abort;

pub(super) fn decl(
    pass: &mut Pass,
    tr: &View,
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
    let content = String::from_utf8_lossy(raw);
    // The declared encoding was settled before the pass (`engine::decode`): the text read
    // here is UTF-8 whatever the declaration says.
    match crate::engine::xml_decl::parse(&content) {
        Ok(decl) => pass.set_standalone(decl.standalone),
        Err((offset, message)) => {
            return Err(fatal_at(pass, tr.at(at + 2 + offset as u64), message));
        }
    }
    Ok(())
}
