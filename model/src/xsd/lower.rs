//! The lowering driver: registers every global component of every document, then lowers
//! elements, types and attributes into the IR, then runs the whole-schema checks.

use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node};

use super::diagnostics::Diags;
use super::names::{map_key, QName, Tables};
use super::type_derivation::SimpleDerivation;
use super::values::show;
use crate::ir::{
    AttributeUse, Blocked, ComplexType, ComplexTypeId, Content, ElementId, Facets, Schema,
    SimpleType, SimpleTypeId, Variety,
};
use crate::location::{FileId, Location};

/// One parsed schema document and its schema-wide settings.
pub(crate) struct Doc<'a, 'i> {
    /// The parsed document.
    pub doc: &'a Document<'i>,
    /// Its file.
    pub file: FileId,
    /// The target namespace its global components belong to.
    pub tns: Option<String>,
    /// Whether unqualified references mean `tns` (chameleon include).
    pub chameleon: bool,
    /// `elementFormDefault="qualified"`.
    pub elements_qualified: bool,
    /// `attributeFormDefault="qualified"`.
    pub attributes_qualified: bool,
    /// Byte offsets where the document's lines start (line 1 at index 0).
    pub line_starts: Vec<usize>,
    /// Whether each line is pure ASCII (columns are then byte differences).
    pub ascii_lines: Vec<bool>,
    /// The namespaces this document imports (`None`: an import without `namespace`).
    pub imports: Vec<Option<String>>,
}

/// Whether each line of `text` is pure ASCII.
pub(crate) fn ascii_lines(text: &str) -> Vec<bool> {
    text.split('\n').map(|l| l.is_ascii()).collect()
}

/// The byte offsets where the lines of `text` start.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Lowering progress of a complex type (derivation needs the base's effective content first).
#[derive(Clone, Copy, Debug)]
pub(crate) enum ComplexState<'a, 'i> {
    /// Named, reserved, not lowered yet.
    Pending(usize, Node<'a, 'i>),
    /// Being lowered (reaching it again means circular derivation).
    InProgress,
    /// Lowered.
    Done,
}

/// Everything the lowering works on.
pub(crate) struct Lowerer<'a, 'i> {
    /// The schema being built.
    pub schema: Schema,
    /// The documents, in file order.
    pub docs: Vec<Doc<'a, 'i>>,
    /// The global components by name.
    pub tables: Tables<'a, 'i>,
    /// Errors found so far.
    pub diags: Diags,
    /// Lowering progress, indexed by complex type id.
    pub complex_state: Vec<ComplexState<'a, 'i>>,
    /// The `xs:anyType` complex type, once created.
    pub any_type: Option<ComplexTypeId>,
    /// Named model groups being expanded (to detect circular groups).
    pub group_stack: Vec<QName>,
    /// Attribute groups being expanded (to detect circular attribute groups).
    pub attribute_group_stack: Vec<QName>,
    /// Global attribute declarations lowered so far (`None` while being lowered).
    pub global_attributes: HashMap<QName, Option<AttributeUse>>,
    /// Where each facet of a user simple type was written, for the whole-schema facet checks.
    pub facet_sites: HashMap<SimpleTypeId, Vec<(&'static str, Location)>>,
    /// Complex types whose `Content::Simple(xs:string)` stands for mixed content without a
    /// particle (not simpleContent): they can be extended with elements and restricted to
    /// simple content like any mixed type with emptiable content.
    pub mixed_empty: HashSet<ComplexTypeId>,
    /// Simple types of restrictions that must derive from the base's (checked after
    /// lowering, when every type's derivation is known).
    pub simple_derivations: Vec<SimpleDerivation>,
    /// Where each user simple type's base / item / member types were referenced.
    pub simple_ref_sites: HashMap<SimpleTypeId, Location>,
    /// Substitution groups: each head's direct members, in document order.
    pub substitutes: HashMap<ElementId, Vec<ElementId>>,
    /// Substitution groups: each member's head.
    pub heads: HashMap<ElementId, ElementId>,
    /// Substitution groups: where a `ref=` to a head with members was lowered (the particle's
    /// location), and the head; the post-pass prunes members the head blocks there.
    pub substitution_sites: HashMap<Location, ElementId>,
    /// Current nesting depth (see `limits`).
    pub depth: u32,
    /// Expansion work done so far (see `limits`).
    pub work: u64,
    /// Whether a limit was exceeded (reported once).
    pub limit_reported: bool,
    /// User simple types in a circular derivation (found by the simple type checks).
    pub circular_simple: HashSet<usize>,
    /// Each redefining component (document, node) and the name its original is registered
    /// under now.
    pub redefined: HashMap<(usize, roxmltree::NodeId), QName>,
    /// Named model groups expanded at least once.
    pub expanded_groups: HashSet<QName>,
    /// Attribute groups expanded at least once.
    pub expanded_attribute_groups: HashSet<QName>,
    /// Keyrefs whose `refer=` is resolved once every identity constraint is lowered.
    pub pending_refers: Vec<super::identity::PendingRefer>,
}

impl<'a, 'i> Lowerer<'a, 'i> {
    /// A lowerer over parsed documents.
    pub(crate) fn new(schema: Schema, docs: Vec<Doc<'a, 'i>>, diags: Diags) -> Self {
        Lowerer {
            schema,
            docs,
            tables: Tables::default(),
            diags,
            complex_state: Vec::new(),
            any_type: None,
            group_stack: Vec::new(),
            attribute_group_stack: Vec::new(),
            global_attributes: HashMap::new(),
            facet_sites: HashMap::new(),
            simple_derivations: Vec::new(),
            mixed_empty: HashSet::new(),
            simple_ref_sites: HashMap::new(),
            substitutes: HashMap::new(),
            heads: HashMap::new(),
            substitution_sites: HashMap::new(),
            pending_refers: Vec::new(),
            depth: 0,
            work: 0,
            limit_reported: false,
            circular_simple: HashSet::new(),
            redefined: HashMap::new(),
            expanded_groups: HashSet::new(),
            expanded_attribute_groups: HashSet::new(),
        }
    }

    /// Lower everything; the schema, or the diagnostics.
    pub(crate) fn run(mut self) -> (Schema, Diags) {
        self.schema.target_namespace = self.docs.first().and_then(|d| d.tns.clone());
        let work = self.register();
        self.register_substitution_groups(&work.members);
        for (d, node, id) in work.elements {
            self.lower_global_element(d, node, id);
        }
        self.inherit_head_types(&work.members);
        for id in work.complex {
            self.ensure_complex(id);
        }
        for (d, node, id) in work.simple {
            self.lower_simple_into(d, node, id);
        }
        for name in work.attributes {
            if let Some(decl) = self.global_attribute(&name) {
                self.schema.global_attributes.push(decl);
            }
        }
        self.check_substitution_types(&work.members);
        self.prune_blocked_substitutes();
        self.check_simple_types();
        self.check_final();
        self.check_id_attributes();
        self.check_element_values();
        self.check_unused_groups();
        self.resolve_identity_constraints();
        self.check_notation_uses();
        super::reorder::into_document_order(&mut self.schema);
        (self.schema, self.diags)
    }

    /// `attr` (`block`, `final`) on `node`, or else the `attrDefault` its schema document `d`
    /// sets on `xs:schema`.
    pub(crate) fn own_or_schema_default(
        &self,
        d: usize,
        node: Node<'a, 'i>,
        attr: &str,
    ) -> Option<&'a str> {
        node.attribute(attr).or_else(|| {
            self.docs.get(d).and_then(|doc| {
                doc.doc
                    .root_element()
                    .attribute(format!("{attr}Default").as_str())
            })
        })
    }

    /// The location of `node` in document `d`.
    pub(crate) fn loc(&self, d: usize, node: Node) -> Location {
        self.loc_at(d, node.range().start)
    }

    /// The location of byte `offset` in document `d` (through the document's line index).
    pub(crate) fn loc_at(&self, d: usize, offset: usize) -> Location {
        match self.docs.get(d) {
            Some(doc) => {
                let text = doc.doc.input_text();
                let line = doc.line_starts.partition_point(|&start| start <= offset);
                let line_start = doc
                    .line_starts
                    .get(line.saturating_sub(1))
                    .copied()
                    .unwrap_or(0);
                let offset = offset.min(text.len());
                let ascii = doc
                    .ascii_lines
                    .get(line.saturating_sub(1))
                    .copied()
                    .unwrap_or(false);
                let column = if ascii {
                    offset.saturating_sub(line_start)
                } else {
                    text.get(line_start..offset)
                        .map_or(0, |t| t.chars().count())
                };
                Location {
                    file: doc.file,
                    line: line as u32,
                    column: column as u32 + 1,
                }
            }
            None => Location::default(),
        }
    }

    /// Record an error at `node`.
    pub(crate) fn error_at(&mut self, d: usize, node: Node, message: impl Into<String>) {
        let at = self.loc(d, node);
        self.diags.error(at, message);
    }

    /// Report attributes of `node` that are not in `allowed` (nothing is silently ignored).
    pub(crate) fn check_attributes(&mut self, d: usize, node: Node, allowed: &[&str]) {
        for name in super::values::unknown_attributes(node, allowed) {
            let message = match super::values::placement_hint(node, name) {
                Some(hint) => format!("attribute '{name}' is not allowed here: {hint}"),
                None => format!("unknown attribute '{name}' on {}", show(node)),
            };
            self.error_at(d, node, message);
        }
    }

    /// The target namespace of document `d`.
    pub(crate) fn tns(&self, d: usize) -> Option<String> {
        self.docs.get(d).and_then(|doc| doc.tns.clone())
    }

    /// The schema's name-map key for a global component.
    pub(crate) fn key(&self, name: &QName) -> String {
        map_key(name, self.schema.target_namespace.as_deref())
    }

    /// Reserve a complex type slot.
    pub(crate) fn new_complex(
        &mut self,
        name: Option<String>,
        location: Location,
        state: ComplexState<'a, 'i>,
    ) -> ComplexTypeId {
        let id = self.schema.push_complex_type(ComplexType {
            name,
            content: Content::Empty,
            attributes: Vec::new(),
            any_attribute: None,
            derivation: None,
            is_abstract: false,
            block: Blocked::default(),
            documentation: Vec::new(),
            location,
        });
        self.complex_state.push(state);
        id
    }

    /// Reserve a simple type slot (filled in by the simple type lowering).
    pub(crate) fn new_simple(&mut self, name: Option<String>, location: Location) -> SimpleTypeId {
        self.schema.push_simple_type(SimpleType {
            name,
            builtin: None,
            variety: Variety::AnySimple,
            facets: Facets::default(),
            documentation: Vec::new(),
            location,
        })
    }

    /// Lower a named complex type if that has not happened yet. `false` when it is being
    /// lowered already (the caller derives from it: circular derivation).
    pub(crate) fn ensure_complex(&mut self, id: ComplexTypeId) -> bool {
        match self.complex_state.get(id.index()).copied() {
            Some(ComplexState::Pending(d, node)) => {
                self.complex_state[id.index()] = ComplexState::InProgress;
                self.lower_complex_into(d, node, id);
                self.complex_state[id.index()] = ComplexState::Done;
                true
            }
            Some(ComplexState::InProgress) => false,
            Some(ComplexState::Done) | None => true,
        }
    }
}
