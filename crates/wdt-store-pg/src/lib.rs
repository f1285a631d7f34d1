//! The PostgreSQL backend: several stateless servers over one database, row locks for
//! concurrency, and an optional replica pool for `is_slave=true` queries.
//!
//! The SQL is shared with SQLite in `wdt-store-sql`; this crate opens the pools and applies its
//! own migrations.
#![warn(missing_docs)]

pub mod testing;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use wdt_store::{StoreError, StoreResult};
pub use wdt_store_sql::{SecretBox, SqlStore};

/// Migrations of this backend, applied to the primary on connect.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Pool sizing and timeouts.
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
        }
    }
}

fn db_err(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

async fn pool(url: &str, s: &PgSettings) -> StoreResult<sqlx::PgPool> {
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

/// Opening PostgreSQL stores.
pub struct PgStore;

impl PgStore {
    /// Connects to `url`, applies pending migrations, and connects to `replica_url` when given
    /// (its schema is the primary's, by replication; nothing is migrated there).
    /// App secrets are sealed with `secrets`; every server over one database needs the same key.
    pub async fn connect(
        url: &str,
        replica_url: Option<&str>,
        settings: &PgSettings,
        secrets: SecretBox,
    ) -> StoreResult<SqlStore> {
        let primary = pool(url, settings).await?;
        MIGRATOR.run(&primary).await.map_err(|e| StoreError::Database(e.to_string()))?;
        let replica = match replica_url {
            Some(r) => Some(pool(r, settings).await?),
            None => None,
        };
        Ok(SqlStore::postgres(primary, replica, settings.max_retries, settings.max_batch, secrets))
    }
}
