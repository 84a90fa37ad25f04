//! Reader and input errors as xmllint-style, located well-formedness errors.

use super::*;
use crate::engine::input::{InputProblem, View, OVER_LIMIT};
use crate::engine::sink::error;
use crate::report::rules;
use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};

pub(super) fn input_problem(pass: &mut Pass, tr: &View, p: InputProblem) {
    let path = pass.path.current();
    let e = match p {
        InputProblem::InvalidUtf8 { offset: 0, bytes } if matches!(bytes.first(), Some(0xFF | 0xFE)) => error(
            (1, 1),
            path,
            rules::ENCODING,
            "Document starts with a UTF-16 byte order mark: only UTF-8 documents are supported (convert the document to UTF-8)".to_string(),
            Some("UTF-16".to_string()),
            Some("UTF-8".to_string()),
            None,
        ),
        InputProblem::InvalidChar { offset: 0 | 1, code: 0 } => error(
            (1, 1),
            path,
            rules::ENCODING,
            "Document looks like UTF-16 (NUL bytes at its start): only UTF-8 documents are supported (convert the document to UTF-8)".to_string(),
            Some("UTF-16".to_string()),
            Some("UTF-8".to_string()),
            None,
        ),
        InputProblem::InvalidUtf8 { offset, bytes } => {
            let shown: Vec<String> = bytes.iter().map(|b| format!("0x{b:02X}")).collect();
            error(
                tr.at(offset),
                path,
                rules::ENCODING,
                format!(
                    "Input is not proper UTF-8, indicate encoding ! Bytes: {}",
                    shown.join(" ")
                ),
                Some(shown.join(" ")),
                Some("UTF-8".to_string()),
                None,
            )
        }
        InputProblem::InvalidChar { offset, code } => error(
            tr.at(offset),
            path,
            rules::NOT_WELL_FORMED,
            format!("Char 0x{code:X} out of allowed range"),
            Some(format!("U+{code:04X}")),
            Some("an XML 1.0 character".to_string()),
            None,
        ),
    };
    pass.sink.fatal(e);
}

pub(super) fn xml_error(pass: &mut Pass, tr: &View, e: XmlError, markup_start: u64) {
    let pos = tr.at(markup_start);
    let (rule, message) = match e {
        XmlError::Io(io) if io.to_string().contains(OVER_LIMIT) => (
            rules::LIMIT,
            format!(
                "A single tag, text run, comment or CDATA section exceeds {} bytes ({} / {})",
                tr.limit(),
                pass.opts.option_name("max_attribute_bytes"),
                pass.opts.option_name("max_text_bytes"),
            ),
        ),
        XmlError::Io(io) => (
            rules::NOT_WELL_FORMED,
            format!("I/O error while reading: {io}"),
        ),
        XmlError::Syntax(s) => (
            rules::NOT_WELL_FORMED,
            match s {
                SyntaxError::UnclosedTag => "Couldn't find end of Start Tag".to_string(),
                SyntaxError::UnclosedComment => "Comment not terminated".to_string(),
                SyntaxError::UnclosedCData => "CData section not finished".to_string(),
                SyntaxError::UnclosedDoctype => "DOCTYPE not finished".to_string(),
                SyntaxError::UnclosedPIOrXmlDecl => "ParsePI: PI not finished".to_string(),
                SyntaxError::InvalidBangMarkup => "StartTag: invalid element name".to_string(),
            },
        ),
        XmlError::IllFormed(i) => (
            rules::NOT_WELL_FORMED,
            match i {
                IllFormedError::DoubleHyphenInComment => "Double hyphen within comment".to_string(),
                IllFormedError::MissingDeclVersion(_) => {
                    "Malformed declaration expecting version".to_string()
                }
                IllFormedError::MissingDoctypeName => {
                    "xmlParseDocTypeDecl : no DOCTYPE name !".to_string()
                }
                other => other.to_string(),
            },
        ),
        other => (rules::NOT_WELL_FORMED, other.to_string()),
    };
    let path = pass.path.current();
    pass.sink
        .fatal(error(pos, path, rule, message, None, None, None));
}
