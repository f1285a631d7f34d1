//! The request log: the last API calls this server answered, per key and one by one.

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

/// The last calls, newest last, bounded.
#[derive(Default)]
pub(crate) struct CallLog {
    calls: Mutex<VecDeque<CallRecord>>,
}

const CALL_LOG_SIZE: usize = 1000;

impl CallLog {
    pub(crate) fn push(&self, record: CallRecord) {
        if let Ok(mut calls) = self.calls.lock() {
            if calls.len() == CALL_LOG_SIZE {
                calls.pop_front();
            }
            calls.push_back(record);
        }
    }

    fn snapshot(&self) -> Vec<CallRecord> {
        self.calls.lock().map(|c| c.iter().cloned().collect()).unwrap_or_default()
    }
}

/// `/console/requests[?key=K]`: calls per key, and the last calls (of one key), newest first.
pub(super) async fn requests(ctx: Ctx) -> Response {
    let calls = ctx.state.calls.snapshot();
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
    let call_rows = newest
        .into_iter()
        .map(|c| {
            let class = if c.status == 0 { "badge ok" } else { "badge bad" };
            html! { tr {
                td { (t(c.at_ms)) } td { (c.dialect) } td { (c.method) } td { (c.sid) } td { (c.key) }
                td { span class=(class) { (c.status) } } td { (c.message) } td.n { (format!("{:.1}", c.latency_us as f64 / 1000.0)) }
            } }
        })
        .collect();
    page(
        &ctx,
        "调用日志 Request log",
        html! {
            h2 { "按接口账号 Per key" }
            (table(&["sid", "key", "调用 calls", "失败 refused"], key_rows))
            h2 { "最近调用 Last calls" }
            (table(&["时间 time", "dialect", "method", "sid", "key", "status/code", "message", "ms"], call_rows))
            (paging.links(&ctx, shown, more))
        },
    )
}
