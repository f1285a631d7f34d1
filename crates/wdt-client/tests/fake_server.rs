//! The SDK against a scripted HTTP server on a local port: what goes on the wire, how answers are
//! classified, and which failures are retried.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wdt_client::{Client, Error, RetryPolicy};
use wdt_protocol::error::{CONCURRENCY_LIMIT_MESSAGE, RATE_LIMIT_MESSAGE};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::now_secs;
use wdt_protocol::{Dialect, openapi2, qjb};

const SID: &str = "wdtapi3";
const KEY: &str = "wdtapi3-test";
const APPSECRET: &str = "testsecret:testsalt";

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    query: Vec<(String, String)>,
    content_type: String,
    body: Vec<u8>,
}

impl Seen {
    fn param(&self, name: &str) -> &str {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let target = lines.next()?.split(' ').nth(1)?.to_owned();
    let mut content_length = 0;
    let mut content_type = String::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => content_length = value.trim().parse().ok()?,
                "content-type" => content_type = value.trim().to_owned(),
                _ => {}
            }
        }
    }
    while buf.len() < header_end + content_length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    Some(Seen {
        path: path.to_owned(),
        query: form_urlencoded::parse(query.as_bytes()).into_owned().collect(),
        content_type,
        body: buf[header_end..header_end + content_length].to_vec(),
    })
}

/// A server answering the n-th request with `replies[n]` (the last one repeated), each on a fresh
/// connection.
async fn scripted(replies: Vec<(u16, String)>) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log: Log = Arc::default();
    let seen = log.clone();
    tokio::spawn(async move {
        let mut n = 0;
        loop {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let Some(request) = read_request(&mut stream).await else { continue };
            seen.lock().unwrap().push(request);
            let (status, body) = replies[n.min(replies.len() - 1)].clone();
            n += 1;
            let response = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    (url, log)
}

fn ok(body: Value) -> (u16, String) {
    (200, body.to_string())
}

fn fast(attempts: u32) -> RetryPolicy {
    RetryPolicy { max_attempts: attempts, base_delay: Duration::from_millis(5), max_delay: Duration::from_millis(20) }
}

fn qjb_client(url: &str) -> Client {
    Client::qjb(url, SID, KEY, APPSECRET).with_retry(fast(3))
}

fn assert_signed_qjb(seen: &Seen) {
    let pairs: Vec<(&str, &str)> = seen.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(qjb::verify(pairs, seen.body_text(), "testsecret", seen.param("sign")), "{seen:?}");
}

#[tokio::test]
async fn qjb_call_signs_the_exact_body_it_posts() {
    let (url, log) = scripted(vec![ok(json!({"status": 0, "data": "RK2408300001"}))]).await;
    let args = json!([{"refund_no": "TK2408300021", "warehouse_no": "wdtapi3-test", "remark": "退货/换货",
        "detail_list": [{"spec_no": "wangdiantong", "num": 2}]}]);
    let data = qjb_client(&format!("{url}/")).call("wms.stockin.Refund.createOrder", &args).await.unwrap();
    assert_eq!(data, Some(json!("RK2408300001")));

    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.path, "/openapi");
    let names: Vec<&str> = seen.query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["sid", "key", "salt", "method", "timestamp", "v", "sign"]);
    assert_eq!(seen.param("sid"), SID);
    assert_eq!(seen.param("key"), KEY);
    assert_eq!(seen.param("salt"), "testsalt");
    assert_eq!(seen.param("method"), "wms.stockin.Refund.createOrder");
    assert_eq!(seen.param("v"), "1.0");
    assert!(qjb::timestamp_in_window(seen.param("timestamp").parse().unwrap(), now_secs()));
    assert!(seen.content_type.starts_with("application/json"));
    assert_eq!(seen.body_text(), serde_json::to_string(&args).unwrap());
    assert!(seen.body_text().contains("退货/换货"));
    assert_signed_qjb(&seen);
}

#[tokio::test]
async fn raw_bodies_travel_byte_for_byte() {
    let (url, log) = scripted(vec![ok(json!({"status": 0}))]).await;
    let body = r#"[{"refund_no":"TK2408300021","remark":"\u9000\u8d27","logistics_no":"a\/b"}]"#;
    let data = qjb_client(&url).call_raw_body("wms.stockin.Refund.createOrder", body.to_owned(), None).await.unwrap();
    assert_eq!(data, None);
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.body_text(), body);
    assert_signed_qjb(&seen);
}

#[tokio::test]
async fn paged_calls_put_the_pager_in_the_query() {
    let page = json!({"total_count": 1, "order": [{"order_no": "RK1"}]});
    let (url, log) = scripted(vec![ok(json!({"status": 0, "data": page}))]).await;
    let pager = Pager { page_size: 50, page_no: 2, calc_total: true };
    let args = json!([{"start_time": "2024-08-01 00:00:00", "end_time": "2024-08-30 23:59:59"}]);
    let data = qjb_client(&url).call_paged("wms.stockin.Refund.queryWithDetail", &pager, &args).await.unwrap();
    assert_eq!(data, page);
    let seen = log.lock().unwrap()[0].clone();
    let names: Vec<&str> = seen.query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["sid", "key", "salt", "method", "timestamp", "v", "page_size", "page_no", "calc_total", "sign"]);
    assert_eq!((seen.param("page_size"), seen.param("page_no"), seen.param("calc_total")), ("50", "2", "1"));
    assert_signed_qjb(&seen);
}

#[tokio::test]
async fn typed_calls_deserialize_data() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Upload {
        stockin_id: u64,
        r#type: u8,
    }
    let (url, _) = scripted(vec![ok(json!({"status": 0, "data": {"stockin_id": 7, "type": 12}}))]).await;
    let got: Upload =
        qjb_client(&url).call_typed("wms.stockin.SmartRefund.upload", &json!([{}, [], false])).await.unwrap();
    assert_eq!(got, Upload { stockin_id: 7, r#type: 12 });

    let (url, _) = scripted(vec![ok(json!({"status": 0, "data": "RK1"}))]).await;
    let err = qjb_client(&url).call_typed::<Upload>("wms.stockin.SmartRefund.upload", &json!([])).await.unwrap_err();
    assert!(matches!(err, Error::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn both_rate_limit_messages_are_retried_until_success() {
    let (url, log) = scripted(vec![
        ok(json!({"status": 100, "message": RATE_LIMIT_MESSAGE})),
        ok(json!({"status": "100", "message": CONCURRENCY_LIMIT_MESSAGE})),
        ok(json!({"status": 0, "data": "RK1"})),
    ])
    .await;
    let data = qjb_client(&url).call("wms.stockin.Refund.createOrder", &json!([{}])).await.unwrap();
    assert_eq!(data, Some(json!("RK1")));
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    seen.iter().for_each(assert_signed_qjb);
}

#[tokio::test]
async fn rate_limits_give_up_after_the_last_attempt() {
    let (url, log) = scripted(vec![ok(json!({"status": 100, "message": RATE_LIMIT_MESSAGE}))]).await;
    let err = qjb_client(&url).call("wms.stockin.Refund.createOrder", &json!([{}])).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.status(), Some(100));
    assert_eq!(log.lock().unwrap().len(), 3);

    let (url, log) = scripted(vec![ok(json!({"status": 100, "message": RATE_LIMIT_MESSAGE}))]).await;
    let once = Client::qjb(&url, SID, KEY, APPSECRET).with_retry(RetryPolicy::none());
    assert!(once.call("m", &json!([])).await.unwrap_err().is_rate_limited());
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn business_errors_are_not_retried() {
    for reply in [
        json!({"status": 100, "message": "仓库不存在  仓库编号: 1002x"}),
        json!({"status": 1, "message": "验证失败"}),
        json!({"status": 7, "message": "时间戳错误"}),
        json!({"status": 4, "message": "数据库错误"}),
    ] {
        let (url, log) = scripted(vec![ok(reply.clone())]).await;
        let err = qjb_client(&url).call("wms.stockin.Refund.createOrder", &json!([{}])).await.unwrap_err();
        match &err {
            Error::Remote { dialect, code, message } => {
                assert_eq!(*dialect, Dialect::Qjb);
                assert_eq!(code, &reply["status"].to_string());
                assert_eq!(message, reply["message"].as_str().unwrap());
            }
            other => panic!("{other:?}"),
        }
        assert!(!err.is_rate_limited() && !err.is_retryable());
        assert_eq!(log.lock().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn non_200_answers_and_foreign_bodies_are_not_retried() {
    let (url, log) = scripted(vec![(502, "<html>bad gateway</html>".into())]).await;
    let err = qjb_client(&url).call("m", &json!([])).await.unwrap_err();
    assert!(matches!(&err, Error::Http { status: 502, body } if body.contains("bad gateway")), "{err:?}");
    assert_eq!(log.lock().unwrap().len(), 1);

    let (url, log) = scripted(vec![(200, "<html>maintenance</html>".into())]).await;
    let err = qjb_client(&url).call("m", &json!([])).await.unwrap_err();
    assert!(matches!(&err, Error::Malformed(m) if m.contains("HTTP 200")), "{err:?}");
    assert_eq!(log.lock().unwrap().len(), 1);

    let (url, _) = scripted(vec![ok(json!({"data": 1}))]).await;
    assert!(matches!(qjb_client(&url).call("m", &json!([])).await, Err(Error::Malformed(_))));
}

#[tokio::test]
async fn refused_connections_are_retried_then_reported() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let started = std::time::Instant::now();
    let err = qjb_client(&url).call("m", &json!([])).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert!(started.elapsed() >= Duration::from_millis(15));
}

#[tokio::test]
async fn timeouts_are_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let held = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            held.lock().unwrap().push(stream);
        }
    });
    let client = Client::qjb(&url, SID, KEY, APPSECRET).with_timeout(Duration::from_millis(200)).with_retry(fast(2));
    let err = client.call("m", &json!([])).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(accepted.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_shifted_clock_sends_a_stale_timestamp() {
    let (url, log) = scripted(vec![ok(json!({"status": 7, "message": "时间戳错误"}))]).await;
    let client = qjb_client(&url).with_clock_offset(-600);
    assert_eq!(client.call("m", &json!([])).await.unwrap_err().status(), Some(7));
    let seen = log.lock().unwrap()[0].clone();
    let ts: i64 = seen.param("timestamp").parse().unwrap();
    assert!(!qjb::timestamp_in_window(ts, now_secs()));
    assert!((qjb::timestamp_from_unix(now_secs() - 600) - ts).abs() <= 2);
    assert_signed_qjb(&seen);
}

#[tokio::test]
async fn openapi2_posts_a_signed_form_and_returns_the_whole_answer() {
    let (url, log) = scripted(vec![ok(json!({"code": 0, "message": "succeed", "new_count": 1, "chg_count": 0}))]).await;
    let info = r#"{"refund_no":"TK1608030001","outer_no":"ghs","remark":"退货入库"}"#;
    let client = Client::openapi2(&url, "test2", "test2-xx", "12345").with_retry(fast(3));
    let answer = client.post_openapi2("sales_refund_push.php", &[("api_refund_list", info)]).await.unwrap();
    assert_eq!(answer.get("new_count"), Some(&json!(1)));
    assert_eq!(answer.get("message"), Some(&json!("succeed")));

    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.path, "/openapi2/sales_refund_push.php");
    assert!(seen.query.is_empty());
    assert_eq!(seen.content_type, "application/x-www-form-urlencoded");
    let form = seen.form();
    let names: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["sid", "appkey", "timestamp", "api_refund_list", "sign"]);
    assert_eq!(form[3].1, info);
    let ts: i64 = form[2].1.parse().unwrap();
    assert!((ts - now_secs()).abs() <= openapi2::TIMESTAMP_WINDOW_SECS);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(openapi2::verify(pairs, "12345", &form[4].1));
}

#[tokio::test]
async fn openapi2_string_codes_are_refusals_and_not_retried() {
    let (url, log) = scripted(vec![ok(json!({"code": "40", "message": "外部单号已存在,不能重复推送"}))]).await;
    let client = Client::openapi2(&url, "test2", "test2-xx", "12345").with_retry(fast(3));
    let err = client.post_openapi2("stockin_refund_push", &[("stockin_refund_info", "{}")]).await.unwrap_err();
    match &err {
        Error::Remote { dialect, code, message } => {
            assert_eq!(*dialect, Dialect::Openapi2);
            assert_eq!(code, "40");
            assert_eq!(message, "外部单号已存在,不能重复推送");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), Some(40));
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/openapi2/stockin_refund_push.php");

    let (url, log) = scripted(vec![
        ok(json!({"code": 100, "message": RATE_LIMIT_MESSAGE})),
        ok(json!({"code": "0", "message": "succeed"})),
    ])
    .await;
    let client = Client::openapi2(&url, "test2", "test2-xx", "12345").with_retry(fast(3));
    assert!(client.post_openapi2("stockin_refund_push.php", &[]).await.is_ok());
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn typed_calls_send_the_positional_arrays_of_the_vendor_sdks() {
    use wdt_client::methods::{PurchaseReturnCreate, RefundStockinOrder, SmartRefundUpload};

    let (url, log) = scripted(vec![ok(json!({"status": 0, "data": "RK202608300001"}))]).await;
    let order: RefundStockinOrder = serde_json::from_value(json!({"refund_no": "TK1", "warehouse_no": "W1",
        "create_mode": "2", "detail_list": [{"spec_no": "S1", "num": "1.50"}]}))
    .unwrap();
    let created = qjb_client(&url).create_return_stockin(&order).await.unwrap();
    assert_eq!(created.order_no, "RK202608300001");
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.param("method"), "wms.stockin.Refund.createOrder");
    assert_eq!(
        seen.body_text(),
        r#"[{"refund_no":"TK1","warehouse_no":"W1","create_mode":2,"detail_list":[{"spec_no":"S1","num":1.5}]}]"#
    );
    assert_signed_qjb(&seen);

    let (url, log) = scripted(vec![ok(json!({"status": 0, "data": {"stockin_id": 7, "type": 12}}))]).await;
    let upload = SmartRefundUpload {
        refund_info: serde_json::from_value(json!({"tid": "T1", "return_warehouse_no": "W1", "remark": ""})).unwrap(),
        details: serde_json::from_value(json!([{"spec_no": "S1", "stockin_num": 2, "remark": "坏了"}])).unwrap(),
        create_pre_stockin: false,
    };
    let result = qjb_client(&url).quick_return(&upload).await.unwrap();
    assert_eq!((result.stockin_id, result.order_type), (7, 12));
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.param("method"), "wms.stockin.SmartRefund.upload");
    assert_eq!(
        seen.body_text(),
        r#"[{"tid":"T1","return_warehouse_no":"W1","remark":""},[{"spec_no":"S1","stockin_num":2,"remark":"坏了"}],false]"#
    );
    assert_signed_qjb(&seen);

    let (url, log) =
        scripted(vec![ok(json!({"status": 0, "data": {"status": 20, "message": "审核失败: 库存不足"}}))]).await;
    let create = PurchaseReturnCreate {
        order: serde_json::from_value(json!({"outer_no": "PR1", "warehouse_no": "W1", "provider_no": "P1"})).unwrap(),
        details: serde_json::from_value(json!([{"spec_no": "S1", "num": 3}])).unwrap(),
        is_check: true,
    };
    let result = qjb_client(&url).create_purchase_return(&create).await.unwrap();
    assert_eq!((result.status, result.message.as_str()), (20, "审核失败: 库存不足"));
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.param("method"), "purchase.PurchaseReturn.createOrder");
    assert_eq!(
        seen.body_text(),
        r#"[{"outer_no":"PR1","warehouse_no":"W1","provider_no":"P1"},[{"spec_no":"S1","num":3}],true]"#
    );
    assert_signed_qjb(&seen);
}

#[tokio::test]
async fn a_typed_query_puts_its_pager_in_the_query_string() {
    use wdt_client::methods::RefundStockinQuery;

    let page = json!({"total_count": 1, "order": [{"order_no": "RK1", "status": 80,
        "details_list": [{"spec_no": "S1", "stockin_num": "2.0000"}]}]});
    let (url, log) = scripted(vec![ok(json!({"status": 0, "data": page}))]).await;
    let params: RefundStockinQuery = serde_json::from_value(json!({"start_time": "2024-08-01 00:00:00",
        "end_time": "2024-08-30 23:59:59", "status": "80"}))
    .unwrap();
    let pager = Pager { page_size: 25, page_no: 3, calc_total: false };
    let got = qjb_client(&url).query_return_stockins(&params, &pager).await.unwrap();
    assert_eq!(got.total_count, Some(1));
    assert_eq!(got.order[0].details_list[0].stockin_num.to_string(), "2");
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.param("method"), "wms.stockin.Refund.queryWithDetail");
    assert_eq!((seen.param("page_size"), seen.param("page_no"), seen.param("calc_total")), ("25", "3", "0"));
    assert_eq!(
        seen.body_text(),
        r#"[{"status":"80","start_time":"2024-08-01 00:00:00","end_time":"2024-08-30 23:59:59"}]"#
    );
    assert_signed_qjb(&seen);
}

#[tokio::test]
async fn a_typed_push_sends_its_order_as_json_text_in_its_form_field() {
    use wdt_client::methods::StockinRefundInfo;

    let (url, log) = scripted(vec![ok(json!({"code": 0, "message": "succeed"}))]).await;
    let info: StockinRefundInfo = serde_json::from_value(json!({"refund_no": "TK1", "outer_no": "O1",
        "warehouse_no": "W1", "is_check": false, "detail_list": [{"spec_no": "S1", "stockin_num": "1"}]}))
    .unwrap();
    let client = Client::openapi2(&url, "test2", "test2-xx", "12345").with_retry(fast(3));
    assert_eq!(client.push_stockin_refund(&info).await.unwrap().message, "succeed");
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.path, "/openapi2/stockin_refund_push.php");
    let form = seen.form();
    let names: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["sid", "appkey", "timestamp", "stockin_refund_info", "sign"]);
    assert_eq!(
        form[3].1,
        r#"{"refund_no":"TK1","outer_no":"O1","warehouse_no":"W1","is_check":0,"detail_list":[{"spec_no":"S1","stockin_num":1}]}"#
    );
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(openapi2::verify(pairs, "12345", &form[4].1));
}

#[tokio::test]
async fn an_answer_of_another_shape_is_malformed_and_names_the_method() {
    use wdt_client::methods::RefundStockinOrder;

    let (url, _) = scripted(vec![ok(json!({"status": 0, "data": {"order_no": "RK1"}}))]).await;
    let order: RefundStockinOrder =
        serde_json::from_value(json!({"refund_no": "TK1", "warehouse_no": "W1", "detail_list": []})).unwrap();
    let err = qjb_client(&url).create_return_stockin(&order).await.unwrap_err();
    assert!(matches!(&err, Error::Malformed(m) if m.contains("wms.stockin.Refund.createOrder")), "{err:?}");
}

#[tokio::test]
async fn nothing_is_sent_through_a_client_of_the_other_dialect() {
    use wdt_client::methods::{RefundStockinOrder, StockinRefundInfo};

    let (url, log) = scripted(vec![ok(json!({"status": 0, "code": 0, "data": "RK1"}))]).await;
    let ent = Client::openapi2(&url, "test2", "test2-xx", "12345").with_retry(fast(3));
    let order: RefundStockinOrder =
        serde_json::from_value(json!({"refund_no": "TK1", "warehouse_no": "W1", "detail_list": []})).unwrap();
    let err = ent.create_return_stockin(&order).await.unwrap_err();
    assert!(matches!(err, Error::WrongDialect { expected: Dialect::Qjb, client: Dialect::Openapi2, .. }), "{err:?}");
    let err = ent.call("wms.stockin.Refund.createOrder", &json!([{}])).await.unwrap_err();
    assert!(matches!(err, Error::WrongDialect { .. }), "{err:?}");

    let qjb = qjb_client(&url);
    let info: StockinRefundInfo = serde_json::from_value(json!({"refund_no": "TK1", "outer_no": "O1",
        "warehouse_no": "W1", "detail_list": []}))
    .unwrap();
    let err = qjb.push_stockin_refund(&info).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "stockin_refund_push.php is a call of the openapi2 dialect, but this client speaks qjb"
    );
    let err = qjb.post_openapi2("stockin_refund_push.php", &[]).await.unwrap_err();
    assert!(matches!(err, Error::WrongDialect { expected: Dialect::Openapi2, client: Dialect::Qjb, .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert!(log.lock().unwrap().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn an_extreme_clock_offset_saturates_instead_of_overflowing() {
    let (url, log) = scripted(vec![ok(json!({"status": 7, "message": "时间戳错误"}))]).await;
    let client = qjb_client(&url).with_clock_offset(i64::MAX);
    assert_eq!(client.call("m", &json!([])).await.unwrap_err().status(), Some(7));
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.param("timestamp"), qjb::timestamp_from_unix(i64::MAX).to_string());
    assert_signed_qjb(&seen);

    let (url, log) = scripted(vec![ok(json!({"code": 7, "message": "时间戳错误"}))]).await;
    let client = Client::openapi2(&url, "test2", "test2-xx", "12345").with_retry(fast(1)).with_clock_offset(i64::MIN);
    assert_eq!(client.post_openapi2("stockin_refund_push.php", &[]).await.unwrap_err().code(), Some(7));
    let form = log.lock().unwrap()[0].form();
    let ts: i64 = form[2].1.parse().unwrap();
    assert!(ts < i64::MIN / 2, "{ts}");
}
