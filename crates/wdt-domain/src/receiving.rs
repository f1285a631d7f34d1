//! What return stock-ins do to the warehouse, as plain state transitions.
//!
//! The store loads a [`ReceivingState`] for one push or for a batch of them (refund orders,
//! warehouses, specs, stock lines, costs, outer numbers, serial numbers), inside its write
//! transaction. [`ReceivingState::receive`] runs the rule ([`plan`]) against it and applies the
//! accepted plan to it: refund progress, stock levels with each ledger row's before and after,
//! on-hand quantity and moving-average cost, the position each spec last came in at, the outer
//! number now taken, serial numbers now in stock, batches now created. The next push planned
//! against the same state sees all of it, so a batch is one push after another, in memory; the
//! store then persists the receipts and checks that the stored levels land where these say.

use std::collections::{BTreeMap, HashMap, HashSet};

use wdt_protocol::{ApiError, Dec4};

use crate::model::Scope;
use crate::refund_stockin::{
    BatchRef, NewBatch, RefundOrderState, ReturnContext, ReturnPlan, ReturnStockin, SpecState, WarehouseState, plan,
};

/// One stock line: warehouse × spec × defect × batch × position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineKey {
    /// Warehouse row id.
    pub warehouse_id: i64,
    /// Spec row id.
    pub spec_id: i64,
    /// Defect stock.
    pub defect: bool,
    /// Batch: none, a stored one, or the n-th of [`ReceivingState::new_batches`].
    pub batch: BatchRef,
    /// Position row id.
    pub position_id: i64,
}

/// A stock change with its ledger row's quantities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// The line it changes.
    pub line: LineKey,
    /// Quantity on the line before.
    pub before: Dec4,
    /// Signed change.
    pub change: Dec4,
    /// Quantity after.
    pub after: Dec4,
    /// Cost price recorded on the ledger row.
    pub cost_price: Dec4,
}

/// An accepted push: its plan (batch references point into [`ReceivingState::new_batches`])
/// and the stock changes it posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// What to write.
    pub plan: ReturnPlan,
    /// Its ledger rows, in plan order.
    pub postings: Vec<Posting>,
}

/// Which stock line came in last for a warehouse × spec × defect flag: (time received, order
/// among lines received at that time) and its position.
type Newest = ((i64, i64), i64);

/// Everything return stock-ins of one seller read and change.
#[derive(Debug, Clone, Default)]
pub struct ReceivingState {
    /// Refund orders by 退换单号.
    pub refunds: HashMap<String, RefundOrderState>,
    /// Warehouses by 仓库编号.
    pub warehouses: HashMap<String, WarehouseState>,
    /// Specs by 商家编码.
    pub specs: HashMap<String, SpecState>,
    /// Positions by (warehouse id, 货位编号).
    pub positions: HashMap<(i64, String), i64>,
    /// Stored batches by (spec id, 批次号).
    pub batches: HashMap<(i64, String), i64>,
    /// Their 生产日期 and 有效期 (epoch ms), by batch id.
    pub batch_dates: HashMap<i64, (Option<i64>, Option<i64>)>,
    /// Serial numbers in stock, as (spec id, sn).
    pub sns_in_stock: HashSet<(i64, String)>,
    /// Logistics companies by code: found (its id) or not.
    pub logistics: HashMap<String, Option<i64>>,
    /// Outer numbers taken.
    pub outer_nos: HashSet<String>,
    levels: BTreeMap<LineKey, Dec4>,
    newest: HashMap<(i64, i64, bool), Newest>,
    on_hand: HashMap<(i64, i64), (Dec4, Dec4)>,
    new_batches: Vec<NewBatch>,
    received: i64,
}

impl ReceivingState {
    /// Records a stored stock line: its quantity, when goods last came in (epoch ms) and its row
    /// id, which orders lines received at the same millisecond.
    pub fn load_line(&mut self, line: LineKey, num: Dec4, last_in_at: i64, line_id: i64) {
        let pair = (line.warehouse_id, line.spec_id);
        let kind = (line.warehouse_id, line.spec_id, line.defect);
        if self.newest.get(&kind).is_none_or(|(rank, _)| (last_in_at, line_id) > *rank) {
            self.newest.insert(kind, ((last_in_at, line_id), line.position_id));
        }
        let held = self.on_hand.entry(pair).or_insert((Dec4::ZERO, Dec4::ZERO));
        held.0 = held.0.checked_add(num).unwrap_or(held.0);
        self.levels.insert(line, num);
    }

    /// Records the stored moving-average cost of a warehouse × spec.
    pub fn load_cost(&mut self, warehouse_id: i64, spec_id: i64, cost: Dec4) {
        self.on_hand.entry((warehouse_id, spec_id)).or_insert((Dec4::ZERO, Dec4::ZERO)).1 = cost;
    }

    /// The quantity on a line now (zero for a line never stocked).
    pub fn level(&self, line: &LineKey) -> Dec4 {
        self.levels.get(line).copied().unwrap_or(Dec4::ZERO)
    }

    /// Batches the accepted pushes create, in order; [`BatchRef::New`] counts into this.
    pub fn new_batches(&self) -> &[NewBatch] {
        &self.new_batches
    }

    /// Plans `cmd` (pushed by a key of `scope`, at `now` epoch ms) against this state and, when
    /// accepted, applies it here. A refusal changes nothing.
    pub fn receive(&mut self, scope: &Scope, cmd: &ReturnStockin, now: i64) -> Result<Receipt, ApiError> {
        let mut plan = plan(cmd, &self.context(scope, cmd))?;
        self.adopt_new_batches(&mut plan);
        if let Some(outer) = &cmd.outer_no {
            self.outer_nos.insert(outer.clone());
        }
        if let Some(refund) = self.refunds.get_mut(&cmd.refund_no) {
            for (item_id, received) in &plan.refund_progress {
                if let Some(item) = refund.items.iter_mut().find(|it| it.id == *item_id) {
                    item.stockin_num = *received;
                }
            }
        }
        let postings = plan.stock_changes.iter().map(|c| self.post(plan.warehouse_id, c, now)).collect();
        for (spec_id, cost) in &plan.costs {
            self.load_cost(plan.warehouse_id, *spec_id, *cost);
        }
        if plan.status.is_checked() {
            self.sns_in_stock.extend(plan.details.iter().flat_map(|d| d.sn.iter().map(|sn| (d.spec_id, sn.clone()))));
        }
        Ok(Receipt { plan, postings })
    }

    /// The context one push's rule sees, cut from this state.
    fn context(&self, scope: &Scope, cmd: &ReturnStockin) -> ReturnContext {
        let mut ctx = ReturnContext { scope: scope.clone(), ..ReturnContext::default() };
        ctx.refund = self.refunds.get(&cmd.refund_no).cloned();
        ctx.warehouse = self.warehouses.get(&cmd.warehouse_no).cloned();
        for line in &cmd.lines {
            if let Some(spec) = self.specs.get(&line.spec_no) {
                ctx.specs.insert(line.spec_no.clone(), spec.clone());
                if let Some(no) = &line.batch_no
                    && let Some(id) = self.batches.get(&(spec.id, no.clone()))
                {
                    ctx.batches.insert((spec.id, no.clone()), *id);
                    if let Some(dates) = self.batch_dates.get(id) {
                        ctx.batch_dates.insert(*id, *dates);
                    }
                }
                for sn in &line.sn {
                    if self.sns_in_stock.contains(&(spec.id, sn.clone())) {
                        ctx.sns_in_stock.insert((spec.id, sn.clone()));
                    }
                }
            }
        }
        if let Some(w) = &ctx.warehouse {
            for no in cmd.lines.iter().filter_map(|l| l.position_no.as_ref()) {
                if let Some(id) = self.positions.get(&(w.id, no.clone())) {
                    ctx.positions.insert(no.clone(), *id);
                }
            }
            for spec in ctx.specs.values() {
                let pair = (w.id, spec.id);
                ctx.on_hand.insert(spec.id, self.on_hand.get(&pair).copied().unwrap_or((Dec4::ZERO, Dec4::ZERO)));
                for defect in [false, true] {
                    if let Some((_, position)) = self.newest.get(&(w.id, spec.id, defect)) {
                        ctx.last_positions.insert((spec.id, defect), *position);
                    }
                }
            }
        }
        if let Some(code) = cmd.logistics_code.as_deref().filter(|c| !c.is_empty()) {
            ctx.logistics_id = self.logistics.get(code).copied().flatten();
        }
        ctx.outer_no_taken = cmd.outer_no.as_ref().is_some_and(|o| self.outer_nos.contains(o));
        ctx
    }

    /// Renumbers the plan's new batches into this state's, so a later push naming the same
    /// batch uses it rather than creating it again.
    fn adopt_new_batches(&mut self, plan: &mut ReturnPlan) {
        let global: Vec<usize> = std::mem::take(&mut plan.new_batches)
            .into_iter()
            .map(|b| match self.new_batches.iter().position(|n| n.spec_id == b.spec_id && n.batch_no == b.batch_no) {
                Some(g) => g,
                None => {
                    self.new_batches.push(b);
                    self.new_batches.len() - 1
                }
            })
            .collect();
        let renumber = |b: &mut BatchRef| {
            if let BatchRef::New(k) = b {
                *k = global[*k];
            }
        };
        plan.details.iter_mut().for_each(|d| renumber(&mut d.batch));
        plan.stock_changes.iter_mut().for_each(|c| renumber(&mut c.batch));
    }

    /// Moves one line and returns its ledger row; goods coming in make it the newest line of its
    /// spec here, ahead of every stored line.
    fn post(&mut self, warehouse_id: i64, c: &crate::refund_stockin::StockChange, now: i64) -> Posting {
        let line = LineKey {
            warehouse_id,
            spec_id: c.spec_id,
            defect: c.defect,
            batch: c.batch.clone(),
            position_id: c.position_id,
        };
        let before = self.level(&line);
        let after = before.checked_add(c.change).unwrap_or(before);
        self.levels.insert(line.clone(), after);
        let held = self.on_hand.entry((warehouse_id, c.spec_id)).or_insert((Dec4::ZERO, Dec4::ZERO));
        held.0 = held.0.checked_add(c.change).unwrap_or(held.0);
        if c.change.is_positive() {
            // Above every stored line id received at the same millisecond.
            self.received += 1;
            let rank = (now, i64::MAX / 2 + self.received);
            self.newest.insert((warehouse_id, c.spec_id, c.defect), (rank, c.position_id));
        }
        Posting { line, before, change: c.change, after, cost_price: c.cost_price }
    }
}
