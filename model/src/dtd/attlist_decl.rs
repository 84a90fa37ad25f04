//! `<!ATTLIST element attdef*>`: attribute types, enumerations and default declarations.

use super::ast::{AttDefAst, AttlistAst, Decl, DefaultDecl};
use super::chars::is_name_start;
use super::parser::{PResult, Parser};
use crate::ir::DtdAttributeType;
use crate::location::Location;

impl Parser<'_> {
    /// After `<!ATTLIST` (at `loc`, in frame `frame`).
    pub fn attlist_declaration(&mut self, loc: Location, frame: u32) -> PResult<()> {
        self.require_ws("after '<!ATTLIST'")?;
        let element = self.name("an element name after '<!ATTLIST'")?;
        let what = format!("<!ATTLIST {element} ...>");
        let mut attributes = Vec::new();
        loop {
            let separated = self.skip_ws()?;
            match self.reader.peek() {
                Some('>') => break,
                Some(c) if is_name_start(c) && separated => {
                    attributes.push(self.attribute_definition(&what)?)
                }
                Some(c) if is_name_start(c) => {
                    return Err(self.fail(format!(
                        "expected whitespace before the attribute name in {what}"
                    )))
                }
                _ => {
                    let found = self.found();
                    return Err(self.fail(format!(
                        "expected an attribute name or '>' to close {what}, found {found}"
                    )));
                }
            }
        }
        self.close_declaration(&what, frame)?;
        let documentation = self.take_docs();
        self.decls.push(Decl::Attlist(AttlistAst {
            element,
            attributes,
            location: loc,
            documentation,
        }));
        Ok(())
    }

    /// `Name S AttType S DefaultDecl`.
    fn attribute_definition(&mut self, what: &str) -> PResult<AttDefAst> {
        let location = self.reader.location();
        let name = self.name("an attribute name")?;
        self.require_ws(&format!("after attribute name '{name}' in {what}"))?;
        let ty = self.attribute_type(&name, what)?;
        let separated = self.skip_ws()?;
        if !separated && self.reader.peek() != Some('>') {
            let found = self.found();
            return Err(self.fail(format!(
                "expected whitespace after the type of attribute '{name}' in {what}, found {found}"
            )));
        }
        let default_location = self.reader.location();
        let default = self.default_declaration(&name, &ty, what)?;
        Ok(AttDefAst {
            name,
            ty,
            default,
            location,
            default_location,
        })
    }

    /// `StringType | TokenizedType | EnumeratedType`.
    fn attribute_type(&mut self, name: &str, what: &str) -> PResult<DtdAttributeType> {
        if self.reader.peek() == Some('(') {
            return Ok(DtdAttributeType::Enumeration(
                self.token_group(false, name, what)?,
            ));
        }
        let word_loc = self.reader.location();
        let word = self.keyword();
        Ok(match word.as_str() {
            "CDATA" => DtdAttributeType::Cdata,
            "ID" => DtdAttributeType::Id,
            "IDREF" => DtdAttributeType::IdRef,
            "IDREFS" => DtdAttributeType::IdRefs,
            "ENTITY" => DtdAttributeType::Entity,
            "ENTITIES" => DtdAttributeType::Entities,
            "NMTOKEN" => DtdAttributeType::NmToken,
            "NMTOKENS" => DtdAttributeType::NmTokens,
            "NOTATION" => {
                self.require_ws(&format!("after NOTATION for attribute '{name}' in {what}"))?;
                if self.reader.peek() != Some('(') {
                    let found = self.found();
                    return Err(self.fail(format!(
                        "expected '(' with notation names after NOTATION for attribute '{name}' in {what}, found {found}"
                    )));
                }
                DtdAttributeType::Notation(self.token_group(true, name, what)?)
            }
            _ => {
                let shown = if word.is_empty() {
                    self.found()
                } else {
                    format!("'{word}'")
                };
                return Err(self.fail_at(word_loc, format!(
                    "expected an attribute type (CDATA, ID, IDREF, IDREFS, ENTITY, ENTITIES, NMTOKEN, NMTOKENS, \
                     NOTATION or '(') for attribute '{name}' in {what}, found {shown}"
                )));
            }
        })
    }

    /// `( tok | tok ... )`: names for NOTATION, name tokens for enumerations.
    fn token_group(&mut self, names: bool, attribute: &str, what: &str) -> PResult<Vec<String>> {
        let frame = self.reader.frame_id();
        self.reader.bump();
        let mut tokens = Vec::new();
        loop {
            self.skip_ws()?;
            let expected = if names {
                format!("a notation name in the NOTATION type of attribute '{attribute}' in {what}")
            } else {
                format!("a name token in the enumeration of attribute '{attribute}' in {what}")
            };
            let token = if names {
                self.name(&expected)?
            } else {
                self.nmtoken(&expected)?
            };
            tokens.push(token);
            self.skip_ws()?;
            match self.reader.peek() {
                Some('|') => {
                    self.reader.bump();
                }
                Some(')') => break,
                _ => {
                    let found = self.found();
                    return Err(self.fail(format!(
                        "expected '|' or ')' in the values of attribute '{attribute}' in {what}, found {found}"
                    )));
                }
            }
        }
        if self.reader.frame_id() != frame {
            let loc = self.reader.location();
            self.finding(
                "dtd-pe-nesting",
                loc,
                "a parenthesized group starts and ends in different parameter entities (VC: Proper Group/PE Nesting)",
            );
        }
        self.reader.bump();
        Ok(tokens)
    }

    /// `#REQUIRED | #IMPLIED | (#FIXED S)? AttValue`.
    fn default_declaration(
        &mut self,
        name: &str,
        ty: &DtdAttributeType,
        what: &str,
    ) -> PResult<DefaultDecl> {
        let expected = format!(
            "a default for attribute '{name}' in {what} (#REQUIRED, #IMPLIED, #FIXED \"value\" or a quoted value)"
        );
        let word_loc = self.reader.location();
        let fixed = match self.reader.peek() {
            Some('#') => {
                self.reader.bump();
                let word = self.keyword();
                match word.as_str() {
                    "REQUIRED" => return Ok(DefaultDecl::Required),
                    "IMPLIED" => return Ok(DefaultDecl::Implied),
                    "FIXED" => {
                        self.require_ws(&format!("after #FIXED for attribute '{name}' in {what}"))?;
                        true
                    }
                    _ => {
                        return Err(
                            self.fail_at(word_loc, format!("expected {expected}, found '#{word}'"))
                        )
                    }
                }
            }
            Some('"' | '\'') => false,
            _ => {
                let found = self.found();
                return Err(self.fail(format!("expected {expected}, found {found}")));
            }
        };
        let (raw, loc) = self.quoted_before(&format!("value for attribute '{name}'"), Some('<'))?;
        let value = self.normalize_attribute_value(&raw, *ty == DtdAttributeType::Cdata, loc)?;
        Ok(if fixed {
            DefaultDecl::Fixed(value)
        } else {
            DefaultDecl::Default(value)
        })
    }
}
