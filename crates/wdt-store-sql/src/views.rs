//! Read models for people (the console) and tests: lists of documents, stock lines, ledger rows,
//! refund progress.

use wdt_protocol::Dec4;
use wdt_store::{
    DocumentFilter, LedgerRowView, LineFilter, PurchaseReturnSummary, RefundItemView, RefundOrderSummary,
    RefundOrderView, StockLineView, StockinLineView, StockinListFilter, StockinSummary, StoreResult,
};

use crate::db::{Executor, Query, Row, query};
use crate::db_err;

fn q(scaled: i64) -> Dec4 {
    Dec4::from_scaled(scaled)
}

/// Appends the `LineFilter` conditions over the aliases the stock and ledger queries share.
fn push_line_filter(qb: &mut Query, table: &str, f: &LineFilter) {
    qb.push(" WHERE 1 = 1");
    let mut eq = |col: &str, v: &Option<String>| {
        if let Some(v) = v {
            qb.push(&format!(" AND {col} = ")).push_bind(v);
        }
    };
    eq(&format!("{table}.sid"), &f.sid);
    eq("sp.spec_no", &f.spec_no);
    eq("w.warehouse_no", &f.warehouse_no);
    eq("p.position_no", &f.position_no);
    eq("COALESCE(b.batch_no, '')", &f.batch_no);
    if let Some(d) = f.defect {
        qb.push(&format!(" AND {table}.defect = ")).push_bind(d);
    }
}

const LINE_JOINS: &str = " JOIN specs sp ON sp.id = {t}.spec_id JOIN warehouses w ON w.id = {t}.warehouse_id \
     JOIN positions p ON p.id = {t}.position_id LEFT JOIN batches b ON b.id = {t}.batch_id";

pub(crate) async fn list_stock(conn: &mut impl Executor, f: &LineFilter) -> StoreResult<Vec<StockLineView>> {
    let mut qb = query(
        "SELECT s.sid, w.warehouse_no, sp.spec_no, s.defect, COALESCE(b.batch_no, ''), p.position_no, s.num, \
         COALESCE(c.cost_price, 0) FROM stock s",
    );
    qb.push(&LINE_JOINS.replace("{t}", "s"));
    qb.push(" LEFT JOIN stock_costs c ON c.warehouse_id = s.warehouse_id AND c.spec_id = s.spec_id");
    push_line_filter(&mut qb, "s", f);
    qb.push(" ORDER BY s.sid, w.warehouse_no, sp.spec_no, s.defect, 5, p.position_no");
    push_page(&mut qb, f.offset, f.limit);
    let rows = qb.fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| StockLineView {
            sid: r.get(0),
            warehouse_no: r.get(1),
            spec_no: r.get(2),
            defect: r.get(3),
            batch_no: r.get(4),
            position_no: r.get(5),
            num: q(r.get(6)),
            cost_price: q(r.get(7)),
        })
        .collect())
}

pub(crate) async fn list_ledger(conn: &mut impl Executor, f: &LineFilter) -> StoreResult<Vec<LedgerRowView>> {
    let mut qb = query(
        "SELECT l.sid, l.created, l.doc_type, l.doc_no, w.warehouse_no, sp.spec_no, p.position_no, \
         COALESCE(b.batch_no, ''), l.defect, l.num_before, l.num_change, l.num_after, l.cost_price FROM stock_ledger l",
    );
    qb.push(&LINE_JOINS.replace("{t}", "l"));
    push_line_filter(&mut qb, "l", f);
    if let Some(doc) = &f.doc_no {
        qb.push(" AND l.doc_no = ").push_bind(doc);
    }
    qb.push(" ORDER BY l.id");
    push_page(&mut qb, f.offset, f.limit);
    let rows = qb.fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| LedgerRowView {
            sid: r.get(0),
            created: r.get(1),
            doc_type: r.get(2),
            doc_no: r.get(3),
            warehouse_no: r.get(4),
            spec_no: r.get(5),
            position_no: r.get(6),
            batch_no: r.get(7),
            defect: r.get(8),
            num_before: q(r.get(9)),
            num_change: q(r.get(10)),
            num_after: q(r.get(11)),
            cost_price: q(r.get(12)),
        })
        .collect())
}

pub(crate) async fn stock_of(conn: &mut impl Executor, sid: &str, spec_no: &str) -> StoreResult<Vec<StockLineView>> {
    let f = LineFilter { sid: Some(sid.into()), spec_no: Some(spec_no.into()), limit: 10_000, ..LineFilter::default() };
    list_stock(conn, &f).await
}

pub(crate) async fn ledger_of(conn: &mut impl Executor, sid: &str, spec_no: &str) -> StoreResult<Vec<LedgerRowView>> {
    let f =
        LineFilter { sid: Some(sid.into()), spec_no: Some(spec_no.into()), limit: 100_000, ..LineFilter::default() };
    list_ledger(conn, &f).await
}

pub(crate) async fn refund_order(
    conn: &mut impl Executor,
    sid: &str,
    refund_no: &str,
) -> StoreResult<Option<RefundOrderView>> {
    let Some(order) =
        query("SELECT id, refund_no, status, stockin_status FROM refund_orders WHERE sid = ? AND refund_no = ?")
            .bind(sid)
            .bind(refund_no)
            .fetch_optional(conn)
            .await?
    else {
        return Ok(None);
    };
    let items = query(
        "SELECT i.oid, sp.spec_no, i.refund_num, i.stockin_num, i.price FROM refund_order_items i \
         JOIN specs sp ON sp.id = i.spec_id WHERE i.refund_order_id = ? ORDER BY i.seq",
    )
    .bind(order.get::<i64, _>(0))
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| RefundItemView {
        oid: r.get(0),
        spec_no: r.get(1),
        refund_num: q(r.get(2)),
        stockin_num: q(r.get(3)),
        price: q(r.get(4)),
    })
    .collect();
    Ok(Some(RefundOrderView { refund_no: order.get(1), status: order.get(2), stockin_status: order.get(3), items }))
}

/// Appends ` LIMIT limit OFFSET offset`.
pub(crate) fn push_page(qb: &mut Query, offset: u32, limit: u32) {
    qb.push(" LIMIT ").push_bind(i64::from(limit));
    qb.push(" OFFSET ").push_bind(i64::from(offset));
}

/// Runs a console list (`qb`, ending in a `WHERE`): the rows `f` names (its seller's, or all
/// sellers'; the one whose `number` column matches), newest first by `alias.time` then id, one
/// page of them.
pub(crate) async fn newest_first(
    conn: &mut impl Executor,
    mut qb: Query,
    alias: &str,
    time: &str,
    number: &str,
    f: &DocumentFilter,
) -> StoreResult<Vec<Row>> {
    if let Some(sid) = &f.sid {
        qb.push(&format!(" AND {alias}.sid = ")).push_bind(sid);
    }
    if let Some(no) = &f.number {
        qb.push(&format!(" AND {number} = ")).push_bind(no);
    }
    qb.push(&format!(" ORDER BY {alias}.{time} DESC, {alias}.id DESC"));
    push_page(&mut qb, f.offset, f.limit);
    qb.fetch_all(conn).await.map_err(db_err)
}

pub(crate) async fn list_refund_orders(
    conn: &mut impl Executor,
    f: &DocumentFilter,
) -> StoreResult<Vec<RefundOrderSummary>> {
    let qb = query(
        "SELECT r.sid, r.refund_no, t.tid, sh.shop_no, r.status, r.stockin_status, \
         CAST(COALESCE((SELECT SUM(i.refund_num) FROM refund_order_items i WHERE i.refund_order_id = r.id), 0) AS BIGINT), \
         CAST(COALESCE((SELECT SUM(i.stockin_num) FROM refund_order_items i WHERE i.refund_order_id = r.id), 0) AS BIGINT), \
         r.modified FROM refund_orders r JOIN trades t ON t.id = r.trade_id JOIN shops sh ON sh.id = r.shop_id WHERE 1 = 1",
    );
    let rows = newest_first(conn, qb, "r", "modified", "r.refund_no", f).await?;
    Ok(rows
        .into_iter()
        .map(|r| RefundOrderSummary {
            sid: r.get(0),
            refund_no: r.get(1),
            tid: r.get(2),
            shop_no: r.get(3),
            status: r.get(4),
            stockin_status: r.get(5),
            expected: q(r.get(6)),
            received: q(r.get(7)),
            modified: r.get(8),
        })
        .collect())
}

/// What a stock-in list selects (read by [`stockin_summary`]) and the joins it needs, for
/// `stockin_orders o`.
pub(crate) const STOCKIN_COLUMNS: &str = "SELECT o.sid, o.order_no, COALESCE(o.outer_no, ''), o.status, r.refund_no, \
     w.warehouse_no, o.goods_count, o.created, o.check_time";
pub(crate) const STOCKIN_JOINS: &str = " FROM stockin_orders o JOIN refund_orders r ON r.id = o.refund_order_id \
     JOIN warehouses w ON w.id = o.warehouse_id";

pub(crate) async fn list_stockins(conn: &mut impl Executor, f: &StockinListFilter) -> StoreResult<Vec<StockinSummary>> {
    let mut qb = query(format!("{STOCKIN_COLUMNS}{STOCKIN_JOINS} WHERE 1 = 1"));
    if let Some(v) = &f.sid {
        qb.push(" AND o.sid = ").push_bind(v);
    }
    if let Some(v) = f.from_ms {
        qb.push(" AND o.created >= ").push_bind(v);
    }
    if let Some(v) = f.to_ms {
        qb.push(" AND o.created <= ").push_bind(v);
    }
    if let Some(v) = &f.warehouse_no {
        qb.push(" AND w.warehouse_no = ").push_bind(v);
    }
    if let Some(v) = f.status {
        qb.push(" AND o.status = ").push_bind(v);
    }
    if let Some(v) = &f.refund_no {
        qb.push(" AND r.refund_no = ").push_bind(v);
    }
    if let Some(v) = &f.order_no {
        qb.push(" AND o.order_no = ").push_bind(v);
    }
    qb.push(" ORDER BY o.created DESC, o.id DESC");
    push_page(&mut qb, f.offset, f.limit);
    Ok(qb.fetch_all(conn).await?.iter().map(stockin_summary).collect())
}

/// A stock-in as lists show it, from the first columns of [`STOCKIN_COLUMNS`].
pub(crate) fn stockin_summary(r: &Row) -> StockinSummary {
    StockinSummary {
        sid: r.get(0),
        order_no: r.get(1),
        outer_no: r.get(2),
        status: r.get(3),
        refund_no: r.get(4),
        warehouse_no: r.get(5),
        goods_count: q(r.get(6)),
        created: r.get(7),
        check_time: r.get(8),
    }
}

pub(crate) async fn stockin_lines(
    conn: &mut impl Executor,
    sid: &str,
    order_no: &str,
) -> StoreResult<Vec<StockinLineView>> {
    let rows = query(
        "SELECT sp.spec_no, w.warehouse_no, p.position_no, COALESCE(b.batch_no, ''), d.defect, d.num, d.stockin_price \
         FROM stockin_order_details d JOIN stockin_orders o ON o.id = d.stockin_id JOIN specs sp ON sp.id = d.spec_id \
         JOIN warehouses w ON w.id = o.warehouse_id JOIN positions p ON p.id = d.position_id \
         LEFT JOIN batches b ON b.id = d.batch_id WHERE o.sid = ? AND o.order_no = ? ORDER BY d.id",
    )
    .bind(sid)
    .bind(order_no)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StockinLineView {
            spec_no: r.get(0),
            warehouse_no: r.get(1),
            position_no: r.get(2),
            batch_no: r.get(3),
            defect: r.get(4),
            num: q(r.get(5)),
            price: q(r.get(6)),
        })
        .collect())
}

/// What a purchase-return list selects (read by [`purchase_return_summary`]), with its joins,
/// for `purchase_returns pr`.
pub(crate) const PURCHASE_RETURN_COLUMNS: &str = "SELECT pr.sid, pr.return_no, pv.provider_no, w.warehouse_no, pr.status, pr.check_fail_reason, pr.created \
     FROM purchase_returns pr JOIN providers pv ON pv.id = pr.provider_id JOIN warehouses w ON w.id = pr.warehouse_id";

/// A purchase return as lists show it, from [`PURCHASE_RETURN_COLUMNS`].
pub(crate) fn purchase_return_summary(r: &Row) -> PurchaseReturnSummary {
    PurchaseReturnSummary {
        sid: r.get(0),
        return_no: r.get(1),
        provider_no: r.get(2),
        warehouse_no: r.get(3),
        status: r.get(4),
        check_failure: r.get(5),
        created: r.get(6),
    }
}

pub(crate) async fn list_purchase_returns(
    conn: &mut impl Executor,
    f: &DocumentFilter,
) -> StoreResult<Vec<PurchaseReturnSummary>> {
    let qb = query(format!("{PURCHASE_RETURN_COLUMNS} WHERE 1 = 1"));
    let rows = newest_first(conn, qb, "pr", "created", "pr.return_no", f).await?;
    Ok(rows.iter().map(purchase_return_summary).collect())
}
