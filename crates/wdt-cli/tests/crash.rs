//! Crash consistency: push continuously from several clients, `kill -9` the server mid-load,
//! restart it on the same database. Every push answered with status 0 is there; every push
//! answered with a refusal is not; `verify` passes. On SQLite, and on PostgreSQL when
//! `WDT_TEST_DATABASE_URL` is set.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Mutex;
use wdt_client::{Client, Error, RetryPolicy};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};
use wdt_store_pg::testing::{TestDatabase, server_url};

const BIN: &str = env!("CARGO_BIN_EXE_wdt-returns");
/// Every server over one database shares the key that seals app secrets.
const TEST_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

// The child is returned to the caller, which kills and waits for it.
#[allow(clippy::zombie_processes)]
async fn start(database: &str, fixture: &Path, port: u16) -> Child {
    let mut child = Command::new(BIN)
        .env("WDT_SECRET_KEY", TEST_KEY)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database", database])
        .args(["--fixture", fixture.to_str().unwrap(), "--rate-limit-per-minute", "0", "--rate-limit-concurrent", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = http.get(format!("http://127.0.0.1:{port}/healthz")).send().await
            && r.status().is_success()
        {
            return child;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("server did not become healthy");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The demo fixture with TK-DEMO-1 expecting plenty of MUG-RED, so every push can succeed.
fn fixture(dir: &Path) -> std::path::PathBuf {
    let demo = include_str!("../../../fixtures/demo.json");
    let mut f: Value = serde_json::from_str(demo).unwrap();
    f["trades"][0]["items"][0]["num"] = json!("100000");
    f["refund_orders"][0]["items"][0]["refund_num"] = json!("100000");
    let path = dir.join("crash-fixture.json");
    std::fs::write(&path, f.to_string()).unwrap();
    path
}

#[derive(Debug)]
enum Outcome {
    Committed(String),
    Refused,
    Unknown,
}

async fn crash_and_recover(database: &str) {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixture(dir.path());
    let port = free_port();
    let mut server = start(database, &fixture, port).await;
    let url = format!("http://127.0.0.1:{port}");
    let outcomes: Arc<Mutex<Vec<(String, Outcome)>>> = Arc::default();
    let mut tasks = Vec::new();
    for t in 0..4 {
        let (url, outcomes) = (url.clone(), Arc::clone(&outcomes));
        tasks.push(tokio::spawn(async move {
            let c = Client::qjb(&url, "demo", "demo-qjb", "demo-secret:demo-salt").with_retry(RetryPolicy::none());
            for i in 0.. {
                let outer = format!("CR-{t}-{i}");
                // Every fifth push names an unknown spec: a refusal that must leave no trace.
                let spec = if i % 5 == 4 { "NO-SUCH-SPEC" } else { "MUG-RED" };
                let order = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": outer, "warehouse_no": "WH1",
                                    "create_mode": 2, "detail_list": [{"spec_no": spec, "num": 1}]}]);
                let outcome = match c.call("wms.stockin.Refund.createOrder", &order).await {
                    Ok(Some(Value::String(no))) => Outcome::Committed(no),
                    Ok(other) => panic!("unexpected data {other:?}"),
                    Err(Error::Remote { .. }) => Outcome::Refused,
                    Err(_) => Outcome::Unknown,
                };
                let stop = matches!(outcome, Outcome::Unknown);
                outcomes.lock().await.push((outer, outcome));
                if stop {
                    break;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().expect("kill -9");
    server.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }

    let mut server = start(database, &fixture, port).await;
    let c = Client::qjb(&url, "demo", "demo-qjb", "demo-secret:demo-salt").with_retry(RetryPolicy::none());
    let outcomes = outcomes.lock().await;
    let committed = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Committed(_))).count();
    let refused = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Refused)).count();
    assert!(committed >= 10 && refused >= 2, "load ran: {committed} committed, {refused} refused");
    let now = now_ms();
    for (outer, outcome) in outcomes.iter() {
        match outcome {
            Outcome::Committed(no) => {
                let params = json!([{"start_time": format_wire_time(now - 3_600_000),
                                     "end_time": format_wire_time(now + 3_600_000), "stockin_no": no}]);
                let page = c
                    .call_paged(
                        "wms.stockin.Refund.queryWithDetail",
                        &Pager { page_size: 1, page_no: 0, calc_total: true },
                        &params,
                    )
                    .await
                    .unwrap();
                assert_eq!(page["total_count"], 1, "{outer} ({no}) was acknowledged and must survive the crash");
            }
            Outcome::Refused => {
                // Never written: the outer number is still free.
                let order = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": outer, "warehouse_no": "WH1",
                                    "create_mode": 0, "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}]);
                assert!(c.call("wms.stockin.Refund.createOrder", &order).await.is_ok(), "{outer} left a trace");
            }
            Outcome::Unknown => {}
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let verify =
        Command::new(BIN).env("WDT_SECRET_KEY", TEST_KEY).args(["verify", "--database", database]).output().unwrap();
    let text = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{text}");
    eprintln!(
        "crash test on {}: {committed} committed, {refused} refused before the kill",
        database.split(':').next().unwrap_or("")
    );
}

#[tokio::test]
async fn kill_9_mid_load_on_sqlite_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    crash_and_recover(&format!("sqlite://{}", dir.path().join("crash.db").display())).await;
}

#[tokio::test]
async fn kill_9_mid_load_on_postgres_loses_nothing_acknowledged() {
    let Some(server) = server_url("crash test on PostgreSQL") else { return };
    let db = TestDatabase::create(&server).await;
    crash_and_recover(&db.url).await;
}
