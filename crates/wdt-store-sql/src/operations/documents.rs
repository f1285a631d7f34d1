//! The actions on refund orders, purchase returns and stock-in cancellation: each locks its
//! document, asks the domain's transition, and writes the new status (a purchase return's check
//! also takes its goods out of stock).

use wdt_domain::model::{Coded, LedgerDocType, PurchaseReturnStatus, RefundOrderStatus, StockinStatus, StockoutStatus};
use wdt_domain::operations::Refusal;
use wdt_domain::operations::transitions::{self, RefundOrderNow};
use wdt_domain::stock_out::{Need, shortage_text, take};
use wdt_protocol::Dec4;
use wdt_store::StoreResult;

use super::{Change, refused};
use crate::db::{Executor, Row, query};
use crate::db_err;
use crate::stock_out::{TakeDoc, fefo_stock, post_takes};

fn status<S: Coded>(code: i64, what: &str) -> StoreResult<S> {
    crate::stored_code(code, format_args!("the status of {what}"))
}

fn change<S: Coded>(before: S, after: S) -> Change {
    Change { before: before.label(), after: after.label(), doc_no: String::new() }
}

/// The row of document `no` of seller `sid` (`sql` selects id and status first), locked.
async fn locked(conn: &mut impl Executor, sql: &str, sid: &str, no: &str) -> StoreResult<Option<Row>> {
    let lock = conn.row_lock();
    query(format!("{sql}{lock}")).bind(sid).bind(no).fetch_optional(conn).await.map_err(db_err)
}

async fn refund_order(conn: &mut impl Executor, sid: &str, refund_no: &str) -> StoreResult<(i64, RefundOrderStatus)> {
    let row = locked(conn, "SELECT id, status FROM refund_orders WHERE sid = ? AND refund_no = ?", sid, refund_no)
        .await?
        .ok_or_else(|| refused(Refusal::not_found("退换单", "refund_no", refund_no)))?;
    Ok((row.get(0), status(row.get(1), "refund order")?))
}

/// Sets the status of row `id` of `table` (a document table) and its modified time.
async fn set_status<S: Coded>(conn: &mut impl Executor, table: &str, id: i64, to: S, now: i64) -> StoreResult<()> {
    query(format!("UPDATE {table} SET status = ?, modified = ? WHERE id = ?"))
        .bind(to.code())
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub(super) async fn review_refund_order(
    conn: &mut impl Executor,
    sid: &str,
    refund_no: &str,
    now: i64,
) -> StoreResult<Change> {
    let (id, from) = refund_order(conn, sid, refund_no).await?;
    let to = transitions::review_refund_order(refund_no, from).map_err(refused)?;
    set_status(conn, "refund_orders", id, to, now).await?;
    Ok(change(from, to))
}

pub(super) async fn cancel_refund_order(
    conn: &mut impl Executor,
    sid: &str,
    refund_no: &str,
    now: i64,
) -> StoreResult<Change> {
    let (id, from) = refund_order(conn, sid, refund_no).await?;
    let received: i64 = query(
        "SELECT CAST(COALESCE(SUM(stockin_num), 0) AS BIGINT) FROM refund_order_items \
         WHERE refund_order_id = ?",
    )
    .bind(id)
    .scalar(conn)
    .await?;
    let open_stockins: Vec<String> =
        query("SELECT order_no FROM stockin_orders WHERE refund_order_id = ? AND status IN (?, ?) ORDER BY id")
            .bind(id)
            .bind(StockinStatus::Editing.code())
            .bind(StockinStatus::PendingReview.code())
            .scalars(conn)
            .await?;
    let now_state = RefundOrderNow {
        refund_no: refund_no.to_owned(),
        status: from,
        received: Dec4::from_scaled(received),
        open_stockins,
    };
    let to = transitions::cancel_refund_order(&now_state).map_err(refused)?;
    set_status(conn, "refund_orders", id, to, now).await?;
    Ok(change(from, to))
}

pub(super) async fn cancel_stockin(
    conn: &mut impl Executor,
    sid: &str,
    order_no: &str,
    now: i64,
) -> StoreResult<Change> {
    let row = locked(conn, "SELECT id, status FROM stockin_orders WHERE sid = ? AND order_no = ?", sid, order_no)
        .await?
        .ok_or_else(|| refused(Refusal::not_found("入库单", "order_no", order_no)))?;
    let from: StockinStatus = status(row.get(1), "stock-in")?;
    transitions::open_stockin(order_no, from, "取消").map_err(refused)?;
    let to = StockinStatus::Cancelled;
    set_status(conn, "stockin_orders", row.get(0), to, now).await?;
    Ok(change(from, to))
}

/// The purchase return `return_no`, locked: id, status, warehouse id.
async fn purchase_return(
    conn: &mut impl Executor,
    sid: &str,
    return_no: &str,
) -> StoreResult<(i64, PurchaseReturnStatus, i64)> {
    let row = locked(
        conn,
        "SELECT id, status, warehouse_id FROM purchase_returns WHERE sid = ? AND return_no = ?",
        sid,
        return_no,
    )
    .await?
    .ok_or_else(|| refused(Refusal::not_found("采购退货单", "order_no", return_no)))?;
    Ok((row.get(0), status(row.get(1), "purchase return")?, row.get(2)))
}

pub(super) async fn cancel_purchase_return(
    conn: &mut impl Executor,
    sid: &str,
    return_no: &str,
    now: i64,
) -> StoreResult<Change> {
    let (id, from, _) = purchase_return(conn, sid, return_no).await?;
    transitions::open_purchase_return(return_no, from, "取消").map_err(refused)?;
    let to = PurchaseReturnStatus::Cancelled;
    set_status(conn, "purchase_returns", id, to, now).await?;
    Ok(change(from, to))
}

/// Checks an unchecked purchase return: its lines leave stock first expiry first, as a checked
/// push's would; short stock refuses and leaves the return as it was.
pub(super) async fn check_purchase_return(
    conn: &mut impl Executor,
    sid: &str,
    return_no: &str,
    actor: &str,
    now: i64,
) -> StoreResult<Change> {
    let (id, from, warehouse_id) = purchase_return(conn, sid, return_no).await?;
    transitions::open_purchase_return(return_no, from, "审核").map_err(refused)?;
    let lines = query(
        "SELECT d.spec_id, sp.spec_no, d.num, d.defect, d.batch_id, COALESCE(b.batch_no, '') \
         FROM purchase_return_details d JOIN specs sp ON sp.id = d.spec_id LEFT JOIN batches b ON b.id = d.batch_id \
         WHERE d.purchase_return_id = ? ORDER BY d.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let needs: Vec<Need> = lines
        .iter()
        .map(|r| Need { spec_id: r.get(0), defect: r.get(3), batch_id: r.get(4), num: Dec4::from_scaled(r.get(2)) })
        .collect();
    let spec_ids: Vec<i64> = needs.iter().map(|n| n.spec_id).collect();
    let (stock, costs) = fefo_stock(conn, sid, warehouse_id, &spec_ids).await?;
    let takes = take(&needs, &stock, &costs).map_err(|short| {
        let line = &lines[short.index];
        let batch_no: String = line.get(5);
        let text = shortage_text(&line.get::<String, _>(1), line.get(3), Some(&batch_no), &short);
        refused(Refusal::conflict("order_no", return_no, format!("{text} order_no: {return_no}")))
    })?;
    let to = PurchaseReturnStatus::Checked;
    query(
        "UPDATE purchase_returns SET status = ?, stockout_status = ?, check_fail_reason = '', check_time = ?, \
         checked_by = ?, modified = ? WHERE id = ?",
    )
    .bind(to.code())
    .bind(StockoutStatus::Out.code())
    .bind(now)
    .bind(actor)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    let doc = TakeDoc { doc_type: LedgerDocType::PurchaseReturn, doc_id: id, doc_no: return_no, warehouse_id };
    post_takes(conn, sid, &doc, &takes, now).await?;
    Ok(change(from, to))
}
