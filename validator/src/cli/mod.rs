//! The `validate` command: argument handling, input discovery, schema selection, parallel
//! checking, output and exit code.

pub mod args;
mod catalog;
mod check;
mod embedded;
mod inputs;
mod output;
mod prolog;
mod results;
mod select;
mod source_lines;
mod store;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::ExitCode;

use clap::Parser;
use qschema_validator::engine::{decode, Options};
use qschema_validator::rules::{Context, Endpoint};
use rayon::prelude::*;

use args::Args;
use catalog::SchemaCatalog;
use inputs::{Input, Source};
use prolog::Prolog;
use results::{FileResult, Summary};
use select::Selected;

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

    let selections: Vec<Result<Selected, results::Failure>> = inputs
        .par_iter()
        .map(|input| {
            let prolog = sniff(input)?;
            select::select(args, &prolog, &catalog, endpoint.as_ref())
        })
        .collect();
    let keys: BTreeSet<_> = selections
        .iter()
        .flatten()
        .flat_map(Selected::keys)
        .collect();
    let store = store::Store::load(keys, &catalog);

    let options = Options {
        max_errors: args.max_errors,
        max_depth: args.max_depth,
        max_entity_expansions: args.max_entity_expansions,
        max_expanded_bytes: args.max_expanded_bytes,
        allow_local_external_entities: args.allow_local_entities,
        ..Options::default()
    };
    let context = Context { endpoint };
    let settings = check::Settings {
        options: &options,
        context: &context,
    };
    let results: Vec<FileResult> = inputs
        .par_iter()
        .zip(selections.par_iter())
        .map(|(input, selection)| match selection {
            Ok(sel) => check::check(input, sel, &store, &settings),
            Err(f) => FileResult::failed(&input.display, f.kind, f.message.clone()),
        })
        .collect();

    output::print(args.format, &inputs, &results, args.quiet, args.max_errors)
        .map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(Summary::exit_code(&results))
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
        Source::Stdin(bytes) => {
            let mut text = Vec::new();
            match decode::utf8_input(&bytes[..]).map(|mut u| u.read_to_end(&mut text)) {
                Ok(Ok(_)) => Ok(prolog::sniff(&text, true)),
                _ => Ok(prolog::sniff(bytes, true)),
            }
        }
        Source::Unreadable(m) => Err(io(m.clone())),
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
