//! Read models of whole documents, header and lines: what the console's document pages show and
//! what an operator action answers with.

use wdt_protocol::Dec4;
use wdt_store::{DocumentFilter, PurchaseReturnSummary, StockinView, StoreResult, TradeItemView, TradeView};

use crate::db::{Executor, Row, query};
use crate::views::{
    PURCHASE_RETURN_COLUMNS, STOCKIN_COLUMNS, STOCKIN_JOINS, newest_first, purchase_return_summary, stockin_lines,
    stockin_summary,
};

fn q(scaled: i64) -> Dec4 {
    Dec4::from_scaled(scaled)
}

pub(crate) async fn stockin(conn: &mut impl Executor, sid: &str, order_no: &str) -> StoreResult<Option<StockinView>> {
    let Some(r) = query(format!(
        "{STOCKIN_COLUMNS}, COALESCE(a.app_key, ''), o.checked_by, o.remark{STOCKIN_JOINS} \
         LEFT JOIN apps a ON a.id = o.app_id WHERE o.sid = ? AND o.order_no = ?"
    ))
    .bind(sid)
    .bind(order_no)
    .fetch_optional(conn)
    .await?
    else {
        return Ok(None);
    };
    let summary = stockin_summary(&r);
    let lines = stockin_lines(conn, sid, order_no).await?;
    Ok(Some(StockinView { summary, created_by: r.get(9), checked_by: r.get(10), remark: r.get(11), lines }))
}

pub(crate) async fn purchase_return(
    conn: &mut impl Executor,
    sid: &str,
    return_no: &str,
) -> StoreResult<Option<PurchaseReturnSummary>> {
    let row = query(format!("{PURCHASE_RETURN_COLUMNS} WHERE pr.sid = ? AND pr.return_no = ?"))
        .bind(sid)
        .bind(return_no)
        .fetch_optional(conn)
        .await?;
    Ok(row.as_ref().map(purchase_return_summary))
}

const TRADE_COLUMNS: &str = "SELECT t.id, t.sid, t.tid, t.trade_no, sh.shop_no, t.shipped, COALESCE(w.warehouse_no, ''), \
     t.stockout_no, t.shipped_at, t.created FROM trades t JOIN shops sh ON sh.id = t.shop_id \
     LEFT JOIN warehouses w ON w.id = t.warehouse_id";

async fn trades_with_items(conn: &mut impl Executor, rows: Vec<Row>) -> StoreResult<Vec<TradeView>> {
    let mut trades = Vec::with_capacity(rows.len());
    for r in rows {
        let items = query(
            "SELECT i.oid, sp.spec_no, i.num, i.price FROM trade_items i JOIN specs sp ON sp.id = i.spec_id \
             WHERE i.trade_id = ? ORDER BY i.id",
        )
        .bind(r.get::<i64, _>(0))
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|i| TradeItemView { oid: i.get(0), spec_no: i.get(1), num: q(i.get(2)), price: q(i.get(3)) })
        .collect();
        trades.push(TradeView {
            sid: r.get(1),
            tid: r.get(2),
            trade_no: r.get(3),
            shop_no: r.get(4),
            shipped: r.get(5),
            warehouse_no: r.get(6),
            stockout_no: r.get(7),
            shipped_at: r.get(8),
            created: r.get(9),
            items,
        });
    }
    Ok(trades)
}

pub(crate) async fn trade(conn: &mut impl Executor, sid: &str, tid: &str) -> StoreResult<Option<TradeView>> {
    let rows =
        query(format!("{TRADE_COLUMNS} WHERE t.sid = ? AND t.tid = ?")).bind(sid).bind(tid).fetch_all(conn).await?;
    Ok(trades_with_items(conn, rows).await?.pop())
}

pub(crate) async fn list_trades(conn: &mut impl Executor, f: &DocumentFilter) -> StoreResult<Vec<TradeView>> {
    let qb = query(format!("{TRADE_COLUMNS} WHERE 1 = 1"));
    let rows = newest_first(conn, qb, "t", "created", "t.tid", f).await?;
    trades_with_items(conn, rows).await
}
