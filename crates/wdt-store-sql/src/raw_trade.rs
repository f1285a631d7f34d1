//! Raw trades (`sales.RawTrade.pushSelf`): load what the rule reads, plan, and write the trades it
//! says, in the caller's transaction. A new trade is numbered from the day's `JY` sequence and its
//! buyer becomes a customer (customer number = buyer nick) when not one already.

use std::collections::{BTreeSet, HashMap};

use wdt_domain::numbering::DocKind;
use wdt_domain::raw_trade::{
    RawTradeContext, ShopState, StoredTrade, TradeItemPlatform, TradeItemRecord, TradeRecord, TradeWrite, plan,
};
use wdt_protocol::Dec4;
use wdt_protocol::methods::raw_trade_push::{RawTradePush, RawTradePushResult};
use wdt_store::{AppCredential, StoreError, StoreResult};

use crate::db::{DbError, Executor, Query, ResultExt, Row, query};
use crate::db_err;
use crate::sql::{assignments, placeholders};
use crate::stockin::next_doc_no;

/// The unique keys a concurrent push of the same `tid` or `oid` breaks.
const TID_KEY: &str = "trades_sid_tid_key";
const OID_KEY: &str = "trade_items_sid_oid_key";

const TRADE_COLUMNS: &str = "trade_status, refund_status, pay_status, pay_method, delivery_term, trade_time, \
     pay_time, buyer_nick, buyer_message, receiver_name, receiver_area, receiver_address, receiver_zip, \
     receiver_mobile, receiver_telno, post_amount, discount, receivable, paid, remark";
const ITEM_COLUMNS: &str = "oid, spec_id, num, price, status, refund_status, goods_name, spec_name, discount, \
     share_discount, total_amount, adjust_amount, platform_goods_id, platform_spec_id, remark";

/// A header read from `TRADE_COLUMNS` starting at column `at`.
fn trade_record(r: &Row, at: usize) -> TradeRecord {
    let d = |i: usize| Dec4::from_scaled(r.get(at + i));
    TradeRecord {
        trade_status: r.get(at),
        refund_status: r.get(at + 1),
        pay_status: r.get(at + 2),
        pay_method: r.get(at + 3),
        delivery_term: r.get(at + 4),
        trade_time: r.get(at + 5),
        pay_time: r.get(at + 6),
        buyer_nick: r.get(at + 7),
        buyer_message: r.get(at + 8),
        receiver_name: r.get(at + 9),
        receiver_area: r.get(at + 10),
        receiver_address: r.get(at + 11),
        receiver_zip: r.get(at + 12),
        receiver_mobile: r.get(at + 13),
        receiver_telno: r.get(at + 14),
        post_amount: d(15),
        discount: d(16),
        receivable: d(17),
        paid: d(18),
        remark: r.get(at + 19),
    }
}

/// A sub-order read from `ITEM_COLUMNS` starting at column `at`.
fn item_record(r: &Row, at: usize) -> TradeItemRecord {
    let d = |i: usize| Dec4::from_scaled(r.get(at + i));
    TradeItemRecord {
        oid: r.get(at),
        spec_id: r.get(at + 1),
        num: d(2),
        price: d(3),
        platform: TradeItemPlatform {
            status: r.get(at + 4),
            refund_status: r.get(at + 5),
            goods_name: r.get(at + 6),
            spec_name: r.get(at + 7),
            discount: d(8),
            share_discount: d(9),
            total_amount: d(10),
            adjust_amount: d(11),
            platform_goods_id: r.get(at + 12),
            platform_spec_id: r.get(at + 13),
            remark: r.get(at + 14),
        },
    }
}

async fn load(conn: &mut impl Executor, app: &AppCredential, push: &RawTradePush) -> StoreResult<RawTradeContext> {
    let sid = app.sid.as_str();
    let mut ctx = RawTradeContext { scope: app.scope(), ..RawTradeContext::default() };
    ctx.shop = query("SELECT id, platform_id, is_disabled FROM shops WHERE sid = ? AND shop_no = ?")
        .bind(sid)
        .bind(&push.shop_no)
        .fetch_optional(conn)
        .await?
        .map(|r| ShopState { id: r.get(0), platform_id: r.get(1), disabled: r.get(2) });
    let spec_nos: BTreeSet<&str> = push.orders.iter().map(|o| o.spec_no.as_str()).collect();
    if !spec_nos.is_empty() {
        let mut qb = query("SELECT spec_no, id FROM specs WHERE sid = ");
        qb.push_bind(sid).push(" AND spec_no");
        qb.push_in(conn.binds_arrays(), spec_nos.iter().copied());
        ctx.specs = qb.fetch_all(conn).await?.iter().map(|r| (r.get(0), r.get(1))).collect();
    }
    let warehouses: BTreeSet<&str> = push.trades.iter().filter_map(|t| t.warehouse_no.as_deref()).collect();
    if !warehouses.is_empty() {
        let mut qb = query("SELECT warehouse_no FROM warehouses WHERE is_disabled = ");
        qb.push_bind(false).push(" AND sid = ").push_bind(sid).push(" AND warehouse_no");
        qb.push_in(conn.binds_arrays(), warehouses.iter().copied());
        ctx.warehouses = qb.fetch_all(conn).await?.iter().map(|r| r.get(0)).collect();
    }
    ctx.trades = stored_trades(conn, sid, push).await?;
    let oids: BTreeSet<&str> = push.orders.iter().map(|o| o.oid.as_str()).collect();
    if !oids.is_empty() {
        let mut qb = query("SELECT i.oid, t.tid FROM trade_items i JOIN trades t ON t.id = i.trade_id WHERE i.sid = ");
        qb.push_bind(sid).push(" AND i.oid");
        qb.push_in(conn.binds_arrays(), oids.iter().copied());
        ctx.oid_owners = qb.fetch_all(conn).await?.iter().map(|r| (r.get(0), r.get(1))).collect();
    }
    Ok(ctx)
}

/// The push's trades already there, locked for the transaction (a concurrent push of one of them
/// waits, then sees what this one wrote).
async fn stored_trades(
    conn: &mut impl Executor,
    sid: &str,
    push: &RawTradePush,
) -> StoreResult<HashMap<String, StoredTrade>> {
    let tids: BTreeSet<&str> = push.trades.iter().map(|t| t.tid.as_str()).collect();
    let mut trades = HashMap::new();
    if tids.is_empty() {
        return Ok(trades);
    }
    let mut qb = query(format!("SELECT id, tid, shop_id, shipped, {TRADE_COLUMNS} FROM trades WHERE sid = "));
    qb.push_bind(sid).push(" AND tid");
    qb.push_in(conn.binds_arrays(), tids.iter().copied());
    qb.push(conn.row_lock());
    let mut by_id = HashMap::new();
    for r in qb.fetch_all(conn).await? {
        let stored = StoredTrade {
            id: r.get(0),
            shop_id: r.get(2),
            shipped: r.get(3),
            record: trade_record(&r, 4),
            items: vec![],
        };
        let tid: String = r.get(1);
        by_id.insert(stored.id, tid);
        trades.insert(r.get(1), stored);
    }
    if by_id.is_empty() {
        return Ok(trades);
    }
    let mut qb = query(format!("SELECT trade_id, id, {ITEM_COLUMNS} FROM trade_items WHERE trade_id"));
    qb.push_in(conn.binds_arrays(), by_id.keys().copied());
    qb.push(" ORDER BY id");
    for r in qb.fetch_all(conn).await? {
        let trade_id: i64 = r.get(0);
        if let Some(t) = by_id.get(&trade_id).and_then(|tid| trades.get_mut(tid)) {
            t.items.push((r.get(1), item_record(&r, 2)));
        }
    }
    Ok(trades)
}

/// The customer whose number is `record`'s buyer nick, made when missing.
async fn customer_of(conn: &mut impl Executor, sid: &str, record: &TradeRecord) -> StoreResult<i64> {
    query(
        "INSERT INTO customers (sid, customer_no, customer_name, nick_name) VALUES (?, ?, ?, ?) \
         ON CONFLICT (sid, customer_no) DO NOTHING",
    )
    .bind(sid)
    .bind(&record.buyer_nick)
    .bind(&record.receiver_name)
    .bind(&record.buyer_nick)
    .execute(conn)
    .await?;
    query("SELECT id FROM customers WHERE sid = ? AND customer_no = ?")
        .bind(sid)
        .bind(&record.buyer_nick)
        .scalar(conn)
        .await
        .map_err(db_err)
}

/// A race lost to another server's push of the same document: rerun the transaction, which then
/// finds that document and updates it instead.
fn raced(e: DbError) -> StoreError {
    StoreError::Transient(format!("a concurrent push wrote the same trade: {e}"))
}

/// `item`'s values in `ITEM_COLUMNS` order, bound onto `q`.
fn bind_item(q: Query, i: &TradeItemRecord) -> Query {
    let p = &i.platform;
    q.bind(&i.oid)
        .bind(i.spec_id)
        .bind(i.num.to_scaled())
        .bind(i.price.to_scaled())
        .bind(p.status)
        .bind(p.refund_status)
        .bind(&p.goods_name)
        .bind(&p.spec_name)
        .bind(p.discount.to_scaled())
        .bind(p.share_discount.to_scaled())
        .bind(p.total_amount.to_scaled())
        .bind(p.adjust_amount.to_scaled())
        .bind(&p.platform_goods_id)
        .bind(&p.platform_spec_id)
        .bind(&p.remark)
}

async fn insert_item(conn: &mut impl Executor, sid: &str, trade_id: i64, i: &TradeItemRecord) -> StoreResult<()> {
    let q = query(format!("INSERT INTO trade_items (sid, trade_id, {ITEM_COLUMNS}) VALUES ({})", placeholders(17)));
    bind_item(q.bind(sid).bind(trade_id), i).execute(conn).await.on_constraint(OID_KEY, raced)?;
    Ok(())
}

async fn update_item(conn: &mut impl Executor, id: i64, i: &TradeItemRecord) -> StoreResult<()> {
    let q = query(format!("UPDATE trade_items SET {} WHERE id = ?", assignments(ITEM_COLUMNS)));
    bind_item(q, i).bind(id).execute(conn).await?;
    Ok(())
}

/// `record`'s values in `TRADE_COLUMNS` order, bound onto `q`.
fn bind_record(q: Query, t: &TradeRecord) -> Query {
    q.bind(t.trade_status)
        .bind(t.refund_status)
        .bind(t.pay_status)
        .bind(t.pay_method)
        .bind(t.delivery_term)
        .bind(t.trade_time)
        .bind(t.pay_time)
        .bind(&t.buyer_nick)
        .bind(&t.buyer_message)
        .bind(&t.receiver_name)
        .bind(&t.receiver_area)
        .bind(&t.receiver_address)
        .bind(&t.receiver_zip)
        .bind(&t.receiver_mobile)
        .bind(&t.receiver_telno)
        .bind(t.post_amount.to_scaled())
        .bind(t.discount.to_scaled())
        .bind(t.receivable.to_scaled())
        .bind(t.paid.to_scaled())
        .bind(&t.remark)
}

async fn write(conn: &mut impl Executor, sid: &str, shop_id: i64, w: &TradeWrite, now: i64) -> StoreResult<()> {
    match w {
        TradeWrite::New { tid, record, items } => {
            let customer_id = customer_of(conn, sid, record).await?;
            let trade_no = next_doc_no(conn, sid, DocKind::Trade, now).await?;
            let sql = format!(
                "INSERT INTO trades (sid, tid, trade_no, shop_id, customer_id, shipped, created, modified, \
                 {TRADE_COLUMNS}) VALUES ({}) RETURNING id",
                placeholders(28)
            );
            let q = query(sql).bind(sid).bind(tid).bind(&trade_no).bind(shop_id).bind(customer_id);
            let id: i64 = bind_record(q.bind(false).bind(now).bind(now), record)
                .scalar(conn)
                .await
                .on_constraint(TID_KEY, raced)?;
            for item in items {
                insert_item(conn, sid, id, item).await?;
            }
        }
        TradeWrite::Changed { trade_id, record, updated, added } => {
            let sql = format!("UPDATE trades SET {}, modified = ? WHERE id = ?", assignments(TRADE_COLUMNS));
            bind_record(query(sql), record).bind(now).bind(*trade_id).execute(conn).await?;
            for (id, item) in updated {
                update_item(conn, *id, item).await?;
            }
            for item in added {
                insert_item(conn, sid, *trade_id, item).await?;
            }
        }
    }
    Ok(())
}

/// Checks and writes the push; its counts.
pub(crate) async fn push(
    conn: &mut impl Executor,
    app: &AppCredential,
    push: &RawTradePush,
    now: i64,
) -> StoreResult<RawTradePushResult> {
    let ctx = load(conn, app, push).await?;
    let plan = plan(push, &ctx)?;
    for w in &plan.writes {
        write(conn, &app.sid, plan.shop_id, w, now).await?;
    }
    Ok(plan.result)
}
