//! `aftersales.refund.RawRefund.upload` (原始退款单推送) and `aftersales.refund.RawRefund.upload2`
//! (原始退款单推送2): body `[shop_no, order_list]` for both.
//!
//! Every field of the pages' `order_list` table, with its length, required flag and coded values.
//! Lengths are counted in characters. `refund_time` and `current_phase_timeout` are
//! `yyyy-MM-dd HH:mm:ss` (Asia/Shanghai) or blank. `title` and `reason` are required keys that may
//! be `""` (the pages say 若无传空字符串, and the example sends `"reason": ""`): a missing key or
//! `null` is refused, a blank text is kept. `modify_flag` is on upload2's page only: for upload it
//! is an unknown field and ignored, as every unknown field is. What the values mean for the
//! business (shop, quantities, amounts, the trade and sub-order named) is checked by `wdt-domain`.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::lenient::{Lenient, shorten};
use super::purchase_order::wire_time;
use super::{RAW_REFUND_UPLOAD, RAW_REFUND_UPLOAD2, decode_field, rules, take_args};

/// Name of the first positional argument.
pub const ARG_SHOP_NO: &str = "shop_no";
/// Name of the refund list.
pub const ARG_ORDERS: &str = "order_list";

/// 退款单类型: 0 取消订单, 1 退款 (未发货, 退款申请), 2 退货, 3 换货 (递交不生成系统退货单),
/// 4 退款不退货.
pub const RAW_REFUND_TYPES: &[i64] = &[0, 1, 2, 3, 4];
/// 平台状态: 1 取消退款, 2 已申请退款, 3 等待退货, 4 等待收货, 5 退款成功.
pub const RAW_REFUND_STATUSES: &[i64] = &[1, 2, 3, 4, 5];
/// 是否售后退款单: 0 否, 1 是.
pub const IS_AFTERSALE: &[i64] = &[0, 1];
/// 修改掩码 (upload2): any combination of 1 新订单, 2 状态变化, 4 金额变化.
pub const MODIFY_FLAGS: &[i64] = &[0, 1, 2, 3, 4, 5, 6, 7];

wire_struct! {
    /// One element of `order_list`: a raw refund (原始退款单) line.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RawRefundLine {
        /// 原始退款单号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub refund_no: String,
        /// 货品数量 (required; > 0 is a business rule).
        #[serde(deserialize_with = "super::lenient::required")]
        pub num: Dec4,
        /// 原始单号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub tid: String,
        /// 原始子单号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub oid: String,
        /// 退款单类型, wire name `type` (required): [`RAW_REFUND_TYPES`].
        #[serde(rename = "type", deserialize_with = "super::lenient::required")]
        pub refund_type: i64,
        /// 平台状态 (required): [`RAW_REFUND_STATUSES`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub status: i64,
        /// 退款版本 (required, ≤ 40; the pages say 默认传1即可). A number is read as its text.
        #[serde(deserialize_with = "super::lenient::required")]
        pub refund_version: String,
        /// 申请退款金额 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub refund_amount: Dec4,
        /// 实际退款金额 (required).
        #[serde(deserialize_with = "super::lenient::required")]
        pub actual_refund_amount: Dec4,
        /// 标题 (required key, ≤ 255; may be `""`).
        #[serde(deserialize_with = "super::lenient::required")]
        pub title: String,
        /// 物流公司名称 (≤ 40).
        pub logistics_name?: String,
        /// 物流单号 (≤ 40).
        pub logistics_no?: String,
        /// 客户网名 (required, ≤ 100).
        #[serde(deserialize_with = "super::lenient::required")]
        pub buyer_nick: String,
        /// 退款创建时间 (≤ 40, `yyyy-MM-dd HH:mm:ss` or blank).
        pub refund_time?: String,
        /// 退款成功时间 (≤ 40, `yyyy-MM-dd HH:mm:ss` or blank).
        pub current_phase_timeout?: String,
        /// 是否售后退款单 (required): [`IS_AFTERSALE`].
        #[serde(deserialize_with = "super::lenient::required")]
        pub is_aftersale: i64,
        /// 退款原因 (required key, ≤ 255; may be `""`).
        #[serde(deserialize_with = "super::lenient::required")]
        pub reason: String,
        /// 单价.
        pub price?: Dec4,
        /// 买家支付帐号 (≤ 128).
        pub pay_account?: String,
        /// 支付订单号 (≤ 60).
        pub pay_no?: String,
        /// 备注 (≤ 255).
        pub remark?: String,
        /// 退款货品总价.
        pub total_amount?: Dec4,
        /// 平台规格编号 (≤ 40).
        pub spec_no?: String,
        /// 平台规格id (≤ 40).
        pub spec_id?: String,
        /// 平台货品编号 (≤ 40).
        pub goods_no?: String,
        /// 平台货品id (≤ 40).
        pub goods_id?: String,
        /// 修改掩码 (upload2 only): [`MODIFY_FLAGS`]. Always `None` after
        /// [`RawRefundUpload::from_args`] for upload, whose page lacks it.
        pub modify_flag?: i64,
    }
}

/// The arguments of [`RAW_REFUND_UPLOAD`] and [`RAW_REFUND_UPLOAD2`] (one payload for both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRefundUpload {
    /// 店铺编号 (required, ≤ 40).
    pub shop_no: String,
    /// `order_list`.
    pub lines: Vec<RawRefundLine>,
}

/// Response `data` of [`RAW_REFUND_UPLOAD`]: `{"chg_count": 0, "new_count": 1}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawRefundUploadResult {
    /// 更新订单数: refunds whose stored values the push changed.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub chg_count: i64,
    /// 新增订单数: refunds the push created.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub new_count: i64,
}

/// One element of upload2's `error_list`: a refund the push did not take. Serialized as the
/// page's example writes it: `{"error": "店铺权限不足", "no": "lztest"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawRefundError {
    /// 错误信息.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub error: String,
    /// 单号: the line's `refund_no`.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub no: String,
}

/// Response `data` of [`RAW_REFUND_UPLOAD2`]:
/// `{"chg_count": 1, "error_list": [], "new_count": 2}` (`error_list` always present; empty when
/// every line was taken).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawRefundUpload2Result {
    /// 更新订单数: refunds whose stored values the push changed.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub chg_count: i64,
    /// 错误信息: the lines refused one by one.
    #[serde(deserialize_with = "super::lenient::vec_or_empty")]
    pub error_list: Vec<RawRefundError>,
    /// 新增订单数: refunds the push created.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub new_count: i64,
}

impl RawRefundUpload {
    /// Decodes and validates the positional arguments of `method`, [`RAW_REFUND_UPLOAD`] or
    /// [`RAW_REFUND_UPLOAD2`] (any other is [`ApiError::UnknownMethod`]). For upload, a
    /// `modify_flag` key is ignored (not on its page).
    pub fn from_args(method: &str, args: Vec<Value>) -> Result<Self, ApiError> {
        if method != RAW_REFUND_UPLOAD && method != RAW_REFUND_UPLOAD2 {
            return Err(ApiError::UnknownMethod(method.to_owned()));
        }
        let [shop_no, mut lines] = take_args::<2>(method, args)?;
        let shop_no = String::from_json(&shop_no)
            .map_err(|e| ApiError::ArgumentType(format!("{ARG_SHOP_NO}: expected a string, got {}", shorten(&e))))?;
        if method == RAW_REFUND_UPLOAD
            && let Value::Array(items) = &mut lines
        {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                item.remove("modify_flag");
            }
        }
        let upload = RawRefundUpload { shop_no, lines: decode_field(ARG_ORDERS, lines)? };
        upload.validate()?;
        Ok(upload)
    }

    /// The positional arguments that carry this call (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        vec![
            Value::String(self.shop_no.clone()),
            serde_json::to_value(&self.lines).expect("a request always serializes"),
        ]
    }

    /// Checks the pages' required fields, lengths, coded values and time formats. Whether the
    /// list may be empty, quantities, amounts and what the numbers name are the business rules'
    /// (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        rules::required_text(ARG_SHOP_NO, &self.shop_no, Some(40))?;
        rules::max_lines(ARG_ORDERS, &self.lines)?;
        for (i, line) in self.lines.iter().enumerate() {
            validate_line(i, line)?;
        }
        Ok(())
    }
}

fn validate_line(i: usize, l: &RawRefundLine) -> Result<(), ApiError> {
    let p = |field| rules::LinePath { list: ARG_ORDERS, index: i, field };
    rules::required_text(p("refund_no"), &l.refund_no, Some(40))?;
    rules::required_text(p("tid"), &l.tid, Some(40))?;
    rules::required_text(p("oid"), &l.oid, Some(40))?;
    rules::one_of(p("type"), Some(l.refund_type), RAW_REFUND_TYPES, |c| c)?;
    rules::one_of(p("status"), Some(l.status), RAW_REFUND_STATUSES, |c| c)?;
    rules::required_text(p("refund_version"), &l.refund_version, Some(40))?;
    rules::text_len(p("title"), &l.title, Some(255))?;
    rules::optional_text(p("logistics_name"), l.logistics_name.as_deref(), 40)?;
    rules::optional_text(p("logistics_no"), l.logistics_no.as_deref(), 40)?;
    rules::required_text(p("buyer_nick"), &l.buyer_nick, Some(100))?;
    rules::optional_text(p("refund_time"), l.refund_time.as_deref(), 40)?;
    wire_time(p("refund_time"), l.refund_time.as_deref())?;
    rules::optional_text(p("current_phase_timeout"), l.current_phase_timeout.as_deref(), 40)?;
    wire_time(p("current_phase_timeout"), l.current_phase_timeout.as_deref())?;
    rules::one_of(p("is_aftersale"), Some(l.is_aftersale), IS_AFTERSALE, |c| c)?;
    rules::text_len(p("reason"), &l.reason, Some(255))?;
    rules::optional_text(p("pay_account"), l.pay_account.as_deref(), 128)?;
    rules::optional_text(p("pay_no"), l.pay_no.as_deref(), 60)?;
    rules::optional_text(p("remark"), l.remark.as_deref(), 255)?;
    rules::optional_text(p("spec_no"), l.spec_no.as_deref(), 40)?;
    rules::optional_text(p("spec_id"), l.spec_id.as_deref(), 40)?;
    rules::optional_text(p("goods_no"), l.goods_no.as_deref(), 40)?;
    rules::optional_text(p("goods_id"), l.goods_id.as_deref(), 40)?;
    rules::one_of(p("modify_flag"), l.modify_flag, MODIFY_FLAGS, |c| c)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{decode_args, qjb_method};
    use super::*;

    /// The pages' JSON request example (identical on both pages).
    const EXAMPLE: &str = r#"["LCJ", [{
        "refund_no": "lztest",
        "num": 1,
        "tid": "TID6NAFAmwYMM",
        "oid": "deb718e2afe5",
        "type": 1,
        "status": 2,
        "refund_version": "1",
        "refund_amount": 1,
        "actual_refund_amount": 1,
        "title": "test",
        "logistics_name": "",
        "logistics_no": "",
        "buyer_nick": "123444",
        "refund_time": "2020-05-22 09:07:18",
        "is_aftersale": 0,
        "reason": ""
    }]]"#;

    fn example() -> Vec<Value> {
        decode_args(RAW_REFUND_UPLOAD2, EXAMPLE.as_bytes(), 2).unwrap()
    }

    fn decode(method: &str, args: Vec<Value>) -> Result<RawRefundUpload, ApiError> {
        let body = serde_json::to_vec(&args).unwrap();
        let arity = qjb_method(method).unwrap().arity;
        RawRefundUpload::from_args(method, decode_args(method, &body, arity)?)
    }

    #[test]
    fn the_page_example_decodes_and_round_trips_for_both_methods() {
        for method in [RAW_REFUND_UPLOAD, RAW_REFUND_UPLOAD2] {
            let m = qjb_method(method).unwrap();
            assert_eq!((m.min_arity(), m.arity), (2, 2));
            let args = decode_args(method, EXAMPLE.as_bytes(), m.arity).unwrap();
            let upload = RawRefundUpload::from_args(method, args).unwrap();
            assert_eq!(upload.shop_no, "LCJ");
            assert_eq!(upload.lines.len(), 1);
            let l = &upload.lines[0];
            assert_eq!(l.refund_no, "lztest");
            assert_eq!(l.num, Dec4::from_int(1).unwrap());
            assert_eq!((l.tid.as_str(), l.oid.as_str()), ("TID6NAFAmwYMM", "deb718e2afe5"));
            assert_eq!((l.refund_type, l.status, l.is_aftersale), (1, 2, 0));
            assert_eq!(l.refund_version, "1");
            assert_eq!(l.refund_amount, Dec4::from_int(1).unwrap());
            assert_eq!(l.actual_refund_amount, Dec4::from_int(1).unwrap());
            assert_eq!(l.title, "test");
            assert_eq!(l.logistics_name.as_deref(), Some(""));
            assert_eq!(l.buyer_nick, "123444");
            assert_eq!(l.refund_time.as_deref(), Some("2020-05-22 09:07:18"));
            assert_eq!(l.current_phase_timeout, None);
            assert_eq!(l.reason, "");
            assert_eq!((l.price, l.total_amount, l.modify_flag), (None, None, None));
            assert_eq!(RawRefundUpload::from_args(method, upload.to_args()).unwrap(), upload);
            assert_eq!(decode(method, upload.to_args()).unwrap(), upload);
        }
    }

    #[test]
    fn every_optional_field_decodes_and_round_trips() {
        let mut args = example();
        let extra = json!({"current_phase_timeout": "2020-05-23 10:00:00", "price": "9.99", "pay_account": "a@b",
            "pay_no": "P1", "remark": "备注", "total_amount": 9.99, "spec_no": "S", "spec_id": "1", "goods_no": "G",
            "goods_id": 2, "modify_flag": 6});
        for (k, v) in extra.as_object().unwrap() {
            args[1][0][k] = v.clone();
        }
        let upload = decode(RAW_REFUND_UPLOAD2, args.clone()).unwrap();
        let l = &upload.lines[0];
        assert_eq!(l.price, Dec4::parse("9.99").ok());
        assert_eq!(l.goods_id.as_deref(), Some("2"));
        assert_eq!(l.modify_flag, Some(6));
        assert_eq!(decode(RAW_REFUND_UPLOAD2, upload.to_args()).unwrap(), upload);
        // upload's page has no modify_flag: it is ignored, whatever it holds.
        args[1][0]["modify_flag"] = json!("abc");
        assert_eq!(decode(RAW_REFUND_UPLOAD, args).unwrap().lines[0].modify_flag, None);
    }

    #[test]
    fn blank_title_and_reason_are_kept_but_must_be_sent() {
        let mut args = example();
        args[1][0]["title"] = json!("");
        assert_eq!(decode(RAW_REFUND_UPLOAD, args).unwrap().lines[0].title, "");
        let mut args = example();
        args[1][0]["refund_time"] = json!("");
        args[1][0]["current_phase_timeout"] = Value::Null;
        assert!(decode(RAW_REFUND_UPLOAD, args).is_ok(), "blank times are absent");
    }

    #[test]
    fn refusals_name_field_and_value() {
        let long = |n: usize| "x".repeat(n);
        // (method, field, value (None: key removed), exact message)
        let cases: Vec<(&str, &str, Option<Value>, String)> = vec![
            (RAW_REFUND_UPLOAD, "refund_no", None, "order_list[0].refund_no不能为空".into()),
            (RAW_REFUND_UPLOAD, "refund_no", Some(json!(" ")), "order_list[0].refund_no不能为空".into()),
            (RAW_REFUND_UPLOAD, "tid", Some(json!(long(41))), format!("超长(最大40) order_list[0].tid: {}", long(41))),
            (RAW_REFUND_UPLOAD, "type", Some(json!(5)), "取值不合法(0/1/2/3/4) order_list[0].type: 5".into()),
            (RAW_REFUND_UPLOAD, "status", Some(json!(0)), "取值不合法(1/2/3/4/5) order_list[0].status: 0".into()),
            (RAW_REFUND_UPLOAD, "is_aftersale", Some(json!(2)), "取值不合法(0/1) order_list[0].is_aftersale: 2".into()),
            (
                RAW_REFUND_UPLOAD,
                "refund_time",
                Some(json!("2020-13-01 00:00:00")),
                "参数不合法 order_list[0].refund_time: 时间格式错误: 2020-13-01 00:00:00".into(),
            ),
            (
                RAW_REFUND_UPLOAD2,
                "current_phase_timeout",
                Some(json!("soon")),
                "参数不合法 order_list[0].current_phase_timeout: 时间格式错误: soon".into(),
            ),
            (
                RAW_REFUND_UPLOAD2,
                "modify_flag",
                Some(json!(8)),
                "取值不合法(0/1/2/3/4/5/6/7) order_list[0].modify_flag: 8".into(),
            ),
            (RAW_REFUND_UPLOAD, "title", None, "order_list[0].title不能为空".into()),
            (RAW_REFUND_UPLOAD, "reason", Some(Value::Null), "order_list[0].reason不能为空".into()),
            (
                RAW_REFUND_UPLOAD,
                "reason",
                Some(json!(long(256))),
                format!("超长(最大255) order_list[0].reason: {}…", long(64)),
            ),
            (RAW_REFUND_UPLOAD, "buyer_nick", Some(json!("")), "order_list[0].buyer_nick不能为空".into()),
            (RAW_REFUND_UPLOAD, "refund_version", Some(json!("")), "order_list[0].refund_version不能为空".into()),
            (RAW_REFUND_UPLOAD, "num", Some(json!("")), "order_list[0].num不能为空".into()),
            (
                RAW_REFUND_UPLOAD,
                "refund_amount",
                Some(json!("1.23456")),
                "参数不合法 order_list[0].refund_amount: 小数位数不能超过4位: 1.23456".into(),
            ),
            (
                RAW_REFUND_UPLOAD,
                "type",
                Some(json!("one")),
                "参数不合法 order_list[0].type: 不是合法的整数: one".into(),
            ),
            (
                RAW_REFUND_UPLOAD,
                "pay_no",
                Some(json!(long(61))),
                format!("超长(最大60) order_list[0].pay_no: {}", long(61)),
            ),
        ];
        for (method, field, value, text) in cases {
            let mut args = example();
            match &value {
                Some(v) => args[1][0][field] = v.clone(),
                None => {
                    args[1][0].as_object_mut().unwrap().remove(field);
                }
            }
            let e = decode(method, args).unwrap_err();
            assert_eq!(e, ApiError::Business(text), "{method} {field}={value:?}");
        }
        let mut args = example();
        args[1][0]["refund_version"] = json!(2);
        assert_eq!(decode(RAW_REFUND_UPLOAD, args).unwrap().lines[0].refund_version, "2");
        let mut args = example();
        args[0] = json!(long(41));
        assert_eq!(
            decode(RAW_REFUND_UPLOAD, args).unwrap_err(),
            ApiError::Business(format!("超长(最大40) shop_no: {}", long(41)))
        );
        let mut args = example();
        args[0] = json!("");
        assert_eq!(decode(RAW_REFUND_UPLOAD, args).unwrap_err(), ApiError::Business("shop_no不能为空".into()));
        let e = decode(RAW_REFUND_UPLOAD, vec![json!("LCJ"), json!({})]).unwrap_err();
        assert!(matches!(e, ApiError::ArgumentType(ref m) if m.starts_with("order_list: expected an array")), "{e:?}");
        assert!(matches!(
            RawRefundUpload::from_args("sales.RawTrade.pushSelf", example()),
            Err(ApiError::UnknownMethod(_))
        ));
    }

    #[test]
    fn results_serialize_as_the_pages_write_them() {
        let one = RawRefundUploadResult { chg_count: 0, new_count: 1 };
        assert_eq!(serde_json::to_string(&one).unwrap(), r#"{"chg_count":0,"new_count":1}"#);
        let two = RawRefundUpload2Result { chg_count: 1, error_list: Vec::new(), new_count: 2 };
        assert_eq!(serde_json::to_string(&two).unwrap(), r#"{"chg_count":1,"error_list":[],"new_count":2}"#);
        let refused = RawRefundUpload2Result {
            chg_count: 0,
            error_list: vec![RawRefundError { error: "店铺权限不足".into(), no: "lztest".into() }],
            new_count: 0,
        };
        let text = serde_json::to_string(&refused).unwrap();
        assert_eq!(text, r#"{"chg_count":0,"error_list":[{"error":"店铺权限不足","no":"lztest"}],"new_count":0}"#);
        assert_eq!(serde_json::from_str::<RawRefundUpload2Result>(&text).unwrap(), refused);
        let lenient: RawRefundUpload2Result =
            serde_json::from_value(json!({"chg_count": "3", "error_list": null})).unwrap();
        assert_eq!(lenient, RawRefundUpload2Result { chg_count: 3, ..Default::default() });
        assert_eq!(serde_json::from_str::<RawRefundUploadResult>("{}").unwrap(), RawRefundUploadResult::default());
    }
}
