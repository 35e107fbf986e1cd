//! The header bar: the product name and the theme toggle.

use leptos::prelude::*;

use crate::ui::theme::{toggle_theme, Theme, ThemeContext};

/// The header with the product name and the theme toggle. Needs [`ThemeContext`].
#[component]
pub fn Header() -> impl IntoView {
    let theme = expect_context::<ThemeContext>();
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
            <div class="header-actions">
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
