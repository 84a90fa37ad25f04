//! The mutation generator: parses a payload with roxmltree (byte ranges of every element and
//! attribute), finds targets the schema model declares (enumerations, typed values, required
//! attributes, content models), and produces mutated TEXT by splicing, so everything outside
//! the splice keeps its bytes. Each mutation records the line where its error is expected
//! (computed in the mutated text). Targets are chosen with a RNG seeded by the payload and the
//! kind, so the same cases come out every run.

use std::fmt;

use qschema_model::Schema;
use roxmltree::{Document, Node, NodeId};

use super::rng::Rng;
use super::schema_view::{attributes, element_decl, text_type, value_kind, ValueKind};
use super::text::{
    content_range, has_child_elements, is_self_closing, line_at, path_of, set_text, splice,
};
use super::values::bad_values;

/// The kinds of mutation (also the rows of the agreement table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The payload as it is.
    Unmutated,
    /// A child element removed.
    RemoveChild,
    /// A child element repeated right after itself.
    DuplicateChild,
    /// Two adjacent sibling elements (of different names) swapped.
    ReorderChildren,
    /// An undeclared element inserted before a child element.
    UndeclaredElement,
    /// An undeclared attribute added to a start tag.
    UndeclaredAttribute,
    /// A value outside an enumeration (element text or attribute).
    WrongEnumeration,
    /// A `uniqueId` that is not a lowercase UUID.
    BrokenUniqueId,
    /// A bad `xs:boolean`.
    BadBoolean,
    /// A bad `xs:long`.
    BadLong,
    /// A bad `xs:int`.
    BadInt,
    /// A bad `xs:dateTime`.
    BadDateTime,
    /// A required (`#REQUIRED`, `use="required"`) attribute removed.
    DropRequiredAttribute,
    /// Well-formedness broken (end tag, `<`, `&`, duplicate attribute, truncation).
    NotWellFormed,
    /// A typed value (text of a boolean/long/int/dateTime/enumeration element) written
    /// differently with the same meaning: split by a comment, in a CDATA section, first
    /// character as a character reference. Still valid.
    ReencodedValue,
    /// A default namespace declaration (`xmlns="urn:qschema:other"`) on an element: the
    /// element and its unprefixed descendants change namespace (XSD), or an undeclared
    /// `xmlns` attribute appears (DTD).
    ForeignNamespace,
    /// `xsi:nil="true"` or `xsi:type="..."` on an element.
    XsiAttribute,
    /// The root element renamed to another global element of the schema (root-element
    /// policy: XSD allows any global element as the root; a DTD's DOCTYPE names it).
    OtherRoot,
}

impl Kind {
    /// Every kind that mutates, in table order.
    pub const MUTATIONS: [Kind; 17] = [
        Kind::RemoveChild,
        Kind::DuplicateChild,
        Kind::ReorderChildren,
        Kind::UndeclaredElement,
        Kind::UndeclaredAttribute,
        Kind::WrongEnumeration,
        Kind::BrokenUniqueId,
        Kind::BadBoolean,
        Kind::BadLong,
        Kind::BadInt,
        Kind::BadDateTime,
        Kind::DropRequiredAttribute,
        Kind::NotWellFormed,
        Kind::ReencodedValue,
        Kind::ForeignNamespace,
        Kind::XsiAttribute,
        Kind::OtherRoot,
    ];

    /// The kind's name in case ids and the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unmutated => "unmutated",
            Kind::RemoveChild => "remove-child",
            Kind::DuplicateChild => "duplicate-child",
            Kind::ReorderChildren => "reorder-children",
            Kind::UndeclaredElement => "undeclared-element",
            Kind::UndeclaredAttribute => "undeclared-attribute",
            Kind::WrongEnumeration => "wrong-enumeration",
            Kind::BrokenUniqueId => "broken-uniqueid",
            Kind::BadBoolean => "bad-boolean",
            Kind::BadLong => "bad-long",
            Kind::BadInt => "bad-int",
            Kind::BadDateTime => "bad-datetime",
            Kind::DropRequiredAttribute => "drop-required-attribute",
            Kind::NotWellFormed => "not-well-formed",
            Kind::ReencodedValue => "reencoded-value",
            Kind::ForeignNamespace => "foreign-namespace",
            Kind::XsiAttribute => "xsi-attribute",
            Kind::OtherRoot => "other-root",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One mutated payload.
#[derive(Clone, Debug)]
pub struct Mutation {
    /// What was done.
    pub kind: Kind,
    /// Where and how, stable across runs: the target's element path (`/a/b[2]`, `@attr`) and
    /// the variant (`=value`), e.g. `/ServiceResponse/count=12.5`.
    pub target: String,
    /// The mutated document.
    pub text: String,
    /// The line (1-based, in `text`) where the error is expected.
    pub line: usize,
}

/// A mutation chosen but not yet applied (cheap: node ids only).
#[derive(Clone, Copy)]
enum Plan {
    Remove(NodeId),
    Duplicate(NodeId),
    Swap(NodeId, NodeId),
    InsertElement(NodeId),
    InsertAttribute(NodeId),
    /// Replace the text of an element (`None`) or the value of its n-th attribute.
    Value(NodeId, Option<usize>, Kind),
    DropAttribute(NodeId, usize),
    Break(NodeId, u8),
    Reencode(NodeId, u8),
    /// Rename the root to the n-th global element.
    RenameRoot(usize),
    /// Add attribute text (`xmlns=...`, `xsi:...`) to a start tag.
    AddAttribute(NodeId, Kind, u8),
}

/// Name of the undeclared element and attribute the mutations insert.
const UNDECLARED: &str = "qschemaUndeclared";

/// Up to `per_kind` mutations of each kind of `text` (which must parse), aimed at what
/// `schema` declares. `seed` makes the choice stable (use the payload's id).
pub fn mutations(text: &str, schema: &Schema, seed: &str, per_kind: usize) -> Vec<Mutation> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = Document::parse_with_options(text, opts) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for kind in Kind::MUTATIONS {
        let candidates = plans(&doc, schema, kind);
        let mut rng = Rng::from_str_seed(&format!("{seed}#{kind}"));
        // Well-formedness has many more variants than the other kinds: twice the share.
        let k = if kind == Kind::NotWellFormed {
            2 * per_kind
        } else {
            per_kind
        };
        for plan in rng.choose(&candidates, k) {
            if let Some(m) = apply(&doc, schema, text, plan, &mut rng) {
                out.push(m);
            }
        }
    }
    out
}

fn elements<'a>(doc: &'a Document) -> impl Iterator<Item = Node<'a, 'a>> {
    doc.descendants().filter(|n| n.is_element())
}

/// Attributes a mutation may touch: no namespaced ones (`xsi:`, `xml:`).
fn plain_attributes<'a>(
    node: Node<'a, 'a>,
) -> impl Iterator<Item = (usize, roxmltree::Attribute<'a, 'a>)> {
    node.attributes()
        .enumerate()
        .filter(|(_, a)| a.namespace().is_none())
}

/// Every candidate target of `kind` in `doc`.
fn plans(doc: &Document, schema: &Schema, kind: Kind) -> Vec<Plan> {
    let non_root = || elements(doc).filter(|n| n.parent_element().is_some());
    match kind {
        Kind::Unmutated => Vec::new(),
        Kind::RemoveChild => non_root().map(|n| Plan::Remove(n.id())).collect(),
        Kind::DuplicateChild => non_root().map(|n| Plan::Duplicate(n.id())).collect(),
        Kind::ReorderChildren => non_root()
            .filter_map(|n| {
                let next = n.next_sibling_element()?;
                (next.tag_name() != n.tag_name()).then(|| Plan::Swap(n.id(), next.id()))
            })
            .collect(),
        Kind::UndeclaredElement => non_root().map(|n| Plan::InsertElement(n.id())).collect(),
        Kind::UndeclaredAttribute => elements(doc)
            .map(|n| Plan::InsertAttribute(n.id()))
            .collect(),
        Kind::BrokenUniqueId => elements(doc)
            .filter(|n| n.tag_name().name() == "uniqueId" && !has_child_elements(*n))
            .map(|n| Plan::Value(n.id(), None, kind))
            .collect(),
        Kind::WrongEnumeration
        | Kind::BadBoolean
        | Kind::BadLong
        | Kind::BadInt
        | Kind::BadDateTime => {
            let wanted = match kind {
                Kind::WrongEnumeration => ValueKind::Enumeration,
                Kind::BadBoolean => ValueKind::Boolean,
                Kind::BadLong => ValueKind::Long,
                Kind::BadInt => ValueKind::Int,
                _ => ValueKind::DateTime,
            };
            let mut out = Vec::new();
            for n in elements(doc) {
                let Some(decl) = element_decl(schema, n) else {
                    continue;
                };
                if !has_child_elements(n)
                    && text_type(schema, decl).is_some_and(|st| value_kind(schema, st) == wanted)
                {
                    out.push(Plan::Value(n.id(), None, kind));
                }
                let declared = attributes(schema, decl);
                for (i, a) in plain_attributes(n) {
                    if declared
                        .iter()
                        .any(|(name, k, _)| name == a.name() && *k == wanted)
                    {
                        out.push(Plan::Value(n.id(), Some(i), kind));
                    }
                }
            }
            out
        }
        Kind::DropRequiredAttribute => {
            let mut out = Vec::new();
            for n in elements(doc) {
                let Some(decl) = element_decl(schema, n) else {
                    continue;
                };
                let declared = attributes(schema, decl);
                for (i, a) in plain_attributes(n) {
                    if declared
                        .iter()
                        .any(|(name, _, req)| name == a.name() && *req)
                    {
                        out.push(Plan::DropAttribute(n.id(), i));
                    }
                }
            }
            out
        }
        Kind::OtherRoot => {
            let root = doc.root_element().tag_name().name();
            schema
                .globals
                .keys()
                .enumerate()
                .filter(|(_, name)| name.as_str() != root && !name.contains(':'))
                .map(|(i, _)| Plan::RenameRoot(i))
                .collect()
        }
        Kind::ReencodedValue => {
            let mut out = Vec::new();
            for n in elements(doc) {
                let typed = element_decl(schema, n)
                    .and_then(|d| text_type(schema, d))
                    .is_some_and(|st| value_kind(schema, st) != ValueKind::Other);
                let plain = n.children().count() == 1
                    && n.first_child().is_some_and(|c| {
                        c.is_text()
                            && doc.input_text().get(c.range()).is_some_and(|t| {
                                t.trim().chars().count() >= 2 && !t.contains(['<', '&'])
                            })
                    });
                if typed && plain {
                    out.extend((0..3u8).map(|v| Plan::Reencode(n.id(), v)));
                }
            }
            out
        }
        Kind::ForeignNamespace => non_root()
            .map(|n| Plan::AddAttribute(n.id(), kind, 0))
            .collect(),
        Kind::XsiAttribute => elements(doc)
            .flat_map(|n| (0..3u8).map(move |v| Plan::AddAttribute(n.id(), kind, v)))
            .collect(),
        Kind::NotWellFormed => {
            let mut out = Vec::new();
            for n in elements(doc) {
                for variant in 0..11u8 {
                    let applies = match variant {
                        0..=2 | 7..=9 => !is_self_closing(doc.input_text(), n),
                        3 | 10 => n.attributes().len() > 0,
                        5 => n.parent_element().is_some(),
                        _ => true,
                    };
                    if applies {
                        out.push(Plan::Break(n.id(), variant));
                    }
                }
            }
            out
        }
    }
}

fn apply(
    doc: &Document,
    schema: &Schema,
    text: &str,
    plan: Plan,
    rng: &mut Rng,
) -> Option<Mutation> {
    let node = |id| doc.get_node(id);
    let (kind, target, new, at) = match plan {
        Plan::Remove(id) => {
            let n = node(id)?;
            let parent = n.parent_element()?;
            let new = splice(text, n.range(), "")?;
            (Kind::RemoveChild, path_of(n), new, parent.range().start)
        }
        Plan::Duplicate(id) => {
            let n = node(id)?;
            let copy = text.get(n.range())?;
            let end = n.range().end;
            let new = splice(text, end..end, copy)?;
            (Kind::DuplicateChild, path_of(n), new, end)
        }
        Plan::Swap(a, b) => {
            let (a, b) = (node(a)?, node(b)?);
            let between = text.get(a.range().end..b.range().start)?;
            let swapped = format!("{}{between}{}", text.get(b.range())?, text.get(a.range())?);
            let new = splice(text, a.range().start..b.range().end, &swapped)?;
            (
                Kind::ReorderChildren,
                format!("{}<->{}", path_of(a), b.tag_name().name()),
                new,
                a.range().start,
            )
        }
        Plan::InsertElement(id) => {
            let n = node(id)?;
            let at = n.range().start;
            let new = splice(text, at..at, &format!("<{UNDECLARED}/>"))?;
            (
                Kind::UndeclaredElement,
                format!("{}:before", path_of(n)),
                new,
                at,
            )
        }
        Plan::InsertAttribute(id) => {
            let n = node(id)?;
            let start = n.range().start;
            let tail = text.get(start + 1..)?;
            let name_len = tail.find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
            let at = start + 1 + name_len;
            let new = splice(text, at..at, &format!(" {UNDECLARED}=\"1\""))?;
            (Kind::UndeclaredAttribute, path_of(n), new, start)
        }
        Plan::Value(id, attr, kind) => {
            let n = node(id)?;
            let (range, current, target) = match attr {
                Some(i) => {
                    let a = n.attributes().nth(i)?;
                    (
                        a.range_value(),
                        a.value().to_string(),
                        format!("{}/@{}", path_of(n), a.name()),
                    )
                }
                None => {
                    let (r, _) = set_text(text, n, "")?;
                    (r, n.text().unwrap_or("").to_string(), path_of(n))
                }
            };
            let values: Vec<String> = bad_values(kind, &current)
                .into_iter()
                .filter(|v| *v != current)
                .collect();
            let value = values.get(rng.below(values.len().max(1)))?.clone();
            let new = match attr {
                Some(_) => splice(text, range, &value)?,
                None => {
                    let (r, with) = set_text(text, n, &value)?;
                    splice(text, r, &with)?
                }
            };
            (
                kind,
                format!("{target}={}", value.replace('\n', "\\n")),
                new,
                n.range().start,
            )
        }
        Plan::DropAttribute(id, i) => {
            let n = node(id)?;
            let a = n.attributes().nth(i)?;
            let r = a.range();
            // Take the whitespace before the attribute too.
            let before = text.get(..r.start)?;
            let start = before.trim_end().len();
            let new = splice(text, start..r.end, "")?;
            (
                Kind::DropRequiredAttribute,
                format!("{}/@{}", path_of(n), a.name()),
                new,
                n.range().start,
            )
        }
        Plan::RenameRoot(i) => {
            let (name, _) = schema.globals.get_index(i)?;
            let root = doc.root_element();
            let r = root.range();
            let s = text.get(r.clone())?;
            let name_len = s
                .get(1..)?
                .find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
            let mut new = String::with_capacity(text.len() + 2 * name.len());
            new.push_str(text.get(..r.start + 1)?);
            new.push_str(name);
            if s.ends_with("/>") {
                new.push_str(text.get(r.start + 1 + name_len..)?);
            } else {
                let end_tag = r.start + s.rfind("</")?;
                new.push_str(text.get(r.start + 1 + name_len..end_tag + 2)?);
                new.push_str(name);
                let after = text.get(end_tag + 2..)?;
                let old_len = after.find(|c: char| c.is_whitespace() || c == '>')?;
                new.push_str(after.get(old_len..)?);
            }
            (Kind::OtherRoot, format!("/{name}"), new, r.start)
        }
        Plan::Reencode(id, variant) => {
            let n = node(id)?;
            let child = n.first_child()?;
            let r = child.range();
            let raw = text.get(r.clone())?;
            let lead = raw.len() - raw.trim_start().len();
            let value = raw.trim();
            let split = value.char_indices().nth(1)?.0;
            let (head, tail) = value.split_at(split);
            let (name, encoded) = match variant {
                0 => ("comment", format!("{head}<!-- qschema -->{tail}")),
                1 => ("cdata", format!("<![CDATA[{value}]]>")),
                _ => {
                    let c = head.chars().next()?;
                    ("charref", format!("&#x{:X};{tail}", u32::from(c)))
                }
            };
            let at = r.start + lead;
            let new = splice(text, at..at + value.len(), &encoded)?;
            (
                Kind::ReencodedValue,
                format!("{}:{name}", path_of(n)),
                new,
                at,
            )
        }
        Plan::AddAttribute(id, kind, variant) => {
            let n = node(id)?;
            let start = n.range().start;
            let tail = text.get(start + 1..)?;
            let name_len = tail.find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
            let at = start + 1 + name_len;
            const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
            let declare = if n.lookup_prefix(XSI) == Some("xsi") {
                ""
            } else {
                " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            };
            let (name, attr) = match (kind, variant) {
                (Kind::ForeignNamespace, _) => ("xmlns", " xmlns=\"urn:qschema:other\"".to_string()),
                (_, 0) => ("nil", format!("{declare} xsi:nil=\"true\"")),
                (_, 1) => ("type-string", format!("{declare} xsi:type=\"xs:string\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"")),
                _ => ("type-unknown", format!("{declare} xsi:type=\"QschemaNoSuchType\"")),
            };
            let new = splice(text, at..at, &attr)?;
            (kind, format!("{}:{name}", path_of(n)), new, start)
        }
        Plan::Break(id, variant) => {
            let n = node(id)?;
            let r = n.range();
            let path = path_of(n);
            match variant {
                0 => {
                    let s = text.get(r.clone())?;
                    let end_tag = r.start + s.rfind("</")?;
                    let name_end = end_tag
                        + 2
                        + text
                            .get(end_tag + 2..)?
                            .find(|c: char| c == '>' || c.is_whitespace())?;
                    let new = splice(text, name_end..name_end, "X")?;
                    (
                        Kind::NotWellFormed,
                        format!("{path}:end-tag-mismatch"),
                        new,
                        end_tag,
                    )
                }
                1 | 2 => {
                    let at = content_range(text, n)?.start;
                    let what = if variant == 1 { "a < b" } else { "a & b" };
                    let new = splice(text, at..at, what)?;
                    let name = if variant == 1 { "bare-lt" } else { "bare-amp" };
                    (Kind::NotWellFormed, format!("{path}:{name}"), new, at)
                }
                3 => {
                    let a = n.attributes().next()?;
                    let copy = format!(" {}", text.get(a.range())?);
                    let at = a.range().end;
                    let new = splice(text, at..at, &copy)?;
                    (
                        Kind::NotWellFormed,
                        format!("{path}:duplicate-attribute"),
                        new,
                        at,
                    )
                }
                5 => {
                    let at = r.start;
                    let new = splice(text, at..at, "<qns:qschemaUndeclared/>")?;
                    (
                        Kind::NotWellFormed,
                        format!("{path}:undeclared-prefix-element"),
                        new,
                        at,
                    )
                }
                6 => {
                    let tail = text.get(r.start + 1..)?;
                    let name_len =
                        tail.find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
                    let at = r.start + 1 + name_len;
                    let new = splice(text, at..at, " qns:qschema=\"1\"")?;
                    (
                        Kind::NotWellFormed,
                        format!("{path}:undeclared-prefix-attribute"),
                        new,
                        r.start,
                    )
                }
                7..=9 => {
                    let at = content_range(text, n)?.start;
                    let (name, what) = match variant {
                        7 => ("control-char", "a\u{1}b"),
                        8 => ("cdata-end-in-text", "a]]>b"),
                        _ => ("double-hyphen-comment", "<!-- a -- b -->"),
                    };
                    let new = splice(text, at..at, what)?;
                    (Kind::NotWellFormed, format!("{path}:{name}"), new, at)
                }
                10 => {
                    let a = n.attributes().next()?;
                    let at = a.range_value().start;
                    let new = splice(text, at..at, "<")?;
                    (
                        Kind::NotWellFormed,
                        format!("{path}:lt-in-attribute"),
                        new,
                        at,
                    )
                }
                _ => {
                    // Cut the document right after this element's start tag.
                    let s = text.get(r.clone())?;
                    let gt = s.find('>')?;
                    let cut = r.start + gt + 1;
                    let new = text.get(..cut)?.to_string();
                    (Kind::NotWellFormed, format!("{path}:truncated"), new, cut)
                }
            }
        }
    };
    let line = line_at(&new, at);
    Some(Mutation {
        kind,
        target,
        text: new,
        line,
    })
}
