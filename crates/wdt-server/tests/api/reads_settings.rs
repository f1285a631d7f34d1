//! The master-data queries: `setting.Warehouse.queryWarehouse`, `setting.Shop.queryShop`,
//! `setting.Logistics.queryLogistics`, `setting.PurchaseProvider.queryDetail`: the pages'
//! example shapes, parameters and refusals, scope, windows and paging, over HTTP and the SDK.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};

use crate::helpers::*;

const WAREHOUSES: &str = "setting.Warehouse.queryWarehouse";
const SHOPS: &str = "setting.Shop.queryShop";
const LOGISTICS: &str = "setting.Logistics.queryLogistics";
const PROVIDERS: &str = "setting.PurchaseProvider.queryDetail";

const WH2_KEY: (&str, &str) = ("demo-qjb-wh2", "wh2-secret:wh2-salt");
const ALL_KEY: (&str, &str) = ("demo-qjb", "demo-secret:demo-salt");

fn page(size: u32, no: u32) -> Pager {
    Pager { page_size: size, page_no: no, calc_total: true }
}

async fn read(app: &TestApp, key: (&str, &str), method: &str, params: Value, pager: Pager) -> Value {
    qjb_params_call(app, key, method, params, Some(&pager)).await
}

fn details(answer: &Value) -> &Vec<Value> {
    answer["data"]["details"].as_array().unwrap_or_else(|| panic!("a page of details: {answer}"))
}

fn column(answer: &Value, name: &str) -> Vec<String> {
    details(answer).iter().map(|d| d[name].as_str().unwrap_or_default().to_owned()).collect()
}

/// The response examples of the four pages, as the vendor prints them.
/// (method, params, example, the response table's fields the example leaves out).
fn examples() -> [(&'static str, Value, Value, &'static [&'static str]); 4] {
    [
        (
            WAREHOUSES,
            json!({}),
            json!({"status": 0, "data": {"total_count": 1, "details": [{
                "zip": "", "address": "", "city": "无", "created": "2021-11-26 17:02:21", "is_disabled": false,
                "mobile": "", "remark": "", "type": 1, "telno": "", "prop2": "", "prop1": "", "province": "",
                "warehouse_no": "wdtapi3-test", "sub_type": 0, "district": "无", "contact": "", "name": "wdtapi3-test",
                "modified": 1675088001000_i64, "warehouse_id": 624}]}}),
            &["purchase_contact", "purchase_telno", "purchase_address"],
        ),
        (
            SHOPS,
            json!({}),
            json!({"status": 0, "data": {"total_count": 1, "details": [{
                "city": "北京市", "re_expire_time": "", "sub_platform_id": 0, "remark": "", "telno": "",
                "province": "北京", "contact": "", "auth_time": "2022-08-19 08:16:07", "modified": "2023-03-28 16:48:12",
                "email": "", "shop_no": "JD_test_wdt", "zip": "", "website": "", "address": "西直门外大街1号",
                "created": "2023-03-08 10:35:57", "is_disabled": false, "mobile": "", "auth_state": 1,
                "expire_time": "2029-11-19 05:59:59", "shop_name": "京东二次上架测试店铺", "shop_id": 1122,
                "account_id": "", "group_id": "无", "district": "西城区", "platform_id": 3}]}}),
            &[],
        ),
        (
            LOGISTICS,
            json!({}),
            json!({"status": 0, "data": {"total_count": 1, "details": [{
                "logistics_name": "2524352345", "address": "", "is_preset_no": false, "logistics_no": "534245",
                "send_type": 0, "created": "2022-09-01 11:53:23", "is_disabled": false, "mobile": "", "remark": "",
                "ebill_api": 25, "type": 1, "telno": "", "logistics_id": 974, "max_weight": 0, "contact": "54325",
                "modified": "2022-09-01 11:53:23", "logistics_type": 3, "is_support_cod": false}]}}),
            &[
                "month_card",
                "volume_weight_ratio",
                "volume_weight_ratio_switch",
                "volume_type",
                "volume_threshold",
                "volume_weight_ratio_special",
                "main_logistics_name",
                "quantity",
            ],
        ),
        (
            PROVIDERS,
            json!({"provider_no": "P1"}),
            json!({"status": 0, "data": {"total_count": 1, "details": [{
                "city": "北京市", "wangwang": " ", "remark": "小丸子说需要采购", "account_bank": "", "telno": "",
                "province": "北京", "contact": "", "modified": 1753854378000_i64, "follower_name": "系统",
                "provider_name": "LCJtest11", "fax": "aaaaa", "email": "123567890@qq.com", "provider_no": "LCJtest11",
                "zip": "300457", "qq": "123567890", "website": "www.baidu.cn", "address": "小丸子聚居地",
                "last_purchase_time": 1752567283000_i64, "created": 1502093567000_i64, "is_disabled": false,
                "mobile": "", "arrive_cycle_days": 10, "deleted": 0, "collect_name": "", "district": "通州区",
                "provider_id": 7, "account_bank_no": ""}]}}),
            &[],
        ),
    ]
}

#[tokio::test]
async fn each_answer_has_the_shape_of_its_pages_example() {
    let app = spawn_app().await;
    for (method, params, example, extra) in examples() {
        let answer = read(&app, ALL_KEY, method, params, page(1, 0)).await;
        assert_eq!(answer["status"], 0, "{method}: {answer}");
        assert_same_shape(&example, &answer, Extra::Only(extra));
    }
}

#[tokio::test]
async fn parameters_are_refused_with_the_field_and_value_named() {
    let app = spawn_app().await;
    let now = format_wire_time(now_ms());
    // (method, params, status, message)
    let cases: Vec<(&str, Value, i64, String)> = vec![
        (WAREHOUSES, json!({"start_time": now}), 100, "参数中必须包含起止时间".into()),
        (
            WAREHOUSES,
            json!({"start_time": now, "end_time": "2020-01-01 00:00:00"}),
            100,
            "结束时间不能早于开始时间".into(),
        ),
        (WAREHOUSES, json!({"start_time": "yesterday", "end_time": now}), 100, "start_time: Unparseable date".into()),
        (WAREHOUSES, json!({"type": 5}), 100, "取值不合法(1/2/3/4/6/11/125/126) type: 5".into()),
        (WAREHOUSES, json!({"warehouse_no": "W".repeat(41)}), 100, "超长(最大40) warehouse_no".into()),
        (WAREHOUSES, json!({"hide_delete": "x"}), 100, "参数不合法 hide_delete".into()),
        (SHOPS, json!({"shop_no": "S".repeat(21)}), 100, "超长(最大20) shop_no".into()),
        (LOGISTICS, json!({"logistics_name": "L".repeat(41)}), 100, "超长(最大40) logistics_name".into()),
        (PROVIDERS, json!({"modified_begin": now}), 100, "参数中必须包含起止时间".into()),
        (PROVIDERS, json!({"deleted": 3}), 100, "取值不合法(0/1) deleted: 3".into()),
        (PROVIDERS, json!([1]), 1, "argument type mismatch: params".into()),
    ];
    for (method, params, status, message) in cases {
        let answer = read(&app, ALL_KEY, method, params.clone(), page(10, 0)).await;
        assert_eq!(answer["status"], status, "{method} {params}: {answer}");
        let got = answer["message"].as_str().unwrap_or_default();
        assert!(got.contains(&message), "{method} {params}: {got}");
    }
    // The pager is required, as for every pageCall method.
    let body = json!([{}]).to_string();
    let call = QjbCall::signed("demo", ALL_KEY.0, ALL_KEY.1, SHOPS, qjb_now(), None, &body);
    let (_, answer) = app.post_qjb(&call).await;
    assert_eq!(answer["status"], 100, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("此方法仅支持分页查询"), "{answer}");
}

#[tokio::test]
async fn a_limited_key_sees_its_own_warehouses_and_shops_only() {
    let app = spawn_app().await;
    let answer = read(&app, WH2_KEY, WAREHOUSES, json!({}), page(100, 0)).await;
    assert_eq!(column(&answer, "warehouse_no"), vec!["WH2"]);
    assert_eq!(answer["data"]["total_count"], 1);
    // Out of scope answers exactly as unknown: an empty page.
    let out_of_scope = read(&app, WH2_KEY, WAREHOUSES, json!({"warehouse_no": "WH1"}), page(10, 0)).await;
    let unknown = read(&app, WH2_KEY, WAREHOUSES, json!({"warehouse_no": "WH9"}), page(10, 0)).await;
    assert_eq!(out_of_scope, unknown);
    assert_eq!(details(&unknown).len(), 0);
    let shops = read(&app, WH2_KEY, SHOPS, json!({}), page(100, 0)).await;
    assert_eq!(column(&shops, "shop_no"), vec!["SHOP-OWN"]);
    let other = read(&app, WH2_KEY, SHOPS, json!({"shop_no": "SHOP-JD"}), page(100, 0)).await;
    assert_eq!((other["status"].clone(), details(&other).len()), (json!(0), 0));
    // The unlimited key sees every shop, whatever its platform: privacy hides documents, not shops.
    let all = read(&app, ALL_KEY, SHOPS, json!({}), page(100, 0)).await;
    assert_eq!(column(&all, "shop_no"), vec!["SHOP-OWN", "SHOP-POS", "SHOP-JD", "SHOP-TB"]);
}

#[tokio::test]
async fn filters_windows_and_disabled_records() {
    let app = spawn_app().await;
    let all = read(&app, ALL_KEY, WAREHOUSES, json!({}), page(100, 0)).await;
    assert_eq!(column(&all, "warehouse_no"), vec!["WH1", "WH2", "WH-OUT", "WH-EXT"]);
    let types: Vec<i64> = details(&all).iter().map(|d| d["type"].as_i64().unwrap()).collect();
    assert_eq!(types, vec![1, 1, 11, 3], "普通, 普通, 委外, 外部");
    let wh1 = &details(&all)[0];
    assert_eq!((wh1["address"].as_str(), wh1["contact"].as_str()), (Some("张江路100号"), Some("仓管张")));
    let outsourced = read(&app, ALL_KEY, WAREHOUSES, json!({"type": 11}), page(100, 0)).await;
    assert_eq!(column(&outsourced, "warehouse_no"), vec!["WH-OUT"]);
    let by_name = read(&app, ALL_KEY, WAREHOUSES, json!({"warehouse_name": "退货仓"}), page(100, 0)).await;
    assert_eq!(column(&by_name, "warehouse_no"), vec!["WH2"]);

    // A window before the data was loaded holds nothing; one around now holds everything.
    let (past, now) = (format_wire_time(now_ms() - 86_400_000), now_ms());
    let before =
        read(&app, ALL_KEY, WAREHOUSES, json!({"start_time": "2020-01-01 00:00:00", "end_time": past}), page(100, 0))
            .await;
    assert_eq!(details(&before).len(), 0, "{before}");
    let around =
        json!({"start_time": format_wire_time(now - 3_600_000), "end_time": format_wire_time(now + 3_600_000)});
    assert_eq!(details(&read(&app, ALL_KEY, WAREHOUSES, around, page(100, 0)).await).len(), 4);

    // 宅急送 is disabled: hidden by default, listed with hide_delete false.
    let shown = read(&app, ALL_KEY, LOGISTICS, json!({}), page(100, 0)).await;
    assert_eq!(column(&shown, "logistics_no"), vec!["SF", "YTO", "DBL"]);
    let every = read(&app, ALL_KEY, LOGISTICS, json!({"hide_delete": false}), page(100, 0)).await;
    assert_eq!(column(&every, "logistics_no"), vec!["SF", "YTO", "DBL", "ZJS"]);
    assert_eq!(details(&every)[3]["is_disabled"], true);
    let types: Vec<i64> = details(&every).iter().map(|d| d["type"].as_i64().unwrap()).collect();
    assert_eq!(types, vec![1, 1, 10, 1], "the first business served; 1 when every one is");

    // A provider that was purchased from shows when; the time is the newest purchase order's.
    let p1 = read(&app, ALL_KEY, PROVIDERS, json!({"provider_no": "P1"}), page(10, 0)).await;
    let row = &details(&p1)[0];
    assert_eq!((row["provider_name"].as_str(), row["contact"].as_str()), (Some("杯具供应商"), Some("李工")));
    assert!(row["last_purchase_time"].as_i64().is_some(), "{row}");
    let by_contact = read(&app, ALL_KEY, PROVIDERS, json!({"contact": "王工"}), page(10, 0)).await;
    assert_eq!(column(&by_contact, "provider_no"), vec!["P2"]);
}

#[tokio::test]
async fn pages_walk_every_row_once_in_a_stable_order() {
    let app = spawn_app().await;
    for (method, key) in [(WAREHOUSES, "warehouse_no"), (SHOPS, "shop_no"), (PROVIDERS, "provider_no")] {
        let whole = column(&read(&app, ALL_KEY, method, json!({}), page(100, 0)).await, key);
        let mut walked = Vec::new();
        for no in 0.. {
            let answer = read(&app, ALL_KEY, method, json!({}), page(1, no)).await;
            assert_eq!(answer["data"]["total_count"].as_u64(), Some(whole.len() as u64), "{method}");
            let rows = column(&answer, key);
            if rows.is_empty() {
                break;
            }
            walked.extend(rows);
        }
        assert_eq!(walked, whole, "{method}");
    }
    // Without calc_total there is no total.
    let answer = read(&app, ALL_KEY, SHOPS, json!({}), Pager { page_size: 2, page_no: 0, calc_total: false }).await;
    assert!(answer["data"].get("total_count").is_none(), "{answer}");
}

#[tokio::test]
async fn the_sdk_reads_every_page_typed() {
    use wdt_client::methods::reads::settings::{ShopQuery, WarehouseQuery};
    use wdt_client::{Client, ReadAll};

    let app = spawn_app().await;
    let client = Client::qjb(&app.url(), "demo", ALL_KEY.0, ALL_KEY.1);
    let mut shops = ReadAll::new(&client, ShopQuery::default(), 1);
    let mut got = Vec::new();
    while let Some(shop) = shops.next().await {
        let shop = shop.unwrap();
        got.push((shop.shop_no, shop.platform_id));
    }
    let want = [("SHOP-OWN", 127), ("SHOP-POS", 0), ("SHOP-JD", 3), ("SHOP-TB", 1)];
    assert_eq!(got, want.map(|(n, p)| (n.to_owned(), p)).to_vec());
    assert_eq!(shops.known_total(), 4);

    // Over a range: the warehouses modified in it, in windows the method accepts.
    let now = now_ms() / 1000;
    let mut recent = ReadAll::over(&client, WarehouseQuery::default(), now - 90 * 86_400, now + 60, 2).unwrap();
    let mut nos = Vec::new();
    while let Some(w) = recent.next().await {
        nos.push(w.unwrap().warehouse_no);
    }
    assert_eq!(nos, ["WH1", "WH2", "WH-OUT", "WH-EXT"]);
    // A method without a window refuses a range before sending anything.
    assert!(ReadAll::over(&client, ShopQuery::default(), 0, 1, 10).is_err());
}
