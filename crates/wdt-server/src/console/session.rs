//! Who is logged in: the session cookie, the `Authorization: Bearer` alternative for scripts,
//! and the guard that answers 401 in front of every console page.
//!
//! A session cookie holds a random id (256 bits, hex) and nothing else. The server keeps the
//! sessions in the database ([`wdt_store::Store::start_console_session`]), under an HMAC of the
//! id keyed by the admin token, so that every server over one database knows them, a database
//! dump holds no working cookie, and changing the token ends every session. A session lasts
//! [`crate::ServerConfig::console_session_ttl`] of real time (not the server's clock, which a
//! test may stop or move) and ends at logout: a copy of the cookie stops working with it.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use wdt_protocol::time::now_ms;

use crate::AppState;

/// The session cookie's name.
pub(super) const COOKIE: &str = "wdt_console";

/// The id standing for requests authenticated by `Authorization: Bearer` rather than a cookie.
const BEARER_SESSION: &str = "bearer";

/// Hex digits of a session id.
const ID_LEN: usize = 64;

/// A logged-in console user.
#[derive(Debug, Clone)]
pub(super) struct Session {
    id: String,
}

impl Session {
    /// The session's id, what its CSRF token and flash messages are bound to.
    pub(super) fn id(&self) -> &str {
        &self.id
    }
}

/// The configured admin token, if the console is open at all.
pub(super) fn admin_token(state: &AppState) -> Option<&str> {
    state.config.admin_token.as_deref().filter(|t| !t.is_empty())
}

/// HMAC-SHA256 keyed by the admin token over `purpose` and `parts`, each length-prefixed so that
/// no two lists of parts sign alike.
pub(super) fn mac(token: &str, purpose: &str, parts: &[&str]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(token.as_bytes()) else { return String::new() };
    for part in std::iter::once(purpose).chain(parts.iter().copied()) {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in constant time.
pub(super) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// What the database keeps of session `id`.
fn digest(token: &str, id: &str) -> String {
    mac(token, "session", &[id])
}

/// Why a session could not be started.
pub(super) enum StartError {
    /// The system had no randomness to give.
    NoRandomness,
    /// The database refused.
    Store,
}

/// Starts a session for a login with `token` now: its id (the cookie's value), recorded in the
/// database until the configured lifetime has passed.
pub(super) async fn start(state: &AppState, token: &str) -> Result<String, StartError> {
    let mut id = [0u8; ID_LEN / 2];
    getrandom::fill(&mut id).map_err(|_| StartError::NoRandomness)?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let now = now_ms();
    let ttl = i64::try_from(state.config.console_session_ttl.as_millis()).unwrap_or(i64::MAX);
    let expires = now.saturating_add(ttl);
    state.store.start_console_session(&digest(token, &id), now, expires).await.map_err(|e| {
        tracing::error!(error = %e, "could not record a console session");
        StartError::Store
    })?;
    Ok(id)
}

/// Ends `session` everywhere (the bearer pseudo-session has nothing to end).
pub(super) async fn end(state: &AppState, session: &Session) -> Result<(), ()> {
    let Some(token) = admin_token(state) else { return Ok(()) };
    if session.id == BEARER_SESSION {
        return Ok(());
    }
    state.store.end_console_session(&digest(token, &session.id)).await.map_err(|e| {
        tracing::error!(error = %e, "could not end a console session");
    })
}

/// The attributes every session cookie carries; `Secure` when the request came over HTTPS, as
/// a reverse proxy says with `X-Forwarded-Proto: https`. The header is taken at its word: a
/// client that sets it itself only makes its own cookie stricter.
pub(super) fn cookie_attributes(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next()
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    if https { "Path=/console; HttpOnly; SameSite=Strict; Secure" } else { "Path=/console; HttpOnly; SameSite=Strict" }
}

/// The values of cookie `name` in `headers`.
pub(super) fn cookies<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(move |c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// Who sent `headers`: a live session's cookie, or the admin token as a bearer token.
pub(super) async fn session_of(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let token = admin_token(state)?;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| same(given, token));
    if bearer {
        return Some(Session { id: BEARER_SESSION.to_owned() });
    }
    let now = now_ms();
    for id in cookies(headers, COOKIE).filter(|v| v.len() == ID_LEN && v.bytes().all(|b| b.is_ascii_hexdigit())) {
        match state.store.console_session_live(&digest(token, id), now).await {
            Ok(true) => return Some(Session { id: id.to_owned() }),
            Ok(false) => {}
            Err(e) => {
                tracing::error!(error = %e, "could not look a console session up");
                return None;
            }
        }
    }
    None
}

/// The session of a request the guard let through (it leaves it in the request's extensions),
/// else looked up.
pub(super) async fn session_in(
    state: &AppState,
    extensions: &axum::http::Extensions,
    headers: &HeaderMap,
) -> Option<Session> {
    match extensions.get::<Session>() {
        Some(session) => Some(session.clone()),
        None => session_of(state, headers).await,
    }
}

/// The answer to everyone not logged in.
pub(super) fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "401 unauthorized\n")
        .into_response()
}

/// Every `/console…` request but the login form (GET/HEAD/POST `/console/login`) without a valid
/// token or cookie answers 401 here, before routing, method matching or any extractor reads the
/// query string or the form: duplicate or malformed parameters are not the caller's business
/// until they have logged in. Other paths pass through.
pub(crate) async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let console = path == "/console" || path.starts_with("/console/");
    let login = path == "/console/login" && matches!(*request.method(), Method::GET | Method::HEAD | Method::POST);
    if console && !login {
        match session_of(&state, request.headers()).await {
            Some(session) => {
                request.extensions_mut().insert(session);
            }
            None => return unauthorized(),
        }
    }
    next.run(request).await
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Session, Response> {
        session_in(state, &parts.extensions, &parts.headers).await.ok_or_else(unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_separate_their_parts() {
        assert_ne!(mac("k", "p", &["ab", "c"]), mac("k", "p", &["a", "bc"]));
        assert_ne!(mac("k", "p", &["a"]), mac("k", "q", &["a"]));
        assert_eq!(mac("k", "p", &["a"]).len(), 64);
        assert_ne!(digest("t0ken", "id"), digest("other", "id"), "another token, another session");
    }

    #[test]
    fn secure_only_over_https() {
        let mut headers = HeaderMap::new();
        assert!(!cookie_attributes(&headers).contains("Secure"));
        headers.insert("x-forwarded-proto", "http".parse().unwrap());
        assert!(!cookie_attributes(&headers).contains("Secure"));
        headers.insert("x-forwarded-proto", "HTTPS, http".parse().unwrap());
        assert!(cookie_attributes(&headers).ends_with("; Secure"));
    }
}
