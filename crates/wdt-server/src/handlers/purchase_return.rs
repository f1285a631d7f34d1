//! `purchase.PurchaseReturn.createOrder`: purchase return to a supplier.

use serde_json::Value;
use wdt_domain::purchase_return::{PurchaseReturnCmd, PurchaseReturnLine};
use wdt_protocol::methods::purchase_return::{PurchaseReturnCreate, PurchaseReturnResult};
use wdt_protocol::{ApiError, Dec4};
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{self, QjbData};

/// `[orderInfo, detailList, is_check]` → `data` `{"status":0,"message":<return no>}`, or
/// `{"status":20,"message":<reason>}` when the check failed.
pub(crate) async fn qjb_create(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let request = PurchaseReturnCreate::from_args(args)?;
    let check_fail_cancel = request.order.cancel_on_check_failure()?;
    let o = request.order;
    let cmd = PurchaseReturnCmd {
        outer_no: o.outer_no,
        warehouse_no: o.warehouse_no,
        provider_no: o.provider_no,
        logistics_no: o.logistics_no,
        post_fee: o.post_fee.unwrap_or(Dec4::ZERO),
        other_fee: o.other_fee.unwrap_or(Dec4::ZERO),
        contact: o.contact,
        telno: o.telno,
        address: o.receive_address,
        province: o.receive_province,
        city: o.receive_city,
        district: o.receive_district,
        prop1: o.prop1.unwrap_or_default(),
        prop2: o.prop2.unwrap_or_default(),
        remark: o.remark.unwrap_or_default(),
        ref_purchase_nos: o.ref_purchase_nos,
        check_fail_cancel,
        lines: request
            .details
            .into_iter()
            .map(|d| PurchaseReturnLine {
                spec_no: d.spec_no,
                num: d.num,
                discount: d.discount,
                tax_rate: d.tax_rate,
                price: d.price,
                unit_name: d.unit_name,
                defect: d.defect.unwrap_or(false),
                remark: d.remark.unwrap_or_default(),
                batch_no: d.batch_no,
                expire_date: d.expire_date,
                tax_price: d.tax_price,
            })
            .collect(),
        check: request.is_check,
    };
    cmd.check_lines()?;
    let outcome = state.store.create_purchase_return(app, &cmd).await.map_err(store_error)?;
    let result = match outcome.check_failure {
        None => PurchaseReturnResult::created(outcome.return_no),
        Some(reason) => PurchaseReturnResult::check_failed(&reason),
    };
    reply::qjb_data(&result)
}
