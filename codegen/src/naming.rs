//! The one place where schema names become Rust names.
//!
//! * Identifiers are ASCII: a non-ASCII letter or digit becomes a word `u<hex code point>`
//!   (`größe` → `GrUf6UdfE`).
//! * Words are split at `_`, `-`, `.`, `:`, spaces, lower→upper changes (`uniqueId` →
//!   `unique`,`Id`) and acronym ends (`URLList` → `URL`,`List`); digits stay with the word
//!   before them (`EC2_INSTANCE` → `EC2`,`INSTANCE`).
//! * Types and enum variants are `UpperCamelCase` (`SCHEDULE_SCAN_LIST_OUTPUT` →
//!   `ScheduleScanListOutput`); fields and modules are `snake_case` (`hasMoreRecords` →
//!   `has_more_records`).
//! * Keywords: a field named like a Rust keyword is written as a raw identifier (`type` →
//!   `r#type`); the few keywords that cannot be raw (`self`, `Self`, `super`, `crate`) and
//!   names that would start with a digit get a trailing `_` or a leading letter instead
//!   (`self_`, `Self_`, field `f_1st`, type/variant `V0NoPriority`). An empty name becomes
//!   `Empty` / `empty`.
//! * Collisions are resolved by [`NameAllocator`]: the first claimant keeps a name, later
//!   ones get `2`, `3`... (types) or `_2`, `_3`... (fields), in a deterministic order.
//! * Version labels become module names with [`module_name`]: lowercase, every run of
//!   characters other than ASCII letters and digits becomes `_`, and a `v` is put in front
//!   when the label starts with a digit (`8.11.2` → `v8_11_2`, `pre-8.11.2` → `pre_8_11_2`,
//!   `2019-notes` → `v2019_notes`).

use std::collections::BTreeSet;

/// Split a schema name into words (see the module docs).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii() && c.is_alphanumeric() {
            // Identifiers stay ASCII: a non-ASCII letter or digit becomes its own word `u<hex>`.
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            words.push(format!("u{:x}", c as u32));
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = cur.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (c.is_uppercase() && (prev.is_lowercase() || prev.is_ascii_digit()))
                || (c.is_uppercase()
                    && prev.is_uppercase()
                    && next.is_some_and(|n| n.is_lowercase()));
            if boundary {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];
/// Names a generated type must not take (the Rust prelude and the std types generated code
/// names unqualified).
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Hash",
    "Display",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// `UpperCamelCase` of a schema name, not yet escaped.
fn camel(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(|c| c.to_lowercase()))
                    .collect(),
                None => String::new(),
            }
        })
        .collect()
}

/// `snake_case` of a schema name, not yet escaped.
fn snake(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// The Rust type (or enum variant) name for a schema name: `WasScanResultStatus`,
/// `ScheduleScanListOutput`, `V0NoPriority`.
pub fn type_name(name: &str) -> String {
    let c = camel(name);
    if c.is_empty() {
        "Empty".to_string()
    } else if c.starts_with(|ch: char| ch.is_ascii_digit()) {
        format!("V{c}")
    } else if NOT_RAW.contains(&c.as_str()) || KEYWORDS.contains(&c.as_str()) {
        format!("{c}_")
    } else {
        c
    }
}

/// The Rust field name for a schema name, as an identifier string: `has_more_records`,
/// `r#type`, `self_`.
pub fn field_name(name: &str) -> String {
    let s = snake(name);
    if s.is_empty() {
        "empty".to_string()
    } else if s.starts_with(|ch: char| ch.is_ascii_digit()) {
        format!("f_{s}")
    } else if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A Rust module name for a file stem or version label: `schedule_scan_list_output`,
/// `v8_11_2`, `pre_8_11_2`.
pub fn module_name(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "empty".to_string()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{out}")
    } else if KEYWORDS.contains(&out.as_str()) || NOT_RAW.contains(&out.as_str()) {
        format!("{out}_")
    } else {
        out
    }
}

/// Hands out unique names in one namespace (the types of a module, the fields of a struct).
#[derive(Clone, Debug, Default)]
pub struct NameAllocator {
    taken: BTreeSet<String>,
    separator: &'static str,
}

impl NameAllocator {
    /// For type names: suffixes `2`, `3`... The names of the Rust prelude (`Option`,
    /// `Result`, `String`, `Vec`, `Box`...) are taken from the start, so that a generated type
    /// never shadows them (an element `Result` becomes `Result2`).
    pub fn for_types() -> NameAllocator {
        let mut a = NameAllocator {
            taken: BTreeSet::new(),
            separator: "",
        };
        for n in PRELUDE {
            a.reserve(n);
        }
        a
    }

    /// For enum variants: suffixes `2`, `3`..., nothing reserved.
    pub fn for_variants() -> NameAllocator {
        NameAllocator {
            taken: BTreeSet::new(),
            separator: "",
        }
    }

    /// For field names: suffixes `_2`, `_3`...
    pub fn for_fields() -> NameAllocator {
        NameAllocator {
            taken: BTreeSet::new(),
            separator: "_",
        }
    }

    /// Reserve a name without taking it through [`NameAllocator::claim`].
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// Whether `name` is free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Take `wanted`, or the first free `wanted{sep}N` for N = 2, 3...
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.taken.contains(&name) {
            // `r#type` + `_2` must become `type_2`, which is no keyword.
            let base = wanted.strip_prefix("r#").unwrap_or(wanted);
            name = format!("{base}{}{n}", self.separator);
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("SCHEDULE_SCAN_LIST_OUTPUT", "ScheduleScanListOutput"),
            ("WasScanResultStatus", "WasScanResultStatus"),
            ("uniqueId", "UniqueId"),
            ("URLList", "UrlList"),
            ("EC2_INSTANCE", "Ec2Instance"),
            ("0 - No Priority", "V0NoPriority"),
            ("Self", "Self_"),
            ("", "Empty"),
            ("ns:name", "NsName"),
            ("größe", "GrUf6UdfE"),
            ("日本", "U65e5U672c"),
            ("a\u{b7}b", "AB"),
        ];
        for (input, want) in cases {
            assert_eq!(type_name(input), want, "{input}");
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("hasMoreRecords", "has_more_records"),
            ("ISCANNER_NAME", "iscanner_name"),
            ("type", "r#type"),
            ("self", "self_"),
            ("frequency_days", "frequency_days"),
            ("uniqueId", "unique_id"),
            ("1st", "f_1st"),
            ("HTTPResponse", "http_response"),
            ("größe", "gr_uf6_udf_e"),
            ("_", "empty"),
        ];
        for (input, want) in cases {
            assert_eq!(field_name(input), want, "{input}");
        }
    }

    #[test]
    fn module_names() {
        let cases = [
            ("8.11.2", "v8_11_2"),
            ("pre-8.11.2", "pre_8_11_2"),
            ("2019-notes", "v2019_notes"),
            ("2.25", "v2_25"),
            ("schedule_scan_list_output", "schedule_scan_list_output"),
        ];
        for (input, want) in cases {
            assert_eq!(module_name(input), want, "{input}");
        }
    }

    #[test]
    fn allocator_is_deterministic() {
        let mut a = NameAllocator::for_types();
        assert_eq!(a.claim("Finding"), "Finding");
        assert_eq!(a.claim("Finding"), "Finding2");
        assert_eq!(a.claim("Finding"), "Finding3");
        let mut f = NameAllocator::for_fields();
        assert_eq!(f.claim("r#type"), "r#type");
        assert_eq!(f.claim("r#type"), "type_2");
    }
}
