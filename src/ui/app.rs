//! The application root: provides the shared state and lays out the shell.

use leptos::prelude::*;

use crate::ui::shell::{EmptyState, Header};
use crate::ui::theme::provide_theme;

/// The whole application: the header and, until traces are loaded, the empty state.
#[component]
pub fn App() -> impl IntoView {
    provide_theme();
    view! {
        <div class="app">
            <Header/>
            <main class="app-main" id="main">
                <EmptyState/>
            </main>
        </div>
    }
}
