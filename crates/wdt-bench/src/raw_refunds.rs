//! `--raw-refunds`: `aftersales.refund.RawRefund.upload` under load.
//!
//! Seeds N shipped trades `RT{i}` (3 items of 10 each, no refund orders) through the fixture
//! importer, beside what the push phase seeded when it runs in the default run,
//! starts the server, and uploads one raw refund per trade (a return of one of each item, so each
//! upload converts into a refund order of 3 items) from C keep-alive connections: orders/s, p50,
//! p99. Beside it, in the same run, a plain sqlx loop on SQLite writes the same kind of rows per
//! raw refund (read the trade's items and what is refunded of them, the raw refund with 3 lines,
//! the refund order with 3 items, the link), one transaction per upload, with the server's
//! durability: the baseline the server's figure is read against.

use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::{Connection, SqliteConnection};
use wdt_protocol::qjb;
use wdt_protocol::time::now_secs;

use crate::load::{self, Load, percentile};
use crate::server::Server;
use crate::store::{self, SECRET_KEY};
use crate::wire::raw_refund_request;
use crate::{maintenance, seed};

/// What the run measured.
pub struct RawRefundReport {
    /// The backend's name.
    pub backend: &'static str,
    /// Trades seeded (one upload each at most).
    pub trades: u64,
    /// Connections.
    pub connections: u64,
    /// The load.
    pub load: Load,
    /// Refund orders the uploads made, counted in the database afterwards.
    pub refund_orders: u64,
    /// Whether `verify` held afterwards.
    pub verified: bool,
    /// The plain-sqlx baseline, uploads per second.
    pub baseline: f64,
}

/// Seeds `trades` trades into `database` (and the master data first unless `seeded`), drives the
/// uploads, then measures the baseline in `dir`.
pub async fn run(
    exe: &Path,
    (database, seeded): (&str, bool),
    dir: &Path,
    trades: u64,
    connections: u64,
    seconds: u64,
) -> anyhow::Result<RawRefundReport> {
    eprintln!("loading {trades} shipped trades for raw refunds into {database} …");
    let store = store::open(database).await?;
    seed::seed_raw_refund_trades(&store, trades, seeded).await?;
    drop(store);
    maintenance::after_seeding(database).await?;

    let server = Server::start(exe, SECRET_KEY, database).await?;
    let addr = server.addr();
    let timestamp = qjb::timestamp_from_unix(now_secs());
    let prefix = seed::RAW_REFUND_TRADE_PREFIX;
    let requests = (0..trades).map(|i| raw_refund_request(&addr, prefix, i, timestamp)).collect();
    eprintln!("uploading raw refunds from {connections} connections for {seconds} s …");
    let load = load::drive_requests(&addr, requests, connections, seconds).await;
    drop(server);

    let store = store::open(database).await?;
    let all = store.list_refund_orders(&wdt_store::DocumentFilter::seller(crate::wire::BENCH_SID, u32::MAX)).await?;
    let refund_orders = all.iter().filter(|r| r.tid.starts_with(prefix)).count() as u64;
    let verified = store.verify().await?.is_ok();
    drop(store);

    let base_n = load.ok.clamp(1000, 20_000);
    eprintln!("baseline: plain sqlx on SQLite, {base_n} uploads …");
    let baseline = baseline(dir, base_n).await?;
    Ok(RawRefundReport {
        backend: store::backend_name(database),
        trades,
        connections,
        load,
        refund_orders,
        verified,
        baseline,
    })
}

/// Prints the report's table.
pub fn print(r: &RawRefundReport) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "aftersales.refund.RawRefund.upload on {} ({} shipped trades, {} connections, one 3-line return per upload)",
        r.backend, r.trades, r.connections
    );
    println!(
        "| uploads ok | errors | refund orders made | verify | uploads/s | p50 ms | p99 ms | max ms | baseline uploads/s | ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let rate = r.load.throughput();
    println!(
        "| {} | {} | {} | {} | {rate:.0} | {:.2} | {:.2} | {:.2} | {:.0} | {:.2}x |",
        r.load.ok,
        r.load.errors,
        r.refund_orders,
        if r.verified { "ok" } else { "FAILED" },
        ms(percentile(&r.load.latencies, 0.50)),
        ms(percentile(&r.load.latencies, 0.99)),
        ms(r.load.latencies.last().copied().unwrap_or_default()),
        r.baseline,
        if r.baseline > 0.0 { rate / r.baseline } else { 0.0 },
    );
}

const SCHEMA: &str = "CREATE TABLE t (id INTEGER PRIMARY KEY, tid TEXT UNIQUE); \
     CREATE TABLE ti (id INTEGER PRIMARY KEY, t INTEGER, oid TEXT UNIQUE, num INTEGER, price INTEGER); \
     CREATE TABLE rr (id INTEGER PRIMARY KEY, no TEXT UNIQUE, t INTEGER, ro INTEGER, created INTEGER); \
     CREATE TABLE rri (id INTEGER PRIMARY KEY, rr INTEGER, ti INTEGER, num INTEGER); \
     CREATE TABLE ro (id INTEGER PRIMARY KEY, no TEXT UNIQUE, t INTEGER, status INTEGER, created INTEGER); \
     CREATE TABLE roi (id INTEGER PRIMARY KEY, ro INTEGER, ti INTEGER, num INTEGER, price INTEGER); \
     CREATE INDEX roi_ti ON roi (ti)";

/// Uploads per second written by the plain loop, one transaction per upload.
async fn baseline(dir: &Path, uploads: u64) -> anyhow::Result<f64> {
    let path = dir.join("baseline-raw-refunds.db");
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display())).await?;
    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut conn).await?;
    sqlx::query("PRAGMA synchronous = FULL").execute(&mut conn).await?;
    sqlx::query(SCHEMA).execute(&mut conn).await?;
    let mut tx = conn.begin().await?;
    for i in 0..uploads as i64 {
        sqlx::query("INSERT INTO t (id, tid) VALUES (?, ?)").bind(i).bind(format!("T{i}")).execute(&mut *tx).await?;
        for k in 0..3i64 {
            sqlx::query("INSERT INTO ti (t, oid, num, price) VALUES (?, ?, 100000, 99000)")
                .bind(i)
                .bind(format!("T{i}-{k}"))
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    let started = Instant::now();
    for i in 0..uploads as i64 {
        let mut tx = conn.begin().await?;
        let trade: i64 =
            sqlx::query_scalar("SELECT id FROM t WHERE tid = ?").bind(format!("T{i}")).fetch_one(&mut *tx).await?;
        let items: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT ti.id, ti.num, ti.price, COALESCE((SELECT SUM(num) FROM roi WHERE roi.ti = ti.id), 0) FROM ti WHERE t = ?",
        )
        .bind(trade)
        .fetch_all(&mut *tx)
        .await?;
        let rr: i64 = sqlx::query_scalar("INSERT INTO rr (no, t, created) VALUES (?, ?, 0) RETURNING id")
            .bind(format!("RR{i}"))
            .bind(trade)
            .fetch_one(&mut *tx)
            .await?;
        let ro: i64 = sqlx::query_scalar("INSERT INTO ro (no, t, status, created) VALUES (?, ?, 20, 0) RETURNING id")
            .bind(format!("TK{i}"))
            .bind(trade)
            .fetch_one(&mut *tx)
            .await?;
        for (item, num, price, refunded) in items {
            anyhow::ensure!(num - refunded >= 10_000, "the baseline refunds what was sold");
            sqlx::query("INSERT INTO rri (rr, ti, num) VALUES (?, ?, 10000)")
                .bind(rr)
                .bind(item)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO roi (ro, ti, num, price) VALUES (?, ?, 10000, ?)")
                .bind(ro)
                .bind(item)
                .bind(price)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE rr SET ro = ? WHERE id = ?").bind(ro).bind(rr).execute(&mut *tx).await?;
        tx.commit().await?;
    }
    Ok(uploads as f64 / started.elapsed().as_secs_f64())
}
