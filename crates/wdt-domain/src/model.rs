//! Status enums, type codes and kinds shared by documents, the store and the wire.
//!
//! Each coded enum knows its vendor number (the value the query APIs report and the database
//! stores), its names for people ([`Coded`]) and, where fixtures name it, its fixture name. The
//! numbers are the enums' discriminants, so each is written once.

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

/// A vendor status or type code: its number, and its names for people.
pub trait Coded: Copy + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];

    /// The vendor number.
    fn code(self) -> i64;

    /// The Chinese name, as the vendor's pages write it.
    fn label_zh(self) -> &'static str;

    /// The English name.
    fn label_en(self) -> &'static str;

    /// From the vendor number.
    fn from_code(code: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// `<number> <Chinese> <English>` (`30 已审核 checked`), as the console shows it.
    fn label(self) -> String {
        format!("{} {} {}", self.code(), self.label_zh(), self.label_en())
    }

    /// The [`label`](Coded::label) of a stored number, or `<number> ?` for one this enum does not
    /// know.
    fn describe(code: i64) -> String {
        Self::from_code(code).map_or_else(|| format!("{code} ?"), Self::label)
    }
}

/// Declares a `#[repr(i64)]` enum whose discriminants are its vendor numbers, each variant
/// with its Chinese and English names (`Checked = 30 => "已审核", "checked";`), with the
/// inherent `code`/`from_code`/`label_zh`/`label_en` and [`Coded`] on top of them. One block may
/// declare the several enums of one document.
macro_rules! coded {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident {
            $($(#[doc = $doc:literal])* $variant:ident = $code:expr => $zh:literal, $en:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(i64)]
        pub enum $ty {
            $($(#[doc = $doc])* $variant = $code,)+
        }

        impl $ty {
            /// The vendor number.
            pub const fn code(self) -> i64 {
                self as i64
            }

            /// From the vendor number.
            pub fn from_code(code: i64) -> Option<Self> {
                <Self as Coded>::from_code(code)
            }

            /// The Chinese name, as the vendor's pages write it.
            pub const fn label_zh(self) -> &'static str {
                match self {
                    $($ty::$variant => $zh,)+
                }
            }

            /// The English name.
            pub const fn label_en(self) -> &'static str {
                match self {
                    $($ty::$variant => $en,)+
                }
            }
        }

        impl Coded for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];

            fn code(self) -> i64 {
                self as i64
            }

            fn label_zh(self) -> &'static str {
                $ty::label_zh(self)
            }

            fn label_en(self) -> &'static str {
                $ty::label_en(self)
            }
        }
    };
    // Several enums in one block, declared one after the other.
    ($(#[$meta:meta])* pub enum $ty:ident { $($body:tt)* } $($more:tt)+) => {
        coded! { $(#[$meta])* pub enum $ty { $($body)* } }
        coded! { $($more)+ }
    };
}

coded! {
    /// 退换单 status, numbered as `aftersales.refund.Refund.search` and the query's
    /// `process_status` report it.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RefundOrderStatus {
        /// 10 已取消.
        Cancelled = 10 => "已取消", "cancelled";
        /// 20 待审核: not yet approved; a return stock-in is refused.
        PendingReview = 20 => "待审核", "pending review";
        /// 30 已审核: approved and awaiting goods (待收货 while not fully received).
        Checked = 30 => "已审核", "checked";
        /// 90 已完成.
        Completed = 90 => "已完成", "completed";
    }

    /// 退换单 receipt progress (`stockin_status` in `Refund.search`).
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RefundReceiptState {
        /// 0 无需入库: a refund without goods (售前退款, 退款不退货); return stock-ins are refused.
        NotExpected = 0 => "无需入库", "not expected";
        /// 1 待入库: nothing received yet.
        Awaiting = 1 => "待入库", "awaiting";
        /// 2 部分入库.
        Partial = 2 => "部分入库", "partial";
        /// 3 全部入库.
        Full = 3 => "全部入库", "full";
        /// 4 终止入库: the platform cancelled the refund after goods came in; what remains is no
        /// longer expected and later stock-ins are refused.
        Ended = 4 => "终止入库", "ended";
    }

    /// 退换单 type (`type` of `Refund.search`, the query's `trade_type`).
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RefundOrderType {
        /// 1 售前退款: money back before shipping; no goods expected.
        PreShipRefund = 1 => "售前退款", "refund before shipping";
        /// 2 退货: goods come back.
        Return = 2 => "退货", "return";
        /// 4 退款不退货: money back, the goods stay with the buyer.
        RefundOnly = 4 => "退款不退货", "refund without return";
    }
}

impl RefundReceiptState {
    /// Whether goods may still be received against a refund order in this state (not 0 无需入库,
    /// not 4 终止入库).
    pub const fn expects_goods(self) -> bool {
        !matches!(self, RefundReceiptState::NotExpected | RefundReceiptState::Ended)
    }
}

coded! {
    /// 原始退款单 type (`type` of `aftersales.refund.RawRefund.upload`), as the platform pushed it.
    pub enum RawRefundType {
        /// 0 取消订单.
        CancelOrder = 0 => "取消订单", "cancel order";
        /// 1 退款 (未发货，退款申请).
        Refund = 1 => "退款", "refund";
        /// 2 退货.
        Return = 2 => "退货", "return";
        /// 3 换货: its conversion makes no refund order (the page says so).
        Exchange = 3 => "换货", "exchange";
        /// 4 退款不退货.
        RefundOnly = 4 => "退款不退货", "refund without return";
    }

    /// 原始退款单 platform status (`status` of `aftersales.refund.RawRefund.upload`).
    pub enum RawRefundStatus {
        /// 1 取消退款: cancels (or, after goods came in, ends) the refund order it became.
        Cancelled = 1 => "取消退款", "refund cancelled";
        /// 2 已申请退款.
        Applied = 2 => "已申请退款", "refund applied";
        /// 3 等待退货.
        AwaitingReturn = 3 => "等待退货", "awaiting return";
        /// 4 等待收货.
        AwaitingReceipt = 4 => "等待收货", "awaiting receipt";
        /// 5 退款成功.
        Refunded = 5 => "退款成功", "refunded";
    }

    /// 原始退款单 process status (处理状态): how far its conversion (递交) into a refund order got.
    pub enum RawRefundProcessStatus {
        /// 0 待递交.
        Pending = 0 => "待递交", "pending";
        /// 15 已递交: converted (a type 3 one too, which makes no refund order).
        Submitted = 15 => "已递交", "submitted";
        /// 20 递交失败.
        Failed = 20 => "递交失败", "failed";
        /// 40 已处理: its cancellation was carried onto its refund order.
        Processed = 40 => "已处理", "processed";
    }
}

coded! {
    /// 采购单 status, numbered as `purchase.PurchaseOrder.queryWithDetail` reports it.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PurchaseOrderStatus {
        /// 10 已取消.
        Cancelled = 10 => "已取消", "cancelled";
        /// 20 编辑中.
        Editing = 20 => "编辑中", "editing";
        /// 40 已审核.
        Checked = 40 => "已审核", "checked";
        /// 50 部分到货.
        PartlyArrived = 50 => "部分到货", "partly arrived";
        /// 60 已到货.
        Arrived = 60 => "已到货", "arrived";
    }
}

coded! {
    /// 采购退货单 status, numbered as `purchase.PurchaseReturn.queryWithDetail` reports it.
    pub enum PurchaseReturnStatus {
        /// 10 已取消: its check failed with `check_fail_cancel`.
        Cancelled = 10 => "已取消", "cancelled";
        /// 20 编辑中: not checked, or its check failed.
        Editing = 20 => "编辑中", "editing";
        /// 40 已审核: checked, goods out of stock.
        Checked = 40 => "已审核", "checked";
    }
}

coded! {
    /// 采购退货单 `stockout_status`.
    pub enum StockoutStatus {
        /// 0 未出库.
        NotOut = 0 => "未出库", "not out";
        /// 2 已出库: the goods left stock at the check.
        Out = 2 => "已出库", "out";
    }
}

coded! {
    /// 入库单 status (`status` of `Refund.queryWithDetail`).
    #[derive(Serialize, Deserialize)]
    pub enum StockinStatus {
        /// 10 已取消.
        Cancelled = 10 => "已取消", "cancelled";
        /// 20 编辑中 (qjb `create_mode` 0).
        Editing = 20 => "编辑中", "editing";
        /// 30 待审核 (qjb `create_mode` 1, openapi2 `is_check` 0).
        PendingReview = 30 => "待审核", "pending";
        /// 80 已完成: checked; the only status that moves stock.
        Completed = 80 => "已完成", "completed";
    }
}

impl StockinStatus {
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

    /// Checked (80 已完成): the only status that moves stock and refund progress, and that has a
    /// check time and a check operator.
    pub const fn is_checked(self) -> bool {
        matches!(self, StockinStatus::Completed)
    }
}

coded! {
    /// 入库单 type (`src_order_type` of the query, `type` of the quick return's answer).
    pub enum StockinOrderType {
        /// 12 退货入库: every stock-in made here.
        Refund = 12 => "退货入库", "return stock-in";
    }
}

coded! {
    /// Document types written to the stock ledger.
    pub enum LedgerDocType {
        /// 0: opening balance loaded from a fixture.
        Opening = 0 => "期初", "opening";
        /// 12 退货入库: the stock-in order type ([`StockinOrderType::Refund`]).
        RefundStockin = StockinOrderType::Refund as i64 => "退货入库", "return stock-in";
        /// 3 采购退货出库.
        PurchaseReturn = 3 => "采购退货", "purchase return";
        /// 1 销售出库: a trade shipped by an operator.
        SalesStockout = 1 => "销售出库", "sales stock-out";
        /// 4 盘点单: a stock line counted by an operator.
        StockCount = 4 => "盘点", "stock count";
    }
}

coded! {
    /// Vendor business numbers a logistics company may serve (`business_types` of a logistics
    /// company; none set = every business).
    pub enum LogisticsBusiness {
        /// 2 销售退货: what return stock-ins need.
        SalesReturn = 2 => "销售退货", "sales return";
        /// 10 采购业务: what purchase returns need.
        Purchase = 10 => "采购", "purchase";
    }
}

/// The position number of the temporary position (暂存) every warehouse has: where a line goes
/// when it names no position and neither the spec's last position nor a warehouse default exists.
pub const TEMPORARY_POSITION_NO: &str = "ZANCUN";

/// The document number of opening-balance ledger rows (their document id is 0).
pub const OPENING_DOC_NO: &str = "OPENING";

/// Prefix of stock-in order numbers (`RK` + yyyyMMdd + daily sequence).
pub const STOCKIN_NO_PREFIX: &str = "RK";

/// Prefix of sales stock-out numbers (`CK` + yyyyMMdd + daily sequence), given when a trade ships.
pub const STOCKOUT_NO_PREFIX: &str = "CK";

/// Prefix of stock count numbers (`PD` + yyyyMMdd + daily sequence).
pub const STOCK_COUNT_NO_PREFIX: &str = "PD";

/// Prefix of system trade numbers (`JY` + yyyyMMdd + daily sequence), given when a raw trade is
/// converted (递交).
pub const TRADE_NO_PREFIX: &str = "JY";

/// Prefix of the refund order numbers a quick return makes (`TK` + yyMMdd + sequence).
pub const REFUND_NO_PREFIX: &str = "TK";

pub use crate::privacy::{HIDDEN_PLATFORM_IDS, OPEN_PRIVACY_PLATFORM_IDS};

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
        let checked: Vec<StockinStatus> = StockinStatus::ALL.iter().copied().filter(|s| s.is_checked()).collect();
        assert_eq!(checked, vec![StockinStatus::Completed]);
    }

    /// Every value of `T`: its number reads back, and its label is `<number> <zh> <en>`.
    fn round_trips<T: Coded + PartialEq + std::fmt::Debug>() -> Vec<String> {
        T::ALL
            .iter()
            .map(|v| {
                assert_eq!(T::from_code(v.code()), Some(*v));
                assert_eq!(T::describe(v.code()), v.label());
                v.label()
            })
            .collect()
    }

    #[test]
    fn vendor_numbers_and_labels() {
        let cases: Vec<(Vec<String>, &[&str])> = vec![
            (
                round_trips::<RefundOrderStatus>(),
                &["10 已取消 cancelled", "20 待审核 pending review", "30 已审核 checked", "90 已完成 completed"],
            ),
            (
                round_trips::<RefundReceiptState>(),
                &[
                    "0 无需入库 not expected",
                    "1 待入库 awaiting",
                    "2 部分入库 partial",
                    "3 全部入库 full",
                    "4 终止入库 ended",
                ],
            ),
            (
                round_trips::<RefundOrderType>(),
                &["1 售前退款 refund before shipping", "2 退货 return", "4 退款不退货 refund without return"],
            ),
            (
                round_trips::<RawRefundType>(),
                &[
                    "0 取消订单 cancel order",
                    "1 退款 refund",
                    "2 退货 return",
                    "3 换货 exchange",
                    "4 退款不退货 refund without return",
                ],
            ),
            (
                round_trips::<RawRefundStatus>(),
                &[
                    "1 取消退款 refund cancelled",
                    "2 已申请退款 refund applied",
                    "3 等待退货 awaiting return",
                    "4 等待收货 awaiting receipt",
                    "5 退款成功 refunded",
                ],
            ),
            (
                round_trips::<RawRefundProcessStatus>(),
                &["0 待递交 pending", "15 已递交 submitted", "20 递交失败 failed", "40 已处理 processed"],
            ),
            (
                round_trips::<PurchaseOrderStatus>(),
                &[
                    "10 已取消 cancelled",
                    "20 编辑中 editing",
                    "40 已审核 checked",
                    "50 部分到货 partly arrived",
                    "60 已到货 arrived",
                ],
            ),
            (round_trips::<PurchaseReturnStatus>(), &["10 已取消 cancelled", "20 编辑中 editing", "40 已审核 checked"]),
            (round_trips::<StockoutStatus>(), &["0 未出库 not out", "2 已出库 out"]),
            (
                round_trips::<StockinStatus>(),
                &["10 已取消 cancelled", "20 编辑中 editing", "30 待审核 pending", "80 已完成 completed"],
            ),
            (round_trips::<StockinOrderType>(), &["12 退货入库 return stock-in"]),
            (
                round_trips::<LedgerDocType>(),
                &[
                    "0 期初 opening",
                    "12 退货入库 return stock-in",
                    "3 采购退货 purchase return",
                    "1 销售出库 sales stock-out",
                    "4 盘点 stock count",
                ],
            ),
            (round_trips::<LogisticsBusiness>(), &["2 销售退货 sales return", "10 采购 purchase"]),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn unknown_numbers_are_described_not_guessed() {
        assert_eq!(StockinStatus::from_code(40), None);
        assert_eq!(StockinStatus::describe(40), "40 ?");
        assert_eq!(RefundOrderStatus::describe(-1), "-1 ?");
        assert_eq!(LedgerDocType::from_code(12), Some(LedgerDocType::RefundStockin));
    }

    #[test]
    fn receipt_state_follows_the_totals() {
        let d = |s: &str| Dec4::parse(s).unwrap();
        let cases = [
            ("3", "0", RefundReceiptState::Awaiting),
            ("3", "1.5", RefundReceiptState::Partial),
            ("3", "3", RefundReceiptState::Full),
            ("3", "4", RefundReceiptState::Full),
        ];
        for (expected, received, want) in cases {
            assert_eq!(receipt_state(d(expected), d(received)), want, "{received} of {expected}");
        }
    }
}
