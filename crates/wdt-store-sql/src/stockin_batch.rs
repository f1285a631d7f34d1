//! Return stock-ins in batches: many pushes of one seller loaded with one statement per kind of
//! row, planned one after another against state that carries each accepted push's effects to the
//! next, and written with one multi-row statement per table. A batch costs about twenty
//! statements however many pushes it holds, where one push alone costs as many.
//!
//! The rule is the same [`plan`] the one-at-a-time path runs; a refusal writes nothing, so it
//! needs no savepoint. Anything the batch cannot settle on its own (a constraint another server
//! tripped, a deadlock, rows coming back in an unexpected order) fails the whole batch, and the
//! caller reruns its pushes one by one.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use wdt_domain::model::{LedgerDocType, RefundOrderStatus, RefundReceiptState, StockinStatus, WarehouseKind};
use wdt_domain::refund_stockin::{
    BatchRef, RefundItemState, RefundOrderState, ReturnContext, ReturnPlan, ReturnStockin, SpecState, WarehouseState,
    plan,
};
use wdt_protocol::Dec4;
use wdt_protocol::time::now_ms;
use wdt_store::{AppCredential, StockinCreated, StoreError, StoreResult};

use crate::db::{Arg, Executor, padded, query, write_rows};
use crate::db_err;
use crate::stockin::{LOGISTICS_SALES_RETURN, LineKey, logistics_for, next_doc_nos};

/// One push waiting in a batch.
pub struct Pending {
    /// Who pushed it.
    pub app: AppCredential,
    /// What was pushed.
    pub cmd: ReturnStockin,
}

/// Whether `cmd` can share a batch: lines without serial numbers or batch numbers (those create
/// and look up rows line by line, and take the one-at-a-time path).
pub fn batchable(cmd: &ReturnStockin) -> bool {
    cmd.lines.iter().all(|l| l.sn.is_empty() && l.batch_no.as_deref().is_none_or(str::is_empty))
}

/// Creates the stock-ins of `items` inside `conn`'s transaction and returns one answer per item,
/// in order. `Err` means the batch failed as a whole: roll the transaction back.
pub async fn create_many(conn: &mut impl Executor, items: &[Pending]) -> StoreResult<Vec<StoreResult<StockinCreated>>> {
    let mut answers: Vec<Option<StoreResult<StockinCreated>>> = items.iter().map(|_| None).collect();
    let sids: BTreeSet<&str> = items.iter().map(|p| p.app.sid.as_str()).collect();
    for sid in sids {
        let members: Vec<usize> = (0..items.len()).filter(|&i| items[i].app.sid == sid).collect();
        seller_batch(conn, sid, items, &members, &mut answers).await?;
    }
    Ok(answers
        .into_iter()
        .map(|a| a.unwrap_or_else(|| Err(StoreError::Database("a batched push got no answer".into()))))
        .collect())
}

/// Warehouse id × spec id.
type WhSpec = (i64, i64);

/// What one seller's pushes read, kept current as each accepted push is planned.
#[derive(Default)]
struct SellerState {
    refunds: HashMap<String, RefundOrderState>,
    warehouses: HashMap<String, WarehouseState>,
    specs: HashMap<String, SpecState>,
    positions: HashMap<(i64, String), i64>,
    /// Newest stock line per warehouse × spec: (last_in_at, line id or, for lines this batch
    /// creates, a rank above every stored id) and its position.
    newest: HashMap<WhSpec, ((i64, i64), i64)>,
    on_hand: HashMap<WhSpec, (Dec4, Dec4)>,
    levels: HashMap<(i64, LineKey), i64>,
    logistics: HashMap<String, Option<i64>>,
    outer_nos: HashSet<String>,
}

/// An accepted push with its ledger rows' before/after, computed as it was planned.
struct Accepted {
    item: usize,
    plan: ReturnPlan,
    /// Per stock change: line, before, change, after, cost price (scaled).
    postings: Vec<(LineKey, i64, i64, i64, i64)>,
}

async fn seller_batch(
    conn: &mut impl Executor,
    sid: &str,
    items: &[Pending],
    members: &[usize],
    answers: &mut [Option<StoreResult<StockinCreated>>],
) -> StoreResult<()> {
    let mut state = load(conn, sid, items, members).await?;
    let now = now_ms();
    let mut accepted: Vec<Accepted> = Vec::with_capacity(members.len());
    let mut receipts: BTreeMap<i64, RefundReceiptState> = BTreeMap::new();
    let mut costs: BTreeMap<WhSpec, Dec4> = BTreeMap::new();
    let mut progress: BTreeMap<i64, Dec4> = BTreeMap::new();
    // Ranks lines received in this batch above every stored line, later ones higher.
    let mut received_rank = i64::MAX / 2;
    for &i in members {
        let Pending { app, cmd } = &items[i];
        let ctx = context(&state, app, cmd);
        let plan = match plan(cmd, &ctx) {
            Ok(plan) => plan,
            Err(refusal) => {
                answers[i] = Some(Err(StoreError::Api(refusal)));
                continue;
            }
        };
        if !plan.new_batches.is_empty() {
            return Err(StoreError::Database("a batched push planned new batches".into()));
        }
        let wid = plan.warehouse_id;
        if let Some(outer) = &cmd.outer_no {
            state.outer_nos.insert(outer.clone());
        }
        if let Some(refund) = state.refunds.get_mut(&cmd.refund_no) {
            for (item_id, received) in &plan.refund_progress {
                if let Some(item) = refund.items.iter_mut().find(|it| it.id == *item_id) {
                    item.stockin_num = *received;
                }
                progress.insert(*item_id, *received);
            }
        }
        if let Some(r) = plan.receipt {
            receipts.insert(plan.refund_order_id, r);
        }
        let mut postings = Vec::with_capacity(plan.stock_changes.len());
        for c in &plan.stock_changes {
            let key: LineKey = (c.spec_id, c.defect, batch_id(&c.batch)?, c.position_id);
            let change = c.change.to_scaled();
            let level = state.levels.entry((wid, key)).or_insert(0);
            let before = *level;
            *level += change;
            postings.push((key, before, change, *level, c.cost_price.to_scaled()));
            let held = state.on_hand.entry((wid, c.spec_id)).or_insert((Dec4::ZERO, Dec4::ZERO));
            held.0 = held.0.checked_add(c.change).unwrap_or(held.0);
            if change > 0 {
                // Lines received now are the newest; a later push in this batch sees them so.
                received_rank += 1;
                state.newest.insert((wid, c.spec_id), ((now, received_rank), c.position_id));
            }
        }
        for (spec_id, cost) in &plan.costs {
            state.on_hand.entry((wid, *spec_id)).or_insert((Dec4::ZERO, Dec4::ZERO)).1 = *cost;
            costs.insert((wid, *spec_id), *cost);
        }
        accepted.push(Accepted { item: i, plan, postings });
    }
    if accepted.is_empty() {
        return Ok(());
    }
    let created = write(conn, sid, items, &accepted, now).await?;
    write_levels(conn, sid, &state, &accepted, now).await?;
    write_costs(conn, sid, &costs).await?;
    write_progress(conn, &progress, &receipts, now).await?;
    for (a, c) in accepted.iter().zip(created) {
        answers[a.item] = Some(Ok(c));
    }
    Ok(())
}

fn batch_id(b: &BatchRef) -> StoreResult<i64> {
    match b {
        BatchRef::None => Ok(0),
        BatchRef::Existing(id) => Ok(*id),
        BatchRef::New(_) => Err(StoreError::Database("a batched push planned a new batch".into())),
    }
}

/// The context one push's rule sees, cut from the seller's state.
fn context(state: &SellerState, app: &AppCredential, cmd: &ReturnStockin) -> ReturnContext {
    let mut ctx = ReturnContext { scope: app.scope(), ..ReturnContext::default() };
    ctx.refund = state.refunds.get(&cmd.refund_no).cloned();
    ctx.warehouse = state.warehouses.get(&cmd.warehouse_no).cloned();
    for line in &cmd.lines {
        if let Some(spec) = state.specs.get(&line.spec_no) {
            ctx.specs.insert(line.spec_no.clone(), spec.clone());
        }
    }
    if let Some(w) = &ctx.warehouse {
        for line in &cmd.lines {
            if let Some(no) = &line.position_no
                && let Some(id) = state.positions.get(&(w.id, no.clone()))
            {
                ctx.positions.insert(no.clone(), *id);
            }
        }
        for spec in ctx.specs.values() {
            let key = (w.id, spec.id);
            ctx.on_hand.insert(spec.id, state.on_hand.get(&key).copied().unwrap_or((Dec4::ZERO, Dec4::ZERO)));
            if let Some((_, position)) = state.newest.get(&key) {
                ctx.last_positions.insert(spec.id, *position);
            }
        }
    }
    if let Some(code) = cmd.logistics_code.as_deref().filter(|c| !c.is_empty()) {
        ctx.logistics_id = state.logistics.get(code).copied().flatten();
    }
    ctx.outer_no_taken = cmd.outer_no.as_ref().is_some_and(|o| state.outer_nos.contains(o));
    ctx
}

/// Reads (and on PostgreSQL locks, refund orders first, then cost rows, each in id order, as the
/// one-at-a-time path does) everything the members' rules need.
async fn load(conn: &mut impl Executor, sid: &str, items: &[Pending], members: &[usize]) -> StoreResult<SellerState> {
    let cmds: Vec<&ReturnStockin> = members.iter().map(|&i| &items[i].cmd).collect();
    let mut state = SellerState::default();

    let refund_nos: BTreeSet<&str> = cmds.iter().map(|c| c.refund_no.as_str()).collect();
    let mut qb = query(
        "SELECT r.id, r.refund_no, r.status, s.shop_no, r.shop_id FROM refund_orders r JOIN shops s ON s.id = r.shop_id \
         WHERE r.sid = ",
    );
    qb.push_bind(sid).push(" AND r.refund_no");
    qb.push_in(refund_nos.iter().copied()).push(" ORDER BY r.id");
    qb.push(&conn.lock_of("r"));
    let mut refund_ids: HashMap<i64, String> = HashMap::new();
    for row in qb.fetch_all(conn).await.map_err(db_err)? {
        let id: i64 = row.get(0);
        let status: i64 = row.get(2);
        let refund = RefundOrderState {
            id,
            refund_no: row.get(1),
            status: RefundOrderStatus::from_code(status)
                .ok_or_else(|| StoreError::Database(format!("refund order {id} has status {status}")))?,
            shop_no: row.get(3),
            shop_id: row.get(4),
            items: Vec::new(),
        };
        refund_ids.insert(id, refund.refund_no.clone());
        state.refunds.insert(refund.refund_no.clone(), refund);
    }
    if !refund_ids.is_empty() {
        let mut qb = query(
            "SELECT refund_order_id, id, spec_id, refund_num, stockin_num, price FROM refund_order_items \
             WHERE refund_order_id",
        );
        qb.push_in(refund_ids.keys().copied()).push(" ORDER BY refund_order_id, seq");
        for r in qb.fetch_all(conn).await.map_err(db_err)? {
            let owner: i64 = r.get(0);
            if let Some(refund) = refund_ids.get(&owner).and_then(|no| state.refunds.get_mut(no)) {
                refund.items.push(RefundItemState {
                    id: r.get(1),
                    spec_id: r.get(2),
                    refund_num: Dec4::from_scaled(r.get(3)),
                    stockin_num: Dec4::from_scaled(r.get(4)),
                    price: Dec4::from_scaled(r.get(5)),
                });
            }
        }
    }

    let warehouse_nos: BTreeSet<&str> = cmds.iter().map(|c| c.warehouse_no.as_str()).collect();
    let mut qb = query(
        "SELECT w.id, w.warehouse_no, w.kind, w.default_position_id, \
                (SELECT p.id FROM positions p WHERE p.warehouse_id = w.id AND p.is_temporary) \
         FROM warehouses w WHERE w.sid = ",
    );
    qb.push_bind(sid).push(" AND w.warehouse_no");
    qb.push_in(warehouse_nos);
    for row in qb.fetch_all(conn).await.map_err(db_err)? {
        let kind: String = row.get(2);
        let w = WarehouseState {
            id: row.get(0),
            warehouse_no: row.get(1),
            kind: WarehouseKind::parse(&kind).unwrap_or(WarehouseKind::Normal),
            default_position_id: row.get(3),
            temporary_position_id: row.get(4),
        };
        state.warehouses.insert(w.warehouse_no.clone(), w);
    }

    let spec_nos: BTreeSet<&str> = cmds.iter().flat_map(|c| c.lines.iter().map(|l| l.spec_no.as_str())).collect();
    if !spec_nos.is_empty() {
        let mut qb = query("SELECT id, spec_no, sn_managed FROM specs WHERE sid = ");
        qb.push_bind(sid).push(" AND spec_no");
        qb.push_in(spec_nos);
        for r in qb.fetch_all(conn).await.map_err(db_err)? {
            state.specs.insert(r.get(1), SpecState { id: r.get(0), sn_managed: r.get(2) });
        }
    }

    // The warehouse × spec pairs the pushes touch, in lock order.
    let mut pairs: BTreeSet<WhSpec> = BTreeSet::new();
    for c in &cmds {
        if let Some(w) = state.warehouses.get(&c.warehouse_no) {
            pairs.extend(c.lines.iter().filter_map(|l| state.specs.get(&l.spec_no)).map(|s| (w.id, s.id)));
        }
    }
    if !pairs.is_empty() {
        let wids: BTreeSet<i64> = pairs.iter().map(|p| p.0).collect();
        let spec_ids: BTreeSet<i64> = pairs.iter().map(|p| p.1).collect();
        if !conn.row_lock().is_empty() {
            let rows = pairs.iter().flat_map(|(wid, spec)| [wid.into(), spec.into(), sid.into(), 0.into()]).collect();
            let head = "INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) ";
            write_rows(conn, head, 4, rows, " ON CONFLICT (warehouse_id, spec_id) DO NOTHING").await.map_err(db_err)?;
        }
        let mut qb = query("SELECT warehouse_id, spec_id, cost_price FROM stock_costs WHERE warehouse_id");
        qb.push_in(wids.iter().copied()).push(" AND spec_id");
        qb.push_in(spec_ids.iter().copied()).push(" ORDER BY warehouse_id, spec_id");
        qb.push(conn.row_lock());
        for r in qb.fetch_all(conn).await.map_err(db_err)? {
            let key: WhSpec = (r.get(0), r.get(1));
            if pairs.contains(&key) {
                state.on_hand.insert(key, (Dec4::ZERO, Dec4::from_scaled(r.get(2))));
            }
        }

        let mut qb = query(
            "SELECT warehouse_id, spec_id, position_id, last_in_at, id, num, defect, batch_id FROM stock \
             WHERE warehouse_id",
        );
        qb.push_in(wids.iter().copied()).push(" AND spec_id");
        qb.push_in(spec_ids.iter().copied());
        for r in qb.fetch_all(conn).await.map_err(db_err)? {
            let key: WhSpec = (r.get(0), r.get(1));
            if !pairs.contains(&key) {
                continue;
            }
            let (position, at, id, num): (i64, i64, i64, i64) = (r.get(2), r.get(3), r.get(4), r.get(5));
            if state.newest.get(&key).is_none_or(|(rank, _)| (at, id) > *rank) {
                state.newest.insert(key, ((at, id), position));
            }
            let held = state.on_hand.entry(key).or_insert((Dec4::ZERO, Dec4::ZERO));
            held.0 = held.0.checked_add(Dec4::from_scaled(num)).unwrap_or(held.0);
            state.levels.insert((key.0, (key.1, r.get(6), r.get(7), position)), num);
        }

        let positions: BTreeSet<&str> =
            cmds.iter().flat_map(|c| c.lines.iter().filter_map(|l| l.position_no.as_deref())).collect();
        if !positions.is_empty() {
            let mut qb = query("SELECT warehouse_id, id, position_no FROM positions WHERE warehouse_id");
            qb.push_in(wids.iter().copied()).push(" AND position_no");
            qb.push_in(positions);
            for r in qb.fetch_all(conn).await.map_err(db_err)? {
                state.positions.insert((r.get(0), r.get(2)), r.get(1));
            }
        }
    }

    let codes: BTreeSet<&str> =
        cmds.iter().filter_map(|c| c.logistics_code.as_deref()).filter(|c| !c.is_empty()).collect();
    for code in codes {
        let found = logistics_for(conn, sid, code, LOGISTICS_SALES_RETURN).await?;
        state.logistics.insert(code.to_owned(), found);
    }

    let outer_nos: BTreeSet<&str> = cmds.iter().filter_map(|c| c.outer_no.as_deref()).collect();
    if !outer_nos.is_empty() {
        // One lookup on the full (sid, outer_no) key per number, as a subquery the planner
        // cannot turn into a join: `sid = ? AND outer_no IN (…)` lets PostgreSQL, before its
        // statistics catch up with a growing table, scan every stock-in of the seller through
        // another index that starts with sid. `column1` is the name both databases give the
        // first column of `VALUES`: SQLite takes no column list after the alias.
        let mut qb = query("SELECT (SELECT o.outer_no FROM stockin_orders o WHERE o.sid = ");
        qb.push_bind(sid).push(" AND o.outer_no = v.column1) FROM (VALUES ");
        for (k, no) in padded(outer_nos.into_iter().collect()).into_iter().enumerate() {
            qb.push(if k == 0 { "(" } else { ", (" }).push_bind(no).push(")");
        }
        qb.push(") AS v");
        let found: Vec<Option<String>> = qb.scalars(conn).await.map_err(db_err)?;
        state.outer_nos = found.into_iter().flatten().collect();
    }
    Ok(state)
}

/// Inserts the accepted pushes' orders, lines, refund links and ledger rows.
async fn write(
    conn: &mut impl Executor,
    sid: &str,
    items: &[Pending],
    accepted: &[Accepted],
    now: i64,
) -> StoreResult<Vec<StockinCreated>> {
    let numbers = next_doc_nos(conn, sid, "RK", false, now, accepted.len()).await?;

    let head = "INSERT INTO stockin_orders (sid, order_no, outer_no, refund_order_id, shop_id, warehouse_id, status, \
        logistics_id, logistics_no, post_fee, other_fee, remark, app_id, goods_count, goods_type_count, total_price, \
        refund_amount, created, modified, check_time) ";
    let mut rows: Vec<Arg> = Vec::with_capacity(accepted.len() * 20);
    for (a, order_no) in accepted.iter().zip(&numbers) {
        let Pending { app, cmd } = &items[a.item];
        let p = &a.plan;
        let checked = p.status == StockinStatus::Completed;
        rows.extend([
            sid.into(),
            order_no.into(),
            cmd.outer_no.clone().into(),
            p.refund_order_id.into(),
            p.shop_id.into(),
            p.warehouse_id.into(),
            p.status.code().into(),
            p.logistics_id.into(),
            cmd.logistics_no.as_str().into(),
            cmd.post_fee.to_scaled().into(),
            cmd.other_fee.to_scaled().into(),
            cmd.remark.as_str().into(),
            app.id.into(),
            p.goods_count.to_scaled().into(),
            p.goods_type_count.into(),
            p.total_price.to_scaled().into(),
            p.refund_amount.to_scaled().into(),
            now.into(),
            now.into(),
            checked.then_some(now).into(),
        ]);
    }
    let mut ids: HashMap<String, i64> = HashMap::new();
    for r in write_rows(conn, head, 20, rows, " RETURNING id, order_no").await.map_err(db_err)? {
        ids.insert(r.get(1), r.get(0));
    }
    let mut created = Vec::with_capacity(accepted.len());
    for order_no in numbers {
        let id = *ids
            .get(&order_no)
            .ok_or_else(|| StoreError::Database(format!("stock-in {order_no} was not returned by its insert")))?;
        created.push(StockinCreated { id, order_no });
    }

    // Lines: their ids come back in insertion order, checked row by row before links use them.
    let mut expected: Vec<(i64, i64, i64)> = Vec::new();
    let head = "INSERT INTO stockin_order_details (sid, stockin_id, spec_id, num, expect_num, stockin_price, defect, \
        batch_id, position_id, production_date, expire_date, total_cost, refund_amount, remark, created, modified) ";
    let mut rows: Vec<Arg> = Vec::new();
    for (a, c) in accepted.iter().zip(&created) {
        for d in &a.plan.details {
            rows.extend([
                sid.into(),
                c.id.into(),
                d.spec_id.into(),
                d.num.to_scaled().into(),
                d.expect_num.to_scaled().into(),
                d.price.to_scaled().into(),
                d.defect.into(),
                batch_id(&d.batch)?.into(),
                d.position_id.into(),
                d.production_date.into(),
                d.expire_date.into(),
                d.total_cost.to_scaled().into(),
                d.refund_amount.to_scaled().into(),
                d.remark.as_str().into(),
                now.into(),
                now.into(),
            ]);
            expected.push((c.id, d.spec_id, d.num.to_scaled()));
        }
    }
    let mut links: Vec<Arg> = Vec::new();
    if !expected.is_empty() {
        let rows = write_rows(conn, head, 16, rows, " RETURNING id, stockin_id, spec_id, num").await.map_err(db_err)?;
        let returned: Vec<(i64, i64, i64)> = rows.iter().map(|r| (r.get(1), r.get(2), r.get(3))).collect();
        if returned != expected {
            return Err(StoreError::Database("stock-in lines came back out of order".into()));
        }
        let mut detail_ids = rows.iter().map(|r| r.get::<i64, _>(0));
        for a in accepted {
            for d in &a.plan.details {
                let detail_id = detail_ids.next().unwrap_or_default();
                for (item_id, num) in &d.links {
                    links.extend([detail_id.into(), item_id.into(), num.to_scaled().into()]);
                }
            }
        }
    }
    if !links.is_empty() {
        let head = "INSERT INTO stockin_refund_links (stockin_detail_id, refund_item_id, num) ";
        write_rows(conn, head, 3, links, "").await.map_err(db_err)?;
    }

    let mut ledger: Vec<Arg> = Vec::new();
    for (a, c) in accepted.iter().zip(&created) {
        for ((spec, defect, batch, position), before, change, after, cost) in &a.postings {
            ledger.extend([
                sid.into(),
                LedgerDocType::RefundStockin.code().into(),
                c.id.into(),
                c.order_no.as_str().into(),
                a.plan.warehouse_id.into(),
                spec.into(),
                position.into(),
                batch.into(),
                (*defect).into(),
                before.into(),
                change.into(),
                after.into(),
                cost.into(),
                now.into(),
            ]);
        }
    }
    if !ledger.is_empty() {
        let head = "INSERT INTO stock_ledger (sid, doc_type, doc_id, doc_no, warehouse_id, spec_id, position_id, \
            batch_id, defect, num_before, num_change, num_after, cost_price, created) ";
        write_rows(conn, head, 14, ledger, "").await.map_err(db_err)?;
    }
    Ok(created)
}

/// Moves every stock line the batch touched by its total change, and checks each lands where the
/// batch's own arithmetic says it must.
async fn write_levels(
    conn: &mut impl Executor,
    sid: &str,
    state: &SellerState,
    accepted: &[Accepted],
    now: i64,
) -> StoreResult<()> {
    // (warehouse, line) → (total change, receiving time or 0)
    let mut lines: BTreeMap<(i64, LineKey), (i64, i64)> = BTreeMap::new();
    for a in accepted {
        for (key, _, change, _, _) in &a.postings {
            let line = lines.entry((a.plan.warehouse_id, *key)).or_insert((0, 0));
            line.0 += change;
            if *change > 0 {
                line.1 = now;
            }
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<Arg> = Vec::with_capacity(lines.len() * 8);
    for ((wid, (spec, defect, batch, position)), (change, last_in)) in &lines {
        rows.extend([
            sid.into(),
            wid.into(),
            spec.into(),
            (*defect).into(),
            batch.into(),
            position.into(),
            change.into(),
            last_in.into(),
        ]);
    }
    let head = "INSERT INTO stock (sid, warehouse_id, spec_id, defect, batch_id, position_id, num, last_in_at) ";
    let tail = " ON CONFLICT (warehouse_id, spec_id, defect, batch_id, position_id) DO UPDATE SET num = stock.num + excluded.num, \
         last_in_at = CASE WHEN excluded.num > 0 THEN excluded.last_in_at ELSE stock.last_in_at END \
         RETURNING warehouse_id, spec_id, defect, batch_id, position_id, num";
    for r in write_rows(conn, head, 8, rows, tail).await.map_err(db_err)? {
        let key: (i64, LineKey) = (r.get(0), (r.get(1), r.get(2), r.get(3), r.get(4)));
        let num: i64 = r.get(5);
        if state.levels.get(&key) != Some(&num) {
            return Err(StoreError::Database(format!(
                "stock line {key:?} is {num}, expected {:?}: changed concurrently",
                state.levels.get(&key)
            )));
        }
    }
    Ok(())
}

/// Stores the last moving-average cost of every warehouse × spec the batch received.
async fn write_costs(conn: &mut impl Executor, sid: &str, costs: &BTreeMap<WhSpec, Dec4>) -> StoreResult<()> {
    if costs.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<Arg> = Vec::with_capacity(costs.len() * 4);
    for ((wid, spec), cost) in costs {
        rows.extend([wid.into(), spec.into(), sid.into(), cost.to_scaled().into()]);
    }
    let head = "INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) ";
    let tail = " ON CONFLICT (warehouse_id, spec_id) DO UPDATE SET cost_price = excluded.cost_price";
    write_rows(conn, head, 4, rows, tail).await.map_err(db_err)?;
    Ok(())
}

/// Stores the refund items' final received quantities and the refund orders' receipt states.
async fn write_progress(
    conn: &mut impl Executor,
    progress: &BTreeMap<i64, Dec4>,
    receipts: &BTreeMap<i64, RefundReceiptState>,
    now: i64,
) -> StoreResult<()> {
    // A join with the new values, not `CASE id WHEN … END`: that tests every WHEN for every
    // row, quadratic in the batch.
    if !progress.is_empty() {
        let mut qb = query("UPDATE refund_order_items SET stockin_num = v.column2 FROM (VALUES ");
        for (k, (item_id, received)) in padded(progress.iter().collect()).into_iter().enumerate() {
            qb.push(if k == 0 { "(" } else { ", (" });
            qb.push_bind(*item_id).push(", ").push_bind(received.to_scaled()).push(")");
        }
        qb.push(") AS v WHERE refund_order_items.id = v.column1");
        qb.execute(conn).await.map_err(db_err)?;
    }
    if !receipts.is_empty() {
        let mut qb = query("UPDATE refund_orders SET stockin_status = v.column2, modified = ");
        qb.push_bind(now).push(" FROM (VALUES ");
        for (k, (id, state)) in padded(receipts.iter().collect()).into_iter().enumerate() {
            qb.push(if k == 0 { "(" } else { ", (" });
            qb.push_bind(*id).push(", ").push_bind(state.code()).push(")");
        }
        qb.push(") AS v WHERE refund_orders.id = v.column1");
        qb.execute(conn).await.map_err(db_err)?;
    }
    Ok(())
}
