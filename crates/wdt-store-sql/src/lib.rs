//! The Store implementation shared by the SQLite and PostgreSQL backends: one set of SQL (written
//! with `?` placeholders and types both databases share), two drivers.
//!
//! The backend crates open their pools and apply their own migrations, then hand them to
//! [`SqlStore`]. Writes run in one transaction each: `BEGIN IMMEDIATE` on SQLite's single writer
//! connection; on PostgreSQL a plain transaction whose document rows are locked with
//! `SELECT … FOR UPDATE` in a fixed order, retried a bounded number of times on serialisation
//! failures and deadlocks.
#![warn(missing_docs)]

pub mod db;
mod import;
mod purchase_return;
mod query;
mod quick_return;
mod secrets;
mod sql;
mod stockin;
mod verify;
mod views;

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
    StockinListFilter, StockinSummary, Store, StoreError, StoreResult, VerifyReport,
};

pub use crate::secrets::SecretBox;

use crate::db::{Conn, query};

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

/// PostgreSQL error codes worth retrying the whole transaction for.
fn is_transient(e: &StoreError) -> bool {
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

enum Backend {
    Sqlite { writer: SqlitePool, readers: SqlitePool },
    Postgres { primary: PgPool, replica: Option<PgPool>, max_retries: u32 },
}

/// The store over either database.
pub struct SqlStore {
    backend: Backend,
    secrets: SecretBox,
}

impl SqlStore {
    /// A SQLite store: `writer` must hold exactly one connection; `readers` are read-only.
    pub fn sqlite(writer: SqlitePool, readers: SqlitePool, secrets: SecretBox) -> SqlStore {
        SqlStore { backend: Backend::Sqlite { writer, readers }, secrets }
    }

    /// A PostgreSQL store; `replica` (if any) serves `is_slave` queries and nothing else.
    pub fn postgres(primary: PgPool, replica: Option<PgPool>, max_retries: u32, secrets: SecretBox) -> SqlStore {
        SqlStore { backend: Backend::Postgres { primary, replica, max_retries }, secrets }
    }

    /// Opens a write transaction.
    pub async fn begin_write(&self) -> StoreResult<Conn> {
        Ok(match &self.backend {
            Backend::Sqlite { writer, .. } => {
                Conn::SqliteTx(writer.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?)
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

    /// Closes the pools.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { writer, readers } => {
                readers.close().await;
                writer.close().await;
            }
            Backend::Postgres { primary, replica, .. } => {
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

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        query("SELECT 1").exists(&mut self.reader(false)).await.map_err(db_err)?;
        Ok(())
    }

    async fn find_app(&self, sid: &str, dialect: Dialect, key: &str) -> StoreResult<AppLookup> {
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

    async fn import_fixture(&self, fixture: &Fixture) -> StoreResult<ImportSummary> {
        in_write_tx!(self, |conn| import::import(conn, &self.secrets, fixture))
    }

    async fn verify(&self) -> StoreResult<VerifyReport> {
        verify::verify(&mut self.reader(false)).await
    }

    async fn create_return_stockin(&self, app: &AppCredential, cmd: &ReturnStockin) -> StoreResult<StockinCreated> {
        in_write_tx!(self, |conn| stockin::create(conn, app, cmd))
    }

    async fn create_quick_return(&self, app: &AppCredential, cmd: &QuickReturn) -> StoreResult<StockinCreated> {
        in_write_tx!(self, |conn| quick_return::create(conn, app, cmd))
    }

    async fn create_purchase_return(
        &self,
        app: &AppCredential,
        cmd: &PurchaseReturnCmd,
    ) -> StoreResult<PurchaseReturnOutcome> {
        in_write_tx!(self, |conn| purchase_return::create(conn, app, cmd))
    }

    async fn query_return_stockins(&self, sid: &str, q: &StockinQuery) -> StoreResult<QueryPage> {
        query::page(&mut self.reader(q.from_replica), sid, q).await
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

    fn pool_stats(&self) -> Vec<PoolStat> {
        let stat = |name, size: u32, idle: usize| PoolStat { name, size, idle };
        match &self.backend {
            Backend::Sqlite { writer, readers } => vec![
                stat("writer", writer.size(), writer.num_idle()),
                stat("readers", readers.size(), readers.num_idle()),
            ],
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
