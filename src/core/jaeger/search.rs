//! The search form as data: what the user typed (kept in the page address, so a search can be
//! shared and reloaded), checked into a [`Search`] that the request builders turn into URLs.
//!
//! The address uses Jaeger UI's parameter names (`service`, `operation`, `tags`, `lookback`,
//! `start`, `end` in µs, `minDuration`, `maxDuration`, `limit`), so Jaeger UI search links open
//! here too; `tags` may be logfmt or Jaeger UI's JSON map.

use crate::core::config::JaegerConfig;
use crate::core::jaeger::durations::{format_go_duration, parse_go_duration};
use crate::core::jaeger::logfmt::{format_logfmt, parse_logfmt};
use crate::core::units::NS_PER_US;

/// The lookback choices: (value in the address, label).
pub const LOOKBACKS: [(&str, &str); 11] = [
    ("5m", "Last 5 minutes"),
    ("15m", "Last 15 minutes"),
    ("30m", "Last 30 minutes"),
    ("1h", "Last hour"),
    ("2h", "Last 2 hours"),
    ("3h", "Last 3 hours"),
    ("6h", "Last 6 hours"),
    ("12h", "Last 12 hours"),
    ("24h", "Last 24 hours"),
    ("2d", "Last 2 days"),
    (CUSTOM, "Custom range"),
];

/// The lookback value that means "use `start` and `end`".
pub const CUSTOM: &str = "custom";

/// The most traces one search asks for.
pub const MAX_LIMIT: u32 = 1500;

/// The search form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchForm {
    /// Service name (required to search).
    pub service: String,
    /// Operation name; empty means all.
    pub operation: String,
    /// Tags in logfmt.
    pub tags: String,
    /// A lookback from [`LOOKBACKS`], or [`CUSTOM`].
    pub lookback: String,
    /// Custom range start, µs since the epoch.
    pub start_us: Option<i64>,
    /// Custom range end, µs since the epoch.
    pub end_us: Option<i64>,
    /// Go duration, e.g. `100ms`; empty for none.
    pub min_duration: String,
    /// Go duration; empty for none.
    pub max_duration: String,
    /// How many traces, as typed.
    pub limit: String,
}

/// A checked search, ready to become a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Search {
    /// Service name.
    pub service: String,
    /// Operation name, if one was chosen.
    pub operation: Option<String>,
    /// Tags to match, in written order.
    pub tags: Vec<(String, String)>,
    /// Window start, µs since the epoch.
    pub start_us: i64,
    /// Window end, µs since the epoch.
    pub end_us: i64,
    /// Minimum duration as a Go duration.
    pub min_duration: Option<String>,
    /// Maximum duration as a Go duration.
    pub max_duration: Option<String>,
    /// How many traces at most.
    pub limit: u32,
}

impl SearchForm {
    /// The form the address describes (`get` reads one query parameter), with the configured
    /// lookback and limit where the address says nothing.
    pub fn from_params(get: impl Fn(&str) -> Option<String>, config: &JaegerConfig) -> Self {
        let text = |name: &str| get(name).unwrap_or_default();
        let tags = match get("tags") {
            Some(tags) if tags.trim_start().starts_with('{') => json_map_to_logfmt(&tags).unwrap_or(tags),
            Some(tags) => tags,
            None => String::new(),
        };
        let lookback = get("lookback").filter(|value| !value.is_empty()).unwrap_or_else(|| config.lookback.clone());
        Self {
            service: text("service"),
            operation: text("operation").trim().to_owned(),
            tags,
            lookback,
            start_us: get("start").and_then(|value| value.trim().parse().ok()),
            end_us: get("end").and_then(|value| value.trim().parse().ok()),
            min_duration: text("minDuration"),
            max_duration: text("maxDuration"),
            limit: get("limit").filter(|value| !value.is_empty()).unwrap_or_else(|| config.limit.to_string()),
        }
    }

    /// The address parameters of this form (empty values drop the parameter).
    pub fn to_params(&self) -> Vec<(&'static str, Option<String>)> {
        let custom = self.lookback == CUSTOM;
        vec![
            ("service", Some(self.service.clone())),
            ("operation", Some(self.operation.clone())),
            ("tags", Some(self.tags.clone())),
            ("lookback", Some(self.lookback.clone())),
            ("start", self.start_us.filter(|_| custom).map(|us| us.to_string())),
            ("end", self.end_us.filter(|_| custom).map(|us| us.to_string())),
            ("minDuration", Some(self.min_duration.clone())),
            ("maxDuration", Some(self.max_duration.clone())),
            ("limit", Some(self.limit.clone())),
        ]
    }

    /// Checks the form at `now_us`; each problem is one sentence naming its field.
    pub fn check(&self, now_us: i64) -> Result<Search, Vec<String>> {
        let mut problems = Vec::new();
        let service = self.service.trim().to_owned();
        if service.is_empty() {
            problems.push("Service: choose a service to search.".to_owned());
        }
        let tags = parse_logfmt(&self.tags).unwrap_or_else(|why| {
            problems.push(format!("Tags: {why}."));
            Vec::new()
        });
        let (start_us, end_us) = if self.lookback == CUSTOM {
            match (self.start_us, self.end_us) {
                (Some(start), Some(end)) if start < end => (start, end),
                (Some(_), Some(_)) => {
                    problems.push("Lookback: the custom range ends before it starts.".to_owned());
                    (0, 0)
                }
                _ => {
                    problems.push("Lookback: a custom range needs a start and an end.".to_owned());
                    (0, 0)
                }
            }
        } else {
            match parse_go_duration(&self.lookback) {
                Some(ns) if ns > 0 => (now_us - ns / NS_PER_US, now_us),
                _ => {
                    problems.push(format!("Lookback: \"{}\" is not a time span such as 1h or 2d.", self.lookback));
                    (0, 0)
                }
            }
        };
        let mut duration = |field: &str, text: &str| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match parse_go_duration(text).filter(|_| !text.ends_with('d')) {
                Some(ns) => Some(ns),
                None => {
                    problems.push(format!("{field}: \"{text}\" is not a duration such as 100ms, 1.5s or 2m."));
                    None
                }
            }
        };
        let min = duration("Min duration", &self.min_duration);
        let max = duration("Max duration", &self.max_duration);
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                problems.push("Max duration: it is shorter than the min duration.".to_owned());
            }
        }
        let limit = match self.limit.trim().parse::<u32>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
            _ => {
                problems.push(format!("Limit: \"{}\" is not a number from 1 to {MAX_LIMIT}.", self.limit.trim()));
                0
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let operation = Some(self.operation.trim().to_owned()).filter(|operation| !operation.is_empty());
        Ok(Search {
            service,
            operation,
            tags,
            start_us,
            end_us,
            min_duration: min.map(format_go_duration),
            max_duration: max.map(format_go_duration),
            limit,
        })
    }
}

/// Jaeger UI's `tags` parameter, a JSON map of strings, as logfmt.
fn json_map_to_logfmt(text: &str) -> Option<String> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    let pairs: Vec<(String, String)> = map
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (key, value)
        })
        .collect();
    Some(format_logfmt(&pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const NOW_US: i64 = 1_800_000_000_000_000;

    fn form(params: &[(&str, &str)]) -> SearchForm {
        let map: HashMap<String, String> = params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        SearchForm::from_params(|name| map.get(name).cloned(), &JaegerConfig::default())
    }

    #[test]
    fn defaults_come_from_the_configuration() {
        let form = form(&[("service", "frontend")]);
        assert_eq!(form.lookback, "1h");
        assert_eq!(form.limit, "20");
        let search = form.check(NOW_US).unwrap();
        assert_eq!(search.end_us - search.start_us, 3_600_000_000);
        assert_eq!(search.operation, None);
    }

    #[test]
    fn jaeger_ui_links_open_with_their_json_tags() {
        let form = form(&[("service", "a"), ("tags", r#"{"error":"true","http.status_code":"500"}"#)]);
        assert_eq!(form.tags, "error=true http.status_code=500");
    }

    #[test]
    fn the_address_round_trips() {
        let typed = SearchForm {
            service: "frontend".into(),
            operation: "HTTP GET /dispatch".into(),
            tags: r#"error=true sql="SELECT 1""#.into(),
            lookback: CUSTOM.into(),
            start_us: Some(1),
            end_us: Some(2),
            min_duration: "100ms".into(),
            max_duration: "2s".into(),
            limit: "50".into(),
        };
        let params: HashMap<&str, String> =
            typed.to_params().into_iter().filter_map(|(name, value)| Some((name, value?))).collect();
        let read = SearchForm::from_params(|name| params.get(name).cloned(), &JaegerConfig::default());
        assert_eq!(read, typed);
    }

    #[test]
    fn every_problem_names_its_field() {
        let bad = form(&[
            ("tags", "sql=\"open"),
            ("lookback", "soon"),
            ("minDuration", "fast"),
            ("maxDuration", "1d"),
            ("limit", "0"),
        ]);
        let problems = bad.check(NOW_US).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.split(':').next().unwrap_or("")).collect();
        assert_eq!(fields, ["Service", "Tags", "Lookback", "Min duration", "Max duration", "Limit"]);
        let reversed = form(&[("service", "a"), ("minDuration", "2s"), ("maxDuration", "1s")]);
        assert!(reversed.check(NOW_US).unwrap_err()[0].starts_with("Max duration"));
    }
}
