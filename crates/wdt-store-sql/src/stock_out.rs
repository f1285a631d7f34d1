//! What goods leaving stock read and write, for every document that takes them out (purchase
//! returns, shipped trades): a warehouse's lines in first-expiry-first order, their costs, and
//! the ledger rows of the takes.

use std::collections::HashMap;

use wdt_domain::model::LedgerDocType;
use wdt_domain::stock_out::{StockLineState, StockTake};
use wdt_protocol::Dec4;
use wdt_store::StoreResult;

use crate::db::{Executor, query};
use crate::stockin::{StockPosting, lock_specs, post_stock_change};

/// The stock of `spec_ids` in `warehouse_id` that goods may leave, locked where rows lock:
/// lines holding stock, the earliest-expiring batch first, then by batch and position; and the
/// moving-average cost of each spec.
pub(crate) async fn fefo_stock(
    conn: &mut impl Executor,
    sid: &str,
    warehouse_id: i64,
    spec_ids: &[i64],
) -> StoreResult<(Vec<StockLineState>, HashMap<i64, Dec4>)> {
    if spec_ids.is_empty() {
        return Ok((Vec::new(), HashMap::new()));
    }
    lock_specs(conn, sid, warehouse_id, spec_ids).await?;
    let mut qb = query(
        "SELECT s.spec_id, s.defect, s.batch_id, s.position_id, s.num FROM stock s \
         LEFT JOIN batches b ON b.id = s.batch_id WHERE s.num > 0 AND s.warehouse_id = ",
    );
    qb.push_bind(warehouse_id).push(" AND s.spec_id");
    qb.push_in(conn.binds_arrays(), spec_ids.iter().copied());
    qb.push(" ORDER BY b.expire_date IS NULL, b.expire_date, s.batch_id, s.position_id");
    let stock = qb
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| StockLineState {
            spec_id: r.get(0),
            defect: r.get(1),
            batch_id: r.get(2),
            position_id: r.get(3),
            num: Dec4::from_scaled(r.get(4)),
        })
        .collect();
    let mut qb = query("SELECT spec_id, cost_price FROM stock_costs WHERE warehouse_id = ");
    qb.push_bind(warehouse_id).push(" AND spec_id");
    qb.push_in(conn.binds_arrays(), spec_ids.iter().copied());
    let costs = qb.fetch_all(conn).await?.into_iter().map(|r| (r.get(0), Dec4::from_scaled(r.get(1)))).collect();
    Ok((stock, costs))
}

/// The document whose takes a ledger row records.
pub(crate) struct TakeDoc<'a> {
    /// Its ledger type.
    pub doc_type: LedgerDocType,
    /// Its row id.
    pub doc_id: i64,
    /// Its number.
    pub doc_no: &'a str,
    /// The warehouse the goods leave.
    pub warehouse_id: i64,
}

/// Takes the goods out of stock, one ledger row per take.
pub(crate) async fn post_takes(
    conn: &mut impl Executor,
    sid: &str,
    doc: &TakeDoc<'_>,
    takes: &[StockTake],
    now: i64,
) -> StoreResult<()> {
    for t in takes {
        post_stock_change(
            conn,
            sid,
            StockPosting {
                doc_type: doc.doc_type,
                doc_id: doc.doc_id,
                doc_no: doc.doc_no,
                warehouse_id: doc.warehouse_id,
                spec_id: t.line.spec_id,
                defect: t.line.defect,
                batch_id: t.line.batch_id,
                position_id: t.line.position_id,
                before: t.before,
                change: -t.num,
                cost_price: t.cost_price,
                now,
            },
        )
        .await?;
    }
    Ok(())
}
