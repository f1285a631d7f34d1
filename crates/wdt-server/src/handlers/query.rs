//! `wms.stockin.Refund.queryWithDetail`: paged, time-windowed query of return stock-ins.

use serde_json::Value;
use wdt_domain::query::{QueryParams, StockinQuery};
use wdt_protocol::ApiError;
use wdt_protocol::methods::refund_stockin_query::RefundStockinQuery;
use wdt_protocol::qjb::Pager;
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{self, QjbData};

/// Runs one page.
pub(crate) async fn qjb_query(
    state: &AppState,
    app: &AppCredential,
    pager: Pager,
    args: Vec<Value>,
) -> Result<QjbData, ApiError> {
    let request = RefundStockinQuery::from_args(args)?;
    let params = QueryParams {
        start_time: &request.start_time,
        end_time: &request.end_time,
        time_type: request.time_type()?,
        warehouse_no: request.warehouse_no.as_deref(),
        stockin_no: request.stockin_no.as_deref(),
        refund_no: request.refund_no.as_deref(),
        shop_nos: request.shop_nos.as_deref(),
        status: request.status.as_deref(),
        need_sn: request.need_sn.unwrap_or(false),
        is_slave: request.is_slave.unwrap_or(false),
    };
    let query = StockinQuery::check(&params, pager.page_size, pager.page_no, pager.calc_total, &app.scope())?;
    let page = state.store.query_return_stockins(&app.sid, &query).await.map_err(store_error)?;
    reply::qjb_data(&page)
}
