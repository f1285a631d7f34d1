//! `wms.stockin.SmartRefund.upload`: quick return by original trade.

use serde_json::Value;
use wdt_domain::model::StockinOrderType;
use wdt_domain::quick_return::{QuickReturn, QuickReturnLine};
use wdt_protocol::ApiError;
use wdt_protocol::methods::smart_refund::{SmartRefundResult, SmartRefundUpload};
use wdt_store::AppCredential;

use crate::handlers::store_error;
use crate::reply::{self, QjbData};
use crate::{AppState, telemetry};

/// `[refundInfo, detailMapList, createPreStockin]` → `{"stockin_id": …, "type": 12}`.
pub(crate) async fn qjb_upload(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let upload = SmartRefundUpload::from_args(args)?;
    let cmd = QuickReturn {
        tid: upload.refund_info.tid,
        warehouse_no: upload.refund_info.return_warehouse_no,
        remark: upload.refund_info.remark,
        lines: upload
            .details
            .into_iter()
            .map(|d| QuickReturnLine { spec_no: d.spec_no, num: d.stockin_num, remark: d.remark })
            .collect(),
        allow_more_than_sold: upload.create_pre_stockin,
    };
    cmd.check_lines()?;
    let created = state.store.create_quick_return(app, &cmd).await.map_err(store_error)?;
    telemetry::stockin_created(wdt_protocol::methods::SMART_REFUND_UPLOAD);
    let result = SmartRefundResult { stockin_id: created.id, order_type: StockinOrderType::Refund.code() };
    reply::qjb_data(&result)
}
