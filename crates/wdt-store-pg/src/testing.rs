//! Throwaway PostgreSQL databases for tests.
//!
//! Tests read `WDT_TEST_DATABASE_URL` (a server URL whose user may create databases). Each
//! [`TestDatabase`] is a new database, dropped when the value is dropped. Without the variable a
//! test is skipped with a message saying so, except under `CI=true`, where that is a failure.

use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// The variable naming the test server.
pub const ENV: &str = "WDT_TEST_DATABASE_URL";

/// The server URL for tests, or `None` (after saying why) when PostgreSQL tests are skipped.
/// Panics under `CI=true` without it: CI must not silently skip a backend.
pub fn server_url(test: &str) -> Option<String> {
    match std::env::var(ENV) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: {ENV} is not set, and CI=true requires the PostgreSQL tests to run")
        }
        _ => {
            // Written to the real stderr handle: the test harness captures `eprintln!` of
            // passing tests, and a skip must be seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: set {ENV}=postgres://USER@HOST:PORT/DB to run it against PostgreSQL"
            );
            None
        }
    }
}

/// A database created for one test and dropped afterwards.
pub struct TestDatabase {
    admin_url: String,
    name: String,
    /// The URL of the new database.
    pub url: String,
}

impl TestDatabase {
    /// Creates a fresh, empty database on the server at `server_url`.
    pub async fn create(server_url: &str) -> TestDatabase {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let name = format!("wdt_test_{}_{}", std::process::id(), nanos % 1_000_000_000_000);
        let mut admin = PgConnection::connect(server_url).await.expect("connect to the test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create a test database");
        let url = with_database(server_url, &name);
        TestDatabase { admin_url: server_url.to_owned(), name, url }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs outside async; a short-lived runtime on its own thread does the cleanup.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async move {
                if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&mut admin)
                        .await;
                }
            });
        })
        .join();
    }
}

/// `url` with its database name replaced by `name` (user, password, host and options kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, options) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let prefix = match base[authority..].find('/') {
        Some(i) => &base[..authority + i],
        None => base,
    };
    format!("{prefix}/{name}{options}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            super::with_database("postgres://u:p@h:5432/db?sslmode=disable", "t1"),
            "postgres://u:p@h:5432/t1?sslmode=disable"
        );
        assert_eq!(super::with_database("postgres://h", "t1"), "postgres://h/t1");
    }
}
