//! The console's request log: calls that fail authentication are kept apart from the keys' calls.

use wdt_server::ServerConfig;

use crate::helpers::*;

const TOKEN: &str = "request-log-token";
const CREATE: &str = "wms.stockin.Refund.createOrder";

async fn page(app: &TestApp, path: &str) -> String {
    let r = app.http.get(format!("{}{path}", app.url())).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_flood_of_calls_merely_claiming_a_key_does_not_push_its_real_calls_out() {
    let app = spawn_app_with(ServerConfig {
        admin_token: Some(TOKEN.into()),
        rate_limits: wdt_server::RateLimits::off(),
        ..ServerConfig::default()
    })
    .await;
    let real = r#"[{"refund_no":"TK-REAL-CALL","warehouse_no":"WH1","detail_list":[{"spec_no":"MUG-RED","num":1}]}]"#;
    let (_, answer) = app.post_qjb(&QjbCall::new(CREATE, real)).await;
    assert_eq!(answer["status"], 100, "authenticated, refused on business: {answer}");
    // More forged calls than the log holds, each claiming the demo key.
    for i in 0..1100 {
        let forged = QjbCall::new(CREATE, "[]").set("sign", &format!("{i:032x}"));
        assert_qjb_error(&app.post_qjb(&forged).await, 1, "验证失败");
    }
    let log = page(&app, &format!("/console/requests?key={QJB_KEY}")).await;
    let (keys, failed) = log.split_once("未通过认证 Failed authentication").expect("a section of its own");
    assert!(keys.contains("TK-REAL-CALL"), "the key's real call is still there: {keys}");
    assert!(!keys.contains("验证失败"), "no forged call among the key's calls");
    assert!(failed.contains("验证失败") && failed.contains(QJB_KEY), "{failed}");
    assert!(failed.contains("1000 kept"), "the failed log is bounded too");
    // The per-key count is of real calls only.
    let all = page(&app, "/console/requests").await;
    let per_key = all.split("最近调用 Last calls").next().unwrap();
    assert!(per_key.contains(r#"<td class="n">1</td>"#), "{per_key}");
}
