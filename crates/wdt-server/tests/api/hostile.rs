//! Hostile input: each case refused in the dialect's envelope (or, for free text, stored
//! verbatim), nothing written, and the server still answering afterwards.

use serde_json::{Value, json};

use crate::helpers::*;

const CREATE: &str = "wms.stockin.Refund.createOrder";
const PUSH: &str = "stockin_refund_push.php";

async fn state(app: &TestApp) -> String {
    format!(
        "{:?}{:?}{:?}",
        app.store.stock_of("demo", "MUG-RED").await.unwrap(),
        app.store.ledger_of("demo", "MUG-RED").await.unwrap(),
        app.store.refund_order("demo", "TK-DEMO-1").await.unwrap()
    )
}

fn order(patch: impl FnOnce(&mut Value)) -> String {
    let mut o = json!({"refund_no": "TK-DEMO-1", "out_stockin_no": "H-1", "warehouse_no": "WH1", "create_mode": 2,
                       "detail_list": [{"spec_no": "MUG-RED", "num": 1}]});
    patch(&mut o);
    json!([o]).to_string()
}

#[tokio::test]
async fn hostile_qjb_bodies_are_refused_in_the_envelope_and_write_nothing() {
    let app = spawn_app_with(wdt_server::ServerConfig {
        rate_limits: wdt_server::RateLimits::off(),
        ..wdt_server::ServerConfig::default()
    })
    .await;
    let sql_meta = "TK'; DROP TABLE stock_ledger; --";
    let many_lines: Vec<Value> = (0..100_000).map(|_| json!({"spec_no": "MUG-RED", "num": 1})).collect();
    let cases: Vec<(&str, String, i64)> = vec![
        ("SQL in refund_no", order(|o| o["refund_no"] = json!(sql_meta)), 100),
        ("SQL in warehouse_no", order(|o| o["warehouse_no"] = json!("WH1' OR '1'='1")), 100),
        ("SQL in spec_no", order(|o| o["detail_list"][0]["spec_no"] = json!("MUG-RED' --")), 100),
        ("SQL in position_no", order(|o| o["detail_list"][0]["position_no"] = json!("A-01\" OR 1=1")), 100),
        ("SQL in batch_no", order(|o| o["detail_list"][0]["batch_no"] = json!("B'; DELETE FROM stock; --")), 100),
        ("SQL in logistics_code", order(|o| o["logistics_code"] = json!("SF' --")), 100),
        ("10 MB body", format!("[{{\"remark\":\"{}\"}}]", "x".repeat(10 * 1024 * 1024)), 1),
        ("100k detail lines", order(|o| o["detail_list"] = json!(many_lines)), 100),
        ("deeply nested JSON", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)), 1),
        ("NUL in a string", order(|o| o["remark"] = json!("a\u{0}b")), 100),
        ("control character in spec_no", order(|o| o["detail_list"][0]["spec_no"] = json!("MUG\u{1b}RED")), 100),
        ("1e400", order(|o| o["detail_list"][0]["num"] = serde_json::from_str::<Value>("1e400").unwrap()), 100),
        ("-0", order(|o| o["detail_list"][0]["num"] = serde_json::from_str::<Value>("-0").unwrap()), 100),
        ("NaN", order(|o| o["detail_list"][0]["num"] = json!("NaN")), 100),
        ("Infinity", order(|o| o["detail_list"][0]["num"] = json!("Infinity")), 100),
        ("huge number", order(|o| o["detail_list"][0]["num"] = json!("99999999999999999999999")), 100),
        ("duplicate keys", r#"[{"refund_no":"TK-DEMO-1","refund_no":"TK-DEMO-2","warehouse_no":"WH1","create_mode":2,"detail_list":[{"spec_no":"MUG-RED","num":1}]}]"#.to_owned(), 100),
        ("array where an object goes", order(|o| o["detail_list"] = json!({"spec_no": "MUG-RED"})), 100),
        ("object where text goes", order(|o| o["refund_no"] = json!({"$ne": null})), 100),
        ("boolean as quantity", order(|o| o["detail_list"][0]["num"] = json!(true)), 100),
    ];
    let before = state(&app).await;
    for (name, body, status) in cases {
        let (http, answer) = app.post_qjb(&QjbCall::new(CREATE, &body)).await;
        assert_eq!(http, 200, "{name}");
        assert_eq!(answer["status"], status, "{name}: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()), "{name}: {answer}");
    }
    assert_eq!(state(&app).await, before, "nothing written");

    // Free text with SQL metacharacters is stored verbatim, and the server still answers.
    let remark = "'; DROP TABLE stock_ledger; -- \\ \" `";
    let (_, ok) = app.post_qjb(&QjbCall::new(CREATE, &order(|o| o["remark"] = json!(remark)))).await;
    assert_eq!(ok["status"], 0, "{ok}");
    let page = recent_stockins(&app).await;
    assert_eq!(page["data"]["order"][0]["remark"], remark);
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn hostile_parameters_and_forms() {
    let app = spawn_app().await;
    let body = order(|_| {});
    let cases: Vec<(&str, QjbCall, i64)> = vec![
        (
            "huge timestamp",
            QjbCall::new(CREATE, &body).set("timestamp", "99999999999999999999999").resign(QJB_SECRET),
            7,
        ),
        ("negative timestamp", QjbCall::new(CREATE, &body).set("timestamp", "-1").resign(QJB_SECRET), 7),
        ("SQL in sid", QjbCall::signed("demo' OR '1'='1", QJB_KEY, QJB_SECRET, CREATE, qjb_now(), None, &body), 1),
        ("SQL in key", QjbCall::signed("demo", "x' OR '1'='1", QJB_SECRET, CREATE, qjb_now(), None, &body), 1),
        (
            "sign for a different body",
            QjbCall { body: order(|o| o["remark"] = json!("x")).into_bytes(), ..QjbCall::new(CREATE, &body) },
            1,
        ),
        ("key of another sid", QjbCall::signed("demo", "acme-qjb", "s3cret:salt9", CREATE, qjb_now(), None, &body), 1),
        ("NUL in the method", QjbCall::new("wms.stockin.Refund.createOrder\u{0}", &body), 100),
    ];
    for (name, call, status) in cases {
        let (http, answer) = app.post_qjb(&call).await;
        assert_eq!((http, answer["status"].as_i64()), (200, Some(status)), "{name}: {answer}");
    }
    // openapi2: hostile business field, NUL and control characters, a huge form.
    let forms: Vec<(&str, Vec<(String, String)>)> = vec![
        ("NUL in the JSON", ent_form(&[("stockin_refund_info", "{\"refund_no\":\"TK\\u0000\"}")])),
        ("not JSON", ent_form(&[("stockin_refund_info", "'; DROP TABLE stock; --")])),
        ("deep JSON", ent_form(&[("stockin_refund_info", &"[".repeat(10_000))])),
    ];
    for (name, form) in forms {
        let (http, answer) = app.post_openapi2(PUSH, &form).await;
        assert_eq!(http, 200, "{name}");
        assert_ne!(answer["code"], 0, "{name}: {answer}");
    }
    // Still answering.
    let (_, ok) = app.post_qjb(&QjbCall::new(CREATE, &body)).await;
    assert_eq!(ok["status"], 0, "{ok}");
}
