//! The restricted XPath of identity-constraint selectors and fields (XSD 1.0 3.11.6):
//!
//! ```text
//! Selector ::= Path ( '|' Path )*        Path ::= ('.//')? Step ( '/' Step )*
//! Field    ::= Path ( '|' Path )*        Path ::= ('.//')? ( Step '/' )* ( Step | '@' NameTest )
//! Step     ::= '.' | ('child::')? NameTest          ('attribute::' is '@')
//! NameTest ::= QName | '*' | NCName ':' '*'
//! ```
//!
//! White space may separate tokens. Prefixes resolve through the `xs:selector`/`xs:field`
//! element's namespace declarations; an unprefixed name is in no namespace (XPath 1.0).

use crate::identity::{ConstraintPath, NameTest};
use crate::xml_chars::{is_name_char, is_name_start_char};

/// Which grammar: a selector selects elements, a field may end in an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathKind {
    /// `xs:selector/@xpath`.
    Selector,
    /// `xs:field/@xpath`.
    Field,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Dot,
    Slash,
    DoubleSlash,
    Pipe,
    At,
    Star,
    /// `child::` or `attribute::`.
    Axis(String),
    /// A QName, or `prefix:*` (kept with its `*`).
    Name(String),
}

/// The end of the NCName starting at `i` (`i` itself when none starts there).
fn ncname_end(chars: &[char], i: usize) -> usize {
    match chars.get(i) {
        Some(&c) if c != ':' && is_name_start_char(c) => {
            i + 1
                + chars[i + 1..]
                    .iter()
                    .take_while(|&&c| c != ':' && is_name_char(c))
                    .count()
        }
        _ => i,
    }
}

fn tokens(xpath: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = xpath.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let one = match chars[i] {
            ' ' | '\t' | '\r' | '\n' => None,
            '/' if chars.get(i + 1) == Some(&'/') => {
                out.push(Token::DoubleSlash);
                i += 2;
                continue;
            }
            '/' => Some(Token::Slash),
            '.' => Some(Token::Dot),
            '|' => Some(Token::Pipe),
            '@' => Some(Token::At),
            '*' => Some(Token::Star),
            c => {
                let end = ncname_end(&chars, i);
                if end == i {
                    return Err(format!("'{c}' is not allowed in this restricted XPath"));
                }
                let mut name: String = chars[i..end].iter().collect();
                i = end;
                match (chars.get(i), chars.get(i + 1)) {
                    (Some(':'), Some(':')) => {
                        out.push(Token::Axis(name));
                        i += 2;
                        continue;
                    }
                    (Some(':'), Some('*')) => {
                        name.push_str(":*");
                        i += 2;
                    }
                    (Some(':'), _) => {
                        let local_end = ncname_end(&chars, i + 1);
                        if local_end == i + 1 {
                            return Err(format!("'{name}:' is not a name"));
                        }
                        name.extend(&chars[i..local_end]);
                        i = local_end;
                    }
                    _ => {}
                }
                out.push(Token::Name(name));
                continue;
            }
        };
        out.extend(one);
        i += 1;
    }
    Ok(out)
}

/// Parse `xpath`; `resolve` gives a prefix's namespace (`None`: not declared).
pub(crate) fn parse(
    xpath: &str,
    kind: PathKind,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<ConstraintPath>, String> {
    let tokens = tokens(xpath)?;
    let mut paths = Vec::new();
    for alternative in tokens.split(|t| *t == Token::Pipe) {
        paths.push(path(alternative, kind, resolve)?);
    }
    Ok(paths)
}

fn path(
    tokens: &[Token],
    kind: PathKind,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<ConstraintPath, String> {
    let mut rest = tokens;
    let mut p = ConstraintPath {
        descendants: false,
        steps: Vec::new(),
        attribute: None,
    };
    if let [Token::Dot, Token::DoubleSlash, after @ ..] = rest {
        p.descendants = true;
        rest = after;
    }
    loop {
        let (step, after) = match rest {
            [] => return Err("a path ends without a step".to_string()),
            [Token::Dot, after @ ..] => (None, after),
            [Token::At, after @ ..] => {
                let (test, after) = name_test(after, resolve)?;
                p.attribute = Some(test);
                (None, after)
            }
            [Token::Axis(axis), after @ ..] if axis == "attribute" => {
                let (test, after) = name_test(after, resolve)?;
                p.attribute = Some(test);
                (None, after)
            }
            [Token::Axis(axis), after @ ..] if axis == "child" => {
                let (test, after) = name_test(after, resolve)?;
                (Some(test), after)
            }
            [Token::Axis(axis), ..] => {
                return Err(format!(
                    "the axis '{axis}::' is not allowed (only child:: and attribute::)"
                ))
            }
            _ => {
                let (test, after) = name_test(rest, resolve)?;
                (Some(test), after)
            }
        };
        if let Some(test) = step {
            p.steps.push(test);
        }
        if p.attribute.is_some() {
            if kind == PathKind::Selector {
                return Err(
                    "a selector selects elements: it cannot end in an attribute".to_string()
                );
            }
            if !after.is_empty() {
                return Err("an attribute step must be the last step".to_string());
            }
            return Ok(p);
        }
        match after {
            [] => return Ok(p),
            [Token::Slash, next @ ..] => rest = next,
            [Token::DoubleSlash, ..] => {
                return Err("'//' is only allowed at the start, as './/'".to_string())
            }
            _ => return Err("steps must be separated by '/'".to_string()),
        }
    }
}

fn name_test<'t>(
    tokens: &'t [Token],
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<(NameTest, &'t [Token]), String> {
    match tokens {
        [Token::Star, after @ ..] => Ok((NameTest::Any, after)),
        [Token::Name(name), after @ ..] => {
            let test = match name.split_once(':') {
                Some((prefix, "*")) => NameTest::AnyIn(Some(namespace(prefix, resolve)?)),
                Some((prefix, local)) => NameTest::Name {
                    namespace: Some(namespace(prefix, resolve)?),
                    local: local.to_string(),
                },
                None => NameTest::Name {
                    namespace: None,
                    local: name.clone(),
                },
            };
            Ok((test, after))
        }
        _ => Err("expected a name, '*' or 'prefix:*'".to_string()),
    }
}

fn namespace(prefix: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    resolve(prefix).ok_or_else(|| format!("the prefix '{prefix}' is not declared"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(p: &str) -> Option<String> {
        (p == "t").then(|| "urn:t".to_string())
    }

    fn name(ns: Option<&str>, local: &str) -> NameTest {
        NameTest::Name {
            namespace: ns.map(str::to_string),
            local: local.to_string(),
        }
    }

    #[test]
    fn selectors_and_fields_of_the_grammar() {
        let p = parse(".//t:item | child::b/ c", PathKind::Selector, &resolve).unwrap();
        assert_eq!(p.len(), 2);
        assert!(p[0].descendants);
        assert_eq!(p[0].steps, vec![name(Some("urn:t"), "item")]);
        assert_eq!(p[1].steps, vec![name(None, "b"), name(None, "c")]);
        let f = parse("a/@t:id", PathKind::Field, &resolve).unwrap();
        assert_eq!(f[0].steps, vec![name(None, "a")]);
        assert_eq!(f[0].attribute, Some(name(Some("urn:t"), "id")));
        let f = parse(". | attribute::*", PathKind::Field, &resolve).unwrap();
        assert!(f[0].steps.is_empty() && f[0].attribute.is_none());
        assert_eq!(f[1].attribute, Some(NameTest::Any));
        let any = parse("t:*/*", PathKind::Selector, &resolve).unwrap();
        assert_eq!(
            any[0].steps,
            vec![NameTest::AnyIn(Some("urn:t".to_string())), NameTest::Any]
        );
    }

    #[test]
    fn what_the_grammar_does_not_allow_is_refused() {
        for (xpath, kind) in [
            ("@id", PathKind::Selector),
            ("a//b", PathKind::Selector),
            ("//a", PathKind::Selector),
            ("a[1]", PathKind::Selector),
            ("parent::a", PathKind::Selector),
            ("@a/b", PathKind::Field),
            ("x:a", PathKind::Selector),
            ("", PathKind::Field),
            ("a/", PathKind::Field),
        ] {
            assert!(
                parse(xpath, kind, &resolve).is_err(),
                "{xpath} was accepted"
            );
        }
    }
}
