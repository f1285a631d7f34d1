//! `--read-memory`: the server's peak memory while it answers the largest legal
//! `wms.stockin.Refund.queryWithDetail` pages, many at once.
//!
//! A page holds at most [`MAX_PAGE_LINES`] (5,000) detail lines, so the largest legal pages are
//! 5,000 lines either way they come: 5 stock-ins of 1,000 lines (a push's maximum, `page_size` 5),
//! or 1,000 stock-ins of 5 lines (`page_size` 1,000, the pager's maximum). Each shape gets its own
//! warehouse and a fresh `wdt-returns serve`; `--read-memory-connections` connections ask for its
//! page `--read-memory-rounds` times each, all at once, and the server's peak RSS (`VmHWM`) is
//! read before and after. One page one line over the limit is asked too, to show it refused.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Value, json};
use wdt_domain::query::MAX_PAGE_LINES;
use wdt_domain::refund_stockin::{QJB_FIELDS, ReturnLine, ReturnStockin};
use wdt_protocol::Dec4;
use wdt_protocol::time::now_ms;
use wdt_store::Store;

use crate::procfs;
use crate::server::Server;
use crate::store::{self, SECRET_KEY};
use crate::wire::{BENCH_APPSECRET, BENCH_KEY, BENCH_SID, query_request_with, read_response};

/// One shape of the largest legal page.
struct Shape {
    /// The warehouse its stock-ins are in.
    warehouse: &'static str,
    /// Stock-ins of the page.
    orders: u64,
    /// Lines of each.
    lines: u64,
}

const SHAPES: [Shape; 2] = [
    Shape { warehouse: "W-WIDE", orders: MAX_PAGE_LINES as u64 / 1000, lines: 1000 },
    Shape { warehouse: "W-MANY", orders: 1000, lines: MAX_PAGE_LINES as u64 / 1000 },
];

/// Specs of the goods: as many as the widest stock-in has lines.
const SPECS: u64 = 1000;

/// What one shape measured.
pub struct ShapeReport {
    /// Stock-ins per page × lines each.
    pub orders: u64,
    /// Lines of each stock-in.
    pub lines: u64,
    /// Requests answered with status 0.
    pub ok: u64,
    /// Requests answered otherwise.
    pub errors: u64,
    /// Bytes of one answer.
    pub answer_bytes: usize,
    /// The server's peak RSS after start, KiB.
    pub idle_kb: Option<u64>,
    /// Its peak RSS after the load, KiB.
    pub peak_kb: Option<u64>,
    /// Wall time of the load.
    pub took: Duration,
    /// Whether the page one stock-in longer was refused.
    pub over_refused: bool,
}

fn master_data() -> Value {
    let specs: Vec<Value> =
        (0..SPECS).map(|k| json!({"spec_no": format!("M{k}"), "spec_name": format!("m {k}")})).collect();
    let warehouses: Vec<Value> = SHAPES
        .iter()
        .map(|s| json!({"warehouse_no": s.warehouse, "name": s.warehouse, "positions": ["A"], "default_position": "A"}))
        .collect();
    json!({
        "sid": BENCH_SID,
        "apps": [{"dialect": "qjb", "key": BENCH_KEY, "appsecret": BENCH_APPSECRET}],
        "warehouses": warehouses,
        "shops": [{"shop_no": "SHOP", "shop_name": "bench", "platform_id": wdt_domain::privacy::OWN_PLATFORM_ID}],
        "goods": [{"goods_no": "G", "goods_name": "bench", "specs": specs}],
    })
}

/// Refund order `R-{warehouse}-{i}` expecting `per` of each of `lines` specs, with its trade.
fn refund_order(warehouse: &str, i: u64, lines: u64, per: u64) -> (Value, Value) {
    let tid = format!("T-{warehouse}-{i}");
    let items = |num: &str| -> Vec<Value> {
        (0..lines)
            .map(|k| json!({"oid": format!("{tid}-{k}"), "spec_no": format!("M{k}"), num: per.to_string(), "price": "9.9"}))
            .collect()
    };
    (
        json!({"tid": tid, "shop_no": "SHOP", "shipped": true, "items": items("num")}),
        json!({"refund_no": format!("R-{warehouse}-{i}"), "tid": tid, "status": wdt_domain::model::RefundOrderStatus::Checked, "items": items("refund_num")}),
    )
}

async fn import(store: &dyn Store, document: &Value) -> anyhow::Result<()> {
    let fixture =
        wdt_domain::fixture::Fixture::parse(&document.to_string()).context("a generated fixture was refused")?;
    store.import_fixture(&fixture).await.context("importing a generated fixture")?;
    Ok(())
}

/// Seeds each shape's stock-ins, and one more of each (the page over the limit): 100 stock-ins
/// per refund order for the narrow shape, all of the wide one's against one refund order.
async fn seed(store: &Arc<dyn Store>) -> anyhow::Result<()> {
    import(store.as_ref(), &master_data()).await?;
    let app = store::bench_app(store.as_ref()).await?;
    let one = Dec4::from_int(1).expect("1 is a quantity");
    for shape in &SHAPES {
        let stockins = shape.orders + 1;
        let per_refund = 100.min(stockins);
        let refunds = stockins.div_ceil(per_refund);
        let (trades, orders): (Vec<Value>, Vec<Value>) =
            (0..refunds).map(|i| refund_order(shape.warehouse, i, shape.lines, per_refund)).unzip();
        import(store.as_ref(), &json!({"sid": BENCH_SID, "trades": trades, "refund_orders": orders})).await?;
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..stockins {
            let store = Arc::clone(store);
            let app = app.clone();
            let lines: Vec<ReturnLine> = (0..shape.lines)
                .map(|k| ReturnLine { spec_no: format!("M{k}"), num: one, ..ReturnLine::default() })
                .collect();
            let cmd = ReturnStockin {
                outer_no: Some(format!("MEM-{}-{n}", shape.warehouse)),
                ..ReturnStockin::checked(
                    format!("R-{}-{}", shape.warehouse, n / per_refund),
                    shape.warehouse.to_owned(),
                    lines,
                    QJB_FIELDS,
                )
            };
            tasks.spawn(async move { store.create_return_stockin(&app, &cmd).await });
        }
        while let Some(done) = tasks.join_next().await {
            done?.map_err(|e| anyhow::anyhow!("seeding a stock-in: {e}"))?;
        }
    }
    Ok(())
}

/// Sends `request` on a fresh connection; the answer's success and size.
async fn ask(addr: &str, request: &[u8], rounds: u64) -> anyhow::Result<(u64, u64, usize)> {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let mut buf = Vec::new();
    let (mut ok, mut errors) = (0, 0);
    for _ in 0..rounds {
        stream.write_all(request).await?;
        if read_response(&mut stream, &mut buf).await? {
            ok += 1;
        } else {
            errors += 1;
        }
    }
    Ok((ok, errors, buf.len()))
}

/// Seeds a fresh database, then measures each shape on a server of its own.
pub async fn run(
    exe: &std::path::Path,
    database: &str,
    connections: u64,
    rounds: u64,
) -> anyhow::Result<Vec<ShapeReport>> {
    eprintln!("seeding the largest legal pages into {database} …");
    seed(&store::open(database).await?).await?;
    let (start_ms, end_ms) = (now_ms() - 3_600_000, now_ms() + 3_600_000);
    let mut reports = Vec::new();
    for shape in &SHAPES {
        anyhow::ensure!(shape.orders * shape.lines == MAX_PAGE_LINES as u64, "a shape off the limit");
        let server = Server::start(exe, SECRET_KEY, database).await?;
        let addr = server.addr();
        let filter = json!({"warehouse_no": shape.warehouse});
        let page = query_request_with(&addr, start_ms, end_ms, &filter, shape.orders as u32, 0);
        let idle_kb = server.peak_rss_kb();
        eprintln!(
            "{} connections × {rounds} pages of {} stock-ins × {} lines …",
            connections, shape.orders, shape.lines
        );
        let t = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..connections {
            let (addr, page) = (addr.clone(), page.clone());
            tasks.spawn(async move { ask(&addr, &page, rounds).await });
        }
        let (mut ok, mut errors, mut answer_bytes) = (0, 0, 0);
        while let Some(done) = tasks.join_next().await {
            let (o, e, bytes) = done??;
            (ok, errors, answer_bytes) = (ok + o, errors + e, bytes);
        }
        let took = t.elapsed();
        let peak_kb = server.peak_rss_kb();
        let over = query_request_with(&addr, start_ms, end_ms, &filter, shape.orders as u32 + 1, 0);
        let (over_ok, _, _) = ask(&addr, &over, 1).await?;
        reports.push(ShapeReport {
            orders: shape.orders,
            lines: shape.lines,
            ok,
            errors,
            answer_bytes,
            idle_kb,
            peak_kb,
            took,
            over_refused: over_ok == 0,
        });
    }
    Ok(reports)
}

/// Prints the figures as a Markdown table.
pub fn print(database: &str, connections: u64, rounds: u64, reports: &[ShapeReport]) {
    println!("\n{} — {connections} connections at once, {rounds} pages each\n", store::backend_name(database));
    println!("| page | answers ok / refused | one answer | took | server peak RSS idle → loaded | one stock-in more |");
    println!("|---|---|---|---|---|---|");
    for r in reports {
        println!(
            "| {} stock-ins × {} lines | {} / {} | {:.1} MB | {:.1} s | {} → {} | {} |",
            r.orders,
            r.lines,
            r.ok,
            r.errors,
            r.answer_bytes as f64 / 1e6,
            r.took.as_secs_f64(),
            procfs::megabytes(r.idle_kb),
            procfs::megabytes(r.peak_kb),
            if r.over_refused { "refused" } else { "ANSWERED" },
        );
    }
}
