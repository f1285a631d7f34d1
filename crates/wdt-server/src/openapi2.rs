//! `POST /openapi2/{name}.php`: the 企业版 dialect.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value};
use wdt_protocol::ApiError;

use crate::auth::{self, Params};
use crate::{AppState, dispatch, reply, telemetry};

pub(crate) async fn handle(
    State(state): State<AppState>,
    Path(endpoint): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let mut params = Params::parse(query.as_deref().unwrap_or("").as_bytes());
    let result = match dispatch::read_body(&headers, body, state.config.body_limit, state.config.body_timeout).await {
        Ok(bytes) => {
            // The vendor signs every GET and POST field together.
            params.0.extend(Params::parse(&bytes).0);
            call(&state, &endpoint, &params).await
        }
        Err(e) => Err(e),
    };
    let status = result.as_ref().err().map(|e| e.qjb_status()).unwrap_or(0);
    let took = started.elapsed();
    telemetry::record("openapi2", &endpoint, status, result.as_ref().err(), took);
    let request_id = telemetry::next_request_id();
    tracing::info!(
        request_id,
        dialect = "openapi2",
        method = endpoint.as_str(),
        sid = params.get("sid").unwrap_or(""),
        key = params.get("appkey").unwrap_or(""),
        status,
        message = result.as_ref().err().map(|e| e.openapi2_message()).unwrap_or_default(),
        latency_us = took.as_micros() as u64,
        "api call"
    );
    state.log_call(crate::console::CallRecord {
        at_ms: wdt_protocol::time::now_ms(),
        dialect: "openapi2",
        method: endpoint.chars().take(80).collect(),
        sid: params.get("sid").unwrap_or("").chars().take(40).collect(),
        key: params.get("appkey").unwrap_or("").chars().take(40).collect(),
        status,
        message: result.as_ref().err().map(|e| e.openapi2_message()).unwrap_or_default(),
        latency_us: took.as_micros() as u64,
    });
    let mut response = reply::openapi2(&result);
    response.headers_mut().insert("x-request-id", request_id.into());
    response
}

async fn call(state: &AppState, endpoint: &str, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let app = auth::openapi2(state, params).await?;
    let _permit = state.admit(&app)?;
    dispatch::openapi2(state, &app, endpoint, params).await
}
