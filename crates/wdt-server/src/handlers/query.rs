//! `wms.stockin.Refund.queryWithDetail` and `wms.stockin.Refund.queryHisWithDetail`: paged,
//! time-windowed queries of return stock-ins, one split between them by the age of the modified
//! time on the store clock ([`wdt_domain::query::HISTORY_AFTER_DAYS`]).

use serde_json::Value;
use serde_json::value::RawValue;
use tokio::sync::Semaphore;
use wdt_domain::query::{PAGE_LINES_IN_FLIGHT, QueryParams, StockinQuery, page_line_weight};
use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::ReadParams;
use wdt_protocol::methods::refund_stockin_query::{
    QueryPage, RefundStockinHistoryQuery, RefundStockinQuery, history_view,
};
use wdt_protocol::qjb::Pager;
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::QjbData;

/// Runs one page of the live query: stock-ins modified within the split.
pub(crate) async fn qjb_query(
    state: &AppState,
    app: &AppCredential,
    pager: Pager,
    args: Vec<Value>,
) -> Result<QjbData, ApiError> {
    let request = RefundStockinQuery::from_args(args)?;
    run(state, app, pager, &request, false).await
}

/// Runs one page of the history query: stock-ins modified before the split.
pub(crate) async fn qjb_history(
    state: &AppState,
    app: &AppCredential,
    pager: Pager,
    args: Vec<Value>,
) -> Result<QjbData, ApiError> {
    let request = RefundStockinHistoryQuery::from_args(args)?;
    run(state, app, pager, &request.0, true).await
}

/// One page of `request`, of the history's stock-ins or the live ones.
async fn run(
    state: &AppState,
    app: &AppCredential,
    pager: Pager,
    request: &RefundStockinQuery,
    history: bool,
) -> Result<QjbData, ApiError> {
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
    let now = state.store.clock().now_ms();
    let query = if history { query.history(now) } else { query.live(now) };
    // The page's lines are held from the store's rows to its JSON; what they may take together
    // is bounded here, before the store reads any of them.
    let _lines = PAGE_LINES.acquire_many(page_line_weight(query.page_size)).await.map_err(|_| ApiError::Internal)?;
    let page = state.store.query_return_stockins(&app.sid, &query).await.map_err(store_error)?;
    if history { history_data(&page) } else { page_data(&page) }
}

/// The detail lines all pages being read and written may hold at once
/// ([`PAGE_LINES_IN_FLIGHT`]).
static PAGE_LINES: Semaphore = Semaphore::const_new(PAGE_LINES_IN_FLIGHT as usize);

/// Counts the bytes written through it.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A history page's JSON ([`history_view`]).
fn history_data(page: &QueryPage) -> Result<QjbData, ApiError> {
    let internal = |e: serde_json::Error| {
        tracing::error!(error = %e, "serialising a response");
        ApiError::Internal
    };
    let view = history_view(page).map_err(internal)?;
    RawValue::from_string(serde_json::to_string(&view).map_err(internal)?).map(QjbData::raw).map_err(internal)
}

/// A page's JSON in one buffer of exactly its size: measured first, then written once. A page
/// of 5,000 lines is several MB, which a growing buffer would copy and over-allocate by up to
/// half as it doubles.
fn page_data(page: &QueryPage) -> Result<QjbData, ApiError> {
    let internal = |e: serde_json::Error| {
        tracing::error!(error = %e, "serialising a response");
        ApiError::Internal
    };
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, page).map_err(internal)?;
    let mut bytes = Vec::with_capacity(counter.0);
    serde_json::to_writer(&mut bytes, page).map_err(internal)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        tracing::error!(error = %e, "serialising a response");
        ApiError::Internal
    })?;
    RawValue::from_string(text).map(QjbData::raw).map_err(internal)
}
