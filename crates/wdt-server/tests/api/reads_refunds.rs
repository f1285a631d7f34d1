//! `aftersales.refund.Refund.search` and `wms.stockin.Refund.queryHisWithDetail` over HTTP:
//! parameters and refusals, the pages' example shapes, privacy and shop scope, paging, the
//! received quantities agreeing with the stock-ins, and the split between the live and the
//! history stock-in query on the store clock.

use std::collections::HashMap;

use serde_json::{Value, json};
use wdt_protocol::Dec4;
use wdt_protocol::methods::refund_stockin_query::StockinOrderRow;
use wdt_protocol::qjb::{self, Pager};
use wdt_protocol::time::format_wire_time;

use crate::helpers::*;

const SEARCH: &str = "aftersales.refund.Refund.search";
const HISTORY: &str = "wms.stockin.Refund.queryHisWithDetail";
const LIVE: &str = "wms.stockin.Refund.queryWithDetail";
const CREATE: &str = "wms.stockin.Refund.createOrder";
const DAY_MS: i64 = 86_400_000;

/// The normal response example of `aftersales.refund.Refund.search`.
const SEARCH_EXAMPLE: &str = r#"{"status": 0, "data": {"total_count": 1, "order": [{"warehouse_type": 1, "provider_refund_no": "", "detail_list": [{"rec_id": 1137182, "refund_id": 1130899, "platform_id": 127, "oid": "lj2323823489293842938343422", "tid": "lj8234232389293842938422344", "trade_no": "A18449", "checked_cost_price": 0, "num": 1, "price": 1, "original_price": 1, "refund_num": 1, "total_amount": 1, "refund_amount": 0, "is_guarantee": true, "goods_no": "hcf", "goods_name": "hcf", "spec_name": "hcf", "spec_no": "hcf", "spec_code": "hcf", "barcode": "hcf", "stockin_num": 0, "remark": "", "api_goods_name": "hcf", "sales_trade_id": 2740715, "api_spec_name": "hcf", "trade_order_id": 5271780, "modified": 1686712380000, "goods_id": "hcf", "spec_id": "hcf", "sys_goods_id": 105064, "sys_spec_id": 273312, "discount": 0, "paid": 0, "suite_id": 0, "suite_no": "", "suite_name": "", "suite_num": 0, "created": "2023-06-14 11:05:17", "modified_date": "2023-06-14 11:13:00", "raw_refund_no": "TKljcs2202180006", "raw_refund_nos": "TKljcs2202180006"}], "refund_no": "TK2306140001", "bad_reason": 0, "return_telno": "", "type": 2, "trade_id": 2740715, "modified": 1686712380000, "shop_no": "wdtapi3-test", "created": 1686711917000, "trade_no_list": "A18449", "return_logistics_no": "238943957239", "return_goods_amount": 1, "modified_date": "2023-06-14 11:13:00", "shop_platform_id": 127, "refund_id": 1130899, "shop_id": 711, "src_tids": "lj8234232389293842938422344", "actual_refund_amount": 0, "refund_time": "2022-06-08 00:00:00", "receive_amount": 0, "pay_id": "1495759864643715076", "status": 30, "check_time": "2023-06-14 11:13:00", "return_mask_info": "", "tmp_data": 624, "tid_list": "lj8234232389293842938422344", "remark": "", "sub_platform_id": 0, "stockin_status": 1, "flag_name": "无", "return_goods_count": 1, "receiver_telno": "18621578833", "receiver_name": "Tony", "refund_reason": "1", "return_warehouse_id": 624, "note_count": 0, "from_type": 0, "raw_refund_nos": "TKljcs2202180006", "amount_detail_list": [], "consign_mode": 0, "guarantee_refund_amount": 0, "return_logistics_name": "中通", "settle_time": "", "reason_id": 0, "buyer_nick": "lj", "operator_name": "系统", "revert_reason": 0, "return_warehouse_no": "wdtapi3-test", "direct_refund_amount": 0, "platform_id": "127", "sync_return": true, "customer_name": "lj", "reason_name": "无", "customer_id": 17588392, "return_mask": 0, "revert_reason_name": "无"}]}}"#;

/// The normal response example of `wms.stockin.Refund.queryHisWithDetail`.
const HISTORY_EXAMPLE: &str = r#"{"status": 0, "data": {"total_count": 1, "order": [{"logistics_name": "奇门中通001", "details_list": [{"stockin_id": 89138, "num": 1, "total_cost": 10, "remark": "批次:20230113", "right_num": 1, "rec_id": 211045, "goods_name": "lym测试货品B-批次", "goods_no": "lymhpB", "spec_no": "lymhpB03", "defect": false, "prop2": "", "spec_name": "批次03较晚", "spec_code": "", "batch_no": "20230113", "brand_no": "BRAND", "brand_name": "无", "unit_id": 0, "base_unit_id": 0, "expire_date": "", "position_no": "", "logistics_id": 98, "logistics_no": "202302060002", "src_order_id": 1129912, "warehouse_id": 783, "goods_id": 166908, "spec_id": 355229, "expect_num": 0, "checked_cost_price": 10, "org_stockin_detail_id": 0, "batch_id": 17591, "position_id": 0, "validity_days": 0, "num2": 1, "adjust_num": 0, "unit_ratio": 1, "modified": "2023-02-06 16:27:39", "created": "2023-02-06 16:27:39", "src_order_type": 12, "sn_list": "", "refund_order_detail_list": [{"refund_order_id": 1135829, "stockin_order_detail_id": 211045, "spec_no": "lymhpB03", "price": 0}], "goods_unit": "无", "base_unit_name": "无", "logistics_name": "奇门中通001", "refund_amount": "0.0000", "refund_detail_id": "1135829", "production_date": "", "stockin_num": "1.0000"}], "fenxiao_nick": "", "reason": "无", "operator_id": 0, "refund_no": "TK2302060008", "adjust_num": 0, "shop_remark": "", "modified": "2023-02-06 16:27:39", "shop_no": "DP-lym", "check_operator_name": "系统", "seq_no": 1, "created_time": 1675672059000, "stockin_id": 89138, "customer_no": "KH202112140012", "src_order_id": 1129912, "created": "2023-02-06 16:27:39", "trade_no_list": "JY20230206000050", "shop_name": "LYM店铺", "shop_platform_id": 0, "shop_id": "285", "warehouse_name": "wmslt旺店通联调仓库", "actual_refund_amount": "0.0000", "nick_name": "liz", "process_status": 90, "status": 80, "check_time": 1675672059000, "order_no": "RK2023020664", "flag_id": 0, "tid_list": "AT202302060006", "goods_type_count": 1, "remark": "LYM店铺", "sub_platform_id": 0, "goods_count": 1, "flag_name": "", "logistics_id": 98, "src_order_no": "TK2302060008", "warehouse_no": "wms_lt_erp30", "check_operator_id": 0, "refund_amount": 0, "logistics_type": 5, "note_count": 0, "total_price": 10, "logistics_no": "202302060002", "src_order_type": 12, "reason_id": 0, "operator_name": "系统", "total_goods_stockin_num": "1.0000", "customer_name": "", "warehouse_id": 783}]}}"#;

/// A call of `method` by `key`, signed at the store clock's time (which the tests move).
async fn call(app: &TestApp, key: &str, secret: &str, method: &str, body: &Value, pager: Option<&Pager>) -> Value {
    let timestamp = qjb::timestamp_from_unix(app.store.clock().now_secs()) - distinct_offset();
    let call = QjbCall::signed("demo", key, secret, method, timestamp, pager, &body.to_string());
    let (http, answer) = app.post_qjb(&call).await;
    assert_eq!(http, 200, "{answer}");
    answer
}

async fn search_as(app: &TestApp, key: &str, secret: &str, params: Value, pager: Pager) -> Value {
    call(app, key, secret, SEARCH, &json!([params]), Some(&pager)).await
}

async fn search(app: &TestApp, params: Value, pager: Pager) -> Value {
    search_as(app, QJB_KEY, QJB_SECRET, params, pager).await
}

fn page(size: u32, no: u32) -> Pager {
    Pager { page_size: size, page_no: no, calc_total: true }
}

/// An hour either side of the store clock's now, as `(from, to)` wire times.
fn around(app: &TestApp) -> (String, String) {
    let now = app.store.clock().now_ms();
    (format_wire_time(now - 3_600_000), format_wire_time(now + 3_600_000))
}

fn modified_window(app: &TestApp) -> Value {
    let (from, to) = around(app);
    json!({"modified_from": from, "modified_to": to})
}

fn refund_nos(answer: &Value) -> Vec<String> {
    let rows = answer["data"]["order"].as_array().unwrap_or_else(|| panic!("no rows: {answer}"));
    rows.iter().map(|o| o["refund_no"].as_str().unwrap().to_owned()).collect()
}

/// Pushes one return stock-in of `lines` against `refund` into `warehouse`; returns its order no.
async fn push(app: &TestApp, refund: &str, warehouse: &str, mode: i64, lines: Value) -> String {
    let body = json!([{"refund_no": refund, "warehouse_no": warehouse, "create_mode": mode, "detail_list": lines}]);
    let answer = call(app, QJB_KEY, QJB_SECRET, CREATE, &body, None).await;
    assert_eq!(answer["status"], 0, "{answer}");
    answer["data"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn search_parameters_and_refusals_use_the_vendor_messages() {
    let app = spawn_app().await;
    let day = |from: &str, to: &str| json!({"modified_from": from, "modified_to": to});
    let with = |mut p: Value, k: &str, v: Value| {
        p[k] = v;
        p
    };
    let ok = day("2020-01-01 00:00:00", "2020-01-20 00:00:00");
    let cases: Vec<(Value, Option<&str>)> = vec![
        // The page's own request example.
        (ok.clone(), None),
        (day("2020-01-01 00:00:00", "2020-01-31 23:59:59"), None),
        (json!({"agree_from": "2020-01-01 00:00:00", "agree_to": "2020-01-02 00:00:00"}), None),
        (with(ok.clone(), "status", json!("30")), None),
        (json!({}), Some("参数中必须包含起止时间")),
        (json!({"refund_no": "TK-DEMO-1"}), Some("参数中必须包含起止时间")),
        (json!({"modified_from": "2020-01-01 00:00:00"}), Some("参数中必须包含起止时间")),
        (json!({"modified_from": "", "modified_to": "2020-01-01 00:00:00"}), Some("参数中必须包含起止时间")),
        (day("2020-01-01 00:00:00", "2020-02-01 00:00:00"), Some("您的查询时间过宽,查询时间不能大于30天")),
        (day("2020-01-02 00:00:00", "2020-01-01 00:00:00"), Some("结束时间不能早于开始时间")),
        (day("2020-01-01 00:00:00", "2020/01/02"), Some("modified_to: Unparseable date: 2020/01/02")),
        (with(ok.clone(), "refund_no", json!("T".repeat(41))), Some("超长(最大40) refund_no")),
        (with(ok.clone(), "tid", json!("T".repeat(41))), Some("超长(最大40) tid")),
        (with(ok.clone(), "buyer_nick", json!("n".repeat(101))), Some("超长(最大100) buyer_nick")),
        (with(ok.clone(), "shop_nos", json!("S".repeat(256))), Some("超长(最大255) shop_nos")),
        (with(ok.clone(), "status", json!(50)), Some("取值不合法(10/20/30/40/80/81/85/86/87/90) status: 50")),
        (with(ok.clone(), "stockin_status", json!(5)), Some("取值不合法(0/1/2/3/4) stockin_status: 5")),
        (with(ok.clone(), "type", json!(5)), Some("取值不合法(1/2/3/4/6) type: 5")),
        (with(ok.clone(), "order_type", json!(2)), Some("取值不合法(0/1) order_type: 2")),
        (with(ok.clone(), "rr_status", json!(9)), Some("取值不合法(1/2/3/4/5) rr_status: 9")),
    ];
    for (params, want) in cases {
        let answer = search(&app, params.clone(), page(10, 0)).await;
        match want {
            None => assert_eq!(answer, json!({"status": 0, "data": {"total_count": 0, "order": []}}), "{params}"),
            Some(want) => {
                assert_eq!(answer["status"], 100, "{params}: {answer}");
                let message = answer["message"].as_str().unwrap();
                assert!(message.contains(want), "{params}: {message}");
            }
        }
    }
}

#[tokio::test]
async fn search_has_the_shape_of_the_page_example() {
    let app = spawn_app().await;
    let mut params = modified_window(&app);
    params["refund_no"] = json!("TK-DEMO-1");
    let answer = search(&app, params, page(10, 0)).await;
    let example: Value = serde_json::from_str(SEARCH_EXAMPLE).unwrap();
    // Fields of the page's table that its example leaves out.
    let table_only = [
        "process_status",
        "fenxiao_tid",
        "fenxiao_nick_no",
        "wms_code",
        "rr_status",
        "current_phase_timeout",
        "gift_type",
    ];
    assert_same_shape(&example, &answer, Extra::Only(&table_only));
    let row = &answer["data"]["order"][0];
    let items = row["detail_list"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (row["type"].clone(), row["status"].clone(), row["stockin_status"].clone()),
        (json!(2), json!(30), json!(1))
    );
    assert_eq!(row["platform_id"], "127");
    assert_eq!(row["shop_no"], "SHOP-OWN");
    assert_eq!(row["src_tids"], "T-DEMO-1");
    assert_eq!(row["trade_no_list"], "JY-DEMO-1");
    assert_eq!(row["reason_name"], "质量问题");
    // 3 × 29.98 + 1 × 25, exactly.
    assert_eq!(row["return_goods_count"], json!(4));
    assert_eq!(row["return_goods_amount"].to_string(), "114.94");
    assert_eq!(items[0]["spec_no"], "MUG-RED");
    assert_eq!(items[0]["oid"], "T-DEMO-1-1");
    assert_eq!(items[0]["price"].to_string(), "29.98");
    assert_eq!(items[0]["refund_num"], json!(3));
    assert_eq!(items[0]["total_amount"].to_string(), "89.94");
    assert_eq!(items[0]["stockin_num"], json!(0));
    assert_eq!(items[0]["refund_id"], row["refund_id"]);
    assert!(row["modified"].as_i64().unwrap() > 1_700_000_000_000);
    assert!(row.get("fenxiao_nick_name").is_none(), "left out without a value");
}

#[tokio::test]
async fn hidden_platforms_are_absent_names_masked_and_the_key_scoped_to_its_shops() {
    let app = spawn_app().await;
    let all = search(&app, modified_window(&app), page(100, 0)).await;
    // TK-DEMO-5 is a Taobao (platform 1) shop's: never returned.
    assert_eq!(refund_nos(&all), ["TK-DEMO-1", "TK-DEMO-2", "TK-DEMO-3", "TK-DEMO-4", "TK-DEMO-6"]);
    assert_eq!(all["data"]["total_count"], 5);
    let rows = all["data"]["order"].as_array().unwrap();
    let by_no = |no: &str| rows.iter().find(|r| r["refund_no"] == no).unwrap();
    for (no, name, nick) in [("TK-DEMO-1", "王小明", "wang88"), ("TK-DEMO-2", "李四", "li4"), ("TK-DEMO-3", "", "")]
    {
        let row = by_no(no);
        assert_eq!(row["customer_name"], name, "{no}");
        assert_eq!(row["receiver_name"], name, "{no}");
        assert_eq!(row["buyer_nick"], nick, "{no}");
    }
    assert_eq!(by_no("TK-DEMO-3")["shop_platform_id"], 3, "the JD shop's row is there, masked");
    // Asking for the hidden shop by name still finds nothing.
    let mut tb = modified_window(&app);
    tb["shop_nos"] = json!("SHOP-TB");
    assert_eq!(refund_nos(&search(&app, tb, page(10, 0)).await), Vec::<String>::new());
    // demo-qjb-wh2 may see SHOP-OWN only.
    let limited = search_as(&app, "demo-qjb-wh2", "wh2-secret:wh2-salt", modified_window(&app), page(100, 0)).await;
    assert_eq!(refund_nos(&limited), ["TK-DEMO-1", "TK-DEMO-4", "TK-DEMO-6"]);
    assert_eq!(limited["data"]["total_count"], 3);
    let mut outside = modified_window(&app);
    outside["shop_nos"] = json!("SHOP-POS");
    let none = search_as(&app, "demo-qjb-wh2", "wh2-secret:wh2-salt", outside, page(100, 0)).await;
    assert_eq!((refund_nos(&none), none["data"]["total_count"].clone()), (Vec::<String>::new(), json!(0)));
}

#[tokio::test]
async fn search_filters_narrow_the_result() {
    let app = spawn_app().await;
    // TK-DEMO-1 fully received into WH2: stockin_status 3, return warehouse WH2.
    push(&app, "TK-DEMO-1", "WH2", 2, json!([{"spec_no": "MUG-RED", "num": 3}, {"spec_no": "MUG-BLUE", "num": 1}]))
        .await;
    let base = modified_window(&app);
    let with = |pairs: &[(&str, Value)]| {
        let mut p = base.clone();
        for (k, v) in pairs {
            p[*k] = v.clone();
        }
        p
    };
    let cases: Vec<(&str, Value, &[&str])> = vec![
        ("refund no", with(&[("refund_no", json!("TK-DEMO-3"))]), &["TK-DEMO-3"]),
        ("tid", with(&[("tid", json!("T-DEMO-4"))]), &["TK-DEMO-4"]),
        ("trade no", with(&[("trade_no", json!("JY-DEMO-1"))]), &["TK-DEMO-1"]),
        ("buyer nick", with(&[("buyer_nick", json!("li4"))]), &["TK-DEMO-2"]),
        ("a masked buyer's nick finds nothing", with(&[("buyer_nick", json!("zhao6"))]), &[]),
        ("shops", with(&[("shop_nos", json!("SHOP-POS,SHOP-JD"))]), &["TK-DEMO-2", "TK-DEMO-3"]),
        ("status pending", with(&[("status", json!(20))]), &["TK-DEMO-4"]),
        ("status cancelled", with(&[("status", json!(10))]), &["TK-DEMO-6"]),
        ("received in full", with(&[("stockin_status", json!(3))]), &["TK-DEMO-1"]),
        ("return warehouse", with(&[("return_warehouse_nos", json!("WH1,WH2"))]), &["TK-DEMO-1"]),
        ("type 2", with(&[("type", json!(2))]), &["TK-DEMO-2", "TK-DEMO-3", "TK-DEMO-4", "TK-DEMO-6", "TK-DEMO-1"]),
        ("type 4", with(&[("type", json!(4))]), &[]),
        ("exact, not a prefix", with(&[("refund_no", json!("TK-DEMO"))]), &[]),
        (
            "fuzzy prefix",
            with(&[("refund_no", json!("TK-DEMO-")), ("fuzzy_query", json!(true))]),
            &["TK-DEMO-2", "TK-DEMO-3", "TK-DEMO-4", "TK-DEMO-6", "TK-DEMO-1"],
        ),
        (
            "not intercepted",
            with(&[("refund_no", json!("TK-DEMO-1")), ("return_mask_manual_intercept", json!(0))]),
            &["TK-DEMO-1"],
        ),
        ("intercepted", with(&[("return_mask_manual_intercept", json!(1))]), &[]),
        ("no logistics no is kept", with(&[("return_logistics_no", json!("238943957239"))]), &[]),
    ];
    for (name, params, want) in cases {
        let answer = search(&app, params, page(100, 0)).await;
        assert_eq!(answer["status"], 0, "{name}: {answer}");
        assert_eq!(refund_nos(&answer), want, "{name}");
        assert_eq!(answer["data"]["total_count"], want.len(), "{name}");
    }
    let received = search(&app, with(&[("refund_no", json!("TK-DEMO-1"))]), page(1, 0)).await;
    let row = &received["data"]["order"][0];
    assert_eq!((row["return_warehouse_no"].clone(), row["stockin_status"].clone()), (json!("WH2"), json!(3)));
    assert!(row["return_warehouse_id"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn search_pages_in_a_stable_order_either_way() {
    let app = spawn_app().await;
    // Receiving against TK-DEMO-1 makes it the most recently modified.
    push(&app, "TK-DEMO-1", "WH1", 2, json!([{"spec_no": "MUG-BLUE", "num": 1}])).await;
    let params = modified_window(&app);
    let all = refund_nos(&search(&app, params.clone(), page(1000, 0)).await);
    assert_eq!(all, ["TK-DEMO-2", "TK-DEMO-3", "TK-DEMO-4", "TK-DEMO-6", "TK-DEMO-1"], "(modified, id)");
    for size in [1u32, 2, 1000] {
        let mut seen = Vec::new();
        for no in 0.. {
            let answer = search(&app, params.clone(), page(size, no)).await;
            assert_eq!(answer["data"]["total_count"], 5, "size {size}");
            let got = refund_nos(&answer);
            if got.is_empty() {
                break;
            }
            assert!(got.len() <= size as usize);
            seen.extend(got);
        }
        assert_eq!(seen, all, "page size {size}");
    }
    let mut newest_first = params.clone();
    newest_first["order_type"] = json!(1);
    let desc = refund_nos(&search(&app, newest_first, page(1000, 0)).await);
    assert_eq!(desc, ["TK-DEMO-1", "TK-DEMO-2", "TK-DEMO-3", "TK-DEMO-4", "TK-DEMO-6"], "newest first, then by id");
    let uncounted = search(&app, params, Pager { page_size: 10, page_no: 0, calc_total: false }).await;
    assert!(uncounted["data"].get("total_count").is_none(), "{uncounted}");
    assert_eq!(refund_nos(&uncounted).len(), 5);
}

/// The received quantity (`stockin_num`) of every item of every refund order equals what its
/// checked stock-ins' lines received against it, as the live stock-in query shows them, plus
/// what the fixture says was received before the data was loaded.
#[tokio::test]
async fn received_quantities_agree_with_the_checked_stock_ins() {
    let app = spawn_app().await;
    push(&app, "TK-DEMO-1", "WH1", 2, json!([{"spec_no": "MUG-RED", "num": "1.5"}, {"spec_no": "MUG-BLUE", "num": 1}]))
        .await;
    push(&app, "TK-DEMO-1", "WH2", 2, json!([{"spec_no": "MUG-RED", "num": 1}])).await;
    // Not checked: received nothing yet.
    push(&app, "TK-DEMO-1", "WH2", 1, json!([{"spec_no": "MUG-RED", "num": "0.5"}])).await;
    push(&app, "TK-DEMO-2", "WH1", 0, json!([{"spec_no": "PHONE-128", "num": 1, "sn_strings": "SN-C1"}])).await;
    push(&app, "TK-DEMO-3", "WH1", 2, json!([{"spec_no": "MILK-1L", "num": 3, "batch_no": "B2601"}])).await;

    let (start, end) = around(&app);
    let body = json!([{"start_time": start, "end_time": end}]);
    let stockins = call(&app, QJB_KEY, QJB_SECRET, LIVE, &body, Some(&page(100, 0))).await;
    assert_eq!(stockins["data"]["total_count"], 5, "{stockins}");
    let mut received: HashMap<i64, Dec4> = HashMap::new();
    for order in stockins["data"]["order"].as_array().unwrap() {
        if order["status"] != 80 {
            continue;
        }
        for line in order["details_list"].as_array().unwrap() {
            for link in line["refund_order_detail_list"].as_array().unwrap() {
                let num: Dec4 = serde_json::from_value(link["stockin_num"].clone()).unwrap();
                let item = link["refund_order_id"].as_i64().unwrap();
                let sum = received.entry(item).or_insert(Dec4::ZERO);
                *sum = sum.checked_add(num).unwrap();
            }
        }
    }
    // TK-DEMO-3's item came with 2 received in the fixture (no stock-in of ours).
    let opening: HashMap<&str, Dec4> = [("T-DEMO-3-1", Dec4::from_scaled(20_000))].into();
    let refunds = search(&app, modified_window(&app), page(100, 0)).await;
    let mut checked_items = 0;
    for order in refunds["data"]["order"].as_array().unwrap() {
        for item in order["detail_list"].as_array().unwrap() {
            let got: Dec4 = serde_json::from_value(item["stockin_num"].clone()).unwrap();
            let from_stockins = received.get(&item["rec_id"].as_i64().unwrap()).copied().unwrap_or(Dec4::ZERO);
            let before = opening.get(item["oid"].as_str().unwrap()).copied().unwrap_or(Dec4::ZERO);
            assert_eq!(got, from_stockins.checked_add(before).unwrap(), "{}: {item}", order["refund_no"]);
            checked_items += 1;
        }
    }
    assert_eq!(checked_items, 6);
    let nos = refund_nos(&refunds);
    let row = |no: &str| &refunds["data"]["order"][nos.iter().position(|n| n == no).unwrap()];
    assert_eq!(row("TK-DEMO-1")["detail_list"][0]["stockin_num"].to_string(), "2.5");
    assert_eq!(row("TK-DEMO-1")["stockin_status"], 2, "partly received");
    assert_eq!(row("TK-DEMO-2")["detail_list"][0]["stockin_num"], json!(0), "its stock-in is not checked");
    assert_eq!(row("TK-DEMO-3")["detail_list"][0]["stockin_num"], json!(5));
}

// ---------------------------------------------------------------------------------------------
// wms.stockin.Refund.queryHisWithDetail

async fn stockins(app: &TestApp, method: &str, start_ms: i64, end_ms: i64, extra: Value) -> Value {
    let mut params = json!({"start_time": format_wire_time(start_ms), "end_time": format_wire_time(end_ms)});
    if let Value::Object(m) = extra {
        params.as_object_mut().unwrap().extend(m);
    }
    call(app, QJB_KEY, QJB_SECRET, method, &json!([params]), Some(&page(100, 0))).await
}

fn order_nos(answer: &Value) -> Vec<String> {
    let rows = answer["data"]["order"].as_array().unwrap_or_else(|| panic!("no rows: {answer}"));
    rows.iter().map(|o| o["order_no"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn history_parameters_and_refusals_are_the_live_querys() {
    let app = spawn_app().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"end_time": "2026-01-02 00:00:00"}), "参数中必须包含起止时间"),
        (json!({"start_time": " ", "end_time": "2026-01-02 00:00:00"}), "参数中必须包含起止时间"),
        (json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-02-01 00:00:00"}), "查询时间不能大于30天"),
        (json!({"start_time": "2026-01-02 00:00:00", "end_time": "2026-01-01 00:00:00"}), "结束时间不能早于开始时间"),
        (json!({"start_time": "2026-01-01", "end_time": "2026/01/02"}), "end_time: Unparseable date: 2026/01/02"),
        (json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02 00:00:00", "status": "80,x"}), "整数数组"),
        (json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02 00:00:00", "time_type": 3}), "time_type"),
        (
            json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02 00:00:00", "stockin_no": "R".repeat(21)}),
            "超长(最大20) stockin_no",
        ),
        (
            json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02 00:00:00", "warehouse_no": "WH-NONE"}),
            "仓库不存在",
        ),
    ];
    for (params, want) in cases {
        let answer = call(&app, QJB_KEY, QJB_SECRET, HISTORY, &json!([params]), Some(&page(5, 0))).await;
        assert_eq!(answer["status"], 100, "{params}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains(want), "{params}: {answer}");
    }
    let body = json!([{"start_time": "2019-09-01 00:00:00", "end_time": "2019-10-01 23:59:59"}]);
    let ok = call(&app, QJB_KEY, QJB_SECRET, HISTORY, &body, Some(&page(1, 0))).await;
    assert_eq!(ok, json!({"status": 0, "data": {"order": [], "total_count": 0}}));
    let unpaged = call(&app, QJB_KEY, QJB_SECRET, HISTORY, &body, None).await;
    assert_ne!(unpaged["status"], 0, "the pager is required: {unpaged}");
}

/// A stock-in modified more than 90 days before the store clock's now is the history query's
/// and not the live query's; one modified since is the live query's only.
#[tokio::test]
async fn the_history_holds_what_the_live_query_no_longer_serves() {
    let app = spawn_app().await;
    let clock = app.store.clock();
    let then = clock.now_ms();
    let old = push(&app, "TK-DEMO-1", "WH1", 2, json!([{"spec_no": "MUG-RED", "num": 1}])).await;
    let hidden = push(&app, "TK-DEMO-5", "WH1", 2, json!([{"spec_no": "MUG-BLUE", "num": 1}])).await;
    let (hour, old_window) = (3_600_000, |w: i64| (w - 3_600_000, w + 3_600_000));
    let (a, b) = old_window(then);

    // Just before the split the stock-in is still live.
    clock.shift(90 * DAY_MS - 2 * hour);
    assert_eq!(order_nos(&stockins(&app, LIVE, a, b, json!({})).await), [old.as_str()]);
    assert_eq!(order_nos(&stockins(&app, HISTORY, a, b, json!({})).await), Vec::<String>::new());

    // Past it, it is history.
    clock.shift(90 * DAY_MS + 2 * hour);
    let now = clock.now_ms();
    let recent = push(&app, "TK-DEMO-1", "WH2", 2, json!([{"spec_no": "MUG-RED", "num": 1}])).await;
    let live_old = stockins(&app, LIVE, a, b, json!({})).await;
    assert_eq!((order_nos(&live_old), live_old["data"]["total_count"].clone()), (vec![], json!(0)));
    let history = stockins(&app, HISTORY, a, b, json!({})).await;
    assert_eq!(order_nos(&history), [old.as_str()], "淘系 {hidden} is never returned");
    assert_eq!(history["data"]["total_count"], 1);
    let by_check_time = stockins(&app, HISTORY, a, b, json!({"time_type": 1, "warehouse_no": "WH1"})).await;
    assert_eq!(order_nos(&by_check_time), [old.as_str()]);

    // The recent one is the live query's only.
    let (c, d) = (now - hour, now + hour);
    assert_eq!(order_nos(&stockins(&app, LIVE, c, d, json!({})).await), [recent.as_str()]);
    assert_eq!(order_nos(&stockins(&app, HISTORY, c, d, json!({})).await), Vec::<String>::new());
    // A window over both still splits them.
    assert_eq!(order_nos(&stockins(&app, HISTORY, now - 29 * DAY_MS, d, json!({})).await), Vec::<String>::new());

    // The history row is the live row of the same stock-in, written with the history page's
    // fields and types: exactly the shape of its example.
    clock.shift(0);
    let live = stockins(&app, LIVE, a, b, json!({"need_sn": true})).await;
    let history_row = &history["data"]["order"][0];
    let read_back = |v: &Value| -> StockinOrderRow { serde_json::from_value(v.clone()).unwrap() };
    let mut from_live = read_back(&live["data"]["order"][0]);
    let from_history = read_back(history_row);
    (from_live.attach_type, from_live.wms_code, from_live.prop3) = (None, String::new(), String::new());
    for d in &mut from_live.details_list {
        (d.prop1, d.prop3, d.prop4, d.prop5, d.prop6) = Default::default();
        (d.custom_price1, d.custom_price2, d.gift_type) = Default::default();
        for l in &mut d.refund_order_detail_list {
            (l.stockin_num, l.refund_order_stockin_num, l.oid, l.trade_type) = Default::default();
        }
    }
    assert_eq!(from_history, from_live);
    let example: Value = serde_json::from_str(HISTORY_EXAMPLE).unwrap();
    assert_same_shape(&example, &history, Extra::Only(&[]));
    assert_eq!(history_row["actual_refund_amount"], "114.9400");
    assert_eq!(history_row["details_list"][0]["refund_amount"], "29.9800");
    assert_eq!(history_row["details_list"][0]["sn_list"], "");
    assert_eq!(history_row["shop_no"], "SHOP-OWN");
    assert_eq!(history_row["customer_name"], "王小明");
    assert_eq!(history_row["details_list"][0]["stockin_num"], "1.0000");
    let too_wide = stockins(&app, HISTORY, a, b + 90 * DAY_MS, json!({})).await;
    assert_eq!(too_wide["status"], 100, "the window is still at most 30 days: {too_wide}");
}

/// The history query's key scope is the live query's: warehouses and shops.
#[tokio::test]
async fn the_history_is_scoped_to_the_keys_warehouses_and_shops() {
    let app = spawn_app().await;
    let clock = app.store.clock();
    let then = clock.now_ms();
    let own_wh2 = push(&app, "TK-DEMO-1", "WH2", 2, json!([{"spec_no": "MUG-RED", "num": 1}])).await;
    push(&app, "TK-DEMO-1", "WH1", 2, json!([{"spec_no": "MUG-RED", "num": 1}])).await;
    push(&app, "TK-DEMO-2", "WH2", 0, json!([{"spec_no": "PHONE-128", "num": 1, "sn_strings": "SN-H1"}])).await;
    clock.shift(100 * DAY_MS);
    let params =
        json!([{"start_time": format_wire_time(then - 3_600_000), "end_time": format_wire_time(then + 3_600_000)}]);
    let all = call(&app, QJB_KEY, QJB_SECRET, HISTORY, &params, Some(&page(10, 0))).await;
    assert_eq!(all["data"]["total_count"], 3, "{all}");
    let limited = call(&app, "demo-qjb-wh2", "wh2-secret:wh2-salt", HISTORY, &params, Some(&page(10, 0))).await;
    assert_eq!(order_nos(&limited), [own_wh2]);
    let mut outside = params.clone();
    outside[0]["warehouse_no"] = json!("WH1");
    let refused = call(&app, "demo-qjb-wh2", "wh2-secret:wh2-salt", HISTORY, &outside, Some(&page(10, 0))).await;
    assert_eq!(refused["message"], "仓库不存在  仓库编号: WH1");
    clock.shift(0);
}
