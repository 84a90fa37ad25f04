//! An example of the `qschema-codegen` build.rs API: types for the VM
//! `schedule_scan_list_output.dtd` (8.11.2) and the WAS `finding.xsd` (2019 notes), generated
//! at build time into `OUT_DIR` and included here, plus the codegen fixtures.

/// `schedule_scan_list_output.dtd` of VM API 8.11.2.
pub mod schedule_scan_list_output {
    include!(concat!(env!("OUT_DIR"), "/schedule_scan_list_output.rs"));
}

/// `finding.xsd` of the WAS API as described by the 2019 release notes.
pub mod finding {
    include!(concat!(env!("OUT_DIR"), "/finding.rs"));
}

/// The code generated for each fixture schema of `codegen/tests/fixtures/`.
pub mod fixtures {
    /// Parse, write, parse again: the written XML.
    pub type RoundTrip = fn(&str) -> Result<String, ::qschema_runtime::RoundTripError>;
    include!(concat!(env!("OUT_DIR"), "/fixture_modules.rs"));
}

/// `xsd_enumerations.xsd` generated with `strict_enums(true)`.
pub mod strict_enumerations {
    include!(concat!(env!("OUT_DIR"), "/xsd_enumerations_strict.rs"));
}
