//! Turning results into HTTP 200 JSON envelopes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use wdt_protocol::{ApiError, openapi2, qjb};

const FALLBACK: &[u8] = r#"{"status":4,"message":"数据库错误"}"#.as_bytes();

fn json(value: &Value) -> Response {
    // Serialising a Value cannot fail; fall back to a fixed body rather than panic regardless.
    with_body(serde_json::to_vec(value).unwrap_or_else(|_| FALLBACK.to_vec()))
}

fn with_body(body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// A qjb result: `{"status":0,"data":…}` or `{"status":N,"message":…}`.
pub(crate) fn qjb(result: &Result<Option<Value>, ApiError>) -> Response {
    match result {
        // The same bytes as `qjb::success_body`, without copying a page of data into a new
        // envelope first.
        Ok(Some(data)) => {
            let mut body = br#"{"status":0,"data":"#.to_vec();
            match serde_json::to_writer(&mut body, data) {
                Ok(()) => {
                    body.push(b'}');
                    with_body(body)
                }
                Err(_) => with_body(FALLBACK.to_vec()),
            }
        }
        Ok(None) => json(&qjb::success_body(None)),
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn qjb_envelope_is_the_protocol_body_byte_for_byte() {
        for data in [Some(json!({"order": [{"a": 1, "b": "2.0000"}], "total_count": 1})), Some(json!(null)), None] {
            let response = super::qjb(&Ok(data.clone()));
            let expected = serde_json::to_vec(&wdt_protocol::qjb::success_body(data)).unwrap();
            let body = futures_body(response);
            assert_eq!(String::from_utf8(body).unwrap(), String::from_utf8(expected).unwrap());
        }
    }

    fn futures_body(response: axum::response::Response) -> Vec<u8> {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async { axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec() })
    }
}
