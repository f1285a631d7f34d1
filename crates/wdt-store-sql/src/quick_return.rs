//! Quick return: pick or make the refund order, then receive through the return stock-in path,
//! all in the caller's write transaction.

use crate::db::{Executor, query};
use wdt_domain::cost::order_amount;
use wdt_domain::model::{RefundOrderStatus, RefundOrderType, RefundReceiptState, WarehouseKind};
use wdt_domain::numbering::DocKind;
use wdt_domain::quick_return::{
    NewRefundItem, QuickReturn, QuickReturnContext, RefundTarget, TradeItemState, TradeRefundItem, TradeRefundState,
    TradeState, prepare,
};
use wdt_protocol::Dec4;
use wdt_store::{AppCredential, StockinCreated, StoreError, StoreResult};

use crate::stockin::{self, next_doc_no};
use crate::stockin_batch::Pending;

fn q(scaled: i64) -> Dec4 {
    Dec4::from_scaled(scaled)
}

async fn load(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &QuickReturn,
) -> StoreResult<(QuickReturnContext, Option<(i64, i64)>)> {
    let sid = app.sid.as_str();
    let mut ctx = QuickReturnContext { scope: app.scope(), ..QuickReturnContext::default() };
    let mut trade_refs = None;
    // The trade row serialises quick returns of one trade (PostgreSQL).
    let lock = conn.lock_of("t");
    if let Some(t) = query(format!(
        "SELECT t.id, s.shop_no, t.shop_id, t.customer_id, t.shipped FROM trades t JOIN shops s ON s.id = t.shop_id \
         WHERE t.sid = ? AND t.tid = ?{lock}"
    ))
    .bind(sid)
    .bind(&cmd.tid)
    .fetch_optional(conn)
    .await?
    {
        let trade_id: i64 = t.get(0);
        trade_refs = Some((t.get::<i64, _>(2), t.get::<Option<i64>, _>(3).unwrap_or(0)));
        let items = query(
            "SELECT i.id, i.oid, i.spec_id, sp.spec_no, i.num, i.price FROM trade_items i JOIN specs sp ON sp.id = i.spec_id \
             WHERE i.trade_id = ? ORDER BY i.id",
        )
        .bind(trade_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| TradeItemState { id: r.get(0), oid: r.get(1), spec_id: r.get(2), spec_no: r.get(3), num: q(r.get(4)), price: q(r.get(5)) })
        .collect();
        ctx.trade = Some(TradeState { id: trade_id, shop_no: t.get(1), shipped: t.get(4), items });
        let refunds =
            query("SELECT id, refund_no, status, stockin_status FROM refund_orders WHERE trade_id = ? ORDER BY id")
                .bind(trade_id)
                .fetch_all(conn)
                .await?;
        for r in refunds {
            let id: i64 = r.get(0);
            let status: i64 = r.get(2);
            let receipt: i64 = r.get(3);
            let items = query("SELECT id, spec_id, refund_num, stockin_num FROM refund_order_items WHERE refund_order_id = ? ORDER BY seq")
                .bind(id)
                .fetch_all(conn)
                .await?
                .into_iter()
                .map(|i| TradeRefundItem { id: i.get(0), spec_id: i.get(1), refund_num: q(i.get(2)), stockin_num: q(i.get(3)) })
                .collect();
            ctx.refunds.push(TradeRefundState {
                id,
                refund_no: r.get(1),
                status: crate::stored_code(status, format_args!("the status of refund order {id}"))?,
                receipt: crate::stored_code(receipt, format_args!("the stockin_status of refund order {id}"))?,
                items,
            });
        }
    }
    if let Some(w) = query("SELECT warehouse_no, kind FROM warehouses WHERE sid = ? AND warehouse_no = ?")
        .bind(sid)
        .bind(&cmd.warehouse_no)
        .fetch_optional(conn)
        .await?
    {
        let kind: String = w.get(1);
        ctx.warehouse = Some((w.get(0), WarehouseKind::parse(&kind).unwrap_or(WarehouseKind::Normal)));
    }
    Ok((ctx, trade_refs))
}

/// Appends `items` to refund order `refund_id`, after its last line; `raw_refund_no` names the raw
/// refund they came from (empty for a quick return's).
pub(crate) async fn add_items(
    conn: &mut impl Executor,
    sid: &str,
    refund_id: i64,
    items: &[NewRefundItem],
    raw_refund_no: &str,
) -> StoreResult<()> {
    let mut seq: i64 = query("SELECT COALESCE(MAX(seq) + 1, 0) FROM refund_order_items WHERE refund_order_id = ?")
        .bind(refund_id)
        .scalar(conn)
        .await?;
    for it in items {
        query(
            "INSERT INTO refund_order_items (sid, refund_order_id, seq, oid, trade_item_id, spec_id, refund_num, price, \
             raw_refund_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(sid)
        .bind(refund_id)
        .bind(seq)
        .bind(&it.oid)
        .bind(it.trade_item_id)
        .bind(it.spec_id)
        .bind(it.refund_num.to_scaled())
        .bind(it.price.to_scaled())
        .bind(raw_refund_no)
        .execute(conn)
        .await?;
        seq += 1;
    }
    Ok(())
}

/// Recomputes a refund order's amounts from its items (Σ refund_num × price, rounded per item).
async fn refresh_amounts(conn: &mut impl Executor, refund_id: i64, now: i64) -> StoreResult<()> {
    let items = query("SELECT refund_num, price FROM refund_order_items WHERE refund_order_id = ?")
        .bind(refund_id)
        .fetch_all(conn)
        .await?;
    let amount = order_amount(items.iter().map(|r| (q(r.get(0)), q(r.get(1)))))
        .ok_or_else(|| StoreError::Database(format!("refund order {refund_id}: amount out of range")))?;
    query("UPDATE refund_orders SET refund_amount = ?, actual_refund_amount = ?, modified = ? WHERE id = ?")
        .bind(amount.to_scaled())
        .bind(amount.to_scaled())
        .bind(now)
        .bind(refund_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn create(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &QuickReturn,
    now: i64,
) -> StoreResult<StockinCreated> {
    let sid = app.sid.as_str();
    let (ctx, trade_refs) = load(conn, app, cmd).await?;
    let target = prepare(cmd, &ctx)?;
    let refund_no = match target {
        RefundTarget::Existing { id, refund_no, check, raise, add } => {
            if check {
                query("UPDATE refund_orders SET status = ? WHERE id = ?")
                    .bind(RefundOrderStatus::Checked.code())
                    .bind(id)
                    .execute(conn)
                    .await?;
            }
            for (item_id, refund_num) in raise {
                query("UPDATE refund_order_items SET refund_num = ? WHERE id = ?")
                    .bind(refund_num.to_scaled())
                    .bind(item_id)
                    .execute(conn)
                    .await?;
            }
            add_items(conn, sid, id, &add, "").await?;
            refresh_amounts(conn, id, now).await?;
            refund_no
        }
        RefundTarget::New { items } => {
            let trade_id = ctx.trade.as_ref().map(|t| t.id).unwrap_or_default();
            let (shop_id, customer_id) = trade_refs.unwrap_or_default();
            let refund_no = next_doc_no(conn, sid, DocKind::RefundOrder, now).await?;
            let id: i64 = query(
                "INSERT INTO refund_orders (sid, refund_no, trade_id, shop_id, customer_id, type, status, stockin_status, \
                 remark, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(sid)
            .bind(&refund_no)
            .bind(trade_id)
            .bind(shop_id)
            .bind((customer_id != 0).then_some(customer_id))
            .bind(RefundOrderType::Return.code())
            .bind(RefundOrderStatus::Checked.code())
            .bind(RefundReceiptState::Awaiting.code())
            .bind(&cmd.remark)
            .bind(now)
            .bind(now)
            .scalar(conn)
            .await?;
            add_items(conn, sid, id, &items, "").await?;
            refresh_amounts(conn, id, now).await?;
            refund_no
        }
    };
    let pending = Pending { app: app.clone(), cmd: cmd.stockin(refund_no), now };
    stockin::create(conn, &pending).await
}
