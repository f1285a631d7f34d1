//! `wms.stockin.Refund.queryWithDetail` (退货入库单查询, seed 004): paged, body `[params]`,
//! pager (`page_size`, `page_no` from 0, `calc_total`) in the query string.
//!
//! The response structs carry every field of the seed's response tables and of its example
//! response, with the example's JSON types: epoch-millisecond numbers for `created_time` and
//! `check_time`, `"2.0000"` strings for `total_goods_stockin_num` and a detail's `stockin_num`,
//! a string `shop_id`, JSON numbers for the other decimals, `yyyy-MM-dd HH:mm:ss` strings for
//! `modified`/`created`, and empty strings for absent text. Fields are in the order of the seed's
//! tables; fields that only the example shows come last, before the nested list. Reading a
//! response is lenient (a `null` or missing scalar is its default) so that the SDK can read the
//! real ERP too.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::{Dec4, fixed4};
use crate::error::ApiError;

use super::lenient::{or_default, vec_or_empty};
use super::{REFUND_STOCKIN_QUERY, decode_field, rules, take_args};

/// Name of the one positional argument.
pub const ARG_PARAMS: &str = "params";

/// `time_type` (时间条件类型): which time the window applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(i64)]
pub enum TimeType {
    /// 0 修改时间: the modified time. The default.
    #[default]
    Modified = 0,
    /// 1 入库时间: the stock-in (check) time.
    Stockin = 1,
}

impl TimeType {
    /// Every time type, in code order.
    pub const ALL: [TimeType; 2] = [TimeType::Modified, TimeType::Stockin];

    /// The wire number.
    pub const fn code(self) -> i64 {
        self as i64
    }
}

/// `time_type` 0: filter on the modified time (the default).
pub const TIME_TYPE_MODIFIED: i64 = TimeType::Modified.code();
/// `time_type` 1: filter on the stock-in (check) time.
pub const TIME_TYPE_STOCKIN: i64 = TimeType::Stockin.code();

/// The vendor's refusal of a query whose `start_time` or `end_time` is missing, `null` or blank.
pub const WINDOW_REQUIRED: &str = "参数中必须包含起止时间";

/// What the vendor shows for a text it has no value for (`goods_unit`, a `logistics_name`
/// without logistics, an empty `reason`).
pub const NO_VALUE: &str = "无";

/// Refuses a window without both ends with [`WINDOW_REQUIRED`].
fn require_window(start_given: bool, end_given: bool) -> Result<(), ApiError> {
    if start_given && end_given { Ok(()) } else { Err(ApiError::business(WINDOW_REQUIRED)) }
}

/// Whether a raw parameter is there: present, not `null`, not blank text.
fn given(value: Option<&Value>) -> bool {
    value.is_some_and(|v| !v.is_null() && !v.as_str().is_some_and(|s| s.trim().is_empty()))
}

wire_struct! {
    /// `params`: the query's filters. Times and the status list stay as sent; the server parses
    /// them and answers with the vendor's messages.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RefundStockinQuery {
        /// 仓库编号 (≤ 40).
        pub warehouse_no?: String,
        /// 入库单号 (≤ 20).
        pub stockin_no?: String,
        /// 退换单号 (≤ 40).
        pub refund_no?: String,
        /// 店铺编号, comma-separated (≤ 255).
        pub shop_nos?: String,
        /// 入库单状态, comma-separated of 10/20/30/80 (≤ 255); absent = every status.
        pub status?: String,
        /// 时间条件类型: 0 修改时间 (default), 1 入库时间.
        pub time_type?: i64,
        /// 开始时间 (required, ≤ 40), `yyyy-MM-dd HH:mm:ss`.
        #[serde(deserialize_with = "super::lenient::required")]
        pub start_time: String,
        /// 结束时间 (required, ≤ 40), `yyyy-MM-dd HH:mm:ss`.
        #[serde(deserialize_with = "super::lenient::required")]
        pub end_time: String,
        /// 是否使用从库查询 (read replica, when configured).
        pub is_slave?: bool,
        /// 是否返回sn信息 (fills `details_list[].sn_list`).
        pub need_sn?: bool,
    }
}

impl RefundStockinQuery {
    /// Decodes and validates the positional arguments of [`REFUND_STOCKIN_QUERY`]. A missing
    /// window end is refused with [`WINDOW_REQUIRED`] before anything else in `params`.
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [params] = take_args::<1>(REFUND_STOCKIN_QUERY, args)?;
        if let Value::Object(map) = &params {
            require_window(given(map.get("start_time")), given(map.get("end_time")))?;
        }
        let query: RefundStockinQuery = decode_field(ARG_PARAMS, params)?;
        query.validate()?;
        Ok(query)
    }

    /// The positional arguments that carry this query (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        vec![serde_json::to_value(self).expect("a request always serializes")]
    }

    /// `time_type`, defaulted to [`TIME_TYPE_MODIFIED`].
    pub fn time_type_or_default(&self) -> i64 {
        self.time_type.unwrap_or(TIME_TYPE_MODIFIED)
    }

    /// `time_type`, defaulted to [`TimeType::Modified`]; a number outside 0/1 is refused
    /// (`取值不合法(0/1) time_type: 3`).
    pub fn time_type(&self) -> Result<TimeType, ApiError> {
        Ok(rules::one_of("time_type", self.time_type, &TimeType::ALL, TimeType::code)?.unwrap_or_default())
    }

    /// Checks seed 004's window ([`WINDOW_REQUIRED`]), lengths and `time_type`.
    pub fn validate(&self) -> Result<(), ApiError> {
        require_window(!self.start_time.trim().is_empty(), !self.end_time.trim().is_empty())?;
        rules::optional_text("warehouse_no", self.warehouse_no.as_deref(), 40)?;
        rules::optional_text("stockin_no", self.stockin_no.as_deref(), 20)?;
        rules::optional_text("refund_no", self.refund_no.as_deref(), 40)?;
        rules::optional_text("shop_nos", self.shop_nos.as_deref(), 255)?;
        rules::optional_text("status", self.status.as_deref(), 255)?;
        self.time_type()?;
        rules::text_len("start_time", &self.start_time, Some(40))?;
        rules::text_len("end_time", &self.end_time, Some(40))?;
        Ok(())
    }
}

impl super::reads::ReadParams for RefundStockinQuery {
    const METHOD: &'static str = REFUND_STOCKIN_QUERY;
    type Page = QueryPage;
    const WINDOW: Option<Option<i64>> = Some(Some(30));

    fn validate(&self) -> Result<(), ApiError> {
        RefundStockinQuery::validate(self)
    }

    fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        RefundStockinQuery::from_args(args)
    }

    fn set_window(&mut self, start: String, end: String) {
        (self.start_time, self.end_time) = (start, end);
    }
}

/// `wms.stockin.Refund.queryHisWithDetail` (历史退货入库单查询) `params`: the page's parameters
/// are those of [`RefundStockinQuery`], and it answers a [`QueryPage`] written as
/// [`history_view`] (the history page shows a subset of the live page's fields, with the same
/// names and nesting). Which stock-ins it reads (those older than the live query serves) is
/// `wdt-domain`'s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RefundStockinHistoryQuery(pub RefundStockinQuery);

impl super::reads::ReadParams for RefundStockinHistoryQuery {
    const METHOD: &'static str = super::reads::REFUND_STOCKIN_HISTORY;
    type Page = QueryPage;
    const WINDOW: Option<Option<i64>> = Some(Some(30));

    fn validate(&self) -> Result<(), ApiError> {
        self.0.validate()
    }

    fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [params] = take_args::<1>(super::reads::REFUND_STOCKIN_HISTORY, args)?;
        if let Value::Object(map) = &params {
            require_window(given(map.get("start_time")), given(map.get("end_time")))?;
        }
        let query: RefundStockinQuery = decode_field(ARG_PARAMS, params)?;
        query.validate()?;
        Ok(RefundStockinHistoryQuery(query))
    }

    fn set_window(&mut self, start: String, end: String) {
        (self.0.start_time, self.0.end_time) = (start, end);
    }
}

/// The fields of a live order row ([`StockinOrderRow`]) that the history page does not show.
pub const LIVE_ONLY_ORDER_FIELDS: &[&str] = &["attach_type", "wms_code", "prop3"];
/// The fields of a live detail row ([`StockinDetailRow`]) that the history page does not show.
pub const LIVE_ONLY_DETAIL_FIELDS: &[&str] =
    &["prop1", "prop3", "prop4", "prop5", "prop6", "custom_price1", "custom_price2", "gift_type"];
/// The fields of a live link ([`RefundOrderDetailLink`]) that the history page does not show.
pub const LIVE_ONLY_LINK_FIELDS: &[&str] = &["stockin_num", "refund_order_stockin_num", "oid", "trade_type"];

/// `page` as `wms.stockin.Refund.queryHisWithDetail` writes it: the fields of its response
/// table and example only ([`LIVE_ONLY_ORDER_FIELDS`] and the like left out), with the example's
/// types where they differ from the live page's (`actual_refund_amount` and a detail's
/// `refund_amount` as `"0.0000"` strings, `sn_list` always there, empty unless asked for).
/// [`QueryPage`] reads it back.
pub fn history_view(page: &QueryPage) -> serde_json::Result<Value> {
    let mut data = serde_json::to_value(page)?;
    let orders = data.get_mut("order").and_then(Value::as_array_mut).into_iter().flatten();
    for (json, row) in orders.zip(&page.order) {
        let Value::Object(order) = json else { continue };
        LIVE_ONLY_ORDER_FIELDS.iter().for_each(|k| drop(order.remove(*k)));
        order.insert("actual_refund_amount".into(), Value::from(row.actual_refund_amount.to_fixed4()));
        let details = order.get_mut("details_list").and_then(Value::as_array_mut).into_iter().flatten();
        for (json, line) in details.zip(&row.details_list) {
            let Value::Object(detail) = json else { continue };
            LIVE_ONLY_DETAIL_FIELDS.iter().for_each(|k| drop(detail.remove(*k)));
            detail.insert("refund_amount".into(), Value::from(line.refund_amount.to_fixed4()));
            detail.insert("sn_list".into(), Value::from(line.sn_list.clone().unwrap_or_default()));
            let links = detail.get_mut("refund_order_detail_list").and_then(Value::as_array_mut).into_iter().flatten();
            for link in links.filter_map(Value::as_object_mut) {
                LIVE_ONLY_LINK_FIELDS.iter().for_each(|k| drop(link.remove(*k)));
            }
        }
    }
    Ok(data)
}

impl super::reads::PageRows for QueryPage {
    type Row = StockinOrderRow;
    fn into_rows(self) -> Vec<StockinOrderRow> {
        self.order
    }
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
}

/// Response `data`: one page of stock-in orders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueryPage {
    /// 单据数据.
    #[serde(deserialize_with = "vec_or_empty")]
    pub order: Vec<StockinOrderRow>,
    /// 总数: the number of matching orders, only when the pager asked for it (`calc_total=1`).
    #[serde(deserialize_with = "super::lenient::optional", skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
}

/// One return stock-in order (`order[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StockinOrderRow {
    /// 入库单号 (RK…).
    #[serde(deserialize_with = "or_default")]
    pub order_no: String,
    /// 入库单状态: 10 已取消, 20 编辑中, 30 待处理/待审核, 80 已完成.
    #[serde(deserialize_with = "or_default")]
    pub status: i64,
    /// 关联类型: 0 手动, 1 强制, 2 拆分, 3 自动; left out when there is none.
    #[serde(deserialize_with = "super::lenient::optional", skip_serializing_if = "Option::is_none")]
    pub attach_type: Option<i64>,
    /// 仓库编号.
    #[serde(deserialize_with = "or_default")]
    pub warehouse_no: String,
    /// 仓库名称.
    #[serde(deserialize_with = "or_default")]
    pub warehouse_name: String,
    /// 制单时间, epoch milliseconds (a JSON number).
    #[serde(deserialize_with = "or_default")]
    pub created_time: i64,
    /// 备注.
    #[serde(deserialize_with = "or_default")]
    pub remark: String,
    /// 分销商昵称.
    #[serde(deserialize_with = "or_default")]
    pub fenxiao_nick: String,
    /// 入库人.
    #[serde(deserialize_with = "or_default")]
    pub operator_name: String,
    /// 入库人id.
    #[serde(deserialize_with = "or_default")]
    pub operator_id: i64,
    /// 物流方式 (vendor logistics type code).
    #[serde(deserialize_with = "or_default")]
    pub logistics_type: i64,
    /// 物流公司名称.
    #[serde(deserialize_with = "or_default")]
    pub logistics_name: String,
    /// 物流单号.
    #[serde(deserialize_with = "or_default")]
    pub logistics_no: String,
    /// 物流id.
    #[serde(deserialize_with = "or_default")]
    pub logistics_id: i64,
    /// 审核时间, epoch milliseconds (a JSON number; 0 while unchecked).
    #[serde(deserialize_with = "or_default")]
    pub check_time: i64,
    /// 退换单号.
    #[serde(deserialize_with = "or_default")]
    pub refund_no: String,
    /// 货品数量.
    #[serde(deserialize_with = "or_default")]
    pub goods_count: Dec4,
    /// 退换单实际退款金额.
    #[serde(deserialize_with = "or_default")]
    pub actual_refund_amount: Dec4,
    /// 客户编码.
    #[serde(deserialize_with = "or_default")]
    pub customer_no: String,
    /// 退货人姓名 (self-owned and offline shops only, else empty).
    #[serde(deserialize_with = "or_default")]
    pub customer_name: String,
    /// 客户网名 (self-owned and offline shops only, else empty).
    #[serde(deserialize_with = "or_default")]
    pub nick_name: String,
    /// 店铺名称.
    #[serde(deserialize_with = "or_default")]
    pub shop_name: String,
    /// 店铺编号.
    #[serde(deserialize_with = "or_default")]
    pub shop_no: String,
    /// 店铺备注.
    #[serde(deserialize_with = "or_default")]
    pub shop_remark: String,
    /// 标记名称 (of the refund order).
    #[serde(deserialize_with = "or_default")]
    pub flag_name: String,
    /// 系统订单编号, comma-separated.
    #[serde(deserialize_with = "or_default")]
    pub trade_no_list: String,
    /// 原始单号, comma-separated.
    #[serde(deserialize_with = "or_default")]
    pub tid_list: String,
    /// 退换单id.
    #[serde(deserialize_with = "or_default")]
    pub src_order_id: i64,
    /// 入库单id.
    #[serde(deserialize_with = "or_default")]
    pub stockin_id: i64,
    /// 店铺平台id.
    #[serde(deserialize_with = "or_default")]
    pub shop_platform_id: i64,
    /// 子平台id.
    #[serde(deserialize_with = "or_default")]
    pub sub_platform_id: i64,
    /// 店铺id, a numeric string (`"290"`) as the example shows.
    #[serde(deserialize_with = "or_default")]
    pub shop_id: String,
    /// 仓库id.
    #[serde(deserialize_with = "or_default")]
    pub warehouse_id: i64,
    /// 入库单总成本 (Σ details' total_cost).
    #[serde(deserialize_with = "or_default")]
    pub total_price: Dec4,
    /// 货品入库总数量, a `"2.0000"` string.
    #[serde(deserialize_with = "or_default", serialize_with = "fixed4")]
    pub total_goods_stockin_num: Dec4,
    /// 退换单状态: 10 已取消 … 90 已完成.
    #[serde(deserialize_with = "or_default")]
    pub process_status: i64,
    /// 修改时间, `yyyy-MM-dd HH:mm:ss`.
    #[serde(deserialize_with = "or_default")]
    pub modified: String,
    /// 审核人.
    #[serde(deserialize_with = "or_default")]
    pub check_operator_name: String,
    /// 审核人id.
    #[serde(deserialize_with = "or_default")]
    pub check_operator_id: i64,
    /// 退换说明.
    #[serde(deserialize_with = "or_default")]
    pub reason: String,
    /// 退换说明id.
    #[serde(deserialize_with = "or_default")]
    pub reason_id: i64,
    /// 入库总金额 (Σ details' refund_amount).
    #[serde(deserialize_with = "or_default")]
    pub refund_amount: Dec4,
    /// 调整数量.
    #[serde(deserialize_with = "or_default")]
    pub adjust_num: Dec4,
    /// wms业务单号.
    #[serde(deserialize_with = "or_default")]
    pub wms_code: String,
    /// 创建时间, `yyyy-MM-dd HH:mm:ss`.
    #[serde(deserialize_with = "or_default")]
    pub created: String,
    /// 标记id (of the stock-in order).
    #[serde(deserialize_with = "or_default")]
    pub flag_id: i64,
    /// 货品类型数量.
    #[serde(deserialize_with = "or_default")]
    pub goods_type_count: i64,
    /// 退换单编号.
    #[serde(deserialize_with = "or_default")]
    pub src_order_no: String,
    /// 便签条数.
    #[serde(deserialize_with = "or_default")]
    pub note_count: i64,
    /// 源预入库单号.
    #[serde(deserialize_with = "or_default")]
    pub prop3: String,
    /// 业务单类型, always 12.
    #[serde(deserialize_with = "or_default")]
    pub src_order_type: i64,
    /// Position of the row in the result (in the example only).
    #[serde(deserialize_with = "or_default")]
    pub seq_no: i64,
    /// 入库单明细.
    #[serde(deserialize_with = "vec_or_empty")]
    pub details_list: Vec<StockinDetailRow>,
}

/// One detail line of a stock-in order (`details_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StockinDetailRow {
    /// 入库单明细id.
    #[serde(deserialize_with = "or_default")]
    pub rec_id: i64,
    /// 入库单id.
    #[serde(deserialize_with = "or_default")]
    pub stockin_id: i64,
    /// 退换单明细id, comma-separated, a string (`"60180"`).
    #[serde(deserialize_with = "or_default")]
    pub refund_detail_id: String,
    /// 数量.
    #[serde(deserialize_with = "or_default")]
    pub num: Dec4,
    /// 总成本 = num × cost price.
    #[serde(deserialize_with = "or_default")]
    pub total_cost: Dec4,
    /// 备注.
    #[serde(deserialize_with = "or_default")]
    pub remark: String,
    /// 调整后数量.
    #[serde(deserialize_with = "or_default")]
    pub right_num: Dec4,
    /// 货品名称.
    #[serde(deserialize_with = "or_default")]
    pub goods_name: String,
    /// 货品编码.
    #[serde(deserialize_with = "or_default")]
    pub goods_no: String,
    /// 货品id.
    #[serde(deserialize_with = "or_default")]
    pub goods_id: i64,
    /// 单品id.
    #[serde(deserialize_with = "or_default")]
    pub spec_id: i64,
    /// 商家编码.
    #[serde(deserialize_with = "or_default")]
    pub spec_no: String,
    /// 是否残次品.
    #[serde(deserialize_with = "or_default")]
    pub defect: bool,
    /// 单品自定义属性1.
    #[serde(deserialize_with = "or_default")]
    pub prop1: String,
    /// 单品自定义属性2.
    #[serde(deserialize_with = "or_default")]
    pub prop2: String,
    /// 单品自定义属性3 (the seed's table misspells it `prop23`; the example has `prop3`).
    #[serde(deserialize_with = "or_default")]
    pub prop3: String,
    /// 单品自定义属性4.
    #[serde(deserialize_with = "or_default")]
    pub prop4: String,
    /// 单品自定义属性5.
    #[serde(deserialize_with = "or_default")]
    pub prop5: String,
    /// 单品自定义属性6.
    #[serde(deserialize_with = "or_default")]
    pub prop6: String,
    /// 规格名称.
    #[serde(deserialize_with = "or_default")]
    pub spec_name: String,
    /// 规格码.
    #[serde(deserialize_with = "or_default")]
    pub spec_code: String,
    /// 品牌编号.
    #[serde(deserialize_with = "or_default")]
    pub brand_no: String,
    /// 品牌名称.
    #[serde(deserialize_with = "or_default")]
    pub brand_name: String,
    /// 辅助单位 (the line's unit).
    #[serde(deserialize_with = "or_default")]
    pub goods_unit: String,
    /// 物流名称.
    #[serde(deserialize_with = "or_default")]
    pub logistics_name: String,
    /// 物流单号.
    #[serde(deserialize_with = "or_default")]
    pub logistics_no: String,
    /// 仓库id.
    #[serde(deserialize_with = "or_default")]
    pub warehouse_id: i64,
    /// 退换单id.
    #[serde(deserialize_with = "or_default")]
    pub src_order_id: i64,
    /// 物流id.
    #[serde(deserialize_with = "or_default")]
    pub logistics_id: i64,
    /// 基本单位.
    #[serde(deserialize_with = "or_default")]
    pub base_unit_name: String,
    /// 批次号.
    #[serde(deserialize_with = "or_default")]
    pub batch_no: String,
    /// 有效期, `yyyy-MM-dd HH:mm:ss` or empty.
    #[serde(deserialize_with = "or_default")]
    pub expire_date: String,
    /// 生产日期, `yyyy-MM-dd HH:mm:ss` or empty.
    #[serde(deserialize_with = "or_default")]
    pub production_date: String,
    /// 货位.
    #[serde(deserialize_with = "or_default")]
    pub position_no: String,
    /// 预期数量.
    #[serde(deserialize_with = "or_default")]
    pub expect_num: Dec4,
    /// 入库数量, a `"2.0000"` string.
    #[serde(deserialize_with = "or_default", serialize_with = "fixed4")]
    pub stockin_num: Dec4,
    /// 入库单明细成本价.
    #[serde(deserialize_with = "or_default")]
    pub checked_cost_price: Dec4,
    /// 退款金额 = refund item price × quantity.
    #[serde(deserialize_with = "or_default")]
    pub refund_amount: Dec4,
    /// sn序列号信息, comma-separated; only when the query set `need_sn`.
    #[serde(deserialize_with = "super::lenient::optional", skip_serializing_if = "Option::is_none")]
    pub sn_list: Option<String>,
    /// 入库单位id.
    #[serde(deserialize_with = "or_default")]
    pub unit_id: i64,
    /// 基本单位id.
    #[serde(deserialize_with = "or_default")]
    pub base_unit_id: i64,
    /// 库存明细id.
    #[serde(deserialize_with = "or_default")]
    pub org_stockin_detail_id: i64,
    /// 批次id.
    #[serde(deserialize_with = "or_default")]
    pub batch_id: i64,
    /// 货位id.
    #[serde(deserialize_with = "or_default")]
    pub position_id: i64,
    /// 有效期天数.
    #[serde(deserialize_with = "or_default")]
    pub validity_days: i64,
    /// 辅助数量.
    #[serde(deserialize_with = "or_default")]
    pub num2: Dec4,
    /// 调整数量.
    #[serde(deserialize_with = "or_default")]
    pub adjust_num: Dec4,
    /// 单位换算关系.
    #[serde(deserialize_with = "or_default")]
    pub unit_ratio: Dec4,
    /// 最后修改时间, `yyyy-MM-dd HH:mm:ss`.
    #[serde(deserialize_with = "or_default")]
    pub modified: String,
    /// 创建时间, `yyyy-MM-dd HH:mm:ss`.
    #[serde(deserialize_with = "or_default")]
    pub created: String,
    /// 业务单类型, always 12.
    #[serde(deserialize_with = "or_default")]
    pub src_order_type: i64,
    /// Custom price 1 (in the example only; the vendor's other tables call it `customer_price1`).
    #[serde(deserialize_with = "or_default")]
    pub custom_price1: Dec4,
    /// Custom price 2 (in the example only).
    #[serde(deserialize_with = "or_default")]
    pub custom_price2: Dec4,
    /// Gift type (in the example only; 0 = not a gift).
    #[serde(deserialize_with = "or_default")]
    pub gift_type: i64,
    /// 退换单明细 linked to this line.
    #[serde(deserialize_with = "vec_or_empty")]
    pub refund_order_detail_list: Vec<RefundOrderDetailLink>,
}

/// A refund order item a detail line received against (`refund_order_detail_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundOrderDetailLink {
    /// 退换单明细id.
    #[serde(deserialize_with = "or_default")]
    pub refund_order_id: i64,
    /// 入库单明细id.
    #[serde(deserialize_with = "or_default")]
    pub stockin_order_detail_id: i64,
    /// 价格 (the refund item's price).
    #[serde(deserialize_with = "or_default")]
    pub price: Dec4,
    /// 商家编码.
    #[serde(deserialize_with = "or_default")]
    pub spec_no: String,
    /// 实际入库数量, a JSON number here (unlike the detail's `stockin_num`).
    #[serde(deserialize_with = "or_default")]
    pub stockin_num: Dec4,
    /// 入库数量 recorded on the refund item; 0 when the link could not be made.
    #[serde(deserialize_with = "or_default")]
    pub refund_order_stockin_num: Dec4,
    /// 原始子单号, empty when unknown.
    #[serde(deserialize_with = "or_default")]
    pub oid: String,
    /// Trade type (in the example only).
    #[serde(deserialize_with = "or_default")]
    pub trade_type: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_view_writes_the_history_pages_fields_and_reads_back() {
        let line = StockinDetailRow {
            refund_amount: Dec4::from_scaled(299_800),
            prop1: "p".into(),
            refund_order_detail_list: vec![RefundOrderDetailLink {
                refund_order_id: 7,
                oid: "o".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let row = StockinOrderRow {
            actual_refund_amount: Dec4::ONE,
            wms_code: "W".into(),
            details_list: vec![line],
            ..Default::default()
        };
        let page = QueryPage { order: vec![row], total_count: Some(1) };
        let view = history_view(&page).unwrap();
        let order = &view["order"][0];
        assert_eq!(order["actual_refund_amount"], "1.0000");
        assert!(order.get("wms_code").is_none() && order.get("attach_type").is_none());
        let detail = &order["details_list"][0];
        assert_eq!((detail["refund_amount"].clone(), detail["sn_list"].clone()), ("29.9800".into(), "".into()));
        assert!(detail.get("prop1").is_none());
        assert_eq!(detail["refund_order_detail_list"][0].as_object().unwrap().len(), 4);
        let back: QueryPage = serde_json::from_value(view).unwrap();
        assert_eq!(back.order[0].actual_refund_amount, Dec4::ONE);
        assert_eq!(back.order[0].details_list[0].refund_order_detail_list[0].refund_order_id, 7);
    }

    #[test]
    fn the_history_query_takes_the_live_querys_parameters() {
        use super::super::reads::ReadParams;
        let args = vec![serde_json::json!({"start_time": "2020-01-01 00:00:00", "end_time": "2020-01-02 00:00:00"})];
        let q = <RefundStockinHistoryQuery as ReadParams>::from_args(args.clone()).unwrap();
        assert_eq!(ReadParams::to_args(&q), args);
        let refused = <RefundStockinHistoryQuery as ReadParams>::from_args(vec![serde_json::json!({})]).unwrap_err();
        assert!(refused.to_string().contains(WINDOW_REQUIRED));
    }
}
