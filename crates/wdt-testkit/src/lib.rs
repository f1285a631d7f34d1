//! A local Wangdiantong ERP for integration tests.
//!
//! [`TestErp::start`] runs wdt-returns in-process, in test mode, on a random port over a
//! throwaway database loaded with a fixture (SPEC.md §6), and hands back the base URL, the
//! fixture's credentials, a [`wdt_client::Client`] of each dialect, and typed calls of the
//! test-mode controls (SPEC.md §11): clock, fixtures, reset, snapshots, faults, journal.
//!
//! ```no_run
//! # async fn example() {
//! use wdt_testkit::TestErp;
//!
//! let erp = TestErp::start(include_str!("../../../fixtures/demo.json")).await;
//! erp.freeze_clock("2026-03-01 10:00:00").await.unwrap();
//! let order = serde_json::json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": "WMS-1", "warehouse_no": "WH1",
//!     "create_mode": 2, "detail_list": [{"spec_no": "MUG-RED", "num": "1"}]}]);
//! let order_no: String = erp.qjb().call_typed("wms.stockin.Refund.createOrder", &order).await.unwrap();
//! assert_eq!(order_no, "RK202603010001");
//! # }
//! ```
//!
//! The clients read the server's clock, so their signatures stay inside the timestamp window
//! whatever the test does to it. Each `TestErp` has its own database, clock, faults and journal:
//! tests may run in parallel. Dropping it stops the server and removes the database.
#![warn(missing_docs)]

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use wdt_client::{Client, RetryPolicy};
use wdt_domain::fixture::Fixture;
use wdt_protocol::Dialect;
use wdt_server::{AppState, Server, ServerConfig};
use wdt_store::Store;
use wdt_store_pg::testing::TestDatabase;

pub use wdt_server::testmode::faults::{FaultKind, FaultSpec};

/// A control call the server refused, or that did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// The admin API answered an error (`{"error":{"code","message"}}`).
    #[error("HTTP {status} {code}: {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// `not_found`, `invalid`, `conflict`, ….
        code: String,
        /// The message, naming field and value.
        message: String,
    },
    /// The request did not complete, or the answer was not JSON.
    #[error("control call failed: {0}")]
    Transport(String),
}

/// A credential of the fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// Its dialect.
    pub dialect: Dialect,
    /// qjb `key` or openapi2 `appkey`.
    pub key: String,
    /// The appsecret as issued (qjb `secret:salt`).
    pub appsecret: String,
}

/// One call of the journal (`GET /admin/v1/journal`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct JournalCall {
    /// Arrival order, from 1.
    pub seq: u64,
    /// When (wire time, the server clock).
    pub time: String,
    /// When (epoch ms).
    pub at_ms: i64,
    /// `qjb` or `openapi2`.
    pub dialect: String,
    /// Method or endpoint.
    pub method: String,
    /// The key.
    pub key: String,
    /// The seller.
    pub sid: String,
    /// Parameters, `sign` and `salt` left out.
    pub params: serde_json::Map<String, Value>,
    /// The body (qjb).
    pub body: String,
    /// HTTP status answered.
    pub http_status: u16,
    /// The answer.
    pub response: String,
    /// Whether body or answer was cut.
    pub truncated: bool,
    /// Time to answer, microseconds.
    pub latency_us: u64,
}

/// Which calls [`TestErp::journal`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalQuery {
    /// Calls at or after (wire time or epoch ms).
    pub since: Option<String>,
    /// Of this method only.
    pub method: Option<String>,
    /// Of this key only.
    pub key: Option<String>,
    /// At most (the server caps it at 1,000).
    pub limit: Option<u32>,
}

/// Where the test database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Database {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A new database on the PostgreSQL server at this URL, dropped afterwards.
    Postgres(String),
}

/// Options of a [`TestErp`] beyond its fixture.
#[derive(Clone)]
pub struct TestErpBuilder {
    fixtures: Vec<Fixture>,
    config: ServerConfig,
    database: Database,
    store: Option<Arc<dyn Store>>,
    test_mode: bool,
    retry: RetryPolicy,
}

impl TestErpBuilder {
    /// Loads `fixture` (a SPEC.md §6 document) too; the first one's seller and credentials are
    /// the kit's.
    pub fn fixture(mut self, fixture: &str) -> TestErpBuilder {
        self.fixtures.push(Fixture::parse(fixture).unwrap_or_else(|e| panic!("the fixture is refused: {e}")));
        self
    }

    /// Runs over a new database on the PostgreSQL server at `server_url` (its user may create
    /// databases), dropped when the kit is.
    pub fn postgres(mut self, server_url: &str) -> TestErpBuilder {
        self.database = Database::Postgres(server_url.to_owned());
        self
    }

    /// Serves `store`, opened by the caller (the kit then owns no database of its own).
    pub fn store(mut self, store: Arc<dyn Store>) -> TestErpBuilder {
        self.store = Some(store);
        self
    }

    /// Server settings. Test mode is the kit's (see [`TestErpBuilder::without_test_mode`]); an
    /// admin token given here is kept, else the kit makes one.
    pub fn config(mut self, config: ServerConfig) -> TestErpBuilder {
        self.config = config;
        self
    }

    /// A server as in production: none of the test-mode controls (their paths are 404) and a
    /// clock that cannot be moved. For tests of what test mode adds.
    pub fn without_test_mode(mut self) -> TestErpBuilder {
        self.test_mode = false;
        self
    }

    /// How the kit's clients retry (default: not at all, so a test sees every answer).
    pub fn retry(mut self, retry: RetryPolicy) -> TestErpBuilder {
        self.retry = retry;
        self
    }

    /// Starts the server.
    pub async fn start(self) -> TestErp {
        TestErp::launch(self).await
    }
}

/// A running local ERP; see the crate documentation.
pub struct TestErp {
    addr: std::net::SocketAddr,
    url: String,
    admin_token: String,
    sid: String,
    credentials: Vec<Credential>,
    qjb: Option<Client>,
    openapi2: Option<Client>,
    store: Arc<dyn Store>,
    http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    // Dropped last: the server stops before its database goes.
    _pg: Option<TestDatabase>,
    _dir: tempfile::TempDir,
}

impl Drop for TestErp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn random_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestErp {
    /// Starts a local ERP on SQLite with `fixture` loaded; panics (it is test code) when the
    /// fixture is refused or the server cannot start.
    pub async fn start(fixture: &str) -> TestErp {
        TestErp::builder().fixture(fixture).start().await
    }

    /// A kit to configure before [`TestErpBuilder::start`].
    pub fn builder() -> TestErpBuilder {
        TestErpBuilder {
            fixtures: Vec::new(),
            config: ServerConfig { rate_limits: wdt_server::RateLimits::off(), ..ServerConfig::default() },
            database: Database::Sqlite,
            store: None,
            test_mode: true,
            retry: RetryPolicy::none(),
        }
    }

    async fn launch(options: TestErpBuilder) -> TestErp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let secrets = wdt_store_sql::SecretBox::ephemeral().expect("a secret key");
        let (store, pg): (Arc<dyn Store>, Option<TestDatabase>) = match (&options.store, &options.database) {
            (Some(store), _) => (Arc::clone(store), None),
            (None, Database::Sqlite) => {
                let path = dir.path().join("erp.db");
                let store = wdt_store_sqlite::SqliteStore::open(
                    path.to_str().expect("a UTF-8 path"),
                    &wdt_store_sqlite::SqliteSettings::default(),
                    secrets,
                )
                .await
                .expect("the SQLite database opens");
                (Arc::new(store), None)
            }
            (None, Database::Postgres(server)) => {
                let db = TestDatabase::create(server).await;
                let store = wdt_store_pg::PgStore::open(&db.url, &wdt_store_pg::PgSettings::default(), secrets)
                    .await
                    .expect("the PostgreSQL database opens");
                (Arc::new(store), Some(db))
            }
        };
        for fixture in &options.fixtures {
            store
                .import_fixture(fixture)
                .await
                .unwrap_or_else(|e| panic!("the fixture of {} is refused: {e}", fixture.sid));
        }
        let admin_token = options.config.admin_token.clone().unwrap_or_else(random_token);
        let config =
            ServerConfig { admin_token: Some(admin_token.clone()), test_mode: options.test_mode, ..options.config };
        let server =
            Server::bind("127.0.0.1:0".parse().expect("an address"), AppState::new(Arc::clone(&store), config))
                .await
                .expect("the server binds");
        let addr = server.local_addr().expect("its address");
        let url = format!("http://{addr}");
        let (tx, rx) = oneshot::channel();
        tokio::spawn(server.run(async {
            let _ = rx.await;
        }));

        let first = options.fixtures.first();
        let sid = first.map(|f| f.sid.clone()).unwrap_or_default();
        let credentials: Vec<Credential> = first
            .map(|f| {
                f.apps
                    .iter()
                    .map(|a| Credential {
                        dialect: a.dialect,
                        key: a.app_key().unwrap_or_default().to_owned(),
                        appsecret: a.appsecret.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let client_of = |dialect: Dialect| {
            credentials.iter().find(|c| c.dialect == dialect).map(|c| {
                let client = match dialect {
                    Dialect::Qjb => Client::qjb(&url, &sid, &c.key, &c.appsecret),
                    Dialect::Openapi2 => Client::openapi2(&url, &sid, &c.key, &c.appsecret),
                };
                client.with_retry(options.retry).with_clock(store.clock().clone())
            })
        };
        TestErp {
            qjb: client_of(Dialect::Qjb),
            openapi2: client_of(Dialect::Openapi2),
            addr,
            url,
            admin_token,
            sid,
            credentials,
            store,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
            _pg: pg,
            _dir: dir,
        }
    }

    /// The base URL (`http://127.0.0.1:PORT`): `/openapi`, `/openapi2/…`, `/admin/v1/…`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the server listens on.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// The admin token (`Authorization: Bearer …`) of the admin API and the console.
    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }

    /// The first fixture's seller.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// The first fixture's credentials.
    pub fn credentials(&self) -> &[Credential] {
        &self.credentials
    }

    /// A client of the first fixture's first qjb credential. Panics when it has none.
    pub fn qjb(&self) -> &Client {
        self.qjb.as_ref().expect("the fixture has a qjb credential")
    }

    /// A client of the first fixture's first openapi2 credential. Panics when it has none.
    pub fn openapi2(&self) -> &Client {
        self.openapi2.as_ref().expect("the fixture has an openapi2 credential")
    }

    /// A client of another credential of the seller (`key` as the fixture names it).
    pub fn client_for(&self, key: &str) -> Client {
        let c = self.credentials.iter().find(|c| c.key == key).unwrap_or_else(|| panic!("no credential {key}"));
        let client = match c.dialect {
            Dialect::Qjb => Client::qjb(&self.url, &self.sid, &c.key, &c.appsecret),
            Dialect::Openapi2 => Client::openapi2(&self.url, &self.sid, &c.key, &c.appsecret),
        };
        client.with_retry(RetryPolicy::none()).with_clock(self.store.clock().clone())
    }

    /// The store behind the server, for assertions the API does not offer.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Any admin API call: `method` on `path` with a JSON body; the JSON answer of a 200.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ControlError> {
        let mut request = self.http.request(method, format!("{}{path}", self.url)).bearer_auth(&self.admin_token);
        if let Some(body) = body {
            request = request.header("Content-Type", "application/json").body(body.to_string());
        }
        let response = request.send().await.map_err(|e| ControlError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| ControlError::Transport(e.to_string()))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| ControlError::Transport(format!("{e}: {text}")))?;
        if status == 200 {
            return Ok(value);
        }
        let field = |name: &str| value["error"][name].as_str().unwrap_or_default().to_owned();
        Err(ControlError::Refused { status, code: field("code"), message: field("message") })
    }

    /// Stops the clock at `at` (`yyyy-MM-dd HH:mm:ss`, Shanghai time).
    pub async fn freeze_clock(&self, at: &str) -> Result<(), ControlError> {
        self.admin(reqwest::Method::PUT, "/admin/v1/clock", Some(&json!({"now": at}))).await.map(drop)
    }

    /// Moves the clock by `seconds` (a stopped clock stays stopped).
    pub async fn advance_clock(&self, seconds: i64) -> Result<(), ControlError> {
        self.admin(reqwest::Method::PUT, "/admin/v1/clock", Some(&json!({"advance_seconds": seconds}))).await.map(drop)
    }

    /// Real time again.
    pub async fn release_clock(&self) -> Result<(), ControlError> {
        self.admin(reqwest::Method::DELETE, "/admin/v1/clock", None).await.map(drop)
    }

    /// Imports another fixture, as `wdt-returns import` does.
    pub async fn import(&self, fixture: &str) -> Result<(), ControlError> {
        let doc: Value = serde_json::from_str(fixture).map_err(|e| ControlError::Transport(e.to_string()))?;
        self.admin(reqwest::Method::POST, "/admin/v1/fixtures", Some(&doc)).await.map(drop)
    }

    /// Empties every seller's data, then loads `fixture` if given.
    pub async fn reset(&self, fixture: Option<&str>) -> Result<(), ControlError> {
        let body = match fixture {
            Some(f) => {
                json!({"fixture": serde_json::from_str::<Value>(f).map_err(|e| ControlError::Transport(e.to_string()))?})
            }
            None => json!({}),
        };
        self.admin(reqwest::Method::POST, "/admin/v1/reset", Some(&body)).await.map(drop)
    }

    /// Takes snapshot `name` of every table.
    pub async fn snapshot(&self, name: &str) -> Result<(), ControlError> {
        self.admin(reqwest::Method::POST, "/admin/v1/snapshots", Some(&json!({"name": name}))).await.map(drop)
    }

    /// Puts every table back as snapshot `name` holds it.
    pub async fn restore(&self, name: &str) -> Result<(), ControlError> {
        self.admin(reqwest::Method::POST, &format!("/admin/v1/snapshots/{name}/restore"), None).await.map(drop)
    }

    /// Makes the next matching calls fail as `fault` says.
    pub async fn inject_fault(&self, fault: &FaultSpec) -> Result<(), ControlError> {
        let body = serde_json::to_value(fault).map_err(|e| ControlError::Transport(e.to_string()))?;
        self.admin(reqwest::Method::POST, "/admin/v1/faults", Some(&body)).await.map(drop)
    }

    /// Removes every fault not yet consumed.
    pub async fn clear_faults(&self) -> Result<(), ControlError> {
        self.admin(reqwest::Method::DELETE, "/admin/v1/faults", None).await.map(drop)
    }

    /// The calls the server received, oldest first.
    pub async fn journal(&self, query: &JournalQuery) -> Result<Vec<JournalCall>, ControlError> {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(v) = &query.since {
            pairs.push(("since", v.clone()));
        }
        if let Some(v) = &query.method {
            pairs.push(("method", v.clone()));
        }
        if let Some(v) = &query.key {
            pairs.push(("key", v.clone()));
        }
        if let Some(v) = query.limit {
            pairs.push(("limit", v.to_string()));
        }
        let qs: String = pairs
            .iter()
            .map(|(k, v)| {
                format!("{k}={}", v.replace('%', "%25").replace('&', "%26").replace(' ', "%20").replace('+', "%2B"))
            })
            .collect::<Vec<_>>()
            .join("&");
        let answer = self.admin(reqwest::Method::GET, &format!("/admin/v1/journal?{qs}"), None).await?;
        serde_json::from_value(answer["calls"].clone()).map_err(|e| ControlError::Transport(e.to_string()))
    }

    /// Forgets the calls so far.
    pub async fn clear_journal(&self) -> Result<(), ControlError> {
        self.admin(reqwest::Method::DELETE, "/admin/v1/journal", None).await.map(drop)
    }
}
