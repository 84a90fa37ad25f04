//! Registration: every top-level component of every document is entered under its
//! expanded name (ids reserved for elements and types, so references can be resolved before
//! the referenced component is lowered); duplicates and misplaced top-level content are
//! reported. Also checks the `xs:schema` element itself.

use roxmltree::Node;

use super::lower::{ComplexState, Lowerer};
use super::names::{Def, QName};
use super::values::{is_ncname, show, xsd_name};
use crate::ir::{
    Blocked, ComplexTypeId, ElementDecl, ElementId, ElementScope, ElementType, NotationDecl,
    SimpleTypeId, TypeRef,
};
use crate::location::Location;

/// The message for an attribute declaration named `xmlns`.
pub(crate) const XMLNS_NAME: &str =
    "an attribute cannot be named 'xmlns': that name declares a namespace (no-xmlns)";

impl<'a, 'i> Lowerer<'a, 'i> {
    /// Register every top-level component of every document under its name.
    pub(crate) fn register(&mut self) -> Work<'a, 'i> {
        let mut work = Work::default();
        let mut redefines = Vec::new();
        for d in 0..self.docs.len() {
            let root = self.docs[d].doc.root_element();
            self.check_schema_element(d, root);
            self.check_content_order(d, root);
            let docs = self.documentation(d, root);
            self.schema.documentation.extend(docs);
            for child in root.children() {
                if !child.is_element() {
                    continue;
                }
                let kind = xsd_name(child).unwrap_or("");
                match kind {
                    "include" | "import" => {
                        self.check_attributes(d, child, &["id", "schemaLocation", "namespace"]);
                        continue;
                    }
                    "redefine" => {
                        self.check_attributes(d, child, &["id", "schemaLocation"]);
                        redefines.push((d, child));
                        continue;
                    }
                    "annotation" => continue,
                    "element" | "complexType" | "simpleType" | "attribute" | "attributeGroup"
                    | "group" | "notation" => {}
                    _ => {
                        self.error_at(
                            d,
                            child,
                            format!("unexpected {} in <xs:schema>", show(child)),
                        );
                        continue;
                    }
                }
                self.register_component(d, child, kind, &mut work);
            }
        }
        self.register_redefinitions(&redefines, &mut work);
        work
    }

    /// Register one named top-level component (`kind` is its XSD element name).
    pub(crate) fn register_component(
        &mut self,
        d: usize,
        child: Node<'a, 'i>,
        kind: &str,
        work: &mut Work<'a, 'i>,
    ) {
        let location = self.loc(d, child);
        if child.has_attribute("ref") {
            self.error_at(
                d,
                child,
                format!(
                    "a top-level {} cannot have ref=; it must have a name",
                    show(child)
                ),
            );
            return;
        }
        let Some(name) = child.attribute("name").map(str::trim) else {
            self.error_at(
                d,
                child,
                format!("a top-level {} needs a name attribute", show(child)),
            );
            return;
        };
        if !is_ncname(name) {
            self.error_at(d, child, format!("name '{name}' is not a valid NCName"));
            return;
        }
        let qname: QName = (self.tns(d), name.to_string());
        let def = Def {
            doc: d,
            node: child,
            location,
        };
        let key = self.key(&qname);
        match kind {
            "element" => {
                if let Some(first) = self.tables.elements.get(&qname).map(|e| e.0.location) {
                    self.duplicate(location, "element", name, first);
                    return;
                }
                let id = self.schema.push_element(ElementDecl {
                    name: name.to_string(),
                    namespace: qname.0.clone(),
                    scope: ElementScope::Global,
                    ty: ElementType::Undeclared,
                    nillable: false,
                    is_abstract: false,
                    block: Blocked::default(),
                    value_constraint: None,
                    documentation: Vec::new(),
                    location,
                });
                self.tables.elements.insert(qname, (def, id));
                self.schema.globals.insert(key, id);
                work.elements.push((d, child, id));
                if child.has_attribute("substitutionGroup") {
                    work.members.push((d, child, id));
                }
            }
            "complexType" | "simpleType" => {
                if let Some(first) = self.tables.types.get(&qname).map(|e| e.0.location) {
                    self.duplicate(location, "type", name, first);
                    return;
                }
                let ty = if kind == "complexType" {
                    let id = self.new_complex(
                        Some(name.to_string()),
                        location,
                        ComplexState::Pending(d, child),
                    );
                    self.schema.named_complex_types.insert(key, id);
                    work.complex.push(id);
                    TypeRef::Complex(id)
                } else {
                    let id = self.new_simple(Some(name.to_string()), location);
                    self.schema.named_simple_types.insert(key, id);
                    work.simple.push((d, child, id));
                    TypeRef::Simple(id)
                };
                self.tables
                    .type_namespaces
                    .entry(qname.1.clone())
                    .or_insert_with(|| qname.0.clone());
                self.tables.types.insert(qname, (def, ty));
            }
            "attribute" => {
                if name == "xmlns" {
                    self.error_at(d, child, XMLNS_NAME);
                }
                if let Some(first) = self.tables.attributes.get(&qname).map(|e| e.location) {
                    self.duplicate(location, "attribute", name, first);
                    return;
                }
                self.tables.attributes.insert(qname.clone(), def);
                work.attributes.push(qname);
            }
            "attributeGroup" => {
                if let Some(first) = self.tables.attribute_groups.get(&qname).map(|e| e.location) {
                    self.duplicate(location, "attribute group", name, first);
                    return;
                }
                self.tables.attribute_groups.insert(qname, def);
            }
            "group" => {
                if let Some(first) = self.tables.groups.get(&qname).map(|e| e.location) {
                    self.duplicate(location, "model group", name, first);
                    return;
                }
                self.tables.groups.insert(qname, def);
            }
            _ => self.register_notation(d, child, name, location),
        }
    }

    /// Check the attributes of an `xs:schema` element, and that no XSD element of the
    /// document holds text (outside `xs:documentation` and `xs:appinfo`).
    fn check_schema_element(&mut self, d: usize, root: Node<'a, 'i>) {
        self.check_attributes(
            d,
            root,
            &[
                "id",
                "version",
                "targetNamespace",
                "elementFormDefault",
                "attributeFormDefault",
                "blockDefault",
                "finalDefault",
            ],
        );
        for attribute in ["elementFormDefault", "attributeFormDefault"] {
            if let Some(v) = root.attribute(attribute) {
                if !matches!(v.trim(), "qualified" | "unqualified") {
                    self.error_at(
                        d,
                        root,
                        format!("{attribute}=\"{v}\" must be qualified or unqualified"),
                    );
                }
            }
        }
        for node in root.descendants() {
            let Some(text) = node
                .text()
                .filter(|t| node.is_text() && !t.trim().is_empty())
            else {
                continue;
            };
            let Some(parent) = node.parent_element() else {
                continue;
            };
            if parent
                .ancestors()
                .any(|a| matches!(xsd_name(a), Some("documentation" | "appinfo")))
            {
                continue;
            }
            let skip = text.len() - text.trim_start().len();
            let at = self.loc_at(d, node.range().start + skip);
            self.diags
                .error(at, format!("unexpected text in {}", show(parent)));
        }
    }

    fn register_notation(&mut self, d: usize, node: Node, name: &str, location: Location) {
        self.check_attributes(d, node, &["id", "name", "public", "system"]);
        if let Some(first) = self.schema.notations.get(name).map(|n| n.location) {
            self.duplicate(location, "notation", name, first);
            return;
        }
        self.schema.notations.insert(
            name.to_string(),
            NotationDecl {
                name: name.to_string(),
                public_id: node.attribute("public").map(str::to_string),
                system_id: node.attribute("system").map(str::to_string),
                location,
            },
        );
    }

    fn duplicate(&mut self, at: Location, what: &str, name: &str, first: Location) {
        let first = self.schema.display_location(first);
        self.diags.error(
            at,
            format!("duplicate global {what} '{name}' (first defined at {first})"),
        );
    }
}

/// The global components to lower, in document order.
#[derive(Default)]
pub(crate) struct Work<'a, 'i> {
    /// Top-level elements.
    pub elements: Vec<(usize, Node<'a, 'i>, ElementId)>,
    /// Named complex types.
    pub complex: Vec<ComplexTypeId>,
    /// Named simple types.
    pub simple: Vec<(usize, Node<'a, 'i>, SimpleTypeId)>,
    /// Top-level attributes.
    pub attributes: Vec<QName>,
    /// Top-level elements with a `substitutionGroup`.
    pub members: Vec<(usize, Node<'a, 'i>, ElementId)>,
}
