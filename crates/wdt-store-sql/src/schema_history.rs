//! Data as earlier schema versions stored it, for the backends' upgrade tests: a database is
//! migrated to an old version, given rows in that version's shape, then opened as a store, which
//! applies every later migration; the store must then answer as if it had written the rows itself.

use wdt_domain::model::Scope;
use wdt_domain::query::{StockinQuery, TimeField};
use wdt_store::Store;

/// The seller of [`FIRST_SCHEMA_ROWS`].
pub const SELLER: &str = "upgrade";

/// When the stock-ins of [`FIRST_SCHEMA_ROWS`] were last modified (epoch ms).
const MODIFIED_MS: i64 = 1_725_000_000_000;

/// Two checked return stock-ins as the first schema (0001) stored them, before a stock-in carried
/// its refund order's shop (0002): one of an own-platform shop, one of a 淘宝 shop, which the
/// query never shows. Plain `INSERT`s both databases take, with explicit ids.
pub const FIRST_SCHEMA_ROWS: &[&str] = &[
    "INSERT INTO sellers (id, sid, created_at) VALUES (901, 'upgrade', 0)",
    "INSERT INTO shops (id, sid, shop_no, shop_name, platform_id) VALUES \
     (901, 'upgrade', 'own', 'Own shop', 127), (902, 'upgrade', 'tb', 'Taobao shop', 1)",
    "INSERT INTO warehouses (id, sid, warehouse_no, name, kind, created, modified) VALUES \
     (901, 'upgrade', 'WH', 'Main', 'normal', 0, 0)",
    "INSERT INTO trades (id, sid, tid, shop_id, created) VALUES \
     (901, 'upgrade', 'T1', 901, 0), (902, 'upgrade', 'T2', 902, 0)",
    "INSERT INTO refund_orders (id, sid, refund_no, trade_id, shop_id, status, created, modified) VALUES \
     (901, 'upgrade', 'TK1', 901, 901, 30, 0, 0), (902, 'upgrade', 'TK2', 902, 902, 30, 0, 0)",
    "INSERT INTO stockin_orders (id, sid, order_no, refund_order_id, warehouse_id, status, created, modified, check_time) \
     VALUES (901, 'upgrade', 'RK1', 901, 901, 80, 1725000000000, 1725000000000, 1725000000000), \
            (902, 'upgrade', 'RK2', 902, 901, 80, 1725000000000, 1725000000000, 1725000000000)",
];

/// Asserts that `store`, opened over [`FIRST_SCHEMA_ROWS`], pages and counts them by both times,
/// hides the 淘宝 shop's stock-in, and passes `verify`.
pub async fn assert_first_schema_rows_upgraded(store: &dyn Store) {
    for time_field in [TimeField::Modified, TimeField::CheckTime] {
        let query = StockinQuery {
            time_field,
            start_ms: MODIFIED_MS - 1_000,
            end_ms: MODIFIED_MS + 1_000,
            warehouse_no: None,
            stockin_no: None,
            refund_no: None,
            shop_nos: Vec::new(),
            statuses: Vec::new(),
            need_sn: false,
            from_replica: false,
            page_size: 10,
            page_no: 0,
            calc_total: true,
            scope: Scope::default(),
            age: Default::default(),
        };
        let page = store.query_return_stockins(SELLER, &query).await.expect("query the upgraded store");
        let shown: Vec<(&str, &str, &str)> =
            page.order.iter().map(|o| (o.order_no.as_str(), o.refund_no.as_str(), o.shop_no.as_str())).collect();
        assert_eq!(shown, [("RK1", "TK1", "own")], "{time_field:?}");
        assert_eq!(page.total_count, Some(1), "{time_field:?}");
    }
    let report = store.verify().await.expect("verify the upgraded store");
    assert!(report.is_ok(), "{:?}", report.problems);
}
