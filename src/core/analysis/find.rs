//! The find language of the trace page. Space-separated terms, all of which must match a span:
//!
//! | term | matches spans whose … |
//! | --- | --- |
//! | `word` | service, operation, span id, attribute key or value, or event name or field contains it (any case) |
//! | `"exact phrase"` | the same, with the phrase including its spaces |
//! | `key=value` | attribute (span, resource or event) `key` has a value containing `value` |
//! | `service:name` | service contains `name` |
//! | `error` | status is error |
//! | `duration>100ms` (`>=`, `<`, `<=`; ns, us, µs, ms, s, m, h) | duration compares so |
//! | `-term` | does not match `term` |

use crate::core::model::{AttrValue, RowRange, SpanFlags, SpanIdx, TraceIdx, TraceSet};
use crate::core::units::{NS_PER_MS, NS_PER_S, NS_PER_US};

/// How a duration compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
}

/// One term of a query.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// Text anywhere (lower case).
    Text(String),
    /// An attribute `key` whose value contains the text (lower case).
    KeyValue(String, String),
    /// The service contains the text (lower case).
    Service(String),
    /// Error status.
    Error,
    /// Duration compared with ns.
    Duration(Comparison, i64),
    /// The negation of a term.
    Not(Box<Term>),
}

/// A parsed query: every term must match.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// The terms.
    pub terms: Vec<Term>,
}

impl Query {
    /// Whether the query has no terms (matches nothing: there is nothing to find).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Parses the find box's text. The error names the term that could not be read.
pub fn parse_query(text: &str) -> Result<Query, String> {
    let mut terms = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (negated, body) = match rest.strip_prefix('-') {
            Some(body) if !body.is_empty() && !body.starts_with(' ') => (true, body),
            _ => (false, rest),
        };
        let (word, after) = if let Some(quoted) = body.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (Token::Phrase(&quoted[..end]), &quoted[end + 1..]),
                None => return Err(format!("the quote in {rest:?} is not closed")),
            }
        } else {
            let end = body.find(char::is_whitespace).unwrap_or(body.len());
            (Token::Word(&body[..end]), &body[end..])
        };
        let term = match word {
            Token::Phrase(phrase) => Term::Text(phrase.to_lowercase()),
            Token::Word(word) => parse_word(word)?,
        };
        terms.push(if negated { Term::Not(Box::new(term)) } else { term });
        rest = after.trim_start();
    }
    Ok(Query { terms })
}

enum Token<'a> {
    Word(&'a str),
    Phrase(&'a str),
}

fn parse_word(word: &str) -> Result<Term, String> {
    if word.eq_ignore_ascii_case("error") {
        return Ok(Term::Error);
    }
    if let Some(name) = word.strip_prefix("service:") {
        return Ok(Term::Service(name.trim_matches('"').to_lowercase()));
    }
    if let Some(rest) = word.strip_prefix("duration") {
        let (comparison, amount) = if let Some(amount) = rest.strip_prefix(">=") {
            (Comparison::GreaterOrEqual, amount)
        } else if let Some(amount) = rest.strip_prefix("<=") {
            (Comparison::LessOrEqual, amount)
        } else if let Some(amount) = rest.strip_prefix('>') {
            (Comparison::Greater, amount)
        } else if let Some(amount) = rest.strip_prefix('<') {
            (Comparison::Less, amount)
        } else {
            return Ok(Term::Text(word.to_lowercase()));
        };
        let ns =
            parse_duration_ns(amount).ok_or_else(|| format!("{word:?}: {amount:?} is not a duration like 100ms"))?;
        return Ok(Term::Duration(comparison, ns));
    }
    if let Some((key, value)) = word.split_once('=') {
        if !key.is_empty() {
            return Ok(Term::KeyValue(key.to_owned(), value.trim_matches('"').to_lowercase()));
        }
    }
    Ok(Term::Text(word.to_lowercase()))
}

/// `100ms`, `1.5s`, `250us`, `2m` → ns.
pub fn parse_duration_ns(text: &str) -> Option<i64> {
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let ns_per_unit = match unit {
        "ns" => 1,
        "us" | "µs" => NS_PER_US,
        "ms" => NS_PER_MS,
        "s" => NS_PER_S,
        "m" => 60 * NS_PER_S,
        "h" => 3600 * NS_PER_S,
        _ => return None,
    };
    Some((value * ns_per_unit as f64).round() as i64)
}

/// The spans of `trace` that match `query`, in row order.
pub fn find_spans(set: &TraceSet, trace: TraceIdx, query: &Query) -> Vec<SpanIdx> {
    if query.is_empty() {
        return Vec::new();
    }
    set.trace_spans(trace).filter(|&span| query.terms.iter().all(|term| term_matches(set, span, term))).collect()
}

fn term_matches(set: &TraceSet, span: SpanIdx, term: &Term) -> bool {
    let i = span.get();
    let spans = &set.spans;
    match term {
        Term::Not(inner) => !term_matches(set, span, inner),
        Term::Error => spans.flags[i].has(SpanFlags::ERROR),
        Term::Service(name) => contains(set.str(spans.service[i]), name),
        Term::Duration(comparison, ns) => {
            let duration = spans.duration_ns[i];
            match comparison {
                Comparison::Greater => duration > *ns,
                Comparison::GreaterOrEqual => duration >= *ns,
                Comparison::Less => duration < *ns,
                Comparison::LessOrEqual => duration <= *ns,
            }
        }
        Term::KeyValue(key, value) => attribute_ranges(set, span)
            .any(|rows| set.attrs.rows(rows).any(|(k, v)| set.str(k) == key && value_contains(set, v, value))),
        Term::Text(text) => {
            contains(set.str(spans.service[i]), text)
                || contains(set.str(spans.operation[i]), text)
                || spans.span_id[i].to_hex().contains(text.as_str())
                || spans.events[i].as_range().any(|event| contains(set.str(set.events.name[event]), text))
                || attribute_ranges(set, span).any(|rows| {
                    set.attrs.rows(rows).any(|(k, v)| contains(set.str(k), text) || value_contains(set, v, text))
                })
        }
    }
}

/// The span's attribute rows, its resource's, and each event's.
fn attribute_ranges(set: &TraceSet, span: SpanIdx) -> impl Iterator<Item = RowRange> + '_ {
    let i = span.get();
    let resource = set.resources.attrs.get(set.spans.resource[i].get()).copied();
    std::iter::once(set.spans.attrs[i])
        .chain(resource)
        .chain(set.spans.events[i].as_range().map(|event| set.events.attrs[event]))
}

fn value_contains(set: &TraceSet, value: &AttrValue, needle: &str) -> bool {
    match value {
        AttrValue::Str(text) => contains(set.str(*text), needle),
        AttrValue::Bool(flag) => flag.to_string() == needle,
        AttrValue::Int(number) => number.to_string().contains(needle),
        AttrValue::Double(number) => number.to_string().contains(needle),
        AttrValue::Bytes(_) => false,
        AttrValue::Array(items) => items.iter().any(|item| value_contains(set, item, needle)),
        AttrValue::KvList(entries) => entries.iter().any(|(_, item)| value_contains(set, item, needle)),
    }
}

/// Case-insensitive containment; `needle` is already lower case.
fn contains(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        haystack.as_bytes().windows(needle.len().max(1)).any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
            || needle.is_empty()
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

/// The rows to show when only matches are shown: the matches and their ancestors, in row order.
pub fn matches_with_ancestors(set: &TraceSet, trace: TraceIdx, matches: &[SpanIdx]) -> Vec<SpanIdx> {
    let Some(range) = set.traces.spans.get(trace.get()) else { return Vec::new() };
    let first = range.start as usize;
    let mut keep = vec![false; range.len()];
    for &span in matches {
        let mut current = Some(span);
        while let Some(row) = current {
            let slot = &mut keep[row.get() - first];
            if *slot {
                break;
            }
            *slot = true;
            current = set.spans.parent[row.get()];
        }
    }
    keep.iter().enumerate().filter(|(_, kept)| **kept).map(|(offset, _)| SpanIdx((first + offset) as u32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::import_file;
    use crate::core::model::TraceSetBuilder;

    fn checkout() -> TraceSet {
        let mut builder = TraceSetBuilder::new();
        import_file(&mut builder, "checkout.json", include_bytes!("../../../public/samples/checkout.json")).unwrap();
        builder.finish()
    }

    fn found(set: &TraceSet, query: &str) -> Vec<String> {
        let query = parse_query(query).unwrap();
        find_spans(set, TraceIdx(0), &query)
            .into_iter()
            .map(|span| set.str(set.spans.operation[span.get()]).to_owned())
            .collect()
    }

    #[test]
    fn parses_every_kind_of_term() {
        let query =
            parse_query(r#"payment -grpc "lock acquired" db.system=postgresql service:data duration>=1.5s error"#)
                .unwrap();
        assert_eq!(
            query.terms,
            [
                Term::Text("payment".into()),
                Term::Not(Box::new(Term::Text("grpc".into()))),
                Term::Text("lock acquired".into()),
                Term::KeyValue("db.system".into(), "postgresql".into()),
                Term::Service("data".into()),
                Term::Duration(Comparison::GreaterOrEqual, 1_500_000_000),
                Term::Error,
            ]
        );
        assert!(parse_query("\"open").unwrap_err().contains("not closed"));
        assert!(parse_query("duration>fast").unwrap_err().contains("not a duration"));
    }

    #[test]
    fn finds_spans_by_text_attribute_service_duration_and_negation() {
        let set = checkout();
        assert_eq!(found(&set, "INSERT"), ["INSERT payments"]);
        assert_eq!(found(&set, "db.system=postgres"), ["INSERT payments"]);
        assert_eq!(found(&set, "\"lock acquired\""), ["INSERT payments"], "event fields");
        assert_eq!(found(&set, "service:notif"), ["SendConfirmation"]);
        assert_eq!(found(&set, "duration>1s"), ["POST /api/checkout", "POST /orders", "Charge", "INSERT payments"]);
        assert_eq!(found(&set, "duration>1s -service:api -service:order"), ["Charge", "INSERT payments"]);
        assert!(found(&set, "error").is_empty());
        assert!(found(&set, "").is_empty());
    }

    #[test]
    fn only_matches_keeps_their_ancestors() {
        let set = checkout();
        let query = parse_query("stripe").unwrap();
        let matches = find_spans(&set, TraceIdx(0), &query);
        let shown: Vec<&str> = matches_with_ancestors(&set, TraceIdx(0), &matches)
            .into_iter()
            .map(|span| set.str(set.spans.operation[span.get()]))
            .collect();
        assert_eq!(
            shown,
            ["POST /api/checkout", "POST /orders", "Charge", "POST https://api.stripe.example/v1/charges"]
        );
    }
}
