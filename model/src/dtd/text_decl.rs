//! Byte-order marks and text declarations (`<?xml version? encoding?>`) at the start of
//! external entities.

use super::chars::is_ws;

/// Drop a leading byte-order mark.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// The text of an external entity after its byte order mark and its text declaration
/// (checked), if it has them.
pub fn strip_text_declaration(text: &str) -> Result<String, String> {
    let text = strip_bom(text);
    if !(text.starts_with("<?xml") && text.get(5..).is_some_and(|r| r.starts_with(is_ws))) {
        return Ok(text.to_string());
    }
    let end = text
        .find("?>")
        .ok_or_else(|| "unterminated text declaration: expected '?>'".to_string())?;
    check_text_declaration(text.get(5..end).unwrap_or(""))?;
    Ok(text.get(end + 2..).unwrap_or("").to_string())
}

/// Check the pseudo-attributes of a text declaration (`version` optional, `encoding`
/// required, nothing else).
pub(crate) fn check_text_declaration(content: &str) -> Result<(), String> {
    let pairs = pseudo_attributes(content)?;
    let mut names = pairs.iter().map(|(n, _)| n.as_str());
    let mut next = names.next();
    if next == Some("version") {
        next = names.next();
    }
    if next != Some("encoding") {
        return Err(format!(
            "a text declaration must be <?xml version=\"1.0\" encoding=\"...\"?> (encoding required), found <?xml{content}?>"
        ));
    }
    if let Some(extra) = names.next() {
        return Err(format!("unexpected '{extra}' in a text declaration"));
    }
    Ok(())
}

/// Parse `name="value"` pairs separated by whitespace.
pub(crate) fn pseudo_attributes(content: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = content.trim_start_matches(is_ws);
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = rest.get(..name_len).unwrap_or("");
        let after = rest.get(name_len..).unwrap_or("").trim_start_matches(is_ws);
        let after = after
            .strip_prefix('=')
            .ok_or_else(|| format!("expected '=' after '{name}' in a text declaration"))?
            .trim_start_matches(is_ws);
        let quote = after
            .chars()
            .next()
            .filter(|&q| q == '"' || q == '\'')
            .ok_or_else(|| format!("expected a quoted value for '{name}' in a text declaration"))?;
        let body = after.get(1..).unwrap_or("");
        let close = body
            .find(quote)
            .ok_or_else(|| format!("unterminated value of '{name}' in a text declaration"))?;
        if name.is_empty() {
            return Err("expected a pseudo-attribute name in a text declaration".into());
        }
        out.push((name.to_string(), body[..close].to_string()));
        let next = body.get(close + 1..).unwrap_or("");
        if !next.is_empty() && !next.starts_with(is_ws) {
            return Err(
                "expected whitespace between pseudo-attributes of a text declaration".into(),
            );
        }
        rest = next.trim_start_matches(is_ws);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_declarations() {
        assert_eq!(
            strip_text_declaration("<?xml version='1.0' encoding='UTF-8'?>rest").as_deref(),
            Ok("rest")
        );
        assert!(strip_text_declaration("<?xml version='1.0'?>x").is_err());
        assert!(strip_text_declaration("<?xml encoding='a' standalone='yes'?>x").is_err());
        assert_eq!(
            strip_text_declaration("<?xml-stylesheet?>").as_deref(),
            Ok("<?xml-stylesheet?>")
        );
        assert_eq!(
            strip_text_declaration("\u{FEFF}<?xml encoding='UTF-8'?>plain").as_deref(),
            Ok("plain")
        );
    }
}
