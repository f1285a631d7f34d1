//! Loading fixtures and finding credentials.

use std::sync::Arc;

use wdt_protocol::{Dec4, Dialect};

use super::spec_example;
use crate::{AppLookup, Store, StoreError};

/// Importing a file twice: the second import writes nothing.
pub async fn import_twice_changes_nothing(store: Arc<dyn Store>) {
    let fixture = spec_example();
    let first = store.import_fixture(&fixture).await.expect("first import");
    assert!(first.inserted > 0, "first import inserts rows: {first:?}");
    let second = store.import_fixture(&fixture).await.expect("second import");
    assert!(second.is_noop(), "second import of the same file changes nothing: {second:?}");
}

/// Credentials are found by sid + dialect + key, and only so.
pub async fn finds_credentials_by_sid_dialect_and_key(store: Arc<dyn Store>) {
    store.import_fixture(&spec_example()).await.expect("import");
    match store.find_app("acme", Dialect::Qjb, "acme-qjb").await.expect("lookup") {
        AppLookup::Found(app) => {
            assert_eq!(app.secret, "s3cret");
            assert_eq!(app.salt, "salt9");
            assert_eq!(app.warehouses, Some(vec!["WH1".to_owned()]));
            assert_eq!(app.shops, None);
        }
        other => panic!("expected the qjb app, got {other:?}"),
    }
    match store.find_app("acme", Dialect::Openapi2, "acme-ent").await.expect("lookup") {
        AppLookup::Found(app) => assert_eq!(app.secret, "ent-secret"),
        other => panic!("expected the openapi2 app, got {other:?}"),
    }
    let cases = [
        ("nobody", Dialect::Qjb, "acme-qjb", AppLookup::UnknownSid),
        ("acme", Dialect::Qjb, "nokey", AppLookup::UnknownKey),
        // A qjb key is not an openapi2 appkey.
        ("acme", Dialect::Openapi2, "acme-qjb", AppLookup::UnknownKey),
    ];
    for (sid, dialect, key, expected) in cases {
        let got = store.find_app(sid, dialect, key).await.expect("lookup");
        assert_eq!(got, expected, "{sid}/{dialect:?}/{key}");
    }
}

/// A record pointing at something that exists nowhere is refused by path, and nothing loads.
pub async fn a_bad_reference_loads_nothing(store: Arc<dyn Store>) {
    let mut fixture = spec_example();
    fixture.stock[0].spec_no = "NO-SUCH-SPEC".to_owned();
    let err = store.import_fixture(&fixture).await.expect_err("unknown spec is refused");
    match err {
        StoreError::Fixture(e) => {
            assert_eq!(e.path, "stock[0].spec_no");
            assert!(e.message.contains("NO-SUCH-SPEC"), "{e}");
        }
        other => panic!("expected a fixture error, got {other:?}"),
    }
    let lookup = store.find_app("acme", Dialect::Qjb, "acme-qjb").await.expect("lookup");
    assert_eq!(lookup, AppLookup::UnknownSid, "nothing of the refused file was loaded");
}

/// After loading opening stock, stock equals the ledger and every invariant holds.
pub async fn verify_passes_after_import(store: Arc<dyn Store>) {
    store.import_fixture(&spec_example()).await.expect("import");
    let report = store.verify().await.expect("verify");
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.stock_lines, 1);
    assert_eq!(report.ledger_rows, 1);
    assert_eq!(report.refund_items, 1);
}

/// A second file adds only what is absent, taking its lines in file order: a stock line whose
/// row exists (in the store or earlier in the file) is skipped, the moving-average cost takes
/// each opened line in turn, and a repeated trade or refund order loads once. An oid another
/// trade has refuses the file by path, and nothing of it loads.
pub async fn a_second_file_adds_only_what_is_absent_in_file_order(store: Arc<dyn Store>) {
    let first = spec_example();
    store.import_fixture(&first).await.expect("first import");
    let mut second = first.clone();
    let opened = second.stock[0].clone();
    let stock_line = |position: &str, num: &str, cost: &str, defect: bool| {
        let mut line = opened.clone();
        (line.position_no, line.defect) = (Some(position.to_owned()), defect);
        (line.num, line.cost_price) = (num.parse().expect("num"), cost.parse().expect("cost"));
        line
    };
    second.stock = vec![
        stock_line("A-01", "5", "99", false),
        stock_line("A-02", "100", "20.50", false),
        stock_line("A-02", "7", "1", false),
        stock_line("A-02", "0", "0", true),
    ];
    let mut trade = first.trades[0].clone();
    (trade.tid, trade.customer_no, trade.items[0].oid) = ("T2".into(), String::new(), "T2-1".into());
    second.trades = vec![first.trades[0].clone(), trade.clone(), trade.clone()];
    let mut refund = first.refund_orders[0].clone();
    (refund.refund_no, refund.tid, refund.items[0].oid) = ("TK2".into(), "T2".into(), "T2-1".into());
    second.refund_orders = vec![first.refund_orders[0].clone(), refund.clone(), refund];

    let summary = store.import_fixture(&second).await.expect("second import");
    // Two stock rows, one trade with its item, one refund order with its item.
    assert_eq!((summary.inserted, summary.updated), (6, 0), "{summary:?}");
    let mut stock: Vec<_> = store
        .stock_of("acme", "MUG-RED")
        .await
        .expect("stock")
        .into_iter()
        .map(|l| (l.position_no, l.defect, l.num, l.cost_price))
        .collect();
    stock.sort();
    let dec = |v: &str| -> Dec4 { v.parse().expect("a decimal") };
    let line = |p: &str, d: bool, n: &str| (p.to_owned(), d, dec(n), dec("15.5"));
    // (100 × 10.50 + 100 × 20.50) / 200.
    assert_eq!(stock, [line("A-01", false, "100"), line("A-02", false, "100"), line("A-02", true, "0")]);
    let ledger = store.ledger_of("acme", "MUG-RED").await.expect("ledger");
    assert_eq!(ledger.len(), 2, "one opening row per line with a quantity: {ledger:?}");
    let refund = store.refund_order("acme", "TK2").await.expect("read").expect("TK2 loaded");
    assert_eq!(refund.items.len(), 1, "{refund:?}");
    assert!(store.trade("acme", "T2").await.expect("read").is_some());

    let mut third = second.clone();
    (trade.tid, trade.items[0].oid) = ("T3".into(), "T2-1".into());
    third.trades = vec![trade];
    match store.import_fixture(&third).await.expect_err("an oid of another trade is refused") {
        StoreError::Fixture(e) => assert_eq!(e.path, "trades[0].items[0].oid", "{e}"),
        other => panic!("expected a fixture error, got {other:?}"),
    }
    assert!(store.trade("acme", "T3").await.expect("read").is_none(), "nothing of the refused file loaded");
    let report = store.verify().await.expect("verify");
    assert!(report.is_ok(), "{:?}", report.problems);
}
