//! `wms.stockin.SmartRefund.upload`: linking to the trade's refund order or creating one, and the
//! sold-quantity rule.

use serde_json::{Value, json};
use wdt_protocol::Dec4;

use crate::helpers::*;

const UPLOAD: &str = "wms.stockin.SmartRefund.upload";

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

async fn upload(app: &TestApp, tid: &str, warehouse: &str, lines: Value, allow: bool) -> Value {
    let body = json!([{"tid": tid, "return_warehouse_no": warehouse, "remark": "quick"}, lines, allow]);
    let (http, answer) = app.post_qjb(&QjbCall::new(UPLOAD, &body.to_string())).await;
    assert_eq!(http, 200);
    answer
}

#[tokio::test]
async fn a_trade_with_a_pending_refund_order_links_to_it_and_checks_it() {
    let app = spawn_app().await;
    let before = app.store.refund_order("demo", "TK-DEMO-4").await.unwrap().unwrap();
    assert_eq!(before.status, 20);
    let answer =
        upload(&app, "T-DEMO-4", "WH1", json!([{"spec_no": "MUG-RED", "stockin_num": 1, "remark": ""}]), false).await;
    assert_eq!(answer["status"], 0, "{answer}");
    assert_eq!(answer["data"]["type"], 12);
    assert!(answer["data"]["stockin_id"].as_i64().unwrap() > 0);
    let after = app.store.refund_order("demo", "TK-DEMO-4").await.unwrap().unwrap();
    assert_eq!(after.status, 30, "checked");
    assert_eq!(after.stockin_status, 2, "partial");
    assert_eq!(after.items[0].stockin_num, d("1"));
    // The rest: full.
    let answer =
        upload(&app, "T-DEMO-4", "WH1", json!([{"spec_no": "MUG-RED", "stockin_num": "1", "remark": "rest"}]), false)
            .await;
    assert_eq!(answer["status"], 0, "{answer}");
    assert_eq!(app.store.refund_order("demo", "TK-DEMO-4").await.unwrap().unwrap().stockin_status, 3);
    // Beyond what was sold (2): refused, then allowed with createPreStockin.
    let over =
        upload(&app, "T-DEMO-4", "WH1", json!([{"spec_no": "MUG-RED", "stockin_num": 1, "remark": ""}]), false).await;
    assert_eq!(over["status"], 100);
    assert!(over["message"].as_str().unwrap().contains("购买数量: 2 已退货: 2"), "{over}");
    let allowed =
        upload(&app, "T-DEMO-4", "WH1", json!([{"spec_no": "MUG-RED", "stockin_num": 1, "remark": ""}]), true).await;
    assert_eq!(allowed["status"], 0, "{allowed}");
    let report = app.store.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[tokio::test]
async fn a_trade_without_a_refund_order_gets_a_new_one_priced_from_the_trade() {
    let app = spawn_app().await;
    let stock_before = app.store.stock_of("demo", "RICE-KG").await.unwrap();
    let answer = upload(
        &app,
        "T-DEMO-7",
        "WH2",
        json!([{"spec_no": "MUG-BLUE", "stockin_num": 2, "remark": "a"}, {"spec_no": "RICE-KG", "stockin_num": "2.5", "remark": "b"}]),
        false,
    )
    .await;
    assert_eq!(answer["status"], 0, "{answer}");
    // Find the new refund order through the query API.
    let page = recent_stockins(&app).await;
    let row = &page["data"]["order"][0];
    assert_eq!(row["stockin_id"], answer["data"]["stockin_id"]);
    let refund_no = row["refund_no"].as_str().unwrap();
    assert!(refund_no.starts_with("TK") && refund_no.len() == 12, "{refund_no}");
    assert_eq!(row["tid_list"], "T-DEMO-7");
    let refund = app.store.refund_order("demo", refund_no).await.unwrap().unwrap();
    assert_eq!(
        (refund.status, refund.stockin_status),
        (30, 3),
        "checked, and fully received: it expects what came back"
    );
    assert_eq!(
        refund.items.iter().map(|i| (i.oid.as_str(), i.price)).collect::<Vec<_>>(),
        vec![("T-DEMO-7-1", d("25")), ("T-DEMO-7-2", d("6.5"))]
    );
    assert!(refund.items.iter().all(|i| i.stockin_num == i.refund_num));
    let stock_after = app.store.stock_of("demo", "RICE-KG").await.unwrap();
    assert_eq!(stock_after.len(), stock_before.len() + 1, "a new line in WH2");
    assert!(stock_after.iter().any(|l| l.warehouse_no == "WH2" && l.num == d("2.5") && l.position_no == "ZANCUN"));
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn quick_return_refusals_change_nothing() {
    let app = spawn_app().await;
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        ("T-NONE", "WH1", json!([{"spec_no": "MUG-RED", "stockin_num": 1, "remark": ""}]), "未找到对应的单据信息!"),
        ("T-DEMO-7", "WH-EXT", json!([{"spec_no": "MUG-BLUE", "stockin_num": 1, "remark": ""}]), "不支持外部仓库"),
        ("T-DEMO-7", "WH-NONE", json!([{"spec_no": "MUG-BLUE", "stockin_num": 1, "remark": ""}]), "WH-NONE"),
        (
            "T-DEMO-7",
            "WH1",
            json!([{"spec_no": "MUG-RED", "stockin_num": 1, "remark": ""}]),
            "detailMapList[0].spec_no: MUG-RED",
        ),
        ("T-DEMO-7", "WH1", json!([{"spec_no": "MUG-BLUE", "stockin_num": 3, "remark": ""}]), "购买数量: 2"),
        ("T-DEMO-7", "WH1", json!([{"spec_no": "MUG-BLUE", "stockin_num": "0.00001", "remark": ""}]), "0.00001"),
        ("T-DEMO-7", "WH1", json!([{"spec_no": "MUG-BLUE", "stockin_num": 1}]), "remark"),
    ];
    let snapshot = || async {
        format!(
            "{:?}{:?}",
            app.store.stock_of("demo", "MUG-BLUE").await.unwrap(),
            app.store.ledger_of("demo", "MUG-BLUE").await.unwrap()
        )
    };
    let before = snapshot().await;
    for (tid, warehouse, lines, want) in cases {
        let answer = upload(&app, tid, warehouse, lines, false).await;
        assert_ne!(answer["status"], 0, "{tid} accepted");
        assert!(answer["message"].as_str().unwrap().contains(want), "{want}: {answer}");
    }
    assert_eq!(snapshot().await, before);
}
