//! The kit as an integrator uses it: start, push through the clients, drive the controls.

use serde_json::json;
use wdt_client::Error;
use wdt_testkit::{FaultKind, FaultSpec, JournalQuery, TestErp};

const DEMO: &str = include_str!("../../../fixtures/demo.json");
const CREATE: &str = "wms.stockin.Refund.createOrder";

fn push(outer_no: &str) -> serde_json::Value {
    json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": outer_no, "warehouse_no": "WH1", "create_mode": 2,
            "detail_list": [{"spec_no": "MUG-RED", "num": "1"}]}])
}

#[tokio::test]
async fn an_integrator_test_reads_like_this() {
    let erp = TestErp::start(DEMO).await;
    erp.freeze_clock("2026-03-01 10:00:00").await.unwrap();
    let order_no: String = erp.qjb().call_typed(CREATE, &push("WMS-1")).await.unwrap();
    assert_eq!(order_no, "RK202603010001", "the frozen day numbers it, and the client signs at that time");

    erp.inject_fault(&FaultSpec::new(CREATE, FaultKind::RateLimit).for_key("demo-qjb")).await.unwrap();
    let err = erp.qjb().call(CREATE, &push("WMS-2")).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    let calls = erp.journal(&JournalQuery { method: Some(CREATE.into()), ..JournalQuery::default() }).await.unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!((calls[0].time.as_str(), calls[1].http_status), ("2026-03-01 10:00:00", 200));
    assert!(calls[1].response.contains("超过每分钟最大调用频率限制"));

    erp.snapshot("after-one").await.unwrap();
    let _: String = erp.qjb().call_typed(CREATE, &push("WMS-2")).await.unwrap();
    erp.restore("after-one").await.unwrap();
    let again: String = erp.qjb().call_typed(CREATE, &push("WMS-2")).await.unwrap();
    assert_eq!(again, "RK202603010002", "the restore took the number back");

    erp.advance_clock(86_400).await.unwrap();
    let next_day: String = erp.qjb().call_typed(CREATE, &push("WMS-3")).await.unwrap();
    assert_eq!(next_day, "RK202603020001");
    let info = json!({"refund_no": "TK-DEMO-5", "outer_no": "ENT-1", "warehouse_no": "WH1",
                      "detail_list": [{"spec_no": "MUG-BLUE", "stockin_num": 1}]})
    .to_string();
    erp.openapi2().post_openapi2("stockin_refund_push.php", &[("stockin_refund_info", &info)]).await.unwrap();

    erp.reset(None).await.unwrap();
    match erp.qjb().call(CREATE, &push("WMS-4")).await {
        Err(Error::Remote { message, .. }) => assert_eq!(message, "sid is not exists"),
        other => panic!("after a reset without a fixture: {other:?}"),
    }
    erp.reset(Some(DEMO)).await.unwrap();
    let fresh: String = erp.qjb().call_typed(CREATE, &push("WMS-1")).await.unwrap();
    assert!(fresh.starts_with("RK20260302"), "{fresh}");
    assert!(erp.store().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn two_kits_keep_clocks_and_data_of_their_own() {
    let (a, b) = (TestErp::start(DEMO).await, TestErp::start(DEMO).await);
    a.freeze_clock("2026-01-01 00:00:00").await.unwrap();
    b.freeze_clock("2030-06-01 00:00:00").await.unwrap();
    let in_a: String = a.qjb().call_typed(CREATE, &push("X")).await.unwrap();
    let in_b: String = b.qjb().call_typed(CREATE, &push("X")).await.unwrap();
    assert_eq!((in_a.as_str(), in_b.as_str()), ("RK202601010001", "RK203006010001"));
    assert_ne!(a.url(), b.url());
    let refused = a.freeze_clock("not a time").await.unwrap_err();
    assert!(refused.to_string().contains("422"), "{refused}");
}

/// The integrator's code under test in the README's example: a WMS pushing one return through
/// the SDK, retrying the vendor's rate limits.
mod my_wms {
    use std::time::Duration;

    use wdt_client::{Client, Error, RetryPolicy};

    pub async fn push_return(url: &str, sid: &str, key: &str, appsecret: &str) -> Result<String, Error> {
        let retry = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        };
        let client = Client::qjb(url, sid, key, appsecret).with_retry(retry);
        client.call_typed("wms.stockin.Refund.createOrder", &super::push("WMS-README")).await
    }
}

#[tokio::test]
async fn the_readme_example() {
    let erp = TestErp::start(DEMO).await;
    // The README freezes the clock too; a client outside the kit signs with the local clock, so
    // this one leaves the clock running.
    erp.inject_fault(&FaultSpec::new(CREATE, FaultKind::RateLimit)).await.unwrap();
    let order_no = my_wms::push_return(erp.url(), "demo", "demo-qjb", "demo-secret:demo-salt").await.unwrap();
    let calls = erp.journal(&JournalQuery::default()).await.unwrap();
    assert_eq!(calls.len(), 2, "refused once, then accepted");
    assert!(calls[1].response.contains(&order_no));
}
