//! Whole-schema checks after lowering: `final` on named types, value constraints of elements
//! against their content and of elements and attributes against their simple type
//! (enumerations, and the lexical forms `lexical` knows; the rest is left to the validator),
//! Element Declarations Consistent (one name, one type per content model), and the named
//! model groups and attribute groups no type references (checked by a trial expansion whose
//! results are discarded).

use std::collections::{HashMap, HashSet};

use super::complex_types::is_emptiable;
use super::facets::BaseKind;
use super::lexical::lexical_problem;
use super::lower::Lowerer;
use crate::ir::{
    Builtin, ComplexTypeId, Content, ElementType, SimpleTypeId, Term, TypeRef, ValueConstraint,
    Variety, WhiteSpace,
};
use crate::location::Location;

impl Lowerer<'_, '_> {
    /// `final` (or the schema document's `finalDefault`) on a named type: no type may derive
    /// from it by a method it names (complex: extension, restriction; simple: restriction,
    /// list, union; `#all`: every one).
    pub(crate) fn check_final(&mut self) {
        let mut finals: HashMap<TypeRef, (String, Vec<&'static str>)> = HashMap::new();
        for (name, (def, ty)) in &self.tables.types {
            let Some(value) = self.own_or_schema_default(def.doc, def.node, "final") else {
                continue;
            };
            let methods: &[&'static str] = match ty {
                TypeRef::Simple(_) => &["restriction", "list", "union"],
                TypeRef::Complex(_) => &["extension", "restriction"],
            };
            let tokens: Vec<&str> = value.split_whitespace().collect();
            let named: Vec<&'static str> = methods
                .iter()
                .copied()
                .filter(|m| tokens.contains(&"#all") || tokens.contains(m))
                .collect();
            if !named.is_empty() {
                finals.insert(*ty, (name.1.clone(), named));
            }
        }
        if finals.is_empty() {
            return;
        }
        let mut problems: Vec<(Location, String)> = Vec::new();
        let mut check = |at: Location, base: TypeRef, method: &str| {
            if let Some((name, final_)) = finals.get(&base) {
                if final_.contains(&method) {
                    problems.push((
                        at,
                        format!("the type derives by {method} from '{name}', whose final forbids {method}"),
                    ));
                }
            }
        };
        for ct in &self.schema.complex_types {
            if let Some(d) = ct.derivation {
                check(ct.location, d.base, d.method.keyword());
            }
        }
        for st in self.schema.simple_types.iter().skip(Builtin::ALL.len()) {
            match &st.variety {
                Variety::Restriction { base } => {
                    check(st.location, TypeRef::Simple(*base), "restriction")
                }
                Variety::List { item } => check(st.location, TypeRef::Simple(*item), "list"),
                Variety::Union { members } => {
                    for m in members {
                        check(st.location, TypeRef::Simple(*m), "union");
                    }
                }
                Variety::AnySimple => {}
            }
        }
        for (at, message) in problems {
            self.diags.error(at, message);
        }
    }

    /// `default=`/`fixed=` on an element needs a simple type, simple content, or mixed content.
    pub(crate) fn check_element_values(&mut self) {
        let mut problems = Vec::new();
        for e in &self.schema.elements {
            let (Some(_), ElementType::Complex(c)) = (&e.value_constraint, e.ty) else {
                continue;
            };
            let Some(ty) = self.schema.complex_types.get(c.index()) else {
                continue;
            };
            let what = match &ty.content {
                Content::Empty => "empty content",
                Content::Elements { mixed: false, .. } => "element-only content",
                Content::Elements {
                    mixed: true,
                    particle,
                } if !is_emptiable(particle) => {
                    "mixed content that requires child elements (cos-valid-default.2.2.2: the particle must be emptiable)"
                }
                _ => continue,
            };
            problems.push((
                e.location,
                format!(
                    "element '{}' has a default or fixed value, but its type has {what}",
                    e.name
                ),
            ));
        }
        for (at, message) in problems {
            self.diags.error(at, message);
        }
        self.check_value_constraints();
        self.check_element_consistency();
    }

    /// Elements with one name in one content model must have one type (XSD 1.0 "Element
    /// Declarations Consistent"); otherwise a document cannot say which applies.
    fn check_element_consistency(&mut self) {
        let mut problems = Vec::new();
        for t in &self.schema.complex_types {
            let Content::Elements { particle, .. } = &t.content else {
                continue;
            };
            let mut seen: Vec<(&str, &Option<String>, ElementType, Location)> = Vec::new();
            let mut stack = vec![particle];
            let mut order = Vec::new();
            while let Some(p) = stack.pop() {
                match &p.term {
                    Term::Element(id) => order.push(*id),
                    Term::Sequence(v) | Term::Choice(v) | Term::All(v) => {
                        stack.extend(v.iter().rev())
                    }
                    Term::Any(_) => {}
                }
            }
            for id in order {
                let Some(e) = self.schema.elements.get(id.index()) else {
                    continue;
                };
                match seen
                    .iter()
                    .find(|(n, ns, _, _)| *n == e.name && *ns == &e.namespace)
                {
                    Some((_, _, ty, first)) if *ty != e.ty => problems.push((
                        e.location,
                        format!(
                            "element '{}' appears in the content model of {} with two different types (first at {})",
                            e.name,
                            t.name
                                .as_ref()
                                .map_or("an anonymous type".to_string(), |n| format!("type '{n}'")),
                            self.schema.display_location(*first)
                        ),
                    )),
                    Some(_) => {}
                    None => seen.push((&e.name, &e.namespace, e.ty, e.location)),
                }
            }
        }
        for (at, message) in problems {
            self.diags.error(at, message);
        }
    }

    /// Default and fixed values of elements and attributes must be values of their type.
    fn check_value_constraints(&mut self) {
        let mut todo: Vec<(Location, String, SimpleTypeId, String)> = Vec::new();
        for e in &self.schema.elements {
            let Some(vc) = &e.value_constraint else {
                continue;
            };
            let st = match e.ty {
                ElementType::Simple(st) => st,
                ElementType::Complex(c) => {
                    match self.schema.complex_types.get(c.index()).map(|t| &t.content) {
                        Some(Content::Simple(st)) => *st,
                        _ => continue,
                    }
                }
                ElementType::Undeclared => continue,
            };
            todo.push((
                e.location,
                format!("element '{}'", e.name),
                st,
                constraint_value(vc),
            ));
        }
        let attributes = self
            .schema
            .complex_types
            .iter()
            .flat_map(|t| t.attributes.iter())
            .chain(self.global_attributes.values().flatten());
        for a in attributes {
            if let Some(vc) = &a.value_constraint {
                todo.push((
                    a.location,
                    format!("attribute '{}'", a.name),
                    a.ty,
                    constraint_value(vc),
                ));
            }
        }
        let mut seen = HashSet::new();
        for (at, what, st, value) in todo {
            if !seen.insert((at, st, value.clone())) {
                continue;
            }
            if let Some(problem) = self.value_problem(st, &value) {
                self.diags.error(
                    at,
                    format!("{what}: default/fixed value \"{value}\" {problem}"),
                );
            }
        }
    }

    /// The restriction chain of `st` (most derived first, up to its built-in); `None` when it
    /// runs into a circular derivation (already reported).
    fn bounded_chain(&self, mut st: SimpleTypeId) -> Option<Vec<SimpleTypeId>> {
        let mut chain = vec![st];
        for _ in 0..self.schema.simple_types.len() {
            if self.circular_simple.contains(&st.index()) {
                return None;
            }
            let t = self.schema.simple_types.get(st.index())?;
            match t.variety {
                Variety::Restriction { base } if t.builtin.is_none() => {
                    st = base;
                    chain.push(st);
                }
                _ => return Some(chain),
            }
        }
        None
    }

    /// Why `value` is not a value of simple type `st` (as far as enumerations and the lexical
    /// forms of numbers and booleans tell); `None` when it is, or cannot be told here.
    fn value_problem(&self, st: SimpleTypeId, value: &str) -> Option<String> {
        let chain = self.bounded_chain(st)?;
        let collapse = chain.iter().any(|id| {
            self.schema
                .simple_types
                .get(id.index())
                .is_some_and(|t| t.facets.white_space == Some(WhiteSpace::Collapse))
        });
        let kind = self.base_kind(st, &self.circular_simple);
        let (primitive, integer) = match kind {
            BaseKind::Atomic { primitive, integer } => (primitive, integer),
            _ => return None,
        };
        let value = if collapse || primitive != Builtin::String {
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            value.to_string()
        };
        if let Some(expected) = lexical_problem(primitive, integer, &value) {
            return Some(format!("is not {expected}"));
        }
        let enumeration = chain.iter().find_map(|id| {
            self.schema
                .simple_types
                .get(id.index())
                .map(|t| &t.facets.enumeration)
                .filter(|e| !e.is_empty())
        })?;
        let matches = enumeration.iter().any(|e| {
            let e = if collapse || primitive != Builtin::String {
                e.split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                e.clone()
            };
            super::ordering::same_value(primitive, &e, &value)
        });
        (!matches).then(|| format!("is not one of the enumerated values {enumeration:?}"))
    }

    /// Expand every named model group and attribute group that no type used, to report the
    /// errors in them; the declarations this creates are then dropped again.
    pub(crate) fn check_unused_groups(&mut self) {
        let mut groups: Vec<_> = self
            .tables
            .groups
            .iter()
            .filter(|(name, _)| !self.expanded_groups.contains(*name))
            .map(|(name, def)| (name.clone(), *def))
            .collect();
        let mut attribute_groups: Vec<_> = self
            .tables
            .attribute_groups
            .iter()
            .filter(|(name, _)| !self.expanded_attribute_groups.contains(*name))
            .map(|(name, def)| (name.clone(), *def))
            .collect();
        if groups.is_empty() && attribute_groups.is_empty() {
            return;
        }
        groups.sort_by_key(|(_, def)| def.location);
        attribute_groups.sort_by_key(|(_, def)| def.location);
        let elements = self.schema.elements.len();
        let complex = self.schema.complex_types.len();
        let simple = self.schema.simple_types.len();
        let any_type = self.any_type;
        // No type owns the trial declarations; they are removed below.
        let owner = ComplexTypeId(u32::MAX);
        for (name, def) in groups {
            if !self.expanded_groups.contains(&name) {
                let _ = self.expand_group(&name, def, owner);
            }
        }
        for (name, def) in attribute_groups {
            if !self.expanded_attribute_groups.contains(&name) {
                let _ = self.expand_attribute_group(&name, def);
            }
        }
        self.schema.elements.truncate(elements);
        self.schema.complex_types.truncate(complex);
        self.complex_state.truncate(complex);
        self.schema.simple_types.truncate(simple);
        self.facet_sites.retain(|id, _| id.index() < simple);
        self.mixed_empty.retain(|id| id.index() < complex);
        self.simple_ref_sites.retain(|id, _| id.index() < simple);
        self.any_type = any_type;
    }
}

fn constraint_value(vc: &ValueConstraint) -> String {
    match vc {
        ValueConstraint::Default(v) | ValueConstraint::Fixed(v) => v.clone(),
    }
}
