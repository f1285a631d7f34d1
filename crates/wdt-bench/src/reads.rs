//! `--reads`: the read-back queries at scale. `aftersales.refund.Refund.search`,
//! `wms.StockSpec.search` and `wms.StockSpec.queryChangeHistory`, pages of 100, through the
//! server, beside a hand-written fetch of the same rows measured in the same run.
//!
//! The database is loaded through the fixture API, as an operator loads one, each chunk at its
//! own time of the last 29 days (the store's clock frozen there): `--read-refunds` refund orders,
//! `--read-specs` specs, and opening stock for each spec on enough positions to write
//! `--read-ledger` ledger rows (one per stock line). Each request is a random
//! one-hour window (the stock query: one day, per warehouse) and a random page that exists in
//! it, as a syncing client asks.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::{ConnectOptions, Row};
use wdt_protocol::qjb;
use wdt_protocol::time::{format_wire_time, now_ms, now_secs};

use crate::grow::SPREAD_MS;
use crate::load::percentile;
use crate::server::Server;
use crate::store::{self, SECRET_KEY, is_postgres};
use crate::wire::{BENCH_APPSECRET, BENCH_KEY, BENCH_SID, BENCH_WAREHOUSE, read_response};
use crate::{maintenance, seed};
use wdt_protocol::clock::Clock;

/// Rows per page.
const PAGE_SIZE: u32 = 100;
/// Pages asked per method (cycled for the measured seconds).
const ASKS: usize = 200;

/// One method's figures.
#[derive(Debug)]
pub struct ReadReport {
    /// The qjb method.
    pub method: &'static str,
    /// Latencies through the server, sorted.
    pub served: Vec<Duration>,
    /// Refused pages through the server.
    pub errors: u64,
    /// Latencies of the hand-written fetch, sorted.
    pub hand: Vec<Duration>,
}

/// One page to ask: the method's params and page number, and the hand-written SQL of its rows.
struct Ask {
    params: Value,
    page_no: u32,
    sql: String,
}

/// A method under measurement: how to ask for a window, and how to fetch the same rows by hand.
struct Method {
    name: &'static str,
    /// The window's length.
    window_ms: i64,
    /// The params of a window `[start, end]` (epoch ms, whole seconds).
    params: fn(i64, i64) -> Value,
    /// The hand-written fetch of page `page_no` of the window.
    sql: fn(i64, i64, u32) -> String,
}

const REFUND_SEARCH: &str = "aftersales.refund.Refund.search";
const STOCK_SEARCH: &str = "wms.StockSpec.search";
const CHANGE_HISTORY: &str = "wms.StockSpec.queryChangeHistory";

const METHODS: [Method; 3] = [
    Method {
        name: REFUND_SEARCH,
        window_ms: 3_600_000,
        params: |s, e| json!({"modified_from": format_wire_time(s), "modified_to": format_wire_time(e)}),
        sql: refund_search_sql,
    },
    Method {
        name: CHANGE_HISTORY,
        window_ms: 3_600_000,
        params: |s, e| json!({"start_date": format_wire_time(s), "end_date": format_wire_time(e)}),
        sql: change_history_sql,
    },
    Method {
        name: STOCK_SEARCH,
        window_ms: 86_400_000,
        params: |s, e| json!({"warehouse_no": BENCH_WAREHOUSE, "start_time": format_wire_time(s), "end_time": format_wire_time(e)}),
        sql: stock_search_sql,
    },
];

/// The page of refund orders with their items, shop, trade and customer, in the API's order.
fn refund_search_sql(start: i64, end: i64, page_no: u32) -> String {
    format!(
        "WITH page AS (SELECT r.id, r.refund_no, r.type, r.status, r.stockin_status, r.refund_amount, r.modified, \
             r.created, sh.shop_no, sh.platform_id, t.tid, t.trade_no, COALESCE(c.customer_name, '') AS customer_name \
           FROM refund_orders r JOIN shops sh ON sh.id = r.shop_id JOIN trades t ON t.id = r.trade_id \
           LEFT JOIN customers c ON c.id = r.customer_id \
           WHERE r.sid = '{BENCH_SID}' AND r.modified >= {start} AND r.modified <= {} \
           ORDER BY r.modified, r.id LIMIT {PAGE_SIZE} OFFSET {}) \
         SELECT page.*, i.id, i.oid, i.refund_num, i.stockin_num, i.price, sp.spec_no, sp.spec_name, g.goods_no, \
             g.goods_name \
         FROM page JOIN refund_order_items i ON i.refund_order_id = page.id JOIN specs sp ON sp.id = i.spec_id \
           JOIN goods g ON g.id = sp.goods_id \
         ORDER BY page.modified, page.id, i.seq",
        end + 999,
        page_no * PAGE_SIZE
    )
}

/// The page of stock per warehouse × spec × defect flag of the warehouse: on hand as the group's
/// row keeps it, its cost, the group's last ledger change as its modified time (the window and
/// the order), as the API defines the row.
fn stock_search_sql(start: i64, end: i64, page_no: u32) -> String {
    format!(
        "SELECT st.id, st.num, st.defect, sp.spec_no, sp.spec_name, sp.barcode, g.goods_no, g.goods_name, \
             w.warehouse_no, COALESCE(c.cost_price, 0), st.last_change \
         FROM stock_specs st JOIN specs sp ON sp.id = st.spec_id JOIN goods g ON g.id = sp.goods_id \
           JOIN warehouses w ON w.id = st.warehouse_id \
           LEFT JOIN stock_costs c ON c.warehouse_id = st.warehouse_id AND c.spec_id = st.spec_id \
         WHERE st.sid = '{BENCH_SID}' AND w.warehouse_no = '{BENCH_WAREHOUSE}' AND st.last_change >= {start} \
           AND st.last_change <= {} \
         ORDER BY st.last_change, st.id LIMIT {PAGE_SIZE} OFFSET {}",
        end + 999,
        page_no * PAGE_SIZE
    )
}

/// The page of ledger rows with their warehouse, spec and the warehouse × spec × defect level
/// before and after each, in (created, id) order.
fn change_history_sql(start: i64, end: i64, page_no: u32) -> String {
    format!(
        "SELECT l.id, l.doc_type, l.doc_no, lv.num_after - l.num_change, l.num_change, lv.num_after, l.defect, \
             l.created, w.warehouse_no, w.name, sp.spec_no \
         FROM stock_ledger l JOIN stock_ledger_levels lv ON lv.ledger_id = l.id \
           JOIN warehouses w ON w.id = l.warehouse_id JOIN specs sp ON sp.id = l.spec_id \
         WHERE l.sid = '{BENCH_SID}' AND l.created >= {start} AND l.created <= {} AND NOT l.defect \
         ORDER BY l.created, l.id LIMIT {PAGE_SIZE} OFFSET {}",
        end + 999,
        page_no * PAGE_SIZE
    )
}

/// A signed page request of `method`.
fn request(addr: &str, method: &str, params: &Value, page_no: u32, calc_total: bool) -> Vec<u8> {
    let body = json!([params]).to_string();
    let pager = qjb::Pager { page_size: PAGE_SIZE, page_no, calc_total };
    let ts = qjb::timestamp_from_unix(now_secs());
    let pairs = qjb::signed_query(BENCH_SID, BENCH_KEY, BENCH_APPSECRET, method, ts, Some(&pager), &body);
    format!(
        "POST /openapi?{} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\n\r\n{body}",
        qjb::encode_query(pairs.as_slice()),
        body.len()
    )
    .into_bytes()
}

/// Sends `request` on `stream`; the answer's JSON.
async fn ask_json(stream: &mut tokio::net::TcpStream, request: &[u8]) -> anyhow::Result<Value> {
    use tokio::io::AsyncWriteExt;
    let mut buf = Vec::new();
    stream.write_all(request).await?;
    read_response(stream, &mut buf).await?;
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4).unwrap_or(0);
    Ok(serde_json::from_slice(&buf[head_end..])?)
}

/// A database connection of the bench's own, past the store.
enum Conn {
    Sqlite(sqlx::SqliteConnection),
    Pg(sqlx::PgConnection),
}

impl Conn {
    async fn open(url: &str) -> anyhow::Result<Conn> {
        use std::str::FromStr;
        Ok(if is_postgres(url) {
            Conn::Pg(sqlx::postgres::PgConnectOptions::from_str(url)?.disable_statement_logging().connect().await?)
        } else {
            Conn::Sqlite(
                sqlx::sqlite::SqliteConnectOptions::from_str(url)?.disable_statement_logging().connect().await?,
            )
        })
    }

    /// Runs `sql` and decodes every column of every row (integers, texts, flags); the rows.
    async fn fetch(&mut self, sql: &str) -> anyhow::Result<usize> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        macro_rules! decode {
            ($rows:expr) => {{
                let rows = $rows;
                let mut cells = 0usize;
                for r in &rows {
                    for i in 0..r.columns().len() {
                        let known = r.try_get::<Option<i64>, _>(i).is_ok()
                            || r.try_get::<Option<String>, _>(i).is_ok()
                            || r.try_get::<Option<bool>, _>(i).is_ok();
                        cells += usize::from(known);
                    }
                }
                std::hint::black_box(cells);
                rows.len()
            }};
        }
        Ok(match self {
            Conn::Sqlite(c) => decode!(sqlx::query(sql).fetch_all(c).await?),
            Conn::Pg(c) => decode!(sqlx::query(sql).fetch_all(c).await?),
        })
    }
}

/// Opening stock lines per fixture (one transaction each).
const STOCK_CHUNK: u64 = 20_000;
/// Distinct times the refund orders are loaded at, over the 29 days.
const TIMES: u64 = 2_000;

/// When chunk `c` of `chunks` happened: spread evenly over the 29 days before `now`.
fn at(now: i64, c: u64, chunks: u64) -> i64 {
    now - SPREAD_MS + (SPREAD_MS as u128 * u128::from(c) / u128::from(chunks.max(1))) as i64
}

/// Seeds the database through the fixture API, each chunk at its own time of the last 29 days
/// (the store's clock frozen there): refund orders, then goods with `specs` specs, then opening
/// stock for each spec on `ledger / specs` positions, which writes one ledger row per line.
async fn load(database: &str, refunds: u64, specs: u64, ledger: u64) -> anyhow::Result<()> {
    let t = Instant::now();
    let now = now_ms();
    let store = store::open_with_clock(database, Clock::frozen_at(now - SPREAD_MS)).await?;
    if store.refund_order(BENCH_SID, "TK0").await?.is_some() {
        // A database a previous run loaded (`--database`): measured as it is, its times as they
        // were spread then.
        eprintln!("{database} is loaded already: reading it as it is");
        return Ok(());
    }
    let clock = store.clock().clone();
    eprintln!("loading {refunds} refund orders into {database} …");
    seed::seed(&store, 0).await?;
    // Small fixtures, so that the orders come at many times (a fixture's all share one).
    let per_fixture = refunds.div_ceil(TIMES).clamp(1, seed::CHUNK);
    let chunks = refunds.div_ceil(per_fixture);
    for c in 0..chunks {
        clock.freeze_at(at(now, c, chunks));
        let range = c * per_fixture..((c + 1) * per_fixture).min(refunds);
        seed::import(store.as_ref(), &seed::refund_orders(range)).await?;
    }
    eprintln!("  refund orders in {:.1} s", t.elapsed().as_secs_f64());
    let positions = ledger.div_ceil(specs.max(1)).max(1);
    eprintln!("loading {specs} specs with stock on {positions} positions each ({} ledger rows) …", specs * positions);
    let position_nos: Vec<String> = (0..positions).map(|p| format!("P{p}")).collect();
    clock.freeze_at(now - SPREAD_MS);
    let warehouse = json!({"sid": BENCH_SID, "warehouses": [{"warehouse_no": BENCH_WAREHOUSE, "name": "bench",
        "positions": std::iter::once("A".to_owned()).chain(position_nos.iter().cloned()).collect::<Vec<_>>(),
        "default_position": "A"}]});
    seed::import(store.as_ref(), &warehouse).await?;
    let spec_chunks = specs.div_ceil(STOCK_CHUNK);
    for c in 0..spec_chunks {
        clock.freeze_at(at(now, c, spec_chunks));
        let nos = c * STOCK_CHUNK..((c + 1) * STOCK_CHUNK).min(specs);
        let goods = json!({"sid": BENCH_SID, "goods": [{"goods_no": format!("GX{c}"), "goods_name": "bench",
            "specs": nos.map(|i| json!({"spec_no": format!("X{i}"), "spec_name": format!("spec {i}")})).collect::<Vec<_>>()}]});
        seed::import(store.as_ref(), &goods).await?;
    }
    let lines = specs * positions;
    let stock_started = Instant::now();
    let line_chunks = lines.div_ceil(STOCK_CHUNK);
    for c in 0..line_chunks {
        clock.freeze_at(at(now, c, line_chunks));
        let stock: Vec<Value> = (c * STOCK_CHUNK..((c + 1) * STOCK_CHUNK).min(lines))
            .map(|n| {
                json!({"warehouse_no": BENCH_WAREHOUSE, "spec_no": format!("X{}", n % specs),
                    "position_no": position_nos[(n / specs) as usize], "num": "100", "cost_price": "9.9"})
            })
            .collect();
        seed::import(store.as_ref(), &json!({"sid": BENCH_SID, "stock": stock})).await?;
        if c % 50 == 49 {
            eprintln!("  {} of {lines} stock lines", (c + 1) * STOCK_CHUNK);
        }
    }
    let secs = stock_started.elapsed().as_secs_f64();
    eprintln!("  {lines} stock lines in {secs:.1} s ({:.0} a second)", lines as f64 / secs);
    drop(store);
    maintenance::after_read_load(database).await?;
    eprintln!("loaded in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

/// `n` (window, page) asks of `m` whose pages hold rows, counted through the server.
async fn asks(stream: &mut tokio::net::TcpStream, addr: &str, m: &Method, n: usize) -> anyhow::Result<Vec<Ask>> {
    let now = now_ms();
    let mut next = crate::query::pseudo_random();
    let mut out = Vec::with_capacity(n);
    let mut tries = 0;
    // A slow method gets fewer pages (at least 10), picked within half a minute.
    let budget = Instant::now() + Duration::from_secs(30);
    while out.len() < n && (out.len() < 10 || Instant::now() < budget) {
        tries += 1;
        anyhow::ensure!(tries < n * 200, "{}: hardly any window holds rows", m.name);
        let start = now - SPREAD_MS + (next() % (SPREAD_MS - m.window_ms) as u64) as i64;
        let start = start - start.rem_euclid(1000);
        let end = start + m.window_ms - 1000;
        let params = (m.params)(start, end);
        let answer = ask_json(stream, &request(addr, m.name, &params, 0, true)).await?;
        anyhow::ensure!(answer["status"] == 0, "{}: {answer}", m.name);
        let total = total_of(&answer);
        if total == 0 {
            continue;
        }
        let page_no = (next() % total.div_ceil(u64::from(PAGE_SIZE))) as u32;
        out.push(Ask { sql: (m.sql)(start, end, page_no), params, page_no });
    }
    Ok(out)
}

/// The answer's total: `data.total_count`, or `total` beside `data` where the page puts it there.
fn total_of(answer: &Value) -> u64 {
    answer["data"]["total_count"].as_u64().or_else(|| answer["total"].as_u64()).unwrap_or(0)
}

/// Runs the read bench and returns one report per method.
pub async fn run(
    exe: &std::path::Path,
    database: &str,
    (refunds, specs, ledger): (u64, u64, u64),
    seconds: u64,
) -> anyhow::Result<Vec<ReadReport>> {
    load(database, refunds, specs, ledger).await?;
    let server = Server::start(exe, SECRET_KEY, database).await?;
    let addr = server.addr();
    let mut conn = Conn::open(database).await?;
    let mut reports = Vec::new();
    for m in &METHODS {
        let mut stream = tokio::net::TcpStream::connect(&addr).await?;
        stream.set_nodelay(true)?;
        let asks = asks(&mut stream, &addr, m, ASKS).await?;
        eprintln!("{}: {} pages by hand, then through the server, {seconds} s each …", m.name, asks.len());
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut hand = Vec::new();
        for a in asks.iter().cycle() {
            if Instant::now() >= deadline {
                break;
            }
            let t = Instant::now();
            let rows = conn.fetch(&a.sql).await?;
            hand.push(t.elapsed());
            anyhow::ensure!(rows > 0, "{}: an empty hand-written page", m.name);
        }
        let requests: Vec<Vec<u8>> = asks.iter().map(|a| request(&addr, m.name, &a.params, a.page_no, false)).collect();
        // A fresh connection: the server closes one left idle while the hand-written fetch ran.
        let mut stream = tokio::net::TcpStream::connect(&addr).await?;
        stream.set_nodelay(true)?;
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let (mut served, mut errors, mut buf) = (Vec::new(), 0, Vec::with_capacity(1 << 20));
        for r in requests.iter().cycle() {
            if Instant::now() >= deadline {
                break;
            }
            use tokio::io::AsyncWriteExt;
            let t = Instant::now();
            stream.write_all(r).await?;
            let ok = read_response(&mut stream, &mut buf).await?;
            served.push(t.elapsed());
            errors += u64::from(!ok);
        }
        hand.sort();
        served.sort();
        let report = ReadReport { method: m.name, served, errors, hand };
        eprintln!("  {}", row(&report));
        reports.push(report);
    }
    Ok(reports)
}

/// Prints the figures: p50 / p99 through the server and by hand, and their ratio.
pub fn print(database: &str, sizes: (u64, u64, u64), reports: &[ReadReport]) {
    println!(
        "read-back pages of {PAGE_SIZE} on {} ({} refund orders, {} specs with stock, {} ledger rows)",
        store::backend_name(database),
        sizes.0,
        sizes.1,
        sizes.2
    );
    println!("| method | pages | errors | server p50 ms | server p99 ms | hand p50 ms | hand p99 ms | p99 ratio |");
    println!("|---|---|---|---|---|---|---|---|");
    for r in reports {
        println!("{}", row(r));
    }
}

/// One method's table row.
fn row(r: &ReadReport) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (s50, s99) = (ms(percentile(&r.served, 0.5)), ms(percentile(&r.served, 0.99)));
    let (h50, h99) = (ms(percentile(&r.hand, 0.5)), ms(percentile(&r.hand, 0.99)));
    format!(
        "| `{}` | {} | {} | {s50:.2} | {s99:.2} | {h50:.2} | {h99:.2} | {:.2}x |",
        r.method,
        r.served.len(),
        r.errors,
        if h99 > 0.0 { s99 / h99 } else { 0.0 }
    )
}
