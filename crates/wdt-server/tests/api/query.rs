//! `wms.stockin.Refund.queryWithDetail`: filters, window rules, paging, privacy, scope, and the
//! wire shape of the seed 004 example.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};

use crate::helpers::*;

const QUERY: &str = "wms.stockin.Refund.queryWithDetail";
const CREATE: &str = "wms.stockin.Refund.createOrder";

fn window() -> (String, String) {
    let now = now_ms();
    (format_wire_time(now - 3_600_000), format_wire_time(now + 3_600_000))
}

async fn query(app: &TestApp, key: &str, secret: &str, params: Value, pager: Pager) -> Value {
    qjb_params_call(app, (key, secret), QUERY, params, Some(&pager)).await
}

fn page(size: u32, no: u32) -> Pager {
    Pager { page_size: size, page_no: no, calc_total: true }
}

async fn push(app: &TestApp, refund: &str, warehouse: &str, spec: &str, mode: i64, extra: Value) -> String {
    let mut line = json!({"spec_no": spec, "num": 1});
    if let Value::Object(m) = extra {
        line.as_object_mut().unwrap().extend(m);
    }
    let body = json!([{"refund_no": refund, "warehouse_no": warehouse, "create_mode": mode, "detail_list": [line]}]);
    let (_, answer) = app.post_qjb(&QjbCall::new(CREATE, &body.to_string())).await;
    assert_eq!(answer["status"], 0, "{answer}");
    answer["data"].as_str().unwrap().to_owned()
}

/// Pushes one order for each refund in every platform: 127, 0, 3 (JD), 1 (Taobao).
async fn seeded() -> (TestApp, Vec<String>) {
    let app = spawn_app().await;
    let mut nos = Vec::new();
    nos.push(push(&app, "TK-DEMO-1", "WH1", "MUG-RED", 2, json!({})).await);
    nos.push(push(&app, "TK-DEMO-2", "WH1", "PHONE-128", 0, json!({"sn_strings": "SN-X1"})).await);
    nos.push(push(&app, "TK-DEMO-3", "WH1", "MILK-1L", 2, json!({"batch_no": "B2601"})).await);
    nos.push(push(&app, "TK-DEMO-5", "WH2", "MUG-BLUE", 2, json!({})).await);
    nos.push(push(&app, "TK-DEMO-1", "WH2", "MUG-RED", 1, json!({})).await);
    (app, nos)
}

fn order_nos(answer: &Value) -> Vec<String> {
    answer["data"]["order"].as_array().unwrap().iter().map(|o| o["order_no"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn filters_each_narrow_the_result_in_sql() {
    let (app, nos) = seeded().await;
    let (start, end) = window();
    let base = json!({"start_time": start, "end_time": end});
    let with = |k: &str, v: Value| {
        let mut p = base.clone();
        p[k] = v;
        p
    };
    // Taobao (platform 1) is never returned: 4 of 5.
    let all = query(&app, QJB_KEY, QJB_SECRET, base.clone(), page(100, 0)).await;
    assert_eq!(all["status"], 0, "{all}");
    assert_eq!(all["data"]["total_count"], 4);
    assert_eq!(order_nos(&all), vec![nos[0].clone(), nos[1].clone(), nos[2].clone(), nos[4].clone()]);

    let cases: Vec<(&str, Value, Vec<&String>)> = vec![
        ("warehouse", with("warehouse_no", json!("WH2")), vec![&nos[4]]),
        ("stock-in no", with("stockin_no", json!(nos[2])), vec![&nos[2]]),
        ("refund no", with("refund_no", json!("TK-DEMO-1")), vec![&nos[0], &nos[4]]),
        ("shop list", with("shop_nos", json!("SHOP-POS,SHOP-JD")), vec![&nos[1], &nos[2]]),
        ("status list", with("status", json!("20,30")), vec![&nos[1], &nos[4]]),
        ("status completed", with("status", json!("80")), vec![&nos[0], &nos[2]]),
        ("check time", with("time_type", json!(1)), vec![&nos[0], &nos[2]]),
        ("hidden platform by shop", with("shop_nos", json!("SHOP-TB")), vec![]),
    ];
    for (name, params, want) in cases {
        let answer = query(&app, QJB_KEY, QJB_SECRET, params, page(100, 0)).await;
        assert_eq!(answer["status"], 0, "{name}: {answer}");
        let got = order_nos(&answer);
        let want: Vec<String> = want.into_iter().cloned().collect();
        assert_eq!(got, want, "{name}");
        assert_eq!(answer["data"]["total_count"], want.len(), "{name}");
    }

    // need_sn fills sn_list.
    let sn = query(&app, QJB_KEY, QJB_SECRET, with("need_sn", json!(true)), page(100, 0)).await;
    let phone = &sn["data"]["order"][1]["details_list"][0];
    assert_eq!(phone["sn_list"], "SN-X1");
    let without = query(&app, QJB_KEY, QJB_SECRET, base.clone(), page(100, 0)).await;
    assert!(without["data"]["order"][1]["details_list"][0].get("sn_list").is_none());
}

#[tokio::test]
async fn window_and_parameter_rules_use_the_vendor_messages() {
    let app = spawn_app().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"end_time": "2026-01-02 00:00:00"}), "参数中必须包含起止时间"),
        (json!({"start_time": "", "end_time": "2026-01-02 00:00:00"}), "参数中必须包含起止时间"),
        (json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-02-01 00:00:00"}), "查询时间不能大于30天"),
        (json!({"start_time": "2026-01-02 00:00:00", "end_time": "2026-01-01 00:00:00"}), "结束时间不能早于开始时间"),
        (json!({"start_time": "2026-01-01", "end_time": "2026/01/02"}), "end_time: Unparseable date: 2026/01/02"),
        (
            json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02 00:00:00", "status": "80,x"}),
            "状态应该是由逗号分隔开的整数数组",
        ),
        (json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02 00:00:00", "time_type": 3}), "time_type"),
    ];
    for (params, want) in cases {
        let answer = query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(5, 0)).await;
        assert_eq!(answer["status"], 100, "{params}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains(want), "{params}: {answer}");
    }
    // The seed's own example window (30 calendar days) is accepted.
    let ok = query(
        &app,
        QJB_KEY,
        QJB_SECRET,
        json!({"start_time": "2019-09-01 00:00:00", "end_time": "2019-10-01 23:59:59"}),
        page(1, 0),
    )
    .await;
    assert_eq!(ok, json!({"status": 0, "data": {"order": [], "total_count": 0}}));
}

#[tokio::test]
async fn paging_walks_every_row_once_with_sizes_1_2_and_max() {
    let (app, _) = seeded().await;
    let (start, end) = window();
    let params = json!({"start_time": start, "end_time": end});
    let all = order_nos(&query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(1000, 0)).await);
    assert_eq!(all.len(), 4);
    for size in [1u32, 2, 1000] {
        let mut seen = Vec::new();
        for no in 0.. {
            let answer = query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(size, no)).await;
            assert_eq!(answer["data"]["total_count"], 4);
            let got = order_nos(&answer);
            if got.is_empty() {
                break;
            }
            assert!(got.len() <= size as usize);
            seen.extend(got);
        }
        assert_eq!(seen, all, "page size {size}");
    }
    // A new order arriving mid-walk lands after the rows already there.
    let first = order_nos(&query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(2, 0)).await);
    let newer = push(&app, "TK-DEMO-2", "WH2", "PHONE-128", 1, json!({})).await;
    let second = order_nos(&query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(2, 1)).await);
    let third = order_nos(&query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(2, 2)).await);
    let walked: Vec<String> = first.into_iter().chain(second).chain(third).collect();
    let mut expected = all.clone();
    expected.push(newer);
    assert_eq!(walked, expected);
    // Without calc_total there is no total_count.
    let answer = query(&app, QJB_KEY, QJB_SECRET, params, Pager { page_size: 10, page_no: 0, calc_total: false }).await;
    assert!(answer["data"].get("total_count").is_none(), "{answer}");
}

#[tokio::test]
async fn privacy_fields_only_for_self_owned_and_offline_shops() {
    let (app, _) = seeded().await;
    let (start, end) = window();
    let answer = query(&app, QJB_KEY, QJB_SECRET, json!({"start_time": start, "end_time": end}), page(100, 0)).await;
    let rows = answer["data"]["order"].as_array().unwrap();
    let by_platform =
        |p: i64| rows.iter().find(|o| o["shop_platform_id"] == p).unwrap_or_else(|| panic!("platform {p}"));
    assert_eq!(by_platform(127)["customer_name"], "王小明");
    assert_eq!(by_platform(127)["nick_name"], "wang88");
    assert_eq!(by_platform(0)["customer_name"], "李四");
    assert_eq!(by_platform(3)["customer_name"], "");
    assert_eq!(by_platform(3)["nick_name"], "");
    assert_eq!(by_platform(3)["customer_no"], "C3", "only the two privacy fields are blanked");
    assert!(rows.iter().all(|o| o["shop_platform_id"] != 1), "淘系 never returned");
}

#[tokio::test]
async fn a_limited_key_sees_only_its_warehouses_and_shops() {
    let (app, nos) = seeded().await;
    let (start, end) = window();
    let params = json!({"start_time": start, "end_time": end});
    // demo-qjb-wh2: warehouse WH2, shop SHOP-OWN.
    let answer = query(&app, "demo-qjb-wh2", "wh2-secret:wh2-salt", params.clone(), page(100, 0)).await;
    assert_eq!(order_nos(&answer), vec![nos[4].clone()]);
    assert_eq!(answer["data"]["total_count"], 1);
    let mut outside = params;
    outside["warehouse_no"] = json!("WH1");
    let refused = query(&app, "demo-qjb-wh2", "wh2-secret:wh2-salt", outside, page(100, 0)).await;
    assert_eq!(refused["status"], 100);
    assert_eq!(refused["message"], "仓库不存在  仓库编号: WH1", "as an unknown warehouse");
}

#[tokio::test]
async fn the_answer_has_the_shape_of_the_seed_004_example() {
    let (app, nos) = seeded().await;
    let (start, end) = window();
    let answer = query(
        &app,
        QJB_KEY,
        QJB_SECRET,
        json!({"start_time": start, "end_time": end, "stockin_no": nos[0]}),
        page(10, 0),
    )
    .await;
    let seed: Value = serde_json::from_str(include_str!("../../../wdt-protocol/tests/seeds/004_response.json"))
        .expect("seed example");
    assert_same_shape(&seed, &answer, Extra::Only(&["logistics_type", "wms_code"]));
    let row = &answer["data"]["order"][0];
    assert_eq!(row["total_goods_stockin_num"], "1.0000");
    assert_eq!(row["details_list"][0]["stockin_num"], "1.0000");
    assert_eq!(row["details_list"][0]["refund_order_detail_list"][0]["price"], json!(29.98));
    assert_eq!(row["src_order_type"], 12);
    assert!(row["created_time"].as_i64().unwrap() > 1_700_000_000_000);
}

/// A page holds at most `MAX_PAGE_LINES` (5,000) detail lines: 6 stock-ins of 1,000 lines are
/// refused as one page of 6, naming the limit, the pager and the count, and read whole as pages
/// of 5 (5,000 lines, the limit itself) and 1.
#[tokio::test]
async fn a_page_is_bounded_by_its_detail_lines() {
    const LINES: usize = 1000;
    const ORDERS: usize = 6;
    let app = spawn_app().await;
    let specs: Vec<Value> = (0..LINES).map(|k| json!({"spec_no": format!("L-{k}"), "spec_name": "line"})).collect();
    let items = |num: &str| -> Vec<Value> {
        (0..LINES)
            .map(|k| json!({"oid": format!("T-LINES-{k}"), "spec_no": format!("L-{k}"), num: ORDERS.to_string(), "price": "1"}))
            .collect()
    };
    let fixture = json!({
        "sid": "demo",
        "goods": [{"goods_no": "G-LINES", "goods_name": "lines", "specs": specs}],
        "trades": [{"tid": "T-LINES", "shop_no": "SHOP-OWN", "shipped": true, "items": items("num")}],
        "refund_orders": [{"refund_no": "TK-LINES", "tid": "T-LINES", "status": "checked", "items": items("refund_num")}],
    });
    let fixture = wdt_domain::fixture::Fixture::parse(&fixture.to_string()).unwrap();
    app.store.import_fixture(&fixture).await.unwrap();
    let lines: Vec<Value> = (0..LINES).map(|k| json!({"spec_no": format!("L-{k}"), "num": 1})).collect();
    let mut nos = Vec::new();
    for i in 0..ORDERS {
        let body = json!([{"refund_no": "TK-LINES", "out_stockin_no": format!("LINES-{i}"), "warehouse_no": "WH1",
                           "create_mode": 2, "detail_list": lines}]);
        let (_, answer) = app.post_qjb(&QjbCall::new(CREATE, &body.to_string())).await;
        assert_eq!(answer["status"], 0, "{answer}");
        nos.push(answer["data"].as_str().unwrap().to_owned());
    }
    let (start, end) = window();
    let params = json!({"start_time": start, "end_time": end, "refund_no": "TK-LINES"});

    let refused = query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(6, 0)).await;
    assert_eq!(refused["status"], 100, "{}", refused["data"]["total_count"]);
    assert_eq!(refused["message"], "分页明细行数超过上限(5000),请减小page_size page_size: 6 page_no: 0 明细行数: 6000");

    let first = query(&app, QJB_KEY, QJB_SECRET, params.clone(), page(5, 0)).await;
    assert_eq!(first["status"], 0, "{}", first["message"]);
    assert_eq!(first["data"]["total_count"], ORDERS);
    let held: usize =
        first["data"]["order"].as_array().unwrap().iter().map(|o| o["details_list"].as_array().unwrap().len()).sum();
    assert_eq!(held, 5 * LINES, "the limit itself is a legal page");
    let second = query(&app, QJB_KEY, QJB_SECRET, params, page(5, 1)).await;
    let walked: Vec<String> = order_nos(&first).into_iter().chain(order_nos(&second)).collect();
    assert_eq!(walked, nos, "pages of 5 walk every stock-in once");
}
