//! Calls shared by every server over one database (migration 0007): the replay registry and the
//! per-key limits.
//!
//! - A claim is one `INSERT … ON CONFLICT DO UPDATE … WHERE expires < now`: it inserts the call,
//!   or takes over an expired entry, or changes nothing when a live entry holds it — then the
//!   entry's answer (or its absence: still in flight) is read in the same transaction.
//! - Admitting a call upserts its key's row of `call_minutes` first (on PostgreSQL that locks the
//!   row until commit, so admissions of one key are serialised across servers), then counts the
//!   key's unexpired `call_leases`; a refusal rolls the transaction back, so it does not count.
//! - Expired registry entries and leases are deleted at most once every [`PRUNE_EVERY_MS`].

use std::sync::atomic::{AtomicI64, Ordering};

use wdt_protocol::ApiError;
use wdt_store::{CallClaim, CallKey, CallLease, CallLimits, StoreError, StoreResult};

use crate::db::{Executor, query};

/// How often expired entries are pruned, at most (store clock, ms).
pub const PRUNE_EVERY_MS: i64 = 10_000;

static LAST_PRUNE: AtomicI64 = AtomicI64::new(i64::MIN);

/// Whether pruning is due at `now` (and, if so, marks it done).
pub(crate) fn prune_due(now: i64) -> bool {
    let last = LAST_PRUNE.load(Ordering::Relaxed);
    (last == i64::MIN || now - last >= PRUNE_EVERY_MS || now < last)
        && LAST_PRUNE.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
}

/// Deletes registry entries and leases expired at `now`.
pub(crate) async fn prune<E: Executor>(conn: &mut E, now: i64) -> StoreResult<()> {
    query("DELETE FROM call_registry WHERE expires < ?").bind(now).execute(conn).await?;
    query("DELETE FROM call_leases WHERE expires < ?").bind(now).execute(conn).await?;
    Ok(())
}

/// Forgets every registry entry, minute count and lease (test mode's reset and restore).
pub(crate) async fn forget<E: Executor>(conn: &mut E) -> StoreResult<()> {
    for table in ["call_registry", "call_minutes", "call_leases"] {
        query(format!("DELETE FROM {table}")).execute(conn).await?;
    }
    Ok(())
}

/// Claims `call` until `expires` unless a live entry (unexpired at `now`) holds it.
pub(crate) async fn claim<E: Executor>(conn: &mut E, call: &CallKey, expires: i64, now: i64) -> StoreResult<CallClaim> {
    let claimed = query(
        "INSERT INTO call_registry (sid, dialect, app_key, digest, answer, expires) VALUES (?, ?, ?, ?, NULL, ?) \
         ON CONFLICT (sid, dialect, app_key, digest) DO UPDATE SET answer = NULL, expires = excluded.expires \
         WHERE call_registry.expires < ?",
    )
    .bind(&call.sid)
    .bind(call.dialect.as_str())
    .bind(&call.key)
    .bind(&call.digest)
    .bind(expires)
    .bind(now)
    .execute(conn)
    .await?;
    if claimed > 0 {
        return Ok(CallClaim::Claimed);
    }
    peek(conn, call, now).await
}

/// What a live entry says of `call` at `now` ([`CallClaim::Claimed`]: none).
pub(crate) async fn peek<E: Executor>(conn: &mut E, call: &CallKey, now: i64) -> StoreResult<CallClaim> {
    let row = query(
        "SELECT answer FROM call_registry WHERE sid = ? AND dialect = ? AND app_key = ? AND digest = ? \
         AND expires >= ?",
    )
    .bind(&call.sid)
    .bind(call.dialect.as_str())
    .bind(&call.key)
    .bind(&call.digest)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        None => CallClaim::Claimed,
        Some(row) => match row.get::<Option<String>, _>("answer") {
            Some(answer) => CallClaim::Answered(answer),
            None => CallClaim::InFlight,
        },
    })
}

/// Saves the answer of a claimed call, or (`None`) removes its claim.
pub(crate) async fn finish<E: Executor>(conn: &mut E, call: &CallKey, answer: Option<&str>) -> StoreResult<()> {
    const WHERE: &str = "WHERE sid = ? AND dialect = ? AND app_key = ? AND digest = ? AND answer IS NULL";
    let q = match answer {
        Some(answer) => query(format!("UPDATE call_registry SET answer = ? {WHERE}")).bind(answer),
        None => query(format!("DELETE FROM call_registry {WHERE}")),
    };
    q.bind(&call.sid).bind(call.dialect.as_str()).bind(&call.key).bind(&call.digest).execute(conn).await?;
    Ok(())
}

/// Admits a call of (`sid`, `key`) at `now` under `limits`; a refusal is an `Err` (and rolls the
/// transaction back).
pub(crate) async fn admit<E: Executor>(
    conn: &mut E,
    sid: &str,
    key: &str,
    limits: &CallLimits,
    now: i64,
) -> StoreResult<CallLease> {
    let minute = now.div_euclid(60_000);
    let calls: i64 = query(
        "INSERT INTO call_minutes (sid, app_key, minute, calls) VALUES (?, ?, ?, 1) \
         ON CONFLICT (sid, app_key) DO UPDATE SET \
         calls = CASE WHEN call_minutes.minute = excluded.minute THEN call_minutes.calls + 1 ELSE 1 END, \
         minute = excluded.minute RETURNING calls",
    )
    .bind(sid)
    .bind(key)
    .bind(minute)
    .scalar(conn)
    .await?;
    if limits.concurrent > 0 {
        let in_flight: i64 =
            query("SELECT count(*) AS n FROM call_leases WHERE sid = ? AND app_key = ? AND expires >= ?")
                .bind(sid)
                .bind(key)
                .bind(now)
                .scalar(conn)
                .await?;
        if in_flight >= i64::from(limits.concurrent) {
            return Err(StoreError::Api(ApiError::ConcurrencyLimited));
        }
    }
    if limits.per_minute > 0 && calls > i64::from(limits.per_minute) {
        return Err(StoreError::Api(ApiError::RateLimited));
    }
    if limits.concurrent == 0 {
        return Ok(CallLease(0));
    }
    let id: i64 = query("INSERT INTO call_leases (sid, app_key, expires) VALUES (?, ?, ?) RETURNING id")
        .bind(sid)
        .bind(key)
        .bind(now.saturating_add(limits.lease_ms))
        .scalar(conn)
        .await?;
    Ok(CallLease(id))
}

/// Gives back an in-flight permit.
pub(crate) async fn release<E: Executor>(conn: &mut E, lease: CallLease) -> StoreResult<()> {
    query("DELETE FROM call_leases WHERE id = ?").bind(lease.0).execute(conn).await?;
    Ok(())
}
