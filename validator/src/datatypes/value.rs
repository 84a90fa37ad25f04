//! Values in the XSD value spaces, for enumeration equality and bound comparisons.

use std::cmp::Ordering;

use qschema_model::values::{Decimal, Duration, Moment};

/// A value of some simple type. Values of different primitive types are never equal and
/// never ordered.
#[derive(Clone, Debug)]
pub enum Value {
    /// String-like types, `anyURI`, `anySimpleType`: the normalized string.
    Str(String),
    /// `xs:QName` and `xs:NOTATION`: the name as written and, when the namespace bindings in
    /// scope were known, its expanded name (namespace, local name).
    QName {
        /// The normalized lexical form (`prefix:local` or `local`).
        lexical: String,
        /// `(namespace, local name)`, when the prefix was resolved.
        expanded: Option<(Option<String>, String)>,
    },
    /// `xs:boolean`.
    Bool(bool),
    /// `xs:decimal` and the integer types.
    Decimal(Decimal),
    /// `xs:float` (rounded to `f32`, stored as `f64`).
    Float(f64),
    /// `xs:double`.
    Double(f64),
    /// `xs:duration`.
    Duration(Duration),
    /// The date/time types.
    Moment(Moment),
    /// `xs:hexBinary` octets.
    Hex(Vec<u8>),
    /// `xs:base64Binary` octets.
    Base64(Vec<u8>),
    /// A list value.
    List(Vec<Value>),
}

impl Value {
    /// XSD 1.0 value-space equality (`NaN` equals itself, `0` equals `-0`).
    pub fn equals(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Str(a), Str(b)) => a == b,
            // By expanded name when both sides were resolved, else as written.
            (
                QName {
                    lexical: a,
                    expanded: ea,
                },
                QName {
                    lexical: b,
                    expanded: eb,
                },
            ) => match (ea, eb) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            },
            (Bool(a), Bool(b)) => a == b,
            (Decimal(a), Decimal(b)) => a == b,
            (Float(a), Float(b)) | (Double(a), Double(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Duration(a), Duration(b)) => a.equals(b),
            (Moment(a), Moment(b)) => a.equals(b),
            (Hex(a), Hex(b)) | (Base64(a), Base64(b)) => a == b,
            (List(a), List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y)),
            _ => false,
        }
    }

    /// The XSD order, `None` when incomparable (different types, `NaN`, indeterminate
    /// date/time or duration comparisons, unordered types).
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (Decimal(a), Decimal(b)) => Some(a.cmp(b)),
            (Float(a), Float(b)) | (Double(a), Double(b)) => a.partial_cmp(b),
            (Duration(a), Duration(b)) => a.compare(b),
            (Moment(a), Moment(b)) => a.compare(b),
            _ => None,
        }
    }

    /// A resolved QName as `{namespace}local` (`{}local` without a namespace).
    pub fn expanded_name(&self) -> Option<String> {
        match self {
            Value::QName {
                expanded: Some((namespace, local)),
                ..
            } => Some(format!("{{{}}}{local}", namespace.as_deref().unwrap_or(""))),
            _ => None,
        }
    }

    /// The `totalDigits`/`fractionDigits` view: the decimal, if this is one.
    pub fn as_decimal(&self) -> Option<&Decimal> {
        match self {
            Value::Decimal(d) => Some(d),
            _ => None,
        }
    }
}

/// A value as an identity constraint compares it (XSD 1.0 3.11.4: key-sequences are equal
/// when their values are equal in the value space), with a bucket for hashing: values that
/// are equal always share a bucket.
#[derive(Clone, Debug)]
pub struct KeyValue(pub(crate) Value);

impl KeyValue {
    /// A string value (for text that is not a valid value of its type).
    pub fn text(s: &str) -> KeyValue {
        KeyValue(Value::Str(s.to_string()))
    }

    /// Value-space equality.
    pub fn equals(&self, other: &KeyValue) -> bool {
        self.0.equals(&other.0)
    }

    /// A string equal for equal values (finer for strings, numbers and binaries; the date,
    /// time and duration types share one bucket per type, as their equality crosses time
    /// zones and units).
    pub fn bucket(&self) -> String {
        bucket(&self.0)
    }
}

fn bucket(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("s{s}"),
        // Equal either way (expanded or as written) means the same local name.
        Value::QName { lexical, .. } => {
            let local = lexical
                .rsplit_once(':')
                .map_or(lexical.as_str(), |(_, l)| l);
            format!("q{local}")
        }
        Value::Bool(b) => format!("b{b}"),
        Value::Decimal(d) => format!("n{d:?}"),
        Value::Float(f) | Value::Double(f) if f.is_nan() => "fNaN".to_string(),
        // 0 and -0 are equal.
        Value::Float(f) | Value::Double(f) => format!("f{}", if *f == 0.0 { 0.0 } else { *f }),
        Value::Duration(_) => "d".to_string(),
        Value::Moment(_) => "m".to_string(),
        Value::Hex(b) | Value::Base64(b) => format!("x{b:?}"),
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(bucket).collect();
            format!("l[{}]", inner.join(","))
        }
    }
}
