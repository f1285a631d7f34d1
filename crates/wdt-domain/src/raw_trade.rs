//! 原始单推送 (`sales.RawTrade.pushSelf`, SPEC.md §8): a self-owned shop's raw trades, each
//! converted at once (递交) into a trade with a system trade no (`JY…`).
//!
//! [`plan`] checks the push against the shop, the spec archive and the trades already there, and
//! computes each trade's new state ([`TradeRecord`], [`TradeItemRecord`]). The store compares
//! nothing: a trade whose new state equals its stored state is left out of the plan, so pushing
//! the same document twice writes nothing the second time and counts neither new nor changed.
//!
//! A trade pushed again takes the new platform status, refund status, buyer, receiver and amounts.
//! Its sub-orders follow the push while it is unshipped (changed ones are updated, new ones added,
//! ones the push leaves out are kept); once shipped, only their platform and refund statuses
//! change, and a new sub-order is refused.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use wdt_protocol::methods::LinePath;
use wdt_protocol::methods::purchase_order::wire_time;
use wdt_protocol::methods::raw_trade_push::{
    ARG_ORDERS, ARG_SHOP_NO, ARG_TRADES, RawTrade, RawTradeOrder, RawTradePush, RawTradePushResult,
};
use wdt_protocol::{ApiError, Dec4};

use crate::line_rules;
use crate::model::Scope;
use crate::privacy::OWN_PLATFORM_ID;

/// A shop as the rule reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopState {
    /// Row id.
    pub id: i64,
    /// 平台 id (only 127 自有平台 may push).
    pub platform_id: i64,
    /// 停用.
    pub disabled: bool,
}

/// A trade's header as stored: what a push sets. `Time` is how its times are held: epoch ms here,
/// `yyyy-MM-dd HH:mm:ss` text in a fixture (`"platform": {…}`, every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TradeRecord<Time = Option<i64>> {
    /// 平台状态.
    pub trade_status: i64,
    /// 退款状态.
    pub refund_status: i64,
    /// 付款状态.
    pub pay_status: i64,
    /// 支付方式.
    pub pay_method: i64,
    /// 发货条件.
    pub delivery_term: i64,
    /// 下单时间.
    pub trade_time: Time,
    /// 支付时间.
    pub pay_time: Time,
    /// 买家昵称 (also the customer's number and nick).
    pub buyer_nick: String,
    /// 买家备注.
    pub buyer_message: String,
    /// 收件人.
    pub receiver_name: String,
    /// 省市区.
    pub receiver_area: String,
    /// 地址.
    pub receiver_address: String,
    /// 邮编.
    pub receiver_zip: String,
    /// 手机.
    pub receiver_mobile: String,
    /// 电话.
    pub receiver_telno: String,
    /// 邮费.
    pub post_amount: Dec4,
    /// 优惠金额.
    pub discount: Dec4,
    /// 应收金额.
    pub receivable: Dec4,
    /// 已支付金额.
    pub paid: Dec4,
    /// 客服备注.
    pub remark: String,
}

/// A sub-order as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TradeItemRecord {
    /// 原始子单号.
    pub oid: String,
    /// The spec's row id (matched by 商家编码).
    pub spec_id: i64,
    /// 数量.
    pub num: Dec4,
    /// 单价.
    pub price: Dec4,
    /// What the platform says of it.
    pub platform: TradeItemPlatform,
}

/// A sub-order's platform fields, as a push sets them (a fixture's item gives them as
/// `"platform": {…}`, every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TradeItemPlatform {
    /// 平台状态.
    pub status: i64,
    /// 退款标记.
    pub refund_status: i64,
    /// 货品名称.
    pub goods_name: String,
    /// 规格名称.
    pub spec_name: String,
    /// 优惠.
    pub discount: Dec4,
    /// 分摊优惠.
    pub share_discount: Dec4,
    /// 总价.
    pub total_amount: Dec4,
    /// 调整金额.
    pub adjust_amount: Dec4,
    /// 平台货品id.
    pub platform_goods_id: String,
    /// 平台规格id.
    pub platform_spec_id: String,
    /// 备注.
    pub remark: String,
}

/// A trade already there, with the same `tid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTrade {
    /// Row id.
    pub id: i64,
    /// The shop it belongs to.
    pub shop_id: i64,
    /// Shipped (发货) already.
    pub shipped: bool,
    /// Its header.
    pub record: TradeRecord,
    /// Its sub-orders, with their row ids.
    pub items: Vec<(i64, TradeItemRecord)>,
}

/// What [`plan`] needs from the store.
#[derive(Debug, Clone, Default)]
pub struct RawTradeContext {
    /// The caller's shop scope.
    pub scope: Scope,
    /// The shop named by `shop_no`, if found.
    pub shop: Option<ShopState>,
    /// Specs by 商家编码 (row ids), for the push's `spec_no`s.
    pub specs: HashMap<String, i64>,
    /// Warehouses usable by a self-flowing (`is_auto_wms`) trade, by number.
    pub warehouses: HashSet<String>,
    /// Trades already there, by `tid`, for the push's `tid`s.
    pub trades: HashMap<String, StoredTrade>,
    /// The `tid` of each of the push's `oid`s that a trade already holds.
    pub oid_owners: HashMap<String, String>,
}

/// What to write for one trade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TradeWrite {
    /// A new trade, to number (`JY…`) and insert with its sub-orders.
    New {
        /// 原始单号.
        tid: String,
        /// Header.
        record: TradeRecord,
        /// Sub-orders.
        items: Vec<TradeItemRecord>,
    },
    /// A trade that changed.
    Changed {
        /// Row id.
        trade_id: i64,
        /// The new header.
        record: TradeRecord,
        /// Sub-orders to update (row id, new state).
        updated: Vec<(i64, TradeItemRecord)>,
        /// Sub-orders to add.
        added: Vec<TradeItemRecord>,
    },
}

/// Everything to write, and the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTradePlan {
    /// The shop's row id.
    pub shop_id: i64,
    /// Trades to insert or update; unchanged ones are not here.
    pub writes: Vec<TradeWrite>,
    /// `{chg_count, new_count}`.
    pub result: RawTradePushResult,
}

fn refuse(message: String) -> ApiError {
    ApiError::Business(message)
}

/// The shop may push: it exists, is enabled, is in the key's scope and is self-owned (自有平台).
fn shop(push: &RawTradePush, ctx: &RawTradeContext) -> Result<i64, ApiError> {
    let no = &push.shop_no;
    let shop = ctx
        .shop
        .as_ref()
        .filter(|s| !s.disabled)
        .ok_or_else(|| refuse(format!("店铺编号不存在或已停用 {ARG_SHOP_NO}: {no}")))?;
    if !ctx.scope.allows_shop(no) {
        return Err(refuse(format!("店铺权限不足 {ARG_SHOP_NO}: {no}")));
    }
    if shop.platform_id != OWN_PLATFORM_ID {
        return Err(refuse(format!("仅支持自有平台店铺推送 {ARG_SHOP_NO}: {no} (platform_id: {})", shop.platform_id)));
    }
    Ok(shop.id)
}

/// A trade's header from its raw trade.
fn record_of(index: usize, t: &RawTrade) -> Result<TradeRecord, ApiError> {
    let p = |field| LinePath { list: ARG_TRADES, index, field };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    for (field, value) in [("post_amount", Some(t.post_amount)), ("other_amount", t.other_amount)] {
        line_rules::non_negative_price(p(field), value)?;
    }
    Ok(TradeRecord {
        trade_status: t.trade_status,
        refund_status: t.refund_status,
        pay_status: t.pay_status,
        pay_method: t.pay_method,
        delivery_term: t.delivery_term,
        trade_time: wire_time(p("trade_time"), Some(&t.trade_time))?,
        pay_time: wire_time(p("pay_time"), t.pay_time.as_deref())?,
        buyer_nick: t.buyer_nick.clone(),
        buyer_message: text(&t.buyer_message),
        receiver_name: t.receiver_name.clone(),
        receiver_area: text(&t.receiver_area),
        receiver_address: t.receiver_address.clone(),
        receiver_zip: text(&t.receiver_zip),
        receiver_mobile: t.receiver_mobile.clone(),
        receiver_telno: text(&t.receiver_telno),
        post_amount: t.post_amount,
        discount: t.discount,
        receivable: t.receivable,
        paid: t.paid.unwrap_or(Dec4::ZERO),
        remark: text(&t.remark),
    })
}

/// A sub-order's state from its raw sub-order: its spec must be in the archive.
fn item_of(index: usize, o: &RawTradeOrder, ctx: &RawTradeContext) -> Result<TradeItemRecord, ApiError> {
    let p = |field| LinePath { list: ARG_ORDERS, index, field };
    line_rules::positive_quantity(p("num"), o.num)?;
    line_rules::non_negative_price(p("price"), Some(o.price))?;
    let spec_id =
        *ctx.specs.get(&o.spec_no).ok_or_else(|| refuse(format!("货品不存在 {}: {}", p("spec_no"), o.spec_no)))?;
    let platform = TradeItemPlatform {
        status: o.status,
        refund_status: o.refund_status,
        goods_name: o.goods_name.clone(),
        spec_name: o.spec_name.clone().unwrap_or_default(),
        discount: o.discount,
        share_discount: o.share_discount,
        total_amount: o.total_amount,
        adjust_amount: o.adjust_amount,
        platform_goods_id: o.goods_id.clone(),
        platform_spec_id: o.spec_id.clone(),
        remark: o.remark.clone(),
    };
    Ok(TradeItemRecord { oid: o.oid.clone(), spec_id, num: o.num, price: o.price, platform })
}

/// `order_count` and `goods_count` agree with the sub-orders pushed for the trade.
fn check_counts(index: usize, t: &RawTrade, orders: &[(usize, &RawTradeOrder)]) -> Result<(), ApiError> {
    let p = |field| LinePath { list: ARG_TRADES, index, field };
    if orders.is_empty() {
        return Err(refuse(format!("原始单没有子订单 {}: {}", p("tid"), t.tid)));
    }
    if usize::try_from(t.order_count).ok() != Some(orders.len()) {
        return Err(refuse(format!(
            "子订单个数与{ARG_ORDERS}不符 {}: {} ({ARG_ORDERS}: {})",
            p("order_count"),
            t.order_count,
            orders.len()
        )));
    }
    let total = orders.iter().try_fold(Dec4::ZERO, |sum, (_, o)| sum.checked_add(o.num));
    if total != Some(t.goods_count) {
        let total = total.map_or_else(|| "溢出".to_owned(), |t| t.to_string());
        return Err(refuse(format!(
            "货品总数量与{ARG_ORDERS}不符 {}: {} ({ARG_ORDERS}: {total})",
            p("goods_count"),
            t.goods_count
        )));
    }
    Ok(())
}

/// The write for an existing trade, if anything changed.
fn change(
    stored: &StoredTrade,
    record: TradeRecord,
    items: Vec<(usize, TradeItemRecord)>,
) -> Result<Option<TradeWrite>, ApiError> {
    let by_oid: HashMap<&str, &(i64, TradeItemRecord)> =
        stored.items.iter().map(|entry| (entry.1.oid.as_str(), entry)).collect();
    let mut updated = Vec::new();
    let mut added = Vec::new();
    for (index, item) in items {
        match by_oid.get(item.oid.as_str()) {
            Some((id, old)) => {
                let new = if stored.shipped {
                    // The goods left with the trade: only the platform's statuses move on.
                    let p = &item.platform;
                    let platform =
                        TradeItemPlatform { status: p.status, refund_status: p.refund_status, ..old.platform.clone() };
                    TradeItemRecord { platform, ..old.clone() }
                } else {
                    item
                };
                if &new != old {
                    updated.push((*id, new));
                }
            }
            None if stored.shipped => {
                let path = LinePath { list: ARG_ORDERS, index, field: "oid" };
                return Err(refuse(format!("订单已发货,不能增加子订单 {path}: {}", item.oid)));
            }
            None => added.push(item),
        }
    }
    if record == stored.record && updated.is_empty() && added.is_empty() {
        return Ok(None);
    }
    Ok(Some(TradeWrite::Changed { trade_id: stored.id, record, updated, added }))
}

/// Checks the push and plans its trades.
pub fn plan(push: &RawTradePush, ctx: &RawTradeContext) -> Result<RawTradePlan, ApiError> {
    let shop_id = shop(push, ctx)?;
    if push.trades.is_empty() {
        return Err(refuse(format!("{ARG_TRADES}不能为空")));
    }
    let mut trade_at: HashMap<&str, usize> = HashMap::new();
    for (i, t) in push.trades.iter().enumerate() {
        if trade_at.insert(t.tid.as_str(), i).is_some() {
            return Err(refuse(format!(
                "原始单号重复 {}: {}",
                LinePath { list: ARG_TRADES, index: i, field: "tid" },
                t.tid
            )));
        }
        if t.is_auto_wms {
            let no = t.warehouse_no.as_deref().unwrap_or_default();
            if !ctx.warehouses.contains(no) || !ctx.scope.allows_warehouse(no) {
                let path = LinePath { list: ARG_TRADES, index: i, field: "warehouse_no" };
                return Err(refuse(format!("仓库不存在 {path}: {no}")));
            }
        }
    }
    let mut orders_of: Vec<Vec<(usize, &RawTradeOrder)>> = vec![Vec::new(); push.trades.len()];
    let mut oids = HashSet::new();
    for (i, o) in push.orders.iter().enumerate() {
        let p = |field| LinePath { list: ARG_ORDERS, index: i, field };
        let at = *trade_at
            .get(o.tid.as_str())
            .ok_or_else(|| refuse(format!("子订单的原始单不在{ARG_TRADES}中 {}: {}", p("tid"), o.tid)))?;
        if !oids.insert(o.oid.as_str()) {
            return Err(refuse(format!("原始子单号重复 {}: {}", p("oid"), o.oid)));
        }
        if let Some(owner) = ctx.oid_owners.get(&o.oid).filter(|owner| **owner != o.tid) {
            return Err(refuse(format!("原始子单号已属于其他原始单 {}: {} (tid: {owner})", p("oid"), o.oid)));
        }
        orders_of[at].push((i, o));
    }
    let mut writes = Vec::new();
    let mut result = RawTradePushResult::default();
    for (i, t) in push.trades.iter().enumerate() {
        check_counts(i, t, &orders_of[i])?;
        let record = record_of(i, t)?;
        let items = orders_of[i]
            .iter()
            .map(|(at, o)| item_of(*at, o, ctx).map(|item| (*at, item)))
            .collect::<Result<Vec<_>, _>>()?;
        match ctx.trades.get(&t.tid) {
            None => {
                result.new_count += 1;
                let items = items.into_iter().map(|(_, item)| item).collect();
                writes.push(TradeWrite::New { tid: t.tid.clone(), record, items });
            }
            Some(stored) if stored.shop_id != shop_id => {
                let path = LinePath { list: ARG_TRADES, index: i, field: "tid" };
                return Err(refuse(format!("原始单号已属于其他店铺 {path}: {}", t.tid)));
            }
            Some(stored) => {
                if let Some(write) = change(stored, record, items)? {
                    result.chg_count += 1;
                    writes.push(write);
                }
            }
        }
    }
    Ok(RawTradePlan { shop_id, writes, result })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn push(trades: serde_json::Value, orders: serde_json::Value) -> RawTradePush {
        RawTradePush::from_args(vec![json!("SELF"), trades, orders]).expect("a valid payload")
    }

    fn trade(tid: &str, order_count: i64, goods_count: i64) -> serde_json::Value {
        json!({
            "tid": tid, "process_status": 10, "trade_status": 30, "refund_status": 0, "pay_status": 2,
            "order_count": order_count, "goods_count": goods_count, "pay_method": 2,
            "trade_time": "2024-08-30 10:00:00", "buyer_nick": "buyer", "receiver_name": "收件人",
            "receiver_area": "北京 北京市 朝阳区", "receiver_address": "春天街道1号", "receiver_mobile": "15612340987",
            "post_amount": 2, "discount": 1, "receivable": 17.6, "delivery_term": 1, "is_auto_wms": false
        })
    }

    fn order(tid: &str, oid: &str, spec_no: &str, num: i64) -> serde_json::Value {
        json!({
            "tid": tid, "oid": oid, "status": 30, "refund_status": 0, "goods_id": "g", "spec_id": "s",
            "goods_no": "G1", "spec_no": spec_no, "goods_name": "货品", "num": num, "price": 2.5,
            "discount": 0.5, "share_discount": 0.2, "total_amount": 9, "adjust_amount": 2, "remark": "", "json": ""
        })
    }

    fn ctx() -> RawTradeContext {
        RawTradeContext {
            shop: Some(ShopState { id: 7, platform_id: OWN_PLATFORM_ID, disabled: false }),
            specs: HashMap::from([("SP1".to_owned(), 11), ("SP2".to_owned(), 12)]),
            warehouses: HashSet::from(["WH1".to_owned()]),
            ..RawTradeContext::default()
        }
    }

    /// The context after `push` was applied once (as the store would load it back).
    fn after(push: &RawTradePush, shipped: bool) -> RawTradeContext {
        let mut c = ctx();
        for (n, write) in plan(push, &c.clone()).unwrap().writes.into_iter().enumerate() {
            let TradeWrite::New { tid, record, items } = write else { panic!("a first push only creates") };
            for item in &items {
                c.oid_owners.insert(item.oid.clone(), tid.clone());
            }
            let items = items.into_iter().enumerate().map(|(k, i)| (100 * n as i64 + k as i64, i)).collect();
            c.trades.insert(tid, StoredTrade { id: n as i64 + 1, shop_id: 7, shipped, record, items });
        }
        c
    }

    fn refused(push: &RawTradePush, ctx: &RawTradeContext) -> String {
        match plan(push, ctx) {
            Err(ApiError::Business(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_new_trade_is_planned_with_its_items_and_counted_new() {
        let p = push(json!([trade("T1", 2, 5)]), json!([order("T1", "O1", "SP1", 3), order("T1", "O2", "SP2", 2)]));
        let plan = plan(&p, &ctx()).unwrap();
        assert_eq!(plan.result, RawTradePushResult { chg_count: 0, new_count: 1 });
        let TradeWrite::New { tid, record, items } = &plan.writes[0] else { panic!("{plan:?}") };
        assert_eq!((tid.as_str(), record.buyer_nick.as_str(), record.trade_status), ("T1", "buyer", 30));
        assert_eq!(record.receivable, Dec4::parse("17.6").unwrap());
        let specs: Vec<(&str, i64, Dec4)> = items.iter().map(|i| (i.oid.as_str(), i.spec_id, i.num)).collect();
        assert_eq!(specs, [("O1", 11, Dec4::from_int(3).unwrap()), ("O2", 12, Dec4::from_int(2).unwrap())]);
    }

    #[test]
    fn the_same_push_twice_changes_nothing_the_second_time() {
        let p = push(json!([trade("T1", 1, 3)]), json!([order("T1", "O1", "SP1", 3)]));
        for shipped in [false, true] {
            let again = plan(&p, &after(&p, shipped)).unwrap();
            assert_eq!(again.result, RawTradePushResult::default());
            assert!(again.writes.is_empty(), "{again:?}");
        }
    }

    #[test]
    fn a_later_push_updates_statuses_and_items_of_an_unshipped_trade_only() {
        let first = push(json!([trade("T1", 1, 3)]), json!([order("T1", "O1", "SP1", 3)]));
        let mut t = trade("T1", 2, 5);
        t["trade_status"] = json!(80);
        t["receiver_address"] = json!("秋天街道2号");
        let mut o1 = order("T1", "O1", "SP2", 3);
        o1["refund_status"] = json!(5);
        let second = push(json!([t]), json!([o1, order("T1", "O2", "SP1", 2)]));

        let unshipped = plan(&second, &after(&first, false)).unwrap();
        assert_eq!(unshipped.result, RawTradePushResult { chg_count: 1, new_count: 0 });
        let TradeWrite::Changed { record, updated, added, .. } = &unshipped.writes[0] else { panic!() };
        assert_eq!((record.trade_status, record.receiver_address.as_str()), (80, "秋天街道2号"));
        assert_eq!((updated[0].1.spec_id, updated[0].1.platform.refund_status), (12, 5), "the spec follows the push");
        assert_eq!(added[0].oid, "O2");

        let shipped_ctx = after(&first, true);
        assert_eq!(refused(&second, &shipped_ctx), "订单已发货,不能增加子订单 rawTradeOrderList[1].oid: O2",);
        let mut t = trade("T1", 1, 3);
        t["trade_status"] = json!(80);
        let mut o1 = order("T1", "O1", "SP2", 3);
        o1["refund_status"] = json!(5);
        let shipped = plan(&push(json!([t]), json!([o1])), &shipped_ctx).unwrap();
        let TradeWrite::Changed { record, updated, added, .. } = &shipped.writes[0] else { panic!() };
        assert_eq!(record.trade_status, 80);
        assert_eq!(
            (updated[0].1.spec_id, updated[0].1.platform.refund_status),
            (11, 5),
            "a shipped item keeps its spec"
        );
        assert!(added.is_empty());
    }

    #[test]
    fn refusals_name_the_field_and_value() {
        let good = || push(json!([trade("T1", 1, 3)]), json!([order("T1", "O1", "SP1", 3)]));
        let with_ctx = |f: &dyn Fn(&mut RawTradeContext)| {
            let mut c = ctx();
            f(&mut c);
            c
        };
        let mut auto = trade("T1", 1, 3);
        auto["is_auto_wms"] = json!(true);
        auto["warehouse_no"] = json!("WH9");
        let cases: Vec<(RawTradePush, RawTradeContext, &str)> = vec![
            (good(), with_ctx(&|c| c.shop = None), "店铺编号不存在或已停用 shop_no: SELF"),
            (good(), with_ctx(&|c| c.shop.as_mut().unwrap().disabled = true), "店铺编号不存在或已停用 shop_no: SELF"),
            (good(), with_ctx(&|c| c.scope.shops = Some(vec!["OTHER".into()])), "店铺权限不足 shop_no: SELF"),
            (
                good(),
                with_ctx(&|c| c.shop.as_mut().unwrap().platform_id = 1),
                "仅支持自有平台店铺推送 shop_no: SELF (platform_id: 1)",
            ),
            (push(json!([]), json!([])), ctx(), "rawTradeList不能为空"),
            (
                push(json!([trade("T1", 1, 3)]), json!([order("T1", "O1", "NOPE", 3)])),
                ctx(),
                "货品不存在 rawTradeOrderList[0].spec_no: NOPE",
            ),
            (
                push(json!([trade("T1", 2, 3)]), json!([order("T1", "O1", "SP1", 3)])),
                ctx(),
                "子订单个数与rawTradeOrderList不符 rawTradeList[0].order_count: 2 (rawTradeOrderList: 1)",
            ),
            (
                push(json!([trade("T1", 1, 4)]), json!([order("T1", "O1", "SP1", 3)])),
                ctx(),
                "货品总数量与rawTradeOrderList不符 rawTradeList[0].goods_count: 4 (rawTradeOrderList: 3)",
            ),
            (push(json!([trade("T1", 0, 0)]), json!([])), ctx(), "原始单没有子订单 rawTradeList[0].tid: T1"),
            (
                push(json!([trade("T1", 1, 3)]), json!([order("T2", "O1", "SP1", 3)])),
                ctx(),
                "子订单的原始单不在rawTradeList中 rawTradeOrderList[0].tid: T2",
            ),
            (
                push(json!([trade("T1", 1, 3), trade("T1", 1, 3)]), json!([order("T1", "O1", "SP1", 3)])),
                ctx(),
                "原始单号重复 rawTradeList[1].tid: T1",
            ),
            (
                push(json!([trade("T1", 2, 6)]), json!([order("T1", "O1", "SP1", 3), order("T1", "O1", "SP1", 3)])),
                ctx(),
                "原始子单号重复 rawTradeOrderList[1].oid: O1",
            ),
            (
                good(),
                with_ctx(&|c| {
                    c.oid_owners.insert("O1".into(), "T0".into());
                }),
                "原始子单号已属于其他原始单 rawTradeOrderList[0].oid: O1 (tid: T0)",
            ),
            (
                push(json!([trade("T1", 1, 0)]), json!([order("T1", "O1", "SP1", 0)])),
                ctx(),
                "数量不合法 rawTradeOrderList[0].num: 0",
            ),
            (
                push(json!([auto]), json!([order("T1", "O1", "SP1", 3)])),
                ctx(),
                "仓库不存在 rawTradeList[0].warehouse_no: WH9",
            ),
        ];
        for (p, c, message) in cases {
            assert_eq!(refused(&p, &c), message);
            assert!(plan(&good(), &ctx()).is_ok());
        }
        let mut other_shop = after(&good(), false);
        other_shop.trades.get_mut("T1").unwrap().shop_id = 8;
        assert_eq!(refused(&good(), &other_shop), "原始单号已属于其他店铺 rawTradeList[0].tid: T1");
    }
}
