//! Operator actions (SPEC.md §10): what a warehouse does between API calls. Each action is a
//! rule over the loaded document that either refuses, naming the field and value, or says what
//! the document becomes; the store applies that in one transaction with its ledger rows and an
//! audit row.
//!
//! - refund order: review (20 → 30), cancel (→ 10, refused once goods were received);
//! - stock-in in 20/30: check (→ 80, the receiving rules of a checked push, at check time), or
//!   cancel (→ 10);
//! - purchase return in 20: check (goods leave stock, first expiry first) or cancel (→ 10);
//! - trade: ship from a warehouse ([`shipping`]);
//! - stock: count one line ([`counting`]).

pub mod counting;
pub mod shipping;
pub mod stockin_check;
pub mod transitions;

use std::fmt;

use wdt_protocol::{ApiError, Dec4};

pub use counting::StockCount;

/// One operator action on a seller's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The seller whose document it acts on.
    pub sid: String,
    /// What it does.
    pub op: Operation,
}

/// What an operator can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// 审核 a refund order awaiting review.
    ReviewRefundOrder {
        /// 退换单号.
        refund_no: String,
    },
    /// Cancel a refund order that has received nothing.
    CancelRefundOrder {
        /// 退换单号.
        refund_no: String,
    },
    /// Check a stock-in in 编辑中 or 待审核: stock moves as a checked push's would.
    CheckStockin {
        /// 入库单号.
        order_no: String,
    },
    /// Cancel a stock-in in 编辑中 or 待审核.
    CancelStockin {
        /// 入库单号.
        order_no: String,
    },
    /// Check an unchecked purchase return: its goods leave stock.
    CheckPurchaseReturn {
        /// The return's order number (the outer number it was pushed with).
        return_no: String,
    },
    /// Cancel an unchecked purchase return.
    CancelPurchaseReturn {
        /// The return's order number.
        return_no: String,
    },
    /// 发货: the trade's goods leave a warehouse.
    ShipTrade {
        /// 原始单号.
        tid: String,
        /// 仓库编号 it ships from.
        warehouse_no: String,
    },
    /// 盘点: one stock line set to a counted quantity.
    AdjustStock(StockCount),
}

impl Operation {
    /// The action's name in the audit log and the admin API (`stockin.check`).
    pub fn name(&self) -> &'static str {
        match self {
            Operation::ReviewRefundOrder { .. } => "refund_order.review",
            Operation::CancelRefundOrder { .. } => "refund_order.cancel",
            Operation::CheckStockin { .. } => "stockin.check",
            Operation::CancelStockin { .. } => "stockin.cancel",
            Operation::CheckPurchaseReturn { .. } => "purchase_return.check",
            Operation::CancelPurchaseReturn { .. } => "purchase_return.cancel",
            Operation::ShipTrade { .. } => "trade.ship",
            Operation::AdjustStock(_) => "stock.adjust",
        }
    }

    /// The document it acts on, as people name it (a document number, or the stock line).
    pub fn target(&self) -> String {
        match self {
            Operation::ReviewRefundOrder { refund_no } | Operation::CancelRefundOrder { refund_no } => {
                refund_no.clone()
            }
            Operation::CheckStockin { order_no } | Operation::CancelStockin { order_no } => order_no.clone(),
            Operation::CheckPurchaseReturn { return_no } | Operation::CancelPurchaseReturn { return_no } => {
                return_no.clone()
            }
            Operation::ShipTrade { tid, .. } => tid.clone(),
            Operation::AdjustStock(count) => count.line_name(),
        }
    }
}

/// Why an action was refused, in three kinds a caller can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The document (or what it names) does not exist.
    NotFound,
    /// The document is not in a state the action applies to, or stock does not allow it.
    Conflict,
    /// A value of the request is not acceptable.
    Invalid,
}

impl RefusalKind {
    /// The code the admin API answers with (`not_found`, `conflict`, `invalid`).
    pub fn code(self) -> &'static str {
        match self {
            RefusalKind::NotFound => "not_found",
            RefusalKind::Conflict => "conflict",
            RefusalKind::Invalid => "invalid",
        }
    }
}

/// A refused action: its kind, the field and value it is about, and the message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What kind of refusal.
    pub kind: RefusalKind,
    /// The field the refusal is about (`refund_no`, `num`, …).
    pub field: &'static str,
    /// Its value.
    pub value: String,
    /// The message, naming field and value.
    pub message: String,
}

impl Refusal {
    /// `what` (a document, a master record) named by `field` = `value` does not exist.
    pub fn not_found(what: &str, field: &'static str, value: &str) -> Refusal {
        Refusal {
            kind: RefusalKind::NotFound,
            field,
            value: value.to_owned(),
            message: format!("{what}不存在 {field}: {value}"),
        }
    }

    /// The document named by `field` = `value` cannot take the action: `message` says why.
    pub fn conflict(field: &'static str, value: &str, message: String) -> Refusal {
        Refusal { kind: RefusalKind::Conflict, field, value: value.to_owned(), message }
    }

    /// The value of `field` is not acceptable: `message` says why.
    pub fn invalid(field: &'static str, value: &str, message: String) -> Refusal {
        Refusal { kind: RefusalKind::Invalid, field, value: value.to_owned(), message }
    }

    /// A business rule's refusal of the document named by `field` = `value`, as a conflict.
    pub fn from_rule(field: &'static str, value: &str, e: ApiError) -> Refusal {
        Refusal::conflict(field, value, format!("{e} {field}: {value}"))
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

/// A quantity an operator entered: not negative, at most four decimals (the type holds that).
pub fn counted_quantity(field: &'static str, num: Dec4) -> Result<Dec4, Refusal> {
    if num.is_negative() {
        return Err(Refusal::invalid(field, &num.to_string(), format!("数量不能为负 {field}: {num}")));
    }
    Ok(num)
}
