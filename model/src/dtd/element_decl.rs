//! `<!ELEMENT name contentspec>`: EMPTY, ANY, mixed content and children content models
//! (groups nested to any depth, with `?`, `*`, `+`).

use super::ast::{ContentSpec, Cp, CpKind, Decl, ElementAst};
use super::chars::is_name_start;
use super::parser::{PResult, Parser, NESTING_LIMIT};
use crate::ir::MaxOccurs;
use crate::location::Location;

impl Parser<'_> {
    /// After `<!ELEMENT` (at `loc`, in frame `frame`).
    pub fn element_declaration(&mut self, loc: Location, frame: u32) -> PResult<()> {
        self.require_ws("after '<!ELEMENT'")?;
        let name = self.name("an element name after '<!ELEMENT'")?;
        let what = format!("<!ELEMENT {name} ...>");
        self.require_ws(&format!("after the element name in {what}"))?;
        let content = match self.reader.peek() {
            Some('(') => self.content_model(&what)?,
            Some(c) if c.is_ascii_alphabetic() => {
                let word_loc = self.reader.location();
                let word = self.keyword();
                match word.as_str() {
                    "EMPTY" => ContentSpec::Empty,
                    "ANY" => ContentSpec::Any,
                    _ => {
                        return Err(self.fail_at(
                            word_loc,
                            format!(
                            "expected EMPTY, ANY or '(' for the content of {what}, found '{word}'"
                        ),
                        ))
                    }
                }
            }
            _ => {
                let found = self.found();
                return Err(self.fail(format!(
                    "expected EMPTY, ANY or '(' for the content of {what}, found {found}"
                )));
            }
        };
        self.close_declaration(&what, frame)?;
        let documentation = self.take_docs();
        self.decls.push(Decl::Element(ElementAst {
            name,
            content,
            location: loc,
            documentation,
        }));
        Ok(())
    }

    /// At `(`: a mixed-content declaration or a children content model.
    fn content_model(&mut self, what: &str) -> PResult<ContentSpec> {
        let loc = self.reader.location();
        let frame = self.reader.frame_id();
        self.reader.bump();
        self.skip_ws()?;
        if self.reader.starts_with("#PCDATA") {
            self.reader.advance(7);
            return self.mixed(loc, frame, what);
        }
        let cp = self.group(loc, frame, what, 1)?;
        Ok(ContentSpec::Children(cp))
    }

    /// After `(#PCDATA`.
    fn mixed(&mut self, loc: Location, frame: u32, what: &str) -> PResult<ContentSpec> {
        let mut names = Vec::new();
        loop {
            self.skip_ws()?;
            match self.reader.peek() {
                Some('|') => {
                    self.reader.bump();
                    self.skip_ws()?;
                    let name_loc = self.reader.location();
                    let name = self.name(&format!(
                        "an element name after '|' in the mixed content of {what}"
                    ))?;
                    names.push((name, name_loc));
                }
                Some(')') => break,
                _ => {
                    let found = self.found();
                    return Err(self.fail(format!(
                        "expected '|' or ')' in the mixed content (#PCDATA...) of {what}, found {found}"
                    )));
                }
            }
        }
        self.check_group_nesting(frame);
        self.reader.bump();
        let star = self.reader.peek() == Some('*');
        if star {
            self.reader.bump();
        } else if !names.is_empty() {
            let found = self.found();
            return Err(self.fail(format!(
                "expected ')*' to end mixed content with element names in {what} (it must read (#PCDATA|a|b)*), found ')' followed by {found}"
            )));
        } else if matches!(self.reader.peek(), Some('?' | '+')) {
            let found = self.found();
            return Err(self.fail(format!(
                "mixed content (#PCDATA) may only be followed by '*' in {what}, found {found}"
            )));
        }
        Ok(ContentSpec::Mixed {
            names,
            location: loc,
        })
    }

    /// After the `(` (at `loc`, in frame `frame`) of a children group: the particles, the
    /// `)` and the occurrence indicator.
    fn group(&mut self, loc: Location, frame: u32, what: &str, depth: usize) -> PResult<Cp> {
        if depth > NESTING_LIMIT {
            return Err(self.fail_at(
                loc,
                format!("content model of {what} nests groups more than {NESTING_LIMIT} deep"),
            ));
        }
        let mut items = vec![self.particle(what, depth)?];
        let mut separator: Option<char> = None;
        loop {
            self.skip_ws()?;
            match self.reader.peek() {
                Some(')') => break,
                Some(c @ (',' | '|')) => {
                    if let Some(s) = separator.filter(|&s| s != c) {
                        return Err(self.fail(format!(
                            "cannot mix '{s}' and '{c}' in one group of {what}; use nested parentheses"
                        )));
                    }
                    separator = Some(c);
                    self.reader.bump();
                    items.push(self.particle(what, depth)?);
                }
                _ => {
                    let found = self.found();
                    return Err(self.fail(format!(
                        "expected ',', '|' or ')' in the content model of {what}, found {found}"
                    )));
                }
            }
        }
        self.check_group_nesting(frame);
        self.reader.bump();
        let kind = if separator == Some('|') {
            CpKind::Choice(items)
        } else {
            CpKind::Seq(items)
        };
        let (min, max) = self.occurrence();
        Ok(Cp {
            kind,
            min,
            max,
            location: loc,
        })
    }

    /// One content particle: a name or a nested group, with its occurrence indicator.
    fn particle(&mut self, what: &str, depth: usize) -> PResult<Cp> {
        self.skip_ws()?;
        let loc = self.reader.location();
        match self.reader.peek() {
            Some('(') => {
                let frame = self.reader.frame_id();
                self.reader.bump();
                self.group(loc, frame, what, depth + 1)
            }
            Some(c) if is_name_start(c) => {
                let name = self.name("an element name")?;
                let (min, max) = self.occurrence();
                Ok(Cp { kind: CpKind::Name(name), min, max, location: loc })
            }
            Some('#') if self.reader.starts_with("#PCDATA") => Err(self.fail(format!(
                "#PCDATA must come first in a mixed-content group, written (#PCDATA|a|b)*, in {what}"
            ))),
            _ => {
                let found = self.found();
                Err(self.fail(format!("expected an element name or '(' in the content model of {what}, found {found}")))
            }
        }
    }

    /// An optional `?`, `*` or `+` directly after a name or `)`.
    fn occurrence(&mut self) -> (u32, MaxOccurs) {
        let occ = match self.reader.peek() {
            Some('?') => (0, MaxOccurs::Bounded(1)),
            Some('*') => (0, MaxOccurs::Unbounded),
            Some('+') => (1, MaxOccurs::Unbounded),
            _ => return (1, MaxOccurs::Bounded(1)),
        };
        self.reader.bump();
        occ
    }

    /// VC Proper Group/PE Nesting: the `)` must be in the entity of its `(`.
    fn check_group_nesting(&mut self, open_frame: u32) {
        if self.reader.frame_id() != open_frame {
            let loc = self.reader.location();
            self.finding(
                "dtd-pe-nesting",
                loc,
                "a parenthesized group starts and ends in different parameter entities (VC: Proper Group/PE Nesting)",
            );
        }
    }
}
