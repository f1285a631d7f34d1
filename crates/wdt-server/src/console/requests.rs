//! The request log: the last API calls this server answered, per key and one by one.
//!
//! Calls that did not authenticate (bad signature, unknown key, stale timestamp, malformed
//! request) are kept apart, in their own bounded log: anyone can send a call that merely claims a
//! key, and such calls must not push that key's real calls out of its log.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use maud::html;

use super::context::Ctx;
use super::layout::page;
use super::paging::Paging;
use super::widgets::{t, table, url_enc};
use axum::response::Response;

/// One finished API call, for the request log page.
#[derive(Debug, Clone)]
pub(crate) struct CallRecord {
    pub at_ms: i64,
    pub dialect: &'static str,
    pub method: String,
    pub sid: String,
    pub key: String,
    pub status: i64,
    pub message: String,
    pub latency_us: u64,
}

/// The last calls, newest last, bounded: authenticated calls and the others apart.
#[derive(Default)]
pub(crate) struct CallLog {
    calls: Mutex<VecDeque<CallRecord>>,
    unauthenticated: Mutex<VecDeque<CallRecord>>,
}

/// Calls kept in each of the two logs.
const CALL_LOG_SIZE: usize = 1000;

/// Calls that failed authentication shown on the page, newest first.
const UNAUTHENTICATED_SHOWN: usize = 50;

impl CallLog {
    /// Records a finished call: in the keys' log if it authenticated, else in the other one.
    pub(crate) fn push(&self, record: CallRecord, authenticated: bool) {
        let log = if authenticated { &self.calls } else { &self.unauthenticated };
        if let Ok(mut calls) = log.lock() {
            if calls.len() == CALL_LOG_SIZE {
                calls.pop_front();
            }
            calls.push_back(record);
        }
    }

    fn snapshot(log: &Mutex<VecDeque<CallRecord>>) -> Vec<CallRecord> {
        log.lock().map(|c| c.iter().cloned().collect()).unwrap_or_default()
    }
}

/// One call as a table row.
fn call_row(c: &CallRecord) -> maud::Markup {
    let class = if c.status == 0 { "badge ok" } else { "badge bad" };
    html! { tr {
        td { (t(c.at_ms)) } td { (c.dialect) } td { (c.method) } td { (c.sid) } td { (c.key) }
        td { span class=(class) { (c.status) } } td { (c.message) } td.n { (format!("{:.1}", c.latency_us as f64 / 1000.0)) }
    } }
}

const CALL_COLUMNS: [&str; 8] = ["时间 time", "dialect", "method", "sid", "key", "status/code", "message", "ms"];

/// `/console/requests[?key=K]`: calls per key, and the last calls (of one key), newest first.
pub(super) async fn requests(ctx: Ctx) -> Response {
    let calls = CallLog::snapshot(&ctx.state.calls.calls);
    let mut per_key: HashMap<(String, String), (u64, u64)> = HashMap::new();
    for c in &calls {
        let e = per_key.entry((c.sid.clone(), c.key.clone())).or_default();
        e.0 += 1;
        if c.status != 0 {
            e.1 += 1;
        }
    }
    let mut keys: Vec<_> = per_key.into_iter().collect();
    keys.sort();
    let key_rows = keys
        .iter()
        .map(|((sid, key), (n, bad))| {
            html! { tr { td { (sid) } td { a href={ "/console/requests?key=" (url_enc(key)) } { (key) } } td.n { (n) } td.n { (bad) } } }
        })
        .collect();
    let wanted = ctx.param("key");
    let paging = Paging::of(&ctx);
    let newest: Vec<&CallRecord> = calls
        .iter()
        .rev()
        .filter(|c| wanted.is_none_or(|k| c.key == k))
        .skip(paging.offset() as usize)
        .take(paging.fetch() as usize)
        .collect();
    let (newest, more) = paging.split(newest);
    let shown = newest.len();
    let call_rows = newest.into_iter().map(call_row).collect();
    // On the first page only, so that paging through the calls of a key stays about that key.
    let failed = (paging.offset() == 0).then(|| {
        let failed = CallLog::snapshot(&ctx.state.calls.unauthenticated);
        let total = failed.len();
        let rows = failed
            .iter()
            .rev()
            .filter(|c| wanted.is_none_or(|k| c.key == k))
            .take(UNAUTHENTICATED_SHOWN)
            .map(call_row)
            .collect();
        (total, rows)
    });
    page(
        &ctx,
        "调用日志 Request log",
        html! {
            h2 { "按接口账号 Per key" }
            (table(&["sid", "key", "调用 calls", "失败 refused"], key_rows))
            h2 { "最近调用 Last calls" }
            (table(&CALL_COLUMNS, call_rows))
            (paging.links(&ctx, shown, more))
            @if let Some((total, rows)) = failed {
                h2 { "未通过认证 Failed authentication" }
                p { "签名、账号、时间戳或参数不对的调用，不计入上面的接口账号 Calls that did not authenticate, kept apart from the keys' calls above (" (total) " kept, newest " (UNAUTHENTICATED_SHOWN) " shown)" }
                (table(&CALL_COLUMNS, rows))
            }
        },
    )
}
