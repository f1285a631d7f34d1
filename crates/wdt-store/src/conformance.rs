//! The behaviour every backend must show, as one suite. A backend's tests call
//! [`run_all`] with a factory of fresh, empty stores.

use std::future::Future;
use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::model::StockinStatus;
use wdt_domain::refund_stockin::{QJB_FIELDS, ReturnLine, ReturnStockin};
use wdt_protocol::{Dec4, Dialect};

use crate::{AppCredential, AppLookup, StockinCreated, Store, StoreError, WriteBatchStats};

/// The fixture of SPEC.md §6, verbatim.
pub const SPEC_EXAMPLE_FIXTURE: &str = include_str!("../../../fixtures/spec-example.json");

/// The SPEC.md §6 fixture with its refund order TK1 (and the trade item behind it) for `units`
/// units of MUG-RED instead of 2.
pub fn spec_example_with_refund_of(units: &str) -> Fixture {
    let mut fixture = Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("the SPEC.md example fixture");
    let units: Dec4 = units.parse().expect("a quantity");
    fixture.trades[0].items[0].num = units;
    fixture.refund_orders[0].items[0].refund_num = units;
    fixture
}

/// Pushes `cmd` from a task of its own, so several can wait on the same batch.
pub fn spawn_stockin<S: Store + ?Sized + 'static>(
    store: &Arc<S>,
    app: &AppCredential,
    cmd: ReturnStockin,
) -> tokio::task::JoinHandle<crate::StoreResult<StockinCreated>> {
    let (store, app) = (Arc::clone(store), app.clone());
    tokio::spawn(async move { store.create_return_stockin(&app, &cmd).await })
}

/// Waits (up to 5 s) until the store's batching writer's figures satisfy `ready`; panics naming
/// `what` otherwise, or if the store does not batch.
pub async fn wait_for_batches<S: Store + ?Sized>(store: &Arc<S>, what: &str, ready: impl Fn(WriteBatchStats) -> bool) {
    for _ in 0..2500 {
        if ready(store.write_batches().expect("a store that batches writes")) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    panic!("never {what}: {:?}", store.write_batches());
}

/// The day's sequence part of a stock-in number: its last four digits ("0001").
pub fn order_seq(created: &StockinCreated) -> String {
    created.order_no[created.order_no.len() - 4..].to_owned()
}

/// A checked return stock-in of `num` MUG-RED into WH1 against the SPEC.md §6 fixture's refund
/// order TK1, with outer number `outer_no`.
pub fn spec_example_receipt(outer_no: &str, num: i64) -> ReturnStockin {
    ReturnStockin {
        refund_no: "TK1".into(),
        outer_no: Some(outer_no.into()),
        warehouse_no: "WH1".into(),
        logistics_code: None,
        logistics_no: String::new(),
        remark: String::new(),
        post_fee: Dec4::ZERO,
        other_fee: Dec4::ZERO,
        status: StockinStatus::Completed,
        create_batches: false,
        lines: vec![ReturnLine {
            spec_no: "MUG-RED".into(),
            num: Dec4::from_int(num).expect("a quantity"),
            ..ReturnLine::default()
        }],
        fields: QJB_FIELDS,
    }
}

/// Runs every conformance check, each against a fresh store from `fresh`.
pub async fn run_all<F, Fut>(mut fresh: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Arc<dyn Store>>,
{
    import_twice_changes_nothing(fresh().await).await;
    finds_credentials_by_sid_dialect_and_key(fresh().await).await;
    a_bad_reference_loads_nothing(fresh().await).await;
    verify_passes_after_import(fresh().await).await;
}

fn spec_example() -> Fixture {
    Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("the SPEC example fixture parses")
}

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
