//! From the schema model to a Rust-shaped plan: which structs, enums and fields to emit,
//! with their final names. Emission (`emit`) only prints what the plan says.

use std::collections::BTreeMap;

use qschema_model::{
    Builtin, ComplexTypeId, Content, ElementDecl, ElementScope, ElementType, MaxOccurs,
    NamespaceConstraint, Particle, Schema, SchemaKind, SimpleTypeId, Term, ValueConstraint,
    Variety, Wildcard,
};

use crate::naming::{field_name, type_name, NameAllocator};

/// The Rust type of a text value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScalarTy {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    Decimal,
    DateTime,
    /// A generated enumeration type.
    Enum(String),
    /// `xs:list` of the item type.
    List(Box<ScalarTy>),
}

/// A wildcard's namespaces, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ns {
    Any,
    Not(Option<String>),
    List(Vec<Option<String>>),
}

impl Ns {
    fn from_model(w: &Wildcard) -> Ns {
        match &w.namespaces {
            NamespaceConstraint::Any => Ns::Any,
            NamespaceConstraint::Not(n) => Ns::Not(n.clone()),
            NamespaceConstraint::List(l) => Ns::List(l.clone()),
        }
    }
}

/// The elements (and wildcards) that can start a particle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstSet {
    pub names: Vec<(Option<String>, String)>,
    pub wildcards: Vec<Ns>,
}

impl FirstSet {
    fn add(&mut self, other: FirstSet) {
        for n in other.names {
            if !self.names.contains(&n) {
                self.names.push(n);
            }
        }
        for w in other.wildcards {
            if !self.wildcards.contains(&w) {
                self.wildcards.push(w);
            }
        }
    }

    /// The same, for documentation (names in code spans).
    pub fn describe_doc(&self) -> String {
        self.describe().replace('<', "`<").replace('>', ">`")
    }

    /// `<a>, <b> or an element of any namespace`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.names.iter().map(|(_, n)| format!("<{n}>")).collect();
        if !self.wildcards.is_empty() {
            parts.push("an element matching a wildcard".to_string());
        }
        match parts.len() {
            0 => "nothing".to_string(),
            1 => parts.remove(0),
            _ => format!("one of {}", parts.join(", ")),
        }
    }
}

/// What one element holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Scalar(ScalarTy),
    /// A generated struct (implements `XmlElement`).
    Struct(String),
    /// Kept as a generic tree (an undeclared DTD element).
    AnyElement,
}

/// What a field or variant holds, once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inner {
    Element {
        xml_name: String,
        ns: Option<String>,
        value: Value,
    },
    /// A generated group type (choice enum or sequence struct; implements `XmlContent`).
    Group(String),
    Wildcard(Ns),
}

/// A field's (or variant's) type: inner value with occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldTy {
    pub min: u32,
    pub max: MaxOccurs,
    pub inner: Inner,
    pub first: FirstSet,
    /// The particle can match nothing.
    pub nullable: bool,
    /// Boxed to break a cycle.
    pub boxed: bool,
}

/// How many a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occ {
    One,
    Opt,
    Many,
}

impl FieldTy {
    pub fn occ(&self) -> Occ {
        match (self.min, self.max) {
            (1, MaxOccurs::Bounded(1)) => Occ::One,
            (0, MaxOccurs::Bounded(1)) => Occ::Opt,
            _ => Occ::Many,
        }
    }
}

/// A struct field for child content.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: FieldTy,
    pub docs: Vec<String>,
    /// Default or fixed value of an element with simple content, lexical.
    pub default: Option<String>,
}

/// An attribute field.
#[derive(Clone, Debug)]
pub struct AttrField {
    pub name: String,
    pub xml_name: String,
    pub ns: Option<String>,
    pub ty: ScalarTy,
    pub required: bool,
    pub default: Option<String>,
    pub docs: Vec<String>,
}

/// The content part of an element struct.
#[derive(Clone, Debug)]
pub enum Body {
    Empty,
    Simple(ScalarTy),
    Sequence(Vec<Field>),
    All(Vec<Field>),
    /// Mixed content: `content: Vec<Mixed<item enum>>`.
    Mixed(String),
    /// DTD `ANY`: `content: Vec<AnyNode>`.
    Any,
}

/// A struct read from one element.
#[derive(Clone, Debug)]
pub struct StructDef {
    pub name: String,
    pub docs: Vec<String>,
    pub attributes: Vec<AttrField>,
    pub any_attribute: Option<Ns>,
    pub body: Body,
}

/// A nested sequence (optional or repeated), read from a cursor.
#[derive(Clone, Debug)]
pub struct GroupDef {
    pub name: String,
    pub docs: Vec<String>,
    pub fields: Vec<Field>,
    pub first: FirstSet,
}

/// One alternative of a choice.
#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub ty: FieldTy,
}

/// A choice enum.
#[derive(Clone, Debug)]
pub struct ChoiceDef {
    pub name: String,
    pub docs: Vec<String>,
    pub variants: Vec<Variant>,
    pub first: FirstSet,
}

/// An enumeration simple type.
#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub docs: Vec<String>,
    /// (variant, value) in schema order.
    pub values: Vec<(String, String)>,
    /// Name used in messages (`WasScanResultStatus`, or the element it belongs to).
    pub schema_name: String,
}

/// The item enum of mixed content.
#[derive(Clone, Debug)]
pub struct MixedDef {
    pub name: String,
    /// (variant, xml name, namespace, value).
    pub variants: Vec<(String, String, Option<String>, Value)>,
    pub wildcard: Option<Ns>,
}

/// Something to emit.
#[derive(Clone, Debug)]
pub enum Item {
    Struct(StructDef),
    Group(GroupDef),
    Choice(ChoiceDef),
    Enum(EnumDef),
    Mixed(MixedDef),
}

/// `from_xml`/`to_xml` for a document element.
#[derive(Clone, Debug)]
pub struct RootFn {
    pub type_name: String,
    pub xml_name: String,
    pub ns: Option<String>,
    /// `None`: `from_xml`/`to_xml`; `Some(s)`: `from_xml_as_{s}`/`to_xml_as_{s}` (a named type
    /// that several global elements use).
    pub suffix: Option<String>,
}

/// Everything to emit for one schema.
#[derive(Clone, Debug)]
pub struct Plan {
    pub kind: SchemaKind,
    pub items: Vec<Item>,
    pub roots: Vec<RootFn>,
    /// Structs whose every field has a `Default` (they derive it).
    pub defaultable: std::collections::BTreeSet<String>,
}

/// Build the plan for a schema.
pub fn plan(schema: &Schema) -> Plan {
    let mut p = Planner {
        schema,
        types: NameAllocator::for_types(),
        ct_names: BTreeMap::new(),
        st_names: BTreeMap::new(),
        items: Vec::new(),
    };
    p.name_types();
    for (i, ct) in schema.complex_types.iter().enumerate() {
        let id = ComplexTypeId(i as u32);
        if let Some(name) = p.ct_names.get(&id).cloned() {
            let owner_elem = p.owner_element(id);
            let mut docs = ct.documentation.clone();
            if let Some(e) = owner_elem {
                docs.extend(schema.element(e).documentation.iter().cloned());
            }
            docs.push(p.declared_at(ct.location));
            p.plan_struct(id, name, docs);
        }
    }
    let roots = p.roots();
    let mut plan = Plan {
        kind: schema.kind,
        items: p.items,
        roots,
        defaultable: Default::default(),
    };
    crate::cycles::box_cycles(&mut plan);
    plan.defaultable = defaultable(&plan.items);
    plan
}

struct Planner<'s> {
    schema: &'s Schema,
    types: NameAllocator,
    ct_names: BTreeMap<ComplexTypeId, String>,
    st_names: BTreeMap<SimpleTypeId, String>,
    items: Vec<Item>,
}

impl<'s> Planner<'s> {
    fn declared_at(&self, loc: qschema_model::Location) -> String {
        format!(
            "Declared at {}:{}.",
            self.schema.file(loc.file).display,
            loc.line
        )
    }

    /// Whether a complex type becomes a struct (anonymous text-only types without attributes
    /// are inlined as scalars).
    fn is_struct(&self, id: ComplexTypeId) -> bool {
        let ct = self.schema.complex_type(id);
        ct.name.is_some()
            || !(matches!(ct.content, Content::Simple(_))
                && ct.attributes.is_empty()
                && ct.any_attribute.is_none())
    }

    /// The element whose anonymous type `id` is.
    fn owner_element(&self, id: ComplexTypeId) -> Option<qschema_model::ElementId> {
        self.schema
            .elements
            .iter()
            .position(|e| e.ty == ElementType::Complex(id))
            .map(|i| qschema_model::ElementId(i as u32))
    }

    fn depth(&self, id: ComplexTypeId, guard: u32) -> u32 {
        if guard > 64 || self.schema.complex_type(id).name.is_some() {
            return 0;
        }
        match self.owner_element(id).map(|e| self.schema.element(e).scope) {
            Some(ElementScope::Local(parent)) => 1 + self.depth(parent, guard + 1),
            _ => 0,
        }
    }

    /// Pass 1: named types keep their names; anonymous struct types are named after their
    /// element, qualified with the parent's name when the plain name is taken or wanted by
    /// another type of the same depth.
    fn name_types(&mut self) {
        let schema = self.schema;
        for (name, &id) in &schema.named_complex_types {
            let n = self.types.claim(&type_name(name));
            self.ct_names.insert(id, n);
        }
        for (name, &id) in &schema.named_simple_types {
            if self.enum_step(id) == Some(id) {
                let n = self.types.claim(&type_name(name));
                self.st_names.insert(id, n);
            }
        }
        let mut slots: Vec<(u32, ComplexTypeId)> = (0..schema.complex_types.len())
            .map(|i| ComplexTypeId(i as u32))
            .filter(|&id| schema.complex_type(id).name.is_none() && self.is_struct(id))
            .map(|id| (self.depth(id, 0), id))
            .collect();
        slots.sort();
        let mut level_start = 0;
        while level_start < slots.len() {
            let depth = slots[level_start].0;
            let level: Vec<ComplexTypeId> = slots[level_start..]
                .iter()
                .take_while(|s| s.0 == depth)
                .map(|s| s.1)
                .collect();
            level_start += level.len();
            let plain: Vec<String> = level.iter().map(|&id| self.plain_name(id)).collect();
            for (i, &id) in level.iter().enumerate() {
                let wanted = &plain[i];
                let shared = plain.iter().filter(|p| *p == wanted).count() > 1;
                let name = if !shared && self.types.is_free(wanted) {
                    self.types.claim(wanted)
                } else {
                    let q = self.qualified_name(id, wanted);
                    self.types.claim(&q)
                };
                self.ct_names.insert(id, name);
            }
        }
    }

    fn plain_name(&self, id: ComplexTypeId) -> String {
        match self.owner_element(id) {
            Some(e) => type_name(&self.schema.element(e).name),
            None => format!("AnonymousType{}", id.0),
        }
    }

    fn qualified_name(&self, id: ComplexTypeId, plain: &str) -> String {
        match self.owner_element(id).map(|e| self.schema.element(e).scope) {
            Some(ElementScope::Local(parent)) => {
                let parent_name = self
                    .ct_names
                    .get(&parent)
                    .cloned()
                    .unwrap_or_else(|| self.plain_name(parent));
                format!("{parent_name}{plain}")
            }
            _ => format!("{plain}Element"),
        }
    }

    /// The derivation step of `id` that carries its enumeration, if any.
    fn enum_step(&self, id: SimpleTypeId) -> Option<SimpleTypeId> {
        self.schema.restriction_chain(id).into_iter().find(|&s| {
            let st = self.schema.simple_type(s);
            st.builtin.is_none() && !st.facets.enumeration.is_empty()
        })
    }

    /// The Rust scalar for a simple type; `context` names an anonymous enumeration.
    fn scalar(&mut self, id: SimpleTypeId, context: &dyn Fn(&NameAllocator) -> String) -> ScalarTy {
        if let Some(step) = self.enum_step(id) {
            return ScalarTy::Enum(self.enum_name(step, context));
        }
        let chain = self.schema.restriction_chain(id);
        let last = chain.last().copied().unwrap_or(id);
        match &self.schema.simple_type(last).variety {
            Variety::List { item } => {
                let item = *item;
                return ScalarTy::List(Box::new(self.scalar(item, context)));
            }
            Variety::Union { .. } => return ScalarTy::String,
            _ => {}
        }
        match self.schema.builtin_base(id) {
            Some(b) => builtin_scalar(b),
            None => ScalarTy::String,
        }
    }

    fn enum_name(
        &mut self,
        step: SimpleTypeId,
        context: &dyn Fn(&NameAllocator) -> String,
    ) -> String {
        if let Some(n) = self.st_names.get(&step) {
            if self
                .items
                .iter()
                .any(|i| matches!(i, Item::Enum(e) if &e.name == n))
            {
                return n.clone();
            }
        }
        let st = self.schema.simple_type(step);
        let name = match self.st_names.get(&step) {
            Some(n) => n.clone(),
            None => {
                let wanted = context(&self.types);
                let n = self.types.claim(&wanted);
                self.st_names.insert(step, n.clone());
                n
            }
        };
        let mut variants = NameAllocator::for_variants();
        variants.reserve("Unknown");
        let values =
            st.facets
                .enumeration
                .iter()
                .fold(Vec::<(String, String)>::new(), |mut acc, v| {
                    if !acc.iter().any(|(_, x)| x == v) {
                        let base = type_name(v);
                        let wanted = if base == "Unknown" {
                            "UnknownValue".to_string()
                        } else {
                            base
                        };
                        acc.push((variants.claim(&wanted), v.clone()));
                    }
                    acc
                });
        let mut docs = st.documentation.clone();
        if st.location.line > 0 {
            docs.push(self.declared_at(st.location));
        }
        let schema_name = st.name.clone().unwrap_or_else(|| name.clone());
        self.items.push(Item::Enum(EnumDef {
            name: name.clone(),
            docs,
            values,
            schema_name,
        }));
        name
    }

    fn value_of_element(&mut self, e: &ElementDecl, owner: &str) -> Value {
        let elem_name = e.name.clone();
        let owner = owner.to_string();
        let ctx = move |types: &NameAllocator| {
            let plain = type_name(&elem_name);
            if types.is_free(&plain) {
                plain
            } else {
                format!("{owner}{plain}")
            }
        };
        match e.ty {
            ElementType::Simple(st) => Value::Scalar(self.scalar(st, &ctx)),
            ElementType::Complex(ct) => match self.ct_names.get(&ct) {
                Some(n) => Value::Struct(n.clone()),
                None => match self.schema.complex_type(ct).content {
                    Content::Simple(st) => Value::Scalar(self.scalar(st, &ctx)),
                    _ => Value::AnyElement,
                },
            },
            ElementType::Undeclared => Value::AnyElement,
        }
    }

    fn plan_struct(&mut self, id: ComplexTypeId, name: String, docs: Vec<String>) {
        let schema = self.schema;
        let ct = schema.complex_type(id);
        let mut fields = NameAllocator::for_fields();
        let body = match &ct.content {
            Content::Empty => Body::Empty,
            Content::Any => {
                fields.reserve("content");
                Body::Any
            }
            Content::Simple(st) => {
                fields.reserve("value");
                let owner = name.clone();
                let ctx = move |_: &NameAllocator| format!("{owner}Value");
                Body::Simple(self.scalar(*st, &ctx))
            }
            Content::Elements {
                particle,
                mixed: true,
            } => {
                fields.reserve("content");
                Body::Mixed(self.plan_mixed(particle, &name))
            }
            Content::Elements {
                particle,
                mixed: false,
            } => {
                let mut out = Vec::new();
                match &particle.term {
                    Term::All(ps) if particle.max == MaxOccurs::Bounded(1) => {
                        for c in ps {
                            self.lower_fields(c, &name, &mut fields, &mut out);
                        }
                        Body::All(out)
                    }
                    _ => {
                        self.lower_fields(particle, &name, &mut fields, &mut out);
                        Body::Sequence(out)
                    }
                }
            }
        };
        let mut attributes = Vec::new();
        for a in &ct.attributes {
            if a.use_ == qschema_model::AttributeUseKind::Prohibited {
                continue;
            }
            let plain = field_name(&a.name);
            let fname = if fields.is_free(&plain) {
                fields.claim(&plain)
            } else {
                let base = plain.strip_prefix("r#").unwrap_or(&plain);
                fields.claim(&format!("{base}_attr"))
            };
            let owner = name.clone();
            let attr_name = a.name.clone();
            let ctx = move |_: &NameAllocator| format!("{owner}{}", type_name(&attr_name));
            let ty = self.scalar(a.ty, &ctx);
            let default = a.value_constraint.as_ref().map(|v| match v {
                ValueConstraint::Default(s) | ValueConstraint::Fixed(s) => s.clone(),
            });
            let mut adocs = a.documentation.clone();
            adocs.extend(self.facet_docs(a.ty));
            if let Some(ValueConstraint::Fixed(v)) = &a.value_constraint {
                adocs.push(format!("Fixed value: `{v}`."));
            }
            adocs.push(self.declared_at(a.location));
            attributes.push(AttrField {
                name: fname,
                xml_name: a.name.clone(),
                ns: a.namespace.clone(),
                ty,
                required: a.use_ == qschema_model::AttributeUseKind::Required,
                default,
                docs: adocs,
            });
        }
        let any_attribute = ct.any_attribute.as_ref().map(Ns::from_model);
        self.items.push(Item::Struct(StructDef {
            name,
            docs,
            attributes,
            any_attribute,
            body,
        }));
    }

    /// Documentation lines for the facets of a user simple type's derivation chain.
    fn facet_docs(&self, id: SimpleTypeId) -> Vec<String> {
        let mut out = Vec::new();
        for step in self.schema.restriction_chain(id) {
            let st = self.schema.simple_type(step);
            if st.builtin.is_some() {
                continue;
            }
            let f = &st.facets;
            for p in &f.patterns {
                out.push(format!("Pattern: `{p}`."));
            }
            let bounds = [
                ("length", f.length),
                ("minLength", f.min_length),
                ("maxLength", f.max_length),
            ];
            for (n, v) in bounds {
                if let Some(v) = v {
                    out.push(format!("Facet {n}: {v}."));
                }
            }
            let ranges = [
                ("minInclusive", &f.min_inclusive),
                ("minExclusive", &f.min_exclusive),
                ("maxInclusive", &f.max_inclusive),
                ("maxExclusive", &f.max_exclusive),
            ];
            for (n, v) in ranges {
                if let Some(v) = v {
                    out.push(format!("Facet {n}: {v}."));
                }
            }
        }
        // One documentation block, one line per facet.
        if out.is_empty() {
            out
        } else {
            vec![out.join("\n")]
        }
    }

    fn lower_fields(
        &mut self,
        p: &Particle,
        owner: &str,
        names: &mut NameAllocator,
        out: &mut Vec<Field>,
    ) {
        if p.max == MaxOccurs::Bounded(0) {
            return;
        }
        let p = &*simplify(p);
        if let Term::Sequence(ps) = &p.term {
            if p.min == 1 && p.max == MaxOccurs::Bounded(1) {
                for c in ps {
                    self.lower_fields(c, owner, names, out);
                }
                return;
            }
        }
        let (hint, ty, docs, default) = self.lower_value(p, owner);
        let name = names.claim(&field_name(&hint));
        out.push(Field {
            name,
            ty,
            docs,
            default,
        });
    }

    /// Lower one particle into a value type. Returns (name hint, type, docs, default).
    fn lower_value(
        &mut self,
        p: &Particle,
        owner: &str,
    ) -> (String, FieldTy, Vec<String>, Option<String>) {
        let schema = self.schema;
        let p = &*simplify(p);
        let (first, nullable) = first_set(schema, p);
        let mk = |inner: Inner| FieldTy {
            min: p.min,
            max: p.max,
            inner,
            first: first.clone(),
            nullable,
            boxed: false,
        };
        match &p.term {
            Term::Element(eid) => {
                let e = schema.element(*eid);
                let value = self.value_of_element(e, owner);
                let mut docs = e.documentation.clone();
                if let ElementType::Simple(st) = e.ty {
                    docs.extend(self.facet_docs(st));
                }
                docs.push(self.declared_at(e.location));
                let default = e.value_constraint.as_ref().map(|v| match v {
                    ValueConstraint::Default(s) | ValueConstraint::Fixed(s) => s.clone(),
                });
                let default = default.filter(|_| matches!(value, Value::Scalar(_)));
                let inner = Inner::Element {
                    xml_name: e.name.clone(),
                    ns: e.namespace.clone(),
                    value,
                };
                (e.name.clone(), mk(inner), docs, default)
            }
            Term::Any(w) => (
                "any".to_string(),
                mk(Inner::Wildcard(Ns::from_model(w))),
                vec![format!("Any element ({:?}).", w.namespaces)],
                None,
            ),
            Term::Sequence(ps) | Term::All(ps) => {
                let hint = match first_element_name(schema, p) {
                    Some(n) => format!("{n}_group"),
                    None => "group".to_string(),
                };
                let type_name_ = self.types.claim(&format!("{owner}{}", type_name(&hint)));
                let mut names = NameAllocator::for_fields();
                let mut fields = Vec::new();
                for c in ps {
                    self.lower_fields(c, &type_name_, &mut names, &mut fields);
                }
                let docs = vec![
                    format!("A group of elements inside `{owner}`."),
                    self.declared_at(p.location),
                ];
                self.items.push(Item::Group(GroupDef {
                    name: type_name_.clone(),
                    docs: docs.clone(),
                    fields,
                    first: first.clone(),
                }));
                (hint, mk(Inner::Group(type_name_)), docs, None)
            }
            Term::Choice(ps) => {
                let names: Vec<String> = ps
                    .iter()
                    .filter_map(|c| match &c.term {
                        Term::Element(e) => Some(schema.element(*e).name.clone()),
                        _ => None,
                    })
                    .collect();
                let hint = if names.len() == ps.len() && (2..=3).contains(&names.len()) {
                    names
                        .iter()
                        .map(|n| field_name(n).trim_start_matches("r#").to_string())
                        .collect::<Vec<_>>()
                        .join("_or_")
                } else {
                    match first_element_name(schema, p) {
                        Some(n) => format!("{n}_choice"),
                        None => "choice".to_string(),
                    }
                };
                let enum_name = self.types.claim(&format!("{owner}{}", type_name(&hint)));
                let mut vnames = NameAllocator::for_variants();
                let mut variants = Vec::new();
                for c in ps {
                    if c.max == MaxOccurs::Bounded(0) {
                        continue;
                    }
                    let wanted = match &c.term {
                        Term::Element(e) => type_name(&schema.element(*e).name),
                        Term::Any(_) => "Any".to_string(),
                        Term::Choice(_) => "Choice".to_string(),
                        Term::Sequence(_) | Term::All(_) => match first_element_name(schema, c) {
                            Some(n) => format!("{}Group", type_name(&n)),
                            None => "Group".to_string(),
                        },
                    };
                    let vname = vnames.claim(&wanted);
                    let (_, ty, _, _) = self.lower_value(c, &enum_name);
                    variants.push(Variant { name: vname, ty });
                }
                let docs = vec![
                    format!("One of several alternatives inside `{owner}`."),
                    self.declared_at(p.location),
                ];
                self.items.push(Item::Choice(ChoiceDef {
                    name: enum_name.clone(),
                    docs: docs.clone(),
                    variants,
                    first: first.clone(),
                }));
                (hint, mk(Inner::Group(enum_name)), docs, None)
            }
        }
    }

    fn plan_mixed(&mut self, particle: &Particle, owner: &str) -> String {
        let mut elems = Vec::new();
        let mut wildcard = None;
        collect_elements(particle, &mut elems, &mut wildcard);
        let name = self.types.claim(&format!("{owner}Item"));
        let mut vnames = NameAllocator::for_variants();
        vnames.reserve("Any");
        let mut variants = Vec::new();
        let mut seen = Vec::new();
        for eid in elems {
            let e = self.schema.element(eid);
            let key = (e.namespace.clone(), e.name.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let value = self.value_of_element(e, &name);
            variants.push((
                vnames.claim(&type_name(&e.name)),
                e.name.clone(),
                e.namespace.clone(),
                value,
            ));
        }
        self.items.push(Item::Mixed(MixedDef {
            name: name.clone(),
            variants,
            wildcard: wildcard.map(|w: &Wildcard| Ns::from_model(w)),
        }));
        name
    }

    /// Document elements: XSD global elements with a struct type; for a DTD the DOCTYPE
    /// name, else the elements no content model references.
    fn roots(&self) -> Vec<RootFn> {
        let schema = self.schema;
        let mut candidates: Vec<&ElementDecl> = Vec::new();
        if schema.kind == SchemaKind::Dtd {
            if let Some(root) = schema.doctype_name.as_ref().and_then(|n| schema.global(n)) {
                candidates.push(schema.element(root));
            } else {
                // Roots: elements no other element's content model references (a
                // reference to itself does not count); failing that, the first element.
                let mut referenced = std::collections::BTreeSet::new();
                for &id in schema.globals.values() {
                    let owner = schema.element(id);
                    let ElementType::Complex(ct) = owner.ty else {
                        continue;
                    };
                    if let Content::Elements { particle, .. } = &schema.complex_type(ct).content {
                        let mut elems = Vec::new();
                        collect_elements(particle, &mut elems, &mut None);
                        for e in elems {
                            let name = &schema.element(e).name;
                            if name != &owner.name {
                                referenced.insert(name.clone());
                            }
                        }
                    }
                }
                for &id in schema.globals.values() {
                    let e = schema.element(id);
                    if !referenced.contains(&e.name) {
                        candidates.push(e);
                    }
                }
                if candidates.is_empty() {
                    candidates.extend(schema.globals.values().next().map(|&id| schema.element(id)));
                }
            }
        } else {
            candidates.extend(schema.globals.values().map(|&id| schema.element(id)));
        }
        let mut out: Vec<RootFn> = Vec::new();
        for e in candidates {
            let ElementType::Complex(ct) = e.ty else {
                continue;
            };
            let Some(type_name_) = self.ct_names.get(&ct) else {
                continue;
            };
            let suffix = if out.iter().any(|r| &r.type_name == type_name_) {
                Some(field_name(&e.name).trim_start_matches("r#").to_string())
            } else {
                None
            };
            out.push(RootFn {
                type_name: type_name_.clone(),
                xml_name: e.name.clone(),
                ns: e.namespace.clone(),
                suffix,
            });
        }
        out
    }
}

/// A group with one child collapses into the child when the occurrences combine exactly
/// (DTD `(X)*` is `X*`, `((A|B))` is `(A|B)`); otherwise the particle is kept.
fn simplify(p: &Particle) -> std::borrow::Cow<'_, Particle> {
    use std::borrow::Cow;
    let (Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps)) = &p.term else {
        return Cow::Borrowed(p);
    };
    let [only] = ps.as_slice() else {
        return Cow::Borrowed(p);
    };
    let inner = simplify(only);
    let one = MaxOccurs::Bounded(1);
    let (min, max) = if (p.min, p.max) == (1, one) {
        (inner.min, inner.max)
    } else if (inner.min, inner.max) == (1, one) {
        (p.min, p.max)
    } else if inner.min <= 1 && (inner.max == MaxOccurs::Unbounded || p.max == MaxOccurs::Unbounded)
    {
        // (a?)*, (a*){2,3}, (a+)+ ...: every count from min*min up is reachable.
        (p.min.saturating_mul(inner.min), MaxOccurs::Unbounded)
    } else if inner.min == 0 && inner.max == one {
        // (a?){n,m} = a{0,m}
        (0, p.max)
    } else {
        return Cow::Borrowed(p);
    };
    if max == MaxOccurs::Bounded(0) {
        return Cow::Borrowed(p);
    }
    Cow::Owned(Particle {
        min,
        max,
        term: inner.term.clone(),
        location: inner.location,
    })
}

fn scalar_has_default(t: &ScalarTy) -> bool {
    !matches!(
        t,
        ScalarTy::Decimal | ScalarTy::DateTime | ScalarTy::Enum(_)
    )
}

/// The structs (element structs and group structs) whose every field has a `Default`:
/// `Option`/`Vec` fields always, single values when their type has one. A fixed point,
/// so recursive types are handled.
fn defaultable(items: &[Item]) -> std::collections::BTreeSet<String> {
    let mut set = std::collections::BTreeSet::new();
    loop {
        let field_ok = |f: &FieldTy, set: &std::collections::BTreeSet<String>| {
            f.occ() != Occ::One
                || match &f.inner {
                    Inner::Element { value, .. } => match value {
                        Value::Scalar(t) => scalar_has_default(t),
                        Value::Struct(n) => set.contains(n),
                        Value::AnyElement => true,
                    },
                    Inner::Group(n) => set.contains(n),
                    Inner::Wildcard(_) => true,
                }
        };
        let mut changed = false;
        for item in items {
            let (name, ok) = match item {
                Item::Struct(s) => {
                    let attrs = s
                        .attributes
                        .iter()
                        .all(|a| !a.required || scalar_has_default(&a.ty));
                    let body = match &s.body {
                        Body::Empty | Body::Any | Body::Mixed(_) => true,
                        Body::Simple(t) => scalar_has_default(t),
                        Body::Sequence(fs) | Body::All(fs) => {
                            fs.iter().all(|f| field_ok(&f.ty, &set))
                        }
                    };
                    (&s.name, attrs && body)
                }
                Item::Group(g) => (&g.name, g.fields.iter().all(|f| field_ok(&f.ty, &set))),
                _ => continue,
            };
            if ok && set.insert(name.clone()) {
                changed = true;
            }
        }
        if !changed {
            return set;
        }
    }
}

fn builtin_scalar(b: Builtin) -> ScalarTy {
    use Builtin::*;
    match b {
        Boolean => ScalarTy::Bool,
        Long | Integer | NonPositiveInteger | NegativeInteger => ScalarTy::I64,
        Int => ScalarTy::I32,
        Short => ScalarTy::I16,
        Byte => ScalarTy::I8,
        UnsignedLong | NonNegativeInteger | PositiveInteger => ScalarTy::U64,
        UnsignedInt => ScalarTy::U32,
        UnsignedShort => ScalarTy::U16,
        UnsignedByte => ScalarTy::U8,
        Decimal => ScalarTy::Decimal,
        Float => ScalarTy::F32,
        Double => ScalarTy::F64,
        DateTime => ScalarTy::DateTime,
        IdRefs | Entities | NmTokens => ScalarTy::List(Box::new(ScalarTy::String)),
        _ => ScalarTy::String,
    }
}

fn first_element_name(schema: &Schema, p: &Particle) -> Option<String> {
    match &p.term {
        Term::Element(e) => Some(schema.element(*e).name.clone()),
        Term::Any(_) => None,
        Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps) => {
            ps.iter().find_map(|c| first_element_name(schema, c))
        }
    }
}

fn collect_elements<'a>(
    p: &'a Particle,
    out: &mut Vec<qschema_model::ElementId>,
    wildcard: &mut Option<&'a Wildcard>,
) {
    match &p.term {
        Term::Element(e) => out.push(*e),
        Term::Any(w) => {
            if wildcard.is_none() {
                *wildcard = Some(w);
            }
        }
        Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps) => {
            for c in ps {
                collect_elements(c, out, wildcard);
            }
        }
    }
}

/// The first set of a particle and whether it can match nothing.
pub fn first_set(schema: &Schema, p: &Particle) -> (FirstSet, bool) {
    let mut set = FirstSet::default();
    let nullable_term = match &p.term {
        Term::Element(e) => {
            let e = schema.element(*e);
            set.names.push((e.namespace.clone(), e.name.clone()));
            false
        }
        Term::Any(w) => {
            set.wildcards.push(Ns::from_model(w));
            false
        }
        Term::Sequence(ps) => {
            let mut all_nullable = true;
            for c in ps {
                let (f, n) = first_set(schema, c);
                set.add(f);
                if !n {
                    all_nullable = false;
                    break;
                }
            }
            all_nullable
        }
        Term::Choice(ps) => {
            let mut any_nullable = ps.is_empty();
            for c in ps {
                let (f, n) = first_set(schema, c);
                set.add(f);
                any_nullable |= n;
            }
            any_nullable
        }
        Term::All(ps) => {
            let mut all_nullable = true;
            for c in ps {
                let (f, n) = first_set(schema, c);
                set.add(f);
                all_nullable &= n;
            }
            all_nullable
        }
    };
    (set, nullable_term || p.min == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qschema_model::{ElementId, Location};

    fn el(min: u32, max: MaxOccurs) -> Particle {
        Particle {
            min,
            max,
            term: Term::Element(ElementId(0)),
            location: Location::default(),
        }
    }

    fn seq(min: u32, max: MaxOccurs, inner: Particle) -> Particle {
        Particle {
            min,
            max,
            term: Term::Sequence(vec![inner]),
            location: Location::default(),
        }
    }

    fn occurs(p: &Particle) -> Option<(u32, MaxOccurs)> {
        let s = simplify(p);
        matches!(s.term, Term::Element(_)).then_some((s.min, s.max))
    }

    #[test]
    fn one_child_groups_collapse_only_when_exact() {
        use MaxOccurs::{Bounded as B, Unbounded as U};
        // (X)* = X*, (X?) = X?, (X+)+ = X+, (X?)* = X*, (X?){2,3} = X{0,3}
        assert_eq!(occurs(&seq(0, U, el(1, B(1)))), Some((0, U)));
        assert_eq!(occurs(&seq(1, B(1), el(0, B(1)))), Some((0, B(1))));
        assert_eq!(occurs(&seq(1, U, el(1, U))), Some((1, U)));
        assert_eq!(occurs(&seq(0, U, el(0, B(1)))), Some((0, U)));
        assert_eq!(occurs(&seq(2, B(3), el(0, B(1)))), Some((0, B(3))));
        // (X{2,2}){1,2} allows 2 or 4, not 3: kept as a group.
        assert_eq!(occurs(&seq(1, B(2), el(2, B(2)))), None);
        // Nested: ((X)) = X.
        assert_eq!(
            occurs(&seq(1, B(1), seq(1, B(1), el(1, B(1))))),
            Some((1, B(1)))
        );
    }
}
