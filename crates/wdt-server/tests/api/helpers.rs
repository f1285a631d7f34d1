//! `spawn_app()` and typed helpers for speaking both dialects by hand.

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::Value;
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::now_secs;
use wdt_protocol::{openapi2, qjb};
use wdt_server::ServerConfig;
use wdt_store::Store;
use wdt_store_pg::testing::TestDatabase;
use wdt_store_pg::{PgSettings, PgStore, PgTx};
use wdt_store_sql::db::{Executor, Query, Row};
use wdt_store_sqlite::{MaintenanceTx, SqliteSettings, SqliteStore};
use wdt_testkit::TestErp;

/// The demo fixture the binary ships.
pub const DEMO: &str = include_str!("../../../../fixtures/demo.json");
/// A second seller (sid `acme`), so cross-seller keys can be tried.
pub const ACME: &str = include_str!("../../../../fixtures/spec-example.json");

/// The demo qjb credential.
pub const QJB_KEY: &str = "demo-qjb";
/// Its appsecret (`secret:salt`).
pub const QJB_SECRET: &str = "demo-secret:demo-salt";
/// The demo openapi2 credential.
pub const ENT_KEY: &str = "demo-ent";
/// Its appsecret.
pub const ENT_SECRET: &str = "demo-ent-secret";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Arc<dyn Store>,
    pub http: reqwest::Client,
    /// The same store, concretely (for tests that must set up states the API cannot).
    pub sql: SqlHandle,
    /// The kit that runs the server; dropping it stops the server.
    pub erp: TestErp,
    _dir: tempfile::TempDir,
    _pg: Option<TestDatabase>,
}

/// Which backend the suite runs on: `WDT_TEST_BACKEND=postgres` (with `WDT_TEST_DATABASE_URL`)
/// or SQLite by default.
pub fn on_postgres() -> bool {
    std::env::var("WDT_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// The suite's store as its backend's own type.
#[derive(Clone)]
pub enum SqlHandle {
    /// SQLite.
    Sqlite(Arc<SqliteStore>),
    /// PostgreSQL.
    Postgres(Arc<PgStore>),
}

/// A write transaction a test holds, of either backend.
pub enum HeldTx {
    /// SQLite: a transaction beside the writer thread's.
    Sqlite(MaintenanceTx),
    /// PostgreSQL.
    Postgres(PgTx),
}

impl SqlHandle {
    /// The store behind the trait.
    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            SqlHandle::Sqlite(s) => s.clone(),
            SqlHandle::Postgres(s) => s.clone(),
        }
    }

    /// Opens a write transaction outside the request path.
    pub async fn begin_write(&self) -> HeldTx {
        match self {
            SqlHandle::Sqlite(s) => HeldTx::Sqlite(s.backend().begin_write().await.unwrap()),
            SqlHandle::Postgres(s) => HeldTx::Postgres(s.backend().begin_write().await.unwrap()),
        }
    }
}

impl HeldTx {
    /// Runs `q`; rows changed.
    pub async fn execute(&mut self, q: Query) -> u64 {
        match self {
            HeldTx::Sqlite(tx) => q.execute(tx).await.unwrap(),
            HeldTx::Postgres(tx) => q.execute(tx).await.unwrap(),
        }
    }

    /// Runs `q`; its rows.
    pub async fn fetch_all(&mut self, q: Query) -> Vec<Row> {
        match self {
            HeldTx::Sqlite(tx) => q.fetch_all(tx).await.unwrap(),
            HeldTx::Postgres(tx) => q.fetch_all(tx).await.unwrap(),
        }
    }

    /// ` FOR UPDATE OF alias` where the backend locks rows.
    pub fn lock_of(&self, alias: &str) -> String {
        match self {
            HeldTx::Sqlite(tx) => tx.lock_of(alias),
            HeldTx::Postgres(tx) => tx.lock_of(alias),
        }
    }

    /// Commits.
    pub async fn commit(self) {
        match self {
            HeldTx::Sqlite(tx) => tx.commit().await.unwrap(),
            HeldTx::Postgres(tx) => tx.commit().await.unwrap(),
        }
    }
}

/// A fresh empty store of the suite's backend, and what keeps it alive.
pub async fn fresh_store(dir: &tempfile::TempDir) -> (SqlHandle, Option<TestDatabase>) {
    if on_postgres() {
        let server =
            std::env::var(wdt_store_pg::testing::ENV).expect("WDT_TEST_BACKEND=postgres needs WDT_TEST_DATABASE_URL");
        let db = TestDatabase::create(&server).await;
        let store = PgStore::open(&db.url, &PgSettings::default(), wdt_store_sql::SecretBox::ephemeral().unwrap())
            .await
            .expect("connect");
        (SqlHandle::Postgres(Arc::new(store)), Some(db))
    } else {
        let path = dir.path().join("test.db");
        let store = SqliteStore::open(
            path.to_str().unwrap(),
            &SqliteSettings::default(),
            wdt_store_sql::SecretBox::ephemeral().unwrap(),
        )
        .await
        .expect("open store");
        (SqlHandle::Sqlite(Arc::new(store)), None)
    }
}

/// Starts the server on 127.0.0.1:0 with the demo and acme fixtures loaded.
pub async fn spawn_app() -> TestApp {
    // The suite fires many calls at once from one key; limits have their own tests.
    spawn_app_with(ServerConfig { rate_limits: wdt_server::RateLimits::off(), ..ServerConfig::default() }).await
}

/// Starts the server with `config` through the test kit ([`wdt_testkit::TestErp`]), over a fresh
/// store of the suite's backend with the demo and acme fixtures; test mode only when `config`
/// asks for it.
pub async fn spawn_app_with(config: ServerConfig) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (sql, pg) = fresh_store(&dir).await;
    let store: Arc<dyn Store> = sql.store();
    let test_mode = config.test_mode;
    let mut kit = TestErp::builder().store(Arc::clone(&store)).fixture(DEMO).fixture(ACME).config(config);
    if !test_mode {
        kit = kit.without_test_mode();
    }
    let erp = kit.start().await;
    TestApp { addr: erp.addr(), store, http: reqwest::Client::new(), sql, erp, _dir: dir, _pg: pg }
}

/// Current qjb timestamp.
pub fn qjb_now() -> i64 {
    qjb::timestamp_from_unix(now_secs())
}

/// A qjb call under construction: pairs signed as the official SDK signs them, then mutable.
pub struct QjbCall {
    pub pairs: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl QjbCall {
    /// A correctly signed call of the demo key, a new call each time (see [`distinct_offset`]).
    pub fn new(method: &str, body: &str) -> QjbCall {
        QjbCall::signed("demo", QJB_KEY, QJB_SECRET, method, qjb_now() - distinct_offset(), None, body)
    }

    /// A signed call with everything chosen.
    pub fn signed(
        sid: &str,
        key: &str,
        appsecret: &str,
        method: &str,
        timestamp: i64,
        pager: Option<&Pager>,
        body: &str,
    ) -> QjbCall {
        QjbCall { pairs: qjb::signed_query(sid, key, appsecret, method, timestamp, pager, body), body: body.into() }
    }

    /// Replaces (or adds) a parameter without re-signing.
    pub fn set(mut self, name: &str, value: &str) -> QjbCall {
        match self.pairs.iter_mut().find(|(k, _)| k == name) {
            Some(pair) => pair.1 = value.to_owned(),
            None => self.pairs.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// Removes a parameter without re-signing.
    pub fn without(mut self, name: &str) -> QjbCall {
        self.pairs.retain(|(k, _)| k != name);
        self
    }

    /// Re-signs with `appsecret` over the current pairs and body.
    pub fn resign(self, appsecret: &str) -> QjbCall {
        let (secret, _) = qjb::split_appsecret(appsecret);
        let body = String::from_utf8(self.body.clone()).unwrap();
        let pairs: Vec<(String, String)> = self.pairs.iter().filter(|(k, _)| k != "sign").cloned().collect();
        let sign = qjb::sign(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &body, secret);
        self.set("sign", &sign)
    }
}

impl TestApp {
    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Posts a qjb call by hand; returns the HTTP status and the parsed body.
    pub async fn post_qjb(&self, call: &QjbCall) -> (u16, Value) {
        let query = qjb::encode_query(&call.pairs);
        let response = self
            .http
            .post(format!("{}/openapi?{query}", self.url()))
            .header("Content-Type", "application/json")
            .body(call.body.clone())
            .send()
            .await
            .expect("send");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
    }

    /// Posts openapi2 form fields by hand.
    pub async fn post_openapi2(&self, endpoint: &str, form: &[(String, String)]) -> (u16, Value) {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let response = self
            .http
            .post(format!("{}/openapi2/{endpoint}", self.url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("send");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
    }
}

/// A correctly signed openapi2 form for the demo appkey, a new call each time (see
/// [`distinct_offset`]).
pub fn ent_form(business: &[(&str, &str)]) -> Vec<(String, String)> {
    openapi2::signed_form("demo", ENT_KEY, ENT_SECRET, now_secs() - distinct_offset(), business)
}

/// Seconds to sign a helper-built request in the past by (0 to 99): two requests built alike
/// then differ, as a client's next call does. A byte-identical copy is the same call, answered as
/// the first was (replays.rs sends those on purpose). The offsets step by 37, not 1: stepping by
/// one, the next call made one second later got the same timestamp back (now + 1 − (k + 1)),
/// and an identical body was then answered as a replay.
pub fn distinct_offset() -> i64 {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) * 37 % 100
}

/// Asserts a qjb error envelope: exactly `status` and `message` keys.
#[track_caller]
pub fn assert_qjb_error(answer: &(u16, Value), status: i64, message_contains: &str) {
    let (http, body) = answer;
    assert_eq!(*http, 200, "HTTP status for {body}");
    assert_eq!(body["status"], status, "status in {body}");
    let message = body["message"].as_str().unwrap_or_else(|| panic!("message in {body}"));
    assert!(message.contains(message_contains), "{message:?} should contain {message_contains:?}");
    assert!(body.get("data").is_none(), "no data on error: {body}");
}

/// Asserts an openapi2 error envelope.
#[track_caller]
pub fn assert_openapi2_error(answer: &(u16, Value), code: Value, message_contains: &str) {
    let (http, body) = answer;
    assert_eq!(*http, 200, "HTTP status for {body}");
    assert_eq!(body["code"], code, "code in {body}");
    let message = body["message"].as_str().unwrap_or_else(|| panic!("message in {body}"));
    assert!(message.contains(message_contains), "{message:?} should contain {message_contains:?}");
}

/// The first page (up to 10) of stock-ins modified in the last and next minute, through the API.
pub async fn recent_stockins(app: &TestApp) -> Value {
    let now = wdt_protocol::time::now_ms();
    let params = serde_json::json!([{"start_time": wdt_protocol::time::format_wire_time(now - 60_000),
                                     "end_time": wdt_protocol::time::format_wire_time(now + 60_000)}]);
    let pager = Pager { page_size: 10, page_no: 0, calc_total: false };
    let call = QjbCall::signed(
        "demo",
        QJB_KEY,
        QJB_SECRET,
        "wms.stockin.Refund.queryWithDetail",
        qjb_now(),
        Some(&pager),
        &params.to_string(),
    );
    app.post_qjb(&call).await.1
}

/// The fields an answer may have beyond a page's example.
#[derive(Debug, Clone, Copy)]
pub enum Extra<'a> {
    /// Only these (the response table's fields the example leaves out).
    Only(&'a [&'a str]),
    /// Any.
    Any,
}

/// Where `ours` differs in shape from the page's example `seed`: every key of `seed` is in
/// `ours` with the same JSON type, recursively, each element of a list against the example's
/// first; keys `seed` lacks must be `extra`; along the first elements, a list the example fills
/// must not be empty (an empty one proves nothing; later rows may hold empty lists).
pub fn shape_problems(seed: &Value, ours: &Value, extra: Extra<'_>) -> Vec<String> {
    fn kind(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
    fn walk(seed: &Value, ours: &Value, path: &str, extra: Extra<'_>, fill: bool, problems: &mut Vec<String>) {
        if kind(seed) != kind(ours) {
            problems.push(format!("{path}: the example's {} vs our {} ({ours})", kind(seed), kind(ours)));
            return;
        }
        match (seed, ours) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in a {
                    match b.get(k) {
                        Some(w) => walk(v, w, &format!("{path}.{k}"), extra, fill, problems),
                        None => problems.push(format!("{path}.{k}: missing")),
                    }
                }
                if let Extra::Only(allowed) = extra {
                    for k in b.keys().filter(|k| !a.contains_key(*k) && !allowed.contains(&k.as_str())) {
                        problems.push(format!("{path}.{k}: not in the example"));
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => match a.first() {
                Some(_) if b.is_empty() && fill => problems.push(format!("{path}: empty, the example's is not")),
                Some(first) => {
                    for (n, y) in b.iter().enumerate() {
                        walk(first, y, &format!("{path}[{n}]"), extra, fill && n == 0, problems);
                    }
                }
                None => {}
            },
            _ => {}
        }
    }
    let mut problems = Vec::new();
    walk(seed, ours, "$", extra, true, &mut problems);
    problems
}

/// Asserts that `ours` has the shape of the page's example `seed` ([`shape_problems`]).
#[track_caller]
pub fn assert_same_shape(seed: &Value, ours: &Value, extra: Extra<'_>) {
    let problems = shape_problems(seed, ours, extra);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// One signed qjb call of `method` with `params` as its one argument (and the pager, if any),
/// as key `key` with appsecret `secret` of seller `demo`, timed by the store's clock (test mode
/// may move it) and [`distinct_offset`]; the answer (HTTP 200 asserted).
pub async fn qjb_params_call(
    app: &TestApp,
    (key, secret): (&str, &str),
    method: &str,
    params: Value,
    pager: Option<&Pager>,
) -> Value {
    let body = serde_json::json!([params]).to_string();
    let timestamp = qjb::timestamp_from_unix(app.store.clock().now_secs()) - distinct_offset();
    let call = QjbCall::signed("demo", key, secret, method, timestamp, pager, &body);
    let (http, answer) = app.post_qjb(&call).await;
    assert_eq!(http, 200);
    answer
}
