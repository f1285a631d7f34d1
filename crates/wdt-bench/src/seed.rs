//! The bench's refund orders, loaded the way an operator loads data: generated fixture
//! documents, checked by [`Fixture::parse`] and imported through [`Store::import_fixture`].
//!
//! One fixture holds the master data (the app, a warehouse, a shop, goods with 3 specs); the
//! refund orders follow in fixtures of [`CHUNK`] each (with their trades), each one transaction,
//! a few in flight at once. Refund order `TK{i}` refunds trade `T{i}`: 3 items of 10, one of each
//! spec, so it can take 10 pushes of 1 per line.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use serde_json::{Value, json};
use wdt_domain::fixture::Fixture;
use wdt_store::Store;

use crate::wire::{BENCH_APPSECRET, BENCH_KEY, BENCH_SID, BENCH_WAREHOUSE, LINES};

/// Refund orders per fixture (one transaction each).
pub const CHUNK: u64 = 2000;
/// Fixtures being imported at once. PostgreSQL runs them side by side; SQLite's writer takes
/// them one after another, while the next ones are generated and checked.
const IN_FLIGHT: u64 = 3;
/// What each refund order item expects back: pushes of 1 per line it can take.
pub const REFUND_NUM: u64 = 10;

/// The master data every refund order refers to.
fn master_data() -> Value {
    let specs: Vec<Value> =
        (0..LINES).map(|k| json!({"spec_no": format!("S{k}"), "spec_name": format!("spec {k}")})).collect();
    json!({
        "sid": BENCH_SID,
        "apps": [{"dialect": "qjb", "key": BENCH_KEY, "appsecret": BENCH_APPSECRET}],
        "warehouses": [{"warehouse_no": BENCH_WAREHOUSE, "name": "bench", "positions": ["A"], "default_position": "A"}],
        "shops": [{"shop_no": "SHOP", "shop_name": "bench", "platform_id": wdt_domain::privacy::OWN_PLATFORM_ID}],
        "goods": [{"goods_no": "G", "goods_name": "bench", "specs": specs}],
    })
}

/// Trade `T{i}`'s items (`num` names the quantity field: a trade's or a refund order's).
fn items(i: u64, num: &str) -> Vec<Value> {
    items_named("T", i, num)
}

/// Trade `{prefix}{i}`'s items (oids `{prefix}{i}-{k}`).
fn items_named(prefix: &str, i: u64, num: &str) -> Vec<Value> {
    (0..LINES)
        .map(|k| json!({"oid": format!("{prefix}{i}-{k}"), "spec_no": format!("S{k}"), num: REFUND_NUM.to_string(), "price": "9.9"}))
        .collect()
}

/// Shipped trades `T{i}` for `i` in `range`: 3 items of 10, one of each spec.
fn trades(range: Range<u64>) -> Vec<Value> {
    trades_named("T", range)
}

/// Shipped trades `{prefix}{i}` for `i` in `range`, with their items.
fn trades_named(prefix: &str, range: Range<u64>) -> Vec<Value> {
    range
        .map(|i| json!({"tid": format!("{prefix}{i}"), "shop_no": "SHOP", "shipped": true, "items": items_named(prefix, i, "num")}))
        .collect()
}

/// Refund orders `TK{i}` for `i` in `range`, with their trades.
pub(crate) fn refund_orders(range: Range<u64>) -> Value {
    let refunds: Vec<Value> = range
        .clone()
        .map(|i| json!({"refund_no": format!("TK{i}"), "tid": format!("T{i}"), "status": wdt_domain::model::RefundOrderStatus::Checked, "items": items(i, "refund_num")}))
        .collect();
    json!({"sid": BENCH_SID, "trades": trades(range), "refund_orders": refunds})
}

/// Shipped trades `RT{i}` for `i` in `range` without refund orders: what raw refunds refund.
pub(crate) fn raw_refund_trades(range: Range<u64>) -> Value {
    json!({"sid": BENCH_SID, "trades": trades_named(RAW_REFUND_TRADE_PREFIX, range)})
}

/// The prefix of the trades raw refunds refund (`RT{i}`), apart from the refund orders' `T{i}`.
pub const RAW_REFUND_TRADE_PREFIX: &str = "RT";

/// Checks `document` as `wdt-returns import` checks a file, and imports it in one transaction.
pub(crate) async fn import(store: &dyn Store, document: &Value) -> anyhow::Result<()> {
    let fixture = Fixture::parse(&document.to_string()).context("a generated fixture was refused")?;
    store.import_fixture(&fixture).await.context("importing a generated fixture")?;
    Ok(())
}

/// Seeds an empty database: the master data, then refund orders `TK0..TK{orders}`.
pub async fn seed(store: &Arc<dyn Store>, orders: u64) -> anyhow::Result<()> {
    seed_master(store).await?;
    add_refund_orders(store, 0..orders).await
}

/// Adds shipped trades `RT0..RT{trades}` that no refund order refunds yet, first seeding the
/// master data into an empty database unless `seeded`.
pub async fn seed_raw_refund_trades(store: &Arc<dyn Store>, trades: u64, seeded: bool) -> anyhow::Result<()> {
    if !seeded {
        seed_master(store).await?;
    }
    import_chunks(store, 0..trades, raw_refund_trades).await
}

async fn seed_master(store: &Arc<dyn Store>) -> anyhow::Result<()> {
    anyhow::ensure!(
        store.trade(BENCH_SID, "T0").await?.is_none(),
        "the bench needs a database of its own: seller {BENCH_SID} already has trades there"
    );
    import(store.as_ref(), &master_data()).await
}

/// Imports refund orders `TK{i}` for `i` in `range`, [`CHUNK`] per fixture.
pub async fn add_refund_orders(store: &Arc<dyn Store>, range: Range<u64>) -> anyhow::Result<()> {
    import_chunks(store, range, refund_orders).await
}

/// Imports the documents `chunk` makes for `range`, [`CHUNK`] per fixture, a few at once.
async fn import_chunks(
    store: &Arc<dyn Store>,
    range: Range<u64>,
    chunk: fn(Range<u64>) -> Value,
) -> anyhow::Result<()> {
    let next = Arc::new(AtomicU64::new(range.start));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..IN_FLIGHT {
        let (store, next, end) = (Arc::clone(store), Arc::clone(&next), range.end);
        tasks.spawn(async move {
            loop {
                let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                if start >= end {
                    return anyhow::Ok(());
                }
                import(store.as_ref(), &chunk(start..(start + CHUNK).min(end))).await?;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use wdt_domain::fixture::Fixture;

    #[test]
    fn the_generated_fixtures_pass_the_importers_checks() {
        let master = Fixture::parse(&super::master_data().to_string()).unwrap();
        assert_eq!((master.apps.len(), master.goods[0].specs.len()), (1, 3));
        let chunk = Fixture::parse(&super::refund_orders(40..45).to_string()).unwrap();
        assert_eq!(chunk.refund_orders.len(), 5);
        assert_eq!(chunk.refund_orders[0].refund_no, "TK40");
        assert_eq!(chunk.trades[4].items[2].oid, "T44-2");
        let trades = Fixture::parse(&super::raw_refund_trades(7..9).to_string()).unwrap();
        assert_eq!((trades.trades.len(), trades.refund_orders.len()), (2, 0));
        assert_eq!(trades.trades[1].items[0].oid, "RT8-0");
    }
}
