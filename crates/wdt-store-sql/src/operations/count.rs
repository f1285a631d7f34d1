//! 盘点: one stock line set to a counted quantity, as a stock count (PD…) ledger row.

use wdt_domain::model::{LedgerDocType, TEMPORARY_POSITION_NO};
use wdt_domain::numbering::DocKind;
use wdt_domain::operations::counting::{self, CountContext, StockCount};
use wdt_protocol::Dec4;
use wdt_store::{StockLineView, StoreResult};

use super::{Change, refused};
use crate::db::{Executor, query};
use crate::db_err;
use crate::stockin::{StockPosting, lock_specs, next_doc_no, post_stock_change};

/// The position the count names: the one numbered, or without a number the warehouse's default
/// position, or its temporary one when it has no default.
async fn position_of(conn: &mut impl Executor, warehouse_id: i64, count: &StockCount) -> StoreResult<Option<i64>> {
    match count.position_no.as_deref().filter(|p| !p.is_empty()) {
        Some(no) => {
            query("SELECT id FROM positions WHERE warehouse_id = ? AND position_no = ?").bind(warehouse_id).bind(no)
        }
        None => query(
            "SELECT COALESCE(w.default_position_id, (SELECT p.id FROM positions p WHERE p.warehouse_id = w.id \
             AND p.is_temporary)) FROM warehouses w WHERE w.id = ?",
        )
        .bind(warehouse_id),
    }
    .scalar_optional(conn)
    .await
    .map_err(db_err)
    .map(Option::flatten)
}

/// The row ids the count names, as far as they exist.
async fn context(conn: &mut impl Executor, sid: &str, count: &StockCount) -> StoreResult<CountContext> {
    let mut ctx = CountContext {
        warehouse_id: query("SELECT id FROM warehouses WHERE sid = ? AND warehouse_no = ?")
            .bind(sid)
            .bind(&count.warehouse_no)
            .scalar_optional(conn)
            .await?,
        ..CountContext::default()
    };
    ctx.spec = query("SELECT id, sn_managed FROM specs WHERE sid = ? AND spec_no = ?")
        .bind(sid)
        .bind(&count.spec_no)
        .fetch_optional(conn)
        .await?
        .map(|r| (r.get(0), r.get(1)));
    let (Some(wid), Some((spec_id, _))) = (ctx.warehouse_id, ctx.spec) else { return Ok(ctx) };
    if let Some(no) = count.batch_no.as_deref().filter(|b| !b.is_empty()) {
        ctx.batch_id = query("SELECT id FROM batches WHERE sid = ? AND spec_id = ? AND batch_no = ?")
            .bind(sid)
            .bind(spec_id)
            .bind(no)
            .scalar_optional(conn)
            .await?;
    }
    ctx.position_id = position_of(conn, wid, count).await?;
    // The cost row is the lock every writer of this warehouse × spec takes first.
    lock_specs(conn, sid, wid, &[spec_id]).await?;
    if let Some(position_id) = ctx.position_id {
        let current: Option<i64> = query(
            "SELECT num FROM stock WHERE warehouse_id = ? AND spec_id = ? AND defect = ? AND batch_id = ? \
             AND position_id = ?",
        )
        .bind(wid)
        .bind(spec_id)
        .bind(count.defect)
        .bind(ctx.batch_id.unwrap_or(0))
        .bind(position_id)
        .scalar_optional(conn)
        .await?;
        ctx.current = Dec4::from_scaled(current.unwrap_or(0));
    }
    Ok(ctx)
}

pub(super) async fn adjust(conn: &mut impl Executor, sid: &str, count: &StockCount, now: i64) -> StoreResult<Change> {
    let ctx = context(conn, sid, count).await?;
    let plan = counting::plan(count, &ctx).map_err(refused)?;
    let after = plan.before.checked_add(plan.change).unwrap_or(plan.before);
    let mut doc_no = String::new();
    if !plan.change.is_zero() {
        doc_no = next_doc_no(conn, sid, DocKind::StockCount, now).await?;
        let cost_price: i64 = query("SELECT cost_price FROM stock_costs WHERE warehouse_id = ? AND spec_id = ?")
            .bind(plan.warehouse_id)
            .bind(plan.spec_id)
            .scalar_optional(conn)
            .await?
            .unwrap_or(0);
        post_stock_change(
            conn,
            sid,
            StockPosting {
                doc_type: LedgerDocType::StockCount,
                doc_id: 0,
                doc_no: &doc_no,
                warehouse_id: plan.warehouse_id,
                spec_id: plan.spec_id,
                defect: count.defect,
                batch_id: plan.batch_id,
                position_id: plan.position_id,
                before: plan.before,
                change: plan.change,
                cost_price: Dec4::from_scaled(cost_price),
                now,
            },
        )
        .await?;
    }
    Ok(Change { before: plan.before.to_string(), after: after.to_string(), doc_no })
}

/// The counted line as it reads now.
pub(super) async fn line_view(conn: &mut impl Executor, sid: &str, count: &StockCount) -> StoreResult<StockLineView> {
    let ctx = context(conn, sid, count).await?;
    let position_no: String = match ctx.position_id {
        Some(id) => query("SELECT position_no FROM positions WHERE id = ?").bind(id).scalar(conn).await?,
        None => count.position_no.clone().unwrap_or_else(|| TEMPORARY_POSITION_NO.to_owned()),
    };
    let cost: Option<i64> = match (ctx.warehouse_id, ctx.spec) {
        (Some(wid), Some((spec_id, _))) => {
            query("SELECT cost_price FROM stock_costs WHERE warehouse_id = ? AND spec_id = ?")
                .bind(wid)
                .bind(spec_id)
                .scalar_optional(conn)
                .await?
        }
        _ => None,
    };
    Ok(StockLineView {
        sid: sid.to_owned(),
        warehouse_no: count.warehouse_no.clone(),
        spec_no: count.spec_no.clone(),
        defect: count.defect,
        batch_no: count.batch_no.clone().unwrap_or_default(),
        position_no,
        num: ctx.current,
        cost_price: Dec4::from_scaled(cost.unwrap_or(0)),
    })
}
