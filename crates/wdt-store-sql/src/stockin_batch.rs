//! Return stock-ins, one push or many: the pushes of one seller are loaded with one statement
//! per kind of row, planned one after another against the [`ReceivingState`] that carries each
//! accepted push's effects to the next, and written with one multi-row statement per table. A
//! batch costs about twenty statements however many pushes it holds; one push alone costs as
//! many, through the same code.
//!
//! A refusal writes nothing, so it needs no savepoint. Anything the batch cannot settle on its
//! own (a constraint another server tripped, a deadlock, rows coming back in an unexpected order)
//! fails the whole batch, and the caller reruns its pushes one by one.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use wdt_domain::model::{LedgerDocType, LogisticsBusiness, RefundReceiptState, WarehouseKind};
use wdt_domain::numbering::DocKind;
use wdt_domain::receiving::{LineKey, Receipt, ReceivingState};
use wdt_domain::refund_stockin::{
    BatchRef, RefundItemState, RefundOrderState, ReturnStockin, SpecState, WarehouseState,
};
use wdt_protocol::{ApiError, Dec4};
use wdt_store::{AppCredential, StockinCreated, StoreError, StoreResult};

use crate::db::{Arg, Executor, ResultExt, padded, query, write_rows};
use crate::stockin::{OUTER_NO_CONSTRAINT, logistics_for, next_doc_nos};

/// One push waiting in a batch.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Who pushed it.
    pub app: AppCredential,
    /// What was pushed.
    pub cmd: ReturnStockin,
    /// When (epoch ms, from the store's clock).
    pub now: i64,
}

/// Whether `cmd` can share a batch with other pushes: lines without serial numbers or batch
/// numbers. Those look up and create rows line by line in the same statements, and a conflict
/// between two pushes of one batch on them would fail the batch as a whole; alone, they run as
/// a batch of one.
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

/// An accepted push.
pub(crate) struct Accepted {
    /// Its index among the batch's items.
    pub item: usize,
    /// What its rule planned and posted.
    pub receipt: Receipt,
}

async fn seller_batch(
    conn: &mut impl Executor,
    sid: &str,
    items: &[Pending],
    members: &[usize],
    answers: &mut [Option<StoreResult<StockinCreated>>],
) -> StoreResult<()> {
    let mut state = load(conn, sid, items, members).await?;
    // One time for the batch: the latest push's, so that times never run backwards.
    let now = members.iter().map(|&i| items[i].now).max().unwrap_or_default();
    let mut accepted: Vec<Accepted> = Vec::with_capacity(members.len());
    for &i in members {
        let Pending { app, cmd, .. } = &items[i];
        match state.receive(&app.scope(), cmd, now) {
            Ok(receipt) => accepted.push(Accepted { item: i, receipt }),
            Err(refusal) => answers[i] = Some(Err(StoreError::Api(refusal))),
        }
    }
    if accepted.is_empty() {
        return Ok(());
    }
    let batch_ids = write_batches(conn, sid, &state, now).await?;
    let created = write(conn, sid, items, &accepted, &batch_ids, now).await?;
    write_levels(conn, sid, &state, &accepted, &batch_ids, now).await?;
    write_costs(conn, sid, &accepted).await?;
    write_progress(conn, &accepted, now).await?;
    for (a, c) in accepted.iter().zip(created) {
        answers[a.item] = Some(Ok(c));
    }
    Ok(())
}

/// Row ids of the batches the receipts create, in [`ReceivingState::new_batches`] order.
pub(crate) async fn write_batches(
    conn: &mut impl Executor,
    sid: &str,
    state: &ReceivingState,
    now: i64,
) -> StoreResult<Vec<i64>> {
    let mut rows: Vec<Arg> = Vec::new();
    for b in state.new_batches() {
        rows.extend([
            sid.into(),
            b.spec_id.into(),
            b.batch_no.as_str().into(),
            b.production_date.into(),
            b.expire_date.into(),
            b.remark.as_str().into(),
            now.into(),
        ]);
    }
    let head = "INSERT INTO batches (sid, spec_id, batch_no, production_date, expire_date, remark, created) ";
    let returned = write_rows(conn, head, 7, rows, " RETURNING id, spec_id, batch_no").await?;
    let ids: HashMap<(i64, String), i64> = returned.iter().map(|r| ((r.get(1), r.get(2)), r.get(0))).collect();
    state
        .new_batches()
        .iter()
        .map(|b| {
            ids.get(&(b.spec_id, b.batch_no.clone()))
                .copied()
                .ok_or_else(|| StoreError::Database(format!("batch {} was not returned by its insert", b.batch_no)))
        })
        .collect()
}

/// The stored id of a batch reference (0 = no batch).
pub(crate) fn batch_id(b: &BatchRef, new_ids: &[i64]) -> StoreResult<i64> {
    match b {
        BatchRef::None => Ok(0),
        BatchRef::Existing(id) => Ok(*id),
        BatchRef::New(k) => {
            new_ids.get(*k).copied().ok_or_else(|| StoreError::Database(format!("no row for new batch {k}")))
        }
    }
}

/// A stored stock line: warehouse, spec, defect, batch id, position.
type StoredLine = (i64, i64, bool, i64, i64);

fn stored_line(line: &LineKey, new_ids: &[i64]) -> StoreResult<StoredLine> {
    Ok((line.warehouse_id, line.spec_id, line.defect, batch_id(&line.batch, new_ids)?, line.position_id))
}

/// Reads (and on PostgreSQL locks, refund orders first, then cost rows, each in id order, as the
/// one-at-a-time path does) everything the members' rules need.
async fn load(
    conn: &mut impl Executor,
    sid: &str,
    items: &[Pending],
    members: &[usize],
) -> StoreResult<ReceivingState> {
    load_state(conn, sid, members.iter().map(|&i| &items[i].cmd).collect()).await
}

/// The state the rules of `cmds`, pushes of seller `sid`, read: loaded (and locked) as a batch
/// of them loads it.
pub(crate) async fn load_state(
    conn: &mut impl Executor,
    sid: &str,
    cmds: Vec<&ReturnStockin>,
) -> StoreResult<ReceivingState> {
    let mut loading = Loading { sid, cmds, state: ReceivingState::default() };
    loading.refunds(conn).await?;
    loading.warehouses_and_specs(conn).await?;
    loading.stock(conn).await?;
    loading.batches_and_sns(conn).await?;
    loading.logistics_and_outer_nos(conn).await?;
    Ok(loading.state)
}

/// What the loaders share: the seller, its pushes, and the state they fill.
struct Loading<'a> {
    sid: &'a str,
    cmds: Vec<&'a ReturnStockin>,
    state: ReceivingState,
}

impl Loading<'_> {
    /// The refund orders the pushes name, locked in id order, with their items.
    async fn refunds(&mut self, conn: &mut impl Executor) -> StoreResult<()> {
        let refund_nos: BTreeSet<&str> = self.cmds.iter().map(|c| c.refund_no.as_str()).collect();
        let mut qb = query(
            "SELECT r.id, r.refund_no, r.status, s.shop_no, r.shop_id, r.stockin_status FROM refund_orders r \
             JOIN shops s ON s.id = r.shop_id \
             WHERE r.sid = ",
        );
        qb.push_bind(self.sid).push(" AND r.refund_no");
        qb.push_in(conn.binds_arrays(), refund_nos.iter().copied()).push(" ORDER BY r.id");
        qb.push(&conn.lock_of("r"));
        let mut refund_ids: HashMap<i64, String> = HashMap::new();
        for row in qb.fetch_all(conn).await? {
            let id: i64 = row.get(0);
            let status: i64 = row.get(2);
            let receipt: i64 = row.get(5);
            let refund = RefundOrderState {
                id,
                refund_no: row.get(1),
                status: crate::stored_code(status, format_args!("the status of refund order {id}"))?,
                shop_no: row.get(3),
                shop_id: row.get(4),
                receipt: crate::stored_code(receipt, format_args!("the stockin_status of refund order {id}"))?,
                items: Vec::new(),
            };
            refund_ids.insert(id, refund.refund_no.clone());
            self.state.refunds.insert(refund.refund_no.clone(), refund);
        }
        if !refund_ids.is_empty() {
            let mut qb = query(
                "SELECT refund_order_id, id, spec_id, refund_num, stockin_num, price FROM refund_order_items \
                 WHERE refund_order_id",
            );
            qb.push_in(conn.binds_arrays(), refund_ids.keys().copied()).push(" ORDER BY refund_order_id, seq");
            for r in qb.fetch_all(conn).await? {
                let owner: i64 = r.get(0);
                if let Some(refund) = refund_ids.get(&owner).and_then(|no| self.state.refunds.get_mut(no)) {
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
        Ok(())
    }

    /// The warehouses and specs the pushes name.
    async fn warehouses_and_specs(&mut self, conn: &mut impl Executor) -> StoreResult<()> {
        let warehouse_nos: BTreeSet<&str> = self.cmds.iter().map(|c| c.warehouse_no.as_str()).collect();
        let mut qb = query(
            "SELECT w.id, w.warehouse_no, w.kind, w.default_position_id, \
                    (SELECT p.id FROM positions p WHERE p.warehouse_id = w.id AND p.is_temporary) \
             FROM warehouses w WHERE w.sid = ",
        );
        qb.push_bind(self.sid).push(" AND w.warehouse_no");
        qb.push_in(conn.binds_arrays(), warehouse_nos);
        for row in qb.fetch_all(conn).await? {
            let kind: String = row.get(2);
            let w = WarehouseState {
                id: row.get(0),
                warehouse_no: row.get(1),
                kind: WarehouseKind::parse(&kind).unwrap_or(WarehouseKind::Normal),
                default_position_id: row.get(3),
                temporary_position_id: row.get(4),
            };
            self.state.warehouses.insert(w.warehouse_no.clone(), w);
        }

        let spec_nos: BTreeSet<&str> =
            self.cmds.iter().flat_map(|c| c.lines.iter().map(|l| l.spec_no.as_str())).collect();
        if !spec_nos.is_empty() {
            let mut qb = query("SELECT id, spec_no, sn_managed FROM specs WHERE sid = ");
            qb.push_bind(self.sid).push(" AND spec_no");
            qb.push_in(conn.binds_arrays(), spec_nos);
            for r in qb.fetch_all(conn).await? {
                self.state.specs.insert(r.get(1), SpecState { id: r.get(0), sn_managed: r.get(2) });
            }
        }
        Ok(())
    }

    /// Per warehouse × spec the pushes touch: its cost row (locked, in order, where rows lock), its
    /// stock lines, and the positions the lines name.
    async fn stock(&mut self, conn: &mut impl Executor) -> StoreResult<()> {
        // The warehouse × spec pairs the pushes touch, in lock order.
        let mut pairs: BTreeSet<WhSpec> = BTreeSet::new();
        for c in &self.cmds {
            if let Some(w) = self.state.warehouses.get(&c.warehouse_no) {
                pairs.extend(c.lines.iter().filter_map(|l| self.state.specs.get(&l.spec_no)).map(|s| (w.id, s.id)));
            }
        }
        if !pairs.is_empty() {
            let wids: BTreeSet<i64> = pairs.iter().map(|p| p.0).collect();
            let spec_ids: BTreeSet<i64> = pairs.iter().map(|p| p.1).collect();
            if !conn.row_lock().is_empty() {
                let rows =
                    pairs.iter().flat_map(|(wid, spec)| [wid.into(), spec.into(), self.sid.into(), 0.into()]).collect();
                let head = "INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) ";
                write_rows(conn, head, 4, rows, " ON CONFLICT (warehouse_id, spec_id) DO NOTHING").await?;
            }
            let mut qb = query("SELECT warehouse_id, spec_id, cost_price FROM stock_costs WHERE warehouse_id");
            qb.push_in(conn.binds_arrays(), wids.iter().copied()).push(" AND spec_id");
            qb.push_in(conn.binds_arrays(), spec_ids.iter().copied()).push(" ORDER BY warehouse_id, spec_id");
            qb.push(conn.row_lock());
            for r in qb.fetch_all(conn).await? {
                let key: WhSpec = (r.get(0), r.get(1));
                if pairs.contains(&key) {
                    self.state.load_cost(key.0, key.1, Dec4::from_scaled(r.get(2)));
                }
            }

            let mut qb = query(
                "SELECT warehouse_id, spec_id, position_id, last_in_at, id, num, defect, batch_id FROM stock \
                 WHERE warehouse_id",
            );
            qb.push_in(conn.binds_arrays(), wids.iter().copied()).push(" AND spec_id");
            qb.push_in(conn.binds_arrays(), spec_ids.iter().copied());
            for r in qb.fetch_all(conn).await? {
                let key: WhSpec = (r.get(0), r.get(1));
                if !pairs.contains(&key) {
                    continue;
                }
                let batch = match r.get::<i64, _>(7) {
                    0 => BatchRef::None,
                    id => BatchRef::Existing(id),
                };
                let line =
                    LineKey { warehouse_id: key.0, spec_id: key.1, defect: r.get(6), batch, position_id: r.get(2) };
                self.state.load_line(line, Dec4::from_scaled(r.get(5)), r.get(3), r.get(4));
            }

            let positions: BTreeSet<&str> =
                self.cmds.iter().flat_map(|c| c.lines.iter().filter_map(|l| l.position_no.as_deref())).collect();
            if !positions.is_empty() {
                let mut qb = query("SELECT warehouse_id, id, position_no FROM positions WHERE warehouse_id");
                qb.push_in(conn.binds_arrays(), wids.iter().copied()).push(" AND position_no");
                qb.push_in(conn.binds_arrays(), positions);
                for r in qb.fetch_all(conn).await? {
                    self.state.positions.insert((r.get(0), r.get(2)), r.get(1));
                }
            }
        }
        Ok(())
    }

    /// The logistics companies the pushes name and the outer numbers already taken.
    async fn logistics_and_outer_nos(&mut self, conn: &mut impl Executor) -> StoreResult<()> {
        let codes: BTreeSet<&str> =
            self.cmds.iter().filter_map(|c| c.logistics_code.as_deref()).filter(|c| !c.is_empty()).collect();
        for code in codes {
            let found = logistics_for(conn, self.sid, code, LogisticsBusiness::SalesReturn.code()).await?;
            self.state.logistics.insert(code.to_owned(), found);
        }

        let outer_nos: BTreeSet<&str> = self.cmds.iter().filter_map(|c| c.outer_no.as_deref()).collect();
        if !outer_nos.is_empty() {
            // One lookup on the full (sid, outer_no) key per number, as a subquery the planner
            // cannot turn into a join: `sid = ? AND outer_no IN (…)` lets PostgreSQL, before its
            // statistics catch up with a growing table, scan every stock-in of the seller through
            // another index that starts with sid. `column1` is the name both databases give the
            // first column of `VALUES`: SQLite takes no column list after the alias.
            let mut qb = query("SELECT (SELECT o.outer_no FROM stockin_orders o WHERE o.sid = ");
            qb.push_bind(self.sid).push(" AND o.outer_no = v.column1) FROM (VALUES ");
            for (k, no) in padded(outer_nos.into_iter().collect()).into_iter().enumerate() {
                qb.push(if k == 0 { "(" } else { ", (" }).push_bind(no).push(")");
            }
            qb.push(") AS v");
            let found: Vec<Option<String>> = qb.scalars(conn).await?;
            self.state.outer_nos = found.into_iter().flatten().collect();
        }
        Ok(())
    }

    /// The stored batches and the serial numbers in stock that the pushes name.
    async fn batches_and_sns(&mut self, conn: &mut impl Executor) -> StoreResult<()> {
        let lines = || self.cmds.iter().flat_map(|c| c.lines.iter());
        let batch_nos: BTreeSet<&str> =
            lines().filter_map(|l| l.batch_no.as_deref()).filter(|b| !b.is_empty()).collect();
        if !batch_nos.is_empty() {
            let mut qb = query("SELECT id, spec_id, batch_no, production_date, expire_date FROM batches WHERE sid = ");
            qb.push_bind(self.sid).push(" AND batch_no");
            qb.push_in(conn.binds_arrays(), batch_nos);
            for r in qb.fetch_all(conn).await? {
                self.state.batches.insert((r.get(1), r.get(2)), r.get(0));
                self.state.batch_dates.insert(r.get(0), (r.get(3), r.get(4)));
            }
        }
        let sns: BTreeSet<&str> = lines().flat_map(|l| l.sn.iter().map(String::as_str)).collect();
        if !sns.is_empty() {
            let mut qb = query("SELECT spec_id, sn FROM serial_numbers WHERE in_stock AND sid = ");
            qb.push_bind(self.sid).push(" AND sn");
            qb.push_in(conn.binds_arrays(), sns);
            for r in qb.fetch_all(conn).await? {
                self.state.sns_in_stock.insert((r.get(0), r.get(1)));
            }
        }
        Ok(())
    }
}

/// Inserts the accepted pushes' orders, lines, refund links, serial numbers and ledger rows.
async fn write(
    conn: &mut impl Executor,
    sid: &str,
    items: &[Pending],
    accepted: &[Accepted],
    batch_ids: &[i64],
    now: i64,
) -> StoreResult<Vec<StockinCreated>> {
    let created = write_orders(conn, sid, items, accepted, now).await?;
    let detail_ids = write_details(conn, sid, accepted, &created, batch_ids, now).await?;
    write_links_and_sns(conn, sid, accepted, &detail_ids).await?;
    write_ledger(conn, sid, accepted, &created, batch_ids, now).await?;
    Ok(created)
}

async fn write_orders(
    conn: &mut impl Executor,
    sid: &str,
    items: &[Pending],
    accepted: &[Accepted],
    now: i64,
) -> StoreResult<Vec<StockinCreated>> {
    let numbers = next_doc_nos(conn, sid, DocKind::Stockin, now, accepted.len()).await?;
    let head = "INSERT INTO stockin_orders (sid, order_no, outer_no, refund_order_id, shop_id, warehouse_id, status, \
        logistics_id, logistics_no, post_fee, other_fee, remark, app_id, goods_count, goods_type_count, total_price, \
        refund_amount, created, modified, check_time) ";
    let mut rows: Vec<Arg> = Vec::with_capacity(accepted.len() * 20);
    for (a, order_no) in accepted.iter().zip(&numbers) {
        let Pending { app, cmd, .. } = &items[a.item];
        let p = &a.receipt.plan;
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
            p.status.is_checked().then_some(now).into(),
        ]);
    }
    let inserted = write_rows(conn, head, 20, rows, " RETURNING id, order_no").await;
    // Another transaction took an outer number after this one looked: the answer of a push
    // alone; in a batch, the batch fails and its pushes run alone.
    let inserted = inserted.on_constraint(OUTER_NO_CONSTRAINT, |e| match accepted {
        [one] => {
            let cmd = &items[one.item].cmd;
            let value = cmd.outer_no.clone().unwrap_or_default();
            StoreError::Api(ApiError::DuplicateOuterNo { field: cmd.fields.outer_no, value })
        }
        _ => e.into(),
    })?;
    let ids: HashMap<String, i64> = inserted.iter().map(|r| (r.get(1), r.get(0))).collect();
    numbers
        .into_iter()
        .map(|order_no| match ids.get(&order_no) {
            Some(id) => Ok(StockinCreated { id: *id, order_no }),
            None => Err(StoreError::Database(format!("stock-in {order_no} was not returned by its insert"))),
        })
        .collect()
}

/// Inserts the lines and returns their ids, in plan order. The ids come back in insertion
/// order, checked row by row before the links use them.
async fn write_details(
    conn: &mut impl Executor,
    sid: &str,
    accepted: &[Accepted],
    created: &[StockinCreated],
    batch_ids: &[i64],
    now: i64,
) -> StoreResult<Vec<i64>> {
    let mut expected: Vec<(i64, i64, i64)> = Vec::new();
    let head = "INSERT INTO stockin_order_details (sid, stockin_id, spec_id, num, expect_num, stockin_price, defect, \
        batch_id, position_id, production_date, expire_date, total_cost, refund_amount, remark, created, modified, tax) ";
    let mut rows: Vec<Arg> = Vec::new();
    for (a, c) in accepted.iter().zip(created) {
        for d in &a.receipt.plan.details {
            rows.extend([
                sid.into(),
                c.id.into(),
                d.spec_id.into(),
                d.num.to_scaled().into(),
                d.expect_num.to_scaled().into(),
                d.price.to_scaled().into(),
                d.defect.into(),
                batch_id(&d.batch, batch_ids)?.into(),
                d.position_id.into(),
                d.production_date.into(),
                d.expire_date.into(),
                d.total_cost.to_scaled().into(),
                d.refund_amount.to_scaled().into(),
                d.remark.as_str().into(),
                now.into(),
                now.into(),
                d.tax.map(Dec4::to_scaled).into(),
            ]);
            expected.push((c.id, d.spec_id, d.num.to_scaled()));
        }
    }
    let rows = write_rows(conn, head, 17, rows, " RETURNING id, stockin_id, spec_id, num").await?;
    let returned: Vec<(i64, i64, i64)> = rows.iter().map(|r| (r.get(1), r.get(2), r.get(3))).collect();
    if returned != expected {
        return Err(StoreError::Database("stock-in lines came back out of order".into()));
    }
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Inserts each line's refund links, and registers its serial numbers (an SN that left stock
/// earlier comes back; a new one is registered) with their links to the line.
async fn write_links_and_sns(
    conn: &mut impl Executor,
    sid: &str,
    accepted: &[Accepted],
    detail_ids: &[i64],
) -> StoreResult<()> {
    let mut links: Vec<Arg> = Vec::new();
    let mut sns: Vec<Arg> = Vec::new();
    let mut sn_lines: Vec<(i64, i64, String)> = Vec::new();
    let details = accepted.iter().flat_map(|a| a.receipt.plan.details.iter().map(move |d| (&a.receipt.plan, d)));
    for ((plan, d), detail_id) in details.zip(detail_ids) {
        for (item_id, num) in &d.links {
            links.extend([detail_id.into(), item_id.into(), num.to_scaled().into()]);
        }
        for sn in &d.sn {
            let in_stock = plan.status.is_checked();
            sns.extend([sid.into(), d.spec_id.into(), sn.into(), in_stock.into(), plan.warehouse_id.into()]);
            sn_lines.push((*detail_id, d.spec_id, sn.clone()));
        }
    }
    let head = "INSERT INTO stockin_refund_links (stockin_detail_id, refund_item_id, num) ";
    write_rows(conn, head, 3, links, "").await?;
    if sn_lines.is_empty() {
        return Ok(());
    }
    let head = "INSERT INTO serial_numbers (sid, spec_id, sn, in_stock, warehouse_id) ";
    let tail = " ON CONFLICT (sid, spec_id, sn) DO UPDATE SET in_stock = excluded.in_stock, \
         warehouse_id = excluded.warehouse_id RETURNING id, spec_id, sn";
    let ids: HashMap<(i64, String), i64> =
        write_rows(conn, head, 5, sns, tail).await?.iter().map(|r| ((r.get(1), r.get(2)), r.get(0))).collect();
    let mut rows: Vec<Arg> = Vec::with_capacity(sn_lines.len() * 2);
    for (detail_id, spec_id, sn) in sn_lines {
        let id =
            ids.get(&(spec_id, sn.clone())).ok_or_else(|| StoreError::Database(format!("SN {sn} was not returned")))?;
        rows.extend([detail_id.into(), id.into()]);
    }
    write_rows(conn, "INSERT INTO stockin_detail_sns (stockin_detail_id, sn_id) ", 2, rows, "").await?;
    Ok(())
}

/// Inserts the ledger rows of every receipt, before and after as the state computed them.
pub(crate) async fn write_ledger(
    conn: &mut impl Executor,
    sid: &str,
    accepted: &[Accepted],
    created: &[StockinCreated],
    batch_ids: &[i64],
    now: i64,
) -> StoreResult<()> {
    let mut ledger: Vec<Arg> = Vec::new();
    for (a, c) in accepted.iter().zip(created) {
        for p in &a.receipt.postings {
            let (warehouse, spec, defect, batch, position) = stored_line(&p.line, batch_ids)?;
            ledger.extend([
                sid.into(),
                LedgerDocType::RefundStockin.code().into(),
                c.id.into(),
                c.order_no.as_str().into(),
                warehouse.into(),
                spec.into(),
                position.into(),
                batch.into(),
                defect.into(),
                p.before.to_scaled().into(),
                p.change.to_scaled().into(),
                p.after.to_scaled().into(),
                p.cost_price.to_scaled().into(),
                now.into(),
            ]);
        }
    }
    let head = "INSERT INTO stock_ledger (sid, doc_type, doc_id, doc_no, warehouse_id, spec_id, position_id, \
        batch_id, defect, num_before, num_change, num_after, cost_price, created) ";
    write_rows(conn, head, 14, ledger, "").await?;
    Ok(())
}

/// Moves every stock line the batch touched by its total change, and checks each lands where the
/// state says it must.
pub(crate) async fn write_levels(
    conn: &mut impl Executor,
    sid: &str,
    state: &ReceivingState,
    accepted: &[Accepted],
    batch_ids: &[i64],
    now: i64,
) -> StoreResult<()> {
    // Per line, in the order the postings first reach it (so lines new to the table get their
    // ids, which order lines received at the same millisecond, in receiving order): the total
    // change, the receiving time (0 for none), and the level the state expects.
    let mut lines: Vec<(StoredLine, Dec4, i64, Dec4)> = Vec::new();
    let mut index: HashMap<StoredLine, usize> = HashMap::new();
    for p in accepted.iter().flat_map(|a| &a.receipt.postings) {
        let key = stored_line(&p.line, batch_ids)?;
        let at = *index.entry(key).or_insert_with(|| {
            lines.push((key, Dec4::ZERO, 0, Dec4::ZERO));
            lines.len() - 1
        });
        let line = &mut lines[at];
        line.1 = line.1.checked_add(p.change).unwrap_or(line.1);
        if p.change.is_positive() {
            line.2 = now;
        }
        line.3 = state.level(&p.line);
    }
    let mut rows: Vec<Arg> = Vec::with_capacity(lines.len() * 8);
    for ((wid, spec, defect, batch, position), change, last_in, _) in &lines {
        rows.extend([
            sid.into(),
            wid.into(),
            spec.into(),
            (*defect).into(),
            batch.into(),
            position.into(),
            change.to_scaled().into(),
            last_in.into(),
        ]);
    }
    let head = "INSERT INTO stock (sid, warehouse_id, spec_id, defect, batch_id, position_id, num, last_in_at) ";
    let tail = " ON CONFLICT (warehouse_id, spec_id, defect, batch_id, position_id) DO UPDATE SET num = stock.num + excluded.num, \
         last_in_at = CASE WHEN excluded.num > 0 THEN excluded.last_in_at ELSE stock.last_in_at END \
         RETURNING warehouse_id, spec_id, defect, batch_id, position_id, num";
    for r in write_rows(conn, head, 8, rows, tail).await? {
        let key: StoredLine = (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let num = Dec4::from_scaled(r.get(5));
        let expected = index.get(&key).map(|&at| lines[at].3);
        if expected != Some(num) {
            return Err(StoreError::Database(format!(
                "stock line {key:?} is {num}, expected {expected:?}: changed concurrently"
            )));
        }
    }
    Ok(())
}

/// Stores the last moving-average cost of every warehouse × spec the batch received.
pub(crate) async fn write_costs(conn: &mut impl Executor, sid: &str, accepted: &[Accepted]) -> StoreResult<()> {
    let costs: BTreeMap<WhSpec, Dec4> = accepted
        .iter()
        .flat_map(|a| a.receipt.plan.costs.iter().map(|(spec, cost)| ((a.receipt.plan.warehouse_id, *spec), *cost)))
        .collect();
    let mut rows: Vec<Arg> = Vec::with_capacity(costs.len() * 4);
    for ((wid, spec), cost) in &costs {
        rows.extend([wid.into(), spec.into(), sid.into(), cost.to_scaled().into()]);
    }
    let head = "INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) ";
    let tail = " ON CONFLICT (warehouse_id, spec_id) DO UPDATE SET cost_price = excluded.cost_price";
    write_rows(conn, head, 4, rows, tail).await?;
    Ok(())
}

/// Stores the refund items' final received quantities and the refund orders' receipt states.
pub(crate) async fn write_progress(conn: &mut impl Executor, accepted: &[Accepted], now: i64) -> StoreResult<()> {
    let plans = || accepted.iter().map(|a| &a.receipt.plan);
    // The last push's figures win: each is the running total.
    let progress: BTreeMap<i64, Dec4> = plans().flat_map(|p| p.refund_progress.iter().copied()).collect();
    let receipts: BTreeMap<i64, RefundReceiptState> =
        plans().filter_map(|p| p.receipt.map(|r| (p.refund_order_id, r))).collect();
    // A join with the new values, not `CASE id WHEN … END`: that tests every WHEN for every
    // row, quadratic in the batch.
    if !progress.is_empty() {
        let mut qb = query("UPDATE refund_order_items SET stockin_num = v.column2 FROM (VALUES ");
        for (k, (item_id, received)) in padded(progress.iter().collect()).into_iter().enumerate() {
            qb.push(if k == 0 { "(" } else { ", (" });
            qb.push_bind(*item_id).push(", ").push_bind(received.to_scaled()).push(")");
        }
        qb.push(") AS v WHERE refund_order_items.id = v.column1");
        qb.execute(conn).await?;
    }
    if !receipts.is_empty() {
        let mut qb = query("UPDATE refund_orders SET stockin_status = v.column2, modified = ");
        qb.push_bind(now).push(" FROM (VALUES ");
        for (k, (id, state)) in padded(receipts.iter().collect()).into_iter().enumerate() {
            qb.push(if k == 0 { "(" } else { ", (" });
            qb.push_bind(*id).push(", ").push_bind(state.code()).push(")");
        }
        qb.push(") AS v WHERE refund_orders.id = v.column1");
        qb.execute(conn).await?;
    }
    Ok(())
}
