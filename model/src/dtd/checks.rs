//! Declaration-level validity constraints of XML 1.0, reported as findings (not load errors):
//! ID attributes, notation attributes, enumerations, mixed content names, attribute default
//! syntax, notations of unparsed entities.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::ast::{AttDefAst, ContentSpec, Decl, DefaultDecl};
use super::chars::{is_name, is_names, is_nmtoken, is_nmtokens};
use crate::ir::{DtdAttributeType, EntityValue, Finding, Schema};

/// Push every declaration-level finding for `decls` into `schema.findings` (entities and
/// notations must already be in `schema`).
pub(crate) fn check(schema: &mut Schema, decls: &[Decl]) {
    let mut findings = Vec::new();
    let mut content_of: HashMap<&str, &ContentSpec> = HashMap::new();
    for decl in decls {
        if let Decl::Element(e) = decl {
            content_of.entry(e.name.as_str()).or_insert(&e.content);
            if let ContentSpec::Mixed { names, .. } = &e.content {
                let mut seen = HashSet::new();
                for (name, loc) in names {
                    if !seen.insert(name.as_str()) {
                        findings.push(finding(
                            "dtd-duplicate-mixed-name",
                            *loc,
                            format!("'{name}' appears more than once in the mixed content of '{}' (VC: No Duplicate Types)", e.name),
                        ));
                    }
                }
            }
        }
    }
    // The binding attribute definitions per element type (the first definition binds).
    let mut bound: IndexMap<&str, Vec<&AttDefAst>> = IndexMap::new();
    let mut bound_names: HashSet<(&str, &str)> = HashSet::new();
    for decl in decls {
        let Decl::Attlist(list) = decl else { continue };
        let defs = bound.entry(list.element.as_str()).or_default();
        for def in &list.attributes {
            if bound_names.insert((list.element.as_str(), def.name.as_str())) {
                defs.push(def);
            }
        }
    }
    for (element, defs) in &bound {
        check_element_attributes(
            schema,
            element,
            defs,
            content_of.get(element).copied(),
            &mut findings,
        );
    }
    for entity in schema.entities.values() {
        if let EntityValue::Unparsed { notation, .. } = &entity.value {
            if !schema.notations.contains_key(notation) {
                findings.push(finding(
                    "dtd-unparsed-entity-notation",
                    entity.location,
                    format!("unparsed entity '{}' names notation '{notation}', which is not declared (VC: Notation Declared)", entity.name),
                ));
            }
        }
    }
    schema.findings.extend(findings);
}

/// The constraints on one element type's attribute definitions.
fn check_element_attributes(
    schema: &Schema,
    element: &str,
    defs: &[&AttDefAst],
    content: Option<&ContentSpec>,
    findings: &mut Vec<Finding>,
) {
    let ids: Vec<&&AttDefAst> = defs
        .iter()
        .filter(|d| d.ty == DtdAttributeType::Id)
        .collect();
    for extra in ids.iter().skip(1) {
        findings.push(finding(
            "dtd-multiple-id-attributes",
            extra.location,
            format!("element type '{element}' has more than one ID attribute ('{}' and '{}') (VC: One ID per Element Type)", ids.first().map(|d| d.name.as_str()).unwrap_or(""), extra.name),
        ));
    }
    let notations: Vec<&&AttDefAst> = defs
        .iter()
        .filter(|d| matches!(d.ty, DtdAttributeType::Notation(_)))
        .collect();
    for extra in notations.iter().skip(1) {
        findings.push(finding(
            "dtd-multiple-notation-attributes",
            extra.location,
            format!("element type '{element}' has more than one NOTATION attribute ('{}' and '{}') (VC: One Notation Per Element Type)", notations.first().map(|d| d.name.as_str()).unwrap_or(""), extra.name),
        ));
    }
    for def in defs {
        let default = match &def.default {
            DefaultDecl::Fixed(v) | DefaultDecl::Default(v) => Some(v.as_str()),
            _ => None,
        };
        if def.ty == DtdAttributeType::Id && default.is_some() {
            findings.push(finding(
                "dtd-id-attribute-default",
                def.default_location,
                format!("ID attribute '{}' of '{element}' must be #IMPLIED or #REQUIRED (VC: ID Attribute Default)", def.name),
            ));
        }
        if let DtdAttributeType::Notation(names) | DtdAttributeType::Enumeration(names) = &def.ty {
            let mut seen = HashSet::new();
            for name in names {
                if !seen.insert(name.as_str()) {
                    findings.push(finding(
                        "dtd-duplicate-enumeration-token",
                        def.location,
                        format!("'{name}' appears more than once in the values of attribute '{}' of '{element}' (VC: No Duplicate Tokens)", def.name),
                    ));
                }
            }
        }
        if let DtdAttributeType::Notation(names) = &def.ty {
            if matches!(content, Some(ContentSpec::Empty)) {
                findings.push(finding(
                    "dtd-notation-on-empty-element",
                    def.location,
                    format!("NOTATION attribute '{}' is declared on EMPTY element '{element}' (VC: No Notation on Empty Element)", def.name),
                ));
            }
            for name in names {
                if !schema.notations.contains_key(name) {
                    findings.push(finding(
                        "dtd-undeclared-notation",
                        def.location,
                        format!("attribute '{}' of '{element}' names notation '{name}', which is not declared (VC: Notation Attributes)", def.name),
                    ));
                }
            }
        }
        if def.name == "xml:space" {
            let ok = matches!(&def.ty, DtdAttributeType::Enumeration(values)
                if values.iter().all(|v| v == "default" || v == "preserve"));
            if !ok {
                findings.push(finding(
                    "dtd-xml-space-declaration",
                    def.location,
                    format!("xml:space of '{element}' must be declared as an enumeration of \"default\" and/or \"preserve\" (XML 1.0 section 2.10)"),
                ));
            }
        }
        if let Some(value) = default {
            if let Some(problem) = default_problem(&def.ty, value) {
                findings.push(finding(
                    "dtd-attribute-default-invalid",
                    def.default_location,
                    format!("default value \"{value}\" of attribute '{}' of '{element}' {problem} (VC: Attribute Default Value Syntactically Correct)", def.name),
                ));
            }
        }
    }
}

/// Why `value` is not a lexically valid value of `ty`, if it is not.
fn default_problem(ty: &DtdAttributeType, value: &str) -> Option<&'static str> {
    let ok = match ty {
        DtdAttributeType::Cdata => true,
        DtdAttributeType::Id | DtdAttributeType::IdRef | DtdAttributeType::Entity => is_name(value),
        DtdAttributeType::IdRefs | DtdAttributeType::Entities => is_names(value),
        DtdAttributeType::NmToken => is_nmtoken(value),
        DtdAttributeType::NmTokens => is_nmtokens(value),
        DtdAttributeType::Notation(names) | DtdAttributeType::Enumeration(names) => {
            return (!names.iter().any(|n| n == value))
                .then_some("is not one of the declared values");
        }
    };
    (!ok).then_some(match ty {
        DtdAttributeType::Id | DtdAttributeType::IdRef | DtdAttributeType::Entity => {
            "is not a Name"
        }
        DtdAttributeType::IdRefs | DtdAttributeType::Entities => "is not a list of Names",
        DtdAttributeType::NmToken => "is not a name token",
        _ => "is not a list of name tokens",
    })
}

fn finding(rule: &str, location: crate::location::Location, message: String) -> Finding {
    Finding {
        rule: rule.to_string(),
        message,
        location,
    }
}
