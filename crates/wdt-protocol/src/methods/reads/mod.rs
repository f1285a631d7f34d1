//! The read-back query methods (SPEC.md §9): each is paged (`pageCall`: the pager in the query
//! string) and takes one positional argument, `[params]`.
//!
//! A method is a parameter type implementing [`ReadParams`] (its name, its field checks) and
//! its response row types; the pages' shapes are [`DetailsPage`] (`data: {total_count,
//! details}`) and the like. Parameters are read leniently like every other request (numbers as
//! strings and the reverse); the response types read leniently too, so the SDK can read the
//! vendor's own ERP.

pub mod goods;
pub mod purchase;
pub mod raw_refunds;
pub mod refunds;
pub mod settings;
pub mod stock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;

use super::{decode_field, take_args};

/// Name of the one positional argument.
pub const ARG_PARAMS: &str = "params";

/// `aftersales.refund.Refund.search` (退换单查询).
pub const REFUND_SEARCH: &str = "aftersales.refund.Refund.search";
/// `aftersales.refund.RawRefund.search` (原始退款单查询).
pub const RAW_REFUND_SEARCH: &str = "aftersales.refund.RawRefund.search";
/// `wms.stockin.Refund.queryHisWithDetail` (历史退货入库单查询): answered like
/// [`super::REFUND_STOCKIN_QUERY`], over the stock-ins older than it serves.
pub const REFUND_STOCKIN_HISTORY: &str = "wms.stockin.Refund.queryHisWithDetail";
/// `setting.Warehouse.queryWarehouse` (仓库查询).
pub const WAREHOUSE_QUERY: &str = "setting.Warehouse.queryWarehouse";
/// `setting.Shop.queryShop` (店铺查询).
pub const SHOP_QUERY: &str = "setting.Shop.queryShop";
/// `setting.Logistics.queryLogistics` (物流查询).
pub const LOGISTICS_QUERY: &str = "setting.Logistics.queryLogistics";
/// `setting.PurchaseProvider.queryDetail` (供应商查询).
pub const PROVIDER_QUERY: &str = "setting.PurchaseProvider.queryDetail";
/// `wms.StockSpec.search` (库存查询): `total` beside `status`, `data` a bare list.
pub const STOCK_SPEC_SEARCH: &str = "wms.StockSpec.search";
/// `wms.StockSpec.queryChangeHistory` (库存变化查询): the stock ledger.
pub const STOCK_CHANGE_QUERY: &str = "wms.StockSpec.queryChangeHistory";
/// `purchase.PurchaseReturn.queryWithDetail` (采购退货单及明细查询).
pub const PURCHASE_RETURN_QUERY: &str = "purchase.PurchaseReturn.queryWithDetail";
/// `purchase.PurchaseOrder.queryWithDetail` (采购单查询).
pub const PURCHASE_ORDER_QUERY: &str = "purchase.PurchaseOrder.queryWithDetail";
/// `goods.Goods.queryWithSpec` (货品档案查询).
pub const GOODS_QUERY: &str = "goods.Goods.queryWithSpec";

/// Every read-back method, in the order of SPEC.md §9.
pub const READ_METHODS: &[&str] = &[
    REFUND_SEARCH,
    RAW_REFUND_SEARCH,
    REFUND_STOCKIN_HISTORY,
    STOCK_SPEC_SEARCH,
    STOCK_CHANGE_QUERY,
    PURCHASE_RETURN_QUERY,
    PURCHASE_ORDER_QUERY,
    GOODS_QUERY,
    WAREHOUSE_QUERY,
    SHOP_QUERY,
    LOGISTICS_QUERY,
    PROVIDER_QUERY,
];

/// The `params` of a read-back method.
pub trait ReadParams: Serialize + DeserializeOwned {
    /// The `method` query parameter.
    const METHOD: &'static str;

    /// What `data` holds: one page of rows.
    type Page: PageRows + Serialize + DeserializeOwned;

    /// Whether the method reads a time window, and the most calendar days it may span
    /// (`Some(None)`: any span). `None`: the method has no window.
    const WINDOW: Option<Option<i64>> = None;

    /// Sets the window the reads cover (`yyyy-MM-dd HH:mm:ss`, both ends included), for the
    /// methods that have one ([`ReadParams::WINDOW`]).
    fn set_window(&mut self, start: String, end: String) {
        let _ = (start, end);
    }

    /// Checks what the wire says (lengths, coded values); the window and the business meaning
    /// are `wdt-domain`'s.
    fn validate(&self) -> Result<(), ApiError> {
        Ok(())
    }

    /// Decodes and validates the positional arguments.
    fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [params] = take_args::<1>(Self::METHOD, args)?;
        let params: Self = decode_field(ARG_PARAMS, params)?;
        params.validate()?;
        Ok(params)
    }

    /// The positional arguments that carry these parameters (what an SDK sends).
    fn to_args(&self) -> Vec<Value> {
        vec![serde_json::to_value(self).expect("parameters always serialize")]
    }
}

/// What every page type gives a reader that walks the pages: its rows, and the total when the
/// server counted it.
pub trait PageRows {
    /// One row.
    type Row: Serialize + DeserializeOwned;
    /// The page's rows, in order.
    fn into_rows(self) -> Vec<Self::Row>;
    /// `total_count`, when the pager asked for it.
    fn total_count(&self) -> Option<i64>;
    /// Whether the page is the whole envelope rather than its `data`: `data` is the bare list
    /// and the total is `total` beside `status` (`wms.StockSpec.search`,
    /// [`stock::StockSpecPage`]). A reader then hands the page type the envelope.
    const ENVELOPE: bool = false;
}

impl<T: Serialize + DeserializeOwned> PageRows for DetailsPage<T> {
    type Row = T;
    fn into_rows(self) -> Vec<T> {
        self.details
    }
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
}

/// A page answered as `data: {"total_count": N, "details": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
pub struct DetailsPage<T> {
    /// The number of matching rows over every page, when the pager asked for it.
    #[serde(default, deserialize_with = "super::lenient::optional", skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The page's rows.
    #[serde(default = "Vec::new", deserialize_with = "super::lenient::vec_or_empty")]
    pub details: Vec<T>,
}

impl<T> Default for DetailsPage<T> {
    fn default() -> Self {
        DetailsPage { total_count: None, details: Vec::new() }
    }
}

/// A page answered as `data: {"total_count": N, "order": [...]}` (refund orders, raw refunds,
/// purchase documents).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
pub struct OrderPage<T> {
    /// The number of matching documents over every page, when the pager asked for it.
    #[serde(default, deserialize_with = "super::lenient::optional", skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The page's documents.
    #[serde(default = "Vec::new", deserialize_with = "super::lenient::vec_or_empty")]
    pub order: Vec<T>,
}

impl<T> Default for OrderPage<T> {
    fn default() -> Self {
        OrderPage { total_count: None, order: Vec::new() }
    }
}

impl<T: Serialize + DeserializeOwned> PageRows for OrderPage<T> {
    type Row = T;
    fn into_rows(self) -> Vec<T> {
        self.order
    }
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
}
