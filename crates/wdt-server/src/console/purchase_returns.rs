//! 采购退货单 purchase returns: the list, one return with the stock it took out, and its buttons
//! (审核 check, 取消 cancel).

use axum::extract::Path;
use axum::response::Response;
use maud::html;
use wdt_domain::model::PurchaseReturnStatus;
use wdt_store::{DocumentFilter, LineFilter};

use super::context::Ctx;
use super::layout::page;
use super::paging::Paging;
use super::status;
use super::stock::ledger_table;
use super::widgets::{Look, button, doc_link, doc_url, internal, not_found, t, table, url_enc};

/// `/console/purchase-returns[?sid=S]`: purchase returns, newest first.
pub(super) async fn list(ctx: Ctx) -> Response {
    let paging = Paging::of(&ctx);
    let sid = ctx.param("sid").map(str::to_owned);
    let filter = DocumentFilter { sid: sid.clone(), number: None, offset: paging.offset(), limit: paging.fetch() };
    let (list, more) = match ctx.state.store.list_purchase_returns(&filter).await {
        Ok(l) => paging.split(l),
        Err(e) => return internal(&ctx, e),
    };
    let rows = list
        .iter()
        .map(|r| {
            html! { tr {
                td { (r.sid) }
                td { (doc_link("purchase-returns", &r.sid, &r.return_no)) }
                td { (r.provider_no) } td { (r.warehouse_no) } td { (status::purchase_return(r.status)) }
                td { @if !r.check_failure.is_empty() { span.badge.bad { (r.check_failure) } } } td { (t(r.created)) }
            } }
        })
        .collect();
    page(
        &ctx,
        "采购退货单 Purchase returns",
        html! {
            form.f method="get" {
                input name="sid" placeholder="sid" value=[sid.as_deref()];
                button type="submit" { "筛选 Filter" }
            }
            (table(
                &["sid", "退货单号 return_no", "供应商 provider_no", "仓库 warehouse_no", "状态 status", "审核失败 check failure", "制单 created"],
                rows,
            ))
            (paging.links(&ctx, list.len(), more))
        },
    )
}

/// `/console/purchase-returns/{sid}/{return_no}`: the header, the ledger rows its check wrote,
/// and the buttons its status allows.
pub(super) async fn show(ctx: Ctx, Path((sid, return_no)): Path<(String, String)>) -> Response {
    let store = &ctx.state.store;
    let by_number = DocumentFilter {
        sid: Some(sid.clone()),
        number: Some(return_no.clone()),
        limit: 1,
        ..DocumentFilter::default()
    };
    let found = match store.list_purchase_returns(&by_number).await {
        Ok(mut l) => l.pop(),
        Err(e) => return internal(&ctx, e),
    };
    let Some(r) = found else { return not_found(&ctx, "采购退货单 Purchase return", &return_no) };
    let paging = Paging { page: 1 };
    let lines = LineFilter {
        sid: Some(sid.clone()),
        doc_no: Some(return_no.clone()),
        limit: paging.fetch(),
        ..LineFilter::default()
    };
    let (ledger, more) = match store.list_ledger(&lines).await {
        Ok(l) => paging.split(l),
        Err(e) => return internal(&ctx, e),
    };
    let here = doc_url("purchase-returns", &sid, &return_no);
    let open = r.status == PurchaseReturnStatus::Editing.code();
    page(
        &ctx,
        &format!("采购退货单 Purchase return {return_no}"),
        html! {
            div.card {
                dl.head {
                    dt { "状态 status" } dd { (status::purchase_return(r.status)) }
                    dt { "sid" } dd { (sid) }
                    dt { "供应商 provider_no" } dd { (r.provider_no) }
                    dt { "仓库 warehouse_no" } dd { (r.warehouse_no) }
                    dt { "制单 created" } dd { (t(r.created)) }
                    @if !r.check_failure.is_empty() {
                        dt { "审核失败 check failure" } dd { span.badge.bad { (r.check_failure) } }
                    }
                }
                @if open {
                    div.actions {
                        (button(&ctx, &format!("{here}/check"), "审核 Check", Look::Primary))
                        (button(&ctx, &format!("{here}/cancel"), "取消 Cancel", Look::Danger))
                    }
                }
            }
            h2 { "出库台账 Stock taken out" }
            @if ledger.is_empty() {
                p.muted { "未出库 Nothing has left stock yet (the goods leave when it is checked)." }
            } @else {
                (ledger_table(&ledger))
                @if more {
                    p { a href={ "/console/ledger?sid=" (url_enc(&sid)) "&doc_no=" (url_enc(&return_no)) } { "全部台账 All its ledger rows →" } }
                }
            }
        },
    )
}
