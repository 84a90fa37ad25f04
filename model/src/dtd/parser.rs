//! The parser state shared by the declaration parsers, and the small lexical helpers they use:
//! whitespace (with parameter-entity references), names, keywords, quoted literals, errors.

use std::collections::HashMap;
use std::path::PathBuf;

use indexmap::IndexMap;

use super::ast::Decl;
use super::chars::{describe, is_name_char, is_name_start, is_ws};
use super::reader::Reader;
use super::source::FileRegistry;
use crate::error::Diagnostic;
use crate::ir::{EntityDecl, Finding, NotationDecl};
use crate::location::Location;
use crate::resolver::Resolver;

/// Total bytes of entity replacement text the loader will expand before giving up.
pub const EXPANSION_LIMIT: usize = 10_000_000;
/// Most syntax errors reported for one load; loading stops after that many.
pub(crate) const MAX_DIAGNOSTICS: usize = 100;
/// Deepest nesting of parameter entities (and of content-model groups) accepted.
pub(crate) const NESTING_LIMIT: usize = 200;

/// Why a parse function stopped early. The diagnostic has already been recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Skip to the next declaration and go on.
    Recover,
    /// Stop loading (expansion limit reached).
    Abort,
}

/// Result of a parse function.
pub(crate) type PResult<T> = Result<T, Stop>;

/// A parameter entity declaration.
#[derive(Clone, Debug)]
pub(crate) struct PeDecl {
    /// Its value.
    pub value: PeValue,
    /// The file its declaration is in (relative system ids resolve against it).
    pub base: PathBuf,
}

/// The value of a parameter entity.
#[derive(Clone, Debug)]
pub(crate) enum PeValue {
    /// Replacement text of an internal entity.
    Internal(String),
    /// An external entity: its system id as written and the local file it resolves to.
    External {
        /// `SYSTEM` literal.
        system_id: String,
        /// The local file, when the id is a relative or `file:` reference.
        resolved: Option<PathBuf>,
    },
}

/// Parser state for one DTD load (internal subset and external subset share it).
pub(crate) struct Parser<'r> {
    /// The input frames.
    pub reader: Reader,
    /// Reads external entities.
    pub resolver: &'r dyn Resolver,
    /// The files read.
    pub files: FileRegistry,
    /// Parameter entities (first declaration wins).
    pub pes: HashMap<String, PeDecl>,
    /// General entities (first declaration wins).
    pub entities: IndexMap<String, EntityDecl>,
    /// Notations (first declaration wins).
    pub notations: IndexMap<String, NotationDecl>,
    /// ELEMENT and ATTLIST declarations in order.
    pub decls: Vec<Decl>,
    /// Syntax errors.
    pub diagnostics: Vec<Diagnostic>,
    /// Declaration-level validity findings.
    pub findings: Vec<Finding>,
    /// Comments seen since the last declaration.
    pub pending_docs: Vec<String>,
    /// The schema-level documentation (the first leading comment).
    pub schema_docs: Vec<String>,
    /// Whether any declaration has been parsed yet.
    pub seen_declaration: bool,
    /// Whether a comment has been seen yet.
    pub seen_comment: bool,
    /// Bytes of replacement text expanded so far.
    pub expanded: usize,
    /// Set once the expansion limit is hit: nothing more is read.
    pub aborted: bool,
    /// Open INCLUDE sections: where each starts and the frame its `<![` is in.
    pub includes: Vec<(Location, u32)>,
    /// Whether any parameter-entity reference has been seen (decides whether entity
    /// declarations are a well-formedness or a validity matter in an internal subset).
    pub pe_reference_seen: bool,
    /// Names of parameter entities being expanded inside entity values (recursion check).
    pub expanding: Vec<String>,
    /// Frames holding the replacement text of a parameter entity referenced between
    /// declarations (WFC: PE Between Declarations: it must hold whole declarations).
    pub decl_sep_frames: Vec<u32>,
}

impl<'r> Parser<'r> {
    /// A parser with no input yet.
    pub fn new(resolver: &'r dyn Resolver, files: FileRegistry) -> Parser<'r> {
        Parser {
            reader: Reader::default(),
            resolver,
            files,
            pes: HashMap::new(),
            entities: IndexMap::new(),
            notations: IndexMap::new(),
            decls: Vec::new(),
            diagnostics: Vec::new(),
            findings: Vec::new(),
            pending_docs: Vec::new(),
            schema_docs: Vec::new(),
            seen_declaration: false,
            seen_comment: false,
            expanded: 0,
            aborted: false,
            includes: Vec::new(),
            expanding: Vec::new(),
            pe_reference_seen: false,
            decl_sep_frames: Vec::new(),
        }
    }

    /// Record a syntax error at `loc`.
    pub fn error_at(&mut self, loc: Location, message: impl Into<String>) {
        let diag = Diagnostic {
            file: self.files.display(loc.file).to_string(),
            line: loc.line,
            column: loc.column,
            message: message.into(),
        };
        if self.aborted || self.diagnostics.contains(&diag) {
            return;
        }
        self.diagnostics.push(diag);
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.diagnostics.push(Diagnostic {
                file: self.files.display(loc.file).to_string(),
                line: loc.line,
                column: loc.column,
                message: format!("too many errors ({MAX_DIAGNOSTICS}); loading stopped"),
            });
            self.aborted = true;
        }
    }

    /// Record a syntax error at the current position and return `Stop::Recover`.
    pub fn fail(&mut self, message: impl Into<String>) -> Stop {
        let loc = self.reader.location();
        self.error_at(loc, message);
        Stop::Recover
    }

    /// Record a syntax error at `loc` and return `Stop::Recover`.
    pub fn fail_at(&mut self, loc: Location, message: impl Into<String>) -> Stop {
        self.error_at(loc, message);
        Stop::Recover
    }

    /// Record a declaration-level validity finding.
    pub fn finding(&mut self, rule: &str, loc: Location, message: impl Into<String>) {
        self.findings.push(Finding {
            rule: rule.to_string(),
            message: message.into(),
            location: loc,
        });
    }

    /// What the scanner sees next, for "found ..." in messages.
    pub fn found(&self) -> String {
        match self.reader.peek() {
            Some(c) => describe(Some(c)),
            None => match self.reader.top().and_then(|f| f.entity.clone()) {
                Some(name) => format!("the end of parameter entity %{name};"),
                None if self.reader.external() => "the end of the file".to_string(),
                None => "the end of the internal subset".to_string(),
            },
        }
    }

    /// Skip whitespace inside a markup declaration. In external entities, parameter-entity
    /// references are expanded (their replacement text counts as surrounded by spaces) and
    /// exhausted parameter-entity texts are left. Returns whether any separator was seen.
    pub fn skip_ws(&mut self) -> PResult<bool> {
        let mut seen = false;
        loop {
            match self.reader.peek() {
                Some(c) if is_ws(c) => {
                    self.reader.bump();
                    seen = true;
                }
                Some('%') if self.reader.peek2().is_some_and(is_name_start) => {
                    if !self.reader.external() {
                        return Err(self.fail(
                            "parameter-entity references are not allowed inside markup declarations in the internal subset",
                        ));
                    }
                    self.expand_pe_reference(true)?;
                    seen = true;
                }
                None if self.reader.depth() > 1 => {
                    self.reader.pop();
                    seen = true;
                }
                _ => return Ok(seen),
            }
        }
    }

    /// Require a separator (whitespace or a parameter-entity reference) before `what`.
    pub fn require_ws(&mut self, what: &str) -> PResult<()> {
        if self.skip_ws()? {
            Ok(())
        } else {
            let found = self.found();
            Err(self.fail(format!("expected whitespace {what}, found {found}")))
        }
    }

    /// Read a `Name` from the top frame, or fail with "expected {what}".
    pub fn name(&mut self, what: &str) -> PResult<String> {
        if !self.reader.peek().is_some_and(is_name_start) {
            let found = self.found();
            return Err(self.fail(format!("expected {what}, found {found}")));
        }
        Ok(self.reader.take_while(is_name_char))
    }

    /// Read an `Nmtoken` from the top frame, or fail with "expected {what}".
    pub fn nmtoken(&mut self, what: &str) -> PResult<String> {
        if !self.reader.peek().is_some_and(is_name_char) {
            let found = self.found();
            return Err(self.fail(format!("expected {what}, found {found}")));
        }
        Ok(self.reader.take_while(is_name_char))
    }

    /// Read a keyword made of ASCII letters (empty when there is none).
    pub fn keyword(&mut self) -> String {
        self.reader.take_while(|c| c.is_ascii_alphabetic())
    }

    /// Read a quoted literal from the top frame without interpreting it (system and public
    /// ids, attribute values); returns its content and the location of the opening quote.
    pub fn quoted(&mut self, what: &str) -> PResult<(String, Location)> {
        self.quoted_before(what, None)
    }

    /// Like [`Parser::quoted`], but the literal may not contain `forbidden` (`<` in attribute
    /// values): meeting it first is reported there as a missing closing quote, so the
    /// declarations that follow are not swallowed by the literal.
    pub fn quoted_before(
        &mut self,
        what: &str,
        forbidden: Option<char>,
    ) -> PResult<(String, Location)> {
        let loc = self.reader.location();
        let quote = match self.reader.peek() {
            Some(q @ ('"' | '\'')) => q,
            _ => {
                let found = self.found();
                return Err(self.fail(format!("expected a quoted {what}, found {found}")));
            }
        };
        self.reader.bump();
        let rest = self.reader.rest();
        let end = rest.find(|c| c == quote || Some(c) == forbidden);
        if let (Some(len), Some(bad)) = (end, forbidden) {
            if rest.get(len..).is_some_and(|r| r.starts_with(bad)) {
                self.reader.advance(len);
                return Err(self.fail(format!(
                    "expected the closing {quote} of the {what} (opened at line {}, column {}) before '{bad}', which is not allowed in it",
                    loc.line, loc.column
                )));
            }
        }
        match end {
            Some(len) => {
                let content = rest.get(..len).unwrap_or("").to_string();
                self.reader.advance(len + 1);
                Ok((content, loc))
            }
            None => Err(self.fail_at(
                loc,
                format!("unterminated {what}: no closing {quote} before the end of the entity"),
            )),
        }
    }

    /// Take the comments collected since the last declaration.
    pub fn take_docs(&mut self) -> Vec<String> {
        self.seen_declaration = true;
        std::mem::take(&mut self.pending_docs)
    }

    /// Whether declarations read now are "external" (external subset or inside any
    /// parameter entity), for [`crate::ir::EntityDecl::external_declaration`].
    pub fn in_external_declaration(&self) -> bool {
        self.reader.external() || self.reader.depth() > 1
    }
}
