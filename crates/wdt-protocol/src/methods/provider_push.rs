//! `setting.PurchaseProvider.push` (供应商信息推送): body `[provider]`. A provider is matched by
//! `provider_no`: a number already loaded is an update.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;

use super::{PROVIDER_PUSH, decode_field, rules, take_args};

/// Name of the positional argument.
pub const ARG_PROVIDER: &str = "provider";

/// `data.status` of a successful push.
pub const RESULT_OK: i64 = 0;
/// `data.message` of a successful push.
pub const RESULT_MESSAGE: &str = "OK";

wire_struct! {
    /// `provider`: the provider (supplier) record.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ProviderInfo {
        /// 供应商编号 (required, ≤ 20).
        #[serde(deserialize_with = "super::lenient::required")]
        pub provider_no: String [required max 20],
        /// 供应商名称 (required, ≤ 64; unique among the seller's providers).
        #[serde(deserialize_with = "super::lenient::required")]
        pub provider_name: String [required max 64],
        /// 联系人 (≤ 64).
        pub contact?: String [max 64],
        /// 固话 (≤ 20).
        pub telno?: String [max 20],
        /// 手机 (≤ 20).
        pub mobile?: String [max 20],
        /// 传真 (≤ 20).
        pub fax?: String [max 20],
        /// QQ (≤ 20).
        pub qq?: String [max 20],
        /// 邮编 (≤ 20).
        pub zip?: String [max 20],
        /// 旺旺 (≤ 64).
        pub wangwang?: String [max 64],
        /// 邮箱 (≤ 64).
        pub email?: String [max 64],
        /// 网址 (≤ 128).
        pub website?: String [max 128],
        /// 地址 (≤ 128).
        pub address?: String [max 128],
        /// 到货天数 (≤ 11 digits).
        pub arrive_cycle_days?: i64,
        /// 备注 (≤ 256).
        pub remark?: String [max 256],
        /// 是否停用: 0 否 (default), 1 是.
        pub is_disabled?: i64,
        /// 银行卡号 (≤ 30).
        pub account_bank_no?: String [max 30],
        /// 收款银行 (≤ 30).
        pub account_bank?: String [max 30],
        /// 收款人 (≤ 64).
        pub collect_name?: String [max 64],
        /// 省份ID (≤ 11 digits; the vendor's city code table).
        pub province?: i64,
        /// 城市ID (≤ 11 digits).
        pub city?: i64,
        /// 地区ID (≤ 11 digits).
        pub district?: i64,
        /// 供应商分组.
        pub provider_group?: String,
        /// 跟进人 (an employee's nickname).
        pub shortname?: String,
    }
}

/// The argument of [`PROVIDER_PUSH`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderPush {
    /// `provider`.
    pub provider: ProviderInfo,
}

/// Response `data`: `{"status": 0, "message": "OK"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderPushResult {
    /// [`RESULT_OK`].
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub status: i64,
    /// [`RESULT_MESSAGE`].
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub message: String,
}

impl ProviderPushResult {
    /// The answer for a pushed provider.
    pub fn ok() -> Self {
        ProviderPushResult { status: RESULT_OK, message: RESULT_MESSAGE.to_owned() }
    }
}

/// An integer given with at most `digits` decimal digits (the page's Int length).
fn int_len(path: &str, value: Option<i64>, digits: u32) -> Result<(), ApiError> {
    match value {
        Some(v) if v.unsigned_abs() >= 10u64.pow(digits) => {
            Err(ApiError::Business(format!("超长(最大{digits}) {path}: {v}")))
        }
        _ => Ok(()),
    }
}

impl ProviderPush {
    /// Decodes and validates the positional argument of [`PROVIDER_PUSH`].
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [provider] = take_args::<1>(PROVIDER_PUSH, args)?;
        let push = ProviderPush { provider: decode_field(ARG_PROVIDER, provider)? };
        push.validate()?;
        Ok(push)
    }

    /// The positional arguments that carry this call (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        vec![serde_json::to_value(&self.provider).expect("a request always serializes")]
    }

    /// Checks the page's required fields, lengths and `is_disabled`. A negative
    /// `arrive_cycle_days` and a name another provider has are the business rules'.
    pub fn validate(&self) -> Result<(), ApiError> {
        let p = &self.provider;
        p.check_declared(|f| f)?;
        int_len("arrive_cycle_days", p.arrive_cycle_days, 11)?;
        rules::one_of("is_disabled", p.is_disabled, &[0, 1], |v: i64| v)?;
        int_len("province", p.province, 11)?;
        int_len("city", p.city, 11)?;
        int_len("district", p.district, 11)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_pages_lengths_and_flags() {
        let refusal = |p: Value| ProviderPush::from_args(vec![p]).unwrap_err().to_string();
        assert_eq!(refusal(json!({"provider_no": "P"})), "provider_name不能为空");
        assert_eq!(
            refusal(json!({"provider_no": "P", "provider_name": "n", "zip": "1".repeat(21)})),
            format!("超长(最大20) zip: {}", "1".repeat(21))
        );
        assert_eq!(
            refusal(json!({"provider_no": "P", "provider_name": "n", "is_disabled": 5})),
            "取值不合法(0/1) is_disabled: 5"
        );
        let ok =
            ProviderPush::from_args(vec![json!({"provider_no": "P", "provider_name": "n", "city": "110100"})]).unwrap();
        assert_eq!(ok.provider.city, Some(110100));
        assert_eq!(ProviderPush::from_args(ok.to_args()).unwrap(), ok);
    }
}
