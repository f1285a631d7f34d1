//! The exact refusal text of the value rules every write method shares (quantities, prices, an
//! empty line list, coded integers), and that they win over anything the stored state would
//! refuse: a request with a bad quantity is refused for the quantity even when its refund order,
//! trade or warehouse does not exist either.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;

use crate::helpers::*;

const CREATE: &str = "wms.stockin.Refund.createOrder";
const UPLOAD: &str = "wms.stockin.SmartRefund.upload";
const PURCHASE: &str = "purchase.PurchaseReturn.createOrder";
const QUERY: &str = "wms.stockin.Refund.queryWithDetail";
const PUSH: &str = "stockin_refund_push.php";

fn merged(mut base: Value, fields: Value) -> Value {
    for (k, v) in fields.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn order(fields: Value) -> Value {
    let base = json!({"refund_no": "TK-DEMO-1", "out_stockin_no": "MSG-1", "warehouse_no": "WH1", "create_mode": 2,
                      "detail_list": [{"spec_no": "MUG-RED", "num": 1}]});
    json!([merged(base, fields)])
}

fn order_line(fields: Value) -> Value {
    order(json!({"detail_list": [merged(json!({"spec_no": "MUG-RED", "num": 1}), fields)]}))
}

fn upload(tid: &str, lines: Value) -> Value {
    json!([{"tid": tid, "return_warehouse_no": "WH1", "remark": ""}, lines, false])
}

fn purchase(fields: Value, lines: Value) -> Value {
    json!([merged(json!({"outer_no": "PR-MSG", "warehouse_no": "WH1", "provider_no": "P1"}), fields), lines, true])
}

fn query(params: Value) -> Value {
    json!([params])
}

#[tokio::test]
async fn qjb_value_rules_answer_with_their_exact_messages() {
    let app = spawn_app().await;
    let window = json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02 00:00:00"});
    let cases: Vec<(&str, Value, &str)> = vec![
        (CREATE, order_line(json!({"num": 0})), "数量不合法 detail_list[0].num: 0"),
        (CREATE, order_line(json!({"num": "-1"})), "数量不合法 detail_list[0].num: -1"),
        (CREATE, order_line(json!({"stockin_price": -3})), "价格不合法 detail_list[0].stockin_price: -3"),
        (CREATE, order(json!({"detail_list": []})), "detail_list不能为空"),
        (CREATE, order(json!({"create_mode": 5})), "取值不合法(0/1/2) create_mode: 5"),
        (
            CREATE,
            order(json!({"refund_no": "TK-NONE", "detail_list": [{"spec_no": "MUG-RED", "num": 0}]})),
            "数量不合法 detail_list[0].num: 0",
        ),
        (
            CREATE,
            order(json!({"detail_list": [{"spec_no": "NOPE", "num": 1}, {"spec_no": "MUG-RED", "num": 0}]})),
            "数量不合法 detail_list[1].num: 0",
        ),
        (
            UPLOAD,
            upload("T-DEMO-1", json!([{"spec_no": "MUG-RED", "stockin_num": 0, "remark": ""}])),
            "数量不合法 detailMapList[0].stockin_num: 0",
        ),
        (
            UPLOAD,
            upload("T-NONE", json!([{"spec_no": "MUG-RED", "stockin_num": -2, "remark": ""}])),
            "数量不合法 detailMapList[0].stockin_num: -2",
        ),
        (UPLOAD, upload("T-DEMO-1", json!([])), "detailMapList不能为空"),
        (PURCHASE, purchase(json!({}), json!([{"spec_no": "MUG-RED", "num": 0}])), "数量不合法 detailList[0].num: 0"),
        (
            PURCHASE,
            purchase(json!({}), json!([{"spec_no": "MUG-RED", "num": 1, "price": -1}])),
            "价格不合法 detailList[0].price: -1",
        ),
        (
            PURCHASE,
            purchase(json!({"warehouse_no": "WH-NONE"}), json!([{"spec_no": "NOPE", "num": -1}])),
            "数量不合法 detailList[0].num: -1",
        ),
        (PURCHASE, purchase(json!({}), json!([])), "detailList不能为空"),
        (
            PURCHASE,
            purchase(json!({"check_fail_cancel": 2}), json!([{"spec_no": "MUG-RED", "num": 1}])),
            "取值不合法(0/1) check_fail_cancel: 2",
        ),
        (QUERY, query(merged(window.clone(), json!({"time_type": 3}))), "取值不合法(0/1) time_type: 3"),
        (QUERY, query(json!({"end_time": "2026-01-02 00:00:00"})), "参数中必须包含起止时间"),
        (QUERY, query(merged(window, json!({"end_time": " "}))), "参数中必须包含起止时间"),
    ];
    for (method, body, want) in cases {
        let pager = Pager { page_size: 10, page_no: 0, calc_total: false };
        let pager = (method == QUERY).then_some(&pager);
        let call = QjbCall::signed("demo", QJB_KEY, QJB_SECRET, method, qjb_now(), pager, &body.to_string());
        let (http, answer) = app.post_qjb(&call).await;
        assert_eq!(http, 200);
        assert_eq!(answer, json!({"status": 100, "message": want}), "{method} {body}");
    }
}

#[tokio::test]
async fn openapi2_value_rules_answer_with_their_exact_messages() {
    let app = spawn_app().await;
    let info = |fields: Value| {
        let base = json!({"refund_no": "TK-DEMO-1", "outer_no": "MSG-E", "warehouse_no": "WH1",
                          "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]});
        merged(base, fields).to_string()
    };
    let line =
        |fields: Value| info(json!({"detail_list": [merged(json!({"spec_no": "MUG-RED", "stockin_num": 1}), fields)]}));
    let cases: Vec<(String, &str)> = vec![
        (line(json!({"stockin_num": 0})), "数量不合法 detail_list[0].stockin_num: 0"),
        (line(json!({"stockin_price": "-2"})), "价格不合法 detail_list[0].stockin_price: -2"),
        (info(json!({"detail_list": []})), "detail_list不能为空"),
        (
            info(json!({"refund_no": "TK-NONE", "detail_list": [{"spec_no": "MUG-RED", "stockin_num": "-1"}]})),
            "数量不合法 detail_list[0].stockin_num: -1",
        ),
    ];
    for (field, want) in cases {
        let answer = app.post_openapi2(PUSH, &ent_form(&[("stockin_refund_info", &field)])).await;
        assert_eq!(answer.1, json!({"code": 100, "message": want}), "{field}");
    }
}
