//! Typed calls: for each method, its request type in and its answer type out.
//!
//! | method | dialect | request | answer | [`Client`] method |
//! |---|---|---|---|---|
//! | `wms.stockin.Refund.createOrder` | qjb | [`RefundStockinOrder`] | [`ReturnStockinCreated`] | [`Client::create_return_stockin`] |
//! | `stockin_refund_push.php` | openapi2 | [`StockinRefundInfo`] | [`StockinRefundPushed`] | [`Client::push_stockin_refund`] |
//! | `wms.stockin.SmartRefund.upload` | qjb | [`SmartRefundUpload`] | [`SmartRefundResult`] | [`Client::quick_return`] |
//! | `purchase.PurchaseReturn.createOrder` | qjb | [`PurchaseReturnCreate`] | [`PurchaseReturnResult`] | [`Client::create_purchase_return`] |
//! | `wms.stockin.Refund.queryWithDetail` | qjb, paged | [`Paged`]`<`[`RefundStockinQuery`]`>` | [`QueryPage`] | [`Client::query_return_stockins`] |
//! | `purchase.PurchaseReturn.cancelOrder` | qjb | [`PurchaseReturnCancel`] | [`PurchaseReturnCancelResult`] | [`Client::send_qjb`] |
//! | `purchase.PurchaseOrder.createOrder` | qjb | [`PurchaseOrderCreate`] | [`PurchaseOrderCreateResult`] | [`Client::send_qjb`] |
//! | `goods.Goods.push` | qjb | [`GoodsPush`] | the goods id (`i64`) | [`Client::send_qjb`] |
//! | `setting.PurchaseProvider.push` | qjb | [`ProviderPush`] | [`ProviderPushResult`] | [`Client::send_qjb`] |
//! | `sales.RawTrade.pushSelf` | qjb | [`RawTradePush`] | [`RawTradePushResult`] | [`Client::send_qjb`] |
//! | `aftersales.refund.RawRefund.upload` | qjb | [`RawRefundUpload`] | [`RawRefundUploadResult`] | [`Client::send_qjb`] |
//! | `aftersales.refund.RawRefund.upload2` | qjb | [`RawRefundUpload2`] | [`RawRefundUpload2Result`] | [`Client::send_qjb`] |
//! | every read-back query (SPEC §9) | qjb, paged | [`Paged`]`<P>` for `P:` [`reads::ReadParams`] | `P::Page` | [`Client::read_page`], [`crate::ReadAll`] |
//!
//! The request types are `wdt-protocol`'s, the ones the server decodes, so what the SDK sends and
//! what the server reads cannot drift apart. They are sent as they are: required fields, lengths
//! and business rules are the server's to check, and a refusal comes back as
//! [`Error::Remote`](crate::Error::Remote) with the server's code and message.
//!
//! A typed call made through a client of the other dialect is refused before anything is sent,
//! with [`Error::WrongDialect`](crate::Error::WrongDialect).
//!
//! ```no_run
//! # async fn demo() -> Result<(), wdt_client::Error> {
//! use wdt_client::Client;
//! use wdt_client::methods::RefundStockinOrder;
//!
//! let client = Client::qjb("http://127.0.0.1:8080", "demo", "demo-qjb", "demo-secret:demo-salt");
//! let order: RefundStockinOrder = serde_json::from_value(serde_json::json!({
//!     "refund_no": "TK-DEMO-1", "out_stockin_no": "OUT-1", "warehouse_no": "WH1", "create_mode": 2,
//!     "detail_list": [{"spec_no": "MUG-RED", "num": 1}]
//! }))
//! .expect("a well-formed order");
//! let created = client.create_return_stockin(&order).await?;
//! println!("{}", created.order_no); // RK202608300001
//! # Ok(()) }
//! ```
//!
//! # Adding a method
//!
//! A qjb method is one `impl` of [`QjbRequest`] on its request type: the method name, the answer
//! type (what `data` deserializes into: a struct, a `String`, an `i64`, or `()` for a call that
//! answers without `data`), and the positional arguments in the vendor SDK's order. A paged
//! method implements it on [`Paged`]`<ItsParams>` and returns the [`Paged::pager`] from
//! [`QjbRequest::pager`]. An openapi2 endpoint is one `impl` of [`Openapi2Request`]: the
//! endpoint, the answer type (deserialized from the whole answer object, whose payload fields sit
//! beside `code` and `message`), and the form fields, structured ones as JSON text.
//! [`Client::send_qjb`] or [`Client::send_openapi2`] makes the call; a one-line named method on
//! [`Client`] gives it its name. The trait is public, so a caller can add a method the same way:
//!
//! ```
//! use serde_json::Value;
//! use wdt_client::QjbRequest;
//!
//! /// `wms.stockin.PreStockin.cancel`: body `["RK2004210014"]`, answered without `data`.
//! struct PreStockinCancel {
//!     stockin_no: String,
//! }
//!
//! impl QjbRequest for PreStockinCancel {
//!     const METHOD: &'static str = "wms.stockin.PreStockin.cancel";
//!     type Answer = ();
//!     fn args(&self) -> Vec<Value> {
//!         vec![Value::from(self.stockin_no.as_str())]
//!     }
//! }
//!
//! # async fn demo(client: wdt_client::Client) -> Result<(), wdt_client::Error> {
//! client.send_qjb(&PreStockinCancel { stockin_no: "RK2004210014".into() }).await?;
//! # Ok(()) }
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wdt_protocol::methods::reads::{PageRows, ReadParams};
use wdt_protocol::methods::{
    OPENAPI2_STOCKIN_REFUND_PUSH, PURCHASE_RETURN_CREATE, REFUND_STOCKIN_CREATE, SMART_REFUND_UPLOAD,
};

pub use wdt_protocol::Dec4;
pub use wdt_protocol::methods::purchase_return::{PurchaseReturnCreate, PurchaseReturnResult};
pub use wdt_protocol::methods::refund_stockin::RefundStockinOrder;
pub use wdt_protocol::methods::refund_stockin_query::{QueryPage, RefundStockinQuery};
pub use wdt_protocol::methods::smart_refund::{SmartRefundResult, SmartRefundUpload};
pub use wdt_protocol::methods::stockin_refund_push::StockinRefundInfo;
/// The protocol modules of the methods above, with the types their requests are made of
/// (detail lines, headers, codes).
pub use wdt_protocol::methods::{
    purchase_return, reads, refund_stockin, refund_stockin_query, smart_refund, stockin_refund_push,
};
pub use wdt_protocol::qjb::Pager;

#[cfg(doc)]
use crate::Client;

/// A qjb method's request: what goes in the positional argument array, and what `data` is read
/// into.
pub trait QjbRequest {
    /// The `method` query parameter.
    const METHOD: &'static str;
    /// What the answer's `data` deserializes into (`data` absent reads as `null`).
    type Answer: DeserializeOwned;
    /// The positional arguments, in the method's order (the body is their JSON array).
    fn args(&self) -> Vec<Value>;
    /// The pager of a paged method (`page_size`, `page_no`, `calc_total` in the query string);
    /// `None` for the others.
    fn pager(&self) -> Option<Pager> {
        None
    }
    /// Whether [`QjbRequest::Answer`] reads the whole envelope instead of its `data` (a method
    /// that answers beside `data`, as `wms.StockSpec.search`'s `total`).
    const WHOLE_ENVELOPE: bool = false;
}

/// An openapi2 endpoint's request: its form fields, and what the answer object is read into.
pub trait Openapi2Request {
    /// The endpoint, `name.php`.
    const ENDPOINT: &'static str;
    /// What the whole answer object (`code`, `message` and any payload fields beside them)
    /// deserializes into.
    type Answer: DeserializeOwned;
    /// The business form fields, structured values as JSON text; `sid`, `appkey`, `timestamp` and
    /// `sign` are added when sent.
    fn fields(&self) -> Vec<(&'static str, String)>;
}

/// A paged query: its parameters and which page to read.
#[derive(Debug, Clone)]
pub struct Paged<'a, Q> {
    /// The query's business parameters.
    pub params: &'a Q,
    /// Which page, how large, and whether to count the total.
    pub pager: Pager,
}

/// The answer of `wms.stockin.Refund.createOrder`: `data` is the new stock-in's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReturnStockinCreated {
    /// 入库单号: `RK`, the Shanghai date `yyyyMMdd`, a four-digit sequence (`RK202608300001`).
    pub order_no: String,
}

/// The answer of `stockin_refund_push.php`: the bare envelope, `{"code":0,"message":"succeed"}`
/// (the endpoint does not return the new stock-in's number).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StockinRefundPushed {
    /// The server's message, `succeed`.
    pub message: String,
}

impl QjbRequest for RefundStockinOrder {
    const METHOD: &'static str = REFUND_STOCKIN_CREATE;
    type Answer = ReturnStockinCreated;
    /// `[stockin_order]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

impl Openapi2Request for StockinRefundInfo {
    const ENDPOINT: &'static str = OPENAPI2_STOCKIN_REFUND_PUSH;
    type Answer = StockinRefundPushed;
    /// `stockin_refund_info` = the order as JSON text.
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![(stockin_refund_push::FORM_FIELD, self.to_form_field())]
    }
}

impl QjbRequest for SmartRefundUpload {
    const METHOD: &'static str = SMART_REFUND_UPLOAD;
    type Answer = SmartRefundResult;
    /// `[refundInfo, detailMapList, createPreStockin]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

impl QjbRequest for PurchaseReturnCreate {
    const METHOD: &'static str = PURCHASE_RETURN_CREATE;
    type Answer = PurchaseReturnResult;
    /// `[orderInfo, detailList, is_check]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

/// Every paged query: `[params]`, the pager in the query string, `data` read as the method's page.
impl<P: ReadParams> QjbRequest for Paged<'_, P> {
    const METHOD: &'static str = P::METHOD;
    type Answer = P::Page;
    const WHOLE_ENVELOPE: bool = <P::Page as PageRows>::ENVELOPE;
    /// `[params]`.
    fn args(&self) -> Vec<Value> {
        ReadParams::to_args(self.params)
    }
    fn pager(&self) -> Option<Pager> {
        Some(self.pager)
    }
}

pub use wdt_protocol::methods::purchase_order::{PurchaseOrderCreate, PurchaseOrderCreateResult};
pub use wdt_protocol::methods::purchase_return_cancel::{PurchaseReturnCancel, PurchaseReturnCancelResult};
/// The protocol modules of the two methods below (the order's header and detail types).
pub use wdt_protocol::methods::{purchase_order, purchase_return_cancel};

/// `purchase.PurchaseReturn.cancelOrder`: `[return_no]`; `data.message` is `OK` or the reason.
impl QjbRequest for PurchaseReturnCancel {
    const METHOD: &'static str = wdt_protocol::methods::PURCHASE_RETURN_CANCEL;
    type Answer = PurchaseReturnCancelResult;
    /// `[return_no]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

/// `purchase.PurchaseOrder.createOrder`: `[params]`; `data.message` is the new order's number.
impl QjbRequest for PurchaseOrderCreate {
    const METHOD: &'static str = wdt_protocol::methods::PURCHASE_ORDER_CREATE;
    type Answer = PurchaseOrderCreateResult;
    /// `[params]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

pub use wdt_protocol::methods::raw_trade_push::{
    RawTrade, RawTradeDiscount, RawTradeOrder, RawTradePush, RawTradePushResult,
};

/// `sales.RawTrade.pushSelf`: `[shop_no, rawTradeList, rawTradeOrderList]` (and `discountList`
/// when given); `data` counts the trades made and changed.
impl QjbRequest for RawTradePush {
    const METHOD: &'static str = wdt_protocol::methods::RAW_TRADE_PUSH;
    type Answer = RawTradePushResult;
    /// `[shop_no, rawTradeList, rawTradeOrderList, discountList?]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

pub use wdt_protocol::methods::raw_refund_upload::{
    RawRefundError, RawRefundLine, RawRefundUpload, RawRefundUpload2Result, RawRefundUploadResult,
};

/// `aftersales.refund.RawRefund.upload`: `[shop_no, order_list]`; refused whole on any error.
impl QjbRequest for RawRefundUpload {
    const METHOD: &'static str = wdt_protocol::methods::RAW_REFUND_UPLOAD;
    type Answer = RawRefundUploadResult;
    /// `[shop_no, order_list]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

/// `aftersales.refund.RawRefund.upload2`: the same raw refunds, accepted or refused one by one
/// (the refusals come back in `error_list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRefundUpload2(pub RawRefundUpload);

impl QjbRequest for RawRefundUpload2 {
    const METHOD: &'static str = wdt_protocol::methods::RAW_REFUND_UPLOAD2;
    type Answer = RawRefundUpload2Result;
    /// `[shop_no, order_list]`.
    fn args(&self) -> Vec<Value> {
        self.0.to_args()
    }
}

pub use wdt_protocol::methods::goods_push::{GoodsInfo, GoodsPush, SpecInfo};
pub use wdt_protocol::methods::provider_push::{ProviderInfo, ProviderPush, ProviderPushResult};

/// `goods.Goods.push`: `[goodsInfo, specInfoList]`; `data` is the goods' id.
impl QjbRequest for GoodsPush {
    const METHOD: &'static str = wdt_protocol::methods::GOODS_PUSH;
    type Answer = i64;
    /// `[goodsInfo, specInfoList]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}

/// `setting.PurchaseProvider.push`: `[provider]`; `data` is `{"status":0,"message":"OK"}`.
impl QjbRequest for ProviderPush {
    const METHOD: &'static str = wdt_protocol::methods::PROVIDER_PUSH;
    type Answer = ProviderPushResult;
    /// `[provider]`.
    fn args(&self) -> Vec<Value> {
        self.to_args()
    }
}
