//! DTD payloads: VM scheduled-scan lists against the reconstructed
//! `schemas/vm/8.11.2/schedule_scan_list_output.dtd`, with the DOCTYPE naming the public
//! location real responses name (resolved offline through the catalog).

use std::fmt::Write as _;

use super::generate::{cdata, leaf, Document, Rng};

/// The DOCTYPE system id of real `/api/2.0/fo/schedule/scan/?action=list` responses.
pub const SCHEDULE_URL: &str =
    "https://qualysapi.qualys.com/api/2.0/fo/schedule/scan/schedule_scan_list_output.dtd";

const TITLES: &[&str] = &[
    "My Daily Scan",
    "Schedule - (GMT -05:00) Brazil, Amazonas (far west)",
    "PCI external <quarterly> & ad-hoc",
    "My_External_Scan",
];
const LOGINS: &[&str] = &["acme_ac", "qualys_ps", "utwrx_mp"];
const ZONES: &[(&str, &str)] = &[
    ("US-CA", "(GMT-0800) United States: America/Los_Angeles"),
    ("BR-AM1", "(GMT-0500) Brazil: America/Manaus"),
    ("DE", "(GMT+0100) Germany: Europe/Berlin"),
];
const PROFILES: &[&str] = &[
    "Initial Options",
    "Authenticated Scan v.1",
    "Payment Card Industry (PCI) Options",
];

/// A `SCHEDULE_SCAN_LIST_OUTPUT` response.
pub struct ScheduleList {
    /// Random source.
    pub rng: Rng,
    /// The generator marker comment.
    pub marker: String,
}

impl Document for ScheduleList {
    fn head(&mut self, out: &mut String, _records: usize) {
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n{}\n<!DOCTYPE SCHEDULE_SCAN_LIST_OUTPUT SYSTEM \"{SCHEDULE_URL}\">\n<SCHEDULE_SCAN_LIST_OUTPUT>\n  <REQUEST>\n    <DATETIME>2017-10-13T08:33:04Z</DATETIME>\n    <USER_LOGIN>acme_ac</USER_LOGIN>\n    <RESOURCE>https://qualysapi.qualys.com/api/2.0/fo/schedule/scan/</RESOURCE>\n    <PARAM_LIST>\n      <PARAM>\n        <KEY>action</KEY>\n        <VALUE>list</VALUE>\n      </PARAM>\n    </PARAM_LIST>\n  </REQUEST>\n  <RESPONSE>\n    <DATETIME>2017-10-13T08:33:04Z</DATETIME>\n    <SCHEDULE_SCAN_LIST>\n",
            self.marker
        );
    }

    fn record(&mut self, out: &mut String, i: usize) {
        let r = &mut self.rng;
        out.push_str("      <SCAN>\n");
        leaf(out, 8, "ID", &(1_128_216_540 + i as u64).to_string());
        leaf(out, 8, "ACTIVE", if r.chance(80) { "1" } else { "0" });
        cdata(out, 8, "TITLE", r.pick(TITLES));
        leaf(out, 8, "USER_LOGIN", r.pick(LOGINS));
        let (a, b) = (r.range(1, 254), r.range(1, 200));
        cdata(
            out,
            8,
            "TARGET",
            &format!("10.10.{a}.{b}-10.10.{a}.{}", b + 50),
        );
        cdata(out, 8, "NETWORK_ID", "0");
        cdata(out, 8, "ISCANNER_NAME", "External Scanner");
        // The target: an EC2 instance, asset tags, or entered IP ranges.
        match r.range(0, 2) {
            0 => {
                out.push_str("        <EC2_INSTANCE>\n");
                cdata(out, 10, "CONNECTOR_UUID", &r.uuid());
                cdata(out, 10, "EC2_ENDPOINT", &r.uuid());
                cdata(out, 10, "EC2_ONLY_CLASSIC", "1");
                out.push_str("        </EC2_INSTANCE>\n");
            }
            1 => {
                out.push_str("        <ASSET_TAGS>\n");
                leaf(out, 10, "TAG_INCLUDE_SELECTOR", "any");
                leaf(
                    out,
                    10,
                    "TAG_SET_INCLUDE",
                    &r.range(1_000_000, 9_999_999).to_string(),
                );
                leaf(out, 10, "TAG_EXCLUDE_SELECTOR", "all");
                leaf(
                    out,
                    10,
                    "TAG_SET_EXCLUDE",
                    &r.range(1_000_000, 9_999_999).to_string(),
                );
                leaf(out, 10, "USE_IP_NT_RANGE_TAGS", "0");
                out.push_str("        </ASSET_TAGS>\n");
            }
            _ => {
                out.push_str("        <USER_ENTERED_IPS>\n");
                for _ in 0..r.range(1, 3) {
                    let c = r.range(1, 250);
                    let _ = writeln!(
                        out,
                        "          <RANGE>\n            <START>10.10.{a}.{c}</START>\n            <END>10.10.{a}.{}</END>\n          </RANGE>",
                        c + 4
                    );
                }
                out.push_str("        </USER_ENTERED_IPS>\n");
            }
        }
        out.push_str("        <OPTION_PROFILE>\n");
        cdata(out, 10, "TITLE", r.pick(PROFILES));
        leaf(
            out,
            10,
            "DEFAULT_FLAG",
            if r.chance(30) { "1" } else { "0" },
        );
        out.push_str("        </OPTION_PROFILE>\n");
        leaf(out, 8, "PROCESSING_PRIORITY", "0 - No Priority");
        out.push_str("        <SCHEDULE>\n");
        // The choice (DAILY | WEEKLY | MONTHLY), each with its attributes.
        match r.range(0, 2) {
            0 => {
                let _ = writeln!(
                    out,
                    "          <DAILY frequency_days=\"{}\" />",
                    r.range(1, 7)
                );
            }
            1 => {
                let _ = writeln!(
                    out,
                    "          <WEEKLY frequency_weeks=\"{}\" weekdays=\"{}\"/>",
                    r.range(1, 4),
                    r.pick(&["monday", "tuesday,thursday", "saturday,sunday"])
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "          <MONTHLY frequency_months=\"{}\" day_of_month=\"{}\"></MONTHLY>",
                    r.range(1, 3),
                    r.range(1, 28)
                );
            }
        }
        leaf(out, 10, "START_DATE_UTC", &r.date_time());
        leaf(out, 10, "START_HOUR", &r.range(0, 23).to_string());
        leaf(out, 10, "START_MINUTE", &r.range(0, 59).to_string());
        if r.chance(50) {
            leaf(out, 10, "PAUSE_AFTER_HOURS", &r.range(1, 12).to_string());
            leaf(out, 10, "RESUME_IN_DAYS", &r.range(1, 5).to_string());
        }
        leaf(out, 10, "NEXTLAUNCH_UTC", &r.date_time());
        let (code, details) = r.pick(ZONES);
        out.push_str("          <TIME_ZONE>\n");
        leaf(out, 12, "TIME_ZONE_CODE", code);
        leaf(out, 12, "TIME_ZONE_DETAILS", details);
        out.push_str("          </TIME_ZONE>\n");
        leaf(
            out,
            10,
            "DST_SELECTED",
            if r.chance(50) { "1" } else { "0" },
        );
        if r.chance(40) {
            leaf(out, 10, "MAX_OCCURRENCE", &r.range(1, 20).to_string());
        }
        out.push_str("        </SCHEDULE>\n");
        if r.chance(60) {
            out.push_str("        <NOTIFICATIONS>\n          <BEFORE_LAUNCH>\n");
            leaf(out, 12, "TIME", &r.range(5, 60).to_string());
            cdata(out, 12, "UNIT", "minutes");
            cdata(
                out,
                12,
                "MESSAGE",
                "This is my custom before scan email message.",
            );
            out.push_str("          </BEFORE_LAUNCH>\n          <AFTER_COMPLETES>\n");
            cdata(
                out,
                12,
                "MESSAGE",
                "This is my custom after scan email message.",
            );
            out.push_str("          </AFTER_COMPLETES>\n          <DISTRIBUTION_GROUPS>\n            <DISTRIBUTION_GROUP>\n");
            leaf(out, 14, "ID", &r.range(100, 999).to_string());
            cdata(out, 14, "TITLE", "Security team");
            out.push_str("            </DISTRIBUTION_GROUP>\n          </DISTRIBUTION_GROUPS>\n        </NOTIFICATIONS>\n");
        }
        out.push_str("      </SCAN>\n");
    }

    fn tail(&mut self, out: &mut String) {
        out.push_str("    </SCHEDULE_SCAN_LIST>\n  </RESPONSE>\n</SCHEDULE_SCAN_LIST_OUTPUT>\n");
    }
}
