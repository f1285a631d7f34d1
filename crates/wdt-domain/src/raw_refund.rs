//! 原始退款单推送 (`aftersales.refund.RawRefund.upload` / `upload2`, SPEC.md §8): a shop's raw
//! refunds, each converted at once (递交) into the refund order (退换单) it becomes.
//!
//! The lines of one upload are grouped by `refund_no`: one raw refund, one line per sub-order
//! (`oid`) of one trade. [`plan_refund`] decides one raw refund against [`RawRefundState`] and
//! applies what it plans to that state, so the next raw refund of the same upload sees the
//! quantities this one took; [`plan`] runs it over an upload, whole or nothing (`upload`) or raw
//! refund by raw refund (`upload2`).
//!
//! Conversion by type: 2 退货 makes a refund order of type 2 that expects the goods back
//! (`stockin_status` 1); 0 取消订单 and 1 退款 make one of type 1, 4 退款不退货 one of type 4, both
//! expecting nothing (`stockin_status` 0); 3 换货 makes none (the page). It is pending review (20),
//! or reviewed (30) when the shop has `auto_review_refunds`. A raw refund the platform cancelled
//! before it arrived makes none.
//!
//! The same `refund_no` again changes something only with a higher `refund_version` (compared as
//! numbers when both are, else as text): it then takes the new status, amounts, logistics and
//! quantities, adds new sub-orders, and moves its refund order with it. A platform cancellation
//! (status 1) cancels the refund order while nothing has been received, else ends its receipt
//! (`stockin_status` 4 终止入库).

use std::cmp::Ordering;
use std::collections::HashMap;

use wdt_protocol::methods::LinePath;
use wdt_protocol::methods::purchase_order::wire_time;
use wdt_protocol::methods::raw_refund_upload::{
    ARG_ORDERS, ARG_SHOP_NO, RawRefundError, RawRefundLine, RawRefundUpload, RawRefundUploadResult,
};
use wdt_protocol::{ApiError, Dec4};

use crate::line_rules;
use crate::model::{
    RawRefundProcessStatus, RawRefundStatus, RawRefundType, RefundOrderStatus, RefundOrderType, RefundReceiptState,
    Scope, receipt_state,
};
pub use crate::quick_return::NewRefundItem;

/// A shop as the rule reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundShop {
    /// Row id.
    pub id: i64,
    /// 停用.
    pub disabled: bool,
    /// Refund orders made from its raw refunds start reviewed.
    pub auto_review_refunds: bool,
}

/// A sub-order sold, as a refund of it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldItem {
    /// The trade item's row id.
    pub id: i64,
    /// Its spec's row id.
    pub spec_id: i64,
    /// Quantity sold.
    pub num: Dec4,
    /// Price sold at.
    pub price: Dec4,
    /// Quantity refund orders that are not cancelled already take (an ended one only what it
    /// received).
    pub refunded: Dec4,
}

/// A trade of the shop, by `tid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundTrade {
    /// Row id.
    pub id: i64,
    /// Shipped already.
    pub shipped: bool,
    /// Its sub-orders by `oid`.
    pub items: HashMap<String, SoldItem>,
}

/// A raw refund's header, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRefundRecord {
    /// 原始单号.
    pub tid: String,
    /// The first line's `oid`.
    pub oid: String,
    /// 退款单类型.
    pub refund_type: RawRefundType,
    /// 平台状态.
    pub status: RawRefundStatus,
    /// 处理状态.
    pub process_status: RawRefundProcessStatus,
    /// 退款版本.
    pub refund_version: String,
    /// 申请退款金额.
    pub refund_amount: Dec4,
    /// 实际退款金额.
    pub actual_refund_amount: Dec4,
    /// 标题.
    pub title: String,
    /// 物流公司名称 of the return.
    pub logistics_name: String,
    /// 物流单号 of the return.
    pub logistics_no: String,
    /// 客户网名.
    pub buyer_nick: String,
    /// 退款创建时间 (epoch ms).
    pub refund_time: Option<i64>,
    /// 退款成功时间 (epoch ms).
    pub current_phase_timeout: Option<i64>,
    /// 是否售后退款单.
    pub is_aftersale: bool,
    /// 退款原因.
    pub reason: String,
    /// 买家支付帐号.
    pub pay_account: String,
    /// 支付订单号.
    pub pay_no: String,
    /// 备注.
    pub remark: String,
    /// 修改掩码 (upload2).
    pub modify_flag: i64,
}

/// One line of a raw refund, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRefundItemRecord {
    /// 原始子单号.
    pub oid: String,
    /// The trade item refunded.
    pub trade_item_id: i64,
    /// 平台状态.
    pub status: RawRefundStatus,
    /// 货品数量.
    pub num: Dec4,
    /// 单价 (the price sold at when not pushed).
    pub price: Dec4,
    /// 退款货品总价 (price × num when not pushed).
    pub total_amount: Dec4,
    /// 平台货品id.
    pub platform_goods_id: String,
    /// 平台货品编号.
    pub platform_goods_no: String,
    /// 平台规格id.
    pub platform_spec_id: String,
    /// 平台规格编号.
    pub platform_spec_no: String,
    /// 备注.
    pub remark: String,
    /// 退款创建时间 (epoch ms).
    pub refund_time: Option<i64>,
}

/// A refund order line of one refund order, by `oid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedItem {
    /// Row id.
    pub id: i64,
    /// The trade item.
    pub trade_item_id: i64,
    /// Expected.
    pub refund_num: Dec4,
    /// Received.
    pub stockin_num: Dec4,
}

/// The refund order a raw refund became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedOrder {
    /// Row id, `None` while it is planned in this upload and not written yet.
    pub id: Option<i64>,
    /// Its status.
    pub status: RefundOrderStatus,
    /// Its receipt state.
    pub receipt: RefundReceiptState,
    /// Its lines by `oid`.
    pub items: HashMap<String, LinkedItem>,
}

/// A raw refund already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRawRefund {
    /// Row id, `None` while planned in this upload.
    pub id: Option<i64>,
    /// Its header.
    pub record: RawRefundRecord,
    /// Its lines by `oid`: (row id, line), the row id `None` while planned.
    pub items: HashMap<String, (Option<i64>, RawRefundItemRecord)>,
    /// The refund order it became.
    pub order: Option<LinkedOrder>,
}

/// What the rule reads, and what an upload's earlier raw refunds already changed.
#[derive(Debug, Clone, Default)]
pub struct RawRefundState {
    /// The caller's shop scope.
    pub scope: Scope,
    /// The shop named by `shop_no`, if found.
    pub shop: Option<RefundShop>,
    /// The shop's trades named by the upload, by `tid`.
    pub trades: HashMap<String, RefundTrade>,
    /// The shop's raw refunds named by the upload, by `refund_no`.
    pub raw_refunds: HashMap<String, StoredRawRefund>,
}

/// A refund order to make (numbered `TK…` by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRefundOrder {
    /// Its kind.
    pub order_type: RefundOrderType,
    /// 20, or 30 for a shop that reviews automatically.
    pub status: RefundOrderStatus,
    /// 1 待入库 for returns, else 0 无需入库.
    pub receipt: RefundReceiptState,
    /// Its lines.
    pub items: Vec<NewRefundItem>,
}

/// What happens to the refund order of a raw refund already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderChange {
    /// Nothing.
    None,
    /// It is made now (the raw refund made none before).
    Create(NewRefundOrder),
    /// It moves on with its raw refund.
    Update {
        /// Row id.
        id: i64,
        /// New status.
        status: RefundOrderStatus,
        /// New receipt state.
        receipt: RefundReceiptState,
        /// Lines whose expected quantity changed: (row id, new quantity).
        changed_items: Vec<(i64, Dec4)>,
        /// Lines added.
        added_items: Vec<NewRefundItem>,
    },
}

/// What to write for one raw refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawRefundWrite {
    /// A new raw refund and the refund order it became, if any.
    New {
        /// 原始退款单号.
        refund_no: String,
        /// The trade's row id.
        trade_id: i64,
        /// Header.
        record: RawRefundRecord,
        /// Lines.
        items: Vec<RawRefundItemRecord>,
        /// The refund order it becomes.
        order: Option<NewRefundOrder>,
    },
    /// A raw refund with a higher version.
    Changed {
        /// 原始退款单号.
        refund_no: String,
        /// Row id.
        raw_refund_id: i64,
        /// The trade's row id.
        trade_id: i64,
        /// New header.
        record: RawRefundRecord,
        /// Lines changed: (row id, new line).
        changed_items: Vec<(i64, RawRefundItemRecord)>,
        /// Lines added.
        added_items: Vec<RawRefundItemRecord>,
        /// Its refund order.
        order: OrderChange,
    },
}

impl RawRefundWrite {
    /// The raw refund's number.
    pub fn refund_no(&self) -> &str {
        match self {
            RawRefundWrite::New { refund_no, .. } | RawRefundWrite::Changed { refund_no, .. } => refund_no,
        }
    }

    /// Its header.
    pub fn record(&self) -> &RawRefundRecord {
        match self {
            RawRefundWrite::New { record, .. } | RawRefundWrite::Changed { record, .. } => record,
        }
    }
}

/// What an upload writes and answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRefundPlan {
    /// The shop's row id (0 when the shop was refused).
    pub shop_id: i64,
    /// Raw refunds to write, in upload order; unchanged ones are not here.
    pub writes: Vec<RawRefundWrite>,
    /// `{chg_count, new_count}`.
    pub counts: RawRefundUploadResult,
    /// upload2's refusals, one per raw refund (`upload` refuses the whole call instead).
    pub errors: Vec<RawRefundError>,
}

fn refuse(message: String) -> ApiError {
    ApiError::Business(message)
}

/// Whether version `new` is later than `old`: as numbers when both are, else as text.
pub fn is_later_version(new: &str, old: &str) -> bool {
    let ordering = match (new.trim().parse::<i128>(), old.trim().parse::<i128>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => new.cmp(old),
    };
    ordering == Ordering::Greater
}

/// The shop may upload: it exists, is enabled and is in the key's scope.
fn shop(upload: &RawRefundUpload, state: &RawRefundState) -> Result<RefundShop, ApiError> {
    let no = &upload.shop_no;
    let shop = state
        .shop
        .as_ref()
        .filter(|s| !s.disabled)
        .ok_or_else(|| refuse(format!("店铺编号不存在或已停用 {ARG_SHOP_NO}: {no}")))?;
    if !state.scope.allows_shop(no) {
        return Err(refuse(format!("店铺权限不足 {ARG_SHOP_NO}: {no}")));
    }
    Ok(shop.clone())
}

fn coded<T>(path: LinePath<'_>, value: i64, from: impl Fn(i64) -> Option<T>) -> Result<T, ApiError> {
    from(value).ok_or_else(|| refuse(format!("取值不合法 {path}: {value}")))
}

/// A raw refund's header from its first line.
fn record_of(index: usize, l: &RawRefundLine) -> Result<RawRefundRecord, ApiError> {
    let p = |field| LinePath { list: ARG_ORDERS, index, field };
    for (field, value) in [("refund_amount", l.refund_amount), ("actual_refund_amount", l.actual_refund_amount)] {
        line_rules::non_negative_fee(&p(field).to_string(), value)?;
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(RawRefundRecord {
        tid: l.tid.clone(),
        oid: l.oid.clone(),
        refund_type: coded(p("type"), l.refund_type, RawRefundType::from_code)?,
        status: coded(p("status"), l.status, RawRefundStatus::from_code)?,
        process_status: RawRefundProcessStatus::Submitted,
        refund_version: l.refund_version.trim().to_owned(),
        refund_amount: l.refund_amount,
        actual_refund_amount: l.actual_refund_amount,
        title: l.title.clone(),
        logistics_name: text(&l.logistics_name),
        logistics_no: text(&l.logistics_no),
        buyer_nick: l.buyer_nick.clone(),
        refund_time: wire_time(p("refund_time"), l.refund_time.as_deref())?,
        current_phase_timeout: wire_time(p("current_phase_timeout"), l.current_phase_timeout.as_deref())?,
        is_aftersale: l.is_aftersale == 1,
        reason: l.reason.clone(),
        pay_account: text(&l.pay_account),
        pay_no: text(&l.pay_no),
        remark: text(&l.remark),
        modify_flag: l.modify_flag.unwrap_or(0),
    })
}

/// A line of the raw refund: the sub-order exists on the trade.
fn item_of(index: usize, l: &RawRefundLine, trade: &RefundTrade) -> Result<(RawRefundItemRecord, i64), ApiError> {
    let p = |field| LinePath { list: ARG_ORDERS, index, field };
    line_rules::positive_quantity(p("num"), l.num)?;
    line_rules::non_negative_price(p("price"), l.price)?;
    line_rules::non_negative_price(p("total_amount"), l.total_amount)?;
    let sold = trade
        .items
        .get(&l.oid)
        .ok_or_else(|| refuse(format!("原始子单不存在 {}: {} (tid: {})", p("oid"), l.oid, l.tid)))?;
    let price = l.price.unwrap_or(sold.price);
    let total_amount = match l.total_amount {
        Some(t) => t,
        None => price.mul_round(l.num).ok_or_else(|| refuse(format!("金额溢出 {}: {}", p("num"), l.num)))?,
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let item = RawRefundItemRecord {
        oid: l.oid.clone(),
        trade_item_id: sold.id,
        status: coded(p("status"), l.status, RawRefundStatus::from_code)?,
        num: l.num,
        price,
        total_amount,
        platform_goods_id: text(&l.goods_id),
        platform_goods_no: text(&l.goods_no),
        platform_spec_id: text(&l.spec_id),
        platform_spec_no: text(&l.spec_no),
        remark: text(&l.remark),
        refund_time: wire_time(p("refund_time"), l.refund_time.as_deref())?,
    };
    Ok((item, sold.spec_id))
}

/// The refund order kind a raw refund type becomes, `None` for 换货.
fn order_kind(t: RawRefundType) -> Option<(RefundOrderType, RefundReceiptState)> {
    match t {
        RawRefundType::Return => Some((RefundOrderType::Return, RefundReceiptState::Awaiting)),
        RawRefundType::CancelOrder | RawRefundType::Refund => {
            Some((RefundOrderType::PreShipRefund, RefundReceiptState::NotExpected))
        }
        RawRefundType::RefundOnly => Some((RefundOrderType::RefundOnly, RefundReceiptState::NotExpected)),
        RawRefundType::Exchange => None,
    }
}

/// One raw refund's lines, with their indexes in `order_list`.
type Group<'a> = (String, Vec<(usize, &'a RawRefundLine)>);

fn groups(lines: &[RawRefundLine]) -> Vec<Group<'_>> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let k = *at.entry(l.refund_no.as_str()).or_insert_with(|| {
            groups.push((l.refund_no.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[k].1.push((i, l));
    }
    groups
}

/// A raw refund's header, its trade, and its lines with their specs' row ids.
type ReadGroup<'s> = (RawRefundRecord, &'s RefundTrade, Vec<(RawRefundItemRecord, i64)>);

/// Checks one raw refund's lines and returns its header, lines and their specs.
fn read_group<'s>(lines: &[(usize, &RawRefundLine)], state: &'s RawRefundState) -> Result<ReadGroup<'s>, ApiError> {
    let (first_at, first) = lines[0];
    let record = record_of(first_at, first)?;
    let trade = state.trades.get(&first.tid).ok_or_else(|| {
        refuse(format!("原始单不存在 {}: {}", LinePath { list: ARG_ORDERS, index: first_at, field: "tid" }, first.tid))
    })?;
    let mut items = Vec::with_capacity(lines.len());
    for (i, l) in lines {
        let p = |field| LinePath { list: ARG_ORDERS, index: *i, field };
        if l.tid != first.tid {
            return Err(refuse(format!("同一原始退款单的原始单号不一致 {}: {} ({})", p("tid"), l.tid, first.tid)));
        }
        if items.iter().any(|(item, _): &(RawRefundItemRecord, i64)| item.oid == l.oid) {
            return Err(refuse(format!("原始子单号重复 {}: {}", p("oid"), l.oid)));
        }
        if record.refund_type == RawRefundType::Return && !trade.shipped {
            return Err(refuse(format!("订单未发货,不能退货 {}: {} (tid: {})", p("type"), l.refund_type, l.tid)));
        }
        items.push(item_of(*i, l, trade)?);
    }
    Ok((record, trade, items))
}

/// `num` of `oid` may be refunded: the quantity sold less what other refund orders take.
fn check_refundable(index: usize, trade: &RefundTrade, oid: &str, num: Dec4, own: Dec4) -> Result<(), ApiError> {
    let sold = &trade.items[oid];
    let others = sold.refunded.checked_sub(own).unwrap_or(Dec4::ZERO);
    let left = sold.num.checked_sub(others).unwrap_or(Dec4::ZERO);
    if num > left {
        let path = LinePath { list: ARG_ORDERS, index, field: "num" };
        return Err(refuse(format!("退款数量超过可退数量 {path}: {num} (可退: {left})")));
    }
    Ok(())
}

/// The refund order a raw refund makes, if it makes one.
fn new_order(
    shop: &RefundShop,
    record: &RawRefundRecord,
    items: &[(RawRefundItemRecord, i64)],
) -> Option<NewRefundOrder> {
    let (order_type, receipt) = order_kind(record.refund_type)?;
    if record.status == RawRefundStatus::Cancelled {
        return None;
    }
    let status = if shop.auto_review_refunds { RefundOrderStatus::Checked } else { RefundOrderStatus::PendingReview };
    let items = items
        .iter()
        .map(|(item, spec_id)| NewRefundItem {
            oid: item.oid.clone(),
            trade_item_id: item.trade_item_id,
            spec_id: *spec_id,
            refund_num: item.num,
            price: item.price,
        })
        .collect();
    Some(NewRefundOrder { order_type, status, receipt, items })
}

fn linked(order: &NewRefundOrder) -> LinkedOrder {
    let items = order
        .items
        .iter()
        .map(|i| {
            let item =
                LinkedItem { id: 0, trade_item_id: i.trade_item_id, refund_num: i.refund_num, stockin_num: Dec4::ZERO };
            (i.oid.clone(), item)
        })
        .collect();
    LinkedOrder { id: None, status: order.status, receipt: order.receipt, items }
}

/// What a later version does to the refund order it became.
fn move_order(
    order: &LinkedOrder,
    record: &RawRefundRecord,
    items: &[(RawRefundItemRecord, i64)],
) -> Result<OrderChange, ApiError> {
    let Some(id) = order.id else {
        return Err(ApiError::Internal);
    };
    if order.status == RefundOrderStatus::Cancelled {
        return Ok(OrderChange::None);
    }
    let received = order.items.values().try_fold(Dec4::ZERO, |s, i| s.checked_add(i.stockin_num)).unwrap_or(Dec4::ZERO);
    let mut changed_items = Vec::new();
    let mut added_items = Vec::new();
    let mut expected = Dec4::ZERO;
    for (item, spec_id) in items {
        match order.items.get(&item.oid) {
            Some(line) if line.refund_num != item.num => {
                if item.num < line.stockin_num {
                    return Err(refuse(format!(
                        "退款数量小于已入库数量 {ARG_ORDERS}.num: {} (oid: {}, 已入库: {})",
                        item.num, item.oid, line.stockin_num
                    )));
                }
                changed_items.push((line.id, item.num));
            }
            Some(_) => {}
            None => {
                added_items.push(NewRefundItem {
                    oid: item.oid.clone(),
                    trade_item_id: item.trade_item_id,
                    spec_id: *spec_id,
                    refund_num: item.num,
                    price: item.price,
                });
            }
        }
        expected = expected.checked_add(item.num).unwrap_or(expected);
    }
    for (oid, line) in &order.items {
        if !items.iter().any(|(i, _)| &i.oid == oid) {
            expected = expected.checked_add(line.refund_num).unwrap_or(expected);
        }
    }
    let (status, receipt) = if record.status == RawRefundStatus::Cancelled {
        if received.is_zero() {
            (RefundOrderStatus::Cancelled, order.receipt)
        } else if order.receipt.expects_goods() && order.receipt != RefundReceiptState::Full {
            (order.status, RefundReceiptState::Ended)
        } else {
            (order.status, order.receipt)
        }
    } else if order.receipt.expects_goods() {
        (order.status, receipt_state(expected, received))
    } else {
        (order.status, order.receipt)
    };
    Ok(OrderChange::Update { id, status, receipt, changed_items, added_items })
}

/// Plans one raw refund against `state`, and applies the plan to it; `None` when nothing changes.
pub fn plan_refund(
    shop: &RefundShop,
    refund_no: &str,
    lines: &[(usize, &RawRefundLine)],
    state: &mut RawRefundState,
) -> Result<Option<RawRefundWrite>, ApiError> {
    let (record, trade, items) = read_group(lines, state)?;
    let trade_id = trade.id;
    let stored = state.raw_refunds.get(refund_no);
    if let Some(stored) = stored {
        if stored.record.tid != record.tid {
            let path = LinePath { list: ARG_ORDERS, index: lines[0].0, field: "tid" };
            return Err(refuse(format!("原始退款单的原始单号不能修改 {path}: {} ({})", record.tid, stored.record.tid)));
        }
        if !is_later_version(&record.refund_version, &stored.record.refund_version) {
            return Ok(None);
        }
    }
    let own = taken(stored.and_then(|s| s.order.as_ref()));
    if record.status != RawRefundStatus::Cancelled {
        for ((item, _), (at, _)) in items.iter().zip(lines) {
            let own = own.get(&item.oid).copied().unwrap_or(Dec4::ZERO);
            check_refundable(*at, trade, &item.oid, item.num, own)?;
        }
    }
    let write = match stored {
        None => {
            let order = new_order(shop, &record, &items);
            RawRefundWrite::New {
                refund_no: refund_no.to_owned(),
                trade_id,
                record: record_with_process(record, order.is_some()),
                items: items.iter().map(|(i, _)| i.clone()).collect(),
                order,
            }
        }
        Some(stored) => {
            let order = match &stored.order {
                Some(order) => move_order(order, &record, &items)?,
                None => new_order(shop, &record, &items).map_or(OrderChange::None, OrderChange::Create),
            };
            let converted = stored.order.is_some() || matches!(order, OrderChange::Create(_));
            let mut changed_items = Vec::new();
            let mut added_items = Vec::new();
            for (item, _) in &items {
                match stored.items.get(&item.oid) {
                    Some((id, old)) if old != item => changed_items.push((id.ok_or(ApiError::Internal)?, item.clone())),
                    Some(_) => {}
                    None => added_items.push(item.clone()),
                }
            }
            RawRefundWrite::Changed {
                refund_no: refund_no.to_owned(),
                raw_refund_id: stored.id.ok_or(ApiError::Internal)?,
                trade_id,
                record: record_with_process(record, converted),
                changed_items,
                added_items,
                order,
            }
        }
    };
    apply(state, &write);
    Ok(Some(write))
}

fn record_with_process(record: RawRefundRecord, converted: bool) -> RawRefundRecord {
    let process_status = if converted { RawRefundProcessStatus::Submitted } else { RawRefundProcessStatus::Processed };
    RawRefundRecord { process_status, ..record }
}

/// What a live refund order takes of each sub-order: nothing once cancelled, what it received once
/// its receipt ended, else what it expects.
fn taken(order: Option<&LinkedOrder>) -> HashMap<String, Dec4> {
    let Some(o) = order.filter(|o| o.status != RefundOrderStatus::Cancelled) else {
        return HashMap::new();
    };
    let ended = o.receipt == RefundReceiptState::Ended;
    o.items.iter().map(|(oid, i)| (oid.clone(), if ended { i.stockin_num } else { i.refund_num })).collect()
}

/// The refund order of `write` as it stands after it, in the terms of [`taken`].
fn order_after(stored: Option<&StoredRawRefund>, write: &RawRefundWrite) -> Option<LinkedOrder> {
    match write {
        RawRefundWrite::New { order, .. } => order.as_ref().map(linked),
        RawRefundWrite::Changed { order: OrderChange::None, .. } => stored.and_then(|s| s.order.clone()),
        RawRefundWrite::Changed { order: OrderChange::Create(new), .. } => Some(linked(new)),
        RawRefundWrite::Changed {
            order: OrderChange::Update { status, receipt, changed_items, added_items, .. },
            ..
        } => {
            let mut o = stored.and_then(|s| s.order.clone())?;
            o.status = *status;
            o.receipt = *receipt;
            for line in o.items.values_mut() {
                if let Some((_, num)) = changed_items.iter().find(|(id, _)| *id == line.id) {
                    line.refund_num = *num;
                }
            }
            for a in added_items {
                let item = LinkedItem {
                    id: 0,
                    trade_item_id: a.trade_item_id,
                    refund_num: a.refund_num,
                    stockin_num: Dec4::ZERO,
                };
                o.items.insert(a.oid.clone(), item);
            }
            Some(o)
        }
    }
}

/// Moves the trade's refunded quantities by what `write` changes, so the next raw refund of the
/// upload sees them.
fn apply(state: &mut RawRefundState, write: &RawRefundWrite) {
    let stored = state.raw_refunds.get(write.refund_no());
    let before = taken(stored.and_then(|s| s.order.as_ref()));
    let after = taken(order_after(stored, write).as_ref());
    let Some(trade) = state.trades.get_mut(&write.record().tid) else { return };
    for (oid, sold) in trade.items.iter_mut() {
        let out = before.get(oid).copied().unwrap_or(Dec4::ZERO);
        let into = after.get(oid).copied().unwrap_or(Dec4::ZERO);
        sold.refunded = sold.refunded.checked_sub(out).and_then(|r| r.checked_add(into)).unwrap_or(sold.refunded);
    }
}

/// Plans an upload. `whole`: `upload`, where any refusal refuses the call; otherwise `upload2`,
/// where each raw refund is accepted or refused on its own and refusals are listed.
pub fn plan(upload: &RawRefundUpload, state: &mut RawRefundState, whole: bool) -> Result<RawRefundPlan, ApiError> {
    if upload.lines.is_empty() {
        return Err(refuse(format!("{ARG_ORDERS}不能为空")));
    }
    let groups = groups(&upload.lines);
    let shop = match shop(upload, state) {
        Ok(shop) => shop,
        Err(e) if whole => return Err(e),
        Err(e) => {
            let error = e.to_string();
            let errors = groups.into_iter().map(|(no, _)| RawRefundError { no, error: error.clone() }).collect();
            return Ok(RawRefundPlan { errors, ..RawRefundPlan::default() });
        }
    };
    let mut plan = RawRefundPlan { shop_id: shop.id, ..RawRefundPlan::default() };
    for (refund_no, lines) in &groups {
        match plan_refund(&shop, refund_no, lines, state) {
            Ok(None) => {}
            Ok(Some(write)) => {
                match &write {
                    RawRefundWrite::New { .. } => plan.counts.new_count += 1,
                    RawRefundWrite::Changed { .. } => plan.counts.chg_count += 1,
                }
                plan.writes.push(write);
            }
            Err(e) if whole => return Err(e),
            Err(e) => plan.errors.push(RawRefundError { no: refund_no.clone(), error: e.to_string() }),
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use wdt_protocol::methods::RAW_REFUND_UPLOAD;

    use super::*;

    fn d(v: i64) -> Dec4 {
        Dec4::from_int(v).unwrap()
    }

    fn line(refund_no: &str, oid: &str, refund_type: i64, num: i64) -> Value {
        json!({
            "refund_no": refund_no, "num": num, "tid": "T1", "oid": oid, "type": refund_type, "status": 2,
            "refund_version": "1", "refund_amount": 5, "actual_refund_amount": 5, "title": "",
            "buyer_nick": "b", "is_aftersale": 0, "reason": ""
        })
    }

    fn upload(shop: &str, lines: Vec<Value>) -> RawRefundUpload {
        RawRefundUpload::from_args(RAW_REFUND_UPLOAD, vec![json!(shop), json!(lines)]).expect("a valid payload")
    }

    /// A shop with trade T1: O1 sold 3 (1 already refunded elsewhere), O2 sold 1; shipped or not.
    fn state(shipped: bool) -> RawRefundState {
        let sold =
            |id, num, refunded| SoldItem { id, spec_id: 100 + id, num: d(num), price: d(10), refunded: d(refunded) };
        let items = HashMap::from([("O1".to_owned(), sold(1, 3, 1)), ("O2".to_owned(), sold(2, 1, 0))]);
        RawRefundState {
            shop: Some(RefundShop { id: 7, disabled: false, auto_review_refunds: false }),
            trades: HashMap::from([("T1".to_owned(), RefundTrade { id: 9, shipped, items })]),
            ..RawRefundState::default()
        }
    }

    /// The state after `write`, as the store would load it back (row ids given).
    fn stored_after(mut s: RawRefundState, write: &RawRefundWrite) -> RawRefundState {
        let RawRefundWrite::New { refund_no, record, items, order, .. } = write else { panic!("{write:?}") };
        let order = order.as_ref().map(|o| {
            let mut l = linked(o);
            l.id = Some(50);
            for (n, item) in l.items.values_mut().enumerate() {
                item.id = 60 + n as i64;
            }
            l
        });
        let items = items.iter().enumerate().map(|(n, i)| (i.oid.clone(), (Some(70 + n as i64), i.clone()))).collect();
        s.raw_refunds.insert(refund_no.clone(), StoredRawRefund { id: Some(40), record: record.clone(), items, order });
        s
    }

    fn planned(u: &RawRefundUpload, s: &mut RawRefundState) -> RawRefundPlan {
        plan(u, s, true).expect("accepted")
    }

    #[test]
    fn each_type_becomes_its_refund_order() {
        let cases = [
            (2, true, Some((RefundOrderType::Return, RefundReceiptState::Awaiting))),
            (0, false, Some((RefundOrderType::PreShipRefund, RefundReceiptState::NotExpected))),
            (1, false, Some((RefundOrderType::PreShipRefund, RefundReceiptState::NotExpected))),
            (4, true, Some((RefundOrderType::RefundOnly, RefundReceiptState::NotExpected))),
            (3, true, None),
        ];
        for (refund_type, shipped, want) in cases {
            let p = planned(&upload("S", vec![line("R1", "O1", refund_type, 2)]), &mut state(shipped));
            assert_eq!(p.counts, RawRefundUploadResult { chg_count: 0, new_count: 1 });
            let RawRefundWrite::New { order, record, .. } = &p.writes[0] else { panic!() };
            assert_eq!(order.as_ref().map(|o| (o.order_type, o.receipt)), want, "type {refund_type}");
            let process =
                if want.is_some() { RawRefundProcessStatus::Submitted } else { RawRefundProcessStatus::Processed };
            assert_eq!(record.process_status, process);
            if let Some(o) = order {
                assert_eq!(o.status, RefundOrderStatus::PendingReview);
                assert_eq!((o.items[0].refund_num, o.items[0].price, o.items[0].spec_id), (d(2), d(10), 101));
            }
        }
        let mut auto = state(true);
        auto.shop.as_mut().unwrap().auto_review_refunds = true;
        let p = planned(&upload("S", vec![line("R1", "O1", 2, 1)]), &mut auto);
        let RawRefundWrite::New { order: Some(o), .. } = &p.writes[0] else { panic!() };
        assert_eq!(o.status, RefundOrderStatus::Checked);
    }

    #[test]
    fn refusals_name_the_field_and_value() {
        let refused = |u: RawRefundUpload, s: &mut RawRefundState| match plan(&u, s, true) {
            Err(ApiError::Business(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        };
        let mut other_tid = line("R1", "O2", 2, 1);
        other_tid["tid"] = json!("T2");
        let mut negative = line("R1", "O1", 2, 1);
        negative["actual_refund_amount"] = json!(-2);
        let cases: Vec<(RawRefundUpload, RawRefundState, &str)> = vec![
            (
                upload("S", vec![line("R1", "O1", 2, 1)]),
                RawRefundState { shop: None, ..state(true) },
                "店铺编号不存在或已停用 shop_no: S",
            ),
            (
                upload("S", vec![line("R1", "O1", 2, 1)]),
                RawRefundState { scope: Scope { shops: Some(vec!["X".into()]), ..Scope::default() }, ..state(true) },
                "店铺权限不足 shop_no: S",
            ),
            (upload("S", vec![line("R1", "O9", 2, 1)]), state(true), "原始子单不存在 order_list[0].oid: O9 (tid: T1)"),
            (
                upload("S", vec![line("R1", "O1", 2, 3)]),
                state(true),
                "退款数量超过可退数量 order_list[0].num: 3 (可退: 2)",
            ),
            (
                upload("S", vec![line("R1", "O1", 2, 1)]),
                state(false),
                "订单未发货,不能退货 order_list[0].type: 2 (tid: T1)",
            ),
            (
                upload("S", vec![line("R1", "O1", 2, 1), line("R1", "O1", 2, 1)]),
                state(true),
                "原始子单号重复 order_list[1].oid: O1",
            ),
            (
                upload("S", vec![line("R1", "O1", 2, 1), other_tid]),
                state(true),
                "同一原始退款单的原始单号不一致 order_list[1].tid: T2 (T1)",
            ),
            (upload("S", vec![negative]), state(true), "金额不合法 order_list[0].actual_refund_amount: -2"),
            (
                upload("S", vec![line("R1", "O1", 2, 2), line("R2", "O1", 2, 1)]),
                state(true),
                "退款数量超过可退数量 order_list[1].num: 1 (可退: 0)",
            ),
            (upload("S", vec![]), state(true), "order_list不能为空"),
        ];
        for (u, mut s, message) in cases {
            assert_eq!(refused(u, &mut s), message);
        }
        // upload2 lists each refusal beside what it accepts.
        let u = upload("S", vec![line("R1", "O1", 2, 2), line("R2", "O1", 2, 1), line("R3", "O2", 2, 1)]);
        let p = plan(&u, &mut state(true), false).unwrap();
        assert_eq!(p.counts.new_count, 2);
        assert_eq!(
            p.errors,
            [RawRefundError {
                no: "R2".into(), error: "退款数量超过可退数量 order_list[1].num: 1 (可退: 0)".into()
            }]
        );
    }

    #[test]
    fn only_a_later_version_changes_a_raw_refund() {
        let first = upload("S", vec![line("R1", "O1", 2, 2)]);
        let mut s = state(true);
        let p = planned(&first, &mut s.clone());
        s = stored_after(s, &p.writes[0]);
        // The store reloads quantities: the new order now takes 2 of O1.
        s.trades.get_mut("T1").unwrap().items.get_mut("O1").unwrap().refunded = d(3);
        assert_eq!(planned(&first, &mut s.clone()).writes, [], "the same document again");
        let mut later = line("R1", "O1", 2, 1);
        later["refund_version"] = json!("2");
        later["refund_amount"] = json!(3);
        let p = planned(&upload("S", vec![later.clone()]), &mut s.clone());
        assert_eq!(p.counts, RawRefundUploadResult { chg_count: 1, new_count: 0 });
        let RawRefundWrite::Changed { record, order: OrderChange::Update { changed_items, receipt, .. }, .. } =
            &p.writes[0]
        else {
            panic!("{p:?}")
        };
        assert_eq!(record.refund_amount, d(3));
        assert_eq!(changed_items.len(), 1);
        assert_eq!((changed_items[0].1, *receipt), (d(1), RefundReceiptState::Awaiting));
        // "10" is later than "9" as numbers, though not as text.
        assert!(is_later_version("10", "9") && !is_later_version("9", "10") && is_later_version("b", "a"));
        // A lower version is not a change either.
        later["refund_version"] = json!("0");
        assert_eq!(planned(&upload("S", vec![later]), &mut s.clone()).writes, []);
    }

    #[test]
    fn a_platform_cancellation_cancels_or_ends_the_refund_order() {
        let first = upload("S", vec![line("R1", "O1", 2, 2)]);
        let base = state(true);
        let p = planned(&first, &mut base.clone());
        let stored = stored_after(base, &p.writes[0]);
        let mut cancel = line("R1", "O1", 2, 2);
        cancel["refund_version"] = json!("2");
        cancel["status"] = json!(1);
        let cancel = upload("S", vec![cancel]);
        for (received, status, receipt) in [
            (0, RefundOrderStatus::Cancelled, RefundReceiptState::Awaiting),
            (1, RefundOrderStatus::PendingReview, RefundReceiptState::Ended),
            (2, RefundOrderStatus::PendingReview, RefundReceiptState::Full),
        ] {
            let mut s = stored.clone();
            let order = s.raw_refunds.get_mut("R1").unwrap().order.as_mut().unwrap();
            order.items.get_mut("O1").unwrap().stockin_num = d(received);
            if received == 2 {
                order.receipt = RefundReceiptState::Full;
            }
            let p = planned(&cancel, &mut s);
            let RawRefundWrite::Changed { order: OrderChange::Update { status: s1, receipt: r1, .. }, .. } =
                &p.writes[0]
            else {
                panic!("{p:?}")
            };
            assert_eq!((*s1, *r1), (status, receipt), "received {received}");
        }
    }
}
