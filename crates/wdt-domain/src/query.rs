//! The return stock-in query (`wms.stockin.Refund.queryWithDetail`, SPEC.md §3.4): turning the
//! wire parameters into a checked filter. The store runs the filter in SQL.

use wdt_protocol::ApiError;
use wdt_protocol::methods::refund_stockin_query::TimeType;
use wdt_protocol::time::{parse_wire_time, shanghai_day};

use crate::model::Scope;

/// The widest window a query may span: 30 calendar days between the start and end dates.
pub const MAX_WINDOW_DAYS: i64 = 30;

/// The most detail lines one page may hold. A page whose orders hold more is refused with
/// [`page_lines_exceeded`]: a smaller `page_size` reads the same rows. A push holds at most
/// 1,000 lines, so a `page_size` of 5 or less always fits.
pub const MAX_PAGE_LINES: i64 = 5_000;

/// Detail lines the pages being read and written at once may hold together, per process: four
/// pages at the limit. Each page counts the most it could hold ([`page_line_weight`]) until its
/// answer is written; the pages beyond wait their turn.
pub const PAGE_LINES_IN_FLIGHT: u32 = 4 * MAX_PAGE_LINES as u32;

/// The most detail lines a page of `page_size` stock-ins can hold: 1,000 per stock-in (a push's
/// limit), at most [`MAX_PAGE_LINES`].
pub fn page_line_weight(page_size: u32) -> u32 {
    let most = u64::from(page_size) * wdt_protocol::methods::MAX_DETAIL_LINES as u64;
    most.clamp(1, MAX_PAGE_LINES as u64) as u32
}

/// The refusal of a page whose orders hold more than [`MAX_PAGE_LINES`] detail lines.
pub fn page_lines_exceeded(page_size: u32, page_no: u32, lines: i64) -> ApiError {
    ApiError::business(format!(
        "分页明细行数超过上限({MAX_PAGE_LINES}),请减小page_size page_size: {page_size} page_no: {page_no} 明细行数: {lines}"
    ))
}

/// Which time the window applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    /// `time_type` 0 (default): last modified.
    Modified,
    /// `time_type` 1: stock-in (check) time; unchecked orders never match.
    CheckTime,
}

impl From<TimeType> for TimeField {
    fn from(time_type: TimeType) -> Self {
        match time_type {
            TimeType::Modified => TimeField::Modified,
            TimeType::Stockin => TimeField::CheckTime,
        }
    }
}

/// How old a stock-in is, by its modified time, before it leaves the live query
/// (`wms.stockin.Refund.queryWithDetail`) for the history query
/// (`wms.stockin.Refund.queryHisWithDetail`): the vendor archives documents three months after
/// their last change; here that is 90 days of the store clock.
pub const HISTORY_AFTER_DAYS: i64 = 90;

/// [`HISTORY_AFTER_DAYS`] in milliseconds.
pub const HISTORY_AFTER_MS: i64 = HISTORY_AFTER_DAYS * 86_400_000;

/// Which stock-ins a query reads by the age of their modified time, besides its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StockinAge {
    /// Every stock-in (what [`StockinQuery::check`] gives).
    #[default]
    Any,
    /// The live query's: modified at or after `since_ms`.
    Live {
        /// The split: now minus [`HISTORY_AFTER_MS`].
        since_ms: i64,
    },
    /// The history query's: modified before `before_ms`.
    History {
        /// The split: now minus [`HISTORY_AFTER_MS`].
        before_ms: i64,
    },
}

/// A checked query: every filter the store applies, in SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockinQuery {
    /// Time the window applies to.
    pub time_field: TimeField,
    /// Window start, epoch ms, inclusive.
    pub start_ms: i64,
    /// Window end, epoch ms, inclusive (the whole last second).
    pub end_ms: i64,
    /// 仓库编号.
    pub warehouse_no: Option<String>,
    /// 入库单号.
    pub stockin_no: Option<String>,
    /// 退换单号.
    pub refund_no: Option<String>,
    /// 店铺编号 list; empty = all.
    pub shop_nos: Vec<String>,
    /// Status list; empty = all.
    pub statuses: Vec<i64>,
    /// Fill `sn_list`.
    pub need_sn: bool,
    /// Serve from the read replica when one is configured.
    pub from_replica: bool,
    /// Rows per page.
    pub page_size: u32,
    /// Page number from 0.
    pub page_no: u32,
    /// Count all matching rows.
    pub calc_total: bool,
    /// The caller's scope; rows outside it are never returned.
    pub scope: Scope,
    /// The age bound on the modified time (live or history), whatever `time_field` is.
    pub age: StockinAge,
}

/// Wire parameters of one query, as the wire layer read them: both window ends are given
/// (`wdt-protocol` refuses a query without them) and `time_type` is one of its two values.
#[derive(Debug, Clone, Default)]
pub struct QueryParams<'a> {
    /// `start_time`.
    pub start_time: &'a str,
    /// `end_time`.
    pub end_time: &'a str,
    /// `time_type`.
    pub time_type: TimeType,
    /// `warehouse_no`.
    pub warehouse_no: Option<&'a str>,
    /// `stockin_no`.
    pub stockin_no: Option<&'a str>,
    /// `refund_no`.
    pub refund_no: Option<&'a str>,
    /// `shop_nos`, comma-separated.
    pub shop_nos: Option<&'a str>,
    /// `status`, comma-separated integers.
    pub status: Option<&'a str>,
    /// `need_sn`.
    pub need_sn: bool,
    /// `is_slave`.
    pub is_slave: bool,
}

/// The refusal of a query naming a warehouse the seller does not have (seed 004's
/// `仓库不存在`, with the number as every other unknown warehouse is named).
pub fn unknown_warehouse(warehouse_no: &str) -> ApiError {
    ApiError::business(format!("仓库不存在  仓库编号: {warehouse_no}"))
}

fn present(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

impl StockinQuery {
    /// Checks the parameters of one page request.
    pub fn check(
        p: &QueryParams<'_>,
        page_size: u32,
        page_no: u32,
        calc_total: bool,
        scope: &Scope,
    ) -> Result<Self, ApiError> {
        let (start, end) = (p.start_time.trim(), p.end_time.trim());
        let start_ms = parse_wire_time(start).map_err(|e| ApiError::business(format!("start_time: {e}")))?;
        let end_second = parse_wire_time(end).map_err(|e| ApiError::business(format!("end_time: {e}")))?;
        if end_second < start_ms {
            return Err(ApiError::business(format!("结束时间不能早于开始时间 start_time: {start} end_time: {end}")));
        }
        let days = (shanghai_day(end_second) - shanghai_day(start_ms)).whole_days();
        if days > MAX_WINDOW_DAYS {
            return Err(ApiError::business("您的查询时间过宽,查询时间不能大于30天"));
        }
        let mut statuses = Vec::new();
        if let Some(list) = present(p.status) {
            for part in list.split(',') {
                let n: i64 = part
                    .trim()
                    .parse()
                    .map_err(|_| ApiError::business(format!("状态应该是由逗号分隔开的整数数组 status: {list}")))?;
                statuses.push(n);
            }
        }
        let shop_nos: Vec<String> = present(p.shop_nos)
            .map(|list| list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        let warehouse_no = present(p.warehouse_no);
        // What the key may not see answers as what does not exist: a warehouse is refused as
        // unknown, a shop matches nothing (the scope is applied with the filters).
        if let Some(w) = &warehouse_no
            && !scope.allows_warehouse(w)
        {
            return Err(unknown_warehouse(w));
        }
        Ok(StockinQuery {
            time_field: p.time_type.into(),
            start_ms,
            end_ms: end_second + 999,
            warehouse_no,
            stockin_no: present(p.stockin_no),
            refund_no: present(p.refund_no),
            shop_nos,
            statuses,
            need_sn: p.need_sn,
            from_replica: p.is_slave,
            page_size,
            page_no,
            calc_total,
            scope: scope.clone(),
            age: StockinAge::Any,
        })
    }

    /// The live query's rows only: modified within [`HISTORY_AFTER_DAYS`] of `now_ms`.
    pub fn live(mut self, now_ms: i64) -> Self {
        self.age = StockinAge::Live { since_ms: now_ms - HISTORY_AFTER_MS };
        self
    }

    /// The history query's rows only: modified more than [`HISTORY_AFTER_DAYS`] before `now_ms`.
    pub fn history(mut self, now_ms: i64) -> Self {
        self.age = StockinAge::History { before_ms: now_ms - HISTORY_AFTER_MS };
        self
    }

    /// Rows to skip before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page_no) * u64::from(self.page_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params<'a>(start: &'a str, end: &'a str) -> QueryParams<'a> {
        QueryParams { start_time: start, end_time: end, ..QueryParams::default() }
    }

    fn check(p: &QueryParams<'_>) -> Result<StockinQuery, String> {
        StockinQuery::check(p, 10, 0, false, &Scope::default()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_page_weighs_the_most_lines_it_can_hold() {
        assert_eq!(page_line_weight(1), 1000);
        assert_eq!(page_line_weight(5), MAX_PAGE_LINES as u32);
        assert_eq!(page_line_weight(1000), MAX_PAGE_LINES as u32);
        assert_eq!(PAGE_LINES_IN_FLIGHT / page_line_weight(1000), 4);
    }

    #[test]
    fn window_rules() {
        // The seed's own example: Sep 1 00:00:00 to Oct 1 23:59:59 is 30 calendar days.
        assert!(check(&params("2019-09-01 00:00:00", "2019-10-01 23:59:59")).is_ok());
        let cases: &[(&str, &str, &str)] = &[
            ("2019-09-01 00:00:00", "2019-10-02 00:00:00", "不能大于30天"),
            ("2019-09-02 00:00:00", "2019-09-01 00:00:00", "结束时间不能早于开始时间"),
            ("2019/09/01", "2019-09-02 00:00:00", "start_time: Unparseable date: 2019/09/01"),
        ];
        for (start, end, want) in cases {
            let err = check(&params(start, end)).unwrap_err();
            assert!(err.contains(want), "{start}..{end}: {err}");
        }
        let q = check(&params("2019-09-01 00:00:00", "2019-09-01 00:00:00")).unwrap();
        assert_eq!(q.end_ms - q.start_ms, 999, "the end second is included whole");
    }

    #[test]
    fn status_and_shop_lists() {
        let mut p = params("2019-09-01 00:00:00", "2019-09-02 00:00:00");
        p.status = Some("80, 30");
        p.shop_nos = Some("S1,,S2 ");
        let q = check(&p).unwrap();
        assert_eq!(q.statuses, vec![80, 30]);
        assert_eq!(q.shop_nos, vec!["S1", "S2"]);
        p.status = Some("80,done");
        assert!(check(&p).unwrap_err().contains("状态应该是由逗号分隔开的整数数组"));
    }

    #[test]
    fn live_and_history_split_at_the_same_instant() {
        let q = check(&params("2019-09-01 00:00:00", "2019-09-02 00:00:00")).unwrap();
        assert_eq!(q.age, StockinAge::Any);
        let now = 1_700_000_000_000;
        let split = now - HISTORY_AFTER_DAYS * 86_400_000;
        assert_eq!(q.clone().live(now).age, StockinAge::Live { since_ms: split });
        assert_eq!(q.history(now).age, StockinAge::History { before_ms: split });
    }

    #[test]
    fn time_type_picks_the_time_column() {
        for (time_type, field) in [(TimeType::Modified, TimeField::Modified), (TimeType::Stockin, TimeField::CheckTime)]
        {
            let p = QueryParams { time_type, ..params("2019-09-01 00:00:00", "2019-09-02 00:00:00") };
            assert_eq!(check(&p).unwrap().time_field, field, "{time_type:?}");
        }
    }

    #[test]
    fn filters_outside_the_scope_answer_as_unknown_ones() {
        let scope = Scope { warehouses: Some(vec!["W2".into()]), shops: Some(vec!["S1".into()]) };
        let mut p = params("2019-09-01 00:00:00", "2019-09-02 00:00:00");
        p.warehouse_no = Some("W1");
        let refused = StockinQuery::check(&p, 10, 0, false, &scope).unwrap_err().to_string();
        assert_eq!(refused, unknown_warehouse("W1").to_string());
        p.warehouse_no = None;
        // A shop outside the scope matches nothing, as an unknown shop does; the scope stays.
        p.shop_nos = Some("S1,S9");
        let q = StockinQuery::check(&p, 10, 0, false, &scope).unwrap();
        assert_eq!((q.shop_nos, q.scope), (vec!["S1".to_owned(), "S9".to_owned()], scope));
    }
}
