//! Turning results into HTTP 200 JSON envelopes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use wdt_protocol::{ApiError, openapi2, qjb};

const FALLBACK: &[u8] = r#"{"status":4,"message":"数据库错误"}"#.as_bytes();

fn json_bytes(value: &Value) -> Vec<u8> {
    // Serialising a Value cannot fail; fall back to a fixed body rather than panic regardless.
    serde_json::to_vec(value).unwrap_or_else(|_| FALLBACK.to_vec())
}

/// An envelope's bytes as the HTTP 200 JSON answer.
pub(crate) fn with_body(body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// A qjb method's `data`, already serialised: written straight from the method's own types, not
/// through a `serde_json::Value` tree (a page of 100 orders is a few thousand fields).
pub(crate) type QjbData = Option<Box<RawValue>>;

/// Serialises a method's result as its `data`.
pub(crate) fn qjb_data(result: &impl Serialize) -> Result<QjbData, ApiError> {
    serde_json::value::to_raw_value(result).map(Some).map_err(|e| {
        tracing::error!(error = %e, "serialising a response");
        ApiError::Internal
    })
}

/// A qjb result: `{"status":0,"data":…}` or `{"status":N,"message":…}`.
pub(crate) fn qjb(result: &Result<QjbData, ApiError>) -> Response {
    with_body(qjb_bytes(result))
}

/// The bytes of [`qjb`]'s answer.
pub(crate) fn qjb_bytes(result: &Result<QjbData, ApiError>) -> Vec<u8> {
    match result {
        // The same bytes as `qjb::success_body` with the data as a Value.
        Ok(Some(data)) => {
            let data = data.get().as_bytes();
            let mut body = Vec::with_capacity(data.len() + 24);
            body.extend_from_slice(br#"{"status":0,"data":"#);
            body.extend_from_slice(data);
            body.push(b'}');
            body
        }
        Ok(None) => json_bytes(&qjb::success_body(None)),
        Err(e) => json_bytes(&qjb::error_body(e)),
    }
}

/// An openapi2 result: `{"code":0,"message":"succeed",…}` or `{"code":N,"message":…}`.
pub(crate) fn openapi2(result: &Result<Map<String, Value>, ApiError>) -> Response {
    with_body(openapi2_bytes(result))
}

/// The bytes of [`openapi2`]'s answer.
pub(crate) fn openapi2_bytes(result: &Result<Map<String, Value>, ApiError>) -> Vec<u8> {
    match result {
        Ok(extra) => json_bytes(&openapi2::success_body(extra.clone())),
        Err(e) => json_bytes(&openapi2::error_body(e)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn qjb_envelope_is_the_protocol_body_byte_for_byte() {
        for data in [Some(json!({"order": [{"a": 1, "b": "2.0000"}], "total_count": 1})), Some(json!(null)), None] {
            let raw = match &data {
                Some(v) => super::qjb_data(v).unwrap(),
                None => None,
            };
            let response = super::qjb(&Ok(raw));
            let expected = serde_json::to_vec(&wdt_protocol::qjb::success_body(data)).unwrap();
            let body = futures_body(response);
            assert_eq!(String::from_utf8(body).unwrap(), String::from_utf8(expected).unwrap());
        }
    }

    /// A page written straight from its types reads the same as one written through a Value.
    #[test]
    fn a_query_page_serialises_the_same_without_a_value_tree() {
        use wdt_protocol::Dec4;
        use wdt_protocol::methods::refund_stockin_query::{QueryPage, StockinDetailRow, StockinOrderRow};
        let detail = StockinDetailRow {
            spec_no: "MUG-RED".into(),
            num: Dec4::from_int(3).unwrap(),
            ..StockinDetailRow::default()
        };
        let order = StockinOrderRow {
            order_no: "RK202611300001".into(),
            remark: "引号\"与\\反斜杠\u{1}".into(),
            goods_count: Dec4::from_scaled(12_345),
            details_list: vec![detail.clone(), detail],
            ..StockinOrderRow::default()
        };
        let page = QueryPage { order: vec![order], total_count: Some(1) };
        let raw = super::qjb_data(&page).unwrap().unwrap();
        let through_value = serde_json::to_string(&serde_json::to_value(&page).unwrap()).unwrap();
        assert_eq!(raw.get(), through_value);
    }

    fn futures_body(response: axum::response::Response) -> Vec<u8> {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async { axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec() })
    }
}
