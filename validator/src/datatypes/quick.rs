//! A validity-only fast path for the commonest simple types (strings with string facets;
//! integers, booleans, dates and times without facets): it decides without building a
//! [`super::value::Value`] (no allocation), and leaves every other case, and every invalid
//! value, to the general check, which builds the value and the exact message.

use qschema_model::Builtin;

use super::lexical;
use super::plan::{Plan, Shape, Step};
use super::value::Value;
use super::whitespace;

/// `true` when `raw` is certainly a valid value of `plan`; `false` means "not decided here"
/// (the general check must run: the value may be valid or not).
pub(super) fn certainly_valid(plan: &Plan, raw: &str) -> bool {
    let Shape::Atomic(b) = plan.shape else {
        return false;
    };
    let normalized = whitespace::apply(raw, plan.white_space);
    match b {
        Builtin::String | Builtin::AnySimpleType => plan
            .steps
            .iter()
            .all(|step| string_step_ok(step, &normalized)),
        _ if plan.steps.iter().all(no_facets) => match b {
            Builtin::Boolean => matches!(&*normalized, "true" | "false" | "1" | "0"),
            // Dates and times: their lexical parse is the whole check (what the general
            // check does for them, without building the value's error machinery); the usual
            // `dateTime` and `date` forms without even building the value.
            _ if b.is_date_time() => {
                use qschema_model::values::datetime;
                datetime::certainly_valid(b, &normalized)
                    || datetime::parse(b, &normalized).is_some()
            }
            _ => lexical::small_integer_in_range(b, &normalized) == Some(true),
        },
        _ => false,
    }
}

/// A step without constraining facets (a built-in's own step, or a plain restriction).
fn no_facets(step: &Step) -> bool {
    step.length.is_none()
        && step.min_length.is_none()
        && step.max_length.is_none()
        && step.patterns.is_empty()
        && step.enumeration.is_empty()
        && step.bounds.is_empty()
        && step.total_digits.is_none()
        && step.fraction_digits.is_none()
}

/// The facets of one step of a string type, on the whiteSpace-normalized value; `false` also
/// for facets this path does not evaluate (bounds and digits never apply to strings, but
/// the general check words their error).
fn string_step_ok(step: &Step, normalized: &str) -> bool {
    if !step.bounds.is_empty() || step.total_digits.is_some() || step.fraction_digits.is_some() {
        return false;
    }
    if step.length.is_some() || step.min_length.is_some() || step.max_length.is_some() {
        let len = normalized.chars().count() as u64;
        if step.length.is_some_and(|n| n != len)
            || step.min_length.is_some_and(|n| len < n)
            || step.max_length.is_some_and(|n| len > n)
        {
            return false;
        }
    }
    if !step.enumeration.is_empty() {
        // The enumeration's values, once the general check has parsed them; until then the
        // general check decides.
        let Some(values) = step.enumeration_values.get() else {
            return false;
        };
        let listed = values
            .iter()
            .flatten()
            .any(|v| matches!(v, Value::Str(s) if s == normalized));
        if !listed {
            return false;
        }
    }
    step.patterns.is_empty() || step.patterns.iter().any(|p| p.regex.is_match(normalized))
}

#[cfg(test)]
mod tests {
    use super::super::SimpleTypeChecker;
    use super::*;
    use qschema_model::SimpleTypeId;

    const XSD: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:simpleType name="status"><xs:restriction base="xs:string">
    <xs:enumeration value="NEW"/><xs:enumeration value=" FIXED "/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="uid"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9a-f]{4}-[0-9]+"/><xs:maxLength value="8"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="code"><xs:restriction base="xs:token">
    <xs:length value="3"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="small"><xs:restriction base="xs:int">
    <xs:maxInclusive value="10"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="collapsedString"><xs:restriction base="xs:string">
    <xs:whiteSpace value="collapse"/><xs:enumeration value="a b"/>
  </xs:restriction></xs:simpleType>
</xs:schema>"#;

    const VALUES: &[&str] = &[
        "",
        " ",
        "NEW",
        "new",
        " NEW",
        "FIXED",
        " FIXED ",
        "a b",
        " a  b ",
        "0a1f-12",
        "0a1f-123456",
        "0A1F-1",
        "abc",
        " abc ",
        "a\tc",
        "0",
        "-0",
        "+7",
        "10",
        "11",
        "-1",
        "127",
        "128",
        "-129",
        "255",
        "256",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "007",
        " 42 ",
        "4 2",
        "1.0",
        "true",
        "false",
        "1",
        " true ",
        "TRUE",
        "yes",
        "123456789012345678901234567890",
        "1234567890123456789012345678901",
        "+",
        "-",
        "١٢",
        "2020-11-22T23:41:00Z",
        " 2020-11-22T23:41:00.125+05:30 ",
        "2020-02-30T00:00:00Z",
        "2021-02-29",
        "2020-02-29",
        "2020-13-01",
        "24:00:00",
        "23:59:60",
        "12:30:00-14:00",
        "--11-22",
        "---22",
        "--11",
        "2020-11",
        "-0044",
        "0000",
        "2020-11-22T23:41:00+14:01",
    ];

    /// The fast path says "valid" only where the general check agrees, and it does decide
    /// some values of every kind it handles.
    #[test]
    fn agrees_with_the_general_check() {
        let resolver = qschema_model::MemoryResolver::default();
        let schema =
            qschema_model::xsd::load_str(XSD, std::path::Path::new("t.xsd"), &resolver).unwrap();
        let checker = SimpleTypeChecker::new(&schema).unwrap();
        let named = ["status", "uid", "code", "small", "collapsedString"]
            .map(|n| schema.named_simple_types[n]);
        let builtins: Vec<SimpleTypeId> = [
            Builtin::String,
            Builtin::Boolean,
            Builtin::Long,
            Builtin::Int,
            Builtin::Byte,
            Builtin::UnsignedByte,
            Builtin::Integer,
            Builtin::NonNegativeInteger,
        ]
        .into_iter()
        .chain(Builtin::ALL.into_iter().filter(|b| b.is_date_time()))
        .map(Builtin::id)
        .collect();
        let mut decided = std::collections::HashSet::new();
        for ty in named.iter().chain(&builtins) {
            let plan = checker.plan(*ty).unwrap();
            // Enumeration values are parsed by the first general check.
            let _ = checker.check_value(*ty, "", &Default::default());
            for value in VALUES {
                let general = checker.check_value(*ty, value, &Default::default());
                if certainly_valid(plan, value) {
                    decided.insert(*ty);
                    assert!(
                        general.is_ok(),
                        "{ty:?} '{value}': fast path valid, general {general:?}"
                    );
                }
            }
        }
        let undecided: Vec<SimpleTypeId> = builtins
            .iter()
            .chain(&named)
            .filter(|t| !decided.contains(t) && **t != named[2] && **t != named[3])
            .copied()
            .collect();
        assert!(undecided.is_empty(), "never decided: {undecided:?}");
    }
}
