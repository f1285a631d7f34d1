//! Choosing the store from a database URL, once, at the top.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use wdt_store::Store;
use wdt_store_pg::{PgSettings, PgStore};
use wdt_store_sqlite::{SecretBox, SqliteSettings, SqliteStore};

/// Where the key that seals app secrets at rest comes from.
#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// Key file (64 hex digits) sealing app secrets in the database; created on first use.
    /// Default: next to a SQLite file (`PATH.key`), else `wdt-returns.key` in the working
    /// directory. Every server over one database needs the same key.
    #[arg(long, env = "WDT_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
}

impl KeyArgs {
    /// The key: `WDT_SECRET_KEY` (64 hex digits) if set, else the key file for `database`.
    pub fn secrets(&self, database: &str) -> anyhow::Result<SecretBox> {
        if let Ok(hex) = std::env::var("WDT_SECRET_KEY") {
            return SecretBox::from_hex(&hex).context("WDT_SECRET_KEY");
        }
        let path = match &self.secret_key_file {
            Some(p) => p.clone(),
            None if is_postgres(database) => PathBuf::from("wdt-returns.key"),
            None => {
                let file =
                    database.strip_prefix("sqlite://").or_else(|| database.strip_prefix("sqlite:")).unwrap_or(database);
                PathBuf::from(format!("{file}.key"))
            }
        };
        SecretBox::from_key_file(&path).with_context(|| format!("secret key file {}", path.display()))
    }
}

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://wdt-returns.db";

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens the store named by `url` (applying migrations), with `replica` for `is_slave` reads.
pub async fn open(url: &str, replica: Option<&str>, pg: &PgSettings, keys: &KeyArgs) -> anyhow::Result<Arc<dyn Store>> {
    let secrets = keys.secrets(url)?;
    if is_postgres(url) {
        if let Some(r) = replica
            && !is_postgres(r)
        {
            bail!("--replica-url must be a PostgreSQL URL");
        }
        let settings = PgSettings { replica_url: replica.map(str::to_owned), ..pg.clone() };
        let store =
            PgStore::open(url, &settings, secrets).await.with_context(|| format!("connecting to {}", redact(url)))?;
        return Ok(Arc::new(store));
    }
    if replica.is_some() {
        bail!("--replica-url needs a PostgreSQL database; SQLite reads already use a separate reader pool");
    }
    let store =
        SqliteStore::open(url, &SqliteSettings::default(), secrets).await.with_context(|| format!("opening {url}"))?;
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
