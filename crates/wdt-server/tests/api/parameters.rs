//! qjb query parameters: only those the dialect defines, and every one a public SDK sends.

use wdt_protocol::qjb;

use crate::helpers::*;

const QUERY: &str = "wms.stockin.Refund.queryWithDetail";
const CREATE: &str = "wms.stockin.Refund.createOrder";
const UNKNOWN_REFUND: &str =
    r#"[{"refund_no":"TK-NONE","warehouse_no":"WH1","detail_list":[{"spec_no":"MUG-RED","num":1}]}]"#;
const WINDOW: &str = r#"[{"start_time":"2026-01-01 00:00:00","end_time":"2026-01-02 00:00:00"}]"#;

/// A call of the demo key with these query pairs (in this order, `sign` added last).
fn signed(pairs: &[(&str, &str)], body: &str) -> QjbCall {
    let (secret, _) = qjb::split_appsecret(QJB_SECRET);
    let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let sign = qjb::sign(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), body, secret);
    let mut pairs = pairs;
    pairs.push(("sign".into(), sign));
    QjbCall { pairs, body: body.as_bytes().to_vec() }
}

#[tokio::test]
async fn a_rewrite_that_keeps_the_signature_is_refused_naming_the_parameter() {
    let app = spawn_app().await;
    let ts = qjb_now().to_string();
    let common = [("sid", "demo"), ("key", QJB_KEY), ("salt", "demo-salt"), ("method", QUERY), ("timestamp", &ts)];
    let mut pairs = common.to_vec();
    pairs.extend([("v", "1.0"), ("page_size", "10"), ("page_no", "0"), ("calc_total", "1")]);
    let call = signed(&pairs, WINDOW);
    // `calc_total` + `1` and `calc_tota` + `l1` concatenate alike: the signature still verifies.
    let rewritten: Vec<(String, String)> = call
        .pairs
        .iter()
        .map(|(k, v)| if k == "calc_total" { ("calc_tota".into(), "l1".into()) } else { (k.clone(), v.clone()) })
        .collect();
    let rewritten = QjbCall { pairs: rewritten, body: call.body.clone() };
    assert_qjb_error(&app.post_qjb(&rewritten).await, 1, "calc_tota");
    let (_, answer) = app.post_qjb(&call).await;
    assert_eq!(answer["status"], 0, "the call as signed: {answer}");
    assert!(answer["data"]["total_count"].is_number(), "{answer}");
    // Any other name the dialect does not define, signed or not.
    let extra = signed(&[common.as_slice(), &[("v", "1.0"), ("format", "json")]].concat(), "[]");
    assert_qjb_error(&app.post_qjb(&extra).await, 1, "format");
}

#[tokio::test]
async fn every_parameter_each_public_sdk_sends_is_accepted() {
    let app = spawn_app().await;
    let ts = qjb_now().to_string();
    let ts = ts.as_str();
    // What each client puts in the query string, in its order (sign last in all of them).
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        (
            "official PHP call()",
            CREATE,
            vec![
                ("sid", "demo"),
                ("key", QJB_KEY),
                ("salt", "demo-salt"),
                ("method", CREATE),
                ("timestamp", ts),
                ("v", "1.0"),
            ],
        ),
        (
            "official PHP pageCall()",
            QUERY,
            vec![
                ("sid", "demo"),
                ("key", QJB_KEY),
                ("salt", "demo-salt"),
                ("method", QUERY),
                ("timestamp", ts),
                ("v", "1.0"),
                ("page_size", "10"),
                ("page_no", "0"),
                ("calc_total", "1"),
            ],
        ),
        (
            "waywake/wdt-sdk-ts call()",
            CREATE,
            vec![
                ("key", QJB_KEY),
                ("method", CREATE),
                ("salt", "demo-salt"),
                ("sid", "demo"),
                ("timestamp", ts),
                ("v", "1.0"),
            ],
        ),
        (
            "waywake/wdt-sdk-ts with a pager",
            QUERY,
            vec![
                ("key", QJB_KEY),
                ("method", QUERY),
                ("salt", "demo-salt"),
                ("sid", "demo"),
                ("timestamp", ts),
                ("v", "1.0"),
                ("page_no", "0"),
                ("page_size", "10"),
                ("calc_total", "0"),
            ],
        ),
        (
            "go-marvis/wangdian-sdk-go (url.Values, sorted)",
            QUERY,
            vec![
                ("calc_total", "1"),
                ("key", QJB_KEY),
                ("method", QUERY),
                ("page_no", "0"),
                ("page_size", "10"),
                ("salt", "demo-salt"),
                ("sid", "demo"),
                ("timestamp", ts),
                ("v", "1.0"),
            ],
        ),
    ];
    for (sdk, method, pairs) in cases {
        let body = if method == QUERY { WINDOW } else { UNKNOWN_REFUND };
        let (http, answer) = app.post_qjb(&signed(&pairs, body)).await;
        assert_eq!(http, 200, "{sdk}");
        assert_ne!(answer["status"], 1, "{sdk}: every parameter passes authentication: {answer}");
        assert_ne!(answer["status"], 2, "{sdk}: {answer}");
        if method == QUERY {
            assert_eq!(answer["status"], 0, "{sdk}: {answer}");
        } else {
            assert!(answer["message"].as_str().unwrap_or("").contains("TK-NONE"), "{sdk}: {answer}");
        }
    }
}
