//! `wms.stockin.SmartRefund.upload` (快速退货, seed 002): body
//! `[refundInfo, detailMapList, createPreStockin]`.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::{SMART_REFUND_UPLOAD, object_list_flag, object_list_flag_args, rules};

/// Name of the first positional argument.
pub const ARG_REFUND_INFO: &str = "refundInfo";
/// Name of the second positional argument.
pub const ARG_DETAILS: &str = "detailMapList";
/// Name of the third positional argument.
pub const ARG_CREATE_PRE_STOCKIN: &str = "createPreStockin";

wire_struct! {
    /// `refundInfo`: which trade is returned, and where to.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RefundInfo {
        /// 原始单号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub tid: String [required max 40],
        /// 退货入库仓编号 (required, ≤ 40; no external warehouse).
        #[serde(deserialize_with = "super::lenient::required")]
        pub return_warehouse_no: String [required max 40],
        /// 退货备注 (required, ≤ 255; `""` when there is none).
        #[serde(deserialize_with = "super::lenient::required")]
        pub remark: String [max 255],
    }
}

wire_struct! {
    /// One element of `detailMapList`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct SmartRefundDetail {
        /// 商家编码 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_no: String [required max 40],
        /// 入库数量 (required; > 0 is a business rule).
        #[serde(deserialize_with = "super::lenient::required")]
        pub stockin_num: Dec4,
        /// 备注 (required, ≤ 255; `""` when there is none).
        #[serde(deserialize_with = "super::lenient::required")]
        pub remark: String [max 255],
    }
}

/// The three arguments of [`SMART_REFUND_UPLOAD`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmartRefundUpload {
    /// `refundInfo`.
    pub refund_info: RefundInfo,
    /// `detailMapList` (not empty).
    pub details: Vec<SmartRefundDetail>,
    /// `createPreStockin`: allow returning more than was sold.
    pub create_pre_stockin: bool,
}

/// Response `data`: `{"stockin_id": 1, "type": 12}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmartRefundResult {
    /// 入库单id.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub stockin_id: i64,
    /// 类型: 12 退货入库.
    #[serde(rename = "type", deserialize_with = "super::lenient::or_default")]
    pub order_type: i64,
}

impl SmartRefundUpload {
    /// Decodes and validates the positional arguments of [`SMART_REFUND_UPLOAD`].
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let (refund_info, details, create_pre_stockin) = object_list_flag(SMART_REFUND_UPLOAD, args)?;
        let upload = SmartRefundUpload { refund_info, details, create_pre_stockin };
        upload.validate()?;
        Ok(upload)
    }

    /// The positional arguments that carry this call (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        object_list_flag_args(&self.refund_info, &self.details, self.create_pre_stockin)
    }

    /// Checks seed 002's required fields and lengths. Quantities and an empty `detailMapList` are
    /// the business rules' (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        self.refund_info.check_declared(|field| field)?;
        rules::max_lines(ARG_DETAILS, &self.details)?;
        for (index, line) in self.details.iter().enumerate() {
            line.check_declared(|field| rules::LinePath { list: ARG_DETAILS, index, field })?;
        }
        Ok(())
    }
}
