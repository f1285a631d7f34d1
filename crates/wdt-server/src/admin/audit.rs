//! `GET /admin/v1/audit?sid=…&since=…&limit=…`: the audit log, oldest first.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use wdt_store::AuditFilter;

use super::body::quote;
use super::error::json_body;
use super::{Admin, AdminError, views};
use crate::{AppState, telemetry};

/// Rows answered when `limit` is not given.
pub(crate) const DEFAULT_LIMIT: u32 = 100;
/// The most rows one answer holds; a larger `limit` is taken as this.
pub(crate) const MAX_LIMIT: u32 = 1000;

/// The audit route, under `/admin/v1`.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/v1/audit", get(list))
}

/// `since`: `yyyy-MM-dd HH:mm:ss` (or `yyyy-MM-dd`) Shanghai time, or epoch milliseconds.
fn parse_since(text: &str) -> Result<i64, AdminError> {
    let t = text.trim();
    let ms = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse::<i64>().ok()
    } else {
        wdt_protocol::time::parse_wire_time(t).ok()
    };
    ms.ok_or_else(|| {
        let value = quote(text);
        AdminError::invalid(
            "since",
            value.clone(),
            format!("时间格式应为 yyyy-MM-dd HH:mm:ss 或毫秒时间戳 since: {value}"),
        )
    })
}

/// `limit`: 1 or more; above [`MAX_LIMIT`] it is [`MAX_LIMIT`].
fn parse_limit(text: &str) -> Result<u32, AdminError> {
    match text.trim().parse::<u64>() {
        Ok(0) | Err(_) => {
            let value = quote(text);
            Err(AdminError::invalid("limit", value.clone(), format!("limit 应为正整数 limit: {value}")))
        }
        Ok(n) => Ok(u32::try_from(n.min(u64::from(MAX_LIMIT))).unwrap_or(MAX_LIMIT)),
    }
}

/// The filter a query string asks for; each parameter at most once, no others.
fn filter(query: &str) -> Result<AuditFilter, AdminError> {
    let mut filter = AuditFilter { limit: DEFAULT_LIMIT, ..AuditFilter::default() };
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if seen.iter().any(|s| *s == name) {
            return Err(AdminError::invalid(name.to_string(), quote(&value), format!("参数重复 {name}")));
        }
        seen.push(name.to_string());
        match name.as_ref() {
            "sid" => filter.sid = Some(value.trim().to_owned()).filter(|s| !s.is_empty()),
            "since" => filter.since = Some(parse_since(&value)?),
            "limit" => filter.limit = parse_limit(&value)?,
            other => {
                return Err(AdminError::invalid(
                    other.to_owned(),
                    quote(&value),
                    format!("未知参数 {other} (可用参数: sid, since, limit)"),
                ));
            }
        }
    }
    Ok(filter)
}

async fn list(State(state): State<AppState>, _admin: Admin, RawQuery(query): RawQuery) -> Response {
    let request_id = telemetry::next_request_id();
    let result = async {
        let mut f = filter(query.as_deref().unwrap_or(""))?;
        let limit = f.limit;
        // One row more than asked tells whether more follow.
        f.limit = limit + 1;
        let mut rows = state.store.audit(&f).await.map_err(|e| AdminError::from_store(request_id, e))?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let audit: Vec<Value> = rows.iter().map(views::audit).collect();
        Ok::<_, AdminError>(json!({"audit": audit, "more": more, "limit": limit}))
    }
    .await;
    let mut response = match result {
        Ok(body) => (StatusCode::OK, json_body(&body)).into_response(),
        Err(e) => e.into_response_logged(),
    };
    response.headers_mut().insert("x-request-id", request_id.into());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_wire_time_or_epoch_ms() {
        let wire = wdt_protocol::time::parse_wire_time("2026-01-01 09:00:00").unwrap();
        assert_eq!(parse_since("2026-01-01 09:00:00").unwrap(), wire);
        assert_eq!(parse_since(&wire.to_string()).unwrap(), wire);
        assert_eq!(parse_since("2026-01-01").unwrap(), wdt_protocol::time::parse_wire_time("2026-01-01").unwrap());
        for bad in ["", "yesterday", "2026-13-01 00:00:00", "-5", "99999999999999999999"] {
            let e = parse_since(bad).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), ("invalid", Some("since")), "{bad}");
        }
    }

    #[test]
    fn the_query_takes_each_parameter_once() {
        let f = filter("sid=demo&since=0&limit=5000").unwrap();
        assert_eq!(
            f,
            AuditFilter { sid: Some("demo".into()), since: Some(0), limit: MAX_LIMIT, ..AuditFilter::default() }
        );
        assert_eq!(filter("").unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(filter("sid=").unwrap().sid, None);
        for (query, field) in [("sid=a&sid=b", "sid"), ("limit=0", "limit"), ("limit=x", "limit"), ("who=me", "who")] {
            assert_eq!(filter(query).unwrap_err().field.as_deref(), Some(field), "{query}");
        }
    }
}
