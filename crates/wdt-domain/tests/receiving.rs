//! Receiving's state transitions, without a database: each accepted push changes the state the
//! next one is planned against, exactly as the stored rows would.

use wdt_domain::model::{RefundOrderStatus, RefundReceiptState, Scope, StockinStatus, WarehouseKind};
use wdt_domain::receiving::{LineKey, ReceivingState};
use wdt_domain::refund_stockin::*;
use wdt_protocol::{ApiError, Dec4};

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

const WH: i64 = 100;
const MUG: i64 = 1;
const PHONE: i64 = 2;
const A01: i64 = 1001;
const B01: i64 = 1003;
const NOW: i64 = 1_725_000_000_000;

/// A refund order TK1 awaiting 3 mugs at 10.00 and 2 phones, warehouse W1 holding 4 mugs at
/// cost 8.00 on A-01 (received an hour ago).
fn state() -> ReceivingState {
    let mut s = ReceivingState::default();
    s.refunds.insert(
        "TK1".into(),
        RefundOrderState {
            id: 7,
            refund_no: "TK1".into(),
            status: RefundOrderStatus::Checked,
            shop_no: "S1".into(),
            shop_id: 3,
            receipt: wdt_domain::model::RefundReceiptState::Awaiting,
            items: vec![
                RefundItemState { id: 11, spec_id: MUG, refund_num: d("3"), stockin_num: d("0"), price: d("10") },
                RefundItemState { id: 12, spec_id: PHONE, refund_num: d("2"), stockin_num: d("0"), price: d("100") },
            ],
        },
    );
    s.warehouses.insert(
        "W1".into(),
        WarehouseState {
            id: WH,
            warehouse_no: "W1".into(),
            kind: WarehouseKind::Normal,
            default_position_id: Some(A01),
            temporary_position_id: 1009,
        },
    );
    s.specs.insert("MUG".into(), SpecState { id: MUG, sn_managed: false });
    s.specs.insert("PHONE".into(), SpecState { id: PHONE, sn_managed: true });
    s.positions.insert((WH, "A-01".into()), A01);
    s.positions.insert((WH, "B-01".into()), B01);
    s.load_line(mug_line(A01), d("4"), NOW - 3_600_000, 1);
    s.load_cost(WH, MUG, d("8"));
    s
}

fn mug_line(position_id: i64) -> LineKey {
    LineKey { warehouse_id: WH, spec_id: MUG, defect: false, batch: BatchRef::None, position_id }
}

fn push(outer: &str, spec: &str, num: &str) -> ReturnStockin {
    let line = ReturnLine { spec_no: spec.into(), num: d(num), ..ReturnLine::default() };
    ReturnStockin {
        outer_no: Some(outer.into()),
        ..ReturnStockin::checked("TK1".into(), "W1".into(), vec![line], QJB_FIELDS)
    }
}

fn refused(r: Result<impl std::fmt::Debug, ApiError>) -> String {
    match r.expect_err("refused") {
        ApiError::DuplicateOuterNo { field, value } => format!("duplicate {field}: {value}"),
        other => other.to_string(),
    }
}

#[test]
fn a_push_moves_stock_cost_and_refund_progress_and_the_next_push_sees_it() {
    let mut s = state();
    let scope = Scope::default();
    let first = s.receive(&scope, &push("OUT-1", "MUG", "2"), NOW).unwrap();
    let p = &first.postings[0];
    assert_eq!((p.line.clone(), p.before, p.change, p.after), (mug_line(A01), d("4"), d("2"), d("6")));
    assert_eq!(first.plan.costs, vec![(MUG, d("8.6667"))]);
    assert_eq!(first.plan.refund_progress, vec![(11, d("2"))]);
    assert_eq!(first.plan.receipt, Some(RefundReceiptState::Partial));
    assert_eq!(s.level(&mug_line(A01)), d("6"));

    // The refund order has 1 mug left, not 3.
    let over = refused(s.receive(&scope, &push("OUT-2", "MUG", "2"), NOW));
    assert!(over.contains("待入库数量: 1") && over.contains("本次入库: 2"), "{over}");
    // The same outer number again is a duplicate, before any other rule.
    assert!(refused(s.receive(&scope, &push("OUT-1", "MUG", "1"), NOW)) == "duplicate out_stockin_no: OUT-1");
    // Refusals changed nothing: the last mug is received on top of the first two.
    let second = s.receive(&scope, &push("OUT-3", "MUG", "1"), NOW).unwrap();
    assert_eq!((second.postings[0].before, second.postings[0].after), (d("6"), d("7")));
    assert_eq!(second.plan.refund_progress, vec![(11, d("3"))]);
    assert_eq!(second.plan.costs, vec![(MUG, d("8.8572"))]);
    assert_eq!(second.plan.receipt, Some(RefundReceiptState::Partial), "the phones are still awaited");
}

#[test]
fn goods_go_where_their_spec_last_came_in_including_earlier_in_the_batch() {
    let mut s = state();
    let scope = Scope::default();
    let mut to_b01 = push("OUT-1", "MUG", "1");
    to_b01.lines[0].position_no = Some("B-01".into());
    s.receive(&scope, &to_b01, NOW).unwrap();
    // No position given: the line received last (B-01, this very millisecond) wins over A-01.
    let next = s.receive(&scope, &push("OUT-2", "MUG", "1"), NOW).unwrap();
    assert_eq!(next.plan.details[0].position_id, B01);
    assert_eq!(next.postings[0].line, mug_line(B01));
    assert_eq!((next.postings[0].before, next.postings[0].after), (d("1"), d("2")));
}

#[test]
fn defect_goods_do_not_follow_good_goods_to_their_position() {
    let mut s = state();
    let scope = Scope::default();
    let mut defect = push("OUT-1", "MUG", "1");
    defect.lines[0].defect = true;
    defect.lines[0].position_no = Some("B-01".into());
    s.receive(&scope, &defect, NOW).unwrap();
    // Good goods without a position go where good MUG last came in, not to B-01,
    // which holds only defect stock; defect goods follow the defect line.
    let good = s.receive(&scope, &push("OUT-2", "MUG", "1"), NOW).unwrap();
    assert_eq!(good.plan.details[0].position_id, A01);
    let mut more_defect = push("OUT-3", "MUG", "1");
    more_defect.lines[0].defect = true;
    assert_eq!(s.receive(&scope, &more_defect, NOW).unwrap().plan.details[0].position_id, B01);
}

#[test]
fn an_unchecked_push_takes_its_outer_number_and_moves_nothing() {
    let mut s = state();
    let scope = Scope::default();
    let pending = ReturnStockin { status: StockinStatus::PendingReview, ..push("OUT-1", "MUG", "3") };
    let r = s.receive(&scope, &pending, NOW).unwrap();
    assert!(r.postings.is_empty() && r.plan.refund_progress.is_empty() && r.plan.costs.is_empty());
    assert_eq!(s.level(&mug_line(A01)), d("4"));
    // Nothing was reserved: the whole refund order can still be received.
    assert!(s.receive(&scope, &push("OUT-2", "MUG", "3"), NOW).is_ok());
    assert!(refused(s.receive(&scope, &push("OUT-1", "MUG", "1"), NOW)) == "duplicate out_stockin_no: OUT-1");
}

#[test]
fn a_new_batch_is_created_once_and_later_pushes_use_it() {
    let mut s = state();
    let scope = Scope::default();
    let with_batch = |outer: &str| {
        let mut p = push(outer, "MUG", "1");
        p.create_batches = true;
        p.lines[0].batch_no = Some("B-NEW".into());
        p
    };
    let first = s.receive(&scope, &with_batch("OUT-1"), NOW).unwrap();
    let second = s.receive(&scope, &with_batch("OUT-2"), NOW).unwrap();
    assert_eq!(s.new_batches().len(), 1);
    assert_eq!(s.new_batches()[0].batch_no, "B-NEW");
    assert_eq!(first.plan.details[0].batch, BatchRef::New(0));
    assert_eq!(second.plan.details[0].batch, BatchRef::New(0));
    assert!(first.plan.new_batches.is_empty(), "the state owns the new batches");
    assert_eq!((second.postings[0].before, second.postings[0].after), (d("1"), d("2")));
}

#[test]
fn a_serial_number_received_is_in_stock_for_the_next_push() {
    let mut s = state();
    let scope = Scope::default();
    let phone = |outer: &str, status| {
        let mut p = push(outer, "PHONE", "1");
        p.fields = OPENAPI2_FIELDS;
        p.status = status;
        p.lines[0].sn = vec!["SN-1".into()];
        p
    };
    s.receive(&scope, &phone("OUT-1", StockinStatus::Completed), NOW).unwrap();
    let again = refused(s.receive(&scope, &phone("OUT-2", StockinStatus::Completed), NOW));
    assert!(again.contains("SN已在库") && again.contains("SN-1"), "{again}");
}

#[test]
fn a_key_out_of_scope_is_refused_and_changes_nothing() {
    let mut s = state();
    let scope = Scope { warehouses: Some(vec!["W2".into()]), shops: None };
    assert!(refused(s.receive(&scope, &push("OUT-1", "MUG", "1"), NOW)).contains("W1"));
    assert_eq!(s.level(&mug_line(A01)), d("4"));
    assert!(s.receive(&Scope::default(), &push("OUT-1", "MUG", "1"), NOW).is_ok(), "the outer number is free");
}
