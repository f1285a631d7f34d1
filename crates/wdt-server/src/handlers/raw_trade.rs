//! `sales.RawTrade.pushSelf`: a self-owned shop's raw trades, converted at once into trades
//! (SPEC.md §8).

use serde_json::Value;
use wdt_protocol::ApiError;
use wdt_protocol::methods::raw_trade_push::RawTradePush;
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{self, QjbData};

/// `[shop_no, rawTradeList, rawTradeOrderList, discountList?]` → `data` `{"chg_count":…,"new_count":…}`.
pub(crate) async fn qjb_push(state: &AppState, app: &AppCredential, args: Vec<Value>) -> Result<QjbData, ApiError> {
    let push = RawTradePush::from_args(args)?;
    let result = state.store.push_raw_trades(app, &push).await.map_err(store_error)?;
    reply::qjb_data(&result)
}
