//! Status badges, coloured by what the status asks of an operator: amber waits for someone,
//! green is done, grey is cancelled, red went wrong.

use maud::{Markup, html};
use wdt_domain::model::{Coded, PurchaseReturnStatus, RefundOrderStatus, RefundReceiptState, StockinStatus};

/// A badge reading `label` in colour `class` (`pending`, `ok`, `off`, `bad`).
pub(super) fn badge(class: &str, label: &str) -> Markup {
    html! { span class={ "badge " (class) } { (label) } }
}

fn coded<C: Coded>(code: i64, class: impl Fn(C) -> &'static str) -> Markup {
    badge(C::from_code(code).map_or("off", class), &C::describe(code))
}

/// A refund order's status.
pub(super) fn refund_order(code: i64) -> Markup {
    coded(code, |s: RefundOrderStatus| match s {
        RefundOrderStatus::PendingReview => "pending",
        RefundOrderStatus::Checked | RefundOrderStatus::Completed => "ok",
        RefundOrderStatus::Cancelled => "off",
    })
}

/// A refund order's receipt state.
pub(super) fn receipt(code: i64) -> Markup {
    coded(code, |s: RefundReceiptState| match s {
        RefundReceiptState::Awaiting | RefundReceiptState::Partial => "pending",
        RefundReceiptState::Full => "ok",
        RefundReceiptState::NotExpected | RefundReceiptState::Ended => "off",
    })
}

/// A stock-in's status.
pub(super) fn stockin(code: i64) -> Markup {
    coded(code, |s: StockinStatus| match s {
        StockinStatus::Editing | StockinStatus::PendingReview => "pending",
        StockinStatus::Completed => "ok",
        StockinStatus::Cancelled => "off",
    })
}

/// A purchase return's status.
pub(super) fn purchase_return(code: i64) -> Markup {
    coded(code, |s: PurchaseReturnStatus| match s {
        PurchaseReturnStatus::Editing => "pending",
        PurchaseReturnStatus::Checked => "ok",
        PurchaseReturnStatus::Cancelled => "off",
    })
}

/// Whether a trade has shipped.
pub(super) fn shipped(shipped: bool) -> Markup {
    if shipped { badge("ok", "已发货 shipped") } else { badge("pending", "待发货 unshipped") }
}
