//! The SQLite writer: one thread owns the one write connection and commits many requests per
//! transaction (group commit).
//!
//! Requests queue on a channel. The thread takes the first waiting request and every other one
//! already queued (up to [`WriterSettings::max_batch`]), opens `BEGIN IMMEDIATE`, runs each inside
//! its own `SAVEPOINT` — a refusal or failure rolls back to it, so it never disturbs its
//! neighbours — and commits once. Only then does any request of the batch get its answer: a
//! caller never hears "created" for a row that a failed commit took back. One fsync now covers
//! the whole batch instead of one per request, and statements run synchronously through
//! rusqlite's prepared-statement cache instead of a round trip to a driver thread each.
//!
//! Return stock-ins that follow one another in a batch go further: they are created together
//! ([`stockin_batch`](wdt_store_sql::stockin_batch)) under one savepoint (none when the group opens the
//! transaction), with a fixed number of statements for the group. If the group fails as a whole
//! it is rolled back and each of its pushes runs alone, in its own savepoint, as any other request.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};
use wdt_store::{StoreError, StoreResult, WriteBatchStats};

use wdt_store::StockinCreated;
use wdt_store_sql::stockin_batch::{Pending, create_many};
use wdt_store_sql::{Body, micros, stockin};

use crate::conn::DirectConn;

/// A job after it ran: whether to keep its savepoint, and how to answer once the batch's fate is
/// known (`None` = committed).
struct Ran {
    keep: bool,
    answer: Answer,
}

/// Sends a request's answer, given the batch's failure if it failed.
type Answer = Box<dyn FnOnce(Option<&str>) + Send>;

/// A queued request.
trait Job: Send {
    /// Runs the body inside the open savepoint.
    fn run(self: Box<Self>, conn: &mut DirectConn) -> Ran;
    /// Answers without running: the batch failed before its turn.
    fn refuse(self: Box<Self>, why: &str);
    /// Whether this is a return stock-in that can be created together with its neighbours.
    fn is_stockin(&self) -> bool {
        false
    }
    /// The return stock-in inside, if this is one.
    fn into_stockin(self: Box<Self>) -> Result<StockinJob, Box<dyn Job>>;
}

/// The answer to send once the batch's fate is known: a refusal stands whatever became of the
/// batch; anything else is replaced by the batch's failure, if it failed.
fn deferred<T: Send + 'static>(reply: oneshot::Sender<StoreResult<T>>, result: StoreResult<T>) -> Ran {
    Ran {
        keep: result.is_ok(),
        answer: Box::new(move |failed: Option<&str>| {
            let answer = match (failed, result) {
                (None, r) => r,
                (Some(_), Err(e @ StoreError::Api(_))) => Err(e),
                (Some(why), _) => Err(StoreError::Database(why.to_owned())),
            };
            let _ = reply.send(answer);
        }),
    }
}

fn unexpected() -> StoreError {
    StoreError::Database("the write failed unexpectedly (a bug); nothing was kept".into())
}

/// A return stock-in waiting for the writer.
pub(crate) struct StockinJob {
    pending: Pending,
    reply: oneshot::Sender<StoreResult<StockinCreated>>,
}

impl Job for StockinJob {
    fn run(self: Box<Self>, conn: &mut DirectConn) -> Ran {
        let StockinJob { pending, reply } = *self;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| run_to_completion(stockin::create(conn, &pending))))
            .unwrap_or_else(|_| Err(unexpected()));
        deferred(reply, result)
    }

    fn refuse(self: Box<Self>, why: &str) {
        let _ = self.reply.send(Err(StoreError::Database(why.to_owned())));
    }

    fn is_stockin(&self) -> bool {
        true
    }

    fn into_stockin(self: Box<Self>) -> Result<StockinJob, Box<dyn Job>> {
        Ok(*self)
    }
}

struct JobOf<T> {
    body: Body<DirectConn, T>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T: Send + 'static> Job for JobOf<T> {
    fn run(self: Box<Self>, conn: &mut DirectConn) -> Ran {
        let JobOf { body, reply } = *self;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| run_to_completion(body(conn))))
            .unwrap_or_else(|_| Err(unexpected()));
        deferred(reply, result)
    }

    fn refuse(self: Box<Self>, why: &str) {
        let _ = self.reply.send(Err(StoreError::Database(why.to_owned())));
    }

    fn into_stockin(self: Box<Self>) -> Result<StockinJob, Box<dyn Job>> {
        Err(self)
    }
}

/// Tuning of the writer thread.
#[derive(Debug, Clone)]
pub struct WriterSettings {
    /// The most requests committed in one transaction.
    pub max_batch: usize,
    /// Requests that may wait for the writer before callers wait to queue.
    pub queue: usize,
    /// SQLite page cache of the writer connection, in KiB.
    pub cache_kib: u32,
}

impl Default for WriterSettings {
    fn default() -> Self {
        WriterSettings { max_batch: 256, queue: 4096, cache_kib: 16 * 1024 }
    }
}

/// Handle to the writer thread.
pub(crate) struct Writer {
    jobs: Mutex<Option<mpsc::Sender<Box<dyn Job>>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    counts: Arc<Counts>,
}

/// Batches and requests committed so far and the time they took, kept by the thread.
#[derive(Default)]
struct Counts {
    batches: AtomicU64,
    requests: AtomicU64,
    busy_micros: AtomicU64,
    group_fallbacks: AtomicU64,
}

impl Writer {
    /// Opens the write connection at `path` and starts the thread; `busy_timeout` bounds waits
    /// on a lock held by another connection.
    pub(crate) fn start(path: &str, settings: &WriterSettings, busy_timeout: Duration) -> StoreResult<Writer> {
        let err = |e: rusqlite::Error| StoreError::Database(format!("opening the SQLite writer: {e}"));
        let conn = rusqlite::Connection::open(path).map_err(err)?;
        conn.busy_timeout(busy_timeout).map_err(err)?;
        conn.execute_batch(&format!(
            // temp_store = FILE: a request's savepoint keeps its sub-journal in one 64 KiB chunk
            // of memory and spills the rest to a temporary file. Held wholly in memory (MEMORY),
            // it is a list of 1 KiB chunks that SQLite walks from the head at the end of every
            // statement that journals a page, so a large request (a fixture of 20,000 stock
            // lines) slowed with its own size: 1,700 lines a second against 13,800 in a file.
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA temp_store = FILE; PRAGMA cache_size = -{};",
            settings.cache_kib
        ))
        .map_err(err)?;
        // Room for every length of every batch statement: multi-row writes come in at most 64
        // lengths each (`db::write_rows`), `IN` lists in powers of two (`Query::push_in`).
        conn.set_prepared_statement_cache_capacity(1024);
        let (tx, rx) = mpsc::channel(settings.queue.max(1));
        let max_batch = settings.max_batch.max(1);
        let counts = Arc::new(Counts::default());
        let kept = counts.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(DirectConn::new(conn), rx, max_batch, &kept))
            .map_err(|e| StoreError::Database(format!("starting the SQLite writer: {e}")))?;
        Ok(Writer { jobs: Mutex::new(Some(tx)), thread: Mutex::new(Some(thread)), counts })
    }

    /// Batches and requests so far, and the queue now.
    pub(crate) fn stats(&self) -> WriteBatchStats {
        let queued = match &*self.jobs.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(s) => s.max_capacity() - s.capacity(),
            None => 0,
        };
        WriteBatchStats {
            batches: self.counts.batches.load(Ordering::Relaxed),
            requests: self.counts.requests.load(Ordering::Relaxed),
            queued,
            busy: Duration::from_micros(self.counts.busy_micros.load(Ordering::Relaxed)),
            group_fallbacks: self.counts.group_fallbacks.load(Ordering::Relaxed),
        }
    }

    /// Runs `body` in the next batch; answers after that batch commits (or with the error that
    /// refused it).
    pub(crate) async fn write<T: Send + 'static>(&self, body: Body<DirectConn, T>) -> StoreResult<T> {
        self.submit(|reply| Box::new(JobOf { body, reply })).await
    }

    /// Queues a return stock-in that may be created together with its neighbours in the batch
    /// (see [`batchable`](wdt_store_sql::stockin_batch::batchable)).
    pub(crate) async fn write_stockin(&self, pending: Pending) -> StoreResult<StockinCreated> {
        self.submit(|reply| Box::new(StockinJob { pending, reply })).await
    }

    /// Queues the job `make` builds around its reply channel, and waits for the answer.
    async fn submit<T>(&self, make: impl FnOnce(oneshot::Sender<StoreResult<T>>) -> Box<dyn Job>) -> StoreResult<T> {
        let sender = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let Some(sender) = sender else { return Err(closed()) };
        let (reply, answer) = oneshot::channel();
        sender.send(make(reply)).await.map_err(|_| closed())?;
        answer.await.map_err(|_| StoreError::Database("the SQLite writer stopped before answering".to_owned()))?
    }

    /// Stops taking requests, lets the queued ones finish, and waits for the thread.
    pub(crate) async fn close(&self) {
        drop(self.jobs.lock().unwrap_or_else(|p| p.into_inner()).take());
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

fn closed() -> StoreError {
    StoreError::Database("the store is closed".to_owned())
}

/// Polls a body's future once: on the writer's connection every statement completes at once, so
/// the future is ready; one that is not awaited something else, which is refused.
pub(crate) fn run_to_completion<T>(fut: impl Future<Output = StoreResult<T>>) -> StoreResult<T> {
    let mut cx = Context::from_waker(Waker::noop());
    match std::pin::pin!(fut).poll(&mut cx) {
        Poll::Ready(r) => r,
        Poll::Pending => Err(StoreError::Database("a write awaited something besides its own statements".to_owned())),
    }
}

/// The thread: batch, run, commit, answer; until every sender is gone.
fn run(mut conn: DirectConn, mut jobs: mpsc::Receiver<Box<dyn Job>>, max_batch: usize, counts: &Counts) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(max_batch);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < max_batch {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // Counted as taken, before any answer goes out.
        counts.batches.fetch_add(1, Ordering::Relaxed);
        counts.requests.fetch_add(batch.len() as u64, Ordering::Relaxed);
        let started = Instant::now();
        commit_batch(&mut conn, &mut batch, counts);
        counts.busy_micros.fetch_add(micros(started.elapsed()), Ordering::Relaxed);
    }
}

/// Runs one request inside its own savepoint.
fn run_alone(conn: &mut DirectConn, job: Box<dyn Job>, ran: &mut Vec<Ran>, broken: &mut Option<String>) {
    if let Some(why) = broken {
        job.refuse(why);
        return;
    }
    if let Err(e) = conn.batch("SAVEPOINT request") {
        *broken = Some(format!("could not open a savepoint: {e}"));
        job.refuse(broken.as_deref().unwrap_or_default());
        return;
    }
    let r = job.run(conn);
    let end = if r.keep { "RELEASE request" } else { "ROLLBACK TO request; RELEASE request" };
    if let Err(e) = conn.batch(end) {
        *broken = Some(format!("the write transaction was lost: {e}"));
    }
    ran.push(r);
}

/// Creates consecutive return stock-ins together under one savepoint; if that fails as a whole,
/// rolls it back and runs each alone. A group that opens the transaction (`first`) needs no
/// savepoint: the transaction itself is rolled back and begun again. A savepoint copies every
/// page the group changes to its sub-journal first.
fn run_stockins(
    conn: &mut DirectConn,
    group: Vec<StockinJob>,
    first: bool,
    ran: &mut Vec<Ran>,
    broken: &mut Option<String>,
    counts: &Counts,
) {
    if group.len() == 1 || (!first && conn.batch("SAVEPOINT stockins").is_err()) {
        for job in group {
            run_alone(conn, Box::new(job), ran, broken);
        }
        return;
    }
    let (release, undo) = if first {
        ("", "ROLLBACK; BEGIN IMMEDIATE")
    } else {
        ("RELEASE stockins", "ROLLBACK TO stockins; RELEASE stockins")
    };
    let (pending, replies): (Vec<Pending>, Vec<_>) = group.into_iter().map(|j| (j.pending, j.reply)).unzip();
    let together = std::panic::catch_unwind(AssertUnwindSafe(|| run_to_completion(create_many(conn, &pending))))
        .unwrap_or_else(|_| Err(unexpected()));
    match together {
        Ok(answers) if conn.batch(release).is_ok() => {
            ran.extend(replies.into_iter().zip(answers).map(|(reply, answer)| deferred(reply, answer)));
        }
        failed => {
            counts.group_fallbacks.fetch_add(1, Ordering::Relaxed);
            match &failed {
                Err(e) => {
                    tracing::warn!(error = %e, pushes = replies.len(), "return stock-ins created together failed; one at a time")
                }
                Ok(_) => tracing::warn!(
                    pushes = replies.len(),
                    "return stock-ins created together could not be released; one at a time"
                ),
            }
            if let Err(e) = conn.batch(undo) {
                *broken = Some(format!("the write transaction was lost: {e}"));
            }
            for (pending, reply) in pending.into_iter().zip(replies) {
                run_alone(conn, Box::new(StockinJob { pending, reply }), ran, broken);
            }
        }
    }
}

/// Runs one batch in one transaction and answers every request in it.
fn commit_batch(conn: &mut DirectConn, batch: &mut Vec<Box<dyn Job>>, counts: &Counts) {
    let n = batch.len();
    if let Err(e) = conn.batch("BEGIN IMMEDIATE") {
        let why = format!("could not begin a write transaction: {e}");
        tracing::error!(error = %why, requests = n, "SQLite write batch refused");
        batch.drain(..).for_each(|job| job.refuse(&why));
        return;
    }
    let mut ran: Vec<Ran> = Vec::with_capacity(n);
    let mut broken: Option<String> = None;
    let mut jobs = batch.drain(..).peekable();
    while let Some(job) = jobs.next() {
        if let Some(why) = &broken {
            job.refuse(why);
            continue;
        }
        let first = match job.into_stockin() {
            Err(other) => {
                run_alone(conn, other, &mut ran, &mut broken);
                continue;
            }
            Ok(first) => first,
        };
        let mut group = vec![first];
        while let Some(next) = jobs.next_if(|j| j.is_stockin()) {
            match next.into_stockin() {
                Ok(s) => group.push(s),
                Err(other) => run_alone(conn, other, &mut ran, &mut broken),
            }
        }
        let first = ran.is_empty();
        run_stockins(conn, group, first, &mut ran, &mut broken, counts);
    }
    let failed = match broken {
        Some(why) => {
            let _ = conn.batch("ROLLBACK");
            Some(why)
        }
        None => match conn.batch("COMMIT") {
            Ok(()) => None,
            Err(e) => {
                let _ = conn.batch("ROLLBACK");
                Some(format!("commit failed: {e}"))
            }
        },
    };
    if let Some(why) = &failed {
        tracing::error!(error = %why, requests = n, "SQLite write batch rolled back");
    }
    for r in ran {
        (r.answer)(failed.as_deref());
    }
}
