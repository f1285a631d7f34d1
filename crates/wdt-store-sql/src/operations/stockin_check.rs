//! Checking a stored stock-in (编辑中 or 待审核 → 已完成): its lines are received again at check
//! time, against the refund order and stock as they are now, by the rules and the writes of a
//! checked push ([`crate::stockin_batch`]). The order keeps its number, outer number and lines;
//! the refund links are the ones the check allocates.

use std::collections::HashMap;

use wdt_domain::model::{Coded, Scope, StockinStatus};
use wdt_domain::operations::Refusal;
use wdt_domain::operations::stockin_check::{StoredLine, StoredStockin};
use wdt_domain::operations::transitions;
use wdt_protocol::Dec4;
use wdt_store::{StockinCreated, StoreError, StoreResult};

use super::{Change, refused};
use crate::db::{Arg, Executor, query, write_rows};
use crate::stockin_batch::{
    Accepted, batch_id, load_state, write_batches, write_costs, write_ledger, write_levels, write_progress,
};

/// The stock-in `order_no` of seller `sid`, locked, with its lines and their serial numbers.
async fn load(conn: &mut impl Executor, sid: &str, order_no: &str) -> StoreResult<StoredStockin> {
    let lock = conn.lock_of("o");
    let header = query(format!(
        "SELECT o.id, o.status, r.refund_no, w.warehouse_no FROM stockin_orders o \
         JOIN refund_orders r ON r.id = o.refund_order_id JOIN warehouses w ON w.id = o.warehouse_id \
         WHERE o.sid = ? AND o.order_no = ?{lock}"
    ))
    .bind(sid)
    .bind(order_no)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| refused(Refusal::not_found("入库单", "order_no", order_no)))?;
    let id: i64 = header.get(0);
    let code: i64 = header.get(1);
    let status: StockinStatus = crate::stored_code(code, format_args!("the status of stock-in {id}"))?;
    let mut lines: Vec<StoredLine> = query(
        "SELECT d.id, sp.spec_no, d.num, d.defect, b.batch_no, p.position_no, d.stockin_price, d.remark \
         FROM stockin_order_details d JOIN specs sp ON sp.id = d.spec_id JOIN positions p ON p.id = d.position_id \
         LEFT JOIN batches b ON b.id = d.batch_id WHERE d.stockin_id = ? ORDER BY d.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| StoredLine {
        id: r.get(0),
        spec_no: r.get(1),
        num: Dec4::from_scaled(r.get(2)),
        defect: r.get(3),
        sn: Vec::new(),
        batch_no: r.get(4),
        position_no: r.get(5),
        price: Dec4::from_scaled(r.get(6)),
        remark: r.get(7),
    })
    .collect();
    let sns = query(
        "SELECT ds.stockin_detail_id, sn.sn FROM stockin_detail_sns ds JOIN serial_numbers sn ON sn.id = ds.sn_id \
         JOIN stockin_order_details d ON d.id = ds.stockin_detail_id WHERE d.stockin_id = ? ORDER BY sn.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let index: HashMap<i64, usize> = lines.iter().enumerate().map(|(k, l)| (l.id, k)).collect();
    for r in sns {
        if let Some(&k) = index.get(&r.get::<i64, _>(0)) {
            lines[k].sn.push(r.get(1));
        }
    }
    Ok(StoredStockin {
        id,
        order_no: order_no.to_owned(),
        status,
        refund_no: header.get(2),
        warehouse_no: header.get(3),
        lines,
    })
}

pub(super) async fn check(
    conn: &mut impl Executor,
    sid: &str,
    order_no: &str,
    actor: &str,
    now: i64,
) -> StoreResult<Change> {
    let stored = load(conn, sid, order_no).await?;
    transitions::open_stockin(order_no, stored.status, "审核").map_err(refused)?;
    let cmd = stored.as_checked_push();
    let mut state = load_state(conn, sid, vec![&cmd]).await?;
    // The operator may check any document of the seller: the rules run with the whole scope.
    let receipt = state
        .receive(&Scope::default(), &cmd, now)
        .map_err(|e| refused(Refusal::from_rule("order_no", order_no, e)))?;
    let batch_ids = write_batches(conn, sid, &state, now).await?;
    let plan = &receipt.plan;
    query(
        "UPDATE stockin_orders SET status = ?, check_time = ?, modified = ?, checked_by = ?, goods_count = ?, \
         goods_type_count = ?, total_price = ?, refund_amount = ? WHERE id = ?",
    )
    .bind(plan.status.code())
    .bind(now)
    .bind(now)
    .bind(actor)
    .bind(plan.goods_count.to_scaled())
    .bind(plan.goods_type_count)
    .bind(plan.total_price.to_scaled())
    .bind(plan.refund_amount.to_scaled())
    .bind(stored.id)
    .execute(conn)
    .await?;
    let detail_ids: Vec<i64> = stored.lines.iter().map(|l| l.id).collect();
    if detail_ids.len() != plan.details.len() {
        return Err(StoreError::Database(format!("stock-in {order_no}: the check planned other lines than stored")));
    }
    rewrite_details(conn, &receipt.plan.details, &detail_ids, &batch_ids, now).await?;
    relink(conn, &receipt.plan.details, &detail_ids).await?;
    let mut qb = query("UPDATE serial_numbers SET in_stock = ");
    qb.push_bind(true).push(", warehouse_id = ").push_bind(plan.warehouse_id);
    qb.push(" WHERE id IN (SELECT sn_id FROM stockin_detail_sns WHERE stockin_detail_id");
    qb.push_in(conn.binds_arrays(), detail_ids.iter().copied()).push(")");
    qb.execute(conn).await?;

    let accepted = [Accepted { item: 0, receipt }];
    let created = [StockinCreated { id: stored.id, order_no: order_no.to_owned() }];
    write_ledger(conn, sid, &accepted, &created, &batch_ids, now).await?;
    write_levels(conn, sid, &state, &accepted, &batch_ids, now).await?;
    write_costs(conn, sid, &accepted).await?;
    write_progress(conn, &accepted, now).await?;
    Ok(Change { before: stored.status.label(), after: StockinStatus::Completed.label(), doc_no: String::new() })
}

/// Each stored line takes the figures the check computed (expected quantity, cost, refund
/// amount, and the batch and position, which the rules resolve to the stored ones).
async fn rewrite_details(
    conn: &mut impl Executor,
    details: &[wdt_domain::refund_stockin::PlannedDetail],
    detail_ids: &[i64],
    batch_ids: &[i64],
    now: i64,
) -> StoreResult<()> {
    for (d, id) in details.iter().zip(detail_ids) {
        query(
            "UPDATE stockin_order_details SET expect_num = ?, stockin_price = ?, batch_id = ?, position_id = ?, \
             production_date = ?, expire_date = ?, total_cost = ?, refund_amount = ?, modified = ? WHERE id = ?",
        )
        .bind(d.expect_num.to_scaled())
        .bind(d.price.to_scaled())
        .bind(batch_id(&d.batch, batch_ids)?)
        .bind(d.position_id)
        .bind(d.production_date)
        .bind(d.expire_date)
        .bind(d.total_cost.to_scaled())
        .bind(d.refund_amount.to_scaled())
        .bind(now)
        .bind(*id)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Replaces the lines' refund links with the ones allocated at check time.
async fn relink(
    conn: &mut impl Executor,
    details: &[wdt_domain::refund_stockin::PlannedDetail],
    detail_ids: &[i64],
) -> StoreResult<()> {
    let mut qb = query("DELETE FROM stockin_refund_links WHERE stockin_detail_id");
    qb.push_in(conn.binds_arrays(), detail_ids.iter().copied());
    qb.execute(conn).await?;
    let mut links: Vec<Arg> = Vec::new();
    for (d, id) in details.iter().zip(detail_ids) {
        for (item_id, num) in &d.links {
            links.extend([id.into(), item_id.into(), num.to_scaled().into()]);
        }
    }
    let head = "INSERT INTO stockin_refund_links (stockin_detail_id, refund_item_id, num) ";
    write_rows(conn, head, 3, links, "").await?;
    Ok(())
}
