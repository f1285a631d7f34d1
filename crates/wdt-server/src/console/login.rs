//! Logging in with the admin token, and out.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use super::csrf::ActionForm;
use super::layout::bare;
use super::session::{COOKIE, StartError, admin_token, cookie_attributes, end, same, start, unauthorized};
use crate::AppState;

/// The login form.
pub(super) async fn login_form() -> Response {
    bare(
        "登录 Log in",
        html! {
            form.f method="post" action="/console/login" {
                label { "管理令牌 Admin token " input type="password" name="token" autocomplete="current-password"; }
                button type="submit" { "登录 Log in" }
            }
        },
    )
}

/// Largest login form read; a token is a few dozen bytes.
const LOGIN_FORM_LIMIT: usize = 4096;

/// The one `token` field of a login form; anything else (not a form, too large, no token, the
/// token twice) is a failed login.
async fn login_token(body: Body) -> Option<String> {
    let bytes = axum::body::to_bytes(body, LOGIN_FORM_LIMIT).await.ok()?;
    let mut tokens = form_urlencoded::parse(&bytes).filter(|(k, _)| k == "token").map(|(_, v)| v.into_owned());
    let token = tokens.next()?;
    tokens.next().is_none().then_some(token)
}

/// Checks the token and starts a session: its cookie, then the console's home page.
pub(super) async fn login(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let Some(given) = login_token(body).await else { return unauthorized() };
    let Some(token) = admin_token(&state).filter(|t| same(&given, t)) else { return unauthorized() };
    let value = match start(&state, token).await {
        Ok(value) => value,
        Err(StartError::NoRandomness) => {
            tracing::error!("no randomness for a console session");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        Err(StartError::Store) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let max_age = state.config.console_session_ttl.as_secs();
    let cookie = format!("{COOKIE}={value}; {}; Max-Age={max_age}", cookie_attributes(&headers));
    let mut response = Redirect::to("/console").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// Ends the session on the server (a copy of the cookie stops working too), drops the cookie
/// and shows the login form.
pub(super) async fn logout(State(state): State<AppState>, headers: HeaderMap, form: ActionForm) -> Response {
    if end(&state, &form.session).await.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let mut response = Redirect::to("/console/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{COOKIE}=; {}; Max-Age=0", cookie_attributes(&headers))) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}
