//! Parameter entities: expanding `%name;` references (into a new input frame, or in place
//! inside an entity value), reading external entities through the resolver, and the bound
//! on total expansion.

use std::path::PathBuf;
use std::rc::Rc;

use super::chars::{char_reference, is_name_char, is_name_start, is_ws, is_xml_char};
use super::parser::{PResult, Parser, PeValue, Stop, EXPANSION_LIMIT, NESTING_LIMIT};
use super::source::Source;
use super::system_id::unsafe_to_read;
use super::text_decl::{check_text_declaration, strip_bom, strip_text_declaration};
use crate::location::Location;

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
        let below = self.reader.frame_id();
        self.push_pe(&name, loc)?;
        let pushed = self.reader.frame_id();
        if !in_markup && pushed != below {
            self.decl_sep_frames.push(pushed);
        }
        Ok(())
    }

    /// Report a reference to an undeclared parameter entity that is skipped.
    fn undeclared_pe(&mut self, name: &str, loc: Location) {
        self.pe_reference_seen = true;
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
        self.pe_reference_seen = true;
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
                if let Some(problem) = unsafe_to_read(&path) {
                    return Err(self.fail_at(
                        loc,
                        format!("external parameter entity %{name}; ('{system_id}') {problem}; not read"),
                    ));
                }
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
                        Some(_) => strip_text_declaration(&replacement)
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
}
