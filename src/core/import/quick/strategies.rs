//! Strategies for the quick readers' tests: JSON texts of spans made of the usual values and
//! some unusual ones, and the check that a quick reader reads what serde reads.
#![allow(clippy::unwrap_used)]

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde::Deserialize;

/// The benchmarks' generator of big traces, whose spans the quick readers must all read.
#[path = "../../../../benches/generator.rs"]
pub(crate) mod generator;

/// What serde reads at the start of `text`: the value (as its debug text) and where it ends.
fn serde_reading<'t, T: Deserialize<'t> + Debug>(text: &'t str) -> Option<(String, usize)> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => Some((format!("{value:?}"), stream.byte_offset())),
        _ => None,
    }
}

/// Whether `quick` read `text`; when it did, it must have read what serde reads.
pub(crate) fn read_quickly<'t, T: Deserialize<'t> + Debug>(
    quick: impl Fn(&'t str) -> Option<(T, usize)>,
    text: &'t str,
) -> bool {
    match quick(text) {
        Some((value, read)) => {
            assert_eq!(Some((format!("{value:?}"), read)), serde_reading::<T>(text), "{text}");
            true
        }
        None => false,
    }
}

/// Checks that `quick` reads `whole` (as serde does) and leaves every part of it cut short.
pub(crate) fn cuts_are_left_to_serde<'t, T: Deserialize<'t> + Debug>(
    quick: impl Fn(&'t str) -> Option<(T, usize)>,
    whole: &'t str,
) {
    for end in 0..whole.len() {
        if let Some(cut) = whole.get(..end) {
            assert!(quick(cut).is_none(), "read a span cut at {end}");
        }
    }
    assert!(read_quickly(quick, whole));
}

/// Checks `tries` texts drawn from `span` (each followed by what may come after a span) with
/// `check`, which tells whether the text was read quickly; a good share must have been, and
/// not all.
pub(crate) fn sample_spans(span: BoxedStrategy<String>, tries: usize, mut check: impl FnMut(&str) -> bool) {
    let strategy = (span, prop::sample::select(vec![",", "]", " ", ""]));
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut quick = 0;
    for _ in 0..tries {
        let (span, after) = strategy.new_tree(&mut runner).unwrap().current();
        if check(&(span + after)) {
            quick += 1;
        }
    }
    assert!(quick > tries / 10 && quick < tries * 9 / 10, "{quick} of {tries} read quickly");
}

/// A value of any kind serde may meet where a text belongs.
pub(crate) fn any_text() -> impl Strategy<Value = String> {
    let usual = prop::sample::select(vec![r#""abc""#, r#""é""#, r#""""#, "null", r#""a\"b""#]);
    let unusual =
        prop::sample::select(vec![r#""\u00e9t\u00e9""#, "\"\u{7}\"", "42", "-7", "1.5", "true", "[]", "{}", "nul"]);
    prop_oneof![8 => usual, 1 => unusual].prop_map(str::to_owned)
}

/// A value of any kind serde may meet where an integer belongs.
pub(crate) fn any_integer() -> impl Strategy<Value = String> {
    let usual =
        prop::sample::select(vec!["1767225600000000", "0", "999999999999999999", "null", r#""1767225600000000000""#]);
    let unusual = prop::sample::select(vec![
        "-5",
        "-0",
        "01",
        "1.0",
        "1e3",
        r#""123""#,
        r#"" 7 ""#,
        r#""x""#,
        "null",
        "123456789012345678901",
        "9223372036854775807",
        "9223372036854775808",
        r#""9223372036854775807""#,
        r#""9223372036854775808""#,
        r#""-12""#,
        r#""+12""#,
        r#""007""#,
        r#""""#,
        "1000000000000000000",
        "true",
        "[1]",
    ]);
    prop_oneof![8 => usual, 1 => unusual].prop_map(str::to_owned)
}

/// A value of any kind serde may meet where a tag's value belongs.
pub(crate) fn any_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        any_text(),
        any_integer(),
        prop::sample::select(vec!["false", "-1.25e-3", r#"{"a":1}"#, r#""esc\\n""#]).prop_map(str::to_owned),
    ]
}

/// Whitespace, often none.
pub(crate) fn space() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", "", "", " ", "\n  ", "\t", "\r\n"]).prop_map(str::to_owned)
}

/// An object of the given members, some of them left out, maybe one named twice, in any
/// order, with any whitespace.
pub(crate) fn object(members: Vec<BoxedStrategy<String>>) -> BoxedStrategy<String> {
    let count = members.len();
    let twice = prop::option::weighted(0.05, 0..count);
    (members, prop::collection::vec(any::<bool>(), count), twice, space(), space())
        .prop_flat_map(|(values, keep, twice, before, after)| {
            let mut chosen: Vec<String> =
                values.iter().zip(&keep).filter(|(_, keep)| **keep).map(|(value, _)| value.clone()).collect();
            if let Some(twice) = twice {
                chosen.push(values[twice].clone());
            }
            Just(chosen).prop_shuffle().prop_map(move |members| format!("{{{before}{}{after}}}", members.join(",")))
        })
        .boxed()
}

/// `"name": value`.
pub(crate) fn member(name: &'static str, value: impl Strategy<Value = String> + 'static) -> BoxedStrategy<String> {
    (value, space()).prop_map(move |(value, space)| format!("\"{name}\"{space}:{space}{value}")).boxed()
}

/// A list of elements, or `null`, or something else.
pub(crate) fn list(element: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop_oneof![
        16 => prop::collection::vec(element, 0..3).prop_map(|elements| format!("[{}]", elements.join(","))),
        2 => Just("null".to_owned()),
        1 => prop::sample::select(vec!["{}", "1"]).prop_map(str::to_owned),
    ]
    .boxed()
}
