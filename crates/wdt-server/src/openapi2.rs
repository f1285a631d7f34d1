//! `POST /openapi2/{name}.php`: the 企业版 dialect.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde_json::{Map, Value};
use wdt_protocol::ApiError;

use crate::auth::{self, Params};
use crate::replay::{self, Done};
use crate::testmode::Call;
use crate::{AppState, dispatch, reply, telemetry, testmode};

pub(crate) async fn handle(
    State(state): State<AppState>,
    uri: Uri,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let mut authenticated = false;
    let at_ms = state.store.clock().now_ms();
    let endpoint = endpoint_of(&uri);
    let query = query.as_deref().unwrap_or("");
    let limit = state.config.effective_query_limit();
    let too_long = query.len() > limit;
    let mut replayed = None;
    let mut params = if too_long { Params::default() } else { Params::parse(query.as_bytes()) };
    let result = if too_long {
        Err(crate::transport::query_too_large(limit))
    } else {
        match dispatch::read_body(&headers, body, state.config.body_limit, state.config.body_timeout).await {
            Ok(bytes) => {
                // The vendor signs every GET and POST field together.
                params.0.extend(Params::parse(&bytes).0);
                let key = params.get("appkey").unwrap_or("").to_owned();
                match testmode::intercept(&state, &endpoint, &key).await {
                    Some(testmode::Faulted::Respond(response, what)) => {
                        let status = response.status().as_u16();
                        let call =
                            Call::of("openapi2", at_ms, &endpoint, &params, "", status, what.as_bytes(), started);
                        testmode::record(&state, call);
                        return response;
                    }
                    Some(testmode::Faulted::Refuse(e)) => Err(e),
                    Some(testmode::Faulted::Delay(_)) | None => {
                        match call(&state, &endpoint, &params, &mut authenticated).await {
                            Done::Ran(result) => result,
                            Done::Replayed(answer) => {
                                replayed = Some(answer);
                                Ok(Map::new())
                            }
                        }
                    }
                }
            }
            Err(e) => Err(e),
        }
    };
    let status = match &replayed {
        Some(answer) => replay::status_of(answer, "code"),
        None => result.as_ref().err().map(|e| e.qjb_status()).unwrap_or(0),
    };
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
        replayed = replayed.is_some(),
        message = result.as_ref().err().map(|e| e.openapi2_message()).unwrap_or_default(),
        latency_us = took.as_micros() as u64,
        "api call"
    );
    state.log_call(
        crate::console::CallRecord {
            at_ms: state.store.clock().now_ms(),
            dialect: "openapi2",
            method: endpoint.chars().take(80).collect(),
            sid: params.get("sid").unwrap_or("").chars().take(40).collect(),
            key: params.get("appkey").unwrap_or("").chars().take(40).collect(),
            status,
            message: result.as_ref().err().map(|e| e.openapi2_message()).unwrap_or_default(),
            latency_us: took.as_micros() as u64,
        },
        authenticated,
    );
    let answer = replayed.unwrap_or_else(|| reply::openapi2_bytes(&result));
    testmode::record(&state, Call::of("openapi2", at_ms, &endpoint, &params, "", 200, &answer, started));
    let mut response = reply::with_body(answer);
    response.headers_mut().insert("x-request-id", request_id.into());
    response
}

/// Authenticates, admits and runs the call; `authenticated` tells the request log which log
/// the call belongs in.
async fn call(state: &AppState, endpoint: &str, params: &Params, authenticated: &mut bool) -> Done<Map<String, Value>> {
    let app = match auth::openapi2(state, params).await {
        Ok(app) => app,
        Err(e) => return Done::Ran(Err(e)),
    };
    *authenticated = true;
    // The push is a write: registered against replays.
    let writes = endpoint == wdt_protocol::methods::OPENAPI2_STOCKIN_REFUND_PUSH;
    let window = state.config.openapi2_timestamp_window;
    let key = if writes { replay::key_of(&app, params, endpoint, window) } else { None };
    let (task_state, task_app) = (state.clone(), app.clone());
    let (task_endpoint, task_params) = (endpoint.to_owned(), Params(params.0.clone()));
    replay::once(state, &app, key, reply::openapi2_bytes, async move {
        dispatch::openapi2(&task_state, &task_app, &task_endpoint, &task_params).await
    })
    .await
}

/// Any method but POST on `/openapi2/{name}`: refused in the envelope, naming the method.
pub(crate) async fn wrong_method(method: Method, uri: Uri) -> Response {
    let endpoint = endpoint_of(&uri);
    let error = ApiError::BadParameter(format!("不支持 HTTP 方法 {method}, 请用 POST"));
    tracing::info!(dialect = "openapi2", method = endpoint.as_str(), http_method = %method, "api call with a wrong HTTP method");
    telemetry::record("openapi2", &endpoint, error.qjb_status(), Some(&error), std::time::Duration::ZERO);
    reply::openapi2(&Err(error))
}

/// The `{name}` of `/openapi2/{name}`, percent-decoded (invalid UTF-8 replaced): axum's `Path`
/// would answer a bad escape with a plain-text 400 instead of the envelope.
fn endpoint_of(uri: &Uri) -> String {
    let raw = uri.path().strip_prefix("/openapi2/").unwrap_or("").as_bytes();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (raw[i], raw.get(i + 1).copied().and_then(hex), raw.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                bytes.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
