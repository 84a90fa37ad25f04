//! A stable, human-readable text dump of a [`Schema`], for snapshots and `cargo xtask model`.
//!
//! The dump lists, in this order: the files read, schema documentation, global elements (with
//! anonymous types expanded inline), named complex types, named simple types, global
//! attributes, entities, notations, identity constraints and findings. Local elements appear inside the content
//! model of the type that owns them; named types and global elements are referenced by name,
//! so recursive schemas print finitely. Locations are `file:line:col` with the file's stable
//! display name.

use std::fmt::Write;

use crate::ir::*;
use crate::location::Location;

/// Render the dump of `schema`.
pub fn dump(schema: &Schema) -> String {
    let mut d = Dumper {
        schema,
        out: String::new(),
    };
    d.schema();
    d.out
}

struct Dumper<'a> {
    schema: &'a Schema,
    out: String,
}

impl Dumper<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn loc(&self, loc: Location) -> String {
        match self.schema.files.get(loc.file.0 as usize) {
            Some(f) => format!("{}:{}:{}", f.display, loc.line, loc.column),
            None => format!("<file {}>:{}:{}", loc.file.0, loc.line, loc.column),
        }
    }

    fn docs(&mut self, indent: usize, docs: &[String]) {
        for doc in docs {
            let text = format!("doc: {}", quote(doc));
            self.line(indent, &text);
        }
    }

    fn schema(&mut self) {
        let s = self.schema;
        let kind = match s.kind {
            SchemaKind::Dtd => "dtd",
            SchemaKind::Xsd => "xsd",
        };
        self.line(0, &format!("schema {kind}"));
        for (i, f) in s.files.iter().enumerate() {
            self.line(1, &format!("file {i}: {}", f.display));
        }
        if let Some(ns) = &s.target_namespace {
            self.line(1, &format!("target namespace: {ns}"));
        }
        if let Some(name) = &s.doctype_name {
            self.line(1, &format!("doctype: {name}"));
        }
        self.docs(1, &s.documentation);

        for (name, &id) in &s.globals {
            self.out.push('\n');
            let decl = s.element(id);
            let header = format!("element {name} @ {}", self.loc(decl.location));
            self.line(0, &header);
            self.element_body(1, decl);
        }
        for (name, &id) in &s.named_complex_types {
            self.out.push('\n');
            let ct = s.complex_type(id);
            let header = format!("complex type {name} @ {}", self.loc(ct.location));
            self.line(0, &header);
            self.complex_body(1, ct);
        }
        for (name, &id) in &s.named_simple_types {
            self.out.push('\n');
            let st = s.simple_type(id);
            let header = format!("simple type {name} @ {}", self.loc(st.location));
            self.line(0, &header);
            self.docs(1, &st.documentation);
            let def = self.simple_definition(id);
            self.line(1, &def);
        }
        if !s.global_attributes.is_empty() {
            self.out.push('\n');
            self.line(0, "global attributes");
            for attr in &s.global_attributes {
                self.attribute(1, attr);
            }
        }
        if !s.entities.is_empty() {
            self.out.push('\n');
            self.line(0, "entities");
            for e in s.entities.values() {
                let value = match &e.value {
                    EntityValue::Internal(text) => format!("internal {}", quote(text)),
                    EntityValue::External {
                        public_id,
                        system_id,
                        resolved,
                    } => format!(
                        "external{} system {}{}",
                        public_id
                            .as_ref()
                            .map(|p| format!(" public {}", quote(p)))
                            .unwrap_or_default(),
                        quote(system_id),
                        if resolved.is_some() {
                            " (local)"
                        } else {
                            " (unresolved)"
                        }
                    ),
                    EntityValue::Unparsed {
                        public_id,
                        system_id,
                        notation,
                    } => format!(
                        "unparsed{} system {} ndata {notation}",
                        public_id
                            .as_ref()
                            .map(|p| format!(" public {}", quote(p)))
                            .unwrap_or_default(),
                        quote(system_id)
                    ),
                };
                let ext = if e.external_declaration {
                    " [external declaration]"
                } else {
                    ""
                };
                let text = format!("{}: {value}{ext} @ {}", e.name, self.loc(e.location));
                self.line(1, &text);
            }
        }
        if !s.notations.is_empty() {
            self.out.push('\n');
            self.line(0, "notations");
            for n in s.notations.values() {
                let text = format!(
                    "{}: public {} system {} @ {}",
                    n.name,
                    n.public_id.as_deref().map(quote).unwrap_or("-".into()),
                    n.system_id.as_deref().map(quote).unwrap_or("-".into()),
                    self.loc(n.location)
                );
                self.line(1, &text);
            }
        }
        if !s.identity_constraints.is_empty() {
            self.out.push('\n');
            self.line(0, "identity constraints");
            for c in &s.identity_constraints {
                let element = s
                    .elements
                    .get(c.element.index())
                    .map_or("?", |e| e.name.as_str());
                let mut text = format!(
                    "{} {} on {element} @ {}: selector {}",
                    c.kind.name(),
                    c.name,
                    self.loc(c.location),
                    crate::identity::show_paths(&c.selector)
                );
                for field in &c.fields {
                    text.push_str(&format!("; field {}", crate::identity::show_paths(field)));
                }
                if let crate::identity::IdentityKind::KeyRef { refer } = c.kind {
                    let name = s
                        .identity_constraints
                        .get(refer)
                        .map_or("?", |r| r.name.as_str());
                    text.push_str(&format!("; refer {name}"));
                }
                self.line(1, &text);
            }
        }
        if !s.findings.is_empty() {
            self.out.push('\n');
            self.line(0, "findings");
            for f in &s.findings {
                let text = format!("[{}] {} @ {}", f.rule, f.message, self.loc(f.location));
                self.line(1, &text);
            }
        }
    }

    /// Body of an element declaration: flags, value constraint, docs and its type.
    fn element_body(&mut self, indent: usize, decl: &ElementDecl) {
        self.docs(indent, &decl.documentation);
        let mut flags = Vec::new();
        if decl.nillable {
            flags.push("nillable".to_string());
        }
        if decl.is_abstract {
            flags.push("abstract".to_string());
        }
        if let Some(b) = blocked(decl.block) {
            flags.push(b);
        }
        if let Some(ns) = &decl.namespace {
            flags.push(format!("namespace {ns}"));
        }
        match &decl.value_constraint {
            Some(ValueConstraint::Default(v)) => flags.push(format!("default {}", quote(v))),
            Some(ValueConstraint::Fixed(v)) => flags.push(format!("fixed {}", quote(v))),
            None => {}
        }
        if !flags.is_empty() {
            let text = format!("flags: {}", flags.join(", "));
            self.line(indent, &text);
        }
        match decl.ty {
            ElementType::Undeclared => {
                self.line(indent, "type: undeclared");
                let schema = self.schema;
                for attr in schema.undeclared_attributes_of(&decl.name) {
                    self.attribute(indent, attr);
                }
            }
            ElementType::Simple(id) => {
                let text = format!("type: {}", self.simple_ref(id));
                self.line(indent, &text);
            }
            ElementType::Complex(id) => {
                let ct = self.schema.complex_type(id);
                match &ct.name {
                    Some(name) => {
                        let text = format!("type: {name}");
                        self.line(indent, &text);
                    }
                    None => {
                        self.line(indent, "type: anonymous complex");
                        self.complex_body(indent + 1, ct);
                    }
                }
            }
        }
    }

    fn complex_body(&mut self, indent: usize, ct: &ComplexType) {
        self.docs(indent, &ct.documentation);
        if ct.is_abstract {
            self.line(indent, "abstract");
        }
        if let Some(b) = blocked(ct.block) {
            self.line(indent, &b);
        }
        if let Some(der) = ct.derivation {
            let method = der.method.keyword();
            let base = self.type_ref(der.base);
            self.line(indent, &format!("derivation: {method} of {base}"));
        }
        match &ct.content {
            Content::Empty => self.line(indent, "content: empty"),
            Content::Any => self.line(indent, "content: any"),
            Content::Simple(id) => {
                let text = format!("content: simple {}", self.simple_ref(*id));
                self.line(indent, &text);
            }
            Content::Elements { particle, mixed } => {
                self.line(
                    indent,
                    if *mixed {
                        "content: mixed"
                    } else {
                        "content: elements"
                    },
                );
                self.particle(indent + 1, particle);
            }
        }
        for attr in &ct.attributes {
            self.attribute(indent, attr);
        }
        if let Some(w) = &ct.any_attribute {
            let text = format!("anyAttribute {}", wildcard(w));
            self.line(indent, &text);
        }
    }

    fn attribute(&mut self, indent: usize, attr: &AttributeUse) {
        let use_ = match attr.use_ {
            AttributeUseKind::Required => "required",
            AttributeUseKind::Optional => "optional",
            AttributeUseKind::Prohibited => "prohibited",
        };
        let ty = match &attr.dtd_type {
            Some(t) => format!("{} ({})", dtd_type(t), self.simple_ref(attr.ty)),
            None => self.simple_ref(attr.ty),
        };
        let vc = match &attr.value_constraint {
            Some(ValueConstraint::Default(v)) => format!(" default {}", quote(v)),
            Some(ValueConstraint::Fixed(v)) => format!(" fixed {}", quote(v)),
            None => String::new(),
        };
        let ns = attr
            .namespace
            .as_ref()
            .map(|n| format!(" namespace {n}"))
            .unwrap_or_default();
        let text = format!(
            "attribute {}: {ty} {use_}{vc}{ns} @ {}",
            attr.name,
            self.loc(attr.location)
        );
        self.line(indent, &text);
        self.docs(indent + 1, &attr.documentation);
    }

    fn particle(&mut self, indent: usize, p: &Particle) {
        let occurs = occurs(p.min, p.max);
        match &p.term {
            Term::Element(id) => {
                let decl = self.schema.element(*id);
                match decl.scope {
                    ElementScope::Global => {
                        let text = format!("element {}{occurs} (global)", decl.name);
                        self.line(indent, &text);
                    }
                    ElementScope::Local(_) => {
                        let text = format!(
                            "element {}{occurs} (local) @ {}",
                            decl.name,
                            self.loc(decl.location)
                        );
                        self.line(indent, &text);
                        self.element_body(indent + 1, decl);
                    }
                }
            }
            Term::Sequence(children) | Term::Choice(children) | Term::All(children) => {
                let kind = match &p.term {
                    Term::Sequence(_) => "sequence",
                    Term::Choice(_) => "choice",
                    _ => "all",
                };
                self.line(indent, &format!("{kind}{occurs}"));
                for c in children {
                    self.particle(indent + 1, c);
                }
            }
            Term::Any(w) => {
                let text = format!("any{occurs} {}", wildcard(w));
                self.line(indent, &text);
            }
        }
    }

    fn type_ref(&self, t: TypeRef) -> String {
        match t {
            TypeRef::Simple(id) => self.simple_ref(id),
            TypeRef::Complex(id) => match &self.schema.complex_type(id).name {
                Some(n) => n.clone(),
                None => format!("anonymous complex #{}", id.0),
            },
        }
    }

    /// A simple type as referenced: `xs:long`, a user name, or an inline anonymous definition.
    fn simple_ref(&self, id: SimpleTypeId) -> String {
        let st = self.schema.simple_type(id);
        match (&st.builtin, &st.name) {
            (Some(b), _) => format!("xs:{}", b.name()),
            (None, Some(name)) => name.clone(),
            (None, None) => format!("({})", self.simple_definition(id)),
        }
    }

    /// The definition of a simple type: variety, base, facets.
    fn simple_definition(&self, id: SimpleTypeId) -> String {
        let st = self.schema.simple_type(id);
        let mut s = match &st.variety {
            Variety::AnySimple => "anySimpleType".to_string(),
            Variety::Restriction { base } => format!("restriction of {}", self.simple_ref(*base)),
            Variety::List { item } => format!("list of {}", self.simple_ref(*item)),
            Variety::Union { members } => format!(
                "union of {}",
                members
                    .iter()
                    .map(|m| self.simple_ref(*m))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
        };
        let f = &st.facets;
        let mut parts = Vec::new();
        let mut num = |name: &str, v: &Option<u64>| {
            if let Some(v) = v {
                parts.push(format!("{name} {v}"));
            }
        };
        num("length", &f.length);
        num("minLength", &f.min_length);
        num("maxLength", &f.max_length);
        for (name, v) in [
            ("minInclusive", &f.min_inclusive),
            ("minExclusive", &f.min_exclusive),
            ("maxInclusive", &f.max_inclusive),
            ("maxExclusive", &f.max_exclusive),
        ] {
            if let Some(v) = v {
                parts.push(format!("{name} {}", quote(v)));
            }
        }
        if let Some(v) = f.total_digits {
            parts.push(format!("totalDigits {v}"));
        }
        if let Some(v) = f.fraction_digits {
            parts.push(format!("fractionDigits {v}"));
        }
        if let Some(ws) = f.white_space {
            parts.push(format!("whiteSpace {}", ws.keyword()));
        }
        for p in &f.patterns {
            parts.push(format!("pattern {}", quote(p)));
        }
        if !f.enumeration.is_empty() {
            parts.push(format!(
                "enumeration [{}]",
                f.enumeration
                    .iter()
                    .map(|v| quote(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !f.fixed.is_empty() {
            parts.push(format!("fixed facets [{}]", f.fixed.join(", ")));
        }
        if !parts.is_empty() {
            let _ = write!(s, "; {}", parts.join("; "));
        }
        s
    }
}

fn occurs(min: u32, max: MaxOccurs) -> String {
    match (min, max) {
        (1, MaxOccurs::Bounded(1)) => String::new(),
        (min, MaxOccurs::Bounded(max)) => format!(" [{min}..{max}]"),
        (min, MaxOccurs::Unbounded) => format!(" [{min}..*]"),
    }
}

fn wildcard(w: &Wildcard) -> String {
    let ns = match &w.namespaces {
        NamespaceConstraint::Any => "##any".to_string(),
        NamespaceConstraint::Not(ns) => format!("not {}", ns.as_deref().unwrap_or("##local")),
        NamespaceConstraint::List(list) => list
            .iter()
            .map(|n| n.as_deref().unwrap_or("##local").to_string())
            .collect::<Vec<_>>()
            .join(" "),
    };
    format!("namespace {ns} process {}", w.process_contents.keyword())
}

fn dtd_type(t: &DtdAttributeType) -> String {
    match t {
        DtdAttributeType::Cdata => "CDATA".into(),
        DtdAttributeType::Id => "ID".into(),
        DtdAttributeType::IdRef => "IDREF".into(),
        DtdAttributeType::IdRefs => "IDREFS".into(),
        DtdAttributeType::Entity => "ENTITY".into(),
        DtdAttributeType::Entities => "ENTITIES".into(),
        DtdAttributeType::NmToken => "NMTOKEN".into(),
        DtdAttributeType::NmTokens => "NMTOKENS".into(),
        DtdAttributeType::Notation(v) => format!("NOTATION ({})", v.join("|")),
        DtdAttributeType::Enumeration(v) => format!("({})", v.join("|")),
    }
}

/// Quote a string for the dump: double quotes, with `\`, `"`, newlines and tabs escaped.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `block extension restriction`, or `None` when nothing is blocked.
fn blocked(b: Blocked) -> Option<String> {
    let names = b.names();
    (!names.is_empty()).then(|| format!("block {}", names.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{FileId, SourceFile};

    fn loc(line: u32) -> Location {
        Location {
            file: FileId(0),
            line,
            column: 1,
        }
    }

    /// A hand-built schema covering globals, a local element, attributes and a named simple type.
    #[test]
    fn dumps_hand_built_schema() {
        let mut s = Schema::new(SchemaKind::Xsd, SourceFile::new("t.xsd", "t.xsd"));
        let pattern = s.push_simple_type(SimpleType {
            name: Some("uniqueId".into()),
            builtin: None,
            variety: Variety::Restriction {
                base: Builtin::String.id(),
            },
            facets: Facets {
                patterns: vec!["[a-f0-9]{8}".into()],
                ..Facets::default()
            },
            documentation: vec![],
            location: loc(2),
        });
        s.named_simple_types.insert("uniqueId".into(), pattern);
        let ct = s.push_complex_type(ComplexType {
            name: None,
            content: Content::Empty,
            attributes: vec![],
            any_attribute: None,
            derivation: None,
            is_abstract: false,
            block: Blocked::default(),
            documentation: vec![],
            location: loc(3),
        });
        let local = s.push_element(ElementDecl {
            name: "uniqueId".into(),
            namespace: None,
            scope: ElementScope::Local(ct),
            ty: ElementType::Simple(pattern),
            nillable: false,
            is_abstract: false,
            block: Blocked::default(),
            value_constraint: None,
            documentation: vec!["The id.".into()],
            location: loc(4),
        });
        s.complex_types[ct.index()].content = Content::Elements {
            particle: Particle {
                min: 0,
                max: MaxOccurs::Unbounded,
                term: Term::Sequence(vec![Particle {
                    min: 0,
                    max: MaxOccurs::Bounded(1),
                    term: Term::Element(local),
                    location: loc(4),
                }]),
                location: loc(3),
            },
            mixed: false,
        };
        s.complex_types[ct.index()].attributes.push(AttributeUse {
            name: "operator".into(),
            namespace: None,
            ty: Builtin::String.id(),
            dtd_type: None,
            use_: AttributeUseKind::Required,
            value_constraint: Some(ValueConstraint::Default("EQUALS".into())),
            documentation: vec![],
            location: loc(5),
        });
        let root = s.push_element(ElementDecl {
            name: "Finding".into(),
            namespace: None,
            scope: ElementScope::Global,
            ty: ElementType::Complex(ct),
            nillable: true,
            is_abstract: false,
            block: Blocked::default(),
            value_constraint: None,
            documentation: vec![],
            location: loc(1),
        });
        s.globals.insert("Finding".into(), root);
        let expected = "\
schema xsd
  file 0: t.xsd

element Finding @ t.xsd:1:1
  flags: nillable
  type: anonymous complex
    content: elements
      sequence [0..*]
        element uniqueId [0..1] (local) @ t.xsd:4:1
          doc: \"The id.\"
          type: uniqueId
    attribute operator: xs:string required default \"EQUALS\" @ t.xsd:5:1

simple type uniqueId @ t.xsd:2:1
  restriction of xs:string; pattern \"[a-f0-9]{8}\"
";
        assert_eq!(dump(&s), expected);
    }
}
