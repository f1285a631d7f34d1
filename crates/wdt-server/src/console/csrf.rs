//! CSRF protection of the console's forms: every form that changes state carries a token bound
//! to the session (an HMAC of the session id under the admin token), and a POST whose token is
//! missing or wrong answers 403 having done nothing.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::session::{Session, admin_token, mac, same, session_in, unauthorized};
use crate::AppState;

/// The form field that carries the token.
pub(super) const FIELD: &str = "csrf";

/// Largest action form read: a few short fields.
const FORM_LIMIT: usize = 16 * 1024;

/// The token for `session`'s forms.
pub(super) fn token(state: &AppState, session: &Session) -> String {
    admin_token(state).map(|t| mac(t, "csrf", &[session.id()])).unwrap_or_default()
}

/// The hidden field carrying `token`.
pub(super) fn field(token: &str) -> Markup {
    html! { input type="hidden" name=(FIELD) value=(token); }
}

/// A posted console form whose CSRF token checked out: the session and the other fields.
pub(super) struct ActionForm {
    /// Who posted it.
    pub session: Session,
    fields: Vec<(String, String)>,
}

impl ActionForm {
    /// The value of field `name`, trimmed; `None` when absent or empty.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
}

fn refuse(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

impl FromRequest<AppState> for ActionForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<ActionForm, Response> {
        let Some(session) = session_in(state, request.extensions(), request.headers()).await else {
            return Err(unauthorized());
        };
        let bytes = axum::body::to_bytes(request.into_body(), FORM_LIMIT)
            .await
            .map_err(|_| refuse(StatusCode::PAYLOAD_TOO_LARGE, "413 form too large\n"))?;
        let fields: Vec<(String, String)> =
            form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let given: Vec<&str> = fields.iter().filter(|(k, _)| k == FIELD).map(|(_, v)| v.as_str()).collect();
        let expected = token(state, &session);
        if given.len() != 1 || expected.is_empty() || !same(given[0], &expected) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "403 forbidden: 表单令牌缺失或错误,请刷新页面后重试 the form's CSRF token is missing or wrong; reload the page\n",
            ));
        }
        let mut names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return Err(refuse(StatusCode::BAD_REQUEST, "400 a form field appears twice\n"));
        }
        Ok(ActionForm { session, fields })
    }
}
