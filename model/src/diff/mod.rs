//! Schema diff: compares two versions of a schema on the model (not on text) and classifies
//! every change per audience.
//!
//! - Pairing (modules `pairing` and `walk`): global elements, named types and attributes by name; local elements by
//!   their path from a global element or named type (`SCAN/NOTIFICATIONS`,
//!   `type:Finding/uniqueId`, `SCAN/@id`) and position; anonymous types through the element
//!   or attribute that owns them.
//! - Content models are compared structurally (children added/removed, occurrences, order,
//!   choice branches) and checked against the LANGUAGES of the two models with
//!   [`crate::automaton::compare_languages`]: a rewrite that accepts the same children is
//!   `content-model-rewritten`; a language change the structural findings do not explain adds
//!   `content-model-widened`/`-narrowed`/`-incomparable`.
//! - Directions ([`roles`]): components reachable from a request root are request content,
//!   from a response root response content (the roots come from `schemas/catalog.toml`).
//! - Verdicts ([`rules::RULES`], documented in `RULES.md`): per rule, one verdict for a
//!   tolerant response reader, one for a validating response reader, one for a request
//!   producer; an audience that never sees the component gets no verdict.
//! - Output: [`markdown::render`] (review report) and [`json::render`] (stable shape, see
//!   that module). [`cli`] is the `schema-diff` / `cargo xtask diff` command.
#![doc = include_str!("RULES.md")]

mod attributes;
mod catalog_roles;
pub mod cli;
mod content;
pub mod error;
mod facets;
mod identity;
mod inputs;
pub mod json;
mod language;
pub mod markdown;
mod pairing;
pub mod report;
pub mod roles;
pub mod rules;
mod shape;
mod simple;
pub mod verdict;
mod walk;

pub use error::DiffError;
pub use inputs::{diff_paths, DiffOptions};
pub use report::{Change, Counts, Report, SchemaDiff, SchemaStatus, Site};
pub use roles::{RoleSpec, Roles};
pub use rules::{Rule, RULES};
pub use verdict::{Audience, AudienceFilter, Directions, Verdict, Verdicts};

use crate::ir::Schema;

/// Compare two loaded versions of one schema; `old_roles`/`new_roles` say which components
/// are request and response content in each version.
pub fn diff_schemas(
    old: &Schema,
    new: &Schema,
    old_roles: &RoleSpec,
    new_roles: &RoleSpec,
) -> Vec<Change> {
    let or = Roles::compute(old, old_roles);
    let nr = Roles::compute(new, new_roles);
    let mut d = walk::Differ::new(old, new, &or, &nr);
    d.run();
    d.changes
}
