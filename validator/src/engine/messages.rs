//! Rendering schema pieces for messages: content models in DTD syntax, expected lists, names.

use qschema_model::automaton::{Expected, ExpectedItem};
use qschema_model::{Content, MaxOccurs, NamespaceConstraint, Particle, Schema, Term};

/// A particle in DTD syntax: `(ID , ACTIVE , TITLE? , (A | B)*)`.
pub(crate) fn particle_to_dtd(schema: &Schema, p: &Particle) -> String {
    let mut out = String::new();
    write_particle(schema, p, &mut out, 0);
    out
}

fn write_particle(schema: &Schema, p: &Particle, out: &mut String, depth: usize) {
    if depth > 64 {
        out.push_str("...");
        return;
    }
    let (sep, kids) = match &p.term {
        Term::Element(id) => {
            match schema.elements.get(id.index()) {
                Some(e) => out.push_str(&e.name),
                None => out.push('?'),
            }
            (None, &[][..])
        }
        Term::Any(w) => {
            out.push_str(match &w.namespaces {
                NamespaceConstraint::Any => "##any",
                NamespaceConstraint::Not(_) => "##other",
                NamespaceConstraint::List(_) => "##any-of-list",
            });
            (None, &[][..])
        }
        Term::Sequence(k) => (Some(" , "), k.as_slice()),
        Term::Choice(k) => (Some(" | "), k.as_slice()),
        Term::All(k) => (Some(" & "), k.as_slice()),
    };
    if let Some(sep) = sep {
        out.push('(');
        for (i, k) in kids.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            write_particle(schema, k, out, depth + 1);
        }
        out.push(')');
    }
    match (p.min, p.max) {
        (1, MaxOccurs::Bounded(1)) => {}
        (0, MaxOccurs::Bounded(1)) => out.push('?'),
        (0, MaxOccurs::Unbounded) => out.push('*'),
        (1, MaxOccurs::Unbounded) => out.push('+'),
        (min, MaxOccurs::Unbounded) => out.push_str(&format!("{{{min},}}")),
        (min, MaxOccurs::Bounded(max)) => out.push_str(&format!("{{{min},{max}}}")),
    }
}

/// The content of a complex type in DTD syntax (`EMPTY`, `ANY`, `(#PCDATA)`, a model).
pub(crate) fn content_to_dtd(schema: &Schema, content: &Content) -> String {
    match content {
        Content::Empty => "EMPTY".to_string(),
        Content::Any => "ANY".to_string(),
        Content::Simple(_) => "(#PCDATA)".to_string(),
        Content::Elements {
            particle,
            mixed: true,
        } => {
            // DTD mixed content is lowered as a choice*: show it as written.
            let kids: Vec<String> = match &particle.term {
                Term::Choice(k) | Term::Sequence(k) => {
                    k.iter().map(|p| particle_to_dtd(schema, p)).collect()
                }
                _ => vec![particle_to_dtd(schema, particle)],
            };
            if kids.is_empty() {
                "(#PCDATA)".to_string()
            } else {
                format!("(#PCDATA | {})*", kids.join(" | "))
            }
        }
        Content::Elements { particle, .. } => particle_to_dtd(schema, particle),
    }
}

/// `( a, b )` for xmllint-style XSD messages; `{ns}name` for namespaced items.
pub(crate) fn expected_list(e: &Expected) -> String {
    let items: Vec<String> = e.items.iter().map(item_name).collect();
    format!("( {} )", items.join(", "))
}

/// One expected item, xmllint style (`name`, `{ns}name`, `##any`).
pub(crate) fn item_name(item: &ExpectedItem) -> String {
    match item {
        ExpectedItem::Element { name, namespace } => match namespace {
            Some(ns) => format!("{{{ns}}}{name}"),
            None => name.clone(),
        },
        ExpectedItem::Wildcard(w) => qschema_model::automaton::display_wildcard(w),
    }
}

/// xmllint's "Expected is ( a )." / "Expected is one of ( a, b )." tail.
pub(crate) fn expected_phrase(e: &Expected) -> String {
    match e.items.len() {
        0 => "No more child elements are allowed.".to_string(),
        1 => format!("Expected is {}.", expected_list(e)),
        _ => format!("Expected is one of {}.", expected_list(e)),
    }
}

/// `name` or `{ns}name`.
pub(crate) fn expanded_name(local: &str, ns: Option<&str>) -> String {
    let mut out = String::new();
    push_expanded_name(&mut out, local, ns);
    out
}

/// [`expanded_name`], appended to `out` (a reused buffer).
pub(crate) fn push_expanded_name(out: &mut String, local: &str, ns: Option<&str>) {
    if let Some(ns) = ns {
        out.push('{');
        out.push_str(ns);
        out.push('}');
    }
    out.push_str(local);
}

/// A value shortened for messages (at most 80 characters).
pub(crate) fn short(value: &str) -> String {
    if value.chars().count() <= 80 {
        value.to_string()
    } else {
        let mut s: String = value.chars().take(77).collect();
        s.push_str("...");
        s
    }
}
