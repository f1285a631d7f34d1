//! The returns-warehouse domain: status enums, the fixture document, and (as plain functions over
//! loaded state) the business rules of SPEC.md §3. Nothing here does I/O; the store loads state,
//! calls a rule, and applies the plan it returns in one transaction.
#![warn(missing_docs)]

pub mod cost;
pub mod fixture;
pub mod line_rules;
pub mod master_push;
pub mod model;
pub mod numbering;
pub mod opening_stock;
pub mod operations;
pub mod privacy;
pub mod purchase_order;
pub mod purchase_return;
pub mod query;
pub mod quick_return;
pub mod raw_refund;
pub mod raw_trade;
pub mod reads;
pub mod receiving;
pub mod refund_stockin;
pub mod stock_out;
