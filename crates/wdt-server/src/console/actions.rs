//! How every button runs: the action through the store as actor `console`, then a redirect back
//! to the page with a flash saying what was done, or why it was refused. A repeated action (a
//! double click, a second tab) is refused by the store and told apart: when the document is
//! already where the action would take it, the flash says nothing was done twice.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, post};
use maud::html;
use wdt_domain::model::{PurchaseReturnStatus, RefundOrderStatus, StockinStatus};
use wdt_store::{Action, ActionDone, DocumentFilter, Operation, RefusalKind, Store, StoreError};

use super::csrf::ActionForm;
use super::flash::{self, Flash, Tone};
use super::layout::bare;
use super::widgets::doc_url;
use crate::AppState;

/// Who the audit log names for the console's actions.
pub(super) const ACTOR: &str = "console";

/// Each action's name in the audit log ([`Operation::name`]), its name for people, and the
/// console path under which its documents' pages are.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("refund_order.review", "审核退换单 Review refund order", "refunds"),
    ("refund_order.cancel", "取消退换单 Cancel refund order", "refunds"),
    ("stockin.check", "审核入库单 Check stock-in", "stockins"),
    ("stockin.cancel", "取消入库单 Cancel stock-in", "stockins"),
    ("purchase_return.check", "审核采购退货单 Check purchase return", "purchase-returns"),
    ("purchase_return.cancel", "取消采购退货单 Cancel purchase return", "purchase-returns"),
    ("trade.ship", "发货 Ship trade", "trades"),
    ("stock.adjust", "盘点 Stock count", "stock"),
];

/// The name for people and the document path of the action the audit log calls `name`.
pub(super) fn described(name: &str) -> Option<(&'static str, &'static str)> {
    ACTIONS.iter().find(|(n, _, _)| *n == name).map(|(_, label, path)| (*label, *path))
}

/// The action's name for people.
pub(super) fn label(op: &Operation) -> &'static str {
    described(op.name()).map_or("", |(label, _)| label)
}

/// The route of a button on a document's page (`POST …/{sid}/{number}/<action>`): runs the
/// operation `op` makes of the document's number, then goes back to the document's page.
pub(super) fn button_route(op: fn(String) -> Operation) -> MethodRouter<AppState> {
    post(move |State(state): State<AppState>, Path((sid, no)): Path<(String, String)>, form: ActionForm| async move {
        let op = op(no.clone());
        let back = doc_url(described(op.name()).map_or("", |(_, path)| path), &sid, &no);
        run(&state, &form, Action { sid, op }, &back).await
    })
}

/// Runs `action` for the operator who posted `form`, then sends them to `back`.
pub(super) async fn run(state: &AppState, form: &ActionForm, action: Action, back: &str) -> Response {
    let what = label(&action.op);
    let flash = match state.store.act(ACTOR, &action).await {
        Ok(done) => Flash { tone: Tone::Done, message: done_message(what, &done) },
        Err(StoreError::Refused(r)) => {
            let already = r.kind == RefusalKind::Conflict && already_done(&*state.store, &action).await;
            if already {
                Flash {
                    tone: Tone::Already,
                    message: format!(
                        "{what}: 已处理过,未重复执行 already done, nothing was applied twice ({})",
                        r.message
                    ),
                }
            } else {
                Flash { tone: Tone::Refused, message: format!("{what} 被拒绝 refused: {}", r.message) }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, action = action.op.name(), "console action failed");
            let body = html! {
                p { (what) ": 操作失败,未完成 the action failed and was not done." }
                p { a href=(back) { "← 返回 Back" } }
            };
            return (StatusCode::INTERNAL_SERVER_ERROR, bare("出错了 Something went wrong", body)).into_response();
        }
    };
    let mut response = Redirect::to(back).into_response();
    flash::set(state, &form.session, &mut response, &flash);
    response
}

/// Sends the operator back to `back` with `message` as a refusal, having done nothing (a form
/// the store need not see: a field missing, a number that is not one).
pub(super) fn refuse(state: &AppState, form: &ActionForm, back: &str, message: &str) -> Response {
    let mut response = Redirect::to(back).into_response();
    let flash = Flash { tone: Tone::Refused, message: format!("被拒绝 refused: {message}") };
    flash::set(state, &form.session, &mut response, &flash);
    response
}

fn done_message(what: &str, done: &ActionDone) -> String {
    let a = &done.audit;
    let mut message = format!("{what} {}: {} → {}", a.target, a.before, a.after);
    if !a.doc_no.is_empty() {
        message.push_str(&format!(" · 单号 doc no {}", a.doc_no));
    }
    message
}

/// Whether the document `action` names already is where the action would take it.
async fn already_done(store: &dyn Store, action: &Action) -> bool {
    let sid = action.sid.as_str();
    let number = |no: &str| DocumentFilter {
        sid: Some(sid.to_owned()),
        number: Some(no.to_owned()),
        limit: 1,
        ..DocumentFilter::default()
    };
    match &action.op {
        Operation::ReviewRefundOrder { refund_no } | Operation::CancelRefundOrder { refund_no } => {
            let want = if matches!(action.op, Operation::ReviewRefundOrder { .. }) {
                RefundOrderStatus::Checked.code()
            } else {
                RefundOrderStatus::Cancelled.code()
            };
            let found = store.list_refund_orders(&number(refund_no)).await.unwrap_or_default();
            found.first().is_some_and(|r| r.status == want)
        }
        Operation::CheckStockin { order_no } | Operation::CancelStockin { order_no } => {
            let want = if matches!(action.op, Operation::CheckStockin { .. }) {
                StockinStatus::Completed.code()
            } else {
                StockinStatus::Cancelled.code()
            };
            let found = store.stockin(sid, order_no).await.ok().flatten();
            found.is_some_and(|s| s.summary.status == want)
        }
        Operation::CheckPurchaseReturn { return_no } | Operation::CancelPurchaseReturn { return_no } => {
            let want = if matches!(action.op, Operation::CheckPurchaseReturn { .. }) {
                PurchaseReturnStatus::Checked.code()
            } else {
                PurchaseReturnStatus::Cancelled.code()
            };
            let found = store.list_purchase_returns(&number(return_no)).await.unwrap_or_default();
            found.first().is_some_and(|r| r.status == want)
        }
        Operation::ShipTrade { tid, .. } => store.trade(sid, tid).await.ok().flatten().is_some_and(|t| t.shipped),
        Operation::AdjustStock(_) => false,
    }
}
