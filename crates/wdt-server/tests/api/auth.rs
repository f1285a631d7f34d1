//! Authentication and envelope tests for both dialects, by hand-built HTTP.

use serde_json::{Value, json};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::now_secs;
use wdt_protocol::{openapi2, qjb};
use wdt_server::ServerConfig;

use crate::helpers::*;

const CREATE: &str = "wms.stockin.Refund.createOrder";
const QUERY: &str = "wms.stockin.Refund.queryWithDetail";
const PUSH: &str = "stockin_refund_push.php";

fn create_body(outer: &str) -> String {
    json!([{
        "refund_no": "TK-DEMO-1",
        "out_stockin_no": outer,
        "warehouse_no": "WH1",
        "create_mode": 2,
        "detail_list": [{"spec_no": "MUG-RED", "num": 1}]
    }])
    .to_string()
}

#[tokio::test]
async fn qjb_refusals_each_get_their_documented_code_with_http_200() {
    let app = spawn_app().await;
    let body = create_body("AUTH-1");
    let wrong_secret = "demo-secret-x:demo-salt";
    let cases: Vec<(&str, QjbCall, i64, &str)> = vec![
        ("bad sign", QjbCall::new(CREATE, &body).set("sign", "0123456789abcdef0123456789abcdef"), 1, "验证失败"),
        ("signed with another secret", QjbCall::new(CREATE, &body).resign(wrong_secret), 1, "验证失败"),
        (
            "uppercase sign",
            {
                let c = QjbCall::new(CREATE, &body);
                let upper = c.pairs.iter().find(|(k, _)| k == "sign").unwrap().1.to_uppercase();
                c.set("sign", &upper)
            },
            1,
            "验证失败",
        ),
        ("wrong salt", QjbCall::new(CREATE, &body).set("salt", "other").resign(QJB_SECRET), 1, "验证失败"),
        (
            "body changed after signing",
            QjbCall { body: create_body("AUTH-2").into_bytes(), ..QjbCall::new(CREATE, &body) },
            1,
            "验证失败",
        ),
        (
            "stale timestamp",
            QjbCall::signed("demo", QJB_KEY, QJB_SECRET, CREATE, qjb_now() - 121, None, &body),
            7,
            "时间戳错误",
        ),
        (
            "future timestamp",
            QjbCall::signed("demo", QJB_KEY, QJB_SECRET, CREATE, qjb_now() + 121, None, &body),
            7,
            "时间戳错误",
        ),
        (
            "millisecond timestamp",
            QjbCall::signed("demo", QJB_KEY, QJB_SECRET, CREATE, qjb_now() * 1000, None, &body),
            7,
            "时间戳错误",
        ),
        (
            "unix timestamp instead of 2012 epoch",
            QjbCall::signed("demo", QJB_KEY, QJB_SECRET, CREATE, now_secs(), None, &body),
            7,
            "时间戳错误",
        ),
        (
            "non-numeric timestamp",
            QjbCall::new(CREATE, &body).set("timestamp", "abc").resign(QJB_SECRET),
            7,
            "时间戳错误",
        ),
        (
            "unknown sid",
            QjbCall::signed("nobody", QJB_KEY, QJB_SECRET, CREATE, qjb_now(), None, &body),
            1,
            "sid is not exists",
        ),
        (
            "unknown key",
            QjbCall::signed("demo", "nokey", QJB_SECRET, CREATE, qjb_now(), None, &body),
            1,
            "app auth fail",
        ),
        (
            "key of another sid",
            QjbCall::signed("demo", "acme-qjb", "s3cret:salt9", CREATE, qjb_now(), None, &body),
            1,
            "app auth fail",
        ),
        (
            "openapi2 appkey on qjb",
            QjbCall::signed("demo", ENT_KEY, "demo-ent-secret:x", CREATE, qjb_now(), None, &body),
            1,
            "app auth fail",
        ),
        ("wrong v", QjbCall::new(CREATE, &body).set("v", "2.0").resign(QJB_SECRET), 8, "版本错误"),
        ("unknown method", QjbCall::new("wms.stockin.Refund.deleteEverything", &body), 100, "权限不足"),
        ("missing sign", QjbCall::new(CREATE, &body).without("sign"), 2, "sign"),
        ("missing sid", QjbCall::new(CREATE, &body).without("sid"), 2, "sid"),
        ("missing method", QjbCall::new(CREATE, &body).without("method").resign(QJB_SECRET), 2, "method"),
        (
            "duplicate parameter",
            {
                let mut c = QjbCall::new(CREATE, &body);
                c.pairs.push(("sid".into(), "demo".into()));
                c
            },
            1,
            "重复",
        ),
        ("malformed JSON body", QjbCall::new(CREATE, "[{\"refund_no\":"), 1, "invalid argument count"),
        (
            "body is an object, not an array",
            QjbCall::new(CREATE, "{\"refund_no\":\"TK-DEMO-1\"}"),
            1,
            "invalid argument count",
        ),
        ("too few arguments", QjbCall::new(CREATE, "[]"), 1, "invalid argument count"),
        ("too many arguments", QjbCall::new(CREATE, "[{}, {}]"), 1, "invalid argument count"),
        ("argument of the wrong JSON type", QjbCall::new(CREATE, "[\"TK-DEMO-1\"]"), 1, "argument type mismatch"),
        (
            "wrong type for a boolean argument",
            QjbCall::new("wms.stockin.SmartRefund.upload", "[{}, [], \"no\"]"),
            1,
            "argument type mismatch",
        ),
        (
            "paged method without pager",
            QjbCall::new(QUERY, "[{\"start_time\":\"2026-01-01 00:00:00\",\"end_time\":\"2026-01-02 00:00:00\"}]"),
            100,
            "此方法仅支持分页查询：wms.stockin.Refund.queryWithDetail",
        ),
    ];
    for (name, call, status, message) in cases {
        let answer = app.post_qjb(&call).await;
        assert_eq!(answer.0, 200, "{name}");
        let (http, body) = &answer;
        assert!(body.get("status") == Some(&json!(status)), "{name}: expected status {status}, got {http} {body}");
        assert_qjb_error(&answer, status, message);
    }
}

#[tokio::test]
async fn qjb_oversized_body_is_refused_in_the_envelope() {
    let app = spawn_app_with(ServerConfig { body_limit: 1024, ..ServerConfig::default() }).await;
    let big = format!("[{{\"remark\":\"{}\"}}]", "x".repeat(4096));
    let answer = app.post_qjb(&QjbCall::new(CREATE, &big)).await;
    assert_qjb_error(&answer, 1, "1024");
}

#[tokio::test]
async fn qjb_non_utf8_body_is_refused_in_the_envelope() {
    let app = spawn_app().await;
    let mut call = QjbCall::new(CREATE, "[]");
    call.body = vec![b'[', 0xff, 0xfe, b']'];
    assert_qjb_error(&app.post_qjb(&call).await, 1, "invalid argument count");
}

#[tokio::test]
async fn qjb_accepts_both_json_encodings_of_one_body() {
    let app = spawn_app().await;
    // Raw UTF-8 (JSON_UNESCAPED_UNICODE, JS) and the official PHP default (\uXXXX, \/).
    let raw = r#"[{"refund_no":"TK-NONE","warehouse_no":"WH1","remark":"退货/换货","detail_list":[{"spec_no":"MUG-RED","num":1}]}]"#;
    let escaped = r#"[{"refund_no":"TK-NONE","warehouse_no":"WH1","remark":"\u9000\u8d27\/\u6362\u8d27","detail_list":[{"spec_no":"MUG-RED","num":1}]}]"#;
    for body in [raw, escaped] {
        let (http, answer) = app.post_qjb(&QjbCall::new(CREATE, body)).await;
        assert_eq!(http, 200);
        // Authenticated and decoded: the refusal is about the refund order, not the signature.
        assert_eq!(answer["status"], 100, "{body}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains("TK-NONE"), "{answer}");
    }
}

#[tokio::test]
async fn qjb_pager_parameters_are_signed_and_checked() {
    let app = spawn_app().await;
    let body = r#"[{"start_time":"2026-01-01 00:00:00","end_time":"2026-01-02 00:00:00"}]"#;
    let pager = Pager { page_size: 10, page_no: 0, calc_total: true };
    let call = QjbCall::signed("demo", QJB_KEY, QJB_SECRET, QUERY, qjb_now(), Some(&pager), body);
    let tampered =
        QjbCall::signed("demo", QJB_KEY, QJB_SECRET, QUERY, qjb_now(), Some(&pager), body).set("page_size", "11");
    assert_qjb_error(&app.post_qjb(&tampered).await, 1, "验证失败");
    let too_big = QjbCall::signed(
        "demo",
        QJB_KEY,
        QJB_SECRET,
        QUERY,
        qjb_now(),
        Some(&Pager { page_size: 100_000, ..pager }),
        body,
    );
    assert_qjb_error(&app.post_qjb(&too_big).await, 100, "page_size");
    let (http, answer) = app.post_qjb(&call).await;
    assert_eq!(http, 200);
    assert_ne!(answer["status"], 1, "a correctly signed paged call passes authentication: {answer}");
}

#[tokio::test]
async fn openapi2_refusals_each_get_their_code_with_http_200() {
    let app = spawn_app().await;
    let info = r#"{"refund_no":"TK-DEMO-1","outer_no":"E-1","warehouse_no":"WH1","detail_list":[{"spec_no":"MUG-RED","stockin_num":1}]}"#;
    let business = [("stockin_refund_info", info)];
    let set = |mut form: Vec<(String, String)>, name: &str, value: &str| {
        match form.iter_mut().find(|(k, _)| k == name) {
            Some(p) => p.1 = value.to_owned(),
            None => form.push((name.to_owned(), value.to_owned())),
        }
        form
    };
    let resign = |form: Vec<(String, String)>, secret: &str| {
        let unsigned: Vec<(String, String)> = form.into_iter().filter(|(k, _)| k != "sign").collect();
        let sign = openapi2::sign(unsigned.iter().map(|(k, v)| (k.as_str(), v.as_str())), secret);
        let mut form = unsigned;
        form.push(("sign".into(), sign));
        form
    };
    type Form = Vec<(String, String)>;
    let cases: Vec<(&str, &str, Form, Value, &str)> = vec![
        ("bad sign", PUSH, set(ent_form(&business), "sign", "0123456789abcdef0123456789abcdef"), json!(1), "验证失败"),
        ("another secret", PUSH, resign(ent_form(&business), "nope"), json!(1), "验证失败"),
        (
            "stale timestamp",
            PUSH,
            openapi2::signed_form("demo", ENT_KEY, ENT_SECRET, now_secs() - 301, &business),
            json!(7),
            "时间戳错误",
        ),
        (
            "unknown sid",
            PUSH,
            openapi2::signed_form("nobody", ENT_KEY, ENT_SECRET, now_secs(), &business),
            json!(1),
            "sid is not exists",
        ),
        (
            "unknown appkey",
            PUSH,
            openapi2::signed_form("demo", "nokey", ENT_SECRET, now_secs(), &business),
            json!(1),
            "app auth fail",
        ),
        (
            "qjb key as appkey",
            PUSH,
            openapi2::signed_form("demo", QJB_KEY, "demo-secret", now_secs(), &business),
            json!(1),
            "app auth fail",
        ),
        (
            "missing sign",
            PUSH,
            ent_form(&business).into_iter().filter(|(k, _)| k != "sign").collect(),
            json!(2),
            "sign",
        ),
        (
            "missing appkey",
            PUSH,
            resign(ent_form(&business).into_iter().filter(|(k, _)| k != "appkey").collect(), ENT_SECRET),
            json!(2),
            "appkey",
        ),
        ("unknown endpoint", "refund_delete.php", ent_form(&business), json!(100), "权限不足"),
        ("missing business field", PUSH, ent_form(&[]), json!(2), "stockin_refund_info"),
        (
            "business field not JSON",
            PUSH,
            ent_form(&[("stockin_refund_info", "{not json")]),
            json!(100),
            "stockin_refund_info",
        ),
    ];
    for (name, endpoint, form, code, message) in cases {
        let answer = app.post_openapi2(endpoint, &form).await;
        assert_eq!(answer.1["code"], code, "{name}: {}", answer.1);
        assert_openapi2_error(&answer, code, message);
    }
}

#[tokio::test]
async fn openapi2_accepts_byte_length_signatures_of_third_party_sdks() {
    let app = spawn_app().await;
    let info = r#"{"refund_no":"TK-NONE","outer_no":"E-2","warehouse_no":"WH1","remark":"退货入库","detail_list":[{"spec_no":"MUG-RED","stockin_num":1}]}"#;
    let mut form: Vec<(String, String)> = vec![
        ("sid".into(), "demo".into()),
        ("appkey".into(), ENT_KEY.into()),
        ("timestamp".into(), now_secs().to_string()),
        ("stockin_refund_info".into(), info.into()),
    ];
    let sign = openapi2::sign_with(
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ENT_SECRET,
        openapi2::LengthRule::Bytes,
    );
    form.push(("sign".into(), sign));
    let (http, answer) = app.post_openapi2(PUSH, &form).await;
    assert_eq!(http, 200);
    assert_eq!(answer["code"], 100, "authenticated, refused on the refund order: {answer}");
    assert!(answer["message"].as_str().unwrap().contains("TK-NONE"), "{answer}");
}

#[tokio::test]
async fn healthz_answers_once_the_database_does() {
    let app = spawn_app().await;
    let response = app.http.get(format!("{}/healthz", app.url())).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn the_official_vector_signs_as_the_server_verifies() {
    // The server's verifier and the SDK's signer are one function; this pins them to the vendor.
    let params = [
        ("key", "czhc"),
        ("method", "wms.stockout.Sales.weighingExt"),
        ("salt", "dd488d0802b1e431e4c72cd355847853"),
        ("sid", "wdterp30"),
        ("timestamp", "232623153"),
        ("v", "1.0"),
    ];
    let sign = qjb::sign(params, r#"["xc109393939393939","",1.2,0,false]"#, "693f9fed686bfe13441385da98b436b6");
    assert_eq!(sign, "20f557aaf9190797c581bbceeb6d5a5c");
}
