//! The status rules of the actions that change only a document's status, and the status checks
//! that come first for the actions that move stock.

use wdt_protocol::Dec4;

use super::Refusal;
use crate::model::{Coded, PurchaseReturnStatus, RefundOrderStatus, StockinStatus};

fn wrong_state<S: Coded>(what: &str, field: &'static str, value: &str, status: S, action: &str) -> Refusal {
    Refusal::conflict(field, value, format!("{what}状态为{},不能{action} {field}: {value}", status.label_zh()))
}

/// 审核 a refund order: only one awaiting review (20 → 30).
pub fn review_refund_order(refund_no: &str, status: RefundOrderStatus) -> Result<RefundOrderStatus, Refusal> {
    match status {
        RefundOrderStatus::PendingReview => Ok(RefundOrderStatus::Checked),
        other => Err(wrong_state("退换单", "refund_no", refund_no, other, "审核")),
    }
}

/// What cancelling a refund order depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundOrderNow {
    /// 退换单号.
    pub refund_no: String,
    /// Its status.
    pub status: RefundOrderStatus,
    /// Goods received against it so far (checked stock-ins and opening receipts).
    pub received: Dec4,
    /// Its stock-ins not yet checked nor cancelled.
    pub open_stockins: Vec<String>,
}

/// Cancel a refund order: awaiting review or checked, nothing received, no stock-in open.
pub fn cancel_refund_order(now: &RefundOrderNow) -> Result<RefundOrderStatus, Refusal> {
    let no = now.refund_no.as_str();
    match now.status {
        RefundOrderStatus::PendingReview | RefundOrderStatus::Checked => {}
        other => return Err(wrong_state("退换单", "refund_no", no, other, "取消")),
    }
    if now.received.is_positive() {
        return Err(Refusal::conflict(
            "refund_no",
            no,
            format!("退换单已入库 {},不能取消 refund_no: {no}", now.received),
        ));
    }
    if let Some(open) = now.open_stockins.first() {
        return Err(Refusal::conflict(
            "refund_no",
            no,
            format!("退换单有未审核的入库单 {open},请先审核或取消 refund_no: {no}"),
        ));
    }
    Ok(RefundOrderStatus::Cancelled)
}

/// The status check before a stock-in is checked or cancelled: 编辑中 or 待审核 only.
pub fn open_stockin(order_no: &str, status: StockinStatus, action: &str) -> Result<(), Refusal> {
    match status {
        StockinStatus::Editing | StockinStatus::PendingReview => Ok(()),
        other => Err(wrong_state("入库单", "order_no", order_no, other, action)),
    }
}

/// The status check before a purchase return is checked or cancelled: 编辑中 only.
pub fn open_purchase_return(return_no: &str, status: PurchaseReturnStatus, action: &str) -> Result<(), Refusal> {
    match status {
        PurchaseReturnStatus::Editing => Ok(()),
        other => Err(wrong_state("采购退货单", "order_no", return_no, other, action)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::RefusalKind;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    #[test]
    fn review_takes_only_an_order_awaiting_review() {
        assert_eq!(review_refund_order("R1", RefundOrderStatus::PendingReview), Ok(RefundOrderStatus::Checked));
        for status in [RefundOrderStatus::Checked, RefundOrderStatus::Cancelled, RefundOrderStatus::Completed] {
            let e = review_refund_order("R1", status).unwrap_err();
            assert_eq!((e.kind, e.field, e.value.as_str()), (RefusalKind::Conflict, "refund_no", "R1"));
            assert!(e.message.contains(status.label_zh()), "{}", e.message);
        }
    }

    #[test]
    fn cancel_refund_order_cases() {
        let base = RefundOrderNow {
            refund_no: "R1".into(),
            status: RefundOrderStatus::Checked,
            received: Dec4::ZERO,
            open_stockins: vec![],
        };
        type Case = (&'static str, fn(&mut RefundOrderNow), Result<RefundOrderStatus, &'static str>);
        let cases: Vec<Case> = vec![
            ("checked, nothing received", |_| {}, Ok(RefundOrderStatus::Cancelled)),
            ("awaiting review", |n| n.status = RefundOrderStatus::PendingReview, Ok(RefundOrderStatus::Cancelled)),
            ("goods received", |n| n.received = d("1"), Err("退换单已入库 1,不能取消 refund_no: R1")),
            ("open stock-in", |n| n.open_stockins = vec!["RK1".into()], Err("未审核的入库单 RK1")),
            ("already cancelled", |n| n.status = RefundOrderStatus::Cancelled, Err("退换单状态为已取消,不能取消")),
            ("completed", |n| n.status = RefundOrderStatus::Completed, Err("已完成")),
        ];
        for (name, change, want) in cases {
            let mut now = base.clone();
            change(&mut now);
            match (cancel_refund_order(&now), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{name}"),
                (Err(e), Err(text)) => assert!(e.message.contains(text), "{name}: {}", e.message),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn open_documents_only() {
        let stockin_cases = [
            (StockinStatus::Editing, true),
            (StockinStatus::PendingReview, true),
            (StockinStatus::Completed, false),
            (StockinStatus::Cancelled, false),
        ];
        for (status, open) in stockin_cases {
            assert_eq!(open_stockin("RK1", status, "审核").is_ok(), open, "{status:?}");
        }
        assert_eq!(
            open_stockin("RK1", StockinStatus::Completed, "审核").unwrap_err().message,
            "入库单状态为已完成,不能审核 order_no: RK1"
        );
        let return_cases = [
            (PurchaseReturnStatus::Editing, true),
            (PurchaseReturnStatus::Checked, false),
            (PurchaseReturnStatus::Cancelled, false),
        ];
        for (status, open) in return_cases {
            assert_eq!(open_purchase_return("PR1", status, "取消").is_ok(), open, "{status:?}");
        }
    }
}
