//! The PostgreSQL backend: several stateless servers over one database, row locks for
//! concurrency, and an optional replica pool for `is_slave=true` queries.
//!
//! The SQL is shared with SQLite in `wdt-store-sql`; this crate runs it through sqlx
//! ([`PgTx`], [`PgReader`]), opens the pools, applies its own migrations, reruns transactions
//! that failed on a serialisation failure or deadlock, and batches return stock-ins
//! (`batcher`).
#![warn(missing_docs)]

mod batcher;
mod conn;
pub mod testing;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use wdt_store::{PoolStat, StockinCreated, StoreError, StoreResult, WriteBatchStats};
use wdt_store_sql::stockin_batch::{Pending, batchable};
use wdt_store_sql::{Backend, Body, Open, body, stockin};

pub use crate::conn::{PgReader, PgTx};
pub use wdt_store_sql::{SecretBox, SqlStore};

use crate::batcher::StockinBatcher;

/// Migrations of this backend, applied to the primary on connect.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The store over a PostgreSQL database.
pub type PgStore = SqlStore<Postgres>;

/// Pool sizing, timeouts, and the replica.
#[derive(Debug, Clone)]
pub struct PgSettings {
    /// Connections to the primary.
    pub max_connections: u32,
    /// Connections kept open when idle.
    pub min_connections: u32,
    /// How long a request waits for a free connection.
    pub acquire_timeout: Duration,
    /// Idle connections are closed after this long.
    pub idle_timeout: Duration,
    /// Reruns of a transaction after a serialisation failure or deadlock.
    pub max_retries: u32,
    /// Return stock-ins per shared transaction at most (0: one transaction per push).
    pub max_batch: usize,
    /// A replica for `is_slave=true` queries (and only those); its schema is the primary's, by
    /// replication: nothing is migrated there.
    pub replica_url: Option<String>,
}

impl Default for PgSettings {
    fn default() -> Self {
        PgSettings {
            max_connections: 16,
            min_connections: 1,
            acquire_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(300),
            max_retries: 5,
            max_batch: 256,
            replica_url: None,
        }
    }
}

fn db_err(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

async fn pool(url: &str, s: &PgSettings) -> StoreResult<PgPool> {
    let options = PgConnectOptions::from_str(url).map_err(db_err)?.application_name("wdt-returns");
    PgPoolOptions::new()
        .max_connections(s.max_connections)
        .min_connections(s.min_connections)
        .acquire_timeout(s.acquire_timeout)
        .idle_timeout(Some(s.idle_timeout))
        // A ping on every acquire costs a round trip per request; broken connections surface as
        // errors and are replaced by the pool.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(db_err)
}

/// The PostgreSQL backend: the primary's pool, the replica's, and the stock-in batcher.
pub struct Postgres {
    primary: PgPool,
    replica: Option<PgPool>,
    max_retries: u32,
    batcher: Option<StockinBatcher>,
}

impl Open for Postgres {
    type Settings = PgSettings;

    /// Connects to `url`, applies pending migrations, connects to the replica when one is set,
    /// and starts the stock-in batcher on the current tokio runtime (unless `max_batch` is 0).
    async fn open(url: &str, settings: &PgSettings) -> StoreResult<Postgres> {
        let primary = pool(url, settings).await?;
        MIGRATOR.run(&primary).await.map_err(|e| StoreError::Database(e.to_string()))?;
        let replica = match &settings.replica_url {
            Some(r) => Some(pool(r, settings).await?),
            None => None,
        };
        let batcher = (settings.max_batch > 0)
            .then(|| StockinBatcher::start(primary.clone(), settings.max_batch, settings.max_retries));
        Ok(Postgres { primary, replica, max_retries: settings.max_retries, batcher })
    }
}

impl Postgres {
    /// Opens a write transaction on the primary outside the request path, for maintenance and
    /// tests.
    pub async fn begin_write(&self) -> StoreResult<PgTx> {
        PgTx::begin(&self.primary).await.map_err(StoreError::from)
    }
}

/// Runs `body` in a transaction on `pool` and commits; a serialisation failure or deadlock
/// reruns the whole transaction, up to `retries` times.
pub(crate) async fn in_transaction<T>(pool: &PgPool, retries: u32, body: &Body<PgTx, T>) -> StoreResult<T> {
    let mut attempt = 0;
    loop {
        let result = async {
            let mut tx = PgTx::begin(pool).await?;
            let value = body(&mut tx).await?;
            tx.commit().await?;
            Ok(value)
        }
        .await;
        match result {
            Err(StoreError::Transient(e)) if attempt < retries => {
                attempt += 1;
                tracing::debug!(error = %e, attempt, "retrying a transaction");
                tokio::time::sleep(Duration::from_millis(5 * u64::from(attempt))).await;
            }
            other => return other,
        }
    }
}

/// A return stock-in alone in its own transaction.
pub(crate) fn stockin_alone(pending: Pending) -> Body<PgTx, StockinCreated> {
    body(pending, |conn, p| Box::pin(stockin::create(conn, p)))
}

impl Backend for Postgres {
    type Tx = PgTx;
    type Read = PgReader;

    async fn write<T: Send + 'static>(&self, body: Body<PgTx, T>) -> StoreResult<T> {
        in_transaction(&self.primary, self.max_retries, &body).await
    }

    async fn read<T: Send + 'static>(&self, replica: bool, body: Body<PgReader, T>) -> StoreResult<T> {
        let pool = match (replica, &self.replica) {
            (true, Some(r)) => r,
            _ => &self.primary,
        };
        body(&mut PgReader(pool.clone())).await
    }

    async fn create_return_stockin(&self, pending: Pending) -> StoreResult<StockinCreated> {
        match &self.batcher {
            Some(batcher) if batchable(&pending.cmd) => batcher.create(pending).await,
            _ => self.write(stockin_alone(pending)).await,
        }
    }

    fn pool_stats(&self) -> Vec<PoolStat> {
        let stat = |name, pool: &PgPool| PoolStat { name, size: pool.size(), idle: pool.num_idle() };
        let mut v = vec![stat("primary", &self.primary)];
        if let Some(r) = &self.replica {
            v.push(stat("replica", r));
        }
        v
    }

    fn write_batches(&self) -> Option<WriteBatchStats> {
        self.batcher.as_ref().map(StockinBatcher::stats)
    }

    async fn close(&self) {
        if let Some(b) = &self.batcher {
            b.close().await;
        }
        if let Some(r) = &self.replica {
            r.close().await;
        }
        self.primary.close().await;
    }
}
