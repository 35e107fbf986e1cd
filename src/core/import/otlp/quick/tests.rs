//! The OTLP quick reader against serde: what it reads, serde reads the same way; what it
//! leaves, serde reads (or refuses).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::core::import::quick::strategies::{
    any_integer, any_text, cuts_are_left_to_serde, generator, list, member, object, read_quickly as agrees,
    sample_spans,
};

/// Whether the quick reader read `text`, as serde reads it.
fn read_quickly(text: &str) -> bool {
    agrees(read_span, text)
}

const USUAL: &str = r#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"000000000000001a","parentSpanId":"0000000000000012","name":"publish","kind":1,"startTimeUnixNano":"1767225605081493000","endTimeUnixNano":"1767225605082238000","attributes":[{"key":"http.method","value":{"stringValue":"GET"}},{"key":"http.status_code","value":{"intValue":"200"}},{"key":"retry","value":{"boolValue":false}},{"key":"ratio","value":{"doubleValue":0.25}}],"events":[{"timeUnixNano":"1767225600000000000","name":"cache miss","attributes":[{"key":"level","value":{"stringValue":"info"}}]}],"status":{"code":0}}"#;

#[test]
fn spans_written_the_usual_way_are_read_as_serde_reads_them() {
    let usual = [
        USUAL,
        r#"{}"#,
        r#"{ "spanId" : "a" , "attributes" : [ ] , "events" : [ { } ] , "links" : null }  ,"#,
        r#"{"spanId":"b","kind":"SPAN_KIND_SERVER","status":{"code":"STATUS_CODE_ERROR","message":"boom"}}"#,
        r#"{"spanId":"c","kind":"2","startTimeUnixNano":1767225605081493000,"endTimeUnixNano":"9223372036854775808"}"#,
        r#"{"spanId":"d","attributes":[{"key":"list","value":{"arrayValue":{"values":[{"intValue":1},{"arrayValue":{}}]}}}]}"#,
        r#"{"spanId":"e","attributes":[{"key":"map","value":{"kvlistValue":{"values":[{"key":"a","value":{"boolValue":true}}]}}}]}"#,
        r#"{"spanId":"f","attributes":[{"key":"b","value":{"bytesValue":"AAE="}},{"key":"n","value":null},{"key":"d","value":{"doubleValue":"NaN"}}]}"#,
        r#"{"spanId":"g","links":[{"traceId":"t","spanId":"s","traceState":"k=v","attributes":[],"flags":1}],"flags":256}"#,
        r#"{"spanId":"h","droppedAttributesCount":3,"droppedEventsCount":"4","droppedLinksCount":null,"status":null}"#,
        r#"{"spanId":"j","status":{"code":[0]},"kind":{"a":1}}"#,
        r#"{"spanId":"i","name":"caf\u00e9","attributes":[{"key":"a\"b","value":{"stringValue":"x\ny","intValue":"007"}}]}"#,
    ];
    for text in usual {
        assert!(read_quickly(text), "not read quickly: {text}");
    }
}

#[test]
fn anything_out_of_the_usual_way_is_left_to_serde() {
    let unusual = [
        r#"{"spanId":"a","spanId":"b"}"#,
        r#"{"attributes":[{"key":"a","value":{"stringValue":"x","stringValue":"y"}}]}"#,
        r#"{"spanId":["a"]}"#,
        r#"{"attributes":[{"key":"a","value":{"boolValue":"true"}}]}"#,
        r#"{"attributes":[{"key":"a","value":{"boolValue":1}}]}"#,
        r#"{"attributes":[{"key":"a","value":"x"}]}"#,
        r#"{"attributes":[{"key":"a","value":{"arrayValue":{"values":[1,}]}}}]}"#,
        r#"{"spanId":"a",}"#,
        r#"{"startTimeUnixNano":0123}"#,
        "{\"name\":\"a\u{1}b\"}",
        r#"["a"]"#,
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
    let document: serde_json::Value = serde_json::from_str(&generator::otlp_json(3_000)).unwrap();
    let mut count = 0;
    for resource in document["resourceSpans"].as_array().unwrap() {
        for scope in resource["scopeSpans"].as_array().unwrap() {
            for span in scope["spans"].as_array().unwrap() {
                let text = serde_json::to_string(span).unwrap() + ",";
                assert!(read_quickly(&text), "not read quickly: {text}");
                count += 1;
            }
        }
    }
    assert_eq!(count, 3_000);
}

/// A value of any kind serde may meet where an `AnyValue` belongs.
fn any_value() -> BoxedStrategy<String> {
    let bool_value = prop_oneof![
        8 => prop::sample::select(vec!["true", "false", "null"]),
        1 => prop::sample::select(vec![r#""true""#, "1", "[]"]),
    ]
    .prop_map(str::to_owned);
    let nested = prop::sample::select(vec![r#"{"values":[{"intValue":"1"},{"arrayValue":{}}]}"#, "null", "{}", "[]"])
        .prop_map(str::to_owned);
    let kvlist = prop::sample::select(vec![r#"{"values":[{"key":"a","value":{"boolValue":true}}]}"#, "null", "1"])
        .prop_map(str::to_owned);
    prop_oneof![
        8 => object(vec![
            member("stringValue", any_text()),
            member("boolValue", bool_value),
            member("intValue", any_integer()),
            member("doubleValue", prop::sample::select(vec!["0.5", r#""1.5""#, "1", "null", r#""NaN""#]).prop_map(str::to_owned)),
            member("arrayValue", nested),
            member("kvlistValue", kvlist),
            member("bytesValue", any_text()),
        ]),
        1 => prop::sample::select(vec!["null", r#""x""#, "[]"]).prop_map(str::to_owned).boxed(),
    ]
    .boxed()
}

fn any_number_or_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop::sample::select(vec!["1", "0", "null", r#""SPAN_KIND_SERVER""#, r#""2""#]),
        1 => prop::sample::select(vec!["-1", "1.5", "true", "[]", "01"]),
    ]
    .prop_map(str::to_owned)
    .boxed()
}

fn key_value() -> BoxedStrategy<String> {
    object(vec![member("key", any_text()), member("value", any_value()), member("other", any_text())])
}

fn any_span() -> BoxedStrategy<String> {
    let event = object(vec![
        member("timeUnixNano", any_integer()),
        member("name", any_text()),
        member("attributes", list(key_value())),
    ]);
    let link = object(vec![
        member("traceId", any_text()),
        member("spanId", any_text()),
        member("traceState", any_text()),
        member("attributes", list(key_value())),
        member("flags", any_integer()),
    ]);
    let status = prop_oneof![
        8 => object(vec![member("code", any_number_or_name()), member("message", any_text())]),
        1 => Just("null".to_owned()).boxed(),
    ];
    object(vec![
        member("traceId", any_text()),
        member("spanId", any_text()),
        member("parentSpanId", any_text()),
        member("name", any_text()),
        member("kind", any_number_or_name()),
        member("startTimeUnixNano", any_integer()),
        member("endTimeUnixNano", any_integer()),
        member("attributes", list(key_value())),
        member("droppedAttributesCount", any_integer()),
        member("events", list(event)),
        member("droppedEventsCount", any_integer()),
        member("links", list(link)),
        member("droppedLinksCount", any_integer()),
        member("status", status),
        member("flags", any_integer()),
    ])
}

/// Whatever the quick reader reads, serde reads the same way; and it reads a good share of
/// spans made of the usual values and some unusual ones.
#[test]
fn what_is_read_quickly_is_what_serde_reads() {
    sample_spans(any_span(), 4_000, read_quickly);
}
