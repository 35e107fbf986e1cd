//! OTLP JSON walked as it arrives: `{"resourceSpans": [...]}`, Tempo's `{"batches": [...]}` and
//! Jaeger's v3 answer `{"result": {"resourceSpans": [...]}}`. Every span of a scope's `spans` is
//! parsed and converted as soon as its bytes are there, by the same code as the whole-file
//! import (`otlp::convert_span`); a `ResourceSpans` object's resource and each scope are kept as
//! their JSON text (small) and read when the object ends, when its spans get their resource row
//! (`otlp::place_groups`), as the whole-file import does, since the resource may come after its
//! spans.

use std::ops::Range;

use serde::de::IgnoredAny;

use crate::core::import::context::ImportContext;
use crate::core::import::otlp::{self, Resource, Scope, ScopeGroup};
use crate::core::import::streamed::{parse_one, parse_text, Expect, Frame, Halt, Walk};
use crate::core::import::Format;

/// A `ResourceSpans` object being read.
#[derive(Default)]
pub(super) struct ResourceState {
    /// Its `resource`, as JSON text, once read (the last one, as the whole-file import keeps).
    resource: Option<String>,
    /// Each scope's text and the push positions of its spans, in order.
    groups: Vec<(Option<String>, Range<usize>)>,
}

/// A `ScopeSpans` object being read.
pub(super) struct ScopeState {
    /// Its `scope` (or older `instrumentationLibrary`), as JSON text.
    scope: Option<String>,
    /// The push position of its first span.
    first: usize,
}

/// What a member's value opens, if it is a list the walk goes into.
enum Opened {
    /// A list of `ResourceSpans`.
    Resources,
    /// A list of `ScopeSpans`.
    Scopes,
    /// A list of spans.
    Spans,
}

impl Walk<'_> {
    /// A top-level member that names an OTLP document (`resourceSpans`, `batches`, `result`).
    /// Returns the bytes read.
    pub(super) fn otlp_top_member(&mut self, key: &str, value: &str, complete: bool) -> Result<usize, Halt> {
        // One format per document: anything mixed is left to the whole-file import.
        if self.format.is_some() || self.top_trace.is_some() {
            return Err(Halt::GiveUp);
        }
        let format = match key {
            "resourceSpans" => Format::Otlp,
            "batches" => Format::TempoBatches,
            _ => Format::JaegerV3,
        };
        // Nothing changes until the value is known to be all there (a `null` may be cut off).
        let read = match (format, value.as_bytes().first()) {
            (Format::JaegerV3, Some(b'{')) => {
                self.frames.push(Frame::OtlpResult);
                self.expect = Expect::Key { first: true };
                1
            }
            (Format::JaegerV3, _) => self.null_member(value, complete)?,
            _ => self.open_list(Opened::Resources, value, complete)?,
        };
        self.ctx.current_format = Some(format);
        self.format = Some(format);
        Ok(read)
    }

    /// A member of Jaeger v3's `result` (an OTLP `TracesData`). Returns the bytes read.
    pub(super) fn otlp_result_member(&mut self, key: &str, value: &str, complete: bool) -> Result<usize, Halt> {
        match key {
            "resourceSpans" | "batches" => self.open_list(Opened::Resources, value, complete),
            _ => self.ignored_member(value, complete),
        }
    }

    /// A member of a `ResourceSpans` object. Returns the bytes read.
    pub(super) fn otlp_resource_member(&mut self, key: &str, value: &str, complete: bool) -> Result<usize, Halt> {
        match key {
            "resource" => {
                let (_, read) = parse_one::<Option<Resource>>(value, complete)?;
                if let Some(Frame::OtlpResource(state)) = self.frames.last_mut() {
                    state.resource = Some(value[..read].to_owned());
                }
                self.expect = Expect::AfterMember;
                Ok(read)
            }
            "scopeSpans" | "instrumentationLibrarySpans" => self.open_list(Opened::Scopes, value, complete),
            _ => self.ignored_member(value, complete),
        }
    }

    /// A member of a `ScopeSpans` object. Returns the bytes read.
    pub(super) fn otlp_scope_member(&mut self, key: &str, value: &str, complete: bool) -> Result<usize, Halt> {
        match key {
            "scope" | "instrumentationLibrary" => {
                let (scope, read) = parse_one::<Option<Scope>>(value, complete)?;
                if let Some(Frame::OtlpScope(state)) = self.frames.last_mut() {
                    let text = scope.map(|_| value[..read].to_owned());
                    // A `scope` replaces what came before; a library only stands in for none.
                    if key == "scope" || state.scope.is_none() {
                        state.scope = text;
                    }
                }
                self.expect = Expect::AfterMember;
                Ok(read)
            }
            "spans" => self.open_list(Opened::Spans, value, complete),
            _ => self.ignored_member(value, complete),
        }
    }

    /// An element of a list of `ResourceSpans` or `ScopeSpans`: an object the walk goes into.
    /// Returns the bytes read.
    pub(super) fn otlp_open_element(&mut self, rest: &str) -> Result<usize, Halt> {
        if !rest.starts_with('{') {
            return Err(Halt::GiveUp);
        }
        let opened = match self.frames.last() {
            Some(Frame::OtlpResources) => Frame::OtlpResource(ResourceState::default()),
            Some(Frame::OtlpScopes) => {
                Frame::OtlpScope(ScopeState { scope: None, first: self.ctx.builder.pushed_span_count() })
            }
            _ => return Err(Halt::GiveUp),
        };
        self.frames.push(opened);
        self.expect = Expect::Key { first: true };
        Ok(1)
    }

    /// An element of a scope's `spans`: one span, parsed and converted. Returns the bytes read.
    pub(super) fn otlp_span(&mut self, rest: &str, complete: bool) -> Result<usize, Halt> {
        // As for Jaeger spans: the quick reader, and serde for what it leaves.
        let (span, read) = match otlp::read_span(rest) {
            Some((span, read)) if read < rest.len() || complete => (span, read),
            _ => parse_one::<otlp::Span>(rest, complete)?,
        };
        otlp::convert_span(&mut self.ctx, &span);
        self.expect = Expect::AfterElement;
        Ok(read)
    }

    /// Ends an OTLP object the walk is in (`frame`, already taken off the stack).
    pub(super) fn otlp_close(&mut self, frame: Frame) -> Result<(), Halt> {
        match frame {
            Frame::OtlpResult => self.expect = Expect::AfterMember,
            Frame::OtlpScope(ScopeState { scope, first }) => {
                let spans = first..self.ctx.builder.pushed_span_count();
                // The resource the scope's list is in is below that list.
                let below = self.frames.len().checked_sub(2).and_then(|at| self.frames.get_mut(at));
                let Some(Frame::OtlpResource(state)) = below else { return Err(Halt::GiveUp) };
                state.groups.push((scope, spans));
                self.expect = Expect::AfterElement;
            }
            Frame::OtlpResource(state) => {
                place_groups(&mut self.ctx, state)?;
                self.expect = Expect::AfterElement;
            }
            _ => return Err(Halt::GiveUp),
        }
        Ok(())
    }

    /// A member's value that opens a list of `opened` (or is `null`). Returns the bytes read.
    fn open_list(&mut self, opened: Opened, value: &str, complete: bool) -> Result<usize, Halt> {
        if !value.starts_with('[') {
            return self.null_member(value, complete);
        }
        self.frames.push(match opened {
            Opened::Resources => Frame::OtlpResources,
            Opened::Scopes => Frame::OtlpScopes,
            Opened::Spans => Frame::OtlpSpans,
        });
        self.expect = Expect::Element { first: true };
        Ok(1)
    }

    /// A member whose value must be `null` (the lists and objects OTLP allows to be absent).
    fn null_member(&mut self, value: &str, complete: bool) -> Result<usize, Halt> {
        let ((), read) = parse_one::<()>(value, complete)?;
        self.expect = Expect::AfterMember;
        Ok(read)
    }

    /// A member the import does not read.
    fn ignored_member(&mut self, value: &str, complete: bool) -> Result<usize, Halt> {
        let (_, read) = parse_one::<IgnoredAny>(value, complete)?;
        self.expect = Expect::AfterMember;
        Ok(read)
    }
}

/// Gives the spans of a `ResourceSpans` object their resource rows, as `otlp::place_groups` does
/// at the end of the object in the whole-file import.
fn place_groups(ctx: &mut ImportContext, state: ResourceState) -> Result<(), Halt> {
    let resource = match &state.resource {
        Some(text) => parse_text::<Option<Resource>>(text)?,
        None => None,
    };
    let mut groups: Vec<ScopeGroup> = Vec::with_capacity(state.groups.len());
    for (scope, spans) in &state.groups {
        let scope = match scope {
            Some(text) => parse_text::<Option<Scope>>(text)?,
            None => None,
        };
        groups.push((scope, spans.clone()));
    }
    otlp::place_groups(ctx, resource.as_ref(), groups);
    Ok(())
}
