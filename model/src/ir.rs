//! The neutral schema model (the IR) that both front ends lower into.
//!
//! Everything is stored in arenas indexed by small copyable ids. Names are
//! resolved once, by the front end that builds the [`Schema`]; consumers never
//! look a name up again except through the `globals`/`named_*` maps.
//! The model holds no parser nodes and does no I/O.

use indexmap::IndexMap;

use crate::location::{FileId, Location, SourceFile};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The arena index of this id.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of an [`ElementDecl`] in [`Schema::elements`].
    ElementId
);
id_type!(
    /// Index of a [`ComplexType`] in [`Schema::complex_types`].
    ComplexTypeId
);
id_type!(
    /// Index of a [`SimpleType`] in [`Schema::simple_types`].
    SimpleTypeId
);

/// Which front end produced a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    /// An XML 1.0 DTD (external subset, possibly with a document's internal subset).
    Dtd,
    /// A W3C XML Schema 1.0 document (with its includes/imports).
    Xsd,
}

/// One loaded schema: a DTD or an XSD with everything it includes, fully resolved.
#[derive(Clone, Debug)]
pub struct Schema {
    /// DTD or XSD.
    pub kind: SchemaKind,
    /// Every source file read while loading, indexed by [`FileId`]. File 0 is the entry file.
    pub files: Vec<SourceFile>,
    /// Target namespace of an XSD (`None` for no-namespace schemas and DTDs).
    pub target_namespace: Option<String>,
    /// Every element declaration (global and local), in document order.
    pub elements: Vec<ElementDecl>,
    /// Global elements by name: every DTD element, and every top-level `xs:element`.
    pub globals: IndexMap<String, ElementId>,
    /// Every complex type (named and anonymous), in document order.
    pub complex_types: Vec<ComplexType>,
    /// Named complex types by name.
    pub named_complex_types: IndexMap<String, ComplexTypeId>,
    /// Every simple type: first the XSD built-ins (see [`Builtin`]), then named and anonymous
    /// user types in document order.
    pub simple_types: Vec<SimpleType>,
    /// Named user simple types by name (built-ins are found with [`Schema::builtin`]).
    pub named_simple_types: IndexMap<String, SimpleTypeId>,
    /// Top-level `xs:attribute` declarations of an XSD, in document order (empty for DTDs).
    /// References to them are already inlined into the complex types' attribute uses; they
    /// are kept for the attributes a `processContents="strict"` or `"lax"` `xs:anyAttribute`
    /// admits, which are validated against the global declaration of their name.
    pub global_attributes: Vec<AttributeUse>,
    /// DTDs: the attributes `<!ATTLIST>` lists for element types that are never declared
    /// (their elements are [`ElementType::Undeclared`]), by element name, in declaration
    /// order. XML 1.0 allows such lists; the validator checks those elements' attributes against
    /// them (the element itself is reported undeclared), and the diff and the dump show them.
    pub undeclared_attributes: IndexMap<String, Vec<AttributeUse>>,
    /// DTD general entities by name (first declaration wins, as XML 1.0 says).
    pub entities: IndexMap<String, EntityDecl>,
    /// DTD notations by name.
    pub notations: IndexMap<String, NotationDecl>,
    /// The document type name (`<!DOCTYPE NAME ...>`) when the DTD came with a document,
    /// or the root element a schema's manifest names.
    pub doctype_name: Option<String>,
    /// DTDs: whether the DTD references a parameter entity (declared or not). A document whose
    /// DTD does is not held to XML 1.0's WFC: Entity Declared (an undeclared general entity is
    /// then a validity error).
    pub references_parameter_entities: bool,
    /// Declaration-level validity findings (duplicate ID attributes, non-deterministic
    /// content models, undeclared references...). Loading still succeeded; the validator
    /// reports these when it validates against this schema.
    pub findings: Vec<Finding>,
    /// Documentation attached to the schema as a whole (the leading comment of a DTD,
    /// `xs:schema/xs:annotation`).
    pub documentation: Vec<String>,
    /// XSD identity constraints (`xs:unique`, `xs:key`, `xs:keyref`) of every element
    /// declaration, in document order (empty for DTDs).
    pub identity_constraints: Vec<crate::identity::IdentityConstraint>,
}

/// Scope of an element declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElementScope {
    /// A DTD element or a top-level `xs:element`.
    Global,
    /// A local `xs:element` inside the complex type given.
    Local(ComplexTypeId),
}

/// An element declaration.
#[derive(Clone, Debug)]
pub struct ElementDecl {
    /// Local name (DTD names may contain a colon; they are kept verbatim).
    pub name: String,
    /// Namespace of the element (the XSD target namespace when qualified), `None` otherwise.
    pub namespace: Option<String>,
    /// Global or local.
    pub scope: ElementScope,
    /// The element's type.
    pub ty: ElementType,
    /// `nillable="true"`.
    pub nillable: bool,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// XSD `block` (or the schema document's `blockDefault`): the derivations an `xsi:type`
    /// on this element may not use, and whether substitution is blocked. Empty for DTDs.
    pub block: Blocked,
    /// `default=` or `fixed=` value constraint on the element's text.
    pub value_constraint: Option<ValueConstraint>,
    /// Documentation (`xs:documentation`, or the DTD comments directly before the declaration).
    pub documentation: Vec<String>,
    /// Where the declaration is.
    pub location: Location,
}

/// The type of an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElementType {
    /// A complex type (content model plus attributes).
    Complex(ComplexTypeId),
    /// A simple type: text only, no attributes.
    Simple(SimpleTypeId),
    /// A DTD element that is referenced (in a content model or as the DOCTYPE name) but never
    /// declared. Validating such an element is an error.
    Undeclared,
}

impl ElementType {
    /// The type as a [`TypeRef`] (`None` for an undeclared DTD element).
    pub fn type_ref(self) -> Option<TypeRef> {
        match self {
            ElementType::Complex(c) => Some(TypeRef::Complex(c)),
            ElementType::Simple(s) => Some(TypeRef::Simple(s)),
            ElementType::Undeclared => None,
        }
    }
}

/// A complex type: content plus attributes.
#[derive(Clone, Debug)]
pub struct ComplexType {
    /// Name of a named type; `None` for anonymous types (and for every DTD element's type).
    pub name: Option<String>,
    /// The effective content (after applying extension/restriction of the base).
    pub content: Content,
    /// The effective attribute uses (after attribute groups and derivation), in declaration order.
    pub attributes: Vec<AttributeUse>,
    /// `xs:anyAttribute`, effective after derivation.
    pub any_attribute: Option<Wildcard>,
    /// How this type was derived, if it was.
    pub derivation: Option<Derivation>,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// XSD `block` (or `blockDefault`): the derivations an `xsi:type` may not use to stand in
    /// for this type (`substitution` does not apply to types).
    pub block: Blocked,
    /// Documentation.
    pub documentation: Vec<String>,
    /// Where the type is defined.
    pub location: Location,
}

/// The derivations an XSD `block` attribute names (`#all`: all three).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Blocked {
    /// `extension`.
    pub extension: bool,
    /// `restriction`.
    pub restriction: bool,
    /// `substitution` (element declarations only).
    pub substitution: bool,
}

impl Blocked {
    /// Parse the value of a `block` (or `blockDefault`) attribute; unknown tokens are ignored
    /// (the front end reports them).
    pub fn parse(value: &str) -> Blocked {
        let mut b = Blocked::default();
        for token in value.split_whitespace() {
            match token {
                "#all" => {
                    b = Blocked {
                        extension: true,
                        restriction: true,
                        substitution: true,
                    }
                }
                "extension" => b.extension = true,
                "restriction" => b.restriction = true,
                "substitution" => b.substitution = true,
                _ => {}
            }
        }
        b
    }

    /// Both sets together.
    pub fn union(self, other: Blocked) -> Blocked {
        Blocked {
            extension: self.extension || other.extension,
            restriction: self.restriction || other.restriction,
            substitution: self.substitution || other.substitution,
        }
    }

    /// Whether derivation `method` is blocked.
    pub fn blocks(self, method: DerivationMethod) -> bool {
        match method {
            DerivationMethod::Extension => self.extension,
            DerivationMethod::Restriction => self.restriction,
        }
    }

    /// The blocked keywords, in the order `extension`, `restriction`, `substitution`.
    pub fn names(self) -> Vec<&'static str> {
        [
            (self.extension, "extension"),
            (self.restriction, "restriction"),
            (self.substitution, "substitution"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// Derivation of a complex type from a base type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Derivation {
    /// Extension or restriction.
    pub method: DerivationMethod,
    /// The base type.
    pub base: TypeRef,
}

/// `xs:extension` or `xs:restriction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DerivationMethod {
    /// `xs:extension`.
    Extension,
    /// `xs:restriction`.
    Restriction,
}

impl DerivationMethod {
    /// The keyword (`extension`, `restriction`), as `block` and `final` write it.
    pub fn keyword(self) -> &'static str {
        match self {
            DerivationMethod::Extension => "extension",
            DerivationMethod::Restriction => "restriction",
        }
    }
}

/// A reference to either kind of type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A complex type.
    Complex(ComplexTypeId),
    /// A simple type (built-in or user).
    Simple(SimpleTypeId),
}

/// The content of a complex type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// No children, no text (DTD `EMPTY`, XSD complex type with no particle and not mixed).
    Empty,
    /// DTD `ANY`: any declared elements and text.
    Any,
    /// Text only, of the given simple type (DTD `(#PCDATA)` uses `xs:string`; XSD `simpleContent`).
    Simple(SimpleTypeId),
    /// Child elements following `particle`; `mixed` allows text between them
    /// (DTD `(#PCDATA|a|b)*` is `mixed: true` with a choice particle).
    Elements {
        /// The content model.
        particle: Particle,
        /// Whether character data may appear between children.
        mixed: bool,
    },
}

/// Upper bound of an occurrence range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MaxOccurs {
    /// A finite bound.
    Bounded(u32),
    /// `unbounded` (`*`, `+` in a DTD).
    Unbounded,
}

/// A particle: a term with an occurrence range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Particle {
    /// `minOccurs` (DTD: 0 for `?` and `*`, else 1).
    pub min: u32,
    /// `maxOccurs` (DTD: unbounded for `*` and `+`, else 1).
    pub max: MaxOccurs,
    /// What repeats.
    pub term: Term,
    /// Where the particle is written.
    pub location: Location,
}

/// The term of a particle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// An element declaration (global for DTDs and `ref=`, local otherwise).
    Element(ElementId),
    /// `,` / `xs:sequence`.
    Sequence(Vec<Particle>),
    /// `|` / `xs:choice`.
    Choice(Vec<Particle>),
    /// `xs:all`: each child at most once (or per its own min/max), in any order.
    All(Vec<Particle>),
    /// `xs:any`.
    Any(Wildcard),
}

/// A wildcard (`xs:any`, `xs:anyAttribute`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Wildcard {
    /// Which namespaces match.
    pub namespaces: NamespaceConstraint,
    /// `processContents`.
    pub process_contents: ProcessContents,
}

/// The `namespace` attribute of a wildcard, resolved against the target namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NamespaceConstraint {
    /// `##any`.
    Any,
    /// `##other`: any namespace other than the target namespace (and not absent).
    Not(Option<String>),
    /// An explicit list; `None` stands for "no namespace" (`##local`).
    List(Vec<Option<String>>),
}

/// `processContents` of a wildcard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProcessContents {
    /// Validate against a declaration that must exist.
    Strict,
    /// Validate if a declaration exists.
    Lax,
    /// Do not validate.
    Skip,
}

impl ProcessContents {
    /// The `processContents` keyword: `strict`, `lax` or `skip`.
    pub fn keyword(self) -> &'static str {
        match self {
            ProcessContents::Strict => "strict",
            ProcessContents::Lax => "lax",
            ProcessContents::Skip => "skip",
        }
    }
}

/// An attribute use on a complex type.
#[derive(Clone, Debug)]
pub struct AttributeUse {
    /// Attribute name (verbatim; may contain a colon in DTDs).
    pub name: String,
    /// Namespace, for qualified XSD attributes.
    pub namespace: Option<String>,
    /// Value type. DTD types map onto the XSD built-ins of the same name (`CDATA` is
    /// `xs:string`); DTD enumerations are anonymous restrictions of `xs:NMTOKEN` (or `xs:NOTATION`).
    pub ty: SimpleTypeId,
    /// The DTD attribute type as written, for DTD schemas (for dumps, diff and validation rules
    /// that differ between DTD and XSD).
    pub dtd_type: Option<DtdAttributeType>,
    /// Required, optional or prohibited.
    pub use_: AttributeUseKind,
    /// Default or fixed value.
    pub value_constraint: Option<ValueConstraint>,
    /// Documentation.
    pub documentation: Vec<String>,
    /// Where the attribute is declared.
    pub location: Location,
}

/// The declared type of a DTD attribute.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DtdAttributeType {
    /// `CDATA`.
    Cdata,
    /// `ID`.
    Id,
    /// `IDREF`.
    IdRef,
    /// `IDREFS`.
    IdRefs,
    /// `ENTITY`.
    Entity,
    /// `ENTITIES`.
    Entities,
    /// `NMTOKEN`.
    NmToken,
    /// `NMTOKENS`.
    NmTokens,
    /// `NOTATION (a|b)`.
    Notation(Vec<String>),
    /// `(a|b|c)`.
    Enumeration(Vec<String>),
}

/// `use=` of an attribute (DTD: `#REQUIRED` is required, everything else optional).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributeUseKind {
    /// Must be present.
    Required,
    /// May be present.
    Optional,
    /// Must not be present (XSD restriction).
    Prohibited,
}

/// A default or fixed value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueConstraint {
    /// Used when the value is absent.
    Default(String),
    /// The value must equal this (DTD `#FIXED`).
    Fixed(String),
}

/// A simple type: built-in, or derived by restriction, list or union.
#[derive(Clone, Debug)]
pub struct SimpleType {
    /// Name (built-ins carry their XSD name, e.g. `long`; anonymous types `None`).
    pub name: Option<String>,
    /// Set for the XSD built-in types.
    pub builtin: Option<Builtin>,
    /// How the type is derived.
    pub variety: Variety,
    /// The facets added by this derivation step only (not the base's).
    pub facets: Facets,
    /// Documentation.
    pub documentation: Vec<String>,
    /// Where the type is defined (built-ins: a synthetic location in file 0 at line 0).
    pub location: Location,
}

/// How a simple type is derived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Variety {
    /// `xs:anySimpleType`, the root of all simple types.
    AnySimple,
    /// A restriction of `base` (atomic, or of a list/union type when `base` is one).
    Restriction {
        /// The base type.
        base: SimpleTypeId,
    },
    /// `xs:list` of `item`.
    List {
        /// The item type.
        item: SimpleTypeId,
    },
    /// `xs:union` of `members`.
    Union {
        /// The member types, in order.
        members: Vec<SimpleTypeId>,
    },
}

/// Constraining facets of one derivation step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// `xs:length`.
    pub length: Option<u64>,
    /// `xs:minLength`.
    pub min_length: Option<u64>,
    /// `xs:maxLength`.
    pub max_length: Option<u64>,
    /// `xs:pattern` values of this step, as written (XSD regex syntax). Several in one step are
    /// OR-ed; patterns of successive steps are AND-ed.
    pub patterns: Vec<String>,
    /// `xs:enumeration` values, as written.
    pub enumeration: Vec<String>,
    /// The namespace bindings in scope at the first `xs:enumeration` (`(prefix, URI)`, `""`
    /// for the default namespace), so QName and NOTATION enumeration values can be compared
    /// by namespace and local name. Empty without enumerations, and in DTDs.
    pub enumeration_namespaces: Vec<(String, String)>,
    /// `xs:whiteSpace`.
    pub white_space: Option<WhiteSpace>,
    /// `xs:maxInclusive`, lexical form.
    pub max_inclusive: Option<String>,
    /// `xs:maxExclusive`, lexical form.
    pub max_exclusive: Option<String>,
    /// `xs:minInclusive`, lexical form.
    pub min_inclusive: Option<String>,
    /// `xs:minExclusive`, lexical form.
    pub min_exclusive: Option<String>,
    /// `xs:totalDigits`.
    pub total_digits: Option<u32>,
    /// `xs:fractionDigits`.
    pub fraction_digits: Option<u32>,
    /// Facets marked `fixed="true"`, by facet name.
    pub fixed: Vec<String>,
}

/// `xs:whiteSpace` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WhiteSpace {
    /// Keep as is.
    Preserve,
    /// Tab, newline and carriage return become spaces.
    Replace,
    /// Replace, then collapse runs of spaces and trim.
    Collapse,
}

impl WhiteSpace {
    /// The `xs:whiteSpace` keyword: `preserve`, `replace` or `collapse`.
    pub fn keyword(self) -> &'static str {
        match self {
            WhiteSpace::Preserve => "preserve",
            WhiteSpace::Replace => "replace",
            WhiteSpace::Collapse => "collapse",
        }
    }
}

/// A DTD general entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityDecl {
    /// Entity name.
    pub name: String,
    /// Internal value or external location.
    pub value: EntityValue,
    /// Whether it was declared in the external subset or a parameter entity (matters for
    /// the standalone document validity constraint).
    pub external_declaration: bool,
    /// Where the declaration is.
    pub location: Location,
}

/// Value of a general entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityValue {
    /// Replacement text of an internal entity (parameter-entity and character references
    /// already expanded, general-entity references kept as written).
    Internal(String),
    /// An external parsed entity.
    External {
        /// `PUBLIC` identifier, if any.
        public_id: Option<String>,
        /// `SYSTEM` identifier as written.
        system_id: String,
        /// The local file it resolves to (relative ids against the declaring file),
        /// `None` when it does not resolve to a local file.
        resolved: Option<std::path::PathBuf>,
    },
    /// An unparsed entity (`NDATA`).
    Unparsed {
        /// `PUBLIC` identifier, if any.
        public_id: Option<String>,
        /// `SYSTEM` identifier as written.
        system_id: String,
        /// The notation named by `NDATA`.
        notation: String,
    },
}

/// A DTD notation declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotationDecl {
    /// Notation name.
    pub name: String,
    /// `PUBLIC` identifier, if any.
    pub public_id: Option<String>,
    /// `SYSTEM` identifier, if any.
    pub system_id: Option<String>,
    /// Where the declaration is.
    pub location: Location,
}

/// A declaration-level validity finding: the schema loaded, but a validity constraint of the
/// schema language is violated by the declarations themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable kebab-case id, e.g. `dtd-multiple-id-attributes`, `non-deterministic-content-model`.
    pub rule: String,
    /// One-line description.
    pub message: String,
    /// Where.
    pub location: Location,
}

/// The XSD 1.0 built-in simple types. Their [`SimpleTypeId`] is their position in
/// [`Builtin::ALL`], so `Schema::simple_types[b as usize]` is built-in `b`.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum Builtin {
    AnySimpleType,
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NCName,
    Id,
    IdRef,
    IdRefs,
    Entity,
    Entities,
    NmToken,
    NmTokens,
    Boolean,
    Decimal,
    Integer,
    NonPositiveInteger,
    NegativeInteger,
    Long,
    Int,
    Short,
    Byte,
    NonNegativeInteger,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
    PositiveInteger,
    Float,
    Double,
    Duration,
    DateTime,
    Time,
    Date,
    GYearMonth,
    GYear,
    GMonthDay,
    GDay,
    GMonth,
    HexBinary,
    Base64Binary,
    AnyUri,
    QName,
    Notation,
}

impl Builtin {
    /// Every built-in, in id order.
    pub const ALL: [Builtin; 45] = [
        Builtin::AnySimpleType,
        Builtin::String,
        Builtin::NormalizedString,
        Builtin::Token,
        Builtin::Language,
        Builtin::Name,
        Builtin::NCName,
        Builtin::Id,
        Builtin::IdRef,
        Builtin::IdRefs,
        Builtin::Entity,
        Builtin::Entities,
        Builtin::NmToken,
        Builtin::NmTokens,
        Builtin::Boolean,
        Builtin::Decimal,
        Builtin::Integer,
        Builtin::NonPositiveInteger,
        Builtin::NegativeInteger,
        Builtin::Long,
        Builtin::Int,
        Builtin::Short,
        Builtin::Byte,
        Builtin::NonNegativeInteger,
        Builtin::UnsignedLong,
        Builtin::UnsignedInt,
        Builtin::UnsignedShort,
        Builtin::UnsignedByte,
        Builtin::PositiveInteger,
        Builtin::Float,
        Builtin::Double,
        Builtin::Duration,
        Builtin::DateTime,
        Builtin::Time,
        Builtin::Date,
        Builtin::GYearMonth,
        Builtin::GYear,
        Builtin::GMonthDay,
        Builtin::GDay,
        Builtin::GMonth,
        Builtin::HexBinary,
        Builtin::Base64Binary,
        Builtin::AnyUri,
        Builtin::QName,
        Builtin::Notation,
    ];

    /// The type's id in every schema.
    pub fn id(self) -> SimpleTypeId {
        SimpleTypeId(self as u32)
    }

    /// The XSD local name (`long`, `dateTime`, `NMTOKENS`...).
    pub fn name(self) -> &'static str {
        use Builtin::*;
        match self {
            AnySimpleType => "anySimpleType",
            String => "string",
            NormalizedString => "normalizedString",
            Token => "token",
            Language => "language",
            Name => "Name",
            NCName => "NCName",
            Id => "ID",
            IdRef => "IDREF",
            IdRefs => "IDREFS",
            Entity => "ENTITY",
            Entities => "ENTITIES",
            NmToken => "NMTOKEN",
            NmTokens => "NMTOKENS",
            Boolean => "boolean",
            Decimal => "decimal",
            Integer => "integer",
            NonPositiveInteger => "nonPositiveInteger",
            NegativeInteger => "negativeInteger",
            Long => "long",
            Int => "int",
            Short => "short",
            Byte => "byte",
            NonNegativeInteger => "nonNegativeInteger",
            UnsignedLong => "unsignedLong",
            UnsignedInt => "unsignedInt",
            UnsignedShort => "unsignedShort",
            UnsignedByte => "unsignedByte",
            PositiveInteger => "positiveInteger",
            Float => "float",
            Double => "double",
            Duration => "duration",
            DateTime => "dateTime",
            Time => "time",
            Date => "date",
            GYearMonth => "gYearMonth",
            GYear => "gYear",
            GMonthDay => "gMonthDay",
            GDay => "gDay",
            GMonth => "gMonth",
            HexBinary => "hexBinary",
            Base64Binary => "base64Binary",
            AnyUri => "anyURI",
            QName => "QName",
            Notation => "NOTATION",
        }
    }

    /// Look a built-in up by its XSD local name.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.iter().copied().find(|b| b.name() == name)
    }

    /// The built-in this one is derived from (`None` for `anySimpleType`).
    /// List built-ins (`IDREFS`, `ENTITIES`, `NMTOKENS`) report their item type's base chain
    /// through [`Builtin::list_item`] instead and return `AnySimpleType` here.
    pub fn base(self) -> Option<Builtin> {
        use Builtin::*;
        Some(match self {
            AnySimpleType => return None,
            String | Boolean | Decimal | Float | Double | Duration | DateTime | Time | Date
            | GYearMonth | GYear | GMonthDay | GDay | GMonth | HexBinary | Base64Binary
            | AnyUri | QName | Notation | IdRefs | Entities | NmTokens => AnySimpleType,
            NormalizedString => String,
            Token => NormalizedString,
            Language | Name | NmToken => Token,
            NCName => Name,
            Id | IdRef | Entity => NCName,
            Integer => Decimal,
            NonPositiveInteger | Long | NonNegativeInteger => Integer,
            NegativeInteger => NonPositiveInteger,
            Int => Long,
            Short => Int,
            Byte => Short,
            UnsignedLong | PositiveInteger => NonNegativeInteger,
            UnsignedInt => UnsignedLong,
            UnsignedShort => UnsignedInt,
            UnsignedByte => UnsignedShort,
        })
    }

    /// For the list built-ins, their item type.
    pub fn list_item(self) -> Option<Builtin> {
        match self {
            Builtin::IdRefs => Some(Builtin::IdRef),
            Builtin::Entities => Some(Builtin::Entity),
            Builtin::NmTokens => Some(Builtin::NmToken),
            _ => None,
        }
    }

    /// The inclusive value range of a built-in integer type, as decimal literals (`None`:
    /// unbounded on that side); `(None, None)` for every other built-in. These are the
    /// implicit `minInclusive`/`maxInclusive` facets of XSD 1.0 Part 2, 3.3.
    pub fn integer_range(self) -> (Option<&'static str>, Option<&'static str>) {
        use Builtin::*;
        match self {
            NonPositiveInteger => (None, Some("0")),
            NegativeInteger => (None, Some("-1")),
            Long => (Some("-9223372036854775808"), Some("9223372036854775807")),
            Int => (Some("-2147483648"), Some("2147483647")),
            Short => (Some("-32768"), Some("32767")),
            Byte => (Some("-128"), Some("127")),
            NonNegativeInteger => (Some("0"), None),
            UnsignedLong => (Some("0"), Some("18446744073709551615")),
            UnsignedInt => (Some("0"), Some("4294967295")),
            UnsignedShort => (Some("0"), Some("65535")),
            UnsignedByte => (Some("0"), Some("255")),
            PositiveInteger => (Some("1"), None),
            _ => (None, None),
        }
    }

    /// The primitive type at the root of this built-in's derivation (`self` for primitives;
    /// `AnySimpleType` for `anySimpleType` and the list built-ins).
    pub fn primitive(self) -> Builtin {
        let mut b = self;
        while let Some(base) = b.base() {
            if base == Builtin::AnySimpleType {
                return b;
            }
            b = base;
        }
        b
    }

    /// Whether this is one of the eight date/time primitives (`dateTime`, `time`, `date`,
    /// `gYearMonth`, `gYear`, `gMonthDay`, `gDay`, `gMonth`).
    pub fn is_date_time(self) -> bool {
        matches!(
            self,
            Builtin::DateTime
                | Builtin::Date
                | Builtin::Time
                | Builtin::GYearMonth
                | Builtin::GYear
                | Builtin::GMonthDay
                | Builtin::GDay
                | Builtin::GMonth
        )
    }
}

impl Schema {
    /// An empty schema of the given kind whose simple-type arena holds the built-ins.
    pub fn new(kind: SchemaKind, entry: SourceFile) -> Schema {
        let builtin_location = Location {
            file: FileId(0),
            line: 0,
            column: 0,
        };
        let simple_types = Builtin::ALL
            .iter()
            .map(|&b| SimpleType {
                name: Some(b.name().to_string()),
                builtin: Some(b),
                variety: match (b.list_item(), b.base()) {
                    (Some(item), _) => Variety::List { item: item.id() },
                    (None, Some(base)) => Variety::Restriction { base: base.id() },
                    (None, None) => Variety::AnySimple,
                },
                facets: Facets::default(),
                documentation: Vec::new(),
                location: builtin_location,
            })
            .collect();
        Schema {
            kind,
            files: vec![entry],
            target_namespace: None,
            elements: Vec::new(),
            globals: IndexMap::new(),
            complex_types: Vec::new(),
            named_complex_types: IndexMap::new(),
            simple_types,
            named_simple_types: IndexMap::new(),
            global_attributes: Vec::new(),
            undeclared_attributes: IndexMap::new(),
            entities: IndexMap::new(),
            notations: IndexMap::new(),
            doctype_name: None,
            references_parameter_entities: false,
            findings: Vec::new(),
            documentation: Vec::new(),
            identity_constraints: Vec::new(),
        }
    }

    /// The id of a built-in simple type.
    pub fn builtin(&self, b: Builtin) -> SimpleTypeId {
        b.id()
    }

    /// The top-level `xs:attribute` named `name` in `namespace` (`None`: no namespace).
    pub fn global_attribute(&self, namespace: Option<&str>, name: &str) -> Option<&AttributeUse> {
        self.global_attributes
            .iter()
            .find(|a| a.name == name && a.namespace.as_deref() == namespace)
    }

    /// One step up a type's derivation: its base and the method, or `None` for a type with no
    /// (user-visible) derivation (complex types without one restrict `xs:anyType`; lists,
    /// unions and built-in primitives derive from `xs:anySimpleType`).
    pub fn derivation_step(&self, t: TypeRef) -> Option<(TypeRef, DerivationMethod)> {
        match t {
            TypeRef::Complex(c) => self
                .complex_types
                .get(c.index())
                .and_then(|t| t.derivation)
                .map(|d| (d.base, d.method)),
            TypeRef::Simple(s) => match self.simple_types.get(s.index()).map(|t| &t.variety) {
                Some(Variety::Restriction { base }) if *base != s => {
                    Some((TypeRef::Simple(*base), DerivationMethod::Restriction))
                }
                _ => None,
            },
        }
    }

    /// An element declaration.
    pub fn element(&self, id: ElementId) -> &ElementDecl {
        &self.elements[id.index()]
    }

    /// DTDs: the attributes `<!ATTLIST>` lists for the never-declared element type `name`
    /// (empty when it lists none; see [`Schema::undeclared_attributes`]).
    pub fn undeclared_attributes_of(&self, name: &str) -> &[AttributeUse] {
        self.undeclared_attributes
            .get(name)
            .map_or(&[], Vec::as_slice)
    }

    /// A complex type.
    pub fn complex_type(&self, id: ComplexTypeId) -> &ComplexType {
        &self.complex_types[id.index()]
    }

    /// A simple type.
    pub fn simple_type(&self, id: SimpleTypeId) -> &SimpleType {
        &self.simple_types[id.index()]
    }

    /// A global element by name.
    pub fn global(&self, name: &str) -> Option<ElementId> {
        self.globals.get(name).copied()
    }

    /// Add an element declaration and return its id (does not register it as global).
    pub fn push_element(&mut self, decl: ElementDecl) -> ElementId {
        self.elements.push(decl);
        ElementId((self.elements.len() - 1) as u32)
    }

    /// Add a complex type and return its id (registers nothing by name).
    pub fn push_complex_type(&mut self, ty: ComplexType) -> ComplexTypeId {
        self.complex_types.push(ty);
        ComplexTypeId((self.complex_types.len() - 1) as u32)
    }

    /// Add a simple type and return its id (registers nothing by name).
    pub fn push_simple_type(&mut self, ty: SimpleType) -> SimpleTypeId {
        self.simple_types.push(ty);
        SimpleTypeId((self.simple_types.len() - 1) as u32)
    }

    /// The built-in a simple type ultimately derives from by restriction (itself for built-ins;
    /// `None` for user list and union types).
    pub fn builtin_base(&self, mut id: SimpleTypeId) -> Option<Builtin> {
        loop {
            let st = self.simple_type(id);
            if let Some(b) = st.builtin {
                return Some(b);
            }
            match &st.variety {
                Variety::Restriction { base } => id = *base,
                _ => return None,
            }
        }
    }

    /// The chain of derivation steps from `id` up to (and including) its first built-in
    /// ancestor, most derived first. Facets of all steps apply (patterns AND-ed across steps).
    pub fn restriction_chain(&self, mut id: SimpleTypeId) -> Vec<SimpleTypeId> {
        let mut chain = vec![id];
        while let Variety::Restriction { base } = self.simple_type(id).variety {
            if self.simple_type(id).builtin.is_some() {
                break;
            }
            id = base;
            chain.push(id);
        }
        chain
    }

    /// The source file a location points into.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Render a location as `path:line:column`.
    pub fn display_location(&self, loc: Location) -> String {
        format!(
            "{}:{}:{}",
            self.file(loc.file).display,
            loc.line,
            loc.column
        )
    }
}
