//! Qualys REST endpoints: `/qps/rest/<version>/<action>/<module>/<object>[/<id>]`.

/// A parsed QPS REST endpoint path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// API version segment, e.g. `2.0`.
    pub version: String,
    /// Action segment, e.g. `delete`, `update`, `search`.
    pub action: String,
    /// Module segment, e.g. `am`, `was`.
    pub module: String,
    /// Object segment, e.g. `hostasset`, `finding`.
    pub object: String,
}

/// Why an endpoint could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "endpoint `{given}` is not of the form /qps/rest/<version>/<action>/<module>/<object>[/<id>]"
)]
pub struct EndpointError {
    /// The text given.
    pub given: String,
}

impl Endpoint {
    /// Parse a path (`/qps/rest/2.0/delete/am/asset`) or a full URL
    /// (`https://qualysapi.qualys.com/qps/rest/2.0/delete/am/asset/123?x=1`). Segments are
    /// compared case-insensitively later, so they are stored lowercased.
    pub fn parse(text: &str) -> Result<Endpoint, EndpointError> {
        let err = || EndpointError {
            given: text.to_string(),
        };
        let trimmed = text.trim();
        let without_scheme = match trimmed.find("://") {
            Some(i) => {
                let rest = &trimmed[i + 3..];
                rest.find('/').map(|j| &rest[j..]).unwrap_or("")
            }
            None => trimmed,
        };
        let path = without_scheme
            .split(['?', '#'])
            .next()
            .unwrap_or(without_scheme);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [qps, rest, version, action, module, object, ..]
                if qps.eq_ignore_ascii_case("qps") && rest.eq_ignore_ascii_case("rest") =>
            {
                Ok(Endpoint {
                    version: version.to_ascii_lowercase(),
                    action: action.to_ascii_lowercase(),
                    module: module.to_ascii_lowercase(),
                    object: object.to_ascii_lowercase(),
                })
            }
            _ => Err(err()),
        }
    }

    /// `module/object`, e.g. `am/hostasset`.
    pub fn module_object(&self) -> String {
        format!("{}/{}", self.module, self.object)
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "/qps/rest/{}/{}/{}/{}",
            self.version, self.action, self.module, self.object
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths_and_urls() {
        let e = Endpoint::parse("/qps/rest/2.0/delete/am/asset").unwrap();
        assert_eq!(e.action, "delete");
        assert_eq!(e.module_object(), "am/asset");
        let u =
            Endpoint::parse("https://qualysapi.qualys.com/qps/rest/2.0/update/am/hostasset/12?a=b")
                .unwrap();
        assert_eq!(u.action, "update");
        assert_eq!(u.module_object(), "am/hostasset");
        assert_eq!(u.to_string(), "/qps/rest/2.0/update/am/hostasset");
    }

    #[test]
    fn rejects_other_paths() {
        for bad in [
            "",
            "/api/2.0/fo/scan",
            "/qps/rest/2.0/delete/am",
            "https://host",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }
}
