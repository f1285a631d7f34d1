//! `goods.Goods.queryWithSpec` over HTTP: the page's example shape (goods, specs, barcodes),
//! parameters and refusals, the window on the goods' or their specs' last change, paging.

use std::time::Duration;

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};

use crate::helpers::*;

const GOODS: &str = "goods.Goods.queryWithSpec";

const WH2_KEY: (&str, &str) = ("demo-qjb-wh2", "wh2-secret:wh2-salt");
const ALL_KEY: (&str, &str) = ("demo-qjb", "demo-secret:demo-salt");

/// The vendor's normal response example.
const EXAMPLE: &str = r#"
{"status":0,"data":{"goods_list":[{"goods_no":"wangdiantong","origin":"","class_id":7,
"goods_modified":1678351062000,"remark":"12323213aaa","aux_unit_name":"哒哒哒哒哒",
"goods_created":"2017-08-06 22:01:20","flag_name":"无","spec_list":[{"spec_id":1,"goods_id":1,
"spec_no":"wangdiantong","spec_code":"LL ","barcode":"wangdiantong","spec_name":"暂无",
"lowest_price":0,"retail_price":234,"wholesale_price":0,"member_price":0,"market_price":0,
"spec_created":"2017-08-06 22:01:20","validity_days":0,"sales_days":0,"receive_days":0,"weight":0.2,
"length":1,"width":2,"height":3,"sn_type":0,"is_lower_cost":false,"tax_rate":0,"wms_process_mask":8,
"deleted":0,"large_type":0,"remark":"dsfdk;ds123","spec_modified":1683771314000,"prop1":"自定义属性1",
"prop2":"自定义属性2","prop3":"自定义属性3","prop4":"自定义属性4","prop5":"自定义属性5","prop6":"自定义属性6",
"img_url":"cos://IMG135.jpg","is_not_use_air":0,"custom_price1":0,"custom_price2":0,
"spec_unit_name":"口","spec_aux_unit_name":"锅","goods_label":"","tax_code":"",
"barcode_list":[{"barcode":"wangdiantong","type":1,"is_master":1,
"modified":"2022-08-31 11:18:59"}]}],"alias":"","modified":"2023-03-09 16:37:42","spec_count":1,
"class_name":"短袖1","goods_name":"wangdiantong","goods_id":1,"brand_name":"发发拉","prop6":"","prop5":"",
"prop4":"","brand_id":2179,"prop3":"","prop2":"","unit_name":"箱","prop1":"","pinyin":"","deleted":0,
"short_name":"","goods_type":1}],"total_count":1}}
"#;

fn page(size: u32, no: u32) -> Pager {
    Pager { page_size: size, page_no: no, calc_total: true }
}

/// The window of the last and the next hour.
fn recent() -> Value {
    let now = now_ms();
    json!({"start_time": format_wire_time(now - 3_600_000), "end_time": format_wire_time(now + 3_600_000)})
}

async fn read(app: &TestApp, key: (&str, &str), params: Value, pager: Pager) -> Value {
    qjb_params_call(app, key, GOODS, params, Some(&pager)).await
}

fn goods(answer: &Value) -> &Vec<Value> {
    answer["data"]["goods_list"].as_array().unwrap_or_else(|| panic!("a page of goods: {answer}"))
}

fn column(answer: &Value, name: &str) -> Vec<String> {
    goods(answer).iter().map(|g| g[name].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn the_answer_has_the_shape_of_the_pages_example() {
    let app = spawn_app().await;
    let example: Value = serde_json::from_str(EXAMPLE).unwrap();
    let answer = read(&app, ALL_KEY, json!({"goods_no": "G-MUG"}), page(10, 0)).await;
    assert_eq!(answer["data"]["total_count"], 1, "{answer}");
    // brand_no is in the page's table, not in its example.
    assert_same_shape(&example, &answer, Extra::Only(&["brand_no"]));
}

#[tokio::test]
async fn goods_read_back_with_their_specs_units_and_barcodes() {
    let app = spawn_app().await;
    let answer = read(&app, ALL_KEY, json!({"spec_no": "MUG-BLUE"}), page(10, 0)).await;
    let [g] = goods(&answer).as_slice() else { panic!("one goods: {answer}") };
    let names = ["goods_no", "goods_name", "brand_name", "brand_no", "unit_name", "aux_unit_name", "flag_name"];
    assert_eq!(
        Value::Array(names.map(|n| g[n].clone()).to_vec()),
        json!(["G-MUG", "马克杯", "旺品", "B1", "件", "箱", "无"])
    );
    assert_eq!((&g["spec_count"], &g["deleted"], &g["goods_type"]), (&json!(2), &json!(0), &json!(1)));
    let specs = g["spec_list"].as_array().unwrap();
    let spec = |i: usize, names: &[&str]| Value::Array(names.iter().map(|n| specs[i][*n].clone()).collect());
    let names = ["spec_no", "spec_name", "spec_code", "barcode", "spec_unit_name", "spec_aux_unit_name"];
    assert_eq!(spec(0, &names), json!(["MUG-RED", "红色", "R", "6900000000011", "件", "箱"]));
    assert_eq!(spec(1, &names), json!(["MUG-BLUE", "蓝色", "B", "", "件", ""]));
    assert_eq!(specs[0]["goods_id"], g["goods_id"]);
    let barcodes = &specs[0]["barcode_list"];
    assert_eq!(barcodes.as_array().map(Vec::len), Some(1), "{barcodes}");
    assert_eq!(
        (&barcodes[0]["barcode"], &barcodes[0]["is_master"], &barcodes[0]["type"]),
        (&json!("6900000000011"), &json!(1), &json!(1))
    );
    assert_eq!(specs[1]["barcode_list"], json!([]), "no barcode, an empty list");
    let milk = read(&app, ALL_KEY, json!({"goods_no": "G-MILK"}), page(10, 0)).await;
    let (m, phone) =
        (&goods(&milk)[0]["spec_list"][0], read(&app, ALL_KEY, json!({"goods_no": "G-PHONE"}), page(1, 0)).await);
    assert_eq!((&m["validity_days"], &m["sn_type"]), (&json!(180), &json!(0)));
    assert_eq!(goods(&phone)[0]["spec_list"][0]["sn_type"], 1);
}

#[tokio::test]
async fn parameters_are_refused_with_the_vendors_texts() {
    let app = spawn_app().await;
    let now = now_ms();
    let days_ago = |d: i64| format_wire_time(now - d * 86_400_000);
    // (params, the refusal's text, or the goods found)
    let cases: Vec<(Value, Result<Vec<&str>, &str>)> = vec![
        (json!({}), Err("参数中必须包含起止时间")),
        (json!({"brand_name": "旺品"}), Err("参数中必须包含起止时间")),
        (json!({"end_time": days_ago(0)}), Err("参数中必须包含起止时间")),
        (json!({"start_time": days_ago(31)}), Err("您的查询时间过宽,查询时间不能大于30天")),
        (json!({"start_time": days_ago(40), "end_time": days_ago(20)}), Ok(vec![])),
        (json!({"start_time": days_ago(10), "end_time": days_ago(20)}), Err("结束时间不能早于开始时间")),
        (json!({"start_time": "today", "end_time": days_ago(0)}), Err("start_time: Unparseable date: today")),
        (json!({"goods_no": "G-MUG"}), Ok(vec!["G-MUG"])),
        (json!({"goods_no": "G-MUG", "start_time": days_ago(1)}), Ok(vec!["G-MUG"])),
        (json!({"goods_no": "G-MUG", "start_time": days_ago(40)}), Err("查询时间不能大于30天")),
        (json!({"spec_no": "MILK-1L", "hide_deleted": 1}), Ok(vec!["G-MILK"])),
        (json!({"spec_no": "S".repeat(41)}), Err("超长(最大40) spec_no")),
        (json!({"goods_no": "G".repeat(41)}), Err("超长(最大40) goods_no")),
        (json!({"goods_no": "G-MUG", "brand_name": "B".repeat(65)}), Err("超长(最大64) brand_name")),
        (json!({"goods_no": "G-MUG", "class_name": "C".repeat(101)}), Err("超长(最大100) class_name")),
        (json!({"goods_no": "G-MUG", "barcode": "6".repeat(51)}), Err("超长(最大50) barcode")),
        (json!({"goods_no": "G-MUG", "hide_deleted": "x"}), Err("参数不合法 hide_deleted")),
        (json!([1]), Err("argument type mismatch: params")),
    ];
    for (params, want) in cases {
        let answer = read(&app, ALL_KEY, params.clone(), page(10, 0)).await;
        match want {
            Ok(found) => {
                assert_eq!(answer["status"], 0, "{params}: {answer}");
                assert_eq!(column(&answer, "goods_no"), found, "{params}");
            }
            Err(want) => {
                assert_ne!(answer["status"], 0, "{params}: {answer}");
                let got = answer["message"].as_str().unwrap_or_default();
                assert!(got.contains(want), "{params}: {got}");
            }
        }
    }
}

#[tokio::test]
async fn filters_narrow_the_goods_and_no_key_scope_applies() {
    let app = spawn_app().await;
    let with = |extra: Value| {
        let mut p = recent();
        p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        p
    };
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"barcode": "6900000000011"}), vec!["G-MUG"]),
        (json!({"barcode": "6900000000099"}), vec![]),
        (json!({"brand_name": "旺奶"}), vec!["G-MILK"]),
        (json!({"class_name": "短袖"}), vec![]),
        (json!({"spec_no": "PHONE-128"}), vec!["G-PHONE"]),
        (json!({"goods_no": "G-RICE", "spec_no": "MUG-RED"}), vec![]),
    ];
    for (params, want) in cases {
        let answer = read(&app, ALL_KEY, with(params.clone()), page(10, 0)).await;
        assert_eq!(column(&answer, "goods_no"), want, "{params}: {answer}");
    }
    // Goods belong to no warehouse: the key limited to WH2 sees them all.
    let all = read(&app, ALL_KEY, recent(), page(100, 0)).await;
    let wh2 = read(&app, WH2_KEY, recent(), page(100, 0)).await;
    assert_eq!(column(&all, "goods_no"), column(&wh2, "goods_no"));
}

#[tokio::test]
async fn pages_from_0_in_a_stable_order_with_the_total() {
    let app = spawn_app().await;
    let all = read(&app, ALL_KEY, recent(), page(100, 0)).await;
    let total = all["data"]["total_count"].as_i64().unwrap();
    assert!(total >= 4, "the demo goods at least: {all}");
    let mut seen: Vec<(String, i64, String)> = Vec::new();
    for no in 0..u32::try_from(total).unwrap() {
        let answer = read(&app, ALL_KEY, recent(), page(1, no)).await;
        assert_eq!(answer["data"]["total_count"], total);
        let g = &goods(&answer)[0];
        seen.push((
            g["modified"].as_str().unwrap().into(),
            g["goods_id"].as_i64().unwrap(),
            g["goods_no"].as_str().unwrap().into(),
        ));
    }
    assert!(seen.windows(2).all(|w| (&w[0].0, w[0].1) < (&w[1].0, w[1].1)), "(modified, id) order: {seen:?}");
    let nos: Vec<String> = seen.into_iter().map(|s| s.2).collect();
    assert_eq!(nos, column(&all, "goods_no"), "the pages make up the whole list");
    let past = read(&app, ALL_KEY, recent(), page(100, 1)).await;
    assert_eq!((goods(&past).len(), &past["data"]["total_count"]), (0, &json!(total)));
}

#[tokio::test]
async fn a_changed_spec_brings_its_goods_into_the_next_window() {
    let app = spawn_app().await;
    let before = read(&app, ALL_KEY, json!({"goods_no": "G-MUG"}), page(1, 0)).await;
    let goods_modified = goods(&before)[0]["goods_modified"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let start = format_wire_time(now_ms());
    let fixture = json!({"sid": "demo", "goods": [{"goods_no": "G-MUG", "goods_name": "马克杯", "brand_no": "B1",
        "brand_name": "旺品", "specs": [{"spec_no": "MUG-BLUE", "spec_name": "深蓝", "spec_code": "B", "base_unit": "件"}]}]});
    app.store.import_fixture(&wdt_domain::fixture::Fixture::parse(&fixture.to_string()).unwrap()).await.unwrap();
    let window = json!({"start_time": start, "end_time": format_wire_time(now_ms() + 1_000)});
    let answer = read(&app, ALL_KEY, window, page(10, 0)).await;
    assert_eq!(column(&answer, "goods_no"), ["G-MUG"], "{answer}");
    let g = &goods(&answer)[0];
    assert_eq!(g["goods_modified"], goods_modified, "the goods record itself is unchanged");
    assert!(g["modified"].as_str().unwrap() >= start.as_str(), "{g}");
    let blue = g["spec_list"].as_array().unwrap().iter().find(|s| s["spec_no"] == "MUG-BLUE").unwrap();
    assert_eq!(blue["spec_name"], "深蓝");
    assert!(blue["spec_modified"].as_i64().unwrap() > goods_modified);
}

#[tokio::test]
async fn the_sdk_reads_every_goods_typed() {
    use wdt_client::methods::reads::goods::GoodsQuery;
    use wdt_client::{Client, ReadAll};

    let app = spawn_app().await;
    let client = Client::qjb(&app.url(), "demo", ALL_KEY.0, ALL_KEY.1);
    let now = now_ms() / 1000;
    let mut all = ReadAll::over(&client, GoodsQuery::default(), now - 60 * 86_400, now + 60, 2).unwrap();
    let mut got = Vec::new();
    while let Some(g) = all.next().await {
        let g = g.unwrap();
        let barcodes: Vec<String> =
            g.spec_list.iter().flat_map(|s| s.barcode_list.iter().map(|b| b.barcode.clone())).collect();
        got.push((g.goods_no, g.spec_list.len(), barcodes));
    }
    let direct = read(&app, ALL_KEY, recent(), page(100, 0)).await;
    assert_eq!(got.iter().map(|g| g.0.clone()).collect::<Vec<_>>(), column(&direct, "goods_no"));
    let mug = got.iter().find(|g| g.0 == "G-MUG").unwrap();
    assert_eq!((mug.1, mug.2.clone()), (2, vec!["6900000000011".to_owned()]));
}
