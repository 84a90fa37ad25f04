//! Parameter entities: expanding `%name;` references (into a new input frame, or in place
//! inside an entity value), reading external entities through the resolver, text
//! declarations, and the bound on total expansion.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::chars::{is_name_char, is_name_start, is_ws, is_xml_char};
use super::parser::{PResult, Parser, PeValue, Stop, EXPANSION_LIMIT, NESTING_LIMIT};
use super::source::Source;
use crate::location::Location;
use crate::resolver::normalize;

impl Parser<'_> {
    /// Count `bytes` of replacement text against the expansion limit; aborts loading when the
    /// limit is passed.
    pub fn charge(&mut self, bytes: usize, loc: Location) -> PResult<()> {
        self.expanded = self.expanded.saturating_add(bytes);
        if self.expanded > EXPANSION_LIMIT {
            self.error_at(
                loc,
                format!(
                    "entity expansion exceeds the limit of {EXPANSION_LIMIT} bytes (entities that \
                     expand to huge texts, e.g. an entity expansion bomb); loading stopped"
                ),
            );
            self.aborted = true;
            return Err(Stop::Abort);
        }
        Ok(())
    }

    /// At `%` followed by a name: read the reference `%name;` and push the entity's
    /// replacement text as a new input frame.
    /// `in_markup` tells whether the reference is inside a markup declaration, where an
    /// undeclared entity is an error (the declaration cannot be read without it); between
    /// declarations it is the validity constraint Entity Declared: a finding, and the
    /// reference is skipped.
    pub fn expand_pe_reference(&mut self, in_markup: bool) -> PResult<()> {
        let loc = self.reader.location();
        self.reader.bump();
        let name = self.name("a parameter-entity name after '%'")?;
        if self.reader.peek() != Some(';') {
            let found = self.found();
            return Err(self.fail(format!(
                "expected ';' to end the parameter-entity reference %{name}, found {found}"
            )));
        }
        self.reader.bump();
        if !in_markup && !self.pes.contains_key(&name) {
            self.undeclared_pe(&name, loc);
            return Ok(());
        }
        self.push_pe(&name, loc)
    }

    /// Report a reference to an undeclared parameter entity that is skipped.
    fn undeclared_pe(&mut self, name: &str, loc: Location) {
        self.finding(
            "dtd-undeclared-parameter-entity",
            loc,
            format!(
                "reference to undeclared parameter entity %{name}; (skipped) (VC: Entity Declared)"
            ),
        );
    }

    /// Check that `%name;` may be expanded here, returning its replacement text, the file
    /// it lives in (for external entities) and the declaring file.
    fn pe_text(
        &mut self,
        name: &str,
        loc: Location,
    ) -> PResult<(String, Option<PathBuf>, PathBuf)> {
        let Some(decl) = self.pes.get(name).cloned() else {
            return Err(self.fail_at(
                loc,
                format!(
                    "reference to undeclared parameter entity %{name}; inside a markup declaration"
                ),
            ));
        };
        if self.reader.entity_open(name) || self.expanding.iter().any(|n| n == name) {
            return Err(self.fail_at(
                loc,
                format!("recursive reference to parameter entity %{name}; (it refers to itself, directly or through other entities)"),
            ));
        }
        if self.reader.depth() + self.expanding.len() >= NESTING_LIMIT {
            return Err(self.fail_at(
                loc,
                format!("parameter entities nested more than {NESTING_LIMIT} deep at %{name};"),
            ));
        }
        match decl.value {
            PeValue::Internal(text) => {
                self.charge(text.len(), loc)?;
                Ok((text, None, decl.base))
            }
            PeValue::External {
                system_id,
                resolved,
            } => {
                let Some(path) = resolved else {
                    return Err(self.fail_at(
                        loc,
                        format!("external parameter entity %{name}; refers to '{system_id}', which is not a local file (only local files are read; no network access)"),
                    ));
                };
                let text = match self.resolver.read(&path) {
                    Ok(text) => text,
                    Err(e) => {
                        return Err(self.fail_at(
                            loc,
                            format!("cannot read external parameter entity %{name}; from '{system_id}': {e}"),
                        ))
                    }
                };
                self.charge(text.len(), loc)?;
                Ok((text, Some(path.clone()), path))
            }
        }
    }

    /// Push the replacement text of parameter entity `name`, referenced at `loc`.
    pub fn push_pe(&mut self, name: &str, loc: Location) -> PResult<()> {
        let (text, external_file, base) = self.pe_text(name, loc)?;
        match external_file {
            None => {
                let external = self.reader.external();
                let src = Rc::new(Source::new(&text, loc.file, &base, (loc.line, loc.column)));
                self.reader
                    .push(src, Some(name.to_string()), external, Some(loc));
                Ok(())
            }
            Some(path) => {
                let file = self.files.add(&path);
                let src = Rc::new(Source::new(strip_bom(&text), file, &path, (1, 1)));
                self.reader.push(src, Some(name.to_string()), true, None);
                self.text_declaration()
            }
        }
    }

    /// At the start of an external entity: read and check a text declaration if there is one.
    pub fn text_declaration(&mut self) -> PResult<()> {
        if !(self.reader.starts_with("<?xml")
            && self
                .reader
                .rest()
                .get(5..)
                .is_some_and(|r| r.starts_with(is_ws)))
        {
            return Ok(());
        }
        let loc = self.reader.location();
        let rest = self.reader.rest();
        let Some(end) = rest.find("?>") else {
            return Err(self.fail("unterminated text declaration: expected '?>'"));
        };
        let content = rest.get(5..end).unwrap_or("").to_string();
        self.reader.advance(end + 2);
        if let Err(message) = check_text_declaration(&content) {
            return Err(self.fail_at(loc, message));
        }
        Ok(())
    }

    /// Read an entity value literal: parameter-entity references (external subset only) and
    /// character references are expanded, general-entity references kept as written.
    pub fn entity_value(&mut self) -> PResult<String> {
        let (raw, loc) = self.quoted("entity value")?;
        let external = self.reader.external();
        let mut out = String::new();
        self.expand_entity_value(&raw, loc, external, &mut out)?;
        Ok(out)
    }

    /// Append the processed form of entity-value text `text` to `out`.
    fn expand_entity_value(
        &mut self,
        text: &str,
        loc: Location,
        external: bool,
        out: &mut String,
    ) -> PResult<()> {
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '%' => {
                    let name: String = text
                        .get(i + 1..)
                        .unwrap_or("")
                        .chars()
                        .take_while(|&c| is_name_char(c))
                        .collect();
                    let after = i + 1 + name.len();
                    if !name.starts_with(is_name_start)
                        || !text.get(after..).is_some_and(|r| r.starts_with(';'))
                    {
                        return Err(self.fail_at(
                            loc,
                            "'%' in an entity value must start a parameter-entity reference %name; (write &#37; for a literal '%')",
                        ));
                    }
                    if !external {
                        return Err(self.fail_at(
                            loc,
                            format!("parameter-entity reference %{name}; inside an entity value is not allowed in the internal subset"),
                        ));
                    }
                    while chars.peek().is_some_and(|&(j, _)| j <= after) {
                        chars.next();
                    }
                    if !self.pes.contains_key(&name) {
                        self.undeclared_pe(&name, loc);
                        continue;
                    }
                    let (replacement, external_file, _) = self.pe_text(&name, loc)?;
                    let replacement = match external_file {
                        Some(_) => strip_text_declaration(strip_bom(&replacement))
                            .map_err(|m| self.fail_at(loc, m))?,
                        None => replacement,
                    };
                    self.expanding.push(name);
                    let result = self.expand_entity_value(&replacement, loc, external, out);
                    self.expanding.pop();
                    result?;
                }
                '&' => {
                    let rest = text.get(i..).unwrap_or("");
                    let Some(len) = rest.find(';') else {
                        return Err(self.fail_at(loc, "'&' in an entity value must start a reference &name; or &#...; (write &#38; for a literal '&')"));
                    };
                    let reference = rest.get(..=len).unwrap_or("");
                    if let Some(code) = reference.strip_prefix("&#") {
                        match char_reference(code.trim_end_matches(';')) {
                            Some(ch) => out.push(ch),
                            None => {
                                return Err(self.fail_at(
                                    loc,
                                    format!("{reference} is not a reference to an XML character"),
                                ))
                            }
                        }
                    } else if super::chars::is_name(reference.get(1..len).unwrap_or("")) {
                        out.push_str(reference);
                    } else {
                        return Err(self.fail_at(
                            loc,
                            format!("malformed entity reference '{reference}' in an entity value"),
                        ));
                    }
                    while chars.peek().is_some_and(|&(j, _)| j < i + len + 1) {
                        chars.next();
                    }
                }
                c if !is_xml_char(c) => {
                    return Err(self.fail_at(
                        loc,
                        format!("character U+{:04X} is not allowed in XML", c as u32),
                    ))
                }
                c => out.push(c),
            }
        }
        Ok(())
    }

    /// Resolve a system identifier written in the current input to a local file.
    pub fn resolve_system_id(&self, system_id: &str) -> Option<PathBuf> {
        let base = self
            .reader
            .top()
            .map(|f| f.src.path.clone())
            .unwrap_or_default();
        resolve_local(&base, system_id)
    }
}

/// Resolve `system_id` against the file `base` when it names a local file (a relative
/// reference, an absolute path or a `file:` URL); `None` for other URL schemes.
pub(crate) fn resolve_local(base: &Path, system_id: &str) -> Option<PathBuf> {
    let id = system_id.split('#').next().unwrap_or("");
    if id.is_empty() {
        return None;
    }
    let id = if let Some(rest) = id.strip_prefix("file://") {
        rest
    } else if let Some(rest) = id.strip_prefix("file:") {
        rest
    } else {
        let scheme_len = id.find(':').unwrap_or(0);
        let is_scheme = scheme_len > 1
            && id
                .get(..scheme_len)
                .unwrap_or("")
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if is_scheme {
            return None;
        }
        id
    };
    let id = percent_decode(id);
    let joined = match base.parent() {
        Some(dir) => dir.join(&id),
        None => PathBuf::from(&id),
    };
    Some(normalize(&joined))
}

/// Decode `%XX` escapes in a URI reference (leaving malformed ones as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let decoded = (b == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(d) => {
                out.push(d);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The value of a character reference body (`#x3C` without `&` and `;` is `x3C`), if it
/// names an XML character.
pub(crate) fn char_reference(code: &str) -> Option<char> {
    let value = if let Some(hex) = code.strip_prefix('x') {
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(hex, 16).ok()?
    } else {
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        code.parse::<u32>().ok()?
    };
    char::from_u32(value).filter(|&c| is_xml_char(c))
}

/// Drop a leading byte-order mark.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// The text of an external entity after its text declaration (checked), if it has one.
pub(crate) fn strip_text_declaration(text: &str) -> Result<String, String> {
    if !(text.starts_with("<?xml") && text.get(5..).is_some_and(|r| r.starts_with(is_ws))) {
        return Ok(text.to_string());
    }
    let end = text
        .find("?>")
        .ok_or_else(|| "unterminated text declaration: expected '?>'".to_string())?;
    check_text_declaration(text.get(5..end).unwrap_or(""))?;
    Ok(text.get(end + 2..).unwrap_or("").to_string())
}

/// Check the pseudo-attributes of a text declaration (`version` optional, `encoding`
/// required, nothing else).
pub(crate) fn check_text_declaration(content: &str) -> Result<(), String> {
    let pairs = pseudo_attributes(content)?;
    let mut names = pairs.iter().map(|(n, _)| n.as_str());
    let mut next = names.next();
    if next == Some("version") {
        next = names.next();
    }
    if next != Some("encoding") {
        return Err(format!(
            "a text declaration must be <?xml version=\"1.0\" encoding=\"...\"?> (encoding required), found <?xml{content}?>"
        ));
    }
    if let Some(extra) = names.next() {
        return Err(format!("unexpected '{extra}' in a text declaration"));
    }
    Ok(())
}

/// Parse `name="value"` pairs separated by whitespace.
fn pseudo_attributes(content: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = content.trim_start_matches(is_ws);
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = rest.get(..name_len).unwrap_or("");
        let after = rest.get(name_len..).unwrap_or("").trim_start_matches(is_ws);
        let after = after
            .strip_prefix('=')
            .ok_or_else(|| format!("expected '=' after '{name}' in a text declaration"))?
            .trim_start_matches(is_ws);
        let quote = after
            .chars()
            .next()
            .filter(|&q| q == '"' || q == '\'')
            .ok_or_else(|| format!("expected a quoted value for '{name}' in a text declaration"))?;
        let body = after.get(1..).unwrap_or("");
        let close = body
            .find(quote)
            .ok_or_else(|| format!("unterminated value of '{name}' in a text declaration"))?;
        if name.is_empty() {
            return Err("expected a pseudo-attribute name in a text declaration".into());
        }
        out.push((name.to_string(), body[..close].to_string()));
        let next = body.get(close + 1..).unwrap_or("");
        if !next.is_empty() && !next.starts_with(is_ws) {
            return Err(
                "expected whitespace between pseudo-attributes of a text declaration".into(),
            );
        }
        rest = next.trim_start_matches(is_ws);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_references() {
        assert_eq!(char_reference("x3C"), Some('<'));
        assert_eq!(char_reference("60"), Some('<'));
        assert_eq!(char_reference("0"), None);
        assert_eq!(char_reference("x"), None);
        assert_eq!(char_reference("xD800"), None);
        assert_eq!(char_reference("99999999999"), None);
    }

    #[test]
    fn text_declarations() {
        assert_eq!(
            strip_text_declaration("<?xml version='1.0' encoding='UTF-8'?>rest").as_deref(),
            Ok("rest")
        );
        assert!(strip_text_declaration("<?xml version='1.0'?>x").is_err());
        assert!(strip_text_declaration("<?xml encoding='a' standalone='yes'?>x").is_err());
        assert_eq!(
            strip_text_declaration("<?xml-stylesheet?>").as_deref(),
            Ok("<?xml-stylesheet?>")
        );
    }

    #[test]
    fn local_resolution() {
        let base = Path::new("dir/main.dtd");
        assert_eq!(
            resolve_local(base, "x/../y.ent"),
            Some(PathBuf::from("dir/y.ent"))
        );
        assert_eq!(resolve_local(base, "http://example.com/a.dtd"), None);
        assert_eq!(
            resolve_local(base, "a%20b.ent"),
            Some(PathBuf::from("dir/a b.ent"))
        );
        assert_eq!(resolve_local(base, ""), None);
    }
}
