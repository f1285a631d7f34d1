//! The SQL both backends share: every statement, written once with `?` placeholders and types
//! both databases take, and the one [`Store`] implementation over them, [`SqlStore`].
//!
//! What differs between the databases lives in the backend crates, behind two traits: each
//! implements [`db::Executor`] for its connections (how a statement runs, whether it may bind
//! arrays, whether rows are locked) and [`Backend`] for its store (how a write transaction is
//! run and committed, where reads go, how return stock-ins are batched). `wdt-store-sqlite` runs
//! every write on one writer thread that commits many requests per transaction;
//! `wdt-store-pg` runs each write as a transaction on the pool, its rows locked with
//! `SELECT … FOR UPDATE` in a fixed order, retried on serialisation failures and deadlocks.
#![warn(missing_docs)]

mod calls;
pub mod db;
mod document_views;
mod import;
mod operations;
mod purchase_order;
mod purchase_return;
mod query;
mod quick_return;
mod raw_refund;
mod raw_trade;
mod reads;
pub mod schema_history;
mod secrets;
mod sessions;
pub mod snapshots;
mod sql;
mod stock_out;
pub mod stockin;
pub mod stockin_batch;
mod verify;
mod views;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use wdt_domain::fixture::Fixture;
use wdt_domain::purchase_return::PurchaseReturnCmd;
use wdt_domain::query::StockinQuery;
use wdt_domain::quick_return::QuickReturn;
use wdt_domain::reads::ReadQuery;
use wdt_domain::refund_stockin::ReturnStockin;
use wdt_protocol::Dialect;
use wdt_protocol::clock::Clock;
use wdt_protocol::methods::refund_stockin_query::QueryPage;
use wdt_store::DocumentFilter;
use wdt_store::{
    Action, ActionDone, AppCredential, AppLookup, AuditEntry, AuditFilter, ImportSummary, LedgerRowView, LineFilter,
    PoolStat, PurchaseReturnOutcome, PurchaseReturnSummary, ReadPage, RefundOrderSummary, RefundOrderView,
    SnapshotInfo, StockLineView, StockinCreated, StockinLineView, StockinListFilter, StockinSummary, StockinView,
    Store, StoreError, StoreResult, TradeView, VerifyReport, WriteBatchStats,
};

pub use crate::secrets::SecretBox;
pub use crate::stockin_batch::Pending;

use crate::db::{DbError, Executor, query};

pub(crate) fn db_err(e: DbError) -> StoreError {
    e.into()
}

/// The coded value (status, type) `code` read from a stored `what`; a code the domain does not
/// know is a database error, naming both.
pub(crate) fn stored_code<T: wdt_domain::model::Coded>(code: i64, what: impl std::fmt::Display) -> StoreResult<T> {
    T::from_code(code).ok_or_else(|| StoreError::Database(format!("{what} has the unknown code {code}")))
}

/// Whole microseconds of `d`, saturating: what the write counters add up.
pub fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// How long a credential lookup is reused by default.
pub const CREDENTIAL_TTL: Duration = Duration::from_secs(5);

/// A future a [`Body`] returns, borrowing the connection it runs on.
pub type BodyFuture<'c, T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 'c>>;

/// Work to run on a backend's connection `C`: a write inside its transaction, or a read. It owns
/// what it uses, so a backend may run it on another thread (SQLite's writer) or run it again
/// after a serialisation failure (PostgreSQL).
pub type Body<C, T> = Box<dyn for<'c> Fn(&'c mut C) -> BodyFuture<'c, T> + Send + Sync>;

/// A [`Body`] that runs `f` on the connection with `args`.
pub fn body<C, A, T>(args: A, f: for<'c> fn(&'c mut C, &'c A) -> BodyFuture<'c, T>) -> Body<C, T>
where
    C: Executor + 'static,
    A: Send + Sync + 'static,
    T: 'static,
{
    let args = Arc::new(args);
    Box::new(move |conn| {
        let args = Arc::clone(&args);
        Box::pin(async move { f(conn, &args).await })
    })
}

/// What a database backend provides to [`SqlStore`].
pub trait Backend: Send + Sync + 'static {
    /// A connection inside one of its write transactions.
    type Tx: Executor + 'static;
    /// A connection for reads.
    type Read: Executor + 'static;

    /// Runs `body` inside a write transaction and commits it; an `Err` from `body` rolls back
    /// everything it wrote.
    fn write<T: Send + 'static>(&self, body: Body<Self::Tx, T>) -> impl Future<Output = StoreResult<T>> + Send;

    /// Runs `body` on a reader: the replica when `replica` is asked for and there is one.
    fn read<T: Send + 'static>(
        &self,
        replica: bool,
        body: Body<Self::Read, T>,
    ) -> impl Future<Output = StoreResult<T>> + Send;

    /// Creates a return stock-in: by default alone in a write transaction; backends that create
    /// them in batches ([`stockin_batch`]) take over here.
    fn create_return_stockin(&self, pending: Pending) -> impl Future<Output = StoreResult<StockinCreated>> + Send {
        self.write(body(pending, |conn, p| Box::pin(stockin::create(conn, p))))
    }

    /// Whether this one process is meant to be the only server over the database (SQLite: one
    /// writer per file), so that the calls it shares with other servers may stay in memory.
    const SINGLE_SERVER: bool = false;

    /// Its connection pools and their use.
    fn pool_stats(&self) -> Vec<PoolStat>;

    /// Its batching writer's figures, if it has one.
    fn write_batches(&self) -> Option<WriteBatchStats>;

    /// Finishes queued writes and closes its connections.
    fn close(&self) -> impl Future<Output = ()> + Send;
}

/// A backend that opens itself from a database URL.
pub trait Open: Backend + Sized {
    /// What it is opened with besides the URL.
    type Settings;

    /// Connects to `url` and applies pending migrations.
    fn open(url: &str, settings: &Self::Settings) -> impl Future<Output = StoreResult<Self>> + Send;
}

/// The store over a backend `B`.
pub struct SqlStore<B> {
    backend: B,
    secrets: Arc<SecretBox>,
    credentials: CredentialCache,
    clock: Clock,
}

/// Credential lookups, kept for a few seconds: every request needs one, and they change only
/// by import (which clears this store's cache; other servers over the same PostgreSQL see a
/// change within the time to live).
struct CredentialCache {
    ttl: Duration,
    entries: std::sync::Mutex<std::collections::HashMap<CredentialKey, (std::time::Instant, AppLookup)>>,
}

/// sid, dialect, key.
type CredentialKey = (String, Dialect, String);

impl CredentialCache {
    /// Entries kept at most; a flood of unknown keys clears the cache rather than growing it.
    const MAX_ENTRIES: usize = 4096;

    fn new(ttl: Duration) -> CredentialCache {
        CredentialCache { ttl, entries: Default::default() }
    }

    fn get(&self, sid: &str, dialect: Dialect, key: &str) -> Option<AppLookup> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (at, found) = entries.get(&(sid.to_owned(), dialect, key.to_owned()))?;
        (at.elapsed() < self.ttl).then(|| found.clone())
    }

    fn put(&self, sid: &str, dialect: Dialect, key: &str, found: &AppLookup) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= Self::MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((sid.to_owned(), dialect, key.to_owned()), (std::time::Instant::now(), found.clone()));
    }

    fn clear(&self) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

impl<B: Open> SqlStore<B> {
    /// Opens the backend at `url` (applying migrations) and the store over it; app secrets are
    /// sealed with `secrets` (every server over one database needs the same key).
    pub async fn open(url: &str, settings: &B::Settings, secrets: SecretBox) -> StoreResult<SqlStore<B>> {
        Ok(SqlStore::new(B::open(url, settings).await?, secrets))
    }
}

impl<B: Backend> SqlStore<B> {
    /// The store over `backend`, sealing app secrets with `secrets`.
    pub fn new(backend: B, secrets: SecretBox) -> SqlStore<B> {
        SqlStore {
            backend,
            secrets: Arc::new(secrets),
            credentials: CredentialCache::new(CREDENTIAL_TTL),
            clock: Clock::real(),
        }
    }

    /// The store reading "now" (document times, daily numbers) from `clock` instead of real time.
    pub fn with_clock(mut self, clock: Clock) -> SqlStore<B> {
        self.clock = clock;
        self
    }

    /// How long a credential lookup is reused (zero: never), instead of the default few seconds.
    pub fn with_credential_ttl(mut self, ttl: Duration) -> SqlStore<B> {
        self.credentials = CredentialCache::new(ttl);
        self
    }

    /// The backend, for what only it offers (maintenance transactions, its own settings).
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Finishes queued writes and closes the connections.
    pub async fn close(&self) {
        self.backend.close().await;
    }

    async fn read<T: Send + 'static>(&self, body: Body<B::Read, T>) -> StoreResult<T> {
        self.backend.read(false, body).await
    }
}

/// Reads a credential.
async fn load_app<E: Executor>(
    conn: &mut E,
    secrets: &SecretBox,
    (sid, dialect, key): &CredentialKey,
) -> StoreResult<AppLookup> {
    let row = query(
        "SELECT s.sid, a.id, a.secret, a.salt, a.all_warehouses, a.all_shops \
         FROM sellers s LEFT JOIN apps a ON a.sid = s.sid AND a.dialect = ? AND a.app_key = ? \
         WHERE s.sid = ?",
    )
    .bind(dialect.as_str())
    .bind(key)
    .bind(sid)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(AppLookup::UnknownSid) };
    let Some(id) = row.get::<Option<i64>, _>("id") else {
        return Ok(AppLookup::UnknownKey);
    };
    let warehouses = scope_list(
        conn,
        row.get("all_warehouses"),
        id,
        "SELECT w.warehouse_no FROM app_warehouses aw JOIN warehouses w ON w.id = aw.warehouse_id \
         WHERE aw.app_id = ? ORDER BY w.warehouse_no",
    )
    .await?;
    let shops = scope_list(
        conn,
        row.get("all_shops"),
        id,
        "SELECT s.shop_no FROM app_shops ap JOIN shops s ON s.id = ap.shop_id WHERE ap.app_id = ? ORDER BY s.shop_no",
    )
    .await?;
    Ok(AppLookup::Found(AppCredential {
        id,
        sid: sid.clone(),
        dialect: *dialect,
        key: key.clone(),
        secret: secrets.open(&row.get::<String, _>("secret"))?,
        salt: row.get("salt"),
        warehouses,
        shops,
    }))
}

/// The numbers a key is limited to (`sql` lists them for app `id`), or `None` for `all`.
async fn scope_list<E: Executor>(
    conn: &mut E,
    all: bool,
    id: i64,
    sql: &'static str,
) -> StoreResult<Option<Vec<String>>> {
    if all {
        return Ok(None);
    }
    query(sql).bind(id).scalars(conn).await.map(Some).map_err(db_err)
}

#[async_trait]
impl<B: Backend> Store for SqlStore<B> {
    async fn ping(&self) -> StoreResult<()> {
        self.read(body((), |conn, ()| Box::pin(async { query("SELECT 1").exists(conn).await.map_err(db_err) })))
            .await?;
        Ok(())
    }

    async fn find_app(&self, sid: &str, dialect: Dialect, key: &str) -> StoreResult<AppLookup> {
        if let Some(found) = self.credentials.get(sid, dialect, key) {
            return Ok(found);
        }
        let args = (self.secrets.clone(), (sid.to_owned(), dialect, key.to_owned()));
        let found = self.read(body(args, |conn, (secrets, key)| Box::pin(load_app(conn, secrets, key)))).await?;
        self.credentials.put(sid, dialect, key, &found);
        Ok(found)
    }

    async fn import_fixture(&self, fixture: &Fixture) -> StoreResult<ImportSummary> {
        let args = (self.secrets.clone(), fixture.clone(), self.clock.now_ms());
        let result = self
            .backend
            .write(body(args, |conn, (secrets, fixture, now)| Box::pin(import::import(conn, secrets, fixture, *now))))
            .await;
        self.credentials.clear();
        result
    }

    async fn push_master(
        &self,
        app: &AppCredential,
        push: &wdt_domain::master_push::MasterPush,
    ) -> StoreResult<wdt_store::MasterPushed> {
        let args = (self.secrets.clone(), app.sid.clone(), push.clone(), self.clock.now_ms());
        self.backend
            .write(body(args, |conn, (secrets, sid, push, now)| {
                Box::pin(import::push_master(conn, secrets, sid, push, *now))
            }))
            .await
    }

    async fn verify(&self) -> StoreResult<VerifyReport> {
        self.read(body((), |conn, ()| Box::pin(verify::verify(conn)))).await
    }

    async fn create_return_stockin(&self, app: &AppCredential, cmd: &ReturnStockin) -> StoreResult<StockinCreated> {
        let pending = Pending { app: app.clone(), cmd: cmd.clone(), now: self.clock.now_ms() };
        self.backend.create_return_stockin(pending).await
    }

    async fn create_quick_return(&self, app: &AppCredential, cmd: &QuickReturn) -> StoreResult<StockinCreated> {
        let args = (app.clone(), cmd.clone(), self.clock.now_ms());
        self.backend
            .write(body(args, |conn, (app, cmd, now)| Box::pin(quick_return::create(conn, app, cmd, *now))))
            .await
    }

    async fn create_purchase_return(
        &self,
        app: &AppCredential,
        cmd: &PurchaseReturnCmd,
    ) -> StoreResult<PurchaseReturnOutcome> {
        let args = (app.clone(), cmd.clone(), self.clock.now_ms());
        self.backend
            .write(body(args, |conn, (app, cmd, now)| Box::pin(purchase_return::create(conn, app, cmd, *now))))
            .await
    }

    async fn create_purchase_order(
        &self,
        app: &AppCredential,
        cmd: &wdt_domain::purchase_order::PurchaseOrderCmd,
    ) -> StoreResult<wdt_store::PurchaseOrderCreated> {
        let args = (app.clone(), cmd.clone(), self.clock.now_ms());
        self.backend
            .write(body(args, |conn, (app, cmd, now)| Box::pin(purchase_order::create(conn, app, cmd, *now))))
            .await
    }

    async fn push_raw_trades(
        &self,
        app: &AppCredential,
        push: &wdt_protocol::methods::raw_trade_push::RawTradePush,
    ) -> StoreResult<wdt_protocol::methods::raw_trade_push::RawTradePushResult> {
        let args = (app.clone(), push.clone(), self.clock.now_ms());
        self.backend.write(body(args, |conn, (app, push, now)| Box::pin(raw_trade::push(conn, app, push, *now)))).await
    }

    async fn upload_raw_refunds(
        &self,
        app: &AppCredential,
        upload: &wdt_protocol::methods::raw_refund_upload::RawRefundUpload,
        whole: bool,
    ) -> StoreResult<wdt_protocol::methods::raw_refund_upload::RawRefundUpload2Result> {
        let args = (app.clone(), upload.clone(), whole, self.clock.now_ms());
        self.backend
            .write(body(args, |conn, (app, upload, whole, now)| {
                Box::pin(raw_refund::upload(conn, app, upload, *whole, *now))
            }))
            .await
    }

    async fn query_return_stockins(&self, sid: &str, q: &StockinQuery) -> StoreResult<QueryPage> {
        let args = (sid.to_owned(), q.clone());
        self.backend.read(q.from_replica, body(args, |conn, (sid, q)| Box::pin(query::page(conn, sid, q)))).await
    }

    async fn read(&self, sid: &str, q: &ReadQuery) -> StoreResult<ReadPage> {
        let args = (sid.to_owned(), q.clone());
        self.backend.read(q.from_replica, body(args, |conn, (sid, q)| Box::pin(reads::page(conn, sid, q)))).await
    }

    async fn stock_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<StockLineView>> {
        let args = (sid.to_owned(), spec_no.to_owned());
        self.read(body(args, |conn, (sid, spec)| Box::pin(views::stock_of(conn, sid, spec)))).await
    }

    async fn ledger_of(&self, sid: &str, spec_no: &str) -> StoreResult<Vec<LedgerRowView>> {
        let args = (sid.to_owned(), spec_no.to_owned());
        self.read(body(args, |conn, (sid, spec)| Box::pin(views::ledger_of(conn, sid, spec)))).await
    }

    async fn refund_order(&self, sid: &str, refund_no: &str) -> StoreResult<Option<RefundOrderView>> {
        let args = (sid.to_owned(), refund_no.to_owned());
        self.read(body(args, |conn, (sid, no)| Box::pin(views::refund_order(conn, sid, no)))).await
    }

    async fn list_refund_orders(&self, filter: &DocumentFilter) -> StoreResult<Vec<RefundOrderSummary>> {
        self.read(body(filter.clone(), |conn, f| Box::pin(views::list_refund_orders(conn, f)))).await
    }

    async fn list_stockins(&self, filter: &StockinListFilter) -> StoreResult<Vec<StockinSummary>> {
        self.read(body(filter.clone(), |conn, f| Box::pin(views::list_stockins(conn, f)))).await
    }

    async fn stockin_lines(&self, sid: &str, order_no: &str) -> StoreResult<Vec<StockinLineView>> {
        let args = (sid.to_owned(), order_no.to_owned());
        self.read(body(args, |conn, (sid, no)| Box::pin(views::stockin_lines(conn, sid, no)))).await
    }

    async fn list_stock(&self, filter: &LineFilter) -> StoreResult<Vec<StockLineView>> {
        self.read(body(filter.clone(), |conn, f| Box::pin(views::list_stock(conn, f)))).await
    }

    async fn list_ledger(&self, filter: &LineFilter) -> StoreResult<Vec<LedgerRowView>> {
        self.read(body(filter.clone(), |conn, f| Box::pin(views::list_ledger(conn, f)))).await
    }

    async fn list_purchase_returns(&self, filter: &DocumentFilter) -> StoreResult<Vec<PurchaseReturnSummary>> {
        self.read(body(filter.clone(), |conn, f| Box::pin(views::list_purchase_returns(conn, f)))).await
    }

    async fn act(&self, actor: &str, action: &Action) -> StoreResult<ActionDone> {
        let args = (actor.to_owned(), action.clone(), self.clock.now_ms());
        self.backend
            .write(body(args, |conn, (actor, action, now)| Box::pin(operations::act(conn, actor, action, *now))))
            .await
    }

    async fn audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        self.read(body(filter.clone(), |conn, f| Box::pin(operations::audit(conn, f)))).await
    }

    async fn stockin(&self, sid: &str, order_no: &str) -> StoreResult<Option<StockinView>> {
        let args = (sid.to_owned(), order_no.to_owned());
        self.read(body(args, |conn, (sid, no)| Box::pin(document_views::stockin(conn, sid, no)))).await
    }

    async fn trade(&self, sid: &str, tid: &str) -> StoreResult<Option<TradeView>> {
        let args = (sid.to_owned(), tid.to_owned());
        self.read(body(args, |conn, (sid, tid)| Box::pin(document_views::trade(conn, sid, tid)))).await
    }

    async fn list_trades(&self, filter: &DocumentFilter) -> StoreResult<Vec<TradeView>> {
        self.read(body(filter.clone(), |conn, f| Box::pin(document_views::list_trades(conn, f)))).await
    }

    async fn reset(&self, fixture: Option<&Fixture>) -> StoreResult<ImportSummary> {
        let args = (self.secrets.clone(), fixture.cloned(), self.clock.now_ms());
        let result = self
            .backend
            .write(body(args, |conn, (secrets, fixture, now)| {
                Box::pin(async move {
                    snapshots::reset(conn).await?;
                    match fixture {
                        Some(f) => import::import(conn, secrets, f, *now).await,
                        None => Ok(ImportSummary::default()),
                    }
                })
            }))
            .await;
        self.credentials.clear();
        result
    }

    async fn take_snapshot(&self, name: &str) -> StoreResult<SnapshotInfo> {
        let args = (name.to_owned(), self.clock.now_ms());
        self.backend.write(body(args, |conn, (name, now)| Box::pin(snapshots::take(conn, name, *now)))).await
    }

    async fn restore_snapshot(&self, name: &str) -> StoreResult<SnapshotInfo> {
        let result =
            self.backend.write(body(name.to_owned(), |conn, name| Box::pin(snapshots::restore(conn, name)))).await;
        self.credentials.clear();
        result
    }

    async fn list_snapshots(&self) -> StoreResult<Vec<SnapshotInfo>> {
        self.read(body((), |conn, ()| Box::pin(snapshots::list(conn)))).await
    }

    async fn drop_snapshot(&self, name: &str) -> StoreResult<bool> {
        self.backend.write(body(name.to_owned(), |conn, name| Box::pin(snapshots::remove(conn, name)))).await
    }

    fn single_server(&self) -> bool {
        B::SINGLE_SERVER
    }

    async fn claim_call(&self, call: &wdt_store::CallKey, expires_ms: i64) -> StoreResult<wdt_store::CallClaim> {
        let now = self.clock.now_ms();
        if calls::prune_due(now) {
            self.backend.write(body(now, |conn, now| Box::pin(calls::prune(conn, *now)))).await?;
        }
        let args = (call.clone(), expires_ms, now);
        self.backend.write(body(args, |conn, (call, exp, now)| Box::pin(calls::claim(conn, call, *exp, *now)))).await
    }

    async fn peek_call(&self, call: &wdt_store::CallKey) -> StoreResult<wdt_store::CallClaim> {
        let args = (call.clone(), self.clock.now_ms());
        self.read(body(args, |conn, (call, now)| Box::pin(calls::peek(conn, call, *now)))).await
    }

    async fn finish_call(&self, call: &wdt_store::CallKey, answer: Option<&str>) -> StoreResult<()> {
        let args = (call.clone(), answer.map(str::to_owned));
        self.backend
            .write(body(args, |conn, (call, answer)| Box::pin(calls::finish(conn, call, answer.as_deref()))))
            .await
    }

    async fn admit_call(
        &self,
        sid: &str,
        key: &str,
        limits: &wdt_store::CallLimits,
    ) -> StoreResult<wdt_store::CallLease> {
        let args = (sid.to_owned(), key.to_owned(), *limits, self.clock.now_ms());
        self.backend
            .write(body(args, |conn, (sid, key, limits, now)| Box::pin(calls::admit(conn, sid, key, limits, *now))))
            .await
    }

    async fn release_call(&self, lease: wdt_store::CallLease) -> StoreResult<()> {
        if lease.0 == 0 {
            return Ok(());
        }
        self.backend.write(body(lease, |conn, lease| Box::pin(calls::release(conn, *lease)))).await
    }

    async fn start_console_session(&self, digest: &str, created_ms: i64, expires_ms: i64) -> StoreResult<()> {
        let args = (digest.to_owned(), created_ms, expires_ms);
        self.backend.write(body(args, |conn, (d, c, e)| Box::pin(sessions::start(conn, d, *c, *e)))).await
    }

    async fn console_session_live(&self, digest: &str, now_ms: i64) -> StoreResult<bool> {
        // Never from the replica: a session ended a moment ago on another server is ended.
        let args = (digest.to_owned(), now_ms);
        self.read(body(args, |conn, (d, now)| Box::pin(sessions::live(conn, d, *now)))).await
    }

    async fn end_console_session(&self, digest: &str) -> StoreResult<()> {
        self.backend.write(body(digest.to_owned(), |conn, d| Box::pin(sessions::end(conn, d)))).await
    }

    fn clock(&self) -> &Clock {
        &self.clock
    }

    fn write_batches(&self) -> Option<WriteBatchStats> {
        self.backend.write_batches()
    }

    fn pool_stats(&self) -> Vec<PoolStat> {
        self.backend.pool_stats()
    }
}
