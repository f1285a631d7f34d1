//! The read path: `wms.stockin.Refund.queryWithDetail` pages of 100 at a million stock-in
//! orders, through the server, beside the [hand-written fetch](crate::handwritten) of the same
//! rows.
//!
//! A syncing client asks one hour at a time and pages through it, so each request is a random
//! one-hour window and a random page that exists in it; the server and the hand-written fetch
//! get the same list.

use std::time::{Duration, Instant};

use wdt_domain::query::{QueryParams, StockinQuery};
use wdt_protocol::time::{format_wire_time, now_ms};
use wdt_store::{AppCredential, Store};

use crate::grow::SPREAD_MS;
use crate::load::percentile;
use crate::wire::{BENCH_SID, query_request, read_response};

const HOUR_MS: i64 = 3_600_000;
/// Orders per page.
pub const PAGE_SIZE: i64 = 100;

/// One page to ask for: a window (whole seconds, the end second included) and a page number in it.
#[derive(Debug, Clone, Copy)]
pub struct PageAsk {
    /// First second of the window, epoch ms.
    pub start_ms: i64,
    /// Last second of the window, epoch ms.
    pub end_ms: i64,
    /// Page number from 0.
    pub page_no: i64,
}

/// How many stock-ins of the bench's seller the store finds in the window, as a page query
/// with `calc_total` counts them.
async fn rows_in(store: &dyn Store, app: &AppCredential, start_ms: i64, end_ms: i64) -> anyhow::Result<i64> {
    let (start, end) = (format_wire_time(start_ms), format_wire_time(end_ms));
    let params = QueryParams { start_time: &start, end_time: &end, ..QueryParams::default() };
    let query = StockinQuery::check(&params, 1, 0, true, &app.scope())?;
    let page = store.query_return_stockins(BENCH_SID, &query).await?;
    page.total_count.ok_or_else(|| anyhow::anyhow!("a page asked with calc_total came without its total"))
}

/// The same pseudo-random sequence every run (xorshift64), so two runs ask the same pages.
pub fn pseudo_random() -> impl FnMut() -> u64 {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// `n` pseudo-random (window, page) pairs whose pages hold rows.
pub async fn pages(store: &dyn Store, app: &AppCredential, n: usize) -> anyhow::Result<Vec<PageAsk>> {
    let now = now_ms();
    let mut next = pseudo_random();
    let mut asks = Vec::with_capacity(n);
    while asks.len() < n {
        let start_ms = now - SPREAD_MS + (next() % (SPREAD_MS as u64 - HOUR_MS as u64)) as i64;
        // Whole seconds: the wire format has no milliseconds.
        let start_ms = start_ms - start_ms.rem_euclid(1000);
        let end_ms = start_ms + HOUR_MS - 1000;
        let rows = rows_in(store, app, start_ms, end_ms).await?;
        if rows == 0 {
            continue;
        }
        let page_no = (next() % (rows as u64).div_ceil(PAGE_SIZE as u64)) as i64;
        asks.push(PageAsk { start_ms, end_ms, page_no });
    }
    Ok(asks)
}

/// Latencies of the same pages through the server at `addr`, one connection, one request at a
/// time, sorted; and the number of refused pages.
pub async fn through_server(addr: &str, asks: &[PageAsk], seconds: u64) -> anyhow::Result<(Vec<Duration>, u64)> {
    use tokio::io::AsyncWriteExt;
    let requests: Vec<Vec<u8>> =
        asks.iter().map(|a| query_request(addr, a.start_ms, a.end_ms, PAGE_SIZE as u32, a.page_no as u32)).collect();
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(1 << 20);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for r in requests.iter().cycle() {
        if Instant::now() >= deadline {
            break;
        }
        let t = Instant::now();
        stream.write_all(r).await?;
        let ok = read_response(&mut stream, &mut buf).await?;
        latencies.push(t.elapsed());
        if !ok {
            errors += 1;
        }
    }
    latencies.sort();
    Ok((latencies, errors))
}

/// p50 and p99 in milliseconds.
pub fn p50_p99(sorted: &[Duration]) -> (f64, f64) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.99)))
}
