//! Group commit keeps each request whole: requests that share one transaction are committed or
//! refused one by one, each seeing the ones before it.

use std::sync::Arc;

use wdt_domain::refund_stockin::ReturnStockin;
use wdt_protocol::{Dec4, Dialect};
use wdt_store::conformance::batches::{self, Release};
use wdt_store::conformance::{
    order_seq as seq, spawn_stockin as push, spec_example_receipt as receive, spec_example_with_refund_of,
    wait_for_batches as wait_for,
};
use wdt_store::{AppCredential, AppLookup, Store, StoreError};
use wdt_store_sqlite::{SecretBox, SqliteSettings, SqliteStore, WriterSettings};

async fn store_with_refund_of(dir: &tempfile::TempDir, units: &str) -> (Arc<SqliteStore>, AppCredential) {
    let path = dir.path().join("group.db");
    let store = SqliteStore::open(path.to_str().unwrap(), &SqliteSettings::default(), SecretBox::ephemeral().unwrap())
        .await
        .unwrap();
    store.import_fixture(&spec_example_with_refund_of(units)).await.unwrap();
    let AppLookup::Found(app) = store.find_app("acme", Dialect::Qjb, "acme-qjb").await.unwrap() else {
        panic!("the fixture's app")
    };
    (Arc::new(store), app)
}

/// Waits until the writer has taken `n` requests in all.
async fn taken(store: &Arc<SqliteStore>, n: u64) {
    wait_for(store, &format!("took request {n}"), |w| w.requests == n).await;
}

/// Waits until `n` requests are queued for the writer.
async fn queued(store: &Arc<SqliteStore>, n: usize) {
    wait_for(store, &format!("{n} queued"), |w| w.queued == n).await;
}

/// Holds the database's write lock from another connection: the writer takes the first request
/// and waits in BEGIN IMMEDIATE while the next ones queue behind it, to form one batch.
async fn hold_writes(store: Arc<SqliteStore>) -> Release {
    let lock = store.backend().begin_write().await.unwrap();
    Release::new(async move { lock.commit().await.unwrap() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_inside_a_batch_leaves_its_neighbours_committed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("group.db"), WriterSettings::default()).await;
    batches::a_refusal_inside_a_batch_leaves_its_neighbours_committed(store.clone(), || hold_writes(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_pushes_share_transactions_and_all_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (store, app) = store_with_refund_of(&dir, "200").await;
    let before = store.write_batches().unwrap();
    let pushes: Vec<_> = (0..200).map(|i| push(&store, &app, receive(&format!("OUT-{i}"), 1))).collect();
    let mut numbers = Vec::new();
    for p in pushes {
        numbers.push(p.await.unwrap().expect("every push is received").order_no);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 200, "distinct order numbers");
    let after = store.write_batches().unwrap();
    assert_eq!(after.requests - before.requests, 200);
    assert!(after.batches - before.batches < 200, "some requests shared a commit: {after:?}");
    assert_eq!(after.group_fallbacks, before.group_fallbacks, "every group was created together: {after:?}");
    let refund = store.refund_order("acme", "TK1").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, Dec4::from_int(200).unwrap());
    assert!(store.verify().await.unwrap().is_ok());
}

/// A failure the rules cannot foresee: a trigger refusing the insert of an order remarked "boom".
async fn refuse_remark_boom(store: &SqliteStore) {
    let mut ddl = store.backend().begin_write().await.unwrap();
    wdt_store_sql::db::query(
        "CREATE TRIGGER boom BEFORE INSERT ON stockin_orders WHEN NEW.remark = 'boom' \
         BEGIN SELECT RAISE(ABORT, 'boom refused'); END",
    )
    .execute(&mut ddl)
    .await
    .unwrap();
    ddl.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stockins_created_together_that_fail_whole_run_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("group.db"), WriterSettings::default()).await;
    refuse_remark_boom(&store).await;
    batches::a_group_that_fails_whole_reruns_its_pushes_alone(store.clone(), || hold_writes(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_that_fails_whole_after_other_writes_undoes_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (store, app) = store_with_refund_of(&dir, "4").await;
    refuse_remark_boom(&store).await;
    let before = store.write_batches().unwrap();

    let lock = store.backend().begin_write().await.unwrap();
    let first = push(&store, &app, receive("OUT-A", 1));
    taken(&store, before.requests + 1).await;
    // A line with a batch number takes the one-at-a-time path, so the group behind it does not
    // open the transaction and runs under a savepoint of its own.
    let mut lot = receive("OUT-X", 1);
    lot.create_batches = true;
    lot.lines[0].batch_no = Some("LOT-1".into());
    let x = push(&store, &app, lot);
    queued(&store, 1).await;
    let boom = push(&store, &app, ReturnStockin { remark: "boom".into(), ..receive("OUT-B", 1) });
    queued(&store, 2).await;
    let c = push(&store, &app, receive("OUT-C", 1));
    queued(&store, 3).await;
    lock.commit().await.unwrap();

    let a = first.await.unwrap().expect("A is received");
    let x = x.await.unwrap().expect("X, written before the group, stays");
    let boom = boom.await.unwrap().expect_err("the trigger refuses B");
    let c = c.await.unwrap().expect("C is received although B failed the group");
    assert!(matches!(&boom, StoreError::Database(m) if m.contains("boom refused")), "{boom:?}");
    let after = store.write_batches().unwrap();
    assert_eq!(after.batches - before.batches, 2, "A alone, then X, B and C together");
    assert_eq!(after.group_fallbacks - before.group_fallbacks, 1, "B and C's group reran alone");
    assert_eq!([seq(&a), seq(&x), seq(&c)], ["0001", "0002", "0003"]);
    let refund = store.refund_order("acme", "TK1").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, Dec4::from_int(3).unwrap(), "A, X and C");
    let report = store.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.ledger_rows, 4, "opening + A + X + C");
}

async fn open(path: &std::path::Path, writer: WriterSettings) -> Arc<SqliteStore> {
    let settings = SqliteSettings { writer, ..SqliteSettings::default() };
    let store = SqliteStore::open(path.to_str().unwrap(), &settings, SecretBox::ephemeral().unwrap()).await.unwrap();
    Arc::new(store)
}

/// The suite's differential check, with the one-at-a-time writer as the reference and the
/// database's write lock (held from another connection) as what holds up the batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_created_together_end_as_pushes_created_one_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let alone = open(&dir.path().join("alone.db"), WriterSettings { max_batch: 1, ..WriterSettings::default() }).await;
    let together = open(&dir.path().join("together.db"), WriterSettings::default()).await;
    batches::pushes_created_together_end_as_pushes_created_one_at_a_time(alone, together.clone(), || {
        hold_writes(together)
    })
    .await;
}
