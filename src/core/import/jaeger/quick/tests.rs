//! The quick reader against serde: what it reads, serde reads the same way; what it leaves,
//! serde reads (or refuses).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::core::import::quick::strategies::{
    any_integer, any_scalar, any_text, cuts_are_left_to_serde, generator, list, member, object, read_quickly as agrees,
    sample_spans,
};

/// Whether the quick reader read `text`, as serde reads it.
fn read_quickly(text: &str) -> bool {
    agrees(read_span, text)
}

const USUAL: &str = r#"{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"0000000000000002","flags":1,"operationName":"query","references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"0000000000000001"}],"startTime":1767225600752924,"duration":1236972,"tags":[{"key":"http.method","type":"string","value":"GET"},{"key":"http.status_code","type":"int64","value":300},{"key":"retry","type":"bool","value":false},{"key":"ratio","type":"float64","value":0.25}],"logs":[{"timestamp":1767225600752924,"fields":[{"key":"event","type":"string","value":"cache miss"}]}],"processID":"p16","warnings":null}"#;

#[test]
fn spans_written_the_usual_way_are_read_as_serde_reads_them() {
    let usual = [
        USUAL,
        r#"{}"#,
        r#"{ "spanID" : "a" , "tags" : [ ] , "logs" : [ { } ] , "references" : null }  ,"#,
        "{\n  \"spanID\": \"b\",\n  \"tags\": [\n    {\"key\": \"k\", \"value\": \"v\"}\n  ]\n}\n]",
        r#"{"spanID":"c","operationName":"GET /caf\u00e9","tags":[{"key":"a\"b","type":"string","value":"x\ny"}]}"#,
        r#"{"spanID":"d","startTime":"1767225600752924","duration":-5,"tags":[{"key":"n","value":12345678901234567890}]}"#,
        r#"{"spanID":"e","startTime":1.5e3,"duration":"soon","tags":[{"key":"big","value":-9223372036854775808}]}"#,
        r#"{"spanID":12,"traceID":null,"parentSpanID":"f","process":{"serviceName":"svc","tags":[{"key":"ip","value":"10.0.0.1"}]}}"#,
        r#"{"spanID":"g","warnings":["clock skew",null,"x"],"extra":"\u0041","more":-1.5,"flag":true,"none":null}"#,
        r#"{"spanID":"h","tags":[{"key":"k","type":null,"value":null,"other":"x"}],"logs":null,"process":null}"#,
        "{\"spanID\":\"écho ✓\",\"operationName\":\"日本\"}",
        r#"{"tags":[{"key":"k","value":[1,{"a":"]}"}]}],"childSpanIds":["a","b"],"extra":{"n":[{}]}}"#,
    ];
    for text in usual {
        assert!(read_quickly(text), "not read quickly: {text}");
    }
}

#[test]
fn anything_out_of_the_usual_way_is_left_to_serde() {
    let unusual = [
        // A member named twice: serde refuses the span.
        r#"{"spanID":"a","spanID":"b"}"#,
        r#"{"tags":[{"key":"a","key":"b"}]}"#,
        // Jaeger's internal model.
        r#"{"spanId":"a"}"#,
        // A list or object where one value belongs, or as a member nothing reads.
        r#"{"spanID":["a"]}"#,
        // Not JSON.
        r#"{"spanID":"a",}"#,
        r#"{"spanID":'a'}"#,
        r#"{"startTime":0123}"#,
        "{\"spanID\":\"a\u{1}b\"}",
        r#"{"spanID":"a" "tags":[]}"#,
        r#"{"tags":[{"key":null}]}"#,
        r#"{"spanID":"a\x"}"#,
        r#"{"extra":[1,}],"spanID":"a"}"#,
        r#"{"extra":{"a"},"spanID":"a"}"#,
        r#"{"extra":["\q"],"spanID":"a"}"#,
        r#"{"startTime":1.}"#,
        r#"{"spanID":nul}"#,
        r#"{"spanID":"a"]"#,
        // Not an object.
        r#"["a"]"#,
        r#"null"#,
    ];
    for text in unusual {
        assert!(!read_quickly(text), "read quickly: {text}");
    }
}

#[test]
fn a_span_cut_short_is_left_to_serde() {
    cuts_are_left_to_serde(read_span, USUAL);
}

#[test]
fn every_generated_span_is_read_quickly() {
    let document: serde_json::Value = serde_json::from_str(&generator::jaeger_json(3_000)).unwrap();
    let spans = document["data"][0]["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 3_000);
    for span in spans {
        let text = serde_json::to_string(span).unwrap() + ",";
        assert!(read_quickly(&text), "not read quickly: {text}");
    }
}

fn key_value() -> BoxedStrategy<String> {
    object(vec![
        member("key", any_text()),
        member("type", any_text()),
        member("value", any_scalar()),
        member("other", any_scalar()),
    ])
}

fn any_span() -> BoxedStrategy<String> {
    let reference =
        object(vec![member("refType", any_text()), member("traceID", any_text()), member("spanID", any_text())]);
    let log = object(vec![member("timestamp", any_integer()), member("fields", list(key_value()))]);
    let process = prop_oneof![
        object(vec![member("serviceName", any_text()), member("tags", list(key_value()))]),
        Just("null".to_owned()).boxed(),
    ];
    object(vec![
        member("traceID", any_text()),
        member("spanID", any_text()),
        member("parentSpanID", any_text()),
        member("operationName", any_text()),
        member("references", list(reference)),
        member("startTime", any_integer()),
        member("duration", any_integer()),
        member("tags", list(key_value())),
        member("logs", list(log)),
        member("processID", any_text()),
        member("process", process),
        member("warnings", list(any_text().boxed())),
        member("flags", any_scalar()),
        prop_oneof![20 => member("ignored", any_text()), 1 => member("spanId", any_text())].boxed(),
    ])
}

/// Whatever the quick reader reads, serde reads the same way; and it reads a good share of
/// spans made of the usual values and some unusual ones.
#[test]
fn what_is_read_quickly_is_what_serde_reads() {
    sample_spans(any_span(), 4_000, read_quickly);
}
