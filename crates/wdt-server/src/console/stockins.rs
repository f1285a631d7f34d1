//! 退货入库单 return stock-ins: the filtered list, one stock-in with its header and lines, and its
//! buttons (审核 check, 取消 cancel).

use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use wdt_domain::model::{Coded, StockinStatus};
use wdt_protocol::time::parse_wire_time;
use wdt_store::{StockinListFilter, StockinSummary};

use super::context::Ctx;
use super::layout::page;
use super::paging::Paging;
use super::status;
use super::stock::ledger_link;
use super::widgets::{Look, button, doc_link, doc_url, internal, not_found, some, t, t_opt, table};

/// A table of stock-ins, each linked to its page and its refund order.
pub(super) fn stockin_table(list: &[StockinSummary]) -> Markup {
    let rows = list
        .iter()
        .map(|o| {
            html! { tr {
                td { (o.sid) }
                td { (doc_link("stockins", &o.sid, &o.order_no)) }
                td { (o.outer_no) } td { (status::stockin(o.status)) }
                td { (doc_link("refunds", &o.sid, &o.refund_no)) }
                td { (o.warehouse_no) } td.n { (o.goods_count) } td { (t(o.created)) }
                td { (t_opt(o.check_time)) }
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

/// The list's filters, as the form sends them.
#[derive(Deserialize, Default)]
pub(super) struct StockinsQuery {
    sid: Option<String>,
    from: Option<String>,
    to: Option<String>,
    warehouse_no: Option<String>,
    status: Option<String>,
    refund_no: Option<String>,
}

/// `/console/stockins`: stock-ins by created time, warehouse, status and refund number, newest
/// first.
pub(super) async fn list(ctx: Ctx, Query(q): Query<StockinsQuery>) -> Response {
    let paging = Paging::of(&ctx);
    let time = |v: &Option<String>| some(v).and_then(|s| parse_wire_time(&s).ok());
    let filter = StockinListFilter {
        sid: some(&q.sid),
        from_ms: time(&q.from),
        to_ms: time(&q.to).map(|ms| ms + 999),
        warehouse_no: some(&q.warehouse_no),
        status: some(&q.status).and_then(|s| s.parse().ok()),
        refund_no: some(&q.refund_no),
        order_no: None,
        offset: paging.offset(),
        limit: paging.fetch(),
    };
    let (list, more) = match ctx.state.store.list_stockins(&filter).await {
        Ok(l) => paging.split(l),
        Err(e) => return internal(&ctx, e),
    };
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    page(
        &ctx,
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
            (paging.links(&ctx, list.len(), more))
        },
    )
}

/// `/console/stockins/{sid}/{order_no}`: the header (status, refund order, warehouse, who made
/// and checked it, when), its lines with their ledger rows, and the buttons its status allows.
pub(super) async fn show(ctx: Ctx, Path((sid, order_no)): Path<(String, String)>) -> Response {
    let view = match ctx.state.store.stockin(&sid, &order_no).await {
        Ok(Some(v)) => v,
        Ok(None) => return not_found(&ctx, "入库单 Stock-in", &order_no),
        Err(e) => return internal(&ctx, e),
    };
    let s = &view.summary;
    let rows = view
        .lines
        .iter()
        .map(|l| {
            let ledger =
                ledger_link(&sid, &l.spec_no, &l.warehouse_no, &l.position_no, &l.batch_no, l.defect, Some(&order_no));
            html! { tr {
                td { (l.spec_no) } td.n { (l.num) } td.n { (l.price) } td { (if l.defect { "残次 defect" } else { "正品 good" }) }
                td { (l.batch_no) } td { (l.warehouse_no) } td { (l.position_no) }
                td { a href=(ledger) { "台账 ledger rows" } }
            } }
        })
        .collect();
    let open = [StockinStatus::Editing.code(), StockinStatus::PendingReview.code()].contains(&s.status);
    let here = doc_url("stockins", &sid, &order_no);
    let dash = |v: &str| if v.is_empty() { "—".to_owned() } else { v.to_owned() };
    page(
        &ctx,
        &format!("入库单 Stock-in {order_no}"),
        html! {
            div.card {
                dl.head {
                    dt { "状态 status" } dd { (status::stockin(s.status)) }
                    dt { "sid" } dd { (sid) }
                    dt { "退换单号 refund_no" } dd { (doc_link("refunds", &sid, &s.refund_no)) }
                    dt { "外部单号 outer_no" } dd.no { (dash(&s.outer_no)) }
                    dt { "仓库 warehouse_no" } dd { (s.warehouse_no) }
                    dt { "数量 goods_count" } dd { (s.goods_count) }
                    dt { "制单 created" } dd { (t(s.created)) }
                    dt { "制单人 created_by" } dd { (dash(&view.created_by)) }
                    dt { "审核 check_time" } dd { (s.check_time.map_or_else(|| "—".to_owned(), t)) }
                    dt { "审核人 checked_by" } dd { (dash(&view.checked_by)) }
                    dt { "备注 remark" } dd { (dash(&view.remark)) }
                }
                @if open {
                    div.actions {
                        (button(&ctx, &format!("{here}/check"), "审核 Check", Look::Primary))
                        (button(&ctx, &format!("{here}/cancel"), "取消 Cancel", Look::Danger))
                    }
                }
            }
            h2 { "明细 Lines" }
            (table(&["商家编码 spec_no", "数量 num", "入库价 stockin_price", "残次 defect", "批次 batch_no", "仓库 warehouse_no", "货位 position_no", ""], rows))
        },
    )
}
