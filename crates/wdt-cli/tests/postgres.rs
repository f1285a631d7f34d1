//! Several stateless servers over one PostgreSQL database, and `is_slave` reads from a replica.
//! Skipped (with a message) without `WDT_TEST_DATABASE_URL`; a failure under `CI=true`.

use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wdt_client::{Client, RetryPolicy};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};
use wdt_store_pg::testing::{TestDatabase, server_url};

const BIN: &str = env!("CARGO_BIN_EXE_wdt-returns");
/// Every server over one database shares the key that seals app secrets.
const TEST_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn serve(args: &[&str]) -> (Served, String) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(BIN)
        .env("WDT_SECRET_KEY", TEST_KEY)
        .args(["serve", "--listen", &listen])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let served = Served(child);
    let url = format!("http://{listen}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let http = reqwest::Client::new();
    loop {
        if let Ok(r) = http.get(format!("{url}/healthz")).send().await
            && r.status().is_success()
        {
            return (served, url);
        }
        assert!(Instant::now() < deadline, "server did not become healthy");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).env("WDT_SECRET_KEY", TEST_KEY).args(args).output().expect("run wdt-returns")
}

fn client(url: &str) -> Client {
    Client::qjb(url, "demo", "demo-qjb", "demo-secret:demo-salt").with_retry(RetryPolicy::none())
}

#[tokio::test]
async fn two_servers_over_one_database_never_receive_more_than_expected() {
    let Some(server) = server_url("two servers over one PostgreSQL database") else { return };
    let db = TestDatabase::create(&server).await;
    let (_a, url_a) = serve(&["--database", &db.url, "--demo"]).await;
    let (_b, url_b) = serve(&["--database", &db.url, "--demo"]).await;

    // 20 pushes of one unit, split between the servers, against an item expecting 3.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let c = client(if i % 2 == 0 { &url_a } else { &url_b });
        tasks.push(tokio::spawn(async move {
            let order = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": format!("PG-RACE-{i}"), "warehouse_no": "WH1",
                                "create_mode": 2, "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}]);
            c.call("wms.stockin.Refund.createOrder", &order).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), Some(100), "only business refusals: {e}"),
        }
    }
    assert_eq!(ok, 3, "exactly what the refund item expects");

    // 10 different pushes with one outer number, split between the servers: exactly one commits.
    // (Byte-identical copies would be one call, answered alike: the replay tests cover those.)
    let mut tasks = Vec::new();
    for i in 0..10 {
        let c = client(if i % 2 == 0 { &url_a } else { &url_b });
        tasks.push(tokio::spawn(async move {
            let order = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": "PG-SAME", "warehouse_no": "WH1",
                                "create_mode": 2, "remark": format!("copy {i}"),
                                "detail_list": [{"spec_no": "MUG-BLUE", "num": 1}]}]);
            c.call("wms.stockin.Refund.createOrder", &order).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), Some(100), "{e}"),
        }
    }
    assert_eq!(ok, 1);

    let verify = run(&["verify", "--database", &db.url]);
    let text = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success() && text.contains("all invariants hold"), "{text}");
}

#[tokio::test]
async fn is_slave_queries_are_served_by_the_replica_pool() {
    let Some(server) = server_url("is_slave reads from the replica") else { return };
    let primary = TestDatabase::create(&server).await;
    let replica = TestDatabase::create(&server).await;
    // The "replica" is a second database with different contents: the demo data, no stock-ins.
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo.json");
    assert!(run(&["import", "--database", &replica.url, fixture]).status.success());
    let (_s, url) = serve(&["--database", &primary.url, "--replica-url", &replica.url, "--demo"]).await;
    let c = client(&url);
    let order = json!([{"refund_no": "TK-DEMO-1", "warehouse_no": "WH1", "create_mode": 2,
                        "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}]);
    c.call("wms.stockin.Refund.createOrder", &order).await.expect("push to the primary");

    let now = now_ms();
    let count = |slave: bool| {
        let c = c.clone();
        async move {
            let params = json!([{"start_time": format_wire_time(now - 600_000), "end_time": format_wire_time(now + 600_000),
                                 "is_slave": slave}]);
            let page: Value = c
                .call_paged(
                    "wms.stockin.Refund.queryWithDetail",
                    &Pager { page_size: 10, page_no: 0, calc_total: true },
                    &params,
                )
                .await
                .expect("query");
            page["total_count"].as_i64().unwrap()
        }
    };
    assert_eq!(count(false).await, 1, "the primary has the push");
    assert_eq!(count(true).await, 0, "is_slave=true reads the replica, which has none");
}
