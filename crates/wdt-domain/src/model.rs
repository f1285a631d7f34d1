//! Status enums and kinds shared by documents, the store and the wire.
//!
//! Each enum knows its vendor number (the value the query APIs report) and the name used in
//! fixtures.

use serde::{Deserialize, Serialize};
use wdt_protocol::Dec4;
use wdt_protocol::methods::refund_stockin::CreateMode;

/// What kind of warehouse this is. Only normal warehouses take returns pushed over the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WarehouseKind {
    /// 普通仓: our own stock.
    #[default]
    Normal,
    /// 委外仓: run by a third party; return stock-ins are refused (seed 000: 不支持委外仓储).
    Outsourced,
    /// 外部仓: external; quick returns are refused (seed 002: 不支持外部仓库).
    External,
}

impl WarehouseKind {
    /// The name used in fixtures and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WarehouseKind::Normal => "normal",
            WarehouseKind::Outsourced => "outsourced",
            WarehouseKind::External => "external",
        }
    }

    /// Parses the name used in fixtures and the database.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "normal" => Some(WarehouseKind::Normal),
            "outsourced" => Some(WarehouseKind::Outsourced),
            "external" => Some(WarehouseKind::External),
            _ => None,
        }
    }
}

/// 退换单 status, numbered as `aftersales.refund.Refund.search` and the query's
/// `process_status` report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundOrderStatus {
    /// 10 已取消.
    Cancelled,
    /// 20 待审核: not yet approved; a return stock-in is refused.
    PendingReview,
    /// 30 已审核: approved and awaiting goods (待收货 while not fully received).
    Checked,
    /// 90 已完成.
    Completed,
}

impl RefundOrderStatus {
    /// The vendor number.
    pub fn code(self) -> i64 {
        match self {
            RefundOrderStatus::Cancelled => 10,
            RefundOrderStatus::PendingReview => 20,
            RefundOrderStatus::Checked => 30,
            RefundOrderStatus::Completed => 90,
        }
    }

    /// From the vendor number.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            10 => Some(RefundOrderStatus::Cancelled),
            20 => Some(RefundOrderStatus::PendingReview),
            30 => Some(RefundOrderStatus::Checked),
            90 => Some(RefundOrderStatus::Completed),
            _ => None,
        }
    }
}

/// 退换单 receipt progress (`stockin_status` in `Refund.search`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundReceiptState {
    /// 1 待入库: nothing received yet.
    Awaiting,
    /// 2 部分入库.
    Partial,
    /// 3 全部入库.
    Full,
}

impl RefundReceiptState {
    /// The vendor number.
    pub fn code(self) -> i64 {
        match self {
            RefundReceiptState::Awaiting => 1,
            RefundReceiptState::Partial => 2,
            RefundReceiptState::Full => 3,
        }
    }

    /// From the vendor number.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(RefundReceiptState::Awaiting),
            2 => Some(RefundReceiptState::Partial),
            3 => Some(RefundReceiptState::Full),
            _ => None,
        }
    }
}

/// 采购单 status, numbered as `purchase.PurchaseOrder.queryWithDetail` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseOrderStatus {
    /// 10 已取消.
    Cancelled,
    /// 20 编辑中.
    Editing,
    /// 40 已审核.
    Checked,
    /// 50 部分到货.
    PartlyArrived,
    /// 60 已到货.
    Arrived,
}

impl PurchaseOrderStatus {
    /// The vendor number.
    pub fn code(self) -> i64 {
        match self {
            PurchaseOrderStatus::Cancelled => 10,
            PurchaseOrderStatus::Editing => 20,
            PurchaseOrderStatus::Checked => 40,
            PurchaseOrderStatus::PartlyArrived => 50,
            PurchaseOrderStatus::Arrived => 60,
        }
    }

    /// From the vendor number.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            10 => Some(PurchaseOrderStatus::Cancelled),
            20 => Some(PurchaseOrderStatus::Editing),
            40 => Some(PurchaseOrderStatus::Checked),
            50 => Some(PurchaseOrderStatus::PartlyArrived),
            60 => Some(PurchaseOrderStatus::Arrived),
            _ => None,
        }
    }
}

/// 入库单 status (`status` of `Refund.queryWithDetail`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockinStatus {
    /// 10 已取消.
    Cancelled,
    /// 20 编辑中 (qjb `create_mode` 0).
    Editing,
    /// 30 待审核 (qjb `create_mode` 1, openapi2 `is_check` 0).
    PendingReview,
    /// 80 已完成: checked; the only status that moves stock.
    Completed,
}

impl StockinStatus {
    /// The vendor number.
    pub fn code(self) -> i64 {
        match self {
            StockinStatus::Cancelled => 10,
            StockinStatus::Editing => 20,
            StockinStatus::PendingReview => 30,
            StockinStatus::Completed => 80,
        }
    }

    /// From the vendor number.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            10 => Some(StockinStatus::Cancelled),
            20 => Some(StockinStatus::Editing),
            30 => Some(StockinStatus::PendingReview),
            80 => Some(StockinStatus::Completed),
            _ => None,
        }
    }

    /// The status a qjb `create_mode` creates the order in: 0 → 20 编辑中, 1 → 30 待审核,
    /// 2 → 80 已完成.
    pub const fn from_create_mode(mode: CreateMode) -> Self {
        match mode {
            CreateMode::Editing => StockinStatus::Editing,
            CreateMode::Submitted => StockinStatus::PendingReview,
            CreateMode::Checked => StockinStatus::Completed,
        }
    }

    /// The status an openapi2 `is_check` creates the order in: 1 → 80 已完成, 0 → 30 待审核.
    pub const fn from_is_check(is_check: bool) -> Self {
        if is_check { StockinStatus::Completed } else { StockinStatus::PendingReview }
    }
}

/// Document types written to the stock ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerDocType {
    /// Opening balance loaded from a fixture.
    Opening,
    /// 退货入库 (`src_order_type` 12).
    RefundStockin,
    /// 采购退货出库.
    PurchaseReturn,
}

impl LedgerDocType {
    /// The number stored in the ledger (12 is the vendor's return stock-in type).
    pub fn code(self) -> i64 {
        match self {
            LedgerDocType::Opening => 0,
            LedgerDocType::RefundStockin => 12,
            LedgerDocType::PurchaseReturn => 3,
        }
    }
}

/// Platform ids whose documents the query APIs never return (淘系 and 系统供销; PROTOCOL.md §5).
pub const HIDDEN_PLATFORM_IDS: &[i64] = &[1, 2, 9, 82, 87, 94, 106, 134, 137, 142, 172, 173];

/// Platform ids whose privacy fields (`customer_name`, `nick_name`) are returned: 自有平台 and 线下.
pub const OPEN_PRIVACY_PLATFORM_IDS: &[i64] = &[127, 0];

/// What an app credential may see and write (the seeds' 仓库权限 / 店铺权限).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Warehouse numbers the key is limited to; `None` = all.
    pub warehouses: Option<Vec<String>>,
    /// Shop numbers the key is limited to; `None` = all.
    pub shops: Option<Vec<String>>,
}

impl Scope {
    /// Whether the key may use warehouse `no`.
    pub fn allows_warehouse(&self, no: &str) -> bool {
        self.warehouses.as_ref().is_none_or(|list| list.iter().any(|w| w == no))
    }

    /// Whether the key may use shop `no`.
    pub fn allows_shop(&self, no: &str) -> bool {
        self.shops.as_ref().is_none_or(|list| list.iter().any(|s| s == no))
    }
}

/// Receipt state of a refund order from its items' expected and received totals.
pub fn receipt_state(expected: Dec4, received: Dec4) -> RefundReceiptState {
    if received.is_zero() {
        RefundReceiptState::Awaiting
    } else if received < expected {
        RefundReceiptState::Partial
    } else {
        RefundReceiptState::Full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_mode_and_is_check_give_the_seed_statuses() {
        let cases = [
            (StockinStatus::from_create_mode(CreateMode::Editing), StockinStatus::Editing),
            (StockinStatus::from_create_mode(CreateMode::Submitted), StockinStatus::PendingReview),
            (StockinStatus::from_create_mode(CreateMode::Checked), StockinStatus::Completed),
            (StockinStatus::from_is_check(true), StockinStatus::Completed),
            (StockinStatus::from_is_check(false), StockinStatus::PendingReview),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }
}
