//! `stockin_refund_push.php` (openapi2 创建退货入库单, seed 001): form field
//! `stockin_refund_info` holds the order as JSON text.
//!
//! The seed's table lost its 必须 column; this crate requires what the operation cannot do
//! without and what every example sends: `refund_no`, `outer_no`, `warehouse_no`, `detail_list`,
//! and per line `spec_no` and `stockin_num`. The response is the bare openapi2 envelope
//! `{"code":0,"message":"succeed"}`.

use crate::methods::lenient::wire_struct;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::lenient::{Lenient, opt_bool_as_int};
use super::{decode_json_text, rules};

/// The form field that carries the order.
pub const FORM_FIELD: &str = "stockin_refund_info";

wire_struct! {
    /// `stockin_refund_info`: the return stock-in order to create against a refund order.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StockinRefundInfo {
        /// 退换单号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub refund_no: String,
        /// 外部单号 (required, ≤ 40): unique per seller; a repeat is refused with code `"40"`.
        #[serde(deserialize_with = "super::lenient::required")]
        pub outer_no: String,
        /// 仓库编号 (required, ≤ 40; one warehouse only).
        #[serde(deserialize_with = "super::lenient::required")]
        pub warehouse_no: String,
        /// 物流公司编号 (≤ 20).
        pub logistics_code?: String,
        /// 物流单号 (≤ 40).
        pub logistics_no?: String,
        /// 邮费.
        pub post_fee?: Dec4,
        /// 其他费用.
        pub other_fee?: Dec4,
        /// 是否审核: tinyint 1 审核 (default) / 0 不审核. Sent as `1`/`0`.
        #[serde(
            default,
            deserialize_with = "super::lenient::optional",
            serialize_with = "opt_bool_as_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub is_check: Option<bool>,
        /// 是否创建批次: varchar `"0"` 否 (default) / `"1"` 是. Sent as `1`/`0`, as the seed's Java
        /// example does.
        #[serde(
            default,
            deserialize_with = "super::lenient::optional",
            serialize_with = "opt_bool_as_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub is_created_batch: Option<bool>,
        /// 备注 (≤ 255).
        pub remark?: String,
        /// 货品列表 (required, not empty).
        pub detail_list: Vec<StockinRefundDetail>,
    }
}

wire_struct! {
    /// One line of `stockin_refund_info.detail_list`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StockinRefundDetail {
        /// 商家编码 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_no: String,
        /// 货位 (≤ 20).
        pub position_no?: String,
        /// 批次号 (≤ 20).
        pub batch_no?: String,
        /// 入库数量 (required; > 0 is a business rule).
        #[serde(deserialize_with = "super::lenient::required")]
        pub stockin_num: Dec4,
        /// 单价; `None` (sent as absent, `null`, `""` or `-1`) = the refund order item's price.
        #[serde(default, deserialize_with = "price_or_original", skip_serializing_if = "Option::is_none")]
        pub stockin_price: Option<Dec4>,
        /// 生产日期, `yyyy-MM-dd HH:mm:ss`.
        pub production_date?: String,
        /// 有效期, `yyyy-MM-dd HH:mm:ss`.
        pub expire_date?: String,
        /// 税率.
        pub tax?: Dec4,
        /// 备注 (≤ 255).
        pub remark?: String,
    }
}

/// `stockin_price`: empty or `-1` means "the original price" (seed 001: 为空或-1时,等于原价).
fn price_or_original<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Dec4>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    match &value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        other => {
            let price = Dec4::from_json(other).map_err(serde::de::Error::custom)?;
            Ok((price != Dec4::from_scaled(-10_000)).then_some(price))
        }
    }
}

impl StockinRefundInfo {
    /// Decodes and validates the JSON text of the `stockin_refund_info` form field. Every refusal
    /// is [`ApiError::Business`]; a text that is not a JSON object names the field.
    pub fn from_form_field(text: &str) -> Result<Self, ApiError> {
        let info: StockinRefundInfo = decode_json_text(FORM_FIELD, text)?;
        info.validate()?;
        Ok(info)
    }

    /// The JSON text to put in the `stockin_refund_info` form field (what an SDK sends).
    pub fn to_form_field(&self) -> String {
        serde_json::to_string(self).expect("a request always serializes")
    }

    /// `is_check`, defaulted to true.
    pub fn is_check_or_default(&self) -> bool {
        self.is_check.unwrap_or(true)
    }

    /// Checks required fields and lengths. Quantities, prices and an empty `detail_list` are the
    /// business rules' (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        rules::required_text("refund_no", &self.refund_no, Some(40))?;
        rules::required_text("outer_no", &self.outer_no, Some(40))?;
        rules::required_text("warehouse_no", &self.warehouse_no, Some(40))?;
        rules::optional_text("logistics_code", self.logistics_code.as_deref(), 20)?;
        rules::optional_text("logistics_no", self.logistics_no.as_deref(), 40)?;
        rules::optional_text("remark", self.remark.as_deref(), 255)?;
        rules::max_lines("detail_list", &self.detail_list)?;
        for (i, line) in self.detail_list.iter().enumerate() {
            let p = |field| rules::LinePath { list: "detail_list", index: i, field };
            rules::required_text(p("spec_no"), &line.spec_no, Some(40))?;
            rules::optional_text(p("position_no"), line.position_no.as_deref(), 20)?;
            rules::optional_text(p("batch_no"), line.batch_no.as_deref(), 20)?;
            rules::optional_text(p("remark"), line.remark.as_deref(), 255)?;
        }
        Ok(())
    }
}
