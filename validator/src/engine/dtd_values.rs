//! DTD attribute types (XML 1.0 section 3.3.1): normalization and validity of values.

use qschema_model::{DtdAttributeType, ElementType, EntityValue, Schema};

use super::chars::{is_ncname, is_nmtoken};

/// Attribute-value normalization for a non-CDATA type: trim, collapse runs of spaces.
pub(crate) fn collapse(value: &str) -> String {
    value
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value of a namespace declaration attribute (`xmlns`, `xmlns:p`) of element `element`
/// after DTD normalization, when the DTD declares it with a tokenized type whose normalization
/// changes it (Namespaces in XML bind the normalized value); `None` otherwise.
pub(crate) fn normalized_xmlns(
    schema: &Schema,
    element: &str,
    attribute: &str,
    value: &str,
) -> Option<String> {
    if attribute != "xmlns" && !attribute.starts_with("xmlns:") {
        return None;
    }
    let decl = schema.elements.get(schema.global(element)?.index())?;
    let ElementType::Complex(ct) = decl.ty else {
        return None;
    };
    let ty = schema.complex_types.get(ct.index())?;
    let dt = ty
        .attributes
        .iter()
        .find(|u| u.name == attribute)?
        .dtd_type
        .as_ref()?;
    let normalized = normalize(dt, value);
    (normalized != value).then_some(normalized)
}

/// The value as the type sees it (CDATA unchanged; everything else collapsed).
pub(crate) fn normalize(ty: &DtdAttributeType, value: &str) -> String {
    match ty {
        DtdAttributeType::Cdata => value.to_string(),
        _ => collapse(value),
    }
}

/// What a valid DTD attribute value contributes to ID bookkeeping.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct IdUse {
    /// The ID this value defines.
    pub id: Option<String>,
    /// The IDs this value references.
    pub refs: Vec<String>,
}

/// Check a normalized value; `Err((message tail, expected))`, message in xmllint's style.
/// ID, IDREF(S) and ENTITY(IES) values are names without colons (NCNames), as Namespaces in
/// XML 1.0 requires of a namespace-valid document.
pub(crate) fn check(
    schema: &Schema,
    ty: &DtdAttributeType,
    attr: &str,
    element: &str,
    value: &str,
) -> Result<IdUse, (String, String)> {
    let syntax = |what: &str| {
        Err((
            format!("Syntax of value for attribute {attr} of {element} is not valid"),
            what.to_string(),
        ))
    };
    let mut out = IdUse::default();
    match ty {
        DtdAttributeType::Cdata => {}
        DtdAttributeType::Id => {
            if !is_ncname(value) {
                return syntax("a name without colons (ID)");
            }
            out.id = Some(value.to_string());
        }
        DtdAttributeType::IdRef => {
            if !is_ncname(value) {
                return syntax("a name without colons (IDREF)");
            }
            out.refs.push(value.to_string());
        }
        DtdAttributeType::IdRefs => {
            if value.is_empty() || !value.split(' ').all(is_ncname) {
                return syntax("names without colons separated by spaces (IDREFS)");
            }
            out.refs = value.split(' ').map(str::to_string).collect();
        }
        DtdAttributeType::Entity | DtdAttributeType::Entities => {
            let many = matches!(ty, DtdAttributeType::Entities);
            if value.is_empty()
                || (!many && value.contains(' '))
                || !value.split(' ').all(is_ncname)
            {
                return syntax(if many {
                    "entity names (ENTITIES)"
                } else {
                    "an entity name (ENTITY)"
                });
            }
            for name in value.split(' ') {
                match schema.entities.get(name).map(|e| &e.value) {
                    Some(EntityValue::Unparsed { .. }) => {}
                    _ => {
                        return Err((
                            format!(
                                "ENTITY attribute {attr} reference an unknown entity \"{name}\""
                            ),
                            "the name of an unparsed entity".to_string(),
                        ))
                    }
                }
            }
        }
        DtdAttributeType::NmToken => {
            if !is_nmtoken(value) {
                return syntax("a name token (NMTOKEN)");
            }
        }
        DtdAttributeType::NmTokens => {
            if value.is_empty() || !value.split(' ').all(is_nmtoken) {
                return syntax("name tokens separated by spaces (NMTOKENS)");
            }
        }
        DtdAttributeType::Enumeration(list) | DtdAttributeType::Notation(list) => {
            if !list.iter().any(|v| v == value) {
                return Err((
                    format!(
                        "Value \"{value}\" for attribute {attr} of {element} is not among the enumerated set"
                    ),
                    format!("one of {}", list.join(", ")),
                ));
            }
            if matches!(ty, DtdAttributeType::Notation(_)) && !schema.notations.contains_key(value)
            {
                return Err((
                    format!("Value \"{value}\" for attribute {attr} of {element} is not a declared notation"),
                    "a declared notation".to_string(),
                ));
            }
        }
    }
    Ok(out)
}
