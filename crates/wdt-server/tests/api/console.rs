//! The operator console over HTTP: 401 without the token; with it, a refund order leads to its
//! stock-in and on to the ledger rows behind it.

use serde_json::json;
use wdt_server::{RateLimits, ServerConfig};

use crate::helpers::*;

const TOKEN: &str = "console-test-token";

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut req = app.http.get(format!("{}{path}", app.url()));
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_console_needs_the_token_and_links_refund_to_stockin_to_ledger() {
    let app = spawn_app_with(ServerConfig {
        admin_token: Some(TOKEN.into()),
        rate_limits: RateLimits::off(),
        ..ServerConfig::default()
    })
    .await;
    let push = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": "CON-1", "warehouse_no": "WH1", "create_mode": 2,
                       "detail_list": [{"spec_no": "MUG-RED", "num": 2, "position_no": "A-02"}]}])
    .to_string();
    let (_, answer) = app.post_qjb(&QjbCall::new("wms.stockin.Refund.createOrder", &push)).await;
    let order_no = answer["data"].as_str().unwrap().to_owned();

    for path in [
        "/console",
        "/console/refunds",
        "/console/stock",
        "/console/ledger",
        "/console/requests",
        "/console/refunds/demo/TK-DEMO-1",
    ] {
        let (status, body) = get(&app, path, None).await;
        assert_eq!(status, 401, "{path}");
        assert!(!body.contains("TK-DEMO") && !body.contains("MUG"), "{path} shows nothing: {body}");
        let (status, _) = get(&app, path, Some("wdt_console=wrong")).await;
        assert_eq!(status, 401, "{path} with a wrong token");
    }

    // Log in: the form sets the cookie.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = client.post(format!("{}/console/login", app.url())).form(&[("token", TOKEN)]).send().await.unwrap();
    assert_eq!(login.status().as_u16(), 303);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let cookie = Some(cookie.as_str());

    let (status, list) = get(&app, "/console/refunds?sid=demo", cookie).await;
    assert_eq!(status, 200);
    assert!(list.contains("TK-DEMO-1") && list.contains("部分入库 partial"), "{list}");

    let (_, refund) = get(&app, "/console/refunds/demo/TK-DEMO-1", cookie).await;
    assert!(
        refund.contains("T-DEMO-1-1") && refund.contains(&order_no),
        "the refund order links its stock-in: {refund}"
    );
    assert!(refund.contains(&format!("/console/stockins/demo/{order_no}")));

    let (_, stockin) = get(&app, &format!("/console/stockins/demo/{order_no}"), cookie).await;
    assert!(stockin.contains("MUG-RED") && stockin.contains("A-02"), "{stockin}");
    let ledger_link =
        stockin.split("href=\"").find(|s| s.starts_with("/console/ledger")).unwrap().split('"').next().unwrap();
    let (_, ledger) = get(&app, &ledger_link.replace("&amp;", "&"), cookie).await;
    assert!(ledger.contains(&order_no) && ledger.contains("12 退货入库"), "{ledger}");
    assert!(ledger.contains("1 rows"), "exactly the ledger row of this line: {ledger}");

    let (_, stock) = get(&app, "/console/stock?sid=demo&spec_no=MUG-RED", cookie).await;
    assert!(stock.contains("A-02") && stock.contains("台账 ledger rows"), "{stock}");
    // 105 MUG-RED at 10.50 and 2 more at the refund price of 29.98: every MUG-RED line of WH1
    // shows the moving average.
    assert!(stock.contains("成本价 cost_price") && stock.matches(">10.8641<").count() == 3, "{stock}");
    let (_, stockins) = get(&app, "/console/stockins?sid=demo&status=80&warehouse_no=WH1", cookie).await;
    assert!(stockins.contains(&order_no), "{stockins}");
    let (_, none) = get(&app, "/console/stockins?sid=demo&status=20", cookie).await;
    assert!(!none.contains(&order_no));
    let (_, requests) = get(&app, "/console/requests", cookie).await;
    assert!(requests.contains("wms.stockin.Refund.createOrder") && requests.contains("demo-qjb"), "{requests}");
    assert!(!requests.contains("demo-secret"), "no secrets on the page");
    let (_, returns) = get(&app, "/console/purchase-returns", cookie).await;
    assert!(returns.contains("采购退货单"));
    // Bearer works too, for scripts.
    let r = app.http.get(format!("{}/console", app.url())).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn without_a_configured_token_the_console_stays_closed() {
    let app = spawn_app().await;
    let (status, _) = get(&app, "/console", None).await;
    assert_eq!(status, 401);
    let r = app.http.get(format!("{}/console", app.url())).bearer_auth("").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
}
