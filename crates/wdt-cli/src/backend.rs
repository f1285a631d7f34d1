//! Choosing the store from a database URL, once, at the top.

use std::sync::Arc;

use anyhow::{Context, bail};
use wdt_store::Store;
use wdt_store_sqlite::{SqliteSettings, SqliteStore};

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://wdt-returns.db";

/// Opens the store named by `url`, applying migrations.
pub async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        bail!("PostgreSQL URLs are not supported by this build yet; use sqlite://PATH");
    }
    let store = SqliteStore::open(url, &SqliteSettings::default()).await.with_context(|| format!("opening {url}"))?;
    Ok(Arc::new(store))
}
