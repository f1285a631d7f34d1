//! Operator actions (SPEC.md §10): what each moves, what each refuses (and that a refusal, a
//! second click included, changes nothing), the audit row each writes, and checks racing pushes.

use std::sync::Arc;

use wdt_domain::model::StockinStatus;
use wdt_domain::operations::{Action, Operation, Refusal, RefusalKind, StockCount};
use wdt_domain::quick_return::{QuickReturn, QuickReturnLine};
use wdt_domain::refund_stockin::ReturnStockin;

use super::purchase_return::purchase_return;
use super::{DEMO, Demo, assert_verified, d, demo_with_refunds_times, line, lines_of, receipt};
use crate::{ActionDone, DocumentView, Store, StoreError, StoreResult};

fn action(op: Operation) -> Action {
    Action { sid: DEMO.into(), op }
}

/// Runs `op` as operator `tester`.
async fn act(demo: &Demo, op: Operation) -> StoreResult<ActionDone> {
    demo.store.act("tester", &action(op)).await
}

/// The refusal of an action; panics on success or any other error.
fn refused(result: StoreResult<ActionDone>) -> Refusal {
    match result {
        Err(StoreError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Runs `op`, expects a refusal of `kind` whose message contains `text`, and that nothing
/// changed.
async fn assert_refused(demo: &Demo, op: Operation, kind: RefusalKind, text: &str) -> Refusal {
    let before = demo.snapshot().await;
    let audit_before =
        demo.store.audit(&crate::AuditFilter { limit: 1000, ..Default::default() }).await.expect("audit");
    let name = format!("{op:?}");
    let r = refused(act(demo, op).await);
    assert_eq!(r.kind, kind, "{name}: {}", r.message);
    assert!(r.message.contains(text), "{name}: {:?} does not contain {text:?}", r.message);
    assert!(r.message.contains(&r.value), "{name}: the message names the value: {}", r.message);
    assert_eq!(demo.snapshot().await, before, "{name}: a refusal changes nothing");
    let audit_after = demo.store.audit(&crate::AuditFilter { limit: 1000, ..Default::default() }).await.expect("audit");
    assert_eq!(audit_after, audit_before, "{name}: a refusal writes no audit row");
    r
}

/// A pending-review (qjb `create_mode` 1) push of `lines` against `refund_no` into WH1.
fn pending(refund_no: &str, lines: &[(&str, &str)]) -> ReturnStockin {
    let lines = lines.iter().map(|(spec, num)| line(spec, num)).collect();
    ReturnStockin { status: StockinStatus::PendingReview, ..receipt(refund_no, "WH1", lines) }
}

fn check(order_no: &str) -> Operation {
    Operation::CheckStockin { order_no: order_no.into() }
}

fn count(spec_no: &str, position_no: &str, num: &str) -> StockCount {
    StockCount {
        warehouse_no: "WH1".into(),
        spec_no: spec_no.into(),
        defect: false,
        batch_no: None,
        position_no: Some(position_no.into()),
        num: d(num),
    }
}

/// Ledger rows of `spec_no` written by `doc_no`, as "type position defect: before + change =
/// after at cost".
async fn ledger_of_doc(demo: &Demo, spec_no: &str, doc_no: &str) -> Vec<String> {
    let rows = demo.store.ledger_of(DEMO, spec_no).await.expect("ledger");
    rows.iter().filter(|r| r.doc_no == doc_no).map(super::describe_ledger_row).collect()
}

/// Checking a pending stock-in moves what the same push checked would have moved: stock at the
/// stored position, a ledger row under the stock-in's number, cost, and refund progress; the
/// stock-in reads as checked by the operator. A second check is refused and changes nothing.
pub async fn checking_a_pending_stockin_moves_what_a_checked_push_moves(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let mut cmd = pending("TK-DEMO-1", &[("MUG-RED", "2")]);
    cmd.lines[0].position_no = Some("A-02".into());
    let created = demo.store.create_return_stockin(&demo.app, &cmd).await.expect("pending stock-in");
    let goods_before = demo.goods().await;

    let done = act(&demo, check(&created.order_no)).await.expect("checked");
    assert_ne!(demo.goods().await, goods_before);
    assert_eq!(
        (done.audit.actor.as_str(), done.audit.action.as_str(), done.audit.target.as_str()),
        ("tester", "stockin.check", created.order_no.as_str())
    );
    assert_eq!((done.audit.before.as_str(), done.audit.after.as_str()), ("30 待审核 pending", "80 已完成 completed"));
    let DocumentView::Stockin(view) = &done.document else { panic!("a stock-in: {:?}", done.document) };
    assert_eq!((view.summary.status, view.checked_by.as_str(), view.created_by.as_str()), (80, "tester", "demo-qjb"));
    assert!(view.summary.check_time.is_some());
    assert_eq!(demo.store.stockin(DEMO, &created.order_no).await.expect("stock-in").as_ref(), Some(view));

    assert_eq!(ledger_of_doc(&demo, "MUG-RED", &created.order_no).await, ["12 A-02 defect false: 0 + 2 = 2 at 29.98"]);
    let red = demo.stock("MUG-RED").await;
    let red = lines_of(&red);
    assert!(red.contains(&("WH1", "A-02", "", false, d("2"), d("10.8641"))), "{red:?}");
    let refund = demo.refund("TK-DEMO-1").await;
    assert_eq!((refund.stockin_status, refund.items[0].stockin_num), (2, d("2")));

    let r = assert_refused(&demo, check(&created.order_no), RefusalKind::Conflict, "入库单状态为已完成,不能审核").await;
    assert_eq!((r.field, r.value.as_str()), ("order_no", created.order_no.as_str()));
    assert_refused(
        &demo,
        Operation::CancelStockin { order_no: created.order_no.clone() },
        RefusalKind::Conflict,
        "不能取消",
    )
    .await;
    assert_refused(&demo, check("RK-NONE"), RefusalKind::NotFound, "入库单不存在 order_no: RK-NONE").await;
    assert_verified(&*demo.store).await;
}

/// A check evaluates the refund order as it is at check time: of two pending stock-ins for the
/// whole of it, the second check is refused for what remains; that one can still be cancelled,
/// once. An editing (create_mode 0) stock-in checks like a pending one.
pub async fn a_check_sees_the_refund_order_as_it_is_at_check_time(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let first = demo.store.create_return_stockin(&demo.app, &pending("TK-DEMO-1", &[("MUG-RED", "3")])).await;
    let second = demo.store.create_return_stockin(&demo.app, &pending("TK-DEMO-1", &[("MUG-RED", "2")])).await;
    let (first, second) = (first.expect("first pending"), second.expect("second pending"));
    act(&demo, check(&first.order_no)).await.expect("the first check");
    assert_refused(&demo, check(&second.order_no), RefusalKind::Conflict, "入库数量超过退换单待入库数量").await;
    let cancel = Operation::CancelStockin { order_no: second.order_no.clone() };
    let done = act(&demo, cancel.clone()).await.expect("cancelled");
    assert_eq!((done.audit.before.as_str(), done.audit.after.as_str()), ("30 待审核 pending", "10 已取消 cancelled"));
    assert_refused(&demo, cancel, RefusalKind::Conflict, "入库单状态为已取消").await;

    let editing = ReturnStockin { status: StockinStatus::Editing, ..pending("TK-DEMO-1", &[("MUG-BLUE", "1")]) };
    let editing = demo.store.create_return_stockin(&demo.app, &editing).await.expect("editing stock-in");
    let done = act(&demo, check(&editing.order_no)).await.expect("an editing stock-in checks");
    assert_eq!(done.audit.before, "20 编辑中 editing");
    assert_eq!(demo.refund("TK-DEMO-1").await.stockin_status, 3);
    assert_verified(&*demo.store).await;
}

/// Review takes a refund order awaiting review to checked, once; cancel is refused once goods
/// were received or while a stock-in is open, and otherwise cancels.
pub async fn refund_orders_are_reviewed_and_cancelled_by_their_rules(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let review = Operation::ReviewRefundOrder { refund_no: "TK-DEMO-4".into() };
    let done = act(&demo, review.clone()).await.expect("reviewed");
    let DocumentView::RefundOrder(view) = &done.document else { panic!("a refund order: {:?}", done.document) };
    assert_eq!(view.status, 30);
    assert_eq!(
        (done.audit.before.as_str(), done.audit.after.as_str()),
        ("20 待审核 pending review", "30 已审核 checked")
    );
    assert_refused(&demo, review, RefusalKind::Conflict, "退换单状态为已审核,不能审核 refund_no: TK-DEMO-4").await;
    // Reviewed, it takes goods.
    let push = receipt("TK-DEMO-4", "WH1", vec![line("MUG-RED", "1")]);
    demo.store.create_return_stockin(&demo.app, &push).await.expect("a reviewed refund order takes goods");

    let cancel = |no: &str| Operation::CancelRefundOrder { refund_no: no.into() };
    assert_refused(&demo, cancel("TK-DEMO-4"), RefusalKind::Conflict, "退换单已入库 1,不能取消").await;
    assert_refused(&demo, cancel("TK-DEMO-3"), RefusalKind::Conflict, "退换单已入库 2").await;
    let open = demo.store.create_return_stockin(&demo.app, &pending("TK-DEMO-5", &[("MUG-BLUE", "1")])).await;
    let open = open.expect("pending stock-in");
    assert_refused(&demo, cancel("TK-DEMO-5"), RefusalKind::Conflict, &open.order_no).await;
    act(&demo, Operation::CancelStockin { order_no: open.order_no }).await.expect("the stock-in cancelled");
    let done = act(&demo, cancel("TK-DEMO-5")).await.expect("cancelled");
    assert_eq!(done.audit.after, "10 已取消 cancelled");
    assert_eq!(demo.refund("TK-DEMO-5").await.status, 10);
    assert_refused(&demo, cancel("TK-DEMO-5"), RefusalKind::Conflict, "退换单状态为已取消").await;
    assert_refused(&demo, cancel("TK-NONE"), RefusalKind::NotFound, "退换单不存在 refund_no: TK-NONE").await;
    assert_verified(&*demo.store).await;
}

/// Checking an unchecked purchase return takes its goods out first expiry first, with ledger
/// rows under its number; short stock refuses and leaves it unchecked; cancel ends it.
pub async fn purchase_returns_are_checked_from_stock_or_cancelled(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let milk = purchase_return("PR-MILK", &[("MILK-1L", "12")], false);
    demo.store.create_purchase_return(&demo.app, &milk).await.expect("unchecked");
    let check = |no: &str| Operation::CheckPurchaseReturn { return_no: no.into() };
    let done = act(&demo, check("PR-MILK")).await.expect("checked");
    let DocumentView::PurchaseReturn(view) = &done.document else { panic!("a purchase return: {:?}", done.document) };
    assert_eq!(view.status, 40);
    assert_eq!(ledger_of_doc(&demo, "MILK-1L", "PR-MILK").await, ["3 A-01 defect false: 48 + -12 = 36 at 4.2"]);
    assert_refused(&demo, check("PR-MILK"), RefusalKind::Conflict, "采购退货单状态为已审核,不能审核").await;

    let blue = purchase_return("PR-BLUE", &[("MUG-BLUE", "21")], false);
    demo.store.create_purchase_return(&demo.app, &blue).await.expect("unchecked");
    assert_refused(
        &demo,
        check("PR-BLUE"),
        RefusalKind::Conflict,
        "库存不足 商家编码: MUG-BLUE (正品) 需要: 21 可用: 20",
    )
    .await;
    let cancel = Operation::CancelPurchaseReturn { return_no: "PR-BLUE".into() };
    let done = act(&demo, cancel.clone()).await.expect("cancelled");
    assert_eq!((done.audit.before.as_str(), done.audit.after.as_str()), ("20 编辑中 editing", "10 已取消 cancelled"));
    assert_refused(&demo, cancel, RefusalKind::Conflict, "采购退货单状态为已取消").await;
    assert_refused(&demo, check("PR-NONE"), RefusalKind::NotFound, "采购退货单不存在 order_no: PR-NONE").await;
    assert_verified(&*demo.store).await;
}

/// Shipping takes a trade's goods out of the warehouse first expiry first as a sales stock-out
/// (CK…), once; short stock, an outsourced warehouse or an unknown one refuse it whole.
pub async fn a_trade_ships_once_first_expiry_first(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let ship = |warehouse_no: &str| Operation::ShipTrade { tid: "T-DEMO-8".into(), warehouse_no: warehouse_no.into() };
    let back = QuickReturn {
        tid: "T-DEMO-8".into(),
        warehouse_no: "WH1".into(),
        remark: String::new(),
        lines: vec![QuickReturnLine { spec_no: "MUG-RED".into(), num: d("1"), remark: String::new() }],
        allow_more_than_sold: false,
    };
    let unshipped = demo.store.create_quick_return(&demo.app, &back).await;
    assert_eq!(super::refusal(unshipped), "订单未发货,不能退货 tid: T-DEMO-8");
    act(&demo, Operation::AdjustStock(count("MUG-RED", "A-01", "1"))).await.expect("counted down");
    let r =
        assert_refused(&demo, ship("WH1"), RefusalKind::Conflict, "库存不足 商家编码: MUG-RED (正品) 需要: 2 可用: 1")
            .await;
    assert_eq!((r.field, r.value.as_str()), ("tid", "T-DEMO-8"));
    act(&demo, Operation::AdjustStock(count("MUG-RED", "A-01", "100"))).await.expect("counted back");
    assert_refused(&demo, ship("WH-OUT"), RefusalKind::Conflict, "只能从普通仓发货").await;
    assert_refused(&demo, ship("WH-NONE"), RefusalKind::NotFound, "仓库不存在 warehouse_no: WH-NONE").await;

    let done = act(&demo, ship("WH1")).await.expect("shipped");
    let DocumentView::Trade(trade) = &done.document else { panic!("a trade: {:?}", done.document) };
    assert!(trade.shipped && trade.warehouse_no == "WH1" && trade.shipped_at.is_some(), "{trade:?}");
    assert!(trade.stockout_no.starts_with("CK") && trade.stockout_no.len() == 14, "{trade:?}");
    assert_eq!(done.audit.doc_no, trade.stockout_no);
    assert_eq!(demo.store.trade(DEMO, "T-DEMO-8").await.expect("trade").as_ref(), Some(trade));
    assert_eq!(
        ledger_of_doc(&demo, "MUG-RED", &trade.stockout_no).await,
        ["1 A-01 defect false: 100 + -2 = 98 at 10.5"]
    );
    assert_eq!(
        ledger_of_doc(&demo, "MILK-1L", &trade.stockout_no).await,
        ["1 A-01 defect false: 48 + -12 = 36 at 4.2"]
    );
    assert_refused(&demo, ship("WH1"), RefusalKind::Conflict, "订单已发货 tid: T-DEMO-8").await;
    demo.store.create_quick_return(&demo.app, &back).await.expect("a shipped trade's goods can come back");
    let shipped_before = Operation::ShipTrade { tid: "T-DEMO-1".into(), warehouse_no: "WH1".into() };
    assert_refused(&demo, shipped_before, RefusalKind::Conflict, "订单已发货").await;
    let unknown = Operation::ShipTrade { tid: "T-NONE".into(), warehouse_no: "WH1".into() };
    assert_refused(&demo, unknown, RefusalKind::NotFound, "订单不存在 tid: T-NONE").await;
    let listed = demo.store.list_trades(&crate::DocumentFilter::seller(DEMO, 100)).await.expect("trades");
    assert_eq!(listed.len(), 8);
    assert_verified(&*demo.store).await;
}

/// A count sets one line to the counted quantity with one ledger row (PD…) at the cost on hand;
/// a count equal to the line writes no ledger row; a new line may be counted into existence.
pub async fn a_count_sets_one_line_with_one_ledger_row(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let done = act(&demo, Operation::AdjustStock(count("MUG-RED", "A-01", "97"))).await.expect("counted");
    assert_eq!((done.audit.before.as_str(), done.audit.after.as_str()), ("100", "97"));
    assert!(done.audit.doc_no.starts_with("PD"), "{:?}", done.audit);
    assert_eq!(
        ledger_of_doc(&demo, "MUG-RED", &done.audit.doc_no).await,
        ["4 A-01 defect false: 100 + -3 = 97 at 10.5"]
    );
    let DocumentView::StockLine(line) = &done.document else { panic!("a stock line: {:?}", done.document) };
    assert_eq!((line.position_no.as_str(), line.num), ("A-01", d("97")));

    let ledger_before = demo.store.ledger_of(DEMO, "MUG-RED").await.expect("ledger").len();
    let same = act(&demo, Operation::AdjustStock(count("MUG-RED", "A-01", "97"))).await.expect("counted again");
    assert_eq!((same.audit.before.as_str(), same.audit.after.as_str(), same.audit.doc_no.as_str()), ("97", "97", ""));
    assert_eq!(demo.store.ledger_of(DEMO, "MUG-RED").await.expect("ledger").len(), ledger_before);

    let fresh = act(&demo, Operation::AdjustStock(count("MUG-BLUE", "B-01", "4.5"))).await.expect("a new line");
    assert_eq!((fresh.audit.before.as_str(), fresh.audit.after.as_str()), ("0", "4.5"));
    let temporary = StockCount { position_no: None, ..count("RICE-KG", "", "20") };
    let done = act(&demo, Operation::AdjustStock(temporary)).await.expect("the default position");
    assert_eq!(done.audit.before, "25.5", "no position counts the warehouse's default one, where the rice is");
    let DocumentView::StockLine(line) = &done.document else { panic!("a stock line: {:?}", done.document) };
    assert_eq!((line.position_no.as_str(), line.num), ("A-01", d("20")));

    let refusals: Vec<(StockCount, RefusalKind, &str)> = vec![
        (count("MUG-RED", "A-01", "-1"), RefusalKind::Invalid, "数量不能为负 num: -1"),
        (count("MUG-RED", "Z-99", "1"), RefusalKind::NotFound, "货位不存在 position_no: Z-99"),
        (count("NO-SUCH", "A-01", "1"), RefusalKind::NotFound, "商家编码不存在 spec_no: NO-SUCH"),
        (
            StockCount { warehouse_no: "WH9".into(), ..count("MUG-RED", "A-01", "1") },
            RefusalKind::NotFound,
            "仓库不存在",
        ),
        (
            StockCount { batch_no: Some("B9".into()), ..count("MILK-1L", "A-01", "1") },
            RefusalKind::NotFound,
            "批次不存在",
        ),
        (count("PHONE-128", "A-02", "1.5"), RefusalKind::Invalid, "SN管理的货品数量必须为整数"),
    ];
    for (c, kind, text) in refusals {
        assert_refused(&demo, Operation::AdjustStock(c), kind, text).await;
    }
    let filter = crate::AuditFilter { sid: Some(DEMO.into()), limit: 100, ..Default::default() };
    let audit = demo.store.audit(&filter).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["stock.adjust"; 4]);
    assert!(audit.windows(2).all(|w| w[0].id < w[1].id && w[0].created <= w[1].created));
    let newest = crate::AuditFilter { newest_first: true, offset: 1, limit: 2, ..Default::default() };
    let newest: Vec<i64> = demo.store.audit(&newest).await.expect("audit newest first").iter().map(|a| a.id).collect();
    assert_eq!(newest, [audit[2].id, audit[1].id], "newest first, one skipped");
    let of_doc = crate::AuditFilter { document: Some(audit[0].doc_no.clone()), limit: 10, ..Default::default() };
    assert_eq!(demo.store.audit(&of_doc).await.expect("audit of a document"), [audit[0].clone()]);
    let filter = crate::AuditFilter { since: Some(audit[3].created), limit: 100, ..Default::default() };
    assert!(demo.store.audit(&filter).await.expect("audit since").iter().all(|a| a.created >= audit[3].created));
    assert_verified(&*demo.store).await;
}

/// Twenty checks of one pending stock-in at once apply once; twenty checks of twenty pending
/// stock-ins racing twenty checked pushes against one refund order never receive more than it
/// expects.
pub async fn concurrent_checks_apply_once_and_never_receive_more_than_expected(store: Arc<dyn Store>) {
    let demo = Demo::load(store, &demo_with_refunds_times(10)).await;
    // TK-DEMO-1 now expects 30 MUG-RED.
    let one = demo.store.create_return_stockin(&demo.app, &pending("TK-DEMO-1", &[("MUG-RED", "2")])).await;
    let one = one.expect("pending");
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (store, order_no) = (Arc::clone(&demo.store), one.order_no.clone());
            tokio::spawn(async move { store.act("racer", &action(check(&order_no))).await })
        })
        .collect();
    let mut applied = 0;
    for t in tasks {
        match t.await.expect("the task finished") {
            Ok(_) => applied += 1,
            Err(StoreError::Refused(r)) => assert_eq!(r.kind, RefusalKind::Conflict, "{}", r.message),
            Err(e) => panic!("a check failed: {e:?}"),
        }
    }
    assert_eq!(applied, 1, "one of twenty checks applies");
    assert_eq!(demo.refund("TK-DEMO-1").await.items[0].stockin_num, d("2"));

    let mut orders = Vec::new();
    for _ in 0..20 {
        let p = demo.store.create_return_stockin(&demo.app, &pending("TK-DEMO-1", &[("MUG-RED", "2")])).await;
        orders.push(p.expect("pending").order_no);
    }
    let mut tasks = Vec::new();
    for order_no in orders {
        let store = Arc::clone(&demo.store);
        tasks.push(tokio::spawn(async move { store.act("racer", &action(check(&order_no))).await.map(|_| ()) }));
        let (store, app) = (Arc::clone(&demo.store), demo.app.clone());
        let push = receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "1")]);
        tasks.push(tokio::spawn(async move { store.create_return_stockin(&app, &push).await.map(|_| ()) }));
    }
    for t in tasks {
        match t.await.expect("the task finished") {
            Ok(()) | Err(StoreError::Refused(_)) | Err(StoreError::Api(_)) => {}
            Err(e) => panic!("a write failed: {e:?}"),
        }
    }
    let refund = demo.refund("TK-DEMO-1").await;
    assert_eq!(refund.items[0].stockin_num, d("30"), "received up to what was expected, not more");
    let report = assert_verified(&*demo.store).await;
    assert!(report.refund_items > 0);
}
