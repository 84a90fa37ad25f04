//! Attribute-value normalization of default and `#FIXED` values (XML 1.0 §3.3.3): character
//! references, internal general entities declared so far, whitespace, and for non-CDATA types
//! the collapse of spaces.

use super::chars::char_reference;
use super::chars::{is_name, is_xml_char};
use super::parser::{PResult, Parser, NESTING_LIMIT};
use crate::ir::EntityValue;
use crate::location::Location;

impl Parser<'_> {
    /// Normalize attribute value `raw` (as written between the quotes at `loc`).
    pub fn normalize_attribute_value(
        &mut self,
        raw: &str,
        cdata: bool,
        loc: Location,
    ) -> PResult<String> {
        let mut out = String::new();
        let mut open = Vec::new();
        self.normalize_into(raw, loc, &mut open, &mut out)?;
        if cdata {
            Ok(out)
        } else {
            Ok(out
                .split(' ')
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" "))
        }
    }

    fn normalize_into(
        &mut self,
        text: &str,
        loc: Location,
        open: &mut Vec<String>,
        out: &mut String,
    ) -> PResult<()> {
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match c {
                '<' => {
                    return Err(
                        self.fail_at(loc, "'<' is not allowed in an attribute value (write &lt;)")
                    );
                }
                '&' => {
                    let Some(len) = rest.find(';') else {
                        return Err(self.fail_at(loc, "'&' in an attribute value must start a reference &name; or &#...; (write &amp;)"));
                    };
                    let body = rest.get(1..len).unwrap_or("");
                    rest = rest.get(len + 1..).unwrap_or("");
                    if let Some(code) = body.strip_prefix('#') {
                        match char_reference(code) {
                            Some(ch) => out.push(ch),
                            None => {
                                return Err(self.fail_at(
                                    loc,
                                    format!("&{body}; is not a reference to an XML character"),
                                ))
                            }
                        }
                        continue;
                    }
                    if !is_name(body) {
                        return Err(self.fail_at(
                            loc,
                            format!("malformed entity reference '&{body};' in an attribute value"),
                        ));
                    }
                    if let Some(ch) = predefined(body) {
                        out.push(ch);
                        continue;
                    }
                    self.expand_general(body, loc, open, out)?;
                }
                ' ' | '\t' | '\n' | '\r' => {
                    out.push(' ');
                    rest = rest.get(1..).unwrap_or("");
                }
                c if !is_xml_char(c) => {
                    return Err(self.fail_at(
                        loc,
                        format!("character U+{:04X} is not allowed in XML", c as u32),
                    ));
                }
                c => {
                    out.push(c);
                    rest = rest.get(c.len_utf8()..).unwrap_or("");
                }
            }
        }
        Ok(())
    }

    /// Expand general entity `name` inside an attribute value.
    fn expand_general(
        &mut self,
        name: &str,
        loc: Location,
        open: &mut Vec<String>,
        out: &mut String,
    ) -> PResult<()> {
        let value = self.entities.get(name).map(|e| e.value.clone());
        match value {
            None => {
                self.finding(
                    "dtd-undeclared-entity",
                    loc,
                    format!("the default value refers to entity &{name}; which is not declared before it"),
                );
                out.push_str(&format!("&{name};"));
                Ok(())
            }
            Some(EntityValue::Internal(text)) => {
                if open.iter().any(|n| n == name) {
                    return Err(self.fail_at(
                        loc,
                        format!("recursive reference to entity &{name}; in an attribute value"),
                    ));
                }
                if open.len() >= NESTING_LIMIT {
                    return Err(self.fail_at(
                        loc,
                        format!("entities nested more than {NESTING_LIMIT} deep at &{name};"),
                    ));
                }
                self.charge(text.len(), loc)?;
                open.push(name.to_string());
                let result = self.normalize_into(&text, loc, open, out);
                open.pop();
                result
            }
            Some(EntityValue::External { .. }) => Err(self.fail_at(
                loc,
                format!("attribute values cannot refer to external entity &{name};"),
            )),
            Some(EntityValue::Unparsed { .. }) => Err(self.fail_at(
                loc,
                format!("attribute values cannot refer to unparsed entity &{name};"),
            )),
        }
    }
}

/// The five predefined entities.
fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}
