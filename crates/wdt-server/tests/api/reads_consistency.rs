//! After a mixed run (return stock-ins checked at once and checked later by the operator, a
//! quick return, purchase returns), what the read-back methods say agrees across methods: a
//! refund order's received quantities are its checked stock-ins' lines, `StockSpec.search` is
//! the stock table and the ledger's sum, and every ledger row names a document another query
//! returns.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use wdt_protocol::Dec4;
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};
use wdt_server::ServerConfig;

use crate::helpers::*;

const TOKEN: &str = "consistency-admin-token";
const KEY: (&str, &str) = (QJB_KEY, QJB_SECRET);

fn dec(v: &Value) -> Dec4 {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("a decimal: {v}: {e}"))
}

fn window(key_from: &str, key_to: &str, minutes: i64) -> Value {
    let now = now_ms();
    json!({key_from: format_wire_time(now - minutes * 60_000), key_to: format_wire_time(now + minutes * 60_000)})
}

/// Every row of `method` over `params`, page by page (rows under `list`, or `data` itself).
async fn all(app: &TestApp, method: &str, params: Value, list: Option<&str>) -> Vec<Value> {
    let mut rows = Vec::new();
    for page_no in 0.. {
        let pager = Pager { page_size: 50, page_no, calc_total: false };
        let answer = qjb_params_call(app, KEY, method, params.clone(), Some(&pager)).await;
        assert_eq!(answer["status"], 0, "{method}: {answer}");
        let page = match list {
            Some(list) => answer["data"][list].as_array().cloned().unwrap_or_default(),
            None => answer["data"].as_array().cloned().unwrap_or_default(),
        };
        let done = page.len() < 50;
        rows.extend(page);
        if done {
            break;
        }
    }
    rows
}

async fn ok(app: &TestApp, method: &str, body: Value) -> Value {
    let (_, answer) = app.post_qjb(&QjbCall::new(method, &body.to_string())).await;
    assert_eq!(answer["status"], 0, "{method}: {answer}");
    answer
}

/// The mixed run; the numbers of the stock-ins it made.
async fn mixed_run(app: &TestApp) {
    let push = |refund: &str, warehouse: &str, mode: i64, lines: Value| json!([{"refund_no": refund, "warehouse_no": warehouse, "create_mode": mode, "detail_list": lines}]);
    let create = "wms.stockin.Refund.createOrder";
    ok(app, create, push("TK-DEMO-1", "WH1", 2, json!([{"spec_no": "MUG-RED", "num": 2}]))).await;
    ok(app, create, push("TK-DEMO-1", "WH1", 2, json!([{"spec_no": "MUG-RED", "num": 1, "defect": true}]))).await;
    ok(app, create, push("TK-DEMO-5", "WH2", 2, json!([{"spec_no": "MUG-BLUE", "num": 1}]))).await;
    // Pending, then checked by the operator through the admin API.
    let pending =
        ok(app, create, push("TK-DEMO-1", "WH1", 1, json!([{"spec_no": "MUG-BLUE", "num": 1}]))).await["data"]
            .as_str()
            .unwrap()
            .to_owned();
    let checked = app
        .http
        .post(format!("{}/admin/v1/stockins/demo/{pending}/check", app.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(checked.status(), 200, "{}", checked.text().await.unwrap());
    // Pending and left so: it moves nothing and counts nowhere.
    ok(app, create, push("TK-DEMO-3", "WH1", 1, json!([{"spec_no": "MILK-1L", "num": 1, "batch_no": "B2601"}]))).await;
    ok(
        app,
        "wms.stockin.SmartRefund.upload",
        json!([{"tid": "T-DEMO-4", "return_warehouse_no": "WH1", "remark": "quick"}, [{"spec_no": "MUG-RED", "stockin_num": 1, "remark": ""}], false]),
    )
    .await;
    let purchase_return = |outer: &str, num: &str, check: bool| json!([{"outer_no": outer, "warehouse_no": "WH1", "provider_no": "P1"}, [{"spec_no": "MUG-RED", "num": num}], check]);
    ok(app, "purchase.PurchaseReturn.createOrder", purchase_return("PR-MIX-1", "4.5", true)).await;
    ok(app, "purchase.PurchaseReturn.createOrder", purchase_return("PR-MIX-2", "1", false)).await;
}

#[tokio::test]
async fn what_one_method_says_the_others_agree_with() {
    let app = spawn_app_with(ServerConfig { admin_token: Some(TOKEN.to_owned()), ..ServerConfig::default() }).await;
    mixed_run(&app).await;

    // 1. Received quantities: each refund order item's stockin_num is the sum of its checked
    //    stock-ins' lines for that spec (opening receipts from the fixture aside).
    let refunds =
        all(&app, "aftersales.refund.Refund.search", window("modified_from", "modified_to", 60), Some("order")).await;
    let stockins =
        all(&app, "wms.stockin.Refund.queryWithDetail", window("start_time", "end_time", 60), Some("order")).await;
    let mut received: BTreeMap<(String, String), Dec4> = BTreeMap::new();
    for s in stockins.iter().filter(|s| s["status"] == 80) {
        for d in s["details_list"].as_array().unwrap() {
            let key = (s["refund_no"].as_str().unwrap().to_owned(), d["spec_no"].as_str().unwrap().to_owned());
            let sum = received.entry(key).or_insert(Dec4::ZERO);
            *sum = sum.checked_add(dec(&d["num"])).unwrap();
        }
    }
    assert!(received.len() >= 3, "the run checked stock-ins of several refund orders: {received:?}");
    let opening = [(("TK-DEMO-3", "MILK-1L"), Dec4::from_int(2).unwrap())];
    for r in &refunds {
        for item in r["detail_list"].as_array().unwrap() {
            let key = (r["refund_no"].as_str().unwrap().to_owned(), item["spec_no"].as_str().unwrap().to_owned());
            let opened = opening.iter().find(|(k, _)| (k.0, k.1) == (key.0.as_str(), key.1.as_str())).map(|(_, n)| *n);
            let want =
                received.get(&key).copied().unwrap_or(Dec4::ZERO).checked_add(opened.unwrap_or(Dec4::ZERO)).unwrap();
            assert_eq!(dec(&item["stockin_num"]), want, "{key:?}");
        }
    }

    // 2. Stock: StockSpec.search per warehouse × spec × defect equals the stock table, and the
    //    ledger's changes (in minus out, opening balances included) sum to it.
    let stock = all(&app, "wms.StockSpec.search", window("start_time", "end_time", 60), None).await;
    let ledger =
        all(&app, "wms.StockSpec.queryChangeHistory", window("start_date", "end_date", 30), Some("data")).await;
    let defect_ledger = {
        let mut params = window("start_date", "end_date", 30);
        params["defect"] = json!(true);
        all(&app, "wms.StockSpec.queryChangeHistory", params, Some("data")).await
    };
    let mut summed: BTreeMap<(String, String, bool), Dec4> = BTreeMap::new();
    for row in ledger.iter().chain(&defect_ledger) {
        let key = (
            row["warehouse_no"].as_str().unwrap().to_owned(),
            row["spec_no"].as_str().unwrap().to_owned(),
            row["defect"].as_bool().unwrap(),
        );
        let sum = summed.entry(key).or_insert(Dec4::ZERO);
        *sum = if row["type"] == 1 { sum.checked_add(dec(&row["num"])) } else { sum.checked_sub(dec(&row["num"])) }
            .unwrap();
    }
    assert!(!stock.is_empty());
    for row in &stock {
        let (warehouse, spec) = (row["warehouse_no"].as_str().unwrap(), row["spec_no"].as_str().unwrap());
        let defect = row["defect"] != 0;
        let key = (warehouse.to_owned(), spec.to_owned(), defect);
        assert_eq!(Some(&dec(&row["stock_num"])), summed.get(&key), "the ledger sums to StockSpec.search: {key:?}");
        let table: Dec4 = app
            .store
            .stock_of("demo", spec)
            .await
            .unwrap()
            .iter()
            .filter(|l| l.warehouse_no == warehouse && l.defect == defect)
            .fold(Dec4::ZERO, |a, l| a.checked_add(l.num).unwrap());
        assert_eq!(dec(&row["stock_num"]), table, "StockSpec.search is the stock table: {key:?}");
    }
    assert_eq!(stock.len(), summed.len(), "every ledger group has its stock row");

    // 3. Every ledger row names its document, and another query returns that document; the
    //    stock-in query leaves out those of hidden platforms (TK-DEMO-5 is a Taobao shop's),
    //    which the store still holds.
    let stockin_nos: BTreeSet<&str> = stockins.iter().map(|s| s["order_no"].as_str().unwrap()).collect();
    let returns =
        all(&app, "purchase.PurchaseReturn.queryWithDetail", window("start_time", "end_time", 60), Some("order")).await;
    let return_nos: BTreeSet<&str> = returns.iter().map(|r| r["return_no"].as_str().unwrap()).collect();
    assert!(return_nos.contains("PR-MIX-1") && return_nos.contains("PR-MIX-2"), "{return_nos:?}");
    let mut named = BTreeSet::new();
    for row in ledger.iter().chain(&defect_ledger) {
        let doc = row["stockio_no"].as_str().unwrap();
        let mut known = doc == "OPENING" || stockin_nos.contains(doc) || return_nos.contains(doc);
        if !known && let Some(hidden) = app.store.stockin("demo", doc).await.unwrap() {
            assert_eq!(hidden.summary.refund_no, row["src_order_no"].as_str().unwrap(), "{row}");
            known = true;
        }
        assert!(known, "a ledger row names a document a query returns: {row}");
        named.insert(doc.to_owned());
    }
    let checked_stockins: BTreeSet<String> =
        stockins.iter().filter(|s| s["status"] == 80).map(|s| s["order_no"].as_str().unwrap().to_owned()).collect();
    assert!(checked_stockins.is_subset(&named), "every checked stock-in wrote the ledger: {checked_stockins:?}");
    assert!(named.contains("PR-MIX-1") && !named.contains("PR-MIX-2"), "only the checked purchase return moved stock");
    let pending: Vec<_> =
        stockins.iter().filter(|s| s["status"] != 80).map(|s| s["order_no"].as_str().unwrap()).collect();
    assert!(
        !pending.is_empty() && pending.iter().all(|p| !named.contains(*p)),
        "a pending stock-in writes no ledger row"
    );
}
