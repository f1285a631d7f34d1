//! The operator console: server-rendered pages under `/console`, behind an admin token.
//!
//! Every page is readable on a phone (tables scroll sideways) and labels fields in Chinese and
//! English as the vendor documents name them. Without the token every console URL answers 401
//! and shows nothing.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use wdt_domain::model::{
    Coded, LedgerDocType, PurchaseReturnStatus, RefundOrderStatus, RefundReceiptState, StockinStatus,
};
use wdt_protocol::Dec4;
use wdt_protocol::time::{format_wire_time, parse_wire_time};
use wdt_store::{LineFilter, StockinListFilter};

use crate::AppState;

const COOKIE: &str = "wdt_console";
const LIST_LIMIT: u32 = 200;

/// One finished API call, for the request log page.
#[derive(Debug, Clone)]
pub(crate) struct CallRecord {
    pub at_ms: i64,
    pub dialect: &'static str,
    pub method: String,
    pub sid: String,
    pub key: String,
    pub status: i64,
    pub message: String,
    pub latency_us: u64,
}

/// The last calls, newest last, bounded.
#[derive(Default)]
pub(crate) struct CallLog {
    calls: Mutex<VecDeque<CallRecord>>,
}

const CALL_LOG_SIZE: usize = 1000;

impl CallLog {
    pub(crate) fn push(&self, record: CallRecord) {
        if let Ok(mut calls) = self.calls.lock() {
            if calls.len() == CALL_LOG_SIZE {
                calls.pop_front();
            }
            calls.push_back(record);
        }
    }

    fn snapshot(&self) -> Vec<CallRecord> {
        self.calls.lock().map(|c| c.iter().cloned().collect()).unwrap_or_default()
    }
}

/// The console routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/console", get(home))
        .route("/console/login", get(login_form).post(login))
        .route("/console/refunds", get(refunds))
        .route("/console/refunds/{sid}/{refund_no}", get(refund))
        .route("/console/stockins", get(stockins))
        .route("/console/stockins/{sid}/{order_no}", get(stockin))
        .route("/console/stock", get(stock))
        .route("/console/ledger", get(ledger))
        .route("/console/purchase-returns", get(purchase_returns))
        .route("/console/requests", get(requests))
}

/// Every `/console…` request but the login form (GET/HEAD/POST `/console/login`) without a valid
/// token or cookie answers 401 here, before routing, method matching or any extractor reads the
/// query string or the form: duplicate or malformed parameters are not the caller's business
/// until they have logged in. Other paths pass through.
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let console = path == "/console" || path.starts_with("/console/");
    let login = path == "/console/login" && matches!(*request.method(), Method::GET | Method::HEAD | Method::POST);
    if console && !login && !authorized(&state, request.headers()) {
        return unauthorized();
    }
    next.run(request).await
}

fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = state.config.admin_token.as_deref().filter(|t| !t.is_empty()) else { return false };
    let matches = |given: &str| given.len() == token.len() && bool::from(given.as_bytes().ct_eq(token.as_bytes()));
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(matches);
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")).map(str::to_owned))
        .any(|v| matches(&v));
    bearer || cookie
}

fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "401 unauthorized\n")
        .into_response()
}

fn page(title: &str, body: Markup) -> Response {
    let html = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · wdt-returns" }
                style { (CSS) }
            }
            body {
                nav {
                    a href="/console" { "wdt-returns" }
                    a href="/console/refunds" { "退换单 Refunds" }
                    a href="/console/stockins" { "入库单 Stock-ins" }
                    a href="/console/stock" { "库存 Stock" }
                    a href="/console/purchase-returns" { "采购退货 Purchase returns" }
                    a href="/console/requests" { "调用日志 Requests" }
                }
                main { h1 { (title) } (body) }
            }
        }
    };
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html.into_string()).into_response()
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#222}\
nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem;padding:.6rem 1rem;background:#1f3b5c}\
nav a{color:#fff;text-decoration:none}main{padding:0 1rem 2rem}\
.scroll{overflow-x:auto}table{border-collapse:collapse;min-width:100%}\
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;white-space:nowrap}\
th{background:#f3f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums}\
form.f{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}form.f input,form.f select{padding:.3rem}\
.bad{color:#b00}.ok{color:#070}";

fn table(head: &[&str], rows: Vec<Markup>) -> Markup {
    html! {
        div.scroll {
            table {
                thead { tr { @for h in head { th { (h) } } } }
                tbody { @for r in rows { (r) } }
            }
        }
    }
}

fn t(ms: i64) -> String {
    format_wire_time(ms)
}

fn url_enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn internal(e: wdt_store::StoreError) -> Response {
    tracing::error!(error = %e, "console query failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "database error").into_response()
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    page(
        "控制台 Console",
        html! {
            ul {
                li { a href="/console/refunds" { "退换单 Refund orders" } " — receipt state, expected vs received" }
                li { a href="/console/stockins" { "退货入库单 Return stock-ins" } " — by time, warehouse, status, refund no" }
                li { a href="/console/stock" { "库存 Stock" } " — warehouse × spec × defect × batch × position, with its ledger" }
                li { a href="/console/purchase-returns" { "采购退货单 Purchase returns" } }
                li { a href="/console/requests" { "调用日志 Request log" } " — the last API calls per key" }
                li { a href="/metrics" { "/metrics" } " (Prometheus)" }
            }
        },
    )
}

async fn login_form() -> Response {
    page(
        "登录 Log in",
        html! {
            form.f method="post" action="/console/login" {
                label { "管理令牌 Admin token " input type="password" name="token" autocomplete="current-password"; }
                button type="submit" { "登录 Log in" }
            }
        },
    )
}

/// Largest login form read; a token is a few dozen bytes.
const LOGIN_FORM_LIMIT: usize = 4096;

/// The one `token` field of a login form; anything else (not a form, too large, no token, the
/// token twice) is a failed login.
async fn login_token(body: Body) -> Option<String> {
    let bytes = axum::body::to_bytes(body, LOGIN_FORM_LIMIT).await.ok()?;
    let mut tokens = form_urlencoded::parse(&bytes).filter(|(k, _)| k == "token").map(|(_, v)| v.into_owned());
    let token = tokens.next()?;
    tokens.next().is_none().then_some(token)
}

async fn login(State(state): State<AppState>, body: Body) -> Response {
    let Some(token) = login_token(body).await else { return unauthorized() };
    let mut headers = HeaderMap::new();
    if let Ok(v) = format!("Bearer {token}").parse() {
        headers.insert(header::AUTHORIZATION, v);
    }
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let cookie = format!("{COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict");
    let mut response = Redirect::to("/console").into_response();
    if let Ok(v) = cookie.parse() {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

#[derive(Deserialize, Default)]
struct SidQuery {
    sid: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

async fn refunds(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<SidQuery>) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let list = match state.store.list_refund_orders(some(&q.sid).as_deref(), LIST_LIMIT).await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let rows = list
        .iter()
        .map(|r| {
            html! { tr {
                td { (r.sid) }
                td { a href={ "/console/refunds/" (url_enc(&r.sid)) "/" (url_enc(&r.refund_no)) } { (r.refund_no) } }
                td { (r.tid) } td { (r.shop_no) } td { (RefundOrderStatus::describe(r.status)) } td { (RefundReceiptState::describe(r.stockin_status)) }
                td.n { (r.expected) } td.n { (r.received) } td { (t(r.modified)) }
            } }
        })
        .collect();
    page(
        "退换单 Refund orders",
        table(
            &[
                "sid",
                "退换单号 refund_no",
                "原始单号 tid",
                "店铺 shop_no",
                "状态 status",
                "入库状态 receipt",
                "应退 expected",
                "已收 received",
                "修改 modified",
            ],
            rows,
        ),
    )
}

async fn refund(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((sid, refund_no)): Path<(String, String)>,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let order = match state.store.refund_order(&sid, &refund_no).await {
        Ok(Some(o)) => o,
        Ok(None) => {
            return (StatusCode::NOT_FOUND, page("未找到 Not found", html! { p { (refund_no) } })).into_response();
        }
        Err(e) => return internal(e),
    };
    let filter = StockinListFilter {
        sid: Some(sid.clone()),
        refund_no: Some(refund_no.clone()),
        limit: LIST_LIMIT,
        ..Default::default()
    };
    let stockins = match state.store.list_stockins(&filter).await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let items = order
        .items
        .iter()
        .map(|i| {
            let class = if i.stockin_num >= i.refund_num { "ok" } else { "" };
            html! { tr {
                td { (i.oid) } td { (i.spec_no) } td.n { (i.refund_num) } td.n class=(class) { (i.stockin_num) } td.n { (i.price) }
            } }
        })
        .collect();
    page(
        &format!("退换单 Refund order {refund_no}"),
        html! {
            p { "sid " (sid) " · " (RefundOrderStatus::describe(order.status)) " · " (RefundReceiptState::describe(order.stockin_status)) }
            h2 { "明细 Items (expected vs received)" }
            (table(&["原始子单号 oid", "商家编码 spec_no", "应退 refund_num", "已收 stockin_num", "价格 price"], items))
            h2 { "退货入库单 Stock-ins" }
            (stockin_table(&stockins))
        },
    )
}

fn stockin_table(list: &[wdt_store::StockinSummary]) -> Markup {
    let rows = list
        .iter()
        .map(|o| {
            html! { tr {
                td { (o.sid) }
                td { a href={ "/console/stockins/" (url_enc(&o.sid)) "/" (url_enc(&o.order_no)) } { (o.order_no) } }
                td { (o.outer_no) } td { (StockinStatus::describe(o.status)) }
                td { a href={ "/console/refunds/" (url_enc(&o.sid)) "/" (url_enc(&o.refund_no)) } { (o.refund_no) } }
                td { (o.warehouse_no) } td.n { (o.goods_count) } td { (t(o.created)) }
                td { (o.check_time.map(t).unwrap_or_default()) }
            } }
        })
        .collect();
    table(
        &[
            "sid",
            "入库单号 order_no",
            "外部单号 outer_no",
            "状态 status",
            "退换单号 refund_no",
            "仓库 warehouse_no",
            "数量 goods_count",
            "制单 created",
            "审核 check_time",
        ],
        rows,
    )
}

#[derive(Deserialize, Default)]
struct StockinsQuery {
    sid: Option<String>,
    from: Option<String>,
    to: Option<String>,
    warehouse_no: Option<String>,
    status: Option<String>,
    refund_no: Option<String>,
}

async fn stockins(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<StockinsQuery>) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let time = |v: &Option<String>| some(v).and_then(|s| parse_wire_time(&s).ok());
    let filter = StockinListFilter {
        sid: some(&q.sid),
        from_ms: time(&q.from),
        to_ms: time(&q.to).map(|ms| ms + 999),
        warehouse_no: some(&q.warehouse_no),
        status: some(&q.status).and_then(|s| s.parse().ok()),
        refund_no: some(&q.refund_no),
        limit: LIST_LIMIT,
    };
    let list = match state.store.list_stockins(&filter).await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    page(
        "退货入库单 Return stock-ins",
        html! {
            form.f method="get" {
                input name="sid" placeholder="sid" value=(v(&q.sid));
                input name="from" placeholder="从 from yyyy-MM-dd HH:mm:ss" value=(v(&q.from));
                input name="to" placeholder="到 to yyyy-MM-dd HH:mm:ss" value=(v(&q.to));
                input name="warehouse_no" placeholder="仓库 warehouse_no" value=(v(&q.warehouse_no));
                select name="status" {
                    option value="" { "状态 status" }
                    @for status in StockinStatus::ALL {
                        option value=(status.code()) selected[q.status.as_deref() == Some(&status.code().to_string())] { (status.label()) }
                    }
                }
                input name="refund_no" placeholder="退换单号 refund_no" value=(v(&q.refund_no));
                button type="submit" { "筛选 Filter" }
            }
            (stockin_table(&list))
        },
    )
}

fn line_link(
    sid: &str,
    spec: &str,
    warehouse: &str,
    position: &str,
    batch: &str,
    defect: bool,
    doc: Option<&str>,
) -> String {
    let mut url = format!(
        "/console/ledger?sid={}&spec_no={}&warehouse_no={}&position_no={}&batch_no={}&defect={}",
        url_enc(sid),
        url_enc(spec),
        url_enc(warehouse),
        url_enc(position),
        url_enc(batch),
        defect
    );
    if let Some(doc) = doc {
        url.push_str(&format!("&doc_no={}", url_enc(doc)));
    }
    url
}

async fn stockin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((sid, order_no)): Path<(String, String)>,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let lines = match state.store.stockin_lines(&sid, &order_no).await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let rows = lines
        .iter()
        .map(|l| {
            let ledger = line_link(&sid, &l.spec_no, &l.warehouse_no, &l.position_no, &l.batch_no, l.defect, Some(&order_no));
            html! { tr {
                td { (l.spec_no) } td.n { (l.num) } td.n { (l.price) } td { (if l.defect { "残次 defect" } else { "正品 good" }) }
                td { (l.batch_no) } td { (l.warehouse_no) } td { (l.position_no) }
                td { a href=(ledger) { "台账 ledger rows" } }
            } }
        })
        .collect();
    page(
        &format!("入库单 Stock-in {order_no}"),
        html! {
            p { "sid " (sid) }
            (table(&["商家编码 spec_no", "数量 num", "入库价 stockin_price", "残次 defect", "批次 batch_no", "仓库 warehouse_no", "货位 position_no", ""], rows))
        },
    )
}

#[derive(Deserialize, Default)]
struct LineQuery {
    sid: Option<String>,
    spec_no: Option<String>,
    warehouse_no: Option<String>,
    position_no: Option<String>,
    batch_no: Option<String>,
    defect: Option<String>,
    doc_no: Option<String>,
}

impl LineQuery {
    fn filter(&self, limit: u32) -> LineFilter {
        LineFilter {
            sid: some(&self.sid),
            spec_no: some(&self.spec_no),
            warehouse_no: some(&self.warehouse_no),
            position_no: some(&self.position_no),
            // An empty batch means "no batch" once the line is named; otherwise "any".
            batch_no: if self.position_no.is_some() { self.batch_no.clone() } else { some(&self.batch_no) },
            defect: self.defect.as_deref().and_then(|d| d.parse().ok()),
            doc_no: some(&self.doc_no),
            limit,
        }
    }
}

async fn stock(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<LineQuery>) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let lines = match state.store.list_stock(&q.filter(LIST_LIMIT * 5)).await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let rows = lines
        .iter()
        .map(|l| {
            let ledger = line_link(&l.sid, &l.spec_no, &l.warehouse_no, &l.position_no, &l.batch_no, l.defect, None);
            html! { tr {
                td { (l.sid) } td { (l.warehouse_no) } td { (l.spec_no) } td { (if l.defect { "残次 defect" } else { "正品 good" }) }
                td { (l.batch_no) } td { (l.position_no) } td.n { (l.num) } td.n { (l.cost_price) }
                td { a href=(ledger) { "台账 ledger rows" } }
            } }
        })
        .collect();
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    page(
        "库存 Stock",
        html! {
            form.f method="get" {
                input name="sid" placeholder="sid" value=(v(&q.sid));
                input name="warehouse_no" placeholder="仓库 warehouse_no" value=(v(&q.warehouse_no));
                input name="spec_no" placeholder="商家编码 spec_no" value=(v(&q.spec_no));
                button type="submit" { "筛选 Filter" }
            }
            (table(&["sid", "仓库 warehouse_no", "商家编码 spec_no", "残次 defect", "批次 batch_no", "货位 position_no", "数量 num", "成本价 cost_price", ""], rows))
        },
    )
}

async fn ledger(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<LineQuery>) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let rows = match state.store.list_ledger(&q.filter(LIST_LIMIT * 5)).await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let body = rows
        .iter()
        .map(|r| {
            let class = if r.num_change.is_negative() { "bad" } else { "ok" };
            html! { tr {
                td { (t(r.created)) } td { (LedgerDocType::describe(r.doc_type)) } td { (r.doc_no) } td { (r.warehouse_no) } td { (r.spec_no) }
                td { (r.position_no) } td { (r.batch_no) } td { (if r.defect { "残次" } else { "正品" }) }
                td.n { (r.num_before) } td.n class=(class) { (r.num_change) } td.n { (r.num_after) } td.n { (r.cost_price) }
            } }
        })
        .collect();
    page(
        "库存台账 Stock ledger",
        html! {
            p { (rows.len()) " rows · Σ change " (rows.iter().fold(Dec4::ZERO, |a, r| a.checked_add(r.num_change).unwrap_or(a))) }
            (table(&["时间 time", "单据类型 doc_type", "单号 doc_no", "仓库", "商家编码", "货位", "批次", "残次", "变动前 before", "变动 change", "变动后 after", "成本 cost"], body))
        },
    )
}

async fn purchase_returns(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<SidQuery>) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let list = match state.store.list_purchase_returns(some(&q.sid).as_deref(), LIST_LIMIT).await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let rows = list
        .iter()
        .map(|r| {
            html! { tr {
                td { (r.sid) }
                td { a href={ "/console/ledger?sid=" (url_enc(&r.sid)) "&doc_no=" (url_enc(&r.return_no)) } { (r.return_no) } }
                td { (r.provider_no) } td { (r.warehouse_no) } td { (PurchaseReturnStatus::describe(r.status)) } td.bad { (r.check_failure) } td { (t(r.created)) }
            } }
        })
        .collect();
    page(
        "采购退货单 Purchase returns",
        table(
            &[
                "sid",
                "退货单号 return_no",
                "供应商 provider_no",
                "仓库 warehouse_no",
                "状态 status",
                "审核失败 check failure",
                "制单 created",
            ],
            rows,
        ),
    )
}

#[derive(Deserialize, Default)]
struct RequestsQuery {
    key: Option<String>,
}

async fn requests(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<RequestsQuery>) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let calls = state.calls.snapshot();
    let mut per_key: HashMap<(String, String), (u64, u64)> = HashMap::new();
    for c in &calls {
        let e = per_key.entry((c.sid.clone(), c.key.clone())).or_default();
        e.0 += 1;
        if c.status != 0 {
            e.1 += 1;
        }
    }
    let mut keys: Vec<_> = per_key.into_iter().collect();
    keys.sort();
    let key_rows = keys
        .iter()
        .map(|((sid, key), (n, bad))| {
            html! { tr { td { (sid) } td { a href={ "/console/requests?key=" (url_enc(key)) } { (key) } } td.n { (n) } td.n { (bad) } } }
        })
        .collect();
    let wanted = some(&q.key);
    let call_rows = calls
        .iter()
        .rev()
        .filter(|c| wanted.as_ref().is_none_or(|k| &c.key == k))
        .take(LIST_LIMIT as usize)
        .map(|c| {
            let class = if c.status == 0 { "ok" } else { "bad" };
            html! { tr {
                td { (t(c.at_ms)) } td { (c.dialect) } td { (c.method) } td { (c.sid) } td { (c.key) }
                td class=(class) { (c.status) } td { (c.message) } td.n { (format!("{:.1}", c.latency_us as f64 / 1000.0)) }
            } }
        })
        .collect();
    page(
        "调用日志 Request log",
        html! {
            h2 { "按接口账号 Per key" }
            (table(&["sid", "key", "调用 calls", "失败 refused"], key_rows))
            h2 { "最近调用 Last calls" }
            (table(&["时间 time", "dialect", "method", "sid", "key", "status/code", "message", "ms"], call_rows))
        },
    )
}
