//! The Store implementation shared by the SQLite and PostgreSQL backends: one set of SQL (written
//! with `?` placeholders and types both databases share), two drivers.
//!
//! The backend crates open their pools and apply their own migrations, then hand them to
//! [`SqlStore`]. On SQLite every write goes to one writer thread that commits many requests per
//! transaction, a savepoint each (see [`writer`]). On PostgreSQL each write is a plain transaction
//! on the pool, its document rows locked with `SELECT … FOR UPDATE` in a fixed order, retried a
//! bounded number of times on serialisation failures and deadlocks; the database's own group
//! commit shares WAL flushes between concurrent transactions.
#![warn(missing_docs)]

pub mod db;
mod import;
mod pg_batcher;
mod purchase_return;
mod query;
mod quick_return;
pub mod schema_history;
mod secrets;
mod sql;
mod stockin;
mod stockin_batch;
mod verify;
mod views;
pub mod writer;

use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use wdt_domain::fixture::Fixture;
use wdt_domain::purchase_return::PurchaseReturnCmd;
use wdt_domain::query::StockinQuery;
use wdt_domain::quick_return::QuickReturn;
use wdt_domain::refund_stockin::ReturnStockin;
use wdt_protocol::Dialect;
use wdt_protocol::methods::refund_stockin_query::QueryPage;
use wdt_store::{
    AppCredential, AppLookup, ImportSummary, LedgerRowView, LineFilter, PoolStat, PurchaseReturnOutcome,
    PurchaseReturnSummary, RefundOrderSummary, RefundOrderView, StockLineView, StockinCreated, StockinLineView,
    StockinListFilter, StockinSummary, Store, StoreError, StoreResult, VerifyReport, WriteBatchStats,
};

pub use crate::secrets::SecretBox;
pub use crate::writer::WriterSettings;

use crate::db::{Conn, query};
use crate::pg_batcher::StockinBatcher;
use crate::writer::{DirectBody, DirectReaders, LocalFuture, Writer};

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

/// Whole microseconds of `d`, saturating: what the write counters add up.
pub(crate) fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// PostgreSQL error codes worth retrying the whole transaction for.
pub(crate) fn is_transient(e: &StoreError) -> bool {
    match e {
        StoreError::Database(msg) => {
            msg.contains("40001")
                || msg.contains("40P01")
                || msg.contains("deadlock")
                || msg.contains("could not serialize")
        }
        _ => false,
    }
}

/// How long a credential lookup is reused by default.
pub const CREDENTIAL_TTL: Duration = Duration::from_secs(5);

enum Backend {
    Sqlite { writer: Writer, maintenance: SqlitePool, readers: SqlitePool, direct: DirectReaders },
    Postgres { primary: PgPool, replica: Option<PgPool>, max_retries: u32, batcher: Option<StockinBatcher> },
}

/// The store over either database.
pub struct SqlStore {
    backend: Backend,
    secrets: SecretBox,
    credentials: CredentialCache,
}

/// Credential lookups, kept for a few seconds: every request needs one, and they change only
/// by import (which clears this store's cache; other servers over the same PostgreSQL see a
/// change within the time to live).
struct CredentialCache {
    ttl: Duration,
    entries: std::sync::Mutex<std::collections::HashMap<CredentialKey, (std::time::Instant, AppLookup)>>,
}

/// sid, dialect, key.
type CredentialKey = (String, Dialect, String);

impl CredentialCache {
    /// Entries kept at most; a flood of unknown keys clears the cache rather than growing it.
    const MAX_ENTRIES: usize = 4096;

    fn new(ttl: Duration) -> CredentialCache {
        CredentialCache { ttl, entries: Default::default() }
    }

    fn get(&self, sid: &str, dialect: Dialect, key: &str) -> Option<AppLookup> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (at, found) = entries.get(&(sid.to_owned(), dialect, key.to_owned()))?;
        (at.elapsed() < self.ttl).then(|| found.clone())
    }

    fn put(&self, sid: &str, dialect: Dialect, key: &str, found: &AppLookup) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= Self::MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((sid.to_owned(), dialect, key.to_owned()), (std::time::Instant::now(), found.clone()));
    }

    fn clear(&self) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

impl SqlStore {
    /// A SQLite store over the database file at `path`: the writer thread opens its own
    /// connection there; `maintenance` (one connection) serves [`SqlStore::begin_write`];
    /// `readers` are read-only.
    pub fn sqlite(
        path: &str,
        writer: &WriterSettings,
        busy_timeout: Duration,
        maintenance: SqlitePool,
        readers: SqlitePool,
        secrets: SecretBox,
    ) -> StoreResult<SqlStore> {
        let writer = Writer::start(path, writer, busy_timeout)?;
        let direct = DirectReaders::new(path, busy_timeout);
        Ok(SqlStore {
            backend: Backend::Sqlite { writer, maintenance, readers, direct },
            secrets,
            credentials: CredentialCache::new(CREDENTIAL_TTL),
        })
    }

    /// A PostgreSQL store; `replica` (if any) serves `is_slave` queries and nothing else. Return
    /// stock-ins share transactions, up to `max_batch` each (0: one transaction per push); this
    /// starts a task on the current tokio runtime.
    pub fn postgres(
        primary: PgPool,
        replica: Option<PgPool>,
        max_retries: u32,
        max_batch: usize,
        secrets: SecretBox,
    ) -> SqlStore {
        let batcher = (max_batch > 0).then(|| StockinBatcher::start(primary.clone(), max_batch, max_retries));
        SqlStore {
            backend: Backend::Postgres { primary, replica, max_retries, batcher },
            secrets,
            credentials: CredentialCache::new(CREDENTIAL_TTL),
        }
    }

    /// How long a credential lookup is reused (zero: never), instead of the default few seconds.
    pub fn with_credential_ttl(mut self, ttl: Duration) -> SqlStore {
        self.credentials = CredentialCache::new(ttl);
        self
    }

    /// Opens a write transaction outside the request path, for maintenance and tests. On SQLite
    /// it waits for the writer thread's transaction to end (busy timeout).
    pub async fn begin_write(&self) -> StoreResult<Conn> {
        Ok(match &self.backend {
            Backend::Sqlite { maintenance, .. } => {
                Conn::SqliteTx(maintenance.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?)
            }
            Backend::Postgres { primary, .. } => Conn::PgTx(primary.begin().await.map_err(db_err)?),
        })
    }

    fn reader(&self, replica: bool) -> Conn {
        match &self.backend {
            Backend::Sqlite { readers, .. } => Conn::SqliteRead(readers.clone()),
            Backend::Postgres { primary, replica: r, .. } => match (replica, r) {
                (true, Some(r)) => Conn::PgRead(r.clone()),
                _ => Conn::PgRead(primary.clone()),
            },
        }
    }

    /// How often a transaction is rerun after a serialisation failure or deadlock.
    fn retries(&self) -> u32 {
        match &self.backend {
            Backend::Sqlite { .. } => 0,
            Backend::Postgres { max_retries, .. } => *max_retries,
        }
    }

    /// Reads a credential from the database.
    async fn load_app(&self, sid: &str, dialect: Dialect, key: &str) -> StoreResult<AppLookup> {
        let mut conn = self.reader(false);
        let row = query(
            "SELECT s.sid, a.id, a.secret, a.salt, a.all_warehouses, a.all_shops \
             FROM sellers s LEFT JOIN apps a ON a.sid = s.sid AND a.dialect = ? AND a.app_key = ? \
             WHERE s.sid = ?",
        )
        .bind(dialect.as_str())
        .bind(key)
        .bind(sid)
        .fetch_optional(&mut conn)
        .await
        .map_err(db_err)?;
        let Some(row) = row else { return Ok(AppLookup::UnknownSid) };
        let Some(id) = row.get::<Option<i64>, _>("id") else {
            return Ok(AppLookup::UnknownKey);
        };
        let warehouses = if row.get::<bool, _>("all_warehouses") {
            None
        } else {
            Some(
                query(
                    "SELECT w.warehouse_no FROM app_warehouses aw JOIN warehouses w ON w.id = aw.warehouse_id \
                     WHERE aw.app_id = ? ORDER BY w.warehouse_no",
                )
                .bind(id)
                .scalars(&mut conn)
                .await
                .map_err(db_err)?,
            )
        };
        let shops = if row.get::<bool, _>("all_shops") {
            None
        } else {
            Some(
                query(
                    "SELECT s.shop_no FROM app_shops ap JOIN shops s ON s.id = ap.shop_id \
                     WHERE ap.app_id = ? ORDER BY s.shop_no",
                )
                .bind(id)
                .scalars(&mut conn)
                .await
                .map_err(db_err)?,
            )
        };
        Ok(AppLookup::Found(AppCredential {
            id,
            sid: sid.to_owned(),
            dialect,
            key: key.to_owned(),
            secret: self.secrets.open(&row.get::<String, _>("secret"))?,
            salt: row.get("salt"),
            warehouses,
            shops,
        }))
    }

    /// Closes the pools.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { writer, maintenance, readers, .. } => {
                writer.close().await;
                readers.close().await;
                maintenance.close().await;
            }
            Backend::Postgres { primary, replica, batcher, .. } => {
                if let Some(b) = batcher {
                    b.close().await;
                }
                if let Some(r) = replica {
                    r.close().await;
                }
                primary.close().await;
            }
        }
    }
}

/// Runs `$body` (which uses `$conn: &mut Conn`) in a write transaction and commits; a refusal
/// rolls everything back. On PostgreSQL a serialisation failure or deadlock reruns the whole
/// transaction, a bounded number of times. (A macro rather than a closure-taking function: the
/// futures must stay `Send` for every borrow of the connection.)
macro_rules! in_write_tx {
    ($store:expr, |$conn:ident| $body:expr) => {{
        let retries = $store.retries();
        let mut attempt = 0;
        loop {
            let mut tx = $store.begin_write().await?;
            let result = {
                let $conn = &mut tx;
                $body.await
            };
            let result = match result {
                Ok(v) => tx.commit().await.map(|_| v).map_err(db_err),
                Err(e) => Err(e),
            };
            match result {
                Err(e) if attempt < retries && is_transient(&e) => {
                    attempt += 1;
                    tracing::debug!(error = %e, attempt, "retrying a transaction");
                    tokio::time::sleep(Duration::from_millis(5 * u64::from(attempt))).await;
                }
                other => break other,
            }
        }
    }};
}

/// Wraps a write body for the SQLite writer thread (this pins down its higher-ranked signature).
fn body<T, F>(f: F) -> DirectBody<T>
where
    F: for<'c> FnOnce(&'c mut Conn) -> LocalFuture<'c, StoreResult<T>> + Send + 'static,
{
    Box::new(f)
}

/// Runs a write: on SQLite through the writer thread (the named arguments are cloned into the
/// request, which must own what it uses), on PostgreSQL with [`in_write_tx!`].
macro_rules! write_tx {
    ($store:expr, ($($owned:ident),*), |$conn:ident| $body:expr) => {
        match &$store.backend {
            Backend::Sqlite { writer, .. } => {
                $(let $owned = $owned.clone();)*
                writer
                    .write(body(move |$conn| {
                        Box::pin(async move {
                            $(let $owned = &$owned;)*
                            $body.await
                        })
                    }))
                    .await
            }
            Backend::Postgres { .. } => in_write_tx!($store, |$conn| $body),
        }
    };
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        query("SELECT 1").exists(&mut self.reader(false)).await.map_err(db_err)?;
        Ok(())
    }

    async fn find_app(&self, sid: &str, dialect: Dialect, key: &str) -> StoreResult<AppLookup> {
        if let Some(found) = self.credentials.get(sid, dialect, key) {
            return Ok(found);
        }
        let found = self.load_app(sid, dialect, key).await?;
        self.credentials.put(sid, dialect, key, &found);
        Ok(found)
    }

    async fn import_fixture(&self, fixture: &Fixture) -> StoreResult<ImportSummary> {
        let secrets = &self.secrets;
        let result = write_tx!(self, (secrets, fixture), |conn| import::import(conn, secrets, fixture));
        self.credentials.clear();
        result
    }

    async fn verify(&self) -> StoreResult<VerifyReport> {
        verify::verify(&mut self.reader(false)).await
    }

    async fn create_return_stockin(&self, app: &AppCredential, cmd: &ReturnStockin) -> StoreResult<StockinCreated> {
        if stockin_batch::batchable(cmd) {
            match &self.backend {
                Backend::Sqlite { writer, .. } => {
                    return writer.write_stockin(stockin_batch::Pending { app: app.clone(), cmd: cmd.clone() }).await;
                }
                Backend::Postgres { batcher: Some(batcher), .. } => return batcher.create(app, cmd).await,
                Backend::Postgres { batcher: None, .. } => {}
            }
        }
        write_tx!(self, (app, cmd), |conn| stockin::create(conn, app, cmd))
    }

    async fn create_quick_return(&self, app: &AppCredential, cmd: &QuickReturn) -> StoreResult<StockinCreated> {
        write_tx!(self, (app, cmd), |conn| quick_return::create(conn, app, cmd))
    }

    async fn create_purchase_return(
        &self,
        app: &AppCredential,
        cmd: &PurchaseReturnCmd,
    ) -> StoreResult<PurchaseReturnOutcome> {
        write_tx!(self, (app, cmd), |conn| purchase_return::create(conn, app, cmd))
    }

    async fn query_return_stockins(&self, sid: &str, q: &StockinQuery) -> StoreResult<QueryPage> {
        match &self.backend {
            // The hot read path: straight from SQLite, no driver thread between rows.
            Backend::Sqlite { direct, .. } => {
                let (sid, q) = (sid.to_owned(), q.clone());
                direct.read(body(move |conn| Box::pin(async move { query::page(conn, &sid, &q).await }))).await
            }
            Backend::Postgres { .. } => query::page(&mut self.reader(q.from_replica), sid, q).await,
        }
    }

    async fn stock_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<StockLineView>> {
        views::stock_of(&mut self.reader(false), sid, spec_no).await
    }

    async fn ledger_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<LedgerRowView>> {
        views::ledger_of(&mut self.reader(false), sid, spec_no).await
    }

    async fn refund_order(&self, sid: &str, refund_no: &str) -> StoreResult<Option<RefundOrderView>> {
        views::refund_order(&mut self.reader(false), sid, refund_no).await
    }

    async fn list_refund_orders(&self, sid: Option<&str>, limit: u32) -> StoreResult<Vec<RefundOrderSummary>> {
        views::list_refund_orders(&mut self.reader(false), sid, limit).await
    }

    async fn list_stockins(&self, filter: &StockinListFilter) -> StoreResult<Vec<StockinSummary>> {
        views::list_stockins(&mut self.reader(false), filter).await
    }

    async fn stockin_lines(&self, sid: &str, order_no: &str) -> StoreResult<Vec<StockinLineView>> {
        views::stockin_lines(&mut self.reader(false), sid, order_no).await
    }

    async fn list_stock(&self, filter: &LineFilter) -> StoreResult<Vec<StockLineView>> {
        views::list_stock(&mut self.reader(false), filter).await
    }

    async fn list_ledger(&self, filter: &LineFilter) -> StoreResult<Vec<LedgerRowView>> {
        views::list_ledger(&mut self.reader(false), filter).await
    }

    async fn list_purchase_returns(&self, sid: Option<&str>, limit: u32) -> StoreResult<Vec<PurchaseReturnSummary>> {
        views::list_purchase_returns(&mut self.reader(false), sid, limit).await
    }

    fn write_batches(&self) -> Option<WriteBatchStats> {
        match &self.backend {
            Backend::Sqlite { writer, .. } => Some(writer.stats()),
            Backend::Postgres { batcher, .. } => batcher.as_ref().map(StockinBatcher::stats),
        }
    }

    fn pool_stats(&self) -> Vec<PoolStat> {
        let stat = |name, size: u32, idle: usize| PoolStat { name, size, idle };
        match &self.backend {
            Backend::Sqlite { readers, .. } => vec![stat("readers", readers.size(), readers.num_idle())],
            Backend::Postgres { primary, replica, .. } => {
                let mut v = vec![stat("primary", primary.size(), primary.num_idle())];
                if let Some(r) = replica {
                    v.push(stat("replica", r.size(), r.num_idle()));
                }
                v
            }
        }
    }
}
