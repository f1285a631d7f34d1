//! `aftersales.refund.RawRefund.upload` and `upload2`: a shop's raw refunds, converted at once
//! into refund orders (SPEC.md §8).

use serde_json::Value;
use wdt_protocol::ApiError;
use wdt_protocol::methods::raw_refund_upload::{RawRefundUpload, RawRefundUploadResult};
use wdt_protocol::methods::{RAW_REFUND_UPLOAD, RAW_REFUND_UPLOAD2};
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{self, QjbData};

/// `upload`: `[shop_no, order_list]` → `data` `{"chg_count":…,"new_count":…}`, or the first
/// refusal for the whole call.
pub(crate) async fn qjb_upload(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let upload = RawRefundUpload::from_args(RAW_REFUND_UPLOAD, args)?;
    let done = state.store.upload_raw_refunds(app, &upload, true).await.map_err(store_error)?;
    reply::qjb_data(&RawRefundUploadResult { chg_count: done.chg_count, new_count: done.new_count })
}

/// `upload2`: `[shop_no, order_list]` → `data` `{"chg_count":…,"error_list":[{"error","no"}],"new_count":…}`,
/// each raw refund accepted or refused on its own.
pub(crate) async fn qjb_upload2(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let upload = RawRefundUpload::from_args(RAW_REFUND_UPLOAD2, args)?;
    let done = state.store.upload_raw_refunds(app, &upload, false).await.map_err(store_error)?;
    reply::qjb_data(&done)
}
