//! Walking the suite's index (`xmlconf/xmlconf.xml`) into the cases of the subset we run.
//!
//! `xmlconf.xml` includes one index file per contributor through external general entities
//! declared in its internal subset. roxmltree does not read external entities, so the walker
//! reads those declarations itself, follows the references in document order, and parses each
//! contributor's file on its own. Case URIs resolve against the contributor file's folder (XML
//! Base: the base URI of an external entity's content is the entity's own location).

use std::path::{Path, PathBuf};

/// The three test types the runner checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Must be well-formed and valid.
    Valid,
    /// Well-formed but must be reported invalid.
    Invalid,
    /// Must be rejected as not well-formed.
    NotWf,
}

impl Kind {
    /// The suite's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Valid => "valid",
            Kind::Invalid => "invalid",
            Kind::NotWf => "not-wf",
        }
    }
}

/// One test case of the subset.
#[derive(Clone, Debug)]
pub struct Case {
    /// The suite's `ID`.
    pub id: String,
    /// What the case expects.
    pub kind: Kind,
    /// The document.
    pub path: PathBuf,
    /// The document relative to the suite folder (for reports).
    pub file: String,
    /// The entity name of the contributor's index file in `xmlconf.xml` (`sun-valid`, ...).
    pub contributor: String,
    /// A Namespaces in XML test (`RECOMMENDATION="NS..."`): run with namespace processing.
    /// The XML 1.0 tests are run as plain XML 1.0 (where `a:b:c` is just a name).
    pub namespaces: bool,
    /// Outside the subset (eduni misc tests, Namespaces 1.0 errata): run and reported
    /// on their own line.
    pub extra: bool,
}

/// Every case of the subset (and the extra ones), in index order.
pub fn cases(suite: &Path) -> Result<Vec<Case>, String> {
    let top_path = suite.join("xmlconf.xml");
    let top = std::fs::read_to_string(&top_path).map_err(|e| format!("{top_path:?}: {e}"))?;
    let declared = entity_declarations(&top);
    let body = top
        .find("<TESTSUITE")
        .map(|i| &top[i..])
        .ok_or("xmlconf.xml: no <TESTSUITE>")?;
    let mut out = Vec::new();
    for name in references(body) {
        let Some(system) = declared.iter().find(|(n, _)| *n == name).map(|(_, s)| s) else {
            return Err(format!("xmlconf.xml: entity '{name}' is not declared"));
        };
        let index = suite.join(system);
        let text = std::fs::read_to_string(&index).map_err(|e| format!("{index:?}: {e}"))?;
        // An external parsed entity: an optional text declaration, then content (several
        // elements): wrap it to parse it as a document.
        let content = match text.trim_start().strip_prefix("<?xml") {
            Some(rest) => rest.find("?>").map_or("", |e| &rest[e + 2..]),
            None => &text,
        };
        let wrapped = format!("<INDEX>{content}</INDEX>");
        let doc = roxmltree::Document::parse_with_options(
            &wrapped,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .map_err(|e| format!("{index:?}: {e}"))?;
        let folder = index.parent().unwrap_or(suite);
        for test in doc.descendants().filter(|n| n.has_tag_name("TEST")) {
            if let Some(case) = case(test, folder, suite, &name)? {
                out.push(case);
            }
        }
    }
    Ok(out)
}

/// The case a `<TEST>` element describes, if it is in the subset (or an extra).
fn case(
    test: roxmltree::Node,
    folder: &Path,
    suite: &Path,
    contributor: &str,
) -> Result<Option<Case>, String> {
    let attr = |n: &str| test.attribute(n);
    let kind = match attr("TYPE") {
        Some("valid") => Kind::Valid,
        Some("invalid") => Kind::Invalid,
        Some("not-wf") => Kind::NotWf,
        _ => return Ok(None),
    };
    let entities_ok = matches!(attr("ENTITIES"), None | Some("none") | Some("parameter"));
    let xml_1_1 = attr("VERSION") == Some("1.1")
        || attr("RECOMMENDATION").is_some_and(|r| r.ends_with("1.1"));
    let fifth_edition = attr("EDITION").is_none_or(|e| e.split_whitespace().any(|x| x == "5"));
    if !entities_ok || xml_1_1 || !fifth_edition {
        return Ok(None);
    }
    let id = attr("ID").ok_or("a TEST without ID")?.to_string();
    let uri = attr("URI").ok_or_else(|| format!("{id}: no URI"))?;
    let extra = contributor == "eduni-misc" || attr("RECOMMENDATION") == Some("NS1.0-errata1e");
    let path = folder.join(uri);
    let file = path
        .strip_prefix(suite)
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/");
    Ok(Some(Case {
        id,
        kind,
        path,
        file,
        contributor: contributor.to_string(),
        namespaces: attr("RECOMMENDATION").is_some_and(|r| r.starts_with("NS")),
        extra,
    }))
}

/// `(name, system identifier)` of each `<!ENTITY name SYSTEM "...">` in the internal subset.
fn entity_declarations(text: &str) -> Vec<(String, String)> {
    text.split("<!ENTITY")
        .skip(1)
        .filter_map(|decl| {
            let decl = &decl[..decl.find('>')?];
            let mut words = decl.split_whitespace();
            let name = words.next()?.to_string();
            (words.next()? == "SYSTEM").then_some(())?;
            let quoted = decl.split(['"', '\'']).nth(1)?;
            Some((name, quoted.to_string()))
        })
        .collect()
}

/// The general entity references (`&name;`) in `body`, in order, outside comments.
fn references(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find(['&', '<']) {
        rest = &rest[i..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
        } else if let Some(r) = rest.strip_prefix('&') {
            if let Some(end) = r.find(';') {
                out.push(r[..end].to_string());
            }
            rest = r;
        } else {
            rest = &rest[1..];
        }
    }
    out
}
