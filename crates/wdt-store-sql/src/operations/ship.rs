//! 发货: the trade's goods leave the warehouse as a sales stock-out (CK…), first expiry first.

use wdt_domain::model::{LedgerDocType, WarehouseKind};
use wdt_domain::numbering::DocKind;
use wdt_domain::operations::shipping::{self, ShipContext, TradeState};
use wdt_protocol::Dec4;
use wdt_store::StoreResult;

use super::{Change, refused};
use crate::db::{Executor, query};
use crate::stock_out::{TakeDoc, fefo_stock, post_takes};
use crate::stockin::next_doc_no;

pub(super) async fn ship(
    conn: &mut impl Executor,
    sid: &str,
    tid: &str,
    warehouse_no: &str,
    now: i64,
) -> StoreResult<Change> {
    let lock = conn.row_lock();
    let trade = match query(format!("SELECT id, shipped FROM trades WHERE sid = ? AND tid = ?{lock}"))
        .bind(sid)
        .bind(tid)
        .fetch_optional(conn)
        .await?
    {
        None => None,
        Some(r) => {
            let id: i64 = r.get(0);
            let items = query(
                "SELECT i.spec_id, sp.spec_no, i.num FROM trade_items i JOIN specs sp ON sp.id = i.spec_id \
                 WHERE i.trade_id = ? ORDER BY i.id",
            )
            .bind(id)
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|i| (i.get(0), i.get(1), Dec4::from_scaled(i.get(2))))
            .collect();
            Some(TradeState { id, tid: tid.to_owned(), shipped: r.get(1), items })
        }
    };
    let mut ctx = ShipContext::default();
    if let Some(w) = query("SELECT id, warehouse_no, kind FROM warehouses WHERE sid = ? AND warehouse_no = ?")
        .bind(sid)
        .bind(warehouse_no)
        .fetch_optional(conn)
        .await?
    {
        let kind: String = w.get(2);
        ctx.warehouse = Some((w.get(0), w.get(1), WarehouseKind::parse(&kind).unwrap_or_default()));
    }
    if let (Some(t), Some((wid, _, _))) = (&trade, &ctx.warehouse) {
        let spec_ids: Vec<i64> = t.items.iter().map(|i| i.0).collect();
        (ctx.stock, ctx.costs) = fefo_stock(conn, sid, *wid, &spec_ids).await?;
    }
    let plan = shipping::plan(trade.as_ref(), tid, warehouse_no, &ctx).map_err(refused)?;
    let trade_id = trade.map(|t| t.id).unwrap_or_default();
    let stockout_no = next_doc_no(conn, sid, DocKind::Stockout, now).await?;
    query("UPDATE trades SET shipped = ?, warehouse_id = ?, stockout_no = ?, shipped_at = ? WHERE id = ?")
        .bind(true)
        .bind(plan.warehouse_id)
        .bind(&stockout_no)
        .bind(now)
        .bind(trade_id)
        .execute(conn)
        .await?;
    let doc = TakeDoc {
        doc_type: LedgerDocType::SalesStockout,
        doc_id: trade_id,
        doc_no: &stockout_no,
        warehouse_id: plan.warehouse_id,
    };
    post_takes(conn, sid, &doc, &plan.takes, now).await?;
    Ok(Change {
        before: "未发货 not shipped".into(),
        after: format!("已发货 shipped {warehouse_no}"),
        doc_no: stockout_no,
    })
}
