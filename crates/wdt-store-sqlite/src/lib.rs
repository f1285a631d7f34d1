//! The embedded default backend: SQLite in WAL mode with durable commits (`synchronous=FULL`).
//!
//! One writer thread owns the write connection and commits the requests queued for it together,
//! a savepoint each, under `BEGIN IMMEDIATE` (a deferred `BEGIN` that later writes can fail with
//! `SQLITE_BUSY` at once, whatever the busy timeout); a separate pool of read-only connections
//! serves reads, which WAL lets run beside the writer. The SQL itself is shared with PostgreSQL
//! in `wdt-store-sql`.
#![warn(missing_docs)]

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use wdt_store::{StoreError, StoreResult};
pub use wdt_store_sql::{SecretBox, SqlStore, WriterSettings};

/// Migrations of this backend, applied on open.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Settings for opening a SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteSettings {
    /// Read-only connections for queries.
    pub readers: u32,
    /// How long a connection waits on a lock before failing.
    pub busy_timeout: Duration,
    /// The writer thread (group commit).
    pub writer: WriterSettings,
}

impl Default for SqliteSettings {
    fn default() -> Self {
        SqliteSettings { readers: 4, busy_timeout: Duration::from_secs(5), writer: WriterSettings::default() }
    }
}

fn db_err(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

/// Opening SQLite stores.
pub struct SqliteStore;

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://PATH` or a bare path) and
    /// applies pending migrations; app secrets are sealed with `secrets`.
    pub async fn open(url: &str, settings: &SqliteSettings, secrets: SecretBox) -> StoreResult<SqlStore> {
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() || path.starts_with(":memory:") {
            return Err(StoreError::Database(
                "an in-memory SQLite database cannot be shared by the writer and the readers; give a file path"
                    .to_owned(),
            ));
        }
        let base = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
            .map_err(db_err)?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(settings.busy_timeout);
        let maintenance = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(base.clone().create_if_missing(true))
            .await
            .map_err(db_err)?;
        MIGRATOR.run(&maintenance).await.map_err(|e| StoreError::Database(e.to_string()))?;
        let readers = SqlitePoolOptions::new()
            .max_connections(settings.readers.max(1))
            .test_before_acquire(false)
            .connect_with(base.read_only(true))
            .await
            .map_err(db_err)?;
        // The writer opens the file itself; connection options after `?` are sqlx's.
        let file = path.split('?').next().unwrap_or(path);
        SqlStore::sqlite(file, &settings.writer, settings.busy_timeout, maintenance, readers, secrets)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use wdt_domain::fixture::Fixture;
    use wdt_store::Store;

    use super::*;

    #[tokio::test]
    async fn conformance() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = 0;
        wdt_store::conformance::run_all(|| {
            n += 1;
            let path = dir.path().join(format!("conformance-{n}.db"));
            async move {
                let store = SqliteStore::open(
                    path.to_str().unwrap(),
                    &SqliteSettings::default(),
                    SecretBox::ephemeral().unwrap(),
                )
                .await
                .unwrap();
                Arc::new(store) as Arc<dyn Store>
            }
        })
        .await;
    }

    #[tokio::test]
    async fn app_secrets_are_sealed_at_rest() {
        let dir = tempfile::tempdir().unwrap();
        let key = SecretBox::ephemeral().unwrap();
        let store = SqliteStore::open(dir.path().join("s.db").to_str().unwrap(), &SqliteSettings::default(), key)
            .await
            .unwrap();
        let fixture = Fixture::parse(wdt_store::conformance::SPEC_EXAMPLE_FIXTURE).unwrap();
        store.import_fixture(&fixture).await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        let stored: Vec<String> =
            wdt_store_sql::db::query("SELECT secret FROM apps ORDER BY id").scalars(&mut tx).await.unwrap();
        assert_eq!(stored.len(), 2);
        for s in &stored {
            assert!(s.starts_with("v1:") && !s.contains("s3cret") && !s.contains("ent-secret"), "{s}");
        }
        drop(tx);
        // Another key cannot use them: the credential lookup fails instead of verifying anything.
        let other = SqliteStore::open(
            dir.path().join("s.db").to_str().unwrap(),
            &SqliteSettings::default(),
            SecretBox::ephemeral().unwrap(),
        )
        .await
        .unwrap();
        assert!(other.find_app("acme", wdt_protocol::Dialect::Qjb, "acme-qjb").await.is_err());
    }

    #[tokio::test]
    async fn a_first_schema_database_is_upgraded_on_open() {
        use wdt_store_sql::schema_history::{FIRST_SCHEMA_ROWS, assert_first_schema_rows_upgraded};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("first.db");
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display())).unwrap();
        let old = SqlitePoolOptions::new().connect_with(options.create_if_missing(true)).await.unwrap();
        MIGRATOR.run_to(1, &old).await.unwrap();
        for sql in FIRST_SCHEMA_ROWS {
            sqlx::query(*sql).execute(&old).await.unwrap();
        }
        old.close().await;
        let store =
            SqliteStore::open(path.to_str().unwrap(), &SqliteSettings::default(), SecretBox::ephemeral().unwrap())
                .await
                .unwrap();
        assert_first_schema_rows_upgraded(&store).await;
    }

    #[tokio::test]
    async fn refuses_in_memory_urls() {
        let err = SqliteStore::open("sqlite::memory:", &SqliteSettings::default(), SecretBox::ephemeral().unwrap())
            .await
            .err()
            .unwrap();
        assert!(err.to_string().contains("in-memory"), "{err}");
    }

    #[tokio::test]
    async fn the_ledger_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(
            dir.path().join("a.db").to_str().unwrap(),
            &SqliteSettings::default(),
            SecretBox::ephemeral().unwrap(),
        )
        .await
        .unwrap();
        let fixture = Fixture::parse(wdt_store::conformance::SPEC_EXAMPLE_FIXTURE).unwrap();
        store.import_fixture(&fixture).await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        let err =
            wdt_store_sql::db::query("UPDATE stock_ledger SET num_change = 0").execute(&mut tx).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}
