//! The admin token check: a layer for whole routers ([`require_admin`]) and an extractor for
//! single handlers ([`Admin`]), both comparing `Authorization: Bearer <token>` with
//! `ServerConfig::admin_token` in constant time. No token configured: everything is 401.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::{API_ACTOR, AdminError};
use crate::AppState;

/// A caller that presented the admin token; what the audit log records as the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Admin {
    /// The actor recorded for the caller's actions.
    pub actor: &'static str,
}

/// The bearer token of `headers`: `Authorization: Bearer <token>`, the scheme in any case.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Whether `headers` carry the configured admin token.
fn check(state: &AppState, headers: &HeaderMap) -> Result<Admin, AdminError> {
    let Some(expected) = state.config.admin_token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(AdminError::unauthorized());
    };
    let given = bearer(headers).ok_or_else(AdminError::unauthorized)?;
    // The length is not secret; the bytes are compared in constant time.
    let same = given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()));
    if same { Ok(Admin { actor: API_ACTOR }) } else { Err(AdminError::unauthorized()) }
}

/// Layer for admin routers: 401 before routing, method matching or any extractor runs, unless
/// the request carries the admin token; the [`Admin`] it found is left in the request's
/// extensions for handlers.
pub(crate) async fn require_admin(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    match check(&state, request.headers()) {
        Ok(admin) => {
            request.extensions_mut().insert(admin);
            next.run(request).await
        }
        Err(e) => {
            tracing::info!(path = request.uri().path(), method = %request.method(), "admin request without a valid token");
            e.into_response()
        }
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admin, AdminError> {
        if let Some(admin) = parts.extensions.get::<Admin>() {
            return Ok(admin.clone());
        }
        check(state, &parts.headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, value.parse().unwrap());
        h
    }

    #[test]
    fn bearer_takes_the_scheme_in_any_case() {
        assert_eq!(bearer(&headers("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&headers("bearer abc")), Some("abc"));
        assert_eq!(bearer(&headers("Basic abc")), None);
        assert_eq!(bearer(&headers("Bearerabc")), None);
        assert_eq!(bearer(&HeaderMap::new()), None);
    }
}
