//! Small pieces of HTML the pages share: tables, links, times, action buttons, error pages.

use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use wdt_protocol::time::format_wire_time;

use super::context::Ctx;
use super::csrf;
use super::layout::page_with;

/// A table with a header row; says so when there are no rows.
pub(super) fn table(head: &[&str], rows: Vec<Markup>) -> Markup {
    html! {
        div.scroll {
            table {
                thead { tr { @for h in head { th { (h) } } } }
                tbody {
                    @if rows.is_empty() {
                        tr { td.empty colspan=(head.len().max(1)) { "无记录 nothing here" } }
                    }
                    @for r in rows { (r) }
                }
            }
        }
    }
}

/// A stored time as people read it (`yyyy-MM-dd HH:mm:ss`, +08:00).
pub(super) fn t(ms: i64) -> String {
    format_wire_time(ms)
}

/// An optional time, empty when absent.
pub(super) fn t_opt(ms: Option<i64>) -> String {
    ms.map(t).unwrap_or_default()
}

/// `s` percent-encoded for a URL path segment or query value.
pub(super) fn url_enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The path of a document page: `/console/{kind}/{sid}/{no}`.
pub(super) fn doc_url(kind: &str, sid: &str, no: &str) -> String {
    format!("/console/{kind}/{}/{}", url_enc(sid), url_enc(no))
}

/// A link to a document page, its number in the monospace the lists use.
pub(super) fn doc_link(kind: &str, sid: &str, no: &str) -> Markup {
    html! { a.no href=(doc_url(kind, sid, no)) { (no) } }
}

/// A value trimmed, `None` when empty.
pub(super) fn some(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// How an action button looks.
#[derive(Debug, Clone, Copy)]
pub(super) enum Look {
    /// The main action of the page (审核, 发货).
    Primary,
    /// An action that ends a document (取消); asks before it is sent.
    Danger,
}

/// A one-button form posting to `action` with the session's CSRF token.
pub(super) fn button(ctx: &Ctx, action: &str, label: &str, look: Look) -> Markup {
    let (class, confirm) = match look {
        Look::Primary => ("primary", None),
        Look::Danger => ("danger", Some(format!("确定{label}? Sure?"))),
    };
    html! {
        form.act method="post" action=(action) data-confirm=[confirm] {
            (csrf::field(&ctx.csrf))
            button type="submit" class=(class) { (label) }
        }
    }
}

/// A 404 page naming what was not found.
pub(super) fn not_found(ctx: &Ctx, what: &str, no: &str) -> Response {
    page_with(
        ctx,
        StatusCode::NOT_FOUND,
        "未找到 Not found",
        html! { p { (what) " " span.no { (no) } " 不存在 does not exist." } p { a href="/console" { "← 控制台 Console" } } },
    )
}

/// The page for a database fault: logged, never shown.
pub(super) fn internal(ctx: &Ctx, e: wdt_store::StoreError) -> Response {
    tracing::error!(error = %e, "console query failed");
    page_with(
        ctx,
        StatusCode::INTERNAL_SERVER_ERROR,
        "出错了 Something went wrong",
        html! { p { "数据库出错,请稍后再试 The database failed; try again shortly." } },
    )
}
