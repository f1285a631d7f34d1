//! The behaviour every backend must show, as one suite. A backend's tests call [`run_all`] with a
//! factory of fresh, empty stores; every check is a named async function of one of the modules
//! below, written only against the [`Store`] trait and public domain types, so that every backend
//! runs the same code.
//!
//! Checks that need a hook into a backend (holding its write lock so that pushes queue up as one
//! batch, a trigger that makes a group fail whole) cannot be expressed through the trait; the
//! differential one takes the hook as an argument
//! ([`batches::pushes_created_together_end_as_pushes_created_one_at_a_time`]) and the backends'
//! own tests call it.

pub mod batches;
pub mod calls;
pub mod documents;
pub mod import;
pub mod limits;
pub mod operations;
pub mod purchase_return;
pub mod query;
pub mod quick_return;
pub mod races;
pub mod sessions;
pub mod snapshots;
pub mod stockin;

use std::future::Future;
use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::refund_stockin::{QJB_FIELDS, ReturnLine, ReturnStockin};
use wdt_protocol::{ApiError, Dec4, Dialect};

pub use batches::{
    answers_of, assert_same_outcome, describe_answer, mixed_pushes, push_in_turn, queue_behind_first, receipt_state,
    spawn_stockin, wait_for_batches,
};

use crate::{AppCredential, AppLookup, StockLineView, StockinCreated, StockinListFilter, Store, StoreResult};

/// The fixture of SPEC.md §6, verbatim.
pub const SPEC_EXAMPLE_FIXTURE: &str = include_str!("../../../../fixtures/spec-example.json");

/// The demo fixture (`fixtures/demo.json`).
pub const DEMO_FIXTURE: &str = include_str!("../../../../fixtures/demo.json");

/// Runs every conformance check, each against a fresh store from `fresh`, and fails naming every
/// check that failed.
///
/// `fresh` is called once per check, when the check before it has finished and dropped its
/// store, so a backend may close and remove the previous store then.
pub async fn run_all<F, Fut>(mut fresh: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Arc<dyn Store>>,
{
    let mut failures = Vec::new();
    macro_rules! check {
        ($module:ident :: $check:ident) => {
            run_check(
                concat!(stringify!($module), "::", stringify!($check)),
                $module::$check(fresh().await),
                &mut failures,
            )
            .await
        };
    }
    check!(import::import_twice_changes_nothing);
    check!(import::finds_credentials_by_sid_dialect_and_key);
    check!(import::a_bad_reference_loads_nothing);
    check!(import::verify_passes_after_import);
    check!(import::a_second_file_adds_only_what_is_absent_in_file_order);
    check!(stockin::a_checked_stockin_moves_stock_ledger_cost_and_refund_progress);
    check!(stockin::unchecked_stockins_move_nothing_and_reserve_nothing);
    check!(stockin::refused_stockins_change_nothing_and_say_why);
    check!(stockin::a_repeated_outer_number_changes_nothing);
    check!(stockin::batches_positions_and_serial_numbers);
    check!(quick_return::a_quick_return_links_the_open_refund_order_and_checks_it);
    check!(quick_return::a_quick_return_without_a_refund_order_creates_one_from_the_trade);
    check!(quick_return::refused_quick_returns_change_nothing_and_say_why);
    check!(purchase_return::a_checked_purchase_return_takes_goods_out_at_the_moving_average_cost);
    check!(purchase_return::a_purchase_return_short_of_stock_stays_unchecked_or_is_cancelled);
    check!(purchase_return::units_defects_and_batches_leave_the_right_lines);
    check!(purchase_return::refused_purchase_returns_write_nothing_and_say_why);
    check!(query::the_window_and_time_type_select_by_time);
    check!(query::each_filter_narrows_the_result);
    check!(query::paging_walks_every_row_once);
    check!(query::the_query_keeps_to_the_callers_scope_seller_and_privacy);
    check!(races::concurrent_pushes_never_receive_more_than_expected);
    check!(races::concurrent_pushes_with_one_outer_number_create_one_stockin);
    check!(races::concurrent_quick_returns_never_return_more_than_sold);
    check!(races::concurrent_purchase_returns_never_take_more_than_on_hand);
    check!(races::concurrent_mixed_writes_keep_every_invariant);
    check!(races::concurrent_pushes_answer_as_the_same_pushes_one_at_a_time);
    check!(limits::a_purchase_return_naming_thousands_of_purchase_orders_is_refused_by_rule);
    check!(limits::a_push_with_sixteen_thousand_serial_numbers_is_received);
    check!(operations::checking_a_pending_stockin_moves_what_a_checked_push_moves);
    check!(operations::a_check_sees_the_refund_order_as_it_is_at_check_time);
    check!(operations::refund_orders_are_reviewed_and_cancelled_by_their_rules);
    check!(operations::purchase_returns_are_checked_from_stock_or_cancelled);
    check!(operations::a_trade_ships_once_first_expiry_first);
    check!(operations::a_count_sets_one_line_with_one_ledger_row);
    check!(operations::concurrent_checks_apply_once_and_never_receive_more_than_expected);
    check!(documents::a_raw_trade_becomes_a_trade_once);
    check!(documents::concurrent_pushes_of_one_tid_make_one_trade);
    check!(documents::a_raw_refund_becomes_its_refund_order_once);
    check!(documents::concurrent_uploads_never_refund_more_than_sold);
    check!(snapshots::a_restored_snapshot_is_the_state_it_was_taken_at);
    check!(snapshots::reset_empties_every_seller_and_loads_the_fixture);
    check!(calls::a_call_is_claimed_once_and_answered_with_its_saved_answer);
    check!(calls::limits_count_calls_per_minute_and_in_flight);
    check!(sessions::a_console_session_lives_until_it_expires_or_ends);
    assert!(failures.is_empty(), "{} conformance check(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// Runs one check in a task of its own, so that its panic is caught and reported by its name.
async fn run_check(name: &str, check: impl Future<Output = ()> + Send + 'static, failures: &mut Vec<String>) {
    if let Err(e) = tokio::spawn(check).await {
        let message = match e.try_into_panic() {
            Ok(panic) => panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned()),
            Err(e) => e.to_string(),
        };
        failures.push(format!("{name}: {message}"));
    }
}

/// The SPEC.md §6 fixture with its refund order TK1 (and the trade item behind it) for `units`
/// units of MUG-RED instead of 2.
pub fn spec_example_with_refund_of(units: &str) -> Fixture {
    let mut fixture = spec_example();
    let units: Dec4 = units.parse().expect("a quantity");
    fixture.trades[0].items[0].num = units;
    fixture.refund_orders[0].items[0].refund_num = units;
    fixture
}

/// The demo fixture with every trade item and refund item `factor` times as large: room for
/// many partial receipts of the same refund orders.
pub fn demo_with_refunds_times(factor: i64) -> Fixture {
    let mut fixture = Fixture::parse(DEMO_FIXTURE).expect("the demo fixture");
    let factor = Dec4::from_int(factor).expect("a factor");
    for item in fixture.trades.iter_mut().flat_map(|t| t.items.iter_mut()) {
        item.num = item.num.mul_round(factor).expect("a trade quantity");
    }
    for item in fixture.refund_orders.iter_mut().flat_map(|r| r.items.iter_mut()) {
        item.refund_num = item.refund_num.mul_round(factor).expect("a refund quantity");
    }
    fixture
}

/// The day's sequence part of a stock-in number: its last four digits ("0001").
pub fn order_seq(created: &StockinCreated) -> String {
    created.order_no[created.order_no.len() - 4..].to_owned()
}

/// A checked return stock-in of `num` MUG-RED into WH1 against the SPEC.md §6 fixture's refund
/// order TK1, with outer number `outer_no`.
pub fn spec_example_receipt(outer_no: &str, num: i64) -> ReturnStockin {
    let lines = vec![line("MUG-RED", &num.to_string())];
    ReturnStockin { outer_no: Some(outer_no.into()), ..receipt("TK1", "WH1", lines) }
}

fn spec_example() -> Fixture {
    Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("the SPEC example fixture parses")
}

/// The seller of the demo fixture.
const DEMO: &str = "demo";

/// A store with the demo fixture loaded, and its three credentials.
struct Demo {
    store: Arc<dyn Store>,
    /// `demo-qjb`: every warehouse and shop.
    app: AppCredential,
    /// `demo-qjb-wh2`: warehouse WH2 and shop SHOP-OWN only.
    wh2: AppCredential,
    /// `demo-ent`, the openapi2 key.
    ent: AppCredential,
}

impl Demo {
    /// Loads `fixture` (the demo fixture or one made from it) into `store`.
    async fn load(store: Arc<dyn Store>, fixture: &Fixture) -> Demo {
        let summary = store.import_fixture(fixture).await.expect("the demo fixture loads");
        assert!(summary.inserted > 0, "{summary:?}");
        let app = app_of(&*store, &fixture.sid, Dialect::Qjb, "demo-qjb").await;
        let wh2 = app_of(&*store, &fixture.sid, Dialect::Qjb, "demo-qjb-wh2").await;
        let ent = app_of(&*store, &fixture.sid, Dialect::Openapi2, "demo-ent").await;
        Demo { store, app, wh2, ent }
    }

    /// The demo fixture as shipped.
    async fn new(store: Arc<dyn Store>) -> Demo {
        Demo::load(store, &Fixture::parse(DEMO_FIXTURE).expect("the demo fixture")).await
    }

    /// Everything a write of the demo seller could change, for comparing before and after.
    async fn snapshot(&self) -> String {
        snapshot(&*self.store, DEMO).await
    }

    /// Stock and ledger of every demo spec and every demo refund order: what moving goods
    /// changes, without the documents' lists.
    async fn goods(&self) -> String {
        let mut out = String::new();
        for spec in ["MUG-RED", "MUG-BLUE", "MILK-1L", "PHONE-128", "RICE-KG"] {
            out += &format!("{:?}\n", self.stock(spec).await);
            out += &format!("{:?}\n", self.store.ledger_of(DEMO, spec).await.expect("ledger"));
        }
        for n in 1..=6 {
            out += &format!("{:?}\n", self.refund(&format!("TK-DEMO-{n}")).await);
        }
        out
    }

    /// The refund order `refund_no` of the demo seller.
    async fn refund(&self, refund_no: &str) -> crate::RefundOrderView {
        self.store.refund_order(DEMO, refund_no).await.expect("refund order").expect("the refund order exists")
    }

    /// The demo seller's stock lines of `spec_no`.
    async fn stock(&self, spec_no: &str) -> Vec<StockLineView> {
        self.store.stock_of(DEMO, spec_no).await.expect("stock")
    }

    /// The demo seller's stock lines of `spec_no` in `warehouse_no`.
    async fn stock_in(&self, spec_no: &str, warehouse_no: &str) -> Vec<StockLineView> {
        self.stock(spec_no).await.into_iter().filter(|l| l.warehouse_no == warehouse_no).collect()
    }

    /// The demo seller's stock-in orders, newest first.
    async fn stockins(&self) -> Vec<crate::StockinSummary> {
        let filter = StockinListFilter { sid: Some(DEMO.into()), limit: 1000, ..StockinListFilter::default() };
        self.store.list_stockins(&filter).await.expect("stock-in orders")
    }
}

/// The credential `key` of seller `sid` in `dialect`; panics if there is none.
async fn app_of(store: &dyn Store, sid: &str, dialect: Dialect, key: &str) -> AppCredential {
    match store.find_app(sid, dialect, key).await.expect("credential lookup") {
        AppLookup::Found(app) => app,
        other => panic!("{sid}/{key}: expected the fixture's credential, got {other:?}"),
    }
}

/// A quantity, price or cost.
fn d(text: &str) -> Dec4 {
    Dec4::parse(text).expect("a decimal")
}

/// A detail line of `num` units of `spec_no`, everything else defaulted.
fn line(spec_no: &str, num: &str) -> ReturnLine {
    ReturnLine { spec_no: spec_no.into(), num: d(num), ..ReturnLine::default() }
}

/// A checked qjb return stock-in against `refund_no` into `warehouse_no`, without an outer number.
fn receipt(refund_no: &str, warehouse_no: &str, lines: Vec<ReturnLine>) -> ReturnStockin {
    ReturnStockin::checked(refund_no.into(), warehouse_no.into(), lines, QJB_FIELDS)
}

/// The message of a business refusal; panics on success or any other error.
fn refusal<T: std::fmt::Debug>(result: StoreResult<T>) -> String {
    match result {
        Err(crate::StoreError::Api(ApiError::Business(message))) => message,
        other => panic!("expected a business refusal, got {other:?}"),
    }
}

/// Panics unless `result` is the refusal of a used outer number, `value` sent as `field`.
fn assert_duplicate<T: std::fmt::Debug>(result: StoreResult<T>, field: &'static str, value: &str) {
    match result {
        Err(crate::StoreError::Api(e @ ApiError::DuplicateOuterNo { .. })) => {
            assert_eq!(e, ApiError::DuplicateOuterNo { field, value: value.into() });
            assert_eq!(e.to_string(), "外部单号已存在,不能重复推送");
        }
        other => panic!("expected the duplicate outer number {value}, got {other:?}"),
    }
}

/// Every stock line, ledger row, refund order, stock-in order and purchase return of `sid`, as
/// text: what any write could change.
async fn snapshot(store: &dyn Store, sid: &str) -> String {
    let mut out = String::new();
    let lines = crate::LineFilter { sid: Some(sid.into()), limit: 10_000, ..crate::LineFilter::default() };
    out += &format!("{:?}\n", store.list_stock(&lines).await.expect("stock"));
    out += &format!("{:?}\n", store.list_ledger(&lines).await.expect("ledger"));
    for refund in store.list_refund_orders(&crate::DocumentFilter::seller(sid, 1000)).await.expect("refund orders") {
        out += &format!("{:?}\n", store.refund_order(sid, &refund.refund_no).await.expect("refund order"));
    }
    let stockins = StockinListFilter { sid: Some(sid.into()), limit: 1000, ..StockinListFilter::default() };
    out += &format!("{:?}\n", store.list_stockins(&stockins).await.expect("stock-ins"));
    out += &format!(
        "{:?}\n",
        store.list_purchase_returns(&crate::DocumentFilter::seller(sid, 1000)).await.expect("purchase returns")
    );
    out
}

/// Runs `verify`, panics on any problem, and returns the report.
async fn assert_verified(store: &dyn Store) -> crate::VerifyReport {
    let report = store.verify().await.expect("verify");
    assert!(report.is_ok(), "{:?}", report.problems);
    report
}

/// Stock lines as (warehouse, position, batch, defect, num, cost), in the store's order.
fn lines_of(stock: &[StockLineView]) -> Vec<(&str, &str, &str, bool, Dec4, Dec4)> {
    stock
        .iter()
        .map(|l| (l.warehouse_no.as_str(), l.position_no.as_str(), l.batch_no.as_str(), l.defect, l.num, l.cost_price))
        .collect()
}

/// Σ num of `stock`.
fn total(stock: &[StockLineView]) -> Dec4 {
    stock.iter().fold(Dec4::ZERO, |a, l| a.checked_add(l.num).expect("a total"))
}

/// A ledger row as "type position defect: before + change = after at cost".
fn describe_ledger_row(r: &crate::LedgerRowView) -> String {
    let (before, change, after) = (r.num_before, r.num_change, r.num_after);
    format!("{} {} defect {}: {before} + {change} = {after} at {}", r.doc_type, r.position_no, r.defect, r.cost_price)
}

/// A refund order's state and each item's progress, a line each.
fn describe_refund(view: &crate::RefundOrderView) -> Vec<String> {
    let mut out =
        vec![format!("refund {} status {} stockin_status {}", view.refund_no, view.status, view.stockin_status)];
    out.extend(
        view.items.iter().map(|i| format!("  {} {} received {} of {}", i.oid, i.spec_no, i.stockin_num, i.refund_num)),
    );
    out
}

/// A stock line with its warehouse's cost.
fn describe_stock_line(l: &StockLineView) -> String {
    let (w, s, p, b) = (&l.warehouse_no, &l.spec_no, &l.position_no, &l.batch_no);
    format!("stock {w} {s} {p} defect {} batch {b} {} at cost {}", l.defect, l.num, l.cost_price)
}
