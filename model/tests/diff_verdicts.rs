//! Classification: a rule's verdicts apply per direction of the changed component, and the
//! audience filter picks the verdicts the report and the exit code consider. One table.

use qschema_model::diff::rules::rule_by_id;
use qschema_model::diff::{AudienceFilter, Directions, Verdict, Verdicts};

use AudienceFilter::*;
use Verdict::*;

/// (rule, directions of the component, audience filter, expected worst verdict).
const TABLE: &[(&str, Directions, AudienceFilter, Option<Verdict>)] = &[
    // A new optional element in a response: fine for tolerant readers, not for validating ones.
    (
        "child-optional-added",
        Directions::RESPONSE,
        TolerantReader,
        Some(Info),
    ),
    (
        "child-optional-added",
        Directions::RESPONSE,
        ValidatingReader,
        Some(Breaking),
    ),
    (
        "child-optional-added",
        Directions::RESPONSE,
        ResponseConsumer,
        Some(Breaking),
    ),
    // Producers never see response content.
    (
        "child-optional-added",
        Directions::RESPONSE,
        RequestProducer,
        None,
    ),
    // A new required element in a request breaks producers.
    (
        "child-required-added",
        Directions::REQUEST,
        RequestProducer,
        Some(Breaking),
    ),
    (
        "child-required-added",
        Directions::REQUEST,
        ResponseConsumer,
        None,
    ),
    // An enum value added to a response: unknown values may reach tolerant readers' code.
    (
        "enum-value-added",
        Directions::RESPONSE,
        TolerantReader,
        Some(Warning),
    ),
    (
        "enum-value-added",
        Directions::RESPONSE,
        ValidatingReader,
        Some(Breaking),
    ),
    (
        "enum-value-added",
        Directions::REQUEST,
        RequestProducer,
        Some(Info),
    ),
    // An enum value removed from a request breaks producers that send it.
    (
        "enum-value-removed",
        Directions::REQUEST,
        RequestProducer,
        Some(Breaking),
    ),
    ("enum-value-removed", Directions::RESPONSE, All, Some(Info)),
    // Reachable from both: both sets of verdicts.
    ("enum-value-removed", Directions::BOTH, All, Some(Breaking)),
    (
        "enum-value-removed",
        Directions::BOTH,
        ResponseConsumer,
        Some(Info),
    ),
    ("documentation-changed", Directions::BOTH, All, Some(Info)),
    (
        "type-widened",
        Directions::REQUEST,
        RequestProducer,
        Some(Info),
    ),
    (
        "type-narrowed",
        Directions::REQUEST,
        RequestProducer,
        Some(Breaking),
    ),
    (
        "child-became-optional",
        Directions::RESPONSE,
        TolerantReader,
        Some(Breaking),
    ),
    (
        "child-became-required",
        Directions::RESPONSE,
        All,
        Some(Info),
    ),
];

#[test]
fn verdicts_per_direction_and_audience() {
    for &(id, dirs, filter, expected) in TABLE {
        let rule = rule_by_id(id).unwrap_or_else(|| panic!("no rule {id}"));
        let v = Verdicts::classify(rule, dirs);
        assert_eq!(
            v.worst(filter),
            expected,
            "{id} for {} content, audience {}",
            dirs.label(),
            filter.name()
        );
    }
}

#[test]
fn verdicts_are_ordered() {
    assert!(Info < Warning && Warning < Breaking);
}
