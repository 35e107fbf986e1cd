//! The header bar: the product name, the pages (traces, Jaeger search, dependencies), the
//! Jaeger endpoint in use, opening a trace by id or from files, and the theme toggle.

use leptos::prelude::*;

use crate::ui::jaeger::{EndpointPicker, TraceIdBox};
use crate::ui::load::FilePicker;
use crate::ui::state::{CurrentPage, Loaded, Page};
use crate::ui::theme::{toggle_theme, Theme, ThemeContext};
use crate::ui::time::{toggle_time_zone, TimeZone};

/// The header with the product name, the pages, the Jaeger endpoint and trace id box, the file
/// picker and the theme toggle. Needs [`ThemeContext`] and the loading state.
#[component]
pub fn Header() -> impl IntoView {
    let theme = expect_context::<ThemeContext>();
    let loaded = expect_context::<Loaded>();
    let zone = expect_context::<TimeZone>();
    let page = expect_context::<CurrentPage>();
    let nav_item = move |target: Page, text: &'static str| {
        view! {
            <button
                type="button"
                class="nav-link"
                aria-current=move || (page.0.get() == target).then_some("page")
                on:click=move |_| page.0.set(target)
            >
                {text}
            </button>
        }
    };
    let label = move || match theme.0.get() {
        Theme::Light => "Switch to dark theme",
        Theme::Dark => "Switch to light theme",
    };
    let icon = move || match theme.0.get() {
        Theme::Light => "☾",
        Theme::Dark => "☀",
    };
    view! {
        <header class="app-header">
            <a class="brand" href="./" aria-label="Traceglass home">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"Traceglass"</span>
            </a>
            <nav class="app-nav" aria-label="Pages">
                {nav_item(Page::Traces, "Traces")}
                {nav_item(Page::Search, "Search")}
                {nav_item(Page::Dependencies, "Dependencies")}
            </nav>
            <div class="header-actions">
                <EndpointPicker/>
                <TraceIdBox/>
                // One file picker at a time: the empty state has its own.
                <Show when=move || loaded.0.with(|set| set.as_ref().is_some_and(|set| set.trace_count() > 0))>
                    <FilePicker label="Open…"/>
                </Show>
                <button
                    type="button"
                    class="text-button"
                    aria-pressed=move || zone.0.get().to_string()
                    title="Show times in UTC instead of your time zone"
                    on:click=move |_| toggle_time_zone(zone)
                >
                    "UTC"
                </button>
                <button
                    type="button"
                    class="icon-button theme-toggle"
                    aria-label=label
                    title=label
                    on:click=move |_| toggle_theme(theme)
                >
                    <span aria-hidden="true">{icon}</span>
                </button>
            </div>
        </header>
    }
}
