//! Which Jaeger query services the viewer may contact: the configured `jaeger.url` (empty = the
//! page's own origin and path, so it works under any ingress prefix) and the named
//! `jaeger.endpoints`. A link picks one by name (`?jaeger=prod-eu`); a name that is not
//! configured falls back to the default, so a crafted link can never point the viewer at a
//! server of its choosing.

use crate::core::config::JaegerConfig;

/// The name of the endpoint given by `jaeger.url`.
pub const DEFAULT_NAME: &str = "default";

/// One Jaeger query service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The name users pick and links carry.
    pub name: String,
    /// Base URL; empty means relative to the page.
    pub url: String,
}

/// The endpoints the configuration allows, the default (`jaeger.url`) first.
pub fn endpoints(config: &JaegerConfig) -> Vec<Endpoint> {
    let mut list = vec![Endpoint { name: DEFAULT_NAME.to_owned(), url: config.url.trim().to_owned() }];
    for named in &config.endpoints {
        let name = named.name.trim();
        if name.is_empty() || list.iter().any(|known| known.name == name) {
            continue;
        }
        list.push(Endpoint { name: name.to_owned(), url: named.url.trim().to_owned() });
    }
    list
}

/// The endpoint a link asks for by name: its position in `list`, or the default's (0) with a
/// sentence saying why the requested one is not used.
pub fn choose(list: &[Endpoint], requested: Option<&str>) -> (usize, Option<String>) {
    match requested.map(str::trim).filter(|name| !name.is_empty()) {
        None => (0, None),
        Some(name) => match list.iter().position(|endpoint| endpoint.name == name) {
            Some(index) => (index, None),
            None => (
                0,
                Some(format!(
                    "The link asks for the Jaeger endpoint \"{name}\", which this site does not configure; the \
                     default endpoint is used instead."
                )),
            ),
        },
    }
}

/// The URL of `path` (such as `api/v3/services`) on the endpoint with base `base`. An empty
/// base gives the relative path, which the browser resolves against the page.
pub fn api_url(base: &str, path: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if base.is_empty() {
        path.to_owned()
    } else {
        format!("{base}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::NamedEndpoint;

    fn config() -> JaegerConfig {
        JaegerConfig {
            url: String::new(),
            endpoints: vec![
                NamedEndpoint { name: "prod-eu".into(), url: "https://jaeger.eu.example.com/".into() },
                NamedEndpoint { name: DEFAULT_NAME.into(), url: "https://shadow.example.com".into() },
            ],
            ..JaegerConfig::default()
        }
    }

    #[test]
    fn only_configured_endpoints_are_chosen() {
        let list = endpoints(&config());
        assert_eq!(list.len(), 2, "a named endpoint cannot replace the default");
        assert_eq!(choose(&list, Some("prod-eu")), (1, None));
        assert_eq!(choose(&list, None), (0, None));
        let (index, note) = choose(&list, Some("https://attacker.example"));
        assert_eq!(index, 0);
        assert!(note.unwrap_or_default().contains("does not configure"));
    }

    #[test]
    fn urls_are_relative_to_the_page_unless_configured() {
        assert_eq!(api_url("", "api/services"), "api/services");
        assert_eq!(
            api_url("https://jaeger.eu.example.com/", "api/v3/services"),
            "https://jaeger.eu.example.com/api/v3/services"
        );
        assert_eq!(api_url("/jaeger", "api/services"), "/jaeger/api/services");
    }
}
