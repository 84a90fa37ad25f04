//! XSD identity constraints (`xs:unique`, `xs:key`, `xs:keyref`) in the schema model: which
//! element declares them, the restricted XPath of their selector and fields (XSD 1.0 3.11.6)
//! with every name resolved to its namespace, and the key a keyref refers to.

use crate::ir::ElementId;
use crate::location::Location;

/// One identity constraint, declared on an element (its scope).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityConstraint {
    /// The constraint's name (`name=`).
    pub name: String,
    /// The target namespace of the schema document that declares it.
    pub namespace: Option<String>,
    /// The element declaration it belongs to.
    pub element: ElementId,
    /// Unique, key, or keyref (with the constraint it refers to).
    pub kind: IdentityKind,
    /// What the selector selects, relative to the scope element: any of these paths.
    pub selector: Vec<ConstraintPath>,
    /// The fields, in order; each is any of its paths, relative to a selected element.
    pub fields: Vec<Vec<ConstraintPath>>,
    /// Where it is written.
    pub location: Location,
}

/// The kind of an identity constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    /// `xs:unique`: the selected elements' key-sequences (where complete) are distinct.
    Unique,
    /// `xs:key`: every selected element has a complete key-sequence, and they are distinct.
    Key,
    /// `xs:keyref`: every complete key-sequence is one of the referred key's or unique's,
    /// which is `refer` (an index into `Schema::identity_constraints`).
    KeyRef {
        /// The referred constraint.
        refer: usize,
    },
}

impl IdentityKind {
    /// The XSD element name: `unique`, `key` or `keyref`.
    pub fn name(&self) -> &'static str {
        match self {
            IdentityKind::Unique => "unique",
            IdentityKind::Key => "key",
            IdentityKind::KeyRef { .. } => "keyref",
        }
    }
}

/// One path of the restricted XPath: `(.//)? step (/ step)*`, for a field optionally ending
/// in an attribute (`@name`). `.` steps are dropped; no steps is the context element itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintPath {
    /// Starts with `.//`: the steps may begin at any depth below the context element.
    pub descendants: bool,
    /// Child steps, outermost first.
    pub steps: Vec<NameTest>,
    /// A field's final attribute step.
    pub attribute: Option<NameTest>,
}

/// A name test of the restricted XPath.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameTest {
    /// `*`: any name.
    Any,
    /// `prefix:*`: any name in this namespace.
    AnyIn(Option<String>),
    /// A name in a namespace (unprefixed names are in no namespace).
    Name {
        /// The namespace.
        namespace: Option<String>,
        /// The local name.
        local: String,
    },
}

impl NameTest {
    /// Whether an element or attribute named `local` in `namespace` passes the test.
    pub fn matches(&self, namespace: Option<&str>, local: &str) -> bool {
        match self {
            NameTest::Any => true,
            NameTest::AnyIn(ns) => ns.as_deref() == namespace,
            NameTest::Name {
                namespace: ns,
                local: l,
            } => l == local && ns.as_deref() == namespace,
        }
    }
}

impl ConstraintPath {
    /// Whether the element path `names` (the elements below the context element, outermost
    /// first, ending with the element in question) is selected by this path's steps.
    pub fn matches_elements<'n>(
        &self,
        names: impl ExactSizeIterator<Item = (Option<&'n str>, &'n str)> + Clone,
    ) -> bool {
        let len = names.len();
        let steps = self.steps.len();
        if len < steps || (!self.descendants && len != steps) {
            return false;
        }
        names
            .skip(len - steps)
            .zip(&self.steps)
            .all(|((ns, local), test)| test.matches(ns, local))
    }
}

impl std::fmt::Display for NameTest {
    /// `*`, `{ns}*`, `local` or `{ns}local` (namespaces written out, as prefixes are gone).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameTest::Any => f.write_str("*"),
            NameTest::AnyIn(Some(ns)) => write!(f, "{{{ns}}}*"),
            NameTest::AnyIn(None) => f.write_str("{}*"),
            NameTest::Name {
                namespace: Some(ns),
                local,
            } => write!(f, "{{{ns}}}{local}"),
            NameTest::Name {
                namespace: None,
                local,
            } => f.write_str(local),
        }
    }
}

impl std::fmt::Display for ConstraintPath {
    /// The path in the restricted XPath syntax, names as [`NameTest`] shows them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = self.steps.iter().map(ToString::to_string).collect();
        if let Some(a) = &self.attribute {
            parts.push(format!("@{a}"));
        }
        let body = if parts.is_empty() {
            ".".to_string()
        } else {
            parts.join("/")
        };
        if self.descendants {
            write!(f, ".//{body}")
        } else {
            f.write_str(&body)
        }
    }
}

/// Alternatives joined with ` | `.
pub fn show_paths(paths: &[ConstraintPath]) -> String {
    paths
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" | ")
}
