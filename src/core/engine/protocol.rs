//! The worker's answers to the page, as bytes (postcard): one message per answer, posted as a
//! transferred `ArrayBuffer`, so a finished `TraceSet` crosses as one buffer rather than as a
//! JavaScript object per span.

use crate::core::engine::load::LoadOutcome;
use crate::core::model::{check_integrity, TraceSet};

/// The phases of a load, as the progress bar names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LoadPhase {
    /// Reading files.
    #[default]
    Reading,
    /// Parsing the JSON into spans.
    Parsing,
    /// Building the tree and the tables.
    Indexing,
}

/// What the worker tells the page.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Reply {
    /// The worker has started and listens (messages sent before are lost).
    Ready,
    /// A load's progress.
    Progress {
        /// What the load is doing.
        phase: LoadPhase,
        /// Bytes read so far.
        read_bytes: u64,
        /// Bytes to read in all.
        total_bytes: u64,
    },
    /// A load is done: the traces it read and what happened to each source.
    Loaded {
        /// The traces read.
        set: Box<TraceSet>,
        /// Sources imported, merges and alerts.
        outcome: LoadOutcome,
    },
}

/// The bytes of `reply`.
pub fn encode_reply(reply: &Reply) -> Vec<u8> {
    // Serializing plain data into a growing buffer has no way to fail.
    postcard::to_allocvec(reply).unwrap_or_default()
}

/// Whether `bytes` hold the last reply of a load (the finished traces): the page can end the
/// worker, and free its memory, before it decodes them. Postcard writes the variant first.
pub fn is_last_reply(bytes: &[u8]) -> bool {
    bytes.first() == Some(&2)
}

/// The reply in `bytes`; a set that arrives broken is refused, never shown.
pub fn decode_reply(bytes: &[u8]) -> Result<Reply, String> {
    let reply: Reply =
        postcard::from_bytes(bytes).map_err(|error| format!("a broken message from the engine ({error})"))?;
    if let Reply::Loaded { set, .. } = &reply {
        check_integrity(set)
            .map_err(|problem| format!("the engine sent traces that do not hold together: {problem}"))?;
    }
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::load::{import_sources, LoadSource};
    use crate::core::model::{StrIdx, TraceSetBuilder};

    #[test]
    fn a_loaded_set_crosses_unchanged() {
        let mut builder = TraceSetBuilder::new();
        let sources = [
            LoadSource {
                name: "checkout.json".into(),
                bytes: Ok(include_bytes!("../../../public/samples/checkout.json").to_vec()),
            },
            LoadSource { name: "nothing.json".into(), bytes: Ok(b"{\"hello\": 1}".to_vec()) },
            LoadSource { name: "gone.json".into(), bytes: Err("it could not be read".into()) },
        ];
        let outcome = import_sources(&mut builder, &Default::default(), sources);
        assert_eq!(outcome.imported, 1);
        assert_eq!(outcome.alerts.len(), 2, "{:?}", outcome.alerts);
        assert!(outcome.alerts[1].starts_with("gone.json: it could not be read"));
        let set = builder.finish();
        let bytes = encode_reply(&Reply::Loaded { set: Box::new(set.clone()), outcome: outcome.clone() });
        let Ok(Reply::Loaded { set: arrived, outcome: arrived_outcome }) = decode_reply(&bytes) else {
            panic!("not a Loaded reply")
        };
        assert_eq!(arrived_outcome, outcome);
        assert!(is_last_reply(&bytes));
        let strings =
            |set: &TraceSet| (0..set.strings.len()).map(|i| set.str(StrIdx(i as u32)).to_owned()).collect::<Vec<_>>();
        assert_eq!(strings(&arrived), strings(&set));
        let tables = |set: &TraceSet| {
            format!(
                "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                set.spans, set.traces, set.roots, set.attrs, set.events, set.links, set.resources, set.warnings
            )
        };
        assert_eq!(tables(&arrived), tables(&set));
        // The string lookup was built again.
        assert_eq!(arrived.strings.find("payment"), set.strings.find("payment"));
        assert!(arrived.strings.find("payment").is_some());
    }

    #[test]
    fn broken_messages_are_refused() {
        assert!(decode_reply(&[]).is_err());
        assert!(decode_reply(&[200, 1, 2]).is_err());
        let bytes = encode_reply(&Reply::Progress { phase: LoadPhase::Parsing, read_bytes: 3, total_bytes: 9 });
        assert!(matches!(
            decode_reply(&bytes),
            Ok(Reply::Progress { phase: LoadPhase::Parsing, read_bytes: 3, total_bytes: 9 })
        ));
        assert!(decode_reply(&bytes[..bytes.len() - 1]).is_err());
        assert!(!is_last_reply(&bytes));
        assert!(!is_last_reply(&encode_reply(&Reply::Ready)));
    }
}
