//! `Span details`: everything about the selected span: names, status, times, ids, attributes
//! (typed, long values folded, JSON pretty-printed), resource attributes, events, links and
//! the import warnings that concern it. Trace content is always text, never markup.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use leptos::prelude::*;

use crate::core::analysis::self_time::self_time_ns;
use crate::core::format::format_duration;
use crate::core::model::{AttrValue, LinkKind, RowRange, SpanIdx, StatusCode, StrIdx, TraceSet};
use crate::core::units::DurationNs;
use crate::ui::state::{Loaded, Selection, Settings};
use crate::ui::time::format_timestamp;
use crate::ui::trace::header::copy_text;

/// Values longer than this are folded behind "show more".
const FOLD_CHARS: usize = 240;

/// The panel for the selected span.
#[component]
pub fn SpanDetails() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let body = move || {
        let set = loaded.0.get()?;
        let span = selection.span.get()?;
        (span.get() < set.span_count()).then(|| details(&set, span, selection))
    };
    view! {
        <aside class="span-details" role="region" aria-label="Span details">
            {move || body().unwrap_or_else(|| view! { <p class="hint">"Select a span to see its details."</p> }.into_any())}
        </aside>
    }
}

fn details(set: &TraceSet, span: SpanIdx, selection: Selection) -> AnyView {
    let spans = &set.spans;
    let i = span.get();
    let trace = spans.trace[i];
    let trace_start = set.traces.start_ns[trace.get()];
    let status = match spans.status[i] {
        StatusCode::Unset => "unset".to_owned(),
        StatusCode::Ok => "ok".to_owned(),
        StatusCode::Error => match set.str(spans.status_message[i]) {
            "" => "error".to_owned(),
            message => format!("error: {message}"),
        },
    };
    let kind = spans.kind[i].as_tag().unwrap_or("unspecified");
    let span_id = spans.span_id[i].to_hex();
    let parent_id = spans.parent_id[i].map(|id| id.to_hex());
    let facts: Vec<(&str, String)> = vec![
        ("Service", set.str(spans.service[i]).to_owned()),
        ("Kind", kind.to_owned()),
        ("Status", status),
        (
            "Start",
            format!(
                "{} (+{})",
                format_timestamp(spans.start_ns[i]),
                format_duration(DurationNs(spans.start_ns[i] - trace_start))
            ),
        ),
        ("Duration", format_duration(DurationNs(spans.duration_ns[i]))),
        ("Self time", format_duration(DurationNs(self_time_ns(set, span)))),
    ];
    let caller = spans.caller(span).map(|caller| {
        format!(
            "{} waited {} from +{}",
            set.str(caller.service),
            format_duration(DurationNs(caller.duration_ns)),
            format_duration(DurationNs(caller.start_ns - trace_start))
        )
    });
    let resource = spans.resource[i];
    let resource_attrs = set.resources.attrs.get(resource.get()).copied().unwrap_or_default();
    let events: Vec<AnyView> = spans.events[i]
        .as_range()
        .map(|event| {
            let name = set.str(set.events.name[event]).to_owned();
            let at = format!("+{}", format_duration(DurationNs(set.events.time_ns[event] - trace_start)));
            view! {
                <li class="event">
                    <span class="event-time">{at}</span>
                    " "
                    <span class="event-name">{if name.is_empty() { "log".to_owned() } else { name }}</span>
                    {attribute_table(set, set.events.attrs[event], "Event attributes")}
                </li>
            }
            .into_any()
        })
        .collect();
    let links: Vec<AnyView> = spans.links[i]
        .as_range()
        .map(|link| {
            let kind = match set.links.kind[link] {
                LinkKind::Link => "link",
                LinkKind::FollowsFrom => "follows from",
                LinkKind::ChildOf => "child of",
            };
            let text = format!("{kind} {} / {}", set.links.trace_id[link].to_short_hex(), set.links.span_id[link]);
            match set.links.target[link] {
                Some(target) => {
                    let target_trace = set.spans.trace[target.get()];
                    view! {
                        <li>
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| {
                                    selection.trace.set(Some(target_trace));
                                    selection.span.set(Some(target));
                                }
                            >
                                {text}
                            </button>
                        </li>
                    }
                    .into_any()
                }
                None => view! { <li>{text} " (not loaded)"</li> }.into_any(),
            }
        })
        .collect();
    let warnings: Vec<String> = set
        .trace_warnings(trace)
        .iter()
        .filter(|warning| warning.span == Some(span))
        .map(|warning| warning.message.clone())
        .collect();
    let copy_span = span_id.clone();
    let copy_parent = parent_id.clone();
    view! {
        <h2 class="details-title">{set.str(spans.operation[i]).to_owned()}</h2>
        <dl class="details-facts">
            {facts.into_iter().map(|(name, value)| view! { <div><dt>{name}</dt><dd>{value}</dd></div> }).collect_view()}
            {caller.map(|text| view! { <div><dt>"Caller view"</dt><dd>{text}</dd></div> })}
            <div>
                <dt>"Span id"</dt>
                <dd>
                    <code>{span_id}</code>
                    <button type="button" class="link-button" aria-label="Copy span id" on:click=move |_| copy_text(&copy_span)>
                        "Copy"
                    </button>
                </dd>
            </div>
            {parent_id.map(|parent| view! {
                <div>
                    <dt>"Parent id"</dt>
                    <dd>
                        <code>{parent}</code>
                        <button
                            type="button"
                            class="link-button"
                            aria-label="Copy parent id"
                            on:click=move |_| copy_text(copy_parent.as_deref().unwrap_or_default())
                        >
                            "Copy"
                        </button>
                    </dd>
                </div>
            })}
        </dl>
        <h3>"Attributes"</h3>
        {attribute_table(set, spans.attrs[i], "Attributes")}
        <h3>"Resource"</h3>
        {attribute_table(set, resource_attrs, "Resource attributes")}
        {(!events.is_empty()).then(|| view! { <h3>"Events"</h3><ul class="events">{events}</ul> })}
        {(!links.is_empty()).then(|| view! { <h3>"Links"</h3><ul class="links">{links}</ul> })}
        {(!warnings.is_empty()).then(|| view! {
            <h3>"Import warnings"</h3>
            <ul class="span-warnings">{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
        })}
    }
    .into_any()
}

/// A `table` of key/value rows; values as text.
fn attribute_table(set: &TraceSet, rows: RowRange, label: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="none">"None"</p> }.into_any();
    }
    let pinned = use_context::<Settings>()
        .map(|settings| settings.0.get_untracked().inspector.pinned_attribute_prefixes.clone())
        .unwrap_or_default();
    let mut ordered: Vec<(StrIdx, &AttrValue)> = set.attrs.rows(rows).collect();
    // Keys with a pinned prefix first, in the prefixes' order; the rest as written.
    ordered.sort_by_key(|(key, _)| {
        let key = set.str(*key);
        pinned.iter().position(|prefix| key.starts_with(prefix.as_str())).unwrap_or(pinned.len())
    });
    let body = ordered
        .into_iter()
        .map(|(key, value)| {
            let text = value_text(set, value);
            let kind = value_kind(value);
            view! {
                <tr>
                    <th scope="row">{set.str(key).to_owned()}</th>
                    <td class=format!("value value-{kind}")>{folded(text)}</td>
                </tr>
            }
        })
        .collect_view();
    view! { <table class="attributes" aria-label=label><tbody>{body}</tbody></table> }.into_any()
}

/// Long values show their start and a "show more" toggle.
fn folded(text: String) -> AnyView {
    if text.chars().count() <= FOLD_CHARS {
        return view! { <span class="value-text">{text}</span> }.into_any();
    }
    let short: String = text.chars().take(FOLD_CHARS).collect();
    view! {
        <details class="long-value">
            <summary>{short} "… show more"</summary>
            <pre class="value-text">{text}</pre>
        </details>
    }
    .into_any()
}

fn value_kind(value: &AttrValue) -> &'static str {
    match value {
        AttrValue::Str(_) => "string",
        AttrValue::Bool(_) => "bool",
        AttrValue::Int(_) => "int",
        AttrValue::Double(_) => "double",
        AttrValue::Bytes(_) => "bytes",
        AttrValue::Array(_) => "array",
        AttrValue::KvList(_) => "map",
    }
}

/// A value as text; strings that hold JSON objects or arrays are pretty-printed.
pub fn value_text(set: &TraceSet, value: &AttrValue) -> String {
    match value {
        AttrValue::Str(text) => {
            let text = set.str(*text);
            let trimmed = text.trim_start();
            if trimmed.starts_with('{') || trimmed.starts_with('[') {
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
                    if let Ok(pretty) = serde_json::to_string_pretty(&json) {
                        return pretty;
                    }
                }
            }
            text.to_owned()
        }
        AttrValue::Bool(flag) => flag.to_string(),
        AttrValue::Int(number) => number.to_string(),
        AttrValue::Double(number) => number.to_string(),
        AttrValue::Bytes(bytes) => STANDARD.encode(bytes.as_slice()),
        AttrValue::Array(items) => {
            format!("[{}]", items.iter().map(|item| value_text(set, item)).collect::<Vec<_>>().join(", "))
        }
        AttrValue::KvList(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(key, item)| format!("{}: {}", set.str(*key), value_text(set, item)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
