//! What every console page is rendered with: the state, the logged-in session's CSRF token,
//! the flash message to show once, and the request's path and query (for paging links).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;

use super::flash::{self, Flash};
use super::{csrf, session};
use crate::AppState;

/// A console page request.
pub(super) struct Ctx {
    /// Shared server state.
    pub state: AppState,
    /// The CSRF token for the page's forms.
    pub csrf: String,
    /// The message to show once.
    pub flash: Option<Flash>,
    /// Whether a flash cookie came along (to be cleared).
    pub clear_flash: bool,
    /// The request path.
    pub path: String,
    /// The query string's pairs, in order.
    pub query: Vec<(String, String)>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Ctx, Response> {
        let session =
            session::session_in(state, &parts.extensions, &parts.headers).await.ok_or_else(session::unauthorized)?;
        let (flash, clear_flash) = flash::take(state, &session, &parts.headers);
        let query = parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
            .unwrap_or_default();
        Ok(Ctx {
            state: state.clone(),
            csrf: csrf::token(state, &session),
            flash,
            clear_flash,
            path: parts.uri.path().to_owned(),
            query,
        })
    }
}

impl Ctx {
    /// The first value of query parameter `name`, trimmed; `None` when absent or empty.
    pub(super) fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
}
