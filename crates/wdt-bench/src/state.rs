//! Test mode's state controls at size (`wdt-bench --state`): a snapshot of a database of N
//! refund orders, 100 pushes, the restore, and a reset to the demo fixture, each timed, beside
//! SQLite's own copy of the whole database (`VACUUM INTO` a new file) made in the same run; the
//! state after the restore is compared with the state before the pushes, row by row, and
//! `verify` must pass.

use std::sync::Arc;
use std::time::Instant;

use wdt_domain::fixture::Fixture;
use wdt_store::{DocumentFilter, LineFilter, StockinListFilter, Store};

use crate::store;
use crate::wire::BENCH_SID;
use crate::{grow, seed};

/// Pushes made between the snapshot and its restore.
const PUSHES: u64 = 100;

/// What the run measured.
pub struct StateReport {
    /// Rows the snapshot holds, all tables together.
    pub rows: i64,
    /// Milliseconds.
    pub snapshot_ms: f64,
    /// Milliseconds for the pushes.
    pub pushes_ms: f64,
    /// Milliseconds.
    pub restore_ms: f64,
    /// Milliseconds of `reset` with the demo fixture.
    pub reset_ms: f64,
    /// Milliseconds of `VACUUM INTO` a new file (SQLite only).
    pub file_copy_ms: Option<f64>,
    /// The restored state equals the state the snapshot was taken at.
    pub same_state: bool,
    /// `verify` passed after the restore.
    pub verified: bool,
}

/// Every stock line, ledger row, refund order, stock-in and audit row of the bench seller, as
/// text.
async fn state_of(store: &dyn Store) -> anyhow::Result<String> {
    let lines = LineFilter { sid: Some(BENCH_SID.into()), limit: u32::MAX, ..LineFilter::default() };
    let mut out = format!("{:?}\n{:?}\n", store.list_stock(&lines).await?, store.list_ledger(&lines).await?);
    out += &format!("{:?}\n", store.list_refund_orders(&DocumentFilter::seller(BENCH_SID, u32::MAX)).await?);
    let stockins = StockinListFilter { sid: Some(BENCH_SID.into()), limit: u32::MAX, ..StockinListFilter::default() };
    out += &format!("{:?}\n", store.list_stockins(&stockins).await?);
    let audit = wdt_store::AuditFilter { limit: u32::MAX, ..wdt_store::AuditFilter::default() };
    out += &format!("{:?}\n", store.audit(&audit).await?);
    Ok(out)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Seeds `orders` refund orders into `database` (a fresh one) and measures.
pub async fn run(database: &str, sqlite_file: Option<&std::path::Path>, orders: u64) -> anyhow::Result<StateReport> {
    let store: Arc<dyn Store> = store::open(database).await?;
    eprintln!("state: loading {orders} refund orders into {database} …");
    seed::seed(&store, orders).await?;
    let before = state_of(store.as_ref()).await?;

    let file_copy_ms = match sqlite_file {
        Some(path) => {
            use sqlx::{ConnectOptions, Connection};
            let copy = path.with_extension("copy.db");
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let mut conn = options.disable_statement_logging().connect().await?;
            let t = Instant::now();
            sqlx::query("VACUUM INTO ?").bind(copy.to_string_lossy().into_owned()).execute(&mut conn).await?;
            let took = ms(t);
            conn.close().await?;
            Some(took)
        }
        None => None,
    };
    let t = Instant::now();
    let snapshot = store.take_snapshot("bench").await?;
    let snapshot_ms = ms(t);

    let app = store::bench_app(store.as_ref()).await?;
    let t = Instant::now();
    for n in 0..PUSHES {
        store.create_return_stockin(&app, &grow::receipt(n, n % orders.max(1))).await?;
    }
    let pushes_ms = ms(t);
    anyhow::ensure!(state_of(store.as_ref()).await? != before, "the pushes changed nothing");

    let t = Instant::now();
    store.restore_snapshot("bench").await?;
    let restore_ms = ms(t);
    let same_state = state_of(store.as_ref()).await? == before;
    let verified = store.verify().await?.is_ok();

    let demo = Fixture::parse(include_str!("../../../fixtures/demo.json"))?;
    let t = Instant::now();
    store.reset(Some(&demo)).await?;
    let reset_ms = ms(t);
    Ok(StateReport {
        rows: snapshot.rows,
        snapshot_ms,
        pushes_ms,
        restore_ms,
        reset_ms,
        file_copy_ms,
        same_state,
        verified,
    })
}

/// The report's table.
pub fn print(database: &str, orders: u64, r: &StateReport) {
    let backend = store::backend_name(database);
    let copy = r.file_copy_ms.map_or_else(|| "n/a".to_owned(), |c| format!("{c:.0} ms"));
    let ratio =
        |x: f64| r.file_copy_ms.filter(|c| *c > 0.0).map_or_else(|| "n/a".to_owned(), |c| format!("{:.1}×", x / c));
    println!(
        "| backend | refund orders | rows | snapshot | {PUSHES} pushes | restore | reset to demo | VACUUM INTO (baseline) | snapshot / baseline | restore / baseline | state equal | verify |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {backend} | {orders} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {copy} | {} | {} | {} | {} |",
        r.rows,
        r.snapshot_ms,
        r.pushes_ms,
        r.restore_ms,
        r.reset_ms,
        ratio(r.snapshot_ms),
        ratio(r.restore_ms),
        if r.same_state { "yes" } else { "NO" },
        if r.verified { "ok" } else { "FAILED" },
    );
}
