//! The persistence port: what the server asks of a database, as one trait every backend
//! implements, plus the conformance suite ([`conformance::run_all`]) each backend must pass.
#![warn(missing_docs)]

pub mod conformance;

use async_trait::async_trait;
use wdt_domain::fixture::{Fixture, FixtureError};
pub use wdt_domain::operations::{Action, Operation, Refusal, RefusalKind, StockCount};
use wdt_domain::purchase_return::PurchaseReturnCmd;
use wdt_domain::query::StockinQuery;
use wdt_domain::quick_return::QuickReturn;
use wdt_domain::reads::ReadQuery;
use wdt_domain::refund_stockin::ReturnStockin;
use wdt_protocol::methods::refund_stockin_query::QueryPage;
use wdt_protocol::{ApiError, Dec4, Dialect};

/// A failure inside a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A fixture record refers to something that does not exist, or conflicts with the database.
    #[error("fixture: {0}")]
    Fixture(#[from] FixtureError),
    /// A business rule or wire-level refusal, to be sent to the client as is.
    #[error("{0}")]
    Api(#[from] ApiError),
    /// The database failed; logged, never sent to a client.
    #[error("database: {0}")]
    Database(String),
    /// An operator action was refused (SPEC.md §10): the document is missing, in the wrong
    /// state, or a value is not acceptable.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// A serialisation failure or deadlock: the transaction was rolled back, and rerunning it
    /// may succeed. Logged, never sent to a client.
    #[error("database (transient): {0}")]
    Transient(String),
}

impl StoreError {
    /// The refusal to send to a client: rules as they are, database faults as `Internal`.
    pub fn into_api_error(self) -> ApiError {
        match self {
            StoreError::Api(e) => e,
            StoreError::Refused(r) => ApiError::Business(r.message),
            StoreError::Fixture(_) | StoreError::Database(_) | StoreError::Transient(_) => ApiError::Internal,
        }
    }
}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// An app credential as the authenticator needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct AppCredential {
    /// Row id (for logs and document ownership).
    pub id: i64,
    /// Seller account.
    pub sid: String,
    /// Dialect the key speaks.
    pub dialect: Dialect,
    /// The key (`key` in qjb, `appkey` in openapi2).
    pub key: String,
    /// qjb: the part of the appsecret before the first `:`; openapi2: the whole appsecret.
    pub secret: String,
    /// qjb: the part after the first `:` (sent as `salt`); openapi2: empty.
    pub salt: String,
    /// Warehouse numbers the key is limited to; `None` = all.
    pub warehouses: Option<Vec<String>>,
    /// Shop numbers the key is limited to; `None` = all.
    pub shops: Option<Vec<String>>,
}

impl std::fmt::Debug for AppCredential {
    // Secrets never reach a log line through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCredential")
            .field("id", &self.id)
            .field("sid", &self.sid)
            .field("dialect", &self.dialect)
            .field("key", &self.key)
            .field("secret", &"<redacted>")
            .field("warehouses", &self.warehouses)
            .field("shops", &self.shops)
            .finish()
    }
}

/// What a credential lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppLookup {
    /// No seller with that sid.
    UnknownSid,
    /// The seller exists but has no such key in that dialect.
    UnknownKey,
    /// The credential.
    Found(AppCredential),
}

/// How many rows an import inserted, changed, or found already as in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Rows inserted.
    pub inserted: u64,
    /// Rows whose content changed.
    pub updated: u64,
}

impl ImportSummary {
    /// Whether the import changed nothing.
    pub fn is_noop(&self) -> bool {
        self.inserted == 0 && self.updated == 0
    }
}

/// The outcome of [`Store::push_master`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MasterPushed {
    /// The id of the pushed goods record or provider.
    pub id: i64,
    /// Rows the push inserted and changed (both 0 when it repeated the stored state).
    pub summary: ImportSummary,
}

/// The outcome of an invariant check over the whole database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Stock lines checked.
    pub stock_lines: u64,
    /// Ledger rows summed.
    pub ledger_rows: u64,
    /// Refund order items checked.
    pub refund_items: u64,
    /// Every violated invariant, one line each.
    pub problems: Vec<String>,
}

impl VerifyReport {
    /// Whether every invariant holds.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One page of a read-back query: its rows as the wire shows them, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadPage {
    /// The number of matching rows over every page, when the pager asked for it.
    pub total_count: Option<i64>,
    /// The page's rows, each the method's response object with its nested lists.
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// Everything the server needs from a database. Implementations are cheap to share
/// (`Arc<dyn Store>`) and safe to call concurrently.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Succeeds when the database answers a trivial query.
    async fn ping(&self) -> StoreResult<()>;

    /// Finds the credential `key` of seller `sid` in `dialect`.
    async fn find_app(&self, sid: &str, dialect: Dialect, key: &str) -> StoreResult<AppLookup>;

    /// Loads a fixture in one transaction: all of it, or nothing when a record is refused.
    /// Master data is upserted; documents and opening stock are inserted only when absent, so
    /// importing the same file twice changes nothing.
    async fn import_fixture(&self, fixture: &Fixture) -> StoreResult<ImportSummary>;

    /// Upserts a master record pushed through the API (`goods.Goods.push`,
    /// `setting.PurchaseProvider.push`, SPEC.md §8) for `app`, in one transaction and through the
    /// fixture import's own upserts, so the state equals the one a fixture with the record gives;
    /// pushing the same record again changes nothing. Refuses, writing nothing, a `spec_no` of
    /// other goods (`商家编码已存在`), a brand no goods has unless `create_brand`
    /// (`品牌不存在`), and a provider name another provider has (`供应商名称不能重复`).
    async fn push_master(
        &self,
        app: &AppCredential,
        push: &wdt_domain::master_push::MasterPush,
    ) -> StoreResult<MasterPushed>;

    /// Recomputes stock from the ledger and checks every invariant.
    async fn verify(&self) -> StoreResult<VerifyReport>;

    /// Creates a return stock-in order against a refund order (SPEC.md §3.1) for `app`, in one
    /// transaction: the order, its details and links, and when checked the stock, ledger, cost
    /// and refund progress. A second push with a used outer number changes nothing.
    async fn create_return_stockin(&self, app: &AppCredential, cmd: &ReturnStockin) -> StoreResult<StockinCreated>;

    /// Quick return by original trade (SPEC.md §3.2): links to the trade's open refund order or
    /// creates one from the trade, then receives the goods as a checked stock-in, in one
    /// transaction.
    async fn create_quick_return(&self, app: &AppCredential, cmd: &QuickReturn) -> StoreResult<StockinCreated>;

    /// Purchase return (SPEC.md §3.3): writes the order and, when checked, takes the goods out of
    /// stock, in one transaction. A check short of stock still writes the order (unchecked, or
    /// cancelled) and reports why.
    async fn create_purchase_return(
        &self,
        app: &AppCredential,
        cmd: &PurchaseReturnCmd,
    ) -> StoreResult<PurchaseReturnOutcome>;

    /// Purchase order (`purchase.PurchaseOrder.createOrder`, SPEC.md §8): writes the order and its
    /// lines as [`wdt_domain::purchase_order::plan`] says, in one transaction, numbered `CG…` when
    /// the request gave no number. A number already taken is refused and changes nothing, also
    /// when two pushes of it race.
    async fn create_purchase_order(
        &self,
        app: &AppCredential,
        cmd: &wdt_domain::purchase_order::PurchaseOrderCmd,
    ) -> StoreResult<PurchaseOrderCreated>;

    /// Raw trades of a self-owned shop (`sales.RawTrade.pushSelf`, SPEC.md §8), each converted at
    /// once into a trade as [`wdt_domain::raw_trade::plan`] says, in one transaction: new ones
    /// numbered `JY…`, changed ones updated, unchanged ones left alone (and not counted). Two
    /// concurrent pushes of one `tid` make one trade.
    async fn push_raw_trades(
        &self,
        app: &AppCredential,
        push: &wdt_protocol::methods::raw_trade_push::RawTradePush,
    ) -> StoreResult<wdt_protocol::methods::raw_trade_push::RawTradePushResult>;

    /// Raw refunds of a shop (`aftersales.refund.RawRefund.upload` / `upload2`, SPEC.md §8), each
    /// converted at once into its refund order as [`wdt_domain::raw_refund::plan`] says, in one
    /// transaction. `whole` (`upload`): any refusal refuses the call and writes nothing; otherwise
    /// (`upload2`) each raw refund is written or listed in `error_list` on its own. Two concurrent
    /// uploads of one `refund_no` make one raw refund.
    async fn upload_raw_refunds(
        &self,
        app: &AppCredential,
        upload: &wdt_protocol::methods::raw_refund_upload::RawRefundUpload,
        whole: bool,
    ) -> StoreResult<wdt_protocol::methods::raw_refund_upload::RawRefundUpload2Result>;

    /// One page of return stock-ins of seller `sid` matching `query` (SPEC.md §3.4), with
    /// details. Every filter and the caller's scope are applied in the database.
    async fn query_return_stockins(&self, sid: &str, query: &StockinQuery) -> StoreResult<QueryPage>;

    /// One page of any read-back query of seller `sid` (SPEC.md §9): the listing's rows matching
    /// every filter, the window and the caller's scope, in (time, id) order, with `total_count`
    /// when the pager asks for it.
    async fn read(&self, sid: &str, query: &ReadQuery) -> StoreResult<ReadPage>;

    /// Stock lines of one spec of seller `sid`, every warehouse, ordered by warehouse, defect,
    /// batch, position.
    async fn stock_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<StockLineView>>;

    /// Ledger rows of seller `sid` for one spec, oldest first.
    async fn ledger_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<LedgerRowView>>;

    /// A refund order of seller `sid` with its items and receipt progress.
    async fn refund_order(&self, sid: &str, refund_no: &str) -> StoreResult<Option<RefundOrderView>>;

    /// Console: refund orders matching `filter` (`number` = 退换单号), newest first.
    async fn list_refund_orders(&self, filter: &DocumentFilter) -> StoreResult<Vec<RefundOrderSummary>>;

    /// Console: stock-in orders matching `filter`, newest first.
    async fn list_stockins(&self, filter: &StockinListFilter) -> StoreResult<Vec<StockinSummary>>;

    /// Console: the lines of one stock-in order.
    async fn stockin_lines(&self, sid: &str, order_no: &str) -> StoreResult<Vec<StockinLineView>>;

    /// Console: stock lines matching `filter` (spec, warehouse, position, batch, defect).
    async fn list_stock(&self, filter: &LineFilter) -> StoreResult<Vec<StockLineView>>;

    /// Console: ledger rows matching `filter`, oldest first.
    async fn list_ledger(&self, filter: &LineFilter) -> StoreResult<Vec<LedgerRowView>>;

    /// Console: purchase returns matching `filter` (`number` = the return number), newest first.
    async fn list_purchase_returns(&self, filter: &DocumentFilter) -> StoreResult<Vec<PurchaseReturnSummary>>;

    /// Runs an operator action (SPEC.md §10) in one transaction with its stock and ledger
    /// changes and its audit row, recorded as done by `actor` (an admin token's name, or
    /// `console`). A refusal writes nothing.
    async fn act(&self, actor: &str, action: &Action) -> StoreResult<ActionDone>;

    /// Audit rows matching `filter`, oldest first (or newest first, as it asks).
    async fn audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;

    /// A stock-in order of seller `sid` with its header and lines.
    async fn stockin(&self, sid: &str, order_no: &str) -> StoreResult<Option<StockinView>>;

    /// A trade of seller `sid` with its items and shipment.
    async fn trade(&self, sid: &str, tid: &str) -> StoreResult<Option<TradeView>>;

    /// Console: trades matching `filter` (`number` = 原始单号 tid), newest first.
    async fn list_trades(&self, filter: &DocumentFilter) -> StoreResult<Vec<TradeView>>;

    /// Test mode: empties every seller's data, then loads `fixture` if given, in one
    /// transaction. Snapshots are kept.
    async fn reset(&self, fixture: Option<&Fixture>) -> StoreResult<ImportSummary>;

    /// Test mode: copies every table under `name` (replacing a snapshot of that name).
    async fn take_snapshot(&self, name: &str) -> StoreResult<SnapshotInfo>;

    /// Test mode: puts every table back as snapshot `name` holds it, credentials included.
    async fn restore_snapshot(&self, name: &str) -> StoreResult<SnapshotInfo>;

    /// Test mode: every snapshot, oldest first.
    async fn list_snapshots(&self) -> StoreResult<Vec<SnapshotInfo>>;

    /// Test mode: drops snapshot `name`; whether there was one.
    async fn drop_snapshot(&self, name: &str) -> StoreResult<bool>;

    /// The clock the store reads "now" from; the server reads the same one (signature windows,
    /// rate limits), so that a test moving it moves everything.
    fn clock(&self) -> &wdt_protocol::clock::Clock;

    /// Connection pools and their use, for metrics.
    fn pool_stats(&self) -> Vec<PoolStat> {
        Vec::new()
    }

    /// Group commit figures, where writes are batched (SQLite's writer thread).
    fn write_batches(&self) -> Option<WriteBatchStats> {
        None
    }

    /// Whether this process is meant to be the only server over the database (SQLite), so that
    /// the server may hold the replay registry and the per-key limits in memory instead of
    /// asking the methods below.
    fn single_server(&self) -> bool {
        false
    }

    /// Replay registry: claims the signed call `call` before it runs, until `expires_ms` (the
    /// end of its timestamp window plus a margin). One claim of a call wins across every server
    /// over the database; an expired entry is taken over.
    async fn claim_call(&self, call: &CallKey, expires_ms: i64) -> StoreResult<CallClaim>;

    /// Replay registry: what is known of `call` now, without claiming it ([`CallClaim::Claimed`]
    /// means no live entry).
    async fn peek_call(&self, call: &CallKey) -> StoreResult<CallClaim>;

    /// Replay registry: saves the answer of a claimed call (`Some`), or gives the claim up
    /// (`None`) so that the same call may run again.
    async fn finish_call(&self, call: &CallKey, answer: Option<&str>) -> StoreResult<()>;

    /// Per-key limits shared by every server over the database: admits a call of `key` of seller
    /// `sid` under `limits`, or refuses it with [`ApiError::RateLimited`] or
    /// [`ApiError::ConcurrencyLimited`] (as [`StoreError::Api`]). Refused calls do not count.
    /// The lease it returns is held until [`Store::release_call`], or until it expires.
    async fn admit_call(&self, sid: &str, key: &str, limits: &CallLimits) -> StoreResult<CallLease>;

    /// Gives back the in-flight permit of an admitted call.
    async fn release_call(&self, lease: CallLease) -> StoreResult<()>;

    /// Console sessions: records session `digest` (a digest of the random id in the cookie),
    /// live from `created_ms` until `expires_ms` (epoch ms, real time), and forgets the sessions
    /// expired by `created_ms`. Every server over the database sees it.
    async fn start_console_session(&self, digest: &str, created_ms: i64, expires_ms: i64) -> StoreResult<()>;

    /// Console sessions: whether session `digest` is live at `now_ms` (epoch ms, real time).
    async fn console_session_live(&self, digest: &str, now_ms: i64) -> StoreResult<bool>;

    /// Console sessions: ends session `digest` (logging out); an unknown one is no error.
    async fn end_console_session(&self, digest: &str) -> StoreResult<()>;
}

/// A named snapshot of every table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Rows it holds, all tables together.
    pub rows: i64,
    /// When it was taken (epoch ms, the store's clock).
    pub created: i64,
}

/// What an operator action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDone {
    /// Its audit row.
    pub audit: AuditEntry,
    /// The document as it is after the action.
    pub document: DocumentView,
}

/// A document an action changed, as it reads after the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentView {
    /// A refund order.
    RefundOrder(RefundOrderView),
    /// A stock-in order.
    Stockin(StockinView),
    /// A purchase return.
    PurchaseReturn(PurchaseReturnSummary),
    /// A trade.
    Trade(TradeView),
    /// A counted stock line.
    StockLine(StockLineView),
}

/// One audit row: who did what to which document, when, and its state before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Row id, increasing.
    pub id: i64,
    /// Seller.
    pub sid: String,
    /// Who: an admin token's name, or `console`.
    pub actor: String,
    /// What ([`Operation::name`], e.g. `stockin.check`).
    pub action: String,
    /// Which document ([`Operation::target`]).
    pub target: String,
    /// Its state before (a status label, or a stock line's quantity).
    pub before: String,
    /// Its state after.
    pub after: String,
    /// The number of the document the action made, if any (a stock-out or stock count number).
    pub doc_no: String,
    /// When (epoch ms).
    pub created: i64,
}

/// Which audit rows to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Seller; `None` = all.
    pub sid: Option<String>,
    /// At or after (epoch ms).
    pub since: Option<i64>,
    /// Rows about this document only: its target, or the number of the document it made.
    pub document: Option<String>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    /// Rows skipped before the first one returned.
    pub offset: u32,
    /// At most this many rows.
    pub limit: u32,
}

/// A stock-in order with its header and lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockinView {
    /// Header, as lists show it.
    pub summary: StockinSummary,
    /// Who pushed it: the app key, or the actor who made it.
    pub created_by: String,
    /// Who checked it: the app key of a checked push, or the operator; empty while unchecked.
    pub checked_by: String,
    /// 备注.
    pub remark: String,
    /// Lines.
    pub lines: Vec<StockinLineView>,
}

/// A trade with its items and shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeView {
    /// Seller.
    pub sid: String,
    /// 原始单号.
    pub tid: String,
    /// 系统订单号 (JY…).
    pub trade_no: String,
    /// 店铺编号.
    pub shop_no: String,
    /// Shipped.
    pub shipped: bool,
    /// The warehouse it shipped from (empty until shipped, or when shipped before the data was
    /// loaded).
    pub warehouse_no: String,
    /// Its stock-out number (CK…), when shipped here.
    pub stockout_no: String,
    /// When it shipped (epoch ms), when shipped here.
    pub shipped_at: Option<i64>,
    /// Created (epoch ms).
    pub created: i64,
    /// Items in order.
    pub items: Vec<TradeItemView>,
}

/// A trade item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeItemView {
    /// 原始子单号.
    pub oid: String,
    /// 商家编码.
    pub spec_no: String,
    /// Quantity.
    pub num: Dec4,
    /// Price.
    pub price: Dec4,
}

/// How a batching writer has been committing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteBatchStats {
    /// Batches taken so far, one transaction each.
    pub batches: u64,
    /// Requests taken in them.
    pub requests: u64,
    /// Requests waiting for the writer now.
    pub queued: usize,
    /// Time spent running batches so far. Growing as fast as the clock, the writer is the
    /// bottleneck: requests wait for it however fast the rest of the server is.
    pub busy: std::time::Duration,
    /// Groups of return stock-ins that failed as a whole and reran their pushes one at a time.
    /// A group fails whole only on something its rule could not foresee (a constraint another
    /// server tripped, a deadlock); a count that keeps pace with `batches` means every group is
    /// failing and the writer runs at the one-at-a-time pace.
    pub group_fallbacks: u64,
}

/// One connection pool's use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStat {
    /// `writer`, `readers`, `primary` or `replica`.
    pub name: &'static str,
    /// Connections open.
    pub size: u32,
    /// Of which idle.
    pub idle: usize,
}

/// Which stock lines or ledger rows to list; `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineFilter {
    /// Seller.
    pub sid: Option<String>,
    /// 商家编码.
    pub spec_no: Option<String>,
    /// 仓库编号.
    pub warehouse_no: Option<String>,
    /// 货位编号.
    pub position_no: Option<String>,
    /// 批次号 (`""` = no batch).
    pub batch_no: Option<String>,
    /// Defect stock.
    pub defect: Option<bool>,
    /// Document number (ledger only).
    pub doc_no: Option<String>,
    /// Rows skipped before the first one returned.
    pub offset: u32,
    /// At most this many rows.
    pub limit: u32,
}

/// Which documents of one kind to list (refund orders, purchase returns, trades); `None` matches
/// all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    /// Seller.
    pub sid: Option<String>,
    /// The document's own number, exactly (退换单号, the return number, 原始单号).
    pub number: Option<String>,
    /// Rows skipped before the first one returned.
    pub offset: u32,
    /// At most this many rows.
    pub limit: u32,
}

impl DocumentFilter {
    /// The first `limit` documents of seller `sid`.
    pub fn seller(sid: &str, limit: u32) -> DocumentFilter {
        DocumentFilter { sid: Some(sid.to_owned()), limit, ..DocumentFilter::default() }
    }
}

/// Which stock-in orders to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockinListFilter {
    /// Seller.
    pub sid: Option<String>,
    /// Created at or after (epoch ms).
    pub from_ms: Option<i64>,
    /// Created at or before (epoch ms).
    pub to_ms: Option<i64>,
    /// 仓库编号.
    pub warehouse_no: Option<String>,
    /// Status number.
    pub status: Option<i64>,
    /// 退换单号.
    pub refund_no: Option<String>,
    /// 入库单号.
    pub order_no: Option<String>,
    /// Rows skipped before the first one returned.
    pub offset: u32,
    /// At most this many rows.
    pub limit: u32,
}

/// A refund order in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundOrderSummary {
    /// Seller.
    pub sid: String,
    /// 退换单号.
    pub refund_no: String,
    /// 原始单号.
    pub tid: String,
    /// 店铺编号.
    pub shop_no: String,
    /// Status number.
    pub status: i64,
    /// Receipt state number.
    pub stockin_status: i64,
    /// Σ expected.
    pub expected: Dec4,
    /// Σ received.
    pub received: Dec4,
    /// Last modified (epoch ms).
    pub modified: i64,
}

/// A stock-in order in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockinSummary {
    /// Seller.
    pub sid: String,
    /// 入库单号.
    pub order_no: String,
    /// 外部单号.
    pub outer_no: String,
    /// Status number.
    pub status: i64,
    /// 退换单号.
    pub refund_no: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// Σ num.
    pub goods_count: Dec4,
    /// Created (epoch ms).
    pub created: i64,
    /// Checked (epoch ms), if checked.
    pub check_time: Option<i64>,
}

/// A line of a stock-in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockinLineView {
    /// 商家编码.
    pub spec_no: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// 货位编号.
    pub position_no: String,
    /// 批次号.
    pub batch_no: String,
    /// Defect stock.
    pub defect: bool,
    /// Quantity.
    pub num: Dec4,
    /// Stock-in price.
    pub price: Dec4,
}

/// A purchase return in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseReturnSummary {
    /// Seller.
    pub sid: String,
    /// Return number.
    pub return_no: String,
    /// 供应商编号.
    pub provider_no: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// Status number.
    pub status: i64,
    /// Why its check failed, if it did.
    pub check_failure: String,
    /// Created (epoch ms).
    pub created: i64,
}

/// One stock line, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLineView {
    /// Seller.
    pub sid: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// 商家编码.
    pub spec_no: String,
    /// Defect stock.
    pub defect: bool,
    /// 批次号, empty for none.
    pub batch_no: String,
    /// 货位编号.
    pub position_no: String,
    /// Quantity.
    pub num: Dec4,
    /// Moving-average cost price of the spec in this warehouse (0 before any is known).
    pub cost_price: Dec4,
}

/// One ledger row, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRowView {
    /// Seller.
    pub sid: String,
    /// When (epoch ms).
    pub created: i64,
    /// Document type (0 opening, 12 return stock-in, 3 purchase return).
    pub doc_type: i64,
    /// Document number.
    pub doc_no: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// 商家编码.
    pub spec_no: String,
    /// 货位编号.
    pub position_no: String,
    /// 批次号, empty for none.
    pub batch_no: String,
    /// Defect stock.
    pub defect: bool,
    /// Quantity before.
    pub num_before: Dec4,
    /// Change.
    pub num_change: Dec4,
    /// Quantity after.
    pub num_after: Dec4,
    /// Cost price recorded.
    pub cost_price: Dec4,
}

/// A refund order with its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundOrderView {
    /// 退换单号.
    pub refund_no: String,
    /// Status number (10/20/30/90).
    pub status: i64,
    /// Receipt state number (1 awaiting, 2 partial, 3 full).
    pub stockin_status: i64,
    /// Items in item order.
    pub items: Vec<RefundItemView>,
}

/// A refund order item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundItemView {
    /// 原始子单号.
    pub oid: String,
    /// 商家编码.
    pub spec_no: String,
    /// Expected.
    pub refund_num: Dec4,
    /// Received.
    pub stockin_num: Dec4,
    /// Price.
    pub price: Dec4,
}

/// A purchase return that was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseReturnOutcome {
    /// Row id.
    pub id: i64,
    /// The return number (the outer number it was pushed with).
    pub return_no: String,
    /// Status (20 editing, 40 checked, 10 cancelled).
    pub status: i64,
    /// Why the check failed, if it was asked for and failed.
    pub check_failure: Option<String>,
}

/// A purchase order that was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrderCreated {
    /// Row id.
    pub id: i64,
    /// 采购单号: the pushed one, or the number the ERP gave it (CG…).
    pub purchase_no: String,
}

/// A stock-in order that was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockinCreated {
    /// Row id (`stockin_id`).
    pub id: i64,
    /// 入库单号 (RK…).
    pub order_no: String,
}

impl AppCredential {
    /// The warehouses and shops this credential may use.
    pub fn scope(&self) -> wdt_domain::model::Scope {
        wdt_domain::model::Scope { warehouses: self.warehouses.clone(), shops: self.shops.clone() }
    }
}

/// A signed call as the replay registry knows it: who sent it and a digest of what was signed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallKey {
    /// Seller.
    pub sid: String,
    /// Dialect of the key.
    pub dialect: Dialect,
    /// The key (`key` in qjb, `appkey` in openapi2).
    pub key: String,
    /// Hex SHA-256 of the signed request (its canonical form).
    pub digest: String,
}

/// What a claim in the replay registry found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallClaim {
    /// The call is this caller's to run (no live entry held it).
    Claimed,
    /// The same call is running elsewhere (this server or another) and has no answer yet.
    InFlight,
    /// The same call ran already: its saved answer.
    Answered(String),
}

/// Per-key limits to apply to one call; 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallLimits {
    /// Calls per key per clock minute.
    pub per_minute: u32,
    /// Calls per key in flight at once.
    pub concurrent: u32,
    /// How long an in-flight permit is held at most (ms), should its server die mid-call.
    pub lease_ms: i64,
}

/// The in-flight permit of an admitted call (its row id; 0 when no concurrency limit applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallLease(pub i64);
