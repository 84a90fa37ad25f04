//! Recursive-descent parser for the XSD 1.0 regex grammar that emits `regex`-crate syntax.

use super::{blocks, RegexError};
use crate::xml_chars;

/// Nesting limit for groups and class subtractions (hostile patterns must not overflow the stack).
const MAX_DEPTH: usize = 100;

/// XSD general category names (Appendix F.1.1); `Cs` is not among them.
const CATEGORIES: &[&str] = &[
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So", "C",
    "Cc", "Cf", "Co", "Cn",
];

/// What one position of a character class holds.
enum ClassAtom {
    /// A single character (literal or single-character escape): may start or end a range.
    Char(char),
    /// A set (multi-character or category escape), already in `regex` class syntax.
    Set(String),
}

/// Parser state: the pattern as characters and the current offset.
pub(crate) struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    pub(crate) fn new(pattern: &str) -> Parser {
        Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    /// Parse the whole pattern; returns the unanchored translation.
    pub(crate) fn parse(mut self) -> Result<String, RegexError> {
        let out = self.regex()?;
        if self.peek().is_some() {
            return Err(self.error_here("'|' or end of pattern (this ')' has no matching '(')"));
        }
        Ok(out)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn error_at(&self, offset: usize, expected: impl Into<String>) -> RegexError {
        let found = match self.chars.get(offset) {
            Some(c) if c.is_control() => format!("'{}'", c.escape_debug()),
            Some(c) => format!("'{c}'"),
            None => "end of pattern".to_string(),
        };
        RegexError::Syntax {
            offset,
            expected: expected.into(),
            found,
        }
    }

    fn error_here(&self, expected: impl Into<String>) -> RegexError {
        self.error_at(self.pos, expected)
    }

    fn enter(&mut self) -> Result<(), RegexError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(format!(
                "at most {MAX_DEPTH} nested groups or class subtractions"
            )));
        }
        Ok(())
    }

    /// regExp ::= branch ( '|' branch )*
    fn regex(&mut self) -> Result<String, RegexError> {
        let mut out = self.branch()?;
        while self.peek() == Some('|') {
            self.pos += 1;
            out.push('|');
            out.push_str(&self.branch()?);
        }
        Ok(out)
    }

    /// branch ::= piece*
    fn branch(&mut self) -> Result<String, RegexError> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            out.push_str(&self.piece()?);
        }
        Ok(out)
    }

    /// piece ::= atom quantifier?
    fn piece(&mut self) -> Result<String, RegexError> {
        let mut out = self.atom()?;
        let quantifier = self.quantifier()?;
        if !quantifier.is_empty() {
            // A `{` here starts the next piece: a literal `{`.
            if let Some('?' | '*' | '+') = self.peek() {
                return Err(self.error_here(
                    "an atom, '|', ')' or end of pattern (XSD has no lazy or possessive \
                     quantifiers, and a quantified atom cannot be quantified again)",
                ));
            }
        }
        out.push_str(&quantifier);
        Ok(out)
    }

    fn quantifier(&mut self) -> Result<String, RegexError> {
        match self.peek() {
            Some(c @ ('?' | '*' | '+')) => {
                self.pos += 1;
                Ok(c.to_string())
            }
            Some('{') => {
                self.pos += 1;
                let min = self.number("a repetition count (digits) after '{'")?;
                let after_min = self.pos;
                match self.bump() {
                    Some('}') => Ok(format!("{{{min}}}")),
                    Some(',') => {
                        if self.peek() == Some('}') {
                            self.pos += 1;
                            return Ok(format!("{{{min},}}"));
                        }
                        let max_at = self.pos;
                        let max = self.number("a maximum repetition count or '}' after ','")?;
                        if max < min {
                            return Err(self.error_at(
                                max_at,
                                format!("a maximum repetition count of at least {min}"),
                            ));
                        }
                        if self.peek() != Some('}') {
                            return Err(self.error_here("'}' to close the quantifier"));
                        }
                        self.pos += 1;
                        Ok(format!("{{{min},{max}}}"))
                    }
                    _ => Err(self.error_at(after_min, "',' or '}' in the quantifier")),
                }
            }
            _ => Ok(String::new()),
        }
    }

    fn number(&mut self, expected: &str) -> Result<u32, RegexError> {
        let start = self.pos;
        let mut value: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(d))
                .ok_or_else(|| self.error_at(start, "a repetition count below 4294967296"))?;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error_here(expected));
        }
        Ok(value)
    }

    /// atom ::= Char | charClass | '(' regExp ')'
    fn atom(&mut self) -> Result<String, RegexError> {
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Err(self.error_here("an atom"));
        };
        match c {
            '.' => Ok(r"[^\n\r]".to_string()),
            '(' => {
                if self.peek() == Some('?') {
                    return Err(self.error_here(
                        "a regular expression after '(' ('(?' groups, lookaround and flags \
                         are not XSD)",
                    ));
                }
                self.enter()?;
                let inner = self.regex()?;
                self.depth -= 1;
                if self.bump() != Some(')') {
                    return Err(self.error_at(
                        self.pos,
                        format!("')' to close the group opened at character {start}"),
                    ));
                }
                Ok(format!("(?:{inner})"))
            }
            '[' => self.class_expr(start),
            '\\' => match self.escape()? {
                ClassAtom::Char(c) => Ok(literal(c)),
                ClassAtom::Set(s) => Ok(s),
            },
            '?' | '*' | '+' => Err(self.error_at(
                start,
                format!("an atom before the quantifier '{c}' (escape it as '\\{c}')"),
            )),
            ']' => Err(self.error_at(start, "an atom (']' must be escaped as '\\]')")),
            // XSD 1.0 `Char` excludes only `.\?*+()|[]`: a `{` that cannot start a quantifier
            // and any `}` are ordinary characters (as in xmllint).
            c => Ok(literal(c)),
        }
    }

    /// After a `\`: a single-character, multi-character or category escape.
    fn escape(&mut self) -> Result<ClassAtom, RegexError> {
        let at = self.pos;
        let Some(c) = self.bump() else {
            return Err(self.error_here("an escaped character after '\\'"));
        };
        Ok(match c {
            'n' => ClassAtom::Char('\n'),
            'r' => ClassAtom::Char('\r'),
            't' => ClassAtom::Char('\t'),
            '\\' | '|' | '.' | '-' | '^' | '?' | '*' | '+' | '{' | '}' | '(' | ')' | '[' | ']' => {
                ClassAtom::Char(c)
            }
            's' => ClassAtom::Set(r"[\x20\t\n\r]".to_string()),
            'S' => ClassAtom::Set(r"[^\x20\t\n\r]".to_string()),
            'd' => ClassAtom::Set(r"\p{Nd}".to_string()),
            'D' => ClassAtom::Set(r"\P{Nd}".to_string()),
            'w' => ClassAtom::Set(r"[^\p{P}\p{Z}\p{C}]".to_string()),
            'W' => ClassAtom::Set(r"[\p{P}\p{Z}\p{C}]".to_string()),
            'i' => ClassAtom::Set(ranges_class(xml_chars::NAME_START_RANGES, &[], false)),
            'I' => ClassAtom::Set(ranges_class(xml_chars::NAME_START_RANGES, &[], true)),
            'c' => ClassAtom::Set(ranges_class(
                xml_chars::NAME_START_RANGES,
                xml_chars::NAME_EXTRA_RANGES,
                false,
            )),
            'C' => ClassAtom::Set(ranges_class(
                xml_chars::NAME_START_RANGES,
                xml_chars::NAME_EXTRA_RANGES,
                true,
            )),
            'p' | 'P' => ClassAtom::Set(self.category(c == 'P')?),
            _ => {
                return Err(self.error_at(
                    at,
                    "an escape: one of n r t \\ | . - ^ ? * + { } ( ) [ ], s S i I c C d D w W, \
                     p{..} or P{..}",
                ))
            }
        })
    }

    /// After `\p` or `\P`: `{Category}` or `{IsBlock}`.
    fn category(&mut self, negated: bool) -> Result<String, RegexError> {
        if self.peek() != Some('{') {
            return Err(self.error_here("'{' after '\\p' or '\\P'"));
        }
        self.pos += 1;
        let name_at = self.pos;
        let mut name = String::new();
        loop {
            match self.bump() {
                Some('}') => break,
                Some(c) if c.is_ascii_alphanumeric() || c == '-' => name.push(c),
                Some(_) => {
                    return Err(self.error_at(
                        self.pos - 1,
                        "a category or block name ([A-Za-z0-9-]) closed by '}'",
                    ))
                }
                None => {
                    return Err(
                        self.error_here("a category or block name ([A-Za-z0-9-]) closed by '}'")
                    )
                }
            }
        }
        if let Some(block) = name.strip_prefix("Is") {
            let Some(ranges) = blocks::block_ranges(block) else {
                return Err(self.error_at(
                    name_at,
                    format!("a Unicode block name of XSD 1.0 (unknown block 'Is{block}')"),
                ));
            };
            let ranges: Vec<(char, char)> = ranges
                .iter()
                .filter_map(|&(lo, hi)| Some((char::from_u32(lo)?, char::from_u32(hi)?)))
                .collect();
            if ranges.is_empty() {
                // Surrogate blocks: no Rust string holds such a code point.
                return Ok(if negated {
                    r"[\x{0}-\x{10FFFF}]".to_string()
                } else {
                    r"[^\x{0}-\x{10FFFF}]".to_string()
                });
            }
            return Ok(ranges_class(&ranges, &[], negated));
        }
        if !CATEGORIES.contains(&name.as_str()) {
            return Err(self.error_at(
                name_at,
                format!(
                    "a Unicode general category (L, Lu, Nd, P, ...) or IsBlock name, not '{name}'"
                ),
            ));
        }
        Ok(format!(r"\{}{{{name}}}", if negated { 'P' } else { 'p' }))
    }

    /// After `[` (at offset `open`): charGroup `]`.
    fn class_expr(&mut self, open: usize) -> Result<String, RegexError> {
        self.enter()?;
        let negated = if self.peek() == Some('^') {
            self.pos += 1;
            true
        } else {
            false
        };
        let mut items = String::new();
        let mut count = 0usize;
        let mut subtraction = None;
        loop {
            let here = self.pos;
            match self.peek() {
                None => {
                    return Err(self.error_here(format!(
                        "']' to close the character class opened at character {open}"
                    )))
                }
                Some(']') => {
                    if count == 0 {
                        return Err(self.error_here(
                            "a character or range (empty character classes are not allowed)",
                        ));
                    }
                    self.pos += 1;
                    break;
                }
                Some('-') if self.peek_at(1) == Some('[') => {
                    if count == 0 {
                        return Err(
                            self.error_here("a character or range before the subtraction '-['")
                        );
                    }
                    self.pos += 2;
                    subtraction = Some(self.class_expr(here + 1)?);
                    if self.peek() != Some(']') {
                        return Err(self.error_at(
                            self.pos,
                            format!(
                                "']' right after the subtracted class, to close the class opened \
                                 at character {open}"
                            ),
                        ));
                    }
                    self.pos += 1;
                    break;
                }
                Some('-') if count == 0 || self.peek_at(1) == Some(']') => {
                    self.pos += 1;
                    items.push_str(&class_char('-'));
                    count += 1;
                }
                Some('-') if self.peek_at(1).is_none() => {
                    return Err(self.error_at(
                        self.pos + 1,
                        format!("']' to close the character class opened at character {open}"),
                    ))
                }
                Some('-') => {
                    return Err(self.error_here(
                        "a character or range ('-' is literal only first or last in a class; \
                         escape it as '\\-')",
                    ))
                }
                Some('[') => {
                    return Err(self.error_here(
                        "a character or range ('[' must be escaped as '\\[' in a class)",
                    ))
                }
                Some(_) => {
                    let first = self.class_atom()?;
                    count += 1;
                    match first {
                        ClassAtom::Char(lo)
                            if self.peek() == Some('-')
                                && !matches!(self.peek_at(1), Some('[' | ']') | None) =>
                        {
                            self.pos += 1;
                            let hi_at = self.pos;
                            match self.class_atom()? {
                                ClassAtom::Char(hi) if hi >= lo => {
                                    items.push_str(&class_char(lo));
                                    items.push('-');
                                    items.push_str(&class_char(hi));
                                }
                                ClassAtom::Char(_) => {
                                    return Err(self.error_at(
                                        hi_at,
                                        format!(
                                            "a range end not below the range start '{}'",
                                            lo.escape_debug()
                                        ),
                                    ))
                                }
                                ClassAtom::Set(_) => {
                                    return Err(self.error_at(
                                        hi_at,
                                        "a single character as range end (not a \
                                         multi-character or category escape)",
                                    ))
                                }
                            }
                        }
                        ClassAtom::Char(c) => items.push_str(&class_char(c)),
                        ClassAtom::Set(s) => items.push_str(&s),
                    }
                }
            }
        }
        self.depth -= 1;
        let base = format!("[{}{items}]", if negated { "^" } else { "" });
        Ok(match subtraction {
            Some(sub) => format!("[{base}--{sub}]"),
            None => base,
        })
    }

    fn class_atom(&mut self) -> Result<ClassAtom, RegexError> {
        match self.bump() {
            Some('\\') => self.escape(),
            Some(c) => Ok(ClassAtom::Char(c)),
            None => Err(self.error_here("a character")),
        }
    }
}

/// A literal character outside a class.
fn literal(c: char) -> String {
    regex_syntax::escape(c.encode_utf8(&mut [0; 4]))
}

/// A literal character inside a class.
fn class_char(c: char) -> String {
    format!(r"\x{{{:X}}}", c as u32)
}

/// A class of the union of two range lists, optionally negated.
fn ranges_class(a: &[(char, char)], b: &[(char, char)], negated: bool) -> String {
    let mut out = String::from(if negated { "[^" } else { "[" });
    for &(lo, hi) in a.iter().chain(b) {
        out.push_str(&class_char(lo));
        if hi != lo {
            out.push('-');
            out.push_str(&class_char(hi));
        }
    }
    out.push(']');
    out
}
