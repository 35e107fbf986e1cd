//! The page inside a portal's iframe: the trimmed views the address asks for (`embed=1`, Jaeger
//! UI's `uiEmbed=v0` family) and the `traceglass:` messages of the UI contract. A parent page
//! from an allowed origin can load traces, select a span and set the theme; the viewer tells it
//! when it is ready, what loaded, what failed, which span is selected and how tall it is.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::embed::{origin_allowed, parent_origin, EmbedOptions};
use crate::core::model::{SpanId, TraceId};
use crate::io::embed::{has_parent, listen, own_origin, post_to_parent, referrer, watch_height, Inbound, Outbound};
use crate::io::url_state::query_value;
use crate::ui::load::{load_files, load_urls};
use crate::ui::state::{with_app_owner, Loaded, Notices, Selection};
use crate::ui::theme::{Theme, ThemeContext};

/// The embedding options of this page, shared through context.
#[derive(Clone, Debug, Default)]
pub struct Embed(pub Arc<EmbedOptions>);

/// Reads the embedding options from the address and applies `uiTheme` (call after the theme is
/// provided).
pub fn provide_embed() {
    let options = EmbedOptions::from_query(query_value);
    if let (Some(theme), Some(context)) =
        (options.theme.as_deref().and_then(Theme::parse), use_context::<ThemeContext>())
    {
        context.0.set(theme);
    }
    provide_context(Embed(Arc::new(options)));
}

/// The options in force (none outside the application, as in component tests).
pub fn embed_options() -> Arc<EmbedOptions> {
    use_context::<Embed>().map(|embed| embed.0).unwrap_or_default()
}

/// Starts taking messages from the page's own origin and `allowed_origins`, and, inside a
/// frame, tells the parent what happens. Call once, when `config.json` has been read.
pub fn start_messages(allowed_origins: Vec<String>) {
    let own = own_origin();
    let target = StoredValue::new(parent_origin(&referrer(), &own, &allowed_origins));
    let notices = expect_context::<Notices>();
    listen(move |origin, read| {
        if !origin_allowed(&origin, &own, &allowed_origins) {
            return; // Not a page we take orders from.
        }
        // Whoever may drive the page hears back.
        target.set_value(origin);
        with_app_owner(|| match read {
            Ok(request) => handle(request),
            Err(why) => notices.alerts.update(|list| list.push(format!("An embedding message was refused: {why}"))),
        });
    });
    if !has_parent() {
        return;
    }
    let tell = move |message: Outbound| post_to_parent(&message, &target.get_value());
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    Effect::new(move |_| {
        if let Some(set) = loaded.0.get().filter(|set| set.trace_count() > 0) {
            tell(Outbound::Loaded { traces: set.trace_count(), spans: set.span_count() });
        }
    });
    Effect::new(move |_| {
        let span = selection.span.get()?;
        let set = loaded.0.get_untracked()?;
        let trace = set.traces.trace_id.get(set.spans.trace.get(span.get())?.get())?;
        let span_id = set.spans.span_id.get(span.get())?;
        tell(Outbound::SpanSelected { trace_id: trace.to_hex(), span_id: span_id.to_hex() });
        Some(())
    });
    Effect::new(move |told: Option<Vec<String>>| {
        let alerts = notices.alerts.get();
        let told = told.unwrap_or_default();
        for message in alerts.iter().filter(|message| !told.contains(message)) {
            tell(Outbound::Error { message: message.clone() });
        }
        alerts
    });
    let mut last_height = 0.0;
    watch_height(move |height| {
        if height > 0.0 && (height - last_height).abs() >= 1.0 {
            last_height = height;
            tell(Outbound::Resize { height });
        }
    });
    tell(Outbound::Ready);
}

/// Does what an allowed parent asked.
fn handle(request: Inbound) {
    let notices = expect_context::<Notices>();
    let refuse = move |why: String| notices.alerts.update(|list| list.push(why));
    match request {
        Inbound::Load { name, text } => {
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
            match web_sys::File::new_with_str_sequence(&parts, &name) {
                Ok(file) => load_files(vec![file]),
                Err(_) => refuse(format!("{name} could not be opened: the browser refused to hold its text")),
            }
        }
        Inbound::LoadUrl { url } => load_urls(vec![url]),
        Inbound::SelectSpan { trace_id, span_id } => {
            if let Err(why) = select_span(&trace_id, &span_id) {
                refuse(why);
            }
        }
        Inbound::SetTheme { theme } => match Theme::parse(theme.trim()) {
            Some(theme) => expect_context::<ThemeContext>().0.set(theme),
            None => refuse(format!("Unknown theme \"{theme}\" (light or dark)")),
        },
    }
}

/// Opens the trace `trace_id` (hex) and selects its span `span_id` (hex).
fn select_span(trace_id: &str, span_id: &str) -> Result<(), String> {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let trace = TraceId::from_hex(trace_id).ok_or_else(|| format!("\"{trace_id}\" is not a trace id"))?;
    let span = SpanId::from_hex(span_id).ok_or_else(|| format!("\"{span_id}\" is not a span id"))?;
    let set =
        loaded.0.get_untracked().ok_or_else(|| format!("Span {span_id} cannot be selected: nothing is loaded"))?;
    let index = set.trace_of_id(trace).ok_or_else(|| format!("Trace {trace_id} is not loaded"))?;
    let row = set.span_of_id(index, span).ok_or_else(|| format!("Trace {trace_id} has no span {span_id}"))?;
    if selection.trace.get_untracked() != Some(index) {
        selection.open_trace(index);
    }
    selection.reveal_span(&set, row);
    Ok(())
}
