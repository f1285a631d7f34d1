//! Replays inside the timestamp window: a byte-identical signed write is the same call, answered
//! with the first call's answer and written once; across servers over one PostgreSQL too, which
//! also share each key's per-minute limit.

use std::sync::Arc;

use serde_json::{Value, json};
use wdt_protocol::Dec4;
use wdt_protocol::clock::Clock;
use wdt_server::{RateLimits, ServerConfig};
use wdt_store::Store;
use wdt_store_pg::testing::{TestDatabase, server_url};
use wdt_store_pg::{PgSettings, PgStore};
use wdt_store_sql::SecretBox;
use wdt_testkit::TestErp;

use crate::helpers::*;

const CREATE: &str = "wms.stockin.Refund.createOrder";
const UPLOAD: &str = "wms.stockin.SmartRefund.upload";

/// A push without an outer number: nothing but the registry tells two copies apart.
fn push_without_outer(refund_no: &str) -> String {
    json!([{"refund_no": refund_no, "warehouse_no": "WH1", "create_mode": 2,
            "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}])
    .to_string()
}

/// Σ stock of `spec` of seller demo in WH1.
async fn stock(store: &dyn Store, spec: &str) -> Dec4 {
    let lines = store.stock_of("demo", spec).await.unwrap();
    let mut total = Dec4::ZERO;
    for l in lines.iter().filter(|l| l.warehouse_no == "WH1") {
        total = total.checked_add(l.num).unwrap();
    }
    total
}

async fn received(store: &dyn Store, refund_no: &str) -> Vec<Dec4> {
    store.refund_order("demo", refund_no).await.unwrap().unwrap().items.iter().map(|i| i.stockin_num).collect()
}

#[tokio::test]
async fn a_push_without_outer_number_sent_three_times_makes_one_stockin_and_three_identical_answers() {
    let app = spawn_app().await;
    let (stock_before, received_before) =
        (stock(app.store.as_ref(), "MUG-RED").await, received(app.store.as_ref(), "TK-DEMO-1").await);
    let call = QjbCall::new(CREATE, &push_without_outer("TK-DEMO-1"));
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(app.post_qjb(&call).await.1);
    }
    assert_eq!(answers[0]["status"], 0, "{}", answers[0]);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(
        stock(app.store.as_ref(), "MUG-RED").await,
        stock_before.checked_add(Dec4::from_int(1).unwrap()).unwrap()
    );
    let after = received(app.store.as_ref(), "TK-DEMO-1").await;
    assert_eq!(
        after
            .iter()
            .zip(&received_before)
            .map(|(a, b)| a.checked_sub(*b).unwrap())
            .fold(Dec4::ZERO, |s, d| s.checked_add(d).unwrap()),
        Dec4::from_int(1).unwrap(),
        "received once"
    );

    // Copies arriving together (signed earlier than any helper-built call): one runs, the others
    // wait for its answer.
    let call = QjbCall::new(CREATE, &push_without_outer("TK-DEMO-1"))
        .set("timestamp", &(qjb_now() - 110).to_string())
        .resign(QJB_SECRET);
    let stock_before = stock(app.store.as_ref(), "MUG-RED").await;
    let (a, b, c) = tokio::join!(app.post_qjb(&call), app.post_qjb(&call), app.post_qjb(&call));
    assert_eq!(a.1["status"], 0, "{}", a.1);
    assert!(a.1 == b.1 && b.1 == c.1, "{a:?} {b:?} {c:?}");
    assert_eq!(
        stock(app.store.as_ref(), "MUG-RED").await,
        stock_before.checked_add(Dec4::from_int(1).unwrap()).unwrap()
    );
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_new_timestamp_is_a_new_call() {
    let app = spawn_app().await;
    let stock_before = stock(app.store.as_ref(), "MUG-RED").await;
    let body = push_without_outer("TK-DEMO-1");
    let first = QjbCall::new(CREATE, &body);
    let second = QjbCall::new(CREATE, &body).set("timestamp", &(qjb_now() - 110).to_string()).resign(QJB_SECRET);
    let a = app.post_qjb(&first).await.1;
    let b = app.post_qjb(&second).await.1;
    assert_eq!((a["status"].clone(), b["status"].clone()), (json!(0), json!(0)), "{a} {b}");
    assert_ne!(a["data"], b["data"], "two stock-ins");
    assert_eq!(
        stock(app.store.as_ref(), "MUG-RED").await,
        stock_before.checked_add(Dec4::from_int(2).unwrap()).unwrap()
    );
    // The paged query is not registered: the same signed query reads again.
    let page = recent_stockins(&app).await;
    assert_eq!(page["status"], 0, "{page}");
}

#[tokio::test]
async fn a_replayed_quick_return_is_received_once() {
    let app = spawn_app().await;
    let before = stock(app.store.as_ref(), "MUG-BLUE").await;
    // T-DEMO-5 sold one MUG-BLUE; createPreStockin lets a copy past the sold-quantity rule.
    let body = json!([{"tid": "T-DEMO-5", "return_warehouse_no": "WH1", "remark": "quick"},
                      [{"spec_no": "MUG-BLUE", "stockin_num": 1, "remark": ""}], true]);
    let call = QjbCall::new(UPLOAD, &body.to_string());
    let answers = [app.post_qjb(&call).await.1, app.post_qjb(&call).await.1, app.post_qjb(&call).await.1];
    assert_eq!(answers[0]["status"], 0, "{}", answers[0]);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(stock(app.store.as_ref(), "MUG-BLUE").await, before.checked_add(Dec4::from_int(1).unwrap()).unwrap());
}

#[tokio::test]
async fn a_replayed_openapi2_push_is_answered_as_the_first_and_a_refusal_by_limit_is_not_saved() {
    let limits = RateLimits { per_minute: 2, concurrent: 0, max_in_flight: 0 };
    let app = spawn_app_with(ServerConfig { rate_limits: limits, ..ServerConfig::default() }).await;
    let info = json!({"refund_no": "TK-DEMO-1", "outer_no": "RP-E1", "warehouse_no": "WH1",
                      "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
    .to_string();
    let form = ent_form(&[("stockin_refund_info", &info)]);
    let first = app.post_openapi2("stockin_refund_push.php", &form).await.1;
    assert_eq!(first, json!({"code": 0, "message": "succeed"}));
    // A copy is the same call (not the duplicate outer number), and costs no call of the budget.
    for _ in 0..3 {
        assert_eq!(app.post_openapi2("stockin_refund_push.php", &form).await.1, first);
    }
    let other = json!({"refund_no": "TK-DEMO-1", "outer_no": "RP-E2", "warehouse_no": "WH1",
                       "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
    .to_string();
    let second = app.post_openapi2("stockin_refund_push.php", &ent_form(&[("stockin_refund_info", &other)])).await.1;
    assert_eq!(second["code"], 0, "{second}");
    // Over the budget: refused, and the refusal is not what a copy gets once the budget is back.
    let third = json!({"refund_no": "TK-DEMO-1", "outer_no": "RP-E3", "warehouse_no": "WH1",
                       "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
    .to_string();
    let limited = ent_form(&[("stockin_refund_info", &third)]);
    assert_eq!(app.post_openapi2("stockin_refund_push.php", &limited).await.1["code"], 100);
    app.store.clock().advance(60_000);
    let later = app.post_openapi2("stockin_refund_push.php", &limited).await.1;
    assert_eq!(later, json!({"code": 0, "message": "succeed"}), "ran now");
}

/// Two servers over one PostgreSQL database, each with its own store (its own pools and
/// caches), as two `serve` processes would be; the clock frozen so the test stays in one minute.
async fn two_servers(db: &TestDatabase, config: ServerConfig) -> (TestErp, TestErp) {
    let key = [7u8; 32];
    let now = wdt_protocol::time::now_ms();
    let open = || async {
        let store = PgStore::open(&db.url, &PgSettings::default(), SecretBox::new(key)).await.expect("connect");
        Arc::new(store.with_clock(Clock::frozen_at(now))) as Arc<dyn Store>
    };
    let a =
        TestErp::builder().store(open().await).fixture(DEMO).config(config.clone()).without_test_mode().start().await;
    let b = TestErp::builder().store(open().await).config(config).without_test_mode().start().await;
    (a, b)
}

async fn post_to(addr: std::net::SocketAddr, call: &QjbCall) -> Value {
    let query = wdt_protocol::qjb::encode_query(&call.pairs);
    let text = reqwest::Client::new()
        .post(format!("http://{addr}/openapi?{query}"))
        .body(call.body.clone())
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[tokio::test]
async fn two_servers_over_one_postgres_share_the_replay_registry_and_the_minute_budget() {
    let Some(server) = server_url("two_servers_over_one_postgres_share_the_replay_registry_and_the_minute_budget")
    else {
        return;
    };
    let db = TestDatabase::create(&server).await;
    let limits = RateLimits { per_minute: 10, concurrent: 0, max_in_flight: 0 };
    let (a, b) = two_servers(&db, ServerConfig { rate_limits: limits, ..ServerConfig::default() }).await;
    let stock_before = stock(a.store().as_ref(), "MUG-RED").await;

    // One captured push sent to both servers, three times each, together: one stock-in.
    let call = QjbCall::new(CREATE, &push_without_outer("TK-DEMO-1"));
    let sends = (0..6).map(|i| {
        let addr = if i % 2 == 0 { a.addr() } else { b.addr() };
        let call = QjbCall { pairs: call.pairs.clone(), body: call.body.clone() };
        async move { post_to(addr, &call).await }
    });
    let answers = futures_join_all(sends).await;
    assert_eq!(answers[0]["status"], 0, "{}", answers[0]);
    assert!(answers.iter().all(|x| *x == answers[0]), "{answers:?}");
    assert_eq!(
        stock(b.store().as_ref(), "MUG-RED").await,
        stock_before.checked_add(Dec4::from_int(1).unwrap()).unwrap()
    );

    // 20 different calls over both servers: the key's 10 a minute hold across them (the push
    // above was one).
    let sends = (0..20).map(|i| {
        let addr = if i % 2 == 0 { a.addr() } else { b.addr() };
        let body = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": format!("TWO-{i}"), "warehouse_no": "WH1",
                           "create_mode": 0, "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}]);
        let call = QjbCall::new(CREATE, &body.to_string());
        async move { post_to(addr, &call).await }
    });
    let answers = futures_join_all(sends).await;
    let accepted = answers.iter().filter(|x| x["status"] == 0).count();
    let limited = answers.iter().filter(|x| x["message"] == wdt_protocol::error::RATE_LIMIT_MESSAGE).count();
    assert_eq!((accepted, limited), (9, 11), "{answers:?}");
    drop((a, b));
}

/// Runs every future at once; their outputs in order.
async fn futures_join_all<F: std::future::Future<Output = Value> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<Value> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn two_servers_over_one_postgres_share_the_calls_in_flight_of_a_key() {
    let Some(server) = server_url("two_servers_over_one_postgres_share_the_calls_in_flight_of_a_key") else {
        return;
    };
    let db = TestDatabase::create(&server).await;
    let limits = RateLimits { per_minute: 0, concurrent: 1, max_in_flight: 0 };
    let (a, b) = two_servers(&db, ServerConfig { rate_limits: limits, ..ServerConfig::default() }).await;
    // Hold TK-DEMO-1's row so that a push against it stays in flight on server a.
    let holder = PgStore::open(&db.url, &PgSettings::default(), SecretBox::new([7u8; 32])).await.expect("connect");
    let mut tx = holder.backend().begin_write().await.unwrap();
    let lock = wdt_store_sql::db::Executor::lock_of(&tx, "refund_orders");
    wdt_store_sql::db::query(format!("SELECT id FROM refund_orders WHERE refund_no = 'TK-DEMO-1'{lock}"))
        .fetch_all(&mut tx)
        .await
        .unwrap();
    let push = |outer: &str| {
        let body = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": outer, "warehouse_no": "WH1",
                           "create_mode": 2, "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}]);
        QjbCall::new(CREATE, &body.to_string())
    };
    let first = push("INF-1");
    let addr = a.addr();
    let running = tokio::spawn(async move { post_to(addr, &first).await });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let refused = post_to(b.addr(), &push("INF-2")).await;
    assert_eq!(refused, json!({"status": 100, "message": wdt_protocol::error::CONCURRENCY_LIMIT_MESSAGE}));
    tx.commit().await.unwrap();
    assert_eq!(running.await.unwrap()["status"], 0);
    let after = post_to(b.addr(), &push("INF-2")).await;
    assert_eq!(after["status"], 0, "the permit came back: {after}");
    drop((a, b));
}
