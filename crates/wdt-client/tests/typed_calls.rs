//! The typed calls against the real server: the router on a random local port over a throwaway
//! SQLite database holding the demo fixture.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::oneshot;
use wdt_client::methods::{
    Paged, PurchaseReturnCreate, RefundStockinOrder, RefundStockinQuery, SmartRefundUpload, StockinRefundInfo,
    purchase_return,
};
use wdt_client::{Client, Error, RetryPolicy};
use wdt_domain::fixture::Fixture;
use wdt_domain::numbering::DocKind;
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::{format_wire_time, now_ms};
use wdt_protocol::{Dec4, Dialect};
use wdt_server::{AppState, RateLimits, Server, ServerConfig};
use wdt_store::Store;
use wdt_store_sqlite::{SecretBox, SqliteSettings, SqliteStore};

const DEMO: &str = include_str!("../../../fixtures/demo.json");
const QJB_KEY: &str = "demo-qjb";
const QJB_SECRET: &str = "demo-secret:demo-salt";
const ENT_KEY: &str = "demo-ent";
const ENT_SECRET: &str = "demo-ent-secret";

/// A running server; dropping it stops the server and removes the database.
struct Running {
    url: String,
    store: Arc<dyn Store>,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Running {
    fn qjb(&self) -> Client {
        Client::qjb(&self.url, "demo", QJB_KEY, QJB_SECRET).with_retry(RetryPolicy::none())
    }

    fn openapi2(&self) -> Client {
        Client::openapi2(&self.url, "demo", ENT_KEY, ENT_SECRET).with_retry(RetryPolicy::none())
    }
}

async fn spawn() -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("client.db");
    let store = SqliteStore::open(
        path.to_str().expect("UTF-8 path"),
        &SqliteSettings::default(),
        SecretBox::ephemeral().expect("key"),
    )
    .await
    .expect("open store");
    let store: Arc<dyn Store> = Arc::new(store);
    store.import_fixture(&Fixture::parse(DEMO).expect("demo fixture")).await.expect("import");
    let config = ServerConfig { rate_limits: RateLimits::off(), ..ServerConfig::default() };
    let server =
        Server::bind("127.0.0.1:0".parse().unwrap(), AppState::new(Arc::clone(&store), config)).await.expect("bind");
    let url = format!("http://{}", server.local_addr().expect("address"));
    let (tx, rx) = oneshot::channel();
    tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    Running { url, store, shutdown: Some(tx), _dir: dir }
}

/// A request type read from its wire JSON, as the server reads it.
fn wire<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a well-formed request")
}

fn dec(text: &str) -> Dec4 {
    Dec4::parse(text).unwrap()
}

/// The window from a minute ago to a minute ahead.
fn around_now(filters: Value) -> RefundStockinQuery {
    let now = now_ms();
    let mut params = json!({"start_time": format_wire_time(now - 60_000), "end_time": format_wire_time(now + 60_000)});
    params.as_object_mut().unwrap().extend(filters.as_object().unwrap().clone());
    wire(params)
}

fn first_page(size: u32) -> Pager {
    Pager { page_size: size, page_no: 0, calc_total: true }
}

#[track_caller]
fn assert_remote(err: &Error, dialect: Dialect, code: &str, message_contains: &str) {
    match err {
        Error::Remote { dialect: d, code: c, message } => {
            assert_eq!((*d, c.as_str()), (dialect, code), "{err}");
            assert!(message.contains(message_contains), "{message:?} should contain {message_contains:?}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_return_stockin_answers_its_rk_number_and_reads_back_with_its_details() {
    let app = spawn().await;
    let client = app.qjb();
    let order: RefundStockinOrder = wire(json!({
        "refund_no": "TK-DEMO-1", "out_stockin_no": "TYPED-1", "warehouse_no": "WH1", "create_mode": 2,
        "remark": "退货/换货", "detail_list": [
            {"spec_no": "MUG-RED", "num": 2, "position_no": "A-01"},
            {"spec_no": "MUG-BLUE", "num": "1", "stockin_price": "20"}
        ]
    }));
    let created = client.create_return_stockin(&order).await.expect("accepted");
    let day = DocKind::Stockin.day(now_ms());
    let no = &created.order_no;
    assert!(no.len() == 14 && no.starts_with(&format!("RK{day}")), "{no}");
    assert!(no[10..].bytes().all(|b| b.is_ascii_digit()), "{no}");

    let page =
        client.query_return_stockins(&around_now(json!({"stockin_no": no})), &first_page(10)).await.expect("page");
    assert_eq!(page.total_count, Some(1));
    let row = &page.order[0];
    assert_eq!((row.order_no.as_str(), row.refund_no.as_str(), row.status), (no.as_str(), "TK-DEMO-1", 80));
    assert_eq!((row.warehouse_no.as_str(), row.remark.as_str()), ("WH1", "退货/换货"));
    assert!(row.stockin_id > 0 && row.check_time > 0, "{row:?}");
    let lines: Vec<(&str, Dec4, Dec4)> =
        row.details_list.iter().map(|d| (d.spec_no.as_str(), d.num, d.refund_amount)).collect();
    assert_eq!(lines, [("MUG-RED", dec("2"), dec("59.96")), ("MUG-BLUE", dec("1"), dec("25"))]);
    assert_eq!(row.details_list[0].position_no, "A-01");
    assert_eq!(row.details_list[1].refund_order_detail_list[0].spec_no, "MUG-BLUE");

    // The same outer number again, signed at another second (the same bytes within the window
    // would be answered as the first call was): the server's refusal, as a typed error.
    let later = client.clone().with_clock_offset(-2);
    let err = later.create_return_stockin(&order).await.expect_err("a repeat is refused");
    assert_remote(&err, Dialect::Qjb, "100", "此外部单已使用! out_stockin_no: TYPED-1");
    assert!(!err.is_retryable());
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn an_openapi2_push_is_found_by_a_query_with_its_details() {
    let app = spawn().await;
    let info: StockinRefundInfo = wire(json!({
        "refund_no": "TK-DEMO-1", "outer_no": "TYPED-E1", "warehouse_no": "WH1", "remark": "企业版",
        "detail_list": [{"spec_no": "MUG-RED", "stockin_num": "1", "stockin_price": -1}]
    }));
    let pushed = app.openapi2().push_stockin_refund(&info).await.expect("accepted");
    assert_eq!(pushed.message, "succeed");

    let page = app
        .qjb()
        .query_return_stockins(&around_now(json!({"refund_no": "TK-DEMO-1"})), &first_page(10))
        .await
        .expect("page");
    assert_eq!(page.total_count, Some(1), "{page:?}");
    let row = &page.order[0];
    assert!(row.order_no.starts_with("RK"), "{row:?}");
    assert_eq!((row.status, row.remark.as_str()), (80, "企业版"), "is_check defaults to checked");
    assert_eq!(row.details_list.len(), 1);
    let line = &row.details_list[0];
    assert_eq!((line.spec_no.as_str(), line.stockin_num, line.refund_amount), ("MUG-RED", dec("1"), dec("29.98")));

    // A second page of one-row pages is empty; without `calc_total` there is no count.
    let next = Pager { page_size: 1, page_no: 1, calc_total: false };
    let empty =
        app.qjb().query_return_stockins(&around_now(json!({"refund_no": "TK-DEMO-1"})), &next).await.expect("page");
    assert!(empty.order.is_empty() && empty.total_count.is_none(), "{empty:?}");

    // The repeat, signed at another second, is refused with the seed's string code.
    let err = app.openapi2().with_clock_offset(-2).push_stockin_refund(&info).await.expect_err("duplicate");
    assert_remote(&err, Dialect::Openapi2, "40", "外部单号已存在,不能重复推送");
    assert_eq!(err.code(), Some(40));
}

#[tokio::test]
async fn a_quick_return_answers_the_stockin_id_and_type() {
    let app = spawn().await;
    let upload = SmartRefundUpload {
        refund_info: wire(json!({"tid": "T-DEMO-7", "return_warehouse_no": "WH1", "remark": "快速退货"})),
        details: wire(json!([{"spec_no": "MUG-BLUE", "stockin_num": 1, "remark": ""}])),
        create_pre_stockin: false,
    };
    let result = app.qjb().quick_return(&upload).await.expect("accepted");
    assert_eq!(result.order_type, 12);
    assert!(result.stockin_id > 0, "{result:?}");

    let page = app.qjb().query_return_stockins(&around_now(json!({})), &first_page(10)).await.expect("page");
    let row = page.order.iter().find(|r| r.stockin_id == result.stockin_id).expect("the quick return's stock-in");
    assert_eq!((row.status, row.tid_list.as_str()), (80, "T-DEMO-7"));

    // More than was sold (2, one already back): refused with the server's message.
    let over =
        SmartRefundUpload { details: wire(json!([{"spec_no": "MUG-BLUE", "stockin_num": 2, "remark": ""}])), ..upload };
    let err = app.qjb().quick_return(&over).await.expect_err("beyond the sold quantity");
    assert_remote(&err, Dialect::Qjb, "100", "商家编码: MUG-BLUE 购买数量: 2 已退货: 1 本次退货: 2");

    let unknown = SmartRefundUpload {
        refund_info: wire(json!({"tid": "T-NOPE", "return_warehouse_no": "WH1", "remark": ""})),
        ..over
    };
    let err = app.qjb().quick_return(&unknown).await.expect_err("no such trade");
    assert_remote(&err, Dialect::Qjb, "100", "未找到对应的单据信息! tid: T-NOPE");
}

#[tokio::test]
async fn a_purchase_return_answers_its_number_or_the_failed_check() {
    let app = spawn().await;
    let create = |outer: &str, num: u32| PurchaseReturnCreate {
        order: wire(json!({"outer_no": outer, "warehouse_no": "WH1", "provider_no": "P1"})),
        details: wire(json!([{"spec_no": "MUG-BLUE", "num": num, "price": "8"}])),
        is_check: true,
    };
    let done = app.qjb().create_purchase_return(&create("PR-TYPED", 5)).await.expect("accepted");
    assert_eq!((done.status, done.message.as_str()), (purchase_return::RESULT_OK, "PR-TYPED"));

    // 15 left: a return of 16 is written but its check fails, still a successful call.
    let short = app.qjb().create_purchase_return(&create("PR-SHORT", 16)).await.expect("written");
    assert_eq!(short.status, purchase_return::RESULT_CHECK_FAILED);
    assert!(short.message.contains("需要: 16 可用: 15"), "{short:?}");

    let err = app.qjb().create_purchase_return(&create("PR-TYPED", 1)).await.expect_err("duplicate outer_no");
    assert_remote(&err, Dialect::Qjb, "100", "此外部单已使用! outer_no: PR-TYPED");
}

#[tokio::test]
async fn a_call_through_the_other_dialect_is_refused_before_it_is_sent() {
    let app = spawn().await;
    let order: RefundStockinOrder = wire(json!({
        "refund_no": "TK-DEMO-1", "out_stockin_no": "WRONG-1", "warehouse_no": "WH1", "create_mode": 2,
        "detail_list": [{"spec_no": "MUG-RED", "num": 1}]
    }));
    match app.openapi2().create_return_stockin(&order).await {
        Err(Error::WrongDialect { method, expected, client }) => {
            assert_eq!(method, "wms.stockin.Refund.createOrder");
            assert_eq!((expected, client), (Dialect::Qjb, Dialect::Openapi2));
        }
        other => panic!("expected the dialect refusal, got {other:?}"),
    }
    let query = around_now(json!({}));
    let err = app.openapi2().query_return_stockins(&query, &first_page(10)).await.unwrap_err();
    assert!(matches!(err, Error::WrongDialect { expected: Dialect::Qjb, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "wms.stockin.Refund.queryWithDetail is a call of the qjb dialect, but this client speaks openapi2"
    );

    let info: StockinRefundInfo = wire(json!({
        "refund_no": "TK-DEMO-1", "outer_no": "WRONG-E1", "warehouse_no": "WH1",
        "detail_list": [{"spec_no": "MUG-RED", "stockin_num": 1}]
    }));
    let err = app.qjb().push_stockin_refund(&info).await.unwrap_err();
    assert!(
        matches!(&err, Error::WrongDialect { method, expected: Dialect::Openapi2, client: Dialect::Qjb }
            if method == "stockin_refund_push.php"),
        "{err:?}"
    );
    assert!(err.code().is_none() && !err.is_retryable());

    // Nothing reached the server: no stock-in was written.
    let page = app.qjb().send_qjb(&Paged { params: &query, pager: first_page(10) }).await.expect("page");
    assert_eq!(page.total_count, Some(0), "{page:?}");
}
