//! Replays inside the timestamp window: a signed write call seen again while its timestamp is
//! still accepted is the same call. It is answered with the first call's saved answer and writes
//! nothing; a copy arriving while the first still runs waits for that answer (up to
//! [`WAIT_FOR_FIRST`]) and never runs the call itself.
//!
//! The registry lives in the database ([`Store::claim_call`](wdt_store::Store::claim_call)), so
//! every server over one PostgreSQL shares it. A call is identified by seller, dialect, key and
//! the SHA-256 of its canonical signed content: the decoded parameters sorted by name (the qjb
//! query string, or every openapi2 query and form field) and, in qjb, the body; in openapi2 also
//! the endpoint, which the signature does not cover. The `sign` itself is left out: for one key it
//! is a function of the rest, and its spelling (hex case, openapi2's byte-length variant) must not
//! make a copy look new. Only authenticated calls reach the registry.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use wdt_protocol::{ApiError, Dialect};
use wdt_store::{AppCredential, CallClaim, CallKey};

use crate::AppState;
use crate::auth::Params;

/// Seconds an entry outlives the end of its request's timestamp window.
pub(crate) const MARGIN_SECS: i64 = 60;

/// How long a copy waits for the first call's answer before it is refused as in progress.
pub(crate) const WAIT_FOR_FIRST: Duration = Duration::from_secs(3);

/// The refusal of a copy whose first call is still running after [`WAIT_FOR_FIRST`].
pub(crate) fn in_progress() -> ApiError {
    ApiError::business("相同的请求正在处理中, 请稍后重发同一请求取回结果")
}

/// A call's outcome: run here, or the saved answer of the same call.
pub(crate) enum Done<T> {
    /// This server ran the call (or refused it before it ran).
    Ran(Result<T, ApiError>),
    /// The saved answer of an earlier copy, as it was sent.
    Replayed(Vec<u8>),
}

/// Whether an answer is the call's own and worth saving: successes and business refusals. A
/// limit refusal or a database fault is not: the same request sent again may still run.
fn saved<T>(result: &Result<T, ApiError>) -> bool {
    !matches!(result, Err(ApiError::Internal | ApiError::RateLimited | ApiError::ConcurrencyLimited))
}

fn push_field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// The canonical digest of signed parameters (without `sign`) and `extra` (the qjb body, or the
/// openapi2 endpoint).
fn digest(dialect: Dialect, params: &Params, extra: &str) -> [u8; 32] {
    let mut pairs: Vec<(&str, &str)> = params.pairs().filter(|(k, _)| *k != "sign").collect();
    pairs.sort_unstable();
    let mut h = Sha256::new();
    push_field(&mut h, dialect.as_str().as_bytes());
    for (k, v) in pairs {
        push_field(&mut h, k.as_bytes());
        push_field(&mut h, v.as_bytes());
    }
    push_field(&mut h, extra.as_bytes());
    h.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The registry entry of an authenticated call and when it expires (ms), from its parameters.
pub(crate) fn key_of(app: &AppCredential, params: &Params, extra: &str, window_secs: i64) -> Option<(CallKey, i64)> {
    let ts: i64 = params.get("timestamp")?.parse().ok()?;
    // qjb counts its timestamps from 2012-01-01, openapi2 from 1970.
    let ts = match app.dialect {
        Dialect::Qjb => wdt_protocol::qjb::unix_from_timestamp(ts)?,
        Dialect::Openapi2 => ts,
    };
    let expires = ts.saturating_add(window_secs).saturating_add(MARGIN_SECS).saturating_mul(1000);
    let key = CallKey {
        sid: app.sid.clone(),
        dialect: app.dialect,
        key: app.key.clone(),
        digest: hex(&digest(app.dialect, params, extra)),
    };
    Some((key, expires))
}

fn internal(e: wdt_store::StoreError) -> ApiError {
    tracing::error!(error = %e, "call registry failed");
    ApiError::Internal
}

/// The registry of a server that is the only one over its database (SQLite): the same entries
/// as the database's, in memory, keyed by digest alone (seller, key and dialect are in it).
#[derive(Default)]
pub(crate) struct LocalRegistry {
    entries: Mutex<HashMap<String, LocalEntry>>,
    last_prune: AtomicI64,
}

struct LocalEntry {
    expires: i64,
    answer: Option<Box<str>>,
}

impl LocalRegistry {
    fn claim(&self, key: &CallKey, expires: i64, now: i64) -> CallClaim {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let last = self.last_prune.load(Ordering::Relaxed);
        if now - last >= PRUNE_EVERY_MS || now < last {
            entries.retain(|_, e| e.expires >= now);
            self.last_prune.store(now, Ordering::Relaxed);
        }
        match entries.get(&key.digest) {
            Some(e) if e.expires >= now => Self::state(e),
            _ => {
                entries.insert(key.digest.clone(), LocalEntry { expires, answer: None });
                CallClaim::Claimed
            }
        }
    }

    fn peek(&self, key: &CallKey, now: i64) -> CallClaim {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(&key.digest) {
            Some(e) if e.expires >= now => Self::state(e),
            _ => CallClaim::Claimed,
        }
    }

    fn finish(&self, key: &CallKey, answer: Option<&str>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match answer {
            Some(answer) => {
                if let Some(e) = entries.get_mut(&key.digest) {
                    e.answer = Some(answer.into());
                }
            }
            None => {
                entries.remove(&key.digest);
            }
        }
    }

    /// Forgets every entry.
    pub(crate) fn clear(&self) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    fn state(e: &LocalEntry) -> CallClaim {
        match &e.answer {
            Some(answer) => CallClaim::Answered(answer.to_string()),
            None => CallClaim::InFlight,
        }
    }
}

/// How often the in-memory registry drops expired entries, at most (ms).
const PRUNE_EVERY_MS: i64 = 10_000;

async fn claim(state: &AppState, key: &CallKey, expires: i64) -> wdt_store::StoreResult<CallClaim> {
    match &state.local_calls {
        Some(local) => Ok(local.claim(key, expires, state.store.clock().now_ms())),
        None => state.store.claim_call(key, expires).await,
    }
}

async fn peek(state: &AppState, key: &CallKey) -> wdt_store::StoreResult<CallClaim> {
    match &state.local_calls {
        Some(local) => Ok(local.peek(key, state.store.clock().now_ms())),
        None => state.store.peek_call(key).await,
    }
}

async fn finish(state: &AppState, key: &CallKey, answer: Option<&str>) -> wdt_store::StoreResult<()> {
    match &state.local_calls {
        Some(local) => {
            local.finish(key, answer);
            Ok(())
        }
        None => state.store.finish_call(key, answer).await,
    }
}

/// Runs `run` once per signed call `key` (when given), under the key's limits: an earlier copy's
/// saved answer is returned instead, `render` makes the answer to save. The call runs in a task
/// of its own, so a client that hangs up does not leave its claim without an answer.
pub(crate) async fn once<T, F>(
    state: &AppState,
    app: &AppCredential,
    key: Option<(CallKey, i64)>,
    render: fn(&Result<T, ApiError>) -> Vec<u8>,
    run: F,
) -> Done<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, ApiError>> + Send + 'static,
{
    let Some((key, expires)) = key else {
        return Done::Ran(admitted(state, app, run).await);
    };
    let started = tokio::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match claim(state, &key, expires).await {
            Err(e) => return Done::Ran(Err(internal(e))),
            Ok(CallClaim::Answered(answer)) => return Done::Replayed(answer.into_bytes()),
            Ok(CallClaim::Claimed) => break,
            Ok(CallClaim::InFlight) => loop {
                if started.elapsed() >= WAIT_FOR_FIRST {
                    return Done::Ran(Err(in_progress()));
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(100));
                match peek(state, &key).await {
                    Err(e) => return Done::Ran(Err(internal(e))),
                    Ok(CallClaim::Answered(answer)) => return Done::Replayed(answer.into_bytes()),
                    Ok(CallClaim::InFlight) => {}
                    // The first copy gave its claim up (refused by a limit, a fault): claim again.
                    Ok(CallClaim::Claimed) => break,
                }
            },
        }
    }
    let task_state = state.clone();
    let task_app = app.clone();
    let task = tokio::spawn(async move {
        let result = admitted(&task_state, &task_app, run).await;
        let answer = saved(&result).then(|| render(&result));
        let answer = answer.as_deref().map(String::from_utf8_lossy);
        if let Err(e) = finish(&task_state, &key, answer.as_deref()).await {
            tracing::error!(error = %e, "saving a call's answer failed");
        }
        result
    });
    match task.await {
        Ok(result) => Done::Ran(result),
        Err(e) => {
            tracing::error!(error = %e, "a call's task failed");
            Done::Ran(Err(ApiError::Internal))
        }
    }
}

/// Runs `run` under the key's limits.
async fn admitted<T>(
    state: &AppState,
    app: &AppCredential,
    run: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let permit = state.admit(app).await?;
    let result = run.await;
    state.release(permit).await;
    result
}

/// The `status` (qjb) or `code` (openapi2) of a saved answer, for logs and metrics.
pub(crate) fn status_of(answer: &[u8], field: &str) -> i64 {
    let value: serde_json::Value = serde_json::from_slice(answer).unwrap_or_default();
    match &value[field] {
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(0),
        serde_json::Value::String(s) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn the_digest_ignores_order_and_sign_but_not_content() {
        let a = hex(&digest(Dialect::Qjb, &params(&[("sid", "s"), ("timestamp", "1"), ("sign", "AB")]), "[1]"));
        let b = hex(&digest(Dialect::Qjb, &params(&[("sign", "ab"), ("timestamp", "1"), ("sid", "s")]), "[1]"));
        assert_eq!(a, b);
        let a = digest(Dialect::Qjb, &params(&[("sid", "s"), ("timestamp", "1")]), "[1]");
        assert_ne!(a, digest(Dialect::Qjb, &params(&[("sid", "s"), ("timestamp", "2")]), "[1]"));
        assert_ne!(a, digest(Dialect::Qjb, &params(&[("sid", "s"), ("timestamp", "1")]), "[2]"));
        assert_ne!(a, digest(Dialect::Openapi2, &params(&[("sid", "s"), ("timestamp", "1")]), "[1]"));
        // Field boundaries count: "ab"+"c" is not "a"+"bc".
        assert_ne!(
            digest(Dialect::Qjb, &params(&[("ab", "c")]), ""),
            digest(Dialect::Qjb, &params(&[("a", "bc")]), "")
        );
    }

    #[test]
    fn limit_refusals_and_faults_are_not_saved() {
        assert!(saved::<()>(&Ok(())));
        assert!(saved::<()>(&Err(ApiError::business("x"))));
        for e in [ApiError::Internal, ApiError::RateLimited, ApiError::ConcurrencyLimited] {
            assert!(!saved::<()>(&Err(e)));
        }
    }

    #[test]
    fn saved_statuses_read_back() {
        assert_eq!(status_of(br#"{"status":100,"message":"x"}"#, "status"), 100);
        assert_eq!(status_of(br#"{"code":"40","message":"x"}"#, "code"), 40);
        assert_eq!(status_of(br#"{"status":0,"data":{}}"#, "status"), 0);
    }
}
