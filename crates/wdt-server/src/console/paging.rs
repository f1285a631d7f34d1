//! Pages of a list: `?page=N` (from 1), 50 rows each, with links to the pages either side.

use maud::{Markup, html};

use super::context::Ctx;

/// Rows on one page.
pub(super) const PAGE_SIZE: u32 = 50;

/// Pages beyond this are not served (offsets stay far from overflowing).
const MAX_PAGE: u32 = 1_000_000;

/// Which page of a list a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Paging {
    /// 1-based page number.
    pub page: u32,
}

impl Paging {
    /// The page `ctx` asks for; page 1 when `page` is absent or not a page number.
    pub(super) fn of(ctx: &Ctx) -> Paging {
        let page = ctx.param("page").and_then(|p| p.parse::<u32>().ok()).filter(|p| (1..=MAX_PAGE).contains(p));
        Paging { page: page.unwrap_or(1) }
    }

    /// Rows before this page.
    pub(super) fn offset(self) -> u32 {
        (self.page - 1) * PAGE_SIZE
    }

    /// Rows to fetch: the page and one more, to know whether a next page exists.
    pub(super) fn fetch(self) -> u32 {
        PAGE_SIZE + 1
    }

    /// The page's rows out of what [`fetch`](Paging::fetch) read, and whether more follow.
    pub(super) fn split<T>(self, mut rows: Vec<T>) -> (Vec<T>, bool) {
        let more = rows.len() > PAGE_SIZE as usize;
        rows.truncate(PAGE_SIZE as usize);
        (rows, more)
    }

    /// The links to the previous and next page of the list `ctx` shows (its other query
    /// parameters kept).
    pub(super) fn links(self, ctx: &Ctx, shown: usize, more: bool) -> Markup {
        let url = |page: u32| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in ctx.query.iter().filter(|(k, _)| k != "page") {
                q.append_pair(k, v);
            }
            q.append_pair("page", &page.to_string());
            format!("{}?{}", ctx.path, q.finish())
        };
        let first = if shown == 0 { 0 } else { self.offset() as usize + 1 };
        html! {
            nav.pager aria-label="pages" {
                @if self.page > 1 { a rel="prev" href=(url(self.page - 1)) { "← 上一页 Prev" } }
                span { "第 " (self.page) " 页 page " (self.page) " · " (first) "–" (self.offset() as usize + shown) }
                @if more { a rel="next" href=(url(self.page + 1)) { "下一页 Next →" } }
            }
        }
    }
}
