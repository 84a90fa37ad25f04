//! Splitting a schema location (`https://host/path`) into the parts the catalog matches.
//! No network, no percent-decoding: a location either has exactly the expected shape or
//! does not resolve.

/// The parts of an absolute http(s) URL that the catalog looks at.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    /// Lower-cased scheme.
    pub scheme: String,
    /// Lower-cased host, without port.
    pub host: String,
    /// The path, verbatim (starts with `/`).
    pub path: &'a str,
}

/// Split `url` (surrounding whitespace ignored). `None` for anything that is not
/// `scheme://host[:default-port]/path` without user info, query or fragment.
pub(crate) fn split(url: &str) -> Option<UrlParts<'_>> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let slash = rest.find('/')?;
    let (authority, path) = rest.split_at(slash);
    if path.contains(['?', '#']) || path.chars().any(char::is_whitespace) {
        return None;
    }
    if authority.contains('@') {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) => {
            let default = match scheme.as_str() {
                "http" => "80",
                "https" => "443",
                _ => return None,
            };
            if port != default {
                return None;
            }
            host
        }
        None => authority,
    };
    if host.is_empty() {
        return None;
    }
    Some(UrlParts {
        scheme,
        host: host.to_ascii_lowercase(),
        path,
    })
}

/// Whether `rest` is a domain name of at least `min_labels` labels (ASCII letters, digits,
/// hyphens; no empty label; no label starting or ending with a hyphen).
pub(crate) fn is_domain(rest: &str, min_labels: u32) -> bool {
    let mut count = 0u32;
    for label in rest.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return false;
        }
        count = count.saturating_add(1);
    }
    count >= min_labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_path_and_lowercases_host() {
        let p = split("  HTTPS://QualysAPI.Qualys.com:443/qps/xsd/3.0/was/Finding.xsd\n");
        assert_eq!(
            p,
            Some(UrlParts {
                scheme: "https".into(),
                host: "qualysapi.qualys.com".into(),
                path: "/qps/xsd/3.0/was/Finding.xsd",
            })
        );
    }

    #[test]
    fn split_rejects_non_default_port_query_userinfo() {
        assert_eq!(split("https://h.example:8443/a"), None);
        assert_eq!(split("https://h.example/a?x=1"), None);
        assert_eq!(split("https://u@h.example/a"), None);
        assert_eq!(split("https://h.example"), None);
        assert_eq!(split("h.example/a"), None);
    }

    #[test]
    fn domain_rule() {
        assert!(is_domain("customer.example.com", 2));
        assert!(!is_domain("localhost", 2));
        assert!(!is_domain("a..b", 1));
        assert!(!is_domain("-a.b", 1));
    }
}
