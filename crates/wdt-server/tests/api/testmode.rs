//! Test mode (SPEC.md §11) over real HTTP: the controls exist only in test mode; a frozen clock
//! makes two runs of one scenario answer byte for byte alike; faults answer as the vendor's
//! gateway fails and write nothing; the journal records every call without secrets; snapshots
//! and reset put the state back.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use wdt_client::{Client, Error, RetryPolicy};
use wdt_protocol::time::parse_wire_time;
use wdt_protocol::{openapi2, qjb};
use wdt_server::ServerConfig;

use crate::helpers::*;

const TOKEN: &str = "test-mode-token-0123456789";
const CREATE: &str = "wms.stockin.Refund.createOrder";

async fn spawn(test_mode: bool) -> TestApp {
    spawn_app_with(ServerConfig {
        rate_limits: wdt_server::RateLimits::off(),
        admin_token: Some(TOKEN.to_owned()),
        test_mode,
        ..ServerConfig::default()
    })
    .await
}

/// `method path` with the admin token and a JSON body: (status, JSON answer).
async fn admin(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.http.request(method, format!("{}{path}", app.url())).bearer_auth(TOKEN);
    if let Some(body) = body {
        request = request.header("Content-Type", "application/json").body(body.to_string());
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
}

#[track_caller]
fn ok(answer: (u16, Value)) -> Value {
    assert_eq!(answer.0, 200, "{}", answer.1);
    answer.1
}

/// The server clock's time, seconds.
async fn server_secs(app: &TestApp) -> i64 {
    let clock = ok(admin(app, Method::GET, "/admin/v1/clock", None).await);
    clock["clock"]["now_ms"].as_i64().expect("now_ms") / 1000
}

/// A qjb call of the demo key signed at the server's time; the raw answer text.
async fn qjb_raw(app: &TestApp, method: &str, body: &str, pager: Option<&wdt_protocol::qjb::Pager>) -> String {
    let ts = qjb::timestamp_from_unix(server_secs(app).await);
    let call = QjbCall::signed("demo", QJB_KEY, QJB_SECRET, method, ts, pager, body);
    let query = qjb::encode_query(&call.pairs);
    let response = app.http.post(format!("{}/openapi?{query}", app.url())).body(call.body).send().await.expect("send");
    assert_eq!(response.status(), 200);
    response.text().await.expect("body")
}

/// An openapi2 push of the demo appkey signed at the server's time; the raw answer text.
async fn openapi2_raw(app: &TestApp, business: &[(&str, &str)]) -> String {
    let form = openapi2::signed_form("demo", ENT_KEY, ENT_SECRET, server_secs(app).await, business);
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&form).finish();
    let response = app
        .http
        .post(format!("{}/openapi2/stockin_refund_push.php", app.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("send");
    response.text().await.expect("body")
}

#[tokio::test]
async fn without_test_mode_every_control_path_is_404_and_the_clock_stays() {
    let app = spawn(false).await;
    let paths: &[(Method, &str, Option<Value>)] = &[
        (Method::GET, "/admin/v1/clock", None),
        (Method::PUT, "/admin/v1/clock", Some(json!({"now": "2026-01-01 09:00:00"}))),
        (Method::DELETE, "/admin/v1/clock", None),
        (Method::POST, "/admin/v1/fixtures", Some(json!({}))),
        (Method::POST, "/admin/v1/reset", Some(json!({}))),
        (Method::POST, "/admin/v1/snapshots", Some(json!({"name": "s"}))),
        (Method::POST, "/admin/v1/snapshots/s/restore", None),
        (Method::POST, "/admin/v1/faults", Some(json!({"method": "*", "kind": "internal"}))),
        (Method::GET, "/admin/v1/faults", None),
        (Method::GET, "/admin/v1/journal", None),
        (Method::DELETE, "/admin/v1/journal", None),
    ];
    for (method, path, body) in paths {
        let (status, answer) = admin(&app, method.clone(), path, body.clone()).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (404, Some("not_found")), "{method} {path}: {answer}");
    }
    assert!((app.store.clock().now_ms() - wdt_protocol::time::now_ms()).abs() < 5_000, "the clock did not move");
    assert!(app.store.verify().await.unwrap().is_ok());
    // The demo data is all still there.
    assert_eq!(app.store.list_trades(&wdt_store::DocumentFilter::seller("demo", 100)).await.unwrap().len(), 8);

    // With test mode, the same paths need the token.
    let app = spawn(true).await;
    let response = app.http.get(format!("{}/admin/v1/clock", app.url())).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

/// One scripted scenario: freeze the clock, reset to the demo, push in both dialects, quick
/// return, ship, query. Every answer, raw.
async fn scenario(app: &TestApp) -> Vec<String> {
    let demo: Value = serde_json::from_str(DEMO).unwrap();
    ok(admin(app, Method::PUT, "/admin/v1/clock", Some(json!({"now": "2026-03-01 10:00:00"}))).await);
    ok(admin(app, Method::POST, "/admin/v1/reset", Some(json!({"fixture": demo}))).await);
    let mut answers = Vec::new();
    let push = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": "RUN-1", "warehouse_no": "WH1", "create_mode": 2,
                       "detail_list": [{"spec_no": "MUG-RED", "num": "2"}]}]);
    answers.push(qjb_raw(app, CREATE, &push.to_string(), None).await);
    ok(admin(app, Method::PUT, "/admin/v1/clock", Some(json!({"advance_seconds": 90}))).await);
    let info = json!({"refund_no": "TK-DEMO-5", "outer_no": "RUN-E1", "warehouse_no": "WH1",
                      "detail_list": [{"spec_no": "MUG-BLUE", "stockin_num": 1}]})
    .to_string();
    answers.push(openapi2_raw(app, &[("stockin_refund_info", &info)]).await);
    let quick = json!([{"tid": "T-DEMO-7", "return_warehouse_no": "WH1", "remark": "run"},
                       [{"spec_no": "RICE-KG", "stockin_num": "1.5", "remark": ""}], false]);
    answers.push(qjb_raw(app, "wms.stockin.SmartRefund.upload", &quick.to_string(), None).await);
    let ship =
        admin(app, Method::POST, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(json!({"warehouse_no": "WH1"}))).await;
    answers.push(ok(ship).to_string());
    let window = json!([{"start_time": "2026-03-01 09:00:00", "end_time": "2026-03-01 11:00:00"}]);
    let pager = wdt_protocol::qjb::Pager { page_size: 10, page_no: 0, calc_total: true };
    answers.push(qjb_raw(app, "wms.stockin.Refund.queryWithDetail", &window.to_string(), Some(&pager)).await);
    answers
}

#[tokio::test]
async fn a_frozen_clock_makes_two_runs_answer_byte_for_byte() {
    let app = spawn(true).await;
    let first = scenario(&app).await;
    for answer in &first {
        assert!(
            answer.contains(r#""status":0"#) || answer.contains(r#""code":0"#) || answer.contains("document"),
            "{answer}"
        );
    }
    assert!(first[0].contains("RK202603010001"), "the frozen day numbers the stock-in: {}", first[0]);
    assert!(first[4].contains("2026-03-01 10:00:00") && first[4].contains("2026-03-01 10:01:30"), "{}", first[4]);
    let second = scenario(&app).await;
    assert_eq!(first, second, "the same scenario answers the same bytes");
    // Released, the clock is real again.
    let released = ok(admin(&app, Method::DELETE, "/admin/v1/clock", None).await);
    assert_eq!(released["clock"]["mode"], "real");
    let bad = admin(&app, Method::PUT, "/admin/v1/clock", Some(json!({"now": "yesterday"}))).await;
    assert_eq!((bad.0, bad.1["error"]["field"].as_str()), (422, Some("now")), "{}", bad.1);
    let both = admin(&app, Method::PUT, "/admin/v1/clock", Some(json!({"now": 1, "advance_seconds": 1}))).await;
    assert_eq!(both.0, 422, "{}", both.1);
    assert!(app.store.verify().await.unwrap().is_ok());
}

fn push_body(outer_no: &str) -> Value {
    json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": outer_no, "warehouse_no": "WH1", "create_mode": 2,
            "detail_list": [{"spec_no": "MUG-RED", "num": "1"}]}])
}

async fn stockins_of(app: &TestApp) -> usize {
    let filter = wdt_store::StockinListFilter { sid: Some("demo".into()), limit: 100, ..Default::default() };
    app.store.list_stockins(&filter).await.unwrap().len()
}

#[tokio::test]
async fn faults_answer_as_the_gateway_fails_and_write_nothing() {
    let app = spawn(true).await;
    let fault = |kind: &str, extra: Value| {
        let mut f = json!({"method": CREATE, "key": QJB_KEY, "kind": kind});
        f.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        f
    };
    // The vendor's rate-limit text, twice: the SDK retries through it and the push lands once.
    ok(admin(&app, Method::POST, "/admin/v1/faults", Some(fault("rate_limit", json!({"count": 2})))).await);
    let listed = ok(admin(&app, Method::GET, "/admin/v1/faults", None).await);
    assert_eq!(listed["faults"][0]["remaining"], 2);
    let retrying = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    });
    let order_no: String = retrying.call_typed(CREATE, &push_body("F-1")).await.expect("through the limit");
    assert!(order_no.starts_with("RK"));
    assert_eq!(stockins_of(&app).await, 1);
    let journal = ok(admin(&app, Method::GET, &format!("/admin/v1/journal?method={CREATE}"), None).await);
    let calls = journal["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 3, "two refused, one accepted: {journal}");
    assert!(calls[0]["response"].as_str().unwrap().contains("超过每分钟最大调用频率限制，请稍后重试"));
    assert!(calls[2]["response"].as_str().unwrap().contains(&order_no));
    for call in calls {
        let params = call["params"].as_object().unwrap();
        assert!(!params.contains_key("sign") && !params.contains_key("salt"), "no secrets: {call}");
        assert_eq!((call["key"].as_str(), call["dialect"].as_str()), (Some(QJB_KEY), Some("qjb")));
        assert!(call["body"].as_str().unwrap().contains("F-1"));
    }
    assert!(!journal.to_string().contains(QJB_SECRET.split(':').next().unwrap()));

    let once = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none());
    type Expect = fn(&Error) -> bool;
    let cases: Vec<(Value, Expect)> = vec![
        (fault("concurrency_limit", json!({})), |e| e.is_rate_limited()),
        (fault("internal", json!({})), |e| e.code() == Some(4) && e.message() == Some("数据库错误")),
        (
            fault("http_status", json!({"http_status": 502})),
            |e| matches!(e, Error::Http { status: 502, body } if body.contains("502 Bad Gateway")),
        ),
        (fault("html_page", json!({})), |e| matches!(e, Error::Malformed(_))),
        (fault("close", json!({})), |e| matches!(e, Error::Transport(_))),
    ];
    for (n, (spec, expected)) in cases.into_iter().enumerate() {
        let kind = spec["kind"].clone();
        ok(admin(&app, Method::POST, "/admin/v1/faults", Some(spec)).await);
        let err = once.call(CREATE, &push_body(&format!("G-{n}"))).await.expect_err("faulted");
        assert!(expected(&err), "{kind}: {err:?}");
        assert_eq!(stockins_of(&app).await, 1, "{kind}: a faulted call writes nothing");
    }
    // A fault of another key, or consumed, leaves calls alone; a delay only delays.
    ok(admin(
        &app,
        Method::POST,
        "/admin/v1/faults",
        Some(json!({"method": CREATE, "key": "other", "kind": "internal"})),
    )
    .await);
    ok(admin(&app, Method::POST, "/admin/v1/faults", Some(fault("delay", json!({"delay_ms": 300})))).await);
    let started = std::time::Instant::now();
    let _: String = once.call_typed(CREATE, &push_body("H-1")).await.expect("delayed, then accepted");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(stockins_of(&app).await, 2);
    let cleared = ok(admin(&app, Method::DELETE, "/admin/v1/faults", None).await);
    assert_eq!(cleared["cleared"], 1, "the other key's fault was left");
    let refused =
        admin(&app, Method::POST, "/admin/v1/faults", Some(json!({"method": CREATE, "kind": "teapot"}))).await;
    assert_eq!(refused.0, 422, "{}", refused.1);
    let refused = admin(&app, Method::POST, "/admin/v1/faults", Some(json!({"method": CREATE, "kind": "delay"}))).await;
    assert_eq!((refused.0, refused.1["error"]["field"].as_str()), (422, Some("delay_ms")), "{}", refused.1);

    // The journal filters and clears.
    let since = parse_wire_time("2000-01-01 00:00:00").unwrap();
    let all =
        ok(admin(&app, Method::GET, &format!("/admin/v1/journal?since={since}&key={QJB_KEY}&limit=2"), None).await);
    assert_eq!(all["calls"].as_array().unwrap().len(), 2);
    ok(admin(&app, Method::DELETE, "/admin/v1/journal", None).await);
    assert_eq!(ok(admin(&app, Method::GET, "/admin/v1/journal", None).await)["calls"], json!([]));
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn snapshots_and_reset_over_http_put_the_state_back() {
    let app = spawn(true).await;
    let taken = ok(admin(&app, Method::POST, "/admin/v1/snapshots", Some(json!({"name": "clean"}))).await);
    assert_eq!(taken["snapshot"]["name"], "clean");
    let client = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none());
    for n in 0..3 {
        let red = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": format!("S-{n}"), "warehouse_no": "WH1",
                          "create_mode": 2, "detail_list": [{"spec_no": "MUG-RED", "num": "1"}]}]);
        let _: String = client.call_typed(CREATE, &red).await.expect("a push");
    }
    assert_eq!(stockins_of(&app).await, 3);
    let restored = ok(admin(&app, Method::POST, "/admin/v1/snapshots/clean/restore", None).await);
    assert_eq!(restored["restored"]["name"], "clean");
    assert_eq!(stockins_of(&app).await, 0);
    // The same through the kit's typed calls.
    app.erp.snapshot("kit").await.expect("snapshot");
    let _: String = app.erp.qjb().call_typed(CREATE, &push_body("K-1")).await.expect("a push");
    app.erp.restore("kit").await.expect("restore");
    assert_eq!(stockins_of(&app).await, 0);
    let missing = app.erp.restore("nothing").await.expect_err("no such snapshot");
    assert!(matches!(missing, wdt_testkit::ControlError::Refused { status: 404, .. }), "{missing}");
    assert!(app.store.verify().await.unwrap().is_ok());
    let missing = admin(&app, Method::POST, "/admin/v1/snapshots/none/restore", None).await;
    assert_eq!((missing.0, missing.1["error"]["code"].as_str()), (404, Some("not_found")), "{}", missing.1);
    let listed = ok(admin(&app, Method::GET, "/admin/v1/snapshots", None).await);
    assert_eq!(listed["snapshots"].as_array().unwrap().len(), 2);

    // Reset without a fixture: nobody's credentials work; with one, the fixture's do.
    ok(admin(&app, Method::POST, "/admin/v1/reset", None).await);
    let err = client.call(CREATE, &push_body("R-1")).await.expect_err("no seller");
    assert_eq!(err.message(), Some("sid is not exists"));
    let bad = admin(
        &app,
        Method::POST,
        "/admin/v1/reset",
        Some(json!({"fixture": {"sid": "x", "apps": [{"dialect": "nope"}]}})),
    )
    .await;
    assert_eq!(bad.0, 422, "{}", bad.1);
    assert!(bad.1["error"]["field"].as_str().unwrap().starts_with("fixture"), "{}", bad.1);
    let imported = ok(admin(&app, Method::POST, "/admin/v1/fixtures", Some(serde_json::from_str(DEMO).unwrap())).await);
    assert!(imported["imported"]["inserted"].as_u64().unwrap() > 0);
    let _: String = client.call_typed(CREATE, &push_body("R-2")).await.expect("the demo is back");
    ok(admin(&app, Method::DELETE, "/admin/v1/snapshots/clean", None).await);
    ok(admin(&app, Method::DELETE, "/admin/v1/snapshots/kit", None).await);
    assert_eq!(ok(admin(&app, Method::GET, "/admin/v1/snapshots", None).await)["snapshots"], json!([]));
}

#[tokio::test]
async fn the_sdk_retries_a_query_through_a_dropped_connection_and_a_bad_gateway_but_not_a_push() {
    let app = spawn(true).await;
    const QUERY: &str = "wms.stockin.Refund.queryWithDetail";
    let retrying = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    });
    let now = wdt_protocol::time::now_ms();
    let window = json!([{"start_time": wdt_protocol::time::format_wire_time(now - 60_000),
                         "end_time": wdt_protocol::time::format_wire_time(now + 60_000)}]);
    let pager = wdt_protocol::qjb::Pager { page_size: 10, page_no: 0, calc_total: true };
    ok(admin(&app, Method::POST, "/admin/v1/faults", Some(json!({"method": QUERY, "kind": "close"}))).await);
    ok(admin(
        &app,
        Method::POST,
        "/admin/v1/faults",
        Some(json!({"method": QUERY, "kind": "http_status", "http_status": 503})),
    )
    .await);
    let page = retrying.call_paged(QUERY, &pager, &window).await.expect("the third attempt answers");
    assert_eq!(page["total_count"], 0);
    let journal = ok(admin(&app, Method::GET, &format!("/admin/v1/journal?method={QUERY}"), None).await);
    let statuses: Vec<u64> =
        journal["calls"].as_array().unwrap().iter().map(|c| c["http_status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [200, 503, 200], "a dropped connection (its headers said 200), a bad gateway, the answer");

    // A push is not retried through a dropped connection: the server may have applied it.
    ok(admin(&app, Method::POST, "/admin/v1/faults", Some(json!({"method": CREATE, "kind": "close"}))).await);
    let err = retrying.call(CREATE, &push_body("NR-1")).await.expect_err("not retried");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let pushes = ok(admin(&app, Method::GET, &format!("/admin/v1/journal?method={CREATE}"), None).await);
    assert_eq!(pushes["calls"].as_array().unwrap().len(), 1, "one attempt only");
}
