//! The behaviour every backend must show, as one suite. A backend's tests call
//! [`run_all`] with a factory of fresh, empty stores.

use std::future::Future;
use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::model::StockinStatus;
use wdt_domain::refund_stockin::{QJB_FIELDS, ReturnLine, ReturnStockin};
use wdt_protocol::{Dec4, Dialect};

use crate::{AppCredential, AppLookup, StockinCreated, Store, StoreError, WriteBatchStats};

/// The fixture of SPEC.md §6, verbatim.
pub const SPEC_EXAMPLE_FIXTURE: &str = include_str!("../../../fixtures/spec-example.json");

/// The SPEC.md §6 fixture with its refund order TK1 (and the trade item behind it) for `units`
/// units of MUG-RED instead of 2.
pub fn spec_example_with_refund_of(units: &str) -> Fixture {
    let mut fixture = Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("the SPEC.md example fixture");
    let units: Dec4 = units.parse().expect("a quantity");
    fixture.trades[0].items[0].num = units;
    fixture.refund_orders[0].items[0].refund_num = units;
    fixture
}

/// Pushes `cmd` from a task of its own, so several can wait on the same batch.
pub fn spawn_stockin<S: Store + ?Sized + 'static>(
    store: &Arc<S>,
    app: &AppCredential,
    cmd: ReturnStockin,
) -> tokio::task::JoinHandle<crate::StoreResult<StockinCreated>> {
    let (store, app) = (Arc::clone(store), app.clone());
    tokio::spawn(async move { store.create_return_stockin(&app, &cmd).await })
}

/// Waits (up to 5 s) until the store's batching writer's figures satisfy `ready`; panics naming
/// `what` otherwise, or if the store does not batch.
pub async fn wait_for_batches<S: Store + ?Sized>(store: &Arc<S>, what: &str, ready: impl Fn(WriteBatchStats) -> bool) {
    for _ in 0..2500 {
        if ready(store.write_batches().expect("a store that batches writes")) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    panic!("never {what}: {:?}", store.write_batches());
}

/// The day's sequence part of a stock-in number: its last four digits ("0001").
pub fn order_seq(created: &StockinCreated) -> String {
    created.order_no[created.order_no.len() - 4..].to_owned()
}

/// A checked return stock-in of `num` MUG-RED into WH1 against the SPEC.md §6 fixture's refund
/// order TK1, with outer number `outer_no`.
pub fn spec_example_receipt(outer_no: &str, num: i64) -> ReturnStockin {
    ReturnStockin {
        refund_no: "TK1".into(),
        outer_no: Some(outer_no.into()),
        warehouse_no: "WH1".into(),
        logistics_code: None,
        logistics_no: String::new(),
        remark: String::new(),
        post_fee: Dec4::ZERO,
        other_fee: Dec4::ZERO,
        status: StockinStatus::Completed,
        create_batches: false,
        lines: vec![ReturnLine {
            spec_no: "MUG-RED".into(),
            num: Dec4::from_int(num).expect("a quantity"),
            ..ReturnLine::default()
        }],
        fields: QJB_FIELDS,
    }
}

/// Runs every conformance check, each against a fresh store from `fresh`.
pub async fn run_all<F, Fut>(mut fresh: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Arc<dyn Store>>,
{
    import_twice_changes_nothing(fresh().await).await;
    finds_credentials_by_sid_dialect_and_key(fresh().await).await;
    a_bad_reference_loads_nothing(fresh().await).await;
    verify_passes_after_import(fresh().await).await;
}

fn spec_example() -> Fixture {
    Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("the SPEC example fixture parses")
}

/// Importing a file twice: the second import writes nothing.
pub async fn import_twice_changes_nothing(store: Arc<dyn Store>) {
    let fixture = spec_example();
    let first = store.import_fixture(&fixture).await.expect("first import");
    assert!(first.inserted > 0, "first import inserts rows: {first:?}");
    let second = store.import_fixture(&fixture).await.expect("second import");
    assert!(second.is_noop(), "second import of the same file changes nothing: {second:?}");
}

/// Credentials are found by sid + dialect + key, and only so.
pub async fn finds_credentials_by_sid_dialect_and_key(store: Arc<dyn Store>) {
    store.import_fixture(&spec_example()).await.expect("import");
    match store.find_app("acme", Dialect::Qjb, "acme-qjb").await.expect("lookup") {
        AppLookup::Found(app) => {
            assert_eq!(app.secret, "s3cret");
            assert_eq!(app.salt, "salt9");
            assert_eq!(app.warehouses, Some(vec!["WH1".to_owned()]));
            assert_eq!(app.shops, None);
        }
        other => panic!("expected the qjb app, got {other:?}"),
    }
    match store.find_app("acme", Dialect::Openapi2, "acme-ent").await.expect("lookup") {
        AppLookup::Found(app) => assert_eq!(app.secret, "ent-secret"),
        other => panic!("expected the openapi2 app, got {other:?}"),
    }
    let cases = [
        ("nobody", Dialect::Qjb, "acme-qjb", AppLookup::UnknownSid),
        ("acme", Dialect::Qjb, "nokey", AppLookup::UnknownKey),
        // A qjb key is not an openapi2 appkey.
        ("acme", Dialect::Openapi2, "acme-qjb", AppLookup::UnknownKey),
    ];
    for (sid, dialect, key, expected) in cases {
        let got = store.find_app(sid, dialect, key).await.expect("lookup");
        assert_eq!(got, expected, "{sid}/{dialect:?}/{key}");
    }
}

/// A record pointing at something that exists nowhere is refused by path, and nothing loads.
pub async fn a_bad_reference_loads_nothing(store: Arc<dyn Store>) {
    let mut fixture = spec_example();
    fixture.stock[0].spec_no = "NO-SUCH-SPEC".to_owned();
    let err = store.import_fixture(&fixture).await.expect_err("unknown spec is refused");
    match err {
        StoreError::Fixture(e) => {
            assert_eq!(e.path, "stock[0].spec_no");
            assert!(e.message.contains("NO-SUCH-SPEC"), "{e}");
        }
        other => panic!("expected a fixture error, got {other:?}"),
    }
    let lookup = store.find_app("acme", Dialect::Qjb, "acme-qjb").await.expect("lookup");
    assert_eq!(lookup, AppLookup::UnknownSid, "nothing of the refused file was loaded");
}

/// After loading opening stock, stock equals the ledger and every invariant holds.
pub async fn verify_passes_after_import(store: Arc<dyn Store>) {
    store.import_fixture(&spec_example()).await.expect("import");
    let report = store.verify().await.expect("verify");
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.stock_lines, 1);
    assert_eq!(report.ledger_rows, 1);
    assert_eq!(report.refund_items, 1);
}

/// The demo fixture (`fixtures/demo.json`).
pub const DEMO_FIXTURE: &str = include_str!("../../../fixtures/demo.json");

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

/// `n` return stock-ins against [`demo_with_refunds_times`]`(10)`, the same every call: partial
/// and full receipts of several refund orders into two warehouses, with and without positions,
/// defective lines, unchecked orders, prices given or not; and refusals of the common kinds
/// (more than the refund order awaits, a repeated outer number, an unknown refund order,
/// warehouse, spec or position, a spec the refund order does not hold, a refund order not yet
/// checked or cancelled, a serial-number spec without numbers). None carries serial or batch
/// numbers, so every push may be created together with its neighbours. The first is always
/// accepted and receives against TK-DEMO-1.
pub fn mixed_pushes(n: usize) -> Vec<ReturnStockin> {
    // A fixed xorshift sequence: the same pushes on every run and every backend.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let refunds: [(&str, &[&str]); 7] = [
        ("TK-DEMO-1", &["MUG-RED", "MUG-BLUE"]),
        ("TK-DEMO-1", &["MUG-RED", "MUG-BLUE"]),
        ("TK-DEMO-5", &["MUG-BLUE"]),
        ("TK-DEMO-3", &["MILK-1L"]),
        ("TK-DEMO-4", &["MUG-RED"]),
        ("TK-DEMO-6", &["RICE-KG"]),
        ("TK-DEMO-2", &["PHONE-128"]),
    ];
    let mut pushes = Vec::with_capacity(n);
    for i in 0..n {
        let (refund_no, specs) = if i == 0 { refunds[0] } else { refunds[next(7) as usize] };
        let refund_no = if i > 0 && next(20) == 0 { "TK-NO-SUCH" } else { refund_no };
        let warehouse_no = match next(20) {
            0 => "WH-NO-SUCH",
            1..=6 if i > 0 => "WH2",
            _ => "WH1",
        };
        let mut lines = Vec::new();
        for _ in 0..=next(2) {
            let spec_no = match next(25) {
                0 if i > 0 => "NO-SUCH-SPEC",
                1 if i > 0 => "RICE-KG",
                _ => specs[next(specs.len() as u64) as usize],
            };
            let position_no = match (warehouse_no, next(8)) {
                (_, 0) if i > 0 => Some("Z-99"),
                ("WH1", 1 | 2) => Some("A-02"),
                ("WH1", 3) => Some("A-01"),
                ("WH2", 1..=3) => Some("R-01"),
                _ => None,
            };
            lines.push(ReturnLine {
                spec_no: spec_no.into(),
                num: Dec4::from_int(1 + next(4) as i64).expect("a quantity"),
                defect: i > 0 && next(5) == 0,
                position_no: position_no.map(str::to_owned),
                price: (next(3) == 0).then(|| Dec4::from_int(5 + next(25) as i64).expect("a price")),
                ..ReturnLine::default()
            });
        }
        let outer = if i > 2 && next(10) == 0 { next(i as u64) as usize } else { i };
        pushes.push(ReturnStockin {
            refund_no: refund_no.into(),
            outer_no: Some(format!("OUT-{outer}")),
            warehouse_no: warehouse_no.into(),
            logistics_code: None,
            logistics_no: String::new(),
            remark: format!("push {i}"),
            post_fee: Dec4::ZERO,
            other_fee: Dec4::ZERO,
            status: match next(10) {
                0 if i > 0 => StockinStatus::Editing,
                1 if i > 0 => StockinStatus::PendingReview,
                _ => StockinStatus::Completed,
            },
            create_batches: false,
            lines,
            fields: QJB_FIELDS,
        });
    }
    pushes
}

/// One push's answer in a form two runs can compare: the day's sequence number of an accepted
/// push, the message of a refusal.
pub fn describe_answer(answer: &crate::StoreResult<StockinCreated>) -> String {
    match answer {
        Ok(created) => format!("created {}", order_seq(created)),
        Err(StoreError::Api(e)) => format!("refused: {e}"),
        Err(e) => format!("failed: {e}"),
    }
}

/// What the demo fixture's refund orders received and what stock and ledger hold for its specs,
/// without row ids or times, for comparing two stores that took the same pushes.
pub async fn receipt_state<S: Store + ?Sized>(store: &S) -> Vec<String> {
    let fixture = Fixture::parse(DEMO_FIXTURE).expect("the demo fixture");
    let sid = fixture.sid.as_str();
    let mut state = Vec::new();
    for refund in &fixture.refund_orders {
        let view = store.refund_order(sid, &refund.refund_no).await.expect("refund order").expect("imported");
        state.push(format!("refund {} stockin_status {}", view.refund_no, view.stockin_status));
        for item in &view.items {
            state.push(format!("  {} {} received {} of {}", item.oid, item.spec_no, item.stockin_num, item.refund_num));
        }
    }
    for spec in fixture.goods.iter().flat_map(|g| g.specs.iter()) {
        let mut lines: Vec<String> = (store.stock_of(sid, &spec.spec_no).await.expect("stock").iter())
            .map(|l| {
                let (w, s, p, b) = (&l.warehouse_no, &l.spec_no, &l.position_no, &l.batch_no);
                format!("stock {w} {s} {p} defect {} batch {b} {} at cost {}", l.defect, l.num, l.cost_price)
            })
            .collect();
        lines.sort();
        state.extend(lines);
        for r in store.ledger_of(sid, &spec.spec_no).await.expect("ledger") {
            state.push(format!(
                "ledger {} {} {} {} {} defect {} {} + {} = {} at {}",
                r.doc_no,
                r.warehouse_no,
                r.spec_no,
                r.position_no,
                r.batch_no,
                r.defect,
                r.num_before,
                r.num_change,
                r.num_after,
                r.cost_price
            ));
        }
    }
    state
}

/// Sends `pushes` in turn, each answered before the next goes, and describes the answers.
pub async fn push_in_turn<S: Store + ?Sized>(store: &S, app: &AppCredential, pushes: &[ReturnStockin]) -> Vec<String> {
    let mut answers = Vec::with_capacity(pushes.len());
    for cmd in pushes {
        answers.push(describe_answer(&store.create_return_stockin(app, cmd).await));
    }
    answers
}

/// Queues `pushes` in order for the store's batching writer while the caller holds up the
/// first one's batch (with a lock that batch waits on), so the rest queue behind it as one
/// batch. Returns their answers to come; release the lock, then await them with [`answers_of`].
pub async fn queue_behind_first<S: Store + ?Sized + 'static>(
    store: &Arc<S>,
    app: &AppCredential,
    pushes: &[ReturnStockin],
) -> Vec<tokio::task::JoinHandle<crate::StoreResult<StockinCreated>>> {
    let before = store.write_batches().expect("a store that batches writes");
    let mut waiting = Vec::with_capacity(pushes.len());
    for (k, cmd) in pushes.iter().enumerate() {
        waiting.push(spawn_stockin(store, app, cmd.clone()));
        if k == 0 {
            wait_for_batches(store, "took the first push", |w| w.requests == before.requests + 1).await;
        } else {
            wait_for_batches(store, &format!("queued {k}"), |w| w.queued == k).await;
        }
    }
    waiting
}

/// Awaits and describes the answers [`queue_behind_first`] returned.
pub async fn answers_of(waiting: Vec<tokio::task::JoinHandle<crate::StoreResult<StockinCreated>>>) -> Vec<String> {
    let mut answers = Vec::with_capacity(waiting.len());
    for w in waiting {
        answers.push(describe_answer(&w.await.expect("the push's task")));
    }
    answers
}

/// Asserts that two stores given the same `pushes` (each with its answers) answered every push
/// alike and ended alike, and that both pass `verify`.
pub async fn assert_same_outcome<S: Store + ?Sized>(
    pushes: &[ReturnStockin],
    (one, one_answers): (&S, &[String]),
    (other, other_answers): (&S, &[String]),
) {
    for (i, (a, b)) in one_answers.iter().zip(other_answers).enumerate() {
        assert_eq!(b, a, "push {i}: {:?}", pushes[i]);
    }
    assert_eq!(one_answers.len(), other_answers.len());
    assert_eq!(receipt_state(other).await, receipt_state(one).await);
    for store in [one, other] {
        let report = store.verify().await.expect("verify");
        assert!(report.is_ok(), "{:?}", report.problems);
    }
}
