//! Counting passes per category and per contributor, rendering the table, and comparing with
//! the recorded baseline.

use std::collections::BTreeMap;

use super::index::{Case, Kind};

/// Passed / total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Cases handled as the suite says.
    pub pass: usize,
    /// Cases run.
    pub total: usize,
}

impl Count {
    fn add(&mut self, pass: bool) {
        self.total += 1;
        self.pass += usize::from(pass);
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.pass, self.total)
    }
}

/// The line a case is counted on: its type, or `extra` outside the subset.
pub fn line(case: &Case) -> &'static str {
    if case.extra {
        "extra"
    } else {
        case.kind.name()
    }
}

/// The lines of the summary, in order.
pub const LINES: [&str; 4] = ["valid", "invalid", "not-wf", "extra"];

/// Pass counts per summary line.
pub fn per_line<'a>(
    results: impl Iterator<Item = (&'a Case, bool)>,
) -> BTreeMap<&'static str, Count> {
    let mut out: BTreeMap<&'static str, Count> =
        LINES.iter().map(|l| (*l, Count::default())).collect();
    for (case, pass) in results {
        out.entry(line(case)).or_default().add(pass);
    }
    out
}

/// Pass counts per contributor and type (in index order of the contributors).
pub fn per_contributor<'a>(
    results: impl Iterator<Item = (&'a Case, bool)>,
) -> Vec<(String, BTreeMap<Kind, Count>)> {
    let mut out: Vec<(String, BTreeMap<Kind, Count>)> = Vec::new();
    for (case, pass) in results {
        let row = match out.iter().position(|(c, _)| *c == case.contributor) {
            Some(i) => &mut out[i].1,
            None => {
                out.push((case.contributor.clone(), BTreeMap::new()));
                &mut out.last_mut().expect("just pushed").1
            }
        };
        row.entry(case.kind).or_default().add(pass);
    }
    out
}

/// The table printed by the runner (and kept in the snapshot without the xmllint column).
pub fn table(
    ours: &BTreeMap<&'static str, Count>,
    xmllint: Option<&BTreeMap<&'static str, Count>>,
    contributors: &[(String, BTreeMap<Kind, Count>)],
) -> String {
    let mut out = String::from("category   qschema");
    if xmllint.is_some() {
        out.push_str("     xmllint");
    }
    out.push('\n');
    for l in LINES {
        let o = ours.get(l).copied().unwrap_or_default();
        let mut row = format!("{l:<10} {:<11}", o.to_string());
        if let Some(x) = xmllint {
            row.push_str(&x.get(l).copied().unwrap_or_default().to_string());
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out.push_str("\ncontributor              valid      invalid    not-wf\n");
    for (name, row) in contributors {
        let cell = |k: Kind| row.get(&k).map_or("-".to_string(), Count::to_string);
        out.push_str(&format!(
            "{name:<24} {:<10} {:<10} {}\n",
            cell(Kind::Valid),
            cell(Kind::Invalid),
            cell(Kind::NotWf)
        ));
    }
    out
}

/// Compare the pass counts with the recorded baseline (`line = passes` pairs). Returns the
/// problems: a line below its baseline, or above it (raise the baseline), or missing.
pub fn against_baseline(ours: &BTreeMap<&'static str, Count>, baseline: &str) -> Vec<String> {
    let table: BTreeMap<String, toml::Value> = match toml::from_str(baseline) {
        Ok(t) => t,
        Err(e) => return vec![format!("conformance_baseline.toml: {e}")],
    };
    let mut problems = Vec::new();
    for l in LINES {
        let got = ours.get(l).copied().unwrap_or_default().pass;
        match table.get(l).and_then(toml::Value::as_integer) {
            None => problems.push(format!("baseline has no integer '{l}' (we pass {got})")),
            Some(want) if (got as i64) < want => problems.push(format!(
                "{l}: {got} cases pass, below the baseline of {want} (a regression)"
            )),
            Some(want) if (got as i64) > want => problems.push(format!(
                "{l}: {got} cases pass, above the baseline of {want}: raise it to {got} in \
                 validator/tests/conformance_baseline.toml"
            )),
            Some(_) => {}
        }
    }
    problems
}
