//! Typed payloads of the five seed methods: the seeds' own request examples decode (and survive a
//! round trip through what an SDK would send), bad input is refused with a message that names the
//! field and the value, and the seed 004 example response keeps its exact JSON shape.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wdt_protocol::methods::purchase_return::{PurchaseReturnCreate, PurchaseReturnOrder, PurchaseReturnResult};
use wdt_protocol::methods::refund_stockin::{CreateMode, RefundStockinOrder};
use wdt_protocol::methods::refund_stockin_query::{
    QueryPage, RefundStockinQuery, TIME_TYPE_MODIFIED, TIME_TYPE_STOCKIN, TimeType, WINDOW_REQUIRED,
};
use wdt_protocol::methods::smart_refund::{SmartRefundResult, SmartRefundUpload};
use wdt_protocol::methods::stockin_refund_push::StockinRefundInfo;
use wdt_protocol::methods::{self, ArgKind, QJB_METHODS, decode_args, decode_field};
use wdt_protocol::{ApiError, Dec4};

fn seed(name: &str) -> String {
    let path = format!("{}/tests/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn d(text: &str) -> Dec4 {
    Dec4::from_str(text).unwrap()
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn arity(method: &str) -> usize {
    methods::qjb_method(method).unwrap().arity
}

/// What a server does with a qjb call: read the body, then the method's arguments.
fn decode_qjb(method: &str, body: &[u8]) -> Result<(), ApiError> {
    let args = decode_args(method, body, arity(method))?;
    match method {
        methods::REFUND_STOCKIN_CREATE => RefundStockinOrder::from_args(args).map(drop),
        methods::SMART_REFUND_UPLOAD => SmartRefundUpload::from_args(args).map(drop),
        methods::PURCHASE_RETURN_CREATE => PurchaseReturnCreate::from_args(args).map(drop),
        methods::REFUND_STOCKIN_QUERY => RefundStockinQuery::from_args(args).map(drop),
        other => panic!("no such method in the table: {other}"),
    }
}

/// Decodes a body that must be accepted.
fn accept<T>(method: &str, body: &str, from_args: fn(Vec<Value>) -> Result<T, ApiError>) -> T {
    let args = decode_args(method, body.as_bytes(), arity(method)).unwrap_or_else(|e| panic!("{body}: {e:?}"));
    from_args(args).unwrap_or_else(|e| panic!("{body}: {e:?}"))
}

fn create(body: &str) -> RefundStockinOrder {
    accept(methods::REFUND_STOCKIN_CREATE, body, RefundStockinOrder::from_args)
}

fn smart(body: &str) -> SmartRefundUpload {
    accept(methods::SMART_REFUND_UPLOAD, body, SmartRefundUpload::from_args)
}

fn purchase(body: &str) -> PurchaseReturnCreate {
    accept(methods::PURCHASE_RETURN_CREATE, body, PurchaseReturnCreate::from_args)
}

fn query(body: &str) -> RefundStockinQuery {
    accept(methods::REFUND_STOCKIN_QUERY, body, RefundStockinQuery::from_args)
}

fn body_of(args: Vec<Value>) -> String {
    serde_json::to_string(&args).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The method table.

#[test]
fn method_table_matches_protocol() {
    let expected: [(&str, &[&str], bool); 11] = [
        ("wms.stockin.Refund.createOrder", &["stockin_order"], false),
        ("wms.stockin.SmartRefund.upload", &["refundInfo", "detailMapList", "createPreStockin"], false),
        ("purchase.PurchaseReturn.createOrder", &["orderInfo", "detailList", "is_check"], false),
        ("wms.stockin.Refund.queryWithDetail", &["params"], true),
        ("purchase.PurchaseReturn.cancelOrder", &[methods::purchase_return_cancel::ARG_RETURN_NO], false),
        ("purchase.PurchaseOrder.createOrder", &[methods::purchase_order::ARG_PARAMS], false),
        ("goods.Goods.push", &["goodsInfo", "specInfoList"], false),
        ("setting.PurchaseProvider.push", &["provider"], false),
        ("sales.RawTrade.pushSelf", &["shop_no", "rawTradeList", "rawTradeOrderList", "discountList"], false),
        ("aftersales.refund.RawRefund.upload", &["shop_no", "order_list"], false),
        ("aftersales.refund.RawRefund.upload2", &["shop_no", "order_list"], false),
    ];
    // Every read-back method (SPEC §9) is paged with one `params` argument too.
    let reads = methods::reads::READ_METHODS.iter().map(|name| (*name, &["params"][..], true));
    let expected: Vec<(&str, &[&str], bool)> = expected.into_iter().chain(reads).collect();
    assert_eq!(QJB_METHODS.len(), expected.len());
    for (name, args, paged) in expected {
        let m = methods::qjb_method(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(m.arity, m.args.len(), "{name}");
        let names: Vec<&str> = m.args.iter().map(|a| a.name).collect();
        assert_eq!(names, args, "{name}");
        assert_eq!(m.paged, paged, "{name}");
    }
    assert_eq!(methods::qjb_method(methods::SMART_REFUND_UPLOAD).unwrap().args[2].kind, ArgKind::Bool);
    assert_eq!(methods::OPENAPI2_STOCKIN_REFUND_PUSH, "stockin_refund_push.php");
    assert!(methods::qjb_method("wms.stockin.Nope").is_none());
}

// ---------------------------------------------------------------------------------------------
// Seed request examples.

#[test]
fn seed_000_json_request() {
    let order = create(&seed("000_request.json"));
    assert_eq!(order.refund_no, "TK2212050018");
    assert_eq!(order.out_stockin_no, s("testtqesad23"));
    assert_eq!(order.warehouse_no, "lz");
    assert_eq!(order.logistics_code, s("426"));
    assert_eq!(order.logistics_no, None);
    assert_eq!(order.remark, s("test"));
    assert_eq!(order.create_mode, None);
    assert_eq!(order.create_mode_or_default(), 0);
    assert_eq!(order.is_create_batch, None);
    assert_eq!(order.detail_list.len(), 1);
    let line = &order.detail_list[0];
    assert_eq!(line.spec_no, "sjdcsz");
    assert_eq!(line.num, d("1"));
    assert_eq!(line.defect, Some(false));
    assert_eq!(line.sn_strings, None);
    assert_eq!(line.batch_no, s("PC2203300007"));
    assert_eq!(line.expire_date, s("2022-08-01 11:05:36"));
    assert_eq!(line.position_no, s("01"));
    assert_eq!(line.production_date, s("2022-08-01 11:05:36"));
    assert_eq!(line.remark, s("test1"));
    assert_eq!(line.batch_remark, None);
    assert_eq!(line.stockin_price, None);

    // What an SDK sends decodes to the same order; `unit_name` (not in the table) is dropped.
    let sent = body_of(order.to_args());
    assert!(!sent.contains("unit_name"), "{sent}");
    assert_eq!(create(&sent), order);
}

#[test]
fn seed_000_php_request() {
    let order = create(&seed("000_php.json"));
    assert_eq!(order.refund_no, "TK2212270001");
    assert_eq!(order.out_stockin_no, s("202212271203"));
    assert_eq!(order.warehouse_no, "wdtapi3-test");
    assert_eq!(order.create_mode, Some(2));
    assert_eq!(order.detail_list[0].spec_no, "wangdiantong");
    assert_eq!(order.detail_list[0].num, d("1"));
    assert_eq!(create(&body_of(order.to_args())), order);
}

#[test]
fn seed_001_php_java_csharp_requests() {
    let php = StockinRefundInfo::from_form_field(&seed("001_php.json")).unwrap();
    assert_eq!(php.refund_no, "TK1608030001");
    assert_eq!(php.outer_no, "ghs");
    assert_eq!(php.warehouse_no, "xy001");
    assert_eq!(php.logistics_code, s("yjwl04"));
    assert_eq!(php.is_check, None);
    assert!(php.is_check_or_default());
    assert_eq!(php.is_created_batch, None);
    let line = &php.detail_list[0];
    assert_eq!(line.spec_no, "33412");
    assert_eq!(line.stockin_num, d("2"));
    assert_eq!(line.batch_no, s("20160601"));
    assert_eq!(line.stockin_price, Some(d("0.01")));

    let java = StockinRefundInfo::from_form_field(&seed("001_java.json")).unwrap();
    assert_eq!(java.refund_no, "TK1812110002");
    assert_eq!(java.outer_no, "gjs1121");
    assert_eq!(java.warehouse_no, "ghs2test");
    assert_eq!(java.logistics_code, s("1213"));
    assert_eq!(java.is_created_batch, Some(true));
    assert_eq!(java.detail_list[0].spec_no, "ghs201812070212123");
    assert_eq!(java.detail_list[0].stockin_num, d("2"));
    assert_eq!(java.detail_list[0].stockin_price, Some(d("0.01")));

    // C# sends every number as a string.
    let cs = StockinRefundInfo::from_form_field(&seed("001_csharp.json")).unwrap();
    assert_eq!(cs.refund_no, "TK1901090001");
    assert_eq!(cs.outer_no, "234567898765432");
    assert_eq!(cs.warehouse_no, "api_test");
    assert_eq!(cs.logistics_code, s("SMWL001"));
    assert_eq!(cs.logistics_no, s("6787654321234"));
    assert_eq!(cs.detail_list[0].spec_no, "6521478635");
    assert_eq!(cs.detail_list[0].stockin_num, d("1"));
    assert_eq!(cs.detail_list[0].stockin_price, Some(d("11.11")));

    for info in [php, java, cs] {
        let text = info.to_form_field();
        assert_eq!(StockinRefundInfo::from_form_field(&text).unwrap(), info, "{text}");
    }
}

#[test]
fn seed_001_flags_travel_as_numbers() {
    let mut info = StockinRefundInfo::from_form_field(&seed("001_java.json")).unwrap();
    info.is_check = Some(false);
    let sent: Value = serde_json::from_str(&info.to_form_field()).unwrap();
    assert_eq!(sent["is_check"], json!(0));
    assert_eq!(sent["is_created_batch"], json!(1));
}

#[test]
fn seed_002_json_request() {
    let upload = smart(&seed("002_request.json"));
    assert_eq!(upload.refund_info.tid, "pos-6776312");
    assert_eq!(upload.refund_info.return_warehouse_no, "pos");
    assert_eq!(upload.refund_info.remark, "pos refundInfo remark");
    assert_eq!(upload.details.len(), 1);
    assert_eq!(upload.details[0].spec_no, "RRWDMS018040S");
    assert_eq!(upload.details[0].stockin_num, d("1"));
    assert_eq!(upload.details[0].remark, "POS 退货测试");
    assert!(!upload.create_pre_stockin);
    assert_eq!(smart(&body_of(upload.to_args())), upload);
}

#[test]
fn seed_003_json_and_php_requests() {
    let ret = purchase(&seed("003_request.json"));
    assert_eq!(ret.order.warehouse_no, "wdtapi3-test");
    assert_eq!(ret.order.outer_no, "20230112002CGTK");
    assert_eq!(ret.order.provider_no, "LJTest");
    assert_eq!(ret.order.ref_purchase_nos, vec!["RH23011110".to_owned(), "RH22122901".to_owned()]);
    assert_eq!(ret.order.check_fail_cancel, None);
    assert_eq!(ret.details.len(), 1);
    let line = &ret.details[0];
    assert_eq!(line.spec_no, "xiaowanzi");
    assert_eq!(line.num, d("3"));
    assert_eq!(line.price, Some(d("10")));
    assert_eq!(line.defect, Some(true));
    assert_eq!(line.discount, None);
    assert!(ret.is_check);
    assert_eq!(purchase(&body_of(ret.to_args())), ret);

    // The PHP example leaves out outer_no, which the table requires: refused, naming it.
    let err = decode_qjb(methods::PURCHASE_RETURN_CREATE, seed("003_php.json").as_bytes()).unwrap_err();
    assert_eq!(err, ApiError::Business("outer_no不能为空".into()));
    // With it, the string quantity `"1"` reads as 1.
    let mut args: Vec<Value> = serde_json::from_str(&seed("003_php.json")).unwrap();
    args[0]["outer_no"] = json!("CGTK-1");
    let ret = purchase(&body_of(args));
    assert_eq!(ret.details[0].num, d("1"));
    assert!(!ret.is_check);
}

#[test]
fn seed_004_json_request() {
    let q = query(&seed("004_request.json"));
    assert_eq!(q.start_time, "2019-09-01 00:00:00");
    assert_eq!(q.end_time, "2019-10-01 23:59:59");
    assert_eq!(q.time_type_or_default(), 0);
    assert_eq!(q.warehouse_no, None);
    assert_eq!(q.status, None);
    assert_eq!(q.need_sn, None);
    assert_eq!(query(&body_of(q.to_args())), q);
}

// ---------------------------------------------------------------------------------------------
// Lenient scalars.

#[test]
fn scalars_arrive_in_every_shape_clients_use() {
    let order = create(
        r#"[{"refund_no":"TK1","warehouse_no":"WH1","logistics_code":426,"create_mode":"2",
            "is_create_batch":"1","out_stockin_no":null,"remark":"",
            "detail_list":[{"spec_no":12345,"num":"2.5","defect":1,"stockin_price":"0.01"},
                           {"spec_no":"B","num":2.0000,"defect":"false","stockin_price":""},
                           {"spec_no":"C","num":1234567890123.4567,"defect":"TRUE","stockin_price":null}]}]"#,
    );
    assert_eq!(order.logistics_code, s("426"));
    assert_eq!(order.create_mode, Some(2));
    assert_eq!(order.is_create_batch, Some(true));
    assert_eq!(order.out_stockin_no, None);
    assert_eq!(order.remark, s(""));
    let [a, b, c] = &order.detail_list[..] else { panic!() };
    assert_eq!(
        (a.spec_no.as_str(), a.num, a.defect, a.stockin_price),
        ("12345", d("2.5"), Some(true), Some(d("0.01")))
    );
    assert_eq!((b.num, b.defect, b.stockin_price), (d("2"), Some(false), None));
    assert_eq!((c.num, c.defect, c.stockin_price), (d("1234567890123.4567"), Some(true), None));

    // Top-level flags: true/false, 1/0, "1"/"0", "true"/"false".
    for (flag, expected) in
        [("true", true), ("1", true), ("\"1\"", true), ("\"true\"", true), ("0", false), ("\"false\"", false)]
    {
        let body = format!(
            r#"[{{"tid":"T1","return_warehouse_no":"W","remark":""}},[{{"spec_no":"A","stockin_num":1,"remark":""}}],{flag}]"#
        );
        assert_eq!(smart(&body).create_pre_stockin, expected, "{flag}");
    }

    // ref_purchase_nos: numbers read as their text, null as none.
    let ret = purchase(
        r#"[{"outer_no":"O1","warehouse_no":"W","provider_no":"P","ref_purchase_nos":[123,"RH1"],"check_fail_cancel":"1"},
            [{"spec_no":"A","num":1}],"0"]"#,
    );
    assert_eq!(ret.order.ref_purchase_nos, vec!["123".to_owned(), "RH1".to_owned()]);
    assert_eq!(ret.order.check_fail_cancel, Some(1));
    assert!(!ret.is_check);
    let ret = purchase(
        r#"[{"outer_no":"O1","warehouse_no":"W","provider_no":"P","ref_purchase_nos":null},[{"spec_no":"A","num":1}],false]"#,
    );
    assert!(ret.order.ref_purchase_nos.is_empty());

    let q = query(
        r#"[{"start_time":"2024-08-01 00:00:00","end_time":"2024-08-30 23:59:59","status":80,"time_type":"1","need_sn":"1","is_slave":0}]"#,
    );
    assert_eq!(q.status, s("80"));
    assert_eq!(q.time_type, Some(1));
    assert_eq!(q.need_sn, Some(true));
    assert_eq!(q.is_slave, Some(false));
}

#[test]
fn openapi2_flags_and_original_price() {
    let info = StockinRefundInfo::from_form_field(
        r#"{"refund_no":"TK1","outer_no":"O1","warehouse_no":"W","is_check":0,"is_created_batch":"1",
            "post_fee":"1.5","other_fee":"",
            "detail_list":[{"spec_no":"A","stockin_num":"1","stockin_price":""},
                           {"spec_no":"B","stockin_num":1,"stockin_price":-1},
                           {"spec_no":"C","stockin_num":1,"stockin_price":"-1.0000"},
                           {"spec_no":"D","stockin_num":1,"stockin_price":"0","tax":"0.13"},
                           {"spec_no":"E","stockin_num":1}]}"#,
    )
    .unwrap();
    assert_eq!(info.is_check, Some(false));
    assert!(!info.is_check_or_default());
    assert_eq!(info.is_created_batch, Some(true));
    assert_eq!(info.post_fee, Some(d("1.5")));
    assert_eq!(info.other_fee, None);
    let prices: Vec<Option<Dec4>> = info.detail_list.iter().map(|l| l.stockin_price).collect();
    assert_eq!(prices, vec![None, None, None, Some(Dec4::ZERO), None]);
    assert_eq!(info.detail_list[3].tax, Some(d("0.13")));
}

#[test]
fn lengths_count_characters_not_bytes() {
    let remark = |n: usize| "退".repeat(n);
    let body = |n: usize| {
        json!([{"refund_no":"TK1","warehouse_no":"W","remark":remark(n),"detail_list":[{"spec_no":"A","num":1}]}])
            .to_string()
    };
    assert_eq!(create(&body(255)).remark, Some(remark(255)));
    let err = decode_qjb(methods::REFUND_STOCKIN_CREATE, body(256).as_bytes()).unwrap_err();
    let ApiError::Business(message) = err else { panic!("{err:?}") };
    assert!(message.starts_with("超长(最大255) remark: 退退退"), "{message}");
    assert!(message.ends_with('…'), "a long value is cut: {message}");
    assert!(message.chars().count() < 100, "{message}");
}

#[test]
fn decode_field_reports_top_level_type_as_argument_type() {
    let err = decode_field::<RefundStockinOrder>("stockin_order", json!("TK-DEMO-1")).unwrap_err();
    assert_eq!(err, ApiError::ArgumentType("stockin_order: expected an object, got string \"TK-DEMO-1\"".into()));
    let err =
        decode_field::<Vec<methods::smart_refund::SmartRefundDetail>>("detailMapList", json!({"a":1})).unwrap_err();
    assert_eq!(err, ApiError::ArgumentType("detailMapList: expected an array, got an object".into()));
    let err = decode_field::<Vec<methods::smart_refund::SmartRefundDetail>>(
        "detailMapList",
        json!([{"spec_no":"A","stockin_num":"abc","remark":""}]),
    )
    .unwrap_err();
    assert_eq!(err, ApiError::Business("参数不合法 detailMapList[0].stockin_num: 不是合法的数字: abc".into()));
}

// ---------------------------------------------------------------------------------------------
// Bad input.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Count,
    Type,
    Business,
}

fn kind_of(err: &ApiError) -> Option<Kind> {
    match err {
        ApiError::ArgumentCount(_) => Some(Kind::Count),
        ApiError::ArgumentType(_) => Some(Kind::Type),
        ApiError::Business(_) => Some(Kind::Business),
        _ => None,
    }
}

enum Input {
    Qjb(&'static str, Vec<u8>),
    Openapi2(String),
}

fn qjb(method: &'static str, body: impl Into<String>) -> Input {
    Input::Qjb(method, body.into().into_bytes())
}

fn order_with(fields: Value) -> Input {
    let mut order = json!({"refund_no":"TK1","warehouse_no":"WH1","detail_list":[{"spec_no":"A","num":1}]});
    merge(&mut order, fields);
    qjb(methods::REFUND_STOCKIN_CREATE, json!([order]).to_string())
}

fn order_line_with(fields: Value) -> Input {
    let mut line = json!({"spec_no":"A","num":1});
    merge(&mut line, fields);
    order_with(json!({"detail_list":[line]}))
}

fn push_with(fields: Value) -> Input {
    let mut info =
        json!({"refund_no":"TK1","outer_no":"O1","warehouse_no":"WH1","detail_list":[{"spec_no":"A","stockin_num":1}]});
    merge(&mut info, fields);
    Input::Openapi2(info.to_string())
}

fn merge(target: &mut Value, fields: Value) {
    for (k, v) in fields.as_object().unwrap() {
        if v == &json!("<remove>") {
            target.as_object_mut().unwrap().remove(k);
        } else {
            target[k] = v.clone();
        }
    }
}

#[test]
fn bad_input_is_refused_naming_field_and_value() {
    const CREATE: &str = methods::REFUND_STOCKIN_CREATE;
    const SMART: &str = methods::SMART_REFUND_UPLOAD;
    const PURCHASE: &str = methods::PURCHASE_RETURN_CREATE;
    const QUERY: &str = methods::REFUND_STOCKIN_QUERY;
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let long21 = "TK".to_owned() + &"1".repeat(19);
    let smart_ok_info = r#"{"tid":"T1","return_warehouse_no":"W","remark":""}"#;

    let rows: Vec<(&str, Input, Kind, Vec<&str>)> = vec![
        // Body shape and arity.
        ("empty array", qjb(CREATE, "[]"), Kind::Count, vec!["expected 1 argument, got 0", "[stockin_order]"]),
        ("too many", qjb(CREATE, "[{}, {}]"), Kind::Count, vec!["expected 1 argument, got 2"]),
        (
            "too few for smart refund",
            qjb(SMART, "[{}, []]"),
            Kind::Count,
            vec!["expected 3 arguments, got 2", "[refundInfo, detailMapList, createPreStockin]"],
        ),
        ("malformed JSON", qjb(CREATE, "[{\"refund_no\":"), Kind::Count, vec!["body is not a JSON array", "EOF"]),
        (
            "object body",
            qjb(CREATE, "{\"refund_no\":\"TK1\"}"),
            Kind::Count,
            vec!["body is not a JSON array", "object"],
        ),
        ("empty body", qjb(CREATE, ""), Kind::Count, vec!["body is not a JSON array"]),
        ("invalid UTF-8", Input::Qjb(CREATE, b"[\"\xff\xfe\"]".to_vec()), Kind::Count, vec!["UTF-8"]),
        ("nested too deep", qjb(QUERY, deep), Kind::Count, vec!["recursion limit"]),
        // Top-level JSON types.
        (
            "string for object",
            qjb(CREATE, "[\"TK-DEMO-1\"]"),
            Kind::Type,
            vec!["stockin_order", "expected an object", "TK-DEMO-1"],
        ),
        ("null for object", qjb(QUERY, "[null]"), Kind::Type, vec!["params", "expected an object", "null"]),
        ("array for object", qjb(PURCHASE, "[[], [], true]"), Kind::Type, vec!["orderInfo", "expected an object"]),
        ("object for list", qjb(SMART, "[{}, {}, false]"), Kind::Type, vec!["detailMapList", "expected an array"]),
        (
            "word for boolean",
            qjb(SMART, "[{}, [], \"no\"]"),
            Kind::Type,
            vec!["createPreStockin", "expected a boolean", "no"],
        ),
        ("2 for boolean", qjb(PURCHASE, "[{}, [], 2]"), Kind::Type, vec!["is_check", "expected a boolean", "2"]),
        ("null for boolean", qjb(PURCHASE, "[{}, [], null]"), Kind::Type, vec!["is_check", "null"]),
        // Numbers.
        (
            "non-numeric num",
            order_line_with(json!({"num":"abc"})),
            Kind::Business,
            vec!["参数不合法 detail_list[0].num: 不是合法的数字: abc"],
        ),
        (
            "5 decimals",
            order_line_with(json!({"num":1.23456})),
            Kind::Business,
            vec!["detail_list[0].num", "小数位数不能超过4位", "1.23456"],
        ),
        (
            "5 decimals as string",
            order_line_with(json!({"stockin_price":"0.00001"})),
            Kind::Business,
            vec!["detail_list[0].stockin_price", "0.00001"],
        ),
        ("exponent", order_line_with(json!({"num":"1e3"})), Kind::Business, vec!["detail_list[0].num", "1e3"]),
        ("boolean num", order_line_with(json!({"num":true})), Kind::Business, vec!["detail_list[0].num", "true"]),
        (
            "create_mode text",
            order_with(json!({"create_mode":"abc"})),
            Kind::Business,
            vec!["参数不合法 create_mode: 不是合法的整数: abc"],
        ),
        (
            "create_mode 5",
            order_with(json!({"create_mode":5})),
            Kind::Business,
            vec!["取值不合法(0/1/2) create_mode: 5"],
        ),
        ("create_mode 1.5", order_with(json!({"create_mode":1.5})), Kind::Business, vec!["create_mode", "1.5"]),
        (
            "defect maybe",
            order_line_with(json!({"defect":"maybe"})),
            Kind::Business,
            vec!["参数不合法 detail_list[0].defect: 不是合法的布尔值", "maybe"],
        ),
        // Lengths.
        (
            "overlong refund_no",
            order_with(json!({"refund_no": long21})),
            Kind::Business,
            vec!["超长(最大20) refund_no: TK1111111111111111111"],
        ),
        (
            "overlong spec_no in a list argument",
            qjb(
                SMART,
                format!(r#"[{smart_ok_info},[{{"spec_no":"{}","stockin_num":1,"remark":""}}],false]"#, "S".repeat(41)),
            ),
            Kind::Business,
            vec!["超长(最大40) detailMapList[0].spec_no: SSSS"],
        ),
        (
            "overlong position_no",
            order_line_with(json!({"position_no":"P".repeat(41)})),
            Kind::Business,
            vec!["超长(最大40) detail_list[0].position_no"],
        ),
        // Required fields: missing, null, blank.
        ("missing refund_no", order_with(json!({"refund_no":"<remove>"})), Kind::Business, vec!["refund_no不能为空"]),
        ("null refund_no", order_with(json!({"refund_no":null})), Kind::Business, vec!["refund_no不能为空"]),
        ("blank warehouse_no", order_with(json!({"warehouse_no":"  "})), Kind::Business, vec!["warehouse_no不能为空"]),
        (
            "missing detail_list",
            order_with(json!({"detail_list":"<remove>"})),
            Kind::Business,
            vec!["detail_list不能为空"],
        ),
        ("null detail_list", order_with(json!({"detail_list":null})), Kind::Business, vec!["detail_list不能为空"]),
        ("null num", order_line_with(json!({"num":null})), Kind::Business, vec!["detail_list[0].num不能为空"]),
        (
            "missing spec_no",
            order_line_with(json!({"spec_no":"<remove>"})),
            Kind::Business,
            vec!["detail_list[0].spec_no不能为空"],
        ),
        ("null line", order_with(json!({"detail_list":[null]})), Kind::Business, vec!["detail_list[0]不能为空"]),
        // Wrong JSON types inside.
        (
            "detail_list a string",
            order_with(json!({"detail_list":"abc"})),
            Kind::Business,
            vec!["参数不合法 detail_list: 应为数组: abc"],
        ),
        (
            "line a string",
            order_with(json!({"detail_list":["x"]})),
            Kind::Business,
            vec!["参数不合法 detail_list[0]: 应为对象: x"],
        ),
        (
            "spec_no a boolean",
            order_line_with(json!({"spec_no":true})),
            Kind::Business,
            vec!["参数不合法 detail_list[0].spec_no: 应为字符串: true"],
        ),
        (
            "remark an object",
            order_with(json!({"remark":{"a":1}})),
            Kind::Business,
            vec!["参数不合法 remark: 应为字符串: {\"a\":1}"],
        ),
        // Smart refund.
        (
            "smart: missing remark",
            qjb(
                SMART,
                r#"[{"tid":"T1","return_warehouse_no":"W"},[{"spec_no":"A","stockin_num":1,"remark":""}],false]"#,
            ),
            Kind::Business,
            vec!["remark不能为空"],
        ),
        (
            "smart: missing tid",
            qjb(
                SMART,
                r#"[{"return_warehouse_no":"W","remark":""},[{"spec_no":"A","stockin_num":1,"remark":""}],false]"#,
            ),
            Kind::Business,
            vec!["tid不能为空"],
        ),
        (
            "smart: missing stockin_num",
            qjb(SMART, format!(r#"[{smart_ok_info},[{{"spec_no":"A","remark":""}}],false]"#)),
            Kind::Business,
            vec!["detailMapList[0].stockin_num不能为空"],
        ),
        (
            "smart: stockin_num x",
            qjb(SMART, format!(r#"[{smart_ok_info},[{{"spec_no":"A","stockin_num":"x","remark":""}}],true]"#)),
            Kind::Business,
            vec!["参数不合法 detailMapList[0].stockin_num: 不是合法的数字: x"],
        ),
        // Purchase return.
        (
            "purchase: num abc",
            qjb(
                PURCHASE,
                r#"[{"outer_no":"O","warehouse_no":"W","provider_no":"P"},[{"spec_no":"A","num":"abc"}],true]"#,
            ),
            Kind::Business,
            vec!["参数不合法 detailList[0].num: 不是合法的数字: abc"],
        ),
        (
            "purchase: ref_purchase_nos element",
            qjb(
                PURCHASE,
                r#"[{"outer_no":"O","warehouse_no":"W","provider_no":"P","ref_purchase_nos":["RH1",{}]},[{"spec_no":"A","num":1}],true]"#,
            ),
            Kind::Business,
            vec!["参数不合法 ref_purchase_nos[1]: 应为字符串: {}"],
        ),
        (
            "purchase: ref_purchase_nos a string",
            qjb(
                PURCHASE,
                r#"[{"outer_no":"O","warehouse_no":"W","provider_no":"P","ref_purchase_nos":"RH1"},[{"spec_no":"A","num":1}],true]"#,
            ),
            Kind::Business,
            vec!["参数不合法 ref_purchase_nos: 应为数组: RH1"],
        ),
        (
            "purchase: check_fail_cancel 2",
            qjb(
                PURCHASE,
                r#"[{"outer_no":"O","warehouse_no":"W","provider_no":"P","check_fail_cancel":2},[{"spec_no":"A","num":1}],true]"#,
            ),
            Kind::Business,
            vec!["取值不合法(0/1) check_fail_cancel: 2"],
        ),
        (
            "purchase: overlong outer_no",
            qjb(
                PURCHASE,
                r#"[{"outer_no":"123456789012345678901","warehouse_no":"W","provider_no":"P"},[{"spec_no":"A","num":1}],true]"#,
            ),
            Kind::Business,
            vec!["超长(最大20) outer_no: 123456789012345678901"],
        ),
        // Query.
        (
            "query: missing start_time",
            qjb(QUERY, r#"[{"end_time":"2024-08-30 23:59:59"}]"#),
            Kind::Business,
            vec!["参数中必须包含起止时间"],
        ),
        (
            "query: empty end_time",
            qjb(QUERY, r#"[{"start_time":"2024-08-01 00:00:00","end_time":""}]"#),
            Kind::Business,
            vec!["参数中必须包含起止时间"],
        ),
        (
            "query: time_type 3",
            qjb(QUERY, r#"[{"start_time":"2024-08-01 00:00:00","end_time":"2024-08-02 00:00:00","time_type":3}]"#),
            Kind::Business,
            vec!["取值不合法(0/1) time_type: 3"],
        ),
        // openapi2 form field.
        (
            "push: not JSON",
            Input::Openapi2("refund_no=TK1".into()),
            Kind::Business,
            vec!["参数不合法 stockin_refund_info: 不是合法的JSON", "refund_no=TK1"],
        ),
        (
            "push: an array",
            Input::Openapi2("[1]".into()),
            Kind::Business,
            vec!["参数不合法 stockin_refund_info: 应为对象: [1]"],
        ),
        ("push: null", Input::Openapi2("null".into()), Kind::Business, vec!["stockin_refund_info不能为空"]),
        ("push: missing outer_no", push_with(json!({"outer_no":"<remove>"})), Kind::Business, vec!["outer_no不能为空"]),
        (
            "push: is_check 2",
            push_with(json!({"is_check":2})),
            Kind::Business,
            vec!["参数不合法 is_check: 不是合法的布尔值(true/false/1/0): 2"],
        ),
        (
            "push: 5 decimals",
            push_with(json!({"detail_list":[{"spec_no":"A","stockin_num":"1.23456"}]})),
            Kind::Business,
            vec!["参数不合法 detail_list[0].stockin_num: 小数位数不能超过4位: 1.23456"],
        ),
        (
            "push: overlong refund_no",
            push_with(json!({"refund_no":"T".repeat(41)})),
            Kind::Business,
            vec!["超长(最大40) refund_no: TTTT"],
        ),
        (
            "push: logistics_code 21",
            push_with(json!({"logistics_code":"L".repeat(21)})),
            Kind::Business,
            vec!["超长(最大20) logistics_code"],
        ),
    ];

    let mut failures = Vec::new();
    for (label, input, kind, needles) in rows {
        let result = match &input {
            Input::Qjb(method, body) => decode_qjb(method, body),
            Input::Openapi2(text) => StockinRefundInfo::from_form_field(text).map(drop),
        };
        let err = match result {
            Ok(()) => {
                failures.push(format!("{label}: accepted"));
                continue;
            }
            Err(e) => e,
        };
        if kind_of(&err) != Some(kind) {
            failures.push(format!("{label}: expected {kind:?}, got {err:?}"));
            continue;
        }
        let message = err.to_string();
        for needle in needles {
            if !message.contains(needle) {
                failures.push(format!("{label}: {message:?} lacks {needle:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Quantities, prices and empty line lists are business rules: the wire layer passes them on
/// for `wdt-domain` to refuse (with `数量不合法` / `价格不合法` / `<list>不能为空`).
#[test]
fn value_rules_are_left_to_the_domain() {
    let order = |line: Value| json!([{"refund_no":"TK1","warehouse_no":"WH1","detail_list":[line]}]).to_string();
    assert_eq!(create(&order(json!({"spec_no":"A","num":0}))).detail_list[0].num, Dec4::ZERO);
    assert_eq!(create(&order(json!({"spec_no":"A","num":"-1"}))).detail_list[0].num, d("-1"));
    assert_eq!(
        create(&order(json!({"spec_no":"A","num":1,"stockin_price":-3}))).detail_list[0].stockin_price,
        Some(d("-3"))
    );
    assert!(create(r#"[{"refund_no":"TK1","warehouse_no":"WH1","detail_list":[]}]"#).detail_list.is_empty());
    let push = r#"{"refund_no":"TK1","outer_no":"O1","warehouse_no":"WH1","detail_list":[{"spec_no":"A","stockin_num":0,"stockin_price":-2}]}"#;
    let info = StockinRefundInfo::from_form_field(push).unwrap();
    assert_eq!((info.detail_list[0].stockin_num, info.detail_list[0].stockin_price), (Dec4::ZERO, Some(d("-2"))));
    let upload = smart(r#"[{"tid":"T1","return_warehouse_no":"W","remark":""},[],false]"#);
    assert!(upload.details.is_empty());
    let ret = purchase(
        r#"[{"outer_no":"O","warehouse_no":"W","provider_no":"P"},[{"spec_no":"A","num":0,"price":-1}],true]"#,
    );
    assert_eq!((ret.details[0].num, ret.details[0].price), (Dec4::ZERO, Some(d("-1"))));
}

#[test]
fn coded_values_read_as_their_enums() {
    let mode = |m: Value| {
        RefundStockinOrder {
            create_mode: serde_json::from_value(m).unwrap(),
            ..create(r#"[{"refund_no":"TK1","warehouse_no":"WH1","detail_list":[{"spec_no":"A","num":1}]}]"#)
        }
        .create_mode()
    };
    let cases = [
        (json!(null), Ok(CreateMode::Editing)),
        (json!(0), Ok(CreateMode::Editing)),
        (json!(1), Ok(CreateMode::Submitted)),
        (json!(2), Ok(CreateMode::Checked)),
        (json!(3), Err("取值不合法(0/1/2) create_mode: 3")),
    ];
    for (given, want) in cases {
        assert_eq!(mode(given.clone()), want.map_err(ApiError::business), "create_mode {given}");
    }
    let window = r#"[{"start_time":"2024-08-01 00:00:00","end_time":"2024-08-02 00:00:00"}]"#;
    let time = |t: Option<i64>| RefundStockinQuery { time_type: t, ..query(window) }.time_type();
    assert_eq!(time(None), Ok(TimeType::Modified));
    assert_eq!(time(Some(TIME_TYPE_MODIFIED)), Ok(TimeType::Modified));
    assert_eq!(time(Some(TIME_TYPE_STOCKIN)), Ok(TimeType::Stockin));
    assert_eq!(time(Some(2)), Err(ApiError::business("取值不合法(0/1) time_type: 2")));
    let base = purchase(r#"[{"outer_no":"O","warehouse_no":"W","provider_no":"P"},[{"spec_no":"A","num":1}],true]"#);
    let cancel =
        |c: Option<i64>| PurchaseReturnOrder { check_fail_cancel: c, ..base.order.clone() }.cancel_on_check_failure();
    assert_eq!(cancel(None), Ok(false));
    assert_eq!(cancel(Some(0)), Ok(false));
    assert_eq!(cancel(Some(1)), Ok(true));
    assert_eq!(cancel(Some(2)), Err(ApiError::business("取值不合法(0/1) check_fail_cancel: 2")));
}

#[test]
fn a_query_without_both_window_ends_gets_the_vendor_message() {
    let complete = RefundStockinQuery {
        start_time: "2024-08-01 00:00:00".into(),
        end_time: "2024-08-02 00:00:00".into(),
        ..Default::default()
    };
    assert_eq!(complete.validate(), Ok(()));
    for (start, end) in [("", "2024-08-02 00:00:00"), ("2024-08-01 00:00:00", "  ")] {
        let q = RefundStockinQuery { start_time: start.into(), end_time: end.into(), ..Default::default() };
        assert_eq!(q.validate(), Err(ApiError::business(WINDOW_REQUIRED)), "{start:?}..{end:?}");
    }
    // Before anything else in params: a bad warehouse_no type does not hide it.
    let err = decode_qjb(methods::REFUND_STOCKIN_QUERY, br#"[{"start_time":null,"end_time":"x","warehouse_no":{}}]"#);
    assert_eq!(err, Err(ApiError::business(WINDOW_REQUIRED)));
}

// ---------------------------------------------------------------------------------------------
// Seed 004 example response.

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    status: i64,
    data: QueryPage,
}

/// Walks `expected` and `actual` together: same JSON type at every key, same keys, equal values
/// (numbers by value). Keys only `actual` has go to `extra`.
fn compare(path: &str, expected: &Value, actual: &Value, extra: &mut Vec<String>, problems: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    Some(av) => compare(&p, ev, av, extra, problems),
                    None => problems.push(format!("{p}: missing")),
                }
            }
            for k in a.keys().filter(|k| !e.contains_key(*k)) {
                extra.push(format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                problems.push(format!("{path}: {} elements, expected {}", a.len(), e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), ev, av, extra, problems);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            let same = match (Dec4::from_str(&e.to_string()), Dec4::from_str(&a.to_string())) {
                (Ok(x), Ok(y)) => x == y,
                _ => e.to_string() == a.to_string(),
            };
            if !same {
                problems.push(format!("{path}: {a}, expected {e}"));
            }
        }
        (Value::String(_), Value::String(_)) | (Value::Bool(_), Value::Bool(_)) | (Value::Null, Value::Null) => {
            if expected != actual {
                problems.push(format!("{path}: {actual}, expected {expected}"));
            }
        }
        _ => problems.push(format!("{path}: {actual} has another JSON type than {expected}")),
    }
}

#[test]
fn seed_004_response_keeps_its_json_types() {
    let text = seed("004_response.json");
    let example: Value = serde_json::from_str(&text).unwrap();
    let envelope: Envelope = serde_json::from_str(&text).unwrap();
    let reserialized = serde_json::to_value(&envelope).unwrap();

    let mut extra = Vec::new();
    let mut problems = Vec::new();
    compare("", &example, &reserialized, &mut extra, &mut problems);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    // Fields of the seed's table that its example does not show.
    assert_eq!(extra, vec![".data.order[0].logistics_type", ".data.order[0].wms_code"]);

    let order = &envelope.data.order[0];
    assert_eq!(envelope.data.total_count, Some(1));
    assert_eq!(order.created_time, 1_725_010_715_000);
    assert_eq!(order.check_time, 1_725_010_725_000);
    assert_eq!(order.shop_id, "290");
    assert_eq!(order.total_goods_stockin_num, d("2"));
    assert_eq!(order.actual_refund_amount, d("299.8"));
    let detail = &order.details_list[0];
    assert_eq!(detail.refund_detail_id, "60180");
    assert_eq!(detail.total_cost, d("0.2324"));
    assert_eq!(detail.position_id, -5);
    assert!(!detail.defect);
    assert_eq!(detail.sn_list, None);
    assert_eq!(detail.refund_order_detail_list[0].price, d("29.98"));
    assert_eq!(detail.refund_order_detail_list[0].oid, "AD202408300004");

    let out = &reserialized["data"]["order"][0];
    assert_eq!(out["total_goods_stockin_num"], json!("2.0000"));
    assert_eq!(out["details_list"][0]["stockin_num"], json!("2.0000"));
    assert_eq!(out["details_list"][0]["refund_order_detail_list"][0]["stockin_num"], json!(2));
    assert_eq!(out["shop_id"], json!("290"));

    // Re-reading what we wrote gives the same rows.
    let again: Envelope = serde_json::from_value(reserialized).unwrap();
    assert_eq!(again.data, envelope.data);
}

#[test]
fn query_page_leaves_out_what_was_not_asked_for() {
    let page = QueryPage { order: Vec::new(), total_count: None };
    assert_eq!(serde_json::to_value(&page).unwrap(), json!({"order": []}));
    let page: QueryPage = serde_json::from_value(json!({"order": null})).unwrap();
    assert!(page.order.is_empty());
    let row = wdt_protocol::methods::refund_stockin_query::StockinDetailRow {
        sn_list: Some("SN1,SN2".into()),
        ..Default::default()
    };
    let v = serde_json::to_value(&row).unwrap();
    assert_eq!(v["sn_list"], json!("SN1,SN2"));
    assert_eq!(v["stockin_num"], json!("0.0000"));
    assert_eq!(v["num"], json!(0));
}

#[test]
fn small_response_payloads() {
    let r: SmartRefundResult = serde_json::from_value(json!({"stockin_id": 1, "type": 12})).unwrap();
    assert_eq!((r.stockin_id, r.order_type), (1, 12));
    assert_eq!(serde_json::to_value(&r).unwrap(), json!({"stockin_id": 1, "type": 12}));
    let p: PurchaseReturnResult = serde_json::from_value(json!({"message": "RH8723238", "status": 0})).unwrap();
    assert_eq!(p, PurchaseReturnResult { status: 0, message: "RH8723238".into() });
    assert_eq!(serde_json::to_value(&p).unwrap(), json!({"status": 0, "message": "RH8723238"}));
    assert_eq!(PurchaseReturnResult::created("RH8723238".into()), p);
    let failed = PurchaseReturnResult::check_failed("库存不足 商家编码: A");
    assert_eq!(
        serde_json::to_value(&failed).unwrap(),
        json!({"status": 20, "message": "审核失败: 库存不足 商家编码: A"})
    );
}

#[test]
fn comparer_catches_type_and_key_changes() {
    let example = json!({"a": {"n": "2.0000", "m": 1, "l": [{"x": 1.50}]}});
    let cases = [
        (json!({"a": {"n": 2, "m": 1, "l": [{"x": 1.5}]}}), ".a.n"),
        (json!({"a": {"n": "2.0000", "m": "1", "l": [{"x": 1.5}]}}), ".a.m"),
        (json!({"a": {"n": "2.0000", "m": 1, "l": [{"x": 1.6}]}}), ".a.l[0].x"),
        (json!({"a": {"n": "2.0000", "l": [{"x": 1.5}]}}), ".a.m: missing"),
        (json!({"a": {"n": "2.0000", "m": 1, "l": []}}), ".a.l: 0 elements"),
    ];
    for (actual, problem) in cases {
        let (mut extra, mut problems) = (Vec::new(), Vec::new());
        compare("", &example, &actual, &mut extra, &mut problems);
        assert!(problems.iter().any(|p| p.starts_with(problem)), "{actual}: {problems:?}");
    }
    let (mut extra, mut problems) = (Vec::new(), Vec::new());
    let same = json!({"a": {"n": "2.0000", "m": 1.0000, "l": [{"x": 1.5}], "z": 0}});
    compare("", &example, &same, &mut extra, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(extra, vec![".a.z"]);
}
