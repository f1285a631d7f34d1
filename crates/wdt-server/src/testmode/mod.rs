//! Test mode (SPEC.md §11): controls an integrator's test suite drives — the clock, fixtures,
//! reset and snapshots, injected faults, and the journal of calls — on the admin API, behind the
//! admin token. Without `ServerConfig::test_mode` none of the routes exists (404) and the clock
//! cannot be moved.

pub mod faults;
pub mod journal;
mod routes;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(crate) use routes::routes;

use faults::{Armed, FaultKind, Faults};
use journal::Journal;
use wdt_protocol::ApiError;

/// What test mode keeps beside the database: its faults and its journal.
#[derive(Debug, Default)]
pub struct TestMode {
    /// Faults waiting for calls.
    pub faults: Faults,
    /// Calls so far.
    pub journal: Journal,
}

/// What a consumed fault makes of a call.
pub(crate) enum Faulted {
    /// Answer this refusal in the dialect's envelope (nothing runs).
    Refuse(ApiError),
    /// Wait, then run the call as usual.
    Delay(std::time::Duration),
    /// Answer this HTTP response instead of the envelope (nothing runs); what the journal records
    /// as its answer.
    Respond(Response, &'static str),
}

/// The gateway's HTML error page for `status`, as nginx writes it.
fn error_page(status: StatusCode) -> String {
    let line = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("Error"));
    format!(
        "<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// The login page a gateway serves on 200 when its session went astray.
const LOGIN_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>旺店通 - 登录</title></head>\n<body>\n<form method=\"post\" action=\"/login\">\n<input name=\"username\" placeholder=\"账号\"><input name=\"password\" type=\"password\" placeholder=\"密码\">\n<button type=\"submit\">登录</button>\n</form>\n</body>\n</html>\n";

fn html(status: StatusCode, page: String) -> Response {
    let mut response = (status, page).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// A body whose first read fails: hyper closes the connection with the answer unfinished.
struct Severed;

impl http_body::Body for Severed {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let cut = std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "injected fault: close");
        std::task::Poll::Ready(Some(Err(cut)))
    }
}

fn closed_connection() -> Response {
    let mut response = Response::new(Body::new(Severed));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// The fault the call of `method` by `key` consumes, if test mode is on and one matches. A delay
/// is waited out here and the call goes on (`None`).
pub(crate) async fn intercept(state: &crate::AppState, method: &str, key: &str) -> Option<Faulted> {
    let armed = state.test.as_ref()?.faults.take(method, key)?;
    tracing::info!(method, key, kind = ?armed.kind, "test mode: an injected fault answers this call");
    match Faulted::from(armed) {
        Faulted::Delay(d) => {
            tokio::time::sleep(d).await;
            None
        }
        other => Some(other),
    }
}

/// One call as the journal keeps it, before its number is given.
pub(crate) struct Call<'a> {
    /// When it arrived (epoch ms).
    pub at_ms: i64,
    /// `qjb` or `openapi2`.
    pub dialect: &'static str,
    /// Method or endpoint.
    pub method: &'a str,
    /// Its parameters, in order.
    pub params: &'a crate::auth::Params,
    /// The key parameter's name (`key`, `appkey`).
    pub key_param: &'static str,
    /// The body (qjb), or empty.
    pub body: &'a str,
    /// The HTTP status answered.
    pub http_status: u16,
    /// The answer's body.
    pub response: &'a [u8],
    /// Time to answer.
    pub latency: std::time::Duration,
}

impl<'a> Call<'a> {
    /// A call of `dialect` (`qjb`: the key is `key`, the body is the request's; `openapi2`: the
    /// key is `appkey`, the fields are the parameters and there is no body), answered now.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn of(
        dialect: &'static str,
        at_ms: i64,
        method: &'a str,
        params: &'a crate::auth::Params,
        body: &'a str,
        http_status: u16,
        response: &'a [u8],
        started: std::time::Instant,
    ) -> Call<'a> {
        let key_param = if dialect == "qjb" { "key" } else { "appkey" };
        Call { at_ms, dialect, method, params, key_param, body, http_status, response, latency: started.elapsed() }
    }
}

/// Appends `call` to the journal, if test mode is on.
pub(crate) fn record(state: &crate::AppState, call: Call<'_>) {
    let Some(test) = &state.test else { return };
    let params: Vec<(String, String)> = call
        .params
        .pairs()
        .filter(|(k, _)| !matches!(*k, "sign" | "salt"))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let (body, body_cut) = journal::cut(call.body);
    let (response, response_cut) = journal::cut(&String::from_utf8_lossy(call.response));
    test.journal.record(journal::JournalEntry {
        seq: 0,
        at_ms: call.at_ms,
        dialect: call.dialect,
        method: call.method.to_owned(),
        key: call.params.get(call.key_param).unwrap_or("").to_owned(),
        sid: call.params.get("sid").unwrap_or("").to_owned(),
        params,
        body,
        http_status: call.http_status,
        response,
        truncated: body_cut || response_cut,
        latency_us: u64::try_from(call.latency.as_micros()).unwrap_or(u64::MAX),
    });
}

impl From<Armed> for Faulted {
    fn from(armed: Armed) -> Faulted {
        match armed.kind {
            FaultKind::RateLimit => Faulted::Refuse(ApiError::RateLimited),
            FaultKind::ConcurrencyLimit => Faulted::Refuse(ApiError::ConcurrencyLimited),
            FaultKind::Internal => Faulted::Refuse(ApiError::Internal),
            FaultKind::Delay => Faulted::Delay(std::time::Duration::from_millis(armed.delay_ms)),
            FaultKind::HttpStatus => {
                let status = StatusCode::from_u16(armed.http_status).unwrap_or(StatusCode::BAD_GATEWAY);
                Faulted::Respond(html(status, error_page(status)), "(injected fault: http_status)")
            }
            FaultKind::HtmlPage => {
                Faulted::Respond(html(StatusCode::OK, LOGIN_PAGE.to_owned()), "(injected fault: html_page)")
            }
            FaultKind::Close => Faulted::Respond(closed_connection(), "(injected fault: close)"),
        }
    }
}
