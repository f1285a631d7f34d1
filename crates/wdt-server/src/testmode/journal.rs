//! The request journal (SPEC.md §11): every API call in order, with its parameters (never `sign`
//! nor `salt`), body, answer and latency, kept in memory and bounded: the oldest calls go first
//! once either bound is reached, and a long body or answer is cut (marked `truncated`).

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

/// Calls kept at most.
pub const MAX_ENTRIES: usize = 10_000;
/// Bytes of bodies and answers kept at most, all calls together.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Bytes kept of one body or one answer.
pub const MAX_TEXT: usize = 64 * 1024;

/// One API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// Its number, from 1, in arrival order; numbers go on across a clear.
    pub seq: u64,
    /// When it arrived (epoch ms, the server's clock).
    pub at_ms: i64,
    /// `qjb` or `openapi2`.
    pub dialect: &'static str,
    /// The method (qjb) or endpoint (openapi2).
    pub method: String,
    /// The key (`key` / `appkey`).
    pub key: String,
    /// The seller.
    pub sid: String,
    /// Query and form parameters in order, without `sign` and `salt`.
    pub params: Vec<(String, String)>,
    /// The request body (qjb: the JSON array; openapi2: empty, its fields are in `params`).
    pub body: String,
    /// The HTTP status answered.
    pub http_status: u16,
    /// The answer's body.
    pub response: String,
    /// Whether the body or the answer was cut to [`MAX_TEXT`].
    pub truncated: bool,
    /// Time to answer, microseconds.
    pub latency_us: u64,
}

/// What to read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFilter {
    /// Calls at or after (epoch ms).
    pub since_ms: Option<i64>,
    /// Calls of this method only.
    pub method: Option<String>,
    /// Calls of this key only.
    pub key: Option<String>,
    /// At most this many, the oldest matching first.
    pub limit: usize,
}

/// The journal of one server.
#[derive(Debug, Default)]
pub struct Journal {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    next_seq: u64,
    bytes: usize,
    entries: VecDeque<JournalEntry>,
}

/// `text` cut to [`MAX_TEXT`] bytes on a character boundary, and whether it was cut.
pub fn cut(text: &str) -> (String, bool) {
    if text.len() <= MAX_TEXT {
        return (text.to_owned(), false);
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text[..end].to_owned(), true)
}

fn size(e: &JournalEntry) -> usize {
    e.body.len() + e.response.len() + e.params.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>()
}

impl Journal {
    /// Appends a call (its `seq` is set here), dropping the oldest ones beyond the bounds.
    pub fn record(&self, mut entry: JournalEntry) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.next_seq += 1;
        entry.seq = state.next_seq;
        state.bytes += size(&entry);
        state.entries.push_back(entry);
        while state.entries.len() > MAX_ENTRIES || (state.bytes > MAX_BYTES && state.entries.len() > 1) {
            if let Some(old) = state.entries.pop_front() {
                state.bytes -= size(&old);
            }
        }
    }

    /// The calls matching `filter`, oldest first.
    pub fn read(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .entries
            .iter()
            .filter(|e| filter.since_ms.is_none_or(|t| e.at_ms >= t))
            .filter(|e| filter.method.as_deref().is_none_or(|m| e.method == m))
            .filter(|e| filter.key.as_deref().is_none_or(|k| e.key == k))
            .take(filter.limit)
            .cloned()
            .collect()
    }

    /// Forgets every call; how many there were.
    pub fn clear(&self) -> usize {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.bytes = 0;
        std::mem::take(&mut state.entries).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at_ms: i64, method: &str, key: &str, body: &str) -> JournalEntry {
        JournalEntry {
            seq: 0,
            at_ms,
            dialect: "qjb",
            method: method.into(),
            key: key.into(),
            sid: "demo".into(),
            params: vec![],
            body: body.into(),
            http_status: 200,
            response: "{}".into(),
            truncated: false,
            latency_us: 1,
        }
    }

    #[test]
    fn calls_read_back_in_order_filtered() {
        let journal = Journal::default();
        journal.record(entry(10, "a", "k1", ""));
        journal.record(entry(20, "b", "k1", ""));
        journal.record(entry(30, "a", "k2", ""));
        let all = JournalFilter { limit: 100, ..JournalFilter::default() };
        let seqs = |f: &JournalFilter| journal.read(f).iter().map(|e| e.seq).collect::<Vec<_>>();
        assert_eq!(seqs(&all), [1, 2, 3]);
        assert_eq!(seqs(&JournalFilter { method: Some("a".into()), ..all.clone() }), [1, 3]);
        assert_eq!(seqs(&JournalFilter { key: Some("k1".into()), ..all.clone() }), [1, 2]);
        assert_eq!(seqs(&JournalFilter { since_ms: Some(20), ..all.clone() }), [2, 3]);
        assert_eq!(seqs(&JournalFilter { limit: 1, ..all.clone() }), [1]);
        assert_eq!(journal.clear(), 3);
        journal.record(entry(40, "a", "k1", ""));
        assert_eq!(seqs(&all), [4], "numbers go on after a clear");
    }

    #[test]
    fn the_journal_is_bounded() {
        let journal = Journal::default();
        for i in 0..MAX_ENTRIES + 5 {
            journal.record(entry(i as i64, "a", "k", ""));
        }
        let kept = journal.read(&JournalFilter { limit: usize::MAX, ..JournalFilter::default() });
        assert_eq!(kept.len(), MAX_ENTRIES);
        assert_eq!(kept[0].seq, 6, "the oldest went first");
        let (text, truncated) = cut(&"界".repeat(MAX_TEXT));
        assert!(truncated && text.len() <= MAX_TEXT && text.chars().all(|c| c == '界'));
        assert_eq!(cut("short"), ("short".to_owned(), false));
    }
}
