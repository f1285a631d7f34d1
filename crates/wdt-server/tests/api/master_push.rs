//! `goods.Goods.push` and `setting.PurchaseProvider.push` over HTTP: the pages' request examples,
//! refusals that name field and value and write nothing, read-back through the query methods,
//! idempotent repeats, updates, concurrent pushes, and the same state as a fixture gives.

use std::time::Duration;

use serde_json::{Value, json};
use wdt_domain::fixture::Fixture;
use wdt_protocol::qjb::Pager;

use crate::helpers::*;

const GOODS_PUSH: &str = "goods.Goods.push";
const PROVIDER_PUSH: &str = "setting.PurchaseProvider.push";
const GOODS_QUERY: &str = "goods.Goods.queryWithSpec";
const PROVIDER_QUERY: &str = "setting.PurchaseProvider.queryDetail";
const ALL_KEY: (&str, &str) = (QJB_KEY, QJB_SECRET);

/// The request example of the goods.Goods.push page, as printed.
const GOODS_EXAMPLE: &str = r#"[{"goods_no": "testGoodsQ03-26 00:51:10_0", "goods_name": "testGoodsNameQ03-26 00:51:10_0", "short_name": "shortName", "auto_create_bc": true, "class_name": "新建分类3", "brand_name": "新建品牌3", "unit_name": "个", "aux_unit_name": "件", "goods_type": 1, "alias": "alias", "pinyin": "ceshi", "origin": "内蒙古呼和浩特市", "remark": "货品备注", "prop1": "P1", "prop2": "P2", "prop3": "P13", "prop4": "P14", "prop5": "P15", "prop6": "P16", "flag_name": "g_f"}, [{"spec_no": "spec_noQ03-26 00:51:10_0_0", "spec_name": "spec_nameQ03-26 00:51:10_0_0", "spec_code": "spec_code", "barcode": "spec_noQ03-26 00:51:10_0_0", "pack_score": 12, "lowest_price": 200, "unit_name": "个", "aux_unit_name": "10个", "remark": "单品备注", "goods_label": "6"}, {"spec_no": "spec_noQ03-26 00:51:10_0_1", "spec_name": "spec_nameQ03-26 00:51:10_0_1", "spec_code": "spec_code", "barcode": "spec_noQ03-26 00:51:10_0_1", "pack_score": 12, "lowest_price": 200, "unit_name": "个", "aux_unit_name": "10个", "remark": "单品备注", "goods_label": "6"}, {"spec_no": "spec_noQ03-26 00:51:10_0_2", "spec_name": "spec_nameQ03-26 00:51:10_0_2", "spec_code": "spec_code", "barcode": "spec_noQ03-26 00:51:10_0_2", "pack_score": 12, "lowest_price": 200, "unit_name": "个", "aux_unit_name": "10个", "remark": "单品备注", "goods_label": "6"}, {"spec_no": "spec_noQ03-26 00:51:10_0_3", "spec_name": "spec_nameQ03-26 00:51:10_0_3", "spec_code": "spec_code", "barcode": "spec_noQ03-26 00:51:10_0_3", "pack_score": 12, "lowest_price": 200, "unit_name": "个", "aux_unit_name": "10个", "remark": "单品备注", "goods_label": "6"}]]"#;

/// The request example of the setting.PurchaseProvider.push page, as printed.
const PROVIDER_EXAMPLE: &str = r#"[{"provider_no":"lztest","provider_name":"lztest","contact":"lz"}]"#;

const PAGE: Pager = Pager { page_size: 10, page_no: 0, calc_total: true };

async fn call(app: &TestApp, method: &str, body: &Value) -> (u16, Value) {
    app.post_qjb(&QjbCall::new(method, &body.to_string())).await
}

async fn push_goods(app: &TestApp, goods: Value, specs: Value) -> Value {
    let (http, answer) = call(app, GOODS_PUSH, &json!([goods, specs])).await;
    assert_eq!(http, 200);
    answer
}

async fn push_provider(app: &TestApp, provider: Value) -> Value {
    let (http, answer) = call(app, PROVIDER_PUSH, &json!([provider])).await;
    assert_eq!(http, 200);
    answer
}

/// The goods `goods_no` as `goods.Goods.queryWithSpec` answers them (none: `None`).
async fn goods_read(app: &TestApp, goods_no: &str) -> Option<Value> {
    let answer = qjb_params_call(app, ALL_KEY, GOODS_QUERY, json!({"goods_no": goods_no}), Some(&PAGE)).await;
    let list = answer["data"]["goods_list"].as_array().unwrap_or_else(|| panic!("a goods page: {answer}"));
    assert!(list.len() <= 1, "one goods record per goods_no: {answer}");
    list.first().cloned()
}

/// The provider `provider_no` as `setting.PurchaseProvider.queryDetail` answers it.
async fn provider_read(app: &TestApp, provider_no: &str) -> Option<Value> {
    let answer = qjb_params_call(app, ALL_KEY, PROVIDER_QUERY, json!({"provider_no": provider_no}), Some(&PAGE)).await;
    let list = answer["data"]["details"].as_array().unwrap_or_else(|| panic!("a provider page: {answer}"));
    list.first().cloned()
}

/// `value` without ids and times, at any depth.
fn without_ids_and_times(mut value: Value) -> Value {
    const DROP: &[&str] = &[
        "goods_id",
        "spec_id",
        "provider_id",
        "modified",
        "created",
        "goods_modified",
        "goods_created",
        "spec_modified",
        "spec_created",
        "last_purchase_time",
    ];
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, _| !DROP.contains(&k.as_str()));
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value
}

fn spec<'a>(goods: &'a Value, spec_no: &str) -> &'a Value {
    goods["spec_list"]
        .as_array()
        .and_then(|l| l.iter().find(|s| s["spec_no"] == spec_no))
        .unwrap_or_else(|| panic!("spec {spec_no} in {goods}"))
}

#[tokio::test]
async fn the_pages_request_examples_succeed_and_read_back() {
    let app = spawn_app().await;
    let body: Value = serde_json::from_str(GOODS_EXAMPLE).unwrap();
    let (http, answer) = call(&app, GOODS_PUSH, &body).await;
    assert_eq!(http, 200);
    assert_eq!(answer["status"], 0, "{answer}");
    let id = answer["data"].as_i64().unwrap_or_else(|| panic!("data is the goods id: {answer}"));
    assert_eq!(answer.as_object().unwrap().len(), 2, "{{status, data}} as the page's example: {answer}");

    let goods = goods_read(&app, "testGoodsQ03-26 00:51:10_0").await.expect("the pushed goods");
    assert_eq!(goods["goods_id"], id);
    assert_eq!(goods["goods_name"], "testGoodsNameQ03-26 00:51:10_0");
    assert_eq!(goods["brand_name"], "新建品牌3");
    assert_eq!(goods["spec_count"], 4);
    assert_eq!(goods["unit_name"], "个");
    assert_eq!(goods["aux_unit_name"], "10个", "the specs' own auxiliary unit wins over the goods'");
    for y in 0..4 {
        let no = format!("spec_noQ03-26 00:51:10_0_{y}");
        let s = spec(&goods, &no);
        assert_eq!(s["spec_name"], format!("spec_nameQ03-26 00:51:10_0_{y}"));
        assert_eq!((s["spec_code"].as_str(), s["barcode"].as_str()), (Some("spec_code"), Some(no.as_str())));
        assert_eq!((s["spec_unit_name"].as_str(), s["spec_aux_unit_name"].as_str()), (Some("个"), Some("10个")));
        assert_eq!(s["barcode_list"][0]["barcode"], no.as_str());
    }

    let answer = push_provider(&app, serde_json::from_str::<Value>(PROVIDER_EXAMPLE).unwrap()[0].clone()).await;
    assert_eq!(answer, json!({"status": 0, "data": {"status": 0, "message": "OK"}}));
    let p = provider_read(&app, "lztest").await.expect("the pushed provider");
    assert_eq!((p["provider_name"].as_str(), p["contact"].as_str()), (Some("lztest"), Some("lz")));
}

#[tokio::test]
async fn bad_goods_are_refused_naming_field_and_value_and_write_nothing() {
    let app = spawn_app().await;
    let g = |extra: Value| {
        let mut goods = json!({"goods_no": "G-BAD", "goods_name": "坏货品"});
        goods.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        goods
    };
    let one = json!([{"spec_no": "S-BAD"}]);
    let long = |n: usize| "长".repeat(n);
    let cases: Vec<(Value, Value, i64, String)> = vec![
        (json!({"goods_name": "x"}), one.clone(), 100, "goods_no不能为空".into()),
        (g(json!({"goods_name": ""})), one.clone(), 100, "goods_name不能为空".into()),
        (g(json!({"goods_no": long(41)})), one.clone(), 100, format!("超长(最大40) goods_no: {}", long(41))),
        (g(json!({"class_name": long(65)})), one.clone(), 100, "超长(最大64) class_name".into()),
        (g(json!({"brand_name": long(65)})), one.clone(), 100, "超长(最大64) brand_name".into()),
        (g(json!({"unit_name": long(21)})), one.clone(), 100, "超长(最大20) unit_name".into()),
        (g(json!({"flag_name": long(33)})), one.clone(), 100, "超长(最大32) flag_name".into()),
        (g(json!({"remark": long(513)})), one.clone(), 100, "超长(最大512) remark".into()),
        (g(json!({"prop6": long(256)})), one.clone(), 100, "超长(最大255) prop6".into()),
        (g(json!({"goods_type": 7})), one.clone(), 100, "取值不合法(0/1/2/3/4/5/6/8/9/10) goods_type: 7".into()),
        (g(json!({"goods_type": "abc"})), one.clone(), 100, "参数不合法 goods_type: 不是合法的整数: abc".into()),
        (g(json!({"auto_create_bc": "yes"})), one.clone(), 100, "参数不合法 auto_create_bc".into()),
        (g(json!({})), json!([]), 100, "specInfoList不能为空".into()),
        (g(json!({})), json!([{"spec_name": "x"}]), 100, "specInfoList[0].spec_no不能为空".into()),
        (g(json!({})), json!([{"spec_no": long(41)}]), 100, "超长(最大40) specInfoList[0].spec_no".into()),
        (
            g(json!({})),
            json!([{"spec_no": "S", "barcode": long(51)}]),
            100,
            "超长(最大50) specInfoList[0].barcode".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "spec_name": long(101)}]),
            100,
            "超长(最大100) specInfoList[0].spec_name".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "goods_label": long(12)}]),
            100,
            "超长(最大11) specInfoList[0].goods_label".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "img_url": long(1025)}]),
            100,
            "超长(最大1024) specInfoList[0].img_url".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "sn_type": 3}]),
            100,
            "取值不合法(0/1/2) specInfoList[0].sn_type: 3".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "large_type": 4}]),
            100,
            "取值不合法(-1/0/1/2/3) specInfoList[0].large_type: 4".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "validity_type": 2}]),
            100,
            "取值不合法(0/1) specInfoList[0].validity_type: 2".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "wms_process_mask": 4}]),
            100,
            "specInfoList[0].wms_process_mask: 4".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "validity_days": 1234567}]),
            100,
            "超长(最大6) specInfoList[0].validity_days: 1234567".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "validity_days": -1}]),
            100,
            "数值不合法 specInfoList[0].validity_days: -1".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S", "retail_price": "12.3x"}]),
            100,
            "参数不合法 specInfoList[0].retail_price: 不是合法的数字: 12.3x".into(),
        ),
        (g(json!({})), json!([{"spec_no": "S", "weight": "0.00001"}]), 100, "specInfoList[0].weight".into()),
        (
            g(json!({})),
            json!([{"spec_no": "S", "lowest_price": -2}]),
            100,
            "价格不合法 specInfoList[0].lowest_price: -2".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S"}, {"spec_no": "S"}]),
            100,
            "商家编码重复 specInfoList[1].spec_no: S".into(),
        ),
        (
            g(json!({})),
            json!([{"spec_no": "S"}, {"spec_no": "MUG-BLUE"}]),
            100,
            "商家编码已存在 specInfoList[1].spec_no: MUG-BLUE".into(),
        ),
        (g(json!({"brand_name": "没有的品牌"})), one.clone(), 100, "品牌不存在 brand_name: 没有的品牌".into()),
        (json!(["G"]), one.clone(), 1, "argument type mismatch: goodsInfo".into()),
        (g(json!({})), json!({"spec_no": "S"}), 1, "argument type mismatch: specInfoList".into()),
    ];
    for (goods, specs, status, message) in cases {
        let answer = call(&app, GOODS_PUSH, &json!([goods.clone(), specs.clone()])).await;
        assert_qjb_error(&answer, status, &message);
        let no = goods["goods_no"].as_str().unwrap_or("G-BAD");
        if no.chars().count() <= 40 {
            assert!(goods_read(&app, no).await.is_none(), "nothing written for {goods} {specs}");
        }
    }
    let mug = goods_read(&app, "G-MUG").await.unwrap();
    assert!(mug["spec_list"].as_array().unwrap().iter().any(|s| s["spec_no"] == "MUG-BLUE"), "MUG-BLUE stays");
    assert_qjb_error(
        &call(&app, GOODS_PUSH, &json!([{"goods_no": "G", "goods_name": "n"}])).await,
        1,
        "invalid argument count",
    );
}

#[tokio::test]
async fn bad_providers_are_refused_naming_field_and_value_and_write_nothing() {
    let app = spawn_app().await;
    let p = |extra: Value| {
        let mut provider = json!({"provider_no": "P-BAD", "provider_name": "坏供应商"});
        provider.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        provider
    };
    let long = |n: usize| "x".repeat(n);
    let cases: Vec<(Value, i64, String)> = vec![
        (json!({"provider_name": "n"}), 100, "provider_no不能为空".into()),
        (p(json!({"provider_name": " "})), 100, "provider_name不能为空".into()),
        (p(json!({"provider_no": long(21)})), 100, format!("超长(最大20) provider_no: {}", long(21))),
        (p(json!({"provider_name": long(65)})), 100, "超长(最大64) provider_name".into()),
        (p(json!({"telno": long(21)})), 100, "超长(最大20) telno".into()),
        (p(json!({"website": long(129)})), 100, "超长(最大128) website".into()),
        (p(json!({"remark": long(257)})), 100, "超长(最大256) remark".into()),
        (p(json!({"account_bank_no": long(31)})), 100, "超长(最大30) account_bank_no".into()),
        (p(json!({"is_disabled": 2})), 100, "取值不合法(0/1) is_disabled: 2".into()),
        (p(json!({"arrive_cycle_days": "soon"})), 100, "参数不合法 arrive_cycle_days: 不是合法的整数: soon".into()),
        (p(json!({"arrive_cycle_days": -1})), 100, "数值不合法 arrive_cycle_days: -1".into()),
        (p(json!({"province": 123456789012_i64})), 100, "超长(最大11) province: 123456789012".into()),
        (p(json!({"provider_name": "杯具供应商"})), 100, "供应商名称不能重复 provider_name: 杯具供应商".into()),
    ];
    for (provider, status, message) in cases {
        assert_qjb_error(&call(&app, PROVIDER_PUSH, &json!([provider.clone()])).await, status, &message);
        assert!(provider_read(&app, "P-BAD").await.is_none(), "nothing written for {provider}");
    }
    assert_qjb_error(&call(&app, PROVIDER_PUSH, &json!(["P-BAD"])).await, 1, "argument type mismatch: provider");
}

#[tokio::test]
async fn a_repeat_changes_nothing_and_an_update_changes_what_it_says() {
    let app = spawn_app().await;
    let goods = json!({"goods_no": "G-REP", "goods_name": "重复", "brand_name": "旺品", "unit_name": "瓶"});
    let specs = json!([{"spec_no": "S-REP-1", "spec_name": "大", "barcode": "690001", "validity_days": 30,
        "sn_type": 1, "prop1": "甲", "aux_unit_name": "箱", "retail_price": "12.5000"}]);
    let first = push_goods(&app, goods.clone(), specs.clone()).await;
    assert_eq!(first["status"], 0, "{first}");
    let before = goods_read(&app, "G-REP").await.unwrap();
    let s = spec(&before, "S-REP-1");
    assert_eq!(
        (s["validity_days"].as_i64(), s["sn_type"].as_i64(), s["prop1"].as_str()),
        (Some(30), Some(1), Some("甲"))
    );
    assert_eq!((s["spec_unit_name"].as_str(), s["spec_aux_unit_name"].as_str()), (Some("瓶"), Some("箱")));
    assert_eq!(before["brand_name"], "旺品", "a brand other goods have needs no auto_create_bc");
    assert_eq!(before["brand_no"], "B1", "and carries its number");

    tokio::time::sleep(Duration::from_millis(20)).await;
    let again = push_goods(&app, goods.clone(), specs.clone()).await;
    assert_eq!(again, first, "the same answer: the same goods id");
    assert_eq!(goods_read(&app, "G-REP").await.unwrap(), before, "a repeat changes nothing, modified included");

    let mut renamed = goods.clone();
    renamed["goods_name"] = json!("改名");
    let mut more = specs.as_array().unwrap().clone();
    more.push(json!({"spec_no": "S-REP-2", "spec_name": "小"}));
    let updated = push_goods(&app, renamed, Value::Array(more)).await;
    assert_eq!(updated, first, "an update answers the same goods id");
    let after = goods_read(&app, "G-REP").await.unwrap();
    assert_eq!(after["goods_name"], "改名");
    assert_eq!(after["spec_count"], 2);
    assert!(after["goods_modified"].as_i64() > before["goods_modified"].as_i64(), "modified moves: {after}");
    assert_eq!(
        spec(&after, "S-REP-1")["spec_modified"],
        spec(&before, "S-REP-1")["spec_modified"],
        "an unchanged spec keeps its time"
    );
    assert_eq!(spec(&after, "S-REP-2")["spec_unit_name"], "瓶", "the goods' unit for a spec naming none");

    let provider =
        json!({"provider_no": "P-REP", "provider_name": "重复供应商", "mobile": "13800000000", "province": 110000});
    assert_eq!(push_provider(&app, provider.clone()).await["status"], 0);
    let p1 = provider_read(&app, "P-REP").await.unwrap();
    assert_eq!(p1["mobile"], "13800000000");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(push_provider(&app, provider.clone()).await["data"]["message"], "OK");
    assert_eq!(provider_read(&app, "P-REP").await.unwrap(), p1, "a repeat changes nothing");
    let mut changed = provider;
    changed["contact"] = json!("新联系人");
    changed["is_disabled"] = json!(1);
    assert_eq!(push_provider(&app, changed).await["status"], 0);
    let p2 = provider_read(&app, "P-REP").await.unwrap();
    assert_eq!((p2["contact"].as_str(), p2["is_disabled"].as_bool()), (Some("新联系人"), Some(true)));
    assert!(p2["modified"].as_i64() > p1["modified"].as_i64(), "modified moves: {p2}");
}

#[tokio::test]
async fn concurrent_pushes_of_one_goods_no_create_one_record() {
    let app = spawn_app().await;
    let goods = || json!({"goods_no": "G-RACE", "goods_name": "并发", "auto_create_bc": true, "brand_name": "新品牌"});
    let specs = |i: usize| json!([{"spec_no": "S-RACE-1", "unit_name": "新单位"}, {"spec_no": format!("S-RACE-{}", 2 + i % 2)}]);
    let (a, b, c, d) = tokio::join!(
        push_goods(&app, goods(), specs(0)),
        push_goods(&app, goods(), specs(1)),
        push_goods(&app, goods(), specs(2)),
        push_goods(&app, goods(), specs(3)),
    );
    let answers = [a, b, c, d];
    assert!(answers.iter().all(|a| a["status"] == 0), "{answers:?}");
    assert!(answers.iter().all(|a| a["data"] == answers[0]["data"]), "one goods id: {answers:?}");
    let goods = goods_read(&app, "G-RACE").await.unwrap();
    assert_eq!(goods["spec_count"], 3, "{goods}");

    let provider = |remark: &str| json!({"provider_no": "P-RACE", "provider_name": "并发供应商", "remark": remark});
    let (a, b, c) = tokio::join!(
        push_provider(&app, provider("a")),
        push_provider(&app, provider("b")),
        push_provider(&app, provider("a")),
    );
    assert!([&a, &b, &c].iter().all(|x| x["status"] == 0), "{a} {b} {c}");
    assert!(provider_read(&app, "P-RACE").await.is_some());
    assert!(app.store.verify().await.is_ok());
}

/// The same records pushed through the API and loaded from a fixture read back equal.
#[tokio::test]
async fn pushed_records_equal_the_same_records_from_a_fixture() {
    let pushed = spawn_app().await;
    let goods = json!({"goods_no": "G-DIFF", "goods_name": "对照", "brand_name": "对照品牌", "auto_create_bc": true,
        "unit_name": "个"});
    let specs = json!([
        {"spec_no": "S-DIFF-1", "spec_name": "红", "spec_code": "R", "barcode": "6900001", "validity_days": 180,
         "sn_type": 1, "prop1": "p1", "prop3": "p3", "aux_unit_name": "盒"},
        {"spec_no": "S-DIFF-2", "spec_name": "蓝", "unit_name": "瓶"},
    ]);
    assert_eq!(push_goods(&pushed, goods, specs).await["status"], 0);
    let provider = json!({"provider_no": "P-DIFF", "provider_name": "对照供应商", "contact": "张", "telno": "010-1",
        "mobile": "139", "fax": "f", "qq": "1", "zip": "100000", "wangwang": "w", "email": "e@x", "website": "x.cn",
        "address": "路", "arrive_cycle_days": 7, "remark": "r", "is_disabled": 0, "account_bank_no": "62",
        "account_bank": "银行", "collect_name": "收", "province": 110000, "city": 110100, "district": 110101,
        "shortname": "跟进人"});
    assert_eq!(push_provider(&pushed, provider).await["status"], 0);

    let loaded = spawn_app().await;
    let fixture = Fixture::parse(
        &json!({"sid": "demo",
            "goods": [{"goods_no": "G-DIFF", "goods_name": "对照", "brand_name": "对照品牌", "specs": [
                {"spec_no": "S-DIFF-1", "spec_name": "红", "spec_code": "R", "barcode": "6900001", "base_unit": "个",
                 "units": [{"name": "盒", "ratio": 1}], "sn_managed": true, "validity_days": 180,
                 "props": ["p1", "", "p3"]},
                {"spec_no": "S-DIFF-2", "spec_name": "蓝", "base_unit": "瓶"}]}],
            "providers": [{"provider_no": "P-DIFF", "name": "对照供应商", "contact": "张", "telno": "010-1",
                "mobile": "139", "fax": "f", "qq": "1", "zip": "100000", "wangwang": "w", "email": "e@x",
                "website": "x.cn", "address": "路", "arrive_cycle_days": 7, "remark": "r", "account_bank_no": "62",
                "account_bank": "银行", "collect_name": "收", "province": "110000", "city": "110100",
                "district": "110101", "follower_name": "跟进人"}]})
        .to_string(),
    )
    .unwrap();
    loaded.store.import_fixture(&fixture).await.unwrap();

    let a = without_ids_and_times(goods_read(&pushed, "G-DIFF").await.unwrap());
    let b = without_ids_and_times(goods_read(&loaded, "G-DIFF").await.unwrap());
    assert_eq!(a, b);
    let a = without_ids_and_times(provider_read(&pushed, "P-DIFF").await.unwrap());
    let b = without_ids_and_times(provider_read(&loaded, "P-DIFF").await.unwrap());
    assert_eq!(a, b);
    // And the push of what the fixture loaded changes nothing there.
    let before = goods_read(&loaded, "G-DIFF").await.unwrap();
    let again = json!([{"spec_no": "S-DIFF-1", "spec_name": "红", "spec_code": "R", "barcode": "6900001",
        "validity_days": 180, "sn_type": 1, "prop1": "p1", "prop3": "p3", "aux_unit_name": "盒"},
        {"spec_no": "S-DIFF-2", "spec_name": "蓝", "unit_name": "瓶"}]);
    let g = json!({"goods_no": "G-DIFF", "goods_name": "对照", "brand_name": "对照品牌", "unit_name": "个"});
    assert_eq!(push_goods(&loaded, g, again).await["status"], 0);
    assert_eq!(goods_read(&loaded, "G-DIFF").await.unwrap(), before);
}

#[tokio::test]
async fn the_sdk_pushes_goods_and_providers_typed() {
    use wdt_client::methods::{GoodsInfo, GoodsPush, ProviderInfo, ProviderPush, SpecInfo};
    use wdt_client::{Client, RetryPolicy};

    let app = spawn_app().await;
    let client = Client::qjb(&app.url(), "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none());
    let push = GoodsPush {
        goods: GoodsInfo { goods_no: "G-SDK".into(), goods_name: "SDK货品".into(), ..GoodsInfo::default() },
        specs: vec![SpecInfo {
            spec_no: "S-SDK".into(),
            retail_price: Some(wdt_protocol::Dec4::parse("9.9").unwrap()),
            ..SpecInfo::default()
        }],
    };
    let id: i64 = client.send_qjb(&push).await.unwrap();
    assert_eq!(goods_read(&app, "G-SDK").await.unwrap()["goods_id"], id);
    let provider = ProviderPush {
        provider: ProviderInfo {
            provider_no: "P-SDK".into(),
            provider_name: "SDK供应商".into(),
            ..ProviderInfo::default()
        },
    };
    let answer = client.send_qjb(&provider).await.unwrap();
    assert_eq!((answer.status, answer.message.as_str()), (0, "OK"));
    assert!(provider_read(&app, "P-SDK").await.is_some());
}
