//! The read-back queries (SPEC.md §9): parameters → checked read → the store's page → `data`.

use serde_json::{Map, Value};
use wdt_domain::reads::{self, ReadQuery};
use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::settings::{LogisticsQuery, ProviderQuery, ShopQuery, WarehouseQuery};
use wdt_protocol::methods::reads::{self as methods, ReadParams};
use wdt_protocol::qjb::Pager;
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{QjbData, qjb_data};

/// The checked read of one call of `method`.
/// `now_ms` is the store clock's (test mode may have moved it).
fn check(
    method: &str,
    args: Vec<Value>,
    pager: Pager,
    app: &AppCredential,
    now_ms: i64,
) -> Result<ReadQuery, ApiError> {
    let scope = app.scope();
    match method {
        methods::WAREHOUSE_QUERY => reads::settings::warehouses(&WarehouseQuery::from_args(args)?, pager, &scope),
        methods::SHOP_QUERY => Ok(reads::settings::shops(&ShopQuery::from_args(args)?, pager, &scope)),
        methods::LOGISTICS_QUERY => Ok(reads::settings::logistics(&LogisticsQuery::from_args(args)?, pager, &scope)),
        methods::PROVIDER_QUERY => reads::settings::providers(&ProviderQuery::from_args(args)?, pager, &scope),
        methods::REFUND_SEARCH => {
            let params = wdt_protocol::methods::reads::refunds::RefundSearch::from_args(args)?;
            reads::refunds::refunds(&params, pager, &scope)
        }
        methods::RAW_REFUND_SEARCH => {
            let params = wdt_protocol::methods::reads::raw_refunds::RawRefundSearch::from_args(args)?;
            reads::raw_refunds::raw_refunds(&params, pager, &scope)
        }
        methods::STOCK_SPEC_SEARCH => {
            let params = wdt_protocol::methods::reads::stock::StockSpecQuery::from_args(args)?;
            reads::stock::stock_specs(&params, pager, &scope)
        }
        methods::STOCK_CHANGE_QUERY => {
            let params = wdt_protocol::methods::reads::stock::StockChangeQuery::from_args(args)?;
            reads::stock::stock_changes(&params, pager, &scope)
        }
        methods::PURCHASE_RETURN_QUERY => {
            let params = wdt_protocol::methods::reads::purchase::PurchaseReturnQuery::from_args(args)?;
            reads::purchase::purchase_returns(&params, pager, &scope)
        }
        methods::PURCHASE_ORDER_QUERY => {
            let params = wdt_protocol::methods::reads::purchase::PurchaseOrderQuery::from_args(args)?;
            reads::purchase::purchase_orders(&params, pager, &scope)
        }
        methods::GOODS_QUERY => {
            let params = wdt_protocol::methods::reads::goods::GoodsQuery::from_args(args)?;
            // An open end runs to now.
            reads::goods::goods(&params, pager, &scope, now_ms)
        }
        other => Err(ApiError::UnknownMethod(other.to_owned())),
    }
}

/// Runs one page of a read-back method.
pub(crate) async fn qjb_read(
    state: &AppState,
    app: &AppCredential,
    method: &str,
    pager: Pager,
    args: Vec<Value>,
) -> Result<QjbData, ApiError> {
    let query = check(method, args, pager, app, state.store.clock().now_ms())?;
    // The stock queries refuse an unknown warehouse (as one out of scope) instead of reading none.
    for probe in reads::warehouse_probes(&query) {
        if state.store.read(&app.sid, &probe.query).await.map_err(store_error)?.rows.is_empty() {
            return Err(probe.unknown());
        }
    }
    let page = state.store.read(&app.sid, &query).await.map_err(store_error)?;
    if query.listing.page_shape() == reads::PageShape::TotalBeside {
        let rows: Vec<Value> = page.rows.into_iter().map(Value::Object).collect();
        return crate::reply::qjb_total_beside(page.total_count, &rows);
    }
    let mut data = Map::new();
    if let Some(total) = page.total_count {
        data.insert("total_count".into(), Value::from(total));
    }
    let rows = page.rows.into_iter().map(Value::Object).collect();
    data.insert(query.listing.list_key().into(), Value::Array(rows));
    qjb_data(&data)
}
