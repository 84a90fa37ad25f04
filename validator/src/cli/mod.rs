//! The `validate` command: argument handling, input discovery, schema selection, parallel
//! checking (schemas compiled once per run, files checked on one thread per core, results
//! printed in input order as they finish), output and exit code.

pub mod args;
mod catalog;
mod check;
mod embedded;
mod inputs;
mod output;
mod pipeline;
mod prolog;
mod results;
mod select;
mod source_lines;
mod store;

use std::process::ExitCode;

use clap::Parser;
use qschema_validator::engine::{decode, OptionNames, Options};
use qschema_validator::rules::{Context, Endpoint};

use args::Args;
use catalog::SchemaCatalog;
use inputs::{Input, Source};
use prolog::Prolog;
use results::FileResult;

/// Exit code for usage, I/O and schema errors.
const EXIT_TROUBLE: u8 = 2;

/// Run `validate` with the process arguments.
pub fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

fn usage_checks(args: &Args) -> Result<(), String> {
    if let Some(s) = &args.schema {
        if !s.contains("://") && (args.version.is_some() || args.all_versions) {
            return Err(
                "--version and --all-versions select among the embedded catalog schemas; they cannot be combined with --schema FILE".to_string(),
            );
        }
    }
    Ok(())
}

fn run(args: &Args) -> Result<u8, String> {
    usage_checks(args)?;
    if args.list_rules {
        return list::rules().map(|text| {
            print!("{text}");
            0
        });
    }
    if args.list_schemas {
        return list::schemas().map(|text| {
            print!("{text}");
            0
        });
    }
    let endpoint = match &args.endpoint {
        Some(e) => Some(Endpoint::parse(e).map_err(|e| e.to_string())?),
        None => None,
    };
    let catalog = SchemaCatalog::embedded()?;
    let inputs = inputs::discover(&args.paths);

    let options = Options {
        max_errors: args.max_errors,
        max_depth: args.max_depth,
        max_entity_expansions: args.max_entity_expansions,
        max_expanded_bytes: args.max_expanded_bytes,
        max_attribute_bytes: args.max_attribute_bytes,
        max_text_bytes: args.max_text_bytes,
        allow_local_external_entities: args.allow_local_entities,
        option_names: OptionNames::Flags,
        split_threads: pipeline::split_threads(inputs.len(), args.jobs),
        split_min_bytes: args.split_min_bytes,
        ..Options::default()
    };
    let context = Context { endpoint };
    let store = store::Store::new(&catalog, &context);
    let settings = check::Settings {
        options: &options,
        context: &context,
    };
    let style = output::Style {
        format: args.format,
        quiet: args.quiet,
        max_errors: args.max_errors,
    };
    let mut printer = output::Printer::new(style);
    pipeline::run_ordered(
        inputs.len(),
        pipeline::workers(inputs.len(), args.jobs),
        |_: &mut (), i| {
            let input = inputs[i].loaded(IN_MEMORY_LIMIT);
            let result = check_input(
                &input,
                args,
                &catalog,
                context.endpoint.as_ref(),
                &store,
                &settings,
            );
            style.file(&input, &result)
        },
        |_, rendered| printer.file(rendered),
    );
    printer
        .finish()
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// Files up to this size are read into memory in one read (and parsed from there); larger
/// ones are streamed.
const IN_MEMORY_LIMIT: u64 = 1024 * 1024;

/// Select the schema of one input and check it.
fn check_input(
    input: &Input,
    args: &Args,
    catalog: &SchemaCatalog,
    endpoint: Option<&Endpoint>,
    store: &store::Store,
    settings: &check::Settings,
) -> FileResult {
    let selected = sniff(input).and_then(|prolog| select::select(args, &prolog, catalog, endpoint));
    match selected {
        Ok(sel) => check::check(input, &sel, store, settings),
        Err(f) => FileResult::failed(&input.display, f.kind, f.message),
    }
}

/// Read the prolog of an input.
fn sniff(input: &Input) -> Result<Prolog, results::Failure> {
    let io = |message: String| results::Failure {
        kind: results::FailureKind::Io,
        message,
    };
    match &input.source {
        Source::File(p) => {
            let f = std::fs::File::open(p).map_err(|e| io(format!("cannot read: {e}")))?;
            let f = std::io::BufReader::new(f);
            // Sniffed as the engine will read it (UTF-16 and declared encodings decoded); an
            // unusable encoding is left for the engine to report.
            let sniffed = match decode::utf8_input(f) {
                Ok(utf8) => prolog::sniff_reader(utf8),
                Err(_) => prolog::sniff_reader(
                    std::fs::File::open(p).map_err(|e| io(format!("cannot read: {e}")))?,
                ),
            };
            sniffed.map_err(|e| io(format!("cannot read: {e}")))
        }
        Source::Stdin(bytes) => Ok(sniff_bytes(bytes)),
        Source::Loaded(_, bytes) => Ok(sniff_bytes(bytes)),
        Source::Unreadable(m) => Err(io(m.clone())),
    }
}

/// Sniff a document held in memory, decoded as the engine will read it (the raw bytes when
/// its encoding is unusable: the engine reports that).
fn sniff_bytes(bytes: &[u8]) -> Prolog {
    // UTF-8, the usual case: the bytes as they are (quick-xml stops at the root start tag).
    if decode::reads_unchanged(bytes).unwrap_or(true) {
        return prolog::sniff(bytes, true);
    }
    match decode::utf8_input(bytes) {
        Ok(decode::Utf8Input::Unchanged(_)) => prolog::sniff(bytes, true),
        // Read only up to the root start tag (not the whole document) through the decoder.
        Ok(decoded) => prolog::sniff_reader(decoded).unwrap_or_else(|_| prolog::sniff(bytes, true)),
        Err(_) => prolog::sniff(bytes, true),
    }
}

mod list {
    //! `--list-rules`.

    use qschema_validator::rules::RuleSet;

    use super::catalog::SchemaCatalog;
    use super::embedded;

    /// Every embedded schema: its versions (oldest first, the last is the default) and paths.
    pub fn schemas() -> Result<String, String> {
        let catalog = SchemaCatalog::embedded()?;
        let mut out = String::new();
        for (target, paths) in catalog.schemas() {
            out.push_str(&format!(
                "{}
    versions: {}
    served at: {}
",
                target.label(),
                catalog.versions(&target).join(", "),
                paths.join(", ")
            ));
        }
        Ok(out)
    }

    /// Every embedded rule, with where it applies and where it comes from.
    pub fn rules() -> Result<String, String> {
        let catalog = SchemaCatalog::embedded()?;
        let mut out = String::new();
        for (api, label) in catalog.all_versions() {
            let rel = std::path::Path::new(&api).join(&label).join("rules.toml");
            let Some(text) = embedded::text(&rel) else {
                continue;
            };
            let origin = format!("schemas/{}", rel.display());
            let set = RuleSet::from_toml(text, &origin).map_err(|e| e.to_string())?;
            for r in set.rules() {
                let files = if r.files.is_empty() {
                    "any document".to_string()
                } else {
                    r.files.join(", ")
                };
                out.push_str(&format!(
                    "{} ({api} {label}; {}; applies to {files})\n    {}\n    source: {}, section \"{}\"\n",
                    r.id,
                    r.kind_name(),
                    r.description,
                    r.source.seed,
                    r.source.section
                ));
            }
        }
        Ok(out)
    }
}
