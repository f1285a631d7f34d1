//! Turning results into HTTP 200 JSON envelopes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use wdt_protocol::{ApiError, openapi2, qjb};

fn json(value: &Value) -> Response {
    // Serialising a Value cannot fail; fall back to a fixed body rather than panic regardless.
    let body =
        serde_json::to_vec(value).unwrap_or_else(|_| r#"{"status":4,"message":"数据库错误"}"#.as_bytes().to_vec());
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// A qjb result: `{"status":0,"data":…}` or `{"status":N,"message":…}`.
pub(crate) fn qjb(result: &Result<Option<Value>, ApiError>) -> Response {
    match result {
        Ok(data) => json(&qjb::success_body(data.clone())),
        Err(e) => json(&qjb::error_body(e)),
    }
}

/// An openapi2 result: `{"code":0,"message":"succeed",…}` or `{"code":N,"message":…}`.
pub(crate) fn openapi2(result: &Result<Map<String, Value>, ApiError>) -> Response {
    match result {
        Ok(extra) => json(&openapi2::success_body(extra.clone())),
        Err(e) => json(&openapi2::error_body(e)),
    }
}
