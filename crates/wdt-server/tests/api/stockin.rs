//! Return stock-in through both dialects: effects on stock, ledger and refund progress after each
//! accepted push, nothing changed after each refused one, and the races.

use std::sync::Arc;

use serde_json::{Value, json};
use wdt_protocol::Dec4;
use wdt_store::{LedgerRowView, StockLineView};

use crate::helpers::*;

const CREATE: &str = "wms.stockin.Refund.createOrder";
const PUSH: &str = "stockin_refund_push.php";

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

/// Everything a push could change, to compare before and after a refusal.
async fn snapshot(app: &TestApp, specs: &[&str], refunds: &[&str]) -> String {
    let mut out = String::new();
    for spec in specs {
        out += &format!("{:?}\n", app.store.stock_of("demo", spec).await.unwrap());
        out += &format!("{:?}\n", app.store.ledger_of("demo", spec).await.unwrap());
    }
    for r in refunds {
        out += &format!("{:?}\n", app.store.refund_order("demo", r).await.unwrap());
    }
    out
}

fn line(lines: &[StockLineView], warehouse: &str, position: &str, defect: bool) -> Option<Dec4> {
    lines.iter().find(|l| l.warehouse_no == warehouse && l.position_no == position && l.defect == defect).map(|l| l.num)
}

async fn push_qjb(app: &TestApp, order: Value) -> Value {
    let (http, body) = app.post_qjb(&QjbCall::new(CREATE, &json!([order]).to_string())).await;
    assert_eq!(http, 200);
    body
}

#[tokio::test]
async fn a_checked_qjb_push_moves_stock_writes_the_ledger_and_advances_the_refund() {
    let app = spawn_app().await;
    let answer = push_qjb(
        &app,
        json!({
            "refund_no": "TK-DEMO-1", "out_stockin_no": "Q-1", "warehouse_no": "WH1", "create_mode": 2,
            "logistics_code": "SF", "logistics_no": "SF100",
            "detail_list": [
                {"spec_no": "MUG-RED", "num": "2", "position_no": "A-02"},
                {"spec_no": "MUG-RED", "num": 1, "defect": true, "stockin_price": "12.5"}
            ]
        }),
    )
    .await;
    assert_eq!(answer["status"], 0, "{answer}");
    let order_no = answer["data"].as_str().expect("data is the stock-in order no");
    assert!(order_no.starts_with("RK") && order_no.len() == 14, "{order_no}");
    assert!(answer.get("message").is_none());

    let stock = app.store.stock_of("demo", "MUG-RED").await.unwrap();
    assert_eq!(line(&stock, "WH1", "A-01", false), Some(d("100")), "untouched line");
    assert_eq!(line(&stock, "WH1", "A-02", false), Some(d("2")), "given position");
    // Defect line, no position given: the position this spec last came in at before this order
    // (the opening defect line at B-01 was loaded last).
    assert_eq!(line(&stock, "WH1", "B-01", true), Some(d("6")));

    let ledger: Vec<LedgerRowView> =
        app.store.ledger_of("demo", "MUG-RED").await.unwrap().into_iter().filter(|r| r.doc_no == order_no).collect();
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger[0].doc_type, 12);
    assert_eq!((ledger[0].num_before, ledger[0].num_change, ledger[0].num_after), (d("0"), d("2"), d("2")));
    assert_eq!(ledger[0].cost_price, d("29.98"), "price defaults to the refund item's");
    assert_eq!(ledger[1].cost_price, d("12.5"));

    let refund = app.store.refund_order("demo", "TK-DEMO-1").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, d("3"));
    assert_eq!(refund.items[1].stockin_num, d("0"));
    assert_eq!(refund.stockin_status, 2, "partial: MUG-BLUE still expected");

    // The rest arrives: full.
    let answer = push_qjb(
        &app,
        json!({
            "refund_no": "TK-DEMO-1", "warehouse_no": "WH1", "create_mode": 2,
            "detail_list": [{"spec_no": "MUG-BLUE", "num": 1}]
        }),
    )
    .await;
    assert_eq!(answer["status"], 0, "{answer}");
    let refund = app.store.refund_order("demo", "TK-DEMO-1").await.unwrap().unwrap();
    assert_eq!(refund.stockin_status, 3);
    let answer = push_qjb(
        &app,
        json!({
            "refund_no": "TK-DEMO-1", "warehouse_no": "WH1", "create_mode": 2,
            "detail_list": [{"spec_no": "MUG-BLUE", "num": 1}]
        }),
    )
    .await;
    assert_eq!(answer["status"], 100);
    assert!(answer["message"].as_str().unwrap().contains("已全部入库"), "{answer}");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn unchecked_qjb_pushes_move_nothing() {
    let app = spawn_app().await;
    let before = snapshot(&app, &["MUG-RED"], &["TK-DEMO-1"]).await;
    for mode in [0, 1] {
        let answer = push_qjb(
            &app,
            json!({
                "refund_no": "TK-DEMO-1", "warehouse_no": "WH1", "create_mode": mode,
                "detail_list": [{"spec_no": "MUG-RED", "num": 3}]
            }),
        )
        .await;
        assert_eq!(answer["status"], 0, "{answer}");
    }
    assert_eq!(snapshot(&app, &["MUG-RED"], &["TK-DEMO-1"]).await, before);
}

#[tokio::test]
async fn an_openapi2_push_is_the_same_operation() {
    let app = spawn_app().await;
    let info = json!({
        "refund_no": "TK-DEMO-3", "outer_no": "E-1", "warehouse_no": "WH1", "logistics_code": "SF",
        "is_created_batch": "1",
        "detail_list": [
            {"spec_no": "MILK-1L", "stockin_num": "2", "batch_no": "B2602", "stockin_price": "",
             "production_date": "2026-02-01 00:00:00", "expire_date": "2026-08-01 00:00:00"},
            {"spec_no": "MILK-1L", "stockin_num": 1, "batch_no": "B2601", "stockin_price": -1, "position_no": "B-01"}
        ]
    })
    .to_string();
    let answer = app.post_openapi2(PUSH, &ent_form(&[("stockin_refund_info", &info)])).await;
    assert_eq!(answer.1, json!({"code": 0, "message": "succeed"}));
    let stock = app.store.stock_of("demo", "MILK-1L").await.unwrap();
    let new_batch = stock.iter().find(|l| l.batch_no == "B2602").expect("batch created on request");
    assert_eq!(new_batch.num, d("2"));
    assert_eq!(new_batch.position_no, "A-01", "warehouse default: MILK-1L's last position is the default too");
    let refund = app.store.refund_order("demo", "TK-DEMO-3").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, d("5"), "2 opening + 3 now");
    assert_eq!(refund.stockin_status, 2);
    let ledger = app.store.ledger_of("demo", "MILK-1L").await.unwrap();
    assert!(ledger.iter().all(|r| r.cost_price == d("4.2") || r.cost_price == d("9.9")), "{ledger:?}");

    // The same outer number again in a new request (signed a second earlier: the same bytes
    // would be the same call): code "40", nothing written.
    let before = snapshot(&app, &["MILK-1L"], &["TK-DEMO-3"]).await;
    let form = wdt_protocol::openapi2::signed_form(
        "demo",
        ENT_KEY,
        ENT_SECRET,
        wdt_protocol::time::now_secs() - 1,
        &[("stockin_refund_info", &info)],
    );
    let again = app.post_openapi2(PUSH, &form).await;
    assert_eq!(again.1, json!({"code": "40", "message": "外部单号已存在,不能重复推送"}));
    assert_eq!(snapshot(&app, &["MILK-1L"], &["TK-DEMO-3"]).await, before);

    // is_check 0: pending review, nothing moves.
    let pending = json!({"refund_no": "TK-DEMO-3", "outer_no": "E-2", "warehouse_no": "WH1", "is_check": 0,
                         "detail_list": [{"spec_no": "MILK-1L", "stockin_num": 1}]})
    .to_string();
    let answer = app.post_openapi2(PUSH, &ent_form(&[("stockin_refund_info", &pending)])).await;
    assert_eq!(answer.1["code"], 0, "{}", answer.1);
    assert_eq!(snapshot(&app, &["MILK-1L"], &["TK-DEMO-3"]).await, before);
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn refused_pushes_change_nothing_and_name_field_and_value() {
    let app = spawn_app().await;
    let base = || {
        json!({
            "refund_no": "TK-DEMO-1", "out_stockin_no": "BAD-1", "warehouse_no": "WH1", "create_mode": 2,
            "detail_list": [{"spec_no": "MUG-RED", "num": 1}]
        })
    };
    let with = |path: &[&str], value: Value| {
        let mut o = base();
        let mut cur = &mut o;
        for (i, key) in path.iter().enumerate() {
            if i + 1 == path.len() {
                cur[*key] = value.clone();
            } else if let Ok(n) = key.parse::<usize>() {
                cur = &mut cur[n];
            } else {
                cur = &mut cur[*key];
            }
        }
        o
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("unknown refund order", with(&["refund_no"], json!("TK-NONE")), "TK-NONE"),
        ("cancelled refund order", with(&["refund_no"], json!("TK-DEMO-6")), "已取消"),
        ("pending-review refund order", with(&["refund_no"], json!("TK-DEMO-4")), "TK-DEMO-4"),
        ("unknown warehouse", with(&["warehouse_no"], json!("WH-NONE")), "仓库不存在  仓库编号: WH-NONE"),
        ("outsourced warehouse", with(&["warehouse_no"], json!("WH-OUT")), "不支持委外仓储"),
        ("unknown spec", with(&["detail_list", "0", "spec_no"], json!("NOPE")), "NOPE"),
        ("spec not on the refund order", with(&["detail_list", "0", "spec_no"], json!("RICE-KG")), "RICE-KG"),
        ("more than expected", with(&["detail_list", "0", "num"], json!(4)), "待入库数量: 3"),
        ("zero quantity", with(&["detail_list", "0", "num"], json!(0)), "num"),
        ("negative quantity", with(&["detail_list", "0", "num"], json!("-1")), "-1"),
        ("non-numeric quantity", with(&["detail_list", "0", "num"], json!("two")), "two"),
        ("five decimals", with(&["detail_list", "0", "num"], json!("0.00001")), "0.00001"),
        ("unknown position", with(&["detail_list", "0", "position_no"], json!("Z-9")), "Z-9"),
        ("unknown batch without the flag", with(&["detail_list", "0", "batch_no"], json!("NOB")), "NOB"),
        ("unparsable date", with(&["detail_list", "0", "expire_date"], json!("2026/01/01")), "2026/01/01"),
        ("unknown logistics", with(&["logistics_code"], json!("ZZ")), "ZZ"),
        ("logistics for purchases only", with(&["logistics_code"], json!("DBL")), "DBL"),
        ("refund_no over 20 characters", with(&["refund_no"], json!("TK".repeat(11))), "refund_no"),
        ("remark over 255 characters", with(&["remark"], json!("备".repeat(256))), "remark"),
        ("empty detail list", with(&["detail_list"], json!([])), "detail_list"),
    ];
    let before = snapshot(&app, &["MUG-RED", "RICE-KG"], &["TK-DEMO-1", "TK-DEMO-4", "TK-DEMO-6"]).await;
    for (name, order, want) in cases {
        let answer = push_qjb(&app, order).await;
        assert_ne!(answer["status"], 0, "{name} accepted: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains(want), "{name}: {message:?} should name {want:?}");
    }
    assert_eq!(snapshot(&app, &["MUG-RED", "RICE-KG"], &["TK-DEMO-1", "TK-DEMO-4", "TK-DEMO-6"]).await, before);
    // The refused outer number was never taken.
    let ok = push_qjb(&app, base()).await;
    assert_eq!(ok["status"], 0, "{ok}");
}

#[tokio::test]
async fn sn_pushes_follow_the_seed_rules() {
    let app = spawn_app().await;
    let order = |mode: i64, sns: &str, num: Value| {
        json!({
            "refund_no": "TK-DEMO-2", "warehouse_no": "WH1", "create_mode": mode,
            "detail_list": [{"spec_no": "PHONE-128", "num": num, "sn_strings": sns}]
        })
    };
    let cases: Vec<(Value, &str)> = vec![
        (order(2, "SN-9", json!(1)), "create_mode"),
        (order(0, "SN-8,SN-9", json!(1)), "SN数量"),
        (order(0, "SN-0001", json!(1)), "SN-0001"),
        (order(0, "SN-8", json!("0.5")), "整数"),
    ];
    for (o, want) in cases {
        let answer = push_qjb(&app, o).await;
        assert!(answer["message"].as_str().unwrap_or_default().contains(want), "{want}: {answer}");
    }
    let answer = push_qjb(&app, order(0, "SN-9", json!(1))).await;
    assert_eq!(answer["status"], 0, "{answer}");
}

#[tokio::test]
async fn twenty_concurrent_pushes_against_three_expected_units_commit_exactly_three() {
    let app = Arc::new(spawn_app().await);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = Arc::clone(&app);
        tasks.push(tokio::spawn(async move {
            push_qjb(
                &app,
                json!({
                    "refund_no": "TK-DEMO-1", "out_stockin_no": format!("RACE-{i}"), "warehouse_no": "WH1",
                    "create_mode": 2, "detail_list": [{"spec_no": "MUG-RED", "num": 1}]
                }),
            )
            .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let answer = t.await.unwrap();
        match answer["status"].as_i64() {
            Some(0) => ok += 1,
            Some(100) => {}
            _ => panic!("unexpected answer {answer}"),
        }
    }
    assert_eq!(ok, 3);
    let refund = app.store.refund_order("demo", "TK-DEMO-1").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, d("3"));
    let report = app.store.verify().await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[tokio::test]
async fn ten_concurrent_pushes_with_one_outer_number_commit_once() {
    let app = Arc::new(spawn_app().await);
    let mut tasks = Vec::new();
    for i in 0..10 {
        let app = Arc::clone(&app);
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                push_qjb(
                    &app,
                    json!({
                        "refund_no": "TK-DEMO-1", "out_stockin_no": "SAME", "warehouse_no": "WH1", "create_mode": 2,
                        "detail_list": [{"spec_no": "MUG-RED", "num": 1}]
                    }),
                )
                .await["status"]
                    .as_i64()
                    .unwrap()
            } else {
                let info = json!({"refund_no": "TK-DEMO-1", "outer_no": "SAME", "warehouse_no": "WH1",
                                  "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
                .to_string();
                let answer = app.post_openapi2(PUSH, &ent_form(&[("stockin_refund_info", &info)])).await;
                match &answer.1["code"] {
                    Value::Number(n) if n.as_i64() == Some(0) => 0,
                    Value::String(s) if s == "40" => 100,
                    other => panic!("unexpected {other}"),
                }
            }
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == 0 {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
    let refund = app.store.refund_order("demo", "TK-DEMO-1").await.unwrap().unwrap();
    assert_eq!(refund.items[0].stockin_num, d("1"));
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn refused_openapi2_pushes_change_nothing() {
    let app = spawn_app().await;
    let base = || {
        json!({"refund_no": "TK-DEMO-1", "outer_no": "E-BAD", "warehouse_no": "WH1",
                         "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]})
    };
    let with_line = |k: &str, v: Value| {
        let mut o = base();
        o["detail_list"][0][k] = v;
        o
    };
    let with = |k: &str, v: Value| {
        let mut o = base();
        o[k] = v;
        o
    };
    let cases: Vec<(Value, &str)> = vec![
        (with("refund_no", json!("TK-NONE")), "TK-NONE"),
        (with("warehouse_no", json!("WH-OUT")), "不支持委外仓储"),
        (with("logistics_code", json!("ZZ")), "ZZ"),
        (with("outer_no", json!("")), "outer_no"),
        (with("is_check", json!("maybe")), "is_check"),
        (with_line("stockin_num", json!("1.00001")), "1.00001"),
        (with_line("stockin_num", json!(4)), "待入库数量: 3"),
        (with_line("stockin_price", json!("-2")), "-2"),
        (with_line("tax", json!("-0.13")), "税率不合法 detail_list[0].tax: -0.13"),
        (with_line("tax", json!("0.00001")), "0.00001"),
        (with_line("batch_no", json!("NOB")), "NOB"),
        (with_line("production_date", json!("yesterday")), "yesterday"),
        (with_line("position_no", json!("Z-9")), "Z-9"),
    ];
    let before = snapshot(&app, &["MUG-RED"], &["TK-DEMO-1"]).await;
    for (info, want) in cases {
        let answer = app.post_openapi2(PUSH, &ent_form(&[("stockin_refund_info", &info.to_string())])).await;
        assert_ne!(answer.1["code"], 0, "{info} accepted");
        let message = answer.1["message"].as_str().unwrap_or_default();
        assert!(message.contains(want), "{want}: {}", answer.1);
    }
    assert_eq!(snapshot(&app, &["MUG-RED"], &["TK-DEMO-1"]).await, before);
}

#[tokio::test]
async fn a_limited_key_may_not_push_outside_its_warehouses_or_shops() {
    let app = spawn_app().await;
    let push = |refund: &str, warehouse: &str| {
        let body = json!([{"refund_no": refund, "warehouse_no": warehouse, "create_mode": 2,
                           "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}])
        .to_string();
        QjbCall::signed("demo", "demo-qjb-wh2", "wh2-secret:wh2-salt", CREATE, qjb_now(), None, &body)
    };
    // demo-qjb-wh2: warehouse WH2, shop SHOP-OWN. TK-DEMO-1 is SHOP-OWN, TK-DEMO-2 is SHOP-POS.
    let (_, outside_wh) = app.post_qjb(&push("TK-DEMO-1", "WH1")).await;
    assert_eq!(outside_wh["message"], "仓库不存在  仓库编号: WH1", "as an unknown warehouse: {outside_wh}");
    let body = json!([{"refund_no": "TK-DEMO-2", "warehouse_no": "WH2", "create_mode": 0,
                       "detail_list": [{"spec_no": "PHONE-128", "num": 1}]}])
    .to_string();
    let call = QjbCall::signed("demo", "demo-qjb-wh2", "wh2-secret:wh2-salt", CREATE, qjb_now(), None, &body);
    let (_, outside_shop) = app.post_qjb(&call).await;
    assert_eq!(
        outside_shop["message"], "退换单不存在 退换单号: TK-DEMO-2",
        "as an unknown refund order: {outside_shop}"
    );
    let (_, inside) = app.post_qjb(&push("TK-DEMO-1", "WH2")).await;
    assert_eq!(inside["status"], 0, "{inside}");
}

/// Seed 001's `detail_list[].tax` (税率, decimal(19,4)) is stored with its line, exactly; a line
/// without it stores none.
#[tokio::test]
async fn an_openapi2_lines_tax_is_stored_with_the_line() {
    let app = spawn_app().await;
    let info = json!({
        "refund_no": "TK-DEMO-1", "outer_no": "E-TAX", "warehouse_no": "WH1",
        "detail_list": [
            {"spec_no": "MUG-RED", "stockin_num": 1, "tax": "0.13"},
            {"spec_no": "MUG-BLUE", "stockin_num": 1, "tax": 0.0925},
            {"spec_no": "MUG-RED", "stockin_num": 1}
        ]
    })
    .to_string();
    let answer = app.post_openapi2(PUSH, &ent_form(&[("stockin_refund_info", &info)])).await;
    assert_eq!(answer.1, json!({"code": 0, "message": "succeed"}));
    let mut tx = app.sql.begin_write().await;
    let rows = tx
        .fetch_all(wdt_store_sql::db::query(
            "SELECT d.tax FROM stockin_order_details d JOIN stockin_orders o ON o.id = d.stockin_id \
             WHERE o.outer_no = 'E-TAX' ORDER BY d.id",
        ))
        .await;
    tx.commit().await;
    let taxes: Vec<Option<Dec4>> = rows.iter().map(|r| r.get::<Option<i64>, _>(0).map(Dec4::from_scaled)).collect();
    assert_eq!(taxes, vec![Some(d("0.13")), Some(d("0.0925")), None]);
}
