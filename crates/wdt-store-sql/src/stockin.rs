//! Return stock-in: load the state the rule needs, run it, apply its plan. All inside one
//! `BEGIN IMMEDIATE` transaction, so concurrent pushes are serialised by the database.

use std::collections::{BTreeSet, HashMap};

use crate::db::{Executor, ResultExt, query};
use wdt_domain::model::{LedgerDocType, RefundOrderStatus, StockinStatus, WarehouseKind};
use wdt_domain::refund_stockin::{
    BatchRef, RefundItemState, RefundOrderState, ReturnContext, ReturnPlan, ReturnStockin, SpecState, WarehouseState,
    plan,
};
use wdt_protocol::time::{now_ms, shanghai_day};
use wdt_protocol::{ApiError, Dec4};
use wdt_store::{AppCredential, StockinCreated, StoreError, StoreResult};

use crate::db_err;

fn q(scaled: i64) -> Dec4 {
    Dec4::from_scaled(scaled)
}

/// The unique constraint on a seller's stock-in outer numbers.
pub(crate) const OUTER_NO_CONSTRAINT: &str = "stockin_orders_sid_outer_no_key";

/// Logistics business number for sales returns (物流 `type` 2 销售退货).
pub(crate) const LOGISTICS_SALES_RETURN: i64 = 2;

/// The logistics company `code` of seller `sid` if it serves `business` (a vendor business
/// number), or serves every business.
pub(crate) async fn logistics_for(
    conn: &mut impl Executor,
    sid: &str,
    code: &str,
    business: i64,
) -> StoreResult<Option<i64>> {
    query(
        "SELECT id FROM logistics WHERE sid = ? AND logistics_code = ? \
         AND (business_types IS NULL OR ',' || business_types || ',' LIKE '%,' || ? || ',%')",
    )
    .bind(sid)
    .bind(code)
    .bind(business.to_string())
    .scalar_optional(conn)
    .await
    .map_err(db_err)
}

/// A stock line of one warehouse: spec × defect × batch × position.
pub(crate) type LineKey = (i64, bool, i64, i64);

/// On-hand quantity (scaled) per stock line of one warehouse.
pub(crate) type StockLevels = HashMap<LineKey, i64>;

/// Loads the state for `cmd` through `conn` (inside the write transaction), with the current
/// level of every stock line of its specs in its warehouse.
async fn load(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &ReturnStockin,
) -> StoreResult<(ReturnContext, StockLevels)> {
    let sid = app.sid.as_str();
    let mut ctx = ReturnContext { scope: app.scope(), ..ReturnContext::default() };
    let mut levels = StockLevels::new();

    // The refund order row is the lock that serialises receipts against it (PostgreSQL).
    let lock = conn.lock_of("r");
    if let Some(row) = query(format!(
        "SELECT r.id, r.refund_no, r.status, s.shop_no, r.shop_id FROM refund_orders r JOIN shops s ON s.id = r.shop_id \
         WHERE r.sid = ? AND r.refund_no = ?{lock}"
    ))
    .bind(sid)
    .bind(&cmd.refund_no)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    {
        let id: i64 = row.get(0);
        let items = query(
            "SELECT id, spec_id, refund_num, stockin_num, price FROM refund_order_items \
             WHERE refund_order_id = ? ORDER BY seq",
        )
        .bind(id)
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| RefundItemState {
            id: r.get(0),
            spec_id: r.get(1),
            refund_num: q(r.get(2)),
            stockin_num: q(r.get(3)),
            price: q(r.get(4)),
        })
        .collect();
        let status: i64 = row.get(2);
        ctx.refund = Some(RefundOrderState {
            id,
            refund_no: row.get(1),
            status: RefundOrderStatus::from_code(status)
                .ok_or_else(|| StoreError::Database(format!("refund order {id} has status {status}")))?,
            shop_no: row.get(3),
            shop_id: row.get(4),
            items,
        });
    }

    if let Some(row) = query(
        "SELECT w.id, w.warehouse_no, w.kind, w.default_position_id, \
                (SELECT p.id FROM positions p WHERE p.warehouse_id = w.id AND p.is_temporary) \
         FROM warehouses w WHERE w.sid = ? AND w.warehouse_no = ?",
    )
    .bind(sid)
    .bind(&cmd.warehouse_no)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    {
        let kind: String = row.get(2);
        ctx.warehouse = Some(WarehouseState {
            id: row.get(0),
            warehouse_no: row.get(1),
            kind: WarehouseKind::parse(&kind).unwrap_or(WarehouseKind::Normal),
            default_position_id: row.get(3),
            temporary_position_id: row.get(4),
        });
    }

    let spec_nos: BTreeSet<&str> = cmd.lines.iter().map(|l| l.spec_no.as_str()).collect();
    if !spec_nos.is_empty() {
        let mut qb = query("SELECT id, spec_no, sn_managed FROM specs WHERE sid = ");
        qb.push_bind(sid).push(" AND spec_no");
        qb.push_in(spec_nos.iter().copied());
        for r in qb.fetch_all(conn).await.map_err(db_err)? {
            ctx.specs.insert(r.get(1), SpecState { id: r.get(0), sn_managed: r.get(2) });
        }
    }
    let spec_ids: Vec<i64> = ctx.specs.values().map(|s| s.id).collect();

    if let (Some(w), false) = (&ctx.warehouse, spec_ids.is_empty()) {
        let wid = w.id;
        lock_specs(conn, sid, wid, &spec_ids).await?;
        let positions: BTreeSet<&str> = cmd.lines.iter().filter_map(|l| l.position_no.as_deref()).collect();
        if !positions.is_empty() {
            let mut qb = query("SELECT id, position_no FROM positions WHERE warehouse_id = ");
            qb.push_bind(wid).push(" AND position_no");
            qb.push_in(positions);
            for r in qb.fetch_all(conn).await.map_err(db_err)? {
                ctx.positions.insert(r.get(1), r.get(0));
            }
        }
        // Most recent stock-in position per spec here; on-hand quantity per spec here.
        let mut qb = query(
            "SELECT spec_id, position_id, last_in_at, id, num, defect, batch_id FROM stock WHERE warehouse_id = ",
        );
        qb.push_bind(wid).push(" AND spec_id");
        qb.push_in(spec_ids.iter().copied());
        let mut latest: HashMap<i64, (i64, i64)> = HashMap::new();
        let mut qty: HashMap<i64, Dec4> = HashMap::new();
        for r in qb.fetch_all(conn).await.map_err(db_err)? {
            let (spec, pos, at, id, num): (i64, i64, i64, i64, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
            let newer = latest.get(&spec).is_none_or(|(t, i)| (at, id) > (*t, *i));
            if newer {
                latest.insert(spec, (at, id));
                ctx.last_positions.insert(spec, pos);
            }
            let e = qty.entry(spec).or_insert(Dec4::ZERO);
            *e = e.checked_add(q(num)).unwrap_or(*e);
            levels.insert((spec, r.get(5), r.get(6), pos), num);
        }
        let mut qb = query("SELECT spec_id, cost_price FROM stock_costs WHERE warehouse_id = ");
        qb.push_bind(wid).push(" AND spec_id");
        qb.push_in(spec_ids.iter().copied());
        let costs: HashMap<i64, Dec4> =
            qb.fetch_all(conn).await.map_err(db_err)?.into_iter().map(|r| (r.get(0), q(r.get(1)))).collect();
        for id in &spec_ids {
            ctx.on_hand.insert(
                *id,
                (qty.get(id).copied().unwrap_or(Dec4::ZERO), costs.get(id).copied().unwrap_or(Dec4::ZERO)),
            );
        }

        let batch_nos: BTreeSet<&str> = cmd.lines.iter().filter_map(|l| l.batch_no.as_deref()).collect();
        if !batch_nos.is_empty() {
            let mut qb = query("SELECT id, spec_id, batch_no FROM batches WHERE sid = ");
            qb.push_bind(sid).push(" AND batch_no");
            qb.push_in(batch_nos);
            for r in qb.fetch_all(conn).await.map_err(db_err)? {
                ctx.batches.insert((r.get(1), r.get(2)), r.get(0));
            }
        }
        let sns: BTreeSet<&str> = cmd.lines.iter().flat_map(|l| l.sn.iter().map(String::as_str)).collect();
        if !sns.is_empty() {
            let mut qb = query("SELECT spec_id, sn FROM serial_numbers WHERE in_stock AND sid = ");
            qb.push_bind(sid).push(" AND sn");
            qb.push_in(sns);
            for r in qb.fetch_all(conn).await.map_err(db_err)? {
                ctx.sns_in_stock.insert((r.get(0), r.get(1)));
            }
        }
    }

    if let Some(code) = cmd.logistics_code.as_deref().filter(|c| !c.is_empty()) {
        ctx.logistics_id = logistics_for(conn, sid, code, LOGISTICS_SALES_RETURN).await?;
    }
    if let Some(outer) = &cmd.outer_no {
        ctx.outer_no_taken = query("SELECT 1 FROM stockin_orders WHERE sid = ? AND outer_no = ?")
            .bind(sid)
            .bind(outer)
            .exists(conn)
            .await
            .map_err(db_err)?;
    }
    Ok((ctx, levels))
}

/// Serialises writers of the same warehouse × spec on PostgreSQL (SQLite has one writer): the
/// moving-average cost rows are the lock, taken in spec order so two writers never wait on each
/// other in a cycle. Stock of these specs is read only after this.
pub(crate) async fn lock_specs(
    conn: &mut impl Executor,
    sid: &str,
    warehouse_id: i64,
    spec_ids: &[i64],
) -> StoreResult<()> {
    if conn.row_lock().is_empty() {
        return Ok(());
    }
    let mut ids = spec_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        query(
            "INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) VALUES (?, ?, ?, 0) \
             ON CONFLICT (warehouse_id, spec_id) DO NOTHING",
        )
        .bind(warehouse_id)
        .bind(*id)
        .bind(sid)
        .execute(conn)
        .await
        .map_err(db_err)?;
    }
    let mut qb = query("SELECT spec_id FROM stock_costs WHERE warehouse_id = ");
    qb.push_bind(warehouse_id).push(" AND spec_id");
    qb.push_in(ids.iter().copied()).push(" ORDER BY spec_id FOR UPDATE");
    qb.fetch_all(conn).await.map_err(db_err)?;
    Ok(())
}

/// The next document number: `PREFIX` + Shanghai date + a 4-digit daily sequence. Stock-ins use
/// `yyyyMMdd` (RK20240830…), refund orders `yyMMdd` (TK240830…), as the vendor's numbers do.
pub(crate) async fn next_doc_no(
    conn: &mut impl Executor,
    sid: &str,
    prefix: &str,
    short_year: bool,
    now: i64,
) -> StoreResult<String> {
    let mut numbers = next_doc_nos(conn, sid, prefix, short_year, now, 1).await?;
    numbers.pop().ok_or_else(|| StoreError::Database("no document number".into()))
}

/// The next `count` document numbers, in order, from one update of the day's sequence.
pub(crate) async fn next_doc_nos(
    conn: &mut impl Executor,
    sid: &str,
    prefix: &str,
    short_year: bool,
    now: i64,
    count: usize,
) -> StoreResult<Vec<String>> {
    let day = shanghai_day(now);
    let year = if short_year { day.year() % 100 } else { day.year() };
    let width = if short_year { 2 } else { 4 };
    let day = format!("{year:0width$}{:02}{:02}", u8::from(day.month()), day.day());
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let last: i64 = query(
        "INSERT INTO doc_sequences (sid, prefix, day, last) VALUES (?, ?, ?, ?) \
         ON CONFLICT (sid, prefix, day) DO UPDATE SET last = doc_sequences.last + excluded.last RETURNING last",
    )
    .bind(sid)
    .bind(prefix)
    .bind(&day)
    .bind(count)
    .scalar(conn)
    .await
    .map_err(db_err)?;
    Ok((last - count + 1..=last).map(|n| format!("{prefix}{day}{n:04}")).collect())
}

/// Applies an accepted plan.
async fn apply(
    conn: &mut impl Executor,
    app: &AppCredential,
    cmd: &ReturnStockin,
    plan: &ReturnPlan,
    levels: &mut StockLevels,
) -> StoreResult<StockinCreated> {
    let sid = app.sid.as_str();
    let now = now_ms();
    let mut batch_ids = Vec::with_capacity(plan.new_batches.len());
    for b in &plan.new_batches {
        let id: i64 = query(
            "INSERT INTO batches (sid, spec_id, batch_no, production_date, expire_date, remark, created) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(sid)
        .bind(b.spec_id)
        .bind(&b.batch_no)
        .bind(b.production_date)
        .bind(b.expire_date)
        .bind(&b.remark)
        .bind(now)
        .scalar(conn)
        .await
        .map_err(db_err)?;
        batch_ids.push(id);
    }
    let batch_id = |b: &BatchRef| match b {
        BatchRef::None => 0,
        BatchRef::Existing(id) => *id,
        BatchRef::New(k) => batch_ids[*k],
    };

    let order_no = next_doc_no(conn, sid, "RK", false, now).await?;
    let checked = plan.status == StockinStatus::Completed;
    let inserted = query(
        "INSERT INTO stockin_orders (sid, order_no, outer_no, refund_order_id, shop_id, warehouse_id, status, \
         logistics_id, logistics_no, post_fee, other_fee, remark, app_id, goods_count, goods_type_count, total_price, \
         refund_amount, created, modified, check_time) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(sid)
    .bind(&order_no)
    .bind(&cmd.outer_no)
    .bind(plan.refund_order_id)
    .bind(plan.shop_id)
    .bind(plan.warehouse_id)
    .bind(plan.status.code())
    .bind(plan.logistics_id)
    .bind(&cmd.logistics_no)
    .bind(cmd.post_fee.to_scaled())
    .bind(cmd.other_fee.to_scaled())
    .bind(&cmd.remark)
    .bind(app.id)
    .bind(plan.goods_count.to_scaled())
    .bind(plan.goods_type_count)
    .bind(plan.total_price.to_scaled())
    .bind(plan.refund_amount.to_scaled())
    .bind(now)
    .bind(now)
    .bind(checked.then_some(now))
    .scalar(conn)
    .await;
    let stockin_id = inserted.on_constraint(OUTER_NO_CONSTRAINT, |_| {
        StoreError::Api(ApiError::DuplicateOuterNo {
            field: cmd.fields.outer_no,
            value: cmd.outer_no.clone().unwrap_or_default(),
        })
    })?;

    let mut links = query("INSERT INTO stockin_refund_links (stockin_detail_id, refund_item_id, num) VALUES ");
    let mut link_rows = 0;
    for d in &plan.details {
        let detail_id: i64 = query(
            "INSERT INTO stockin_order_details (sid, stockin_id, spec_id, num, expect_num, stockin_price, defect, \
             batch_id, position_id, production_date, expire_date, total_cost, refund_amount, remark, created, modified) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(sid)
        .bind(stockin_id)
        .bind(d.spec_id)
        .bind(d.num.to_scaled())
        .bind(d.expect_num.to_scaled())
        .bind(d.price.to_scaled())
        .bind(d.defect)
        .bind(batch_id(&d.batch))
        .bind(d.position_id)
        .bind(d.production_date)
        .bind(d.expire_date)
        .bind(d.total_cost.to_scaled())
        .bind(d.refund_amount.to_scaled())
        .bind(&d.remark)
        .bind(now)
        .bind(now)
        .scalar(conn)
        .await
        .map_err(db_err)?;
        for (item_id, num) in &d.links {
            links.push(if link_rows == 0 { "(" } else { ", (" });
            links.push_bind(detail_id).push(", ").push_bind(*item_id).push(", ").push_bind(num.to_scaled()).push(")");
            link_rows += 1;
        }
        for sn in &d.sn {
            // An SN that left stock earlier comes back; a new one is registered.
            let sn_id: i64 = query(
                "INSERT INTO serial_numbers (sid, spec_id, sn, in_stock, warehouse_id) VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (sid, spec_id, sn) DO UPDATE SET in_stock = excluded.in_stock, \
                 warehouse_id = excluded.warehouse_id RETURNING id",
            )
            .bind(sid)
            .bind(d.spec_id)
            .bind(sn)
            .bind(checked)
            .bind(plan.warehouse_id)
            .scalar(conn)
            .await
            .map_err(db_err)?;
            query("INSERT INTO stockin_detail_sns (stockin_detail_id, sn_id) VALUES (?, ?)")
                .bind(detail_id)
                .bind(sn_id)
                .execute(conn)
                .await
                .map_err(db_err)?;
        }
    }

    if link_rows > 0 {
        links.execute(conn).await.map_err(db_err)?;
    }

    let postings: Vec<StockPosting> = plan
        .stock_changes
        .iter()
        .map(|c| StockPosting {
            doc_type: LedgerDocType::RefundStockin,
            doc_id: stockin_id,
            doc_no: &order_no,
            warehouse_id: plan.warehouse_id,
            spec_id: c.spec_id,
            defect: c.defect,
            batch_id: batch_id(&c.batch),
            position_id: c.position_id,
            change: c.change,
            cost_price: c.cost_price,
            now,
        })
        .collect();
    post_stock_changes(conn, sid, levels, &postings).await?;

    if !plan.costs.is_empty() {
        let mut qb = query("INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) VALUES ");
        for (k, (spec_id, cost)) in plan.costs.iter().enumerate() {
            qb.push(if k == 0 { "(" } else { ", (" });
            qb.push_bind(plan.warehouse_id).push(", ").push_bind(*spec_id).push(", ").push_bind(sid);
            qb.push(", ").push_bind(cost.to_scaled()).push(")");
        }
        qb.push(" ON CONFLICT (warehouse_id, spec_id) DO UPDATE SET cost_price = excluded.cost_price");
        qb.execute(conn).await.map_err(db_err)?;
    }
    if !plan.refund_progress.is_empty() {
        let mut qb = query("UPDATE refund_order_items SET stockin_num = CASE id");
        for (item_id, received) in &plan.refund_progress {
            qb.push(" WHEN ").push_bind(*item_id).push(" THEN ").push_bind(received.to_scaled());
        }
        qb.push(" END WHERE id");
        qb.push_in(plan.refund_progress.iter().map(|(id, _)| *id));
        qb.execute(conn).await.map_err(db_err)?;
    }
    if let Some(state) = plan.receipt {
        query("UPDATE refund_orders SET stockin_status = ?, modified = ? WHERE id = ?")
            .bind(state.code())
            .bind(now)
            .bind(plan.refund_order_id)
            .execute(conn)
            .await
            .map_err(db_err)?;
    }
    Ok(StockinCreated { id: stockin_id, order_no })
}

/// One stock change with its ledger row.
pub(crate) struct StockPosting<'a> {
    pub doc_type: LedgerDocType,
    pub doc_id: i64,
    pub doc_no: &'a str,
    pub warehouse_id: i64,
    pub spec_id: i64,
    pub defect: bool,
    pub batch_id: i64,
    pub position_id: i64,
    pub change: Dec4,
    pub cost_price: Dec4,
    pub now: i64,
}

/// Posts several stock changes of one document in two statements: one upsert of the lines, one
/// insert of the ledger rows. Before/after are computed from `levels` (read under the same locks
/// in this transaction) and checked against what the upsert returns, so a line changed behind
/// our back fails the transaction instead of writing a wrong ledger.
pub(crate) async fn post_stock_changes(
    conn: &mut impl Executor,
    sid: &str,
    levels: &mut StockLevels,
    postings: &[StockPosting<'_>],
) -> StoreResult<()> {
    if postings.is_empty() {
        return Ok(());
    }
    // Per line: the total change (one upsert row per line) and whether any of it came in.
    let mut lines: Vec<(LineKey, i64, i64)> = Vec::new();
    let mut ledger = query(
        "INSERT INTO stock_ledger (sid, doc_type, doc_id, doc_no, warehouse_id, spec_id, position_id, batch_id, defect, \
         num_before, num_change, num_after, cost_price, created) VALUES ",
    );
    for (k, p) in postings.iter().enumerate() {
        let key = (p.spec_id, p.defect, p.batch_id, p.position_id);
        let change = p.change.to_scaled();
        let before = levels.get(&key).copied().unwrap_or(0);
        let after = before + change;
        levels.insert(key, after);
        match lines.iter_mut().find(|l| l.0 == key) {
            Some(line) => {
                line.1 += change;
                line.2 = line.2.max(if change > 0 { p.now } else { 0 });
            }
            None => lines.push((key, change, if change > 0 { p.now } else { 0 })),
        }
        ledger.push(if k == 0 { "(" } else { ", (" });
        ledger.push_bind(sid).push(", ").push_bind(p.doc_type.code()).push(", ").push_bind(p.doc_id);
        ledger.push(", ").push_bind(p.doc_no).push(", ").push_bind(p.warehouse_id).push(", ").push_bind(p.spec_id);
        ledger.push(", ").push_bind(p.position_id).push(", ").push_bind(p.batch_id).push(", ").push_bind(p.defect);
        ledger.push(", ").push_bind(before).push(", ").push_bind(change).push(", ").push_bind(after);
        ledger.push(", ").push_bind(p.cost_price.to_scaled()).push(", ").push_bind(p.now).push(")");
    }
    let warehouse_id = postings[0].warehouse_id;
    let mut upsert =
        query("INSERT INTO stock (sid, warehouse_id, spec_id, defect, batch_id, position_id, num, last_in_at) VALUES ");
    for (k, ((spec, defect, batch, position), change, last_in)) in lines.iter().enumerate() {
        upsert.push(if k == 0 { "(" } else { ", (" });
        upsert.push_bind(sid).push(", ").push_bind(warehouse_id).push(", ").push_bind(*spec);
        upsert.push(", ").push_bind(*defect).push(", ").push_bind(*batch).push(", ").push_bind(*position);
        upsert.push(", ").push_bind(*change).push(", ").push_bind(*last_in).push(")");
    }
    upsert.push(
        " ON CONFLICT (warehouse_id, spec_id, defect, batch_id, position_id) DO UPDATE SET num = stock.num + excluded.num, \
         last_in_at = CASE WHEN excluded.num > 0 THEN excluded.last_in_at ELSE stock.last_in_at END \
         RETURNING spec_id, defect, batch_id, position_id, num",
    );
    for r in upsert.fetch_all(conn).await.map_err(db_err)? {
        let key: LineKey = (r.get(0), r.get(1), r.get(2), r.get(3));
        let num: i64 = r.get(4);
        if levels.get(&key) != Some(&num) {
            return Err(StoreError::Database(format!(
                "stock line {key:?} of warehouse {warehouse_id} is {num}, expected {:?}: changed concurrently",
                levels.get(&key)
            )));
        }
    }
    ledger.execute(conn).await.map_err(db_err)?;
    Ok(())
}

/// Changes one stock line and appends its ledger row; before/after come from the row itself.
pub(crate) async fn post_stock_change(conn: &mut impl Executor, sid: &str, p: StockPosting<'_>) -> StoreResult<()> {
    let change = p.change.to_scaled();
    let incoming = change > 0;
    let after: i64 = query(
        "INSERT INTO stock (sid, warehouse_id, spec_id, defect, batch_id, position_id, num, last_in_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (warehouse_id, spec_id, defect, batch_id, position_id) DO UPDATE SET num = stock.num + excluded.num, \
         last_in_at = CASE WHEN excluded.num > 0 THEN excluded.last_in_at ELSE stock.last_in_at END RETURNING num",
    )
    .bind(sid)
    .bind(p.warehouse_id)
    .bind(p.spec_id)
    .bind(p.defect)
    .bind(p.batch_id)
    .bind(p.position_id)
    .bind(change)
    .bind(if incoming { p.now } else { 0 })
    .scalar(conn)
    .await
    .map_err(db_err)?;
    query(
        "INSERT INTO stock_ledger (sid, doc_type, doc_id, doc_no, warehouse_id, spec_id, position_id, batch_id, defect, \
         num_before, num_change, num_after, cost_price, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(sid)
    .bind(p.doc_type.code())
    .bind(p.doc_id)
    .bind(p.doc_no)
    .bind(p.warehouse_id)
    .bind(p.spec_id)
    .bind(p.position_id)
    .bind(p.batch_id)
    .bind(p.defect)
    .bind(after - change)
    .bind(change)
    .bind(after)
    .bind(p.cost_price.to_scaled())
    .bind(p.now)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Loads, plans and applies a return stock-in inside `conn`'s transaction.
pub async fn create(conn: &mut impl Executor, app: &AppCredential, cmd: &ReturnStockin) -> StoreResult<StockinCreated> {
    let (ctx, mut levels) = load(conn, app, cmd).await?;
    let plan = plan(cmd, &ctx)?;
    apply(conn, app, cmd, &plan, &mut levels).await
}
