//! Loading fixtures and finding credentials.

use std::sync::Arc;

use wdt_protocol::Dialect;

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
