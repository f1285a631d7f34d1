//! Who is logged in: the signed session cookie, the `Authorization: Bearer` alternative for
//! scripts, and the guard that answers 401 in front of every console page.
//!
//! A session cookie is `id.issued.mac`: a random id, the login time (epoch ms) and an
//! HMAC-SHA256 of both keyed by the admin token. The server keeps no session table; changing
//! the token ends every session, and a session ends by itself after [`SESSION_TTL_MS`] of real
//! time (not the server's clock, which a test may stop or move).

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

/// How long a login lasts: a working day and then some.
pub(super) const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;

/// The id standing for requests authenticated by `Authorization: Bearer` rather than a cookie.
const BEARER_SESSION: &str = "bearer";

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

/// A new session cookie value for a login at `now` (epoch ms); `None` if the system has no
/// randomness to give.
pub(super) fn issue(token: &str, now: i64) -> Option<String> {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).ok()?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let issued = now.to_string();
    let mac = mac(token, "session", &[&id, &issued]);
    Some(format!("{id}.{issued}.{mac}"))
}

/// The session a cookie value stands for, if it is ours and not expired at `now`.
fn open(token: &str, value: &str, now: i64) -> Option<Session> {
    let mut parts = value.split('.');
    let (id, issued, given) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || id.len() != 32 || !same(&mac(token, "session", &[id, issued]), given) {
        return None;
    }
    let issued: i64 = issued.parse().ok()?;
    let age = now.checked_sub(issued)?;
    // A minute of clock skew between servers sharing the token is tolerated.
    ((-60_000..SESSION_TTL_MS).contains(&age)).then(|| Session { id: id.to_owned() })
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

/// Who sent `headers`: a valid session cookie, or the admin token as a bearer token.
pub(super) fn session_of(state: &AppState, headers: &HeaderMap) -> Option<Session> {
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
    cookies(headers, COOKIE).find_map(|v| open(token, v, now))
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
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let console = path == "/console" || path.starts_with("/console/");
    let login = path == "/console/login" && matches!(*request.method(), Method::GET | Method::HEAD | Method::POST);
    if console && !login && session_of(&state, request.headers()).is_none() {
        return unauthorized();
    }
    next.run(request).await
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Session, Response> {
        session_of(state, &parts.headers).ok_or_else(unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_opens_with_its_token_until_it_expires() {
        let now = 1_700_000_000_000;
        let cookie = issue("t0ken", now).unwrap();
        let session = open("t0ken", &cookie, now + 1000).expect("opens");
        assert_eq!(session.id().len(), 32);
        assert!(open("other", &cookie, now).is_none(), "another token");
        assert!(open("t0ken", &cookie, now + SESSION_TTL_MS).is_none(), "expired");
        assert!(open("t0ken", &cookie, now - 120_000).is_none(), "from the future");
        let forged = cookie.replacen(&session.id()[..1], if cookie.starts_with('0') { "1" } else { "0" }, 1);
        assert!(open("t0ken", &forged, now).is_none(), "another id under the same mac");
        assert!(open("t0ken", &format!("{cookie}.x"), now).is_none());
        assert!(open("t0ken", "t0ken", now).is_none(), "the token itself is no session");
        assert_ne!(issue("t0ken", now), Some(cookie), "each login its own id");
    }

    #[test]
    fn macs_separate_their_parts() {
        assert_ne!(mac("k", "p", &["ab", "c"]), mac("k", "p", &["a", "bc"]));
        assert_ne!(mac("k", "p", &["a"]), mac("k", "q", &["a"]));
        assert_eq!(mac("k", "p", &["a"]).len(), 64);
    }
}
