//! `purchase.PurchaseReturn.cancelOrder`: the API's door to the operator action that cancels an
//! unchecked purchase return ([`Operation::CancelPurchaseReturn`], one domain rule and one store
//! path for both), recorded in the audit log with the key as the actor.

use serde_json::Value;
use wdt_protocol::ApiError;
use wdt_protocol::methods::purchase_return_cancel::{PurchaseReturnCancel, PurchaseReturnCancelResult};
use wdt_store::{Action, AppCredential, DocumentFilter, Operation, RefusalKind, StoreError};

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{self, QjbData};

/// `[return_no]` → `data` `{"message":"OK","status":0}`, or the reason in `message` (the page
/// answers refusals with status 0 too). A return outside the key's warehouses answers exactly as
/// one that does not exist.
pub(crate) async fn qjb_cancel(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let return_no = PurchaseReturnCancel::from_args(args)?.return_no;
    // A return's warehouse never changes, so the scope read before the action stays true.
    let filter = DocumentFilter { number: Some(return_no.clone()), ..DocumentFilter::seller(&app.sid, 1) };
    let found = state.store.list_purchase_returns(&filter).await.map_err(store_error)?;
    let in_scope = found.first().is_some_and(|r| app.scope().allows_warehouse(&r.warehouse_no));
    let result = if in_scope {
        let action =
            Action { sid: app.sid.clone(), op: Operation::CancelPurchaseReturn { return_no: return_no.clone() } };
        match state.store.act(&app.key, &action).await {
            Ok(_) => PurchaseReturnCancelResult::cancelled(),
            Err(StoreError::Refused(r)) if r.kind == RefusalKind::NotFound => {
                PurchaseReturnCancelResult::not_found(&return_no)
            }
            Err(StoreError::Refused(r)) if r.kind == RefusalKind::Conflict => {
                PurchaseReturnCancelResult::not_open(&return_no)
            }
            Err(e) => return Err(store_error(e)),
        }
    } else {
        PurchaseReturnCancelResult::not_found(&return_no)
    };
    reply::qjb_data(&result)
}
