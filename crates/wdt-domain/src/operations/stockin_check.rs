//! Checking a stored stock-in: its lines are received again, at check time, by the rules of a
//! checked push ([`crate::receiving`]). The refund order may have received goods or been
//! cancelled since the stock-in was pushed; the rules see it as it is now.

use wdt_protocol::Dec4;

use crate::model::StockinStatus;
use crate::refund_stockin::{CHECK_FIELDS, ReturnLine, ReturnStockin};

/// A stock-in as stored, before its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStockin {
    /// Row id.
    pub id: i64,
    /// 入库单号.
    pub order_no: String,
    /// Its status now.
    pub status: StockinStatus,
    /// 退换单号.
    pub refund_no: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// Lines, in order.
    pub lines: Vec<StoredLine>,
}

/// A stored line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// Row id.
    pub id: i64,
    /// 商家编码.
    pub spec_no: String,
    /// Quantity.
    pub num: Dec4,
    /// Defect stock.
    pub defect: bool,
    /// Serial numbers.
    pub sn: Vec<String>,
    /// 批次号, if any.
    pub batch_no: Option<String>,
    /// 货位编号 the push placed it at.
    pub position_no: String,
    /// The price it was pushed with.
    pub price: Dec4,
    /// 备注.
    pub remark: String,
}

impl StoredStockin {
    /// The checked push these lines would have been: same refund order, warehouse, specs,
    /// quantities, batches, positions and prices. It carries no outer number (the stock-in keeps
    /// its own) and creates no batch (the push created them).
    pub fn as_checked_push(&self) -> ReturnStockin {
        let lines = self
            .lines
            .iter()
            .map(|l| ReturnLine {
                spec_no: l.spec_no.clone(),
                num: l.num,
                defect: l.defect,
                sn: l.sn.clone(),
                batch_no: l.batch_no.clone(),
                position_no: Some(l.position_no.clone()),
                remark: l.remark.clone(),
                price: Some(l.price),
                ..ReturnLine::default()
            })
            .collect();
        ReturnStockin::checked(self.refund_no.clone(), self.warehouse_no.clone(), lines, CHECK_FIELDS)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::model::{RefundOrderStatus, Scope, WarehouseKind};
    use crate::receiving::ReceivingState;
    use crate::refund_stockin::{RefundItemState, RefundOrderState, SpecState, WarehouseState};

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn stored(num: &str) -> StoredStockin {
        StoredStockin {
            id: 1,
            order_no: "RK1".into(),
            status: StockinStatus::PendingReview,
            refund_no: "R1".into(),
            warehouse_no: "WH1".into(),
            lines: vec![StoredLine {
                id: 11,
                spec_no: "MUG".into(),
                num: d(num),
                defect: false,
                sn: vec![],
                batch_no: None,
                position_no: "A-01".into(),
                price: d("12"),
                remark: String::new(),
            }],
        }
    }

    fn state(received: &str) -> ReceivingState {
        let mut s = ReceivingState::default();
        s.refunds.insert(
            "R1".into(),
            RefundOrderState {
                id: 7,
                refund_no: "R1".into(),
                status: RefundOrderStatus::Checked,
                shop_no: "S".into(),
                shop_id: 1,
                receipt: crate::model::RefundReceiptState::Awaiting,
                items: vec![RefundItemState {
                    id: 70,
                    spec_id: 5,
                    refund_num: d("3"),
                    stockin_num: d(received),
                    price: d("12"),
                }],
            },
        );
        s.warehouses.insert(
            "WH1".into(),
            WarehouseState {
                id: 2,
                warehouse_no: "WH1".into(),
                kind: WarehouseKind::Normal,
                default_position_id: None,
                temporary_position_id: 20,
            },
        );
        s.specs.insert("MUG".into(), SpecState { id: 5, sn_managed: false });
        s.positions = HashMap::from([((2, "A-01".to_owned()), 21)]);
        s
    }

    #[test]
    fn a_check_receives_the_stored_lines_at_their_positions() {
        let mut s = state("0");
        let receipt = s.receive(&Scope::default(), &stored("2").as_checked_push(), 1_000).unwrap();
        assert!(receipt.plan.status.is_checked());
        assert_eq!(receipt.plan.refund_progress, vec![(70, d("2"))]);
        let posted: Vec<(i64, Dec4, Dec4)> =
            receipt.postings.iter().map(|p| (p.line.position_id, p.before, p.after)).collect();
        assert_eq!(posted, vec![(21, d("0"), d("2"))]);
    }

    #[test]
    fn a_check_sees_what_the_refund_order_received_meanwhile() {
        let mut s = state("2");
        let e = s.receive(&Scope::default(), &stored("2").as_checked_push(), 1_000).unwrap_err();
        assert!(e.to_string().contains("入库数量超过退换单待入库数量"), "{e}");
        let mut s = state("0");
        s.refunds.get_mut("R1").unwrap().status = RefundOrderStatus::Cancelled;
        let e = s.receive(&Scope::default(), &stored("1").as_checked_push(), 1_000).unwrap_err();
        assert!(e.to_string().contains("退换单已取消"), "{e}");
    }
}
