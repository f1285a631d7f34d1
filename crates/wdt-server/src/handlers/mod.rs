//! One module per business operation: wire payload → domain command → store → wire answer.

pub(crate) mod master_push;
pub(crate) mod purchase_order;
pub(crate) mod purchase_return;
pub(crate) mod purchase_return_cancel;
pub(crate) mod query;
pub(crate) mod quick_return;
pub(crate) mod raw_refund;
pub(crate) mod raw_trade;
pub(crate) mod reads;
pub(crate) mod refund_stockin;

use wdt_protocol::ApiError;
use wdt_store::StoreError;

/// A store failure as the client sees it; database faults are logged here, once.
pub(crate) fn store_error(e: StoreError) -> ApiError {
    if !matches!(e, StoreError::Api(_)) {
        tracing::error!(error = %e, "store failure");
    }
    e.into_api_error()
}
