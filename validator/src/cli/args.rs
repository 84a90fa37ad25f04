//! Command-line arguments of `validate`.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

const AFTER_HELP: &str = "\
Schema selection:
  A document names its schema with its DOCTYPE system id (VM DTDs) or with the root's
  xsi:noNamespaceSchemaLocation (WAS XSDs). The URL is looked up in the catalog of schemas
  embedded in this binary; nothing is ever fetched from the network. Requests usually name no
  schema: give --endpoint (a /qps/rest/.../was/<object> path selects <object>.xsd) or --schema.
  --version picks a schema version (default: the latest one in the manifest; see
  --list-schemas); --all-versions reports, per file, which versions accept it.

Qualys rules:
  After schema validation, rules the published schemas cannot express are applied (data in
  schemas/<api>/<version>/rules.toml beside the schemas; list them with --list-rules).

Exit status:
  0  every document is valid
  1  at least one document is invalid (schema errors, Qualys rule violations, not well-formed
     XML, bad encoding, or a security limit reached while reading it)
  2  usage error, or a document could not be checked at all: unreadable file, no schema
     named and none given, unknown schema URL, schema that fails to load or is not a valid
     XSD (a 2 wins over a 1). A document that names no schema, or one the catalog does not
     know, is still checked for well-formedness: a 1 when it is not well-formed

With --all-versions a document counts as valid when at least one version accepts it.";

/// Validate Qualys API XML payloads against the Qualys DTDs and XSDs (offline).
#[derive(Debug, Parser)]
#[command(name = "validate", disable_version_flag = true, after_help = AFTER_HELP)]
pub struct Args {
    /// Files or directories (searched recursively for *.xml, in sorted order); `-` reads stdin. Stdin, pipes and devices are read into memory once (at most 512 MiB); files are streamed.
    #[arg(required_unless_present_any = ["list_rules", "list_schemas"])]
    pub paths: Vec<PathBuf>,

    /// Validate against this DTD or XSD file (or catalog URL) instead of the one the document
    /// names.
    #[arg(long, value_name = "FILE|URL")]
    pub schema: Option<String>,

    /// Schema version to use (default: the latest version of that schema in the manifest).
    #[arg(long, value_name = "V", conflicts_with = "all_versions")]
    pub version: Option<String>,

    /// Validate each file against every version of its schema and report which accept it.
    #[arg(long)]
    pub all_versions: bool,

    /// The endpoint the payload is sent to or came from, e.g. /qps/rest/2.0/delete/am/asset
    /// (enables endpoint rules; selects the WAS schema for requests that name none).
    #[arg(long, value_name = "PATH")]
    pub endpoint: Option<String>,

    /// Apply only the Qualys rules (for requests to APIs without a schema here).
    #[arg(long, conflicts_with_all = ["schema", "all_versions"])]
    pub rules_only: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Keep at most N errors per file (0: unlimited).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_errors: usize,

    /// Human format: print only the summary line, and nothing at all when every file is valid.
    /// GitHub format: annotations only. JSON and JUnit are unaffected.
    #[arg(long, short)]
    pub quiet: bool,

    /// Expand external entities (general, and parameter entities of the internal subset) that are local files in the document's folder.
    #[arg(long)]
    pub allow_local_entities: bool,

    /// Maximum element nesting depth.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_depth: usize,

    /// Maximum number of entity expansions per document.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_entity_expansions: usize,

    /// Maximum number of bytes produced by entity expansion per document.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_expanded_bytes: usize,

    /// Maximum size of one attribute value, in bytes (as written and after entity expansion).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_attribute_bytes: usize,

    /// Maximum size of one text run, comment, CDATA section or processing instruction, and of
    /// the text of one element whose value is checked, in bytes. One tag or text run is held
    /// in memory whole, up to the larger of this and --max-attribute-bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_text_bytes: usize,

    /// Threads to use (default: one per core). Files are checked in parallel; a file of at
    /// least 8 MiB gets the threads no other file uses (its records are split among them,
    /// each thread held on a CPU of its own while the file lasts, on Linux).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// The smallest file whose records are split across threads, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 8 * 1024 * 1024)]
    pub split_min_bytes: u64,

    /// List the Qualys rules embedded in this binary and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// List the schemas embedded in this binary, their versions and public paths, and exit.
    #[arg(long)]
    pub list_schemas: bool,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the source line.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML (one testsuite, one testcase per file).
    Junit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }
}
