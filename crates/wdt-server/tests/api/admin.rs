//! The admin API (SPEC.md §10) over real HTTP: every path accepted and refused, the effects of
//! each action on documents, stock, ledger and refund progress, the audit log, and the races
//! (one document checked by twenty callers at once; twenty documents against one refund order).

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};
use wdt_protocol::Dec4;
use wdt_server::ServerConfig;

use crate::helpers::*;

const TOKEN: &str = "admin-test-token-0123456789";

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

async fn spawn_admin() -> TestApp {
    spawn_app_with(ServerConfig {
        rate_limits: wdt_server::RateLimits::off(),
        admin_token: Some(TOKEN.to_owned()),
        ..ServerConfig::default()
    })
    .await
}

/// An answer: HTTP status, headers, JSON body.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    /// Asserts an error answer: its HTTP status, code, and the field it names.
    #[track_caller]
    fn refused(&self, status: u16, code: &str, field: Option<&str>) -> &Answer {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.body["error"]["code"], code, "{}", self.body);
        assert!(self.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", self.body);
        if let Some(field) = field {
            assert_eq!(self.body["error"]["field"], field, "{}", self.body);
        }
        self
    }

    /// Asserts a 200 answer of an action; its document and audit row.
    #[track_caller]
    fn done(&self) -> (&Value, &Value) {
        assert_eq!(self.status, 200, "{}", self.body);
        (&self.body["document"], &self.body["audit"])
    }
}

/// Sends `method path` with `token` (none: no Authorization header) and `body`.
async fn send(app: &TestApp, method: Method, path: &str, token: Option<&str>, body: Option<&str>) -> Answer {
    let mut request = app.http.request(method, format!("{}{path}", app.url()));
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request.header("Content-Type", "application/json").body(body.to_owned());
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() && headers.get("content-type").is_none() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}) for {path}: {text:?}"))
    };
    Answer { status, headers, body }
}

/// POSTs an admin action with the token.
async fn post(app: &TestApp, path: &str, body: Option<Value>) -> Answer {
    let text = body.map(|b| b.to_string());
    send(app, Method::POST, path, Some(TOKEN), text.as_deref()).await
}

async fn get(app: &TestApp, path: &str) -> Answer {
    send(app, Method::GET, path, Some(TOKEN), None).await
}

/// Σ on hand of one spec in one warehouse, good or defect stock.
async fn on_hand(app: &TestApp, spec: &str, warehouse: &str, defect: bool) -> Dec4 {
    app.store
        .stock_of("demo", spec)
        .await
        .unwrap()
        .iter()
        .filter(|l| l.warehouse_no == warehouse && l.defect == defect)
        .fold(Dec4::ZERO, |sum, l| sum.checked_add(l.num).unwrap())
}

/// Received quantity of one spec on a refund order.
async fn received(app: &TestApp, refund_no: &str, spec: &str) -> Dec4 {
    let refund = app.store.refund_order("demo", refund_no).await.unwrap().unwrap();
    refund.items.iter().filter(|i| i.spec_no == spec).fold(Dec4::ZERO, |s, i| s.checked_add(i.stockin_num).unwrap())
}

/// Everything an action could change, to compare before and after a refusal.
async fn snapshot(app: &TestApp) -> String {
    let mut out = String::new();
    for spec in ["MUG-RED", "MUG-BLUE", "MILK-1L", "RICE-KG"] {
        out += &format!(
            "{:?}\n{:?}\n",
            app.store.stock_of("demo", spec).await.unwrap(),
            app.store.ledger_of("demo", spec).await.unwrap()
        );
    }
    for r in ["TK-DEMO-1", "TK-DEMO-3", "TK-DEMO-4"] {
        out += &format!("{:?}\n", app.store.refund_order("demo", r).await.unwrap());
    }
    out += &format!("{:?}\n", app.store.trade("demo", "T-DEMO-8").await.unwrap());
    out
}

async fn assert_verified(app: &TestApp) {
    let report = app.store.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// Pushes a return stock-in against `refund_no` in `create_mode` (0 编辑中, 1 待审核, 2 checked);
/// its order number.
async fn push_stockin(app: &TestApp, refund_no: &str, outer: &str, mode: i64, lines: Value) -> String {
    let order = json!([{"refund_no": refund_no, "out_stockin_no": outer, "warehouse_no": "WH1",
                        "create_mode": mode, "detail_list": lines}]);
    let (http, answer) = app.post_qjb(&QjbCall::new("wms.stockin.Refund.createOrder", &order.to_string())).await;
    assert_eq!((http, &answer["status"]), (200, &json!(0)), "{answer}");
    answer["data"].as_str().expect("the order no").to_owned()
}

/// Pushes an unchecked purchase return of `lines` from WH1 to P1; its return number.
async fn push_purchase_return(app: &TestApp, outer: &str, lines: Value) -> String {
    let body = json!([{"outer_no": outer, "warehouse_no": "WH1", "provider_no": "P1"}, lines, false]);
    let (http, answer) = app.post_qjb(&QjbCall::new("purchase.PurchaseReturn.createOrder", &body.to_string())).await;
    assert_eq!((http, &answer["status"]), (200, &json!(0)), "{answer}");
    assert_eq!(answer["data"]["status"], 0, "{answer}");
    answer["data"]["message"].as_str().expect("the return no").to_owned()
}

/// Every admin path, with a body it would accept.
fn every_path() -> Vec<(Method, &'static str, Option<&'static str>)> {
    vec![
        (Method::POST, "/admin/v1/refund-orders/demo/TK-DEMO-4/review", None),
        (Method::POST, "/admin/v1/refund-orders/demo/TK-DEMO-4/cancel", None),
        (Method::POST, "/admin/v1/stockins/demo/RK1/check", None),
        (Method::POST, "/admin/v1/stockins/demo/RK1/cancel", None),
        (Method::POST, "/admin/v1/purchase-returns/demo/PR1/check", None),
        (Method::POST, "/admin/v1/purchase-returns/demo/PR1/cancel", None),
        (Method::POST, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(r#"{"warehouse_no":"WH1"}"#)),
        (
            Method::POST,
            "/admin/v1/stock/demo/adjust",
            Some(r#"{"warehouse_no":"WH1","spec_no":"MUG-RED","position_no":"A-01","num":7}"#),
        ),
        (Method::GET, "/admin/v1/audit?sid=demo", None),
        // Paths that name nothing, and wrong methods: 401 all the same.
        (Method::GET, "/admin/v1/nothing-here", None),
        (Method::GET, "/admin", None),
        (Method::GET, "/admin/", None),
        (Method::PATCH, "/admin//v1/x", None),
        (Method::DELETE, "/admin/v1/trades/demo/T-DEMO-8/ship", None),
        (Method::POST, "/admin/v1/audit?sid=a&sid=b", Some("{")),
    ]
}

#[tokio::test]
async fn without_the_token_every_admin_path_is_401_and_changes_nothing() {
    // No token configured: even a bearer token is refused.
    let closed = spawn_app().await;
    let open = spawn_admin().await;
    let before = snapshot(&open).await;
    for (method, path, body) in every_path() {
        for (app, token) in [
            (&closed, Some(TOKEN)),
            (&closed, Some("")),
            (&open, None),
            (&open, Some("wrong")),
            (&open, Some(&TOKEN[..TOKEN.len() - 1])),
            (&open, Some(&format!("{TOKEN}x"))),
        ] {
            let answer = send(app, method.clone(), path, token, body).await;
            answer.refused(401, "unauthorized", None);
            assert_eq!(answer.headers["www-authenticate"], "Bearer", "{method} {path}");
        }
        // Another scheme carrying the right token is no bearer token.
        let basic = open.http.request(method.clone(), format!("{}{path}", open.url())).header("Authorization", TOKEN);
        assert_eq!(basic.send().await.unwrap().status().as_u16(), 401, "{method} {path}");
    }
    assert_eq!(snapshot(&open).await, before);
    assert_eq!(get(&open, "/admin/v1/audit").await.body["audit"], json!([]));
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_answer_json() {
    let app = spawn_admin().await;
    for path in ["/admin", "/admin/", "/admin/v1", "/admin/v2/stockins/demo/RK1/check", "/admin/v1/stockins/demo/RK1"] {
        let answer = get(&app, path).await;
        answer.refused(404, "not_found", Some("path"));
        assert_eq!(answer.body["error"]["value"], path);
    }
    post(&app, "/admin/v1/stockins/demo/RK1/approve", None).await.refused(404, "not_found", Some("path"));
    post(&app, "/admin/v1/stockins/demo/RK1/check/", None).await.refused(404, "not_found", Some("path"));
    for (method, path) in [
        (Method::GET, "/admin/v1/stockins/demo/RK1/check"),
        (Method::PUT, "/admin/v1/trades/demo/T-DEMO-8/ship"),
        (Method::DELETE, "/admin/v1/refund-orders/demo/TK-DEMO-4/review"),
        (Method::POST, "/admin/v1/audit"),
    ] {
        let answer = send(&app, method.clone(), path, Some(TOKEN), Some("{}")).await;
        answer.refused(405, "method_not_allowed", Some("method"));
        assert_eq!(answer.body["error"]["value"], method.as_str());
        let allow = answer.headers.get("allow").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(allow.contains("POST") || allow.contains("GET"), "{path}: Allow {allow:?}");
    }
    // The rest of the server is where it was: its own answers, no token asked.
    assert_eq!(app.http.get(format!("{}/healthz", app.url())).send().await.unwrap().status().as_u16(), 200);
    for path in ["/nothing", "/adminx", "/v1/audit"] {
        assert_eq!(app.http.get(format!("{}{path}", app.url())).send().await.unwrap().status().as_u16(), 404, "{path}");
    }
    assert_eq!(app.http.get(format!("{}/console", app.url())).send().await.unwrap().status().as_u16(), 401);
}

#[tokio::test]
async fn refund_orders_are_reviewed_and_cancelled_once_and_not_after_goods_arrived() {
    let app = spawn_admin().await;
    let answer = post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-4/review", None).await;
    assert_eq!(answer.headers.get("content-type").unwrap(), "application/json; charset=utf-8");
    assert!(answer.headers.get("x-request-id").is_some());
    let (doc, audit) = answer.done();
    assert_eq!(
        (&doc["type"], &doc["sid"], &doc["refund_no"], &doc["status"], &doc["status_label"]),
        (&json!("refund_order"), &json!("demo"), &json!("TK-DEMO-4"), &json!(30), &json!("30 已审核 checked"))
    );
    assert_eq!(
        doc["items"][0],
        json!({"oid": "T-DEMO-4-1", "spec_no": "MUG-RED", "refund_num": "2", "stockin_num": "0", "price": "29.98"})
    );
    assert_eq!(
        (&audit["actor"], &audit["action"], &audit["target"], &audit["before"], &audit["after"]),
        (
            &json!("admin"),
            &json!("refund_order.review"),
            &json!("TK-DEMO-4"),
            &json!("20 待审核 pending review"),
            &json!("30 已审核 checked")
        )
    );
    // Reviewed already: a second click is a conflict and changes nothing.
    let before = snapshot(&app).await;
    post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-4/review", None).await.refused(409, "conflict", Some("refund_no"));
    assert_eq!(snapshot(&app).await, before);

    // The reviewed order now takes goods through the API.
    push_stockin(&app, "TK-DEMO-4", "ADM-R1", 2, json!([{"spec_no": "MUG-RED", "num": 1}])).await;
    let before = snapshot(&app).await;
    let refused = post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-4/cancel", None).await;
    refused.refused(409, "conflict", Some("refund_no"));
    assert_eq!(refused.body["error"]["value"], "TK-DEMO-4");
    // TK-DEMO-3 was loaded with two units received.
    post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-3/cancel", None).await.refused(409, "conflict", Some("refund_no"));
    assert_eq!(snapshot(&app).await, before);

    // TK-DEMO-5 has received nothing: cancelled, once.
    let answer = post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-5/cancel", None).await;
    let (doc, audit) = answer.done();
    assert_eq!((&doc["status"], &audit["after"]), (&json!(10), &json!("10 已取消 cancelled")));
    post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-5/cancel", None).await.refused(409, "conflict", None);
    post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-5/review", None).await.refused(409, "conflict", None);

    // Unknown documents and sellers, and names that need escaping in a path.
    for path in [
        "/admin/v1/refund-orders/demo/TK-NONE/review",
        "/admin/v1/refund-orders/nobody/TK-DEMO-4/cancel",
        "/admin/v1/refund-orders/acme/TK-DEMO-4/review",
        "/admin/v1/refund-orders/demo/TK%2FDEMO%204/review",
    ] {
        post(&app, path, None).await.refused(404, "not_found", Some("refund_no"));
    }
    let escaped = post(&app, "/admin/v1/refund-orders/demo/%E9%80%80%20%2F1/review", None).await;
    assert_eq!(escaped.body["error"]["value"], "退 /1", "{}", escaped.body);
    assert_verified(&app).await;
}

#[tokio::test]
async fn checking_a_pending_stockin_moves_stock_and_refund_progress_once() {
    let app = spawn_admin().await;
    let red = on_hand(&app, "MUG-RED", "WH1", false).await;
    let pending = push_stockin(&app, "TK-DEMO-1", "ADM-P1", 1, json!([{"spec_no": "MUG-RED", "num": 2}])).await;
    let editing = push_stockin(&app, "TK-DEMO-1", "ADM-E1", 0, json!([{"spec_no": "MUG-BLUE", "num": 1}])).await;
    assert_eq!(on_hand(&app, "MUG-RED", "WH1", false).await, red, "a pending stock-in moves nothing");
    assert_eq!(received(&app, "TK-DEMO-1", "MUG-RED").await, d("0"));

    let answer = post(&app, &format!("/admin/v1/stockins/demo/{pending}/check"), None).await;
    let (doc, audit) = answer.done();
    assert_eq!(
        (&doc["type"], &doc["order_no"], &doc["outer_no"], &doc["status"], &doc["status_label"]),
        (&json!("stockin"), &json!(pending), &json!("ADM-P1"), &json!(80), &json!("80 已完成 completed"))
    );
    assert_eq!(
        (&doc["refund_no"], &doc["warehouse_no"], &doc["goods_count"]),
        (&json!("TK-DEMO-1"), &json!("WH1"), &json!("2"))
    );
    assert_eq!(doc["checked_by"], "admin");
    assert!(doc["check_time"].as_str().is_some_and(|t| t.len() == 19), "{doc}");
    assert!(doc["check_time_ms"].as_i64().is_some(), "{doc}");
    assert_eq!(doc["lines"][0]["spec_no"], "MUG-RED");
    assert_eq!(doc["lines"][0]["num"], "2");
    assert_eq!(
        (&audit["action"], &audit["target"], &audit["before"], &audit["after"]),
        (&json!("stockin.check"), &json!(pending), &json!("30 待审核 pending"), &json!("80 已完成 completed"))
    );
    assert_eq!(on_hand(&app, "MUG-RED", "WH1", false).await, red.checked_add(d("2")).unwrap());
    assert_eq!(received(&app, "TK-DEMO-1", "MUG-RED").await, d("2"));
    let ledger = app.store.ledger_of("demo", "MUG-RED").await.unwrap();
    let rows: Vec<_> = ledger.iter().filter(|r| r.doc_no == pending).collect();
    assert_eq!(rows.len(), 1, "{ledger:?}");
    assert_eq!((rows[0].doc_type, rows[0].num_change), (12, d("2")));
    // The query method reads it back checked.
    let listed = recent_stockins(&app).await;
    let order = listed["data"]["order"].as_array().unwrap().iter().find(|o| o["order_no"] == pending.as_str()).cloned();
    assert_eq!(order.map(|o| o["status"].clone()), Some(json!(80)), "{listed}");

    // A second check (a double click) is a conflict and changes nothing; so is cancelling it now.
    let before = snapshot(&app).await;
    let again = post(&app, &format!("/admin/v1/stockins/demo/{pending}/check"), None).await;
    again.refused(409, "conflict", Some("order_no"));
    assert_eq!(again.body["error"]["value"], pending.as_str());
    post(&app, &format!("/admin/v1/stockins/demo/{pending}/cancel"), None).await.refused(
        409,
        "conflict",
        Some("order_no"),
    );
    assert_eq!(snapshot(&app).await, before);

    // An order in editing is cancelled, then neither checked nor cancelled again.
    let answer = post(&app, &format!("/admin/v1/stockins/demo/{editing}/cancel"), None).await;
    let (doc, audit) = answer.done();
    assert_eq!(
        (&doc["status"], &audit["before"], &audit["after"]),
        (&json!(10), &json!("20 编辑中 editing"), &json!("10 已取消 cancelled"))
    );
    assert_eq!(doc["check_time"], Value::Null);
    post(&app, &format!("/admin/v1/stockins/demo/{editing}/check"), None).await.refused(
        409,
        "conflict",
        Some("order_no"),
    );
    post(&app, &format!("/admin/v1/stockins/demo/{editing}/cancel"), None).await.refused(
        409,
        "conflict",
        Some("order_no"),
    );
    assert_eq!(received(&app, "TK-DEMO-1", "MUG-BLUE").await, d("0"));

    for path in ["/admin/v1/stockins/demo/RK-NONE/check", "/admin/v1/stockins/acme/RK-NONE/cancel"] {
        post(&app, path, None).await.refused(404, "not_found", Some("order_no"));
    }
    post(&app, &format!("/admin/v1/stockins/acme/{pending}/check"), None).await.refused(
        404,
        "not_found",
        Some("order_no"),
    );
    assert_verified(&app).await;
}

#[tokio::test]
async fn a_check_evaluates_the_refund_order_as_it_is_at_check_time() {
    let app = spawn_admin().await;
    // Three MUG-RED expected: a pending stock-in of three, then a checked push takes two of them.
    let pending = push_stockin(&app, "TK-DEMO-1", "ADM-LATE", 1, json!([{"spec_no": "MUG-RED", "num": 3}])).await;
    push_stockin(&app, "TK-DEMO-1", "ADM-FIRST", 2, json!([{"spec_no": "MUG-RED", "num": 2}])).await;
    let before = snapshot(&app).await;
    let refused = post(&app, &format!("/admin/v1/stockins/demo/{pending}/check"), None).await;
    refused.refused(409, "conflict", Some("order_no"));
    assert_eq!(snapshot(&app).await, before, "a refused check writes nothing");
    assert_eq!(received(&app, "TK-DEMO-1", "MUG-RED").await, d("2"));
    let stockin = app.store.stockin("demo", &pending).await.unwrap().unwrap();
    assert_eq!(stockin.summary.status, 30, "still pending");
    assert_verified(&app).await;
}

#[tokio::test]
async fn purchase_returns_are_checked_out_of_stock_or_cancelled() {
    let app = spawn_admin().await;
    let blue = on_hand(&app, "MUG-BLUE", "WH1", false).await;
    let first = push_purchase_return(&app, "ADM-PR1", json!([{"spec_no": "MUG-BLUE", "num": 4, "price": 8}])).await;
    let second = push_purchase_return(&app, "ADM-PR2", json!([{"spec_no": "MUG-BLUE", "num": 1}])).await;
    let short = push_purchase_return(&app, "ADM-PR3", json!([{"spec_no": "MUG-BLUE", "num": 1000}])).await;
    assert_eq!(on_hand(&app, "MUG-BLUE", "WH1", false).await, blue, "unchecked returns move nothing");

    let answer = post(&app, &format!("/admin/v1/purchase-returns/demo/{first}/check"), None).await;
    let (doc, audit) = answer.done();
    assert_eq!(
        (
            &doc["type"],
            &doc["return_no"],
            &doc["provider_no"],
            &doc["warehouse_no"],
            &doc["status"],
            &doc["status_label"]
        ),
        (
            &json!("purchase_return"),
            &json!(first),
            &json!("P1"),
            &json!("WH1"),
            &json!(40),
            &json!("40 已审核 checked")
        )
    );
    assert_eq!(
        (&audit["action"], &audit["before"], &audit["after"]),
        (&json!("purchase_return.check"), &json!("20 编辑中 editing"), &json!("40 已审核 checked"))
    );
    assert_eq!(on_hand(&app, "MUG-BLUE", "WH1", false).await, blue.checked_sub(d("4")).unwrap());
    let ledger = app.store.ledger_of("demo", "MUG-BLUE").await.unwrap();
    assert!(ledger.iter().any(|r| r.doc_no == first && r.doc_type == 3 && r.num_change == d("-4")), "{ledger:?}");

    let before = snapshot(&app).await;
    post(&app, &format!("/admin/v1/purchase-returns/demo/{first}/check"), None).await.refused(
        409,
        "conflict",
        Some("order_no"),
    );
    post(&app, &format!("/admin/v1/purchase-returns/demo/{first}/cancel"), None).await.refused(
        409,
        "conflict",
        Some("order_no"),
    );
    // Short of stock: refused, naming what is missing; the return stays unchecked.
    let refused = post(&app, &format!("/admin/v1/purchase-returns/demo/{short}/check"), None).await;
    refused.refused(409, "conflict", Some("order_no"));
    assert!(refused.body["error"]["message"].as_str().unwrap().contains("MUG-BLUE"), "{}", refused.body);
    assert_eq!(snapshot(&app).await, before);

    let answer = post(&app, &format!("/admin/v1/purchase-returns/demo/{second}/cancel"), None).await;
    let (doc, audit) = answer.done();
    assert_eq!((&doc["status"], &audit["after"]), (&json!(10), &json!("10 已取消 cancelled")));
    post(&app, &format!("/admin/v1/purchase-returns/demo/{second}/check"), None).await.refused(409, "conflict", None);
    post(&app, "/admin/v1/purchase-returns/demo/PR-NONE/check", None).await.refused(404, "not_found", Some("order_no"));
    post(&app, "/admin/v1/purchase-returns/demo/PR-NONE/cancel", None).await.refused(
        404,
        "not_found",
        Some("order_no"),
    );
    assert_eq!(on_hand(&app, "MUG-BLUE", "WH1", false).await, blue.checked_sub(d("4")).unwrap());
    assert_verified(&app).await;
}

#[tokio::test]
async fn shipping_a_trade_takes_its_goods_out_of_the_warehouse_once() {
    let app = spawn_admin().await;
    let (red, milk) = (on_hand(&app, "MUG-RED", "WH1", false).await, on_hand(&app, "MILK-1L", "WH1", false).await);
    let before = snapshot(&app).await;
    // Bodies the ship action does not take: 422 naming the field and value, nothing moves.
    let cases: Vec<(Option<&str>, &str, &str)> = vec![
        (None, "body", ""),
        (Some(""), "body", ""),
        (Some("{"), "body", "{"),
        (Some("[\"WH1\"]"), "body", "[\"WH1\"]"),
        (Some("\"WH1\""), "body", "\"WH1\""),
        (Some("{}"), "warehouse_no", ""),
        (Some(r#"{"warehouse_no":null}"#), "warehouse_no", ""),
        (Some(r#"{"warehouse_no":""}"#), "warehouse_no", ""),
        (Some(r#"{"warehouse_no":1}"#), "warehouse_no", "1"),
        (Some(r#"{"warehouse_no":["WH1"]}"#), "warehouse_no", "[\"WH1\"]"),
        (Some(r#"{"warehouse_no":"WH1","warehouse_no":"WH2"}"#), "warehouse_no", ""),
        (Some(r#"{"warehouse":"WH1"}"#), "warehouse", "\"WH1\""),
        (Some(r#"{"warehouse_no":"WH1","force":true}"#), "force", "true"),
    ];
    for (body, field, value) in cases {
        let answer = send(&app, Method::POST, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(TOKEN), body).await;
        answer.refused(422, "invalid", Some(field));
        assert_eq!(answer.body["error"]["value"], value, "{body:?}: {}", answer.body);
    }
    let unknown = post(&app, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(json!({"warehouse_no": "WH-NONE"}))).await;
    unknown.refused(404, "not_found", Some("warehouse_no"));
    post(&app, "/admin/v1/trades/demo/T-NONE/ship", Some(json!({"warehouse_no": "WH1"}))).await.refused(
        404,
        "not_found",
        Some("tid"),
    );
    // WH2 holds none of it: short stock refuses.
    post(&app, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(json!({"warehouse_no": "WH2"})))
        .await
        .refused(409, "conflict", None);
    // Shipped before the data was loaded.
    post(&app, "/admin/v1/trades/demo/T-DEMO-1/ship", Some(json!({"warehouse_no": "WH1"}))).await.refused(
        409,
        "conflict",
        Some("tid"),
    );
    assert_eq!(snapshot(&app).await, before);

    let answer = post(&app, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(json!({"warehouse_no": "WH1"}))).await;
    let (doc, audit) = answer.done();
    assert_eq!(
        (&doc["type"], &doc["tid"], &doc["trade_no"], &doc["shipped"], &doc["warehouse_no"]),
        (&json!("trade"), &json!("T-DEMO-8"), &json!("JY-DEMO-8"), &json!(true), &json!("WH1"))
    );
    let stockout_no = doc["stockout_no"].as_str().unwrap().to_owned();
    assert!(stockout_no.starts_with("CK"), "{doc}");
    assert!(doc["shipped_at"].as_str().is_some_and(|t| t.len() == 19), "{doc}");
    assert_eq!(doc["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        (&audit["action"], &audit["target"], &audit["doc_no"]),
        (&json!("trade.ship"), &json!("T-DEMO-8"), &json!(stockout_no))
    );
    assert_eq!(on_hand(&app, "MUG-RED", "WH1", false).await, red.checked_sub(d("2")).unwrap());
    assert_eq!(on_hand(&app, "MILK-1L", "WH1", false).await, milk.checked_sub(d("12")).unwrap());
    assert_eq!(on_hand(&app, "MUG-RED", "WH1", true).await, d("5"), "defect stock is not shipped");
    for (spec, change) in [("MUG-RED", "-2"), ("MILK-1L", "-12")] {
        let ledger = app.store.ledger_of("demo", spec).await.unwrap();
        let rows: Vec<_> = ledger.iter().filter(|r| r.doc_no == stockout_no).collect();
        assert!(!rows.is_empty() && rows.iter().all(|r| r.doc_type == 1), "{ledger:?}");
        let sum = rows.iter().fold(Dec4::ZERO, |s, r| s.checked_add(r.num_change).unwrap());
        assert_eq!(sum, d(change), "{spec}");
    }
    let trade = app.store.trade("demo", "T-DEMO-8").await.unwrap().unwrap();
    assert!(trade.shipped);

    // Shipped: a second ship is a conflict and moves nothing.
    let before = snapshot(&app).await;
    post(&app, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(json!({"warehouse_no": "WH1"}))).await.refused(
        409,
        "conflict",
        Some("tid"),
    );
    assert_eq!(snapshot(&app).await, before);
    assert_verified(&app).await;
}

#[tokio::test]
async fn stock_is_adjusted_to_a_count_and_bad_counts_are_refused_by_field() {
    let app = spawn_admin().await;
    let path = "/admin/v1/stock/demo/adjust";
    let line = |num: Value| json!({"warehouse_no": "WH1", "spec_no": "MUG-RED", "position_no": "A-01", "num": num});
    let before = snapshot(&app).await;
    let with = |key: &str, value: Value| {
        let mut body = line(json!(7));
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = line(json!(7));
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let cases: Vec<(Value, u16, &str, &str, &str)> = vec![
        (line(json!("-1")), 422, "invalid", "num", "-1"),
        (line(json!(-0.5)), 422, "invalid", "num", "-0.5"),
        (line(json!("seven")), 422, "invalid", "num", "seven"),
        (line(json!("1.23456")), 422, "invalid", "num", "1.23456"),
        (line(json!("1e3")), 422, "invalid", "num", "1e3"),
        (line(json!("")), 422, "invalid", "num", ""),
        (line(json!(true)), 422, "invalid", "num", "true"),
        (line(json!({"n": 1})), 422, "invalid", "num", "{\"n\":1}"),
        (line(json!("99999999999999999999")), 422, "invalid", "num", "99999999999999999999"),
        (without("num"), 422, "invalid", "num", ""),
        (without("warehouse_no"), 422, "invalid", "warehouse_no", ""),
        (without("spec_no"), 422, "invalid", "spec_no", ""),
        (with("spec_no", json!(5)), 422, "invalid", "spec_no", "5"),
        (with("defect", json!("yes")), 422, "invalid", "defect", "\"yes\""),
        (with("batch_no", json!(1)), 422, "invalid", "batch_no", "1"),
        (with("position", json!("A-01")), 422, "invalid", "position", "\"A-01\""),
        (with("warehouse_no", json!("WH-NONE")), 404, "not_found", "warehouse_no", "WH-NONE"),
        (with("spec_no", json!("NOPE")), 404, "not_found", "spec_no", "NOPE"),
        (with("position_no", json!("Z-99")), 404, "not_found", "position_no", "Z-99"),
        (with("batch_no", json!("NO-BATCH")), 404, "not_found", "batch_no", "NO-BATCH"),
        // Serial-numbered goods are counted in whole units.
        (with("spec_no", json!("PHONE-128")).tap("num", json!("1.5")), 422, "invalid", "num", "1.5"),
    ];
    for (body, status, code, field, value) in cases {
        let answer = post(&app, path, Some(body.clone())).await;
        answer.refused(status, code, Some(field));
        assert_eq!(answer.body["error"]["value"], value, "{body}: {}", answer.body);
    }
    send(&app, Method::POST, path, Some(TOKEN), Some("not json")).await.refused(422, "invalid", Some("body"));
    let huge = format!(r#"{{"warehouse_no":"WH1","spec_no":"{}","num":1}}"#, "X".repeat(100_000));
    send(&app, Method::POST, path, Some(TOKEN), Some(&huge)).await.refused(413, "too_large", None);
    assert_eq!(snapshot(&app).await, before);

    // 100 on the shelf, 7 counted.
    let answer = post(&app, path, Some(line(json!(7)))).await;
    let (doc, audit) = answer.done();
    assert_eq!(
        doc,
        &json!({"type": "stock_line", "sid": "demo", "warehouse_no": "WH1", "spec_no": "MUG-RED", "defect": false,
                "batch_no": "", "position_no": "A-01", "num": "7", "cost_price": "10.5"})
    );
    assert_eq!(
        (&audit["action"], &audit["target"], &audit["before"], &audit["after"]),
        (&json!("stock.adjust"), &json!("WH1/MUG-RED/正品//A-01"), &json!("100"), &json!("7"))
    );
    let count_no = audit["doc_no"].as_str().unwrap().to_owned();
    assert!(count_no.starts_with("PD"), "{audit}");
    let ledger = app.store.ledger_of("demo", "MUG-RED").await.unwrap();
    let row = ledger.iter().find(|r| r.doc_no == count_no).expect("a ledger row of the count");
    assert_eq!((row.doc_type, row.num_before, row.num_change, row.num_after), (4, d("100"), d("-93"), d("7")));

    // The same count again changes nothing and makes no document.
    let again = post(&app, path, Some(line(json!("7.0000")))).await;
    let (doc, audit) = again.done();
    assert_eq!(
        (&doc["num"], &audit["before"], &audit["after"], &audit["doc_no"]),
        (&json!("7"), &json!("7"), &json!("7"), &json!(""))
    );
    assert_eq!(app.store.ledger_of("demo", "MUG-RED").await.unwrap().len(), ledger.len());

    // Numbers and strings, fractions, defect stock, batches, and a line never stocked before.
    let rice = post(&app, path, Some(json!({"warehouse_no": "WH1", "spec_no": "RICE-KG", "num": 30.25}))).await;
    assert_eq!(rice.done().0["num"], "30.25");
    let defect = post(
        &app,
        path,
        Some(json!({"warehouse_no": "WH1", "spec_no": "MUG-RED", "defect": true, "position_no": "B-01", "num": "0"})),
    )
    .await;
    assert_eq!((&defect.done().0["defect"], &defect.done().0["num"]), (&json!(true), &json!("0")));
    let milk = post(
        &app,
        path,
        Some(json!({"warehouse_no": "WH1", "spec_no": "MILK-1L", "batch_no": "B2601", "num": 50, "position_no": null})),
    )
    .await;
    assert_eq!((&milk.done().0["batch_no"], &milk.done().0["num"]), (&json!("B2601"), &json!("50")));
    let fresh = post(
        &app,
        path,
        Some(json!({"warehouse_no": "WH1", "spec_no": "MUG-BLUE", "position_no": "B-01", "num": "3"})),
    )
    .await;
    assert_eq!(fresh.done().1["before"], "0");
    assert_eq!(on_hand(&app, "MUG-BLUE", "WH1", false).await, d("23"));
    assert_verified(&app).await;
}

/// `Value` with one more field set, in an expression.
trait Tap {
    fn tap(self, key: &str, value: Value) -> Value;
}

impl Tap for Value {
    fn tap(mut self, key: &str, value: Value) -> Value {
        self[key] = value;
        self
    }
}

#[tokio::test]
async fn the_audit_log_lists_actions_in_order_with_actor_and_before_and_after() {
    let app = spawn_admin().await;
    assert_eq!(get(&app, "/admin/v1/audit").await.body, json!({"audit": [], "more": false, "limit": 100}));
    let pending = push_stockin(&app, "TK-DEMO-1", "ADM-A1", 1, json!([{"spec_no": "MUG-RED", "num": 1}])).await;
    post(&app, "/admin/v1/refund-orders/demo/TK-DEMO-4/review", None).await.done();
    post(&app, &format!("/admin/v1/stockins/demo/{pending}/check"), None).await.done();
    post(&app, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(json!({"warehouse_no": "WH1"}))).await.done();
    post(&app, "/admin/v1/stock/demo/adjust", Some(json!({"warehouse_no": "WH1", "spec_no": "RICE-KG", "num": "20"})))
        .await
        .done();
    // Refusals write no audit row.
    post(&app, "/admin/v1/trades/demo/T-DEMO-8/ship", Some(json!({"warehouse_no": "WH1"})))
        .await
        .refused(409, "conflict", None);

    let answer = get(&app, "/admin/v1/audit?sid=demo").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let rows = answer.body["audit"].as_array().unwrap().clone();
    let seen: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["action"].as_str().unwrap(), r["target"].as_str().unwrap())).collect();
    assert_eq!(
        seen,
        [
            ("refund_order.review", "TK-DEMO-4"),
            ("stockin.check", pending.as_str()),
            ("trade.ship", "T-DEMO-8"),
            ("stock.adjust", "WH1/RICE-KG/正品//ZANCUN"),
        ]
    );
    let before_after: Vec<(&Value, &Value)> = rows.iter().map(|r| (&r["before"], &r["after"])).collect();
    assert_eq!(before_after[0], (&json!("20 待审核 pending review"), &json!("30 已审核 checked")));
    assert_eq!(before_after[1], (&json!("30 待审核 pending"), &json!("80 已完成 completed")));
    assert_eq!(before_after[3], (&json!("25.5"), &json!("20")));
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows.iter().all(|r| r["actor"] == "admin" && r["sid"] == "demo"), "{rows:?}");
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let times: Vec<i64> = rows.iter().map(|r| r["created_ms"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    for r in &rows {
        let wire = wdt_protocol::time::format_wire_time(r["created_ms"].as_i64().unwrap());
        assert_eq!(r["created"], wire.as_str());
    }
    assert!(rows[2]["doc_no"].as_str().unwrap().starts_with("CK"));

    // since: epoch ms or Shanghai wire time, inclusive; limit, capped; other sellers see nothing.
    let last = times[3];
    let tail = get(&app, &format!("/admin/v1/audit?sid=demo&since={last}")).await;
    assert!(tail.body["audit"].as_array().unwrap().iter().all(|r| r["created_ms"].as_i64().unwrap() >= last));
    assert_eq!(tail.body["audit"].as_array().unwrap().last().unwrap()["id"], ids[3]);
    let later = get(&app, &format!("/admin/v1/audit?since={}", last + 1)).await;
    assert_eq!(later.body["audit"], json!([]));
    let wire =
        form_urlencoded::byte_serialize(wdt_protocol::time::format_wire_time(times[0]).as_bytes()).collect::<String>();
    let from_wire = get(&app, &format!("/admin/v1/audit?since={wire}")).await;
    assert_eq!(from_wire.body["audit"].as_array().unwrap().len(), 4, "{}", from_wire.body);
    let two = get(&app, "/admin/v1/audit?sid=demo&limit=2").await;
    assert_eq!(
        (two.body["audit"].as_array().unwrap().len(), &two.body["more"], &two.body["limit"]),
        (2, &json!(true), &json!(2))
    );
    assert_eq!(two.body["audit"][0]["id"], ids[0]);
    let capped = get(&app, "/admin/v1/audit?limit=1000000").await;
    assert_eq!((&capped.body["limit"], &capped.body["more"]), (&json!(1000), &json!(false)));
    assert_eq!(get(&app, "/admin/v1/audit?sid=acme").await.body["audit"], json!([]));
    assert_eq!(get(&app, "/admin/v1/audit?sid=").await.body["audit"].as_array().unwrap().len(), 4);
    for (query, field) in [
        ("since=yesterday", "since"),
        ("since=2026-02-30%2010:00:00", "since"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=ten", "limit"),
        ("sid=demo&sid=acme", "sid"),
        ("from=2026-01-01", "from"),
    ] {
        get(&app, &format!("/admin/v1/audit?{query}")).await.refused(422, "invalid", Some(field));
    }
    assert_verified(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_checks_of_one_stockin_apply_it_once() {
    let app = Arc::new(spawn_admin().await);
    let red = on_hand(&app, "MUG-RED", "WH1", false).await;
    let order = push_stockin(&app, "TK-DEMO-1", "ADM-RACE", 1, json!([{"spec_no": "MUG-RED", "num": 2}])).await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, order) = (Arc::clone(&app), order.clone());
        tasks.push(tokio::spawn(async move {
            let answer = post(&app, &format!("/admin/v1/stockins/demo/{order}/check"), None).await;
            (answer.status, answer.body)
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert!(matches!(status, 200 | 409), "{status} {body}");
        if status == 409 {
            assert_eq!(body["error"]["code"], "conflict", "{body}");
        }
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 19, "{statuses:?}");
    assert_eq!(on_hand(&app, "MUG-RED", "WH1", false).await, red.checked_add(d("2")).unwrap());
    assert_eq!(received(&app, "TK-DEMO-1", "MUG-RED").await, d("2"));
    let ledger = app.store.ledger_of("demo", "MUG-RED").await.unwrap();
    assert_eq!(ledger.iter().filter(|r| r.doc_no == order).count(), 1, "{ledger:?}");
    let audit = get(&app, "/admin/v1/audit?sid=demo").await.body["audit"].as_array().unwrap().clone();
    assert_eq!(audit.iter().filter(|r| r["action"] == "stockin.check" && r["target"] == order.as_str()).count(), 1);
    assert_verified(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_checks_against_one_refund_order_never_receive_more_than_expected() {
    let app = Arc::new(spawn_admin().await);
    let red = on_hand(&app, "MUG-RED", "WH1", false).await;
    // TK-DEMO-1 expects three MUG-RED; twenty pending stock-ins of one each wait for a check.
    let mut orders = Vec::new();
    for i in 0..20 {
        orders.push(
            push_stockin(&app, "TK-DEMO-1", &format!("ADM-MANY-{i}"), 1, json!([{"spec_no": "MUG-RED", "num": 1}]))
                .await,
        );
    }
    let mut tasks = Vec::new();
    for order in &orders {
        let (app, order) = (Arc::clone(&app), order.clone());
        tasks.push(tokio::spawn(async move {
            let answer = post(&app, &format!("/admin/v1/stockins/demo/{order}/check"), None).await;
            (order, answer.status, answer.body)
        }));
    }
    let mut checked = Vec::new();
    for t in tasks {
        let (order, status, body) = t.await.unwrap();
        match status {
            200 => checked.push(order),
            409 => assert_eq!(body["error"]["code"], "conflict", "{body}"),
            other => panic!("{other} {body}"),
        }
    }
    assert_eq!(checked.len(), 3, "room for three: {checked:?}");
    assert_eq!(received(&app, "TK-DEMO-1", "MUG-RED").await, d("3"));
    let refund = app.store.refund_order("demo", "TK-DEMO-1").await.unwrap().unwrap();
    assert!(refund.items.iter().all(|i| i.stockin_num <= i.refund_num), "{refund:?}");
    assert_eq!(on_hand(&app, "MUG-RED", "WH1", false).await, red.checked_add(d("3")).unwrap());
    for order in &orders {
        let status = app.store.stockin("demo", order).await.unwrap().unwrap().summary.status;
        assert_eq!(status, if checked.contains(order) { 80 } else { 30 }, "{order}");
    }
    // The rest can still be cancelled; the mixed run leaves every invariant holding.
    let rest: Vec<&String> = orders.iter().filter(|o| !checked.contains(o)).collect();
    let mut tasks = Vec::new();
    for order in rest.iter().take(5) {
        let (app, order) = (Arc::clone(&app), (*order).clone());
        tasks.push(tokio::spawn(async move {
            let cancel = post(&app, &format!("/admin/v1/stockins/demo/{order}/cancel"), None).await.status;
            let check = post(&app, &format!("/admin/v1/stockins/demo/{order}/check"), None).await.status;
            (cancel, check)
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), (200, 409));
    }
    let audit = get(&app, "/admin/v1/audit?sid=demo").await.body["audit"].as_array().unwrap().clone();
    assert_eq!(audit.len(), 3 + 5, "{audit:?}");
    assert_verified(&app).await;
}
