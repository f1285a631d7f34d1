//! Return stock-ins that share a PostgreSQL transaction stay whole one by one: a refusal leaves
//! its neighbours committed, a batch that fails as a whole reruns its pushes alone, and servers
//! batching over one database never commit an outer number twice.

use std::sync::Arc;

use wdt_domain::refund_stockin::ReturnStockin;
use wdt_protocol::{ApiError, Dec4, Dialect};
use wdt_store::conformance::batches::{self, Release};
use wdt_store::conformance::{
    order_seq as seq, spawn_stockin as push, spec_example_receipt as receive, spec_example_with_refund_of,
    wait_for_batches as wait_for,
};
use wdt_store::{AppCredential, AppLookup, Store, StoreError};
use wdt_store_pg::testing::{TestDatabase, server_url};
use wdt_store_pg::{PgSettings, PgStore, SqlStore};
use wdt_store_sql::db::query;

async fn connect(db: &TestDatabase) -> Arc<SqlStore> {
    let store = PgStore::connect(&db.url, None, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap())
        .await
        .expect("connect");
    Arc::new(store)
}

/// A store over a new database whose refund order TK1 awaits `units` units of MUG-RED.
async fn store_with_refund_of(server: &str, units: &str) -> (TestDatabase, Arc<SqlStore>, AppCredential) {
    let db = TestDatabase::create(server).await;
    let store = connect(&db).await;
    store.import_fixture(&spec_example_with_refund_of(units)).await.unwrap();
    let app = app_of(&store).await;
    (db, store, app)
}

async fn app_of(store: &SqlStore) -> AppCredential {
    let AppLookup::Found(app) = store.find_app("acme", Dialect::Qjb, "acme-qjb").await.unwrap() else {
        panic!("the fixture's app")
    };
    app
}

/// Holds refund order TK1's row lock in a transaction of its own: the batch that loads it waits,
/// and the pushes sent meanwhile queue up behind it.
async fn hold_refund_lock(store: &SqlStore) -> wdt_store_sql::db::Conn {
    let mut lock = store.begin_write().await.unwrap();
    query("SELECT id FROM refund_orders WHERE refund_no = 'TK1' FOR UPDATE").execute(&mut lock).await.unwrap();
    lock
}

async fn stock_of_mugs(store: &SqlStore) -> Dec4 {
    let lines = store.stock_of("acme", "MUG-RED").await.unwrap();
    lines.iter().map(|l| l.num).fold(Dec4::ZERO, |a, n| a.checked_add(n).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_inside_a_batch_leaves_its_neighbours_committed() {
    let Some(server) = server_url("wdt-store-pg batched refusal") else { return };
    let (_db, store, app) = store_with_refund_of(&server, "3").await;
    let before = store.write_batches().unwrap();

    let lock = hold_refund_lock(&store).await;
    let first = push(&store, &app, receive("OUT-A", 1));
    wait_for(&store, "took A", |w| w.requests == before.requests + 1).await;
    let b = push(&store, &app, receive("OUT-B", 1));
    wait_for(&store, "queued B", |w| w.queued == 1).await;
    // Over-receipt: A and B already took 2 of 3, B inside the same batch.
    let c = push(&store, &app, receive("OUT-C", 2));
    wait_for(&store, "queued C", |w| w.queued == 2).await;
    let d = push(&store, &app, receive("OUT-D", 1));
    wait_for(&store, "queued D", |w| w.queued == 3).await;
    // B's outer number again, not yet committed when this batch plans it.
    let e = push(&store, &app, receive("OUT-B", 1));
    wait_for(&store, "queued E", |w| w.queued == 4).await;
    lock.commit().await.unwrap();

    let a = first.await.unwrap().expect("A is received");
    let b = b.await.unwrap().expect("B is received");
    let c = c.await.unwrap().expect_err("C exceeds the refund order");
    let d = d.await.unwrap().expect("D is received");
    let e = e.await.unwrap().expect_err("E repeats B's outer number");

    let after = store.write_batches().unwrap();
    assert_eq!(after.requests - before.requests, 5);
    assert_eq!(after.batches - before.batches, 2, "A alone, then B..E in one transaction");
    assert!(after.busy > before.busy, "the batches' time is counted");
    assert_eq!(after.group_fallbacks, before.group_fallbacks, "B..E were created together, refusals and all");
    assert!(matches!(c, StoreError::Api(ApiError::Business(_))), "{c:?}");
    assert!(matches!(e, StoreError::Api(ApiError::DuplicateOuterNo { .. })), "{e:?}");
    assert_eq!([seq(&a), seq(&b), seq(&d)], ["0001", "0002", "0003"], "numbers run on without a gap");

    let refund = store.refund_order("acme", "TK1").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, Dec4::from_int(3).unwrap());
    assert_eq!(stock_of_mugs(&store).await, Dec4::from_int(103).unwrap(), "100 opening + A + B + D");
    let ledger = store.ledger_of("acme", "MUG-RED").await.unwrap();
    let afters: Vec<String> = ledger.iter().map(|r| r.num_after.to_string()).collect();
    assert!(afters.ends_with(&["101".to_owned(), "102".to_owned(), "103".to_owned()]), "{afters:?}");
    let report = store.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.ledger_rows, 4, "opening + three receipts");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_that_fails_whole_reruns_its_pushes_alone() {
    let Some(server) = server_url("wdt-store-pg batch fallback") else { return };
    let (_db, store, app) = store_with_refund_of(&server, "3").await;
    // A database-level failure the rules cannot foresee: a trigger refusing one order's insert.
    let mut ddl = store.begin_write().await.unwrap();
    query(
        "CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF NEW.remark = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$",
    )
    .execute(&mut ddl)
    .await
    .unwrap();
    query("CREATE TRIGGER boom BEFORE INSERT ON stockin_orders FOR EACH ROW EXECUTE FUNCTION refuse_boom()")
        .execute(&mut ddl)
        .await
        .unwrap();
    ddl.commit().await.unwrap();
    let before = store.write_batches().unwrap();

    let lock = hold_refund_lock(&store).await;
    let first = push(&store, &app, receive("OUT-A", 1));
    wait_for(&store, "took A", |w| w.requests == before.requests + 1).await;
    let boom = push(&store, &app, ReturnStockin { remark: "boom".into(), ..receive("OUT-B", 1) });
    wait_for(&store, "queued B", |w| w.queued == 1).await;
    let c = push(&store, &app, receive("OUT-C", 1));
    wait_for(&store, "queued C", |w| w.queued == 2).await;
    lock.commit().await.unwrap();

    let a = first.await.unwrap().expect("A is received");
    let boom = boom.await.unwrap().expect_err("the trigger refuses B");
    let c = c.await.unwrap().expect("C is received although B failed its batch");
    assert!(matches!(&boom, StoreError::Database(m) if m.contains("boom refused")), "{boom:?}");
    let after = store.write_batches().unwrap();
    assert_eq!(after.batches - before.batches, 2);
    assert_eq!(after.group_fallbacks - before.group_fallbacks, 1, "B and C's batch reran alone");
    assert_eq!([seq(&a), seq(&c)], ["0001", "0002"]);
    assert_eq!(stock_of_mugs(&store).await, Dec4::from_int(102).unwrap(), "100 opening + A + C");
    let report = store.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_batching_servers_commit_each_outer_number_once() {
    let Some(server) = server_url("wdt-store-pg two batching servers") else { return };
    let (db, one, app) = store_with_refund_of(&server, "1000").await;
    // A second server over the same database (the credential it would find is the same).
    let two = connect(&db).await;
    // Every outer number pushed to both servers at once: one of each pair commits.
    let mut pushes = Vec::new();
    for i in 0..150 {
        let outer = format!("OUT-{i}");
        pushes.push(push(&one, &app, receive(&outer, 1)));
        pushes.push(push(&two, &app, receive(&outer, 1)));
    }
    let (mut received, mut duplicates) = (0, 0);
    for p in pushes {
        match p.await.unwrap() {
            Ok(_) => received += 1,
            Err(StoreError::Api(ApiError::DuplicateOuterNo { .. })) => duplicates += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((received, duplicates), (150, 150));
    let shared = |s: &SqlStore| {
        let w = s.write_batches().unwrap();
        w.batches < w.requests
    };
    assert!(shared(&one) || shared(&two), "pushes shared transactions");
    let refund = one.refund_order("acme", "TK1").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, Dec4::from_int(150).unwrap());
    assert_eq!(stock_of_mugs(&one).await, Dec4::from_int(250).unwrap());
    let report = one.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    one.close().await;
    two.close().await;
}

/// The suite's differential check, with one transaction per push as the reference and a row lock
/// on the refund order the first push receives against as what holds up the batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_created_together_end_as_pushes_created_one_at_a_time() {
    let Some(server) = server_url("wdt-store-pg batch against one at a time") else { return };
    let (alone_db, together_db) = (TestDatabase::create(&server).await, TestDatabase::create(&server).await);
    let alone = PgStore::connect(
        &alone_db.url,
        None,
        &PgSettings { max_batch: 0, ..PgSettings::default() },
        wdt_store_sql::SecretBox::ephemeral().unwrap(),
    )
    .await
    .unwrap();
    let (alone, together) = (Arc::new(alone), connect(&together_db).await);
    let locker = Arc::clone(&together);
    batches::pushes_created_together_end_as_pushes_created_one_at_a_time(
        alone.clone(),
        together.clone(),
        || async move {
            let mut lock = locker.begin_write().await.unwrap();
            query("SELECT id FROM refund_orders WHERE refund_no = 'TK-DEMO-1' FOR UPDATE")
                .execute(&mut lock)
                .await
                .unwrap();
            Release::new(async move { lock.commit().await.unwrap() })
        },
    )
    .await;
    alone.close().await;
    together.close().await;
}
