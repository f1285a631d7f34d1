//! `wms.stockin.Refund.createOrder` (退货入库单推送, seed 000): body `[stockin_order]`.
//!
//! The response `data` is the new stock-in order number, a plain JSON string.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::{REFUND_STOCKIN_CREATE, decode_field, rules, take_args};

/// Name of the one positional argument.
pub const ARG_STOCKIN_ORDER: &str = "stockin_order";

/// `create_mode` (创建模式): how far the new order goes. Which stock-in status each one gives is
/// a business rule (`wdt_domain::model::StockinStatus::from_create_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(i64)]
pub enum CreateMode {
    /// 0 编辑中: created in editing. The default.
    #[default]
    Editing = 0,
    /// 1 已提交: submitted for review.
    Submitted = 1,
    /// 2 已审核: checked at once; only this one moves stock.
    Checked = 2,
}

impl CreateMode {
    /// Every mode, in code order.
    pub const ALL: [CreateMode; 3] = [CreateMode::Editing, CreateMode::Submitted, CreateMode::Checked];

    /// The wire number.
    pub const fn code(self) -> i64 {
        self as i64
    }
}

/// `create_mode` 0: the order is created in editing (编辑中, status 20). The default.
pub const CREATE_MODE_EDITING: i64 = CreateMode::Editing.code();
/// `create_mode` 1: submitted (已提交, status 30).
pub const CREATE_MODE_SUBMITTED: i64 = CreateMode::Submitted.code();
/// `create_mode` 2: checked (已审核, status 80); only this one moves stock.
pub const CREATE_MODE_CHECKED: i64 = CreateMode::Checked.code();

wire_struct! {
    /// `stockin_order`: the return stock-in order to create against a refund order (退换单).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RefundStockinOrder {
        /// 退换单号 (required, ≤ 20).
        #[serde(deserialize_with = "super::lenient::required")]
        pub refund_no: String,
        /// 外部单号 (≤ 20); unique per seller when given.
        pub out_stockin_no?: String,
        /// 仓库编号 (required, ≤ 40; one warehouse only).
        #[serde(deserialize_with = "super::lenient::required")]
        pub warehouse_no: String,
        /// 系统物流公司编号 (≤ 60).
        pub logistics_code?: String,
        /// 物流单号 (≤ 40).
        pub logistics_no?: String,
        /// 备注 (≤ 255).
        pub remark?: String,
        /// 创建模式: 0 编辑中 (default), 1 已提交, 2 已审核.
        pub create_mode?: i64,
        /// 是否创建批次: create unknown batches (default false).
        pub is_create_batch?: bool,
        /// 单据明细 (required, not empty).
        pub detail_list: Vec<RefundStockinDetail>,
    }
}

wire_struct! {
    /// One line of `stockin_order.detail_list`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RefundStockinDetail {
        /// 商家编码 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_no: String,
        /// 数量 (required; > 0 is a business rule).
        #[serde(deserialize_with = "super::lenient::required")]
        pub num: Dec4,
        /// 是否残次品 (default false).
        pub defect?: bool,
        /// sn码, comma-separated; only with `create_mode` 0.
        pub sn_strings?: String,
        /// 批次号 (≤ 20).
        pub batch_no?: String,
        /// 有效期 (≤ 40), `yyyy-MM-dd HH:mm:ss`.
        pub expire_date?: String,
        /// 货位编号 (≤ 40).
        pub position_no?: String,
        /// 生产日期 (≤ 40), `yyyy-MM-dd HH:mm:ss`.
        pub production_date?: String,
        /// 备注 (≤ 255).
        pub remark?: String,
        /// 批次备注 (≤ 128).
        pub batch_remark?: String,
        /// 入库价 (not negative, a business rule); `None` = the refund order item's price.
        pub stockin_price?: Dec4,
    }
}

impl RefundStockinOrder {
    /// Decodes and validates the positional arguments of [`REFUND_STOCKIN_CREATE`].
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [order] = take_args::<1>(REFUND_STOCKIN_CREATE, args)?;
        let order: RefundStockinOrder = decode_field(ARG_STOCKIN_ORDER, order)?;
        order.validate()?;
        Ok(order)
    }

    /// The positional arguments that carry this order (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        vec![serde_json::to_value(self).expect("a request always serializes")]
    }

    /// `create_mode`, defaulted to [`CREATE_MODE_EDITING`].
    pub fn create_mode_or_default(&self) -> i64 {
        self.create_mode.unwrap_or(CREATE_MODE_EDITING)
    }

    /// `create_mode`, defaulted to [`CreateMode::Editing`]; a number outside 0/1/2 is refused
    /// (`取值不合法(0/1/2) create_mode: 5`).
    pub fn create_mode(&self) -> Result<CreateMode, ApiError> {
        Ok(rules::one_of("create_mode", self.create_mode, &CreateMode::ALL, CreateMode::code)?.unwrap_or_default())
    }

    /// Checks seed 000's required fields, lengths and `create_mode`. Quantities, prices and an
    /// empty `detail_list` are the business rules' (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        rules::required_text("refund_no", &self.refund_no, Some(20))?;
        rules::optional_text("out_stockin_no", self.out_stockin_no.as_deref(), 20)?;
        rules::required_text("warehouse_no", &self.warehouse_no, Some(40))?;
        rules::optional_text("logistics_code", self.logistics_code.as_deref(), 60)?;
        rules::optional_text("logistics_no", self.logistics_no.as_deref(), 40)?;
        rules::optional_text("remark", self.remark.as_deref(), 255)?;
        self.create_mode()?;
        rules::max_lines("detail_list", &self.detail_list)?;
        for (i, line) in self.detail_list.iter().enumerate() {
            let p = |field| rules::LinePath { list: "detail_list", index: i, field };
            rules::required_text(p("spec_no"), &line.spec_no, Some(40))?;
            rules::optional_text(p("batch_no"), line.batch_no.as_deref(), 20)?;
            rules::optional_text(p("expire_date"), line.expire_date.as_deref(), 40)?;
            rules::optional_text(p("position_no"), line.position_no.as_deref(), 40)?;
            rules::optional_text(p("production_date"), line.production_date.as_deref(), 40)?;
            rules::optional_text(p("remark"), line.remark.as_deref(), 255)?;
            rules::optional_text(p("batch_remark"), line.batch_remark.as_deref(), 128)?;
        }
        Ok(())
    }
}
