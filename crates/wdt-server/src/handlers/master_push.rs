//! `goods.Goods.push` and `setting.PurchaseProvider.push`: master data through the API
//! (SPEC.md §8), upserted as the fixture import upserts it.

use serde_json::Value;
use wdt_domain::master_push::{self, MasterPush};
use wdt_protocol::ApiError;
use wdt_protocol::methods::goods_push::GoodsPush;
use wdt_protocol::methods::provider_push::{ProviderPush, ProviderPushResult};
use wdt_store::AppCredential;

use crate::AppState;
use crate::handlers::store_error;
use crate::reply::{self, QjbData};

/// `[goodsInfo, specInfoList]` → `data` = the goods' id (`{"status":0,"data":54645}`).
pub(crate) async fn qjb_goods_push(
    state: &AppState,
    app: &AppCredential,
    args: Vec<Value>,
) -> Result<QjbData, ApiError> {
    let request = GoodsPush::from_args(args)?;
    let plan = master_push::goods_plan(&request)?;
    let pushed = state.store.push_master(app, &MasterPush::Goods(plan)).await.map_err(store_error)?;
    reply::qjb_data(&pushed.id)
}

/// `[provider]` → `data` `{"status":0,"message":"OK"}`.
pub(crate) async fn qjb_provider_push(
    state: &AppState,
    app: &AppCredential,
    args: Vec<Value>,
) -> Result<QjbData, ApiError> {
    let request = ProviderPush::from_args(args)?;
    let record = master_push::provider_record(&request)?;
    state.store.push_master(app, &MasterPush::Provider(Box::new(record))).await.map_err(store_error)?;
    reply::qjb_data(&ProviderPushResult::ok())
}
