//! 退换单 refund orders: the list, one order with its items and stock-ins, and its buttons
//! (审核 review, 取消 cancel).

use axum::extract::Path;
use axum::response::Response;
use maud::html;
use wdt_domain::model::RefundOrderStatus;
use wdt_store::{DocumentFilter, StockinListFilter};

use super::context::Ctx;
use super::layout::page;
use super::paging::Paging;
use super::status;
use super::stockins::stockin_table;
use super::widgets::{Look, button, doc_link, doc_url, internal, not_found, t, table, url_enc};

/// `/console/refunds[?sid=S]`: refund orders, last modified first.
pub(super) async fn list(ctx: Ctx) -> Response {
    let paging = Paging::of(&ctx);
    let sid = ctx.param("sid").map(str::to_owned);
    let filter = DocumentFilter { sid: sid.clone(), offset: paging.offset(), limit: paging.fetch(), number: None };
    let list = match ctx.state.store.list_refund_orders(&filter).await {
        Ok(l) => l,
        Err(e) => return internal(&ctx, e),
    };
    let (list, more) = paging.split(list);
    let shown = list.len();
    let rows = list
        .iter()
        .map(|r| {
            html! { tr {
                td { (r.sid) }
                td { (doc_link("refunds", &r.sid, &r.refund_no)) }
                td { (doc_link("trades", &r.sid, &r.tid)) } td { (r.shop_no) }
                td { (status::refund_order(r.status)) } td { (status::receipt(r.stockin_status)) }
                td.n { (r.expected) } td.n { (r.received) } td { (t(r.modified)) }
            } }
        })
        .collect();
    page(
        &ctx,
        "退换单 Refund orders",
        html! {
            form.f method="get" {
                input name="sid" placeholder="sid" value=[sid.as_deref()];
                button type="submit" { "筛选 Filter" }
            }
            (table(
                &["sid", "退换单号 refund_no", "原始单号 tid", "店铺 shop_no", "状态 status", "入库状态 receipt",
                  "应退 expected", "已收 received", "修改 modified"],
                rows,
            ))
            (paging.links(&ctx, shown, more))
        },
    )
}

/// `/console/refunds/{sid}/{refund_no}`: the order, expected vs received per item, its stock-ins,
/// and the buttons its status allows.
pub(super) async fn show(ctx: Ctx, Path((sid, refund_no)): Path<(String, String)>) -> Response {
    let store = &ctx.state.store;
    let order = match store.refund_order(&sid, &refund_no).await {
        Ok(Some(o)) => o,
        Ok(None) => return not_found(&ctx, "退换单 Refund order", &refund_no),
        Err(e) => return internal(&ctx, e),
    };
    let by_number = DocumentFilter {
        sid: Some(sid.clone()),
        number: Some(refund_no.clone()),
        limit: 1,
        ..DocumentFilter::default()
    };
    let summary = match store.list_refund_orders(&by_number).await {
        Ok(mut l) => l.pop(),
        Err(e) => return internal(&ctx, e),
    };
    let paging = Paging { page: 1 };
    let filter = StockinListFilter {
        sid: Some(sid.clone()),
        refund_no: Some(refund_no.clone()),
        limit: paging.fetch(),
        ..Default::default()
    };
    let (stockins, more) = match store.list_stockins(&filter).await {
        Ok(l) => paging.split(l),
        Err(e) => return internal(&ctx, e),
    };
    let items = order
        .items
        .iter()
        .map(|i| {
            let class = if i.stockin_num >= i.refund_num { "n plus" } else { "n" };
            html! { tr {
                td { (i.oid) } td { (i.spec_no) } td.n { (i.refund_num) } td class=(class) { (i.stockin_num) } td.n { (i.price) }
            } }
        })
        .collect();
    let here = doc_url("refunds", &sid, &refund_no);
    let pending = order.status == RefundOrderStatus::PendingReview.code();
    let cancellable = pending || order.status == RefundOrderStatus::Checked.code();
    page(
        &ctx,
        &format!("退换单 Refund order {refund_no}"),
        html! {
            div.card {
                dl.head {
                    dt { "sid" } dd { (sid) }
                    dt { "状态 status" } dd { (status::refund_order(order.status)) }
                    dt { "入库状态 receipt" } dd { (status::receipt(order.stockin_status)) }
                    @if let Some(s) = &summary {
                        dt { "原始单号 tid" } dd { (doc_link("trades", &sid, &s.tid)) }
                        dt { "店铺 shop_no" } dd { (s.shop_no) }
                        dt { "应退 / 已收 expected / received" } dd { (s.expected) " / " (s.received) }
                        dt { "修改 modified" } dd { (t(s.modified)) }
                    }
                }
                @if cancellable {
                    div.actions {
                        @if pending { (button(&ctx, &format!("{here}/review"), "审核 Review", Look::Primary)) }
                        (button(&ctx, &format!("{here}/cancel"), "取消 Cancel", Look::Danger))
                    }
                }
            }
            h2 { "明细 Items (expected vs received)" }
            (table(&["原始子单号 oid", "商家编码 spec_no", "应退 refund_num", "已收 stockin_num", "价格 price"], items))
            h2 { "退货入库单 Stock-ins" }
            (stockin_table(&stockins))
            @if more {
                p { a href={ "/console/stockins?sid=" (url_enc(&sid)) "&refund_no=" (url_enc(&refund_no)) } { "全部入库单 All its stock-ins →" } }
            }
        },
    )
}
