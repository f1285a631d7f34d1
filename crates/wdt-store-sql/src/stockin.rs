//! Return stock-in, and the pieces of SQL other documents share with it: document numbers,
//! logistics lookups, the cost-row locks, one stock change with its ledger row.

use crate::db::{Executor, query};
use wdt_domain::model::LedgerDocType;
use wdt_domain::numbering::DocKind;
use wdt_protocol::Dec4;
use wdt_store::{StockinCreated, StoreError, StoreResult};

use crate::db_err;
use crate::stockin_batch::{Pending, create_many};

/// The unique constraint on a seller's stock-in outer numbers.
pub(crate) const OUTER_NO_CONSTRAINT: &str = "stockin_orders_sid_outer_no_key";

/// The logistics company `code` of seller `sid` if it serves `business` (a vendor business
/// number), or serves every business.
pub(crate) async fn logistics_for(
    conn: &mut impl Executor,
    sid: &str,
    code: &str,
    business: i64,
) -> StoreResult<Option<i64>> {
    query(
        "SELECT id FROM logistics WHERE sid = ? AND logistics_code = ? \
         AND (business_types IS NULL OR ',' || business_types || ',' LIKE '%,' || ? || ',%')",
    )
    .bind(sid)
    .bind(code)
    .bind(business.to_string())
    .scalar_optional(conn)
    .await
    .map_err(db_err)
}

/// Serialises writers of the same warehouse × spec on PostgreSQL (SQLite has one writer): the
/// moving-average cost rows are the lock, taken in spec order so two writers never wait on each
/// other in a cycle. Stock of these specs is read only after this.
pub(crate) async fn lock_specs(
    conn: &mut impl Executor,
    sid: &str,
    warehouse_id: i64,
    spec_ids: &[i64],
) -> StoreResult<()> {
    if conn.row_lock().is_empty() {
        return Ok(());
    }
    let mut ids = spec_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        query(
            "INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) VALUES (?, ?, ?, 0) \
             ON CONFLICT (warehouse_id, spec_id) DO NOTHING",
        )
        .bind(warehouse_id)
        .bind(*id)
        .bind(sid)
        .execute(conn)
        .await?;
    }
    let mut qb = query("SELECT spec_id FROM stock_costs WHERE warehouse_id = ");
    qb.push_bind(warehouse_id).push(" AND spec_id");
    qb.push_in(conn.binds_arrays(), ids.iter().copied()).push(" ORDER BY spec_id FOR UPDATE");
    qb.fetch_all(conn).await?;
    Ok(())
}

/// The next document number of `kind` for seller `sid` at `now` (epoch ms).
pub(crate) async fn next_doc_no(conn: &mut impl Executor, sid: &str, kind: DocKind, now: i64) -> StoreResult<String> {
    let mut numbers = next_doc_nos(conn, sid, kind, now, 1).await?;
    numbers.pop().ok_or_else(|| StoreError::Database("no document number".into()))
}

/// The next `count` document numbers, in order, from one update of the day's sequence.
pub(crate) async fn next_doc_nos(
    conn: &mut impl Executor,
    sid: &str,
    kind: DocKind,
    now: i64,
    count: usize,
) -> StoreResult<Vec<String>> {
    let day = kind.day(now);
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let last: i64 = query(
        "INSERT INTO doc_sequences (sid, prefix, day, last) VALUES (?, ?, ?, ?) \
         ON CONFLICT (sid, prefix, day) DO UPDATE SET last = doc_sequences.last + excluded.last RETURNING last",
    )
    .bind(sid)
    .bind(kind.prefix())
    .bind(&day)
    .bind(count)
    .scalar(conn)
    .await?;
    Ok((last - count + 1..=last).map(|n| kind.number(&day, n)).collect())
}

/// One stock change with its ledger row, as the domain computed it.
pub(crate) struct StockPosting<'a> {
    pub doc_type: LedgerDocType,
    pub doc_id: i64,
    pub doc_no: &'a str,
    pub warehouse_id: i64,
    pub spec_id: i64,
    pub defect: bool,
    pub batch_id: i64,
    pub position_id: i64,
    /// On hand on the line before, as the rule read it under its locks.
    pub before: Dec4,
    pub change: Dec4,
    pub cost_price: Dec4,
    pub now: i64,
}

/// Changes one stock line and appends its ledger row. The line must land where the rule said
/// (`before + change`): a line changed behind the rule's back fails the transaction instead of
/// writing a wrong ledger.
pub(crate) async fn post_stock_change(conn: &mut impl Executor, sid: &str, p: StockPosting<'_>) -> StoreResult<()> {
    let after = p.before.checked_add(p.change).ok_or_else(|| StoreError::Database("stock out of range".into()))?;
    let stored: i64 = query(
        "INSERT INTO stock (sid, warehouse_id, spec_id, defect, batch_id, position_id, num, last_in_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (warehouse_id, spec_id, defect, batch_id, position_id) DO UPDATE SET num = stock.num + excluded.num, \
         last_in_at = CASE WHEN excluded.num > 0 THEN excluded.last_in_at ELSE stock.last_in_at END RETURNING num",
    )
    .bind(sid)
    .bind(p.warehouse_id)
    .bind(p.spec_id)
    .bind(p.defect)
    .bind(p.batch_id)
    .bind(p.position_id)
    .bind(p.change.to_scaled())
    .bind(if p.change.is_positive() { p.now } else { 0 })
    .scalar(conn)
    .await?;
    if Dec4::from_scaled(stored) != after {
        return Err(StoreError::Database(format!(
            "stock line ({}, {}, {}, {}, {}) is {}, expected {after}: changed concurrently",
            p.warehouse_id,
            p.spec_id,
            p.defect,
            p.batch_id,
            p.position_id,
            Dec4::from_scaled(stored)
        )));
    }
    query(
        "INSERT INTO stock_ledger (sid, doc_type, doc_id, doc_no, warehouse_id, spec_id, position_id, batch_id, defect, \
         num_before, num_change, num_after, cost_price, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(sid)
    .bind(p.doc_type.code())
    .bind(p.doc_id)
    .bind(p.doc_no)
    .bind(p.warehouse_id)
    .bind(p.spec_id)
    .bind(p.position_id)
    .bind(p.batch_id)
    .bind(p.defect)
    .bind(p.before.to_scaled())
    .bind(p.change.to_scaled())
    .bind(after.to_scaled())
    .bind(p.cost_price.to_scaled())
    .bind(p.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Creates a return stock-in (SPEC.md §3.1) inside `conn`'s transaction: a batch of one.
pub async fn create(conn: &mut impl Executor, pending: &Pending) -> StoreResult<StockinCreated> {
    let one = [pending.clone()];
    let [answer] = <[_; 1]>::try_from(create_many(conn, &one).await?)
        .map_err(|_| StoreError::Database("one push got other than one answer".into()))?;
    answer
}
