//! `aftersales.refund.RawRefund.upload` and `upload2` over HTTP: the page's example, conversion
//! into refund orders by type, idempotency and `refund_version` updates, platform cancellation
//! before and after goods arrived, `auto_review_refunds`, refusals that write nothing, upload2's
//! error list, shop scope, concurrent uploads, and the raw refund read back through
//! `RawRefund.search` in the page example's shape.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::format_wire_time;

use crate::helpers::*;
use crate::raw_trades::{ADMIN_TOKEN, ALL_KEY, PUSH_SELF, call_as, page_example};

const UPLOAD: &str = "aftersales.refund.RawRefund.upload";
const UPLOAD2: &str = "aftersales.refund.RawRefund.upload2";
const SEARCH: &str = "aftersales.refund.RawRefund.search";
const REFUNDS: &str = "aftersales.refund.Refund.search";
const WH2_KEY: (&str, &str) = ("demo-qjb-wh2", "wh2-secret:wh2-salt");
const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

/// The normal response example of `aftersales.refund.RawRefund.search`.
const SEARCH_EXAMPLE: &str = r#"{"status": 0, "data": {"total_count": 1, "order": [{"logistics_name": " ", "refund_version": " ", "reason": " ", "detail_list": [{"refund_id": 210348, "oid": "202210270002-0", "price": 0, "platform_id": 127, "refund_no": "202210270002", "num": 5, "remark": " ", "total_amount": 0, "tid": "202210270002", "status": 3, "goods_no": "", "spec_no": "", "goods_id": "", "spec_id": "", "refund_time": "2022-04-08 09:18:00", "modified_date": "2022-10-27 17:47:17", "created_date": "2022-10-27 17:46:21", "goods_name": "", "spec_name": ""}], "refund_no": "202210270002", "num": 5, "goods_no": "", "remark": " ", "sub_platform_id": 0, "oid": "202210270002-0", "pay_account": "", "type": 3, "title": " ", "spec_no": "", "discount_list": [], "tid": "202210270002", "current_phase_timeout": "", "pay_no": "", "price": 0, "spec_id": "", "refund_amount": 0, "modified": "2022-10-27 17:47:17", "tag": 0, "shop_no": "wdtapi3-test", "logistics_no": " ", "is_aftersale": true, "created": "2022-10-27 17:46:21", "is_reject": 0, "swap_order_id": "", "is_external": 0, "goods_id": "", "shop_platform_id": 127, "shop_name": "wdtapi3-test", "refund_id": 210348, "reason_id": 99, "shop_id": 711, "buyer_nick": "", "actual_refund_amount": 0, "total_amount": 0, "refund_time": "2022-04-08 09:18:00", "process_status": 15, "platform_id": 127, "modify_flag": 0, "status": 3}]}}"#;

/// One line of a raw refund, as the page's example writes it.
fn line(refund_no: &str, tid: &str, oid: &str, refund_type: i64, num: i64) -> Value {
    json!({
        "refund_no": refund_no, "num": num, "tid": tid, "oid": oid, "type": refund_type, "status": 2,
        "refund_version": "1", "refund_amount": 1, "actual_refund_amount": 1, "title": "test",
        "logistics_name": "", "logistics_no": "", "buyer_nick": "123444", "refund_time": "2020-05-22 09:07:18",
        "is_aftersale": 0, "reason": ""
    })
}

fn counts(chg: i64, new: i64) -> Value {
    json!({"status": 0, "data": {"chg_count": chg, "new_count": new}})
}

fn refusal(message: &str) -> Value {
    json!({"status": 100, "message": message})
}

/// Spawns a server with the admin API on.
async fn spawn() -> TestApp {
    spawn_app_with(wdt_server::ServerConfig {
        admin_token: Some(ADMIN_TOKEN.to_owned()),
        rate_limits: wdt_server::RateLimits::off(),
        ..wdt_server::ServerConfig::default()
    })
    .await
}

/// `POST /admin/v1/<path>` with `body`; the answer's body, asserting 200.
pub(crate) async fn admin(app: &TestApp, path: &str, body: Value) -> Value {
    let answer = app
        .http
        .post(format!("http://{}/admin/v1/{path}", app.addr))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// A trade pushed through `pushSelf` and shipped from WH1: MUG-RED × 3 on `<tid>-1`, MUG-BLUE × 1
/// on `<tid>-2`.
pub(crate) async fn shipped_trade(app: &TestApp, tid: &str) {
    let (o1, o2) = (format!("{tid}-1"), format!("{tid}-2"));
    let body = page_example(tid, &[(&o1, "MUG-RED", 3), (&o2, "MUG-BLUE", 1)]);
    assert_eq!(call_as(app, ALL_KEY, PUSH_SELF, &body).await["status"], 0);
    admin(app, &format!("trades/demo/{tid}/ship"), json!({"warehouse_no": "WH1"})).await;
}

/// An hour either side of the store clock's now.
fn around(app: &TestApp) -> (String, String) {
    let now = app.store.clock().now_ms();
    (format_wire_time(now - 3_600_000), format_wire_time(now + 3_600_000))
}

/// The refund order raw refund `raw_no` became, as `Refund.search` reads it (`Null` if none).
pub(crate) async fn refund_order_of(app: &TestApp, raw_no: &str) -> Value {
    let (from, to) = around(app);
    let params = json!({"raw_refund_nos": raw_no, "modified_from": from, "modified_to": to});
    let answer = qjb_params_call(app, ALL_KEY, REFUNDS, params, Some(&PAGER)).await;
    assert_eq!(answer["status"], 0, "{answer}");
    answer["data"]["order"].get(0).cloned().unwrap_or(Value::Null)
}

/// Raw refund `refund_no` as `RawRefund.search` reads it (`Null` if none).
async fn raw_refund(app: &TestApp, refund_no: &str) -> Value {
    let answer = qjb_params_call(app, ALL_KEY, SEARCH, json!({"refund_no": refund_no}), Some(&PAGER)).await;
    assert_eq!(answer["status"], 0, "{answer}");
    answer["data"]["order"].get(0).cloned().unwrap_or(Value::Null)
}

#[tokio::test]
async fn the_page_example_makes_a_refund_order_that_expects_no_goods() {
    let app = spawn().await;
    // The page's example: a 退款 (type 1) before shipping, on the demo's unshipped trade.
    let body = json!(["SHOP-OWN", [line("lztest", "T-DEMO-8", "T-DEMO-8-1", 1, 1)]]);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &body).await, counts(0, 1), "the page's normal response");

    let order = refund_order_of(&app, "lztest").await;
    assert_eq!((order["type"].clone(), order["status"].clone()), (json!(1), json!(20)), "{order}");
    assert_eq!(order["stockin_status"], 0, "无需入库");
    assert_eq!(order["raw_refund_nos"], "lztest");
    assert_eq!(order["detail_list"][0]["oid"], "T-DEMO-8-1");
    assert_eq!(order["detail_list"][0]["refund_num"], json!(1));

    let raw = raw_refund(&app, "lztest").await;
    assert_eq!(
        (raw["type"].clone(), raw["status"].clone(), raw["process_status"].clone()),
        (json!(1), json!(2), json!(15))
    );
    let example: Value = serde_json::from_str(SEARCH_EXAMPLE).unwrap();
    let answer = qjb_params_call(&app, ALL_KEY, SEARCH, json!({"refund_no": "lztest"}), Some(&PAGER)).await;
    assert_same_shape(&example, &answer, Extra::Only(&["type"]));

    // The same document again changes nothing, and says so.
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &body).await, counts(0, 0));
    assert_eq!(refund_order_of(&app, "lztest").await, order);
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_return_on_a_shipped_trade_waits_for_its_goods_and_moves_with_later_versions() {
    let app = spawn().await;
    shipped_trade(&app, "T-RR-1").await;
    let mut first = line("RR-1", "T-RR-1", "T-RR-1-1", 2, 2);
    first["logistics_name"] = json!("中通");
    first["logistics_no"] = json!("ZT-1");
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &json!(["SHOP-OWN", [first.clone()]])).await, counts(0, 1));
    let order = refund_order_of(&app, "RR-1").await;
    assert_eq!(
        (order["type"].clone(), order["status"].clone(), order["stockin_status"].clone()),
        (json!(2), json!(20), json!(1))
    );
    assert_eq!(
        (order["return_logistics_name"].clone(), order["return_logistics_no"].clone()),
        (json!("中通"), json!("ZT-1"))
    );
    assert_eq!(order["detail_list"][0]["spec_no"], "MUG-RED");
    assert_eq!(order["detail_list"][0]["price"], json!(2.5), "the price sold at");
    assert_eq!(order["detail_list"][0]["raw_refund_no"], "RR-1");
    let refund_no = order["refund_no"].as_str().unwrap().to_owned();
    assert!(refund_no.starts_with("TK"), "{refund_no}");

    // The same version with other values is not a change.
    let mut same = first.clone();
    same["refund_amount"] = json!(9);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &json!(["SHOP-OWN", [same]])).await, counts(0, 0));
    // A later version: new amounts and logistics, one more unit, and the second sub-order.
    let mut later = first.clone();
    later["refund_version"] = json!("2");
    later["refund_amount"] = json!(7.5);
    later["logistics_no"] = json!("ZT-2");
    later["num"] = json!(3);
    let mut blue = line("RR-1", "T-RR-1", "T-RR-1-2", 2, 1);
    blue["refund_version"] = json!("2");
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &json!(["SHOP-OWN", [later, blue]])).await, counts(1, 0));
    let order = refund_order_of(&app, "RR-1").await;
    assert_eq!(order["refund_no"], refund_no.as_str(), "the same refund order");
    assert_eq!(order["return_logistics_no"], "ZT-2");
    let lines: Vec<(Value, Value)> = order["detail_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["spec_no"].clone(), d["refund_num"].clone()))
        .collect();
    assert_eq!(lines, [(json!("MUG-RED"), json!(3)), (json!("MUG-BLUE"), json!(1))]);
    assert_eq!(raw_refund(&app, "RR-1").await["refund_amount"], json!(7.5));

    // Review, receive one mug, then the platform cancels: the receipt ends.
    admin(&app, &format!("refund-orders/demo/{refund_no}/review"), json!({})).await;
    let stockin = json!({"refund_no": refund_no, "out_stockin_no": "RR-1-IN", "warehouse_no": "WH1",
        "create_mode": 2, "detail_list": [{"spec_no": "MUG-RED", "num": 1}]});
    let created = call_as(&app, ALL_KEY, "wms.stockin.Refund.createOrder", &json!([stockin])).await;
    assert_eq!(created["status"], 0, "{created}");
    let mut cancel = first.clone();
    cancel["refund_version"] = json!("3");
    cancel["status"] = json!(1);
    cancel["num"] = json!(3);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &json!(["SHOP-OWN", [cancel]])).await, counts(1, 0));
    let order = refund_order_of(&app, "RR-1").await;
    assert_eq!((order["status"].clone(), order["stockin_status"].clone()), (json!(30), json!(4)), "终止入库");
    assert_eq!(raw_refund(&app, "RR-1").await["status"], 1);
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_cancellation_before_any_goods_arrived_cancels_the_refund_order() {
    let app = spawn().await;
    shipped_trade(&app, "T-RR-2").await;
    let first = line("RR-2", "T-RR-2", "T-RR-2-1", 2, 3);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &json!(["SHOP-OWN", [first.clone()]])).await, counts(0, 1));
    let mut cancel = first.clone();
    cancel["refund_version"] = json!("10");
    cancel["status"] = json!(1);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &json!(["SHOP-OWN", [cancel]])).await, counts(1, 0));
    assert_eq!(refund_order_of(&app, "RR-2").await["status"], 10, "已取消");
    // The mugs are refundable again: a new raw refund of all three is accepted.
    let again = line("RR-2B", "T-RR-2", "T-RR-2-1", 2, 3);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &json!(["SHOP-OWN", [again]])).await, counts(0, 1));
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_shop_that_reviews_automatically_makes_reviewed_refund_orders() {
    let app = spawn().await;
    // SHOP-POS reviews refunds automatically in the demo data; T-DEMO-7 is its shipped trade.
    let body = json!(["SHOP-POS", [line("RR-POS", "T-DEMO-7", "T-DEMO-7-1", 2, 2)]]);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &body).await, counts(0, 1));
    let order = refund_order_of(&app, "RR-POS").await;
    assert_eq!((order["status"].clone(), order["stockin_status"].clone()), (json!(30), json!(1)));
    // Type 3 换货 makes no refund order (the page), type 4 one that expects nothing.
    let body = json!([
        "SHOP-POS",
        [line("RR-SWAP", "T-DEMO-7", "T-DEMO-7-2", 3, 1), line("RR-ONLY", "T-DEMO-7", "T-DEMO-7-2", 4, 1)]
    ]);
    assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &body).await, counts(0, 2));
    assert_eq!(refund_order_of(&app, "RR-SWAP").await, Value::Null);
    assert_eq!(raw_refund(&app, "RR-SWAP").await["process_status"], 40);
    let only = refund_order_of(&app, "RR-ONLY").await;
    assert_eq!((only["type"].clone(), only["stockin_status"].clone()), (json!(4), json!(0)));
}

#[tokio::test]
async fn bad_uploads_are_refused_naming_field_and_value_and_write_nothing() {
    let app = spawn().await;
    let good = || line("RR-BAD", "T-DEMO-7", "T-DEMO-7-1", 2, 1);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut l = good();
        f(&mut l);
        json!(["SHOP-POS", [l]])
    };
    let cases = [
        (json!(["NO-SHOP", [good()]]), "店铺编号不存在或已停用 shop_no: NO-SHOP"),
        (json!(["SHOP-OWN", [good()]]), "原始单不存在 order_list[0].tid: T-DEMO-7"),
        (with(&|l| l["tid"] = json!("T-NONE")), "原始单不存在 order_list[0].tid: T-NONE"),
        (with(&|l| l["oid"] = json!("T-DEMO-1-1")), "原始子单不存在 order_list[0].oid: T-DEMO-1-1 (tid: T-DEMO-7)"),
        (with(&|l| l["num"] = json!(3)), "退款数量超过可退数量 order_list[0].num: 3 (可退: 2)"),
        (with(&|l| l["num"] = json!(0)), "数量不合法 order_list[0].num: 0"),
        (with(&|l| l["refund_amount"] = json!(-1)), "金额不合法 order_list[0].refund_amount: -1"),
        (with(&|l| l["type"] = json!(5)), "取值不合法(0/1/2/3/4) order_list[0].type: 5"),
        (
            with(&|l| l["refund_time"] = json!("2020-02-30 00:00:00")),
            "参数不合法 order_list[0].refund_time: 时间格式错误: 2020-02-30 00:00:00",
        ),
        (json!(["SHOP-POS", []]), "order_list不能为空"),
        (
            json!(["SHOP-POS", [good(), line("RR-BAD", "T-DEMO-2", "T-DEMO-2-1", 2, 1)]]),
            "同一原始退款单的原始单号不一致 order_list[1].tid: T-DEMO-2 (T-DEMO-7)",
        ),
        (json!(["SHOP-POS", [good(), good()]]), "原始子单号重复 order_list[1].oid: T-DEMO-7-1"),
        (
            json!(["SHOP-OWN", [line("RR-BAD", "T-DEMO-8", "T-DEMO-8-1", 2, 1)]]),
            "订单未发货,不能退货 order_list[0].type: 2 (tid: T-DEMO-8)",
        ),
    ];
    for (body, message) in cases {
        assert_eq!(call_as(&app, ALL_KEY, UPLOAD, &body).await, refusal(message), "{body}");
        assert_eq!(raw_refund(&app, "RR-BAD").await, Value::Null, "nothing written for {message}");
    }
    // Two raw refunds of one upload share what is left to refund: the second one is refused and
    // so is the whole upload.
    let body = json!([
        "SHOP-POS",
        [line("RR-A", "T-DEMO-7", "T-DEMO-7-1", 2, 2), line("RR-B", "T-DEMO-7", "T-DEMO-7-1", 2, 1)]
    ]);
    assert_eq!(
        call_as(&app, ALL_KEY, UPLOAD, &body).await,
        refusal("退款数量超过可退数量 order_list[1].num: 1 (可退: 0)")
    );
    assert_eq!(raw_refund(&app, "RR-A").await, Value::Null, "upload is whole or nothing");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn upload2_accepts_and_refuses_raw_refund_by_raw_refund() {
    let app = spawn().await;
    let body = json!([
        "SHOP-POS",
        [
            line("RR2-A", "T-DEMO-7", "T-DEMO-7-1", 2, 2),
            line("RR2-B", "T-DEMO-7", "T-DEMO-7-1", 2, 1),
            line("RR2-C", "T-DEMO-7", "T-DEMO-7-2", 4, 5),
        ]
    ]);
    let answer = call_as(&app, ALL_KEY, UPLOAD2, &body).await;
    assert_eq!(
        answer,
        json!({"status": 0, "data": {"chg_count": 0, "error_list": [
            {"error": "退款数量超过可退数量 order_list[1].num: 1 (可退: 0)", "no": "RR2-B"}
        ], "new_count": 2}}),
    );
    assert_ne!(raw_refund(&app, "RR2-A").await, Value::Null);
    assert_eq!(raw_refund(&app, "RR2-B").await, Value::Null);
    assert_ne!(raw_refund(&app, "RR2-C").await, Value::Null);
    // A shop outside the key's scope refuses every raw refund of the upload, as the page's
    // example shows.
    let body = json!(["SHOP-POS", [line("lztest", "T-DEMO-7", "T-DEMO-7-2", 1, 1)]]);
    assert_eq!(
        call_as(&app, WH2_KEY, UPLOAD2, &body).await,
        json!({"status": 0, "data": {"chg_count": 0, "error_list": [{"error": "店铺权限不足 shop_no: SHOP-POS", "no": "lztest"}], "new_count": 0}}),
    );
    assert_eq!(call_as(&app, WH2_KEY, UPLOAD, &body).await, refusal("店铺权限不足 shop_no: SHOP-POS"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_uploads_of_one_refund_no_make_one_refund_order() {
    let app = std::sync::Arc::new(spawn().await);
    shipped_trade(&app, "T-RR-RACE").await;
    let body = json!(["SHOP-OWN", [line("RR-RACE", "T-RR-RACE", "T-RR-RACE-1", 2, 3)]]);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, body) = (std::sync::Arc::clone(&app), body.clone());
        tasks.push(tokio::spawn(async move { call_as(&app, ALL_KEY, UPLOAD, &body).await }));
    }
    let mut new = 0;
    for t in tasks {
        let answer = t.await.unwrap();
        assert_eq!(answer["status"], 0, "{answer}");
        new += answer["data"]["new_count"].as_i64().unwrap();
    }
    assert_eq!(new, 1);
    let (from, to) = around(&app);
    let params = json!({"tid": "T-RR-RACE", "modified_from": from, "modified_to": to});
    let orders = qjb_params_call(&app, ALL_KEY, REFUNDS, params, Some(&PAGER)).await;
    assert_eq!(orders["data"]["total_count"], 1, "{orders}");
    assert!(app.store.verify().await.unwrap().is_ok());
}
