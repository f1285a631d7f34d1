//! `sales.RawTrade.pushSelf` over HTTP: the page's example converted into a trade, the same
//! push twice, updates before and after shipping, refusals that write nothing, shop scope, and
//! concurrent pushes of one `tid`.

use serde_json::{Value, json};

use crate::helpers::*;

pub(crate) const PUSH_SELF: &str = "sales.RawTrade.pushSelf";
pub(crate) const ALL_KEY: (&str, &str) = ("demo-qjb", "demo-secret:demo-salt");
const WH2_KEY: (&str, &str) = ("demo-qjb-wh2", "wh2-secret:wh2-salt");
pub(crate) const ADMIN_TOKEN: &str = "admin-test-token-0123456789";

/// A call of `method` with `body` as key `key`.
pub(crate) async fn call_as(app: &TestApp, (key, secret): (&str, &str), method: &str, body: &Value) -> Value {
    let call = QjbCall::signed("demo", key, secret, method, qjb_now() - distinct_offset(), None, &body.to_string());
    let (http, answer) = app.post_qjb(&call).await;
    assert_eq!(http, 200, "{answer}");
    answer
}

/// The page's request example, adapted to the demo: its raw trade `tid` in the self-owned shop,
/// with one sub-order per `(oid, spec_no, num)`.
pub(crate) fn page_example(tid: &str, lines: &[(&str, &str, i64)]) -> Value {
    let goods_count: i64 = lines.iter().map(|l| l.2).sum();
    let trade = json!({
        "is_auto_wms": false, "post_amount": 2, "other_amount": 5.2, "discount": 1, "platform_cost": 0,
        "cod_amount": "", "received": "", "tid": tid, "process_status": 10, "trade_status": 30,
        "refund_status": 0, "pay_status": 2, "order_count": lines.len(), "pay_method": 2,
        "trade_time": "2020-03-20 18:24:37", "pay_time": "2020-03-20 18:24:37", "end_time": "2020-03-20 18:24:37",
        "buyer_nick": "test_openapi", "buyer_message": "test_openapi", "buyer_email": "test_openapi@gmail.com",
        "buyer_area": "test_area", "receiver_name": "receiver_name", "receiver_area": "北京 北京市 朝阳区",
        "receiver_address": "春天街道春天花园小区1号楼1单元101", "receiver_zip": "014500",
        "receiver_mobile": "15612340987", "receiver_telno": "02288888888", "invoice_type": 0, "invoice_title": "",
        "invoice_content": "", "logistics_type": -1, "consign_interval": 0, "delivery_term": 1,
        "to_deliver_time": "", "pay_id": "", "pay_account": "", "remark": "", "remark_flag": 0,
        "goods_count": goods_count, "receivable": 17.6
    });
    let orders: Vec<Value> = lines
        .iter()
        .map(|(oid, spec_no, num)| {
            json!({
                "tid": tid, "oid": oid, "order_type": 0, "status": 30, "refund_status": 0,
                "goods_id": "openapi_gid-0", "spec_id": "openapi_sid-0", "goods_no": "api_gno-0", "spec_no": spec_no,
                "goods_name": "api_gname-0", "spec_name": "api_sname-0", "num": num, "price": 2.5,
                "adjust_amount": 2, "refund_amount": "", "discount": 0.5, "share_discount": 0.2, "total_amount": 9,
                "cid": "", "remark": "", "json": ""
            })
        })
        .collect();
    json!(["SHOP-OWN", [trade], orders])
}

fn counts(chg: i64, new: i64) -> Value {
    json!({"status": 0, "data": {"chg_count": chg, "new_count": new}})
}

fn refusal(message: &str) -> Value {
    json!({"status": 100, "message": message})
}

#[tokio::test]
async fn the_page_example_becomes_a_trade_and_a_second_push_changes_nothing() {
    let app = spawn_app().await;
    let body =
        page_example("tid-aqyYHjEldp", &[("tid-aqyYHjEldp-0", "MUG-RED", 3), ("tid-aqyYHjEldp-1", "MUG-BLUE", 3)]);
    assert_eq!(call_as(&app, ALL_KEY, PUSH_SELF, &body).await, counts(0, 1), "the page's normal response");

    let trade = app.store.trade("demo", "tid-aqyYHjEldp").await.unwrap().expect("converted at once");
    assert_eq!(trade.shop_no, "SHOP-OWN");
    assert!(!trade.shipped, "a pushed trade waits to be shipped");
    assert!(trade.trade_no.starts_with("JY") && trade.trade_no.len() == 14, "system trade no: {}", trade.trade_no);
    let items: Vec<(&str, &str, String)> =
        trade.items.iter().map(|i| (i.oid.as_str(), i.spec_no.as_str(), i.num.to_string())).collect();
    assert_eq!(items, [("tid-aqyYHjEldp-0", "MUG-RED", "3".into()), ("tid-aqyYHjEldp-1", "MUG-BLUE", "3".into())]);

    assert_eq!(call_as(&app, ALL_KEY, PUSH_SELF, &body).await, counts(0, 0), "the same document again");
    let again = app.store.trade("demo", "tid-aqyYHjEldp").await.unwrap().unwrap();
    assert_eq!(again, trade, "nothing changed, not even the number");

    // The platform moves the trade on: a changed document.
    let mut moved = body.clone();
    moved[1][0]["trade_status"] = json!(50);
    assert_eq!(call_as(&app, ALL_KEY, PUSH_SELF, &moved).await, counts(1, 0));
    assert_eq!(call_as(&app, ALL_KEY, PUSH_SELF, &moved).await, counts(0, 0));
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_shipped_trade_keeps_its_items() {
    let app = spawn_app_with(wdt_server::ServerConfig {
        admin_token: Some(ADMIN_TOKEN.to_owned()),
        ..wdt_server::ServerConfig::default()
    })
    .await;
    let body = page_example("T-PUSH-SHIP", &[("T-PUSH-SHIP-1", "MUG-RED", 2)]);
    assert_eq!(call_as(&app, ALL_KEY, PUSH_SELF, &body).await, counts(0, 1));
    // While unshipped the items follow the push: another spec and a second sub-order.
    let changed = page_example("T-PUSH-SHIP", &[("T-PUSH-SHIP-1", "MUG-BLUE", 2), ("T-PUSH-SHIP-2", "MUG-RED", 1)]);
    assert_eq!(call_as(&app, ALL_KEY, PUSH_SELF, &changed).await, counts(1, 0));
    let trade = app.store.trade("demo", "T-PUSH-SHIP").await.unwrap().unwrap();
    let specs: Vec<&str> = trade.items.iter().map(|i| i.spec_no.as_str()).collect();
    assert_eq!(specs, ["MUG-BLUE", "MUG-RED"]);

    let shipped = app
        .http
        .post(format!("http://{}/admin/v1/trades/demo/T-PUSH-SHIP/ship", app.addr))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"warehouse_no": "WH1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(shipped.status(), 200, "{}", shipped.text().await.unwrap());

    // Once shipped: a new sub-order is refused, a changed spec is kept as shipped.
    let more = page_example(
        "T-PUSH-SHIP",
        &[("T-PUSH-SHIP-1", "MUG-BLUE", 2), ("T-PUSH-SHIP-2", "MUG-RED", 1), ("T-PUSH-SHIP-3", "MUG-RED", 1)],
    );
    assert_eq!(
        call_as(&app, ALL_KEY, PUSH_SELF, &more).await,
        refusal("订单已发货,不能增加子订单 rawTradeOrderList[2].oid: T-PUSH-SHIP-3")
    );
    let mut respec = page_example("T-PUSH-SHIP", &[("T-PUSH-SHIP-1", "MUG-RED", 2), ("T-PUSH-SHIP-2", "MUG-RED", 1)]);
    respec[2][0]["refund_status"] = json!(2);
    assert_eq!(call_as(&app, ALL_KEY, PUSH_SELF, &respec).await, counts(1, 0), "the sub-order's refund status moved");
    let after = app.store.trade("demo", "T-PUSH-SHIP").await.unwrap().unwrap();
    assert_eq!(after.items, app.store.trade("demo", "T-PUSH-SHIP").await.unwrap().unwrap().items);
    let specs: Vec<&str> = after.items.iter().map(|i| i.spec_no.as_str()).collect();
    assert_eq!(specs, ["MUG-BLUE", "MUG-RED"], "the goods that left stay the trade's");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn bad_pushes_are_refused_naming_field_and_value_and_write_nothing() {
    let app = spawn_app().await;
    let good = || page_example("T-BAD", &[("T-BAD-1", "MUG-RED", 3)]);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut body = good();
        f(&mut body);
        body
    };
    let cases = [
        (with(&|b| b[0] = json!("NO-SUCH-SHOP")), "店铺编号不存在或已停用 shop_no: NO-SUCH-SHOP"),
        (with(&|b| b[0] = json!("SHOP-JD")), "仅支持自有平台店铺推送 shop_no: SHOP-JD (platform_id: 3)"),
        (with(&|b| b[2][0]["spec_no"] = json!("NOPE")), "货品不存在 rawTradeOrderList[0].spec_no: NOPE"),
        (
            with(&|b| b[1][0]["order_count"] = json!(2)),
            "子订单个数与rawTradeOrderList不符 rawTradeList[0].order_count: 2 (rawTradeOrderList: 1)",
        ),
        (
            with(&|b| b[1][0]["goods_count"] = json!("3.5")),
            "货品总数量与rawTradeOrderList不符 rawTradeList[0].goods_count: 3.5 (rawTradeOrderList: 3)",
        ),
        (
            with(&|b| b[1][0]["trade_status"] = json!(35)),
            "取值不合法(10/20/30/40/50/60/70/80/90) rawTradeList[0].trade_status: 35",
        ),
        (
            with(&|b| b[1][0]["trade_time"] = json!("2020-02-30 10:00:00")),
            "参数不合法 rawTradeList[0].trade_time: 时间格式错误: 2020-02-30 10:00:00",
        ),
        (
            with(&|b| b[2][0]["tid"] = json!("T-OTHER")),
            "子订单的原始单不在rawTradeList中 rawTradeOrderList[0].tid: T-OTHER",
        ),
        (
            with(&|b| b[2][0]["oid"] = json!("o".repeat(41))),
            &format!("超长(最大40) rawTradeOrderList[0].oid: {}", "o".repeat(41)),
        ),
        (
            with(&|b| b[2][0]["oid"] = json!("T-DEMO-1-1")),
            "原始子单号已属于其他原始单 rawTradeOrderList[0].oid: T-DEMO-1-1 (tid: T-DEMO-1)",
        ),
        (
            with(&|b| b[1][0]["tid"] = json!("T-DEMO-2")),
            "子订单的原始单不在rawTradeList中 rawTradeOrderList[0].tid: T-BAD",
        ),
    ];
    for (body, message) in cases {
        let answer = call_as(&app, ALL_KEY, PUSH_SELF, &body).await;
        assert_eq!(answer, refusal(message), "{body}");
        assert!(app.store.trade("demo", "T-BAD").await.unwrap().is_none(), "nothing written for {message}");
    }
    // A tid of another shop's trade.
    let mut other = page_example("T-DEMO-2", &[("T-BAD-1", "MUG-RED", 3)]);
    other[1][0]["tid"] = json!("T-DEMO-2");
    assert_eq!(
        call_as(&app, ALL_KEY, PUSH_SELF, &other).await,
        refusal("原始单号已属于其他店铺 rawTradeList[0].tid: T-DEMO-2")
    );
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_key_pushes_only_to_its_shops() {
    let app = spawn_app().await;
    // The WH2 key is limited to SHOP-OWN; SHOP-POS is outside it (and not self-owned either: scope
    // is checked first).
    let mut body = page_example("T-SCOPE", &[("T-SCOPE-1", "MUG-RED", 1)]);
    body[0] = json!("SHOP-POS");
    assert_eq!(call_as(&app, WH2_KEY, PUSH_SELF, &body).await, refusal("店铺权限不足 shop_no: SHOP-POS"));
    body[0] = json!("SHOP-OWN");
    assert_eq!(call_as(&app, WH2_KEY, PUSH_SELF, &body).await, counts(0, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_of_one_tid_make_one_trade() {
    let app = std::sync::Arc::new(spawn_app().await);
    let body = page_example("T-RACE", &[("T-RACE-1", "MUG-RED", 1), ("T-RACE-2", "MUG-BLUE", 1)]);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, body) = (std::sync::Arc::clone(&app), body.clone());
        tasks.push(tokio::spawn(async move { call_as(&app, ALL_KEY, PUSH_SELF, &body).await }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let new: i64 = answers.iter().map(|a| a["data"]["new_count"].as_i64().expect("counted")).sum();
    let changed: i64 = answers.iter().map(|a| a["data"]["chg_count"].as_i64().expect("counted")).sum();
    assert_eq!((new, changed), (1, 0), "{answers:?}");
    let trade = app.store.trade("demo", "T-RACE").await.unwrap().unwrap();
    assert_eq!(trade.items.len(), 2);
    assert!(app.store.verify().await.unwrap().is_ok());
}
