//! Writes sent at once: never more received, returned or taken than there is, one stock-in per
//! outer number, invariants kept across mixed concurrent writes, and concurrent pushes (batched
//! where the store batches) answering as the same pushes sent one at a time.

use std::future::Future;
use std::sync::Arc;

use tokio::task::JoinHandle;
use wdt_domain::model::StockinStatus;
use wdt_domain::purchase_return::{PurchaseReturnCmd, PurchaseReturnLine};
use wdt_domain::quick_return::{QuickReturn, QuickReturnLine};
use wdt_domain::refund_stockin::{OPENAPI2_FIELDS, ReturnStockin};

use super::{
    DEMO, Demo, assert_duplicate, assert_verified, d, demo_with_refunds_times, line, receipt, refusal, spawn_stockin,
    total,
};
use crate::{AppCredential, LineFilter, StockinCreated, StockinListFilter, Store, StoreError, StoreResult};

/// Runs `call` with the demo store and `app` in a task of its own.
fn spawn_call<T, Fut>(
    demo: &Demo,
    app: &AppCredential,
    call: impl FnOnce(Arc<dyn Store>, AppCredential) -> Fut,
) -> JoinHandle<T>
where
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    tokio::spawn(call(Arc::clone(&demo.store), app.clone()))
}

/// Awaits every task, in order.
async fn joined<T>(tasks: Vec<JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        out.push(task.await.expect("the task finished"));
    }
    out
}

/// A checked receipt of `num` of `spec_no` into WH1 against `refund_no`, with outer number
/// `outer_no`.
fn receipt_with_outer(refund_no: &str, spec_no: &str, num: &str, outer_no: String) -> ReturnStockin {
    ReturnStockin { outer_no: Some(outer_no), ..receipt(refund_no, "WH1", vec![line(spec_no, num)]) }
}

/// A quick return of one MUG-BLUE of trade `tid` into WH1.
fn one_blue_back(tid: &str) -> QuickReturn {
    let lines = vec![QuickReturnLine { spec_no: "MUG-BLUE".into(), num: d("1"), remark: String::new() }];
    QuickReturn {
        tid: tid.into(),
        warehouse_no: "WH1".into(),
        remark: String::new(),
        lines,
        allow_more_than_sold: false,
    }
}

/// A checked purchase return `outer_no` of one MUG-BLUE from WH1.
fn one_blue_out(outer_no: String) -> PurchaseReturnCmd {
    let line = PurchaseReturnLine { spec_no: "MUG-BLUE".into(), num: d("1"), ..PurchaseReturnLine::default() };
    PurchaseReturnCmd {
        outer_no,
        warehouse_no: "WH1".into(),
        provider_no: "P1".into(),
        lines: vec![line],
        check: true,
        ..PurchaseReturnCmd::default()
    }
}

/// Twenty pushes of one unit at once against three expected: exactly three are received, the
/// others refused for what remains, and stock and ledger hold the three.
pub async fn concurrent_pushes_never_receive_more_than_expected(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let tasks = (0..20)
        .map(|i| {
            spawn_stockin(&demo.store, &demo.app, receipt_with_outer("TK-DEMO-1", "MUG-RED", "1", format!("RACE-{i}")))
        })
        .collect();
    let (received, refused): (Vec<_>, Vec<_>) = joined(tasks).await.into_iter().partition(Result::is_ok);
    assert_eq!(received.len(), 3);
    for answer in refused {
        assert_eq!(
            refusal(answer),
            "入库数量超过退换单待入库数量 商家编码: MUG-RED 退换数量: 3 待入库数量: 0 本次入库: 1"
        );
    }
    let refund = demo.refund("TK-DEMO-1").await;
    assert_eq!((refund.stockin_status, refund.items[0].stockin_num), (2, d("3")));
    assert_eq!(total(&demo.stock("MUG-RED").await), d("108"));
    assert_eq!(demo.stockins().await.len(), 3);
    let report = assert_verified(&*demo.store).await;
    assert_eq!(report.ledger_rows, 9);
}

/// Ten pushes at once with one outer number, in both dialects: one stock-in is created, every
/// other push is refused as a duplicate in its own dialect's field.
pub async fn concurrent_pushes_with_one_outer_number_create_one_stockin(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let cmd = receipt_with_outer("TK-DEMO-1", "MUG-RED", "1", "SAME".into());
    let tasks = (0..10)
        .map(|i| match i % 2 {
            0 => spawn_stockin(&demo.store, &demo.app, cmd.clone()),
            _ => spawn_stockin(&demo.store, &demo.ent, ReturnStockin { fields: OPENAPI2_FIELDS, ..cmd.clone() }),
        })
        .collect();
    let answers = joined(tasks).await;
    assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 1, "{answers:?}");
    for (i, answer) in answers.into_iter().enumerate().filter(|(_, a)| a.is_err()) {
        assert_duplicate(answer, if i % 2 == 0 { "out_stockin_no" } else { "outer_no" }, "SAME");
    }
    assert_eq!(demo.stockins().await.len(), 1);
    assert_eq!(demo.refund("TK-DEMO-1").await.items[0].stockin_num, d("1"));
    let report = assert_verified(&*demo.store).await;
    assert_eq!(report.ledger_rows, 7);
}

/// Six quick returns of one unit at once of a trade that sold two: two are received (each on a
/// refund order of its own, as the first is full when the second comes), the others refused.
pub async fn concurrent_quick_returns_never_return_more_than_sold(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let tasks =
        (0..6)
            .map(|_| {
                spawn_call(&demo, &demo.app, |s, a| async move {
                    s.create_quick_return(&a, &one_blue_back("T-DEMO-7")).await
                })
            })
            .collect();
    let (received, refused): (Vec<_>, Vec<_>) = joined(tasks).await.into_iter().partition(Result::is_ok);
    assert_eq!(received.len(), 2);
    for answer in refused {
        assert_eq!(
            refusal(answer),
            "退货数量超过购买数量 商家编码: MUG-BLUE 购买数量: 2 已退货: 2 本次退货: 1 (createPreStockin=true 可超量退货)"
        );
    }
    let refunds =
        demo.store.list_refund_orders(&crate::DocumentFilter::seller(DEMO, 100)).await.expect("refund orders");
    let of_trade: Vec<_> = refunds
        .iter()
        .filter(|r| r.tid == "T-DEMO-7")
        .map(|r| (r.status, r.stockin_status, r.expected, r.received))
        .collect();
    assert_eq!(of_trade, vec![(30, 3, d("1"), d("1")); 2]);
    assert_eq!(total(&demo.stock("MUG-BLUE").await), d("22"));
    let report = assert_verified(&*demo.store).await;
    assert_eq!((report.ledger_rows, report.refund_items), (8, 9));
}

/// Twenty-five checked purchase returns of one unit at once against twenty on hand: twenty are
/// checked, five written unchecked with the reason, and the line ends at zero.
pub async fn concurrent_purchase_returns_never_take_more_than_on_hand(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let tasks = (0..25)
        .map(|i| {
            let cmd = one_blue_out(format!("PR-{i}"));
            spawn_call(&demo, &demo.app, |s, a| async move { s.create_purchase_return(&a, &cmd).await })
        })
        .collect();
    let answers = joined(tasks).await;
    let mut statuses: Vec<_> =
        answers.into_iter().map(|a| a.expect("written")).map(|o| (o.status, o.check_failure)).collect();
    statuses.sort();
    let short = Some("库存不足 商家编码: MUG-BLUE (正品) 需要: 1 可用: 0".to_owned());
    let mut expected = vec![(20, short); 5];
    expected.extend(vec![(40, None); 20]);
    assert_eq!(statuses, expected);
    assert_eq!(total(&demo.stock("MUG-BLUE").await), d("0"));
    let report = assert_verified(&*demo.store).await;
    assert_eq!(report.ledger_rows, 26);
}

/// Return stock-ins, quick returns and purchase returns of one spec in one warehouse, all at
/// once: each is answered as if alone, and stock, ledger and refund progress add up exactly.
pub async fn concurrent_mixed_writes_keep_every_invariant(store: Arc<dyn Store>) {
    let demo = Demo::load(store, &demo_with_refunds_times(10)).await;
    let mut receipts = Vec::new();
    let mut backs = Vec::new();
    let mut outs = Vec::new();
    for i in 0..15 {
        if i < 10 {
            let cmd = receipt_with_outer("TK-DEMO-1", "MUG-BLUE", "1", format!("MIX-{i}"));
            receipts.push(spawn_stockin(&demo.store, &demo.app, cmd));
            backs.push(spawn_call(&demo, &demo.app, |s, a| async move {
                s.create_quick_return(&a, &one_blue_back("T-DEMO-7")).await
            }));
        }
        let cmd = one_blue_out(format!("PR-MIX-{i}"));
        outs.push(spawn_call(&demo, &demo.app, |s, a| async move { s.create_purchase_return(&a, &cmd).await }));
    }
    for answer in joined(receipts).await.into_iter().chain(joined(backs).await) {
        answer.expect("received: there is room for every receipt");
    }
    for answer in joined(outs).await {
        assert_eq!(answer.expect("written").status, 40, "never short: 20 on hand to start with");
    }
    let stock = demo.stock("MUG-BLUE").await;
    assert_eq!(
        stock.iter().map(|l| (l.warehouse_no.as_str(), l.position_no.as_str(), l.num)).collect::<Vec<_>>(),
        [("WH1", "A-02", d("25"))]
    );
    let ledger = demo.store.ledger_of(DEMO, "MUG-BLUE").await.expect("ledger");
    let changes: Vec<_> = ledger.iter().map(|r| r.num_change).collect();
    assert_eq!(changes.iter().filter(|c| c.is_positive()).count(), 21, "the opening row and twenty receipts");
    assert_eq!(changes.iter().filter(|c| c.is_negative()).count(), 15);
    assert_eq!(demo.refund("TK-DEMO-1").await.items[1].stockin_num, d("10"));
    let refunds =
        demo.store.list_refund_orders(&crate::DocumentFilter::seller(DEMO, 100)).await.expect("refund orders");
    let returned =
        refunds.iter().filter(|r| r.tid == "T-DEMO-7").fold(d("0"), |a, r| a.checked_add(r.received).expect("a sum"));
    assert_eq!(returned, d("10"));
    let report = assert_verified(&*demo.store).await;
    assert_eq!((report.stock_lines, report.ledger_rows), (6, 41));
}

/// Pushes whose answers and effects do not depend on their order: receipts well within what the
/// refund orders expect, each (warehouse, spec) at one price and at given positions, unchecked
/// orders, and refusals that name nothing another push changes (an unknown, pending or cancelled
/// refund order, an unknown spec, an over-receipt of a refund order no other push receives, and
/// an outer number used before the run).
fn order_free_pushes() -> Vec<ReturnStockin> {
    let priced = |spec_no: &str, num: &str, position_no: &str, price: &str| {
        let mut l = line(spec_no, num);
        l.position_no = Some(position_no.into());
        l.price = Some(d(price));
        l
    };
    (0..48)
        .map(|i| {
            let mut cmd = match i % 12 {
                0 => receipt("TK-DEMO-1", "WH1", vec![priced("MUG-RED", "1", "A-01", "10.5")]),
                1 => receipt(
                    "TK-DEMO-1",
                    "WH1",
                    vec![priced("MUG-RED", "2", "A-02", "10.5"), priced("MUG-BLUE", "1", "A-02", "11")],
                ),
                2 => {
                    let mut cmd = receipt("TK-DEMO-1", "WH2", vec![priced("MUG-RED", "1", "R-01", "20")]);
                    cmd.lines[0].defect = i % 24 == 2;
                    cmd
                }
                3 => {
                    let mut cmd = receipt("TK-DEMO-3", "WH1", vec![priced("MILK-1L", "1", "B-01", "4.2")]);
                    cmd.lines[0].batch_no = Some("B2601".into());
                    cmd
                }
                4 => ReturnStockin {
                    status: StockinStatus::Editing,
                    ..receipt("TK-DEMO-2", "WH1", vec![line("PHONE-128", "1")])
                },
                5 => ReturnStockin {
                    status: StockinStatus::PendingReview,
                    ..receipt("TK-DEMO-3", "WH1", vec![line("MILK-1L", "1")])
                },
                6 => receipt("TK-NO-SUCH", "WH1", vec![line("MUG-RED", "1")]),
                7 => receipt("TK-DEMO-5", "WH1", vec![line("MUG-BLUE", "11")]),
                8 => receipt("TK-DEMO-4", "WH1", vec![line("MUG-RED", "1")]),
                9 => receipt("TK-DEMO-6", "WH1", vec![line("RICE-KG", "1")]),
                10 => receipt("TK-DEMO-1", "WH1", vec![line("NO-SUCH-SPEC", "1")]),
                _ => receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "1")]),
            };
            cmd.outer_no = Some(if i % 12 == 11 { "OUT-WARM".into() } else { format!("OUT-{i}") });
            cmd
        })
        .collect()
}

/// An answer without its order number (which depends on the order of arrival).
fn outcome_of(answer: &StoreResult<StockinCreated>) -> String {
    match answer {
        Ok(_) => "created".into(),
        Err(StoreError::Api(e)) => format!("refused: {e}"),
        Err(e) => format!("failed: {e}"),
    }
}

/// What pushes left behind for seller `sid`, without what depends on their order (order numbers,
/// times, ledger rows' running quantities): refund progress, stock lines with their costs, the
/// ledger's changes as a sorted list, and the stock-in orders' statuses.
async fn settled_state(store: &dyn Store, sid: &str) -> Vec<String> {
    let mut state = Vec::new();
    let mut refunds = store.list_refund_orders(&crate::DocumentFilter::seller(sid, 100)).await.expect("refund orders");
    refunds.sort_by(|a, b| a.refund_no.cmp(&b.refund_no));
    for r in refunds {
        let view = store.refund_order(sid, &r.refund_no).await.expect("refund order").expect("listed");
        state.push(format!("refund {} {} {}", view.refund_no, view.status, view.stockin_status));
        state.extend(
            view.items.iter().map(|i| format!("  {} {} {} of {}", i.oid, i.spec_no, i.stockin_num, i.refund_num)),
        );
    }
    let filter = LineFilter { sid: Some(sid.into()), limit: 10_000, ..LineFilter::default() };
    for l in store.list_stock(&filter).await.expect("stock") {
        let (w, s, p, b) = (&l.warehouse_no, &l.spec_no, &l.position_no, &l.batch_no);
        state.push(format!("stock {w} {s} {p} {b} defect {} {} at {}", l.defect, l.num, l.cost_price));
    }
    let mut ledger: Vec<String> = (store.list_ledger(&filter).await.expect("ledger").iter())
        .map(|r| {
            let (w, s, p, b) = (&r.warehouse_no, &r.spec_no, &r.position_no, &r.batch_no);
            format!("ledger {} {w} {s} {p} {b} defect {} {} at {}", r.doc_type, r.defect, r.num_change, r.cost_price)
        })
        .collect();
    ledger.sort();
    state.extend(ledger);
    let stockins = StockinListFilter { sid: Some(sid.into()), limit: 1000, ..StockinListFilter::default() };
    let mut statuses: Vec<_> =
        store.list_stockins(&stockins).await.expect("stock-ins").iter().map(|o| o.status).collect();
    statuses.sort();
    state.push(format!("stock-ins {statuses:?}"));
    state
}

/// The same 48 pushes, whose outcome does not depend on their order, sent to one seller all at
/// once (the store batches them where it batches) and to a twin seller in the same store one at
/// a time: every push is answered alike and both sellers end alike.
pub async fn concurrent_pushes_answer_as_the_same_pushes_one_at_a_time(store: Arc<dyn Store>) {
    let fixture = demo_with_refunds_times(10);
    let twin_fixture = wdt_domain::fixture::Fixture { sid: "twin".into(), ..fixture.clone() };
    let demo = Demo::load(store, &fixture).await;
    let twin = Demo::load(Arc::clone(&demo.store), &twin_fixture).await;
    let pushes = order_free_pushes();
    let warm = ReturnStockin { outer_no: Some("OUT-WARM".into()), ..pushes[0].clone() };
    for app in [&demo.app, &twin.app] {
        demo.store.create_return_stockin(app, &warm).await.expect("the warm-up push");
    }

    let mut alone = Vec::with_capacity(pushes.len());
    for cmd in &pushes {
        alone.push(outcome_of(&twin.store.create_return_stockin(&twin.app, cmd).await));
    }
    let before = demo.store.write_batches();
    let waiting = pushes.iter().map(|cmd| spawn_stockin(&demo.store, &demo.app, cmd.clone())).collect();
    let together: Vec<String> = joined(waiting).await.iter().map(outcome_of).collect();
    if let (Some(before), Some(after)) = (before, demo.store.write_batches()) {
        assert!(
            after.batches - before.batches < after.requests - before.requests,
            "some pushes shared a batch: {after:?}"
        );
    }
    for (i, (one, other)) in alone.iter().zip(&together).enumerate() {
        assert_eq!(other, one, "push {i}: {:?}", pushes[i]);
    }
    assert_eq!(alone.iter().filter(|a| *a == "created").count(), 24, "{alone:#?}");
    assert_eq!(settled_state(&*demo.store, "demo").await, settled_state(&*demo.store, "twin").await);
    let report = assert_verified(&*demo.store).await;
    assert_eq!(report.ledger_rows, 2 * (6 + 1 + 20));
}
