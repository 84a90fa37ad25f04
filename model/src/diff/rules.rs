//! The rule table: every kind of change the diff reports, with its verdict per audience and
//! direction. This is the single place where verdicts are decided; `RULES.md` documents it.

use super::verdict::Verdict::{self, Breaking, Info, Warning};

/// How a content-model change moves the set of accepted documents (used to check structural
/// findings against the language comparison of the automata).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The new version accepts more.
    Widens,
    /// The new version accepts less.
    Narrows,
    /// Both: some old documents are rejected and some new ones were invalid before.
    Both,
    /// No effect on what is accepted (documentation, renames).
    Neutral,
}

/// One rule: a kind of change and what it means for each audience.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// What the rule detects, in one line.
    pub summary: &'static str,
    /// Verdict for a tolerant response reader (ignores unknown elements) when the changed
    /// component is response content.
    pub tolerant_reader: Verdict,
    /// Verdict for a reader that validates responses against its old schema.
    pub validating_reader: Verdict,
    /// Verdict for a request producer when the changed component is request content.
    pub request_producer: Verdict,
    /// Effect on the accepted documents.
    pub effect: Effect,
}

const fn rule(
    id: &'static str,
    summary: &'static str,
    tolerant_reader: Verdict,
    validating_reader: Verdict,
    request_producer: Verdict,
    effect: Effect,
) -> Rule {
    Rule {
        id,
        summary,
        tolerant_reader,
        validating_reader,
        request_producer,
        effect,
    }
}

use Effect::{Both, Narrows, Neutral, Widens};

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    // Schemas and top-level components.
    rule("schema-added", "a schema file exists only in the new version", Info, Info, Info, Widens),
    rule("schema-removed", "a schema file exists only in the old version", Breaking, Breaking, Breaking, Narrows),
    rule("target-namespace-changed", "the XSD target namespace changed", Breaking, Breaking, Breaking, Both),
    rule("element-added", "a global element declaration was added", Info, Info, Info, Widens),
    rule("element-removed", "a global element declaration was removed", Warning, Warning, Breaking, Narrows),
    rule("type-added", "a named type was added", Info, Info, Info, Neutral),
    rule("type-removed", "a named type was removed (references to it show up as changes where it was used)", Info, Info, Info, Neutral),
    // Children of a content model.
    rule("child-optional-added", "an optional child element was added to a content model", Info, Breaking, Info, Widens),
    rule("child-required-added", "a required child element was added to a content model", Info, Breaking, Breaking, Both),
    rule("child-optional-removed", "an optional child element was removed from a content model", Warning, Info, Breaking, Narrows),
    rule("child-required-removed", "a required child element was removed from a content model", Breaking, Breaking, Breaking, Both),
    rule("child-became-optional", "a child element's minOccurs dropped to 0", Breaking, Breaking, Info, Widens),
    rule("child-became-required", "a child element's minOccurs rose from 0", Info, Info, Breaking, Narrows),
    rule("occurrence-relaxed", "a child element may occur fewer (min > 0) or more times", Breaking, Breaking, Info, Widens),
    rule("occurrence-tightened", "a child element must occur more (min > 0) or fewer times", Info, Info, Breaking, Narrows),
    rule("sequence-reordered", "children of a sequence appear in a different order", Warning, Breaking, Breaking, Both),
    rule("choice-branch-added", "a choice gained an alternative", Warning, Breaking, Info, Widens),
    rule("choice-branch-removed", "a choice lost an alternative", Info, Info, Breaking, Narrows),
    rule("content-model-widened", "the content model accepts a strict superset of child sequences (an expected child may now be missing)", Breaking, Breaking, Info, Widens),
    rule("content-model-narrowed", "the content model accepts a strict subset of child sequences", Info, Info, Breaking, Narrows),
    rule("content-model-incomparable", "the content model accepts different child sequences (neither a subset nor a superset)", Breaking, Breaking, Breaking, Both),
    rule("content-model-rewritten", "the content model is written differently but accepts the same child sequences", Info, Info, Info, Neutral),
    rule("content-kind-changed", "the content kind changed (empty, simple, elements, mixed, any)", Breaking, Breaking, Breaking, Both),
    // Attributes.
    rule("attribute-optional-added", "an optional attribute was added", Info, Breaking, Info, Widens),
    rule("attribute-required-added", "a required attribute was added", Info, Breaking, Breaking, Both),
    rule("attribute-optional-removed", "an optional attribute was removed", Warning, Info, Breaking, Narrows),
    rule("attribute-required-removed", "a required attribute was removed", Breaking, Breaking, Breaking, Both),
    rule("attribute-became-required", "an optional attribute became required", Info, Info, Breaking, Narrows),
    rule("attribute-became-optional", "a required attribute became optional", Breaking, Breaking, Info, Widens),
    rule("any-attribute-changed", "the attribute wildcard (xs:anyAttribute) was added, removed or changed", Info, Breaking, Breaking, Both),
    // Values.
    rule("default-value-changed", "a default value was added, removed or changed", Warning, Warning, Warning, Neutral),
    rule("fixed-value-changed", "a fixed value was added, removed or changed", Breaking, Breaking, Breaking, Both),
    rule("nillable-added", "an element became nillable", Breaking, Breaking, Info, Widens),
    rule("nillable-removed", "an element is no longer nillable", Info, Info, Breaking, Narrows),
    rule("block-added", "an element or complex type blocks more (xsi:type derivation methods or substitution)", Info, Info, Breaking, Narrows),
    rule("block-removed", "an element or complex type blocks less (xsi:type derivation methods or substitution)", Warning, Breaking, Info, Widens),
    rule("enum-value-added", "an enumeration gained a value", Warning, Breaking, Info, Widens),
    rule("enum-value-removed", "an enumeration lost a value", Info, Info, Breaking, Narrows),
    rule("facet-tightened", "a constraining facet accepts fewer values (length family, bounds, digits, whiteSpace)", Info, Info, Breaking, Narrows),
    rule("facet-relaxed", "a constraining facet accepts more values (length family, bounds, digits, whiteSpace)", Warning, Breaking, Info, Widens),
    rule("facet-changed", "a constraining facet changed in a way that is neither tighter nor looser", Breaking, Breaking, Breaking, Both),
    rule("pattern-added", "a pattern now restricts the text", Info, Info, Breaking, Narrows),
    rule("pattern-removed", "a pattern no longer restricts the text", Warning, Breaking, Info, Widens),
    rule("pattern-changed", "a pattern was replaced by a different one", Warning, Breaking, Breaking, Both),
    rule("type-widened", "the value type changed to one whose values include the old ones (e.g. xs:int to xs:long)", Breaking, Breaking, Info, Widens),
    rule("type-narrowed", "the value type changed to one whose values are among the old ones (e.g. CDATA to an enumeration)", Info, Info, Breaking, Narrows),
    rule("type-changed", "the value type changed to an unrelated one", Breaking, Breaking, Breaking, Both),
    rule("type-reference-changed", "an element or attribute refers to a differently named type with the same structure", Info, Info, Info, Neutral),
    // Identity constraints.
    rule("identity-constraint-added", "an xs:unique, xs:key or xs:keyref was added to an element", Info, Info, Breaking, Narrows),
    rule("identity-constraint-removed", "an xs:unique, xs:key or xs:keyref was removed from an element", Warning, Breaking, Info, Widens),
    rule("identity-constraint-changed", "an identity constraint changed kind, referred key, selector or fields", Warning, Breaking, Breaking, Both),
    // Documentation.
    rule("documentation-changed", "only documentation (comments, xs:documentation) changed", Info, Info, Info, Neutral),
];

/// Look a rule up by id.
pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The rule table as Markdown (the table in `RULES.md` is this text; a test keeps them equal).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| rule | what changed | tolerant reader (response) | validating reader (response) | request producer (request) |\n| --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id,
            r.summary,
            r.tolerant_reader.name(),
            r.validating_reader.name(),
            r.request_producer.name()
        ));
    }
    out
}
