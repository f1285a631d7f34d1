//! Read models for people and tests: stock lines, ledger rows, refund progress.

use crate::db::{Conn, query};
use wdt_protocol::Dec4;
use wdt_store::{LedgerRowView, RefundItemView, RefundOrderView, StockLineView, StoreResult};

use crate::db_err;

pub(crate) async fn stock_of(conn: &mut Conn, sid: &str, spec_no: &str) -> StoreResult<Vec<StockLineView>> {
    let rows = query(
        "SELECT w.warehouse_no, sp.spec_no, s.defect, COALESCE(b.batch_no, ''), p.position_no, s.num \
         FROM stock s JOIN specs sp ON sp.id = s.spec_id JOIN warehouses w ON w.id = s.warehouse_id \
         JOIN positions p ON p.id = s.position_id LEFT JOIN batches b ON b.id = s.batch_id \
         WHERE s.sid = ? AND sp.spec_no = ? ORDER BY w.warehouse_no, s.defect, 4, p.position_no",
    )
    .bind(sid)
    .bind(spec_no)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| StockLineView {
            warehouse_no: r.get(0),
            spec_no: r.get(1),
            defect: r.get(2),
            batch_no: r.get(3),
            position_no: r.get(4),
            num: Dec4::from_scaled(r.get(5)),
        })
        .collect())
}

pub(crate) async fn ledger_of(conn: &mut Conn, sid: &str, spec_no: &str) -> StoreResult<Vec<LedgerRowView>> {
    let rows = query(
        "SELECT l.doc_type, l.doc_no, w.warehouse_no, sp.spec_no, p.position_no, COALESCE(b.batch_no, ''), l.defect, \
                l.num_before, l.num_change, l.num_after, l.cost_price \
         FROM stock_ledger l JOIN specs sp ON sp.id = l.spec_id JOIN warehouses w ON w.id = l.warehouse_id \
         JOIN positions p ON p.id = l.position_id LEFT JOIN batches b ON b.id = l.batch_id \
         WHERE l.sid = ? AND sp.spec_no = ? ORDER BY l.id",
    )
    .bind(sid)
    .bind(spec_no)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| LedgerRowView {
            doc_type: r.get(0),
            doc_no: r.get(1),
            warehouse_no: r.get(2),
            spec_no: r.get(3),
            position_no: r.get(4),
            batch_no: r.get(5),
            defect: r.get(6),
            num_before: Dec4::from_scaled(r.get(7)),
            num_change: Dec4::from_scaled(r.get(8)),
            num_after: Dec4::from_scaled(r.get(9)),
            cost_price: Dec4::from_scaled(r.get(10)),
        })
        .collect())
}

pub(crate) async fn refund_order(conn: &mut Conn, sid: &str, refund_no: &str) -> StoreResult<Option<RefundOrderView>> {
    let Some(order) =
        query("SELECT id, refund_no, status, stockin_status FROM refund_orders WHERE sid = ? AND refund_no = ?")
            .bind(sid)
            .bind(refund_no)
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
    else {
        return Ok(None);
    };
    let items = query(
        "SELECT i.oid, sp.spec_no, i.refund_num, i.stockin_num, i.price FROM refund_order_items i \
         JOIN specs sp ON sp.id = i.spec_id WHERE i.refund_order_id = ? ORDER BY i.seq",
    )
    .bind(order.get::<i64, _>(0))
    .fetch_all(conn)
    .await
    .map_err(db_err)?
    .into_iter()
    .map(|r| RefundItemView {
        oid: r.get(0),
        spec_no: r.get(1),
        refund_num: Dec4::from_scaled(r.get(2)),
        stockin_num: Dec4::from_scaled(r.get(3)),
        price: Dec4::from_scaled(r.get(4)),
    })
    .collect();
    Ok(Some(RefundOrderView { refund_no: order.get(1), status: order.get(2), stockin_status: order.get(3), items }))
}
