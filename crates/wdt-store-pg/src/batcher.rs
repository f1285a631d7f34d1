//! PostgreSQL return stock-ins through one batching task per server. Pushes queue up while a
//! batch is in flight; the task takes every queued push (up to a limit), creates them together in
//! one transaction ([`stockin_batch`](wdt_store_sql::stockin_batch)), commits, and only then answers them.
//!
//! Pushes into the same warehouse × spec and the day's number sequence lock the same rows, so on
//! PostgreSQL concurrent single-push transactions run one after another, each holding those rows
//! through its own twenty-odd round trips and WAL flush. A batch holds them once for all.
//!
//! If a batch fails before its commit (another server's push took an outer number first, a
//! deadlock), it is rolled back and each push runs alone in its own transaction, with the usual
//! retries, so a push never fails because of a neighbour. If the commit itself fails, every push
//! of the batch gets that error: whether it landed is unknown, and rerunning could write it twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::postgres::PgPool;
use tokio::sync::{mpsc, oneshot};
use wdt_store::{StockinCreated, StoreError, StoreResult, WriteBatchStats};
use wdt_store_sql::micros;
use wdt_store_sql::stockin_batch::{Pending, create_many};

use crate::conn::PgTx;
use crate::{in_transaction, stockin_alone};

/// Pushes waiting at most, before new ones wait to queue.
const QUEUE: usize = 4096;

/// Lines in one batch at most. The inserts bind one array per column, but the lookups and the
/// refund progress update still bind a value or two per line: this keeps them well under
/// PostgreSQL's 65,535 bind parameters.
const MAX_LINES: usize = 2000;

struct Job {
    pending: Pending,
    reply: oneshot::Sender<StoreResult<StockinCreated>>,
}

#[derive(Default)]
struct Counters {
    batches: AtomicU64,
    requests: AtomicU64,
    busy_micros: AtomicU64,
    group_fallbacks: AtomicU64,
}

/// The batching task's handle.
pub(crate) struct StockinBatcher {
    jobs: std::sync::Mutex<Option<mpsc::Sender<Job>>>,
    task: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
    counters: Arc<Counters>,
}

impl StockinBatcher {
    /// Starts the task on the current tokio runtime; it writes through `pool`, at most
    /// `max_batch` pushes per transaction.
    pub(crate) fn start(pool: PgPool, max_batch: usize, retries: u32) -> StockinBatcher {
        let (tx, rx) = mpsc::channel(QUEUE);
        let counters = Arc::new(Counters::default());
        let task = tokio::spawn(run(pool, rx, max_batch.max(1), retries, counters.clone()));
        StockinBatcher { jobs: std::sync::Mutex::new(Some(tx)), task: tokio::sync::Mutex::new(Some(task)), counters }
    }

    /// Queues a push and waits for its answer, given after its batch committed.
    pub(crate) async fn create(&self, pending: Pending) -> StoreResult<StockinCreated> {
        let stopped = || StoreError::Database("the stock-in writer has stopped".into());
        let jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(stopped)?;
        let (reply, answer) = oneshot::channel();
        jobs.send(Job { pending, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Batches and pushes so far, and pushes queued now.
    pub(crate) fn stats(&self) -> WriteBatchStats {
        let queued = match &*self.jobs.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(tx) => tx.max_capacity() - tx.capacity(),
            None => 0,
        };
        WriteBatchStats {
            batches: self.counters.batches.load(Ordering::Relaxed),
            requests: self.counters.requests.load(Ordering::Relaxed),
            queued,
            busy: Duration::from_micros(self.counters.busy_micros.load(Ordering::Relaxed)),
            group_fallbacks: self.counters.group_fallbacks.load(Ordering::Relaxed),
        }
    }

    /// Stops taking pushes, lets the queued ones finish, and waits for the task.
    pub(crate) async fn close(&self) {
        drop(self.jobs.lock().unwrap_or_else(|p| p.into_inner()).take());
        if let Some(task) = self.task.lock().await.take() {
            let _ = task.await;
        }
    }
}

/// One batch at a time: a second one would wait on the first's locks (cost rows, the day's
/// number sequence) for most of its statements; measured, two tasks were no faster than one.
async fn run(pool: PgPool, mut queue: mpsc::Receiver<Job>, max_batch: usize, retries: u32, counters: Arc<Counters>) {
    while let Some(first) = queue.recv().await {
        let mut lines = first.pending.cmd.lines.len();
        let mut jobs = vec![first];
        while jobs.len() < max_batch && lines < MAX_LINES {
            match queue.try_recv() {
                Ok(job) => {
                    lines += job.pending.cmd.lines.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        counters.batches.fetch_add(1, Ordering::Relaxed);
        counters.requests.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        // Its own task, so a panic drops this batch's replies (their callers see an error)
        // instead of ending the loop.
        let started = Instant::now();
        if let Err(e) = tokio::spawn(run_batch(pool.clone(), jobs, retries, counters.clone())).await {
            tracing::error!(error = %e, "a stock-in batch panicked");
        }
        counters.busy_micros.fetch_add(micros(started.elapsed()), Ordering::Relaxed);
    }
}

/// Where a batch stopped.
enum BatchFailure {
    /// Before the commit: nothing was written, each push can run alone.
    RolledBack(StoreError),
    /// At the commit: the outcome is unknown.
    Commit(StoreError),
}

async fn run_batch(pool: PgPool, jobs: Vec<Job>, retries: u32, counters: Arc<Counters>) {
    let (pending, replies): (Vec<Pending>, Vec<_>) = jobs.into_iter().map(|j| (j.pending, j.reply)).unzip();
    let together = async {
        let mut conn = PgTx::begin(&pool).await.map_err(|e| BatchFailure::RolledBack(e.into()))?;
        let answers = create_many(&mut conn, &pending).await.map_err(BatchFailure::RolledBack)?;
        conn.commit().await.map_err(|e| BatchFailure::Commit(e.into()))?;
        Ok(answers)
    }
    .await;
    match together {
        Ok(answers) => {
            for (reply, answer) in replies.into_iter().zip(answers) {
                let _ = reply.send(answer);
            }
        }
        Err(BatchFailure::Commit(e)) => {
            tracing::error!(error = %e, pushes = replies.len(), "a stock-in batch failed to commit");
            for reply in replies {
                let _ = reply.send(Err(StoreError::Database(e.to_string())));
            }
        }
        Err(BatchFailure::RolledBack(e)) => {
            counters.group_fallbacks.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(error = %e, pushes = replies.len(), "a stock-in batch rolled back; one at a time");
            for (p, reply) in pending.into_iter().zip(replies) {
                let _ = reply.send(in_transaction(&pool, retries, &stockin_alone(p)).await);
            }
        }
    }
}
