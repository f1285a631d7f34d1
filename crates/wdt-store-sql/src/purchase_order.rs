//! Purchase order (`purchase.PurchaseOrder.createOrder`): load what the rule reads, plan, number
//! the order when the request gave no number, and write it, in the caller's transaction. Its
//! lines are written by [`insert_line`], as a fixture's are.

use wdt_domain::model::{LogisticsBusiness, PurchaseOrderStatus, WarehouseKind};
use wdt_domain::purchase_order::{
    PURCHASE_NO_PREFIX, PlannedOrderLine, PurchaseOrderCmd, PurchaseOrderContext, plan, purchase_day, purchase_no,
};
use wdt_protocol::ApiError;
use wdt_store::{AppCredential, PurchaseOrderCreated, StoreError, StoreResult};

use crate::db::{Executor, ResultExt, query};
use crate::db_err;
use crate::purchase_return::spec_states;
use crate::stockin::logistics_for;

/// The unique key of a purchase order's number.
const NUMBER_KEY: &str = "purchase_orders_sid_purchase_no_key";

async fn number_taken(conn: &mut impl Executor, sid: &str, no: &str) -> StoreResult<bool> {
    query("SELECT 1 FROM purchase_orders WHERE sid = ? AND purchase_no = ?")
        .bind(sid)
        .bind(no)
        .exists(conn)
        .await
        .map_err(db_err)
}

async fn load(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &PurchaseOrderCmd,
) -> StoreResult<PurchaseOrderContext> {
    let sid = app.sid.as_str();
    let mut ctx = PurchaseOrderContext { scope: app.scope(), ..PurchaseOrderContext::default() };
    if let Some(no) = cmd.purchase_no.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        ctx.purchase_no_taken = number_taken(conn, sid, no).await?;
    }
    ctx.provider_id = query("SELECT id FROM providers WHERE sid = ? AND provider_no = ?")
        .bind(sid)
        .bind(&cmd.provider_no)
        .scalar_optional(conn)
        .await?;
    for no in [&cmd.receive_warehouse_no, &cmd.expect_warehouse_no] {
        let row = query("SELECT id, kind FROM warehouses WHERE sid = ? AND warehouse_no = ?")
            .bind(sid)
            .bind(no)
            .fetch_optional(conn)
            .await?;
        if let Some(r) = row {
            let kind: String = r.get(1);
            let kind =
                WarehouseKind::parse(&kind).ok_or_else(|| StoreError::Database(format!("warehouse kind {kind}")))?;
            ctx.warehouses.insert(no.clone(), (r.get(0), kind));
        }
    }
    if let Some(code) = cmd.logistics_no.as_deref().filter(|c| !c.trim().is_empty()) {
        ctx.logistics_id = logistics_for(conn, sid, code, LogisticsBusiness::Purchase.code()).await?;
    }
    ctx.specs = spec_states(conn, sid, cmd.lines.iter().map(|l| l.spec_no.as_str())).await?;
    Ok(ctx)
}

/// The next number of the day's `CG` sequence that no order of the seller has (a pushed number
/// may have taken one).
async fn next_number(conn: &mut impl Executor, sid: &str, now: i64) -> StoreResult<String> {
    let day = purchase_day(now);
    loop {
        let seq: i64 = query(
            "INSERT INTO doc_sequences (sid, prefix, day, last) VALUES (?, ?, ?, 1) \
             ON CONFLICT (sid, prefix, day) DO UPDATE SET last = doc_sequences.last + 1 RETURNING last",
        )
        .bind(sid)
        .bind(PURCHASE_NO_PREFIX)
        .bind(&day)
        .scalar(conn)
        .await?;
        let no = purchase_no(&day, seq);
        if !number_taken(conn, sid, &no).await? {
            return Ok(no);
        }
    }
}

/// Writes one line of purchase order `po_id` (an API push's or a fixture's).
pub(crate) async fn insert_line(conn: &mut impl Executor, po_id: i64, l: &PlannedOrderLine) -> StoreResult<()> {
    query(
        "INSERT INTO purchase_order_items (purchase_order_id, spec_id, num, price, unit_id, unit_ratio, list_price, \
         discount, tax_rate, tax_price, remark, prop1, prop2, prop3, prop4, batch_no, expire_date) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(po_id)
    .bind(l.spec_id)
    .bind(l.num.to_scaled())
    .bind(l.price.to_scaled())
    .bind(l.unit_id)
    .bind(l.unit_ratio.to_scaled())
    .bind(l.list_price.to_scaled())
    .bind(l.discount.to_scaled())
    .bind(l.tax_rate.to_scaled())
    .bind(l.tax_price.to_scaled())
    .bind(&l.remark)
    .bind(&l.props[0])
    .bind(&l.props[1])
    .bind(&l.props[2])
    .bind(&l.props[3])
    .bind(&l.batch_no)
    .bind(l.expire_date)
    .execute(conn)
    .await?;
    Ok(())
}

/// Checks and writes the order; its number.
pub(crate) async fn create(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &PurchaseOrderCmd,
    now: i64,
) -> StoreResult<PurchaseOrderCreated> {
    let sid = app.sid.as_str();
    let ctx = load(conn, app, cmd).await?;
    let plan = plan(cmd, &ctx)?;
    let number = match &plan.purchase_no {
        Some(no) => no.clone(),
        None => next_number(conn, sid, now).await?,
    };
    let check_time = (plan.status != PurchaseOrderStatus::Editing).then_some(now);
    let inserted = query(
        "INSERT INTO purchase_orders (sid, purchase_no, provider_id, warehouse_id, status, created, modified, \
         receive_warehouse_id, purchaser_name, apply_nos, receive_address, contact, telno, flag_name, expect_time, \
         pay_type, postfee_pay_type, remark, post_fee, other_fee, logistics_id, prop1, prop2, prop3, prop4, check_time) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(sid)
    .bind(&number)
    .bind(plan.provider_id)
    .bind(plan.warehouse_id)
    .bind(plan.status.code())
    .bind(cmd.created.unwrap_or(now))
    .bind(now)
    .bind(plan.receive_warehouse_id)
    .bind(&cmd.purchaser_name)
    .bind(&cmd.apply_nos)
    .bind(&cmd.receive_address)
    .bind(&cmd.contact)
    .bind(&cmd.telno)
    .bind(&cmd.flag_name)
    .bind(cmd.expect_time)
    .bind(cmd.pay_type)
    .bind(cmd.postfee_pay_type)
    .bind(&cmd.remark)
    .bind(cmd.post_fee.to_scaled())
    .bind(cmd.other_fee.to_scaled())
    .bind(plan.logistics_id)
    .bind(&cmd.props[0])
    .bind(&cmd.props[1])
    .bind(&cmd.props[2])
    .bind(&cmd.props[3])
    .bind(check_time)
    .scalar(conn)
    .await;
    // Another server's push of the same number committed between the check and the insert.
    let id: i64 = inserted.on_constraint(NUMBER_KEY, |_| {
        ApiError::DuplicateOuterNo { field: "purchase_no", value: number.clone() }.into()
    })?;
    for line in &plan.lines {
        insert_line(conn, id, line).await?;
    }
    Ok(PurchaseOrderCreated { id, purchase_no: number })
}
