//! `wms.StockSpec.search` and `wms.StockSpec.queryChangeHistory`: parameters and refusals, the
//! pages' example shapes, warehouse scope, paging, and the agreement of stock, ledger and the
//! documents that wrote it.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use wdt_protocol::Dec4;
use wdt_protocol::methods::reads::stock::{StockChangePage, StockSpecPage};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};

use crate::helpers::*;

const SEARCH: &str = "wms.StockSpec.search";
const CHANGES: &str = "wms.StockSpec.queryChangeHistory";
const STOCKIN: &str = "wms.stockin.Refund.createOrder";
const PURCHASE_RETURN: &str = "purchase.PurchaseReturn.createOrder";
const WH2_KEY: &str = "demo-qjb-wh2";
const WH2_SECRET: &str = "wh2-secret:wh2-salt";

/// The page's normal response example of `StockSpec.search`.
const SEARCH_EXAMPLE: &str = r#"{"status": 0, "total": 1, "data": [{"goods_no": "wangdiantong",
 "goods_name": "wangdiantong", "spec_code": "LL ", "spec_name": "暂无", "barcode": "wangdiantong", "weight": 0.2,
 "img_url": "cos://IMG135.jpg", "spec_no": "wangdiantong", "spec_id": 1, "brand_name": "发发拉", "brand_no": "ffl",
 "rec_id": 291344, "defect": 1, "status": 1, "stock_num": 3, "unpay_num": 0, "subscribe_num": 0, "order_num": 0,
 "sending_num": 0, "purchase_num": 0, "transfer_num": 0, "to_transfer_num": 0, "to_other_out_num": 0,
 "to_process_out_num": 0, "to_process_in_num": 0, "to_purchase_num": 0, "purchase_arrive_num": 0, "return_num": 0,
 "return_exch_num": 0, "return_onway_num": 0, "refund_num": 0, "refund_exch_num": 0, "refund_onway_num": 0,
 "part_paid_num": 0, "wms_sync_stock": 0, "wms_stock_diff": 0, "wms_preempty_stock": 0, "wms_preempty_diff": 0,
 "modified": "2023-04-10 14:09:55", "created": "2023-02-09 18:14:31", "warehouse_id": 624,
 "warehouse_no": "wdtapi3-test", "warehouse_name": "wdtapi3-test", "warehouse_type": 1, "available_send_stock": 3,
 "remark": "", "flag_id": 0, "flag_name": "无", "lock_num": 0, "last_pd_time": "2023-04-10 14:09:55",
 "last_inout_time": "2023-04-10 14:09:55", "today_num": 0, "num_7days": 0, "num_14days": 0, "num_month": 0,
 "num_all": 80, "cost_price": 0}]}"#;

/// The response table's fields the search example leaves out (shown too, as the table says).
const SEARCH_TABLE_ONLY: &[&str] = &[
    "wms_sync_time",
    "to_other_in_num",
    "wait_transfer_num",
    "sys_user_define_stock1",
    "sys_user_define_stock2",
    "inspect_num",
    "trade_reserve_num",
    "unit_name",
    "aux_unit_name",
    "process_onway_num",
    "num_yesterday",
    "num_60days",
    "num_90days",
];

/// The fields `need_alarm_info` 1 adds (the response table's 警戒相关).
const ALARM_KEYS: &[&str] =
    &["safe_stock", "safe_stock_uppe", "alarm_type", "alarm_days", "alarm_days_upper", "cycle_days"];

/// The page's normal response example of `StockSpec.queryChangeHistory`, as written there.
const CHANGES_EXAMPLE: &str = r#"{"status": 0, "data": {"data": [{"actual_weight_new": 0.0000,
 "created": 1724225774000, "src_order_type": 1, "num": 10.0000, "stock_num_new": 100155.0000, "remark": "",
 "type": 2, "spec_no": "wangdiantong", "src_order_no": "JY202408210092", "actual_weight": 0.0000,
 "operator_name": "aaa2", "defect": false, "stock_num_old": 100165.0000, "warehouse_name": "wdtapi3-test",
 "warehouse_no": "wdtapi3-test", "stockio_no": "CK2024082138", "actual_weight_old": 0.0000}], "total_count": 1}}"#;

fn pager(size: u32, no: u32) -> Pager {
    Pager { page_size: size, page_no: no, calc_total: true }
}

/// A window of `minutes` before and after now.
fn around_now(minutes: i64) -> (String, String) {
    let now = now_ms();
    (format_wire_time(now - minutes * 60_000), format_wire_time(now + minutes * 60_000))
}

async fn call(app: &TestApp, key: &str, secret: &str, method: &str, params: Value, pager: Option<&Pager>) -> Value {
    qjb_params_call(app, (key, secret), method, params, pager).await
}

async fn search(app: &TestApp, params: Value, pager: &Pager) -> Value {
    call(app, QJB_KEY, QJB_SECRET, SEARCH, params, Some(pager)).await
}

async fn changes(app: &TestApp, params: Value, pager: &Pager) -> Value {
    call(app, QJB_KEY, QJB_SECRET, CHANGES, params, Some(pager)).await
}

fn search_window() -> Value {
    let (start, end) = around_now(60);
    json!({"start_time": start, "end_time": end})
}

/// A 60-minute ledger window around now (the longest without `spec_no`).
fn ledger_window() -> Value {
    let (start, end) = around_now(30);
    json!({"start_date": start, "end_date": end})
}

fn with(base: &Value, extra: Value) -> Value {
    let mut p = base.clone();
    p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    p
}

fn dec(v: &Value) -> Dec4 {
    Dec4::parse(&v.to_string()).unwrap_or_else(|e| panic!("{v} is not a decimal: {e}"))
}

/// Pushes a checked return stock-in of one line; its RK number.
async fn stock_in(app: &TestApp, refund: &str, warehouse: &str, line: Value) -> String {
    let body = json!([{"refund_no": refund, "warehouse_no": warehouse, "create_mode": 2, "detail_list": [line]}]);
    let (_, answer) = app.post_qjb(&QjbCall::new(STOCKIN, &body.to_string())).await;
    assert_eq!(answer["status"], 0, "{answer}");
    answer["data"].as_str().unwrap().to_owned()
}

/// Pushes a checked purchase return of one line out of WH1.
async fn purchase_return(app: &TestApp, outer: &str, line: Value) {
    let order = json!({"outer_no": outer, "warehouse_no": "WH1", "provider_no": "P1"});
    let body = json!([order, [line], true]);
    let (_, answer) = app.post_qjb(&QjbCall::new(PURCHASE_RETURN, &body.to_string())).await;
    assert_eq!(answer["data"], json!({"status": 0, "message": outer}), "{answer}");
}

/// Two return stock-ins into WH1 (one of defect stock), one into WH2, and a checked purchase
/// return out of WH1: the RK numbers.
async fn moved() -> (TestApp, Vec<String>) {
    let app = spawn_app().await;
    let mut rk = Vec::new();
    rk.push(stock_in(&app, "TK-DEMO-1", "WH1", json!({"spec_no": "MUG-RED", "num": 2})).await);
    rk.push(stock_in(&app, "TK-DEMO-1", "WH1", json!({"spec_no": "MUG-RED", "num": 1, "defect": true})).await);
    rk.push(stock_in(&app, "TK-DEMO-5", "WH2", json!({"spec_no": "MUG-BLUE", "num": "1"})).await);
    purchase_return(&app, "PR-STOCK-1", json!({"spec_no": "MUG-RED", "num": "4.5"})).await;
    (app, rk)
}

/// (params, pager, the refusal's text or `None` when accepted).
type Case = (Value, Option<Pager>, Option<String>);

async fn run_cases(app: &TestApp, method: &str, cases: Vec<Case>) {
    for (params, pager, want) in cases {
        let answer = call(app, QJB_KEY, QJB_SECRET, method, params.clone(), pager.as_ref()).await;
        match want {
            None => assert_eq!(answer["status"], 0, "{params}: {answer}"),
            Some(want) => assert_qjb_error(&(200, answer), 100, &want),
        }
    }
}

#[tokio::test]
async fn search_parameters_are_checked_as_the_page_says() {
    let app = spawn_app().await;
    let w = search_window();
    let p = Some(pager(10, 0));
    let month = json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-31 23:59:59"});
    let cases: Vec<Case> = vec![
        (w.clone(), p, None),
        (json!({"spec_nos": ["MUG-RED"]}), p, None),
        (with(&month, json!({"warehouse_no": "WH1", "mask": "3", "need_alarm_info": 1})), p, None),
        (json!({}), p, Some("参数中必须包含起止时间".into())),
        (json!({"start_time": w["start_time"]}), p, Some("参数中必须包含起止时间".into())),
        (
            json!({"start_time": "2026-01-01 00:00:00", "end_time": "2026-02-01 00:00:00"}),
            p,
            Some("不能大于30天".into()),
        ),
        (json!({"start_time": "2026/01/01", "end_time": "2026-01-02 00:00:00"}), p, Some("start_time: ".into())),
        (
            json!({"start_time": "2026-01-02 00:00:00", "end_time": "2026-01-01 00:00:00"}),
            p,
            Some("结束时间不能早于".into()),
        ),
        (with(&w, json!({"spec_nos": ["MUG-RED", "X".repeat(41)]})), p, Some("超长(最大40) spec_nos[1]".into())),
        (with(&w, json!({"warehouse_no": "W".repeat(41)})), p, Some("超长(最大40) warehouse_no".into())),
        (with(&w, json!({"mask": 4})), p, Some("取值不合法(0/1/2/3) mask: 4".into())),
        (with(&w, json!({"need_alarm_info": 2})), p, Some("取值不合法(0/1) need_alarm_info: 2".into())),
        (with(&w, json!({"warehouse_no": "NOPE"})), p, Some("仓库不存在  仓库编号: NOPE".into())),
        (w.clone(), Some(pager(1001, 0)), Some("page_size 不合法(1-1000): 1001".into())),
        (w.clone(), None, Some(format!("此方法仅支持分页查询：{SEARCH}"))),
    ];
    run_cases(&app, SEARCH, cases).await;
}

#[tokio::test]
async fn ledger_parameters_are_checked_as_the_page_says() {
    let app = spawn_app().await;
    let w = ledger_window();
    let p = Some(pager(10, 0));
    let start = "2026-01-01 00:00:00";
    let hour = "您的查询时间过宽,不传商家编码,查询时间不能大于1小时";
    let cases: Vec<Case> = vec![
        (w.clone(), p, None),
        (with(&w, json!({"spec_no": "MUG-RED", "type": "1", "defect": "true", "warehouse_no": "WH1"})), p, None),
        (json!({"start_date": start, "end_date": "2026-01-31 00:00:00", "spec_no": "MUG-RED"}), p, None),
        (json!({"end_date": start}), p, Some("start_date不能为空".into())),
        (json!({"start_date": start}), p, Some("end_date不能为空".into())),
        (json!({"start_date": start, "end_date": "2026-01-01 01:00:01"}), p, Some(hour.into())),
        (
            json!({"start_date": start, "end_date": "2026-02-01 00:00:00", "spec_no": "MUG-RED"}),
            p,
            Some("您的查询时间过宽,查询时间不能大于30天".into()),
        ),
        (json!({"start_date": "2026-01-02 00:00:00", "end_date": start}), p, Some("start_date: 2026-01-02".into())),
        (
            json!({"start_date": "yesterday", "end_date": start}),
            p,
            Some("start_date: Unparseable date: yesterday".into()),
        ),
        (with(&w, json!({"type": 3})), p, Some("取值不合法(1/2) type: 3".into())),
        (with(&w, json!({"defect": "maybe"})), p, Some("defect".into())),
        (with(&w, json!({"spec_no": "S".repeat(41)})), p, Some("超长(最大40) spec_no".into())),
        (with(&w, json!({"warehouse_no": "NOPE"})), p, Some("仓库不存在  仓库编号: NOPE".into())),
        (w.clone(), Some(pager(0, 0)), Some("page_size 不合法(1-1000): 0".into())),
        (w.clone(), None, Some(format!("此方法仅支持分页查询：{CHANGES}"))),
    ];
    run_cases(&app, CHANGES, cases).await;
}

#[tokio::test]
async fn search_answers_the_examples_shape() {
    let app = spawn_app().await;
    let example: Value = serde_json::from_str(SEARCH_EXAMPLE).unwrap();
    let answer = search(&app, with(&search_window(), json!({"mask": 3})), &pager(100, 0)).await;
    assert_same_shape(&example, &answer, Extra::Any);
    let keys: Vec<&str> = answer.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 3, "status, total and a bare data list: {keys:?}");
    let known = example["data"][0].as_object().unwrap();
    for row in answer["data"].as_array().unwrap() {
        for key in row.as_object().unwrap().keys() {
            assert!(known.contains_key(key) || SEARCH_TABLE_ONLY.contains(&key.as_str()), "{key} is on neither");
        }
        for key in SEARCH_TABLE_ONLY {
            assert!(row.get(*key).is_some(), "{key} of the response table");
        }
    }
    // The SDK's page type reads the answer and writes the same fields back.
    let typed: StockSpecPage = serde_json::from_value(answer.clone()).unwrap();
    assert_eq!(typed.total, answer["total"].as_i64());
    let written = serde_json::to_value(&typed.data[0]).unwrap();
    let written_keys: Vec<&String> = written.as_object().unwrap().keys().collect();
    let answered_keys: Vec<&String> = answer["data"][0].as_object().unwrap().keys().collect();
    assert_eq!(written_keys.len(), answered_keys.len(), "{written_keys:?} vs {answered_keys:?}");
    assert!(answered_keys.iter().all(|k| written.get(k.as_str()).is_some()));
    let red = answer["data"].as_array().unwrap().iter().find(|r| r["spec_no"] == "MUG-RED" && r["defect"] == 0);
    let red = red.expect("the opening stock of MUG-RED");
    assert_eq!(
        (dec(&red["stock_num"]), dec(&red["cost_price"])),
        (Dec4::parse("100").unwrap(), Dec4::parse("10.5").unwrap())
    );
    assert_eq!(
        (&red["goods_no"], &red["barcode"], &red["unit_name"], &red["aux_unit_name"]),
        (&json!("G-MUG"), &json!("6900000000011"), &json!("件"), &json!("箱"))
    );
    assert_eq!(
        (&red["warehouse_no"], &red["warehouse_type"], &red["last_pd_time"]),
        (&json!("WH1"), &json!(1), &json!(""))
    );
    assert_eq!(dec(&red["purchase_num"]), Dec4::parse("100").unwrap(), "CG-DEMO-1 is checked, not arrived");
    let blue = answer["data"].as_array().unwrap().iter().find(|r| r["spec_no"] == "MUG-BLUE").unwrap();
    assert_eq!(dec(&blue["purchase_num"]), Dec4::ZERO, "CG-DEMO-2 is still being edited");

    // Without a mask the sales and cost fields are left out; the alarm fields only on request.
    let plain = search(&app, with(&search_window(), json!({"spec_nos": ["MUG-RED"]})), &pager(10, 0)).await;
    let row = &plain["data"][0];
    for key in ["cost_price", "today_num", "num_all", "num_90days", "safe_stock"] {
        assert!(row.get(key).is_none(), "{key} without mask: {row}");
    }
    let cost = search(&app, json!({"spec_nos": ["MUG-RED"], "mask": 2, "need_alarm_info": 1}), &pager(10, 0)).await;
    let row = &cost["data"][0];
    assert!(row.get("cost_price").is_some() && row.get("today_num").is_none(), "{row}");
    for key in ALARM_KEYS {
        assert!(row.get(*key).is_some_and(Value::is_number), "{key}: {row}");
    }

    // Without calc_total no total; an empty page is an empty list.
    let uncounted = Pager { calc_total: false, ..pager(10, 0) };
    let none = search(&app, json!({"spec_nos": ["NO-SUCH-SPEC"]}), &uncounted).await;
    assert_eq!(none, json!({"status": 0, "data": []}));
}

#[tokio::test]
async fn the_ledger_answers_the_examples_shape() {
    let (app, _) = moved().await;
    let example: Value = serde_json::from_str(CHANGES_EXAMPLE).unwrap();
    let answer = changes(&app, ledger_window(), &pager(100, 0)).await;
    assert_same_shape(&example, &answer, Extra::Any);
    let example_row = example["data"]["data"][0].as_object().unwrap();
    for row in answer["data"]["data"].as_array().unwrap() {
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), example_row.len(), "exactly the example's fields: {row}");
    }
    assert_eq!(answer.as_object().unwrap().len(), 2, "{answer}");
    let typed: StockChangePage = serde_json::from_value(answer["data"].clone()).unwrap();
    assert_eq!(typed.total_count, answer["data"]["total_count"].as_i64());
    assert_eq!(
        serde_json::to_value(&typed.data[0]).unwrap(),
        answer["data"]["data"][0],
        "the SDK's row writes it back"
    );
}

#[tokio::test]
async fn a_key_limited_to_wh2_sees_only_wh2() {
    let (app, rk) = moved().await;
    let scoped = |method: &'static str, params: Value| {
        let app = &app;
        async move { call(app, WH2_KEY, WH2_SECRET, method, params, Some(&pager(100, 0))).await }
    };
    let found = scoped(SEARCH, search_window()).await;
    assert_eq!(found["status"], 0, "{found}");
    let rows = found["data"].as_array().unwrap();
    assert_eq!(found["total"], rows.len());
    assert!(!rows.is_empty() && rows.iter().all(|r| r["warehouse_no"] == "WH2"), "{found}");
    let ledger = scoped(CHANGES, ledger_window()).await;
    let rows = ledger["data"]["data"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["warehouse_no"] == "WH2"), "{ledger}");
    assert_eq!(rows.iter().map(|r| r["stockio_no"].clone()).collect::<Vec<_>>(), vec![json!(rk[2])]);

    // Naming WH1 answers as naming a warehouse that does not exist.
    for (method, params) in [
        (SEARCH, with(&search_window(), json!({"warehouse_no": "WH1"}))),
        (CHANGES, with(&ledger_window(), json!({"warehouse_no": "WH1"}))),
    ] {
        let refused = scoped(method, params.clone()).await;
        let unknown = scoped(method, with(&params, json!({"warehouse_no": "NOPE"}))).await;
        assert_qjb_error(&(200, refused.clone()), 100, "仓库不存在  仓库编号: WH1");
        assert_eq!(refused["message"].as_str().unwrap().replace("WH1", "NOPE"), unknown["message"], "{method}");
    }
    // The unscoped key sees both warehouses.
    let all = search(&app, search_window(), &pager(100, 0)).await;
    let warehouses: Vec<&str> =
        all["data"].as_array().unwrap().iter().map(|r| r["warehouse_no"].as_str().unwrap()).collect();
    assert_eq!(warehouses.iter().filter(|w| **w == "WH2").count(), 1, "{warehouses:?}");
    assert!(warehouses.contains(&"WH1"), "{warehouses:?}");
}

/// Pages of `size` from page 0 until a short one: every row once, in the order of one big page.
async fn all_pages(
    app: &TestApp,
    method: &str,
    params: &Value,
    size: u32,
    rows_of: fn(&Value) -> Vec<Value>,
) -> (Vec<Value>, Vec<i64>) {
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for no in 0.. {
        let answer = call(app, QJB_KEY, QJB_SECRET, method, params.clone(), Some(&pager(size, no))).await;
        assert_eq!(answer["status"], 0, "{answer}");
        totals.push(answer["total"].as_i64().or(answer["data"]["total_count"].as_i64()).expect("a total"));
        let page = rows_of(&answer);
        let short = page.len() < size as usize;
        rows.extend(page);
        if short {
            break;
        }
    }
    (rows, totals)
}

#[tokio::test]
async fn paging_is_stable_and_counted() {
    let (app, _) = moved().await;
    let search_rows: fn(&Value) -> Vec<Value> = |a| a["data"].as_array().unwrap().clone();
    let ledger_rows: fn(&Value) -> Vec<Value> = |a| a["data"]["data"].as_array().unwrap().clone();
    for (method, params, rows_of, id) in
        [(SEARCH, search_window(), search_rows, "rec_id"), (CHANGES, ledger_window(), ledger_rows, "created")]
    {
        let whole = rows_of(&call(&app, QJB_KEY, QJB_SECRET, method, params.clone(), Some(&pager(1000, 0))).await);
        assert!(whole.len() > 3, "{method}: {whole:?}");
        let (paged, totals) = all_pages(&app, method, &params, 2, rows_of).await;
        assert_eq!(paged, whole, "{method}: pages of 2 are the big page in order");
        assert!(totals.iter().all(|t| *t == whole.len() as i64), "{method}: {totals:?}");
        // Rows are in time order (the search: last change, then rec_id).
        if method == SEARCH {
            // `modified` is shown to the second, the order is by the millisecond, then rec_id.
            let times: Vec<&str> = whole.iter().map(|r| r["modified"].as_str().unwrap()).collect();
            assert!(times.windows(2).all(|p| p[0] <= p[1]), "{times:?}");
            let mut ids: Vec<i64> = whole.iter().map(|r| r[id].as_i64().unwrap()).collect();
            ids.dedup();
            assert_eq!(ids.len(), whole.len(), "one row per rec_id");
        } else {
            let times: Vec<i64> = whole.iter().map(|r| r["created"].as_i64().unwrap()).collect();
            assert!(times.windows(2).all(|p| p[0] <= p[1]), "{times:?}");
        }
    }
}

#[tokio::test]
async fn stock_equals_the_ledgers_sum_and_each_change_names_its_document() {
    let (app, rk) = moved().await;
    let found = search(&app, with(&search_window(), json!({"mask": 2})), &pager(1000, 0)).await;
    let rows = found["data"].as_array().unwrap();
    let (start, end) = around_now(24 * 60);
    let mut documents: BTreeMap<String, Value> = BTreeMap::new();
    for row in rows {
        let (warehouse, spec, defect) = (row["warehouse_no"].clone(), row["spec_no"].clone(), row["defect"] == 1);
        let params =
            json!({"start_date": start, "end_date": end, "spec_no": spec, "warehouse_no": warehouse, "defect": defect});
        let ledger = changes(&app, params, &pager(1000, 0)).await;
        let changes = ledger["data"]["data"].as_array().unwrap();
        assert!(!changes.is_empty(), "{row}");
        let mut sum = Dec4::ZERO;
        for c in changes {
            let signed = if c["type"] == 1 { dec(&c["num"]) } else { -dec(&c["num"]) };
            assert_eq!(dec(&c["stock_num_old"]).checked_add(signed), Some(dec(&c["stock_num_new"])), "{c}");
            assert_eq!(dec(&c["stock_num_old"]), sum, "each change starts where the last ended: {c}");
            sum = sum.checked_add(signed).unwrap();
            assert_eq!((&c["warehouse_no"], &c["spec_no"], &c["defect"]), (&warehouse, &spec, &json!(defect)));
            documents.insert(c["stockio_no"].as_str().unwrap().to_owned(), c.clone());
        }
        assert_eq!(dec(&row["stock_num"]), sum, "{warehouse} {spec} defect {defect}");
        assert_eq!(dec(&row["available_send_stock"]), sum);
        // The stock table agrees.
        let lines = app.store.stock_of("demo", spec.as_str().unwrap()).await.unwrap();
        let table = lines
            .iter()
            .filter(|l| l.warehouse_no == warehouse.as_str().unwrap() && l.defect == defect)
            .fold(Dec4::ZERO, |s, l| s.checked_add(l.num).unwrap());
        assert_eq!(table, sum, "{warehouse} {spec} defect {defect}");
    }
    // MUG-RED in WH1: 100 opening + 2 in - 4.5 out; its defect stock 5 + 1.
    let red = |defect: i64| {
        rows.iter().find(|r| r["spec_no"] == "MUG-RED" && r["warehouse_no"] == "WH1" && r["defect"] == defect).unwrap()
    };
    assert_eq!(
        (dec(&red(0)["stock_num"]), dec(&red(1)["stock_num"])),
        (Dec4::parse("97.5").unwrap(), Dec4::parse("6").unwrap())
    );

    // Each row names the document that wrote it.
    let stockin = |no: &String| documents.get(no).unwrap_or_else(|| panic!("{no} in the ledger"));
    for (no, refund) in [(&rk[0], "TK-DEMO-1"), (&rk[1], "TK-DEMO-1"), (&rk[2], "TK-DEMO-5")] {
        let c = stockin(no);
        assert_eq!(
            (&c["src_order_type"], &c["type"], &c["src_order_no"]),
            (&json!(12), &json!(1), &json!(refund)),
            "{c}"
        );
        assert_eq!(c["operator_name"], QJB_KEY, "pushed checked by the demo key: {c}");
    }
    let pr = documents.get("PR-STOCK-1").expect("the purchase return in the ledger");
    assert_eq!(
        (&pr["src_order_type"], &pr["type"], &pr["src_order_no"]),
        (&json!(14), &json!(2), &json!("PR-STOCK-1"))
    );
    assert_eq!(dec(&pr["num"]), Dec4::parse("4.5").unwrap(), "an exact quantity");
    let opening = documents.get("OPENING").expect("the opening balance");
    assert_eq!((&opening["src_order_type"], &opening["type"]), (&json!(33), &json!(1)));

    // `type` narrows to one direction; good stock only unless `defect` is true.
    let (start, end) = around_now(30);
    let outs = changes(&app, json!({"start_date": start, "end_date": end, "type": 2}), &pager(100, 0)).await;
    let outs = outs["data"]["data"].as_array().unwrap();
    assert_eq!(outs.iter().map(|c| c["stockio_no"].clone()).collect::<Vec<_>>(), vec![json!("PR-STOCK-1")]);
    let good = changes(&app, json!({"start_date": start, "end_date": end}), &pager(100, 0)).await;
    assert!(good["data"]["data"].as_array().unwrap().iter().all(|c| c["defect"] == false), "{good}");
    assert!(app.store.verify().await.unwrap().is_ok());
}

/// An operator's shipment and count: the ledger names the stock-out (CK…) with its trade (JY…)
/// and the count (PD…), each with the operator of the audit log, as the page's example shows a
/// sales stock-out; the count is the search's `last_pd_time`.
#[tokio::test]
async fn operator_actions_name_their_documents_and_operator() {
    use wdt_store::{Action, Operation, StockCount};
    let app = spawn_app().await;
    let ship = Operation::ShipTrade { tid: "T-DEMO-8".into(), warehouse_no: "WH1".into() };
    let shipped = app.store.act("ops-anna", &Action { sid: "demo".into(), op: ship }).await.unwrap();
    let count = StockCount {
        warehouse_no: "WH1".into(),
        spec_no: "MUG-BLUE".into(),
        defect: false,
        batch_no: None,
        position_no: Some("A-02".into()),
        num: Dec4::parse("18").unwrap(),
    };
    let counted = app.store.act("ops-anna", &Action { sid: "demo".into(), op: Operation::AdjustStock(count) }).await;
    let counted = counted.unwrap();
    let ledger = changes(&app, ledger_window(), &pager(100, 0)).await;
    let rows = ledger["data"]["data"].as_array().unwrap();
    let of = |no: &str| rows.iter().find(|r| r["stockio_no"] == no).unwrap_or_else(|| panic!("{no} in {ledger}"));
    let out = of(&shipped.audit.doc_no);
    assert!(shipped.audit.doc_no.starts_with("CK"), "{:?}", shipped.audit);
    assert_eq!(
        (&out["src_order_type"], &out["type"], &out["src_order_no"], &out["operator_name"]),
        (&json!(1), &json!(2), &json!("JY-DEMO-8"), &json!("ops-anna"))
    );
    let pd = of(&counted.audit.doc_no);
    assert_eq!((&pd["src_order_type"], &pd["type"], &pd["operator_name"]), (&json!(4), &json!(2), &json!("ops-anna")));
    assert_eq!(
        (dec(&pd["stock_num_old"]), dec(&pd["num"]), dec(&pd["stock_num_new"])),
        (dec(&json!(20)), dec(&json!(2)), dec(&json!(18)))
    );
    let blue = search(&app, json!({"spec_nos": ["MUG-BLUE"], "warehouse_no": "WH1"}), &pager(10, 0)).await;
    let row = &blue["data"][0];
    assert_eq!(dec(&row["stock_num"]), dec(&json!(18)), "{blue}");
    assert_eq!(row["last_pd_time"], row["modified"], "the count is the last change: {row}");
    assert_ne!(row["last_pd_time"], "", "{row}");
}

/// The SDK reads `StockSpec.search`'s whole envelope: its rows and the `total` beside `data`,
/// and walks every page of a window.
#[tokio::test]
async fn the_sdk_reads_the_total_beside_the_rows() {
    use wdt_client::methods::reads::stock::StockSpecQuery;
    use wdt_client::{Client, ReadAll};

    let (app, _) = moved().await;
    let client = Client::qjb(&app.url(), "demo", "demo-qjb", "demo-secret:demo-salt");
    let mut params: StockSpecQuery = serde_json::from_value(search_window()).unwrap();
    let whole = search(&app, search_window(), &pager(100, 0)).await;
    let rows = whole["data"].as_array().unwrap().len();
    assert!(rows > 1, "{whole}");
    let page = client.read_page(&params, pager(1, 0)).await.unwrap();
    assert_eq!((page.total, page.data.len()), (Some(rows as i64), 1));
    params.warehouse_no = None;
    let mut all = ReadAll::new(&client, params, 1);
    let mut n = 0;
    while let Some(row) = all.next().await {
        row.unwrap();
        n += 1;
    }
    assert_eq!((n, all.known_total()), (rows, rows as u64));
}
