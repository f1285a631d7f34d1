//! Test mode's state controls (SPEC.md §11): empty every table, take a named copy of every
//! table, put one back. Each runs in one write transaction of the store, in SQL both databases
//! take (`CREATE TABLE … AS SELECT`, `INSERT … SELECT`), so a snapshot lives in the database
//! beside the data: every server over one PostgreSQL sees it, and it survives a restart.

use wdt_store::{SnapshotInfo, StoreError, StoreResult};

use crate::db::{Executor, query};

/// Every table of the domain, parents before children: the order rows are inserted in, and
/// (reversed) deleted in. A test checks it names every table the migrations create.
pub const TABLES: &[&str] = &[
    "sellers",
    "apps",
    "warehouses",
    "positions",
    "app_warehouses",
    "logistics",
    "shops",
    "app_shops",
    "customers",
    "providers",
    "units",
    "goods",
    "specs",
    "spec_units",
    "batches",
    "trades",
    "trade_items",
    "refund_orders",
    "refund_order_items",
    "raw_refunds",
    "raw_refund_items",
    "purchase_orders",
    "purchase_order_items",
    "stockin_orders",
    "stockin_order_details",
    "stockin_refund_links",
    "serial_numbers",
    "stockin_detail_sns",
    "purchase_returns",
    "purchase_return_details",
    "purchase_return_refs",
    "stock",
    "stock_costs",
    "stock_ledger",
    "doc_sequences",
    "audit_log",
];

/// Tables the database derives from the domain's data as it is written (a trigger keeps each):
/// emptied with it, never copied, rebuilt as a snapshot's rows go back in.
pub const DERIVED: &[&str] = &["stock_specs", "stock_ledger_levels"];

/// Tables the migrations create that are not the domain's data.
pub const NOT_DATA: &[&str] =
    &["maintenance_unlock", "snapshots", "call_registry", "call_minutes", "call_leases", "console_sessions"];

/// How the tables a database holds differ from [`TABLES`] and [`NOT_DATA`]: the ones neither
/// lists (a migration added a table a snapshot would miss), then the listed ones it lacks.
/// Migration bookkeeping and snapshot copies are left out.
pub fn unlisted_tables(present: &[String]) -> (Vec<String>, Vec<String>) {
    let ours = |t: &str| TABLES.contains(&t) || NOT_DATA.contains(&t) || DERIVED.contains(&t);
    let extra = present
        .iter()
        .filter(|t| !t.starts_with("_sqlx") && !t.starts_with("snapshot_") && !ours(t))
        .cloned()
        .collect();
    let missing = TABLES
        .iter()
        .chain(NOT_DATA)
        .chain(DERIVED)
        .filter(|t| !present.iter().any(|p| p == *t))
        .map(|t| (*t).to_owned())
        .collect();
    (extra, missing)
}

/// Snapshot names: what a test suite would call them, and safe anywhere they are shown.
fn check_name(name: &str) -> StoreResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::Refused(wdt_domain::operations::Refusal::invalid(
            "name",
            name,
            format!("快照名只能由字母、数字、'-'、'_'、'.' 组成, 1 到 64 个字符 name: {name}"),
        )))
    }
}

fn snapshot_table(id: i64, table: &str) -> String {
    format!("snapshot_{id}_{table}")
}

/// Deletes every row of every domain table, the append-only ones included.
async fn empty_all(conn: &mut impl Executor) -> StoreResult<()> {
    query("INSERT INTO maintenance_unlock (reason) VALUES ('reset')").execute(conn).await?;
    let tables: Vec<&str> = TABLES.iter().chain(DERIVED).copied().collect();
    match conn.truncate_all(&tables) {
        Some(sql) => {
            query(sql).execute(conn).await?;
        }
        None => {
            for table in tables.iter().rev() {
                query(format!("DELETE FROM {table}")).execute(conn).await?;
            }
        }
    }
    query("DELETE FROM maintenance_unlock").execute(conn).await?;
    // Calls answered before the reset or restore are not the same calls after it.
    crate::calls::forget(conn).await
}

/// Empties every seller's data (snapshots are kept).
pub(crate) async fn reset(conn: &mut impl Executor) -> StoreResult<()> {
    empty_all(conn).await?;
    resync_identities(conn).await
}

async fn resync_identities(conn: &mut impl Executor) -> StoreResult<()> {
    for table in TABLES.iter().chain(DERIVED) {
        if let Some(sql) = conn.resync_identity(table) {
            query(sql).execute(conn).await?;
        }
    }
    Ok(())
}

async fn find(conn: &mut impl Executor, name: &str) -> StoreResult<Option<SnapshotInfo>> {
    let row =
        query("SELECT id, name, rows, created FROM snapshots WHERE name = ?").bind(name).fetch_optional(conn).await?;
    Ok(row.map(|r| SnapshotInfo { id: r.get(0), name: r.get(1), rows: r.get(2), created: r.get(3) }))
}

async fn drop_tables(conn: &mut impl Executor, id: i64) -> StoreResult<()> {
    for table in TABLES {
        query(format!("DROP TABLE IF EXISTS {}", snapshot_table(id, table))).execute(conn).await?;
    }
    Ok(())
}

/// Copies every domain table under `name`, replacing an earlier snapshot of that name.
pub(crate) async fn take(conn: &mut impl Executor, name: &str, now: i64) -> StoreResult<SnapshotInfo> {
    check_name(name)?;
    if let Some(old) = find(conn, name).await? {
        drop_tables(conn, old.id).await?;
        query("DELETE FROM snapshots WHERE id = ?").bind(old.id).execute(conn).await?;
    }
    let id: i64 = query("INSERT INTO snapshots (name, rows, created) VALUES (?, 0, ?) RETURNING id")
        .bind(name)
        .bind(now)
        .scalar(conn)
        .await?;
    let mut rows = 0;
    for table in TABLES {
        let copy = snapshot_table(id, table);
        query(format!("CREATE TABLE {copy} AS SELECT * FROM {table}")).execute(conn).await?;
        let n: i64 = query(format!("SELECT COUNT(*) FROM {copy}")).scalar(conn).await?;
        rows += n;
    }
    query("UPDATE snapshots SET rows = ? WHERE id = ?").bind(rows).bind(id).execute(conn).await?;
    Ok(SnapshotInfo { id, name: name.to_owned(), rows, created: now })
}

/// Puts every domain table back as snapshot `name` holds it.
pub(crate) async fn restore(conn: &mut impl Executor, name: &str) -> StoreResult<SnapshotInfo> {
    check_name(name)?;
    let info = find(conn, name)
        .await?
        .ok_or_else(|| StoreError::Refused(wdt_domain::operations::Refusal::not_found("快照", "name", name)))?;
    empty_all(conn).await?;
    for table in TABLES {
        let copy = snapshot_table(info.id, table);
        query(format!("INSERT INTO {table} SELECT * FROM {copy}")).execute(conn).await?;
    }
    resync_identities(conn).await?;
    Ok(info)
}

/// Every snapshot, oldest first.
pub(crate) async fn list(conn: &mut impl Executor) -> StoreResult<Vec<SnapshotInfo>> {
    let rows = query("SELECT id, name, rows, created FROM snapshots ORDER BY id").fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| SnapshotInfo { id: r.get(0), name: r.get(1), rows: r.get(2), created: r.get(3) })
        .collect())
}

/// Drops snapshot `name`; whether there was one.
pub(crate) async fn remove(conn: &mut impl Executor, name: &str) -> StoreResult<bool> {
    check_name(name)?;
    let Some(info) = find(conn, name).await? else { return Ok(false) };
    drop_tables(conn, info.id).await?;
    query("DELETE FROM snapshots WHERE id = ?").bind(info.id).execute(conn).await?;
    Ok(true)
}
