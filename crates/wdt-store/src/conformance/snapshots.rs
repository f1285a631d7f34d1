//! Test mode's state controls (SPEC.md §11): a snapshot restored is the state it was taken at,
//! credentials, document numbers and ids included; reset empties every seller and loads a
//! fixture in the same transaction.

use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::operations::{Action, Operation, RefusalKind, StockCount};
use wdt_protocol::Dialect;

use super::{DEMO, DEMO_FIXTURE, Demo, SPEC_EXAMPLE_FIXTURE, assert_verified, line, receipt};
use crate::{AppLookup, AuditFilter, DocumentFilter, Store, StoreError};

/// Everything the demo seller holds, audit rows included.
async fn everything(demo: &Demo) -> String {
    let audit = demo.store.audit(&AuditFilter { limit: 10_000, ..AuditFilter::default() }).await.expect("audit");
    format!(
        "{}{audit:?}\n{:?}",
        demo.snapshot().await,
        demo.store.list_trades(&DocumentFilter::seller(DEMO, 1000)).await.expect("trades")
    )
}

/// Take, write a hundred things (pushes, a count, a review), restore: the state is the snapshot's, `verify` passes, the
/// next push gets the number and id the first push after the snapshot got.
pub async fn a_restored_snapshot_is_the_state_it_was_taken_at(store: Arc<dyn Store>) {
    let demo = Demo::load(store, &super::demo_with_refunds_times(100)).await;
    let taken = demo.store.take_snapshot("before-test").await.expect("snapshot");
    assert!(taken.rows > 50, "{taken:?}");
    let before = everything(&demo).await;

    let push = receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "1")]);
    let first = demo.store.create_return_stockin(&demo.app, &push).await.expect("a push");
    for _ in 0..97 {
        demo.store.create_return_stockin(&demo.app, &push).await.expect("a push");
    }
    let count = StockCount {
        warehouse_no: "WH1".into(),
        spec_no: "MILK-1L".into(),
        defect: false,
        batch_no: Some("B2601".into()),
        position_no: None,
        num: super::d("40"),
    };
    demo.store.act("tester", &Action { sid: DEMO.into(), op: Operation::AdjustStock(count) }).await.expect("counted");
    let review = Operation::ReviewRefundOrder { refund_no: "TK-DEMO-4".into() };
    demo.store.act("tester", &Action { sid: DEMO.into(), op: review }).await.expect("reviewed");
    assert_ne!(everything(&demo).await, before);

    let restored = demo.store.restore_snapshot("before-test").await.expect("restored");
    assert_eq!(restored, taken);
    assert_eq!(everything(&demo).await, before, "the state is the snapshot's");
    assert_verified(&*demo.store).await;
    let again = demo.store.create_return_stockin(&demo.app, &push).await.expect("a push after the restore");
    assert_eq!(again, first, "the same number and id as the first push after the snapshot");

    // A snapshot can be restored again and again; taking one under the same name replaces it.
    demo.store.restore_snapshot("before-test").await.expect("restored twice");
    assert_eq!(everything(&demo).await, before);
    demo.store.create_return_stockin(&demo.app, &push).await.expect("a push");
    let retaken = demo.store.take_snapshot("before-test").await.expect("replaced");
    assert_eq!(demo.store.list_snapshots().await.expect("list"), vec![retaken]);
    assert!(demo.store.drop_snapshot("before-test").await.expect("dropped"));
    assert!(!demo.store.drop_snapshot("before-test").await.expect("dropped already"));
    match demo.store.restore_snapshot("before-test").await {
        Err(StoreError::Refused(r)) => {
            assert_eq!((r.kind, r.message.as_str()), (RefusalKind::NotFound, "快照不存在 name: before-test"))
        }
        other => panic!("restoring a dropped snapshot: {other:?}"),
    }
    match demo.store.take_snapshot("a b").await {
        Err(StoreError::Refused(r)) => assert_eq!((r.kind, r.field), (RefusalKind::Invalid, "name")),
        other => panic!("a snapshot name with a space: {other:?}"),
    }
}

/// Reset empties every seller's data, credentials included, and loads the fixture given in the
/// same transaction; a snapshot taken before survives it and brings the old state back.
pub async fn reset_empties_every_seller_and_loads_the_fixture(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let spec = Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("the SPEC example");
    demo.store.import_fixture(&spec).await.expect("a second seller");
    demo.store.take_snapshot("two-sellers").await.expect("snapshot");
    let before = everything(&demo).await;

    let summary = demo.store.reset(None).await.expect("reset");
    assert!(summary.is_noop());
    for sid in [DEMO, spec.sid.as_str()] {
        let found = demo.store.find_app(sid, Dialect::Qjb, "demo-qjb").await.expect("lookup");
        assert_eq!(found, AppLookup::UnknownSid, "{sid} is gone");
    }
    assert!(
        demo.store
            .list_trades(&DocumentFilter { limit: 10, ..DocumentFilter::default() })
            .await
            .expect("trades")
            .is_empty()
    );
    assert_verified(&*demo.store).await;

    let loaded = demo.store.reset(Some(&Fixture::parse(DEMO_FIXTURE).expect("demo"))).await.expect("reset");
    assert!(loaded.inserted > 0);
    assert!(matches!(demo.store.find_app(DEMO, Dialect::Qjb, "demo-qjb").await.expect("lookup"), AppLookup::Found(_)));
    assert_eq!(
        demo.store
            .list_trades(&DocumentFilter { limit: 100, ..DocumentFilter::default() })
            .await
            .expect("trades")
            .len(),
        8,
        "only the demo's trades"
    );

    demo.store.restore_snapshot("two-sellers").await.expect("restored");
    assert_eq!(everything(&demo).await, before);
    assert_verified(&*demo.store).await;
}
