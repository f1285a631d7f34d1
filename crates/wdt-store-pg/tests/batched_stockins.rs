//! Return stock-ins that share a PostgreSQL transaction stay whole one by one: a refusal leaves
//! its neighbours committed, a batch that fails as a whole reruns its pushes alone, and servers
//! batching over one database never commit an outer number twice.

use std::sync::Arc;

use wdt_protocol::{ApiError, Dec4, Dialect};
use wdt_store::conformance::batches::{self, Release};
use wdt_store::conformance::{spawn_stockin as push, spec_example_receipt as receive, spec_example_with_refund_of};
use wdt_store::{AppCredential, AppLookup, Store, StoreError};
use wdt_store_pg::testing::{TestDatabase, server_url};
use wdt_store_pg::{PgSettings, PgStore};
use wdt_store_sql::db::query;

async fn connect(db: &TestDatabase) -> Arc<PgStore> {
    let store = PgStore::open(&db.url, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap())
        .await
        .expect("connect");
    Arc::new(store)
}

/// A store over a new database whose refund order TK1 awaits `units` units of MUG-RED.
async fn store_with_refund_of(server: &str, units: &str) -> (TestDatabase, Arc<PgStore>, AppCredential) {
    let db = TestDatabase::create(server).await;
    let store = connect(&db).await;
    store.import_fixture(&spec_example_with_refund_of(units)).await.unwrap();
    let app = app_of(&store).await;
    (db, store, app)
}

async fn app_of(store: &PgStore) -> AppCredential {
    let AppLookup::Found(app) = store.find_app("acme", Dialect::Qjb, "acme-qjb").await.unwrap() else {
        panic!("the fixture's app")
    };
    app
}

async fn stock_of_mugs(store: &PgStore) -> Dec4 {
    let lines = store.stock_of("acme", "MUG-RED").await.unwrap();
    lines.iter().map(|l| l.num).fold(Dec4::ZERO, |a, n| a.checked_add(n).unwrap())
}

/// Holds the row lock of refund order `refund_no` in a transaction of its own: the batch that
/// loads it waits, and the pushes sent meanwhile queue up behind it.
async fn hold_refund(store: Arc<PgStore>, refund_no: &'static str) -> Release {
    let mut lock = store.backend().begin_write().await.unwrap();
    query("SELECT id FROM refund_orders WHERE refund_no = ? FOR UPDATE")
        .bind(refund_no)
        .execute(&mut lock)
        .await
        .unwrap();
    Release::new(async move { lock.commit().await.unwrap() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_inside_a_batch_leaves_its_neighbours_committed() {
    let Some(server) = server_url("wdt-store-pg batched refusal") else { return };
    let db = TestDatabase::create(&server).await;
    let store = connect(&db).await;
    batches::a_refusal_inside_a_batch_leaves_its_neighbours_committed(store.clone(), || {
        hold_refund(store.clone(), "TK1")
    })
    .await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_that_fails_whole_reruns_its_pushes_alone() {
    let Some(server) = server_url("wdt-store-pg batch fallback") else { return };
    let db = TestDatabase::create(&server).await;
    let store = connect(&db).await;
    // A database-level failure the rules cannot foresee: a trigger refusing one order's insert.
    let mut ddl = store.backend().begin_write().await.unwrap();
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
    batches::a_group_that_fails_whole_reruns_its_pushes_alone(store.clone(), || hold_refund(store.clone(), "TK1"))
        .await;
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
    let shared = |s: &PgStore| {
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
    let alone = PgStore::open(
        &alone_db.url,
        &PgSettings { max_batch: 0, ..PgSettings::default() },
        wdt_store_sql::SecretBox::ephemeral().unwrap(),
    )
    .await
    .unwrap();
    let (alone, together) = (Arc::new(alone), connect(&together_db).await);
    // The first push receives against TK-DEMO-1: its batch waits on this lock while the rest queue.
    let hold = || hold_refund(together.clone(), "TK-DEMO-1");
    batches::pushes_created_together_end_as_pushes_created_one_at_a_time(alone.clone(), together.clone(), hold).await;
    alone.close().await;
    together.close().await;
}
