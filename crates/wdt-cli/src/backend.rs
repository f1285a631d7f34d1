//! Choosing the store from a database URL, once, at the top.

use std::sync::Arc;

use anyhow::{Context, bail};
use wdt_store::Store;
use wdt_store_pg::{PgSettings, PgStore};
use wdt_store_sqlite::{SqliteSettings, SqliteStore};

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://wdt-returns.db";

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens the store named by `url` (applying migrations), with `replica` for `is_slave` reads.
pub async fn open(url: &str, replica: Option<&str>, pg: &PgSettings) -> anyhow::Result<Arc<dyn Store>> {
    if is_postgres(url) {
        if let Some(r) = replica
            && !is_postgres(r)
        {
            bail!("--replica-url must be a PostgreSQL URL");
        }
        let store =
            PgStore::connect(url, replica, pg).await.with_context(|| format!("connecting to {}", redact(url)))?;
        return Ok(Arc::new(store));
    }
    if replica.is_some() {
        bail!("--replica-url needs a PostgreSQL database; SQLite reads already use a separate reader pool");
    }
    let store = SqliteStore::open(url, &SqliteSettings::default()).await.with_context(|| format!("opening {url}"))?;
    Ok(Arc::new(store))
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://a.db"), "sqlite://a.db");
    }
}
