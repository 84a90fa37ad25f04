//! Text that is safe to show on a terminal or in a CI log: characters that would move the
//! cursor, recolour the screen or reorder what is shown (C0 and C1 controls, DEL, Unicode
//! bidirectional and line-separator controls) are written as `\u{..}` escapes instead.
//!
//! Document content reaches the output through error messages (quoted values), element paths,
//! file names and source snippets. XML itself allows C1 controls and the bidi controls in
//! character data, so a valid-looking payload could otherwise rewrite the reader's terminal.

use std::borrow::Cow;

/// Whether `c` is shown as an escape rather than as itself. Tab is not: callers decide
/// (snippets expand it, one-line texts escape it with [`one_line`]).
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Bidirectional marks, embeddings, overrides and isolates.
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // Line and paragraph separators.
        | '\u{2028}' | '\u{2029}'
        // Noncharacters a stray BOM-like read can produce.
        | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// How `c` is shown: an escape such as `\u{1b}` when it is hidden, else `None`.
pub fn escape(c: char) -> Option<String> {
    is_hidden(c).then(|| format!("\\u{{{:x}}}", c as u32))
}

/// `s` with `special` characters written as it says and every other hidden one escaped.
pub fn rewrite(s: &str, special: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if let Some(e) = special(c) {
            out.push_str(e);
        } else if let Some(e) = escape(c) {
            out.push_str(&e);
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` on one line with every hidden character (and tab) escaped.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c == '\t' || is_hidden(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(rewrite(s, |c| (c == '\t').then_some("\\t")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_the_rest_kept() {
        assert_eq!(one_line("plain é ✓"), "plain é ✓");
        assert_eq!(one_line("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(one_line("x\u{9b}y\u{202e}z"), "x\\u{9b}y\\u{202e}z");
        assert_eq!(one_line("a\nb\tc\r"), "a\\u{a}b\\tc\\u{d}");
    }
}
