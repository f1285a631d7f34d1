//! `aftersales.refund.RawRefund.search` as a checked read.

use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::raw_refunds::{RawRefundSearch, TIME_REFUND};
use wdt_protocol::qjb::Pager;

use super::{Listing, ReadQuery, WindowRule, check_window};
use crate::model::Scope;

/// The widest window the page allows (`start_time和end_time最大跨度为30天`).
pub const MAX_WINDOW_DAYS: i64 = 30;

fn given(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|v| !v.trim().is_empty())
}

/// `aftersales.refund.RawRefund.search`: `start_time`/`end_time` (at most 30 days) are required
/// unless the call names the refund otherwise (the page's 1.5.1): by `refund_no` (with or without
/// `platform_id`), by `platform_id` and `tid`, or by `logistics_no`. `time_type` 2 puts the window
/// on the platform's refund time, else on the last modification. Rows are in (modified, id)
/// order whatever the window's column, so paging never skips or repeats a row.
pub fn raw_refunds(p: &RawRefundSearch, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let named = given(&p.refund_no) || (p.platform_id.is_some() && given(&p.tid)) || given(&p.logistics_no);
    let rule = if named { WindowRule::optional(Some(MAX_WINDOW_DAYS)) } else { WindowRule::required(MAX_WINDOW_DAYS) };
    let window = check_window(p.start_time.as_deref(), p.end_time.as_deref(), rule)?;
    let window_key = if p.time_type == Some(TIME_REFUND) { "refund_time" } else { "modified" };
    Ok(ReadQuery::new(Listing::RawRefunds, "modified", pager, scope)
        .window(window_key, window)
        .text("refund_no", p.refund_no.as_deref())
        .text("logistics_no", p.logistics_no.as_deref())
        .int("platform_id", p.platform_id)
        .text("shop_no", p.shop_no.as_deref())
        .text("tid", p.tid.as_deref())
        .text("oid", p.oid.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::WINDOW_REQUIRED;

    const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

    fn window(from: &str, to: &str) -> RawRefundSearch {
        RawRefundSearch { start_time: Some(from.into()), end_time: Some(to.into()), ..RawRefundSearch::default() }
    }

    #[test]
    fn the_window_is_required_unless_the_refund_is_named() {
        let by_no = RawRefundSearch { refund_no: Some("R1".into()), ..RawRefundSearch::default() };
        let by_tid_alone = RawRefundSearch { tid: Some("T1".into()), ..RawRefundSearch::default() };
        let by_platform_tid = RawRefundSearch { platform_id: Some(127), ..by_tid_alone.clone() };
        let by_logistics = RawRefundSearch { logistics_no: Some("SF1".into()), ..RawRefundSearch::default() };
        let wide_named = RawRefundSearch { refund_no: Some("R1".into()), ..window(DAY, "2020-03-01 00:00:00") };
        const DAY: &str = "2020-01-01 00:00:00";
        let cases: Vec<(RawRefundSearch, Result<usize, &str>)> = vec![
            (window(DAY, "2020-01-31 23:59:59"), Ok(1)),
            (RawRefundSearch::default(), Err(WINDOW_REQUIRED)),
            (window(DAY, "2020-02-01 00:00:00"), Err("查询时间不能大于30天")),
            (by_no, Ok(0)),
            (by_tid_alone, Err(WINDOW_REQUIRED)),
            (by_platform_tid, Ok(0)),
            (by_logistics, Ok(0)),
            (wide_named, Err("查询时间不能大于30天")),
        ];
        for (p, want) in cases {
            let got = raw_refunds(&p, PAGER, &Scope::default()).map(|q| q.windows.len()).map_err(|e| e.to_string());
            match (want, &got) {
                (Ok(n), Ok(g)) => assert_eq!(n, *g, "{p:?}"),
                (Err(w), Err(g)) => assert!(g.contains(w), "{p:?}: {g}"),
                _ => panic!("{p:?}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn time_type_picks_the_windowed_column() {
        let mut p = window("2020-01-01 00:00:00", "2020-01-02 00:00:00");
        assert_eq!(raw_refunds(&p, PAGER, &Scope::default()).unwrap().windows[0].0, "modified");
        p.time_type = Some(TIME_REFUND);
        let q = raw_refunds(&p, PAGER, &Scope::default()).unwrap();
        assert_eq!((q.windows[0].0, q.order_key), ("refund_time", "modified"));
    }
}
