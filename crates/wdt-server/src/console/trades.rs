//! 订单 trades: the list, one trade with its items, and 发货 ship from a chosen warehouse.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use wdt_protocol::Dec4;
use wdt_store::{Action, DocumentFilter, Operation, StoreResult, TradeView};

use super::actions;
use super::context::Ctx;
use super::csrf::{self, ActionForm};
use super::layout::page;
use super::paging::Paging;
use super::status;
use super::widgets::{doc_link, doc_url, internal, not_found, t, t_opt, table, url_enc};
use crate::AppState;

fn items_summary(trade: &TradeView) -> String {
    trade.items.iter().map(|i| format!("{} ×{}", i.spec_no, i.num)).collect::<Vec<_>>().join(", ")
}

fn stockout_link(trade: &TradeView) -> Markup {
    html! {
        @if !trade.stockout_no.is_empty() {
            a.no href={ "/console/ledger?sid=" (url_enc(&trade.sid)) "&doc_no=" (url_enc(&trade.stockout_no)) } { (trade.stockout_no) }
        }
    }
}

/// `/console/trades[?sid=S]`: trades, newest first.
pub(super) async fn list(ctx: Ctx) -> Response {
    let paging = Paging::of(&ctx);
    let sid = ctx.param("sid").map(str::to_owned);
    let filter = DocumentFilter { sid: sid.clone(), number: None, offset: paging.offset(), limit: paging.fetch() };
    let (list, more) = match ctx.state.store.list_trades(&filter).await {
        Ok(l) => paging.split(l),
        Err(e) => return internal(&ctx, e),
    };
    let rows = list
        .iter()
        .map(|tr| {
            html! { tr {
                td { (tr.sid) } td { (doc_link("trades", &tr.sid, &tr.tid)) } td.no { (tr.trade_no) } td { (tr.shop_no) }
                td { (status::shipped(tr.shipped)) } td { (tr.warehouse_no) } td { (stockout_link(tr)) }
                td { (t_opt(tr.shipped_at)) } td { (t(tr.created)) } td { (items_summary(tr)) }
            } }
        })
        .collect();
    page(
        &ctx,
        "订单 Trades",
        html! {
            form.f method="get" {
                input name="sid" placeholder="sid" value=[sid.as_deref()];
                button type="submit" { "筛选 Filter" }
            }
            (table(
                &["sid", "原始单号 tid", "系统单号 trade_no", "店铺 shop_no", "状态 status", "仓库 warehouse_no",
                  "出库单 stock-out", "发货 shipped", "创建 created", "货品 items"],
                rows,
            ))
            (paging.links(&ctx, list.len(), more))
        },
    )
}

/// A warehouse a trade could ship from: what it holds (good stock) of each spec the trade needs.
struct Source {
    warehouse_no: String,
    holds: Vec<(String, Dec4, Dec4)>,
}

impl Source {
    fn covers(&self) -> bool {
        self.holds.iter().all(|(_, have, need)| have >= need)
    }

    fn label(&self) -> String {
        let holds: Vec<String> = self.holds.iter().map(|(spec, have, _)| format!("{spec} {have}")).collect();
        let mark = if self.covers() { "✓ 足 enough" } else { "✗ 不足 short" };
        format!("{} — {} — {mark}", self.warehouse_no, holds.join(" · "))
    }
}

/// The warehouses holding any good stock of the trade's specs, those that can ship all of it
/// first.
async fn sources(ctx: &Ctx, trade: &TradeView) -> StoreResult<Vec<Source>> {
    // What the trade needs of each spec, in item order.
    let mut need: Vec<(&str, Dec4)> = Vec::new();
    for i in &trade.items {
        match need.iter_mut().find(|(spec, _)| *spec == i.spec_no) {
            Some((_, n)) => *n = n.checked_add(i.num).unwrap_or(*n),
            None => need.push((&i.spec_no, i.num)),
        }
    }
    let mut have: BTreeMap<String, BTreeMap<&str, Dec4>> = BTreeMap::new();
    for (spec, _) in &need {
        for line in ctx.state.store.stock_of(&trade.sid, spec).await? {
            if line.defect || !line.num.is_positive() {
                continue;
            }
            let n = have.entry(line.warehouse_no).or_default().entry(spec).or_insert(Dec4::ZERO);
            *n = n.checked_add(line.num).unwrap_or(*n);
        }
    }
    let mut sources: Vec<Source> = have
        .into_iter()
        .map(|(warehouse_no, holds)| Source {
            warehouse_no,
            holds: need
                .iter()
                .map(|(spec, n)| (spec.to_string(), holds.get(spec).copied().unwrap_or(Dec4::ZERO), *n))
                .collect(),
        })
        .collect();
    sources.sort_by_key(|s| !s.covers());
    Ok(sources)
}

/// `/console/trades/{sid}/{tid}`: the trade, its items, and (unshipped) the 发货 form.
pub(super) async fn show(ctx: Ctx, Path((sid, tid)): Path<(String, String)>) -> Response {
    let trade = match ctx.state.store.trade(&sid, &tid).await {
        Ok(Some(tr)) => tr,
        Ok(None) => return not_found(&ctx, "订单 Trade", &tid),
        Err(e) => return internal(&ctx, e),
    };
    let sources = if trade.shipped {
        Vec::new()
    } else {
        match sources(&ctx, &trade).await {
            Ok(s) => s,
            Err(e) => return internal(&ctx, e),
        }
    };
    let items = trade
        .items
        .iter()
        .map(|i| html! { tr { td { (i.oid) } td { (i.spec_no) } td.n { (i.num) } td.n { (i.price) } } })
        .collect();
    let here = doc_url("trades", &sid, &tid);
    page(
        &ctx,
        &format!("订单 Trade {tid}"),
        html! {
            div.card {
                dl.head {
                    dt { "状态 status" } dd { (status::shipped(trade.shipped)) }
                    dt { "sid" } dd { (sid) }
                    dt { "系统单号 trade_no" } dd.no { (trade.trade_no) }
                    dt { "店铺 shop_no" } dd { (trade.shop_no) }
                    dt { "创建 created" } dd { (t(trade.created)) }
                    @if trade.shipped {
                        dt { "仓库 warehouse_no" } dd { (trade.warehouse_no) }
                        dt { "出库单 stock-out" } dd { (stockout_link(&trade)) }
                        dt { "发货 shipped at" } dd { (t_opt(trade.shipped_at)) }
                    }
                }
                @if !trade.shipped {
                    form.f method="post" action={ (here) "/ship" } {
                        (csrf::field(&ctx.csrf))
                        label {
                            "发货仓库 Ship from "
                            @if sources.is_empty() {
                                input name="warehouse_no" placeholder="仓库 warehouse_no" required;
                            } @else {
                                select name="warehouse_no" {
                                    @for (n, s) in sources.iter().enumerate() {
                                        option value=(s.warehouse_no) selected[n == 0] { (s.label()) }
                                    }
                                }
                            }
                        }
                        button.primary type="submit" { "发货 Ship" }
                    }
                }
            }
            h2 { "货品 Items" }
            (table(&["原始子单号 oid", "商家编码 spec_no", "数量 num", "价格 price"], items))
        },
    )
}

/// POST `…/ship` (`warehouse_no`): 发货, the trade's goods leave that warehouse.
pub(super) async fn ship(
    State(state): State<AppState>,
    Path((sid, tid)): Path<(String, String)>,
    form: ActionForm,
) -> Response {
    let back = doc_url("trades", &sid, &tid);
    let warehouse_no = form.get("warehouse_no").unwrap_or_default().to_owned();
    actions::run(&state, &form, Action { sid, op: Operation::ShipTrade { tid, warehouse_no } }, &back).await
}
