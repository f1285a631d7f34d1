//! `purchase.PurchaseOrder.createOrder` (采购单新建): body `[params]`.
//!
//! Every field of the page's `params` and `purchase_details` tables, with its length, required
//! flag and coded values. Lengths are counted in characters. Times are `yyyy-MM-dd HH:mm:ss`
//! (Asia/Shanghai); a blank `created` means now. What the values mean for the business
//! (provider, warehouses, specs, quantities) is checked by `wdt-domain`.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;
use crate::time::parse_wire_time;

use super::lenient::shorten;
use super::{PURCHASE_ORDER_CREATE, decode_field, rules, take_args};

/// Name of the only positional argument.
pub const ARG_PARAMS: &str = "params";
/// Name of the detail list inside it.
pub const ARG_DETAILS: &str = "purchase_details";

/// `data.status` when everything succeeded.
pub const RESULT_OK: i64 = 0;
/// `data.status` when the order was created but could not be checked (审核失败).
pub const RESULT_CHECK_FAILED: i64 = 20;

/// 付款方式: 1 现付, 2 到付.
pub const PAY_TYPES: &[i64] = &[1, 2];
/// 运费支付方式: 0 无, 1 现付, 2 到付, 3 包邮.
pub const POSTFEE_PAY_TYPES: &[i64] = &[0, 1, 2, 3];

wire_struct! {
    /// `params`: the purchase order header.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PurchaseOrderParams {
        /// 采购单编号 (≤ 40); the ERP numbers the order when absent or blank.
        pub purchase_no?: String,
        /// 供应商编号 (required, ≤ 20).
        #[serde(deserialize_with = "super::lenient::required")]
        pub provider_no: String,
        /// 收货仓编号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub receive_warehouse_nos: String,
        /// 预计入库仓库编号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub expect_warehouse_no: String,
        /// 采购员 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub purchaser_name: String,
        /// 是否要审核 (default false).
        pub is_check?: bool,
        /// 引用的采购申请单编号, comma-separated (≤ 255).
        pub apply_nos?: String,
        /// 收货地址 (≤ 255).
        pub receive_address?: String,
        /// 联系人 (≤ 40).
        pub contact?: String,
        /// 电话 (≤ 32).
        pub telno?: String,
        /// 标记名称 (≤ 32).
        pub flag_name?: String,
        /// 预计到货时间 (≤ 19, `yyyy-MM-dd HH:mm:ss`).
        pub expect_time?: String,
        /// 创建时间 (≤ 19, `yyyy-MM-dd HH:mm:ss`); now when absent or blank.
        pub created?: String,
        /// 付款方式: 1 现付, 2 到付.
        pub pay_type?: i64,
        /// 运费支付方式: 0 无, 1 现付, 2 到付, 3 包邮.
        pub postfee_pay_type?: i64,
        /// 备注 (≤ 255).
        pub remark?: String,
        /// 邮费.
        pub post_fee?: Dec4,
        /// 其他费用.
        pub other_fee?: Dec4,
        /// 物流公司编号 (a logistics company of the ERP).
        pub logistics_no?: String,
        /// 采购单自定义属性1 (≤ 255).
        pub prop1?: String,
        /// 采购单自定义属性2 (≤ 255).
        pub prop2?: String,
        /// 采购单自定义属性3 (≤ 255).
        pub prop3?: String,
        /// 采购单自定义属性4 (≤ 255).
        pub prop4?: String,
        /// 采购单详情; `null` or absent reads as empty.
        #[serde(default, deserialize_with = "null_as_empty", skip_serializing_if = "Vec::is_empty")]
        pub purchase_details: Vec<PurchaseOrderDetail>,
    }
}

wire_struct! {
    /// One element of `purchase_details`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PurchaseOrderDetail {
        /// 商家编码 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_no: String,
        /// 采购数量 (required, an integer; > 0 is a business rule).
        #[serde(deserialize_with = "super::lenient::required")]
        pub num: i64,
        /// 采购单位 (≤ 20): one of the spec's units.
        pub purchase_unit_name?: String,
        /// 备注 (≤ 255).
        pub remark?: String,
        /// 自定义属性1 (≤ 255).
        pub prop1?: String,
        /// 自定义属性2 (≤ 255).
        pub prop2?: String,
        /// 自定义属性3 (≤ 255).
        pub prop3?: String,
        /// 自定义属性4 (≤ 255).
        pub prop4?: String,
        /// 税前单价 (default 0).
        pub price?: Dec4,
        /// 税后单价.
        pub tax_price?: Dec4,
        /// 折扣 (default 1 = no discount; 0.8 = 八折).
        pub discount?: Dec4,
        /// 税率 (default 0).
        pub tax_rate?: Dec4,
        /// 批次号 (≤ 40).
        pub batch_no?: String,
        /// 有效期 (≤ 40), `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd`.
        pub expire_date?: String,
    }
}

/// A list that may be `null` (read as empty).
fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The argument of [`PURCHASE_ORDER_CREATE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrderCreate {
    /// `params`.
    pub params: PurchaseOrderParams,
}

/// Response `data`: `{"status": 0, "message": "CG202003260001"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseOrderCreateResult {
    /// [`RESULT_OK`] or [`RESULT_CHECK_FAILED`].
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub status: i64,
    /// The purchase order's number, or why its check failed.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub message: String,
}

impl PurchaseOrderCreateResult {
    /// The answer for a written order: [`RESULT_OK`] with its number.
    pub fn created(purchase_no: String) -> Self {
        PurchaseOrderCreateResult { status: RESULT_OK, message: purchase_no }
    }
}

/// A time field: blank is absent; else it must parse (`参数不合法 <path>: 时间格式错误: <value>`).
/// Returns epoch milliseconds.
pub fn wire_time(path: impl std::fmt::Display, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse_wire_time(v)
            .map(Some)
            .map_err(|_| ApiError::Business(format!("参数不合法 {path}: 时间格式错误: {}", shorten(v)))),
    }
}

impl PurchaseOrderCreate {
    /// Decodes and validates the positional argument of [`PURCHASE_ORDER_CREATE`].
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [params] = take_args::<1>(PURCHASE_ORDER_CREATE, args)?;
        let create = PurchaseOrderCreate { params: decode_field(ARG_PARAMS, params)? };
        create.validate()?;
        Ok(create)
    }

    /// The positional arguments that carry this call (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        vec![serde_json::to_value(&self.params).expect("a request always serializes")]
    }

    /// Checks the page's required fields, lengths, coded values and time formats. Quantities,
    /// prices and what the numbers name are the business rules' (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        let o = &self.params;
        rules::optional_text("purchase_no", o.purchase_no.as_deref(), 40)?;
        rules::required_text("provider_no", &o.provider_no, Some(20))?;
        rules::required_text("receive_warehouse_nos", &o.receive_warehouse_nos, Some(40))?;
        rules::required_text("expect_warehouse_no", &o.expect_warehouse_no, Some(40))?;
        rules::required_text("purchaser_name", &o.purchaser_name, Some(40))?;
        rules::optional_text("apply_nos", o.apply_nos.as_deref(), 255)?;
        rules::optional_text("receive_address", o.receive_address.as_deref(), 255)?;
        rules::optional_text("contact", o.contact.as_deref(), 40)?;
        rules::optional_text("telno", o.telno.as_deref(), 32)?;
        rules::optional_text("flag_name", o.flag_name.as_deref(), 32)?;
        rules::optional_text("expect_time", o.expect_time.as_deref(), 19)?;
        wire_time("expect_time", o.expect_time.as_deref())?;
        rules::optional_text("created", o.created.as_deref(), 19)?;
        wire_time("created", o.created.as_deref())?;
        rules::one_of("pay_type", o.pay_type, PAY_TYPES, |c| c)?;
        rules::one_of("postfee_pay_type", o.postfee_pay_type, POSTFEE_PAY_TYPES, |c| c)?;
        rules::optional_text("remark", o.remark.as_deref(), 255)?;
        rules::optional_text("prop1", o.prop1.as_deref(), 255)?;
        rules::optional_text("prop2", o.prop2.as_deref(), 255)?;
        rules::optional_text("prop3", o.prop3.as_deref(), 255)?;
        rules::optional_text("prop4", o.prop4.as_deref(), 255)?;
        rules::max_lines(ARG_DETAILS, &o.purchase_details)?;
        for (i, line) in o.purchase_details.iter().enumerate() {
            let p = |field| rules::LinePath { list: ARG_DETAILS, index: i, field };
            rules::required_text(p("spec_no"), &line.spec_no, Some(40))?;
            rules::text_len(p("num"), &line.num.to_string(), Some(11))?;
            rules::optional_text(p("purchase_unit_name"), line.purchase_unit_name.as_deref(), 20)?;
            rules::optional_text(p("remark"), line.remark.as_deref(), 255)?;
            rules::optional_text(p("prop1"), line.prop1.as_deref(), 255)?;
            rules::optional_text(p("prop2"), line.prop2.as_deref(), 255)?;
            rules::optional_text(p("prop3"), line.prop3.as_deref(), 255)?;
            rules::optional_text(p("prop4"), line.prop4.as_deref(), 255)?;
            rules::optional_text(p("batch_no"), line.batch_no.as_deref(), 40)?;
            rules::optional_text(p("expire_date"), line.expire_date.as_deref(), 40)?;
            wire_time(p("expire_date"), line.expire_date.as_deref())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn decode(v: Value) -> Result<PurchaseOrderCreate, ApiError> {
        PurchaseOrderCreate::from_args(vec![v])
    }

    #[test]
    fn the_page_example_decodes() {
        let example = json!({"receive_warehouse_nos": "wdtapi3-test", "purchase_details": [{"num": "1", "spec_no": "hcf"}],
            "purchaser_name": "lj", "expect_warehouse_no": "wdtapi3-test", "provider_no": "LCJtest", "is_submit": 1});
        let c = decode(example).unwrap();
        assert_eq!(c.params.provider_no, "LCJtest");
        assert_eq!(c.params.purchase_details[0].num, 1);
        assert_eq!(c.params.purchase_no, None);
        let again = PurchaseOrderCreate::from_args(c.to_args()).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn refusals_name_field_and_value() {
        let base = || {
            json!({"provider_no": "P1", "receive_warehouse_nos": "WH1", "expect_warehouse_no": "WH1",
                   "purchaser_name": "lj", "purchase_details": [{"spec_no": "MUG", "num": 1}]})
        };
        let long = "x".repeat(41);
        let cases: Vec<(&str, Value, String)> = vec![
            ("provider_no", Value::Null, "provider_no不能为空".into()),
            ("purchaser_name", json!(" "), "purchaser_name不能为空".into()),
            ("purchase_no", json!(long), format!("超长(最大40) purchase_no: {long}")),
            ("provider_no", json!("P".repeat(21)), "超长(最大20) provider_no".into()),
            ("telno", json!("1".repeat(33)), "超长(最大32) telno".into()),
            ("pay_type", json!(3), "取值不合法(1/2) pay_type: 3".into()),
            ("postfee_pay_type", json!("4"), "取值不合法(0/1/2/3) postfee_pay_type: 4".into()),
            (
                "expect_time",
                json!("2021-07-10 25:00:00"),
                "参数不合法 expect_time: 时间格式错误: 2021-07-10 25:00:00".into(),
            ),
            ("created", json!("yesterday"), "参数不合法 created: 时间格式错误: yesterday".into()),
            ("post_fee", json!("1.23456"), "参数不合法 post_fee".into()),
            ("is_check", json!("maybe"), "参数不合法 is_check".into()),
            (
                "purchase_details",
                json!([{"spec_no": "MUG", "num": "1.5"}]),
                "参数不合法 purchase_details[0].num".into(),
            ),
            ("purchase_details", json!([{"num": 1}]), "purchase_details[0].spec_no不能为空".into()),
            (
                "purchase_details",
                json!([{"spec_no": "MUG", "num": 1, "purchase_unit_name": "u".repeat(21)}]),
                "超长(最大20) purchase_details[0].purchase_unit_name".into(),
            ),
            (
                "purchase_details",
                json!([{"spec_no": "MUG", "num": 1, "expire_date": "2026-13-01"}]),
                "参数不合法 purchase_details[0].expire_date: 时间格式错误: 2026-13-01".into(),
            ),
        ];
        for (field, value, text) in cases {
            let mut body = base();
            body[field] = value.clone();
            let e = decode(body).unwrap_err();
            assert!(e.to_string().contains(&text), "{field}={value}: {e}");
        }
        assert!(decode(base()).is_ok());
    }
}
