//! The embedded default backend: SQLite in WAL mode with durable commits (`synchronous=FULL`),
//! through rusqlite.
//!
//! One writer thread owns the write connection and commits the requests queued for it together,
//! a savepoint each, under `BEGIN IMMEDIATE` (a deferred `BEGIN` that later writes can fail with
//! `SQLITE_BUSY` at once, whatever the busy timeout); read-only connections serve reads, which
//! WAL lets run beside the writer. The SQL itself is shared with PostgreSQL in `wdt-store-sql`;
//! this crate runs it ([`DirectConn`]), applies its own migrations, and sets up SQLite's
//! allocator ([`alloc`]).
#![warn(missing_docs)]

pub mod alloc;
mod conn;
mod readers;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use wdt_store::{PoolStat, StockinCreated, StoreError, StoreResult, WriteBatchStats};
use wdt_store_sql::db::{Arg, DbError, Executor, Row};
use wdt_store_sql::stockin_batch::{Pending, batchable};
use wdt_store_sql::{Backend, Body, Open, body, stockin};

pub use crate::conn::DirectConn;
pub use crate::writer::WriterSettings;
pub use wdt_store_sql::{SecretBox, SqlStore};

use crate::readers::DirectReaders;
use crate::writer::Writer;

/// Migrations of this backend, applied on open.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The store over a SQLite file.
pub type SqliteStore = SqlStore<Sqlite>;

/// Settings for opening a SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteSettings {
    /// Idle read-only connections kept for queries (more open while reads overlap).
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

/// The SQLite backend: the writer thread and the readers of one database file.
pub struct Sqlite {
    path: String,
    busy_timeout: Duration,
    writer: Writer,
    readers: DirectReaders,
}

impl Open for Sqlite {
    type Settings = SqliteSettings;

    /// Opens (creating if missing) the database at `url` (`sqlite://PATH` or a bare path) and
    /// applies pending migrations.
    async fn open(url: &str, settings: &SqliteSettings) -> StoreResult<Sqlite> {
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() || path.starts_with(":memory:") {
            return Err(StoreError::Database(
                "an in-memory SQLite database cannot be shared by the writer and the readers; give a file path"
                    .to_owned(),
            ));
        }
        migrate(path, settings.busy_timeout).await?;
        // Connection options after `?` were sqlx's, for the migration.
        let file = path.split('?').next().unwrap_or(path).to_owned();
        Ok(Sqlite {
            writer: Writer::start(&file, &settings.writer, settings.busy_timeout)?,
            readers: DirectReaders::new(&file, settings.busy_timeout, settings.readers.max(1) as usize),
            path: file,
            busy_timeout: settings.busy_timeout,
        })
    }
}

/// Creates the database file if missing and applies pending migrations.
async fn migrate(path: &str, busy_timeout: Duration) -> StoreResult<()> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
        .map_err(db_err)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(busy_timeout)
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.map_err(db_err)?;
    let migrated = MIGRATOR.run(&pool).await.map_err(|e| StoreError::Database(e.to_string()));
    pool.close().await;
    migrated
}

impl Sqlite {
    /// Opens a write transaction (`BEGIN IMMEDIATE`) on a connection of its own, for maintenance
    /// and tests; it waits for the writer thread's transaction to end (busy timeout). Dropped
    /// without [`MaintenanceTx::commit`], it rolls back.
    pub async fn begin_write(&self) -> StoreResult<MaintenanceTx> {
        let (path, busy) = (self.path.clone(), self.busy_timeout);
        let open = move || -> Result<DirectConn, rusqlite::Error> {
            let conn = rusqlite::Connection::open(&path)?;
            conn.busy_timeout(busy)?;
            conn.execute_batch("PRAGMA foreign_keys = ON; BEGIN IMMEDIATE")?;
            Ok(DirectConn::new(conn))
        };
        let conn = tokio::task::spawn_blocking(open)
            .await
            .map_err(|e| StoreError::Database(format!("opening a maintenance transaction: {e}")))?
            .map_err(|e| StoreError::Database(format!("opening a maintenance transaction: {e}")))?;
        Ok(MaintenanceTx(conn))
    }
}

/// A write transaction outside the writer thread ([`Sqlite::begin_write`]).
pub struct MaintenanceTx(DirectConn);

impl MaintenanceTx {
    /// Commits it.
    pub async fn commit(mut self) -> Result<(), DbError> {
        self.0.batch("COMMIT")
    }
}

impl Executor for MaintenanceTx {
    fn binds_arrays(&self) -> bool {
        false
    }

    fn row_lock(&self) -> &'static str {
        ""
    }

    async fn fetch_all(&mut self, sql: &str, args: Vec<Arg>) -> Result<Vec<Row>, DbError> {
        self.0.fetch_all(sql, args).await
    }

    async fn execute(&mut self, sql: &str, args: Vec<Arg>) -> Result<u64, DbError> {
        self.0.execute(sql, args).await
    }
}

impl Backend for Sqlite {
    // One writer thread per file, in this process.
    const SINGLE_SERVER: bool = true;

    type Tx = DirectConn;
    type Read = DirectConn;

    async fn write<T: Send + 'static>(&self, body: Body<DirectConn, T>) -> StoreResult<T> {
        self.writer.write(body).await
    }

    async fn read<T: Send + 'static>(&self, _replica: bool, body: Body<DirectConn, T>) -> StoreResult<T> {
        self.readers.read(body).await
    }

    async fn create_return_stockin(&self, pending: Pending) -> StoreResult<StockinCreated> {
        if batchable(&pending.cmd) {
            return self.writer.write_stockin(pending).await;
        }
        self.writer.write(body(pending, |conn, p| Box::pin(stockin::create(conn, p)))).await
    }

    fn pool_stats(&self) -> Vec<PoolStat> {
        let (size, idle) = self.readers.counts();
        vec![PoolStat { name: "readers", size, idle }]
    }

    fn write_batches(&self) -> Option<WriteBatchStats> {
        Some(self.writer.stats())
    }

    async fn close(&self) {
        self.writer.close().await;
        self.readers.close();
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
        let mut tx = store.backend().begin_write().await.unwrap();
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

    /// A store in `dir` with the SPEC example fixture loaded.
    async fn spec_example_store(dir: &tempfile::TempDir) -> SqliteStore {
        let path = dir.path().join("spec-example.db");
        let store =
            SqliteStore::open(path.to_str().unwrap(), &SqliteSettings::default(), SecretBox::ephemeral().unwrap())
                .await
                .unwrap();
        let fixture = Fixture::parse(wdt_store::conformance::SPEC_EXAMPLE_FIXTURE).unwrap();
        store.import_fixture(&fixture).await.unwrap();
        store
    }

    #[tokio::test]
    async fn snapshots_copy_every_table_and_the_ledger_stays_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = spec_example_store(&dir).await;
        store.take_snapshot("s").await.unwrap();
        let mut tx = store.backend().begin_write().await.unwrap();
        let tables: Vec<String> = wdt_store_sql::db::query("SELECT name FROM sqlite_master WHERE type = 'table'")
            .scalars(&mut tx)
            .await
            .unwrap();
        let tables: Vec<String> = tables.into_iter().filter(|t| !t.starts_with("sqlite_")).collect();
        let (extra, missing) = wdt_store_sql::snapshots::unlisted_tables(&tables);
        assert!(extra.is_empty() && missing.is_empty(), "not in snapshots::TABLES: {extra:?}; gone: {missing:?}");
        let count = "SELECT COUNT(*) FROM stock_ledger";
        let before: i64 = wdt_store_sql::db::query(count).scalar(&mut tx).await.unwrap();
        for sql in ["UPDATE stock_ledger SET num_change = 0", "DELETE FROM stock_ledger"] {
            let err = wdt_store_sql::db::query(sql).execute(&mut tx).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(wdt_store_sql::db::query(count).scalar::<i64>(&mut tx).await.unwrap(), before);
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
        let store = spec_example_store(&dir).await;
        let mut tx = store.backend().begin_write().await.unwrap();
        let err =
            wdt_store_sql::db::query("UPDATE stock_ledger SET num_change = 0").execute(&mut tx).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}
