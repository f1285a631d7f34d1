//! `POST /openapi`: the 旗舰版 dialect.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use wdt_protocol::ApiError;

use crate::auth::{self, Params};
use crate::replay::{self, Done};
use crate::testmode::Call;
use crate::{AppState, dispatch, reply, telemetry, testmode};

pub(crate) async fn handle(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let mut authenticated = false;
    let at_ms = state.store.clock().now_ms();
    let query = query.as_deref().unwrap_or("");
    let limit = state.config.effective_query_limit();
    let mut text = String::new();
    let mut replayed = None;
    let (params, result) = if query.len() > limit {
        (Params::default(), Err(crate::transport::query_too_large(limit)))
    } else {
        let params = Params::parse(query.as_bytes());
        let method = params.get("method").unwrap_or("");
        let key = params.get("key").unwrap_or("");
        let result = match dispatch::read_body(&headers, body, state.config.body_limit, state.config.body_timeout).await
        {
            Err(e) => Err(e),
            Ok(bytes) => {
                text = String::from_utf8_lossy(&bytes).into_owned();
                match testmode::intercept(&state, method, key).await {
                    Some(testmode::Faulted::Respond(response, what)) => {
                        let status = response.status().as_u16();
                        let call = Call::of("qjb", at_ms, method, &params, &text, status, what.as_bytes(), started);
                        testmode::record(&state, call);
                        return response;
                    }
                    Some(testmode::Faulted::Refuse(e)) => Err(e),
                    Some(testmode::Faulted::Delay(_)) | None => {
                        match call(&state, &params, &bytes, &mut authenticated).await {
                            Done::Ran(result) => result,
                            Done::Replayed(answer) => {
                                replayed = Some(answer);
                                Ok(reply::QjbData::none())
                            }
                        }
                    }
                }
            }
        };
        (params, result)
    };
    let outcome = match (&replayed, &result) {
        (Some(answer), _) => replay::status_of(answer, "status"),
        (None, Ok(_)) => 0,
        (None, Err(e)) => e.qjb_status(),
    };
    let method = params.get("method").unwrap_or("");
    let took = started.elapsed();
    telemetry::record("qjb", method, outcome, result.as_ref().err(), took);
    let request_id = telemetry::next_request_id();
    tracing::info!(
        request_id,
        dialect = "qjb",
        method,
        sid = params.get("sid").unwrap_or(""),
        key = params.get("key").unwrap_or(""),
        status = outcome,
        replayed = replayed.is_some(),
        message = result.as_ref().err().map(|e| e.qjb_message()).unwrap_or_default(),
        latency_us = took.as_micros() as u64,
        "api call"
    );
    state.log_call(
        crate::console::CallRecord {
            at_ms: state.store.clock().now_ms(),
            dialect: "qjb",
            method: method.chars().take(80).collect(),
            sid: params.get("sid").unwrap_or("").chars().take(40).collect(),
            key: params.get("key").unwrap_or("").chars().take(40).collect(),
            status: outcome,
            message: result.as_ref().err().map(|e| e.qjb_message()).unwrap_or_default(),
            latency_us: took.as_micros() as u64,
        },
        authenticated,
    );
    let answer = replayed.unwrap_or_else(|| reply::qjb_bytes(&result));
    testmode::record(&state, Call::of("qjb", at_ms, method, &params, &text, 200, &answer, started));
    let mut response = reply::with_body(answer);
    response.headers_mut().insert("x-request-id", request_id.into());
    response
}

/// Authenticates, admits and runs the call; `authenticated` tells the request log which log
/// the call belongs in.
async fn call(state: &AppState, params: &Params, bytes: &[u8], authenticated: &mut bool) -> Done<reply::QjbData> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Done::Ran(Err(ApiError::ArgumentCount(format!("body is not UTF-8 text: {e}")))),
    };
    let app = match auth::qjb(state, params, text).await {
        Ok(app) => app,
        Err(e) => return Done::Ran(Err(e)),
    };
    *authenticated = true;
    // Writes are registered against replays; reads (the paged query) and unknown methods are not.
    let method = params.get("method").unwrap_or("");
    let writes = wdt_protocol::methods::qjb_method(method).is_some_and(|m| !m.paged);
    let key = if writes { replay::key_of(&app, params, text, state.config.qjb_timestamp_window) } else { None };
    let (task_state, task_app) = (state.clone(), app.clone());
    let (task_params, task_text) = (Params(params.0.clone()), text.to_owned());
    replay::once(state, &app, key, reply::qjb_bytes, async move {
        dispatch::qjb(&task_state, &task_app, &task_params, &task_text).await
    })
    .await
}

/// Any method but POST on `/openapi`: refused in the envelope, naming the method.
pub(crate) async fn wrong_method(method: Method) -> Response {
    let error = ApiError::BadParameter(format!("不支持 HTTP 方法 {method}, 请用 POST"));
    tracing::info!(dialect = "qjb", http_method = %method, "api call with a wrong HTTP method");
    telemetry::record("qjb", "", error.qjb_status(), Some(&error), std::time::Duration::ZERO);
    reply::qjb(&Err(error))
}
