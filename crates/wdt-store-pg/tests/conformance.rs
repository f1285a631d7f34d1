//! The shared conformance suite on PostgreSQL, plus PostgreSQL-only checks.

use std::sync::{Arc, Mutex};

use wdt_store::Store;
use wdt_store_pg::testing::{TestDatabase, server_url};
use wdt_store_pg::{PgSettings, PgStore};

#[tokio::test]
async fn conformance() {
    let Some(server) = server_url("wdt-store-pg conformance") else { return };
    let databases: Arc<Mutex<Vec<TestDatabase>>> = Arc::default();
    wdt_store::conformance::run_all(|| {
        let server = server.clone();
        let databases = Arc::clone(&databases);
        async move {
            let db = TestDatabase::create(&server).await;
            let store = PgStore::open(&db.url, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap())
                .await
                .expect("connect");
            databases.lock().unwrap().push(db);
            Arc::new(store) as Arc<dyn Store>
        }
    })
    .await;
}

#[tokio::test]
async fn the_ledger_is_append_only() {
    let Some(server) = server_url("wdt-store-pg append-only ledger") else { return };
    let db = TestDatabase::create(&server).await;
    let store =
        PgStore::open(&db.url, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap()).await.unwrap();
    let fixture = wdt_domain::fixture::Fixture::parse(wdt_store::conformance::SPEC_EXAMPLE_FIXTURE).unwrap();
    store.import_fixture(&fixture).await.unwrap();
    let mut tx = store.backend().begin_write().await.unwrap();
    let err = wdt_store_sql::db::query("UPDATE stock_ledger SET num_change = 0").execute(&mut tx).await.unwrap_err();
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
