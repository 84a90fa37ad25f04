//! Wildcards (`xs:any`, `xs:anyAttribute`): reading `namespace`/`processContents`, and the
//! union (extension) and intersection (attribute groups) of attribute wildcards.

use roxmltree::Node;

use super::lower::Lowerer;
use crate::ir::{NamespaceConstraint, ProcessContents, Wildcard};

impl Lowerer<'_, '_> {
    /// Read the wildcard of an `xs:any` or `xs:anyAttribute` in document `d`.
    pub(crate) fn wildcard(&mut self, d: usize, node: Node) -> Wildcard {
        let tns = self.tns(d);
        let namespaces = match node.attribute("namespace").map(str::trim) {
            None | Some("##any") => NamespaceConstraint::Any,
            Some("##other") => NamespaceConstraint::Not(tns),
            Some(list) => {
                let mut out: Vec<Option<String>> = Vec::new();
                for token in list.split_whitespace() {
                    let ns = match token {
                        "##local" => None,
                        "##targetNamespace" => tns.clone(),
                        "##any" | "##other" => {
                            self.error_at(
                                d,
                                node,
                                format!("namespace=\"{list}\": '{token}' cannot be part of a list"),
                            );
                            continue;
                        }
                        t if t.starts_with("##") => {
                            self.error_at(
                                d,
                                node,
                                format!("namespace=\"{list}\": unknown keyword '{t}'"),
                            );
                            continue;
                        }
                        t => Some(t.to_string()),
                    };
                    if !out.contains(&ns) {
                        out.push(ns);
                    }
                }
                NamespaceConstraint::List(out)
            }
        };
        let process_contents = match node.attribute("processContents").map(str::trim) {
            None | Some("strict") => ProcessContents::Strict,
            Some("lax") => ProcessContents::Lax,
            Some("skip") => ProcessContents::Skip,
            Some(other) => {
                self.error_at(
                    d,
                    node,
                    format!("processContents=\"{other}\" must be strict, lax or skip"),
                );
                ProcessContents::Strict
            }
        };
        Wildcard {
            namespaces,
            process_contents,
        }
    }
}

/// The union of two attribute wildcards (XSD 1.0 3.10.6, used by complex type extension);
/// `processContents` is the first's.
pub(crate) fn union(a: &Wildcard, b: &Wildcard) -> Wildcard {
    use NamespaceConstraint::*;
    let namespaces = match (&a.namespaces, &b.namespaces) {
        (Any, _) | (_, Any) => Any,
        (List(x), List(y)) => {
            let mut v = x.clone();
            for n in y {
                if !v.contains(n) {
                    v.push(n.clone());
                }
            }
            List(v)
        }
        (Not(x), Not(y)) => {
            if x == y {
                Not(x.clone())
            } else {
                Not(None)
            }
        }
        (Not(n), List(l)) | (List(l), Not(n)) => {
            if l.contains(n) {
                Any
            } else {
                Not(n.clone())
            }
        }
    };
    Wildcard {
        namespaces,
        process_contents: a.process_contents,
    }
}

/// The intersection of two attribute wildcards (XSD 1.0 3.10.6, used for attribute groups);
/// `processContents` is the first's.
pub(crate) fn intersection(a: &Wildcard, b: &Wildcard) -> Wildcard {
    use NamespaceConstraint::*;
    let namespaces = match (&a.namespaces, &b.namespaces) {
        (Any, o) | (o, Any) => o.clone(),
        (List(x), List(y)) => List(x.iter().filter(|n| y.contains(n)).cloned().collect()),
        (Not(n), List(l)) | (List(l), Not(n)) => List(
            l.iter()
                .filter(|x| *x != n && x.is_some())
                .cloned()
                .collect(),
        ),
        (Not(x), Not(y)) => {
            if x == y {
                Not(x.clone())
            } else {
                // Not expressible in XSD 1.0; keep the narrower-looking first one.
                Not(x.clone())
            }
        }
    };
    Wildcard {
        namespaces,
        process_contents: a.process_contents,
    }
}

/// Whether every namespace `sub` admits, `sup` admits too (XSD 1.0 3.10.6 cos-ns-subset).
pub(crate) fn is_subset(sub: &Wildcard, sup: &Wildcard) -> bool {
    use NamespaceConstraint::*;
    match (&sub.namespaces, &sup.namespaces) {
        (_, Any) => true,
        (List(l), List(m)) => l.iter().all(|n| m.contains(n)),
        (List(l), Not(n)) => l.iter().all(|x| x.is_some() && x != n),
        (Not(a), Not(b)) => a == b,
        (Any, _) | (Not(_), List(_)) => false,
    }
}

/// How strong a processContents is: skip < lax < strict.
pub(crate) fn strength(p: ProcessContents) -> u8 {
    match p {
        ProcessContents::Skip => 0,
        ProcessContents::Lax => 1,
        ProcessContents::Strict => 2,
    }
}
