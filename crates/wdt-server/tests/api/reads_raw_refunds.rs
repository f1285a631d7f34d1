//! `aftersales.refund.RawRefund.search` over HTTP: the window rules and their exemptions, the
//! parameter refusals and the pager requirement.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::format_wire_time;

use crate::helpers::*;

const SEARCH: &str = "aftersales.refund.RawRefund.search";
const ALL_KEY: (&str, &str) = ("demo-qjb", "demo-secret:demo-salt");
const WH2_KEY: (&str, &str) = ("demo-qjb-wh2", "wh2-secret:wh2-salt");
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

/// A raw refund line of `refund_no` for one unit of `oid` of `tid`, refunded at 2020-05-22.
fn raw_line(refund_no: &str, tid: &str, oid: &str, refund_type: i64, status: i64) -> Value {
    json!({
        "refund_no": refund_no, "num": 1, "tid": tid, "oid": oid, "type": refund_type, "status": status,
        "refund_version": "1", "refund_amount": 1, "actual_refund_amount": 1, "title": "t",
        "logistics_name": "", "logistics_no": "SF-READ", "buyer_nick": "buyer-x", "pay_account": "pay-x",
        "refund_time": "2020-05-22 09:07:18", "is_aftersale": 0, "reason": ""
    })
}

async fn upload(app: &TestApp, shop_no: &str, lines: Value) {
    let body = json!([shop_no, lines]).to_string();
    let call =
        QjbCall::signed("demo", ALL_KEY.0, ALL_KEY.1, "aftersales.refund.RawRefund.upload", qjb_now(), None, &body);
    let (http, answer) = app.post_qjb(&call).await;
    assert_eq!((http, answer["status"].clone()), (200, json!(0)), "{answer}");
}

fn refund_nos(answer: &Value) -> Vec<String> {
    let rows = answer["data"]["order"].as_array().unwrap_or_else(|| panic!("{answer}"));
    let mut nos: Vec<String> = rows.iter().map(|r| r["refund_no"].as_str().unwrap().to_owned()).collect();
    nos.sort();
    nos
}

#[tokio::test]
async fn raw_refunds_read_back_by_scope_privacy_and_either_time() {
    let app = spawn_app().await;
    upload(&app, "SHOP-OWN", json!([raw_line("RR-OWN", "T-DEMO-8", "T-DEMO-8-1", 1, 2)])).await;
    upload(&app, "SHOP-POS", json!([raw_line("RR-POS", "T-DEMO-7", "T-DEMO-7-1", 2, 2)])).await;
    // A platform shop (京东): the platform cancelled it, so nothing is refundable-checked.
    upload(&app, "SHOP-JD", json!([raw_line("RR-JD", "T-DEMO-3", "T-DEMO-3-1", 1, 1)])).await;
    let (from, to) = around(&app);
    let all = search(&app, ALL_KEY, json!({"start_time": from, "end_time": to})).await;
    assert_eq!(refund_nos(&all), ["RR-JD", "RR-OWN", "RR-POS"]);
    // Buyer and pay account shown for own and offline shops only.
    for row in all["data"]["order"].as_array().unwrap() {
        let open = row["refund_no"] != "RR-JD";
        assert_eq!(row["buyer_nick"] == "buyer-x", open, "{row}");
        assert_eq!(row["pay_account"] == "pay-x", open, "{row}");
    }
    // The WH2 key is limited to SHOP-OWN.
    let scoped = search(&app, WH2_KEY, json!({"start_time": from, "end_time": to})).await;
    assert_eq!(refund_nos(&scoped), ["RR-OWN"]);
    // time_type 2 windows the platform's refund time; the modified window then finds nothing.
    let refund_day = json!({"start_time": "2020-05-22 00:00:00", "end_time": "2020-05-23 00:00:00", "time_type": 2});
    assert_eq!(refund_nos(&search(&app, ALL_KEY, refund_day).await), ["RR-JD", "RR-OWN", "RR-POS"]);
    let modified_then = json!({"start_time": "2020-05-22 00:00:00", "end_time": "2020-05-23 00:00:00"});
    assert_eq!(refund_nos(&search(&app, ALL_KEY, modified_then).await), Vec::<String>::new());
    // Named by platform and tid, or by logistics number, without a window.
    let by_tid = search(&app, ALL_KEY, json!({"platform_id": 0, "tid": "T-DEMO-7"})).await;
    assert_eq!(refund_nos(&by_tid), ["RR-POS"]);
    assert_eq!(refund_nos(&search(&app, ALL_KEY, json!({"logistics_no": "SF-READ"})).await).len(), 3);
    // The line names the goods sold on that sub-order.
    let pos = search(&app, ALL_KEY, json!({"refund_no": "RR-POS"})).await;
    let line = &pos["data"]["order"][0]["detail_list"][0];
    assert_eq!((line["oid"].clone(), line["num"].clone()), (json!("T-DEMO-7-1"), json!(1)), "{line}");
    assert_eq!(pos["data"]["order"][0]["process_status"], 15);
}
