//! Pushes created together in one batch against the same pushes created one at a time: the
//! mixed pushes both runs send, the steps that send them, and the comparison of the outcomes.
//!
//! Making a batch on purpose needs a hook into the backend (a lock that holds up the writer
//! while the pushes queue), and making a group fail whole needs a failure no rule foresees (a
//! trigger); the [`Store`] trait can express neither. The checks here that need them take the
//! hold as an argument and leave the trigger to the caller, and the backends' tests call them:
//! [`pushes_created_together_end_as_pushes_created_one_at_a_time`],
//! [`a_refusal_inside_a_batch_leaves_its_neighbours_committed`] and
//! [`a_group_that_fails_whole_reruns_its_pushes_alone`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::model::StockinStatus;
use wdt_domain::refund_stockin::{QJB_FIELDS, ReturnLine, ReturnStockin};
use wdt_protocol::{Dec4, Dialect};

use super::{
    DEMO_FIXTURE, app_of, demo_with_refunds_times, describe_refund, describe_stock_line, order_seq,
    spec_example_with_refund_of,
};
use crate::{AppCredential, StockinCreated, Store, StoreError, WriteBatchStats};

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
        state.extend(describe_refund(&view));
    }
    for spec in fixture.goods.iter().flat_map(|g| g.specs.iter()) {
        let mut lines: Vec<String> =
            store.stock_of(sid, &spec.spec_no).await.expect("stock").iter().map(describe_stock_line).collect();
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

/// What lets a held-up writer go on: the hold that
/// [`pushes_created_together_end_as_pushes_created_one_at_a_time`] was given, released when the
/// pushes have queued.
pub struct Release(Pin<Box<dyn Future<Output = ()> + Send>>);

impl Release {
    /// `release` ends the hold when awaited (committing the transaction that holds the lock).
    pub fn new(release: impl Future<Output = ()> + Send + 'static) -> Release {
        Release(Box::pin(release))
    }
}

/// The batch plans each push against the effects of the ones before it in memory; a push alone
/// reads them back from the database. Both must answer every push alike and leave the same refund
/// progress, stock, costs and ledger.
///
/// `alone` is a fresh store that writes each push in a transaction of its own, `together` a fresh
/// store that batches them. `hold` is called once the fixture is loaded: it must hold up
/// `together`'s next write transaction of a return stock-in against TK-DEMO-1 (a lock that the
/// batch waits on) and return what releases it. Then 80 mixed pushes are queued behind the first,
/// so that the other 79 are created together in one batch.
pub async fn pushes_created_together_end_as_pushes_created_one_at_a_time<H, Fut>(
    alone: Arc<dyn Store>,
    together: Arc<dyn Store>,
    hold: H,
) where
    H: FnOnce() -> Fut,
    Fut: Future<Output = Release>,
{
    let pushes = mixed_pushes(80);
    let fixture = demo_with_refunds_times(10);
    for store in [&alone, &together] {
        store.import_fixture(&fixture).await.expect("the demo fixture loads");
    }
    let app = app_of(&*alone, "demo", Dialect::Qjb, "demo-qjb").await;
    let alone_answers = push_in_turn(&*alone, &app, &pushes).await;

    let before = together.write_batches().expect("a store that batches writes");
    let together_answers: Vec<String> =
        answers_behind_hold(&together, &app, &pushes, hold).await.iter().map(describe_answer).collect();

    let after = together.write_batches().expect("a store that batches writes");
    assert_eq!(after.batches - before.batches, 2, "the first push alone, then the other 79 together");
    assert_eq!(after.group_fallbacks, before.group_fallbacks, "the 79 were created as one batch");
    let created = alone_answers.iter().filter(|a| a.starts_with("created")).count();
    assert!(created >= 20 && pushes.len() - created >= 20, "a mix of receipts and refusals: {alone_answers:#?}");
    assert_same_outcome(&pushes, (&*alone, &alone_answers), (&*together, &together_answers)).await;
}

/// The SPEC.md §6 fixture with TK1 awaiting three units loaded into `store`, its qjb credential,
/// and the store's batch figures before any push.
async fn three_awaited(store: &Arc<dyn Store>) -> (AppCredential, WriteBatchStats) {
    store.import_fixture(&spec_example_with_refund_of("3")).await.expect("the fixture loads");
    let app = app_of(&**store, "acme", Dialect::Qjb, "acme-qjb").await;
    (app, store.write_batches().expect("a store that batches writes"))
}

/// Queues `pushes` behind the first while `hold` holds up the writer, then releases it and
/// returns every answer, in order.
async fn answers_behind_hold<H, Fut>(
    store: &Arc<dyn Store>,
    app: &AppCredential,
    pushes: &[ReturnStockin],
    hold: H,
) -> Vec<crate::StoreResult<StockinCreated>>
where
    H: FnOnce() -> Fut,
    Fut: Future<Output = Release>,
{
    let release = hold().await;
    let waiting = queue_behind_first(store, app, pushes).await;
    release.0.await;
    let mut answers = Vec::with_capacity(waiting.len());
    for w in waiting {
        answers.push(w.await.expect("the push's task"));
    }
    answers
}

/// Σ MUG-RED on hand of seller acme.
async fn acme_mugs(store: &dyn Store) -> Dec4 {
    super::total(&store.stock_of("acme", "MUG-RED").await.expect("stock"))
}

/// Refusals inside a batch leave their neighbours committed: with TK1 awaiting three units, A is
/// taken alone while `hold` holds up the writer (see
/// [`pushes_created_together_end_as_pushes_created_one_at_a_time`]), then B (1), C (2: more than
/// A and B left), D (1) and E (B's outer number again, not yet committed) are created together
/// in one batch: A, B and D are received with numbers that run on without a gap, C and E are
/// refused as if alone, and no group fell back to one at a time.
pub async fn a_refusal_inside_a_batch_leaves_its_neighbours_committed<H, Fut>(store: Arc<dyn Store>, hold: H)
where
    H: FnOnce() -> Fut,
    Fut: Future<Output = Release>,
{
    let (app, before) = three_awaited(&store).await;
    let pushes = ["OUT-A", "OUT-B", "OUT-C", "OUT-D", "OUT-B"]
        .iter()
        .zip([1, 1, 2, 1, 1])
        .map(|(outer, num)| super::spec_example_receipt(outer, num))
        .collect::<Vec<_>>();
    let mut answers = answers_behind_hold(&store, &app, &pushes, hold).await.into_iter();
    let mut next = || answers.next().expect("an answer per push");
    let a = next().expect("A is received");
    let b = next().expect("B is received");
    assert_eq!(
        super::refusal(next()),
        "入库数量超过退换单待入库数量 商家编码: MUG-RED 退换数量: 3 待入库数量: 1 本次入库: 2",
        "C exceeds what A and B left"
    );
    let d = next().expect("D is received");
    super::assert_duplicate(next(), "out_stockin_no", "OUT-B");

    let after = store.write_batches().expect("a store that batches writes");
    assert_eq!(after.requests - before.requests, 5);
    assert_eq!(after.batches - before.batches, 2, "A alone, then B..E in one transaction");
    assert!(after.busy > before.busy, "the batches' time is counted");
    assert_eq!(after.group_fallbacks, before.group_fallbacks, "B..E were created together, refusals and all");
    assert_eq!([order_seq(&a), order_seq(&b), order_seq(&d)], ["0001", "0002", "0003"], "no gap");
    let refund = store.refund_order("acme", "TK1").await.expect("refund order").expect("imported");
    assert_eq!(refund.items[0].stockin_num, Dec4::from_int(3).expect("3"));
    assert_eq!(acme_mugs(&*store).await, Dec4::from_int(103).expect("103"), "100 opening + A + B + D");
    let ledger = store.ledger_of("acme", "MUG-RED").await.expect("ledger");
    let afters: Vec<String> = ledger.iter().map(|r| r.num_after.to_string()).collect();
    assert_eq!(afters, ["100", "101", "102", "103"]);
    let report = super::assert_verified(&*store).await;
    assert_eq!(report.ledger_rows, 4, "opening + three receipts");
}

/// A group that fails as a whole reruns its pushes one at a time. The backend must have made
/// `store` refuse, in the database, to insert a stock-in order remarked `boom` (a failure no rule
/// foresees) with the message `boom refused`; `hold` holds up the writer as in
/// [`pushes_created_together_end_as_pushes_created_one_at_a_time`]. A is taken alone, then B
/// (remarked boom) and C fail together, rerun alone: B fails with the database's error, C is
/// received with the next number.
pub async fn a_group_that_fails_whole_reruns_its_pushes_alone<H, Fut>(store: Arc<dyn Store>, hold: H)
where
    H: FnOnce() -> Fut,
    Fut: Future<Output = Release>,
{
    let (app, before) = three_awaited(&store).await;
    let boom = ReturnStockin { remark: "boom".into(), ..super::spec_example_receipt("OUT-B", 1) };
    let pushes = [super::spec_example_receipt("OUT-A", 1), boom, super::spec_example_receipt("OUT-C", 1)];
    let mut answers = answers_behind_hold(&store, &app, &pushes, hold).await.into_iter();
    let a = answers.next().expect("A's answer").expect("A is received");
    match answers.next().expect("B's answer") {
        Err(StoreError::Database(m)) if m.contains("boom refused") => {}
        other => panic!("B: expected the database's refusal, got {other:?}"),
    }
    let c = answers.next().expect("C's answer").expect("C is received although B failed the group");
    let after = store.write_batches().expect("a store that batches writes");
    assert_eq!(after.batches - before.batches, 2, "A alone, then B and C together");
    assert_eq!(after.group_fallbacks - before.group_fallbacks, 1, "B and C's group reran alone");
    assert_eq!([order_seq(&a), order_seq(&c)], ["0001", "0002"]);
    assert_eq!(acme_mugs(&*store).await, Dec4::from_int(102).expect("102"), "100 opening + A + C");
    let report = super::assert_verified(&*store).await;
    assert_eq!(report.ledger_rows, 3, "opening + A + C");
}
