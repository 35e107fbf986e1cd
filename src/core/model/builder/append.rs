//! Appending one builder to another: what an import split in two gives back as one. The second
//! builder's strings are interned into the first (so a text the first already has keeps its
//! number, and a new one is numbered after the first's, in the order the second met them), and
//! its rows follow the first's, every index into a table moved by that table's length.
//!
//! Appending the builder of a file's second half to that of its first half gives the builder
//! one import of the whole file gives: the same rows in the same order, the same strings.

use crate::core::model::builder::{PendingWarning, TraceSetBuilder};
use crate::core::model::ids::{ResourceIdx, RowRange, StrIdx};
use crate::core::model::values::AttrValue;

/// How indices of the appended builder become indices of the whole.
struct Shift {
    /// The whole's string number of each of the appended builder's strings.
    strings: Vec<StrIdx>,
    attrs: u32,
    events: u32,
    links: u32,
    resources: u32,
}

impl Shift {
    fn string(&self, index: StrIdx) -> StrIdx {
        self.strings.get(index.get()).copied().unwrap_or_default()
    }

    fn rows(range: RowRange, by: u32) -> RowRange {
        RowRange { start: range.start.saturating_add(by), end: range.end.saturating_add(by) }
    }

    /// Renumbers the strings a value names, nested arrays and lists included (a loop over a
    /// stack of the values still to visit, never recursion).
    fn value(&self, value: &mut AttrValue) {
        let mut stack: Vec<&mut AttrValue> = vec![value];
        while let Some(value) = stack.pop() {
            match value {
                AttrValue::Str(index) => *index = self.string(*index),
                AttrValue::Array(values) => stack.extend(values.iter_mut()),
                AttrValue::KvList(pairs) => {
                    for (key, value) in pairs.iter_mut() {
                        *key = self.string(*key);
                        stack.push(value);
                    }
                }
                AttrValue::Bool(_) | AttrValue::Int(_) | AttrValue::Double(_) | AttrValue::Bytes(_) => {}
            }
        }
    }
}

impl TraceSetBuilder {
    /// Appends everything `other` holds after what this builder holds, as if it had been
    /// pushed here: its strings interned here, its rows after these. Returns how many spans
    /// this builder held before (where `other`'s push positions start now).
    pub fn append(&mut self, other: TraceSetBuilder) -> usize {
        let TraceSetBuilder { strings, mut attrs, mut events, mut links, mut resources, mut spans, mut warnings } =
            other;
        let shift = Shift {
            strings: (0..strings.len()).map(|index| self.strings.intern(strings.get(StrIdx(index as u32)))).collect(),
            attrs: self.attrs.len() as u32,
            events: self.events.len() as u32,
            links: self.links.len() as u32,
            resources: self.resources.len() as u32,
        };
        drop(strings);

        for key in &mut attrs.key {
            *key = shift.string(*key);
        }
        for value in &mut attrs.value {
            shift.value(value);
        }
        self.attrs.key.append(&mut attrs.key);
        self.attrs.value.append(&mut attrs.value);

        for name in &mut events.name {
            *name = shift.string(*name);
        }
        for range in &mut events.attrs {
            *range = Shift::rows(*range, shift.attrs);
        }
        self.events.time_ns.append(&mut events.time_ns);
        self.events.name.append(&mut events.name);
        self.events.attrs.append(&mut events.attrs);

        for range in &mut links.attrs {
            *range = Shift::rows(*range, shift.attrs);
        }
        self.links.trace_id.append(&mut links.trace_id);
        self.links.span_id.append(&mut links.span_id);
        self.links.kind.append(&mut links.kind);
        self.links.attrs.append(&mut links.attrs);
        self.links.target.append(&mut links.target);

        for service in &mut resources.service {
            *service = shift.string(*service);
        }
        for range in &mut resources.attrs {
            *range = Shift::rows(*range, shift.attrs);
        }
        self.resources.service.append(&mut resources.service);
        self.resources.attrs.append(&mut resources.attrs);

        for span in &mut spans {
            span.resource = ResourceIdx(span.resource.0.saturating_add(shift.resources));
            span.service = shift.string(span.service);
            span.operation = shift.string(span.operation);
            span.status_message = shift.string(span.status_message);
            span.attrs = Shift::rows(span.attrs, shift.attrs);
            span.events = Shift::rows(span.events, shift.events);
            span.links = Shift::rows(span.links, shift.links);
            if let Some(caller) = &mut span.caller {
                caller.service = shift.string(caller.service);
            }
        }
        let before = self.spans.len();
        self.spans.append(&mut spans);
        self.warnings.append(&mut warnings);
        before
    }

    /// Keeps only the warnings recorded so far that `keep` says to keep.
    pub(crate) fn retain_warnings(&mut self, keep: impl FnMut(&PendingWarning) -> bool) {
        self.warnings.retain(keep);
    }
}
