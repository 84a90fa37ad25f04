//! XSD 1.0 regular expressions (XML Schema Part 2, Appendix F) translated for the `regex` crate.
//!
//! XSD patterns are implicitly anchored: the whole value must match. `^` and `$` are ordinary
//! characters, `.` matches anything but `\n` and `\r`, and there are no lazy quantifiers,
//! backreferences, lookaround or `(?` groups. XSD-only constructs are rewritten:
//! multi-character escapes (`\i`, `\c`, `\w`, ...), Unicode block escapes (`\p{IsBasicLatin}`)
//! and character-class subtraction (`[a-z-[aeiou]]`).
//!
//! ```
//! use qschema_model::xsd_regex::{compile, translate};
//!
//! let re = compile("[a-f0-9]{8}-[a-f0-9]{4}").unwrap();
//! assert!(re.is_match("0123abcd-ef01"));
//! assert!(!re.is_match("x0123abcd-ef01"));
//! assert_eq!(translate("a|b").unwrap(), r"\A(?:a|b)\z");
//! assert_eq!(translate("[a-c").unwrap_err().offset(), 4);
//! ```
//!
//! `{` after an atom must start a well-formed quantifier; elsewhere `{` and `}` are ordinary
//! characters, as XSD 1.0's `Char` production and xmllint have it (`a{2}{3}` matches `aa{3}`).
//! A quantifier's maximum must not be below its minimum.
//!
//! Deviations, by design: `\i` and `\c` use the XML 1.0 Fifth Edition name characters, and
//! the Unicode categories are those of the `regex` crate's Unicode tables (newer than Unicode
//! 3.1); block names are the XSD 1.0 list (Unicode 3.1 blocks).

pub mod blocks;
mod parser;

/// Why an XSD pattern was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegexError {
    /// The pattern is not valid XSD 1.0 regex syntax.
    #[error("invalid XSD pattern at character {offset}: expected {expected}, found {found}")]
    Syntax {
        /// 0-based character (not byte) offset in the pattern.
        offset: usize,
        /// What the grammar allows here, e.g. `']' to close the character class`.
        expected: String,
        /// What is there instead, e.g. `'?'` or `end of pattern`.
        found: String,
    },
    /// The pattern is valid XSD but the `regex` crate cannot compile its translation (size
    /// limits, e.g. huge repetition counts).
    #[error("XSD pattern cannot be compiled: {message}")]
    Unsupported {
        /// The `regex` crate's error, on one line.
        message: String,
    },
}

impl RegexError {
    /// The character offset of a syntax error (0 for [`RegexError::Unsupported`]).
    pub fn offset(&self) -> usize {
        match self {
            RegexError::Syntax { offset, .. } => *offset,
            RegexError::Unsupported { .. } => 0,
        }
    }
}

/// Translate an XSD pattern into an equivalent, anchored (`\A(?:...)\z`) `regex`-crate pattern.
///
/// ```
/// # use qschema_model::xsd_regex::translate;
/// assert_eq!(translate(r"\d+").unwrap(), r"\A(?:\p{Nd}+)\z");
/// assert!(translate("a*?").is_err()); // no lazy quantifiers in XSD
/// ```
pub fn translate(xsd: &str) -> Result<String, RegexError> {
    let body = parser::Parser::new(xsd).parse()?;
    Ok(format!(r"\A(?:{body})\z"))
}

/// Translate and compile an XSD pattern. The regex matches a value iff the XSD pattern
/// accepts the whole value.
///
/// ```
/// # use qschema_model::xsd_regex::compile;
/// let re = compile(r"\i\c*").unwrap();
/// assert!(re.is_match("xs:element"));
/// assert!(!re.is_match("1abc"));
/// ```
pub fn compile(xsd: &str) -> Result<regex::Regex, RegexError> {
    let translated = translate(xsd)?;
    regex::RegexBuilder::new(&translated)
        .size_limit(1 << 24)
        .build()
        .map_err(|e| RegexError::Unsupported {
            message: e
                .to_string()
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .to_string(),
        })
}
