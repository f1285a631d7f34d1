//! `purchase.PurchaseReturn.createOrder`: checks, stock leaving, check failures.

use serde_json::{Value, json};
use wdt_protocol::Dec4;

use crate::helpers::*;

const CREATE: &str = "purchase.PurchaseReturn.createOrder";

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

async fn create(app: &TestApp, order: Value, lines: Value, check: bool) -> Value {
    let body = json!([order, lines, check]);
    let (http, answer) = app.post_qjb(&QjbCall::new(CREATE, &body.to_string())).await;
    assert_eq!(http, 200);
    answer
}

fn order(outer: &str) -> Value {
    json!({"outer_no": outer, "warehouse_no": "WH1", "provider_no": "P1"})
}

async fn on_hand(app: &TestApp, spec: &str, position: &str, defect: bool) -> Dec4 {
    app.store
        .stock_of("demo", spec)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.warehouse_no == "WH1" && l.position_no == position && l.defect == defect)
        .map(|l| l.num)
        .unwrap_or(Dec4::ZERO)
}

#[tokio::test]
async fn a_checked_return_that_empties_a_line_exactly_and_one_unit_more_that_fails() {
    let app = spawn_app().await;
    // One unit more than the 20 on hand: the check fails, nothing moves, the order stays unchecked.
    let short = create(&app, order("PR-SHORT"), json!([{"spec_no": "MUG-BLUE", "num": 21, "price": 8}]), true).await;
    assert_eq!(short["status"], 0, "{short}");
    assert_eq!(short["data"]["status"], 20);
    assert!(short["data"]["message"].as_str().unwrap().contains("需要: 21 可用: 20"), "{short}");
    assert_eq!(on_hand(&app, "MUG-BLUE", "A-02", false).await, d("20"));

    // Exactly what is there: the line goes to zero, one ledger row.
    let exact = create(&app, order("PR-EXACT"), json!([{"spec_no": "MUG-BLUE", "num": "20"}]), true).await;
    assert_eq!(exact, json!({"status": 0, "data": {"status": 0, "message": "PR-EXACT"}}));
    assert_eq!(on_hand(&app, "MUG-BLUE", "A-02", false).await, d("0"));
    let ledger = app.store.ledger_of("demo", "MUG-BLUE").await.unwrap();
    let row = ledger.iter().find(|r| r.doc_no == "PR-EXACT").expect("ledger row");
    assert_eq!((row.doc_type, row.num_before, row.num_change, row.num_after), (3, d("20"), d("-20"), d("0")));
    assert_eq!(row.cost_price, d("11"), "valued at the moving-average cost");

    // Nothing left: a further check fails; with check_fail_cancel the order is cancelled.
    let mut cancel = order("PR-CANCEL");
    cancel["check_fail_cancel"] = json!(1);
    let answer = create(&app, cancel, json!([{"spec_no": "MUG-BLUE", "num": 1}]), true).await;
    assert_eq!(answer["data"]["status"], 20, "{answer}");
    let report = app.store.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[tokio::test]
async fn units_defects_batches_and_references() {
    let app = spawn_app().await;
    let answer = create(
        &app,
        json!({"outer_no": "PR-MIX", "warehouse_no": "WH1", "provider_no": "P1", "logistics_no": "DBL",
               "ref_purchase_nos": ["CG-DEMO-1"], "remark": "mixed"}),
        json!([
            {"spec_no": "MUG-RED", "num": 1, "unit_name": "箱", "price": "96", "discount": "0.9", "tax_rate": "0.13"},
            {"spec_no": "MUG-RED", "num": 5, "defect": true},
            {"spec_no": "MILK-1L", "num": "1", "unit_name": "箱", "batch_no": "B2601"}
        ]),
        true,
    )
    .await;
    assert_eq!(answer["data"], json!({"status": 0, "message": "PR-MIX"}), "{answer}");
    assert_eq!(on_hand(&app, "MUG-RED", "A-01", false).await, d("88"), "one box of 12");
    assert_eq!(on_hand(&app, "MUG-RED", "B-01", true).await, d("0"), "defect stock");
    let milk = app.store.stock_of("demo", "MILK-1L").await.unwrap();
    assert_eq!(milk[0].num, d("36"), "{milk:?}");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn refusals_write_nothing() {
    let app = spawn_app().await;
    let ok_line = json!([{"spec_no": "MUG-RED", "num": 1}]);
    let with = |k: &str, v: Value| {
        let mut o = order("PR-BAD");
        o[k] = v;
        o
    };
    let cases: Vec<(Value, Value, &str)> = vec![
        (with("warehouse_no", json!("WH-NONE")), ok_line.clone(), "仓库不存在"),
        (with("provider_no", json!("P9")), ok_line.clone(), "P9"),
        (with("logistics_no", json!("YTO")), ok_line.clone(), "YTO"),
        (with("ref_purchase_nos", json!(["CG-DEMO-2"])), ok_line.clone(), "采购单状态要大于已审核"),
        (with("ref_purchase_nos", json!(["CG-DEMO-3"])), ok_line.clone(), "采购单不属于该供应商"),
        (with("ref_purchase_nos", json!(["CG-NONE"])), ok_line.clone(), "CG-NONE"),
        (with("outer_no", json!("X".repeat(21))), ok_line.clone(), "outer_no"),
        (order("PR-BAD"), json!([{"spec_no": "NOPE", "num": 1}]), "NOPE"),
        (order("PR-BAD"), json!([{"spec_no": "MUG-RED", "num": 0}]), "num"),
        (order("PR-BAD"), json!([{"spec_no": "MUG-RED", "num": 1, "discount": 0}]), "折扣"),
        (order("PR-BAD"), json!([{"spec_no": "MUG-RED", "num": 1, "discount": "1.5"}]), "折扣"),
        (order("PR-BAD"), json!([{"spec_no": "MUG-RED", "num": 1, "unit_name": "盒"}]), "盒"),
        (order("PR-BAD"), json!([{"spec_no": "MILK-1L", "num": 1, "batch_no": "B9"}]), "B9"),
    ];
    let before = format!("{:?}", app.store.ledger_of("demo", "MUG-RED").await.unwrap());
    for (o, lines, want) in cases {
        let answer = create(&app, o.clone(), lines, true).await;
        assert_eq!(answer["status"], 100, "{o}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains(want), "{want}: {answer}");
    }
    assert_eq!(format!("{:?}", app.store.ledger_of("demo", "MUG-RED").await.unwrap()), before);
    // The refused outer number is free; once used it is refused.
    assert_eq!(create(&app, order("PR-BAD"), ok_line.clone(), false).await["data"]["status"], 0);
    let dup = create(&app, order("PR-BAD"), ok_line, false).await;
    assert_eq!(dup["status"], 100);
    assert!(dup["message"].as_str().unwrap().contains("PR-BAD"), "{dup}");
}
