//! The admin API (SPEC.md §10): JSON over HTTP under `/admin/v1`, behind the admin token sent as
//! `Authorization: Bearer <token>`.
//!
//! ```text
//! POST /admin/v1/refund-orders/{sid}/{refund_no}/review      POST …/cancel
//! POST /admin/v1/stockins/{sid}/{order_no}/check             POST …/cancel
//! POST /admin/v1/purchase-returns/{sid}/{order_no}/check     POST …/cancel
//! POST /admin/v1/trades/{sid}/{tid}/ship            {"warehouse_no": "WH1"}
//! POST /admin/v1/stock/{sid}/adjust                 {"warehouse_no","spec_no","defect","batch_no","position_no","num"}
//! GET  /admin/v1/audit?sid=…&since=…&limit=…
//! ```
//!
//! An action answers 200 with `{"document": {…}, "audit": {…}}`: the document as the action left
//! it and the audit row it wrote. Every refusal is a 4xx (or 500) with
//! `{"error": {"code", "message", "field", "value"}}` ([`AdminError`]).
//!
//! Every path under `/admin` — known or not, any method — answers 401 without the token before
//! anything else is read. Routes added to [`routes`] (or any handler taking the [`Admin`]
//! extractor) share that check, the JSON 404/405 answers and the error shape.

mod actions;
mod audit;
mod auth;
pub(crate) mod body;
pub(crate) mod error;
mod views;

use axum::Router;
use axum::http::Method;
use axum::response::Response;
use axum::routing::any;

use crate::AppState;

pub(crate) use auth::Admin;
pub(crate) use error::AdminError;

/// The actor the audit log records for actions taken through the admin API.
pub(crate) const API_ACTOR: &str = "admin";

/// Every `/admin…` route, behind the admin token. New admin routes are merged in before the
/// catch-all routes here, so they inherit the token check and the JSON answers for wrong methods.
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let mut admin = Router::new().merge(actions::routes()).merge(audit::routes());
    if state.config.test_mode {
        admin = admin.merge(crate::testmode::routes());
    }
    admin
        .method_not_allowed_fallback(wrong_method)
        // Whatever else is under /admin: the token first, then a JSON 404.
        .route("/admin", any(unknown_path))
        .route("/admin/", any(unknown_path))
        .route("/admin/{*rest}", any(unknown_path))
        // On the routes only (not as the router's fallback), so paths outside /admin are untouched.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::require_admin))
}

/// A path under `/admin` that names no admin resource (the caller holds the token).
async fn unknown_path(method: Method, uri: axum::http::Uri) -> Response {
    AdminError::not_found_path(&method, uri.path()).into_response_logged()
}

/// A known admin path called with a method it does not take.
async fn wrong_method(method: Method, uri: axum::http::Uri) -> Response {
    AdminError::wrong_method(&method, uri.path()).into_response_logged()
}
