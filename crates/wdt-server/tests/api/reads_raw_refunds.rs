//! `aftersales.refund.RawRefund.search` over HTTP: the window rules and their exemptions, the
//! parameter refusals and the pager requirement.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::format_wire_time;

use crate::helpers::*;

const SEARCH: &str = "aftersales.refund.RawRefund.search";
const ALL_KEY: (&str, &str) = ("demo-qjb", "demo-secret:demo-salt");
const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

async fn search(app: &TestApp, key: (&str, &str), params: Value) -> Value {
    qjb_params_call(app, key, SEARCH, params, Some(&PAGER)).await
}

/// An hour either side of the store clock's now.
fn around(app: &TestApp) -> (String, String) {
    let now = app.store.clock().now_ms();
    (format_wire_time(now - 3_600_000), format_wire_time(now + 3_600_000))
}

#[tokio::test]
async fn the_window_is_required_unless_the_refund_is_named() {
    let app = spawn_app().await;
    let (from, to) = around(&app);
    let cases: Vec<(Value, Option<&str>)> = vec![
        (json!({"start_time": from, "end_time": to}), None),
        (json!({}), Some("参数中必须包含起止时间")),
        (json!({"tid": "T-DEMO-1"}), Some("参数中必须包含起止时间")),
        (json!({"platform_id": 127, "tid": "T-DEMO-1"}), None),
        (json!({"refund_no": "R1"}), None),
        (json!({"logistics_no": "SF1"}), None),
        (json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-02-01 00:00:00"}), Some("查询时间不能大于30天")),
        (json!({"start_time": to, "end_time": from}), Some("结束时间不能早于开始时间")),
        (json!({"refund_no": "R1", "time_type": 3}), Some("取值不合法(1/2) time_type: 3")),
        (json!({"refund_no": "R".repeat(41)}), Some("超长(最大40) refund_no")),
    ];
    for (params, refusal) in cases {
        let answer = search(&app, ALL_KEY, params.clone()).await;
        match refusal {
            None => assert_eq!(answer["status"], 0, "{params}: {answer}"),
            Some(text) => {
                assert_eq!(answer["status"], 100, "{params}: {answer}");
                assert!(answer["message"].as_str().unwrap().contains(text), "{params}: {answer}");
            }
        }
    }
    let unpaged = qjb_params_call(&app, ALL_KEY, SEARCH, json!({"refund_no": "R1"}), None).await;
    assert_eq!(unpaged["status"], 100, "{unpaged}");
}
