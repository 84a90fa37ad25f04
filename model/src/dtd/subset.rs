//! The declaration loop of a DTD subset (internal or external): markup declarations,
//! comments, processing instructions, parameter-entity references between declarations,
//! conditional sections, and recovery after an error (skip to the next `<!`).

use super::chars::{is_name_start, is_ws};
use super::parser::{PResult, Parser, Stop};

impl Parser<'_> {
    /// Parse declarations until the bottom frame is exhausted.
    pub fn parse_subset(&mut self) {
        let includes_before = self.includes.len();
        while !self.aborted {
            let start = self.reader.mark();
            let result = match self.reader.peek() {
                None if self.reader.depth() > 1 => {
                    self.reader.pop();
                    Ok(())
                }
                None => break,
                Some(c) if is_ws(c) => {
                    self.reader.take_while(is_ws);
                    Ok(())
                }
                Some('%') if self.reader.peek2().is_some_and(is_name_start) => {
                    self.expand_pe_reference(false)
                }
                Some('<') if self.reader.starts_with("<!--") => self.comment(),
                Some('<') if self.reader.starts_with("<?") => self.processing_instruction(),
                Some('<') if self.reader.starts_with("<![") => self.conditional_section(),
                Some('<') if self.reader.starts_with("<!") => self.markup_declaration(),
                Some(']')
                    if self.reader.starts_with("]]>") && self.includes.len() > includes_before =>
                {
                    self.close_include();
                    Ok(())
                }
                Some(']') if self.reader.starts_with("]]>") => {
                    Err(self.fail("']]>' without an open INCLUDE section"))
                }
                Some(_) => {
                    let found = self.found();
                    Err(self.fail(format!(
                        "expected a markup declaration (<!ELEMENT, <!ATTLIST, <!ENTITY, <!NOTATION), a comment, \
                         a processing instruction, a conditional section or a parameter-entity reference, found {found}"
                    )))
                }
            };
            match result {
                Ok(()) => {}
                Err(Stop::Abort) => break,
                Err(Stop::Recover) => self.recover(start),
            }
        }
        while self.includes.len() > includes_before {
            if let Some((loc, _)) = self.includes.pop() {
                if !self.aborted {
                    self.error_at(
                        loc,
                        "unterminated INCLUDE section: expected ']]>' before the end of the DTD",
                    );
                }
            }
        }
    }

    /// After an error in the construct that started at `start`: skip to the next `<!`, `<?`
    /// or `]]>` (at least one character when still at `start`, so the loop always advances).
    fn recover(&mut self, start: (u32, usize)) {
        self.pending_docs.clear();
        let mut first = self.reader.mark() == start;
        loop {
            match self.reader.peek() {
                None if self.reader.depth() > 1 => {
                    self.reader.pop();
                    first = false;
                }
                None => return,
                Some(_)
                    if !first
                        && (self.reader.starts_with("<!") || self.reader.starts_with("<?")) =>
                {
                    return
                }
                Some(_)
                    if !first && !self.includes.is_empty() && self.reader.starts_with("]]>") =>
                {
                    return
                }
                Some(_) => {
                    self.reader.bump();
                    first = false;
                }
            }
        }
    }

    /// `<!-- ... -->`: documentation for the next declaration. Comments before the first
    /// declaration document the schema instead: the first one always, later ones when a blank
    /// line separates them from what follows.
    fn comment(&mut self) -> PResult<()> {
        let loc = self.reader.location();
        self.reader.advance(4);
        let rest = self.reader.rest();
        let Some(end) = rest.find("--") else {
            return Err(self.fail_at(loc, "unterminated comment: expected '-->'"));
        };
        let text = rest.get(..end).unwrap_or("").to_string();
        if !rest.get(end..).unwrap_or("").starts_with("-->") {
            self.reader.advance(end);
            return Err(self.fail("'--' is not allowed inside a comment; expected '-->'"));
        }
        self.reader.advance(end + 3);
        if let Some(c) = text.chars().find(|&c| !super::chars::is_xml_char(c)) {
            return Err(self.fail_at(
                loc,
                format!("character U+{:04X} is not allowed in XML", c as u32),
            ));
        }
        let trimmed = text.trim().to_string();
        let leading = !self.seen_declaration;
        let first = !self.seen_comment;
        self.seen_comment = true;
        if trimmed.is_empty() {
            return Ok(());
        }
        if leading && first {
            self.schema_docs.push(trimmed);
        } else if leading && self.blank_line_follows() {
            // A later comment of the file header, set apart by a blank line: a note about the
            // file (such as a provenance header), neither schema nor declaration documentation.
        } else {
            self.pending_docs.push(trimmed);
        }
        Ok(())
    }

    /// Is the rest of the current line blank, and the next line too?
    fn blank_line_follows(&self) -> bool {
        let mut lines = self.reader.rest().split('\n');
        let blank = |l: Option<&str>| l.is_some_and(|l| l.trim().is_empty());
        blank(lines.next()) && blank(lines.next())
    }

    /// `<?target ...?>`; `<?xml ...?>` is only allowed at the start of an external entity,
    /// where [`Parser::text_declaration`] reads it.
    fn processing_instruction(&mut self) -> PResult<()> {
        let loc = self.reader.location();
        self.reader.advance(2);
        let target = self.name("a processing-instruction target after '<?'")?;
        if target.eq_ignore_ascii_case("xml") {
            return Err(self.fail_at(
                loc,
                "an XML or text declaration (<?xml ...?>) is only allowed at the very start of an entity",
            ));
        }
        let rest = self.reader.rest();
        let Some(end) = rest.find("?>") else {
            return Err(self.fail_at(
                loc,
                format!("unterminated processing instruction <?{target}: expected '?>'"),
            ));
        };
        if end > 0 && !rest.starts_with(is_ws) {
            let found = self.found();
            return Err(self.fail(format!("expected whitespace or '?>' after processing-instruction target '{target}', found {found}")));
        }
        let body = rest.get(..end).unwrap_or("").to_string();
        self.reader.advance(end + 2);
        if let Some(c) = body.chars().find(|&c| !super::chars::is_xml_char(c)) {
            return Err(self.fail_at(
                loc,
                format!("character U+{:04X} is not allowed in XML", c as u32),
            ));
        }
        Ok(())
    }

    /// `<!` followed by a declaration keyword.
    fn markup_declaration(&mut self) -> PResult<()> {
        let loc = self.reader.location();
        let frame = self.reader.frame_id();
        self.reader.advance(2);
        let keyword = self.keyword();
        match keyword.as_str() {
            "ELEMENT" => self.element_declaration(loc, frame),
            "ATTLIST" => self.attlist_declaration(loc, frame),
            "ENTITY" => self.entity_declaration(loc, frame),
            "NOTATION" => self.notation_declaration(loc, frame),
            _ => {
                let shown = if keyword.is_empty() {
                    self.found()
                } else {
                    format!("'{keyword}'")
                };
                Err(self.fail_at(
                    loc,
                    format!("expected ELEMENT, ATTLIST, ENTITY, NOTATION, '--' or '[' after '<!', found {shown}"),
                ))
            }
        }
    }

    /// Consume the `>` closing a declaration that started at frame `frame`; reports the
    /// Proper Declaration/PE Nesting VC when the two are in different entities (an error,
    /// WFC: PE Between Declarations, when the declaration started in the replacement text of
    /// a parameter entity referenced between declarations).
    pub fn close_declaration(&mut self, what: &str, frame: u32) -> PResult<()> {
        self.skip_ws()?;
        if self.reader.peek() != Some('>') {
            let found = self.found();
            return Err(self.fail(format!("expected '>' to close {what}, found {found}")));
        }
        if self.reader.frame_id() != frame && self.decl_sep_frames.contains(&frame) {
            // The declaration began in a parameter entity referenced between declarations.
            let loc = self.reader.location();
            self.error_at(
                loc,
                format!("{what} starts in a parameter entity referenced between declarations and ends after it (WFC: PE Between Declarations)"),
            );
        } else if self.reader.frame_id() != frame {
            let loc = self.reader.location();
            self.finding(
                "dtd-pe-nesting",
                loc,
                format!("{what} starts and ends in different parameter entities (VC: Proper Declaration/PE Nesting)"),
            );
        }
        self.reader.bump();
        Ok(())
    }

    /// `<![ INCLUDE [` or `<![ IGNORE [ ... ]]>`.
    fn conditional_section(&mut self) -> PResult<()> {
        let loc = self.reader.location();
        let frame = self.reader.frame_id();
        if !self.reader.external() {
            // Reported, then read as usual so that what follows is not misread.
            self.error_at(
                loc,
                "conditional sections (<![INCLUDE[ and <![IGNORE[) are only allowed in the external subset and external parameter entities",
            );
        }
        self.reader.advance(3);
        self.skip_ws()?;
        let keyword_loc = self.reader.location();
        let keyword = self.keyword();
        if keyword != "INCLUDE" && keyword != "IGNORE" {
            let shown = if keyword.is_empty() {
                self.found()
            } else {
                format!("'{keyword}'")
            };
            return Err(self.fail_at(
                keyword_loc,
                format!("expected INCLUDE or IGNORE after '<![', found {shown}"),
            ));
        }
        self.skip_ws()?;
        if self.reader.peek() != Some('[') {
            let found = self.found();
            return Err(self.fail(format!("expected '[' after <![{keyword}, found {found}")));
        }
        if self.reader.frame_id() != frame {
            let here = self.reader.location();
            self.finding(
                "dtd-pe-nesting",
                here,
                "'<![' and '[' of a conditional section are in different parameter entities (VC: Proper Conditional Section/PE Nesting)",
            );
        }
        self.reader.bump();
        self.pending_docs.clear();
        if keyword == "INCLUDE" {
            self.includes.push((loc, frame));
            return Ok(());
        }
        self.ignore_section(loc)
    }

    /// Skip the body of an IGNORE section (nested sections counted, nothing interpreted).
    /// One pass over the text, whatever the nesting.
    fn ignore_section(&mut self, loc: crate::location::Location) -> PResult<()> {
        let mut depth = 1usize;
        loop {
            let rest = self.reader.rest();
            let Some(at) = rest.find(['<', ']']) else {
                let end = rest.len();
                self.reader.advance(end);
                return Err(self.fail_at(
                    loc,
                    "unterminated IGNORE section: expected ']]>' before the end of the entity",
                ));
            };
            let here = rest.get(at..).unwrap_or("");
            if here.starts_with("<![") {
                depth += 1;
                self.reader.advance(at + 3);
            } else if here.starts_with("]]>") {
                depth -= 1;
                self.reader.advance(at + 3);
                if depth == 0 {
                    return Ok(());
                }
            } else {
                self.reader.advance(at + 1);
            }
        }
    }

    /// `]]>` closing the innermost INCLUDE section.
    fn close_include(&mut self) {
        let here = self.reader.location();
        let frame = self.reader.frame_id();
        self.reader.advance(3);
        self.pending_docs.clear();
        if let Some((_, open_frame)) = self.includes.pop() {
            if open_frame != frame {
                self.finding(
                    "dtd-pe-nesting",
                    here,
                    "']]>' closes a conditional section opened in a different parameter entity (VC: Proper Conditional Section/PE Nesting)",
                );
            }
        }
    }
}
