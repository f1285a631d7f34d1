//! The stock queries' parameters as checked reads: `wms.StockSpec.search` (stock per warehouse ×
//! spec × defect flag) and `wms.StockSpec.queryChangeHistory` (the stock ledger). Both are
//! warehouse-scoped (仓库权限): a key limited to some warehouses reads only their rows, and
//! naming another warehouse answers as naming an unknown one.

use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::stock::{StockChangeQuery, StockSpecQuery};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{parse_wire_time, shanghai_day};

use super::{Filter, FilterValue, Listing, ReadQuery, WindowRule, check_window, window_too_wide};
use crate::model::{LedgerDocType, Scope};

/// The field group of `StockSpec.search`'s sales statistics (`mask` 1 or 3).
pub const SALES_FIELDS: &str = "sales";
/// The field group of `StockSpec.search`'s cost price (`mask` 2 or 3).
pub const COST_FIELDS: &str = "cost";
/// The field group of `StockSpec.search`'s alarm settings (`need_alarm_info` 1).
pub const ALARM_FIELDS: &str = "alarm";

/// The optional field groups a `StockSpec.search` call asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StockExtras {
    /// 销量统计数据 (`mask` bit 1).
    pub sales: bool,
    /// 成本价数据 (`mask` bit 2).
    pub cost: bool,
    /// 警戒相关 (`need_alarm_info` 1).
    pub alarm: bool,
}

impl StockExtras {
    /// From the call's `mask` (0–3, absent 0) and `need_alarm_info` (0/1, absent 0).
    pub fn of(mask: Option<i64>, need_alarm_info: Option<i64>) -> StockExtras {
        let mask = mask.unwrap_or(0);
        StockExtras { sales: mask & 1 != 0, cost: mask & 2 != 0, alarm: need_alarm_info == Some(1) }
    }

    /// Whether the field group `group` is shown; names other than the three groups are always
    /// shown.
    pub fn shows(self, group: &str) -> bool {
        match group {
            SALES_FIELDS => self.sales,
            COST_FIELDS => self.cost,
            ALARM_FIELDS => self.alarm,
            _ => true,
        }
    }
}

/// The `src_order_type` (操作) the ledger's page shows for a ledger row of `doc` that moved stock
/// in (`inbound`) or out: 1 销售出库, 4 盘点单, 12 退货入库, 14 采购退货出库, and an opening
/// balance as 33 初始化入库 / 34 初始化出库.
pub const fn vendor_order_type(doc: LedgerDocType, inbound: bool) -> i64 {
    match doc {
        LedgerDocType::Opening if inbound => 33,
        LedgerDocType::Opening => 34,
        LedgerDocType::RefundStockin => 12,
        LedgerDocType::PurchaseReturn => 14,
        LedgerDocType::SalesStockout => 1,
        LedgerDocType::StockCount => 4,
    }
}

/// The refusal of a ledger window over an hour without a `spec_no` (the page's own example).
pub const HOUR_WITHOUT_SPEC: &str = "您的查询时间过宽,不传商家编码,查询时间不能大于1小时";

/// The longest ledger window without a `spec_no`: an hour.
pub const MAX_MS_WITHOUT_SPEC: i64 = 3_600_000;

/// The most calendar days of either stock query's window (with a `spec_no` for the ledger).
pub const MAX_DAYS: i64 = 30;

fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// `wms.StockSpec.search`: rows of warehouse × spec × defect flag whose stock last changed in
/// the window (`start_time`/`end_time`, at most 30 days; both may be empty when `spec_nos` names
/// specs), in (last change, id) order.
pub fn stock_specs(p: &StockSpecQuery, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let spec_nos: Vec<String> =
        p.spec_nos.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let rule = if spec_nos.is_empty() { WindowRule::required(MAX_DAYS) } else { WindowRule::optional(Some(MAX_DAYS)) };
    let window = check_window(p.start_time.as_deref(), p.end_time.as_deref(), rule)?;
    let extras = StockExtras::of(p.mask, p.need_alarm_info);
    let mut q = ReadQuery::new(Listing::StockSpecs(extras), "modified", pager, scope)
        .warehouse_in_scope(p.warehouse_no.as_deref())?
        .text("warehouse_no", p.warehouse_no.as_deref())
        .window("modified", window);
    if !spec_nos.is_empty() {
        q.filters.push(Filter { key: "spec_no", value: FilterValue::Texts(spec_nos) });
    }
    Ok(q)
}

/// `wms.StockSpec.queryChangeHistory`: the ledger rows written in the window (`start_date`/
/// `end_date`, both required; at most 30 days with `spec_no`, an hour without), of good stock
/// unless `defect` is true, in (time, id) order.
pub fn stock_changes(p: &StockChangeQuery, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let (Some(start), Some(end)) = (present(p.start_date.as_deref()), present(p.end_date.as_deref())) else {
        return Err(ApiError::business(super::WINDOW_REQUIRED));
    };
    let start_ms = parse_wire_time(start).map_err(|e| ApiError::business(format!("start_date: {e}")))?;
    let end_second = parse_wire_time(end).map_err(|e| ApiError::business(format!("end_date: {e}")))?;
    if end_second < start_ms {
        return Err(ApiError::business(format!("结束时间不能早于开始时间 start_date: {start} end_date: {end}")));
    }
    let spec_no = present(p.spec_no.as_deref());
    match spec_no {
        Some(_) if (shanghai_day(end_second) - shanghai_day(start_ms)).whole_days() > MAX_DAYS => {
            return Err(window_too_wide(MAX_DAYS));
        }
        None if end_second - start_ms > MAX_MS_WITHOUT_SPEC => return Err(ApiError::business(HOUR_WITHOUT_SPEC)),
        _ => {}
    }
    // Both ends checked above: the shared check only builds the window.
    let window = check_window(Some(start), Some(end), WindowRule::optional(None))?;
    ReadQuery::new(Listing::StockChanges, "created", pager, scope).warehouse_in_scope(p.warehouse_no.as_deref()).map(
        |q| {
            q.text("warehouse_no", p.warehouse_no.as_deref())
                .text("spec_no", spec_no)
                .int("type", p.kind)
                .flag("defect", Some(p.defect.unwrap_or(false)))
                .window("created", window)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Coded;
    use crate::reads::warehouse_probes;

    const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

    fn search(p: serde_json::Value) -> Result<ReadQuery, String> {
        let p: StockSpecQuery = serde_json::from_value(p).unwrap();
        stock_specs(&p, PAGER, &Scope::default()).map_err(|e| e.to_string())
    }

    fn changes(p: serde_json::Value) -> Result<ReadQuery, String> {
        let p: StockChangeQuery = serde_json::from_value(p).unwrap();
        stock_changes(&p, PAGER, &Scope::default()).map_err(|e| e.to_string())
    }

    /// (params, `Ok(number of windows)` or the refusal's text).
    #[test]
    fn windows_follow_each_page() {
        let cases: &[(serde_json::Value, Result<usize, &str>)] = &[
            (serde_json::json!({"start_time": "2020-01-01 00:00:00", "end_time": "2020-01-31 23:59:59"}), Ok(1)),
            (serde_json::json!({"start_time": "2020-01-01 00:00:00", "end_time": "2020-02-01 00:00:00"}), Err("30天")),
            (serde_json::json!({}), Err(crate::reads::WINDOW_REQUIRED)),
            (serde_json::json!({"spec_nos": ["MUG-RED"]}), Ok(0)),
            (serde_json::json!({"spec_nos": [" "]}), Err(crate::reads::WINDOW_REQUIRED)),
            (serde_json::json!({"spec_nos": ["A"], "start_time": "2020-01-01 00:00:00"}), Err("起止时间")),
        ];
        for (p, want) in cases {
            let got = search(p.clone()).map(|q| q.windows.len());
            match (want, &got) {
                (Ok(w), Ok(g)) => assert_eq!(w, g, "{p}"),
                (Err(w), Err(g)) => assert!(g.contains(w), "{p}: {g}"),
                _ => panic!("{p}: want {want:?}, got {got:?}"),
            }
        }
        let start = "2020-01-01 00:00:00";
        let cases: &[(serde_json::Value, Result<usize, &str>)] = &[
            (serde_json::json!({"start_date": start, "end_date": "2020-01-01 01:00:00"}), Ok(1)),
            (serde_json::json!({"start_date": start, "end_date": "2020-01-01 01:00:01"}), Err(HOUR_WITHOUT_SPEC)),
            (serde_json::json!({"start_date": start, "end_date": "2020-01-31 00:00:00", "spec_no": "A"}), Ok(1)),
            (serde_json::json!({"start_date": start, "end_date": "2020-02-01 00:00:00", "spec_no": "A"}), Err("30天")),
            (
                serde_json::json!({"start_date": "2020-01-02 00:00:00", "end_date": start}),
                Err("start_date: 2020-01-02"),
            ),
            (serde_json::json!({"start_date": "2020/01/01", "end_date": start}), Err("start_date: Unparseable")),
            (serde_json::json!({"start_date": start, "end_date": "x"}), Err("end_date: Unparseable date: x")),
            (serde_json::json!({"end_date": start}), Err(crate::reads::WINDOW_REQUIRED)),
        ];
        for (p, want) in cases {
            let got = changes(p.clone()).map(|q| q.windows.len());
            match (want, &got) {
                (Ok(w), Ok(g)) => assert_eq!(w, g, "{p}"),
                (Err(w), Err(g)) => assert!(g.contains(w), "{p}: {g}"),
                _ => panic!("{p}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn the_ledger_reads_good_stock_unless_asked() {
        let base = serde_json::json!({"start_date": "2020-01-01 00:00:00", "end_date": "2020-01-01 00:10:00"});
        let good = Filter { key: "defect", value: FilterValue::Flag(false) };
        assert!(changes(base.clone()).unwrap().filters.contains(&good));
        let mut defect = base.clone();
        defect["defect"] = serde_json::json!(true);
        let q = changes(defect).unwrap();
        assert!(q.filters.contains(&Filter { key: "defect", value: FilterValue::Flag(true) }));
        let mut typed = base;
        typed["type"] = serde_json::json!(2);
        assert!(changes(typed).unwrap().filters.contains(&Filter { key: "type", value: FilterValue::Int(2) }));
    }

    #[test]
    fn masks_choose_the_field_groups() {
        let cases = [(None, None, [false, false, false]), (Some(1), None, [true, false, false])];
        let more = [(Some(2), Some(0), [false, true, false]), (Some(3), Some(1), [true, true, true])];
        for (mask, alarm, want) in cases.into_iter().chain(more) {
            let x = StockExtras::of(mask, alarm);
            assert_eq!([x.shows(SALES_FIELDS), x.shows(COST_FIELDS), x.shows(ALARM_FIELDS)], want, "{mask:?}");
            assert!(x.shows("anything else"));
        }
        let q = search(serde_json::json!({"spec_nos": ["A"], "mask": 2})).unwrap();
        assert!(q.listing.shows(COST_FIELDS) && !q.listing.shows(SALES_FIELDS));
        assert_eq!(q.listing.page_shape(), crate::reads::PageShape::TotalBeside);
        assert_eq!(Listing::StockChanges.page_shape(), crate::reads::PageShape::Nested);
    }

    #[test]
    fn every_ledger_document_has_a_vendor_type() {
        for doc in LedgerDocType::ALL {
            let (inbound, outbound) = (vendor_order_type(*doc, true), vendor_order_type(*doc, false));
            assert!(inbound > 0 && outbound > 0, "{doc:?}");
        }
        assert_eq!(vendor_order_type(LedgerDocType::RefundStockin, true), 12);
        assert_eq!(vendor_order_type(LedgerDocType::PurchaseReturn, false), 14);
        assert_eq!(vendor_order_type(LedgerDocType::Opening, false), 34);
    }

    #[test]
    fn scope_and_the_warehouse_probe() {
        let scope = Scope { warehouses: Some(vec!["WH2".into()]), shops: None };
        let p = StockSpecQuery { warehouse_no: Some("WH1".into()), spec_nos: vec!["A".into()], ..Default::default() };
        let refused = stock_specs(&p, PAGER, &scope).unwrap_err().to_string();
        assert_eq!(refused, crate::query::unknown_warehouse("WH1").to_string());
        let p = StockSpecQuery { warehouse_no: Some("WH2".into()), ..p };
        let q = stock_specs(&p, PAGER, &scope).unwrap();
        let probes = warehouse_probes(&q);
        assert_eq!(probes.len(), 1, "a named warehouse is looked up");
        let probe = &probes[0];
        assert_eq!(probe.query.listing, Listing::Warehouses);
        assert_eq!(probe.query.filters, vec![Filter { key: "warehouse_no", value: FilterValue::Text("WH2".into()) }]);
        assert_eq!(probe.unknown().to_string(), crate::query::unknown_warehouse("WH2").to_string());
        let p = StockSpecQuery { warehouse_no: None, ..p };
        assert!(warehouse_probes(&stock_specs(&p, PAGER, &scope).unwrap()).is_empty());
    }
}
