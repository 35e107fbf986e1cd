//! Attribute values as the exporters write them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::core::model::{AttrValue, TraceSet};

/// The largest integer a JSON reader holding numbers as doubles (JavaScript) reads exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A Jaeger tag `{key, type, value}`. Arrays and key-value lists become JSON text (Jaeger has
/// no such type); integers beyond 2^53 are written as strings, as Jaeger does.
pub(crate) fn jaeger_tag(set: &TraceSet, key: &str, value: &AttrValue) -> Value {
    let (kind, value) = match value {
        AttrValue::Str(text) => ("string", Value::from(set.str(*text))),
        AttrValue::Bool(flag) => ("bool", Value::from(*flag)),
        AttrValue::Int(number) if number.abs() <= MAX_SAFE_INTEGER => ("int64", Value::from(*number)),
        AttrValue::Int(number) => ("int64", Value::from(number.to_string())),
        AttrValue::Double(number) if number.is_finite() => ("float64", Value::from(*number)),
        AttrValue::Double(number) => ("float64", Value::from(non_finite_name(*number))),
        AttrValue::Bytes(bytes) => ("binary", Value::from(STANDARD.encode(bytes.as_slice()))),
        AttrValue::Array(_) | AttrValue::KvList(_) => ("string", Value::from(plain_json(set, value).to_string())),
    };
    json!({ "key": key, "type": kind, "value": value })
}

/// An OTLP `AnyValue`.
pub(crate) fn otlp_any_value(set: &TraceSet, value: &AttrValue) -> Value {
    match value {
        AttrValue::Str(text) => json!({ "stringValue": set.str(*text) }),
        AttrValue::Bool(flag) => json!({ "boolValue": flag }),
        AttrValue::Int(number) => json!({ "intValue": number.to_string() }),
        AttrValue::Double(number) if number.is_finite() => json!({ "doubleValue": number }),
        AttrValue::Double(number) => json!({ "doubleValue": non_finite_name(*number) }),
        AttrValue::Bytes(bytes) => json!({ "bytesValue": STANDARD.encode(bytes.as_slice()) }),
        AttrValue::Array(items) => {
            let values: Vec<Value> = items.iter().map(|item| otlp_any_value(set, item)).collect();
            json!({ "arrayValue": { "values": values } })
        }
        AttrValue::KvList(entries) => {
            let values: Vec<Value> = entries
                .iter()
                .map(|(key, item)| json!({ "key": set.str(*key), "value": otlp_any_value(set, item) }))
                .collect();
            json!({ "kvlistValue": { "values": values } })
        }
    }
}

/// The value as plain JSON (for Jaeger's text rendering of arrays and lists).
fn plain_json(set: &TraceSet, value: &AttrValue) -> Value {
    match value {
        AttrValue::Str(text) => Value::from(set.str(*text)),
        AttrValue::Bool(flag) => Value::from(*flag),
        AttrValue::Int(number) => Value::from(*number),
        AttrValue::Double(number) if number.is_finite() => Value::from(*number),
        AttrValue::Double(number) => Value::from(non_finite_name(*number)),
        AttrValue::Bytes(bytes) => Value::from(STANDARD.encode(bytes.as_slice())),
        AttrValue::Array(items) => Value::Array(items.iter().map(|item| plain_json(set, item)).collect()),
        AttrValue::KvList(entries) => {
            let map: Map<String, Value> =
                entries.iter().map(|(key, item)| (set.str(*key).to_owned(), plain_json(set, item))).collect();
            Value::Object(map)
        }
    }
}

fn non_finite_name(number: f64) -> &'static str {
    if number.is_nan() {
        "NaN"
    } else if number > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}
