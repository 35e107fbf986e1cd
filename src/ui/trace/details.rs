//! `Span details`: everything about the selected span: names, status, times, ids, attributes
//! (typed, long values folded, JSON pretty-printed), resource attributes, events, links and
//! the import warnings that concern it. Trace content is always text, never markup. What the
//! timeline does not draw (attributes, events, links, the status message, the parent id) comes
//! from the engine that keeps the loaded traces (the page's copy has none of it), asked when
//! the selection changes.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::analysis::self_time::self_time_ns;
use crate::core::analysis::span_details::{ShownAttribute, SpanDetails};
use crate::core::engine::protocol::{Answer, Request};
use crate::core::format::{format_count, format_duration};
use crate::core::model::{LinkKind, SpanIdx, StatusCode, TraceSet};
use crate::core::units::DurationNs;
use crate::io::kept_engine::ask;
use crate::ui::show_more::ShownPart;
use crate::ui::state::{Loaded, Selection, Settings};
use crate::ui::time::format_timestamp;
use crate::ui::trace::header::copy_text;

/// Values longer than this are folded behind "show more".
const FOLD_CHARS: usize = 240;
/// An unfolded value shows at most this many characters.
const UNFOLDED_CHARS: usize = 100_000;

/// The panel for the selected span.
#[component]
pub fn SpanDetails() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let answered = RwSignal::new(None::<ForSpan>);
    Effect::new(move |_| {
        let (Some(set), Some(span)) = (loaded.0.get(), selection.span.get()) else { return };
        if span.get() >= set.span_count() {
            return;
        }
        spawn_local(async move {
            let answer = match ask(Request::Details(span)).await {
                Ok(Answer::Details(shown)) => Ok(Arc::new(*shown)),
                Ok(other) => Err(format!("the engine answered {other:?}")),
                Err(why) => Err(why),
            };
            // Only the answer for what is still selected is shown, and only while the panel is
            // (it may have gone with its trace meanwhile).
            let current = loaded.0.try_with_untracked(|now| now.as_ref().is_some_and(|now| Arc::ptr_eq(now, &set)));
            if current == Some(true) && selection.span.try_get_untracked() == Some(Some(span)) {
                answered.try_set(Some(ForSpan { set, span, answer }));
            }
        });
    });
    let body = move || {
        let set = loaded.0.get()?;
        let span = selection.span.get()?;
        let shown = answered.with(|shown| {
            shown
                .as_ref()
                .filter(|shown| shown.span == span && Arc::ptr_eq(&shown.set, &set))
                .map(|shown| shown.answer.clone())
        });
        (span.get() < set.span_count()).then(|| details(&set, span, selection, shown))
    };
    view! {
        <aside class="span-details" role="region" aria-label="Span details">
            {move || body().unwrap_or_else(|| view! { <p class="hint">"Select a span to see its details."</p> }.into_any())}
        </aside>
    }
}

/// The engine's details of a span of a set, or why they could not be had.
struct ForSpan {
    set: Arc<TraceSet>,
    span: SpanIdx,
    answer: Result<Arc<SpanDetails>, String>,
}

/// The engine's details as they stand: not here yet, here, or why they are not.
type Shown = Option<Result<Arc<SpanDetails>, String>>;

fn details(set: &Arc<TraceSet>, span: SpanIdx, selection: Selection, shown: Shown) -> AnyView {
    let spans = &set.spans;
    let i = span.get();
    let trace = spans.trace[i];
    let trace_start = set.traces.start_ns[trace.get()];
    let answer = shown.as_ref().and_then(|shown| shown.as_ref().ok()).cloned();
    let status = match spans.status[i] {
        StatusCode::Unset => "unset".to_owned(),
        StatusCode::Ok => "ok".to_owned(),
        StatusCode::Error => match answer.as_ref().map(|answer| answer.status_message.as_str()) {
            None | Some("") => "error".to_owned(),
            Some(message) => format!("error: {message}"),
        },
    };
    let kind = spans.kind[i].as_tag().unwrap_or("unspecified");
    let span_id = spans.span_id[i].to_hex();
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
    let caller = answer.as_ref().and_then(|answer| answer.caller.as_ref()).map(|caller| {
        format!(
            "{} waited {} from +{}",
            caller.service,
            format_duration(DurationNs(caller.duration_ns)),
            format_duration(DurationNs(caller.start_ns - trace_start))
        )
    });
    let parent_id = answer.as_ref().and_then(|answer| answer.parent_id).map(|id| id.to_hex());
    let table = |rows: Option<&[ShownAttribute]>, label: &'static str| answered_table(&shown, rows, label);
    // The events' times are the page's (the timeline's ticks); their names and attributes come
    // with the engine's answer. A span may have thousands: they are shown a part at a time.
    let event_rows = spans.events[i].as_range();
    let event_rows = event_rows.start.min(set.events.len())..event_rows.end.min(set.events.len());
    let event_part = ShownPart::new(event_rows.len());
    let event = {
        let (set, answer, shown) = (Arc::clone(set), answer.clone(), shown.clone());
        move |nth: usize| {
            let time_ns = set.events.time_ns.get(event_rows.start + nth).copied().unwrap_or(trace_start);
            let at = format!("+{}", format_duration(DurationNs(time_ns - trace_start)));
            let shown_event = answer.as_ref().and_then(|answer| answer.events.get(nth));
            let name = match shown_event.map(|event| event.name.as_str()) {
                Some("") => "log".to_owned(),
                Some(name) => name.to_owned(),
                None => String::new(),
            };
            view! {
                <li class="event">
                    <span class="event-time">{at}</span>
                    " "
                    <span class="event-name">{name}</span>
                    {answered_table(&shown, shown_event.map(|event| event.attributes.as_slice()), "Event attributes")}
                </li>
            }
        }
    };
    // A batch's span may link to every message of the batch: shown a part at a time too.
    let link_count = answer.as_ref().map_or(0, |answer| answer.links.len());
    let link_part = ShownPart::new(link_count);
    let link = {
        let (set, answer) = (Arc::clone(set), answer.clone());
        move |nth: usize| {
            let link = answer.as_ref().and_then(|answer| answer.links.get(nth))?;
            let kind = match link.kind {
                LinkKind::Link => "link",
                LinkKind::FollowsFrom => "follows from",
                LinkKind::ChildOf => "child of",
            };
            let text = format!("{kind} {} / {}", link.trace_id.to_short_hex(), link.span_id);
            let target = match link.target.filter(|target| target.get() < set.span_count()) {
                Some(target) => {
                    let target_trace = set.spans.trace[target.get()];
                    view! {
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
                    }
                    .into_any()
                }
                None => view! { <span>{text} " (not loaded)"</span> }.into_any(),
            };
            let attributes =
                (!link.attributes.is_empty()).then(|| attribute_table(&link.attributes, "Link attributes"));
            Some(view! { <li class="link">{target}{attributes}</li> })
        }
    };
    let warnings: Arc<Vec<String>> = Arc::new(
        set.trace_warnings(trace)
            .iter()
            .filter(|warning| warning.span == Some(span))
            .map(|warning| warning.message.clone())
            .collect(),
    );
    let warning_part = ShownPart::new(warnings.len());
    let warning = {
        let warnings = Arc::clone(&warnings);
        move |nth: usize| view! { <li>{warnings.get(nth).cloned()}</li> }
    };
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
        {table(answer.as_ref().map(|shown| shown.span.as_slice()), "Attributes")}
        <h3>"Resource"</h3>
        {table(answer.as_ref().map(|shown| shown.resource.as_slice()), "Resource attributes")}
        {(!event_rows.is_empty()).then(|| view! {
            <h3>"Events"</h3>
            <ul class="events">{event_part.items(event)}</ul>
            {event_part.button("event", "events")}
        })}
        {(link_count > 0).then(|| view! {
            <h3>"Links"</h3>
            <ul class="links">{link_part.items(link)}</ul>
            {link_part.button("link", "links")}
        })}
        {(!warnings.is_empty()).then(|| view! {
            <h3>"Import warnings"</h3>
            <ul class="span-warnings">{warning_part.items(warning)}</ul>
            {warning_part.button("warning", "warnings")}
        })}
    }
    .into_any()
}

/// The attributes of an answer from the engine: "Loading…" until it comes, why not if it
/// could not, else their table.
fn answered_table(shown: &Shown, rows: Option<&[ShownAttribute]>, label: &'static str) -> AnyView {
    match (shown, rows) {
        (None, _) => view! { <p class="none" aria-busy="true">"Loading…"</p> }.into_any(),
        (Some(Err(why)), _) => view! { <p class="none">{format!("Not available: {why}")}</p> }.into_any(),
        (Some(Ok(_)), rows) => attribute_table(rows.unwrap_or_default(), label),
    }
}

/// A `table` of key/value rows; values as text. Keys with a pinned prefix come first; a long
/// table shows its rows a part at a time.
fn attribute_table(rows: &[ShownAttribute], label: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="none">"None"</p> }.into_any();
    }
    let pinned = use_context::<Settings>()
        .map(|settings| settings.0.get_untracked().inspector.pinned_attribute_prefixes.clone())
        .unwrap_or_default();
    let mut ordered: Vec<&ShownAttribute> = rows.iter().collect();
    // Keys with a pinned prefix first, in the prefixes' order; the rest as written.
    ordered.sort_by_key(|row| {
        pinned.iter().position(|prefix| row.key.starts_with(prefix.as_str())).unwrap_or(pinned.len())
    });
    let ordered: Arc<Vec<ShownAttribute>> = Arc::new(ordered.into_iter().cloned().collect());
    let part = ShownPart::new(ordered.len());
    let row = move |nth: usize| {
        ordered.get(nth).map(|row| {
            view! {
                <tr>
                    <th scope="row">{row.key.clone()}</th>
                    <td class=format!("value value-{}", row.kind.name())>{folded(row.text.clone())}</td>
                </tr>
            }
        })
    };
    view! {
        <table class="attributes" aria-label=label><tbody>{part.items(row)}</tbody></table>
        {part.button("attribute", "attributes")}
    }
    .into_any()
}

/// Long values show their start and a "show more" toggle; unfolded, a value of more than
/// [`UNFOLDED_CHARS`] shows that many (laying out megabytes of text held the page for seconds)
/// and copies whole.
fn folded(text: String) -> AnyView {
    let length = text.chars().count();
    if length <= FOLD_CHARS {
        return view! { <span class="value-text">{text}</span> }.into_any();
    }
    let short: String = text.chars().take(FOLD_CHARS).collect();
    let cut = (length > UNFOLDED_CHARS).then(|| {
        let note = format!(
            "The first {} of {} characters are shown. ",
            format_count(UNFOLDED_CHARS),
            format_count(length)
        );
        let whole = text.clone();
        view! {
            <p class="value-cut">
                {note}
                <button type="button" class="link-button" on:click=move |_| copy_text(&whole)>"Copy the whole value"</button>
            </p>
        }
    });
    let unfolded: String = if cut.is_some() { text.chars().take(UNFOLDED_CHARS).collect() } else { text };
    view! {
        <details class="long-value">
            <summary>{short} "… show more"</summary>
            <pre class="value-text">{unfolded}</pre>
            {cut}
        </details>
    }
    .into_any()
}
