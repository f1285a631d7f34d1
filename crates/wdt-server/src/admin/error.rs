//! The admin API's refusals: an HTTP status and `{"error": {"code", "message", "field", "value"}}`.

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use wdt_store::{RefusalKind, StoreError};

/// One refusal of the admin API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AdminError {
    /// The HTTP status.
    pub status: StatusCode,
    /// `unauthorized`, `not_found`, `conflict`, `invalid`, `method_not_allowed`, `too_large`,
    /// `internal`.
    pub code: &'static str,
    /// For people; names the field and value when there is one.
    pub message: String,
    /// The field (or path segment, or query parameter) the refusal is about.
    pub field: Option<String>,
    /// Its value, as received.
    pub value: Option<String>,
}

impl AdminError {
    fn new(status: StatusCode, code: &'static str, message: String) -> AdminError {
        AdminError { status, code, message, field: None, value: None }
    }

    /// Names the field and value the refusal is about.
    pub(crate) fn about(mut self, field: impl Into<String>, value: impl Into<String>) -> AdminError {
        self.field = Some(field.into());
        self.value = Some(value.into());
        self
    }

    /// No admin token configured, none sent, or the wrong one.
    pub(crate) fn unauthorized() -> AdminError {
        AdminError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要管理令牌 admin token required: Authorization: Bearer <token>".to_owned(),
        )
    }

    /// A value of the request is not acceptable (422).
    pub(crate) fn invalid(field: impl Into<String>, value: impl Into<String>, message: String) -> AdminError {
        AdminError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).about(field, value)
    }

    /// A body over the admin API's limit (413).
    pub(crate) fn too_large(limit: usize) -> AdminError {
        AdminError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("请求体超过 {limit} 字节上限"))
    }

    /// A path under `/admin` that names nothing (404).
    pub(crate) fn not_found_path(method: &Method, path: &str) -> AdminError {
        AdminError::new(StatusCode::NOT_FOUND, "not_found", format!("没有这个管理接口 {method} {path}"))
            .about("path", path)
    }

    /// A known path with the wrong HTTP method (405).
    pub(crate) fn wrong_method(method: &Method, path: &str) -> AdminError {
        AdminError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("不支持 HTTP 方法 {method} {path}"),
        )
        .about("method", method.as_str())
    }

    /// A database fault: logged with its cause under `request_id`, answered without it.
    pub(crate) fn internal(request_id: u64, cause: &dyn std::fmt::Display) -> AdminError {
        tracing::error!(request_id, error = %cause, "admin request failed");
        AdminError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("内部错误, 详见服务器日志 internal error, see the server log (request id {request_id})"),
        )
    }

    /// A store failure: refusals by their kind, database faults as `internal`.
    pub(crate) fn from_store(request_id: u64, e: StoreError) -> AdminError {
        match e {
            StoreError::Refused(r) => {
                let (status, code) = match r.kind {
                    RefusalKind::NotFound => (StatusCode::NOT_FOUND, r.kind.code()),
                    RefusalKind::Conflict => (StatusCode::CONFLICT, r.kind.code()),
                    RefusalKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, r.kind.code()),
                };
                AdminError::new(status, code, r.message).about(r.field, r.value)
            }
            // A business rule of the API dialects reached through an action: the document cannot
            // take it as it stands.
            StoreError::Api(api) if !matches!(api, wdt_protocol::ApiError::Internal) => {
                AdminError::new(StatusCode::CONFLICT, "conflict", api.to_string())
            }
            other => AdminError::internal(request_id, &other),
        }
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> Value {
        json!({"error": {"code": self.code, "message": self.message, "field": self.field, "value": self.value}})
    }

    /// The response, with a log line for refusals that are the caller's (4xx).
    pub(crate) fn into_response_logged(self) -> Response {
        if self.status.is_client_error() {
            tracing::info!(status = self.status.as_u16(), code = self.code, field = ?self.field, "admin request refused");
        }
        self.into_response()
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let mut response = (self.status, json_body(&self.body())).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A JSON value as a response body with its content type.
pub(crate) fn json_body(value: &Value) -> impl IntoResponse {
    // Serialising a Value cannot fail; an empty object stands in regardless.
    let bytes = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"))], bytes)
}
