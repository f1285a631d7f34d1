//! The embedded default backend: SQLite in WAL mode with durable commits.
//!
//! One writer connection takes every write transaction with `BEGIN IMMEDIATE` (a deferred
//! `BEGIN` that later writes can fail with `SQLITE_BUSY` at once, whatever the busy timeout);
//! a separate pool of read-only connections serves reads, which WAL lets run beside the writer.
#![warn(missing_docs)]

mod import;
mod purchase_return;
mod query;
mod quick_return;
mod sql;
mod stockin;
mod verify;
mod views;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, Transaction};
use wdt_domain::fixture::Fixture;
use wdt_domain::purchase_return::PurchaseReturnCmd;
use wdt_domain::query::StockinQuery;
use wdt_domain::quick_return::QuickReturn;
use wdt_domain::refund_stockin::ReturnStockin;
use wdt_protocol::Dialect;
use wdt_protocol::methods::refund_stockin_query::QueryPage;
use wdt_store::{
    AppCredential, AppLookup, ImportSummary, LedgerRowView, PurchaseReturnOutcome, RefundOrderView, StockLineView,
    StockinCreated, Store, StoreError, StoreResult, VerifyReport,
};

/// Migrations of this backend, applied on open.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Settings for opening a SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteSettings {
    /// Read-only connections for queries.
    pub readers: u32,
    /// How long a connection waits on a lock before failing.
    pub busy_timeout: Duration,
}

impl Default for SqliteSettings {
    fn default() -> Self {
        SqliteSettings { readers: 4, busy_timeout: Duration::from_secs(5) }
    }
}

/// The SQLite store: one writer connection, a pool of readers.
#[derive(Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    readers: SqlitePool,
}

fn db_err(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://PATH` or a bare path) and
    /// applies pending migrations.
    pub async fn open(url: &str, settings: &SqliteSettings) -> StoreResult<SqliteStore> {
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
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .test_before_acquire(false)
            .connect_with(base.clone().create_if_missing(true))
            .await
            .map_err(db_err)?;
        MIGRATOR.run(&writer).await.map_err(|e| StoreError::Database(e.to_string()))?;
        let readers = SqlitePoolOptions::new()
            .max_connections(settings.readers.max(1))
            .test_before_acquire(false)
            .connect_with(base.read_only(true))
            .await
            .map_err(db_err)?;
        Ok(SqliteStore { writer, readers })
    }

    /// Starts a write transaction holding the database write lock from its first statement.
    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)
    }

    /// Closes both pools, checkpointing the WAL.
    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.readers).await.map_err(db_err)?;
        Ok(())
    }

    async fn find_app(&self, sid: &str, dialect: Dialect, key: &str) -> StoreResult<AppLookup> {
        let row = sqlx::query(
            "SELECT s.sid, a.id, a.secret, a.salt, a.all_warehouses, a.all_shops \
             FROM sellers s LEFT JOIN apps a ON a.sid = s.sid AND a.dialect = ? AND a.app_key = ? \
             WHERE s.sid = ?",
        )
        .bind(dialect.as_str())
        .bind(key)
        .bind(sid)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_err)?;
        let Some(row) = row else { return Ok(AppLookup::UnknownSid) };
        let Some(id) = row.try_get::<Option<i64>, _>("id").map_err(db_err)? else {
            return Ok(AppLookup::UnknownKey);
        };
        let all_warehouses: bool = row.try_get("all_warehouses").map_err(db_err)?;
        let all_shops: bool = row.try_get("all_shops").map_err(db_err)?;
        let warehouses = if all_warehouses {
            None
        } else {
            Some(
                sqlx::query_scalar(
                    "SELECT w.warehouse_no FROM app_warehouses aw JOIN warehouses w ON w.id = aw.warehouse_id \
                     WHERE aw.app_id = ? ORDER BY w.warehouse_no",
                )
                .bind(id)
                .fetch_all(&self.readers)
                .await
                .map_err(db_err)?,
            )
        };
        let shops = if all_shops {
            None
        } else {
            Some(
                sqlx::query_scalar(
                    "SELECT s.shop_no FROM app_shops ap JOIN shops s ON s.id = ap.shop_id \
                     WHERE ap.app_id = ? ORDER BY s.shop_no",
                )
                .bind(id)
                .fetch_all(&self.readers)
                .await
                .map_err(db_err)?,
            )
        };
        Ok(AppLookup::Found(AppCredential {
            id,
            sid: sid.to_owned(),
            dialect,
            key: key.to_owned(),
            secret: row.try_get("secret").map_err(db_err)?,
            salt: row.try_get("salt").map_err(db_err)?,
            warehouses,
            shops,
        }))
    }

    async fn import_fixture(&self, fixture: &Fixture) -> StoreResult<ImportSummary> {
        let mut tx = self.begin_write().await?;
        let summary = import::import(&mut tx, fixture).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(summary)
    }

    async fn verify(&self) -> StoreResult<VerifyReport> {
        verify::verify(&self.readers).await
    }

    async fn create_return_stockin(&self, app: &AppCredential, cmd: &ReturnStockin) -> StoreResult<StockinCreated> {
        let mut tx = self.begin_write().await?;
        // Dropping the transaction on a refusal rolls everything back.
        let created = stockin::create(&mut tx, app, cmd).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(created)
    }

    async fn create_quick_return(&self, app: &AppCredential, cmd: &QuickReturn) -> StoreResult<StockinCreated> {
        let mut tx = self.begin_write().await?;
        let created = quick_return::create(&mut tx, app, cmd).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(created)
    }

    async fn create_purchase_return(
        &self,
        app: &AppCredential,
        cmd: &PurchaseReturnCmd,
    ) -> StoreResult<PurchaseReturnOutcome> {
        let mut tx = self.begin_write().await?;
        let outcome = purchase_return::create(&mut tx, app, cmd).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(outcome)
    }

    async fn query_return_stockins(&self, sid: &str, query: &StockinQuery) -> StoreResult<QueryPage> {
        // Reads go to the reader pool; `is_slave` changes nothing on SQLite.
        query::query(&self.readers, sid, query).await
    }

    async fn stock_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<StockLineView>> {
        views::stock_of(&self.readers, sid, spec_no).await
    }

    async fn ledger_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<LedgerRowView>> {
        views::ledger_of(&self.readers, sid, spec_no).await
    }

    async fn refund_order(&self, sid: &str, refund_no: &str) -> StoreResult<Option<RefundOrderView>> {
        views::refund_order(&self.readers, sid, refund_no).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn conformance() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = 0;
        wdt_store::conformance::run_all(|| {
            n += 1;
            let path = dir.path().join(format!("conformance-{n}.db"));
            async move {
                let store = SqliteStore::open(path.to_str().unwrap(), &SqliteSettings::default()).await.unwrap();
                Arc::new(store) as Arc<dyn Store>
            }
        })
        .await;
    }

    #[tokio::test]
    async fn refuses_in_memory_urls() {
        let err = SqliteStore::open("sqlite::memory:", &SqliteSettings::default()).await.err().unwrap();
        assert!(err.to_string().contains("in-memory"), "{err}");
    }

    #[tokio::test]
    async fn the_ledger_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            SqliteStore::open(dir.path().join("a.db").to_str().unwrap(), &SqliteSettings::default()).await.unwrap();
        let fixture = Fixture::parse(wdt_store::conformance::SPEC_EXAMPLE_FIXTURE).unwrap();
        store.import_fixture(&fixture).await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        let err = sqlx::query("UPDATE stock_ledger SET num_change = 0").execute(&mut *tx).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}
