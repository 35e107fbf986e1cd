//! Runtime settings from `config.json` (fetched beside `index.html` at start-up): every key
//! optional, unknown keys ignored, and a file that cannot be read is reported while the defaults
//! are used. Pure parsing; fetching is `io::config`.

use serde::Deserialize;

/// The settings, with the defaults of the UI contract.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Config {
    /// The Jaeger query endpoint(s).
    pub jaeger: JaegerConfig,
    /// Embedding in other pages.
    pub embed: EmbedConfig,
    /// `auto` (follow the system), `light` or `dark`.
    pub theme: ThemeSetting,
    /// Trace files or URLs to open when the address names none (`make run` opens the samples).
    pub open_on_start: Vec<String>,
    /// The span inspector.
    pub inspector: InspectorConfig,
    /// The service dependency graph.
    pub graph: GraphConfig,
}

/// `graph` settings.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct GraphConfig {
    /// Edges whose error rate (errors per call) reaches this are drawn as failing somewhat.
    pub error_rate_warning: f64,
    /// Edges whose error rate reaches this are drawn as failing badly.
    pub error_rate_critical: f64,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self { error_rate_warning: 0.01, error_rate_critical: 0.05 }
    }
}

impl GraphConfig {
    /// How bad an error rate is: 0 fine, 1 at or above the warning, 2 at or above the critical.
    pub fn severity(&self, error_rate: f64) -> u8 {
        if error_rate > 0.0 && error_rate >= self.error_rate_critical {
            2
        } else if error_rate > 0.0 && error_rate >= self.error_rate_warning {
            1
        } else {
            0
        }
    }
}

/// `jaeger` settings.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct JaegerConfig {
    /// Base URL of the query service; empty means the page's own origin and path.
    pub url: String,
    /// Further named endpoints.
    pub endpoints: Vec<NamedEndpoint>,
    /// Default search lookback, e.g. `1h`.
    pub lookback: String,
    /// Default search limit.
    pub limit: u32,
    /// `same-origin` or `include` (cookies for SSO behind an ingress).
    pub credentials: String,
}

impl Default for JaegerConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            endpoints: Vec::new(),
            lookback: "1h".to_owned(),
            limit: 20,
            credentials: "same-origin".to_owned(),
        }
    }
}

/// A named Jaeger endpoint.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct NamedEndpoint {
    /// The name users pick and links carry (`?jaeger=<name>`).
    pub name: String,
    /// The endpoint's base URL.
    pub url: String,
}

/// `embed` settings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct EmbedConfig {
    /// Origins whose messages are accepted (besides the page's own).
    pub allowed_origins: Vec<String>,
}

/// The theme setting.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThemeSetting {
    /// Follow the system until the user chooses.
    #[default]
    Auto,
    /// Always start light.
    Light,
    /// Always start dark.
    Dark,
}

/// `inspector` settings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct InspectorConfig {
    /// Attribute keys starting with one of these are listed first, in this order
    /// (e.g. `["business.", "user."]`).
    pub pinned_attribute_prefixes: Vec<String>,
}

impl Config {
    /// Reads `config.json`'s text; the error says what is wrong and where.
    pub fn parse(text: &str) -> Result<Config, String> {
        serde_json::from_str(text).map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_object_gives_the_defaults() {
        let config = Config::parse("{}").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.jaeger.limit, 20);
        assert_eq!(config.jaeger.lookback, "1h");
        assert_eq!(config.theme, ThemeSetting::Auto);
    }

    #[test]
    fn the_shipped_config_reads() {
        let config = Config::parse(include_str!("../../public/config.json")).unwrap();
        assert_eq!(config.jaeger.credentials, "same-origin");
        assert!(config.open_on_start.is_empty(), "deployments open nothing by themselves");
    }

    #[test]
    fn settings_are_read_and_unknown_keys_ignored() {
        let config = Config::parse(
            r#"{"theme":"dark","openOnStart":["samples/checkout.json"],"future":1,
                "inspector":{"pinnedAttributePrefixes":["business."]},
                "jaeger":{"endpoints":[{"name":"prod-eu","url":"https://jaeger.example/"}]}}"#,
        )
        .unwrap();
        assert_eq!(config.theme, ThemeSetting::Dark);
        assert_eq!(config.open_on_start, ["samples/checkout.json"]);
        assert_eq!(config.inspector.pinned_attribute_prefixes, ["business."]);
        assert_eq!(config.jaeger.endpoints[0].name, "prod-eu");
    }

    #[test]
    fn graph_thresholds_grade_error_rates() {
        let graph = Config::parse(r#"{"graph":{"errorRateWarning":0.02}}"#).unwrap().graph;
        assert_eq!(graph.error_rate_critical, 0.05);
        assert_eq!([0.0, 0.01, 0.02, 0.049, 0.05, 1.0].map(|rate| graph.severity(rate)), [0, 0, 1, 1, 2, 2]);
    }

    #[test]
    fn a_wrong_value_is_reported_with_its_place() {
        let error = Config::parse(r#"{"theme": "purple"}"#).unwrap_err();
        assert!(error.contains("unknown variant `purple`"), "{error}");
        assert!(error.contains("line 1 column"), "{error}");
    }
}
