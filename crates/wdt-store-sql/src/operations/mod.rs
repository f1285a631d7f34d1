//! Operator actions (SPEC.md §10): each loads its document under the transaction's locks, asks
//! the domain rule ([`wdt_domain::operations`]) what it becomes, writes that with its stock and
//! ledger rows, and appends the audit row, all in the caller's transaction.

mod count;
mod documents;
mod ship;
mod stockin_check;

use wdt_domain::operations::{Action, Operation, Refusal};
use wdt_store::{ActionDone, AuditEntry, AuditFilter, DocumentView, StoreError, StoreResult};

use crate::db::{Executor, query};

/// What an action changed, before its audit row is written.
pub(crate) struct Change {
    /// State before, for people.
    pub before: String,
    /// State after.
    pub after: String,
    /// The number of a document the action made (stock-out, stock count), or empty.
    pub doc_no: String,
}

/// Runs `action` for `actor` inside `conn`'s transaction.
pub(crate) async fn act(conn: &mut impl Executor, actor: &str, action: &Action, now: i64) -> StoreResult<ActionDone> {
    let sid = action.sid.as_str();
    let change = match &action.op {
        Operation::ReviewRefundOrder { refund_no } => documents::review_refund_order(conn, sid, refund_no, now).await?,
        Operation::CancelRefundOrder { refund_no } => documents::cancel_refund_order(conn, sid, refund_no, now).await?,
        Operation::CheckStockin { order_no } => stockin_check::check(conn, sid, order_no, actor, now).await?,
        Operation::CancelStockin { order_no } => documents::cancel_stockin(conn, sid, order_no, now).await?,
        Operation::CheckPurchaseReturn { return_no } => {
            documents::check_purchase_return(conn, sid, return_no, actor, now).await?
        }
        Operation::CancelPurchaseReturn { return_no } => {
            documents::cancel_purchase_return(conn, sid, return_no, now).await?
        }
        Operation::ShipTrade { tid, warehouse_no } => ship::ship(conn, sid, tid, warehouse_no, now).await?,
        Operation::AdjustStock(count) => count::adjust(conn, sid, count, now).await?,
    };
    let audit = write_audit(conn, sid, actor, &action.op, change, now).await?;
    let document = document_after(conn, action).await?;
    Ok(ActionDone { audit, document })
}

async fn write_audit(
    conn: &mut impl Executor,
    sid: &str,
    actor: &str,
    op: &Operation,
    change: Change,
    now: i64,
) -> StoreResult<AuditEntry> {
    let (action, target) = (op.name(), op.target());
    let id: i64 = query(
        "INSERT INTO audit_log (sid, actor, action, target, before, after, doc_no, created) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(sid)
    .bind(actor)
    .bind(action)
    .bind(&target)
    .bind(&change.before)
    .bind(&change.after)
    .bind(&change.doc_no)
    .bind(now)
    .scalar(conn)
    .await?;
    Ok(AuditEntry {
        id,
        sid: sid.to_owned(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        target,
        before: change.before,
        after: change.after,
        doc_no: change.doc_no,
        created: now,
    })
}

/// The document as the action left it, read inside the same transaction.
async fn document_after(conn: &mut impl Executor, action: &Action) -> StoreResult<DocumentView> {
    let sid = action.sid.as_str();
    let missing = || StoreError::Database(format!("{} vanished after {}", action.op.target(), action.op.name()));
    Ok(match &action.op {
        Operation::ReviewRefundOrder { refund_no } | Operation::CancelRefundOrder { refund_no } => {
            DocumentView::RefundOrder(crate::views::refund_order(conn, sid, refund_no).await?.ok_or_else(missing)?)
        }
        Operation::CheckStockin { order_no } | Operation::CancelStockin { order_no } => {
            DocumentView::Stockin(crate::document_views::stockin(conn, sid, order_no).await?.ok_or_else(missing)?)
        }
        Operation::CheckPurchaseReturn { return_no } | Operation::CancelPurchaseReturn { return_no } => {
            DocumentView::PurchaseReturn(
                crate::document_views::purchase_return(conn, sid, return_no).await?.ok_or_else(missing)?,
            )
        }
        Operation::ShipTrade { tid, .. } => {
            DocumentView::Trade(crate::document_views::trade(conn, sid, tid).await?.ok_or_else(missing)?)
        }
        Operation::AdjustStock(count) => DocumentView::StockLine(count::line_view(conn, sid, count).await?),
    })
}

/// Audit rows, oldest first or newest first.
pub(crate) async fn audit(conn: &mut impl Executor, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
    let mut qb =
        query("SELECT id, sid, actor, action, target, before, after, doc_no, created FROM audit_log WHERE 1 = 1");
    if let Some(sid) = &f.sid {
        qb.push(" AND sid = ").push_bind(sid);
    }
    if let Some(since) = f.since {
        qb.push(" AND created >= ").push_bind(since);
    }
    if let Some(no) = &f.document {
        qb.push(" AND (target = ").push_bind(no).push(" OR doc_no = ").push_bind(no).push(")");
    }
    qb.push(if f.newest_first { " ORDER BY id DESC" } else { " ORDER BY id" });
    qb.push(" LIMIT ").push_bind(i64::from(f.limit)).push(" OFFSET ").push_bind(i64::from(f.offset));
    Ok(qb
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| AuditEntry {
            id: r.get(0),
            sid: r.get(1),
            actor: r.get(2),
            action: r.get(3),
            target: r.get(4),
            before: r.get(5),
            after: r.get(6),
            doc_no: r.get(7),
            created: r.get(8),
        })
        .collect())
}

/// A refusal of the domain's, as the store returns it.
pub(crate) fn refused(r: Refusal) -> StoreError {
    StoreError::Refused(r)
}
