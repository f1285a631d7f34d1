//! Every refusal the server can give, and its code in each dialect.
//!
//! This is the one place where an error becomes a wire code. qjb codes and messages follow the
//! vendor error table (`vendor-docs/qjb/guide-cwmsm.md`); openapi2 has no published table, so it
//! reuses the qjb numbers, except the duplicate outer number, which seed 001 shows as the string
//! `"40"`.

use serde_json::Value;

/// The vendor's text for a per-minute call limit (status 100). SDKs retry on exactly this.
pub const RATE_LIMIT_MESSAGE: &str = "超过每分钟最大调用频率限制，请稍后重试";
/// The vendor's text for a concurrent-call limit (status 100). SDKs retry on exactly this.
pub const CONCURRENCY_LIMIT_MESSAGE: &str = "超过每分钟最大并发次数限制，请稍后重试";

/// A refusal, independent of the dialect that carries it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A required common parameter (`sid`, `key`, `sign`, …) is missing or empty.
    #[error("{0}不能为空")]
    MissingParameter(String),
    /// The `sid` names no seller account.
    #[error("sid is not exists")]
    UnknownSid,
    /// The key is unknown, belongs to another sid, or is for the other dialect.
    #[error("app auth fail")]
    AppAuthFail,
    /// The signature (or the salt) does not match.
    #[error("验证失败")]
    SignatureMismatch,
    /// The timestamp is not an integer or is outside the allowed window.
    #[error("时间戳错误")]
    BadTimestamp,
    /// `v` is not `1.0`.
    #[error("版本错误")]
    BadVersion,
    /// The body is not a JSON array of the method's arity (detail follows the vendor text).
    #[error("invalid argument count: {0}")]
    ArgumentCount(String),
    /// A common parameter is malformed (given twice, say).
    #[error("参数错误: {0}")]
    BadParameter(String),
    /// A positional argument has the wrong JSON type.
    #[error("argument type mismatch: {0}")]
    ArgumentType(String),
    /// No such method, or the method is not open to this key.
    #[error("权限不足")]
    UnknownMethod(String),
    /// A paged method called without `page_no`/`page_size`.
    #[error("此方法仅支持分页查询：{0}")]
    PagerRequired(String),
    /// Per-key calls-per-minute limit reached.
    #[error("{RATE_LIMIT_MESSAGE}")]
    RateLimited,
    /// Per-key concurrent-calls limit reached.
    #[error("{CONCURRENCY_LIMIT_MESSAGE}")]
    ConcurrencyLimited,
    /// The request body is larger than the server accepts.
    #[error("参数错误: 请求体超过 {limit} 字节上限")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A business rule refused the request. The message names the field and the value.
    #[error("{0}")]
    Business(String),
    /// The outer number (`out_stockin_no`, `outer_no`) was already used by this seller.
    #[error("外部单号已存在,不能重复推送")]
    DuplicateOuterNo {
        /// The wire field that carried it.
        field: &'static str,
        /// The outer number.
        value: String,
    },
    /// Something failed inside the server; details go to the log, never to the client.
    #[error("数据库错误")]
    Internal,
}

impl ApiError {
    /// Shorthand for a business refusal.
    pub fn business(message: impl Into<String>) -> Self {
        ApiError::Business(message.into())
    }

    /// The qjb `status` for this error.
    pub fn qjb_status(&self) -> i64 {
        match self {
            ApiError::MissingParameter(_) => 2,
            ApiError::UnknownSid
            | ApiError::AppAuthFail
            | ApiError::SignatureMismatch
            | ApiError::ArgumentCount(_)
            | ApiError::ArgumentType(_)
            | ApiError::BadParameter(_)
            | ApiError::BodyTooLarge { .. } => 1,
            ApiError::BadTimestamp => 7,
            ApiError::BadVersion => 8,
            ApiError::Internal => 4,
            ApiError::UnknownMethod(_)
            | ApiError::PagerRequired(_)
            | ApiError::RateLimited
            | ApiError::ConcurrencyLimited
            | ApiError::Business(_)
            | ApiError::DuplicateOuterNo { .. } => 100,
        }
    }

    /// The qjb `message` for this error.
    pub fn qjb_message(&self) -> String {
        match self {
            // The vendor table has this one for qjb documents.
            ApiError::DuplicateOuterNo { field, value } => format!("此外部单已使用! {field}: {value}"),
            other => other.to_string(),
        }
    }

    /// The openapi2 `code` for this error: a JSON number, or the string `"40"` for a duplicate
    /// outer number exactly as seed 001 shows it.
    pub fn openapi2_code(&self) -> Value {
        match self {
            ApiError::DuplicateOuterNo { .. } => Value::String("40".to_owned()),
            other => Value::from(other.qjb_status()),
        }
    }

    /// The openapi2 `message` for this error.
    pub fn openapi2_message(&self) -> String {
        // Seed 001 shows the duplicate message bare; everything else reads as in qjb.
        self.to_string()
    }

    /// Whether an SDK should retry the call after a pause (the vendor's two limit messages).
    pub fn is_retryable(&self) -> bool {
        matches!(self, ApiError::RateLimited | ApiError::ConcurrencyLimited)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_vendor_table() {
        let cases: Vec<(ApiError, i64, &str)> = vec![
            (ApiError::UnknownSid, 1, "sid is not exists"),
            (ApiError::AppAuthFail, 1, "app auth fail"),
            (ApiError::SignatureMismatch, 1, "验证失败"),
            (ApiError::BadTimestamp, 7, "时间戳错误"),
            (ApiError::BadVersion, 8, "版本错误"),
            (ApiError::UnknownMethod("x.y".into()), 100, "权限不足"),
            (
                ApiError::PagerRequired("wms.stockin.Refund.queryWithDetail".into()),
                100,
                "此方法仅支持分页查询：wms.stockin.Refund.queryWithDetail",
            ),
            (ApiError::RateLimited, 100, RATE_LIMIT_MESSAGE),
            (ApiError::Internal, 4, "数据库错误"),
            (ApiError::MissingParameter("sign".into()), 2, "sign不能为空"),
        ];
        for (err, status, message) in cases {
            assert_eq!(err.qjb_status(), status, "{err:?}");
            assert_eq!(err.qjb_message(), message, "{err:?}");
        }
    }

    #[test]
    fn duplicate_outer_number_is_string_40_in_openapi2() {
        let err = ApiError::DuplicateOuterNo { field: "outer_no", value: "ghs".into() };
        assert_eq!(err.openapi2_code(), Value::String("40".into()));
        assert_eq!(err.openapi2_message(), "外部单号已存在,不能重复推送");
        assert_eq!(err.qjb_status(), 100);
        assert!(err.qjb_message().contains("ghs"));
    }
}
