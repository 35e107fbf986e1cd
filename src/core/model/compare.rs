//! A canonical text of every span of a `TraceSet`, independent of string-table and side-table
//! positions, so two sets can be compared span by span (round-trip tests, merges).

use std::fmt::Write;

use crate::core::model::ids::RowRange;
use crate::core::model::trace_set::TraceSet;
use crate::core::model::values::AttrValue;

/// One line per span (in row order) with ids, tree position, names, kind, status, timing,
/// attributes, events and links. `time_unit_ns` rounds times down to that unit (1 for exact,
/// 1000 to compare through a format that keeps microseconds).
pub fn canonical_spans(set: &TraceSet, time_unit_ns: i64) -> Vec<String> {
    let spans = &set.spans;
    let unit = time_unit_ns.max(1);
    (0..spans.len())
        .map(|i| {
            let mut line = String::new();
            let _ = write!(
                line,
                "{} {} parent={} depth={} sub={} {}:{} kind={:?} status={:?} msg={:?} start={} dur={} attrs=[{}] events=[",
                set.traces.trace_id[spans.trace[i].get()],
                spans.span_id[i],
                spans.parent_id[i].map(|id| id.to_string()).unwrap_or_default(),
                spans.depth[i],
                spans.subtree_len[i],
                set.str(spans.service[i]),
                set.str(spans.operation[i]),
                spans.kind[i],
                spans.status[i],
                set.str(spans.status_message[i]),
                spans.start_ns[i].div_euclid(unit),
                spans.duration_ns[i].div_euclid(unit),
                attrs_text(set, spans.attrs[i]),
            );
            for event in spans.events[i].as_range() {
                let _ = write!(
                    line,
                    "{}@{} {{{}}}; ",
                    set.str(set.events.name[event]),
                    set.events.time_ns[event].div_euclid(unit),
                    attrs_text(set, set.events.attrs[event])
                );
            }
            line.push_str("] links=[");
            for link in spans.links[i].as_range() {
                let _ = write!(
                    line,
                    "{:?} {}/{} {{{}}}; ",
                    set.links.kind[link],
                    set.links.trace_id[link],
                    set.links.span_id[link],
                    attrs_text(set, set.links.attrs[link])
                );
            }
            line.push(']');
            line
        })
        .collect()
}

/// Attributes as `key=value` text, values with their type.
pub fn attrs_text(set: &TraceSet, rows: RowRange) -> String {
    set.attrs
        .rows(rows)
        .map(|(key, value)| format!("{}={}", set.str(key), value_text(set, value)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value with its type, e.g. `int:42`, `str:"x"`.
pub fn value_text(set: &TraceSet, value: &AttrValue) -> String {
    match value {
        AttrValue::Str(text) => format!("str:{:?}", set.str(*text)),
        AttrValue::Bool(flag) => format!("bool:{flag}"),
        AttrValue::Int(number) => format!("int:{number}"),
        AttrValue::Double(number) => format!("double:{number:?}"),
        AttrValue::Bytes(bytes) => format!("bytes:{bytes:?}"),
        AttrValue::Array(items) => {
            format!("[{}]", items.iter().map(|item| value_text(set, item)).collect::<Vec<_>>().join(", "))
        }
        AttrValue::KvList(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(key, item)| format!("{}={}", set.str(*key), value_text(set, item)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
