//! Console sessions (migration 0006), shared by every server over one database.
//!
//! A row per live login, keyed by a digest of the session id (the server computes it; the id
//! itself is only in the browser's cookie). Times are real time, not the store's clock, which a
//! test may stop or move. Expired rows are deleted whenever a session starts.

use wdt_store::StoreResult;

use crate::db::{Executor, query};

/// Records session `digest`, live from `created` until `expires` (epoch ms), and deletes the
/// sessions expired by `created`.
pub(crate) async fn start<E: Executor>(conn: &mut E, digest: &str, created: i64, expires: i64) -> StoreResult<()> {
    query("DELETE FROM console_sessions WHERE expires <= ?").bind(created).execute(conn).await?;
    query("INSERT INTO console_sessions (digest, created, expires) VALUES (?, ?, ?)")
        .bind(digest)
        .bind(created)
        .bind(expires)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether session `digest` is live at `now` (epoch ms).
pub(crate) async fn live<E: Executor>(conn: &mut E, digest: &str, now: i64) -> StoreResult<bool> {
    let row = query("SELECT expires FROM console_sessions WHERE digest = ? AND expires > ?")
        .bind(digest)
        .bind(now)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Ends session `digest`; ending one that is not there is not an error.
pub(crate) async fn end<E: Executor>(conn: &mut E, digest: &str) -> StoreResult<()> {
    query("DELETE FROM console_sessions WHERE digest = ?").bind(digest).execute(conn).await?;
    Ok(())
}
