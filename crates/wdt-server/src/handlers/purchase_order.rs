//! `purchase.PurchaseOrder.createOrder`: a purchase order from the page's `params`.

use serde_json::Value;
use wdt_domain::purchase_order::{PurchaseOrderCmd, PurchaseOrderLine};
use wdt_protocol::methods::LinePath;
use wdt_protocol::methods::purchase_order::{ARG_DETAILS, PurchaseOrderCreate, PurchaseOrderCreateResult, wire_time};
use wdt_protocol::{ApiError, Dec4};
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{self, QjbData};

/// `[params]` → `data` `{"status":0,"message":<purchase no>}`.
pub(crate) async fn qjb_create(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let o = PurchaseOrderCreate::from_args(args)?.params;
    let text = |v: Option<String>| v.unwrap_or_default();
    let mut lines = Vec::with_capacity(o.purchase_details.len());
    for (index, d) in o.purchase_details.into_iter().enumerate() {
        let num = Dec4::from_int(d.num).ok_or_else(|| {
            ApiError::Business(format!("数量不合法 {}: {}", LinePath { list: ARG_DETAILS, index, field: "num" }, d.num))
        })?;
        let path = LinePath { list: ARG_DETAILS, index, field: "expire_date" };
        lines.push(PurchaseOrderLine {
            spec_no: d.spec_no,
            num,
            unit_name: d.purchase_unit_name,
            remark: text(d.remark),
            props: [text(d.prop1), text(d.prop2), text(d.prop3), text(d.prop4)],
            price: d.price,
            discount: d.discount,
            tax_rate: d.tax_rate,
            batch_no: text(d.batch_no),
            expire_date: wire_time(path, d.expire_date.as_deref())?,
        });
    }
    let cmd = PurchaseOrderCmd {
        expect_time: wire_time("expect_time", o.expect_time.as_deref())?,
        created: wire_time("created", o.created.as_deref())?,
        purchase_no: o.purchase_no,
        provider_no: o.provider_no,
        receive_warehouse_no: o.receive_warehouse_nos,
        expect_warehouse_no: o.expect_warehouse_no,
        purchaser_name: o.purchaser_name,
        check: o.is_check.unwrap_or(false),
        apply_nos: text(o.apply_nos),
        receive_address: text(o.receive_address),
        contact: text(o.contact),
        telno: text(o.telno),
        flag_name: text(o.flag_name),
        pay_type: o.pay_type.unwrap_or(0),
        postfee_pay_type: o.postfee_pay_type.unwrap_or(0),
        remark: text(o.remark),
        post_fee: o.post_fee.unwrap_or(Dec4::ZERO),
        other_fee: o.other_fee.unwrap_or(Dec4::ZERO),
        logistics_no: o.logistics_no,
        props: [text(o.prop1), text(o.prop2), text(o.prop3), text(o.prop4)],
        lines,
    };
    cmd.check_lines()?;
    let created = state.store.create_purchase_order(app, &cmd).await.map_err(store_error)?;
    reply::qjb_data(&PurchaseOrderCreateResult::created(created.purchase_no))
}
