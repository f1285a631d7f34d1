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

/// A qjb method's successful answer, already serialised: written straight from the method's own
/// types, not through a `serde_json::Value` tree (a page of 100 orders is a few thousand fields).
#[derive(Debug, Default)]
pub(crate) struct QjbData {
    /// `total` beside `status`, before `data` (`wms.StockSpec.search`); every other method
    /// answers inside `data`.
    total_beside: Option<i64>,
    /// `data`; `None` answers without it.
    data: Option<Box<RawValue>>,
}

impl QjbData {
    /// An answer without `data`.
    pub(crate) fn none() -> QjbData {
        QjbData::default()
    }

    /// An answer whose `data` is `raw`.
    pub(crate) fn raw(raw: Box<RawValue>) -> QjbData {
        QjbData { total_beside: None, data: Some(raw) }
    }
}

fn serialising(e: serde_json::Error) -> ApiError {
    tracing::error!(error = %e, "serialising a response");
    ApiError::Internal
}

/// Serialises a method's result as its `data`.
pub(crate) fn qjb_data(result: &impl Serialize) -> Result<QjbData, ApiError> {
    serde_json::value::to_raw_value(result).map(QjbData::raw).map_err(serialising)
}

/// A page whose `data` is the bare list of `rows`, with `total` (when counted) beside `status`:
/// `{"status":0,"total":N,"data":[...]}` (`wms.StockSpec.search`).
pub(crate) fn qjb_total_beside(total: Option<i64>, rows: &impl Serialize) -> Result<QjbData, ApiError> {
    let data = serde_json::value::to_raw_value(rows).map_err(serialising)?;
    Ok(QjbData { total_beside: total, data: Some(data) })
}

/// A qjb result: `{"status":0,"data":…}` or `{"status":N,"message":…}`.
pub(crate) fn qjb(result: &Result<QjbData, ApiError>) -> Response {
    with_body(qjb_bytes(result))
}

/// The bytes of [`qjb`]'s answer.
pub(crate) fn qjb_bytes(result: &Result<QjbData, ApiError>) -> Vec<u8> {
    match result {
        // The same bytes as `qjb::success_body` with the data as a Value.
        Ok(QjbData { total_beside, data: Some(data) }) => {
            let data = data.get().as_bytes();
            let mut body = Vec::with_capacity(data.len() + 48);
            body.extend_from_slice(br#"{"status":0,"#);
            if let Some(total) = total_beside {
                body.extend_from_slice(format!(r#""total":{total},"#).as_bytes());
            }
            body.extend_from_slice(br#""data":"#);
            body.extend_from_slice(data);
            body.push(b'}');
            body
        }
        Ok(QjbData { data: None, .. }) => json_bytes(&qjb::success_body(None)),
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
                None => super::QjbData::none(),
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
        let raw = super::qjb_data(&page).unwrap().data.unwrap();
        let through_value = serde_json::to_string(&serde_json::to_value(&page).unwrap()).unwrap();
        assert_eq!(raw.get(), through_value);
    }

    /// A bare-list page: `total` beside `status`, `data` the list; without a count, no `total`.
    #[test]
    fn a_total_beside_page_is_a_bare_list() {
        let rows = json!([{"spec_no": "A", "stock_num": 3}]);
        let counted = super::qjb_bytes(&super::qjb_total_beside(Some(7), &rows));
        let counted = String::from_utf8(counted).unwrap();
        assert_eq!(counted, r#"{"status":0,"total":7,"data":[{"spec_no":"A","stock_num":3}]}"#);
        let bare = super::qjb_bytes(&super::qjb_total_beside(None, &json!([])));
        assert_eq!(String::from_utf8(bare).unwrap(), r#"{"status":0,"data":[]}"#);
        let other = super::qjb_bytes(&super::qjb_data(&json!({"total": 1, "data": []})));
        let other: serde_json::Value = serde_json::from_slice(&other).unwrap();
        assert_eq!(other, json!({"status": 0, "data": {"total": 1, "data": []}}), "other data is left alone");
    }

    fn futures_body(response: axum::response::Response) -> Vec<u8> {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async { axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec() })
    }
}
