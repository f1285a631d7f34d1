//! `purchase.PurchaseReturn.createOrder` (采购退货单新建, seed 003): body
//! `[orderInfo, detailList, is_check]`.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::{PURCHASE_RETURN_CREATE, object_list_flag, object_list_flag_args, rules};

/// Name of the first positional argument.
pub const ARG_ORDER_INFO: &str = "orderInfo";
/// Name of the second positional argument.
pub const ARG_DETAILS: &str = "detailList";
/// Name of the third positional argument.
pub const ARG_IS_CHECK: &str = "is_check";

/// `data.status` when everything succeeded.
pub const RESULT_OK: i64 = 0;
/// `data.status` when the order was created but its check failed (审核失败).
pub const RESULT_CHECK_FAILED: i64 = 20;

wire_struct! {
    /// `orderInfo`: the purchase return (采购退货单) header.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PurchaseReturnOrder {
        /// 外部单号 (required, ≤ 20); becomes the return's order number.
        #[serde(deserialize_with = "super::lenient::required")]
        pub outer_no: String [required max 20],
        /// 仓库编码 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub warehouse_no: String [required max 40],
        /// 供应商编号 (required, ≤ 20).
        #[serde(deserialize_with = "super::lenient::required")]
        pub provider_no: String [required max 20],
        /// 物流公司编号 (a purchase-business logistics company of the ERP).
        pub logistics_no?: String,
        /// 邮费.
        pub post_fee?: Dec4,
        /// 其他费用.
        pub other_fee?: Dec4,
        /// 联系人 (≤ 40); the provider's when absent.
        pub contact?: String [max 40],
        /// 联系电话 (≤ 32); the provider's when absent.
        pub telno?: String [max 32],
        /// 收件地址 (≤ 255).
        pub receive_address?: String [max 255],
        /// 省 (province code).
        pub receive_province?: String,
        /// 市 (city code).
        pub receive_city?: String,
        /// 区 (district code).
        pub receive_district?: String,
        /// 自定义属性1 (≤ 255).
        pub prop1?: String [max 255],
        /// 自定义属性2 (≤ 255).
        pub prop2?: String [max 255],
        /// 备注 (≤ 255).
        pub remark?: String [max 255],
        /// 引用的采购单号 (checked or later purchase orders of this provider); empty when absent.
        #[serde(default, deserialize_with = "super::lenient::list", skip_serializing_if = "Vec::is_empty")]
        pub ref_purchase_nos: Vec<String>,
        /// 审核失败是否取消单据: 0 不取消 (default), 1 取消.
        pub check_fail_cancel?: i64,
    }
}

wire_struct! {
    /// One element of `detailList`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PurchaseReturnDetail {
        /// 商家编码 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_no: String [required max 40],
        /// 退货数量 (required; > 0 is a business rule), in `unit_name` units when given.
        #[serde(deserialize_with = "super::lenient::required")]
        pub num: Dec4,
        /// 折扣 (default 1 = no discount; 0.8 = 八折).
        pub discount?: Dec4,
        /// 税率 (default 0).
        pub tax_rate?: Dec4,
        /// 单价 (default 0; not negative is a business rule).
        pub price?: Dec4,
        /// 退货单位 (≤ 40): one of the spec's units.
        pub unit_name?: String [max 40],
        /// 是否残次品 (default false).
        pub defect?: bool,
        /// 备注 (≤ 255).
        pub remark?: String [max 255],
        /// 批次号 (≤ 40).
        pub batch_no?: String [max 40],
        /// 有效期 (≤ 40), e.g. `2020-04-20 00:00:00`.
        pub expire_date?: String [time],
        /// 税后金额.
        pub tax_price?: Dec4,
    }
}

impl PurchaseReturnOrder {
    /// `check_fail_cancel` as a flag: 1 cancels the order when its check fails, 0 (the default)
    /// keeps it; any other number is refused (`取值不合法(0/1) check_fail_cancel: 2`).
    pub fn cancel_on_check_failure(&self) -> Result<bool, ApiError> {
        Ok(rules::one_of("check_fail_cancel", self.check_fail_cancel, &[false, true], i64::from)?.unwrap_or(false))
    }
}

/// The three arguments of [`PURCHASE_RETURN_CREATE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseReturnCreate {
    /// `orderInfo`.
    pub order: PurchaseReturnOrder,
    /// `detailList` (not empty).
    pub details: Vec<PurchaseReturnDetail>,
    /// `is_check`: check the return at once (stock goes out).
    pub is_check: bool,
}

/// Response `data`: `{"status": 0, "message": "RH8723238"}` (the order number on success, the
/// reason when the check failed with status 20).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseReturnResult {
    /// [`RESULT_OK`] or [`RESULT_CHECK_FAILED`].
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub status: i64,
    /// The order number, or the reason the check failed.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub message: String,
}

impl PurchaseReturnResult {
    /// The answer for a written return: [`RESULT_OK`] with the return number.
    pub fn created(return_no: String) -> Self {
        PurchaseReturnResult { status: RESULT_OK, message: return_no }
    }

    /// The answer for a return written but not checked: [`RESULT_CHECK_FAILED`] with
    /// `审核失败: <reason>`.
    pub fn check_failed(reason: &str) -> Self {
        PurchaseReturnResult { status: RESULT_CHECK_FAILED, message: format!("审核失败: {reason}") }
    }
}

impl PurchaseReturnCreate {
    /// Decodes and validates the positional arguments of [`PURCHASE_RETURN_CREATE`].
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let (order, details, is_check) = object_list_flag(PURCHASE_RETURN_CREATE, args)?;
        let create = PurchaseReturnCreate { order, details, is_check };
        create.validate()?;
        Ok(create)
    }

    /// The positional arguments that carry this call (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        object_list_flag_args(&self.order, &self.details, self.is_check)
    }

    /// Checks seed 003's required fields, lengths and `check_fail_cancel`. Quantities, prices and an
    /// empty `detailList` are the business rules' (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        let o = &self.order;
        o.check_declared(|field| field)?;
        for (i, no) in o.ref_purchase_nos.iter().enumerate() {
            rules::required_text(format!("ref_purchase_nos[{i}]"), no, None)?;
        }
        o.cancel_on_check_failure()?;
        rules::max_lines(ARG_DETAILS, &self.details)?;
        for (index, line) in self.details.iter().enumerate() {
            line.check_declared(|field| rules::LinePath { list: ARG_DETAILS, index, field })?;
        }
        Ok(())
    }
}
