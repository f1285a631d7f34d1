//! The returns lifecycle through the API only (SPEC.md §8): goods pushed, a raw trade pushed and
//! shipped, a raw refund converted and reviewed, the goods received back in both dialects, and
//! everything read back. Then the differential check: the same state loaded from fixtures (goods
//! and opening stock, the trade with its platform fields, the refund order) and driven through
//! the same receipts reads back equal, ids aside, down to the trade's stored platform fields.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::format_wire_time;

use crate::helpers::*;
use crate::raw_refunds::{admin, refund_order_of};
use crate::raw_trades::{ADMIN_TOKEN, ALL_KEY, PUSH_SELF, call_as, page_example};

const PAGER: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

/// A server in test mode with the admin API, its clock frozen at `at` (epoch ms).
async fn spawn_at(at: i64) -> TestApp {
    let app = spawn_app_with(wdt_server::ServerConfig {
        admin_token: Some(ADMIN_TOKEN.to_owned()),
        rate_limits: wdt_server::RateLimits::off(),
        test_mode: true,
        ..wdt_server::ServerConfig::default()
    })
    .await;
    app.store.clock().freeze_at(at);
    app
}

/// The goods of the flow: G-FLOW with its one spec FLOW-1.
fn goods_push() -> Value {
    json!([{"goods_no": "G-FLOW", "goods_name": "流程杯", "unit_name": "个"},
           [{"spec_no": "FLOW-1", "spec_name": "白色", "barcode": "6900000009991"}]])
}

/// The raw refund of the flow: two FLOW-1 back on T-FLOW-1, with return logistics.
fn raw_refund() -> Value {
    json!(["SHOP-OWN", [{
        "refund_no": "RR-FLOW", "num": 2, "tid": "T-FLOW", "oid": "T-FLOW-1", "type": 2, "status": 3,
        "refund_version": "1", "refund_amount": 5, "actual_refund_amount": 5, "title": "流程杯",
        "logistics_name": "中通", "logistics_no": "ZT-FLOW", "buyer_nick": "test_openapi",
        "refund_time": "2020-05-22 09:07:18", "is_aftersale": 1, "reason": "不想要了"
    }]])
}

/// The receipts: one unit through qjb, one through openapi2, both checked at once.
async fn receive(app: &TestApp, refund_no: &str) {
    let qjb = json!([{"refund_no": refund_no, "out_stockin_no": "FLOW-IN-1", "warehouse_no": "WH1",
                      "create_mode": 2, "detail_list": [{"spec_no": "FLOW-1", "num": 1}]}]);
    let answer = call_as(app, ALL_KEY, "wms.stockin.Refund.createOrder", &qjb).await;
    assert_eq!(answer["status"], 0, "{answer}");
    let info = json!({"refund_no": refund_no, "outer_no": "FLOW-IN-2", "warehouse_no": "WH1", "is_check": 1,
                      "detail_list": [{"spec_no": "FLOW-1", "stockin_num": 1}]})
    .to_string();
    let answer = app.post_openapi2("stockin_refund_push.php", &ent_form(&[("stockin_refund_info", &info)])).await;
    assert_eq!(answer.1, json!({"code": 0, "message": "succeed"}));
}

/// What the two paths are compared on: the refund order, its stock-ins, the stock of FLOW-1 and
/// the trade, as the API and the store read them, with row ids zeroed.
async fn read_back(app: &TestApp, refund_no: &str) -> Value {
    let now = app.store.clock().now_ms();
    let (from, to) = (format_wire_time(now - 3_600_000), format_wire_time(now + 3_600_000));
    let refunds = qjb_params_call(
        app,
        ALL_KEY,
        "aftersales.refund.Refund.search",
        json!({"refund_no": refund_no, "modified_from": from, "modified_to": to}),
        Some(&PAGER),
    )
    .await;
    let stockins = qjb_params_call(
        app,
        ALL_KEY,
        "wms.stockin.Refund.queryWithDetail",
        json!({"start_time": from, "end_time": to, "src_order_no": refund_no}),
        Some(&PAGER),
    )
    .await;
    let stock = qjb_params_call(
        app,
        ALL_KEY,
        "wms.StockSpec.search",
        json!({"warehouse_no": "WH1", "spec_nos": ["FLOW-1"], "start_time": from, "end_time": to}),
        Some(&PAGER),
    )
    .await;
    let trade = app.store.trade("demo", "T-FLOW").await.unwrap().expect("the trade");
    let trade = json!({
        "tid": trade.tid, "trade_no": trade.trade_no, "shop_no": trade.shop_no, "shipped": trade.shipped,
        "warehouse_no": trade.warehouse_no, "stockout_no": trade.stockout_no,
        "items": trade.items.iter().map(|i| json!([i.oid, i.spec_no, i.num.to_string()])).collect::<Vec<_>>(),
    });
    let stored = platform_fields(app).await;
    let mut stock = stock;
    // Path A's stock came from a count (盘点), path B's from opening stock: only A has a count time.
    stock["data"][0].as_object_mut().map(|line| line.remove("last_pd_time"));
    let mut all = json!({"refunds": refunds, "stockins": stockins, "stock": stock, "trade": trade, "stored": stored});
    zero_ids(&mut all);
    all
}

/// The platform fields T-FLOW and its sub-orders keep (no query shows them), as text.
async fn platform_fields(app: &TestApp) -> Value {
    const TRADE: &str = "trade_status, refund_status, pay_status, pay_method, delivery_term, trade_time, pay_time, \
        buyer_nick, buyer_message, receiver_name, receiver_area, receiver_address, receiver_zip, receiver_mobile, \
        receiver_telno, post_amount, discount, receivable, paid, remark";
    const ITEM: &str = "oid, status, refund_status, goods_name, spec_name, discount, share_discount, total_amount, \
        adjust_amount, platform_goods_id, platform_spec_id, remark";
    let text = |columns: &str| {
        columns.split(", ").map(|c| format!("COALESCE(CAST({c} AS TEXT), '')")).collect::<Vec<_>>().join(", ")
    };
    let mut tx = app.sql.begin_write().await;
    let mut out = Vec::new();
    for (columns, sql) in [
        (TRADE, format!("SELECT {} FROM trades WHERE sid = 'demo' AND tid = 'T-FLOW'", text(TRADE))),
        (
            ITEM,
            format!(
                "SELECT {} FROM trade_items WHERE trade_id = (SELECT id FROM trades WHERE sid = 'demo' AND tid = 'T-FLOW') \
                 ORDER BY oid",
                text(ITEM)
            ),
        ),
    ] {
        for row in tx.fetch_all(wdt_store_sql::db::query(sql)).await {
            let fields: serde_json::Map<String, Value> =
                columns.split(", ").enumerate().map(|(i, c)| (c.to_owned(), Value::String(row.get(i)))).collect();
            out.push(Value::Object(fields));
        }
    }
    tx.commit().await;
    Value::Array(out)
}

/// Row ids differ between two databases; everything else must not.
fn zero_ids(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if (k == "id" || k.ends_with("_id")) && child.is_number() {
                    *child = json!(0);
                } else {
                    zero_ids(child);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(zero_ids),
        _ => {}
    }
}

/// The keys of `a` and `b` (recursively) whose values differ, for a readable failure.
fn differences(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            let null = Value::Null;
            for k in keys {
                differences(&format!("{path}.{k}"), x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} != {b}")),
        _ => {}
    }
}

/// Drives path A through the API; returns the refund order's number.
async fn through_the_api(app: &TestApp) -> String {
    // Goods, and ten of them counted into WH1 so the trade can ship.
    let goods = call_as(app, ALL_KEY, "goods.Goods.push", &goods_push()).await;
    assert_eq!(goods["status"], 0, "{goods}");
    admin(
        app,
        "stock/demo/adjust",
        json!({"warehouse_no": "WH1", "spec_no": "FLOW-1", "position_no": "A-01", "num": 10}),
    )
    .await;
    // The shop's raw trade, converted at once; the warehouse ships it.
    let pushed = call_as(app, ALL_KEY, PUSH_SELF, &page_example("T-FLOW", &[("T-FLOW-1", "FLOW-1", 3)])).await;
    assert_eq!(pushed, json!({"status": 0, "data": {"chg_count": 0, "new_count": 1}}));
    admin(app, "trades/demo/T-FLOW/ship", json!({"warehouse_no": "WH1"})).await;
    // The platform's refund becomes a refund order awaiting review; the operator reviews it.
    let uploaded = call_as(app, ALL_KEY, "aftersales.refund.RawRefund.upload", &raw_refund()).await;
    assert_eq!(uploaded, json!({"status": 0, "data": {"chg_count": 0, "new_count": 1}}));
    let order = refund_order_of(app, "RR-FLOW").await;
    assert_eq!((order["status"].clone(), order["stockin_status"].clone()), (json!(20), json!(1)), "{order}");
    let refund_no = order["refund_no"].as_str().unwrap().to_owned();
    admin(app, &format!("refund-orders/demo/{refund_no}/review"), json!({})).await;
    // The goods come back, in both dialects.
    receive(app, &refund_no).await;
    refund_no
}

#[tokio::test]
async fn the_whole_flow_through_the_api_equals_the_same_state_loaded_from_fixtures() {
    let at = wdt_protocol::time::now_ms();

    let api = spawn_at(at).await;
    let refund_no = through_the_api(&api).await;
    let a = read_back(&api, &refund_no).await;
    // The flow's end state as the integrator checks it.
    let order = &a["refunds"]["data"]["order"][0];
    assert_eq!((order["status"].clone(), order["stockin_status"].clone()), (json!(30), json!(3)), "{order}");
    assert_eq!(order["detail_list"][0]["stockin_num"], json!(2));
    assert_eq!(order["raw_refund_nos"], "RR-FLOW");
    assert_eq!(a["stockins"]["data"]["total_count"], 2, "{}", a["stockins"]);
    assert_eq!(a["stock"]["data"][0]["stock_num"], json!(9), "10 counted, 3 shipped, 2 back: {}", a["stock"]);
    assert_eq!(a["stored"][0]["receiver_address"], "春天街道春天花园小区1号楼1单元101", "{}", a["stored"]);
    assert_eq!(a["stored"][1]["platform_goods_id"], "openapi_gid-0", "{}", a["stored"]);
    assert!(api.store.verify().await.unwrap().is_ok());

    // Path B: the same records from fixtures, the same operator actions and receipts.
    let trade_no = a["trade"]["trade_no"].as_str().unwrap().to_owned();
    let fixtures = spawn_at(at).await;
    let master = json!({
        "sid": "demo",
        "goods": [{"goods_no": "G-FLOW", "goods_name": "流程杯",
                   "specs": [{"spec_no": "FLOW-1", "spec_name": "白色", "barcode": "6900000009991", "base_unit": "个"}]}],
        "stock": [{"warehouse_no": "WH1", "spec_no": "FLOW-1", "num": "10", "position_no": "A-01"}],
        "trades": [{"tid": "T-FLOW", "trade_no": trade_no, "shop_no": "SHOP-OWN", "customer_no": "test_openapi",
                    "customer_name": "receiver_name", "nick_name": "test_openapi",
                    "platform": {"trade_status": 30, "refund_status": 0, "pay_status": 2, "pay_method": 2,
                                 "delivery_term": 1, "trade_time": "2020-03-20 18:24:37",
                                 "pay_time": "2020-03-20 18:24:37", "buyer_nick": "test_openapi",
                                 "buyer_message": "test_openapi", "receiver_name": "receiver_name",
                                 "receiver_area": "北京 北京市 朝阳区",
                                 "receiver_address": "春天街道春天花园小区1号楼1单元101", "receiver_zip": "014500",
                                 "receiver_mobile": "15612340987", "receiver_telno": "02288888888",
                                 "post_amount": "2", "discount": "1", "receivable": "17.6"},
                    "items": [{"oid": "T-FLOW-1", "spec_no": "FLOW-1", "num": "3", "price": "2.5",
                               "platform": {"status": 30, "goods_name": "api_gname-0", "spec_name": "api_sname-0",
                                            "discount": "0.5", "share_discount": "0.2", "total_amount": "9",
                                            "adjust_amount": "2", "platform_goods_id": "openapi_gid-0",
                                            "platform_spec_id": "openapi_sid-0"}}]}]
    });
    admin(&fixtures, "fixtures", master).await;
    admin(&fixtures, "trades/demo/T-FLOW/ship", json!({"warehouse_no": "WH1"})).await;
    let refund = json!({
        "sid": "demo",
        "refund_orders": [{"refund_no": refund_no, "tid": "T-FLOW", "status": "pending_review", "reason": "不想要了",
                           "refund_amount": "5", "return_logistics_name": "中通", "return_logistics_no": "ZT-FLOW",
                           "items": [{"oid": "T-FLOW-1", "spec_no": "FLOW-1", "refund_num": "2", "price": "2.5",
                                      "raw_refund_no": "RR-FLOW"}]}]
    });
    admin(&fixtures, "fixtures", refund).await;
    admin(&fixtures, &format!("refund-orders/demo/{refund_no}/review"), json!({})).await;
    receive(&fixtures, &refund_no).await;
    let b = read_back(&fixtures, &refund_no).await;

    let mut diff = Vec::new();
    differences("", &a, &b, &mut diff);
    assert!(diff.is_empty(), "API and fixture paths differ:\n{}", diff.join("\n"));
    assert!(fixtures.store.verify().await.unwrap().is_ok());
}
