//! What the generated types hold: typed values, whitespace rules, forward-compatible
//! enumerations, defaults, choices, mixed content and the real schemas' payloads.

use std::path::Path;

use qschema_codegen_example::fixtures::*;
use qschema_codegen_example::{finding, schedule_scan_list_output};
use qschema_runtime::Mixed;

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn scalars_are_typed_and_strings_keep_their_whitespace() {
    let r = xsd_sequence::Record::from_xml(&fixture("xsd_sequence.lenient-whitespace.xml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.name, "  spaced  <kept>  ");
    assert_eq!(r.count, 42);
    assert_eq!(r.total, -9_000_000_000);
    assert_eq!(r.small, 255u8);
    assert!(r.active);
    assert_eq!(r.price.as_str(), "0012.50");
    assert_eq!(r.ratio, f64::INFINITY);
    assert_eq!(r.when.as_str(), "2020-09-10T00:08:20Z");
    assert_eq!(r.link, "http://example.com/a?b=c&d=e");
    assert_eq!(r.tokens, vec!["a", "b", "c"]);
    assert_eq!(r.note, None);
    let again = xsd_sequence::Record::from_xml(&r.to_xml()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, r);
}

#[test]
fn enumerations_keep_unknown_values_and_defaults_apply() {
    use xsd_enumerations::{DetectionScope, OddValues, Scan, WasScanResultStatus};
    let s = Scan::from_xml(&fixture("xsd_enumerations.lenient-unknown-value.xml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.results_status,
        vec![WasScanResultStatus::Unknown(
            "ADDED_IN_A_LATER_RELEASE".into()
        )]
    );
    assert_eq!(
        s.detection_scope,
        Some(DetectionScope::Unknown("SOMETHING_NEW".into()))
    );
    let s = Scan::from_xml(&fixture("xsd_enumerations.xml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.detection_scope, None);
    assert_eq!(s.detection_scope_or_default(), DetectionScope::Core);
    assert_eq!(
        s.odd,
        vec![
            OddValues::V0NoPriority,
            OddValues::UnknownValue,
            OddValues::AB2,
            OddValues::Empty
        ]
    );
    assert_eq!(OddValues::V0NoPriority.to_string(), "0 - No Priority");
    assert_eq!("SUCCESSFUL".parse(), Ok(WasScanResultStatus::Successful));
    assert_eq!(WasScanResultStatus::VALUES.len(), 3);
}

#[test]
fn attributes_defaults_and_wildcards() {
    use xsd_attributes::{Criteria, CriteriaOperator};
    let c = Criteria::from_xml(&fixture("xsd_attributes.xml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.field, "id & \"name\"");
    assert_eq!(c.operator, CriteriaOperator::NotEquals);
    assert_eq!(c.limit, None);
    assert_eq!(c.limit_or_default(), 100);
    assert!(!c.strict_or_default());
    assert_eq!(c.version_or_default(), "3.0");
    assert_eq!(c.r#type.as_deref(), Some("t"));
    assert_eq!(c.other_attributes.len(), 1);
    assert_eq!(c.other_attributes[0].value, "1\n2");
    assert!(c.to_xml().contains("x:extra") || c.to_xml().contains(":extra=\"1&#10;2\""));
}

#[test]
fn choices_and_groups() {
    use xsd_choice::{
        Schedule, ScheduleDailyOrWeeklyOrMonthly, ScheduleEmailOrSms, ScheduleStopChoice,
    };
    let s = Schedule::from_xml(&fixture("xsd_choice.xml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.daily_or_weekly_or_monthly,
        ScheduleDailyOrWeeklyOrMonthly::Weekly("mon".into())
    );
    assert!(
        matches!(&s.stop_choice, Some(ScheduleStopChoice::PauseGroup(g)) if g.pause == 1 && g.resume == 2)
    );
    assert_eq!(
        s.email_or_sms,
        vec![
            ScheduleEmailOrSms::Sms("1".into()),
            ScheduleEmailOrSms::Email("a@b".into()),
            ScheduleEmailOrSms::Sms("2".into()),
        ]
    );
}

#[test]
fn mixed_content_and_wildcards_are_kept_in_order() {
    use xsd_mixed_any::{Doc, ParaItem};
    let d = Doc::from_xml(&fixture("xsd_mixed_any.xml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        d.para[0].content,
        vec![
            Mixed::Text("Some ".into()),
            Mixed::Element(ParaItem::B("bold".into())),
            Mixed::Text(" and ".into()),
            Mixed::Element(ParaItem::I("italic".into())),
            Mixed::Text(" text, & <cdata>.".into()),
        ]
    );
    let ext = d
        .extension
        .as_ref()
        .unwrap_or_else(|| panic!("no extension"));
    assert_eq!(ext.any.len(), 1);
    assert_eq!(ext.any[0].namespace.as_deref(), Some("urn:x"));
    assert_eq!(ext.other_attributes[0].name, "a");
}

#[test]
fn recursion_is_boxed() {
    let t = xsd_recursion::Node::from_xml(&fixture("xsd_recursion.xml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let next = t
        .next
        .as_ref()
        .and_then(|n| n.next.as_ref())
        .map(|n| n.label.as_str());
    assert_eq!(next, Some("n2"));
    assert_eq!(t.children.len(), 2);
}

#[test]
fn dtd_types_from_the_build_script() {
    let xml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/payloads/own-schedule-full-notifications.xml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let doc = schedule_scan_list_output::ScheduleScanListOutput::from_xml(&xml)
        .unwrap_or_else(|e| panic!("{e}"));
    let written = doc.to_xml();
    assert!(written.contains("<!DOCTYPE SCHEDULE_SCAN_LIST_OUTPUT SYSTEM \"https://qualysapi.qualys.com/api/2.0/fo/schedule/scan/schedule_scan_list_output.dtd\">"));
    assert_eq!(
        schedule_scan_list_output::ScheduleScanListOutput::from_xml(&written),
        Ok(doc)
    );
}

#[test]
fn xsd_types_from_the_build_script() {
    let xml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/payloads/seed-003-get-finding-response.xml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = finding::ServiceResponse::from_xml(&xml).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.response_code, finding::ResponseCode::Success);
    let f = &r
        .data
        .as_ref()
        .map(|d| d.finding.clone())
        .unwrap_or_default()[0];
    assert_eq!(f.id, Some(132990));
    assert_eq!(
        f.unique_id.as_deref(),
        Some("8a2c4d51-6d28-2b92-e053-2943720a74ab")
    );
    assert_eq!(f.finding_type, Some(finding::FindingType::Qualys));
    assert_eq!(f.is_ignored, Some(false));
    let written = r.to_xml();
    assert!(
        written.contains(
            "<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:noNamespaceSchemaLocation=\"https://qualysapi.qualys.com/qps/xsd/3.0/was/finding.xsd\">"
        ),
        "{written}"
    );
    assert_eq!(
        finding::ServiceResponse::from_xml(&written).as_ref(),
        Ok(&r)
    );
    // Structs whose fields all have a default derive Default: requests are easy to build.
    let request = finding::ServiceRequest {
        preferences: Some(finding::Preferences {
            limit_results: Some(10),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert!(request.to_xml().contains("<limitResults>10</limitResults>"));
    // The user's attribute from build.rs.
    assert!(finding::FindingType::Qualys
        .cmp(&finding::FindingType::Qualys)
        .is_eq());
}

#[test]
fn errors_name_the_element_path_and_position() {
    let xml = "<?xml version=\"1.0\"?>\n<ServiceResponse>\n  <responseCode>SUCCESS</responseCode>\n  <data>\n    <Finding><id>1</id></Finding>\n    <Finding>\n      <id>x</id>\n    </Finding>\n  </data>\n</ServiceResponse>";
    let err = finding::ServiceResponse::from_xml(xml).expect_err("must fail");
    assert_eq!(
        err.to_string(),
        "/ServiceResponse/data/Finding[2]/id at 7:7: expected xs:long, found 'x'"
    );
}

#[test]
fn deep_documents_are_refused_not_a_stack_overflow() {
    let deep = |n: usize| {
        format!(
            "<Tree>{}<label>x</label>{}</Tree>",
            "<label>x</label><next>".repeat(n),
            "</next>".repeat(n)
        )
    };
    let limit = qschema_runtime::de::MAX_DEPTH;
    let ok = xsd_recursion::Node::from_xml(&deep(limit - 2)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok.to_xml().matches("<next>").count(), limit - 2);
    let err = xsd_recursion::Node::from_xml(&deep(100_000)).expect_err("too deep");
    assert!(err.message.contains("nest deeper"), "{err}");
}

#[test]
fn strict_enums_reject_unlisted_values() {
    use qschema_codegen_example::strict_enumerations::{Scan, WasScanResultStatus};
    let err =
        Scan::from_xml(&fixture("xsd_enumerations.lenient-unknown-value.xml")).expect_err("strict");
    assert_eq!(
        err.to_string(),
        "/Scan/resultsStatus at 2:3: expected a WasScanResultStatus value (one of NOT_USED, \
         SUCCESSFUL, SCANNER_NOT_AVAILABLE), found 'ADDED_IN_A_LATER_RELEASE'"
    );
    let ok = Scan::from_xml(&fixture("xsd_enumerations.xml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok.results_status[0], WasScanResultStatus::Successful);
    assert!("nope".parse::<WasScanResultStatus>().is_err());
}
