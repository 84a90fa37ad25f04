//! Simple types: `xs:restriction` (with facets), `xs:list` (itemType or inline) and
//! `xs:union` (memberTypes and inline), named and anonymous; plus the whole-schema checks
//! (circular derivation, facets allowed by the base's variety and primitive, facet values).

use std::collections::HashSet;

use roxmltree::Node;

use super::facets::BaseKind;
use super::lower::Lowerer;
use super::values::{show, xsd_name, XSD_NS};
use crate::ir::{Builtin, SimpleTypeId, TypeRef, Variety};

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Lower an anonymous `xs:simpleType`.
    pub(crate) fn lower_anonymous_simple(&mut self, d: usize, node: Node<'a, 'i>) -> SimpleTypeId {
        if !self.enter(d, node) {
            return Builtin::AnySimpleType.id();
        }
        let id = self.lower_anonymous_simple_here(d, node);
        self.leave();
        id
    }

    fn lower_anonymous_simple_here(&mut self, d: usize, node: Node<'a, 'i>) -> SimpleTypeId {
        for attribute in ["name", "final"] {
            if node.has_attribute(attribute) {
                self.error_at(
                    d,
                    node,
                    format!("an inline <xs:simpleType> cannot have {attribute}= (only named, top-level types can)"),
                );
            }
        }
        let location = self.loc(d, node);
        let id = self.new_simple(None, location);
        self.lower_simple_into(d, node, id);
        id
    }

    /// Lower an `xs:simpleType` element into the reserved slot `id`.
    pub(crate) fn lower_simple_into(&mut self, d: usize, node: Node<'a, 'i>, id: SimpleTypeId) {
        self.check_attributes(d, node, &["id", "name", "final"]);
        let documentation = self.documentation(d, node);
        let mut derivation = None;
        for child in node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("restriction" | "list" | "union") if derivation.is_none() => {
                    derivation = Some(child)
                }
                _ => self.error_at(
                    d,
                    child,
                    format!("unexpected {} in <xs:simpleType>", show(child)),
                ),
            }
        }
        let Some(derivation) = derivation else {
            self.error_at(
                d,
                node,
                "<xs:simpleType> needs a restriction, list or union",
            );
            return;
        };
        let _ = self.documentation(d, derivation);
        let site = self.loc(d, derivation);
        self.simple_ref_sites.insert(id, site);
        let (variety, facets) = match xsd_name(derivation) {
            Some("restriction") => {
                self.check_attributes(d, derivation, &["id", "base"]);
                let children: Vec<Node<'a, 'i>> = derivation
                    .children()
                    .filter(|c| c.is_element() && xsd_name(*c) != Some("annotation"))
                    .collect();
                let (base, rest) = self.restriction_base(d, derivation, &children);
                let facets = self.facets(d, rest, id);
                (Variety::Restriction { base }, facets)
            }
            Some("list") => {
                self.check_attributes(d, derivation, &["id", "itemType"]);
                let item = self.one_simple_type(d, derivation, "itemType");
                (Variety::List { item }, Default::default())
            }
            _ => {
                self.check_attributes(d, derivation, &["id", "memberTypes"]);
                let members = self.union_members(d, derivation);
                (Variety::Union { members }, Default::default())
            }
        };
        if let Some(st) = self.schema.simple_types.get_mut(id.index()) {
            st.variety = variety;
            st.facets = facets;
            st.documentation = documentation;
        }
    }

    /// The base of a simple type restriction (`base=` or an inline `xs:simpleType` first
    /// child) and the remaining (facet) children.
    fn restriction_base<'c>(
        &mut self,
        d: usize,
        derivation: Node<'a, 'i>,
        children: &'c [Node<'a, 'i>],
    ) -> (SimpleTypeId, &'c [Node<'a, 'i>]) {
        let inline = children
            .first()
            .filter(|c| xsd_name(**c) == Some("simpleType"));
        match (derivation.attribute("base"), inline) {
            (Some(b), inline) => {
                if let Some(child) = inline {
                    self.error_at(
                        d,
                        *child,
                        "a restriction cannot have both base= and an inline type",
                    );
                }
                if names_any_simple_type(derivation, b) {
                    self.error_at(
                        d,
                        derivation,
                        "xs:anySimpleType cannot be restricted: the type would have no variety (atomic, list or union; XSD 1.0 Structures 3.14.2, st-props-correct); restrict a primitive such as xs:string",
                    );
                }
                let base = self.simple_type_ref(d, derivation, b);
                (base, &children[inline.map_or(0, |_| 1)..])
            }
            (None, Some(child)) => (self.lower_anonymous_simple(d, *child), &children[1..]),
            (None, None) => {
                self.error_at(
                    d,
                    derivation,
                    "<xs:restriction> needs a base attribute or an inline <xs:simpleType>",
                );
                (Builtin::AnySimpleType.id(), children)
            }
        }
    }

    /// A type reference that must name a simple type (reported otherwise; anySimpleType then).
    pub(crate) fn simple_type_ref(&mut self, d: usize, node: Node, value: &str) -> SimpleTypeId {
        match self.resolve_type(d, node, value) {
            Some(TypeRef::Simple(s)) => s,
            Some(TypeRef::Complex(_)) => {
                self.error_at(
                    d,
                    node,
                    format!(
                        "'{}' is a complex type; a simple type is required here",
                        value.trim()
                    ),
                );
                Builtin::AnySimpleType.id()
            }
            None => Builtin::AnySimpleType.id(),
        }
    }

    /// The type of an `xs:list`: `itemType=` or one inline `xs:simpleType`.
    fn one_simple_type(&mut self, d: usize, node: Node<'a, 'i>, attribute: &str) -> SimpleTypeId {
        let mut inline = None;
        for child in node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("simpleType") if inline.is_none() => inline = Some(child),
                _ => self.error_at(
                    d,
                    child,
                    format!("unexpected {} in {}", show(child), show(node)),
                ),
            }
        }
        match (node.attribute(attribute), inline) {
            (Some(v), inline) => {
                if let Some(child) = inline {
                    self.error_at(
                        d,
                        child,
                        format!(
                            "{} cannot have both {attribute}= and an inline type",
                            show(node)
                        ),
                    );
                }
                self.simple_type_ref(d, node, v)
            }
            (None, Some(child)) => self.lower_anonymous_simple(d, child),
            (None, None) => {
                self.error_at(
                    d,
                    node,
                    format!(
                        "{} needs {attribute}= or an inline <xs:simpleType>",
                        show(node)
                    ),
                );
                Builtin::AnySimpleType.id()
            }
        }
    }

    /// The member types of an `xs:union`: `memberTypes=` then inline types, in order.
    fn union_members(&mut self, d: usize, node: Node<'a, 'i>) -> Vec<SimpleTypeId> {
        let mut members = Vec::new();
        if let Some(list) = node.attribute("memberTypes") {
            for name in list.split_whitespace() {
                members.push(self.simple_type_ref(d, node, name));
            }
        }
        for child in node.children().filter(|c| c.is_element()) {
            match xsd_name(child) {
                Some("annotation") => {}
                Some("simpleType") => members.push(self.lower_anonymous_simple(d, child)),
                _ => self.error_at(
                    d,
                    child,
                    format!("unexpected {} in <xs:union>", show(child)),
                ),
            }
        }
        if members.is_empty() {
            self.error_at(
                d,
                node,
                "<xs:union> needs memberTypes= or inline member types",
            );
        }
        members
    }

    /// Whole-schema checks of the user simple types: circular derivation first, then the
    /// facets of each derivation step against the base's variety and primitive type.
    pub(crate) fn check_simple_types(&mut self) {
        let first_user = Builtin::ALL.len();
        let count = self.schema.simple_types.len();
        let mut circular: HashSet<usize> = HashSet::new();
        for start in first_user..count {
            if let Some(cycle) = self.find_cycle(start) {
                let names: Vec<String> = cycle
                    .iter()
                    .map(|&i| {
                        self.schema.simple_types[i]
                            .name
                            .clone()
                            .unwrap_or_else(|| "(anonymous)".to_string())
                    })
                    .collect();
                if cycle.iter().any(|i| circular.contains(i)) {
                    continue;
                }
                circular.extend(cycle.iter().copied());
                let at = self
                    .simple_ref_sites
                    .get(&SimpleTypeId(start as u32))
                    .copied()
                    .unwrap_or(self.schema.simple_types[start].location);
                let mut path = names.clone();
                path.push(names[0].clone());
                self.diags.error(
                    at,
                    format!("circular simple type derivation: {}", path.join(" -> ")),
                );
            }
        }
        self.circular_simple = circular.clone();
        self.check_simple_derivations();
        self.check_list_items(&circular);
        for id in first_user..count {
            if circular.contains(&id) {
                continue;
            }
            self.check_facets(SimpleTypeId(id as u32), &circular);
        }
    }

    /// The item type of a list must be atomic, or a union of atomic types (XSD 1.0 3.14.6
    /// cos-list-of-atomic): no lists of lists, such as a list of xs:IDREFS.
    fn check_list_items(&mut self, circular: &HashSet<usize>) {
        let mut problems = Vec::new();
        for (index, st) in self
            .schema
            .simple_types
            .iter()
            .enumerate()
            .skip(Builtin::ALL.len())
        {
            let Variety::List { item } = st.variety else {
                continue;
            };
            if circular.contains(&index) || !self.has_list_in(item, circular, 0) {
                continue;
            }
            let id = SimpleTypeId(index as u32);
            let at = self
                .simple_ref_sites
                .get(&id)
                .copied()
                .unwrap_or(st.location);
            let item_label = self.type_label(item);
            problems.push((
                at,
                format!("the item type of a list must be atomic or a union of atomic types, but {item_label} is or contains a list type (cos-list-of-atomic)"),
            ));
        }
        for (at, message) in problems {
            self.diags.error(at, message);
        }
    }

    /// Whether `st` is a list type, or a union with a list among its (transitive) members.
    fn has_list_in(&self, st: SimpleTypeId, circular: &HashSet<usize>, depth: u32) -> bool {
        match self.base_kind(st, circular) {
            BaseKind::List => true,
            BaseKind::Union if depth < 32 => {
                let mut step = st;
                for _ in 0..self.schema.simple_types.len() {
                    match self
                        .schema
                        .simple_types
                        .get(step.index())
                        .map(|t| &t.variety)
                    {
                        Some(Variety::Restriction { base }) => step = *base,
                        Some(Variety::Union { members }) => {
                            return members
                                .iter()
                                .any(|m| self.has_list_in(*m, circular, depth + 1))
                        }
                        _ => return false,
                    }
                }
                false
            }
            _ => false,
        }
    }

    /// The derivation cycle through `start` (restriction bases, list items, union members).
    fn find_cycle(&self, start: usize) -> Option<Vec<usize>> {
        let mut path = vec![start];
        let mut seen = HashSet::new();
        self.cycle_from(start, start, &mut path, &mut seen)
            .then_some(path)
    }

    fn cycle_from(
        &self,
        start: usize,
        at: usize,
        path: &mut Vec<usize>,
        seen: &mut HashSet<usize>,
    ) -> bool {
        let Some(st) = self.schema.simple_types.get(at) else {
            return false;
        };
        if st.builtin.is_some() {
            return false;
        }
        let next: Vec<usize> = match &st.variety {
            Variety::Restriction { base } => vec![base.index()],
            Variety::List { item } => vec![item.index()],
            Variety::Union { members } => members.iter().map(|m| m.index()).collect(),
            Variety::AnySimple => vec![],
        };
        for n in next {
            if n == start {
                return true;
            }
            if seen.insert(n) {
                path.push(n);
                if self.cycle_from(start, n, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
}

/// Whether the QName `value` (resolved on `node`) is `xs:anySimpleType`.
fn names_any_simple_type(node: Node, value: &str) -> bool {
    let value = value.trim();
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, value),
    };
    local == "anySimpleType" && node.lookup_namespace_uri(prefix) == Some(XSD_NS)
}
