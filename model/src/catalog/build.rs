//! Turning the parsed TOML files into a [`Catalog`], checking their consistency.
//! Every problem is collected as a [`Diagnostic`] with file, line and column.

use std::collections::BTreeSet;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::catalog_checks::check_catalog;
use super::raw::{RawCatalog, RawVersions};
use super::types::Api;
use super::version_checks::check_versions;
use super::{Catalog, CatalogError};
use crate::error::Diagnostic;
use crate::location::line_col;

/// The only file format version this loader reads.
pub(crate) const FORMAT: u32 = 1;

/// A TOML text and the name it is shown under.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    /// A diagnostic at the start of `span`.
    pub(crate) fn diag(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_col(self.text, span.start);
        Diagnostic {
            file: self.name.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        toml::from_str(self.text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(self.text, s.start))
                .unwrap_or((0, 0));
            Diagnostic {
                file: self.name.to_string(),
                line,
                column,
                message: e
                    .message()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })
    }
}

/// Parse and check both files.
pub(crate) fn build(
    catalog: Source<'_>,
    versions_src: Source<'_>,
) -> Result<Catalog, CatalogError> {
    let raw_catalog = catalog.parse::<RawCatalog>();
    let raw_versions = versions_src.parse::<RawVersions>();
    let (raw_catalog, raw_versions) = match (raw_catalog, raw_versions) {
        (Ok(c), Ok(v)) => (c, v),
        (c, v) => {
            let errors = [c.err(), v.err()].into_iter().flatten().collect();
            return Err(CatalogError::Syntax(errors));
        }
    };
    let mut diags = Vec::new();
    // What the files declare, valid or not: checks of one entry against another use these,
    // so that one broken entry is reported once instead of cascading.
    let declared: BTreeSet<(Api, String)> = raw_catalog
        .schema
        .iter()
        .filter_map(|s| {
            Some((
                s.api.get_ref().parse::<Api>().ok()?,
                s.file.get_ref().clone(),
            ))
        })
        .collect();
    let declared_at: Vec<(Api, String, Range<usize>)> = raw_catalog
        .schema
        .iter()
        .filter_map(|s| {
            let api = s.api.get_ref().parse::<Api>().ok()?;
            Some((api, s.file.get_ref().clone(), s.file.span()))
        })
        .collect();
    let listed: BTreeSet<(Api, String)> = raw_versions
        .version
        .iter()
        .filter_map(|v| Some((v.api.get_ref().parse::<Api>().ok()?, v)))
        .flat_map(|(api, v)| {
            v.files
                .get_ref()
                .iter()
                .map(move |f| (api, f.get_ref().clone()))
        })
        .collect();
    let (schemes, platforms, private_cloud, schemas) =
        check_catalog(catalog, raw_catalog, &mut diags);
    let versions = check_versions(versions_src, raw_versions, &declared, &mut diags);
    for (api, file, span) in &declared_at {
        if !listed.contains(&(*api, file.clone())) {
            diags.push(catalog.diag(
                span.clone(),
                format!(
                    "schema {api}/{file} is in no version of {}",
                    versions_src.name
                ),
            ));
        }
    }
    if diags.is_empty() {
        Ok(Catalog {
            schemes,
            platforms,
            private_cloud,
            schemas,
            versions,
        })
    } else {
        Err(CatalogError::Invalid(diags))
    }
}

/// Report a `format` other than [`FORMAT`].
pub(crate) fn check_format(src: Source<'_>, format: &Spanned<u32>, diags: &mut Vec<Diagnostic>) {
    if *format.get_ref() != FORMAT {
        diags.push(src.diag(
            format.span(),
            format!(
                "unsupported format {} (this loader reads format {FORMAT})",
                format.get_ref()
            ),
        ));
    }
}

/// Parse an api name, reporting an unknown one.
pub(crate) fn parse_api(
    src: Source<'_>,
    api: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Api> {
    match api.get_ref().parse::<Api>() {
        Ok(a) => Some(a),
        Err(e) => {
            diags.push(src.diag(api.span(), e.to_string()));
            None
        }
    }
}

/// A plain file or folder name: no separators, not `.`/`..`, only `[A-Za-z0-9._-]`.
pub(crate) fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The leading four-digit year of a free-text date, if any.
pub(crate) fn year(date: &str) -> Option<u32> {
    let head = date.get(..4)?;
    head.chars()
        .all(|c| c.is_ascii_digit())
        .then(|| head.parse().ok())
        .flatten()
}
