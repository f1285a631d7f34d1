//! Return stock-in, both faces: `wms.stockin.Refund.createOrder` (qjb) and
//! `stockin_refund_push.php` (openapi2).

use serde_json::{Map, Value};
use wdt_domain::model::StockinStatus;
use wdt_domain::refund_stockin::{OPENAPI2_FIELDS, QJB_FIELDS, ReturnLine, ReturnStockin};
use wdt_protocol::methods::refund_stockin::RefundStockinOrder;
use wdt_protocol::methods::stockin_refund_push::StockinRefundInfo;
use wdt_protocol::{ApiError, Dec4};
use wdt_store::AppCredential;

use wdt_protocol::methods;

use crate::handlers::store_error;
use crate::reply::{self, QjbData};
use crate::{AppState, telemetry};

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn split_sn(text: Option<&str>) -> Vec<String> {
    text.unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Refuses bad lines before the store is asked, then creates the order.
async fn run(state: &AppState, app: &AppCredential, cmd: ReturnStockin) -> Result<String, ApiError> {
    cmd.check_lines()?;
    let created = state.store.create_return_stockin(app, &cmd).await.map_err(store_error)?;
    Ok(created.order_no)
}

/// `wms.stockin.Refund.createOrder`: `[stockin_order]` → `data` = the new order no.
pub(crate) async fn qjb_create(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let order = RefundStockinOrder::from_args(args)?;
    let status = StockinStatus::from_create_mode(order.create_mode()?);
    let cmd = ReturnStockin {
        refund_no: order.refund_no,
        outer_no: non_empty(order.out_stockin_no),
        warehouse_no: order.warehouse_no,
        logistics_code: non_empty(order.logistics_code),
        logistics_no: order.logistics_no.unwrap_or_default(),
        remark: order.remark.unwrap_or_default(),
        post_fee: Dec4::ZERO,
        other_fee: Dec4::ZERO,
        status,
        create_batches: order.is_create_batch.unwrap_or(false),
        lines: order
            .detail_list
            .into_iter()
            .map(|d| ReturnLine {
                sn: split_sn(d.sn_strings.as_deref()),
                spec_no: d.spec_no,
                num: d.num,
                defect: d.defect.unwrap_or(false),
                batch_no: non_empty(d.batch_no),
                production_date: d.production_date,
                expire_date: d.expire_date,
                position_no: non_empty(d.position_no),
                remark: d.remark.unwrap_or_default(),
                batch_remark: d.batch_remark.unwrap_or_default(),
                price: d.stockin_price,
                tax: None,
            })
            .collect(),
        fields: QJB_FIELDS,
    };
    let order_no = run(state, app, cmd).await?;
    telemetry::stockin_created(methods::REFUND_STOCKIN_CREATE);
    reply::qjb_data(&order_no)
}

/// `stockin_refund_push.php`: field `stockin_refund_info` → `{"code":0,"message":"succeed"}`.
pub(crate) async fn openapi2_push(
    state: &AppState,
    app: &AppCredential,
    field: &str,
) -> Result<Map<String, Value>, ApiError> {
    let info = StockinRefundInfo::from_form_field(field)?;
    let status = StockinStatus::from_is_check(info.is_check_or_default());
    let cmd = ReturnStockin {
        refund_no: info.refund_no,
        outer_no: non_empty(Some(info.outer_no)),
        warehouse_no: info.warehouse_no,
        logistics_code: non_empty(info.logistics_code),
        logistics_no: info.logistics_no.unwrap_or_default(),
        remark: info.remark.unwrap_or_default(),
        post_fee: info.post_fee.unwrap_or(Dec4::ZERO),
        other_fee: info.other_fee.unwrap_or(Dec4::ZERO),
        status,
        create_batches: info.is_created_batch.unwrap_or(false),
        lines: info
            .detail_list
            .into_iter()
            .map(|d| ReturnLine {
                spec_no: d.spec_no,
                num: d.stockin_num,
                defect: false,
                sn: Vec::new(),
                batch_no: non_empty(d.batch_no),
                production_date: d.production_date,
                expire_date: d.expire_date,
                position_no: non_empty(d.position_no),
                remark: d.remark.unwrap_or_default(),
                batch_remark: String::new(),
                price: d.stockin_price,
                tax: d.tax,
            })
            .collect(),
        fields: OPENAPI2_FIELDS,
    };
    run(state, app, cmd).await?;
    telemetry::stockin_created(methods::OPENAPI2_STOCKIN_REFUND_PUSH);
    Ok(Map::new())
}
