//! PostgreSQL upkeep after the bench has loaded rows in bulk: what autovacuum would have done
//! by the time a real database held them, done at once so the measured phases do not pay for
//! it midway. Nothing here writes data; SQLite needs none of it.

use sqlx::{ConnectOptions, Connection, PgConnection};

use crate::store::is_postgres;

async fn connect(url: &str) -> anyhow::Result<PgConnection> {
    use std::str::FromStr;
    // Vacuuming a million rows is a slow statement by design; no warning for it.
    Ok(sqlx::postgres::PgConnectOptions::from_str(url)?.disable_statement_logging().connect().await?)
}

/// After seeding: statistics of the tables the import filled, and a checkpoint.
pub async fn after_seeding(url: &str) -> anyhow::Result<()> {
    if !is_postgres(url) {
        return Ok(());
    }
    let mut conn = connect(url).await?;
    // Only the seeded tables: statistics saying the stock-in tables are empty would make
    // PostgreSQL plan the foreign-key checks against them as sequential scans, and each
    // connection keeps those plans while the tables grow under the load.
    sqlx::query("VACUUM ANALYZE trades, trade_items, refund_orders, refund_order_items").execute(&mut conn).await?;
    // The import's WAL would otherwise be checkpointed during the load it is not part of
    // (needs superuser or pg_checkpoint; without it the load may see that checkpoint).
    if let Err(e) = sqlx::query("CHECKPOINT").execute(&mut conn).await {
        eprintln!("no CHECKPOINT after seeding ({e}); the load may pay for one");
    }
    conn.close().await?;
    Ok(())
}

/// After growing the stock-ins: the state autovacuum keeps a table of a million rows in (it
/// vacuums inserted rows past a fifth of the table): statistics, and a visibility map that lets
/// the page query read the time index alone instead of visiting every row it skips.
pub async fn after_growth(url: &str) -> anyhow::Result<()> {
    if !is_postgres(url) {
        return Ok(());
    }
    let mut conn = connect(url).await?;
    sqlx::query("VACUUM ANALYZE stockin_orders, stockin_order_details, stockin_refund_links")
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// After loading the read bench's records: statistics and visibility maps of the tables its
/// queries read.
pub async fn after_read_load(url: &str) -> anyhow::Result<()> {
    if !is_postgres(url) {
        return Ok(());
    }
    let mut conn = connect(url).await?;
    sqlx::query(
        "VACUUM ANALYZE trades, trade_items, refund_orders, refund_order_items, specs, goods, stock, stock_costs, \
         stock_specs, stock_ledger, stock_ledger_levels",
    )
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}
