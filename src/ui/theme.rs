//! The light and dark themes: follows the system until the user chooses, then remembers the
//! choice.
//!
//! The theme is applied as `data-theme` on the root element; the colours themselves are CSS
//! variables in `style/tokens.css`. Attributes, not inline styles, so a strict
//! Content-Security-Policy holds.

use leptos::prelude::*;

use crate::core::config::ThemeSetting;
use crate::io::prefs;

/// One of the two colour themes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl Theme {
    /// The name used in storage, in `data-theme` and in `config.json` / `uiTheme`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads `light` or `dark`; anything else is no theme.
    pub fn parse(text: &str) -> Option<Theme> {
        match text {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// The other theme.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// The theme in force, shared through context.
#[derive(Clone, Copy)]
pub struct ThemeContext(pub RwSignal<Theme>);

/// Provides [`ThemeContext`], starting from the remembered choice or else the system's, and
/// keeps the root element's `data-theme` in step with it.
pub fn provide_theme() -> ThemeContext {
    let initial = prefs::read(prefs::THEME_KEY).as_deref().and_then(Theme::parse).unwrap_or_else(|| {
        if prefs::system_prefers_dark() {
            Theme::Dark
        } else {
            Theme::Light
        }
    });
    let theme = RwSignal::new(initial);
    Effect::new(move |_| {
        let name = theme.get().as_str();
        if let Some(root) = document().document_element() {
            // Setting an attribute on <html> cannot fail for a valid name.
            let _ = root.set_attribute("data-theme", name);
        }
    });
    let context = ThemeContext(theme);
    provide_context(context);
    context
}

/// Applies `config.json`'s theme when the user has not chosen one (`auto` keeps the system's).
pub fn apply_theme_setting(context: ThemeContext, setting: ThemeSetting) {
    if prefs::read(prefs::THEME_KEY).as_deref().and_then(Theme::parse).is_some() {
        return;
    }
    match setting {
        ThemeSetting::Auto => {}
        ThemeSetting::Light => context.0.set(Theme::Light),
        ThemeSetting::Dark => context.0.set(Theme::Dark),
    }
}

/// Switches to the other theme and remembers the choice.
pub fn toggle_theme(context: ThemeContext) {
    let next = context.0.get_untracked().toggled();
    prefs::write(prefs::THEME_KEY, next.as_str());
    context.0.set(next);
}
