//! Entities whose replacement text contains markup, parsed in place of their reference.

use super::*;
use crate::engine::compile::CompiledSchema;
use crate::engine::sink::Abort;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Parse the replacement text of entity `name` (it contains markup) as content, in place of
/// its reference at `pos`: every event goes through the same checks, positioned at the reference.
pub(super) fn markup_entity(
    pass: &mut Pass,
    schema: Option<&CompiledSchema>,
    entities: Entities,
    name: &str,
    replacement: &str,
    pos: (u32, u32),
) -> Result<(), Abort> {
    if pass.entity_stack.len() >= MAX_MARKUP_ENTITY_DEPTH {
        return Err(fatal_limit(
            pass,
            pos,
            format!("Entities containing markup are nested more than {MAX_MARKUP_ENTITY_DEPTH} deep (entity '{name}')"),
            None,
        ));
    }
    if let Some(c) = replacement
        .chars()
        .find(|&c| !crate::engine::input::is_xml_char(c))
    {
        return Err(fatal_at(
            pass,
            pos,
            format!(
                "Char 0x{:X} out of allowed range in entity '{name}'",
                c as u32
            ),
        ));
    }
    let fixed = Fixed(pos);
    let depth = pass.open.len();
    let mut reader = Reader::from_str(replacement);
    configure(reader.config_mut());
    pass.entity_stack.push(name.to_string());
    let result = loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                break Err(fatal_at(
                    pass,
                    pos,
                    format!("in the replacement text of entity '{name}': {e}"),
                ))
            }
        };
        let step = match event {
            Event::Start(s) => start(pass, &fixed, schema, entities, &s, 0, false),
            Event::Empty(s) => start(pass, &fixed, schema, entities, &s, 0, true),
            Event::End(e) => {
                let end_name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if pass.open.len() <= depth {
                    Err(fatal_at(pass, pos, format!("Entity '{name}' is not balanced: </{end_name}> closes an element opened outside it")))
                } else {
                    end(pass, &fixed, schema, end_name.as_bytes(), 0)
                }
            }
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(&t);
                text(pass, &fixed, schema, entities, &raw, 0)
            }
            Event::CData(t) => {
                let raw = String::from_utf8_lossy(&t);
                let blank = crate::engine::chars::is_blank(&raw);
                give_text(pass, schema, &raw, blank, pos);
                Ok(())
            }
            Event::Comment(_) | Event::PI(_) => Ok(()),
            Event::Decl(_) | Event::DocType(_) => Err(fatal_at(
                pass,
                pos,
                format!("Entity '{name}': an XML or document type declaration is not allowed in content"),
            )),
            Event::Eof => break Ok(()),
        };
        if let Err(a) = step {
            break Err(a);
        }
    };
    pass.entity_stack.pop();
    result?;
    if pass.open.len() != depth {
        let open = pass.path.open_names().next_back().unwrap_or_default();
        return Err(fatal_at(
            pass,
            pos,
            format!("Entity '{name}' is not balanced: <{open}> is not closed inside it"),
        ));
    }
    Ok(())
}
