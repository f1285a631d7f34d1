//! The operator actions: one `POST` each, answered with the changed document and its audit row.

use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;
use wdt_store::{Action, Operation, StockCount};

use super::body::{self, Fields};
use super::error::json_body;
use super::{Admin, AdminError, views};
use crate::{AppState, telemetry};

/// The action routes, under `/admin/v1`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/v1/refund-orders/{sid}/{refund_no}/review", post(review_refund_order))
        .route("/admin/v1/refund-orders/{sid}/{refund_no}/cancel", post(cancel_refund_order))
        .route("/admin/v1/stockins/{sid}/{order_no}/check", post(check_stockin))
        .route("/admin/v1/stockins/{sid}/{order_no}/cancel", post(cancel_stockin))
        .route("/admin/v1/purchase-returns/{sid}/{order_no}/check", post(check_purchase_return))
        .route("/admin/v1/purchase-returns/{sid}/{order_no}/cancel", post(cancel_purchase_return))
        .route("/admin/v1/trades/{sid}/{tid}/ship", post(ship_trade))
        .route("/admin/v1/stock/{sid}/adjust", post(adjust_stock))
}

type Pair = Result<Path<(String, String)>, PathRejection>;
type One = Result<Path<String>, PathRejection>;

/// A path whose segments did not decode (bad percent-encoding, not UTF-8).
fn bad_path(e: &PathRejection) -> AdminError {
    AdminError::invalid("path", "", format!("路径参数无法解析 path: {}", e.body_text()))
}

/// The document action of `op` on the `(sid, number)` of the path.
fn document_action(path: Pair, op: impl FnOnce(String) -> Operation) -> Result<Action, AdminError> {
    let Path((sid, no)) = path.map_err(|e| bad_path(&e))?;
    Ok(Action { sid, op: op(no) })
}

async fn review_refund_order(State(state): State<AppState>, admin: Admin, path: Pair) -> Response {
    let action = document_action(path, |refund_no| Operation::ReviewRefundOrder { refund_no });
    run(&state, &admin, action).await
}

async fn cancel_refund_order(State(state): State<AppState>, admin: Admin, path: Pair) -> Response {
    let action = document_action(path, |refund_no| Operation::CancelRefundOrder { refund_no });
    run(&state, &admin, action).await
}

async fn check_stockin(State(state): State<AppState>, admin: Admin, path: Pair) -> Response {
    let action = document_action(path, |order_no| Operation::CheckStockin { order_no });
    run(&state, &admin, action).await
}

async fn cancel_stockin(State(state): State<AppState>, admin: Admin, path: Pair) -> Response {
    let action = document_action(path, |order_no| Operation::CancelStockin { order_no });
    run(&state, &admin, action).await
}

async fn check_purchase_return(State(state): State<AppState>, admin: Admin, path: Pair) -> Response {
    let action = document_action(path, |return_no| Operation::CheckPurchaseReturn { return_no });
    run(&state, &admin, action).await
}

async fn cancel_purchase_return(State(state): State<AppState>, admin: Admin, path: Pair) -> Response {
    let action = document_action(path, |return_no| Operation::CancelPurchaseReturn { return_no });
    run(&state, &admin, action).await
}

/// Fields of the ship body.
const SHIP_FIELDS: &[&str] = &["warehouse_no"];

async fn ship_trade(State(state): State<AppState>, admin: Admin, path: Pair, body: Body) -> Response {
    let action = async {
        let Path((sid, tid)) = path.map_err(|e| bad_path(&e))?;
        let fields = Fields::parse(&body::read(body, state.config.body_timeout).await?, SHIP_FIELDS)?;
        let warehouse_no = fields.required_string("warehouse_no")?;
        Ok(Action { sid, op: Operation::ShipTrade { tid, warehouse_no } })
    }
    .await;
    run(&state, &admin, action).await
}

/// Fields of the adjust body.
const ADJUST_FIELDS: &[&str] = &["warehouse_no", "spec_no", "defect", "batch_no", "position_no", "num"];

async fn adjust_stock(State(state): State<AppState>, admin: Admin, path: One, body: Body) -> Response {
    let action = async {
        let Path(sid) = path.map_err(|e| bad_path(&e))?;
        let fields = Fields::parse(&body::read(body, state.config.body_timeout).await?, ADJUST_FIELDS)?;
        let count = StockCount {
            warehouse_no: fields.required_string("warehouse_no")?,
            spec_no: fields.required_string("spec_no")?,
            defect: fields.flag("defect")?,
            batch_no: fields.optional_string("batch_no")?.filter(|s| !s.is_empty()),
            position_no: fields.optional_string("position_no")?.filter(|s| !s.is_empty()),
            num: fields.quantity("num")?,
        };
        // Refused here, before the database, by the rule the store applies too.
        wdt_domain::operations::counted_quantity("num", count.num)
            .map_err(|r| AdminError::invalid(r.field, r.value, r.message))?;
        Ok(Action { sid, op: Operation::AdjustStock(count) })
    }
    .await;
    run(&state, &admin, action).await
}

/// Runs `action` as `admin`, answers `{"document", "audit"}` or the refusal, and logs one line.
async fn run(state: &AppState, admin: &Admin, action: Result<Action, AdminError>) -> Response {
    let started = Instant::now();
    let request_id = telemetry::next_request_id();
    let (sid, name, target) = match &action {
        Ok(a) => (a.sid.clone(), a.op.name(), a.op.target()),
        Err(_) => (String::new(), "", String::new()),
    };
    let result = match action {
        Ok(action) => state.store.act(admin.actor, &action).await.map_err(|e| AdminError::from_store(request_id, e)),
        Err(e) => Err(e),
    };
    let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let mut response = match result {
        Ok(done) => {
            tracing::info!(
                request_id,
                actor = admin.actor,
                sid,
                action = name,
                target,
                audit_id = done.audit.id,
                before = done.audit.before,
                after = done.audit.after,
                latency_us,
                "admin action"
            );
            let body = json!({"document": views::document(&sid, &done.document), "audit": views::audit(&done.audit)});
            (StatusCode::OK, json_body(&body)).into_response()
        }
        Err(e) => {
            tracing::info!(
                request_id, actor = admin.actor, sid, action = name, target, status = e.status.as_u16(),
                code = e.code, field = ?e.field, message = e.message, latency_us, "admin action refused"
            );
            e.into_response()
        }
    };
    response.headers_mut().insert("x-request-id", request_id.into());
    response
}
