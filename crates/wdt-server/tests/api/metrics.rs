//! `/metrics` in Prometheus text format, after a few calls.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn metrics_count_calls_outcomes_signatures_and_stockins() {
    let app = spawn_app().await;
    let push = json!([{"refund_no": "TK-DEMO-1", "warehouse_no": "WH1", "create_mode": 2,
                       "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}])
    .to_string();
    let (_, ok) = app.post_qjb(&QjbCall::new("wms.stockin.Refund.createOrder", &push)).await;
    assert_eq!(ok["status"], 0);
    let bad_sign =
        QjbCall::new("wms.stockin.Refund.createOrder", &push).set("sign", "00000000000000000000000000000000");
    app.post_qjb(&bad_sign).await;
    app.post_qjb(&QjbCall::new("no.such.Method", "[]")).await;

    let response = app.http.get(format!("{}/metrics", app.url())).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.unwrap();
    let has = |needle: &str| text.lines().any(|l| l.starts_with(needle));
    assert!(
        has("wdt_requests_total{dialect=\"qjb\",method=\"wms.stockin.Refund.createOrder\",status=\"0\"}"),
        "{text}"
    );
    assert!(
        has("wdt_requests_total{dialect=\"qjb\",method=\"wms.stockin.Refund.createOrder\",status=\"1\"}"),
        "{text}"
    );
    assert!(
        has("wdt_requests_total{dialect=\"qjb\",method=\"unknown\",status=\"100\"}"),
        "unknown methods share one label: {text}"
    );
    assert!(has("wdt_signature_rejections_total{dialect=\"qjb\"}"), "{text}");
    assert!(has("wdt_stockins_created_total{method=\"wms.stockin.Refund.createOrder\"}"), "{text}");
    assert!(
        has(
            "wdt_request_duration_seconds_bucket{dialect=\"qjb\",method=\"wms.stockin.Refund.createOrder\",le=\"0.005\"}"
        ),
        "{text}"
    );
    assert!(has("wdt_db_connections{pool="), "{text}");
    let busy: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("wdt_write_busy_microseconds_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no writer busy time: {text}"));
    assert!(busy > 0, "the writer committed the push, which took time: {text}");
    assert!(has("wdt_write_group_fallbacks_total 0"), "no group failed whole: {text}");
    assert!(!text.contains("no.such.Method"));
}
