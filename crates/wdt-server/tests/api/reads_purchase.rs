//! `purchase.PurchaseReturn.queryWithDetail` and `purchase.PurchaseOrder.queryWithDetail` over
//! HTTP: the pages' example shapes, parameters and refusals, warehouse scope, paging, and the
//! documents `purchase.PurchaseReturn.createOrder` writes read back as written.

use serde_json::{Value, json};
use wdt_protocol::Dec4;
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};

use crate::helpers::*;

const RETURNS: &str = "purchase.PurchaseReturn.queryWithDetail";
const ORDERS: &str = "purchase.PurchaseOrder.queryWithDetail";
const CREATE: &str = "purchase.PurchaseReturn.createOrder";

const WH2_KEY: (&str, &str) = ("demo-qjb-wh2", "wh2-secret:wh2-salt");
const ALL_KEY: (&str, &str) = ("demo-qjb", "demo-secret:demo-salt");

/// The vendor's normal response example of `purchase.PurchaseReturn.queryWithDetail`.
const RETURN_EXAMPLE: &str = r#"
{"status":0,"data":{"total_count":1,"order":[{"purchase_no":"","post_fee":0,"city":"0",
"detail_list":[{"rec_id":2826,"return_id":1752,"spec_id":1,"spec_no":"wangdiantong","defect":false,
"provider_goods_no":"","num":1,"num2":0.3333,"out_num":0,"settle_num":0,"unit_ratio":3,"price":5,
"discount":1,"tax_rate":0,"tax_price":5,"amount":5,"out_amount":0,"remark":"","prop1":"","prop2":"",
"modified":1660117745000,"created":1660117745000,"unit_name":"哒哒哒哒哒","base_unit_name":"箱"}],
"goods_type_count":1,"return_id":1752,"remark":"","goods_count":1,"type":1,"telno":"",
"logistics_id":0,"is_reserved":true,"province":"0","warehouse_no":"wdtapi3-test","stockout_status":0,
"outer_no":"","contact":"lcj","purchaser_name":"系统","modified":1660117751000,
"provider_name":"LCJtest22222","logistics_type":0,"receive_address":"","other_fee":0,"note_count":0,
"provider_no":"LCJtest","check_operator_name":"aaa","goods_out_count":0,"logistics_no":"",
"created":1660117745000,"settle_status":0,"return_no":"CR202208100006",
"warehouse_name":"wdtapi3-test","district":"0","goods_fee":5,"creator_name":"aaa","status":40,
"warehouse_id":624,"check_time":1660117751000}]}}
"#;

/// The vendor's normal response example of `purchase.PurchaseOrder.queryWithDetail`.
const ORDER_EXAMPLE: &str = r#"
{"status":0,"data":{"total_count":1,"order":[{"flag_id":0,"logistics_name":"未知",
"purchase_no":"RH23011215","goods_stockin_count":0,"post_fee":0,"detail_list":[{"rec_id":23887,
"purchase_id":8490,"spec_id":1,"spec_no":"wangdiantong","retail_price":5,"provider_goods_no":"",
"goods_no":"wangdiantong","goods_name":"wangdiantong","short_name":"","spec_remark":"dsfdk;ds123",
"spec_code":"LL ","spec_name":"暂无","barcode":"wangdiantong","img_url":"cos://IMG135.jpg","num":1,
"num2":0.3333,"arrive_num":0,"settle_num":0,"arrive_more_num":0,"stockin_num":0,"stockin_amount":0,
"stopwait_num":0,"expire_date":"","lack_num":1,"unit_ratio":3,"price":0,"purchase_price":"0.0000",
"aux_price":0,"discount":1,"tax_rate":0,"tax_price":0,"tax_amount":0,"dis_price":0,"amount":0,
"weight":0.2,"confirm_num":0,"created":"2023-01-12 16:27:55","aux_amount":0,
"modified":"2023-01-12 16:27:55","remark":"","prop1":"采购货品自定义属性1","prop2":"采购货品自定义属性2",
"prop3":"采购货品自定义属性3","prop4":"采购货品自定义属性4","gs_prop1":"自定义属性1","gs_prop2":"自定义属性2",
"gs_prop3":"自定义属性3","gs_prop4":"自定义属性4","gs_prop5":"自定义属性5","gs_prop6":"自定义属性6","base_unit_name":"箱",
"purchase_unit_name":"哒哒哒哒哒","brand_name":"发发拉"}],"goods_type_count":1,"remark":"","goods_count":1,
"stockin_status":0,"flag_name":"无","logistics_id":15,"tax_fee":0,"warehouse_no":"wdtapi3-test",
"total_fee":0,"purchaser_name":"aaa","modified":1673511761000,"pay_type":2,"provider_name":"刘子渲供应商",
"logistics_type":0,"other_fee":0,"provider_no":"lzx","check_operator_name":"系统",
"facheck_operator_name":"系统","logistics_no":"1023","created":1673511761000,"purchase_id":8490,
"settle_status":0,"postfee_pay_type":0,"goods_arrive_count":0,"prop2":"","prop1":"",
"warehouse_name":"wdtapi3-test","expect_arrive_time":"2023-01-17 16:27:55","provider_id":14,
"goods_fee":0,"creator_name":"aaa","status":20,"warehouse_id":624,"check_time":""}]}}
"#;

fn page(size: u32, no: u32) -> Pager {
    Pager { page_size: size, page_no: no, calc_total: true }
}

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

/// A JSON number (or decimal text) as an exact decimal.
fn dec(v: &Value) -> Dec4 {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("a decimal: {v}: {e}"))
}

/// The window of the last and the next hour.
fn recent() -> Value {
    let now = now_ms();
    json!({"start_time": format_wire_time(now - 3_600_000), "end_time": format_wire_time(now + 3_600_000)})
}

/// `recent()` with `extra`'s fields.
fn recent_with(extra: Value) -> Value {
    let mut p = recent();
    p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    p
}

async fn read(app: &TestApp, key: (&str, &str), method: &str, params: Value, pager: Pager) -> Value {
    qjb_params_call(app, key, method, params, Some(&pager)).await
}

fn orders(answer: &Value) -> &Vec<Value> {
    answer["data"]["order"].as_array().unwrap_or_else(|| panic!("a page of orders: {answer}"))
}

fn column(answer: &Value, name: &str) -> Vec<String> {
    orders(answer).iter().map(|o| o[name].as_str().unwrap_or_default().to_owned()).collect()
}

async fn create(app: &TestApp, order: Value, lines: Value, check: bool) {
    let body = json!([order, lines, check]);
    let (http, answer) = app.post_qjb(&QjbCall::new(CREATE, &body.to_string())).await;
    assert_eq!((http, &answer["status"]), (200, &json!(0)), "{answer}");
    assert_eq!(answer["data"]["status"], 0, "created as asked: {answer}");
}

/// An unchecked return of one unit of MUG-BLUE from `warehouse`.
async fn create_plain(app: &TestApp, outer_no: &str, warehouse: &str) {
    let order = json!({"outer_no": outer_no, "warehouse_no": warehouse, "provider_no": "P1"});
    create(app, order, json!([{"spec_no": "MUG-BLUE", "num": 1, "price": "8"}]), false).await;
}

/// A checked return of a box, a defect and a batch line, referencing CG-DEMO-1.
async fn create_mixed(app: &TestApp) {
    create(
        app,
        json!({"outer_no": "PR-MIX", "warehouse_no": "WH1", "provider_no": "P1", "logistics_no": "DBL",
               "ref_purchase_nos": ["CG-DEMO-1"], "remark": "mixed", "prop1": "p-1"}),
        json!([
            {"spec_no": "MUG-RED", "num": 1, "unit_name": "箱", "price": "96", "discount": "0.9", "tax_rate": "0.13"},
            {"spec_no": "MUG-RED", "num": 5, "defect": true, "remark": "cracked"},
            {"spec_no": "MILK-1L", "num": "1", "unit_name": "箱", "batch_no": "B2601", "price": "2.5"}
        ]),
        true,
    )
    .await;
}

#[tokio::test]
async fn each_answer_has_the_shape_of_its_pages_example() {
    let app = spawn_app().await;
    create_mixed(&app).await;
    let example: Value = serde_json::from_str(RETURN_EXAMPLE).unwrap();
    let answer = read(&app, ALL_KEY, RETURNS, json!({"return_no": "PR-MIX"}), page(10, 0)).await;
    assert_eq!(answer["data"]["total_count"], 1, "{answer}");
    // prop1 / prop2 are in the page's table, not in its example.
    assert_same_shape(&example, &answer, Extra::Only(&["prop1", "prop2"]));
    let example: Value = serde_json::from_str(ORDER_EXAMPLE).unwrap();
    let answer = read(&app, ALL_KEY, ORDERS, json!({"purchase_no": "CG-DEMO-1"}), page(10, 0)).await;
    assert_eq!(answer["data"]["total_count"], 1, "{answer}");
    assert_same_shape(&example, &answer, Extra::Only(&[]));
}

#[tokio::test]
async fn parameters_are_refused_with_the_vendors_texts() {
    let app = spawn_app().await;
    let now = format_wire_time(now_ms());
    let (a, b) = ("2026-01-01 00:00:00", "2026-01-31 23:59:59");
    // (method, params, the refusal's text, or None when accepted)
    let cases: Vec<(&str, Value, Option<&str>)> = vec![
        (RETURNS, json!({}), Some("参数中必须包含起止时间")),
        (RETURNS, json!({"start_time": now}), Some("参数中必须包含起止时间")),
        (RETURNS, json!({"start_time": a, "end_time": b}), None),
        (
            RETURNS,
            json!({"start_time": a, "end_time": "2026-02-01 00:00:00"}),
            Some("您的查询时间过宽,查询时间不能大于30天"),
        ),
        (RETURNS, json!({"start_time": b, "end_time": a}), Some("结束时间不能早于开始时间")),
        (RETURNS, json!({"start_time": "2026/01/01", "end_time": b}), Some("start_time: Unparseable date: 2026/01/01")),
        (RETURNS, json!({"return_no": "PR-X"}), None),
        (RETURNS, json!({"return_no": "PR-X", "start_time": a, "end_time": "2027-01-01 00:00:00"}), None),
        (RETURNS, json!({"return_no": "R".repeat(21)}), Some("超长(最大20) return_no")),
        (RETURNS, json!({"return_no": "PR-X", "provider_no": "P".repeat(21)}), Some("超长(最大20) provider_no")),
        (RETURNS, json!({"return_no": "PR-X", "status": 50}), Some("取值不合法(10/20/30/40/60) status: 50")),
        (RETURNS, json!({"return_no": "PR-X", "status": "x"}), Some("参数不合法 status")),
        (ORDERS, json!({}), Some("参数中必须包含起止时间")),
        (ORDERS, json!({"end_time": now}), Some("参数中必须包含起止时间")),
        (ORDERS, json!({"start_time": a, "end_time": "2026-02-01 00:00:00"}), Some("查询时间不能大于30天")),
        (ORDERS, json!({"purchase_no": "CG-DEMO-1"}), None),
        (ORDERS, json!({"purchase_no": "C".repeat(41)}), Some("超长(最大40) purchase_no")),
        (ORDERS, json!({"purchase_no": "C", "provider_no": "P".repeat(21)}), Some("超长(最大20) provider_no")),
        (
            ORDERS,
            json!({"purchase_no": "C", "expect_warehouse_no": "W".repeat(41)}),
            Some("超长(最大40) expect_warehouse_no"),
        ),
        (ORDERS, json!({"purchase_no": "C", "stockin_status": 6}), Some("取值不合法(0/1/2/3/4/5) stockin_status: 6")),
        (
            ORDERS,
            json!({"purchase_no": "C", "status": "20,25"}),
            Some("取值不合法(10/20/30/35/40/50/60/70/80/90) status: 25"),
        ),
        (ORDERS, json!({"purchase_no": "C", "status": "20,x"}), Some("status应该是由逗号分隔开的整数数组")),
        (ORDERS, json!({"start_time": a, "end_time": b, "status": "10,90", "stockin_status": "0"}), None),
        (ORDERS, json!([1]), Some("argument type mismatch: params")),
    ];
    for (method, params, want) in cases {
        let answer = read(&app, ALL_KEY, method, params.clone(), page(10, 0)).await;
        match want {
            None => assert_eq!(answer["status"], 0, "{method} {params}: {answer}"),
            Some(want) => {
                assert_ne!(answer["status"], 0, "{method} {params}: {answer}");
                assert!(answer.get("data").is_none(), "{answer}");
                let got = answer["message"].as_str().unwrap_or_default();
                assert!(got.contains(want), "{method} {params}: {got}");
            }
        }
    }
}

#[tokio::test]
async fn a_return_reads_back_as_created_with_its_purchase_order() {
    let app = spawn_app().await;
    create_mixed(&app).await;
    let answer = read(&app, ALL_KEY, RETURNS, recent(), page(10, 0)).await;
    let [r] = orders(&answer).as_slice() else { panic!("one return: {answer}") };
    let fields = |names: &[&str]| Value::Array(names.iter().map(|n| r[*n].clone()).collect());
    assert_eq!(
        fields(&["return_no", "outer_no", "warehouse_no", "provider_no", "provider_name", "purchase_no", "remark"]),
        json!(["PR-MIX", "PR-MIX", "WH1", "P1", "杯具供应商", "CG-DEMO-1", "mixed"])
    );
    assert_eq!(fields(&["status", "stockout_status", "type", "goods_type_count"]), json!([40, 2, 1, 2]));
    assert_eq!((&r["logistics_no"], &r["prop1"], &r["contact"]), (&json!("DBL"), &json!("p-1"), &json!("李工")));
    assert!(r["check_time"].as_i64().is_some() && r["modified"].as_i64() >= r["created"].as_i64(), "{r}");
    // 12 + 5 + 12 base units; 96 × 0.9 = 86.4 a unit × 12, and 2.5 × 12.
    assert_eq!((dec(&r["goods_count"]), dec(&r["goods_out_count"])), (d("29"), d("29")));
    assert_eq!(dec(&r["goods_fee"]), d("1066.8"));
    let lines = r["detail_list"].as_array().unwrap();
    let line = |i: usize, names: &[&str]| Value::Array(names.iter().map(|n| lines[i][*n].clone()).collect());
    assert_eq!(lines.len(), 3);
    assert_eq!(line(0, &["spec_no", "unit_name", "base_unit_name", "defect"]), json!(["MUG-RED", "箱", "件", false]));
    assert_eq!(line(1, &["spec_no", "unit_name", "defect", "remark"]), json!(["MUG-RED", "件", true, "cracked"]));
    assert_eq!(line(2, &["spec_no", "unit_name", "base_unit_name"]), json!(["MILK-1L", "箱", "盒"]));
    let decimals = |i: usize, names: &[&str]| names.iter().map(|n| dec(&lines[i][*n])).collect::<Vec<_>>();
    let names =
        ["num", "num2", "unit_ratio", "price", "discount", "tax_rate", "tax_price", "amount", "out_num", "out_amount"];
    assert_eq!(
        decimals(0, &names),
        ["12", "1", "12", "96", "0.9", "0.13", "108.48", "1036.8", "12", "1036.8"].map(d).to_vec()
    );
    assert_eq!(decimals(1, &names), ["5", "5", "1", "0", "1", "0", "0", "0", "5", "0"].map(d).to_vec());
    assert_eq!(decimals(2, &["num", "num2", "price", "amount"]), ["12", "1", "2.5", "30"].map(d).to_vec());
    for l in lines {
        assert_eq!((&l["return_id"], &l["modified"]), (&r["return_id"], &r["modified"]), "{l}");
    }

    // Its purchase order, as loaded.
    let po = read(&app, ALL_KEY, ORDERS, json!({"purchase_no": r["purchase_no"]}), page(10, 0)).await;
    let [o] = orders(&po).as_slice() else { panic!("one order: {po}") };
    let names = ["purchase_no", "provider_no", "provider_name", "warehouse_no", "flag_name"];
    assert_eq!(
        Value::Array(names.map(|n| o[n].clone()).to_vec()),
        json!(["CG-DEMO-1", "P1", "杯具供应商", "WH1", "无"])
    );
    assert_eq!((&o["status"], &o["goods_type_count"]), (&json!(40), &json!(1)));
    assert_eq!(
        ["goods_count", "goods_fee", "tax_fee", "total_fee"].map(|n| dec(&o[n])),
        ["100", "800", "800", "800"].map(d)
    );
    let line = &o["detail_list"][0];
    assert_eq!(
        (&line["spec_no"], &line["goods_no"], &line["base_unit_name"]),
        (&json!("MUG-RED"), &json!("G-MUG"), &json!("件"))
    );
    assert_eq!(
        ["num", "num2", "price", "amount", "lack_num"].map(|n| dec(&line[n])),
        ["100", "100", "8", "800", "100"].map(d)
    );
    assert_eq!(line["purchase_price"], "8.0000", "text, as the example");
    assert_eq!(line["purchase_id"], o["purchase_id"]);
}

#[tokio::test]
async fn a_key_limited_to_wh2_sees_wh2_documents_only() {
    let app = spawn_app().await;
    create_plain(&app, "PR-WH1", "WH1").await;
    create_plain(&app, "PR-WH2", "WH2").await;
    let fixture = json!({"sid": "demo", "purchase_orders": [{"purchase_no": "CG-WH2", "provider_no": "P2",
        "warehouse_no": "WH2", "status": "checked", "details": [{"spec_no": "MUG-BLUE", "num": "5", "price": "2"}]}]});
    app.store.import_fixture(&wdt_domain::fixture::Fixture::parse(&fixture.to_string()).unwrap()).await.unwrap();

    let all = read(&app, ALL_KEY, RETURNS, recent(), page(10, 0)).await;
    assert_eq!(column(&all, "return_no"), ["PR-WH1", "PR-WH2"]);
    let wh2 = read(&app, WH2_KEY, RETURNS, recent(), page(10, 0)).await;
    assert_eq!((column(&wh2, "return_no"), &wh2["data"]["total_count"]), (vec!["PR-WH2".to_owned()], &json!(1)));
    let named = read(&app, WH2_KEY, RETURNS, json!({"return_no": "PR-WH1"}), page(10, 0)).await;
    assert_eq!((&named["status"], orders(&named).len()), (&json!(0), 0), "{named}");

    let all = read(&app, ALL_KEY, ORDERS, recent(), page(10, 0)).await;
    assert_eq!(column(&all, "purchase_no"), ["CG-DEMO-1", "CG-DEMO-2", "CG-DEMO-3", "CG-WH2"]);
    let wh2 = read(&app, WH2_KEY, ORDERS, recent(), page(10, 0)).await;
    assert_eq!(column(&wh2, "purchase_no"), ["CG-WH2"]);
    let by_no = read(&app, WH2_KEY, ORDERS, json!({"purchase_no": "CG-DEMO-1"}), page(10, 0)).await;
    assert_eq!(orders(&by_no).len(), 0, "{by_no}");
    // Naming a warehouse out of scope answers exactly as one that does not exist.
    for field in ["expect_warehouse_no", "receive_warehouse_no"] {
        let out = read(&app, WH2_KEY, ORDERS, recent_with(json!({field: "WH1"})), page(10, 0)).await;
        assert_eq!((&out["status"], &out["message"]), (&json!(100), &json!("仓库不存在  仓库编号: WH1")), "{out}");
        let unknown = read(&app, ALL_KEY, ORDERS, recent_with(json!({field: "WH9"})), page(10, 0)).await;
        assert_eq!((&unknown["status"], &unknown["message"]), (&json!(100), &json!("仓库不存在  仓库编号: WH9")));
    }
    let mine = read(&app, WH2_KEY, ORDERS, recent_with(json!({"expect_warehouse_no": "WH2"})), page(10, 0)).await;
    assert_eq!(column(&mine, "purchase_no"), ["CG-WH2"]);
}

#[tokio::test]
async fn filters_narrow_the_documents() {
    let app = spawn_app().await;
    create_plain(&app, "PR-F1", "WH1").await;
    create_plain(&app, "PR-F2", "WH2").await;
    create_mixed(&app).await;
    let cases: Vec<(&str, Value, Vec<&str>, &str)> = vec![
        (RETURNS, json!({"status": 40}), vec!["PR-MIX"], "return_no"),
        (RETURNS, json!({"status": 20}), vec!["PR-F1", "PR-F2"], "return_no"),
        (RETURNS, json!({"provider_no": "P2"}), vec![], "return_no"),
        (RETURNS, json!({"return_no": "PR-F", "fuzzy_query": true}), vec!["PR-F1", "PR-F2"], "return_no"),
        (RETURNS, json!({"return_no": "PR-F"}), vec![], "return_no"),
        (ORDERS, json!({"status": "20,60"}), vec!["CG-DEMO-2", "CG-DEMO-3"], "purchase_no"),
        (ORDERS, json!({"provider_no": "P2"}), vec!["CG-DEMO-3"], "purchase_no"),
        (ORDERS, json!({"stockin_status": 0}), vec!["CG-DEMO-1", "CG-DEMO-2", "CG-DEMO-3"], "purchase_no"),
        (ORDERS, json!({"stockin_status": 2}), vec![], "purchase_no"),
        (
            ORDERS,
            json!({"purchase_no": "CG-DEMO", "fuzzy_query": true}),
            vec!["CG-DEMO-1", "CG-DEMO-2", "CG-DEMO-3"],
            "purchase_no",
        ),
    ];
    for (method, params, want, name) in cases {
        let answer = read(&app, ALL_KEY, method, recent_with(params.clone()), page(10, 0)).await;
        assert_eq!(column(&answer, name), want, "{method} {params}: {answer}");
    }
}

#[tokio::test]
async fn pages_from_0_in_a_stable_order_with_the_total() {
    let app = spawn_app().await;
    for i in 0..5 {
        create_plain(&app, &format!("PR-P{i}"), "WH1").await;
    }
    for (method, name, total) in [(RETURNS, "return_no", 5), (ORDERS, "purchase_no", 3)] {
        let mut seen: Vec<(i64, i64, String)> = Vec::new();
        let id = if method == RETURNS { "return_id" } else { "purchase_id" };
        for no in 0..3 {
            let answer = read(&app, ALL_KEY, method, recent(), page(2, no)).await;
            assert_eq!(answer["data"]["total_count"], total, "{answer}");
            for o in orders(&answer) {
                seen.push((o["modified"].as_i64().unwrap(), o[id].as_i64().unwrap(), o[name].as_str().unwrap().into()));
            }
        }
        assert_eq!(seen.len(), total as usize, "{method}: every document once: {seen:?}");
        assert!(
            seen.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)),
            "{method}: (modified, id) order: {seen:?}"
        );
        // Without calc_total there is no total.
        let quiet = read(&app, ALL_KEY, method, recent(), Pager { page_size: 2, page_no: 0, calc_total: false }).await;
        assert!(quiet["data"].get("total_count").is_none(), "{quiet}");
        assert_eq!(orders(&quiet).len(), 2);
    }
}

#[tokio::test]
async fn the_sdk_reads_every_document_typed_over_a_range() {
    use wdt_client::methods::reads::purchase::{PurchaseOrderQuery, PurchaseReturnQuery};
    use wdt_client::{Client, ReadAll};

    let app = spawn_app().await;
    create_mixed(&app).await;
    create_plain(&app, "PR-SDK", "WH2").await;
    let client = Client::qjb(&app.url(), "demo", ALL_KEY.0, ALL_KEY.1);
    // 90 days, read in windows of at most 30 days, one document a page.
    let now = now_ms() / 1000;
    let mut returns = ReadAll::over(&client, PurchaseReturnQuery::default(), now - 90 * 86_400, now + 60, 1).unwrap();
    let mut got = Vec::new();
    while let Some(r) = returns.next().await {
        let r = r.unwrap();
        got.push((
            r.return_no,
            r.detail_list.len(),
            r.detail_list.iter().map(|l| l.num).fold(Dec4::ZERO, |a, n| a.checked_add(n).unwrap()),
        ));
    }
    assert_eq!(got, [("PR-MIX".to_owned(), 3, d("29")), ("PR-SDK".to_owned(), 1, d("1"))]);
    let mut orders = ReadAll::over(&client, PurchaseOrderQuery::default(), now - 90 * 86_400, now + 60, 2).unwrap();
    let mut nos = Vec::new();
    while let Some(o) = orders.next().await {
        let o = o.unwrap();
        nos.push((o.purchase_no, o.detail_list[0].amount));
    }
    assert_eq!(
        nos,
        [("CG-DEMO-1", "800"), ("CG-DEMO-2", "80"), ("CG-DEMO-3", "144")].map(|(n, a)| (n.to_owned(), d(a)))
    );
}
