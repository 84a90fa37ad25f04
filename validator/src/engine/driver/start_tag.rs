//! Start tags: names, attributes (syntax, normalization, references), namespace declarations
//! and resolution, depth limit; then the validator.

use std::collections::HashSet;

use super::*;
use crate::engine::chars::{ascii_qname_colon, is_ascii_qname, is_name, is_qname};
use crate::engine::compile::CompiledSchema;
use crate::engine::dtd_values::normalized_xmlns;
use crate::engine::entities::{Context, Piece};
use crate::engine::namespaces::{split_name, XMLNS_NS, XML_NS};
use crate::engine::sink::Abort;
use crate::engine::string_pool::StringPool;
use crate::engine::validate::{Attr, StartTag};
use qschema_model::SchemaKind;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::BytesStart;

pub(super) fn attr_error_message(e: &AttrError) -> (usize, String) {
    match *e {
        AttrError::ExpectedEq(p) => (p, "Specification mandates value for attribute".to_string()),
        AttrError::ExpectedValue(p) => (p, "AttValue: \" or ' expected".to_string()),
        AttrError::UnquotedValue(p) => (p, "AttValue: \" or ' expected".to_string()),
        AttrError::ExpectedQuote(p, _) => (p, "AttValue: ' expected".to_string()),
        AttrError::Duplicated(p, _) => (p, "Attribute redefined".to_string()),
    }
}

pub(super) fn start(
    pass: &mut Pass,
    tr: &dyn Positions,
    schema: Option<&CompiledSchema>,
    entities: Entities,
    s: &BytesStart,
    tag_off: u64,
    empty: bool,
) -> Result<(), Abort> {
    let tag_pos = tr.at(tag_off);
    // Borrowed from the event (no allocation) unless the bytes needed replacing.
    let qname = super::text_of(tr, s.name().into_inner());
    if pass.open.len() >= pass.opts.max_depth {
        return Err(fatal_limit(
            pass,
            tag_pos,
            format!(
                "Excessive depth in document: more than {} nested elements ({})",
                pass.opts.max_depth,
                pass.opts.option_name("max_depth"),
            ),
            Some(qname.into_owned()),
        ));
    }
    // The usual ASCII QName is a Name and a QName: checked once, its colon found on the way.
    let ascii_colon = ascii_qname_colon(&qname);
    let ascii_qname = ascii_colon.is_some();
    if !ascii_qname && !is_name(&qname) {
        return Err(fatal_at(
            pass,
            tag_pos,
            format!(
                "StartTag: invalid element name '{}'",
                crate::engine::messages::short(&qname)
            ),
        ));
    }
    if pass.open.is_empty() && pass.root_done {
        return Err(fatal_at(
            pass,
            tag_pos,
            "Extra content at the end of the document".into(),
        ));
    }
    let aware = pass.opts.namespace_aware;
    if aware && !ascii_qname && !is_qname(&qname) {
        return Err(fatal_at(
            pass,
            tag_pos,
            format!("Failed to parse QName '{qname}'"),
        ));
    }
    // Attributes: syntax, names, values (normalized, references expanded).
    let raw_tag: &[u8] = s;
    let content_start = raw_tag.as_ptr() as usize;
    let mut attrs: Vec<Attr> = std::mem::take(&mut pass.attr_memory.attrs);
    for a in s.attributes().with_checks(false) {
        let a = match a {
            Ok(a) => a,
            Err(e) => {
                let (rel, message) = attr_error_message(&e);
                return Err(fatal_at(pass, tr.at(tag_off + 1 + rel as u64), message));
            }
        };
        let mut key = pass.attr_memory.string();
        key.push_str(&super::text_of(tr, a.key.as_ref()));
        let key_rel = (a.key.as_ref().as_ptr() as usize).wrapping_sub(content_start);
        let key_off = tag_off + 1 + key_rel as u64;
        let key_pos = tr.at(key_off);
        // Duplicates are found with a set past a few attributes (quick-xml's own check is
        // quadratic).
        let duplicate = if attrs.len() < SET_FROM {
            attrs.iter().any(|b| b.qname == key)
        } else {
            pass.attr_memory.is_repeated(&attrs, &key)
        };
        if duplicate {
            return Err(fatal_at(
                pass,
                key_pos,
                format!("Attribute {key} redefined"),
            ));
        }
        let ascii_qname = is_ascii_qname(&key);
        if !ascii_qname && !is_name(&key) {
            return Err(fatal_at(
                pass,
                key_pos,
                format!(
                    "error parsing attribute name '{}'",
                    crate::engine::messages::short(&key)
                ),
            ));
        }
        if aware && !ascii_qname && !is_qname(&key) {
            return Err(fatal_at(
                pass,
                key_pos,
                format!("Failed to parse QName '{key}'"),
            ));
        }
        let raw_bytes: &[u8] = &a.value;
        if raw_bytes.len() > pass.opts.max_attribute_bytes {
            return Err(fatal_limit(
                pass,
                key_pos,
                format!(
                    "Attribute {key} is longer than {} bytes ({})",
                    pass.opts.max_attribute_bytes,
                    pass.opts.option_name("max_attribute_bytes"),
                ),
                None,
            ));
        }
        let raw = super::text_of(tr, raw_bytes);
        let value_rel = (raw_bytes.as_ptr() as usize).wrapping_sub(content_start);
        // After the closing quote: white space or the end of the tag.
        let after = value_rel.saturating_add(raw_bytes.len()).saturating_add(1);
        if raw_tag
            .get(after)
            .is_some_and(|&c| !crate::engine::chars::is_xml_space_byte(c))
        {
            return Err(fatal_at(
                pass,
                tr.at(tag_off + 1 + after as u64),
                "attributes construct error: white space is required between attributes".into(),
            ));
        }
        let value_off = tag_off + 1 + value_rel as u64;
        let mut value = pass.attr_memory.string();
        // The usual value: no `<`, nothing to expand or normalize (no `&`, tab, line end),
        // so it is the value as written (its length is checked above).
        if raw.bytes().all(|b| b >= 0x20 && b != b'<' && b != b'&') {
            value.push_str(&raw);
        } else {
            let at = (key.as_str(), key_pos, value_off);
            expand_value(pass, tr, entities, &raw, at, &mut value)?;
        }
        attrs.push(Attr {
            qname: key,
            namespace: None,
            value,
            pos: key_pos,
        });
    }
    // Namespace declarations of this element (with the DTD's normalization of their values).
    let dtd = schema
        .map(|c| c.schema())
        .filter(|s| aware && s.kind == SchemaKind::Dtd);
    if let Some(dtd) = dtd {
        for a in attrs.iter_mut() {
            if let Some(v) = normalized_xmlns(dtd, &qname, &a.qname, &a.value) {
                a.value = v;
            }
        }
    }
    let mut bindings = 0;
    for a in &attrs {
        let (prefix, local) = split_name(aware, &a.qname);
        let declared = if a.qname == "xmlns" {
            Some("")
        } else if prefix == "xmlns" {
            Some(local)
        } else {
            None
        };
        let Some(p) = declared.filter(|_| aware) else {
            continue;
        };
        if p == "xmlns"
            || (p == "xml" && a.value != XML_NS)
            || (p != "xml" && a.value == XML_NS)
            || a.value == XMLNS_NS
        {
            let pos = a.pos;
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                pos,
                format!(
                    "xmlns: reserved prefix or namespace in '{}=\"{}\"'",
                    a.qname, a.value
                ),
            ));
        }
        if !p.is_empty() && a.value.is_empty() {
            let pos = a.pos;
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                pos,
                format!("xmlns:{p}: Empty XML namespace is not allowed"),
            ));
        }
        if p != "xml" {
            pass.ns.push(p, &a.value);
            bindings += 1;
        }
    }
    let (prefix, local) = match ascii_colon {
        Some(Some(i)) if aware => (
            qname.get(..i).unwrap_or_default(),
            qname.get(i + 1..).unwrap_or_default(),
        ),
        Some(None) => ("", &*qname),
        _ => split_name(aware, &qname),
    };
    let element_ns = match pass.ns.resolve(prefix) {
        Some(ns) => ns.map(str::to_string),
        None => {
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                tag_pos,
                format!("Namespace prefix {prefix} on {local} is not defined"),
            ));
        }
    };
    if !attrs.is_empty() {
        attribute_namespaces(pass, &mut attrs, aware, &qname, bindings)?;
    }
    pass.root_seen = true;
    pass.path.push(&qname);
    pass.open.push(Open {
        line: tag_pos.0,
        bindings,
    });
    let tag = StartTag {
        qname: &qname,
        local,
        namespace: element_ns.as_deref(),
        pos: tag_pos,
        attrs: &attrs,
        is_root: pass.open.len() == 1,
    };
    pass.validator.start(
        schema,
        &tag,
        &pass.ns,
        &mut pass.sink,
        &pass.path,
        pass.opts,
    );
    if let Some(o) = pass.observer.as_deref_mut() {
        let seen = ObservedStart {
            qname: &qname,
            pos: tag_pos,
            attrs: &attrs,
        };
        o.start(&seen, &pass.path);
    }
    pass.attr_memory.recycle(attrs);
    if empty {
        close(pass, schema, tag_pos);
    }
    Ok(())
}

/// An attribute value `raw` (at offset `value_off`, of the attribute `key` at `key_pos`) that
/// is not the usual one: a `<` is an error, references are expanded and white space
/// normalized into `value`, within the size cap.
fn expand_value(
    pass: &mut Pass,
    tr: &dyn Positions,
    entities: Entities,
    raw: &str,
    (key, key_pos, value_off): (&str, (u32, u32), u64),
    value: &mut String,
) -> Result<(), Abort> {
    if let Some(i) = raw.find('<') {
        return Err(fatal_at(
            pass,
            tr.at(value_off + i as u64),
            "Unescaped '<' not allowed in attributes values".into(),
        ));
    }
    let mut too_long = false;
    let max = pass.opts.max_attribute_bytes;
    expand(
        pass,
        tr,
        entities,
        raw,
        value_off,
        Context::Attribute,
        &mut |piece: Piece| {
            let Piece::Text(p) = piece else { return };
            if value.len() + p.len() > max {
                too_long = true;
            } else {
                value.push_str(p);
            }
        },
    )?;
    if too_long {
        return Err(fatal_limit(
            pass,
            key_pos,
            format!(
                "Attribute {key} is longer than {max} bytes after entity expansion ({})",
                pass.opts.option_name("max_attribute_bytes")
            ),
            None,
        ));
    }
    Ok(())
}

/// Resolve the prefixed attributes' namespaces (the element's own declarations are bound
/// already) and find those with the same expanded name. On an error the element's
/// `bindings` are taken back.
fn attribute_namespaces(
    pass: &mut Pass,
    attrs: &mut [Attr],
    aware: bool,
    qname: &str,
    bindings: usize,
) -> Result<(), Abort> {
    // Expanded names of the prefixed attributes, for the namespaced duplicate check.
    let mut expanded_names: Option<HashSet<(String, String)>> = None;
    for attr in attrs.iter_mut() {
        let (prefix, local) = split_name(aware, &attr.qname);
        if attr.qname == "xmlns" || prefix == "xmlns" {
            attr.namespace = Some(XMLNS_NS.to_string());
            continue;
        }
        if prefix.is_empty() {
            continue;
        }
        let (prefix, local) = (prefix.to_string(), local.to_string());
        match pass.ns.resolve(&prefix) {
            Some(ns) => attr.namespace = ns.map(str::to_string),
            None => {
                let pos = attr.pos;
                pass.ns.pop(bindings);
                return Err(fatal_at(
                    pass,
                    pos,
                    format!("Namespace prefix {prefix} for {local} on {qname} is not defined"),
                ));
            }
        }
        let expanded = (attr.namespace.clone().unwrap_or_default(), local.clone());
        if !expanded_names
            .get_or_insert_with(HashSet::new)
            .insert(expanded)
        {
            let pos = attr.pos;
            let ns = attr.namespace.clone().unwrap_or_default();
            pass.ns.pop(bindings);
            return Err(fatal_at(
                pass,
                pos,
                format!("Namespaced Attribute {local} in '{ns}' redefined"),
            ));
        }
    }
    Ok(())
}

/// From this many attributes on, a tag's duplicate names are found with a set.
const SET_FROM: usize = 16;

/// Memory for a start tag's attributes: the vector and the strings of the last tag, cleared,
/// so the usual start tag allocates nothing.
#[derive(Default)]
pub(super) struct AttrMemory {
    attrs: Vec<Attr>,
    strings: StringPool,
    /// The names of a tag's attributes once it has many (see [`AttrMemory::is_repeated`]).
    names: HashSet<String>,
}

impl AttrMemory {
    /// An empty string, reusing a kept one if there is one.
    fn string(&mut self) -> String {
        self.strings.take()
    }

    /// Whether `key` is the name of one of `attrs` (the tag's attributes before it, at least
    /// `SET_FROM`), with a set of their names built at the first call for a tag and kept up
    /// to date after.
    fn is_repeated(&mut self, attrs: &[Attr], key: &str) -> bool {
        if attrs.len() == SET_FROM || self.names.len() != attrs.len() {
            self.names.clear();
            self.names.extend(attrs.iter().map(|b| b.qname.clone()));
        }
        !self.names.insert(key.to_string())
    }

    /// Take back a start tag's attributes: their strings are cleared and kept.
    #[inline(always)]
    fn recycle(&mut self, attrs: Vec<Attr>) {
        // Most tags have no attributes: only the vector is given back.
        if attrs.is_empty() && self.names.is_empty() {
            self.attrs = attrs;
            return;
        }
        self.recycle_strings(attrs);
    }

    /// [`AttrMemory::recycle`] of a tag with attributes.
    fn recycle_strings(&mut self, mut attrs: Vec<Attr>) {
        if !self.names.is_empty() {
            self.names.clear();
        }
        // (Draining an empty vector is not free: most tags have no attributes.)
        if !attrs.is_empty() {
            for a in attrs.drain(..) {
                self.strings.give(a.qname);
                self.strings.give(a.value);
            }
        }
        self.attrs = attrs;
    }
}
