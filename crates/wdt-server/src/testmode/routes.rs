//! The test-mode control routes, merged into the admin router only in test mode:
//!
//! ```text
//! GET|PUT|DELETE /admin/v1/clock      {"now":"2026-01-01 09:00:00"} | {"advance_seconds":90}
//! POST   /admin/v1/fixtures           a fixture document (SPEC.md §6), imported as by `import`
//! POST   /admin/v1/reset              {"fixture": optional document}
//! GET|POST /admin/v1/snapshots        {"name":"before-test"}
//! POST   /admin/v1/snapshots/{name}/restore      DELETE /admin/v1/snapshots/{name}
//! GET|POST|DELETE /admin/v1/faults    {"method","key","kind","delay_ms","http_status","count"}
//! GET|DELETE /admin/v1/journal        ?since=…&method=…&key=…&limit=…
//! ```

use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use wdt_domain::fixture::Fixture;
use wdt_protocol::clock::ClockMode;
use wdt_protocol::time::{format_wire_time, parse_wire_time};
use wdt_store::{ImportSummary, SnapshotInfo};

use super::faults::FaultSpec;
use super::journal::{JournalEntry, JournalFilter};
use crate::admin::body::{Fields, quote};
use crate::admin::error::json_body;
use crate::admin::{Admin, AdminError};
use crate::{AppState, telemetry};

/// The control routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/v1/clock", get(clock).put(set_clock).delete(release_clock))
        .route("/admin/v1/fixtures", post(import))
        .route("/admin/v1/reset", post(reset))
        .route("/admin/v1/snapshots", get(list_snapshots).post(take_snapshot))
        .route("/admin/v1/snapshots/{name}/restore", post(restore_snapshot))
        .route("/admin/v1/snapshots/{name}", axum::routing::delete(drop_snapshot))
        .route("/admin/v1/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/admin/v1/journal", get(read_journal).delete(clear_journal))
}

fn ok(value: Value) -> Response {
    json_body(&value).into_response()
}

fn failed(e: AdminError) -> Response {
    e.into_response_logged()
}

fn store_failed(e: wdt_store::StoreError) -> Response {
    failed(AdminError::from_store(telemetry::next_request_id(), e))
}

fn test_mode(state: &AppState) -> &super::TestMode {
    // The routes exist only when test mode is on, and with it its state.
    state.test.as_deref().expect("test-mode routes are merged only in test mode")
}

fn clock_json(state: &AppState) -> Value {
    let clock = state.store.clock();
    let now = clock.now_ms();
    let mode = match clock.mode() {
        ClockMode::Real => "real",
        ClockMode::Shifted(_) => "shifted",
        ClockMode::Frozen(_) => "frozen",
    };
    json!({"clock": {"mode": mode, "now": format_wire_time(now), "now_ms": now}})
}

async fn clock(_: Admin, State(state): State<AppState>) -> Response {
    ok(clock_json(&state))
}

/// `{"now": "yyyy-MM-dd HH:mm:ss" | epoch ms}` stops the clock there; `{"advance_seconds": N}`
/// moves it (a stopped clock stays stopped).
async fn set_clock(_: Admin, State(state): State<AppState>, body: Body) -> Response {
    let set = async {
        let bytes = crate::admin::body::read(body, state.config.body_timeout).await?;
        let fields = Fields::parse(&bytes, &["now", "advance_seconds"])?;
        let clock = state.store.clock();
        match (fields.value("now"), fields.value("advance_seconds")) {
            (Some(now), None) => {
                let ms = match now {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => parse_wire_time(s.as_str()).ok(),
                    _ => None,
                }
                .ok_or_else(|| {
                    let text = quote(&now.to_string());
                    AdminError::invalid(
                        "now",
                        text.clone(),
                        format!("时间格式应为 yyyy-MM-dd HH:mm:ss 或毫秒时间戳 now: {text}"),
                    )
                })?;
                clock.freeze_at(ms);
            }
            (None, Some(secs)) => {
                let secs = secs.as_i64().filter(|s| s.unsigned_abs() <= 100 * 365 * 86_400).ok_or_else(|| {
                    let text = quote(&secs.to_string());
                    AdminError::invalid("advance_seconds", text.clone(), format!("应为整数秒 advance_seconds: {text}"))
                })?;
                clock.advance(secs * 1000);
            }
            _ => {
                return Err(AdminError::invalid(
                    "body",
                    quote(&String::from_utf8_lossy(&bytes)),
                    "应给出 now 或 advance_seconds 之一".to_owned(),
                ));
            }
        }
        tracing::warn!(clock = ?clock.mode(), "test mode: the clock was set");
        Ok(())
    };
    match set.await {
        Ok(()) => ok(clock_json(&state)),
        Err(e) => failed(e),
    }
}

async fn release_clock(_: Admin, State(state): State<AppState>) -> Response {
    state.store.clock().release();
    ok(clock_json(&state))
}

/// A fixture document of up to the API's body limit.
async fn read_fixture(state: &AppState, body: Body) -> Result<Value, AdminError> {
    let bytes = match tokio::time::timeout(
        state.config.body_timeout,
        axum::body::to_bytes(body, state.config.body_limit),
    )
    .await
    {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return Err(AdminError::too_large(state.config.body_limit)),
        Err(_) => return Err(AdminError::invalid("body", "", "请求体读取超时 body not received in time".to_owned())),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| AdminError::invalid("body", "", format!("请求体不是 UTF-8 文本: {e}")))?;
    serde_json::from_str(text)
        .map_err(|e| AdminError::invalid("body", quote(text), format!("请求体不是合法的 JSON: {e}")))
}

fn fixture_of(value: &Value, at: &str) -> Result<Fixture, AdminError> {
    Fixture::parse(&value.to_string()).map_err(|e| {
        let path = if at.is_empty() { e.path.clone() } else { format!("{at}.{}", e.path.trim_start_matches('$')) };
        AdminError::invalid(path.clone(), "", format!("fixture {path}: {}", e.message))
    })
}

fn summary(s: &ImportSummary) -> Value {
    json!({"inserted": s.inserted, "updated": s.updated})
}

async fn import(_: Admin, State(state): State<AppState>, body: Body) -> Response {
    let fixture = match read_fixture(&state, body).await.and_then(|v| fixture_of(&v, "")) {
        Ok(f) => f,
        Err(e) => return failed(e),
    };
    match state.store.import_fixture(&fixture).await {
        Ok(s) => ok(json!({"imported": summary(&s)})),
        Err(wdt_store::StoreError::Fixture(e)) => {
            failed(AdminError::invalid(e.path.clone(), "", format!("fixture {}: {}", e.path, e.message)))
        }
        Err(e) => store_failed(e),
    }
}

/// `{"fixture": …}` or an empty body / `{}`: every seller's data emptied, then the fixture loaded.
async fn reset(_: Admin, State(state): State<AppState>, body: Body) -> Response {
    let started = Instant::now();
    let fixture = match read_fixture(&state, body).await {
        Ok(Value::Null) => None,
        Ok(Value::Object(mut map)) => {
            if let Some(unknown) = map.keys().find(|k| *k != "fixture") {
                let unknown = unknown.clone();
                return failed(AdminError::invalid(
                    unknown.clone(),
                    "",
                    format!("未知字段 {unknown} (可用字段: fixture)"),
                ));
            }
            match map.remove("fixture") {
                None | Some(Value::Null) => None,
                Some(doc) => match fixture_of(&doc, "fixture") {
                    Ok(f) => Some(f),
                    Err(e) => return failed(e),
                },
            }
        }
        Ok(other) => {
            let text = quote(&other.to_string());
            return failed(AdminError::invalid("body", text.clone(), format!("请求体应为 JSON 对象: {text}")));
        }
        Err(e) => return failed(e),
    };
    match state.store.reset(fixture.as_ref()).await {
        Ok(s) => {
            state.forget_calls();
            tracing::warn!(took_ms = started.elapsed().as_millis() as u64, "test mode: every seller's data was reset");
            ok(json!({"reset": true, "imported": summary(&s), "took_ms": started.elapsed().as_millis() as u64}))
        }
        Err(wdt_store::StoreError::Fixture(e)) => {
            failed(AdminError::invalid(e.path.clone(), "", format!("fixture {}: {}", e.path, e.message)))
        }
        Err(e) => store_failed(e),
    }
}

fn snapshot_json(s: &SnapshotInfo) -> Value {
    json!({"name": s.name, "rows": s.rows, "created": format_wire_time(s.created), "created_ms": s.created})
}

async fn list_snapshots(_: Admin, State(state): State<AppState>) -> Response {
    match state.store.list_snapshots().await {
        Ok(list) => ok(json!({"snapshots": list.iter().map(snapshot_json).collect::<Vec<_>>()})),
        Err(e) => store_failed(e),
    }
}

async fn take_snapshot(_: Admin, State(state): State<AppState>, body: Body) -> Response {
    let started = Instant::now();
    let name = async {
        let bytes = crate::admin::body::read(body, state.config.body_timeout).await?;
        Fields::parse(&bytes, &["name"])?.required_string("name")
    };
    let name = match name.await {
        Ok(n) => n,
        Err(e) => return failed(e),
    };
    match state.store.take_snapshot(&name).await {
        Ok(s) => ok(json!({"snapshot": snapshot_json(&s), "took_ms": started.elapsed().as_millis() as u64})),
        Err(e) => store_failed(e),
    }
}

async fn restore_snapshot(_: Admin, State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let started = Instant::now();
    match state.store.restore_snapshot(&name).await {
        Ok(s) => {
            state.forget_calls();
            ok(json!({"restored": snapshot_json(&s), "took_ms": started.elapsed().as_millis() as u64}))
        }
        Err(e) => store_failed(e),
    }
}

async fn drop_snapshot(_: Admin, State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match state.store.drop_snapshot(&name).await {
        Ok(true) => ok(json!({"dropped": name})),
        Ok(false) => store_failed(wdt_store::StoreError::Refused(wdt_store::Refusal::not_found("快照", "name", &name))),
        Err(e) => store_failed(e),
    }
}

async fn list_faults(_: Admin, State(state): State<AppState>) -> Response {
    ok(json!({"faults": test_mode(&state).faults.list()}))
}

async fn add_fault(_: Admin, State(state): State<AppState>, body: Body) -> Response {
    let spec = async {
        let bytes = crate::admin::body::read(body, state.config.body_timeout).await?;
        // Known fields, once each, before serde reads the kinds.
        Fields::parse(&bytes, &["method", "key", "kind", "delay_ms", "http_status", "count"])?;
        serde_json::from_slice::<FaultSpec>(&bytes).map_err(|e| {
            let text = quote(&String::from_utf8_lossy(&bytes));
            AdminError::invalid(
                "body",
                text,
                format!("{e} (kind: rate_limit, concurrency_limit, internal, delay, http_status, html_page, close)"),
            )
        })
    };
    let spec = match spec.await {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    match test_mode(&state).faults.add(spec) {
        Ok(fault) => {
            tracing::warn!(?fault, "test mode: a fault was injected");
            ok(json!({"fault": fault}))
        }
        Err(r) => failed(AdminError::invalid(r.field, r.value, r.message)),
    }
}

async fn clear_faults(_: Admin, State(state): State<AppState>) -> Response {
    ok(json!({"cleared": test_mode(&state).faults.clear()}))
}

/// The journal's query: `since` (wire time or epoch ms), `method`, `key`, `limit` (default and
/// cap 1,000).
fn journal_filter(query: &str) -> Result<JournalFilter, AdminError> {
    let mut f = JournalFilter { limit: 1000, ..JournalFilter::default() };
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let bad = |why: &str| {
            AdminError::invalid(name.to_string(), quote(&value), format!("{why} {name}: {}", quote(&value)))
        };
        match name.as_ref() {
            "since" => {
                let ms = if value.bytes().all(|b| b.is_ascii_digit()) {
                    value.parse().ok()
                } else {
                    parse_wire_time(&value).ok()
                };
                f.since_ms = Some(ms.ok_or_else(|| bad("时间格式应为 yyyy-MM-dd HH:mm:ss 或毫秒时间戳"))?);
            }
            "method" => f.method = Some(value.into_owned()),
            "key" => f.key = Some(value.into_owned()),
            "limit" => {
                let n: usize = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| bad("limit 应为正整数"))?;
                f.limit = n.min(1000);
            }
            _ => return Err(bad("未知参数 (可用: since, method, key, limit)")),
        }
    }
    Ok(f)
}

fn entry_json(e: &JournalEntry) -> Value {
    let params: serde_json::Map<String, Value> =
        e.params.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    json!({
        "seq": e.seq,
        "time": format_wire_time(e.at_ms),
        "at_ms": e.at_ms,
        "dialect": e.dialect,
        "method": e.method,
        "key": e.key,
        "sid": e.sid,
        "params": params,
        "body": e.body,
        "http_status": e.http_status,
        "response": e.response,
        "truncated": e.truncated,
        "latency_us": e.latency_us,
    })
}

async fn read_journal(_: Admin, State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    match journal_filter(query.as_deref().unwrap_or("")) {
        Ok(f) => ok(json!({"calls": test_mode(&state).journal.read(&f).iter().map(entry_json).collect::<Vec<_>>()})),
        Err(e) => failed(e),
    }
}

async fn clear_journal(_: Admin, State(state): State<AppState>) -> Response {
    ok(json!({"cleared": test_mode(&state).journal.clear()}))
}
