//! Answers outside the happy path: every answer on an API path is HTTP 200 with the dialect's
//! envelope whatever the method or the size of the query string; console paths answer 401
//! without the token before they look at anything else.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wdt_server::{RateLimits, ServerConfig};

use crate::helpers::*;

const PUSH: &str = "stockin_refund_push.php";

/// Sends `request` as raw bytes on a fresh connection; returns the status code and the body.
async fn raw(app: &TestApp, request: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    // The server may answer before it has read everything; a failed write is not the test.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status =
        text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status: {text:.200}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

fn json_of(answer: (u16, String)) -> (u16, Value) {
    let (status, body) = answer;
    (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("HTTP {status}, not JSON ({e}): {body:.300}")))
}

fn with_token() -> ServerConfig {
    ServerConfig {
        admin_token: Some("envelope-token".into()),
        rate_limits: RateLimits::off(),
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn a_wrong_http_method_is_refused_in_the_envelope() {
    let app = spawn_app().await;
    let r = app.http.get(format!("{}/openapi", app.url())).send().await.unwrap();
    let answer = (r.status().as_u16(), r.json::<Value>().await.unwrap());
    assert_qjb_error(&answer, 1, "GET");

    let query = wdt_protocol::qjb::encode_query(&QjbCall::new("wms.stockin.Refund.createOrder", "[]").pairs);
    let r = app.http.get(format!("{}/openapi?{query}", app.url())).send().await.unwrap();
    assert_qjb_error(&(r.status().as_u16(), r.json::<Value>().await.unwrap()), 1, "GET");

    let r = app.http.put(format!("{}/openapi2/{PUSH}", app.url())).body("a=b").send().await.unwrap();
    let answer = (r.status().as_u16(), r.json::<Value>().await.unwrap());
    assert_openapi2_error(&answer, 1.into(), "PUT");

    let r = app.http.delete(format!("{}/openapi2/{PUSH}?sid=demo", app.url())).send().await.unwrap();
    assert_openapi2_error(&(r.status().as_u16(), r.json::<Value>().await.unwrap()), 1.into(), "DELETE");
}

#[tokio::test]
async fn a_500_kb_query_string_is_refused_in_the_envelope_on_both_dialects() {
    let app = spawn_app().await;
    let pad = "x".repeat(500 * 1024);
    let qjb = format!(
        "POST /openapi?sid=demo&pad={pad} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
         Content-Length: 2\r\nConnection: close\r\n\r\n[]"
    );
    assert_qjb_error(&json_of(raw(&app, qjb.as_bytes()).await), 1, "查询串");

    let ent = format!(
        "POST /openapi2/{PUSH}?sid=demo&pad={pad} HTTP/1.1\r\nHost: t\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b"
    );
    assert_openapi2_error(&json_of(raw(&app, ent.as_bytes()).await), 1.into(), "查询串");

    // A query over the server's limit but short enough to reach a handler reads the same.
    let pad = "x".repeat(60 * 1024);
    let r = app.http.post(format!("{}/openapi?sid=demo&pad={pad}", app.url())).body("[]").send().await.unwrap();
    assert_qjb_error(&(r.status().as_u16(), r.json::<Value>().await.unwrap()), 1, "查询串");
    let r = app.http.post(format!("{}/openapi2/{PUSH}?pad={pad}", app.url())).body("a=b").send().await.unwrap();
    assert_openapi2_error(&(r.status().as_u16(), r.json::<Value>().await.unwrap()), 1.into(), "查询串");

    // Oversized headers are refused in the envelope too.
    let big = "y".repeat(500 * 1024);
    let request = format!("GET /openapi HTTP/1.1\r\nHost: t\r\nX-Big: {big}\r\nConnection: close\r\n\r\n");
    assert_qjb_error(&json_of(raw(&app, request.as_bytes()).await), 1, "请求头");

    // So is a head hyper cannot parse, and a bad escape in the endpoint name.
    let request = b"POST /openapi2/x.php HTTP/1.1\r\nHost: t\r\nBad Header\r\nConnection: close\r\n\r\n";
    assert_openapi2_error(&json_of(raw(&app, request).await), 1.into(), "无法解析");
    let r = app.http.post(format!("{}/openapi2/%FF%FE.php", app.url())).body("a=b").send().await.unwrap();
    assert_openapi2_error(&(r.status().as_u16(), r.json::<Value>().await.unwrap()), 2.into(), "");

    // The server still answers normally afterwards.
    assert_eq!(recent_stockins(&app).await["status"], 0);
}

#[tokio::test]
async fn a_huge_query_after_a_normal_call_on_the_same_connection_is_refused_in_the_envelope() {
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").await.unwrap();
    let mut first = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut first)).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    let pad = "x".repeat(500 * 1024);
    let second = format!("POST /openapi?pad={pad} HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n[]");
    let _ = stream.write_all(second.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    assert!(text.starts_with("HTTP/1.1 200"), "{text:.300}");
    let body: Value = serde_json::from_str(text.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_qjb_error(&(200, body), 1, "查询串");
}

#[tokio::test]
async fn console_paths_answer_401_without_the_token_before_reading_anything_else() {
    let app = spawn_app_with(with_token()).await;
    for path in [
        "/console/refunds?sid=a&sid=b",
        "/console/stock?sid=a&sid=b",
        "/console/stockins?sid=a&sid=b&start_time=garbage",
        "/console/requests?sid=a&sid=b",
        "/console/no-such-page",
    ] {
        let r = app.http.get(format!("{}{path}", app.url())).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{path}");
        let r =
            app.http.get(format!("{}{path}", app.url())).header("Cookie", "wdt_console=wrong").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{path} with a wrong cookie");
    }
    let r = app.http.post(format!("{}/console/refunds?sid=a&sid=b", app.url())).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401, "wrong method");
    // A login form that is not a form, or has no token, is a failed login.
    for body in ["garbage", "token=a&token=b", "", "nottoken=1"] {
        let r = app
            .http
            .post(format!("{}/console/login", app.url()))
            .header("Content-Type", "text/plain")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "login body {body:?}");
    }
    // A console URL too long for the server to read is a 401 too, not an empty 414/431.
    let pad = "x".repeat(500 * 1024);
    let request = format!("GET /console/refunds?sid={pad} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    assert_eq!(raw(&app, request.as_bytes()).await.0, 401);

    // With the token the console still works.
    let r = app
        .http
        .get(format!("{}/console/refunds?sid=demo", app.url()))
        .header("Authorization", "Bearer envelope-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("TK-DEMO-1"));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client
        .post(format!("{}/console/login", app.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("token=envelope-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert!(r.headers().get("set-cookie").is_some());
    let r = app.http.get(format!("{}/console/login", app.url())).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "the login form itself is open");
}

#[tokio::test]
async fn normal_calls_still_answer_as_before() {
    let app = spawn_app().await;
    assert_eq!(recent_stockins(&app).await["status"], 0);
    let answer = app.post_openapi2(PUSH, &ent_form(&[])).await;
    assert_openapi2_error(&answer, 2.into(), "stockin_refund_info");
    let r = app.http.get(format!("{}/healthz", app.url())).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
}
