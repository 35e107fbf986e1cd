//! Embedding in a portal's iframe: the address parameters that trim the page (Traceglass's own
//! `embed=1` and Jaeger UI's `uiEmbed=v0` family, so a portal can swap viewers without changing
//! its links), who may send the page messages, and where the page's own messages go.
//!
//! Pure: the browser side lives in `io::embed` and `ui::embed`.

/// What the address asks of an embedded page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// `embed=1` or `uiEmbed=v0`: no application header or navigation, only the trace or graph.
    pub embedded: bool,
    /// `uiTimelineCollapseTitle=1`: the trace's title bar without its summary line.
    pub collapse_title: bool,
    /// `uiTimelineHideMinimap=1`: no minimap above the timeline.
    pub hide_minimap: bool,
    /// `uiTimelineHideSummary=1`: no summary figures (services, depth, spans, errors).
    pub hide_summary: bool,
    /// `uiTheme=light|dark`: the theme, over the stored choice and `config.json`.
    pub theme: Option<String>,
}

impl EmbedOptions {
    /// Reads the options from the address through `param` (the first value of a parameter).
    pub fn from_query(param: impl Fn(&str) -> Option<String>) -> Self {
        let on = |name: &str| param(name).is_some_and(|value| matches!(value.trim(), "1" | "true"));
        Self {
            embedded: on("embed") || param("uiEmbed").is_some_and(|value| value.trim() == "v0"),
            collapse_title: on("uiTimelineCollapseTitle"),
            hide_minimap: on("uiTimelineHideMinimap"),
            hide_summary: on("uiTimelineHideSummary"),
            theme: param("uiTheme").map(|value| value.trim().to_ascii_lowercase()).filter(|value| {
                // Jaeger UI's values; anything else leaves the theme alone.
                value == "light" || value == "dark"
            }),
        }
    }
}

/// The prefix of every message type the page sends or takes.
pub const MESSAGE_PREFIX: &str = "traceglass:";

/// Whether a message from `origin` may drive the page: its own origin, or one `config.json`
/// lists in `embed.allowedOrigins` (compared without a trailing slash, case-insensitively).
/// `null` (sandboxed or file pages) and `*` never match.
pub fn origin_allowed(origin: &str, own: &str, allowed: &[String]) -> bool {
    let origin = normalize(origin);
    if origin.is_empty() || origin == "null" || origin == "*" {
        return false;
    }
    origin == normalize(own) || allowed.iter().any(|entry| normalize(entry) == origin)
}

/// Where the page's messages to its parent go before the parent has spoken: the embedding
/// page's origin (from the referrer) when it is allowed, else the one allowed origin when there
/// is exactly one, else the page's own origin. Never `*`: the messages carry trace data.
pub fn parent_origin(referrer: &str, own: &str, allowed: &[String]) -> String {
    let from_referrer = origin_of(referrer);
    if let Some(origin) = from_referrer.filter(|origin| origin_allowed(origin, own, allowed)) {
        return origin;
    }
    match allowed {
        [only] if origin_allowed(only, own, allowed) => normalize(only),
        _ => normalize(own),
    }
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().filter(|host| !host.is_empty())?;
    Some(format!("{}://{}", scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
    }

    #[test]
    fn jaeger_ui_parameters_mean_what_they_mean_there() {
        let options = EmbedOptions::from_query(query(&[
            ("uiEmbed", "v0"),
            ("uiTimelineCollapseTitle", "1"),
            ("uiTimelineHideMinimap", "1"),
            ("uiTheme", "Dark"),
        ]));
        assert_eq!(
            options,
            EmbedOptions {
                embedded: true,
                collapse_title: true,
                hide_minimap: true,
                hide_summary: false,
                theme: Some("dark".to_owned())
            }
        );
        assert!(EmbedOptions::from_query(query(&[("embed", "1")])).embedded);
        assert!(!EmbedOptions::from_query(query(&[("embed", "0"), ("uiEmbed", "v1")])).embedded);
        assert_eq!(EmbedOptions::from_query(query(&[("uiTheme", "neon")])).theme, None);
        assert_eq!(EmbedOptions::from_query(query(&[])), EmbedOptions::default());
    }

    #[test]
    fn only_the_own_and_listed_origins_may_drive_the_page() {
        let allowed = vec!["https://portal.example.com/".to_owned()];
        let own = "https://traces.example.com";
        assert!(origin_allowed("https://traces.example.com", own, &allowed));
        assert!(origin_allowed("https://PORTAL.example.com", own, &allowed));
        assert!(!origin_allowed("https://evil.example.com", own, &allowed));
        assert!(!origin_allowed("http://portal.example.com", own, &allowed));
        assert!(!origin_allowed("null", own, &allowed));
        assert!(!origin_allowed("*", own, &["*".to_owned()]));
        assert!(!origin_allowed("", own, &allowed));
    }

    #[test]
    fn messages_go_to_the_embedder_only_when_it_is_allowed() {
        let own = "https://traces.example.com";
        let allowed = vec!["https://portal.example.com".to_owned(), "https://wiki.example.com".to_owned()];
        assert_eq!(parent_origin("https://wiki.example.com/page?x=1", own, &allowed), "https://wiki.example.com");
        // An embedder that is not listed hears nothing meant for it.
        assert_eq!(parent_origin("https://evil.example.com/", own, &allowed), own);
        assert_eq!(parent_origin("", own, &allowed[..1]), "https://portal.example.com");
        assert_eq!(parent_origin("", own, &allowed), own);
        assert_eq!(parent_origin("file:///tmp/x.html", own, &[]), own);
    }
}
