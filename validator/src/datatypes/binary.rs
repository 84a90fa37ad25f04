//! `xs:hexBinary` and `xs:base64Binary`: lexical checks and decoded octets.

/// `([0-9a-fA-F]{2})*` decoded.
pub fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            Some((hi * 16 + lo) as u8)
        })
        .collect()
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// The XSD 1.0 `Base64Binary` production decoded: groups of four base64 characters, each
/// optionally followed by one space (the value is whitespace-collapsed first); the last group
/// may end in `=` (its third character then in `[AEIMQUYcgkosw048]`) or `==` (its second
/// character then in `[AQgw]`), so unused bits are zero.
pub fn parse_base64(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    // Single spaces between characters only (no leading, trailing or double spaces).
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') || s.contains("  ") {
        return None;
    }
    let chars: Vec<u8> = bytes.iter().copied().filter(|&b| b != b' ').collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let groups = chars.len() / 4;
    for (g, quad) in chars.chunks(4).enumerate() {
        let last = g + 1 == groups;
        let pads = quad.iter().rev().take_while(|&&b| b == b'=').count();
        if pads > 2 || (pads > 0 && !last) {
            return None;
        }
        let mut v = [0u8; 4];
        for (k, &c) in quad[..4 - pads].iter().enumerate() {
            v[k] = b64_value(c)?;
        }
        match pads {
            0 => out.extend([
                v[0] << 2 | v[1] >> 4,
                v[1] << 4 | v[2] >> 2,
                v[2] << 6 | v[3],
            ]),
            1 => {
                if v[2] & 0b11 != 0 {
                    return None;
                }
                out.extend([v[0] << 2 | v[1] >> 4, v[1] << 4 | v[2] >> 2]);
            }
            _ => {
                if v[1] & 0b1111 != 0 {
                    return None;
                }
                out.push(v[0] << 2 | v[1] >> 4);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode() {
        assert_eq!(parse_hex("0aFF"), Some(vec![10, 255]));
        assert_eq!(parse_hex("abc"), None);
        assert_eq!(parse_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(parse_base64("aGVs bG8="), Some(b"hello".to_vec()));
        assert_eq!(parse_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(parse_base64("aGl="), None, "non-zero unused bits");
        assert_eq!(parse_base64("aA=="), Some(b"h".to_vec()));
        assert_eq!(parse_base64("aB=="), None);
        assert_eq!(parse_base64("aGk=aGk="), None);
        assert_eq!(parse_base64("aGVsbG8"), None);
        assert_eq!(parse_base64(""), Some(vec![]));
    }
}
