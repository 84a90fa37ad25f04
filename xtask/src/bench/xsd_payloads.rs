//! XSD payloads: WAS finding search responses against the reconstructed
//! `schemas/was/recorded-2020-2023/finding.xsd`, and responses against the synthetic benchmark
//! schema `xtask/bench/qualys-shaped.xsd` (which adds an `xs:choice` and attributes).

use std::fmt::Write as _;

use super::generate::{cdata, leaf, Document, Rng};

/// The location real finding responses name (resolved offline through the catalog).
pub const FINDING_URL: &str = "https://qualysapi.qg3.apps.qualys.com/qps/xsd/3.0/was/finding.xsd";

const NAMES: &[&str] = &[
    "Information Disclosure via Response Header",
    "JavaScript Libraries Detected",
    "Missing header: Referrer-Policy",
    "Email Addresses Collected",
    "Cross-Site Scripting (XSS) & HTML <injection>",
    "Cookie Does Not Contain The \"secure\" Attribute",
];
const TYPES: &[&str] = &["VULNERABILITY", "SENSITIVE_CONTENT", "INFORMATION_GATHERED"];
const FINDING_TYPES: &[&str] = &["QUALYS", "BURP", "BUGCROWD", "CUSTOM"];
const STATUSES: &[&str] = &["NEW", "ACTIVE", "REOPENED", "FIXED", "PROTECTED"];
const APPS: &[(&str, &str)] = &[
    ("Ask JupiterOne", "http://ask.us.jupiterone.io"),
    ("http://rest.vulnweb.com/", "http://rest.vulnweb.com/"),
    (
        "Shop (staging)",
        "https://shop.staging.example.com/app?x=1&y=2",
    ),
];

/// A finding search response against the reconstructed WAS finding.xsd.
pub struct FindingResponse {
    /// Random source.
    pub rng: Rng,
    /// The generator marker comment.
    pub marker: String,
}

impl Document for FindingResponse {
    fn head(&mut self, out: &mut String, records: usize) {
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"{FINDING_URL}\">\n  <responseCode>SUCCESS</responseCode>\n  <count>{records}</count>\n  <hasMoreRecords>true</hasMoreRecords>\n  <lastId>{}</lastId>\n  <data>\n",
            self.marker,
            3_158_304 + records
        );
    }

    fn record(&mut self, out: &mut String, i: usize) {
        let r = &mut self.rng;
        let mut fields: Vec<u8> = (0..12).collect();
        // Finding is an xs:all: every other record has its children in a shuffled order.
        if i % 2 == 1 {
            r.shuffle(&mut fields);
        }
        out.push_str("    <Finding>\n");
        for f in fields {
            match f {
                0 => leaf(out, 6, "id", &(3_158_304 + i as u64).to_string()),
                1 => leaf(out, 6, "uniqueId", &r.uuid()),
                2 => leaf(out, 6, "qid", &r.range(150_000, 150_600).to_string()),
                3 => cdata(out, 6, "name", r.pick(NAMES)),
                4 => leaf(out, 6, "type", r.pick(TYPES)),
                5 => leaf(out, 6, "findingType", r.pick(FINDING_TYPES)),
                6 => leaf(out, 6, "severity", &r.range(1, 5).to_string()),
                7 => leaf(out, 6, "status", r.pick(STATUSES)),
                8 => {
                    leaf(out, 6, "firstDetectedDate", &r.date_time());
                    leaf(out, 6, "lastDetectedDate", &r.date_time());
                    leaf(out, 6, "lastTestedDate", &r.date_time());
                }
                9 => leaf(out, 6, "timesDetected", &r.range(1, 400).to_string()),
                10 => {
                    let (name, url) = r.pick(APPS);
                    out.push_str("      <webApp>\n");
                    leaf(out, 8, "id", &r.range(81_221_901, 81_229_999).to_string());
                    cdata(out, 8, "name", name);
                    cdata(out, 8, "url", url);
                    out.push_str("      </webApp>\n");
                }
                _ => {
                    if r.chance(50) {
                        out.push_str("      <cwe>\n        <count>2</count>\n        <list>\n");
                        leaf(out, 10, "long", &r.range(16, 1000).to_string());
                        leaf(out, 10, "long", &r.range(16, 1000).to_string());
                        out.push_str("        </list>\n      </cwe>\n");
                    }
                    leaf(
                        out,
                        6,
                        "isIgnored",
                        if r.chance(10) { "true" } else { "false" },
                    );
                }
            }
        }
        out.push_str("    </Finding>\n");
    }

    fn tail(&mut self, out: &mut String) {
        out.push_str("  </data>\n</ServiceResponse>\n");
    }
}

const ENCODINGS: &[&str] = &["NONE", "BASE64", "URL"];
const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE"];
const SOURCES: &[&str] = &["QUALYS", "BURP", "BUGCROWD", "CUSTOM"];

/// A response against the synthetic benchmark schema `xtask/bench/qualys-shaped.xsd`.
pub struct SyntheticResponse {
    /// Random source.
    pub rng: Rng,
    /// The generator marker comment.
    pub marker: String,
}

impl Document for SyntheticResponse {
    fn head(&mut self, out: &mut String, records: usize) {
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n<ServiceResponse>\n  <responseCode>SUCCESS</responseCode>\n  <count>{records}</count>\n  <hasMoreRecords>false</hasMoreRecords>\n  <data>\n",
            self.marker
        );
    }

    fn record(&mut self, out: &mut String, i: usize) {
        let r = &mut self.rng;
        let potential = if r.chance(20) {
            " potential=\"true\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    <Finding source=\"{}\" revision=\"{}\"{potential}>",
            r.pick(SOURCES),
            r.range(1, 9_000_000_000)
        );
        let mut fields: Vec<u8> = (0..9).collect();
        if i % 2 == 1 {
            r.shuffle(&mut fields);
        }
        for f in fields {
            match f {
                0 => leaf(out, 6, "id", &(7_000_000_000 + i as u64).to_string()),
                1 => leaf(out, 6, "uniqueId", &r.uuid()),
                2 => leaf(out, 6, "qid", &r.range(150_000, 150_600).to_string()),
                3 => cdata(out, 6, "name", r.pick(NAMES)),
                4 => leaf(out, 6, "type", r.pick(TYPES)),
                5 => leaf(out, 6, "severity", &r.range(1, 5).to_string()),
                6 => {
                    leaf(out, 6, "firstDetectedDate", &r.date_time());
                    leaf(out, 6, "lastDetectedDate", &r.date_time());
                    let _ = writeln!(
                        out,
                        "      <lastTestedDay>{}-{:02}-{:02}</lastTestedDay>",
                        r.range(2020, 2023),
                        r.range(1, 12),
                        r.range(1, 28)
                    );
                }
                7 => {
                    let (name, url) = r.pick(APPS);
                    let _ = writeln!(
                        out,
                        "      <webApp id=\"{}\" status=\"{}\">",
                        r.range(81_221_901, 81_229_999),
                        r.pick(STATUSES)
                    );
                    cdata(out, 8, "name", name);
                    cdata(out, 8, "url", url);
                    out.push_str("      </webApp>\n");
                }
                _ => {
                    out.push_str("      <evidence>\n");
                    for _ in 0..r.range(1, 3) {
                        match r.range(0, 2) {
                            0 => {
                                let _ = writeln!(
                                    out,
                                    "        <payload encoding=\"{}\" size=\"{}\">&lt;script&gt;alert({})&lt;/script&gt;</payload>",
                                    r.pick(ENCODINGS),
                                    r.range(10, 4096),
                                    r.range(1, 99)
                                );
                            }
                            1 => {
                                let _ = writeln!(
                                    out,
                                    "        <request method=\"{}\" secure=\"{}\">",
                                    r.pick(METHODS),
                                    r.chance(50)
                                );
                                cdata(
                                    out,
                                    10,
                                    "url",
                                    &format!("{}/item?id={}", r.pick(APPS).1, r.range(1, 999)),
                                );
                                leaf(out, 10, "status", &r.range(200, 599).to_string());
                                out.push_str("        </request>\n");
                            }
                            _ => leaf(out, 8, "responseMatch", "Server: nginx/1.18.0"),
                        }
                    }
                    out.push_str("      </evidence>\n");
                }
            }
        }
        out.push_str("    </Finding>\n");
    }

    fn tail(&mut self, out: &mut String) {
        out.push_str("  </data>\n</ServiceResponse>\n");
    }
}
