//! Return stock-in (退货入库, SPEC.md §3.1): one rule for `wms.stockin.Refund.createOrder` (qjb)
//! and `stockin_refund_push.php` (openapi2).
//!
//! [`plan`] takes the command and the state the store loaded for it (inside the write
//! transaction) and returns either a [`ReturnPlan`] of writes or the refusal. It does no I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use wdt_protocol::methods::LinePath;
use wdt_protocol::time::parse_wire_time;
use wdt_protocol::{ApiError, Dec4};

use crate::cost::moving_average;
use crate::line_rules;
use crate::model::{RefundOrderStatus, RefundReceiptState, Scope, StockinStatus, WarehouseKind, receipt_state};

/// Wire field names of the dialect that carried the command, so refusals name what the caller
/// sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldNames {
    /// The list of detail lines.
    pub lines: &'static str,
    /// Quantity field of a detail line.
    pub num: &'static str,
    /// Price field of a detail line.
    pub price: &'static str,
    /// Outer number field.
    pub outer_no: &'static str,
    /// Batch-creation flag.
    pub create_batch: &'static str,
    /// Whether serial numbers require the order to stay in editing (qjb `create_mode` 0).
    pub sn_requires_editing: bool,
}

/// Field names of `wms.stockin.Refund.createOrder`.
pub const QJB_FIELDS: FieldNames = FieldNames {
    lines: "detail_list",
    num: "num",
    price: "stockin_price",
    outer_no: "out_stockin_no",
    create_batch: "is_create_batch",
    sn_requires_editing: true,
};

/// Field names of `stockin_refund_push.php`.
pub const OPENAPI2_FIELDS: FieldNames = FieldNames {
    num: "stockin_num",
    outer_no: "outer_no",
    create_batch: "is_created_batch",
    sn_requires_editing: false,
    ..QJB_FIELDS
};

/// Field names of `wms.stockin.SmartRefund.upload` (quick return): openapi2's, but for the list
/// and the batch flag.
pub const QUICK_RETURN_FIELDS: FieldNames =
    FieldNames { lines: "detailMapList", create_batch: "is_create_batch", ..OPENAPI2_FIELDS };

/// Field names an operator's check of a stored stock-in reports its lines by.
pub const CHECK_FIELDS: FieldNames = FieldNames {
    lines: "details",
    num: "num",
    price: "price",
    outer_no: "outer_no",
    create_batch: "create_batch",
    sn_requires_editing: false,
};

/// A request to receive returned goods against a refund order.
#[derive(Debug, Clone)]
pub struct ReturnStockin {
    /// 退换单号.
    pub refund_no: String,
    /// Outer number, unique per seller when given.
    pub outer_no: Option<String>,
    /// 仓库编号.
    pub warehouse_no: String,
    /// Logistics company code, when given.
    pub logistics_code: Option<String>,
    /// Tracking number.
    pub logistics_no: String,
    /// 备注.
    pub remark: String,
    /// 邮费.
    pub post_fee: Dec4,
    /// 其他费用.
    pub other_fee: Dec4,
    /// The status the new order gets: editing, pending review, or completed (checked).
    pub status: StockinStatus,
    /// Create unknown batches instead of refusing them.
    pub create_batches: bool,
    /// Detail lines.
    pub lines: Vec<ReturnLine>,
    /// The dialect's field names.
    pub fields: FieldNames,
}

impl ReturnStockin {
    /// A checked return stock-in of `lines` against `refund_no` into `warehouse_no`, in the
    /// dialect of `fields`: no outer number, logistics, remark or fees, batches not created.
    pub fn checked(refund_no: String, warehouse_no: String, lines: Vec<ReturnLine>, fields: FieldNames) -> Self {
        ReturnStockin {
            refund_no,
            outer_no: None,
            warehouse_no,
            logistics_code: None,
            logistics_no: String::new(),
            remark: String::new(),
            post_fee: Dec4::ZERO,
            other_fee: Dec4::ZERO,
            status: StockinStatus::Completed,
            create_batches: false,
            lines,
            fields,
        }
    }

    /// The rules on the request's own lines ([`crate::line_rules`]): at least one, every
    /// quantity positive, no price negative, and no fee negative. [`plan`] checks them first; a caller may check them
    /// earlier, before loading anything.
    pub fn check_lines(&self) -> Result<(), ApiError> {
        let f = self.fields;
        line_rules::not_empty(f.lines, self.lines.len())?;
        for (index, line) in self.lines.iter().enumerate() {
            line_rules::positive_quantity(LinePath { list: f.lines, index, field: f.num }, line.num)?;
            line_rules::non_negative_price(LinePath { list: f.lines, index, field: f.price }, line.price)?;
            if let Some(tax) = line.tax.filter(|t| t.is_negative()) {
                let path = LinePath { list: f.lines, index, field: "tax" };
                return Err(refuse(format!("税率不合法 {path}: {tax}")));
            }
        }
        line_rules::fees(self.post_fee, self.other_fee)
    }
}

/// One detail line.
#[derive(Debug, Clone, Default)]
pub struct ReturnLine {
    /// 商家编码.
    pub spec_no: String,
    /// Quantity in base units.
    pub num: Dec4,
    /// Defect stock.
    pub defect: bool,
    /// Serial numbers (already split on commas).
    pub sn: Vec<String>,
    /// 批次号.
    pub batch_no: Option<String>,
    /// 生产日期 as sent.
    pub production_date: Option<String>,
    /// 有效期 as sent.
    pub expire_date: Option<String>,
    /// 货位编号.
    pub position_no: Option<String>,
    /// 备注.
    pub remark: String,
    /// 批次备注.
    pub batch_remark: String,
    /// 入库价; `None` = the refund order item's price.
    pub price: Option<Dec4>,
    /// 税率 (openapi2 `tax`); stored with the line, `None` when not sent.
    pub tax: Option<Dec4>,
}

/// A refund order as loaded for receiving.
#[derive(Debug, Clone)]
pub struct RefundOrderState {
    /// Row id.
    pub id: i64,
    /// 退换单号.
    pub refund_no: String,
    /// Status.
    pub status: RefundOrderStatus,
    /// The shop it belongs to.
    pub shop_no: String,
    /// That shop's row id, copied onto the stock-in.
    pub shop_id: i64,
    /// Its receipt state (`stockin_status`): one that expects no goods (0 无需入库) or whose
    /// receiving was ended (4 终止入库) refuses every stock-in.
    pub receipt: RefundReceiptState,
    /// Items in item order.
    pub items: Vec<RefundItemState>,
}

/// A refund order item.
#[derive(Debug, Clone)]
pub struct RefundItemState {
    /// Row id.
    pub id: i64,
    /// Spec row id.
    pub spec_id: i64,
    /// Quantity expected back.
    pub refund_num: Dec4,
    /// Quantity received so far.
    pub stockin_num: Dec4,
    /// Price per unit.
    pub price: Dec4,
}

/// A warehouse as loaded for receiving.
#[derive(Debug, Clone)]
pub struct WarehouseState {
    /// Row id.
    pub id: i64,
    /// 仓库编号.
    pub warehouse_no: String,
    /// Kind.
    pub kind: WarehouseKind,
    /// Default position, if set.
    pub default_position_id: Option<i64>,
    /// The 暂存 position.
    pub temporary_position_id: i64,
}

/// A spec as loaded for receiving.
#[derive(Debug, Clone)]
pub struct SpecState {
    /// Row id.
    pub id: i64,
    /// Serial-number managed.
    pub sn_managed: bool,
}

/// Everything [`plan`] needs, loaded by the store inside the write transaction.
#[derive(Debug, Clone, Default)]
pub struct ReturnContext {
    /// The refund order named by the command, if it exists.
    pub refund: Option<RefundOrderState>,
    /// The warehouse named by the command, if it exists.
    pub warehouse: Option<WarehouseState>,
    /// The caller's scope.
    pub scope: Scope,
    /// Specs named by the lines that exist, by spec_no.
    pub specs: HashMap<String, SpecState>,
    /// Positions of the warehouse named by the lines that exist, by position_no.
    pub positions: HashMap<String, i64>,
    /// Last position each spec came in at in this warehouse, by (spec id, defect flag).
    pub last_positions: HashMap<(i64, bool), i64>,
    /// Existing batches named by the lines, by (spec id, batch_no).
    pub batches: HashMap<(i64, String), i64>,
    /// Those batches' 生产日期 and 有效期 (epoch ms), by batch id: a line naming a batch takes
    /// the batch's dates, whatever dates it sends.
    pub batch_dates: HashMap<i64, (Option<i64>, Option<i64>)>,
    /// Serial numbers named by the lines that are in stock now, as (spec id, sn).
    pub sns_in_stock: HashSet<(i64, String)>,
    /// The logistics company named by the command, if given and found.
    pub logistics_id: Option<i64>,
    /// Per spec: quantity on hand in this warehouse and its moving-average cost.
    pub on_hand: HashMap<i64, (Dec4, Dec4)>,
    /// Whether the outer number is already used by this seller (the unique constraint is the
    /// guarantee; this gives the clean answer in the common case).
    pub outer_no_taken: bool,
}

/// Which batch a detail line goes to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BatchRef {
    /// No batch.
    None,
    /// An existing batch row.
    Existing(i64),
    /// The n-th entry of [`ReturnPlan::new_batches`].
    New(usize),
}

/// A batch to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch {
    /// Spec row id.
    pub spec_id: i64,
    /// 批次号.
    pub batch_no: String,
    /// 生产日期 (epoch ms).
    pub production_date: Option<i64>,
    /// 有效期 (epoch ms).
    pub expire_date: Option<i64>,
    /// 批次备注.
    pub remark: String,
}

/// A detail line to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDetail {
    /// Spec row id.
    pub spec_id: i64,
    /// Quantity.
    pub num: Dec4,
    /// Σ refund_num of the items it received against.
    pub expect_num: Dec4,
    /// Stock-in price (= its cost price: a return is valued at its stock-in price).
    pub price: Dec4,
    /// Defect stock.
    pub defect: bool,
    /// Batch.
    pub batch: BatchRef,
    /// Position row id.
    pub position_id: i64,
    /// 生产日期 (epoch ms).
    pub production_date: Option<i64>,
    /// 有效期 (epoch ms).
    pub expire_date: Option<i64>,
    /// num × price.
    pub total_cost: Dec4,
    /// Σ link num × item price.
    pub refund_amount: Dec4,
    /// 备注.
    pub remark: String,
    /// (refund item id, quantity) received against each item.
    pub links: Vec<(i64, Dec4)>,
    /// Serial numbers.
    pub sn: Vec<String>,
    /// 税率 as sent, stored with the line.
    pub tax: Option<Dec4>,
}

/// A stock change to post (only for a checked order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockChange {
    /// Spec row id.
    pub spec_id: i64,
    /// Defect stock.
    pub defect: bool,
    /// Batch.
    pub batch: BatchRef,
    /// Position row id.
    pub position_id: i64,
    /// Signed change.
    pub change: Dec4,
    /// Cost price recorded on the ledger row.
    pub cost_price: Dec4,
}

/// Everything to write for an accepted return stock-in, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPlan {
    /// Refund order row id.
    pub refund_order_id: i64,
    /// The refund order's shop row id.
    pub shop_id: i64,
    /// Warehouse row id.
    pub warehouse_id: i64,
    /// Status of the new order.
    pub status: StockinStatus,
    /// Logistics company row id.
    pub logistics_id: Option<i64>,
    /// Σ num.
    pub goods_count: Dec4,
    /// Distinct specs.
    pub goods_type_count: i64,
    /// Σ total_cost.
    pub total_price: Dec4,
    /// Σ refund_amount.
    pub refund_amount: Dec4,
    /// Batches to create first.
    pub new_batches: Vec<NewBatch>,
    /// Detail lines.
    pub details: Vec<PlannedDetail>,
    /// Stock changes (empty unless checked).
    pub stock_changes: Vec<StockChange>,
    /// New moving-average cost per spec in this warehouse (empty unless checked).
    pub costs: Vec<(i64, Dec4)>,
    /// New received quantity per refund item (empty unless checked).
    pub refund_progress: Vec<(i64, Dec4)>,
    /// The refund order's receipt state after this order (unchanged unless checked).
    pub receipt: Option<RefundReceiptState>,
}

fn refuse(message: String) -> ApiError {
    ApiError::Business(message)
}

fn parse_date(path: &str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    match value.map(str::trim) {
        None | Some("") | Some("0000-00-00 00:00:00") | Some("0000-00-00") => Ok(None),
        Some(v) => parse_wire_time(v).map(Some).map_err(|e| refuse(format!("{path}: {e}"))),
    }
}

/// Checks `cmd` against `ctx` and returns the writes, or the first refusal. The rules on the
/// request's own lines ([`ReturnStockin::check_lines`]) come before everything else.
pub fn plan(cmd: &ReturnStockin, ctx: &ReturnContext) -> Result<ReturnPlan, ApiError> {
    cmd.check_lines()?;
    // A repeated push (a client retry) is answered as a duplicate before any stored state.
    if let Some(outer) = &cmd.outer_no
        && ctx.outer_no_taken
    {
        return Err(ApiError::DuplicateOuterNo { field: cmd.fields.outer_no, value: outer.clone() });
    }
    let (refund, warehouse) = check_documents(cmd, ctx)?;
    let (line_specs, requested) = check_requested(cmd, ctx, refund)?;
    let mut receiving = Receiving::new(cmd, ctx, refund, warehouse);
    let mut details = Vec::with_capacity(cmd.lines.len());
    for (i, (line, spec)) in cmd.lines.iter().zip(&line_specs).enumerate() {
        details.push(receiving.line(&format!("{}[{i}]", cmd.fields.lines), line, spec)?);
    }
    receiving.finish(details, requested.len() as i64)
}

fn sum(values: impl Iterator<Item = Dec4>) -> Dec4 {
    values.fold(Dec4::ZERO, |a, v| a.checked_add(v).unwrap_or(a))
}

/// The refund order (checked, not fully received, in the key's shops) and the warehouse (in the
/// key's warehouses, not outsourced) the command names, and its logistics company.
fn check_documents<'a>(
    cmd: &ReturnStockin,
    ctx: &'a ReturnContext,
) -> Result<(&'a RefundOrderState, &'a WarehouseState), ApiError> {
    // What the key may not see answers exactly as what does not exist: its state, shop or kind
    // would otherwise leak through the refusal.
    let refund = ctx
        .refund
        .as_ref()
        .filter(|r| ctx.scope.allows_shop(&r.shop_no))
        .ok_or_else(|| refuse(format!("退换单不存在 退换单号: {}", cmd.refund_no)))?;
    let expected_total = sum(refund.items.iter().map(|i| i.refund_num));
    let received_total = sum(refund.items.iter().map(|i| i.stockin_num));
    match refund.status {
        RefundOrderStatus::Cancelled => {
            return Err(refuse(format!("退换单已取消 退换单号: {}", refund.refund_no)));
        }
        RefundOrderStatus::PendingReview => {
            return Err(refuse(format!("退换单未审核,不是待收货状态 退换单号: {}", refund.refund_no)));
        }
        RefundOrderStatus::Completed => {
            return Err(refuse(format!("退换单已完成 退换单号: {}", refund.refund_no)));
        }
        RefundOrderStatus::Checked if received_total >= expected_total => {
            return Err(refuse(format!("退换单已全部入库 退换单号: {}", refund.refund_no)));
        }
        RefundOrderStatus::Checked => {}
    }
    match refund.receipt {
        RefundReceiptState::NotExpected => {
            return Err(refuse(format!("退换单无需入库 退换单号: {}", refund.refund_no)));
        }
        RefundReceiptState::Ended => {
            return Err(refuse(format!("退换单已终止入库 退换单号: {}", refund.refund_no)));
        }
        RefundReceiptState::Awaiting | RefundReceiptState::Partial | RefundReceiptState::Full => {}
    }
    let warehouse = ctx
        .warehouse
        .as_ref()
        .filter(|w| ctx.scope.allows_warehouse(&w.warehouse_no))
        .ok_or_else(|| refuse(format!("仓库不存在  仓库编号: {}", cmd.warehouse_no)))?;
    if warehouse.kind == WarehouseKind::Outsourced {
        return Err(refuse(format!("不支持委外仓储 仓库编号: {}", warehouse.warehouse_no)));
    }
    if let Some(code) = cmd.logistics_code.as_deref().filter(|c| !c.is_empty())
        && ctx.logistics_id.is_none()
    {
        return Err(refuse(format!("不存在物流编码为 {code} 的物流公司或业务类型错误!")));
    }
    Ok((refund, warehouse))
}

/// Each line's spec (known, on the refund order, a whole number if SN-managed), and the total
/// requested per spec, which may not exceed what that spec's items still expect.
fn check_requested<'a>(
    cmd: &ReturnStockin,
    ctx: &'a ReturnContext,
    refund: &RefundOrderState,
) -> Result<(Vec<&'a SpecState>, BTreeMap<i64, Dec4>), ApiError> {
    let f = cmd.fields;
    let mut requested: BTreeMap<i64, Dec4> = BTreeMap::new();
    let mut line_specs = Vec::with_capacity(cmd.lines.len());
    for (i, line) in cmd.lines.iter().enumerate() {
        let path = format!("{}[{i}]", f.lines);
        let spec = ctx
            .specs
            .get(&line.spec_no)
            .ok_or_else(|| refuse(format!("商家编码不存在 {path}.spec_no: {}", line.spec_no)))?;
        if !refund.items.iter().any(|it| it.spec_id == spec.id) {
            return Err(refuse(format!(
                "货品不在退换单中 退换单号: {} {path}.spec_no: {}",
                refund.refund_no, line.spec_no
            )));
        }
        if spec.sn_managed && !line.num.is_integer() {
            return Err(refuse(format!(
                "SN管理的货品数量必须为整数 {path}.{}: {} 商家编码: {}",
                f.num, line.num, line.spec_no
            )));
        }
        let entry = requested.entry(spec.id).or_insert(Dec4::ZERO);
        *entry =
            entry.checked_add(line.num).ok_or_else(|| refuse(format!("数量不合法 {path}.{}: {}", f.num, line.num)))?;
        line_specs.push(spec);
    }
    for (spec_id, want) in &requested {
        let items = || refund.items.iter().filter(|it| it.spec_id == *spec_id);
        let expected = sum(items().map(|it| it.refund_num));
        let remaining = sum(items().map(|it| it.refund_num.checked_sub(it.stockin_num).unwrap_or(Dec4::ZERO)));
        if *want > remaining {
            let spec_no = cmd
                .lines
                .iter()
                .zip(&line_specs)
                .find(|(_, s)| s.id == *spec_id)
                .map(|(l, _)| l.spec_no.as_str())
                .unwrap_or_default();
            return Err(refuse(format!(
                "入库数量超过退换单待入库数量 商家编码: {spec_no} 退换数量: {expected} 待入库数量: {remaining} 本次入库: {want}"
            )));
        }
    }
    Ok((line_specs, requested))
}

fn overflow(path: &str) -> ApiError {
    refuse(format!("金额超出范围 {path}"))
}

/// A line's share of the refund order's items.
struct Allocation {
    /// (refund item id, quantity).
    links: Vec<(i64, Dec4)>,
    /// Σ refund_num of the items.
    expect_num: Dec4,
    /// Σ quantity × item price.
    refund_amount: Dec4,
    /// The first item's price.
    first_price: Option<Dec4>,
}

/// Receiving the lines in order: what each refund item still expects and has received, the
/// batches to create, the serial numbers seen, and (when checked) stock on hand and costs.
struct Receiving<'a> {
    cmd: &'a ReturnStockin,
    ctx: &'a ReturnContext,
    refund: &'a RefundOrderState,
    warehouse: &'a WarehouseState,
    checked: bool,
    remaining: Vec<Dec4>,
    received: Vec<Dec4>,
    new_batches: Vec<NewBatch>,
    seen_sn: HashSet<(i64, String)>,
    on_hand: HashMap<i64, (Dec4, Dec4)>,
    stock_changes: Vec<StockChange>,
    costs: BTreeMap<i64, Dec4>,
}

impl<'a> Receiving<'a> {
    fn new(
        cmd: &'a ReturnStockin,
        ctx: &'a ReturnContext,
        refund: &'a RefundOrderState,
        warehouse: &'a WarehouseState,
    ) -> Self {
        Receiving {
            cmd,
            ctx,
            refund,
            warehouse,
            checked: cmd.status.is_checked(),
            remaining: refund
                .items
                .iter()
                .map(|it| it.refund_num.checked_sub(it.stockin_num).unwrap_or(Dec4::ZERO))
                .collect(),
            received: refund.items.iter().map(|it| it.stockin_num).collect(),
            new_batches: Vec::new(),
            seen_sn: HashSet::new(),
            on_hand: ctx.on_hand.clone(),
            stock_changes: Vec::new(),
            costs: BTreeMap::new(),
        }
    }

    /// Checks and plans one line (`path` = `detail_list[i]`).
    fn line(&mut self, path: &str, line: &ReturnLine, spec: &SpecState) -> Result<PlannedDetail, ApiError> {
        self.check_sns(path, line, spec)?;
        let position_id = self.position(path, line, spec)?;
        let production_date = parse_date(&format!("{path}.production_date"), line.production_date.as_deref())?;
        let expire_date = parse_date(&format!("{path}.expire_date"), line.expire_date.as_deref())?;
        let batch = self.batch(path, line, spec, production_date, expire_date)?;
        // The batch's dates are the truth: a line naming a batch shows them, not what it sent.
        let (production_date, expire_date) = match &batch {
            BatchRef::None => (production_date, expire_date),
            BatchRef::Existing(id) => self.ctx.batch_dates.get(id).copied().unwrap_or((None, None)),
            BatchRef::New(k) => (self.new_batches[*k].production_date, self.new_batches[*k].expire_date),
        };
        let share = self.allocate(path, line, spec)?;
        let price = line.price.or(share.first_price).unwrap_or(Dec4::ZERO);
        let total_cost = line.num.mul_round(price).ok_or_else(|| overflow(path))?;
        if self.checked {
            self.post(path, line, spec, &batch, position_id, price)?;
        }
        Ok(PlannedDetail {
            spec_id: spec.id,
            num: line.num,
            expect_num: share.expect_num,
            price,
            defect: line.defect,
            batch,
            position_id,
            production_date,
            expire_date,
            total_cost,
            refund_amount: share.refund_amount,
            remark: line.remark.clone(),
            links: share.links,
            sn: line.sn.clone(),
            tax: line.tax,
        })
    }

    /// Serial numbers: only while editing (qjb), as many as the quantity, not blank, not repeated,
    /// not already in stock.
    fn check_sns(&mut self, path: &str, line: &ReturnLine, spec: &SpecState) -> Result<(), ApiError> {
        if line.sn.is_empty() {
            return Ok(());
        }
        let f = self.cmd.fields;
        if f.sn_requires_editing && self.cmd.status != StockinStatus::Editing {
            return Err(refuse(format!("传入sn信息时create_mode需要为0 {path}.sn_strings: {}", line.sn.join(","))));
        }
        if Dec4::from_int(line.sn.len() as i64) != Some(line.num) {
            return Err(refuse(format!(
                "SN数量与入库数量不一致 {path}.sn_strings: {} 个 {}: {}",
                line.sn.len(),
                f.num,
                line.num
            )));
        }
        for sn in &line.sn {
            if sn.is_empty() {
                return Err(refuse(format!("SN不能为空 {path}.sn_strings")));
            }
            if !self.seen_sn.insert((spec.id, sn.clone())) {
                return Err(refuse(format!("SN重复 {path}.sn_strings: {sn}")));
            }
            if self.ctx.sns_in_stock.contains(&(spec.id, sn.clone())) {
                return Err(refuse(format!("SN已在库 {path}.sn_strings: {sn} 商家编码: {}", line.spec_no)));
            }
        }
        Ok(())
    }

    /// Position: given, else where this spec last came in here with the same defect flag, else
    /// the default, else 暂存.
    fn position(&self, path: &str, line: &ReturnLine, spec: &SpecState) -> Result<i64, ApiError> {
        let w = self.warehouse;
        match line.position_no.as_deref().filter(|p| !p.is_empty()) {
            Some(no) => self
                .ctx
                .positions
                .get(no)
                .copied()
                .ok_or_else(|| refuse(format!("货位不存在 仓库编号: {} {path}.position_no: {no}", w.warehouse_no))),
            None => Ok(self
                .ctx
                .last_positions
                .get(&(spec.id, line.defect))
                .copied()
                .or(w.default_position_id)
                .unwrap_or(w.temporary_position_id)),
        }
    }

    /// Batch: none, existing, created on request (once per spec and number), or refused.
    fn batch(
        &mut self,
        path: &str,
        line: &ReturnLine,
        spec: &SpecState,
        production_date: Option<i64>,
        expire_date: Option<i64>,
    ) -> Result<BatchRef, ApiError> {
        let Some(no) = line.batch_no.as_deref().filter(|b| !b.is_empty()) else { return Ok(BatchRef::None) };
        if let Some(id) = self.ctx.batches.get(&(spec.id, no.to_owned())) {
            return Ok(BatchRef::Existing(*id));
        }
        if !self.cmd.create_batches {
            return Err(refuse(format!(
                "批次 {no} 不存在或已停用 {path}.batch_no 商家编码: {} (传 {}=true 可自动创建)",
                line.spec_no, self.cmd.fields.create_batch
            )));
        }
        if let Some(k) = self.new_batches.iter().position(|b| b.spec_id == spec.id && b.batch_no == no) {
            return Ok(BatchRef::New(k));
        }
        self.new_batches.push(NewBatch {
            spec_id: spec.id,
            batch_no: no.to_owned(),
            production_date,
            expire_date,
            remark: line.batch_remark.clone(),
        });
        Ok(BatchRef::New(self.new_batches.len() - 1))
    }

    /// Allocates the line to this spec's items in item order.
    fn allocate(&mut self, path: &str, line: &ReturnLine, spec: &SpecState) -> Result<Allocation, ApiError> {
        let mut share =
            Allocation { links: Vec::new(), expect_num: Dec4::ZERO, refund_amount: Dec4::ZERO, first_price: None };
        let mut left = line.num;
        for (k, item) in self.refund.items.iter().enumerate() {
            if item.spec_id != spec.id || left.is_zero() || !self.remaining[k].is_positive() {
                continue;
            }
            let take = left.min(self.remaining[k]);
            self.remaining[k] = self.remaining[k].checked_sub(take).ok_or_else(|| overflow(path))?;
            self.received[k] = self.received[k].checked_add(take).ok_or_else(|| overflow(path))?;
            left = left.checked_sub(take).ok_or_else(|| overflow(path))?;
            share.expect_num = share.expect_num.checked_add(item.refund_num).ok_or_else(|| overflow(path))?;
            share.refund_amount = take
                .mul_round(item.price)
                .and_then(|v| v.checked_add(share.refund_amount))
                .ok_or_else(|| overflow(path))?;
            share.first_price.get_or_insert(item.price);
            share.links.push((item.id, take));
        }
        Ok(share)
    }

    /// A checked line's stock change, and the moving-average cost it leaves.
    fn post(
        &mut self,
        path: &str,
        line: &ReturnLine,
        spec: &SpecState,
        batch: &BatchRef,
        position_id: i64,
        price: Dec4,
    ) -> Result<(), ApiError> {
        let (qty, cost) = self.on_hand.get(&spec.id).copied().unwrap_or((Dec4::ZERO, Dec4::ZERO));
        let new_cost = moving_average(qty, cost, line.num, price);
        self.on_hand.insert(spec.id, (qty.checked_add(line.num).ok_or_else(|| overflow(path))?, new_cost));
        self.costs.insert(spec.id, new_cost);
        self.stock_changes.push(StockChange {
            spec_id: spec.id,
            defect: line.defect,
            batch: batch.clone(),
            position_id,
            change: line.num,
            cost_price: price,
        });
        Ok(())
    }

    /// The plan: totals, and (when checked) the refund order's progress and receipt state.
    fn finish(self, details: Vec<PlannedDetail>, goods_type_count: i64) -> Result<ReturnPlan, ApiError> {
        let total = |f: fn(&PlannedDetail) -> Dec4| {
            details.iter().try_fold(Dec4::ZERO, |a, d| a.checked_add(f(d))).ok_or_else(|| overflow("detail_list"))
        };
        let refund = self.refund;
        let (refund_progress, receipt) = if self.checked {
            let progress: Vec<(i64, Dec4)> = refund
                .items
                .iter()
                .zip(&self.received)
                .filter(|(item, now)| item.stockin_num != **now)
                .map(|(item, now)| (item.id, *now))
                .collect();
            let received_now = self
                .received
                .iter()
                .try_fold(Dec4::ZERO, |a, r| a.checked_add(*r))
                .ok_or_else(|| overflow("detail_list"))?;
            let expected_total = sum(refund.items.iter().map(|i| i.refund_num));
            (progress, Some(receipt_state(expected_total, received_now)))
        } else {
            (Vec::new(), None)
        };
        Ok(ReturnPlan {
            refund_order_id: refund.id,
            shop_id: refund.shop_id,
            warehouse_id: self.warehouse.id,
            status: self.cmd.status,
            logistics_id: self.ctx.logistics_id,
            goods_count: total(|d| d.num)?,
            goods_type_count,
            total_price: total(|d| d.total_cost)?,
            refund_amount: total(|d| d.refund_amount)?,
            new_batches: self.new_batches,
            details,
            stock_changes: self.stock_changes,
            costs: self.costs.into_iter().collect(),
            refund_progress,
            receipt,
        })
    }
}
