//! The same server through the SDK, so the SDK and the server cannot drift.

use serde_json::json;
use wdt_client::{Client, Error, RetryPolicy};
use wdt_protocol::Dialect;

use crate::helpers::*;

#[tokio::test]
async fn the_sdk_pushes_and_reads_refusals_as_typed_errors_in_both_dialects() {
    let app = spawn_app().await;
    let qjb = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none());
    let order = json!([{
        "refund_no": "TK-DEMO-5", "out_stockin_no": "SDK-1", "warehouse_no": "WH2", "create_mode": 2,
        "detail_list": [{"spec_no": "MUG-BLUE", "num": "1"}]
    }]);
    let order_no: String = qjb.call_typed("wms.stockin.Refund.createOrder", &order).await.expect("accepted");
    assert!(order_no.starts_with("RK"), "{order_no}");

    // The same outer number in another request (a byte-identical one would be the same call,
    // answered as the first was: see replays.rs).
    let mut second = order.clone();
    second[0]["remark"] = json!("again");
    let err = qjb.call("wms.stockin.Refund.createOrder", &second).await.expect_err("second push refused");
    assert_eq!(err.code(), Some(100));
    assert!(err.message().unwrap().contains("SDK-1"), "{err}");
    assert!(!err.is_retryable());

    let stale =
        Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none()).with_clock_offset(-600);
    let err = stale.call("wms.stockin.Refund.createOrder", &order).await.expect_err("stale");
    assert_eq!(err.code(), Some(7));

    let wrong = Client::qjb(&app.url(), "demo", QJB_KEY, "demo-secret:other-salt").with_retry(RetryPolicy::none());
    assert_eq!(wrong.call("wms.stockin.Refund.createOrder", &order).await.unwrap_err().code(), Some(1));

    let ent = Client::openapi2(&app.url(), "demo", ENT_KEY, ENT_SECRET).with_retry(RetryPolicy::none());
    let info = json!({"refund_no": "TK-DEMO-1", "outer_no": "SDK-E1", "warehouse_no": "WH1",
                      "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
    .to_string();
    let answer =
        ent.post_openapi2("stockin_refund_push.php", &[("stockin_refund_info", &info)]).await.expect("accepted");
    assert_eq!(answer["message"], "succeed");
    let again = json!({"refund_no": "TK-DEMO-1", "outer_no": "SDK-E1", "warehouse_no": "WH1", "remark": "again",
                       "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
    .to_string();
    match ent.post_openapi2("stockin_refund_push.php", &[("stockin_refund_info", &again)]).await {
        Err(Error::Remote { dialect: Dialect::Openapi2, code, message }) => {
            assert_eq!(code, "40");
            assert_eq!(message, "外部单号已存在,不能重复推送");
        }
        other => panic!("expected the duplicate refusal, got {other:?}"),
    }
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn the_sdk_reports_an_unreachable_server_as_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client =
        Client::qjb(&format!("http://127.0.0.1:{port}"), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy {
            max_attempts: 2,
            base_delay: std::time::Duration::from_millis(10),
            ..RetryPolicy::default()
        });
    let err = client.call("wms.stockin.Refund.createOrder", &json!([{}])).await.expect_err("nobody listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn the_sdk_exports_90_days_across_window_seams_each_order_exactly_once() {
    use wdt_client::StockinExport;

    let app = spawn_app().await;
    let client = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none());
    let mut nos = Vec::new();
    for i in 0..9 {
        let order = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": format!("SEAM-{i}"), "warehouse_no": "WH1",
                            "create_mode": 0, "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}]);
        let no: String = client.call_typed("wms.stockin.Refund.createOrder", &order).await.unwrap();
        nos.push(no);
    }
    // Put the orders on the seams of a 90-day export (second resolution, closed windows), plus
    // one just before and one just after the range. The range ends before now, inside the live
    // query's 90 days.
    let start: i64 = wdt_protocol::time::now_secs() - 89 * 86_400;
    let day = 86_400;
    let at_ms = [
        (start - 1) * 1000,                  // before the range: excluded
        start * 1000,                        // first second
        (start + 30 * day - 1) * 1000 + 999, // last millisecond of window 1
        (start + 30 * day) * 1000,           // first instant of window 2
        (start + 30 * day) * 1000 + 500,     // inside the seam second
        (start + 60 * day - 1) * 1000,       // end of window 2
        (start + 60 * day) * 1000,           // start of window 3
        (start + 90 * day - 1) * 1000 + 999, // last millisecond of the range
        (start + 90 * day) * 1000,           // after the range: excluded
    ];
    let mut tx = app.sql.begin_write().await;
    for (no, ms) in nos.iter().zip(at_ms) {
        tx.execute(
            wdt_store_sql::db::query("UPDATE stockin_orders SET modified = ? WHERE order_no = ?").bind(ms).bind(no),
        )
        .await;
    }
    tx.commit().await;

    for page_size in [1, 2, 100] {
        let params = wdt_client::methods::RefundStockinQuery::default();
        let mut export = StockinExport::over(&client, params, start, start + 90 * day - 1, page_size).unwrap();
        let mut got = Vec::new();
        while let Some(row) = export.next().await {
            got.push(row.unwrap().order_no);
        }
        assert_eq!(got, nos[1..8].to_vec(), "page size {page_size}");
        assert_eq!(export.known_total(), 7);
    }
}
