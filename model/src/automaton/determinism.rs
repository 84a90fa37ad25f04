//! The determinism rule (XML 1.0 "deterministic content models", XSD Unique Particle
//! Attribution): no two positions reachable from the same state may accept the same name.

use std::collections::HashMap;

use super::{Ambiguity, ContentAutomaton, Kind, Symbol};
use crate::ir::{
    ComplexTypeId, Content, ElementType, Finding, NamespaceConstraint, Schema, Wildcard,
};
use crate::location::Location;

/// Rule id of the findings added by [`add_determinism_findings`].
pub const RULE: &str = "non-deterministic-content-model";
/// Rule id for content models that cannot be compiled at all.
pub const RULE_UNCOMPILABLE: &str = "invalid-content-model";

/// Whether some namespace is admitted by both wildcards.
fn wildcards_overlap(a: &Wildcard, b: &Wildcard) -> bool {
    use NamespaceConstraint as N;
    match (&a.namespaces, &b.namespaces) {
        (N::Any, _) | (_, N::Any) => true,
        (N::Not(_), N::Not(_)) => true,
        (N::Not(x), N::List(l)) | (N::List(l), N::Not(x)) => {
            l.iter().any(|n| n.is_some() && n != x)
        }
        (N::List(l1), N::List(l2)) => l1.iter().any(|n| l2.contains(n)),
    }
}

/// Whether some element name is accepted by both symbols.
pub(crate) fn symbols_overlap(a: &Symbol, b: &Symbol) -> bool {
    match (a, b) {
        (
            Symbol::Element {
                name: n1,
                namespace: s1,
                ..
            },
            Symbol::Element {
                name: n2,
                namespace: s2,
                ..
            },
        ) => n1 == n2 && s1 == s2,
        (Symbol::Element { namespace, .. }, Symbol::Wildcard(w))
        | (Symbol::Wildcard(w), Symbol::Element { namespace, .. }) => {
            super::wildcard_allows(w, namespace.as_deref())
        }
        (Symbol::Wildcard(w1), Symbol::Wildcard(w2)) => wildcards_overlap(w1, w2),
    }
}

fn competing_name(a: &Symbol, b: &Symbol) -> String {
    match (a, b) {
        (Symbol::Element { .. }, _) => a.display(),
        (_, Symbol::Element { .. }) => b.display(),
        _ => a.display(),
    }
}

/// Every pair of competing positions of a compiled model.
pub(crate) fn find_ambiguities(kind: &Kind) -> Vec<Ambiguity> {
    let (symbols, locations, sources): (&[Symbol], &[Location], Vec<Vec<usize>>) = match kind {
        Kind::Glushkov(g) => {
            let mut sources = vec![g.initial.iter().map(|t| t.to).collect::<Vec<_>>()];
            sources.extend(g.follow.iter().map(|ts| ts.iter().map(|t| t.to).collect()));
            (&g.symbols, &g.locations, sources)
        }
        Kind::All(a) => (
            &a.symbols,
            &a.locations,
            vec![(0..a.symbols.len()).collect()],
        ),
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for mut targets in sources {
        targets.sort_unstable();
        targets.dedup();
        for (i, &y1) in targets.iter().enumerate() {
            for &y2 in targets.iter().skip(i + 1) {
                let (Some(s1), Some(s2)) = (symbols.get(y1), symbols.get(y2)) else {
                    continue;
                };
                if symbols_overlap(s1, s2) && !seen.contains(&(y1, y2)) {
                    seen.push((y1, y2));
                    out.push(Ambiguity {
                        name: competing_name(s1, s2),
                        first: locations.get(y1).copied().unwrap_or_default(),
                        second: locations.get(y2).copied().unwrap_or_default(),
                    });
                }
            }
        }
    }
    out
}

/// Add a finding (rule `non-deterministic-content-model`) for every ambiguous content model of
/// `schema`, and one (rule `invalid-content-model`) for every model that cannot be compiled.
/// The location is the element declaration for DTD elements and anonymous XSD types, else the
/// complex type's definition.
pub fn add_determinism_findings(schema: &mut Schema) {
    let mut owner: HashMap<ComplexTypeId, usize> = HashMap::new();
    for (i, e) in schema.elements.iter().enumerate() {
        if let ElementType::Complex(ct) = e.ty {
            owner.entry(ct).or_insert(i);
        }
    }
    let mut findings = Vec::new();
    for (i, ct) in schema.complex_types.iter().enumerate() {
        let Content::Elements { particle, .. } = &ct.content else {
            continue;
        };
        let id = ComplexTypeId(i as u32);
        let owner_decl = owner.get(&id).and_then(|&e| schema.elements.get(e));
        let (what, location) = match (&ct.name, owner_decl) {
            (Some(name), _) => (format!("type {name}"), ct.location),
            (None, Some(e)) => (e.name.clone(), e.location),
            (None, None) => ("an anonymous type".to_string(), ct.location),
        };
        match ContentAutomaton::compile(schema, particle) {
            Ok(a) => {
                for amb in a.ambiguities() {
                    findings.push(Finding {
                        rule: RULE.to_string(),
                        message: format!(
                            "Content model of {what} is not deterministic: element '{}' is matched by two particles ({} and {})",
                            amb.name,
                            schema.display_location(amb.first),
                            schema.display_location(amb.second)
                        ),
                        location,
                    });
                }
            }
            Err(e) => findings.push(Finding {
                rule: RULE_UNCOMPILABLE.to_string(),
                message: format!(
                    "Content model of {what} cannot be compiled: {} ({})",
                    e.message,
                    schema.display_location(e.location)
                ),
                location,
            }),
        }
    }
    schema.findings.extend(findings);
}
