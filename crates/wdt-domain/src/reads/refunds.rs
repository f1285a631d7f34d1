//! `aftersales.refund.Refund.search` as a checked read.

use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::refunds::{ORDER_MODIFIED_DESC, RefundSearch};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::parse_wire_time;

use super::{Listing, ReadQuery, WINDOW_REQUIRED, WindowRule, check_window};
use crate::model::Scope;

/// The widest window the page allows (`请求时间最大跨度为30天`), per time pair.
pub const MAX_WINDOW_DAYS: i64 = 30;

/// The order key of `order_type` 1 (修改时间降序): the listing orders by it newest first.
pub const MODIFIED_DESC: &str = "modified_desc";

/// `aftersales.refund.Refund.search`: at least one time pair is required (the page's
/// `参数中必须包含起止时间`), any of modified, settle (结算), agree (审核) or refund success
/// (`current_phase_timeout`); each pair is both ends or neither and spans at most 30 calendar
/// days. Rows are in (modified, id) order, or newest modified first with `order_type` 1. With
/// `fuzzy_query` the business numbers match as prefixes.
pub fn refunds(p: &RefundSearch, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let times = [
        ("modified_from", &p.modified_from),
        ("modified_to", &p.modified_to),
        ("settle_from", &p.settle_from),
        ("settle_to", &p.settle_to),
        ("agree_from", &p.agree_from),
        ("agree_to", &p.agree_to),
        ("current_phase_timeout_from", &p.current_phase_timeout_from),
        ("current_phase_timeout_to", &p.current_phase_timeout_to),
    ];
    // Named by their own field (the shared window check names the ends start_time/end_time).
    for (name, value) in times {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parse_wire_time(v).map_err(|e| ApiError::business(format!("{name}: {e}")))?;
        }
    }
    let rule = WindowRule::optional(Some(MAX_WINDOW_DAYS));
    let windows = [
        ("modified", check_window(p.modified_from.as_deref(), p.modified_to.as_deref(), rule)?),
        ("settle", check_window(p.settle_from.as_deref(), p.settle_to.as_deref(), rule)?),
        ("agree", check_window(p.agree_from.as_deref(), p.agree_to.as_deref(), rule)?),
        (
            "current_phase_timeout",
            check_window(p.current_phase_timeout_from.as_deref(), p.current_phase_timeout_to.as_deref(), rule)?,
        ),
    ];
    if windows.iter().all(|(_, w)| w.is_none()) {
        return Err(ApiError::business(WINDOW_REQUIRED));
    }
    let order_key = if p.order_type == Some(ORDER_MODIFIED_DESC) { MODIFIED_DESC } else { "modified" };
    let mut q = ReadQuery::new(Listing::RefundOrders, order_key, pager, scope);
    for (key, window) in windows {
        q = q.window(key, window);
    }
    let fuzzy = p.fuzzy_query == Some(true);
    let number = |q: ReadQuery, key: &'static str, value: Option<&str>| {
        if fuzzy { q.prefix(key, value) } else { q.text(key, value) }
    };
    let q = number(q, "refund_no", p.refund_no.as_deref());
    let q = number(q, "tid", p.tid.as_deref());
    let q = number(q, "trade_no", p.trade_no.as_deref());
    let q = number(q, "return_logistics_no", p.return_logistics_no.as_deref());
    Ok(q.text_list("shop_no", p.shop_nos.as_deref())
        .text("buyer_nick", p.buyer_nick.as_deref())
        .int("status", p.status)
        .int("stockin_status", p.stockin_status)
        .int("type", p.kind)
        .int("rr_status", p.rr_status)
        .text_list("return_warehouse_no", p.return_warehouse_nos.as_deref())
        .text_list("raw_refund_no", p.raw_refund_nos.as_deref())
        .flag("manual_intercept", p.return_mask_manual_intercept)
        .flag("reject_return", p.refund_mask_reject_return))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::{Filter, FilterValue};

    const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

    fn window(from: &str, to: &str) -> RefundSearch {
        RefundSearch { modified_from: Some(from.into()), modified_to: Some(to.into()), ..RefundSearch::default() }
    }

    #[test]
    fn a_window_is_required_and_bounded() {
        let scope = Scope::default();
        let cases: &[(RefundSearch, Result<&[&str], &str>)] = &[
            (window("2020-01-01 00:00:00", "2020-01-31 23:59:59"), Ok(&["modified"])),
            (RefundSearch::default(), Err(WINDOW_REQUIRED)),
            (window("2020-01-01 00:00:00", "2020-02-01 00:00:00"), Err("查询时间不能大于30天")),
            (window("2020-01-02 00:00:00", "2020-01-01 00:00:00"), Err("结束时间不能早于开始时间")),
            (window("2020-01-01", "2020/01/02"), Err("modified_to: Unparseable date: 2020/01/02")),
            (
                RefundSearch { modified_from: Some("2020-01-01 00:00:00".into()), ..RefundSearch::default() },
                Err(WINDOW_REQUIRED),
            ),
            (
                RefundSearch {
                    agree_from: Some("2020-01-01 00:00:00".into()),
                    agree_to: Some("2020-01-02 00:00:00".into()),
                    ..RefundSearch::default()
                },
                Ok(&["agree"]),
            ),
        ];
        for (p, want) in cases {
            let got = refunds(p, PAGER, &scope).map_err(|e| e.to_string());
            match (want, &got) {
                (Ok(keys), Ok(q)) => assert_eq!(&q.windows.iter().map(|(k, _)| *k).collect::<Vec<_>>(), keys),
                (Err(w), Err(g)) => assert!(g.contains(w), "{p:?}: {g}"),
                _ => panic!("{p:?}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn numbers_match_exactly_or_as_prefixes() {
        let scope = Scope::default();
        let mut p = window("2020-01-01 00:00:00", "2020-01-02 00:00:00");
        p.refund_no = Some("TK1".into());
        let exact = refunds(&p, PAGER, &scope).unwrap();
        assert!(exact.filters.contains(&Filter { key: "refund_no", value: FilterValue::Text("TK1".into()) }));
        assert_eq!(exact.order_key, "modified");
        p.fuzzy_query = Some(true);
        p.order_type = Some(ORDER_MODIFIED_DESC);
        let fuzzy = refunds(&p, PAGER, &scope).unwrap();
        assert!(fuzzy.filters.contains(&Filter { key: "refund_no", value: FilterValue::Prefix("TK1".into()) }));
        assert_eq!(fuzzy.order_key, MODIFIED_DESC);
    }
}
