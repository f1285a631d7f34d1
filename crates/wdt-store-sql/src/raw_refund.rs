//! Raw refunds (`aftersales.refund.RawRefund.upload` / `upload2`): load what the rule reads, plan,
//! and write each raw refund with the refund order it becomes, in the caller's transaction. The
//! upload's trades are locked first, so two uploads refunding one trade run one after the other
//! and the second sees the quantities the first took.

use std::collections::{BTreeSet, HashMap};

use wdt_domain::model::{RefundOrderStatus, RefundReceiptState};
use wdt_domain::numbering::DocKind;
use wdt_domain::raw_refund::{
    LinkedItem, LinkedOrder, NewRefundOrder, OrderChange, RawRefundItemRecord, RawRefundRecord, RawRefundState,
    RawRefundWrite, RefundShop, RefundTrade, SoldItem, StoredRawRefund, plan,
};
use wdt_protocol::Dec4;
use wdt_protocol::methods::raw_refund_upload::{RawRefundUpload, RawRefundUpload2Result};
use wdt_store::{AppCredential, StoreError, StoreResult};

use crate::db::{DbError, Executor, Query, ResultExt, Row, query};
use crate::quick_return::add_items;
use crate::sql::{assignments, placeholders};
use crate::stockin::next_doc_no;
use crate::stored_code;

/// The unique key a concurrent upload of the same `refund_no` breaks.
const REFUND_NO_KEY: &str = "raw_refunds_sid_shop_id_refund_no_key";

const RECORD_COLUMNS: &str = "tid, oid, type, status, process_status, refund_version, refund_amount, \
     actual_refund_amount, title, logistics_name, logistics_no, buyer_nick, refund_time, current_phase_timeout, \
     is_aftersale, reason, pay_account, pay_no, remark, modify_flag";
const ITEM_COLUMNS: &str = "oid, trade_item_id, status, num, price, total_amount, platform_goods_id, \
     platform_goods_no, platform_spec_id, platform_spec_no, remark, refund_time";

fn record_of(r: &Row, at: usize) -> StoreResult<RawRefundRecord> {
    let d = |i: usize| Dec4::from_scaled(r.get(at + i));
    Ok(RawRefundRecord {
        tid: r.get(at),
        oid: r.get(at + 1),
        refund_type: stored_code(r.get(at + 2), "a raw refund type")?,
        status: stored_code(r.get(at + 3), "a raw refund status")?,
        process_status: stored_code(r.get(at + 4), "a raw refund process status")?,
        refund_version: r.get(at + 5),
        refund_amount: d(6),
        actual_refund_amount: d(7),
        title: r.get(at + 8),
        logistics_name: r.get(at + 9),
        logistics_no: r.get(at + 10),
        buyer_nick: r.get(at + 11),
        refund_time: r.get(at + 12),
        current_phase_timeout: r.get(at + 13),
        is_aftersale: r.get(at + 14),
        reason: r.get(at + 15),
        pay_account: r.get(at + 16),
        pay_no: r.get(at + 17),
        remark: r.get(at + 18),
        modify_flag: r.get(at + 19),
    })
}

fn item_of(r: &Row, at: usize) -> StoreResult<RawRefundItemRecord> {
    let d = |i: usize| Dec4::from_scaled(r.get(at + i));
    Ok(RawRefundItemRecord {
        oid: r.get(at),
        trade_item_id: r.get(at + 1),
        status: stored_code(r.get(at + 2), "a raw refund status")?,
        num: d(3),
        price: d(4),
        total_amount: d(5),
        platform_goods_id: r.get(at + 6),
        platform_goods_no: r.get(at + 7),
        platform_spec_id: r.get(at + 8),
        platform_spec_no: r.get(at + 9),
        remark: r.get(at + 10),
        refund_time: r.get(at + 11),
    })
}

fn bind_record(q: Query, r: &RawRefundRecord) -> Query {
    q.bind(&r.tid)
        .bind(&r.oid)
        .bind(r.refund_type.code())
        .bind(r.status.code())
        .bind(r.process_status.code())
        .bind(&r.refund_version)
        .bind(r.refund_amount.to_scaled())
        .bind(r.actual_refund_amount.to_scaled())
        .bind(&r.title)
        .bind(&r.logistics_name)
        .bind(&r.logistics_no)
        .bind(&r.buyer_nick)
        .bind(r.refund_time)
        .bind(r.current_phase_timeout)
        .bind(r.is_aftersale)
        .bind(&r.reason)
        .bind(&r.pay_account)
        .bind(&r.pay_no)
        .bind(&r.remark)
        .bind(r.modify_flag)
}

fn bind_item(q: Query, i: &RawRefundItemRecord) -> Query {
    q.bind(&i.oid)
        .bind(i.trade_item_id)
        .bind(i.status.code())
        .bind(i.num.to_scaled())
        .bind(i.price.to_scaled())
        .bind(i.total_amount.to_scaled())
        .bind(&i.platform_goods_id)
        .bind(&i.platform_goods_no)
        .bind(&i.platform_spec_id)
        .bind(&i.platform_spec_no)
        .bind(&i.remark)
        .bind(i.refund_time)
}

/// The shop's trades the upload names, locked, with what their sub-orders sold and what live
/// refund orders already take of each.
async fn trades(
    conn: &mut impl Executor,
    sid: &str,
    shop_id: i64,
    upload: &RawRefundUpload,
) -> StoreResult<HashMap<String, RefundTrade>> {
    let tids: BTreeSet<&str> = upload.lines.iter().map(|l| l.tid.as_str()).collect();
    let mut qb = query("SELECT id, tid, shipped FROM trades WHERE sid = ");
    qb.push_bind(sid).push(" AND shop_id = ").push_bind(shop_id).push(" AND tid");
    qb.push_in(conn.binds_arrays(), tids.iter().copied());
    qb.push(" ORDER BY id").push(conn.row_lock());
    let mut trades = HashMap::new();
    let mut tid_of = HashMap::new();
    for r in qb.fetch_all(conn).await? {
        let tid: String = r.get(1);
        tid_of.insert(r.get::<i64, _>(0), tid.clone());
        trades.insert(tid, RefundTrade { id: r.get(0), shipped: r.get(2), items: HashMap::new() });
    }
    if tid_of.is_empty() {
        return Ok(trades);
    }
    let mut qb = query(
        "SELECT i.trade_id, i.id, i.oid, i.spec_id, i.num, i.price, CAST(COALESCE((SELECT SUM(CASE WHEN r.stockin_status = ",
    );
    qb.push_bind(RefundReceiptState::Ended.code())
        .push(
            " THEN ri.stockin_num ELSE ri.refund_num END) FROM refund_order_items ri \
             JOIN refund_orders r ON r.id = ri.refund_order_id \
             WHERE r.trade_id = i.trade_id AND ri.trade_item_id = i.id AND r.status <> ",
        )
        .push_bind(RefundOrderStatus::Cancelled.code())
        .push("), 0) AS BIGINT) FROM trade_items i WHERE i.trade_id");
    qb.push_in(conn.binds_arrays(), tid_of.keys().copied());
    for r in qb.fetch_all(conn).await? {
        let trade_id: i64 = r.get(0);
        if let Some(t) = tid_of.get(&trade_id).and_then(|tid| trades.get_mut(tid)) {
            let sold = SoldItem {
                id: r.get(1),
                spec_id: r.get(3),
                num: Dec4::from_scaled(r.get(4)),
                price: Dec4::from_scaled(r.get(5)),
                refunded: Dec4::from_scaled(r.get(6)),
            };
            t.items.insert(r.get(2), sold);
        }
    }
    Ok(trades)
}

/// The refund order `id` as the rule reads it.
async fn linked_order(conn: &mut impl Executor, id: i64) -> StoreResult<Option<LinkedOrder>> {
    let Some(r) =
        query("SELECT status, stockin_status FROM refund_orders WHERE id = ?").bind(id).fetch_optional(conn).await?
    else {
        return Ok(None);
    };
    let items = query(
        "SELECT id, oid, trade_item_id, refund_num, stockin_num FROM refund_order_items WHERE refund_order_id = ?",
    )
    .bind(id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|i| {
        let line = LinkedItem {
            id: i.get(0),
            trade_item_id: i.get::<Option<i64>, _>(2).unwrap_or_default(),
            refund_num: Dec4::from_scaled(i.get(3)),
            stockin_num: Dec4::from_scaled(i.get(4)),
        };
        (i.get(1), line)
    })
    .collect();
    Ok(Some(LinkedOrder {
        id: Some(id),
        status: stored_code(r.get(0), "a refund order status")?,
        receipt: stored_code(r.get(1), "a refund order stockin_status")?,
        items,
    }))
}

/// The shop's raw refunds the upload names, with their lines and refund orders.
async fn raw_refunds(
    conn: &mut impl Executor,
    sid: &str,
    shop_id: i64,
    upload: &RawRefundUpload,
) -> StoreResult<HashMap<String, StoredRawRefund>> {
    let nos: BTreeSet<&str> = upload.lines.iter().map(|l| l.refund_no.as_str()).collect();
    let mut qb =
        query(format!("SELECT id, refund_no, refund_order_id, {RECORD_COLUMNS} FROM raw_refunds WHERE sid = "));
    qb.push_bind(sid).push(" AND shop_id = ").push_bind(shop_id).push(" AND refund_no");
    qb.push_in(conn.binds_arrays(), nos.iter().copied());
    let mut found = HashMap::new();
    for r in qb.fetch_all(conn).await? {
        let id: i64 = r.get(0);
        let order_id: Option<i64> = r.get(2);
        let order = match order_id {
            Some(o) => linked_order(conn, o).await?,
            None => None,
        };
        let mut items = HashMap::new();
        for i in query(format!("SELECT id, {ITEM_COLUMNS} FROM raw_refund_items WHERE raw_refund_id = ?"))
            .bind(id)
            .fetch_all(conn)
            .await?
        {
            let item = item_of(&i, 1)?;
            items.insert(item.oid.clone(), (Some(i.get(0)), item));
        }
        found.insert(r.get(1), StoredRawRefund { id: Some(id), record: record_of(&r, 3)?, items, order });
    }
    Ok(found)
}

async fn load(conn: &mut impl Executor, app: &AppCredential, upload: &RawRefundUpload) -> StoreResult<RawRefundState> {
    let sid = app.sid.as_str();
    let mut state = RawRefundState { scope: app.scope(), ..RawRefundState::default() };
    state.shop = query("SELECT id, is_disabled, auto_review_refunds FROM shops WHERE sid = ? AND shop_no = ?")
        .bind(sid)
        .bind(&upload.shop_no)
        .fetch_optional(conn)
        .await?
        .map(|r| RefundShop { id: r.get(0), disabled: r.get(1), auto_review_refunds: r.get(2) });
    if let Some(shop_id) = state.shop.as_ref().map(|s| s.id)
        && !upload.lines.is_empty()
    {
        state.trades = trades(conn, sid, shop_id, upload).await?;
        state.raw_refunds = raw_refunds(conn, sid, shop_id, upload).await?;
    }
    Ok(state)
}

/// A race lost to another server's upload of the same raw refund: rerun the transaction, which
/// then finds it.
fn raced(e: DbError) -> StoreError {
    StoreError::Transient(format!("a concurrent upload wrote the same raw refund: {e}"))
}

async fn insert_items(
    conn: &mut impl Executor,
    raw_id: i64,
    items: &[RawRefundItemRecord],
    now: i64,
) -> StoreResult<()> {
    let first: i64 = query("SELECT COALESCE(MAX(seq) + 1, 0) FROM raw_refund_items WHERE raw_refund_id = ?")
        .bind(raw_id)
        .scalar(conn)
        .await?;
    for (seq, item) in (first..).zip(items) {
        let sql = format!(
            "INSERT INTO raw_refund_items (raw_refund_id, seq, created, modified, {ITEM_COLUMNS}) VALUES ({})",
            placeholders(16)
        );
        let q = query(sql).bind(raw_id).bind(seq).bind(now).bind(now);
        bind_item(q, item).execute(conn).await?;
    }
    Ok(())
}

/// Makes the refund order a raw refund becomes, and links the raw refund to it.
async fn create_order(
    conn: &mut impl Executor,
    sid: &str,
    shop_id: i64,
    trade_id: i64,
    (raw_id, refund_no, record): (i64, &str, &RawRefundRecord),
    order: &NewRefundOrder,
    now: i64,
) -> StoreResult<()> {
    let number = next_doc_no(conn, sid, DocKind::RefundOrder, now).await?;
    let id: i64 = query(
        "INSERT INTO refund_orders (sid, refund_no, trade_id, shop_id, customer_id, type, status, stockin_status, \
         reason, remark, refund_amount, actual_refund_amount, return_logistics_name, return_logistics_no, created, \
         modified) SELECT ?, ?, id, ?, customer_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM trades WHERE id = ? RETURNING id",
    )
    .bind(sid)
    .bind(&number)
    .bind(shop_id)
    .bind(order.order_type.code())
    .bind(order.status.code())
    .bind(order.receipt.code())
    .bind(&record.reason)
    .bind(&record.remark)
    .bind(record.refund_amount.to_scaled())
    .bind(record.actual_refund_amount.to_scaled())
    .bind(&record.logistics_name)
    .bind(&record.logistics_no)
    .bind(now)
    .bind(now)
    .bind(trade_id)
    .scalar(conn)
    .await?;
    add_items(conn, sid, id, &order.items, refund_no).await?;
    query("UPDATE raw_refunds SET refund_order_id = ? WHERE id = ?").bind(id).bind(raw_id).execute(conn).await?;
    Ok(())
}

async fn write(conn: &mut impl Executor, sid: &str, shop_id: i64, w: &RawRefundWrite, now: i64) -> StoreResult<()> {
    match w {
        RawRefundWrite::New { refund_no, trade_id, record, items, order } => {
            let sql = format!(
                "INSERT INTO raw_refunds (sid, shop_id, refund_no, trade_id, created, modified, {RECORD_COLUMNS}) \
                 VALUES ({}) RETURNING id",
                placeholders(26)
            );
            let q = query(sql).bind(sid).bind(shop_id).bind(refund_no).bind(*trade_id).bind(now).bind(now);
            let raw_id: i64 = bind_record(q, record).scalar(conn).await.on_constraint(REFUND_NO_KEY, raced)?;
            insert_items(conn, raw_id, items, now).await?;
            if let Some(order) = order {
                create_order(conn, sid, shop_id, *trade_id, (raw_id, refund_no, record), order, now).await?;
            }
        }
        RawRefundWrite::Changed { refund_no, raw_refund_id, trade_id, record, changed_items, added_items, order } => {
            let sql = format!("UPDATE raw_refunds SET {}, modified = ? WHERE id = ?", assignments(RECORD_COLUMNS));
            bind_record(query(sql), record).bind(now).bind(*raw_refund_id).execute(conn).await?;
            for (id, item) in changed_items {
                let sql =
                    format!("UPDATE raw_refund_items SET {}, modified = ? WHERE id = ?", assignments(ITEM_COLUMNS));
                bind_item(query(sql), item).bind(now).bind(*id).execute(conn).await?;
            }
            insert_items(conn, *raw_refund_id, added_items, now).await?;
            match order {
                OrderChange::None => {}
                OrderChange::Create(order) => {
                    let raw = (*raw_refund_id, refund_no.as_str(), record);
                    create_order(conn, sid, shop_id, *trade_id, raw, order, now).await?;
                }
                OrderChange::Update { id, status, receipt, changed_items, added_items } => {
                    query(
                        "UPDATE refund_orders SET status = ?, stockin_status = ?, reason = ?, refund_amount = ?, \
                         actual_refund_amount = ?, return_logistics_name = ?, return_logistics_no = ?, modified = ? \
                         WHERE id = ?",
                    )
                    .bind(status.code())
                    .bind(receipt.code())
                    .bind(&record.reason)
                    .bind(record.refund_amount.to_scaled())
                    .bind(record.actual_refund_amount.to_scaled())
                    .bind(&record.logistics_name)
                    .bind(&record.logistics_no)
                    .bind(now)
                    .bind(*id)
                    .execute(conn)
                    .await?;
                    for (item_id, num) in changed_items {
                        query("UPDATE refund_order_items SET refund_num = ? WHERE id = ?")
                            .bind(num.to_scaled())
                            .bind(*item_id)
                            .execute(conn)
                            .await?;
                    }
                    add_items(conn, sid, *id, added_items, refund_no).await?;
                }
            }
        }
    }
    Ok(())
}

/// Checks and writes the upload (`whole`: `upload`, refused whole on any error; else `upload2`);
/// its counts and upload2's refusals.
pub(crate) async fn upload(
    conn: &mut impl Executor,
    app: &AppCredential,
    upload: &RawRefundUpload,
    whole: bool,
    now: i64,
) -> StoreResult<RawRefundUpload2Result> {
    let mut state = load(conn, app, upload).await?;
    let plan = plan(upload, &mut state, whole)?;
    for w in &plan.writes {
        write(conn, &app.sid, plan.shop_id, w, now).await?;
    }
    Ok(RawRefundUpload2Result {
        chg_count: plan.counts.chg_count,
        error_list: plan.errors,
        new_count: plan.counts.new_count,
    })
}
