//! The bench's own handle on the database: the product's store, opened as `wdt-returns` opens
//! it, for seeding, growing and checking.

use std::sync::Arc;

use anyhow::Context;
use wdt_protocol::Dialect;
use wdt_protocol::clock::Clock;
use wdt_store::{AppCredential, AppLookup, Store};
use wdt_store_pg::{PgSettings, PgStore};
use wdt_store_sqlite::{SecretBox, SqliteSettings, SqliteStore};

use crate::wire::{BENCH_KEY, BENCH_SID};

/// The key that seals app secrets, handed to the server too (`WDT_SECRET_KEY`).
pub const SECRET_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Whether `url` names a PostgreSQL database.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `PostgreSQL` or `SQLite`, as the tables name the backend.
pub fn backend_name(url: &str) -> &'static str {
    if is_postgres(url) { "PostgreSQL" } else { "SQLite" }
}

/// Opens the store at `url` (applying migrations), with the server's default settings.
pub async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    open_with_clock(url, Clock::real()).await
}

/// Opens the store at `url` reading time from `clock`.
pub async fn open_with_clock(url: &str, clock: Clock) -> anyhow::Result<Arc<dyn Store>> {
    let secrets = SecretBox::from_hex(SECRET_KEY).context("the bench's secret key")?;
    if is_postgres(url) {
        let store = PgStore::open(url, &PgSettings::default(), secrets).await.context("connecting")?;
        return Ok(Arc::new(store.with_clock(clock)));
    }
    let store =
        SqliteStore::open(url, &SqliteSettings::default(), secrets).await.with_context(|| format!("opening {url}"))?;
    Ok(Arc::new(store.with_clock(clock)))
}

/// The bench's qjb credential, as the server would find it for a push.
pub async fn bench_app(store: &dyn Store) -> anyhow::Result<AppCredential> {
    match store.find_app(BENCH_SID, Dialect::Qjb, BENCH_KEY).await? {
        AppLookup::Found(app) => Ok(app),
        other => anyhow::bail!("the bench's app is not in the database: {other:?}"),
    }
}
