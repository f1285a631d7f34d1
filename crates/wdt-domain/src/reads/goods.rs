//! `goods.Goods.queryWithSpec` as a checked read: goods by their last change (the goods record's
//! or any of its specs', whichever is later), in that order, then by id.

use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::goods::GoodsQuery;
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::format_wire_time;

use super::{Listing, ReadQuery, WindowRule, check_window};
use crate::model::Scope;

fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// `goods.Goods.queryWithSpec` at `now_ms`: the window (at most 30 days) is required unless
/// `spec_no` or `goods_no` is given, and a start without an end runs to now (the page: 不填默认为
/// 当前时间). No key scope applies (the page's 品牌权限 is set in the vendor's client, not on a key);
/// goods are never deleted here, so `hide_deleted` changes nothing.
pub fn goods(p: &GoodsQuery, pager: Pager, scope: &Scope, now_ms: i64) -> Result<ReadQuery, ApiError> {
    let named = given(p.spec_no.as_deref()).is_some() || given(p.goods_no.as_deref()).is_some();
    let start = given(p.start_time.as_deref());
    let now = format_wire_time(now_ms);
    let end = match (start, given(p.end_time.as_deref())) {
        (Some(_), None) => Some(now.as_str()),
        (_, end) => end,
    };
    let window = check_window(start, end, WindowRule { required: !named, max_days: Some(30) })?;
    Ok(ReadQuery::new(Listing::Goods, "modified", pager, scope)
        .text("spec_no", p.spec_no.as_deref())
        .text("goods_no", p.goods_no.as_deref())
        .text("brand_name", p.brand_name.as_deref())
        .text("class_name", p.class_name.as_deref())
        .text("barcode", p.barcode.as_deref())
        .window("modified", window))
}

#[cfg(test)]
mod tests {
    use wdt_protocol::time::parse_wire_time;

    use super::*;
    use crate::reads::WINDOW_REQUIRED;

    const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: false };

    fn at(text: &str) -> i64 {
        parse_wire_time(text).unwrap()
    }

    #[test]
    fn the_window_rules_of_the_page() {
        let scope = Scope::default();
        let now = at("2020-03-01 12:00:00");
        let run = |p: GoodsQuery| goods(&p, PAGER, &scope, now).map_err(|e| e.to_string());
        assert!(run(GoodsQuery::default()).unwrap_err().contains(WINDOW_REQUIRED));
        let named = run(GoodsQuery { spec_no: Some("S1".into()), ..GoodsQuery::default() }).unwrap();
        assert!(named.windows.is_empty(), "a spec number reads every time");
        let open = run(GoodsQuery { start_time: Some("2020-02-10 00:00:00".into()), ..GoodsQuery::default() }).unwrap();
        assert_eq!(open.windows[0].1.end_ms, now + 999, "an open end is now");
        let long = GoodsQuery { start_time: Some("2020-01-01 00:00:00".into()), ..GoodsQuery::default() };
        assert!(run(long).unwrap_err().contains("查询时间不能大于30天"));
        let end_only = GoodsQuery {
            goods_no: Some("G".into()),
            end_time: Some("2020-01-01 00:00:00".into()),
            ..GoodsQuery::default()
        };
        assert!(run(end_only).unwrap_err().contains(WINDOW_REQUIRED));
    }
}
