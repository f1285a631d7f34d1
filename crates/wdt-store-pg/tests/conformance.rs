//! The shared conformance suite on PostgreSQL, plus PostgreSQL-only checks.

use std::sync::Arc;

use wdt_store::Store;
use wdt_store_pg::testing::{TestDatabase, server_url};
use wdt_store_pg::{PgSettings, PgStore};

/// The store of the check that ran last and its database, and the databases being dropped.
#[derive(Default)]
struct Used {
    last: Option<(Arc<PgStore>, TestDatabase)>,
    dropping: Vec<tokio::task::JoinHandle<()>>,
}

type Previous = Arc<tokio::sync::Mutex<Used>>;

/// Closes the last check's store, then drops its database while the next check runs (a database
/// dropped with its connections still open waits for them to be ended).
async fn retire(previous: &Previous) {
    let mut used = previous.lock().await;
    if let Some((store, db)) = used.last.take() {
        store.close().await;
        used.dropping.push(tokio::task::spawn_blocking(move || drop(db)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance() {
    let Some(server) = server_url("wdt-store-pg conformance") else { return };
    let previous = Previous::default();
    // Each check takes one fresh store, once the check before it has finished.
    wdt_store::conformance::run_all(|| {
        let (server, previous) = (server.clone(), Arc::clone(&previous));
        async move {
            retire(&previous).await;
            let db = TestDatabase::create(&server).await;
            let store = PgStore::open(&db.url, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap())
                .await
                .expect("connect");
            let store = Arc::new(store);
            previous.lock().await.last = Some((Arc::clone(&store), db));
            store as Arc<dyn Store>
        }
    })
    .await;
    retire(&previous).await;
    for dropped in std::mem::take(&mut previous.lock().await.dropping) {
        dropped.await.expect("the database is dropped");
    }
}

#[tokio::test]
async fn the_ledger_is_append_only() {
    let Some(server) = server_url("wdt-store-pg append-only ledger") else { return };
    let db = TestDatabase::create(&server).await;
    let store =
        PgStore::open(&db.url, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap()).await.unwrap();
    let fixture = wdt_domain::fixture::Fixture::parse(wdt_store::conformance::SPEC_EXAMPLE_FIXTURE).unwrap();
    store.import_fixture(&fixture).await.unwrap();
    store.take_snapshot("s").await.unwrap();
    let mut tx = store.backend().begin_write().await.unwrap();
    let tables: Vec<String> =
        wdt_store_sql::db::query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
            .scalars(&mut tx)
            .await
            .unwrap();
    let (extra, missing) = wdt_store_sql::snapshots::unlisted_tables(&tables);
    assert!(extra.is_empty() && missing.is_empty(), "not in snapshots::TABLES: {extra:?}; gone: {missing:?}");
    let err = wdt_store_sql::db::query("UPDATE stock_ledger SET num_change = 0").execute(&mut tx).await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    drop(tx);
    let mut tx = store.backend().begin_write().await.unwrap();
    let err = wdt_store_sql::db::query("DELETE FROM stock_ledger").execute(&mut tx).await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[tokio::test]
async fn a_first_schema_database_is_upgraded_on_connect() {
    use wdt_store_sql::schema_history::{FIRST_SCHEMA_ROWS, assert_first_schema_rows_upgraded};
    let Some(server) = server_url("wdt-store-pg upgrade") else { return };
    let db = TestDatabase::create(&server).await;
    let old = sqlx::PgPool::connect(&db.url).await.unwrap();
    wdt_store_pg::MIGRATOR.run_to(1, &old).await.unwrap();
    for sql in FIRST_SCHEMA_ROWS {
        sqlx::query(*sql).execute(&old).await.unwrap();
    }
    old.close().await;
    let store =
        PgStore::open(&db.url, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap()).await.unwrap();
    assert_first_schema_rows_upgraded(&store).await;
}
