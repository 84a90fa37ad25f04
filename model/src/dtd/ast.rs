//! What the declaration parsers produce: element and attribute-list declarations as written,
//! before they are lowered into the IR.

use crate::ir::{DtdAttributeType, MaxOccurs};
use crate::location::Location;

/// A parsed `<!ELEMENT>` or `<!ATTLIST>` declaration.
#[derive(Clone, Debug)]
pub(crate) enum Decl {
    /// `<!ELEMENT>`.
    Element(ElementAst),
    /// `<!ATTLIST>`.
    Attlist(AttlistAst),
}

/// `<!ELEMENT name contentspec>`.
#[derive(Clone, Debug)]
pub(crate) struct ElementAst {
    /// Element type name.
    pub name: String,
    /// The content specification.
    pub content: ContentSpec,
    /// Location of the `<!`.
    pub location: Location,
    /// Comments directly before the declaration.
    pub documentation: Vec<String>,
}

/// A content specification.
#[derive(Clone, Debug)]
pub(crate) enum ContentSpec {
    /// `EMPTY`.
    Empty,
    /// `ANY`.
    Any,
    /// `(#PCDATA)` or `(#PCDATA|a|b)*`: the names with their locations, and the group's location.
    Mixed {
        /// The element names after `#PCDATA`.
        names: Vec<(String, Location)>,
        /// Location of the `(`.
        location: Location,
    },
    /// A children content model.
    Children(Cp),
}

/// A content particle: a name or a group, with its occurrence indicator.
#[derive(Clone, Debug)]
pub(crate) struct Cp {
    /// What it is.
    pub kind: CpKind,
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs`.
    pub max: MaxOccurs,
    /// Location of the name or the `(`.
    pub location: Location,
}

/// The term of a content particle.
#[derive(Clone, Debug)]
pub(crate) enum CpKind {
    /// An element name.
    Name(String),
    /// `(a, b)` (also a group with one particle).
    Seq(Vec<Cp>),
    /// `(a | b)`.
    Choice(Vec<Cp>),
}

/// `<!ATTLIST element attdefs>`.
#[derive(Clone, Debug)]
pub(crate) struct AttlistAst {
    /// Element type name.
    pub element: String,
    /// The attribute definitions, in order.
    pub attributes: Vec<AttDefAst>,
    /// Location of the `<!`.
    pub location: Location,
    /// Comments directly before the declaration.
    pub documentation: Vec<String>,
}

/// One attribute definition.
#[derive(Clone, Debug)]
pub(crate) struct AttDefAst {
    /// Attribute name.
    pub name: String,
    /// Declared type.
    pub ty: DtdAttributeType,
    /// Default declaration (values attribute-value-normalized for the type).
    pub default: DefaultDecl,
    /// Location of the attribute name.
    pub location: Location,
    /// Location of the default value literal (for findings).
    pub default_location: Location,
}

/// A default declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DefaultDecl {
    /// `#REQUIRED`.
    Required,
    /// `#IMPLIED`.
    Implied,
    /// `#FIXED "v"`.
    Fixed(String),
    /// `"v"`.
    Default(String),
}
