//! The operator console: server-rendered pages under `/console`, behind the admin token.
//!
//! Every page is readable on a phone (tables scroll sideways) and labels fields in Chinese and
//! English as the vendor documents name them. Without the token every console URL answers 401
//! and shows nothing. Logging in (`/console/login`) starts a session the server keeps (see
//! `session`), and sets its random id as the cookie.
//!
//! The documents' pages carry the operator actions of SPEC.md §10 as buttons: each is a form
//! posted with the session's CSRF token, run through [`wdt_store::Store::act`] as actor
//! `console`, and answered with a redirect back to the page, which shows what happened (or why
//! it was refused) once. Every list pages by 50 (`?page=N`); the search box in every page's
//! header jumps to a document by its number.

mod actions;
mod audit;
mod context;
mod csrf;
mod flash;
mod home;
mod layout;
mod login;
mod paging;
mod purchase_returns;
mod refund_orders;
mod requests;
mod session;
mod status;
mod stock;
mod stockins;
mod trades;
mod widgets;

use axum::Router;
use axum::routing::{get, post};

use wdt_store::Operation;

use self::actions::button_route;
use crate::AppState;

pub(crate) use requests::{CallLog, CallRecord};
pub(crate) use session::guard;

/// The console routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/console", get(home::home))
        .route("/console/search", get(home::search))
        .route("/console/login", get(login::login_form).post(login::login))
        .route("/console/logout", post(login::logout))
        .route("/console/refunds", get(refund_orders::list))
        .route("/console/refunds/{sid}/{refund_no}", get(refund_orders::show))
        .route(
            "/console/refunds/{sid}/{refund_no}/review",
            button_route(|refund_no| Operation::ReviewRefundOrder { refund_no }),
        )
        .route(
            "/console/refunds/{sid}/{refund_no}/cancel",
            button_route(|refund_no| Operation::CancelRefundOrder { refund_no }),
        )
        .route("/console/stockins", get(stockins::list))
        .route("/console/stockins/{sid}/{order_no}", get(stockins::show))
        .route(
            "/console/stockins/{sid}/{order_no}/check",
            button_route(|order_no| Operation::CheckStockin { order_no }),
        )
        .route(
            "/console/stockins/{sid}/{order_no}/cancel",
            button_route(|order_no| Operation::CancelStockin { order_no }),
        )
        .route("/console/purchase-returns", get(purchase_returns::list))
        .route("/console/purchase-returns/{sid}/{return_no}", get(purchase_returns::show))
        .route(
            "/console/purchase-returns/{sid}/{return_no}/check",
            button_route(|return_no| Operation::CheckPurchaseReturn { return_no }),
        )
        .route(
            "/console/purchase-returns/{sid}/{return_no}/cancel",
            button_route(|return_no| Operation::CancelPurchaseReturn { return_no }),
        )
        .route("/console/trades", get(trades::list))
        .route("/console/trades/{sid}/{tid}", get(trades::show))
        .route("/console/trades/{sid}/{tid}/ship", post(trades::ship))
        .route("/console/stock", get(stock::stock))
        .route("/console/stock/adjust", post(stock::adjust))
        .route("/console/ledger", get(stock::ledger))
        .route("/console/audit", get(audit::audit))
        .route("/console/requests", get(requests::requests))
}
