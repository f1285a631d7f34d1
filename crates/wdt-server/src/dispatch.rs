//! The method tables: which handler serves which method, and the shared request plumbing.

use axum::body::Body;
use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};
use wdt_protocol::ApiError;
use wdt_protocol::methods;
use wdt_protocol::qjb::Pager;
use wdt_store::AppCredential;

use crate::auth::Params;
use crate::{AppState, handlers};

/// Reads the whole body, refusing more than `limit` bytes (announced or actual) and a body that
/// takes longer than `timeout` to arrive.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<axum::body::Bytes, ApiError> {
    let announced =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::BodyTooLarge { limit });
    }
    let read = tokio::time::timeout(timeout, axum::body::to_bytes(body, limit))
        .await
        .map_err(|_| ApiError::BadParameter(format!("请求体在 {} 秒内未传完", timeout.as_secs())))?;
    read.map_err(|e| {
        let too_large = std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
            .any(|e| e.to_string().contains("length limit"));
        if too_large {
            ApiError::BodyTooLarge { limit }
        } else {
            ApiError::ArgumentCount(format!("the body could not be read: {e}"))
        }
    })
}

/// Largest `page_size` a paged query accepts.
pub(crate) const MAX_PAGE_SIZE: u32 = 1000;

fn pager(params: &Params, method: &str) -> Result<Pager, ApiError> {
    let (Some(size), Some(no)) = (params.get("page_size"), params.get("page_no")) else {
        return Err(ApiError::PagerRequired(method.to_owned()));
    };
    let page_size: u32 = size
        .parse()
        .ok()
        .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
        .ok_or_else(|| ApiError::business(format!("page_size 不合法(1-{MAX_PAGE_SIZE}): {size}")))?;
    let page_no: u32 = no.parse().map_err(|_| ApiError::business(format!("page_no 不合法: {no}")))?;
    let calc_total = match params.get("calc_total").unwrap_or("0") {
        "1" | "true" => true,
        "0" | "false" | "" => false,
        other => return Err(ApiError::business(format!("calc_total 不合法: {other}"))),
    };
    Ok(Pager { page_size, page_no, calc_total })
}

/// Runs a qjb method for an authenticated caller.
pub(crate) async fn qjb(
    state: &AppState,
    app: &AppCredential,
    params: &Params,
    body: &str,
) -> Result<crate::reply::QjbData, ApiError> {
    let method = params.require("method")?;
    let spec = methods::qjb_method(method).ok_or_else(|| ApiError::UnknownMethod(method.to_owned()))?;
    let pager = if spec.paged { Some(pager(params, method)?) } else { None };
    let args = methods::decode_args(method, body.as_bytes(), spec.arity)?;
    match spec.name {
        methods::REFUND_STOCKIN_CREATE => handlers::refund_stockin::qjb_create(state, app, args).await,
        methods::SMART_REFUND_UPLOAD => handlers::quick_return::qjb_upload(state, app, args).await,
        methods::PURCHASE_RETURN_CREATE => handlers::purchase_return::qjb_create(state, app, args).await,
        methods::PURCHASE_RETURN_CANCEL => handlers::purchase_return_cancel::qjb_cancel(state, app, args).await,
        methods::PURCHASE_ORDER_CREATE => handlers::purchase_order::qjb_create(state, app, args).await,
        methods::RAW_REFUND_UPLOAD => handlers::raw_refund::qjb_upload(state, app, args).await,
        methods::RAW_REFUND_UPLOAD2 => handlers::raw_refund::qjb_upload2(state, app, args).await,
        methods::RAW_TRADE_PUSH => handlers::raw_trade::qjb_push(state, app, args).await,
        methods::GOODS_PUSH => handlers::master_push::qjb_goods_push(state, app, args).await,
        methods::PROVIDER_PUSH => handlers::master_push::qjb_provider_push(state, app, args).await,
        methods::REFUND_STOCKIN_QUERY => match pager {
            Some(pager) => handlers::query::qjb_query(state, app, pager, args).await,
            None => Err(ApiError::PagerRequired(method.to_owned())),
        },
        methods::reads::REFUND_STOCKIN_HISTORY => match pager {
            Some(pager) => handlers::query::qjb_history(state, app, pager, args).await,
            None => Err(ApiError::PagerRequired(method.to_owned())),
        },
        name if methods::reads::READ_METHODS.contains(&name) => match pager {
            Some(pager) => handlers::reads::qjb_read(state, app, name, pager, args).await,
            None => Err(ApiError::PagerRequired(method.to_owned())),
        },
        other => Err(ApiError::UnknownMethod(other.to_owned())),
    }
}

/// Runs an openapi2 endpoint for an authenticated caller.
pub(crate) async fn openapi2(
    state: &AppState,
    app: &AppCredential,
    endpoint: &str,
    params: &Params,
) -> Result<Map<String, Value>, ApiError> {
    match endpoint {
        methods::OPENAPI2_STOCKIN_REFUND_PUSH => {
            let field = params.require("stockin_refund_info")?;
            handlers::refund_stockin::openapi2_push(state, app, field).await
        }
        other => Err(ApiError::UnknownMethod(other.to_owned())),
    }
}
