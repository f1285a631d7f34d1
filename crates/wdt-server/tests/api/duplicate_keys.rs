//! A JSON key given twice is refused in both dialects, naming its path, and nothing is written:
//! which copy the caller meant (and signed) would be a guess.

use crate::helpers::*;

#[tokio::test]
async fn a_key_given_twice_is_refused_in_both_dialects_and_writes_nothing() {
    let app = spawn_app().await;
    let before = app.store.refund_order("demo", "TK-DEMO-1").await.unwrap();

    let body = r#"[{"refund_no":"TK-DEMO-1","refund_no":"TK-DEMO-3","out_stockin_no":"DUP-1","warehouse_no":"WH1",
        "create_mode":2,"detail_list":[{"spec_no":"MUG-RED","num":1}]}]"#;
    let answer = app.post_qjb(&QjbCall::new("wms.stockin.Refund.createOrder", body)).await;
    assert_qjb_error(&answer, 100, "字段重复 [0].refund_no");
    let body = r#"[{"refund_no":"TK-DEMO-1","out_stockin_no":"DUP-2","warehouse_no":"WH1","create_mode":2,
        "detail_list":[{"spec_no":"MUG-RED","num":1,"num":2}]}]"#;
    let answer = app.post_qjb(&QjbCall::new("wms.stockin.Refund.createOrder", body)).await;
    assert_qjb_error(&answer, 100, "字段重复 [0].detail_list[0].num");

    let info = r#"{"refund_no":"TK-DEMO-1","outer_no":"DUP-3","warehouse_no":"WH1",
        "detail_list":[{"spec_no":"MUG-RED","stockin_num":1,"stockin_num":2}]}"#;
    let answer = app.post_openapi2("stockin_refund_push.php", &ent_form(&[("stockin_refund_info", info)])).await;
    assert_openapi2_error(&answer, serde_json::json!(100), "stockin_refund_info: 字段重复 detail_list[0].stockin_num");

    assert_eq!(app.store.refund_order("demo", "TK-DEMO-1").await.unwrap(), before, "nothing received");
}
