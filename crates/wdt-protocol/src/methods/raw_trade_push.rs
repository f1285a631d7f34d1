//! `sales.RawTrade.pushSelf` (原始单推送): body `[shop_no, rawTradeList, rawTradeOrderList]`, with
//! an optional fourth argument `discountList`.
//!
//! Every field of the page's three tables, with its length, required flag and coded values.
//! Lengths are counted in characters. Times are `yyyy-MM-dd HH:mm:ss` (Asia/Shanghai); `end_time`,
//! `pay_time` and `to_deliver_time` may be `null` or blank. Optional decimals may be sent as `""`
//! (the page's example does so for `cod_amount`, `received` and `refund_amount`). What the values
//! mean for the business (shop, specs, counts, quantities) is checked by `wdt-domain`.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::lenient::{Lenient, shorten};
use super::purchase_order::wire_time;
use super::{RAW_TRADE_PUSH, decode_field, rules, take_args};

/// Name of the first positional argument.
pub const ARG_SHOP_NO: &str = "shop_no";
/// Name of the trade list.
pub const ARG_TRADES: &str = "rawTradeList";
/// Name of the sub-order list.
pub const ARG_ORDERS: &str = "rawTradeOrderList";
/// Name of the optional discount list.
pub const ARG_DISCOUNTS: &str = "discountList";

/// 处理状态: 10 待递交, 20 已递交, 30 部分发货, 40 已发货, 60 已完成, 70 已取消.
pub const PROCESS_STATUSES: &[i64] = &[10, 20, 30, 40, 60, 70];
/// 平台状态 (trade and sub-order): 10 未确认, 20 待尾款, 30 待发货, 40 部分发货, 50 已发货,
/// 60 已签收, 70 已完成, 80 已退款, 90 已关闭.
pub const TRADE_STATUSES: &[i64] = &[10, 20, 30, 40, 50, 60, 70, 80, 90];
/// 退款状态 of a trade: 0 无退款, 1 申请退款, 2 部分退款, 3 全部退款.
pub const TRADE_REFUND_STATUSES: &[i64] = &[0, 1, 2, 3];
/// 退款标记 of a sub-order: 0 无退款, 1 取消退款, 2 已申请退款, 3 等待退货, 4 等待收货, 5 退款成功,
/// 6 未付款关闭.
pub const ORDER_REFUND_STATUSES: &[i64] = &[0, 1, 2, 3, 4, 5, 6];
/// 付款状态: 0 未付款, 1 部分付款, 2 已付款.
pub const PAY_STATUSES: &[i64] = &[0, 1, 2];
/// 支付方式: 1 在线转帐, 2 现金, 3 银行转账, 4 邮局汇款, 5 预付款, 6 刷卡, 7 支付宝, 8 微信支付.
pub const PAY_METHODS: &[i64] = &[1, 2, 3, 4, 5, 6, 7, 8];
/// 发货条件: 1 款到发货, 2 货到付款.
pub const DELIVERY_TERMS: &[i64] = &[1, 2];
/// 发票类别: 0 不需要, 1 普通发票, 2 增值税普通发票, 3 增值税专用发票.
pub const INVOICE_TYPES: &[i64] = &[0, 1, 2, 3];
/// 客服备注标记: 0 无, 1 红, 2 黄, 3 绿, 4 蓝, 5 紫.
pub const REMARK_FLAGS: &[i64] = &[0, 1, 2, 3, 4, 5];
/// 子单类型: 0 正常货品, 1 虚拟货品, 2 服务.
pub const ORDER_TYPES: &[i64] = &[0, 1, 2];
/// 赠品方式: 0 非赠品, 1 自动赠送, 2 手工赠送, 4 周期购赠送, 8 平台赠送, 32 阶梯满赠, 64 CRM追加赠送,
/// 65 主品.
pub const GIFT_TYPES: &[i64] = &[0, 1, 2, 4, 8, 32, 64, 65];
/// 证件类型: 0 无, 1 身份证, 2 军官证, 3 护照.
pub const ID_CARD_TYPES: &[i64] = &[0, 1, 2, 3];
/// 是否能合并订单: 0 默认, 3 不允许合并.
pub const IS_SEALED: &[i64] = &[0, 3];

wire_struct! {
    /// One element of `rawTradeList`: a raw trade (原始单).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RawTrade {
        /// 原始单号 (required, ≤ 40), unique per seller.
        #[serde(deserialize_with = "super::lenient::required")]
        pub tid: String,
        /// 处理状态 (required): [`PROCESS_STATUSES`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub process_status: i64,
        /// 平台状态 (required): [`TRADE_STATUSES`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub trade_status: i64,
        /// 退款状态 (required): [`TRADE_REFUND_STATUSES`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub refund_status: i64,
        /// 付款状态 (required): [`PAY_STATUSES`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub pay_status: i64,
        /// 子订单个数 (required, ≤ 6 digits): how many sub-orders the push carries for this tid.
        #[serde(deserialize_with = "super::lenient::required")]
        pub order_count: i64,
        /// 货品总数量 (required): the sum of its sub-orders' `num`.
        #[serde(deserialize_with = "super::lenient::required")]
        pub goods_count: Dec4,
        /// 支付方式 (required): [`PAY_METHODS`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub pay_method: i64,
        /// 下单时间 (required, ≤ 40, `yyyy-MM-dd HH:mm:ss`).
        #[serde(deserialize_with = "super::lenient::required")]
        pub trade_time: String,
        /// 支付时间 (≤ 40).
        pub pay_time?: String,
        /// 交易结束时间 (≤ 40); the page's `null` when none.
        pub end_time?: String,
        /// 买家昵称/客户网名 (required, ≤ 100).
        #[serde(deserialize_with = "super::lenient::required")]
        pub buyer_nick: String,
        /// 买家备注 (≤ 1024).
        pub buyer_message?: String,
        /// 买家邮箱 (≤ 40).
        pub buyer_email?: String,
        /// 买家地区 (≤ 255).
        pub buyer_area?: String,
        /// 收件人姓名 (required, ≤ 100).
        #[serde(deserialize_with = "super::lenient::required")]
        pub receiver_name: String,
        /// 省市区, space-separated (≤ 40); required unless the three region ids are given.
        pub receiver_area?: String,
        /// 地址 (required, ≤ 256).
        #[serde(deserialize_with = "super::lenient::required")]
        pub receiver_address: String,
        /// 收件人邮编 (≤ 20).
        pub receiver_zip?: String,
        /// 收件人手机 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub receiver_mobile: String,
        /// 收件人电话 (≤ 40).
        pub receiver_telno?: String,
        /// 邮费 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub post_amount: Dec4,
        /// 其他费用.
        pub other_amount?: Dec4,
        /// 优惠金额 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub discount: Dec4,
        /// 应收金额 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub receivable: Dec4,
        /// 平台费用.
        pub platform_cost?: Dec4,
        /// 发票类别: [`INVOICE_TYPES`].
        pub invoice_type?: i64,
        /// 发票抬头 (≤ 255).
        pub invoice_title?: String,
        /// 发票内容 (≤ 255).
        pub invoice_content?: String,
        /// 物流类别 (≤ 6 digits; the page's `-1` when none).
        pub logistics_type?: i64,
        /// 物流编号 (系统物流编号).
        pub cust_data?: String,
        /// 发货条件 (required): [`DELIVERY_TERMS`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub delivery_term: i64,
        /// 平台支付订单ID (≤ 40).
        pub pay_id?: String,
        /// 客服备注 (≤ 1024).
        pub remark?: String,
        /// 客服备注标记: [`REMARK_FLAGS`].
        pub remark_flag?: i64,
        /// 货到付款金额; `""` is absent.
        pub cod_amount?: Dec4,
        /// 是否是自流转 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub is_auto_wms: bool,
        /// 仓库编号 (≤ 40): required only when `is_auto_wms` is true.
        pub warehouse_no?: String,
        /// 买家支付宝帐号 (≤ 128).
        pub pay_account?: String,
        /// 买家要求的送货日期 (≤ 20).
        pub to_deliver_time?: String,
        /// 已收; `""` is absent.
        pub received?: Dec4,
        /// 物流到货时效, hours (≤ 6 digits).
        pub consign_interval?: i64,
        /// 已支付金额.
        pub paid?: Dec4,
        /// 是否能合并订单: [`IS_SEALED`].
        pub is_sealed?: i64,
        /// 分销商名称 (≤ 40).
        pub fenxiao_nick?: String,
        /// 证件类型: [`ID_CARD_TYPES`].
        pub id_card_type?: i64,
        /// 证件号.
        pub id_card?: String,
        /// 省份id.
        pub receiver_province_no?: i64,
        /// 市id.
        pub receiver_city_no?: i64,
        /// 区id.
        pub receiver_district_no?: i64,
    }
}

wire_struct! {
    /// One element of `rawTradeOrderList`: a sub-order (原始子单).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RawTradeOrder {
        /// 原始订单号 (required, ≤ 40): a `tid` of `rawTradeList`.
        #[serde(deserialize_with = "super::lenient::required")]
        pub tid: String,
        /// 原始子单号 (required, ≤ 40), unique per seller.
        #[serde(deserialize_with = "super::lenient::required")]
        pub oid: String,
        /// 平台的状态 (required): [`TRADE_STATUSES`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub status: i64,
        /// 退款标记 (required): [`ORDER_REFUND_STATUSES`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub refund_status: i64,
        /// 平台货品ID (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub goods_id: String,
        /// 平台规格ID (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_id: String,
        /// 货品编号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub goods_no: String,
        /// 规格编码 (required, ≤ 40): the 商家编码 of a spec of the goods archive.
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_no: String,
        /// 货品名称 (required, ≤ 255).
        #[serde(deserialize_with = "super::lenient::required")]
        pub goods_name: String,
        /// 规格名称 (≤ 100).
        pub spec_name?: String,
        /// 子单类型: [`ORDER_TYPES`] (default 0).
        pub order_type?: i64,
        /// 平台类目 (≤ 40).
        pub cid?: String,
        /// 数量 (required; > 0 is a business rule).
        #[serde(deserialize_with = "super::lenient::required")]
        pub num: Dec4,
        /// 单价 (required; ≥ 0 is a business rule).
        #[serde(deserialize_with = "super::lenient::required")]
        pub price: Dec4,
        /// 优惠 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub discount: Dec4,
        /// 分摊优惠 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub share_discount: Dec4,
        /// 总价格 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub total_amount: Dec4,
        /// 手工调整的优惠金额 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub adjust_amount: Dec4,
        /// 退款金额; the page's example sends `""`, read as 0.
        pub refund_amount?: Dec4,
        /// 备注 (required key, ≤ 255; may be `""`).
        #[serde(deserialize_with = "super::lenient::required")]
        pub remark: String,
        /// json串 (required key, ≤ 255; may be `""`).
        #[serde(deserialize_with = "super::lenient::required")]
        pub json: String,
        /// 赠品方式: [`GIFT_TYPES`].
        pub gift_type?: i64,
    }
}

wire_struct! {
    /// One element of `discountList` (平台, tid, oid, sn, type identify one).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RawTradeDiscount {
        /// 原始订单号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub tid: String,
        /// 原始子单号 (required, ≤ 20).
        #[serde(deserialize_with = "super::lenient::required")]
        pub oid: String,
        /// 唯一编码 (≤ 40).
        pub sn?: String,
        /// 优惠名称 (≤ 50).
        pub name?: String,
        /// 优惠详情 (≤ 128).
        pub detail?: String,
        /// 优惠金额.
        pub amount?: Dec4,
    }
}

/// The arguments of [`RAW_TRADE_PUSH`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTradePush {
    /// 店铺编号 (required, ≤ 40).
    pub shop_no: String,
    /// `rawTradeList`.
    pub trades: Vec<RawTrade>,
    /// `rawTradeOrderList`.
    pub orders: Vec<RawTradeOrder>,
    /// `discountList`, when sent.
    pub discounts: Option<Vec<RawTradeDiscount>>,
}

/// Response `data`: `{"chg_count": 0, "new_count": 1}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawTradePushResult {
    /// 更新订单数: trades whose stored values the push changed.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub chg_count: i64,
    /// 新增订单数: trades the push created.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub new_count: i64,
}

/// A list argument: `null` reads as empty (the business rules refuse an empty one).
fn list_arg<T: serde::de::DeserializeOwned>(name: &str, value: Value) -> Result<Vec<T>, ApiError> {
    if value.is_null() { Ok(Vec::new()) } else { decode_field(name, value) }
}

impl RawTradePush {
    /// Decodes and validates the positional arguments of [`RAW_TRADE_PUSH`] (three, or four
    /// with `discountList`).
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [shop_no, trades, orders, discounts] = take_args::<4>(RAW_TRADE_PUSH, args)?;
        let shop_no = String::from_json(&shop_no)
            .map_err(|e| ApiError::ArgumentType(format!("{ARG_SHOP_NO}: expected a string, got {}", shorten(&e))))?;
        let push = RawTradePush {
            shop_no,
            trades: list_arg(ARG_TRADES, trades)?,
            orders: list_arg(ARG_ORDERS, orders)?,
            discounts: if discounts.is_null() { None } else { Some(decode_field(ARG_DISCOUNTS, discounts)?) },
        };
        push.validate()?;
        Ok(push)
    }

    /// The positional arguments that carry this call (what an SDK sends): three, or four when
    /// there is a discount list.
    pub fn to_args(&self) -> Vec<Value> {
        let mut args = vec![
            Value::String(self.shop_no.clone()),
            serde_json::to_value(&self.trades).expect("a request always serializes"),
            serde_json::to_value(&self.orders).expect("a request always serializes"),
        ];
        if let Some(d) = &self.discounts {
            args.push(serde_json::to_value(d).expect("a request always serializes"));
        }
        args
    }

    /// Checks the page's required fields, lengths, coded values and time formats. Counts,
    /// quantities, prices and what the numbers name are the business rules' (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        rules::required_text(ARG_SHOP_NO, &self.shop_no, Some(40))?;
        rules::max_lines(ARG_TRADES, &self.trades)?;
        rules::max_lines(ARG_ORDERS, &self.orders)?;
        for (i, t) in self.trades.iter().enumerate() {
            validate_trade(i, t)?;
        }
        for (i, o) in self.orders.iter().enumerate() {
            validate_order(i, o)?;
        }
        if let Some(list) = &self.discounts {
            rules::max_lines(ARG_DISCOUNTS, list)?;
            for (i, d) in list.iter().enumerate() {
                let p = |field| rules::LinePath { list: ARG_DISCOUNTS, index: i, field };
                rules::required_text(p("tid"), &d.tid, Some(40))?;
                rules::required_text(p("oid"), &d.oid, Some(20))?;
                rules::optional_text(p("sn"), d.sn.as_deref(), 40)?;
                rules::optional_text(p("name"), d.name.as_deref(), 50)?;
                rules::optional_text(p("detail"), d.detail.as_deref(), 128)?;
            }
        }
        Ok(())
    }
}

fn validate_trade(i: usize, t: &RawTrade) -> Result<(), ApiError> {
    let p = |field| rules::LinePath { list: ARG_TRADES, index: i, field };
    let digits = |field, v: Option<i64>, max| match v {
        Some(v) => rules::text_len(p(field), &v.to_string(), Some(max)),
        None => Ok(()),
    };
    rules::required_text(p("tid"), &t.tid, Some(40))?;
    rules::one_of(p("process_status"), Some(t.process_status), PROCESS_STATUSES, |c| c)?;
    rules::one_of(p("trade_status"), Some(t.trade_status), TRADE_STATUSES, |c| c)?;
    rules::one_of(p("refund_status"), Some(t.refund_status), TRADE_REFUND_STATUSES, |c| c)?;
    rules::one_of(p("pay_status"), Some(t.pay_status), PAY_STATUSES, |c| c)?;
    digits("order_count", Some(t.order_count), 6)?;
    rules::one_of(p("pay_method"), Some(t.pay_method), PAY_METHODS, |c| c)?;
    rules::required_text(p("trade_time"), &t.trade_time, Some(40))?;
    wire_time(p("trade_time"), Some(&t.trade_time))?;
    rules::optional_text(p("pay_time"), t.pay_time.as_deref(), 40)?;
    wire_time(p("pay_time"), t.pay_time.as_deref())?;
    rules::optional_text(p("end_time"), t.end_time.as_deref(), 40)?;
    wire_time(p("end_time"), t.end_time.as_deref())?;
    rules::required_text(p("buyer_nick"), &t.buyer_nick, Some(100))?;
    rules::optional_text(p("buyer_message"), t.buyer_message.as_deref(), 1024)?;
    rules::optional_text(p("buyer_email"), t.buyer_email.as_deref(), 40)?;
    rules::optional_text(p("buyer_area"), t.buyer_area.as_deref(), 255)?;
    rules::required_text(p("receiver_name"), &t.receiver_name, Some(100))?;
    let region_ids =
        t.receiver_province_no.is_some() && t.receiver_city_no.is_some() && t.receiver_district_no.is_some();
    match t.receiver_area.as_deref() {
        Some(area) if !area.trim().is_empty() => rules::text_len(p("receiver_area"), area, Some(40))?,
        _ if region_ids => {}
        _ => return Err(rules::absent(p("receiver_area"))),
    }
    rules::required_text(p("receiver_address"), &t.receiver_address, Some(256))?;
    rules::optional_text(p("receiver_zip"), t.receiver_zip.as_deref(), 20)?;
    rules::required_text(p("receiver_mobile"), &t.receiver_mobile, Some(40))?;
    rules::optional_text(p("receiver_telno"), t.receiver_telno.as_deref(), 40)?;
    rules::one_of(p("invoice_type"), t.invoice_type, INVOICE_TYPES, |c| c)?;
    rules::optional_text(p("invoice_title"), t.invoice_title.as_deref(), 255)?;
    rules::optional_text(p("invoice_content"), t.invoice_content.as_deref(), 255)?;
    digits("logistics_type", t.logistics_type, 6)?;
    rules::one_of(p("delivery_term"), Some(t.delivery_term), DELIVERY_TERMS, |c| c)?;
    rules::optional_text(p("pay_id"), t.pay_id.as_deref(), 40)?;
    rules::optional_text(p("remark"), t.remark.as_deref(), 1024)?;
    rules::one_of(p("remark_flag"), t.remark_flag, REMARK_FLAGS, |c| c)?;
    if t.is_auto_wms {
        rules::required_text(p("warehouse_no"), t.warehouse_no.as_deref().unwrap_or(""), Some(40))?;
    } else {
        rules::optional_text(p("warehouse_no"), t.warehouse_no.as_deref(), 40)?;
    }
    rules::optional_text(p("pay_account"), t.pay_account.as_deref(), 128)?;
    rules::optional_text(p("to_deliver_time"), t.to_deliver_time.as_deref(), 20)?;
    wire_time(p("to_deliver_time"), t.to_deliver_time.as_deref())?;
    digits("consign_interval", t.consign_interval, 6)?;
    rules::one_of(p("is_sealed"), t.is_sealed, IS_SEALED, |c| c)?;
    rules::optional_text(p("fenxiao_nick"), t.fenxiao_nick.as_deref(), 40)?;
    rules::one_of(p("id_card_type"), t.id_card_type, ID_CARD_TYPES, |c| c)?;
    Ok(())
}

fn validate_order(i: usize, o: &RawTradeOrder) -> Result<(), ApiError> {
    let p = |field| rules::LinePath { list: ARG_ORDERS, index: i, field };
    rules::required_text(p("tid"), &o.tid, Some(40))?;
    rules::required_text(p("oid"), &o.oid, Some(40))?;
    rules::one_of(p("status"), Some(o.status), TRADE_STATUSES, |c| c)?;
    rules::one_of(p("refund_status"), Some(o.refund_status), ORDER_REFUND_STATUSES, |c| c)?;
    rules::required_text(p("goods_id"), &o.goods_id, Some(40))?;
    rules::required_text(p("spec_id"), &o.spec_id, Some(40))?;
    rules::required_text(p("goods_no"), &o.goods_no, Some(40))?;
    rules::required_text(p("spec_no"), &o.spec_no, Some(40))?;
    rules::required_text(p("goods_name"), &o.goods_name, Some(255))?;
    rules::optional_text(p("spec_name"), o.spec_name.as_deref(), 100)?;
    rules::one_of(p("order_type"), o.order_type, ORDER_TYPES, |c| c)?;
    rules::optional_text(p("cid"), o.cid.as_deref(), 40)?;
    rules::text_len(p("remark"), &o.remark, Some(255))?;
    rules::text_len(p("json"), &o.json, Some(255))?;
    rules::one_of(p("gift_type"), o.gift_type, GIFT_TYPES, |c| c)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The page's JSON example (shop and spec numbers as they are).
    fn example() -> Vec<Value> {
        let order = |i: usize| {
            json!({"tid": "tid-aqyYHjEldp", "oid": format!("tid-aqyYHjEldp-{i}"), "order_type": 0, "status": 30,
                "refund_status": 0, "goods_id": format!("openapi_gid-{i}"), "spec_id": format!("openapi_sid-{i}"),
                "goods_no": format!("api_gno-{i}"), "spec_no": format!("api_sno-{i}"),
                "goods_name": format!("api_gname-{i}"), "spec_name": format!("api_sname-{i}"), "num": 3,
                "price": 2.5, "adjust_amount": 2, "refund_amount": "", "discount": 0.5, "share_discount": 0.2,
                "total_amount": 9, "share_amount": 8.8, "cid": "", "remark": "", "json": ""})
        };
        vec![
            json!("test"),
            json!([{"is_auto_wms": false, "post_amount": 2, "other_amount": 5.2, "discount": 1, "platform_cost": 0,
                "cod_amount": "", "received": "", "tid": "tid-aqyYHjEldp", "process_status": 10, "trade_status": 30,
                "refund_status": 0, "pay_status": 2, "order_count": 2, "pay_method": 2,
                "trade_time": "2020-03-20 18:24:37", "pay_time": "2020-03-20 18:24:37",
                "end_time": "2020-03-20 18:24:37", "buyer_nick": "test_openapi", "buyer_message": "test_openapi",
                "buyer_email": "test_openapi@gmail.com", "buyer_area": "test_area", "receiver_name": "receiver_name",
                "receiver_area": "北京 北京市 朝阳区", "receiver_address": "春天街道春天花园小区1号楼1单元101",
                "receiver_zip": "014500", "receiver_mobile": "15612340987", "receiver_telno": "02288888888",
                "invoice_type": 0, "invoice_title": "", "invoice_content": "", "logistics_type": -1,
                "consign_interval": 0, "delivery_term": 1, "to_deliver_time": "", "pay_id": "", "pay_account": "",
                "remark": "", "remark_flag": 0, "goods_count": 6, "receivable": 17.6}]),
            json!([order(0), order(1)]),
        ]
    }

    #[test]
    fn the_page_example_decodes_and_round_trips() {
        let push = RawTradePush::from_args(example()).unwrap();
        assert_eq!(push.shop_no, "test");
        assert_eq!(push.trades[0].goods_count, Dec4::from_int(6).unwrap());
        assert_eq!(push.trades[0].cod_amount, None);
        assert_eq!(push.trades[0].end_time.as_deref(), Some("2020-03-20 18:24:37"));
        assert_eq!(push.orders[1].refund_amount, None);
        assert_eq!(push.orders[1].price, Dec4::parse("2.5").unwrap());
        assert_eq!(push.discounts, None);
        assert_eq!(RawTradePush::from_args(push.to_args()).unwrap(), push);

        let mut four = example();
        four.push(json!([{"tid": "tid-aqyYHjEldp", "oid": "tid-aqyYHjEldp-0", "sn": "S1", "name": "满减",
            "amount": "0.5"}]));
        let push = RawTradePush::from_args(four).unwrap();
        assert_eq!(push.discounts.as_ref().unwrap()[0].amount, Dec4::parse("0.5").ok());
        assert_eq!(push.to_args().len(), 4);
        assert_eq!(RawTradePush::from_args(push.to_args()).unwrap(), push);
    }

    #[test]
    fn null_and_blank_optional_times_are_absent() {
        let mut args = example();
        args[1][0]["end_time"] = Value::Null;
        args[1][0]["pay_time"] = json!("");
        args[1][0]["to_deliver_time"] = json!("2020-03-22");
        let push = RawTradePush::from_args(args).unwrap();
        assert_eq!(push.trades[0].end_time, None);
        let mut args = example();
        args[1][0].as_object_mut().unwrap().remove("end_time");
        assert!(RawTradePush::from_args(args).is_ok());
    }

    #[test]
    fn refusals_name_field_and_value() {
        let long = |n: usize| "x".repeat(n);
        let trade: Vec<(&str, Value, String)> = vec![
            ("tid", Value::Null, "rawTradeList[0].tid不能为空".into()),
            ("tid", json!(long(41)), format!("超长(最大40) rawTradeList[0].tid: {}", long(41))),
            ("process_status", json!(50), "取值不合法(10/20/30/40/60/70) rawTradeList[0].process_status: 50".into()),
            (
                "trade_status",
                json!(35),
                "取值不合法(10/20/30/40/50/60/70/80/90) rawTradeList[0].trade_status: 35".into(),
            ),
            ("refund_status", json!(4), "取值不合法(0/1/2/3) rawTradeList[0].refund_status: 4".into()),
            ("pay_status", json!("3"), "取值不合法(0/1/2) rawTradeList[0].pay_status: 3".into()),
            ("pay_method", json!(9), "取值不合法(1/2/3/4/5/6/7/8) rawTradeList[0].pay_method: 9".into()),
            ("delivery_term", json!(3), "取值不合法(1/2) rawTradeList[0].delivery_term: 3".into()),
            ("invoice_type", json!(4), "取值不合法(0/1/2/3) rawTradeList[0].invoice_type: 4".into()),
            ("remark_flag", json!(6), "取值不合法(0/1/2/3/4/5) rawTradeList[0].remark_flag: 6".into()),
            ("is_sealed", json!(1), "取值不合法(0/3) rawTradeList[0].is_sealed: 1".into()),
            ("id_card_type", json!(4), "取值不合法(0/1/2/3) rawTradeList[0].id_card_type: 4".into()),
            ("order_count", json!(1234567), "超长(最大6) rawTradeList[0].order_count: 1234567".into()),
            ("order_count", json!("two"), "参数不合法 rawTradeList[0].order_count: 不是合法的整数: two".into()),
            ("goods_count", json!(""), "rawTradeList[0].goods_count不能为空".into()),
            ("trade_time", json!("2020-02-30 10:00:00"), "参数不合法 rawTradeList[0].trade_time: 时间格式错误".into()),
            ("end_time", json!("soon"), "参数不合法 rawTradeList[0].end_time: 时间格式错误: soon".into()),
            ("pay_time", json!("x"), "参数不合法 rawTradeList[0].pay_time: 时间格式错误: x".into()),
            ("buyer_nick", json!(" "), "rawTradeList[0].buyer_nick不能为空".into()),
            ("buyer_message", json!(long(1025)), "超长(最大1024) rawTradeList[0].buyer_message".into()),
            ("receiver_area", json!(""), "rawTradeList[0].receiver_area不能为空".into()),
            ("receiver_address", json!(long(257)), "超长(最大256) rawTradeList[0].receiver_address".into()),
            ("receiver_mobile", Value::Null, "rawTradeList[0].receiver_mobile不能为空".into()),
            ("post_amount", json!("1.23456"), "参数不合法 rawTradeList[0].post_amount".into()),
            ("is_auto_wms", json!(true), "rawTradeList[0].warehouse_no不能为空".into()),
            ("is_auto_wms", json!("maybe"), "参数不合法 rawTradeList[0].is_auto_wms".into()),
            ("pay_account", json!(long(129)), "超长(最大128) rawTradeList[0].pay_account".into()),
        ];
        for (field, value, text) in trade {
            let mut args = example();
            args[1][0][field] = value.clone();
            let e = RawTradePush::from_args(args).unwrap_err();
            assert!(e.to_string().contains(&text), "{field}={value}: {e}");
        }
        let order: Vec<(&str, Value, String)> = vec![
            ("oid", json!(""), "rawTradeOrderList[1].oid不能为空".into()),
            ("status", json!(0), "取值不合法(10/20/30/40/50/60/70/80/90) rawTradeOrderList[1].status: 0".into()),
            ("refund_status", json!(7), "取值不合法(0/1/2/3/4/5/6) rawTradeOrderList[1].refund_status: 7".into()),
            ("order_type", json!(3), "取值不合法(0/1/2) rawTradeOrderList[1].order_type: 3".into()),
            ("gift_type", json!(3), "取值不合法(0/1/2/4/8/32/64/65) rawTradeOrderList[1].gift_type: 3".into()),
            ("spec_no", json!(long(41)), "超长(最大40) rawTradeOrderList[1].spec_no".into()),
            ("goods_name", Value::Null, "rawTradeOrderList[1].goods_name不能为空".into()),
            ("num", json!("abc"), "参数不合法 rawTradeOrderList[1].num".into()),
            ("remark", Value::Null, "rawTradeOrderList[1].remark不能为空".into()),
            ("json", json!(long(256)), "超长(最大255) rawTradeOrderList[1].json".into()),
        ];
        for (field, value, text) in order {
            let mut args = example();
            args[2][1][field] = value.clone();
            let e = RawTradePush::from_args(args).unwrap_err();
            assert!(e.to_string().contains(&text), "{field}={value}: {e}");
        }
        let mut args = example();
        args.push(json!([{"tid": "T", "oid": long(21)}]));
        let e = RawTradePush::from_args(args).unwrap_err();
        assert!(e.to_string().contains("超长(最大20) discountList[0].oid"), "{e}");
        let mut args = example();
        args[0] = json!(long(41));
        assert!(RawTradePush::from_args(args).unwrap_err().to_string().contains("超长(最大40) shop_no"));
        let mut args = example();
        args[1][0]["receiver_area"] = json!("");
        for k in ["receiver_province_no", "receiver_city_no", "receiver_district_no"] {
            args[1][0][k] = json!(110000);
        }
        assert!(RawTradePush::from_args(args).is_ok(), "region ids stand in for receiver_area");
    }
}
