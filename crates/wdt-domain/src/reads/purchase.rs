//! The purchase documents' queries as checked reads: `purchase.PurchaseReturn.queryWithDetail`
//! and `purchase.PurchaseOrder.queryWithDetail`. Both read by the documents' modified time, in
//! (modified, id) order, under the key's warehouse scope (the pages' 仓库权限).

use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::purchase::{PURCHASE_ORDER_STATUSES, PurchaseOrderQuery, PurchaseReturnQuery};
use wdt_protocol::qjb::Pager;

use super::{Listing, ReadQuery, Window, WindowRule, check_window, int_list};
use crate::model::Scope;

/// The window of a document query: both ends, at most 30 days apart, unless the document is
/// named by its number (the pages: 填写了单号则起止时间条件失效, so its times are not read).
fn document_window(number: Option<&str>, start: Option<&str>, end: Option<&str>) -> Result<Option<Window>, ApiError> {
    match number.map(str::trim).filter(|n| !n.is_empty()) {
        Some(_) => Ok(None),
        None => check_window(start, end, WindowRule::required(30)),
    }
}

/// Adds the document number: equal to it, or starting with it when `fuzzy_query` is true.
fn number(q: ReadQuery, key: &'static str, value: Option<&str>, fuzzy: Option<bool>) -> ReadQuery {
    if fuzzy == Some(true) { q.prefix(key, value) } else { q.text(key, value) }
}

/// `purchase.PurchaseReturn.queryWithDetail`.
pub fn purchase_returns(p: &PurchaseReturnQuery, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let window = document_window(p.return_no.as_deref(), p.start_time.as_deref(), p.end_time.as_deref())?;
    let q = ReadQuery::new(Listing::PurchaseReturns, "modified", pager, scope)
        .text("provider_no", p.provider_no.as_deref())
        .int("status", p.status)
        .window("modified", window);
    Ok(number(q, "return_no", p.return_no.as_deref(), p.fuzzy_query))
}

/// `purchase.PurchaseOrder.queryWithDetail`: `expect_warehouse_no` filters on the order's
/// expected warehouse, `receive_warehouse_no` on where it is received (the expected one unless
/// the order names another); each must exist and be in the key's scope.
pub fn purchase_orders(p: &PurchaseOrderQuery, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let window = document_window(p.purchase_no.as_deref(), p.start_time.as_deref(), p.end_time.as_deref())?;
    let statuses = int_list("status", p.status.as_deref())?;
    if let Some(bad) = statuses.iter().find(|s| !PURCHASE_ORDER_STATUSES.contains(s)) {
        let list: Vec<String> = PURCHASE_ORDER_STATUSES.iter().map(i64::to_string).collect();
        return Err(ApiError::business(format!("取值不合法({}) status: {bad}", list.join("/"))));
    }
    let q = ReadQuery::new(Listing::PurchaseOrders, "modified", pager, scope)
        .warehouse_in_scope(p.expect_warehouse_no.as_deref())?
        .warehouse_in_scope(p.receive_warehouse_no.as_deref())?
        .text("provider_no", p.provider_no.as_deref())
        .text("warehouse_no", p.expect_warehouse_no.as_deref())
        .text("receive_warehouse_no", p.receive_warehouse_no.as_deref())
        .int("stockin_status", p.stockin_status)
        .ints("status", statuses)
        .window("modified", window);
    Ok(number(q, "purchase_no", p.purchase_no.as_deref(), p.fuzzy_query))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::{Filter, FilterValue, WINDOW_REQUIRED};

    const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };
    const START: &str = "2020-01-01 00:00:00";

    fn refusal(r: Result<ReadQuery, ApiError>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn the_window_is_required_unless_the_number_is_given() {
        let scope = Scope::default();
        let none = PurchaseReturnQuery::default();
        assert!(refusal(purchase_returns(&none, PAGER, &scope)).contains(WINDOW_REQUIRED));
        let wide = PurchaseOrderQuery {
            start_time: Some(START.into()),
            end_time: Some("2020-02-01 00:00:00".into()),
            ..PurchaseOrderQuery::default()
        };
        assert!(refusal(purchase_orders(&wide, PAGER, &scope)).contains("查询时间不能大于30天"));
        let named = PurchaseOrderQuery { purchase_no: Some("CG-1".into()), ..wide };
        let q = purchase_orders(&named, PAGER, &scope).unwrap();
        assert!(q.windows.is_empty(), "the number overrides the window");
        assert!(q.filters.contains(&Filter { key: "purchase_no", value: FilterValue::Text("CG-1".into()) }));
        let fuzzy = PurchaseReturnQuery { return_no: Some("PR".into()), fuzzy_query: Some(true), ..none };
        let q = purchase_returns(&fuzzy, PAGER, &scope).unwrap();
        assert_eq!(q.filters, vec![Filter { key: "return_no", value: FilterValue::Prefix("PR".into()) }]);
    }

    #[test]
    fn statuses_and_warehouses() {
        let scope = Scope { warehouses: Some(vec!["WH2".into()]), shops: None };
        let base = PurchaseOrderQuery { purchase_no: Some("CG-1".into()), ..PurchaseOrderQuery::default() };
        let bad = PurchaseOrderQuery { status: Some("10,15".into()), ..base.clone() };
        assert!(refusal(purchase_orders(&bad, PAGER, &scope)).contains("status: 15"));
        let list = PurchaseOrderQuery { status: Some("10,x".into()), ..base.clone() };
        assert!(refusal(purchase_orders(&list, PAGER, &scope)).contains("status应该是由逗号分隔开的整数数组"));
        let out = PurchaseOrderQuery { receive_warehouse_no: Some("WH1".into()), ..base.clone() };
        assert_eq!(refusal(purchase_orders(&out, PAGER, &scope)), crate::query::unknown_warehouse("WH1").to_string());
        let ok = PurchaseOrderQuery { expect_warehouse_no: Some("WH2".into()), status: Some("20, 40".into()), ..base };
        let q = purchase_orders(&ok, PAGER, &scope).unwrap();
        assert!(q.filters.contains(&Filter { key: "status", value: FilterValue::Ints(vec![20, 40]) }));
        assert!(q.filters.contains(&Filter { key: "warehouse_no", value: FilterValue::Text("WH2".into()) }));
        let received = PurchaseOrderQuery { receive_warehouse_no: Some("WH2".into()), ..PurchaseOrderQuery::default() };
        let received =
            purchase_orders(&PurchaseOrderQuery { purchase_no: Some("CG1".into()), ..received }, PAGER, &scope);
        let filter = Filter { key: "receive_warehouse_no", value: FilterValue::Text("WH2".into()) };
        assert!(received.unwrap().filters.contains(&filter));
    }
}
