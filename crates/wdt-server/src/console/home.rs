//! The console's home page, and the search box every page carries: a document number in, the
//! document's page out.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use wdt_store::{DocumentFilter, StockinListFilter, StoreResult};

use super::context::Ctx;
use super::layout::{page, page_with};
use super::widgets::{doc_url, internal, table};

/// `/console`: what there is to see.
pub(super) async fn home(ctx: Ctx) -> Response {
    page(
        &ctx,
        "控制台 Console",
        html! {
            ul.links {
                li { a href="/console/refunds" { "退换单 Refund orders" } " — receipt state, expected vs received; 审核 review, 取消 cancel" }
                li { a href="/console/stockins" { "退货入库单 Return stock-ins" } " — by time, warehouse, status, refund no; 审核 check, 取消 cancel" }
                li { a href="/console/purchase-returns" { "采购退货单 Purchase returns" } " — 审核 check, 取消 cancel" }
                li { a href="/console/trades" { "订单 Trades" } " — 发货 ship from a warehouse" }
                li { a href="/console/stock" { "库存 Stock" } " — warehouse × spec × defect × batch × position, with its ledger; 盘点 count" }
                li { a href="/console/audit" { "审计日志 Audit log" } " — who did what, before → after" }
                li { a href="/console/requests" { "调用日志 Request log" } " — the last API calls per key" }
                li { a href="/metrics" { "/metrics" } " (Prometheus)" }
            }
        },
    )
}

/// One document a number names.
struct Hit {
    kind: &'static str,
    sid: String,
    number: String,
    url: String,
}

/// Every document whose own number is `q`, of every seller.
async fn hits(ctx: &Ctx, q: &str) -> StoreResult<Vec<Hit>> {
    const LIMIT: u32 = 20;
    let store = &ctx.state.store;
    let by_number = DocumentFilter { number: Some(q.to_owned()), limit: LIMIT, ..DocumentFilter::default() };
    let mut hits = Vec::new();
    let mut hit = |kind: &'static str, path: &str, sid: String, number: String| {
        let url = doc_url(path, &sid, &number);
        hits.push(Hit { kind, sid, number, url });
    };
    for r in store.list_refund_orders(&by_number).await? {
        hit("退换单 refund order", "refunds", r.sid, r.refund_no);
    }
    let stockins = StockinListFilter { order_no: Some(q.to_owned()), limit: LIMIT, ..StockinListFilter::default() };
    for s in store.list_stockins(&stockins).await? {
        hit("入库单 stock-in", "stockins", s.sid, s.order_no);
    }
    for p in store.list_purchase_returns(&by_number).await? {
        hit("采购退货单 purchase return", "purchase-returns", p.sid, p.return_no);
    }
    for t in store.list_trades(&by_number).await? {
        hit("订单 trade", "trades", t.sid, t.tid);
    }
    Ok(hits)
}

/// `/console/search?q=NO`: straight to the one document numbered `NO` (退换单号, 入库单号,
/// 原始单号 or a purchase return's number), a list when several sellers have one, or 404.
pub(super) async fn search(ctx: Ctx) -> Response {
    let Some(q) = ctx.param("q").map(str::to_owned) else { return Redirect::to("/console").into_response() };
    let mut found = match hits(&ctx, &q).await {
        Ok(h) => h,
        Err(e) => return internal(&ctx, e),
    };
    if found.len() == 1 {
        return Redirect::to(&found.remove(0).url).into_response();
    }
    if found.is_empty() {
        return page_with(
            &ctx,
            StatusCode::NOT_FOUND,
            "未找到 Not found",
            html! { p { "没有单号为 " span.no { (q) } " 的单据 No document is numbered " span.no { (q) } "." } (hint()) },
        );
    }
    let rows = found
        .iter()
        .map(|h| html! { tr { td { (h.kind) } td { (h.sid) } td { a.no href=(h.url) { (h.number) } } } })
        .collect();
    page(&ctx, &format!("查找 Search: {q}"), table(&["类型 kind", "sid", "单号 number"], rows))
}

fn hint() -> Markup {
    html! { p.muted { "可查找 Searchable: 退换单号 refund no · 入库单号 RK… · 原始单号 tid · 采购退货单号 return no" } }
}
