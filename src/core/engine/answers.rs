//! The engine's answers to the page's questions about the set it keeps: what a find matches, a
//! span's details, traces as JSON, the service graph. Pure functions of the set (and of the
//! last find, which a find typed on looks among the matches of); the worker only moves the
//! questions and answers (the whole set, part by part, is the worker's to send).

use crate::core::analysis::find::{find_among, find_spans, narrows, parse_query, Query};
use crate::core::analysis::find_index::FindIndex;
use crate::core::analysis::service_graph::service_graph;
use crate::core::analysis::span_details::SpanDetails;
use crate::core::engine::protocol::{Answer, Request};
use crate::core::export::to_jaeger_json;
use crate::core::model::{SpanIdx, TraceIdx, TraceSet};

/// The last find the engine answered: a find that narrows it (a word typed on, a term added)
/// looks only among its matches.
struct LastFind {
    trace: TraceIdx,
    query: Query,
    found: Vec<SpanIdx>,
}

/// What the engine remembers between questions about the one set it keeps: the last find, and
/// the set's find index once built.
#[derive(Default)]
pub struct Remembered {
    last_find: Option<LastFind>,
    index: Option<FindIndex>,
}

impl Remembered {
    /// The find index of `set` (the set these answers are about), finished now if it is not
    /// yet whole.
    pub fn index(&mut self, set: &TraceSet) -> &FindIndex {
        let index = self.index.get_or_insert_with(FindIndex::default);
        index.extend(set, usize::MAX);
        index
    }

    /// Indexes up to `rows` more attribute rows of `set` for finds (the engine does, a run at a
    /// time, while it is idle after a load, so that the first find need not); whether the
    /// index is whole.
    pub fn index_some(&mut self, set: &TraceSet, rows: usize) -> bool {
        self.index.get_or_insert_with(FindIndex::default).extend(set, rows)
    }
}

/// [`answer`], with finds reading the set through its find index (built at the first, if it was
/// not yet), and a find that narrows the last one looked for among its matches (when they are
/// at most half the trace's spans: else reading the whole trace in order costs no more), and
/// remembered as the last. `remembered` is about `set` alone.
pub fn answer_after(set: &TraceSet, request: &Request, remembered: &mut Remembered) -> Answer {
    let Request::Find { trace, query } = request else { return answer(set, request) };
    let (Ok(query), true) = (parse_query(query), trace.get() < set.trace_count()) else {
        return answer(set, request);
    };
    let spans = set.traces.spans[trace.get()].len();
    let last = remembered.last_find.take();
    let index = remembered.index(set);
    let found = match last {
        Some(last) if last.trace == *trace && last.found.len() * 2 <= spans && narrows(&query, &last.query) => {
            find_among(set, index, &last.found, &query)
        }
        _ => find_spans(set, index, *trace, &query),
    };
    remembered.last_find = Some(LastFind { trace: *trace, query, found: found.clone() });
    Answer::Found(found)
}

/// The answer to `request` about `set` (`Request::Parts` is refused here: it is answered by
/// sending the parts).
pub fn answer(set: &TraceSet, request: &Request) -> Answer {
    match request {
        Request::Find { trace, query } => {
            if trace.get() >= set.trace_count() {
                return Answer::Refused(format!("there is no trace {} among the loaded traces", trace.get() + 1));
            }
            match parse_query(query) {
                Ok(query) => Answer::Found(find_spans(set, &FindIndex::of(set), *trace, &query)),
                Err(why) => Answer::Refused(why),
            }
        }
        Request::Details(span) => {
            if span.get() >= set.span_count() {
                return Answer::Refused(format!("there is no span {} among the loaded traces", span.get() + 1));
            }
            Answer::Details(Box::new(SpanDetails::of(set, *span)))
        }
        Request::JaegerJson(traces) => match missing_trace(set, traces) {
            Some(refused) => refused,
            None => Answer::Text(to_jaeger_json(set, traces)),
        },
        Request::ServiceGraph(traces) => match missing_trace(set, traces) {
            Some(refused) => refused,
            None => Answer::ServiceGraph(Box::new(service_graph(set, traces))),
        },
        Request::Parts => Answer::Refused("the parts are sent by the worker".to_owned()),
    }
}

/// The refusal of a request that names a trace `set` does not have.
fn missing_trace(set: &TraceSet, traces: &[TraceIdx]) -> Option<Answer> {
    let trace = traces.iter().find(|trace| trace.get() >= set.trace_count())?;
    Some(Answer::Refused(format!("there is no trace {} among the loaded traces", trace.get() + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::checkout_sample;

    #[test]
    fn the_engine_answers_as_the_page_would_have() {
        let set = checkout_sample();
        let find = Request::Find { trace: TraceIdx(0), query: "db.system=postgresql".into() };
        let query = parse_query("db.system=postgresql").unwrap();
        let expected = find_spans(&set, &FindIndex::of(&set), TraceIdx(0), &query);
        assert!(!expected.is_empty());
        assert_eq!(answer(&set, &find), Answer::Found(expected));
        assert_eq!(
            answer(&set, &Request::Details(SpanIdx(2))),
            Answer::Details(Box::new(SpanDetails::of(&set, SpanIdx(2))))
        );
        assert_eq!(
            answer(&set, &Request::JaegerJson(vec![TraceIdx(0)])),
            Answer::Text(to_jaeger_json(&set, &[TraceIdx(0)]))
        );
        let graph = service_graph(&set, &[]);
        assert!(graph.edges.len() >= 5, "the checkout sample's graph has {} edges", graph.edges.len());
        assert_eq!(answer(&set, &Request::ServiceGraph(vec![])), Answer::ServiceGraph(Box::new(graph)));
        assert_eq!(
            answer(&set, &Request::ServiceGraph(vec![TraceIdx(0)])),
            Answer::ServiceGraph(Box::new(service_graph(&set, &[TraceIdx(0)])))
        );
    }

    #[test]
    fn finds_typed_on_are_answered_as_if_asked_anew() {
        let set = checkout_sample();
        let mut remembered = Remembered::default();
        for text in
            ["s", "st", "str", "stripe", "stripe c", "p", "pay", "payment", "db.system=post", "db.system=postgres"]
        {
            let request = Request::Find { trace: TraceIdx(0), query: text.into() };
            assert_eq!(answer_after(&set, &request, &mut remembered), answer(&set, &request), "{text:?}");
        }
        assert!(remembered.last_find.is_some());
        assert!(remembered.index.as_ref().is_some_and(|index| index.fits(&set)));
        // Other questions leave the last find as it was.
        let before = remembered.last_find.as_ref().map(|last| last.found.clone());
        answer_after(&set, &Request::Details(SpanIdx(1)), &mut remembered);
        assert_eq!(remembered.last_find.as_ref().map(|last| last.found.clone()), before);
    }

    #[test]
    fn questions_about_what_is_not_loaded_are_refused_with_a_reason() {
        let set = checkout_sample();
        let refused = |request: Request| match answer(&set, &request) {
            Answer::Refused(why) => why,
            other => panic!("answered {other:?}"),
        };
        assert_eq!(refused(Request::Details(SpanIdx(99))), "there is no span 100 among the loaded traces");
        assert_eq!(refused(Request::JaegerJson(vec![TraceIdx(3)])), "there is no trace 4 among the loaded traces");
        assert_eq!(
            refused(Request::ServiceGraph(vec![TraceIdx(0), TraceIdx(7)])),
            "there is no trace 8 among the loaded traces"
        );
        assert_eq!(
            refused(Request::Find { trace: TraceIdx(5), query: "x".into() }),
            "there is no trace 6 among the loaded traces"
        );
        assert!(refused(Request::Find { trace: TraceIdx(0), query: "duration>fast".into() }).contains("duration>fast"));
    }
}
