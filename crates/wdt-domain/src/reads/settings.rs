//! The master-data queries' parameters as checked reads.

use wdt_protocol::ApiError;
use wdt_protocol::methods::reads::settings::{LogisticsQuery, ProviderQuery, ShopQuery, WarehouseQuery};
use wdt_protocol::qjb::Pager;

use super::{Listing, ReadQuery, WindowRule, check_window};
use crate::model::Scope;

/// `setting.Warehouse.queryWarehouse`: an optional window on the modified time, with no limit on
/// its span (the page gives none); disabled warehouses hidden unless `hide_delete` is 0. A
/// warehouse the key may not see is left out, as one that does not exist (an empty page).
pub fn warehouses(p: &WarehouseQuery, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let window = check_window(p.start_time.as_deref(), p.end_time.as_deref(), WindowRule::optional(None))?;
    let q = ReadQuery::new(Listing::Warehouses, "modified", pager, scope)
        .text("warehouse_no", p.warehouse_no.as_deref())
        .text("name", p.warehouse_name.as_deref())
        .int("type", p.kind)
        .int("sub_type", p.sub_type)
        .window("modified", window);
    Ok(if p.hide_delete != Some(0) { q.flag("is_disabled", Some(false)) } else { q })
}

/// `setting.Shop.queryShop`: every shop the key may see, or the one named; in id order (the
/// page: no incremental reading).
pub fn shops(p: &ShopQuery, pager: Pager, scope: &Scope) -> ReadQuery {
    ReadQuery::new(Listing::Shops, "id", pager, scope)
        .text("shop_no", p.shop_no.as_deref())
        .int("platform_id", p.platform_id)
}

/// `setting.Logistics.queryLogistics`: in id order; disabled companies hidden unless
/// `hide_delete` is false.
pub fn logistics(p: &LogisticsQuery, pager: Pager, scope: &Scope) -> ReadQuery {
    let q = ReadQuery::new(Listing::Logistics, "id", pager, scope)
        .text("logistics_no", p.logistics_no.as_deref())
        .text("logistics_name", p.logistics_name.as_deref());
    if p.hide_delete != Some(false) { q.flag("is_disabled", Some(false)) } else { q }
}

/// `setting.PurchaseProvider.queryDetail`: optional windows on the creation and the modified
/// time (each both ends or neither, any span), in modified order.
pub fn providers(p: &ProviderQuery, pager: Pager, scope: &Scope) -> Result<ReadQuery, ApiError> {
    let created = check_window(p.created_begin.as_deref(), p.created_end.as_deref(), WindowRule::optional(None))?;
    let modified = check_window(p.modified_begin.as_deref(), p.modified_end.as_deref(), WindowRule::optional(None))?;
    Ok(ReadQuery::new(Listing::Providers, "modified", pager, scope)
        .text("provider_no", p.provider_no.as_deref())
        .text("provider_name", p.provider_name.as_deref())
        .text("telno", p.telno.as_deref())
        .text("mobile", p.mobile.as_deref())
        .text("description", p.description.as_deref())
        .text("contact", p.contact.as_deref())
        .flag("is_disabled", p.is_disabled.map(|d| d == 1))
        .int("deleted", p.deleted)
        .window("created", created)
        .window("modified", modified))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::{Filter, FilterValue};

    const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

    #[test]
    fn disabled_records_are_hidden_unless_asked_for() {
        let hidden = Filter { key: "is_disabled", value: FilterValue::Flag(false) };
        let scope = Scope::default();
        let q = warehouses(&WarehouseQuery::default(), PAGER, &scope).unwrap();
        assert!(q.filters.contains(&hidden));
        let all = WarehouseQuery { hide_delete: Some(0), ..WarehouseQuery::default() };
        assert!(!warehouses(&all, PAGER, &scope).unwrap().filters.contains(&hidden));
        assert!(logistics(&LogisticsQuery::default(), PAGER, &scope).filters.contains(&hidden));
        let all = LogisticsQuery { hide_delete: Some(false), ..LogisticsQuery::default() };
        assert!(!logistics(&all, PAGER, &scope).filters.contains(&hidden));
    }

    #[test]
    fn windows_need_both_ends() {
        let scope = Scope::default();
        let half = WarehouseQuery { start_time: Some("2020-01-01 00:00:00".into()), ..WarehouseQuery::default() };
        assert!(warehouses(&half, PAGER, &scope).unwrap_err().to_string().contains(super::super::WINDOW_REQUIRED));
        let p = ProviderQuery {
            created_begin: Some("2020-01-01 00:00:00".into()),
            created_end: Some("2021-06-01 00:00:00".into()),
            ..ProviderQuery::default()
        };
        let q = providers(&p, PAGER, &scope).unwrap();
        assert_eq!(q.windows.iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec!["created"], "a long span is fine");
    }

    #[test]
    fn a_warehouse_out_of_scope_is_looked_for_within_the_scope() {
        let scope = Scope { warehouses: Some(vec!["W2".into()]), shops: None };
        let p = WarehouseQuery { warehouse_no: Some("W1".into()), ..WarehouseQuery::default() };
        let q = warehouses(&p, PAGER, &scope).unwrap();
        assert_eq!(q.scope, scope, "the store applies the scope, so W1 matches nothing");
    }
}
