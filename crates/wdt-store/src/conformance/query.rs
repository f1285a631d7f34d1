//! The return stock-in query (SPEC.md §3.4): the time window and its field, every filter, paging
//! without skips or repeats, the caller's scope and seller, and the privacy rules, all applied by
//! the store.

use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::model::{Scope, StockinStatus};
use wdt_domain::query::{QueryParams, StockinQuery};
use wdt_domain::refund_stockin::ReturnStockin;
use wdt_protocol::Dialect;
use wdt_protocol::methods::refund_stockin_query::QueryPage;
use wdt_protocol::time::{format_wire_time, now_ms, parse_wire_time};

use super::{DEMO, Demo, SPEC_EXAMPLE_FIXTURE, app_of, d, line, receipt};
use crate::Store;

/// The demo store with one stock-in of each refund order kind, and their order numbers:
/// 0 checked (SHOP-OWN, WH1), 1 editing with a serial number (SHOP-POS), 2 checked of a batch
/// (SHOP-JD), 3 checked of a Taobao shop (never returned), 4 pending review (SHOP-OWN, WH2).
async fn seeded(store: Arc<dyn Store>) -> (Demo, Vec<String>) {
    let demo = Demo::new(store).await;
    let mut pushes = vec![
        receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "1")]),
        receipt("TK-DEMO-2", "WH1", vec![line("PHONE-128", "1")]),
        receipt("TK-DEMO-3", "WH1", vec![line("MILK-1L", "1")]),
        receipt("TK-DEMO-5", "WH2", vec![line("MUG-BLUE", "1")]),
        ReturnStockin {
            status: StockinStatus::PendingReview,
            ..receipt("TK-DEMO-1", "WH2", vec![line("MUG-RED", "1")])
        },
    ];
    pushes[1].status = StockinStatus::Editing;
    pushes[1].lines[0].sn = vec!["SN-X1".into()];
    pushes[2].lines[0].batch_no = Some("B2601".into());
    let mut nos = Vec::new();
    for cmd in &pushes {
        nos.push(demo.store.create_return_stockin(&demo.app, cmd).await.expect("seeded").order_no);
    }
    (demo, nos)
}

/// An hour either side of now, as wire times.
fn around_now() -> (String, String) {
    let now = now_ms();
    (format_wire_time(now - 3_600_000), format_wire_time(now + 3_600_000))
}

/// The window `start`..`end` and nothing else.
fn window<'a>(start: &'a str, end: &'a str) -> QueryParams<'a> {
    QueryParams { start_time: start, end_time: end, ..QueryParams::default() }
}

/// One page of `params` for seller `sid` within `scope`.
async fn page(store: &dyn Store, sid: &str, scope: &Scope, params: &QueryParams<'_>, size: u32, no: u32) -> QueryPage {
    let query = StockinQuery::check(params, size, no, true, scope).expect("a valid query");
    store.query_return_stockins(sid, &query).await.expect("query")
}

/// The order numbers of `page`, in its order.
fn order_nos(page: &QueryPage) -> Vec<String> {
    page.order.iter().map(|o| o.order_no.clone()).collect()
}

/// The order numbers at `picks` of `nos`.
fn picked(nos: &[String], picks: &[usize]) -> Vec<String> {
    picks.iter().map(|&i| nos[i].clone()).collect()
}

/// Only orders whose time falls in the window are returned, the end second included whole; by
/// check time only checked orders match. Each row carries its order's state.
pub async fn the_window_and_time_type_select_by_time(store: Arc<dyn Store>) {
    let (demo, nos) = seeded(store).await;
    let all = Scope::default();
    let (start, end) = around_now();
    let now = page(&*demo.store, DEMO, &all, &window(&start, &end), 100, 0).await;
    assert_eq!(order_nos(&now), picked(&nos, &[0, 1, 2, 4]), "the Taobao shop's order is never returned");
    assert_eq!(now.total_count, Some(4));

    let checked = QueryParams {
        time_type: wdt_protocol::methods::refund_stockin_query::TimeType::Stockin,
        ..window(&start, &end)
    };
    assert_eq!(order_nos(&page(&*demo.store, DEMO, &all, &checked, 100, 0).await), picked(&nos, &[0, 2]));
    let past = page(&*demo.store, DEMO, &all, &window("2019-09-01 00:00:00", "2019-10-01 23:59:59"), 100, 0).await;
    assert_eq!((past.order.len(), past.total_count), (0, Some(0)));

    // The first order's own second, as the end of the window: included; the second before: not.
    let row = &now.order[0];
    let second = parse_wire_time(&row.modified).expect("a wire time");
    let (from, earlier) = (format_wire_time(second - 3_600_000), format_wire_time(second - 1000));
    let upto = page(&*demo.store, DEMO, &all, &window(&from, &row.modified), 100, 0).await;
    assert!(order_nos(&upto).contains(&nos[0]), "the end second is included: {:?}", order_nos(&upto));
    let before = page(&*demo.store, DEMO, &all, &window(&from, &earlier), 100, 0).await;
    assert!(!order_nos(&before).contains(&nos[0]), "{:?}", order_nos(&before));

    assert_eq!((row.status, row.refund_no.as_str(), row.warehouse_no.as_str()), (80, "TK-DEMO-1", "WH1"));
    assert_eq!((row.goods_count, row.total_goods_stockin_num, row.src_order_type), (d("1"), d("1"), 12));
    assert_eq!((row.shop_no.as_str(), row.tid_list.as_str(), row.process_status), ("SHOP-OWN", "T-DEMO-1", 30));
    assert!(row.check_time >= second && row.created_time > 1_700_000_000_000, "{row:?}");
    let detail = &row.details_list[0];
    assert_eq!((detail.spec_no.as_str(), detail.num, detail.stockin_num), ("MUG-RED", d("1"), d("1")));
    let link = &detail.refund_order_detail_list[0];
    assert_eq!((link.oid.as_str(), link.price, link.stockin_num), ("T-DEMO-1-1", d("29.98"), d("1")));
    let editing = &now.order[1];
    assert_eq!((editing.status, editing.check_time), (20, 0), "an unchecked order has no check time");
}

/// Each filter narrows the result in the store, alone or together, and the total counts what
/// matched; `need_sn` fills the serial numbers.
pub async fn each_filter_narrows_the_result(store: Arc<dyn Store>) {
    let (demo, nos) = seeded(store).await;
    let (start, end) = around_now();
    let base = window(&start, &end);
    let cases: Vec<(&str, QueryParams<'_>, &[usize])> = vec![
        ("warehouse", QueryParams { warehouse_no: Some("WH2"), ..base.clone() }, &[4]),
        ("unknown warehouse", QueryParams { warehouse_no: Some("WH-OUT"), ..base.clone() }, &[]),
        ("stock-in number", QueryParams { stockin_no: Some(&nos[2]), ..base.clone() }, &[2]),
        ("a hidden order's number", QueryParams { stockin_no: Some(&nos[3]), ..base.clone() }, &[]),
        ("refund number", QueryParams { refund_no: Some("TK-DEMO-1"), ..base.clone() }, &[0, 4]),
        ("shop list", QueryParams { shop_nos: Some("SHOP-POS,SHOP-JD"), ..base.clone() }, &[1, 2]),
        ("a hidden shop", QueryParams { shop_nos: Some("SHOP-TB"), ..base.clone() }, &[]),
        ("status list", QueryParams { status: Some("20,30"), ..base.clone() }, &[1, 4]),
        ("completed", QueryParams { status: Some("80"), ..base.clone() }, &[0, 2]),
        ("cancelled", QueryParams { status: Some("10"), ..base.clone() }, &[]),
        ("refund and status", QueryParams { refund_no: Some("TK-DEMO-1"), status: Some("80"), ..base.clone() }, &[0]),
        (
            "warehouse and shop",
            QueryParams { warehouse_no: Some("WH1"), shop_nos: Some("SHOP-OWN"), ..base.clone() },
            &[0],
        ),
    ];
    for (name, params, picks) in cases {
        let got = page(&*demo.store, DEMO, &Scope::default(), &params, 100, 0).await;
        assert_eq!(order_nos(&got), picked(&nos, picks), "{name}");
        assert_eq!(got.total_count, Some(picks.len() as i64), "{name}");
    }
    let phone = QueryParams { stockin_no: Some(&nos[1]), ..base.clone() };
    let without = page(&*demo.store, DEMO, &Scope::default(), &phone, 10, 0).await;
    assert_eq!(without.order[0].details_list[0].sn_list, None);
    let with = page(&*demo.store, DEMO, &Scope::default(), &QueryParams { need_sn: true, ..phone }, 10, 0).await;
    assert_eq!(with.order[0].details_list[0].sn_list.as_deref(), Some("SN-X1"));
}

/// Pages of 1, 2 and 100 rows walk every row once in the same order; an order arriving mid-walk
/// lands after the rows already there; without `calc_total` there is no total.
pub async fn paging_walks_every_row_once(store: Arc<dyn Store>) {
    let (demo, nos) = seeded(store).await;
    let (start, end) = around_now();
    let params = window(&start, &end);
    let all = Scope::default();
    let expected = picked(&nos, &[0, 1, 2, 4]);
    for size in [1u32, 2, 100] {
        let mut seen = Vec::new();
        for no in 0.. {
            let got = page(&*demo.store, DEMO, &all, &params, size, no).await;
            assert_eq!(got.total_count, Some(4), "page {no} of {size}");
            if got.order.is_empty() {
                break;
            }
            assert!(got.order.len() <= size as usize);
            seen.extend(order_nos(&got));
        }
        assert_eq!(seen, expected, "page size {size}");
    }
    let first = order_nos(&page(&*demo.store, DEMO, &all, &params, 2, 0).await);
    let newer = ReturnStockin {
        status: StockinStatus::PendingReview,
        ..receipt("TK-DEMO-2", "WH2", vec![line("PHONE-128", "1")])
    };
    let newer = demo.store.create_return_stockin(&demo.app, &newer).await.expect("received").order_no;
    let mut walked = first;
    for no in 1..=2 {
        walked.extend(order_nos(&page(&*demo.store, DEMO, &all, &params, 2, no).await));
    }
    let mut expected = expected;
    expected.push(newer);
    assert_eq!(walked, expected);
    let query = StockinQuery::check(&params, 10, 0, false, &all).expect("a valid query");
    let untotalled = demo.store.query_return_stockins(DEMO, &query).await.expect("query");
    assert_eq!((untotalled.order.len(), untotalled.total_count), (5, None));
}

/// A limited key sees only its warehouses and shops; a seller only its own orders; customer name
/// and nickname are filled only for self-owned (127) and offline (0) shops.
pub async fn the_query_keeps_to_the_callers_scope_seller_and_privacy(store: Arc<dyn Store>) {
    let (demo, nos) = seeded(store).await;
    let (start, end) = around_now();
    let params = window(&start, &end);
    let limited = page(&*demo.store, DEMO, &demo.wh2.scope(), &params, 100, 0).await;
    assert_eq!((order_nos(&limited), limited.total_count), (picked(&nos, &[4]), Some(1)));
    let shops_only = Scope { warehouses: None, shops: Some(vec!["SHOP-POS".into()]) };
    assert_eq!(order_nos(&page(&*demo.store, DEMO, &shops_only, &params, 100, 0).await), picked(&nos, &[1]));

    // A warehouse the seller does not have is refused (seed 004), not an empty page forever.
    let typo = QueryParams { warehouse_no: Some("WH-NONE"), ..window(&start, &end) };
    let query = StockinQuery::check(&typo, 100, 0, true, &Scope::default()).expect("a valid query");
    let refused = demo.store.query_return_stockins(DEMO, &query).await.expect_err("unknown warehouse");
    assert_eq!(refused.into_api_error().to_string(), "仓库不存在  仓库编号: WH-NONE");

    let rows = page(&*demo.store, DEMO, &Scope::default(), &params, 100, 0).await.order;
    let privacy: Vec<_> = rows
        .iter()
        .map(|o| (o.shop_platform_id, o.customer_no.as_str(), o.customer_name.as_str(), o.nick_name.as_str()))
        .collect();
    assert_eq!(
        privacy,
        vec![
            (127, "C1", "王小明", "wang88"),
            (0, "C2", "李四", "li4"),
            (3, "C3", "", ""),
            (127, "C1", "王小明", "wang88")
        ]
    );

    demo.store.import_fixture(&Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("fixture")).await.expect("import");
    let acme = app_of(&*demo.store, "acme", Dialect::Qjb, "acme-qjb").await;
    let theirs = receipt("TK1", "WH1", vec![line("MUG-RED", "1")]);
    let theirs = demo.store.create_return_stockin(&acme, &theirs).await.expect("received").order_no;
    let acme_page = page(&*demo.store, "acme", &acme.scope(), &params, 100, 0).await;
    assert_eq!((order_nos(&acme_page), acme_page.total_count), (vec![theirs], Some(1)));
    let demo_page = page(&*demo.store, DEMO, &Scope::default(), &params, 100, 0).await;
    assert_eq!(order_nos(&demo_page), picked(&nos, &[0, 1, 2, 4]), "another seller's order is not the demo seller's");
}
