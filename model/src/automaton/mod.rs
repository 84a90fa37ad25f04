//! Content models compiled into deterministic automata.
//!
//! A [`Particle`] is compiled with the Glushkov construction: the positions are the element and
//! wildcard leaves, and the transitions are the "follow" pairs of the particle tree. Bounded
//! repeats are not unrolled: every particle whose occurrence range is not one of `?`, `1`, `*`,
//! `+` gets a COUNTER, checked when the particle loops back (`count < max`) and when it is left
//! (`count >= min`, unless its term can match nothing). `xs:all` (only as the whole content model,
//! as XSD 1.0 requires) is a bitset of the children seen.
//!
//! Determinism: the XML 1.0 compatibility rule for DTD content models and XSD's Unique Particle
//! Attribution are the same check on the Glushkov automaton: from no state may two different
//! positions accept the same name. [`ContentAutomaton::ambiguities`] lists violations and
//! [`add_determinism_findings`] records them on a [`Schema`]. An ambiguous automaton still
//! validates correctly: the runtime [`State`] tracks every live configuration.
//!
//! [`compare_languages`] compares the element-name languages of two content models (schema diff).

mod determinism;
mod glushkov;
mod language;
mod runtime;

pub use determinism::{
    add_determinism_findings, RULE as NON_DETERMINISTIC_RULE,
    RULE_UNCOMPILABLE as INVALID_CONTENT_MODEL_RULE,
};
pub use language::{compare_languages, LanguageRelation, COUNT_CAP};
pub use runtime::{Expected, ExpectedItem, Match, State};

use crate::ir::{ElementId, Particle, Schema, Wildcard};
use crate::location::Location;

/// A compiled content model.
#[derive(Clone, Debug)]
pub struct ContentAutomaton {
    pub(crate) kind: Kind,
    ambiguities: Vec<Ambiguity>,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Glushkov(glushkov::Glushkov),
    All(glushkov::AllGroup),
}

/// What a position (a leaf of the content model) matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Symbol {
    /// An element with this name and namespace.
    Element {
        /// The declaration.
        id: ElementId,
        /// Its name (verbatim, DTD names may contain a colon).
        name: String,
        /// Its namespace.
        namespace: Option<String>,
    },
    /// A wildcard.
    Wildcard(Wildcard),
}

impl Symbol {
    /// Whether an element `name` in `namespace` matches this symbol.
    pub fn matches(&self, name: &str, namespace: Option<&str>) -> bool {
        match self {
            Symbol::Element {
                name: n,
                namespace: ns,
                ..
            } => n == name && ns.as_deref() == namespace,
            Symbol::Wildcard(w) => wildcard_allows(w, namespace),
        }
    }

    /// Short display: `name`, `{ns}name`, or `##any`-style wildcard text.
    pub fn display(&self) -> String {
        match self {
            Symbol::Element {
                name, namespace, ..
            } => match namespace {
                Some(ns) => format!("{{{ns}}}{name}"),
                None => name.clone(),
            },
            Symbol::Wildcard(w) => display_wildcard(w),
        }
    }
}

/// Whether a wildcard admits an element or attribute in `namespace`.
pub fn wildcard_allows(w: &Wildcard, namespace: Option<&str>) -> bool {
    use crate::ir::NamespaceConstraint as N;
    match &w.namespaces {
        N::Any => true,
        N::Not(excluded) => namespace.is_some() && namespace != excluded.as_deref(),
        N::List(list) => list.iter().any(|n| n.as_deref() == namespace),
    }
}

/// `##any`, `##other`, or the namespace list of a wildcard (`{urn:x}* ##local`), for messages.
pub fn display_wildcard(w: &Wildcard) -> String {
    use crate::ir::NamespaceConstraint as N;
    match &w.namespaces {
        N::Any => "##any".to_string(),
        N::Not(_) => "##other".to_string(),
        N::List(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|n| match n {
                    Some(ns) => format!("{{{ns}}}*"),
                    None => "##local".to_string(),
                })
                .collect();
            items.join(" ")
        }
    }
}

/// Two positions of a content model that compete for the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ambiguity {
    /// The name both positions accept (`{ns}name`, or a wildcard's namespaces).
    pub name: String,
    /// The first position's particle location.
    pub first: Location,
    /// The second position's particle location.
    pub second: Location,
}

/// Why a content model cannot be compiled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AutomatonError {
    /// What is wrong.
    pub message: String,
    /// The particle at fault.
    pub location: Location,
}

impl ContentAutomaton {
    /// Compile `particle` (element ids resolved in `schema`).
    pub fn compile(
        schema: &Schema,
        particle: &Particle,
    ) -> Result<ContentAutomaton, AutomatonError> {
        let kind = glushkov::build(schema, particle)?;
        let ambiguities = determinism::find_ambiguities(&kind);
        Ok(ContentAutomaton { kind, ambiguities })
    }

    /// The violations of the determinism rule (empty for a deterministic model).
    pub fn ambiguities(&self) -> &[Ambiguity] {
        &self.ambiguities
    }

    /// Every position (leaf) of the model, in document order.
    pub fn positions(&self) -> &[Symbol] {
        match &self.kind {
            Kind::Glushkov(g) => g.symbols(),
            Kind::All(a) => a.symbols(),
        }
    }
}
