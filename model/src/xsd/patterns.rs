//! Checking `xs:pattern` values at load time (an invalid pattern is a located load error).

/// Check that an XSD pattern is valid XSD 1.0 regex syntax that the `regex` crate can compile
/// (through [`crate::xsd_regex`]).
pub(crate) fn check_pattern(pattern: &str) -> Result<(), String> {
    crate::xsd_regex::compile(pattern)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
