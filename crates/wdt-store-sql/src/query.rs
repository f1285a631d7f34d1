//! `wms.stockin.Refund.queryWithDetail`: one page of return stock-ins with details, every filter
//! in SQL, ordered by (time, id) so paging by time never skips or repeats a row.

use std::collections::HashMap;

use crate::db::{Executor, Query, Row, query};
use wdt_domain::model::{RefundOrderType, StockinOrderType, StockinStatus};
use wdt_domain::privacy;
use wdt_domain::query::{MAX_PAGE_LINES, StockinAge, StockinQuery, TimeField, page_lines_exceeded, unknown_warehouse};
use wdt_protocol::Dec4;
use wdt_protocol::methods::refund_stockin_query::{
    NO_VALUE, QueryPage, RefundOrderDetailLink, StockinDetailRow, StockinOrderRow,
};
use wdt_protocol::time::format_wire_time;
use wdt_store::{StoreError, StoreResult};

use crate::db_err;

fn q(scaled: i64) -> Dec4 {
    Dec4::from_scaled(scaled)
}

fn opt_time(ms: Option<i64>) -> String {
    ms.map(format_wire_time).unwrap_or_default()
}

/// Appends the FROM and WHERE clauses shared by the page and the count. They join only what the
/// filters read: the stock-in and its shop (copied from the refund order, so that on SQLite a
/// window is skipped and counted in the time index alone), and the warehouse or the refund order
/// when a filter names them.
fn push_filtered(qb: &mut Query, arrays: bool, sid: &str, f: &StockinQuery) {
    let time_col = time_column(f);
    qb.push(" FROM stockin_orders o JOIN shops sh ON sh.id = o.shop_id");
    if f.warehouse_no.is_some() || f.scope.warehouses.is_some() {
        qb.push(" JOIN warehouses w ON w.id = o.warehouse_id");
    }
    if f.refund_no.is_some() {
        qb.push(" JOIN refund_orders r ON r.id = o.refund_order_id");
    }
    qb.push(" WHERE o.sid = ").push_bind(sid.to_owned());
    qb.push(&format!(" AND {time_col} >= ")).push_bind(f.start_ms);
    qb.push(&format!(" AND {time_col} <= ")).push_bind(f.end_ms);
    // 淘系 and 系统供销 documents are never returned (seed 004).
    qb.push(" AND sh.platform_id NOT");
    qb.push_in(arrays, privacy::HIDDEN_PLATFORM_IDS.iter().copied());
    if let Some(w) = &f.warehouse_no {
        qb.push(" AND w.warehouse_no = ").push_bind(w.clone());
    }
    if let Some(no) = &f.stockin_no {
        qb.push(" AND o.order_no = ").push_bind(no.clone());
    }
    if let Some(no) = &f.refund_no {
        qb.push(" AND r.refund_no = ").push_bind(no.clone());
    }
    let in_list = |qb: &mut Query, col: &str, values: &[String]| {
        qb.push(&format!(" AND {col}")).push_in(arrays, values);
    };
    if !f.shop_nos.is_empty() {
        in_list(qb, "sh.shop_no", &f.shop_nos);
    }
    if let Some(allowed) = &f.scope.warehouses {
        if allowed.is_empty() {
            qb.push(" AND 1 = 0");
        } else {
            in_list(qb, "w.warehouse_no", allowed);
        }
    }
    if let Some(allowed) = &f.scope.shops {
        if allowed.is_empty() {
            qb.push(" AND 1 = 0");
        } else {
            in_list(qb, "sh.shop_no", allowed);
        }
    }
    if !f.statuses.is_empty() {
        qb.push(" AND o.status");
        qb.push_in(arrays, f.statuses.iter().copied());
    }
    // The split between the live query and the history query, on the modified time.
    match f.age {
        StockinAge::Any => {}
        StockinAge::Live { since_ms } => {
            qb.push(" AND o.modified >= ").push_bind(since_ms);
        }
        StockinAge::History { before_ms } => {
            qb.push(" AND o.modified < ").push_bind(before_ms);
        }
    }
}

fn time_column(f: &StockinQuery) -> &'static str {
    match f.time_field {
        TimeField::Modified => "o.modified",
        TimeField::CheckTime => "o.check_time",
    }
}

/// Everything a page's orders show, joined to the ids the filtered page picked.
const PAGE_JOINS: &str = " JOIN stockin_orders o ON o.id = page.id \
    JOIN refund_orders r ON r.id = o.refund_order_id \
    JOIN shops sh ON sh.id = o.shop_id \
    JOIN warehouses w ON w.id = o.warehouse_id \
    JOIN trades t ON t.id = r.trade_id \
    LEFT JOIN customers c ON c.id = r.customer_id \
    LEFT JOIN logistics l ON l.id = o.logistics_id \
    LEFT JOIN apps a ON a.id = o.app_id";

pub(crate) async fn page(conn: &mut impl Executor, sid: &str, f: &StockinQuery) -> StoreResult<QueryPage> {
    if let Some(w) = &f.warehouse_no {
        let known =
            query("SELECT 1 FROM warehouses WHERE sid = ? AND warehouse_no = ?").bind(sid).bind(w).exists(conn).await?;
        if !known {
            return Err(StoreError::Api(unknown_warehouse(w)));
        }
    }
    let total_count = if f.calc_total { Some(count(conn, sid, f).await?) } else { None };
    let rows = fetch_order_rows(conn, sid, f).await?;
    if rows.is_empty() {
        return Ok(QueryPage { order: Vec::new(), total_count });
    }
    let pg = conn.binds_arrays();
    // The page's lines are counted before any of them is read: a page over the cap is refused
    // without holding its lines (each is a wide row, a struct and then JSON).
    let lines = count_lines(conn, pg, rows.iter().map(|r| r.get::<i64, _>(0))).await?;
    if lines > MAX_PAGE_LINES {
        return Err(StoreError::Api(page_lines_exceeded(f.page_size, f.page_no, lines)));
    }
    let trade_types: HashMap<i64, i64> = rows.iter().map(|r| (r.get(0), r.get(36))).collect();
    let first_seq = f.offset() as i64 + 1;
    let mut orders: Vec<StockinOrderRow> =
        rows.iter().enumerate().map(|(i, r)| order_row(r, first_seq + i as i64)).collect();
    drop(rows);

    let detail_rows = fetch_detail_rows(conn, pg, orders.iter().map(|o| o.stockin_id)).await?;
    let detail_ids: Vec<i64> = detail_rows.iter().map(|r| r.get(0)).collect();
    let mut links = HashMap::new();
    let mut sns = HashMap::new();
    if !detail_ids.is_empty() {
        links = fetch_links(conn, pg, &detail_ids).await?;
        if f.need_sn {
            sns = fetch_sns(conn, pg, &detail_ids).await?;
        }
    }
    attach_details(&mut orders, &trade_types, detail_rows, DetailExtras { links, sns, need_sn: f.need_sn });
    Ok(QueryPage { order: orders, total_count })
}

/// How many stock-ins the filters match, over every page.
async fn count(conn: &mut impl Executor, sid: &str, f: &StockinQuery) -> StoreResult<i64> {
    let mut qb = query("SELECT COUNT(*)");
    push_filtered(&mut qb, conn.binds_arrays(), sid, f);
    qb.scalar::<i64>(conn).await.map_err(db_err)
}

/// The page's orders, in page order, with the columns [`order_row`] reads (and the refund
/// order's type last, column 36).
///
/// The page's ids come first, from the filtered tables alone; then the wide rows of those ids.
/// Joining everything before `OFFSET` would visit the refund order, trade, customer, logistics
/// and app of every row skipped.
async fn fetch_order_rows(conn: &mut impl Executor, sid: &str, f: &StockinQuery) -> StoreResult<Vec<Row>> {
    let time_col = time_column(f);
    let mut qb = query(
        "SELECT o.id, o.order_no, o.status, w.warehouse_no, w.name, o.created, o.remark, COALESCE(a.app_key, ''), \
         COALESCE(o.app_id, 0), COALESCE(l.logistics_type, 0), COALESCE(l.name, ?), o.logistics_no, COALESCE(l.id, 0), \
         o.check_time, r.refund_no, o.goods_count, r.actual_refund_amount, COALESCE(c.customer_no, ''), \
         COALESCE(c.customer_name, ''), COALESCE(c.nick_name, ''), sh.shop_name, sh.shop_no, sh.remark, t.trade_no, t.tid, \
         r.id, sh.platform_id, sh.sub_platform_id, sh.id, w.id, o.total_price, r.status, o.modified, r.reason, \
         o.refund_amount, o.goods_type_count, r.type FROM (SELECT o.id",
    )
    .bind(NO_VALUE);
    push_filtered(&mut qb, conn.binds_arrays(), sid, f);
    qb.push(&format!(" ORDER BY {time_col}, o.id LIMIT "))
        .push_bind(i64::from(f.page_size))
        .push(" OFFSET ")
        .push_bind(f.offset() as i64)
        .push(") page");
    qb.push(PAGE_JOINS);
    qb.push(&format!(" ORDER BY {time_col}, o.id"));
    qb.fetch_all(conn).await.map_err(db_err)
}

/// One order of the page, `seq_no` counted from 1 over every page; its details come later.
fn order_row(r: &Row, seq_no: i64) -> StockinOrderRow {
    let platform: i64 = r.get(26);
    let checked = StockinStatus::from_code(r.get(2)).is_some_and(StockinStatus::is_checked);
    let operator: String = r.get(7);
    let reason: String = r.get(33);
    StockinOrderRow {
        order_no: r.get(1),
        status: r.get(2),
        attach_type: None,
        warehouse_no: r.get(3),
        warehouse_name: r.get(4),
        created_time: r.get(5),
        remark: r.get(6),
        fenxiao_nick: String::new(),
        operator_name: operator.clone(),
        operator_id: r.get(8),
        logistics_type: r.get(9),
        logistics_name: r.get(10),
        logistics_no: r.get(11),
        logistics_id: r.get(12),
        check_time: r.get::<Option<i64>, _>(13).unwrap_or(0),
        refund_no: r.get(14),
        goods_count: q(r.get(15)),
        actual_refund_amount: q(r.get(16)),
        customer_no: r.get(17),
        customer_name: privacy::customer_field(platform, r.get(18)),
        nick_name: privacy::customer_field(platform, r.get(19)),
        shop_name: r.get(20),
        shop_no: r.get(21),
        shop_remark: r.get(22),
        flag_name: String::new(),
        trade_no_list: r.get(23),
        tid_list: r.get(24),
        src_order_id: r.get(25),
        stockin_id: r.get(0),
        shop_platform_id: platform,
        sub_platform_id: r.get(27),
        shop_id: r.get::<i64, _>(28).to_string(),
        warehouse_id: r.get(29),
        total_price: q(r.get(30)),
        total_goods_stockin_num: q(r.get(15)),
        process_status: r.get(31),
        modified: format_wire_time(r.get(32)),
        check_operator_name: if checked { operator } else { String::new() },
        check_operator_id: if checked { r.get(8) } else { 0 },
        reason: if reason.is_empty() { NO_VALUE.to_owned() } else { reason },
        reason_id: 0,
        refund_amount: q(r.get(34)),
        adjust_num: Dec4::ZERO,
        wms_code: String::new(),
        created: format_wire_time(r.get(5)),
        flag_id: 0,
        goods_type_count: r.get(35),
        src_order_no: r.get(14),
        note_count: 0,
        prop3: String::new(),
        src_order_type: StockinOrderType::Refund.code(),
        seq_no,
        details_list: Vec::new(),
    }
}

/// How many detail lines the stock-ins `stockin_ids` hold together (from the index by order).
async fn count_lines(
    conn: &mut impl Executor,
    pg: bool,
    stockin_ids: impl IntoIterator<Item = i64>,
) -> StoreResult<i64> {
    let mut qb = query("SELECT COUNT(*) FROM stockin_order_details d WHERE d.stockin_id");
    qb.push_in_ids(pg, stockin_ids);
    qb.scalar::<i64>(conn).await.map_err(db_err)
}

/// The details of the page's stock-ins, by id, with the columns [`detail_row`] reads.
async fn fetch_detail_rows(
    conn: &mut impl Executor,
    pg: bool,
    stockin_ids: impl IntoIterator<Item = i64>,
) -> StoreResult<Vec<Row>> {
    let mut qb = query(
        "SELECT d.id, d.stockin_id, d.num, d.total_cost, d.remark, g.goods_name, g.goods_no, g.id, sp.id, sp.spec_no, \
         d.defect, sp.prop1, sp.prop2, sp.prop3, sp.prop4, sp.prop5, sp.prop6, sp.spec_name, sp.spec_code, g.brand_no, \
         g.brand_name, u.name, u.id, COALESCE(b.batch_no, ''), d.expire_date, d.production_date, p.position_no, \
         d.expect_num, d.stockin_price, d.refund_amount, d.batch_id, d.position_id, sp.validity_days, d.modified, d.created \
         FROM stockin_order_details d JOIN specs sp ON sp.id = d.spec_id JOIN goods g ON g.id = sp.goods_id \
         JOIN units u ON u.id = sp.base_unit_id JOIN positions p ON p.id = d.position_id \
         LEFT JOIN batches b ON b.id = d.batch_id WHERE d.stockin_id",
    );
    qb.push_in_ids(pg, stockin_ids).push(" ORDER BY d.id");
    qb.fetch_all(conn).await.map_err(db_err)
}

/// The refund order items each detail received, by detail id, in link order. Their
/// `trade_type` is filled in by [`attach_details`].
async fn fetch_links(
    conn: &mut impl Executor,
    pg: bool,
    detail_ids: &[i64],
) -> StoreResult<HashMap<i64, Vec<RefundOrderDetailLink>>> {
    let mut qb = query(
        "SELECT k.stockin_detail_id, i.id, i.price, sp.spec_no, k.num, i.stockin_num, i.oid \
         FROM stockin_refund_links k JOIN refund_order_items i ON i.id = k.refund_item_id \
         JOIN specs sp ON sp.id = i.spec_id WHERE k.stockin_detail_id",
    );
    qb.push_in_ids(pg, detail_ids.iter().copied()).push(" ORDER BY k.id");
    let mut links: HashMap<i64, Vec<RefundOrderDetailLink>> = HashMap::new();
    for r in qb.fetch_all(conn).await? {
        let detail: i64 = r.get(0);
        links.entry(detail).or_default().push(RefundOrderDetailLink {
            refund_order_id: r.get(1),
            stockin_order_detail_id: detail,
            price: q(r.get(2)),
            spec_no: r.get(3),
            stockin_num: q(r.get(4)),
            refund_order_stockin_num: q(r.get(5)),
            oid: r.get(6),
            trade_type: 0,
        });
    }
    Ok(links)
}

/// The serial numbers each detail received, by detail id, in serial number order.
async fn fetch_sns(conn: &mut impl Executor, pg: bool, detail_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<String>>> {
    let mut qb = query(
        "SELECT ds.stockin_detail_id, s.sn FROM stockin_detail_sns ds JOIN serial_numbers s ON s.id = ds.sn_id \
         WHERE ds.stockin_detail_id",
    );
    qb.push_in_ids(pg, detail_ids.iter().copied()).push(" ORDER BY s.id");
    let mut sns: HashMap<i64, Vec<String>> = HashMap::new();
    for r in qb.fetch_all(conn).await? {
        sns.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(sns)
}

/// What the details of a page carry besides their own row: links and serial numbers by detail id.
struct DetailExtras {
    links: HashMap<i64, Vec<RefundOrderDetailLink>>,
    sns: HashMap<i64, Vec<String>>,
    need_sn: bool,
}

/// Puts each detail row under its order, with its links (stamped with the refund order's type)
/// and, when asked for, its serial numbers.
fn attach_details(
    orders: &mut [StockinOrderRow],
    trade_types: &HashMap<i64, i64>,
    detail_rows: Vec<Row>,
    mut extras: DetailExtras,
) {
    let index: HashMap<i64, usize> = orders.iter().enumerate().map(|(i, o)| (o.stockin_id, i)).collect();
    for r in detail_rows {
        let id: i64 = r.get(0);
        let stockin_id: i64 = r.get(1);
        let Some(&oi) = index.get(&stockin_id) else { continue };
        let trade_type = trade_types.get(&stockin_id).copied().unwrap_or(RefundOrderType::Return.code());
        let mut links = extras.links.remove(&id).unwrap_or_default();
        for link in &mut links {
            link.trade_type = trade_type;
        }
        let sn_list = extras.need_sn.then(|| extras.sns.remove(&id).unwrap_or_default().join(","));
        let order = &mut orders[oi];
        let detail = detail_row(&r, order, links, sn_list);
        order.details_list.push(detail);
    }
}

/// One detail of `order`, from a row of [`fetch_detail_rows`].
fn detail_row(
    r: &Row,
    order: &StockinOrderRow,
    links: Vec<RefundOrderDetailLink>,
    sn_list: Option<String>,
) -> StockinDetailRow {
    let id: i64 = r.get(0);
    let num = q(r.get(2));
    StockinDetailRow {
        rec_id: id,
        stockin_id: r.get(1),
        refund_detail_id: links.iter().map(|l| l.refund_order_id.to_string()).collect::<Vec<_>>().join(","),
        num,
        total_cost: q(r.get(3)),
        remark: r.get(4),
        right_num: num,
        goods_name: r.get(5),
        goods_no: r.get(6),
        goods_id: r.get(7),
        spec_id: r.get(8),
        spec_no: r.get(9),
        defect: r.get(10),
        prop1: r.get(11),
        prop2: r.get(12),
        prop3: r.get(13),
        prop4: r.get(14),
        prop5: r.get(15),
        prop6: r.get(16),
        spec_name: r.get(17),
        spec_code: r.get(18),
        brand_no: r.get(19),
        brand_name: r.get(20),
        goods_unit: NO_VALUE.to_owned(),
        logistics_name: order.logistics_name.clone(),
        logistics_no: order.logistics_no.clone(),
        warehouse_id: order.warehouse_id,
        src_order_id: order.src_order_id,
        logistics_id: order.logistics_id,
        base_unit_name: r.get(21),
        batch_no: r.get(23),
        expire_date: opt_time(r.get(24)),
        production_date: opt_time(r.get(25)),
        position_no: r.get(26),
        expect_num: q(r.get(27)),
        stockin_num: num,
        checked_cost_price: q(r.get(28)),
        refund_amount: q(r.get(29)),
        sn_list,
        unit_id: 0,
        base_unit_id: r.get(22),
        org_stockin_detail_id: id,
        batch_id: r.get(30),
        position_id: r.get(31),
        validity_days: r.get(32),
        num2: num,
        adjust_num: Dec4::ZERO,
        unit_ratio: Dec4::ONE,
        modified: format_wire_time(r.get(33)),
        created: format_wire_time(r.get(34)),
        src_order_type: StockinOrderType::Refund.code(),
        custom_price1: Dec4::ZERO,
        custom_price2: Dec4::ZERO,
        gift_type: 0,
        refund_order_detail_list: links,
    }
}
