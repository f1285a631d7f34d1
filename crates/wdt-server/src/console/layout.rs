//! The page around every console page: navigation, the search box, the flash banner, the style
//! sheet and the one small script (no external assets, no build step).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::context::Ctx;
use super::{csrf, flash};

/// The navigation bar: path and label.
const NAV: &[(&str, &str)] = &[
    ("/console/refunds", "退换单 Refunds"),
    ("/console/stockins", "入库单 Stock-ins"),
    ("/console/purchase-returns", "采购退货 Purchase returns"),
    ("/console/trades", "订单 Trades"),
    ("/console/stock", "库存 Stock"),
    ("/console/audit", "审计 Audit"),
    ("/console/requests", "调用日志 Requests"),
];

/// The navigation entry a page belongs to (the ledger to the stock).
fn section_of(path: &str) -> Option<&'static str> {
    let path = if path.starts_with("/console/ledger") { "/console/stock" } else { path };
    NAV.iter().map(|(p, _)| *p).find(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')))
}

/// A console page for a logged-in user, 200.
pub(super) fn page(ctx: &Ctx, title: &str, body: Markup) -> Response {
    page_with(ctx, StatusCode::OK, title, body)
}

/// A console page with `status`.
pub(super) fn page_with(ctx: &Ctx, status: StatusCode, title: &str, body: Markup) -> Response {
    let header = html! {
        header {
            nav {
                a.brand href="/console" { "wdt-returns" }
                @for (path, label) in NAV {
                    a href=(path) class=[section_of(&ctx.path).is_some_and(|s| s == *path).then_some("on")] { (label) }
                }
            }
            div.tools {
                form.search method="get" action="/console/search" role="search" {
                    input type="search" name="q" placeholder="单号 refund / RK / tid / return no" value=[ctx.param("q")]
                        aria-label="单号 document number";
                    button type="submit" { "查找 Find" }
                }
                form.act method="post" action="/console/logout" {
                    (csrf::field(&ctx.csrf))
                    button.link type="submit" { "退出 Log out" }
                }
            }
        }
    };
    let banner = ctx.flash.as_ref().map(|f| html! { div class=(f.tone.class()) role="status" { (f.message) } });
    let mut response =
        (status, document(title, Some(header), html! { @if let Some(b) = banner { (b) } (body) })).into_response();
    if ctx.clear_flash {
        flash::clear(&mut response);
    }
    response
}

/// A page without navigation (the login form), 200.
pub(super) fn bare(title: &str, body: Markup) -> Response {
    document(title, None, body).into_response()
}

fn document(title: &str, header: Option<Markup>, body: Markup) -> impl IntoResponse {
    let html = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · wdt-returns" }
                style { (PreEscaped(CSS)) }
            }
            body {
                @if let Some(h) = header { (h) }
                main { h1 { (title) } (body) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html.into_string())
}

/// Asks before a form marked `data-confirm` is sent, and sends each action form once: a second
/// click while the first is on its way does nothing (the server refuses a repeat anyway).
const SCRIPT: &str = "document.addEventListener('submit',function(e){var f=e.target;\
if(f.method!=='post')return;\
if(f.dataset.confirm&&!window.confirm(f.dataset.confirm)){e.preventDefault();return}\
if(f.dataset.sent){e.preventDefault();return}f.dataset.sent='1';\
setTimeout(function(){f.querySelectorAll('button').forEach(function(b){b.disabled=true})},0)});";

const CSS: &str = "\
:root{--line:#dde1e7;--head:#1f3b5c}\
*{box-sizing:border-box}\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;\
margin:0;color:#1d2330;background:#f5f6f8}\
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.4rem 1rem;\
padding:.45rem 1rem;background:var(--head)}\
nav{display:flex;flex-wrap:wrap;gap:.2rem .3rem}\
nav a{color:#dfe8f3;text-decoration:none;padding:.2rem .5rem;border-radius:4px}\
nav a:hover{background:#2d5078;color:#fff}nav a.on{background:#fff;color:var(--head)}\
nav a.brand{color:#fff;font-weight:700;margin-right:.4rem}\
.tools{display:flex;gap:.5rem;align-items:center;margin-left:auto}\
.search{display:flex;gap:.3rem}.search input{width:13rem;max-width:50vw;padding:.25rem .45rem;border:0;border-radius:4px}\
header button{padding:.25rem .6rem;border:0;border-radius:4px;background:#dfe8f3;color:var(--head)}\
header button.link{background:none;color:#dfe8f3;text-decoration:underline}\
main{padding:.2rem 1rem 2rem}\
h1{font-size:1.3rem;margin:.8rem 0 .6rem}h2{font-size:1.05rem;margin:1.3rem 0 .45rem}\
a{color:#1f5fa8}\
.scroll{overflow-x:auto;background:#fff;border:1px solid var(--line);border-radius:6px}\
table{border-collapse:collapse;min-width:100%;font-size:13.5px}\
th,td{border-bottom:1px solid #e8ebef;padding:.35rem .6rem;text-align:left;white-space:nowrap;vertical-align:middle}\
th{background:#eef1f5;font-weight:600;color:#3b4656;position:sticky;top:0}\
tbody tr:nth-child(even){background:#fafbfc}tbody tr:hover{background:#eef5ff}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
td.empty{color:#777;text-align:center;padding:1rem}\
.no{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}\
.badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.85em;border:1px solid;line-height:1.6}\
.pending{color:#8a5300;background:#fff4dc;border-color:#f0c36d}\
.ok{color:#1b6b30;background:#e3f4e7;border-color:#9fd4ad}\
.off{color:#5f6368;background:#eceff1;border-color:#cfd4d9}\
.bad{color:#b3261e;background:#fde7e5;border-color:#f2b8b5}\
.plus{color:#1b6b30}.minus{color:#b3261e}.muted{color:#6b7280}\
.flash{margin:.8rem 0;padding:.6rem .9rem;border:1px solid;border-left-width:6px;border-radius:6px;font-weight:500}\
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.7rem 1rem;margin:.4rem 0}\
dl.head{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.3rem 1rem;margin:0}\
dl.head dt{color:#5b6474}dl.head dd{margin:0}\
@media(max-width:640px){dl.head{grid-template-columns:max-content 1fr}}\
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.7rem 0}\
form.act{display:inline;margin:0}\
button{font:inherit;padding:.3rem .9rem;border-radius:4px;border:1px solid #b8c0cc;background:#fff;cursor:pointer}\
button:hover{filter:brightness(.96)}button:disabled{opacity:.55;cursor:wait}\
button.primary{background:#1b7a34;border-color:#1b7a34;color:#fff}\
button.danger{color:#b3261e;border-color:#e0a9a5}\
button.small{padding:.1rem .5rem;font-size:.9em}\
form.f{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}\
form.f input,form.f select{padding:.3rem .4rem;border:1px solid #c3c9d2;border-radius:4px;font:inherit}\
form.f input{width:11rem}\
form.f label{display:flex;gap:.3rem;align-items:center}\
td form.f{margin:0;flex-wrap:nowrap;gap:.3rem}td form.f input{width:4.5rem;padding:.15rem .3rem;text-align:right}\
.pager{display:flex;gap:1rem;align-items:center;margin:.6rem 0;color:#5b6474}\
.pager a{padding:.15rem .6rem;border:1px solid var(--line);border-radius:4px;background:#fff;text-decoration:none}\
ul.links li{margin:.3rem 0}";
