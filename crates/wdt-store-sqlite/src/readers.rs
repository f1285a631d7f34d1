//! Read-only rusqlite connections: every read of the SQLite store runs on one of them, on
//! tokio's blocking threads, rows straight from SQLite.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wdt_store::{StoreError, StoreResult};
use wdt_store_sql::Body;

use crate::conn::DirectConn;
use crate::writer::run_to_completion;

/// Read-only connections, opened on first use and kept while idle (a few).
pub(crate) struct DirectReaders {
    path: String,
    busy_timeout: Duration,
    idle: Arc<Mutex<Vec<DirectConn>>>,
    open: Arc<AtomicUsize>,
    kept: usize,
}

impl DirectReaders {
    /// Readers of the database at `path`; at most `kept` stay open while idle.
    pub(crate) fn new(path: &str, busy_timeout: Duration, kept: usize) -> DirectReaders {
        DirectReaders { path: path.to_owned(), busy_timeout, idle: Arc::default(), open: Arc::default(), kept }
    }

    fn open(path: &str, busy_timeout: Duration) -> StoreResult<DirectConn> {
        use rusqlite::OpenFlags;
        let err = |e: rusqlite::Error| StoreError::Database(format!("opening a SQLite reader: {e}"));
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(err)?;
        conn.busy_timeout(busy_timeout).map_err(err)?;
        // A page of 100 orders touches a few hundred pages across the order, detail, link and
        // master tables; keep them in the connection rather than re-reading them from the OS.
        conn.execute_batch("PRAGMA cache_size = -16384;").map_err(err)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(DirectConn::new(conn))
    }

    /// Runs `body` on a reader, off the async threads.
    pub(crate) async fn read<T: Send + 'static>(&self, body: Body<DirectConn, T>) -> StoreResult<T> {
        let (idle, open, path, busy, kept) =
            (self.idle.clone(), self.open.clone(), self.path.clone(), self.busy_timeout, self.kept);
        tokio::task::spawn_blocking(move || {
            let taken = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut conn = match taken {
                Some(c) => c,
                None => {
                    let c = Self::open(&path, busy)?;
                    open.fetch_add(1, Ordering::Relaxed);
                    c
                }
            };
            let result = run_to_completion(body(&mut conn));
            let mut idle = idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < kept {
                idle.push(conn);
            } else {
                open.fetch_sub(1, Ordering::Relaxed);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Database(format!("a read failed unexpectedly: {e}")))?
    }

    /// Readers open, and of them idle.
    pub(crate) fn counts(&self) -> (u32, usize) {
        let open = u32::try_from(self.open.load(Ordering::Relaxed)).unwrap_or(u32::MAX);
        (open, self.idle.lock().unwrap_or_else(|p| p.into_inner()).len())
    }

    /// Closes the idle readers.
    pub(crate) fn close(&self) {
        let closed = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|p| p.into_inner()));
        self.open.fetch_sub(closed.len(), Ordering::Relaxed);
    }
}
