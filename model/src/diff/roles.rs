//! Request/response directions of schema components, computed by reachability on the model.
//!
//! A component is a global element, a named complex type or a named simple type (local
//! elements and anonymous types belong to the component that owns them). Components
//! reachable from a request root are request content, from a response root response content;
//! both when reachable from both.

use std::collections::{HashMap, HashSet};

use crate::ir::{
    ComplexTypeId, Content, ElementId, ElementType, Particle, Schema, SimpleTypeId, Term, TypeRef,
    Variety,
};

use super::verdict::Directions;

/// A top-level schema component, by kind and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    /// A global element.
    Element(String),
    /// A named complex type.
    ComplexType(String),
    /// A named user simple type.
    SimpleType(String),
}

/// Where a schema's directions come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleSpec {
    /// Every component has these directions (a DTD whose catalog role is `response`, or
    /// `--direction`).
    Whole(Directions),
    /// Components reachable from these global elements are request content...
    Roots {
        /// Global elements whose content is request content (`ServiceRequest`).
        request: Vec<String>,
        /// Global elements whose content is response content (`ServiceResponse`).
        response: Vec<String>,
    },
}

impl RoleSpec {
    /// Every direction the schema's roots have.
    pub fn directions(&self) -> Directions {
        match self {
            RoleSpec::Whole(d) => *d,
            RoleSpec::Roots { request, response } => Directions {
                request: !request.is_empty(),
                response: !response.is_empty(),
            },
        }
    }
}

/// The directions of every component of one schema.
#[derive(Clone, Debug, Default)]
pub struct Roles {
    by_component: HashMap<Component, Directions>,
    /// Directions of components not reachable from any root: every direction the schema has
    /// (conservative), and of all components for [`RoleSpec::Whole`].
    fallback: Directions,
    /// Components that no root reaches (only for [`RoleSpec::Roots`]), sorted.
    pub unreachable: Vec<Component>,
}

impl Roles {
    /// Compute the directions of every component of `schema`.
    pub fn compute(schema: &Schema, spec: &RoleSpec) -> Roles {
        match spec {
            RoleSpec::Whole(d) => Roles {
                by_component: HashMap::new(),
                fallback: *d,
                unreachable: Vec::new(),
            },
            RoleSpec::Roots { request, response } => {
                let mut by_component: HashMap<Component, Directions> = HashMap::new();
                for (roots, dir) in [
                    (request, Directions::REQUEST),
                    (response, Directions::RESPONSE),
                ] {
                    let mut walk = Reach::new(schema);
                    for root in roots {
                        if let Some(id) = schema.global(root) {
                            walk.element(id);
                        }
                    }
                    for c in walk.found {
                        let e = by_component.entry(c).or_default();
                        *e = e.union(dir);
                    }
                }
                let mut unreachable: Vec<Component> = all_components(schema)
                    .into_iter()
                    .filter(|c| !by_component.contains_key(c))
                    .collect();
                unreachable.sort();
                Roles {
                    by_component,
                    fallback: spec.directions(),
                    unreachable,
                }
            }
        }
    }

    /// The directions of a component.
    pub fn of(&self, c: &Component) -> Directions {
        self.by_component.get(c).copied().unwrap_or(self.fallback)
    }
}

/// Every top-level component of a schema.
pub fn all_components(schema: &Schema) -> Vec<Component> {
    let mut v: Vec<Component> = schema
        .globals
        .keys()
        .map(|n| Component::Element(n.clone()))
        .collect();
    v.extend(
        schema
            .named_complex_types
            .keys()
            .map(|n| Component::ComplexType(n.clone())),
    );
    v.extend(
        schema
            .named_simple_types
            .keys()
            .map(|n| Component::SimpleType(n.clone())),
    );
    v
}

/// A node of the reachability walk.
#[derive(Clone, Copy)]
enum Node {
    Element(ElementId),
    Complex(ComplexTypeId),
    Simple(SimpleTypeId),
}

/// Reachability over the model with an explicit worklist (no recursion: a long chain of
/// declarations cannot exhaust the stack).
struct Reach<'a> {
    schema: &'a Schema,
    found: HashSet<Component>,
    elements: HashSet<ElementId>,
    complex: HashSet<ComplexTypeId>,
    simple: HashSet<SimpleTypeId>,
    todo: Vec<Node>,
}

impl<'a> Reach<'a> {
    fn new(schema: &'a Schema) -> Self {
        Reach {
            schema,
            found: HashSet::new(),
            elements: HashSet::new(),
            complex: HashSet::new(),
            simple: HashSet::new(),
            todo: Vec::new(),
        }
    }

    /// Visit a root element and everything reachable from it.
    fn element(&mut self, id: ElementId) {
        self.todo.push(Node::Element(id));
        while let Some(node) = self.todo.pop() {
            match node {
                Node::Element(e) => self.visit_element(e),
                Node::Complex(c) => self.visit_complex(c),
                Node::Simple(s) => self.visit_simple(s),
            }
        }
    }

    fn visit_element(&mut self, id: ElementId) {
        if !self.elements.insert(id) {
            return;
        }
        let Some(decl) = self.schema.elements.get(id.index()) else {
            return;
        };
        if decl.scope == crate::ir::ElementScope::Global {
            self.found.insert(Component::Element(decl.name.clone()));
        }
        match decl.ty {
            ElementType::Complex(ct) => self.todo.push(Node::Complex(ct)),
            ElementType::Simple(st) => self.todo.push(Node::Simple(st)),
            ElementType::Undeclared => {}
        }
    }

    fn visit_complex(&mut self, id: ComplexTypeId) {
        if !self.complex.insert(id) {
            return;
        }
        let Some(ct) = self.schema.complex_types.get(id.index()) else {
            return;
        };
        if let Some(name) = &ct.name {
            self.found.insert(Component::ComplexType(name.clone()));
        }
        match &ct.content {
            Content::Simple(st) => self.todo.push(Node::Simple(*st)),
            Content::Elements { particle, .. } => {
                let mut stack: Vec<&Particle> = vec![particle];
                while let Some(p) = stack.pop() {
                    match &p.term {
                        Term::Element(e) => self.todo.push(Node::Element(*e)),
                        Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps) => {
                            stack.extend(ps.iter())
                        }
                        Term::Any(_) => {}
                    }
                }
            }
            Content::Empty => {}
            // DTD ANY: every declared element may appear.
            Content::Any => self
                .todo
                .extend(self.schema.globals.values().map(|g| Node::Element(*g))),
        }
        self.todo
            .extend(ct.attributes.iter().map(|a| Node::Simple(a.ty)));
        if let Some(d) = ct.derivation {
            self.todo.push(match d.base {
                TypeRef::Complex(c) => Node::Complex(c),
                TypeRef::Simple(s) => Node::Simple(s),
            });
        }
    }

    fn visit_simple(&mut self, id: SimpleTypeId) {
        if !self.simple.insert(id) {
            return;
        }
        let Some(st) = self.schema.simple_types.get(id.index()) else {
            return;
        };
        if st.builtin.is_some() {
            return;
        }
        if let Some(name) = &st.name {
            self.found.insert(Component::SimpleType(name.clone()));
        }
        match &st.variety {
            Variety::AnySimple => {}
            Variety::Restriction { base } => self.todo.push(Node::Simple(*base)),
            Variety::List { item } => self.todo.push(Node::Simple(*item)),
            Variety::Union { members } => {
                self.todo.extend(members.iter().map(|m| Node::Simple(*m)))
            }
        }
    }
}
