//! `<!ENTITY ...>` (general and parameter; internal, external, unparsed) and `<!NOTATION ...>`.

use super::chars::{is_pubid_char, is_ws};
use super::parser::{PResult, Parser, PeDecl, PeValue};
use super::system_id::resolve_local;
use crate::ir::{EntityDecl, EntityValue, NotationDecl};
use crate::location::Location;

/// `SYSTEM "s"` or `PUBLIC "p" "s"` (the system literal is optional for notations).
struct ExternalId {
    public_id: Option<String>,
    system_id: Option<String>,
}

impl Parser<'_> {
    /// After `<!ENTITY` (at `loc`, in frame `frame`).
    pub fn entity_declaration(&mut self, loc: Location, frame: u32) -> PResult<()> {
        self.require_ws("after '<!ENTITY'")?;
        let parameter = self.reader.peek() == Some('%');
        if parameter {
            self.reader.bump();
            self.require_ws("after '%' in a parameter-entity declaration")?;
        }
        let sigil = if parameter { "% " } else { "" };
        let name = self.name(&format!("an entity name after '<!ENTITY {sigil}'"))?;
        let what = format!("<!ENTITY {sigil}{name} ...>");
        self.require_ws(&format!("after the entity name in {what}"))?;
        let external_declaration = self.in_external_declaration();
        let base = self
            .reader
            .top()
            .map(|f| f.src.path.clone())
            .unwrap_or_default();
        if matches!(self.reader.peek(), Some('"' | '\'')) {
            let value = self.entity_value()?;
            self.close_declaration(&what, frame)?;
            self.take_docs();
            if parameter {
                self.pes.entry(name).or_insert(PeDecl {
                    value: PeValue::Internal(value),
                    base,
                });
            } else {
                self.entities.entry(name.clone()).or_insert(EntityDecl {
                    name,
                    value: EntityValue::Internal(value),
                    external_declaration,
                    location: loc,
                });
            }
            return Ok(());
        }
        let id = self.external_id(&what, false)?;
        let system_id = id.system_id.unwrap_or_default();
        let separated = self.skip_ws()?;
        let mut notation = None;
        if self.reader.starts_with("NDATA") {
            if parameter {
                return Err(self.fail(format!(
                    "parameter entities cannot be unparsed (NDATA) in {what}"
                )));
            }
            if !separated {
                return Err(self.fail(format!("expected whitespace before NDATA in {what}")));
            }
            self.reader.advance(5);
            self.require_ws(&format!("after NDATA in {what}"))?;
            notation = Some(self.name(&format!("a notation name after NDATA in {what}"))?);
        }
        self.close_declaration(&what, frame)?;
        self.take_docs();
        let resolved = resolve_local(&base, &system_id);
        if parameter {
            self.pes.entry(name).or_insert(PeDecl {
                value: PeValue::External {
                    system_id,
                    resolved,
                },
                base,
            });
            return Ok(());
        }
        let value = match notation {
            Some(notation) => EntityValue::Unparsed {
                public_id: id.public_id,
                system_id,
                notation,
            },
            None => EntityValue::External {
                public_id: id.public_id,
                system_id,
                resolved,
            },
        };
        self.entities.entry(name.clone()).or_insert(EntityDecl {
            name,
            value,
            external_declaration,
            location: loc,
        });
        Ok(())
    }

    /// After `<!NOTATION` (at `loc`, in frame `frame`).
    pub fn notation_declaration(&mut self, loc: Location, frame: u32) -> PResult<()> {
        self.require_ws("after '<!NOTATION'")?;
        let name = self.name("a notation name after '<!NOTATION'")?;
        let what = format!("<!NOTATION {name} ...>");
        self.require_ws(&format!("after the notation name in {what}"))?;
        let id = self.external_id(&what, true)?;
        self.close_declaration(&what, frame)?;
        self.take_docs();
        if self.notations.contains_key(&name) {
            self.finding(
                "dtd-duplicate-notation-declaration",
                loc,
                format!("notation '{name}' is declared more than once (VC: Unique Notation Name)"),
            );
            return Ok(());
        }
        self.notations.insert(
            name.clone(),
            NotationDecl {
                name,
                public_id: id.public_id,
                system_id: id.system_id,
                location: loc,
            },
        );
        Ok(())
    }

    /// `SYSTEM S SystemLiteral | PUBLIC S PubidLiteral (S SystemLiteral)?` (the system
    /// literal after PUBLIC is optional only when `notation`).
    fn external_id(&mut self, what: &str, notation: bool) -> PResult<ExternalId> {
        let word_loc = self.reader.location();
        let word = self.keyword();
        match word.as_str() {
            "SYSTEM" => {
                self.require_ws(&format!("after SYSTEM in {what}"))?;
                let (system, system_loc) = self.quoted("system identifier")?;
                self.check_system_literal(&system, system_loc)?;
                Ok(ExternalId {
                    public_id: None,
                    system_id: Some(system),
                })
            }
            "PUBLIC" => {
                self.require_ws(&format!("after PUBLIC in {what}"))?;
                let (public, public_loc) = self.quoted("public identifier")?;
                if let Some(c) = public.chars().find(|&c| !is_pubid_char(c)) {
                    return Err(self.fail_at(
                        public_loc,
                        format!("character {c:?} is not allowed in a public identifier"),
                    ));
                }
                let public = public
                    .split(is_ws)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                let separated = self.skip_ws()?;
                if matches!(self.reader.peek(), Some('"' | '\'')) {
                    if !separated {
                        return Err(self.fail(format!("expected whitespace between the public and system identifiers in {what}")));
                    }
                    let (system, system_loc) = self.quoted("system identifier")?;
                    self.check_system_literal(&system, system_loc)?;
                    return Ok(ExternalId {
                        public_id: Some(public),
                        system_id: Some(system),
                    });
                }
                if notation {
                    return Ok(ExternalId {
                        public_id: Some(public),
                        system_id: None,
                    });
                }
                let found = self.found();
                Err(self.fail(format!("expected a quoted system identifier after the public identifier in {what}, found {found}")))
            }
            _ => {
                let shown = if word.is_empty() {
                    self.found()
                } else {
                    format!("'{word}'")
                };
                let what_expected = if notation {
                    "SYSTEM or PUBLIC"
                } else {
                    "a quoted entity value, SYSTEM or PUBLIC"
                };
                Err(self.fail_at(
                    word_loc,
                    format!("expected {what_expected} in {what}, found {shown}"),
                ))
            }
        }
    }

    /// System literals hold XML characters only, and no fragment identifier (XML 1.0 §4.2.2).
    fn check_system_literal(&mut self, system: &str, loc: Location) -> PResult<()> {
        if let Some(c) = system.chars().find(|&c| !super::chars::is_xml_char(c)) {
            return Err(self.fail_at(
                loc,
                format!("character U+{:04X} is not allowed in XML", c as u32),
            ));
        }
        if system.contains('#') {
            return Err(self.fail_at(
                loc,
                format!("a system identifier must not contain a fragment identifier ('#...'), found \"{system}\""),
            ));
        }
        Ok(())
    }
}
