//! The values the value mutations write: invalid ones and boundary values.

use super::mutate::Kind;

/// The values a value mutation of `kind` picks from: invalid ones, plus boundary values on
/// either side of the lexical rules (some valid: `+1`, ` true `, a leap day), so the two
/// validators are compared on both sides of each boundary.
pub fn bad_values(kind: Kind, current: &str) -> Vec<String> {
    let fixed: &[&str] = match kind {
        Kind::WrongEnumeration => &["QSCHEMA_NOT_ENUMERATED", ""],
        Kind::BrokenUniqueId => &[
            "not-a-uuid",
            "8A2C4D51-6D28-2B92-E053-2943720A74AB",
            "8a2c4d51-6d28-2b92-e053-2943720a74a",
            "8a2c4d516d282b92e0532943720a74ab",
            "",
            " 8a2c4d51-6d28-2b92-e053-2943720a74ab ",
        ],
        Kind::BadBoolean => &["yes", "TRUE", "0x1", "", " true ", "0", "1 0"],
        Kind::BadLong => &[
            "9223372036854775808",
            "-9223372036854775809",
            "9223372036854775807",
            "12.5",
            "1e3",
            "",
            "+1",
            "+-1",
            " 42 ",
            "0042",
            "-0",
        ],
        Kind::BadInt => &[
            "2147483648",
            "-2147483649",
            "-2147483648",
            "3.0",
            "0x10",
            "",
            "+7",
            " 7 ",
        ],
        Kind::BadDateTime => &[
            "2020-13-01T00:00:00Z",
            "2021-02-29T10:00:00Z",
            "2020-02-29T10:00:00Z",
            "2020-01-01 10:00:00",
            "2020-01-01T24:00:01Z",
            "2020-01-01T24:00:00Z",
            "2020-01-01",
            "2020-01-01T10:00:00+15:00",
            "2020-01-01T10:00:00.123456Z",
            "0000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00",
            "2020-01-01T10:60:00Z",
            "2020-01-01T10:00:00.Z",
            "2020-01-01T10:00:00-14:00",
            "2020-01-01T10:00:00+14:01",
            "10000-01-01T00:00:00Z",
            "02020-01-01T00:00:00Z",
            "2020-1-01T00:00:00Z",
        ],
        _ => &[],
    };
    let mut out: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    let trimmed = current.trim();
    if !trimmed.is_empty() && kind != Kind::WrongEnumeration {
        // The current value, pretty-printed on its own line: valid wherever the type
        // collapses whitespace.
        out.push(format!("\n    {trimmed}\n  "));
    }
    if kind == Kind::WrongEnumeration {
        let lower = trimmed.to_lowercase();
        if lower != trimmed {
            out.push(lower);
        }
        // Valid when the enumeration's base collapses whitespace (token, NMTOKEN), not for
        // xs:string.
        out.push(format!(" {trimmed} "));
    }
    out
}
