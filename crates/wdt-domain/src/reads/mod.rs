//! Reading back (SPEC.md §9): what every paged query shares, checked once.
//!
//! A query method is its parameters turned into a [`ReadQuery`]: which [`Listing`] it reads, the
//! time window and the column it applies to, a list of [`Filter`]s, the pager and the caller's
//! scope. The store runs any `ReadQuery` the same way: every filter and the scope in SQL, rows in
//! (time, id) order so that paging by time never skips or repeats one, `total_count` on request,
//! the documents of hidden platforms left out and the buyer's fields masked by platform. A new
//! query is a parameter check here and a field list in the store, nothing else.

pub mod goods;
pub mod purchase;
pub mod raw_refunds;
pub mod refunds;
pub mod settings;
pub mod stock;

use wdt_protocol::ApiError;
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{parse_wire_time, shanghai_day};

use crate::model::Scope;

/// The vendor's refusal of a query whose window lacks an end (`参数中必须包含起止时间`).
pub use wdt_protocol::methods::refund_stockin_query::WINDOW_REQUIRED;

/// What a query reads: one kind of record, with the columns the store knows it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    /// `aftersales.refund.Refund.search`: refund orders with their items.
    RefundOrders,
    /// `aftersales.refund.RawRefund.search`: raw refunds with their lines.
    RawRefunds,
    /// `setting.Warehouse.queryWarehouse`: warehouses.
    Warehouses,
    /// `setting.Shop.queryShop`: shops.
    Shops,
    /// `setting.Logistics.queryLogistics`: logistics companies.
    Logistics,
    /// `setting.PurchaseProvider.queryDetail`: providers.
    Providers,
    /// `wms.StockSpec.search`: stock per warehouse × spec × defect flag, with the optional field
    /// groups the call asked for.
    StockSpecs(stock::StockExtras),
    /// `wms.StockSpec.queryChangeHistory`: the stock ledger.
    StockChanges,
    /// `purchase.PurchaseReturn.queryWithDetail`: purchase returns with their lines.
    PurchaseReturns,
    /// `purchase.PurchaseOrder.queryWithDetail`: purchase orders with their lines.
    PurchaseOrders,
    /// `goods.Goods.queryWithSpec`: goods with their specs and barcodes.
    Goods,
}

/// Where a page's rows go in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageShape {
    /// `{"status":0,"data":{"total_count":N,"<list_key>":[...]}}`: every listing but those below.
    Nested,
    /// `{"status":0,"total":N,"data":[...]}`: `data` is the bare list, the total beside it
    /// (`wms.StockSpec.search`).
    TotalBeside,
}

impl Listing {
    /// The name of the page's row list inside `data` (`{"total_count": N, "<list>": [...]}`).
    pub fn list_key(self) -> &'static str {
        match self {
            Listing::RefundOrders | Listing::RawRefunds => "order",
            Listing::PurchaseReturns | Listing::PurchaseOrders => "order",
            Listing::Goods => "goods_list",
            Listing::Warehouses | Listing::Shops | Listing::Logistics | Listing::Providers => "details",
            Listing::StockSpecs(_) | Listing::StockChanges => "data",
        }
    }

    /// Where the rows go in the answer: nested in `data` under [`Listing::list_key`], or as
    /// `data` itself with the total beside it.
    pub fn page_shape(self) -> PageShape {
        match self {
            Listing::StockSpecs(_) => PageShape::TotalBeside,
            _ => PageShape::Nested,
        }
    }

    /// Whether the page shows the optional field group `group` (a listing's fields outside any
    /// group are always shown; only `wms.StockSpec.search` has groups, [`stock::StockExtras`]).
    pub fn shows(self, group: &str) -> bool {
        match self {
            Listing::StockSpecs(extras) => extras.shows(group),
            _ => true,
        }
    }
}

/// How a method's window is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowRule {
    /// Whether a query without both ends is refused ([`WINDOW_REQUIRED`]); otherwise a query
    /// without either end reads every time, and one with a single end is still refused.
    pub required: bool,
    /// The most calendar days (Shanghai) between start and end; `None` = unbounded.
    pub max_days: Option<i64>,
}

impl WindowRule {
    /// Both ends required, at most `days` calendar days apart.
    pub const fn required(days: i64) -> WindowRule {
        WindowRule { required: true, max_days: Some(days) }
    }

    /// Both ends or neither; when given, at most `days` calendar days apart (`None`: any span).
    pub const fn optional(max_days: Option<i64>) -> WindowRule {
        WindowRule { required: false, max_days }
    }
}

/// A checked window: epoch milliseconds, both ends included (the end's whole second).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Start, inclusive.
    pub start_ms: i64,
    /// End, inclusive.
    pub end_ms: i64,
}

/// The refusal of a window wider than `days` calendar days.
pub fn window_too_wide(days: i64) -> ApiError {
    ApiError::business(format!("您的查询时间过宽,查询时间不能大于{days}天"))
}

fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// Checks `start_time` / `end_time` against `rule`: `None` when neither is given and the rule
/// allows it.
pub fn check_window(start: Option<&str>, end: Option<&str>, rule: WindowRule) -> Result<Option<Window>, ApiError> {
    let (start, end) = match (present(start), present(end)) {
        (None, None) if !rule.required => return Ok(None),
        (Some(start), Some(end)) => (start, end),
        _ => return Err(ApiError::business(WINDOW_REQUIRED)),
    };
    let start_ms = parse_wire_time(start).map_err(|e| ApiError::business(format!("start_time: {e}")))?;
    let end_second = parse_wire_time(end).map_err(|e| ApiError::business(format!("end_time: {e}")))?;
    if end_second < start_ms {
        return Err(ApiError::business(format!("结束时间不能早于开始时间 start_time: {start} end_time: {end}")));
    }
    if let Some(days) = rule.max_days
        && (shanghai_day(end_second) - shanghai_day(start_ms)).whole_days() > days
    {
        return Err(window_too_wide(days));
    }
    Ok(Some(Window { start_ms, end_ms: end_second + 999 }))
}

/// The value a [`Filter`] compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterValue {
    /// Equal to this text.
    Text(String),
    /// One of these texts (never empty: an empty list is no filter).
    Texts(Vec<String>),
    /// Equal to this integer.
    Int(i64),
    /// One of these integers (never empty).
    Ints(Vec<i64>),
    /// A flag column equal to this.
    Flag(bool),
    /// The text column starts with this (a `LIKE 'x%'` prefix match, wildcards escaped).
    Prefix(String),
}

/// One condition on a listing's column, named by the key the store maps to a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The listing's name for the column (`warehouse_no`, `status`, …).
    pub key: &'static str,
    /// What it must hold.
    pub value: FilterValue,
}

/// A checked read: everything the store needs to answer one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadQuery {
    /// What is read.
    pub listing: Listing,
    /// The listing's name of the time column the rows are ordered by (`modified`, …), then by id.
    pub order_key: &'static str,
    /// Windows on the listing's time columns (key, window); a row is in all of them.
    pub windows: Vec<(&'static str, Window)>,
    /// Conditions, all of which a row meets.
    pub filters: Vec<Filter>,
    /// Which page.
    pub pager: Pager,
    /// The caller's scope; rows outside it are never returned.
    pub scope: Scope,
    /// Serve from the read replica when one is configured (`is_slave`).
    pub from_replica: bool,
}

impl ReadQuery {
    /// A read of `listing` ordered by `order_key`, with no window, filter or scope yet.
    pub fn new(listing: Listing, order_key: &'static str, pager: Pager, scope: &Scope) -> ReadQuery {
        ReadQuery {
            listing,
            order_key,
            windows: Vec::new(),
            filters: Vec::new(),
            pager,
            scope: scope.clone(),
            from_replica: false,
        }
    }

    /// Adds `key = value` when the text is given (not blank).
    pub fn text(mut self, key: &'static str, value: Option<&str>) -> Self {
        if let Some(v) = present(value) {
            self.filters.push(Filter { key, value: FilterValue::Text(v.to_owned()) });
        }
        self
    }

    /// Adds `key` starts-with `value` when the text is given.
    pub fn prefix(mut self, key: &'static str, value: Option<&str>) -> Self {
        if let Some(v) = present(value) {
            self.filters.push(Filter { key, value: FilterValue::Prefix(v.to_owned()) });
        }
        self
    }

    /// Adds `key` in the comma list `value`, when it names anything.
    pub fn text_list(mut self, key: &'static str, value: Option<&str>) -> Self {
        let list: Vec<String> = present(value)
            .map(|l| l.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        if !list.is_empty() {
            self.filters.push(Filter { key, value: FilterValue::Texts(list) });
        }
        self
    }

    /// Adds `key = value` when given.
    pub fn int(mut self, key: &'static str, value: Option<i64>) -> Self {
        if let Some(v) = value {
            self.filters.push(Filter { key, value: FilterValue::Int(v) });
        }
        self
    }

    /// Adds the flag `key = value` when given.
    pub fn flag(mut self, key: &'static str, value: Option<bool>) -> Self {
        if let Some(v) = value {
            self.filters.push(Filter { key, value: FilterValue::Flag(v) });
        }
        self
    }

    /// Adds `key` in `values` when it is not empty.
    pub fn ints(mut self, key: &'static str, values: Vec<i64>) -> Self {
        if !values.is_empty() {
            self.filters.push(Filter { key, value: FilterValue::Ints(values) });
        }
        self
    }

    /// Adds a window on the time column `key`, when there is one.
    pub fn window(mut self, key: &'static str, window: Option<Window>) -> Self {
        if let Some(w) = window {
            self.windows.push((key, w));
        }
        self
    }

    /// Serves from the read replica.
    pub fn replica(mut self, from_replica: bool) -> Self {
        self.from_replica = from_replica;
        self
    }

    /// Refuses a warehouse the key may not use as unknown (out of scope answers as absent).
    pub fn warehouse_in_scope(self, warehouse_no: Option<&str>) -> Result<Self, ApiError> {
        match present(warehouse_no) {
            Some(w) if !self.scope.allows_warehouse(w) => Err(crate::query::unknown_warehouse(w)),
            _ => Ok(self),
        }
    }

    /// Rows to skip before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.pager.page_no) * u64::from(self.pager.page_size)
    }
}

/// A warehouse a query names, to be looked up before the query runs: the vendor refuses an
/// unknown one (`仓库不存在 仓库编号: …`) instead of answering an empty page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarehouseProbe {
    /// The warehouse number the query names.
    pub warehouse_no: String,
    /// A read of that warehouse (disabled ones included): no row means unknown.
    pub query: ReadQuery,
}

impl WarehouseProbe {
    /// The refusal when the probe finds nothing; the same as for a warehouse out of scope.
    pub fn unknown(&self) -> ApiError {
        crate::query::unknown_warehouse(&self.warehouse_no)
    }
}

/// The probes a query needs: one per warehouse it names, when it reads stock, the ledger or
/// purchase orders (those pages refuse a warehouse that does not exist).
pub fn warehouse_probes(q: &ReadQuery) -> Vec<WarehouseProbe> {
    if !matches!(q.listing, Listing::StockSpecs(_) | Listing::StockChanges | Listing::PurchaseOrders) {
        return Vec::new();
    }
    let pager = Pager { page_size: 1, page_no: 0, calc_total: false };
    q.filters
        .iter()
        .filter_map(|f| match (f.key, &f.value) {
            ("warehouse_no" | "receive_warehouse_no", FilterValue::Text(no)) => Some(no.clone()),
            _ => None,
        })
        .map(|warehouse_no| {
            let query =
                ReadQuery::new(Listing::Warehouses, "id", pager, &q.scope).text("warehouse_no", Some(&warehouse_no));
            WarehouseProbe { warehouse_no, query }
        })
        .collect()
}

/// Reads a comma list of integer codes (`status`, `type`), refusing anything else with
/// `<field>应该是由逗号分隔开的整数数组 <field>: <value>`.
pub fn int_list(field: &str, value: Option<&str>) -> Result<Vec<i64>, ApiError> {
    let Some(list) = present(value) else { return Ok(Vec::new()) };
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|part| {
            part.parse().map_err(|_| ApiError::business(format!("{field}应该是由逗号分隔开的整数数组 {field}: {list}")))
        })
        .collect()
}

/// Checks that a flag-like integer parameter is 0 or 1.
pub fn flag(field: &str, value: Option<i64>) -> Result<Option<bool>, ApiError> {
    match value {
        None => Ok(None),
        Some(0) => Ok(Some(false)),
        Some(1) => Ok(Some(true)),
        Some(other) => Err(ApiError::business(format!("取值不合法(0/1) {field}: {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: &str = "2020-01-01 00:00:00";

    #[test]
    fn window_rules() {
        let required = WindowRule::required(30);
        let optional = WindowRule::optional(None);
        type Case<'a> = (Option<&'a str>, Option<&'a str>, WindowRule, Result<bool, &'a str>);
        let cases: &[Case] = &[
            (Some(DAY), Some("2020-01-31 23:59:59"), required, Ok(true)),
            (Some(DAY), Some("2020-02-01 00:00:00"), required, Err("不能大于30天")),
            (None, None, required, Err(WINDOW_REQUIRED)),
            (None, None, optional, Ok(false)),
            (Some(DAY), None, optional, Err(WINDOW_REQUIRED)),
            (Some(" "), Some(DAY), optional, Err(WINDOW_REQUIRED)),
            (Some(DAY), Some("2030-01-01 00:00:00"), optional, Ok(true)),
            (Some("2020-01-02 00:00:00"), Some(DAY), optional, Err("结束时间不能早于开始时间")),
            (Some("2020/01/01"), Some(DAY), optional, Err("start_time: Unparseable date: 2020/01/01")),
        ];
        for (start, end, rule, want) in cases {
            let got = check_window(*start, *end, *rule).map(|w| w.is_some()).map_err(|e| e.to_string());
            match (want, &got) {
                (Ok(w), Ok(g)) => assert_eq!(w, g, "{start:?}..{end:?}"),
                (Err(w), Err(g)) => assert!(g.contains(w), "{start:?}..{end:?}: {g}"),
                _ => panic!("{start:?}..{end:?}: want {want:?}, got {got:?}"),
            }
        }
        let w = check_window(Some(DAY), Some(DAY), required).unwrap().unwrap();
        assert_eq!(w.end_ms - w.start_ms, 999, "the end second is included whole");
    }

    #[test]
    fn filters_are_added_only_when_given() {
        let pager = Pager { page_size: 10, page_no: 2, calc_total: false };
        let q = ReadQuery::new(Listing::Shops, "modified", pager, &Scope::default())
            .text("shop_no", Some(" S1 "))
            .text("shop_name", Some(""))
            .text_list("platform", Some("1,,2 "))
            .int("x", None)
            .ints("y", vec![]);
        assert_eq!(
            q.filters,
            vec![
                Filter { key: "shop_no", value: FilterValue::Text("S1".into()) },
                Filter { key: "platform", value: FilterValue::Texts(vec!["1".into(), "2".into()]) },
            ]
        );
        assert_eq!(q.offset(), 20);
    }

    #[test]
    fn lists_and_flags() {
        assert_eq!(int_list("status", Some("10, 20")).unwrap(), vec![10, 20]);
        assert_eq!(int_list("status", None).unwrap(), Vec::<i64>::new());
        assert!(
            int_list("status", Some("10,x")).unwrap_err().to_string().contains("status应该是由逗号分隔开的整数数组")
        );
        assert_eq!(flag("hide_delete", Some(1)).unwrap(), Some(true));
        assert!(flag("hide_delete", Some(2)).unwrap_err().to_string().contains("hide_delete: 2"));
    }

    #[test]
    fn an_out_of_scope_warehouse_answers_as_unknown() {
        let scope = Scope { warehouses: Some(vec!["W2".into()]), shops: None };
        let pager = Pager { page_size: 10, page_no: 0, calc_total: false };
        let q = ReadQuery::new(Listing::Warehouses, "modified", pager, &scope);
        let refused = q.clone().warehouse_in_scope(Some("W1")).unwrap_err().to_string();
        assert_eq!(refused, crate::query::unknown_warehouse("W1").to_string());
        assert!(q.warehouse_in_scope(Some("W2")).is_ok());
    }
}
