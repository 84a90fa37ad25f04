//! In-scope namespace bindings during the pass.

/// The XML namespace (`xml:` prefix).
pub(crate) const XML_NS: &str = crate::datatypes::XML_NAMESPACE;
/// The `xmlns` namespace.
pub(crate) const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";
/// XML Schema instance namespace (`xsi:`).
pub(crate) const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// XML Schema namespace (built-in types in `xsi:type`).
pub(crate) const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// A stack of `(prefix, uri)` bindings; `""` is the default namespace, an empty uri unbinds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Namespaces {
    bindings: Vec<(String, String)>,
    /// How many of `bindings` are of the default namespace (`""`): with none, an unprefixed
    /// name is in no namespace without a search (the usual case).
    defaults: usize,
}

impl Namespaces {
    /// Bind `prefix` (`""` = default) to `uri`.
    pub(crate) fn push(&mut self, prefix: &str, uri: &str) {
        self.defaults += usize::from(prefix.is_empty());
        self.bindings.push((prefix.to_string(), uri.to_string()));
    }

    /// Drop the last `n` bindings.
    pub(crate) fn pop(&mut self, n: usize) {
        let keep = self.bindings.len().saturating_sub(n);
        let dropped = self.bindings.get(keep..).unwrap_or_default();
        self.defaults -= dropped.iter().filter(|(p, _)| p.is_empty()).count();
        self.bindings.truncate(keep);
    }

    /// The namespace of `prefix`: `Some(None)` = no namespace (unprefixed, no default),
    /// `None` = undeclared prefix.
    #[inline]
    pub(crate) fn resolve(&self, prefix: &str) -> Option<Option<&str>> {
        if prefix.is_empty() && self.defaults == 0 {
            return Some(None);
        }
        crate::datatypes::resolve_prefix(&self.bindings, prefix)
    }
}

/// Split a QName into `(prefix, local)` (`""` prefix when unprefixed).
pub(crate) fn split_qname(qname: &str) -> (&str, &str) {
    // A byte loop: names are short, and `split_once(':')` sets up a searcher per call.
    match qname.bytes().position(|b| b == b':') {
        Some(i) => (&qname[..i], &qname[i + 1..]),
        None => ("", qname),
    }
}

/// [`split_qname`] with namespace processing (`aware`); without it a name is one unprefixed
/// name, colons and all.
pub(crate) fn split_name(aware: bool, name: &str) -> (&str, &str) {
    if aware {
        split_qname(name)
    } else {
        ("", name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unprefixed names follow the default namespace bindings as they come and go.
    #[test]
    fn default_namespace_comes_and_goes() {
        let mut ns = Namespaces::default();
        assert_eq!(ns.resolve(""), Some(None));
        ns.push("p", "urn:p");
        ns.push("", "urn:d");
        assert_eq!(ns.resolve(""), Some(Some("urn:d")));
        ns.push("", "");
        assert_eq!(ns.resolve(""), Some(None));
        ns.pop(1);
        assert_eq!(ns.resolve(""), Some(Some("urn:d")));
        assert_eq!(ns.resolve("p"), Some(Some("urn:p")));
        ns.pop(2);
        assert_eq!(ns.resolve(""), Some(None));
        assert_eq!(ns.resolve("p"), None);
        ns.pop(5);
        assert_eq!(ns, Namespaces::default());
    }
}
