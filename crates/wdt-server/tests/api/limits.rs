//! Per-key rate limits answered with the vendor's messages, and the SDK retrying on them.

use std::time::Duration;

use serde_json::json;
use wdt_client::{Client, RetryPolicy};
use wdt_protocol::error::{CONCURRENCY_LIMIT_MESSAGE, RATE_LIMIT_MESSAGE};
use wdt_server::{RateLimits, ServerConfig};
use wdt_store_sql::db::query;

use crate::helpers::*;

const CREATE: &str = "wms.stockin.Refund.createOrder";

fn push_body(outer: &str) -> String {
    json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": outer, "warehouse_no": "WH1", "create_mode": 0,
            "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}])
    .to_string()
}

#[tokio::test]
async fn calls_per_minute_are_limited_per_key_with_the_vendor_message() {
    let limits = RateLimits { per_minute: 3, concurrent: 0, max_in_flight: 0 };
    let app = spawn_app_with(ServerConfig { rate_limits: limits, ..ServerConfig::default() }).await;
    let mut answers = Vec::new();
    for i in 0..4 {
        answers.push(app.post_qjb(&QjbCall::new(CREATE, &push_body(&format!("RL-{i}")))).await.1);
    }
    assert!(answers[..3].iter().all(|a| a["status"] == 0), "{answers:?}");
    assert_eq!(answers[3], json!({"status": 100, "message": RATE_LIMIT_MESSAGE}));
    // Another key of the same seller has its own budget; a refused call wrote nothing.
    let other =
        QjbCall::signed("demo", "demo-qjb-wh2", "wh2-secret:wh2-salt", CREATE, qjb_now(), None, &push_body("RL-X"));
    assert_ne!(app.post_qjb(&other).await.1["message"], RATE_LIMIT_MESSAGE);
    let again = app.post_qjb(&QjbCall::new(CREATE, &push_body("RL-3"))).await.1;
    assert_eq!(again["message"], RATE_LIMIT_MESSAGE, "RL-3 was never written, and the key is still limited");
    // openapi2 keys are limited the same way.
    let info = json!({"refund_no": "TK-DEMO-1", "outer_no": "RL-E", "warehouse_no": "WH1", "is_check": 0,
                      "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
    .to_string();
    // Four different requests (a copy of one would be answered as the first was).
    let form = |i: i64| {
        let ts = wdt_protocol::time::now_secs() - i;
        wdt_protocol::openapi2::signed_form("demo", ENT_KEY, ENT_SECRET, ts, &[("stockin_refund_info", &info)])
    };
    for i in 0..3 {
        app.post_openapi2("stockin_refund_push.php", &form(i)).await;
    }
    let limited = app.post_openapi2("stockin_refund_push.php", &form(3)).await;
    assert_eq!(limited.1, json!({"code": 100, "message": RATE_LIMIT_MESSAGE}));
}

/// Holds the refund order TK-DEMO-1 (PostgreSQL: its row; SQLite: the one writer) so that a push
/// against it stays in flight until the returned transaction ends.
async fn hold_writes(app: &TestApp) -> HeldTx {
    let mut tx = app.sql.begin_write().await;
    let lock = tx.lock_of("refund_orders");
    tx.fetch_all(query(format!("SELECT id FROM refund_orders WHERE refund_no = 'TK-DEMO-1'{lock}"))).await;
    tx
}

#[tokio::test]
async fn calls_in_flight_are_limited_per_key_and_the_sdk_retries_them() {
    let limits = RateLimits { per_minute: 0, concurrent: 1, max_in_flight: 0 };
    let app = spawn_app_with(ServerConfig { rate_limits: limits, ..ServerConfig::default() }).await;
    let hold = hold_writes(&app).await;
    let url = app.url();
    let first = tokio::spawn(async move {
        let c = Client::qjb(&url, "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none());
        c.call(CREATE, &serde_json::from_str(&push_body("CC-1")).unwrap()).await
    });
    // Wait until the first call is in flight (it blocks on the held transaction).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let no_retry = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none());
    let err = no_retry.call(CREATE, &serde_json::from_str(&push_body("CC-2")).unwrap()).await.unwrap_err();
    assert_eq!(err.message(), Some(CONCURRENCY_LIMIT_MESSAGE));
    assert!(err.is_rate_limited());

    // With retries, the SDK waits the limit out once the first call finishes.
    let retrying = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy {
        max_attempts: 10,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(400),
    });
    let second =
        tokio::spawn(async move { retrying.call(CREATE, &serde_json::from_str(&push_body("CC-3")).unwrap()).await });
    tokio::time::sleep(Duration::from_millis(350)).await;
    drop(hold);
    assert!(first.await.unwrap().is_ok());
    assert!(second.await.unwrap().is_ok(), "retried past the concurrency limit");
}

#[tokio::test]
async fn slow_clients_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let config = ServerConfig {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        rate_limits: RateLimits::off(),
        ..ServerConfig::default()
    };
    let app = spawn_app_with(config).await;

    // Headers never finished: the connection is closed.
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"POST /openapi?method=x HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server closed the connection");

    // Body announced but not sent in time: refused in the envelope.
    let call = QjbCall::new(CREATE, &push_body("SLOW-1"));
    let query = wdt_protocol::qjb::encode_query(&call.pairs);
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /openapi?{query} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n["
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), slow.read_to_string(&mut answer)).await.unwrap().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":1") && answer.contains("请求体"), "{answer}");
}
