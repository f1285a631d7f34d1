//! `purchase.PurchaseReturn.cancelOrder` and `purchase.PurchaseOrder.createOrder` over HTTP: the
//! pages' request examples, refusals naming field and value, warehouse scope, and the documents
//! read back through the query methods.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_store::AuditFilter;

use crate::helpers::*;

const CANCEL: &str = "purchase.PurchaseReturn.cancelOrder";
const RETURN_CREATE: &str = "purchase.PurchaseReturn.createOrder";
const RETURNS: &str = "purchase.PurchaseReturn.queryWithDetail";

const WH2_KEY: (&str, &str) = ("demo-qjb-wh2", "wh2-secret:wh2-salt");
const ALL_KEY: (&str, &str) = ("demo-qjb", "demo-secret:demo-salt");
const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

/// A call of `method` with `body` as key `key`.
async fn call_as(app: &TestApp, (key, secret): (&str, &str), method: &str, body: &Value) -> (u16, Value) {
    let call = QjbCall::signed("demo", key, secret, method, qjb_now() - distinct_offset(), None, &body.to_string());
    app.post_qjb(&call).await
}

/// A purchase return of one MUG-BLUE in `warehouse`, checked or not.
async fn create_return(app: &TestApp, outer_no: &str, warehouse: &str, check: bool) {
    let order = json!({"outer_no": outer_no, "warehouse_no": warehouse, "provider_no": "P1"});
    let body = json!([order, [{"spec_no": "MUG-BLUE", "num": 1, "price": "8"}], check]);
    let (_, answer) = call_as(app, ALL_KEY, RETURN_CREATE, &body).await;
    assert_eq!(answer, json!({"status": 0, "data": {"status": 0, "message": outer_no}}));
}

/// The status of return `no` as `purchase.PurchaseReturn.queryWithDetail` reads it.
async fn return_status(app: &TestApp, no: &str) -> Value {
    let answer = qjb_params_call(app, ALL_KEY, RETURNS, json!({"return_no": no}), Some(&PAGER)).await;
    assert_eq!(answer["data"]["total_count"], 1, "{answer}");
    answer["data"]["order"][0]["status"].clone()
}

async fn cancel(app: &TestApp, key: (&str, &str), no: &str) -> Value {
    let (http, answer) = call_as(app, key, CANCEL, &json!([no])).await;
    assert_eq!(http, 200);
    answer
}

async fn cancel_audit(app: &TestApp, no: &str) -> Vec<wdt_store::AuditEntry> {
    let filter =
        AuditFilter { sid: Some("demo".into()), document: Some(no.into()), limit: 100, ..AuditFilter::default() };
    app.store.audit(&filter).await.unwrap()
}

fn not_found(no: &str) -> Value {
    json!({"status": 0, "data": {"message": format!("采购退货单号为 {no} 的单据不存在"), "status": 0}})
}

fn not_open(no: &str) -> Value {
    json!({"status": 0, "data": {"message": format!("采购退货单不是待审核或者编辑中状态 return_no: {no}"), "status": 0}})
}

#[tokio::test]
async fn the_page_example_cancels_an_unchecked_return_once() {
    let app = spawn_app().await;
    // The page's example number, as an unchecked return of the demo data.
    create_return(&app, "CR202003230001", "WH1", false).await;
    assert_eq!(return_status(&app, "CR202003230001").await, 20);

    let (http, answer) = call_as(&app, ALL_KEY, CANCEL, &json!(["CR202003230001"])).await;
    assert_eq!(http, 200);
    assert_eq!(answer, json!({"status": 0, "data": {"message": "OK", "status": 0}}), "the page's normal response");
    assert_eq!(return_status(&app, "CR202003230001").await, 10, "已取消");

    let audit = cancel_audit(&app, "CR202003230001").await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!((audit[0].actor.as_str(), audit[0].action.as_str()), ("demo-qjb", "purchase_return.cancel"));
    assert_eq!(audit[0].target, "CR202003230001");

    // A second cancel is refused and changes nothing.
    assert_eq!(cancel(&app, ALL_KEY, "CR202003230001").await, not_open("CR202003230001"));
    assert_eq!(return_status(&app, "CR202003230001").await, 10);
    assert_eq!(cancel_audit(&app, "CR202003230001").await.len(), 1, "no second audit row");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_checked_return_is_refused_and_stays_checked() {
    let app = spawn_app().await;
    create_return(&app, "PR-CHECKED", "WH1", true).await;
    assert_eq!(return_status(&app, "PR-CHECKED").await, 40);
    let ledger_before = app.store.ledger_of("demo", "MUG-BLUE").await.unwrap();
    assert_eq!(cancel(&app, ALL_KEY, "PR-CHECKED").await, not_open("PR-CHECKED"));
    assert_eq!(return_status(&app, "PR-CHECKED").await, 40);
    assert_eq!(app.store.ledger_of("demo", "MUG-BLUE").await.unwrap(), ledger_before);
    assert!(cancel_audit(&app, "PR-CHECKED").await.is_empty());
}

#[tokio::test]
async fn unknown_and_out_of_scope_answer_alike() {
    let app = spawn_app().await;
    create_return(&app, "PR-WH1", "WH1", false).await;
    create_return(&app, "PR-WH2", "WH2", false).await;
    // The WH2 key sees no return in WH1: the same answer as for a number that names nothing.
    let outside = cancel(&app, WH2_KEY, "PR-WH1").await;
    let unknown = cancel(&app, WH2_KEY, "PR-NONE").await;
    assert_eq!(outside, not_found("PR-WH1"));
    assert_eq!(unknown, not_found("PR-NONE"));
    assert_eq!(
        outside.to_string().replace("PR-WH1", "#"),
        unknown.to_string().replace("PR-NONE", "#"),
        "identical but for the number"
    );
    assert_eq!(return_status(&app, "PR-WH1").await, 20, "untouched");
    assert!(cancel_audit(&app, "PR-WH1").await.is_empty());
    // Its own warehouse it may cancel, and the actor is that key.
    assert_eq!(cancel(&app, WH2_KEY, "PR-WH2").await["data"]["message"], "OK");
    assert_eq!(cancel_audit(&app, "PR-WH2").await[0].actor, "demo-qjb-wh2");
    assert_eq!(cancel(&app, ALL_KEY, "PR-NONE").await, not_found("PR-NONE"));
}

#[tokio::test]
async fn bad_arguments_are_refused_in_the_envelope() {
    let app = spawn_app().await;
    create_return(&app, "PR-KEEP", "WH1", false).await;
    let long = "C".repeat(21);
    let cases: Vec<(Value, i64, String)> = vec![
        (json!([""]), 100, "return_no不能为空".into()),
        (json!([" "]), 100, "return_no不能为空".into()),
        (json!([long]), 100, format!("超长(最大20) return_no: {long}")),
        (json!([{"return_no": "PR-KEEP"}]), 1, "return_no: expected a string, got an object".into()),
        (json!([null]), 1, "return_no: expected a string, got null".into()),
        (json!([["PR-KEEP"]]), 1, "return_no: expected a string, got an array".into()),
        (json!([]), 1, "expected 1 argument, got 0".into()),
        (json!(["PR-KEEP", "PR-KEEP"]), 1, "expected 1 argument, got 2".into()),
    ];
    for (body, status, text) in cases {
        let answer = call_as(&app, ALL_KEY, CANCEL, &body).await;
        assert_qjb_error(&answer, status, &text);
    }
    assert_eq!(return_status(&app, "PR-KEEP").await, 20, "nothing written");
    assert!(cancel_audit(&app, "PR-KEEP").await.is_empty());
}

#[tokio::test]
async fn two_concurrent_cancels_cancel_once() {
    let app = spawn_app().await;
    create_return(&app, "PR-RACE", "WH1", false).await;
    let (a, b) = tokio::join!(cancel(&app, ALL_KEY, "PR-RACE"), cancel(&app, ALL_KEY, "PR-RACE"));
    let oks = [&a, &b].iter().filter(|r| r["data"]["message"] == "OK").count();
    assert_eq!(oks, 1, "{a} {b}");
    assert!([&a, &b].contains(&&not_open("PR-RACE")), "{a} {b}");
    assert_eq!(cancel_audit(&app, "PR-RACE").await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// purchase.PurchaseOrder.createOrder

const ORDER_CREATE: &str = "purchase.PurchaseOrder.createOrder";
const ORDERS: &str = "purchase.PurchaseOrder.queryWithDetail";

async fn create_order(app: &TestApp, key: (&str, &str), params: &Value) -> Value {
    let (http, answer) = call_as(app, key, ORDER_CREATE, &json!([params])).await;
    assert_eq!(http, 200);
    answer
}

/// The purchase orders numbered `no`, as `purchase.PurchaseOrder.queryWithDetail` reads them.
async fn orders_numbered(app: &TestApp, no: &str) -> Vec<Value> {
    let answer = qjb_params_call(app, ALL_KEY, ORDERS, json!({"purchase_no": no}), Some(&PAGER)).await;
    assert_eq!(answer["status"], 0, "{answer}");
    answer["data"]["order"].as_array().cloned().unwrap_or_default()
}

/// A minimal order of the demo data: one MUG-RED for P1 into WH1.
fn order_params(no: &str) -> Value {
    json!({"purchase_no": no, "provider_no": "P1", "receive_warehouse_nos": "WH1", "expect_warehouse_no": "WH1",
           "purchaser_name": "lj", "purchase_details": [{"spec_no": "MUG-RED", "num": 1}]})
}

#[tokio::test]
async fn the_pages_examples_create_numbered_orders_read_back_with_their_lines() {
    let app = spawn_app().await;
    // The JSON example, its numbers adapted to the demo data (strings for numbers, as sent there).
    let json_example = json!({"receive_warehouse_nos": "WH1", "purchase_details": [{"num": "1", "spec_no": "MUG-RED"}],
                              "purchaser_name": "lj", "expect_warehouse_no": "WH1", "provider_no": "P1"});
    let answer = create_order(&app, ALL_KEY, &json_example).await;
    assert_eq!(answer["status"], 0, "{answer}");
    assert_eq!(answer["data"]["status"], 0, "{answer}");
    let no = answer["data"]["message"].as_str().unwrap().to_owned();
    assert!(no.starts_with("CG") && no.len() == 14, "numbered as the page's CG202003260001: {no}");
    assert_eq!(answer, json!({"status": 0, "data": {"message": no, "status": 0}}));

    // The PHP example: is_submit (not in the table) is ignored; the next number of the day.
    let php_example = json!({"provider_no": "P1", "receive_warehouse_nos": "WH1", "expect_warehouse_no": "WH1",
                             "purchaser_name": "lz", "is_submit": 1, "purchase_details": [{"spec_no": "MUG-BLUE", "num": 1}]});
    let second = create_order(&app, ALL_KEY, &php_example).await;
    let second_no = second["data"]["message"].as_str().unwrap();
    assert_eq!(second_no[..10], no[..10]);
    assert_eq!(second_no[10..].parse::<i64>().unwrap(), no[10..].parse::<i64>().unwrap() + 1);

    let [order] = orders_numbered(&app, &no).await.try_into().unwrap_or_else(|o| panic!("one order: {o:?}"));
    assert_eq!(
        (&order["provider_no"], &order["warehouse_no"], &order["status"]),
        (&json!("P1"), &json!("WH1"), &json!(20)),
        "{order}"
    );
    let lines = order["detail_list"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!((&lines[0]["spec_no"], &lines[0]["num"]), (&json!("MUG-RED"), &json!(1)), "{order}");
}

#[tokio::test]
async fn a_checked_order_with_every_field_serves_as_a_returns_reference() {
    let app = spawn_app().await;
    let params = json!({"purchase_no": "PO-FULL", "provider_no": "P1", "receive_warehouse_nos": "WH1",
    "expect_warehouse_no": "WH1", "purchaser_name": "采购员甲", "is_check": true, "apply_nos": "CGSQ1,CGSQ2",
    "receive_address": "张江路100号", "contact": "李工", "telno": "13800000001", "flag_name": "加急",
    "expect_time": "2026-07-10 10:35:00", "created": "2026-07-01 10:30:01", "pay_type": 1, "postfee_pay_type": "3",
    "remark": "first", "post_fee": "10.5", "other_fee": 2, "logistics_no": "DBL",
    "prop1": "a", "prop2": "b", "prop3": "c", "prop4": "d",
    "purchase_details": [
        {"spec_no": "MUG-RED", "num": 2, "purchase_unit_name": "箱", "remark": "r", "prop1": "1", "prop2": "2",
         "prop3": "3", "prop4": "4", "price": "96", "tax_price": "1", "discount": "0.5", "tax_rate": "0.13",
         "batch_no": "B-NEW", "expire_date": "2027-01-01 00:00:00"},
        {"spec_no": "MUG-BLUE", "num": "3", "price": 8}
    ]});
    let answer = create_order(&app, ALL_KEY, &params).await;
    assert_eq!(answer, json!({"status": 0, "data": {"message": "PO-FULL", "status": 0}}));
    let [order] = orders_numbered(&app, "PO-FULL").await.try_into().unwrap_or_else(|o| panic!("one order: {o:?}"));
    assert_eq!(order["status"], 40, "is_check: 已审核");
    let lines = order["detail_list"].as_array().unwrap();
    // Two boxes of 12 at 96 × 0.5 a box: 24 pieces at 4.
    assert_eq!((&lines[0]["num"], &lines[0]["price"]), (&json!(24), &json!(4)), "{order}");
    assert_eq!((&lines[1]["num"], &lines[1]["price"]), (&json!(3), &json!(8)), "{order}");
    assert_eq!(order["goods_fee"], json!(120), "24 × 4 + 3 × 8");
    // What was pushed reads back.
    let header = ["purchaser_name", "flag_name", "remark", "expect_arrive_time", "prop1", "prop2", "logistics_name"];
    let got: Vec<&Value> = header.iter().map(|f| &order[*f]).collect();
    let want = [json!("采购员甲"), json!("加急"), json!("first"), json!("2026-07-10 10:35:00"), json!("a"), json!("b")];
    assert_eq!(&got[..6], want.iter().collect::<Vec<_>>().as_slice(), "{order}");
    assert_eq!(
        (&order["post_fee"], &order["other_fee"], &order["total_fee"]),
        (&json!(10.5), &json!(2), &json!(132.5))
    );
    assert_eq!((&order["pay_type"], &order["postfee_pay_type"]), (&json!(1), &json!(3)));
    assert_eq!(order["logistics_name"], "德邦物流");
    let box_line = &lines[0];
    assert_eq!(
        (&box_line["purchase_unit_name"], &box_line["unit_ratio"], &box_line["num2"], &box_line["discount"]),
        (&json!("箱"), &json!(12), &json!(2), &json!(0.5)),
        "{box_line}"
    );
    assert_eq!(
        (&box_line["tax_rate"], &box_line["remark"], &box_line["prop4"]),
        (&json!(0.13), &json!("r"), &json!("4"))
    );
    assert_eq!(box_line["expire_date"], "2027-01-01 00:00:00");

    // Checked, of P1, in WH1: a purchase return may reference it.
    let body = json!([{"outer_no": "PR-REF", "warehouse_no": "WH1", "provider_no": "P1", "ref_purchase_nos": ["PO-FULL"]},
                      [{"spec_no": "MUG-RED", "num": 1}], false]);
    let (_, answer) = call_as(&app, ALL_KEY, RETURN_CREATE, &body).await;
    assert_eq!(answer, json!({"status": 0, "data": {"status": 0, "message": "PR-REF"}}));
    let returns = qjb_params_call(&app, ALL_KEY, RETURNS, json!({"return_no": "PR-REF"}), Some(&PAGER)).await;
    assert_eq!(returns["data"]["order"][0]["purchase_no"], "PO-FULL", "{returns}");

    // An unchecked one may not be referenced (采购单状态要大于已审核).
    create_order(&app, ALL_KEY, &order_params("PO-EDIT")).await;
    let body = json!([{"outer_no": "PR-REF2", "warehouse_no": "WH1", "provider_no": "P1", "ref_purchase_nos": ["PO-EDIT"]},
                      [{"spec_no": "MUG-RED", "num": 1}], false]);
    let answer = call_as(&app, ALL_KEY, RETURN_CREATE, &body).await;
    assert_qjb_error(&answer, 100, "采购单状态要大于已审核 ref_purchase_nos[0]: PO-EDIT");
}

#[tokio::test]
async fn bad_input_is_refused_naming_field_and_value_and_writes_nothing() {
    let app = spawn_app().await;
    let long = |n: usize| "x".repeat(n);
    type Change = Box<dyn Fn(&mut Value)>;
    let set = |field: &'static str, v: Value| -> Change { Box::new(move |p: &mut Value| p[field] = v.clone()) };
    let line = |field: &'static str, v: Value| -> Change {
        Box::new(move |p: &mut Value| p["purchase_details"][0][field] = v.clone())
    };
    let cases: Vec<(Change, i64, String)> = vec![
        (set("provider_no", json!("P9")), 100, "供应商不存在 provider_no: P9".into()),
        (set("provider_no", Value::Null), 100, "provider_no不能为空".into()),
        (set("receive_warehouse_nos", json!("WH9")), 100, "仓库不存在 receive_warehouse_nos: WH9".into()),
        (set("expect_warehouse_no", json!("WH9")), 100, "仓库不存在 expect_warehouse_no: WH9".into()),
        (set("expect_warehouse_no", json!("WH-OUT")), 100, "不支持委外仓 expect_warehouse_no: WH-OUT".into()),
        (set("purchaser_name", json!("")), 100, "purchaser_name不能为空".into()),
        (set("purchaser_name", json!(long(41))), 100, format!("超长(最大40) purchaser_name: {}", long(41))),
        (set("remark", json!(long(256))), 100, "超长(最大255) remark".into()),
        (set("telno", json!(long(33))), 100, "超长(最大32) telno".into()),
        (set("pay_type", json!(0)), 100, "取值不合法(1/2) pay_type: 0".into()),
        (set("postfee_pay_type", json!(4)), 100, "取值不合法(0/1/2/3) postfee_pay_type: 4".into()),
        (set("is_check", json!("perhaps")), 100, "参数不合法 is_check".into()),
        (
            set("expect_time", json!("2026-02-30 10:00:00")),
            100,
            "参数不合法 expect_time: 时间格式错误: 2026-02-30 10:00:00".into(),
        ),
        (set("created", json!("2026/01/01")), 100, "参数不合法 created: 时间格式错误: 2026/01/01".into()),
        (set("post_fee", json!("1.00001")), 100, "参数不合法 post_fee".into()),
        (set("other_fee", json!("-1")), 100, "金额不合法 other_fee: -1".into()),
        (set("logistics_no", json!("NOPE")), 100, "不存在物流编码为 NOPE 的物流公司".into()),
        (line("spec_no", json!("NOPE")), 100, "商家编码不存在 purchase_details[0].spec_no: NOPE".into()),
        (line("num", json!(0)), 100, "数量不合法 purchase_details[0].num: 0".into()),
        (line("num", json!("1.5")), 100, "参数不合法 purchase_details[0].num".into()),
        (line("price", json!("-1")), 100, "价格不合法 purchase_details[0].price: -1".into()),
        (line("price", json!("abc")), 100, "参数不合法 purchase_details[0].price".into()),
        (line("discount", json!("1.2")), 100, "折扣不能大于1 purchase_details[0].discount: 1.2".into()),
        (line("tax_rate", json!("-0.1")), 100, "税率不合法(0 ≤ 税率 < 1) purchase_details[0].tax_rate: -0.1".into()),
        (line("purchase_unit_name", json!("桶")), 100, "单位不存在 purchase_details[0].purchase_unit_name: 桶".into()),
        (line("batch_no", json!(long(41))), 100, "超长(最大40) purchase_details[0].batch_no".into()),
        (
            line("expire_date", json!("soon")),
            100,
            "参数不合法 purchase_details[0].expire_date: 时间格式错误: soon".into(),
        ),
        (set("purchase_details", json!("MUG-RED")), 100, "参数不合法 purchase_details: 应为数组: MUG-RED".into()),
        (Box::new(|p: &mut Value| *p = json!("PO-BAD")), 1, "argument type mismatch: params".into()),
    ];
    for (change, status, text) in cases {
        let mut params = order_params("PO-BAD");
        change(&mut params);
        let answer = call_as(&app, ALL_KEY, ORDER_CREATE, &json!([params])).await;
        assert_qjb_error(&answer, status, &text);
        assert!(orders_numbered(&app, "PO-BAD").await.is_empty(), "nothing written for {params}");
    }
    // The purchase number's own limit.
    let answer = call_as(&app, ALL_KEY, ORDER_CREATE, &json!([order_params(&long(41))])).await;
    assert_qjb_error(&answer, 100, &format!("超长(最大40) purchase_no: {}", long(41)));
    assert_qjb_error(&call_as(&app, ALL_KEY, ORDER_CREATE, &json!([])).await, 1, "expected 1 argument, got 0");
}

#[tokio::test]
async fn a_warehouse_outside_the_keys_scope_answers_as_an_unknown_one() {
    let app = spawn_app().await;
    let mut outside = order_params("PO-SCOPE");
    outside["receive_warehouse_nos"] = json!("WH2");
    outside["expect_warehouse_no"] = json!("WH1");
    let answer = call_as(&app, WH2_KEY, ORDER_CREATE, &json!([outside])).await;
    assert_qjb_error(&answer, 100, "仓库不存在 expect_warehouse_no: WH1");
    let mut unknown = outside.clone();
    unknown["expect_warehouse_no"] = json!("WH9");
    let other = call_as(&app, WH2_KEY, ORDER_CREATE, &json!([unknown])).await;
    assert_eq!(answer.1.to_string().replace("WH1", "#"), other.1.to_string().replace("WH9", "#"));
    assert!(orders_numbered(&app, "PO-SCOPE").await.is_empty());
    let mut inside = outside;
    inside["expect_warehouse_no"] = json!("WH2");
    assert_eq!(create_order(&app, WH2_KEY, &inside).await["data"]["message"], "PO-SCOPE");
}

#[tokio::test]
async fn the_same_number_twice_creates_one_order() {
    let app = spawn_app().await;
    assert_eq!(create_order(&app, ALL_KEY, &order_params("PO-TWICE")).await["data"]["message"], "PO-TWICE");
    let mut again = order_params("PO-TWICE");
    again["purchase_details"] = json!([{"spec_no": "MUG-BLUE", "num": 5}]);
    let answer = call_as(&app, ALL_KEY, ORDER_CREATE, &json!([again])).await;
    assert_qjb_error(&answer, 100, "此外部单已使用! purchase_no: PO-TWICE");
    let orders = orders_numbered(&app, "PO-TWICE").await;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["detail_list"][0]["spec_no"], "MUG-RED", "the first push stands");
    // A fixture's order number is taken too.
    let answer = call_as(&app, ALL_KEY, ORDER_CREATE, &json!([order_params("CG-DEMO-1")])).await;
    assert_qjb_error(&answer, 100, "此外部单已使用! purchase_no: CG-DEMO-1");
}

#[tokio::test]
async fn two_concurrent_creates_of_one_number_create_one_order() {
    let app = spawn_app().await;
    for round in 0..5 {
        let no = format!("PO-RACE-{round}");
        let params = order_params(&no);
        let (a, b) = tokio::join!(create_order(&app, ALL_KEY, &params), create_order(&app, ALL_KEY, &params));
        let created = [&a, &b].iter().filter(|r| r["status"] == 0).count();
        assert_eq!(created, 1, "{a} {b}");
        let refused = if a["status"] == 0 { &b } else { &a };
        assert_eq!(refused, &json!({"status": 100, "message": format!("此外部单已使用! purchase_no: {no}")}));
        assert_eq!(orders_numbered(&app, &no).await.len(), 1);
    }
}

/// An order without what only its own row has (ids, number, times).
fn comparable(mut order: Value) -> Value {
    for key in ["purchase_id", "purchase_no", "created", "modified", "check_time"] {
        order.as_object_mut().unwrap().remove(key);
    }
    for line in order["detail_list"].as_array_mut().unwrap() {
        for key in ["purchase_id", "rec_id", "created", "modified"] {
            line.as_object_mut().unwrap().remove(key);
        }
    }
    order
}

#[tokio::test]
async fn an_order_created_here_equals_the_same_order_from_a_fixture() {
    let app = spawn_app().await;
    let fixture = json!({"sid": "demo", "purchase_orders": [{
    "purchase_no": "PO-FIX", "provider_no": "P2", "warehouse_no": "WH2", "status": "checked",
    "purchaser_name": "lj", "remark": "same", "contact": "王工", "telno": "13800000002", "pay_type": 2,
    "postfee_pay_type": 1, "post_fee": "5", "other_fee": "1.25", "logistics_no": "DBL", "flag_name": "加急",
    "apply_nos": "SQ1", "receive_address": "仓库", "expect_time": "2026-07-10 10:35:00",
    "prop1": "a", "prop2": "b", "prop3": "c", "prop4": "d",
    "details": [
        {"spec_no": "MILK-1L", "num": "6", "price": "3.5", "discount": "0.8", "tax_rate": "0.09", "remark": "r",
         "prop1": "1", "prop2": "2", "prop3": "3", "prop4": "4", "batch_no": "B-1", "expire_date": "2027-01-01 00:00:00"},
        {"spec_no": "RICE-KG", "num": "10", "price": "2"}
    ]}]});
    let fixture = wdt_domain::fixture::Fixture::parse(&fixture.to_string()).unwrap();
    app.store.import_fixture(&fixture).await.unwrap();
    let params = json!({"purchase_no": "PO-API", "provider_no": "P2", "receive_warehouse_nos": "WH2",
    "expect_warehouse_no": "WH2", "is_check": true, "purchaser_name": "lj", "remark": "same", "contact": "王工",
    "telno": "13800000002", "pay_type": 2, "postfee_pay_type": 1, "post_fee": "5", "other_fee": "1.25",
    "logistics_no": "DBL", "flag_name": "加急", "apply_nos": "SQ1", "receive_address": "仓库",
    "expect_time": "2026-07-10 10:35:00", "prop1": "a", "prop2": "b", "prop3": "c", "prop4": "d",
    "purchase_details": [
        {"spec_no": "MILK-1L", "num": 6, "price": "3.5", "discount": "0.8", "tax_rate": "0.09", "remark": "r",
         "prop1": "1", "prop2": "2", "prop3": "3", "prop4": "4", "batch_no": "B-1", "expire_date": "2027-01-01 00:00:00"},
        {"spec_no": "RICE-KG", "num": "10", "price": "2"}
    ]});
    assert_eq!(create_order(&app, ALL_KEY, &params).await["data"]["message"], "PO-API");
    let [from_fixture] = orders_numbered(&app, "PO-FIX").await.try_into().unwrap();
    let [from_api] = orders_numbered(&app, "PO-API").await.try_into().unwrap();
    assert_eq!(comparable(from_api), comparable(from_fixture));
    // And as stored, every column the page's fields went into (the query shows only some).
    let (api, fix) = (stored(&app, "PO-API").await, stored(&app, "PO-FIX").await);
    assert_eq!(api.len(), 3, "a header and two lines: {api:?}");
    assert!(api[1].contains("|8000|900|"), "discount 0.8 and tax rate 0.09 kept: {api:?}");
    assert_eq!(api, fix);
}

/// The stored row of order `no` and of its lines, each as one text of every column but ids,
/// number and times.
async fn stored(app: &TestApp, no: &str) -> Vec<String> {
    fn joined(columns: &[&str]) -> String {
        let parts: Vec<String> = columns.iter().map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')")).collect();
        parts.join(" || '|' || ")
    }
    let header = joined(&[
        "provider_id",
        "warehouse_id",
        "status",
        "receive_warehouse_id",
        "purchaser_name",
        "apply_nos",
        "receive_address",
        "contact",
        "telno",
        "flag_name",
        "expect_time",
        "pay_type",
        "postfee_pay_type",
        "remark",
        "post_fee",
        "other_fee",
        "logistics_id",
        "prop1",
        "prop2",
        "prop3",
        "prop4",
    ]);
    let line = joined(&[
        "i.spec_id",
        "i.num",
        "i.price",
        "i.unit_id",
        "i.unit_ratio",
        "i.list_price",
        "i.discount",
        "i.tax_rate",
        "i.tax_price",
        "i.remark",
        "i.prop1",
        "i.prop2",
        "i.prop3",
        "i.prop4",
        "i.batch_no",
        "i.expire_date",
    ]);
    let mut tx = app.sql.begin_write().await;
    let q = |sql: String| wdt_store_sql::db::query(sql).bind("demo".to_owned()).bind(no.to_owned());
    let mut rows =
        tx.fetch_all(q(format!("SELECT {header} FROM purchase_orders WHERE sid = ? AND purchase_no = ?"))).await;
    rows.extend(
        tx.fetch_all(q(format!(
            "SELECT {line} FROM purchase_order_items i JOIN purchase_orders po ON po.id = i.purchase_order_id \
             WHERE po.sid = ? AND po.purchase_no = ? ORDER BY i.id"
        )))
        .await,
    );
    tx.commit().await;
    rows.iter().map(|r| r.get::<String, _>(0)).collect()
}

#[tokio::test]
async fn the_sdk_sends_both_typed() {
    use wdt_client::Client;
    use wdt_client::methods::purchase_order::{PurchaseOrderDetail, PurchaseOrderParams};
    use wdt_client::methods::{PurchaseOrderCreate, PurchaseReturnCancel};

    let app = spawn_app().await;
    let client = Client::qjb(&app.url(), "demo", ALL_KEY.0, ALL_KEY.1);
    let params = PurchaseOrderParams {
        purchase_no: Some("PO-SDK".into()),
        provider_no: "P1".into(),
        receive_warehouse_nos: "WH1".into(),
        expect_warehouse_no: "WH1".into(),
        purchaser_name: "lj".into(),
        is_check: Some(true),
        purchase_details: vec![PurchaseOrderDetail { spec_no: "MUG-RED".into(), num: 4, ..Default::default() }],
        ..Default::default()
    };
    let created = client.send_qjb(&PurchaseOrderCreate { params }).await.unwrap();
    assert_eq!((created.status, created.message.as_str()), (0, "PO-SDK"));
    assert_eq!(orders_numbered(&app, "PO-SDK").await[0]["status"], 40);

    create_return(&app, "PR-SDK", "WH1", false).await;
    let cancel = PurchaseReturnCancel { return_no: "PR-SDK".into() };
    assert!(client.send_qjb(&cancel).await.unwrap().is_cancelled());
    assert_eq!(return_status(&app, "PR-SDK").await, 10);
    // (The same call again within its second is a replay, answered as the first was.)
    create_return(&app, "PR-SDK-2", "WH1", true).await;
    let checked = client.send_qjb(&PurchaseReturnCancel { return_no: "PR-SDK-2".into() }).await.unwrap();
    assert_eq!(checked.message, "采购退货单不是待审核或者编辑中状态 return_no: PR-SDK-2");
}
