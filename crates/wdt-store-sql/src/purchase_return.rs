//! Purchase return: load, plan, write the order, and when checked take the goods out of stock.

use std::collections::{BTreeSet, HashMap};

use crate::db::{Executor, ResultExt, query};
use wdt_domain::model::{LedgerDocType, LogisticsBusiness, PurchaseOrderStatus};
use wdt_domain::purchase_return::{PrSpecState, ProviderState, PurchaseReturnCmd, PurchaseReturnContext, plan};
use wdt_protocol::{ApiError, Dec4};
use wdt_store::{AppCredential, PurchaseReturnOutcome, StoreResult};

use crate::stock_out::{TakeDoc, fefo_stock, post_takes};
use crate::stockin::logistics_for;

fn q(scaled: i64) -> Dec4 {
    Dec4::from_scaled(scaled)
}

/// The specs of `spec_nos` the seller has, by number, with their base unit and every unit they
/// may be counted in (a purchase document's lines name them so).
pub(crate) async fn spec_states<'a>(
    conn: &mut impl Executor,
    sid: &str,
    spec_nos: impl Iterator<Item = &'a str>,
) -> StoreResult<HashMap<String, PrSpecState>> {
    let spec_nos: BTreeSet<&str> = spec_nos.collect();
    let mut specs = HashMap::new();
    if spec_nos.is_empty() {
        return Ok(specs);
    }
    let mut qb = query(
        "SELECT sp.id, sp.spec_no, u.id, u.name FROM specs sp JOIN units u ON u.id = sp.base_unit_id WHERE sp.sid = ",
    );
    qb.push_bind(sid).push(" AND sp.spec_no");
    qb.push_in(conn.binds_arrays(), spec_nos.iter().copied());
    for r in qb.fetch_all(conn).await? {
        specs.insert(r.get(1), PrSpecState { id: r.get(0), base_unit: (r.get(2), r.get(3)), units: Vec::new() });
    }
    let by_id: HashMap<i64, String> = specs.iter().map(|(no, s)| (s.id, no.clone())).collect();
    if by_id.is_empty() {
        return Ok(specs);
    }
    let mut qb = query(
        "SELECT su.spec_id, u.id, u.name, su.ratio FROM spec_units su JOIN units u ON u.id = su.unit_id WHERE su.spec_id",
    );
    qb.push_in(conn.binds_arrays(), by_id.keys().copied());
    for r in qb.fetch_all(conn).await? {
        let spec_id: i64 = r.get(0);
        if let Some(spec) = by_id.get(&spec_id).and_then(|no| specs.get_mut(no)) {
            spec.units.push((r.get(1), r.get(2), q(r.get(3))));
        }
    }
    Ok(specs)
}

async fn load(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &PurchaseReturnCmd,
) -> StoreResult<PurchaseReturnContext> {
    let sid = app.sid.as_str();
    let mut ctx = PurchaseReturnContext { scope: app.scope(), ..PurchaseReturnContext::default() };
    ctx.outer_no_taken = query("SELECT 1 FROM purchase_returns WHERE sid = ? AND return_no = ?")
        .bind(sid)
        .bind(&cmd.outer_no)
        .exists(conn)
        .await?;
    ctx.warehouse = query("SELECT id, warehouse_no FROM warehouses WHERE sid = ? AND warehouse_no = ?")
        .bind(sid)
        .bind(&cmd.warehouse_no)
        .fetch_optional(conn)
        .await?
        .map(|r| (r.get(0), r.get(1)));
    ctx.provider = query(
        "SELECT id, contact, telno, province, city, district, address FROM providers WHERE sid = ? AND provider_no = ?",
    )
    .bind(sid)
    .bind(&cmd.provider_no)
    .fetch_optional(conn)
    .await?
    .map(|r| ProviderState {
        id: r.get(0),
        contact: r.get(1),
        telno: r.get(2),
        province: r.get(3),
        city: r.get(4),
        district: r.get(5),
        address: r.get(6),
    });
    if let Some(code) = cmd.logistics_no.as_deref().filter(|c| !c.trim().is_empty()) {
        ctx.logistics_id = logistics_for(conn, sid, code, LogisticsBusiness::Purchase.code()).await?;
    }
    if !cmd.ref_purchase_nos.is_empty() {
        let mut qb = query(
            "SELECT po.purchase_no, po.id, po.provider_id, po.status, w.warehouse_no FROM purchase_orders po \
             JOIN warehouses w ON w.id = po.warehouse_id WHERE po.sid = ",
        );
        qb.push_bind(sid).push(" AND po.purchase_no");
        qb.push_in(conn.binds_arrays(), cmd.ref_purchase_nos.iter().map(String::as_str));
        for r in qb.fetch_all(conn).await? {
            let status: i64 = r.get(3);
            let status: PurchaseOrderStatus = crate::stored_code(status, "a purchase order's status")?;
            ctx.purchase_orders.insert(r.get(0), (r.get(1), r.get(2), status, r.get(4)));
        }
    }
    ctx.specs = spec_states(conn, sid, cmd.lines.iter().map(|l| l.spec_no.as_str())).await?;
    let spec_ids: Vec<i64> = ctx.specs.values().map(|s| s.id).collect();
    if !spec_ids.is_empty() {
        let batch_nos: BTreeSet<&str> = cmd.lines.iter().filter_map(|l| l.batch_no.as_deref()).collect();
        if !batch_nos.is_empty() {
            let mut qb = query("SELECT id, spec_id, batch_no FROM batches WHERE sid = ");
            qb.push_bind(sid).push(" AND batch_no");
            qb.push_in(conn.binds_arrays(), batch_nos.iter().copied());
            for r in qb.fetch_all(conn).await? {
                ctx.batches.insert((r.get(1), r.get(2)), r.get(0));
            }
        }
        if let Some((warehouse_id, _)) = ctx.warehouse.clone() {
            (ctx.stock, ctx.costs) = fefo_stock(conn, sid, warehouse_id, &spec_ids).await?;
        }
    }
    Ok(ctx)
}

pub(crate) async fn create(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &PurchaseReturnCmd,
    now: i64,
) -> StoreResult<PurchaseReturnOutcome> {
    let sid = app.sid.as_str();
    let ctx = load(conn, app, cmd).await?;
    let plan = plan(cmd, &ctx)?;
    let inserted = query(
        "INSERT INTO purchase_returns (sid, return_no, provider_id, warehouse_id, status, stockout_status, logistics_id, \
         post_fee, other_fee, contact, telno, receive_province, receive_city, receive_district, receive_address, prop1, \
         prop2, remark, check_fail_reason, app_id, created, modified, check_time) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(sid)
    .bind(&cmd.outer_no)
    .bind(plan.provider_id)
    .bind(plan.warehouse_id)
    .bind(plan.status)
    .bind(plan.stockout_status)
    .bind(plan.logistics_id)
    .bind(cmd.post_fee.to_scaled())
    .bind(cmd.other_fee.to_scaled())
    .bind(&plan.contact)
    .bind(&plan.telno)
    .bind(&plan.province)
    .bind(&plan.city)
    .bind(&plan.district)
    .bind(&plan.address)
    .bind(&cmd.prop1)
    .bind(&cmd.prop2)
    .bind(&cmd.remark)
    .bind(plan.check_failure.clone().unwrap_or_default())
    .bind(app.id)
    .bind(now)
    .bind(now)
    .bind((!plan.takes.is_empty()).then_some(now))
    .scalar(conn)
    .await;
    let id = inserted.on_constraint("purchase_returns_sid_return_no_key", |_| {
        ApiError::DuplicateOuterNo { field: "outer_no", value: cmd.outer_no.clone() }.into()
    })?;
    for d in &plan.details {
        query(
            "INSERT INTO purchase_return_details (purchase_return_id, spec_id, num, unit_id, unit_ratio, price, discount, \
             tax_rate, tax_price, defect, batch_id, expire_date, remark) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(d.spec_id)
        .bind(d.num.to_scaled())
        .bind(d.unit_id)
        .bind(d.unit_ratio.to_scaled())
        .bind(d.price.to_scaled())
        .bind(d.discount.to_scaled())
        .bind(d.tax_rate.to_scaled())
        .bind(d.tax_price.to_scaled())
        .bind(d.defect)
        .bind(d.batch_id)
        .bind(d.expire_date)
        .bind(&d.remark)
        .execute(conn)
        .await?;
    }
    for po in &plan.refs {
        query("INSERT INTO purchase_return_refs (purchase_return_id, purchase_order_id) VALUES (?, ?)")
            .bind(id)
            .bind(po)
            .execute(conn)
            .await?;
    }
    let doc = TakeDoc {
        doc_type: LedgerDocType::PurchaseReturn,
        doc_id: id,
        doc_no: &cmd.outer_no,
        warehouse_id: plan.warehouse_id,
    };
    post_takes(conn, sid, &doc, &plan.takes, now).await?;
    Ok(PurchaseReturnOutcome {
        id,
        return_no: cmd.outer_no.clone(),
        check_failure: plan.check_failure,
        status: plan.status,
    })
}
