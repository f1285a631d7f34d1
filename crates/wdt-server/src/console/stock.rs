//! 库存 stock lines with their moving-average cost, the ledger rows behind them, and 盘点: a line
//! set to the quantity counted on the shelf.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use wdt_domain::model::{Coded, LedgerDocType};
use wdt_protocol::Dec4;
use wdt_store::{Action, LedgerRowView, LineFilter, Operation, StockCount, StockLineView};

use super::actions;
use super::context::Ctx;
use super::csrf::{self, ActionForm};
use super::layout::page;
use super::paging::Paging;
use super::widgets::{internal, some, t, table, url_enc};
use crate::AppState;

/// The ledger page of one stock line (of one document's rows on it, with `doc`).
pub(super) fn ledger_link(
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

/// A table of ledger rows.
pub(super) fn ledger_table(rows: &[LedgerRowView]) -> Markup {
    let body = rows
        .iter()
        .map(|r| {
            let class = if r.num_change.is_negative() { "n minus" } else { "n plus" };
            html! { tr {
                td { (t(r.created)) } td { (LedgerDocType::describe(r.doc_type)) } td.no { (r.doc_no) } td { (r.warehouse_no) } td { (r.spec_no) }
                td { (r.position_no) } td { (r.batch_no) } td { (if r.defect { "残次" } else { "正品" }) }
                td.n { (r.num_before) } td class=(class) { (r.num_change) } td.n { (r.num_after) } td.n { (r.cost_price) }
            } }
        })
        .collect();
    table(
        &[
            "时间 time",
            "单据类型 doc_type",
            "单号 doc_no",
            "仓库",
            "商家编码",
            "货位",
            "批次",
            "残次",
            "变动前 before",
            "变动 change",
            "变动后 after",
            "成本 cost",
        ],
        body,
    )
}

/// A stock or ledger filter, as the pages' links and forms send it.
#[derive(Deserialize, Default)]
pub(super) struct LineQuery {
    sid: Option<String>,
    spec_no: Option<String>,
    warehouse_no: Option<String>,
    position_no: Option<String>,
    batch_no: Option<String>,
    defect: Option<String>,
    doc_no: Option<String>,
}

impl LineQuery {
    fn filter(&self, paging: Paging) -> LineFilter {
        LineFilter {
            sid: some(&self.sid),
            spec_no: some(&self.spec_no),
            warehouse_no: some(&self.warehouse_no),
            position_no: some(&self.position_no),
            // An empty batch means "no batch" once the line is named; otherwise "any".
            batch_no: if self.position_no.is_some() { self.batch_no.clone() } else { some(&self.batch_no) },
            defect: self.defect.as_deref().and_then(|d| d.parse().ok()),
            doc_no: some(&self.doc_no),
            offset: paging.offset(),
            limit: paging.fetch(),
        }
    }
}

/// The hidden fields naming one stock line in a count form.
fn line_fields(l: &StockLineView) -> Markup {
    html! {
        input type="hidden" name="sid" value=(l.sid);
        input type="hidden" name="warehouse_no" value=(l.warehouse_no);
        input type="hidden" name="spec_no" value=(l.spec_no);
        input type="hidden" name="defect" value=(l.defect);
        input type="hidden" name="batch_no" value=(l.batch_no);
        input type="hidden" name="position_no" value=(l.position_no);
    }
}

/// `/console/stock`: stock lines by seller, warehouse and spec, each with its ledger and a count
/// form; and a form to count any line.
pub(super) async fn stock(ctx: Ctx, Query(q): Query<LineQuery>) -> Response {
    let paging = Paging::of(&ctx);
    let (lines, more) = match ctx.state.store.list_stock(&q.filter(paging)).await {
        Ok(l) => paging.split(l),
        Err(e) => return internal(&ctx, e),
    };
    let back = match ctx.query.is_empty() {
        true => ctx.path.clone(),
        false => format!(
            "{}?{}",
            ctx.path,
            form_urlencoded::Serializer::new(String::new()).extend_pairs(&ctx.query).finish()
        ),
    };
    let rows = lines
        .iter()
        .map(|l| {
            let ledger = ledger_link(&l.sid, &l.spec_no, &l.warehouse_no, &l.position_no, &l.batch_no, l.defect, None);
            html! { tr {
                td { (l.sid) } td { (l.warehouse_no) } td { (l.spec_no) } td { (if l.defect { "残次 defect" } else { "正品 good" }) }
                td { (l.batch_no) } td { (l.position_no) } td.n { (l.num) } td.n { (l.cost_price) }
                td { a href=(ledger) { "台账 ledger rows" } }
                td {
                    form.f.count method="post" action="/console/stock/adjust" {
                        (csrf::field(&ctx.csrf))
                        (line_fields(l))
                        input type="hidden" name="back" value=(back);
                        input name="num" inputmode="decimal" value=(l.num) aria-label="实盘数量 counted quantity";
                        button.small type="submit" { "盘点 Count" }
                    }
                }
            } }
        })
        .collect();
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    page(
        &ctx,
        "库存 Stock",
        html! {
            form.f method="get" {
                input name="sid" placeholder="sid" value=(v(&q.sid));
                input name="warehouse_no" placeholder="仓库 warehouse_no" value=(v(&q.warehouse_no));
                input name="spec_no" placeholder="商家编码 spec_no" value=(v(&q.spec_no));
                button type="submit" { "筛选 Filter" }
            }
            (table(&["sid", "仓库 warehouse_no", "商家编码 spec_no", "残次 defect", "批次 batch_no", "货位 position_no", "数量 num", "成本价 cost_price", "", "盘点 count"], rows))
            (paging.links(&ctx, lines.len(), more))
            details.card {
                summary { "盘点其他库存 Count another line" }
                form.f.adjust method="post" action="/console/stock/adjust" {
                    (csrf::field(&ctx.csrf))
                    input type="hidden" name="back" value=(back);
                    input name="sid" placeholder="sid" value=(v(&q.sid)) required;
                    input name="warehouse_no" placeholder="仓库 warehouse_no" value=(v(&q.warehouse_no)) required;
                    input name="spec_no" placeholder="商家编码 spec_no" value=(v(&q.spec_no)) required;
                    select name="defect" aria-label="残次 defect" {
                        option value="false" { "正品 good" }
                        option value="true" { "残次 defect" }
                    }
                    input name="batch_no" placeholder="批次 batch_no";
                    input name="position_no" placeholder="货位 position_no (默认暂存 ZANCUN)";
                    input name="num" placeholder="实盘数量 counted" inputmode="decimal" required;
                    button.primary type="submit" { "盘点 Count" }
                }
            }
        },
    )
}

/// `/console/ledger`: ledger rows of the lines (and document) the filter names, oldest first.
pub(super) async fn ledger(ctx: Ctx, Query(q): Query<LineQuery>) -> Response {
    let paging = Paging::of(&ctx);
    let (rows, more) = match ctx.state.store.list_ledger(&q.filter(paging)).await {
        Ok(l) => paging.split(l),
        Err(e) => return internal(&ctx, e),
    };
    let sum = rows.iter().fold(Dec4::ZERO, |a, r| a.checked_add(r.num_change).unwrap_or(a));
    page(
        &ctx,
        "库存台账 Stock ledger",
        html! {
            p { (rows.len()) " rows · Σ change " (sum) @if more || paging.page > 1 { " (this page)" } }
            (ledger_table(&rows))
            (paging.links(&ctx, rows.len(), more))
        },
    )
}

/// Where a count form sends the operator back to: a stock page, nothing else.
fn back_to(form: &ActionForm) -> String {
    let local =
        |b: &&str| b.starts_with("/console/stock") && !b.contains("//") && b.bytes().all(|c| c.is_ascii_graphic());
    form.get("back").filter(local).unwrap_or("/console/stock").to_owned()
}

/// POST `/console/stock/adjust` (`sid`, `warehouse_no`, `spec_no`, `defect`, `batch_no`,
/// `position_no`, `num`): 盘点, the line is set to the counted quantity.
pub(super) async fn adjust(State(state): State<AppState>, form: ActionForm) -> Response {
    let back = back_to(&form);
    let field = |name: &str| form.get(name).map(str::to_owned);
    let (Some(sid), Some(warehouse_no), Some(spec_no)) = (field("sid"), field("warehouse_no"), field("spec_no")) else {
        return actions::refuse(
            &state,
            &form,
            &back,
            "sid, 仓库 warehouse_no 和 and 商家编码 spec_no 必填 are required",
        );
    };
    let raw = form.get("num").unwrap_or_default();
    let Ok(num) = Dec4::parse(raw) else {
        return actions::refuse(&state, &form, &back, &format!("数量无效 num: {raw}"));
    };
    let count = StockCount {
        warehouse_no,
        spec_no,
        defect: matches!(form.get("defect"), Some("true" | "1" | "on")),
        batch_no: field("batch_no"),
        position_no: field("position_no"),
        num,
    };
    actions::run(&state, &form, Action { sid, op: Operation::AdjustStock(count) }, &back).await
}
