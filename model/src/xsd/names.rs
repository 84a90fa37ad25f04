//! Name resolution: the symbol tables of global components (one per XSD symbol space) and
//! the resolution of QName-valued attributes through the in-scope namespace prefixes.

use std::collections::HashMap;

use roxmltree::Node;

use crate::ir::{ElementId, TypeRef};
use crate::location::Location;

/// An expanded name: namespace (absent = `None`) and local name.
pub(crate) type QName = (Option<String>, String);

/// A global component's defining element and the document it is in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Def<'a, 'i> {
    /// Index into the lowerer's documents.
    pub doc: usize,
    /// The defining `xs:*` element.
    pub node: Node<'a, 'i>,
    /// Where it is.
    pub location: Location,
}

/// The global components of every loaded document, by expanded name.
#[derive(Debug, Default)]
pub(crate) struct Tables<'a, 'i> {
    /// Top-level `xs:element`s and the ids reserved for them.
    pub elements: HashMap<QName, (Def<'a, 'i>, ElementId)>,
    /// Named simple and complex types (one symbol space) and the ids reserved for them.
    pub types: HashMap<QName, (Def<'a, 'i>, TypeRef)>,
    /// For each local name of a named type, the namespace of the first type with that name
    /// (for "did you mean" hints).
    pub type_namespaces: HashMap<String, Option<String>>,
    /// Top-level `xs:attribute`s.
    pub attributes: HashMap<QName, Def<'a, 'i>>,
    /// Named `xs:attributeGroup`s.
    pub attribute_groups: HashMap<QName, Def<'a, 'i>>,
    /// Named model groups (`xs:group`).
    pub groups: HashMap<QName, Def<'a, 'i>>,
}

/// Resolve the QName `value` written on `node`: the prefix through the in-scope namespace
/// declarations, no prefix through the default namespace. In a chameleon-included document,
/// a name in no namespace means `chameleon_ns`.
pub(crate) fn resolve_qname(
    node: Node,
    value: &str,
    chameleon_ns: Option<&str>,
) -> Result<QName, String> {
    let v = value.trim();
    let (prefix, local) = match v.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, v),
    };
    if local.is_empty() || local.contains(':') || local.chars().any(char::is_whitespace) {
        return Err(format!("'{value}' is not a valid QName"));
    }
    let ns = match prefix {
        Some("xml") => Some(super::values::XML_NS.to_string()),
        Some(p) => match node.lookup_namespace_uri(Some(p)) {
            Some(uri) => Some(uri.to_string()),
            None => {
                return Err(format!(
                    "namespace prefix '{p}' of '{value}' is not declared"
                ))
            }
        },
        None => node
            .lookup_namespace_uri(None)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    };
    let ns = match (ns, chameleon_ns) {
        (None, Some(c)) => Some(c.to_string()),
        (ns, _) => ns,
    };
    Ok((ns, local.to_string()))
}

/// The key under which a component is listed in the schema's name maps: the local name for
/// components of the target namespace, `{namespace}local` for those of other namespaces.
pub(crate) fn map_key(name: &QName, target_namespace: Option<&str>) -> String {
    match &name.0 {
        Some(ns) if Some(ns.as_str()) != target_namespace => format!("{{{ns}}}{}", name.1),
        _ => name.1.clone(),
    }
}

impl super::lower::Lowerer<'_, '_> {
    /// Resolve a QName attribute value written on `node` in document `d`.
    pub(crate) fn qname(&mut self, d: usize, node: Node, value: &str) -> Option<QName> {
        let chameleon = self
            .docs
            .get(d)
            .filter(|doc| doc.chameleon)
            .and_then(|doc| doc.tns.clone());
        match resolve_qname(node, value, chameleon.as_deref()) {
            Ok(q) => {
                let imported = self.docs.get(d).is_none_or(|doc| {
                    q.0 == doc.tns
                        || q.0.as_deref() == Some(super::values::XSD_NS)
                        || doc.imports.contains(&q.0)
                });
                if !imported {
                    let message = match &q.0 {
                        Some(ns) => format!(
                            "'{}' is in namespace '{ns}', which this schema document does not import (add <xs:import namespace=\"{ns}\"/>)",
                            value.trim()
                        ),
                        None => {
                            let tns = self.tns(d);
                            let key = (tns.clone(), q.1.clone());
                            let t = &self.tables;
                            let in_tns = t.types.contains_key(&key)
                                || t.elements.contains_key(&key)
                                || t.attributes.contains_key(&key)
                                || t.groups.contains_key(&key)
                                || t.attribute_groups.contains_key(&key);
                            match tns {
                                Some(ns) if in_tns => format!(
                                    "'{}' is in no namespace, but '{}' is defined in the target namespace '{ns}' (declare xmlns=\"{ns}\" or use a prefix bound to it)",
                                    value.trim(),
                                    q.1
                                ),
                                _ => format!(
                                    "'{}' is in no namespace, which this schema document does not import (add <xs:import/>)",
                                    value.trim()
                                ),
                            }
                        }
                    };
                    self.error_at(d, node, message);
                    return None;
                }
                Some(q)
            }
            Err(e) => {
                self.error_at(d, node, e);
                None
            }
        }
    }

    /// Resolve a type reference (`type=`, `base=`, `itemType=`, `memberTypes=` entries)
    /// written on `node` in document `d`: XSD built-ins (and `xs:anyType`), then named types.
    /// An unknown name is reported at `node`.
    pub(crate) fn resolve_type(&mut self, d: usize, node: Node, value: &str) -> Option<TypeRef> {
        let qname = self.qname(d, node, value)?;
        let qname = self.redirect(node, qname, super::redefine::Space::Type);
        if qname.0.as_deref() == Some(super::values::XSD_NS) {
            if qname.1 == "anyType" {
                return Some(TypeRef::Complex(self.any_type()));
            }
            if let Some(b) = crate::ir::Builtin::from_name(&qname.1) {
                return Some(TypeRef::Simple(b.id()));
            }
        }
        if let Some((_, ty)) = self.tables.types.get(&qname) {
            return Some(*ty);
        }
        let other = self
            .tables
            .type_namespaces
            .get(&qname.1)
            .map(|ns| (ns.clone(), qname.1.clone()));
        let hint = match (&qname.0, other.as_ref()) {
            (None, _) if crate::ir::Builtin::from_name(&qname.1).is_some() => {
                " (did you mean the built-in 'xs:".to_string() + &qname.1 + "'?)"
            }
            (_, Some((Some(ns), _))) => {
                format!(" (a type of that name exists in namespace '{ns}')")
            }
            (_, Some((None, _))) => " (a type of that name exists in no namespace)".to_string(),
            _ => String::new(),
        };
        self.error_at(
            d,
            node,
            format!("type '{}' is not defined{hint}", value.trim()),
        );
        None
    }
}
