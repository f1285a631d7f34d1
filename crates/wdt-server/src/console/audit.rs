//! 审计日志: every operator action (who, when, what, on which document, before → after), newest
//! first.

use axum::response::Response;
use maud::{Markup, html};
use wdt_protocol::time::parse_wire_time;
use wdt_store::AuditFilter;

use super::actions::described;
use super::context::Ctx;
use super::layout::page;
use super::paging::Paging;
use super::widgets::{doc_link, internal, t, table, url_enc};

/// The target of an audit row, linked to its page: a document's, or the stock page of a
/// counted line (`WH1/MUG-RED/正品/B1/A-01`).
fn target_link(sid: &str, kind: &str, target: &str) -> Markup {
    match kind {
        "" => html! { span.no { (target) } },
        "stock" => {
            let mut parts = target.split('/');
            let (warehouse, spec) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let url = format!(
                "/console/stock?sid={}&warehouse_no={}&spec_no={}",
                url_enc(sid),
                url_enc(warehouse),
                url_enc(spec)
            );
            html! { a.no href=(url) { (target) } }
        }
        kind => doc_link(kind, sid, target),
    }
}

/// How far back the page reads when no `since` is given.
const DEFAULT_WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;

/// `/console/audit[?sid=S][&since=yyyy-MM-dd HH:mm:ss][&q=TARGET]`: the actions since then
/// (30 days by default), newest first.
pub(super) async fn audit(ctx: Ctx) -> Response {
    let paging = Paging::of(&ctx);
    let since = ctx
        .param("since")
        .and_then(|s| parse_wire_time(s).ok())
        .unwrap_or_else(|| ctx.state.store.clock().now_ms() - DEFAULT_WINDOW_MS);
    let target = ctx.param("target");
    let filter = AuditFilter {
        sid: ctx.param("sid").map(str::to_owned),
        since: Some(since),
        document: target.map(str::to_owned),
        newest_first: true,
        offset: paging.offset(),
        limit: paging.fetch(),
    };
    let page_rows = match ctx.state.store.audit(&filter).await {
        Ok(r) => r,
        Err(e) => return internal(&ctx, e),
    };
    let (page_rows, more) = paging.split(page_rows);
    let body = page_rows
        .iter()
        .map(|a| {
            let (label, kind) = described(&a.action).unwrap_or(("", ""));
            html! { tr {
                td { (t(a.created)) } td { (a.actor) } td { (a.sid) }
                td title=(a.action) { @if label.is_empty() { span.no { (a.action) } } @else { (label) } }
                td { (target_link(&a.sid, kind, &a.target)) }
                td { span { (a.before) } " → " span { (a.after) } }
                td { @if !a.doc_no.is_empty() {
                    a.no href={ "/console/ledger?sid=" (url_enc(&a.sid)) "&doc_no=" (url_enc(&a.doc_no)) } { (a.doc_no) }
                } }
            } }
        })
        .collect();
    page(
        &ctx,
        "审计日志 Audit log",
        html! {
            form.f method="get" {
                input name="sid" placeholder="sid" value=[ctx.param("sid")];
                input name="since" placeholder="从 since yyyy-MM-dd HH:mm:ss" value=(t(since));
                input name="target" placeholder="单号 document no" value=[target];
                button type="submit" { "筛选 Filter" }
            }
            (table(&["时间 when", "操作人 who", "sid", "操作 action", "单据 target", "之前 → 之后 before → after", "生成单号 doc no"], body))
            (paging.links(&ctx, page_rows.len(), more))
        },
    )
}
