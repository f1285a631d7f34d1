//! Per-key rate limits (calls per minute, calls in flight) and a bound on all calls in flight,
//! answered with the vendor's own messages so SDKs retry them.
//!
//! Over PostgreSQL the per-key limits are held in the database
//! ([`Store::admit_call`](wdt_store::Store::admit_call)), so several servers share one budget per
//! key; a server that is the only one over its database (SQLite) holds them in [`Limiter`]. The
//! bound on all calls in flight is always this process's own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wdt_protocol::ApiError;

/// How long an in-flight permit is held at most (ms): a server that dies mid-call gives its
/// permits back after this.
pub(crate) const LEASE_MS: i64 = 60_000;

/// Limit settings; 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Calls per key per clock minute.
    pub per_minute: u32,
    /// Calls per key in flight at once.
    pub concurrent: u32,
    /// Calls in flight at once, all keys together.
    pub max_in_flight: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits { per_minute: 3000, concurrent: 32, max_in_flight: 512 }
    }
}

impl RateLimits {
    /// No limits (the demo).
    pub fn off() -> Self {
        RateLimits { per_minute: 0, concurrent: 0, max_in_flight: 0 }
    }
}

#[derive(Default)]
struct KeyUse {
    minute: i64,
    calls: u32,
    in_flight: u32,
}

/// The shared limiter of one server.
pub(crate) struct Limiter {
    limits: RateLimits,
    keys: Mutex<HashMap<(String, String), KeyUse>>,
    all: Option<Arc<Semaphore>>,
}

/// Held while a call runs; releases its share of the limits when dropped.
pub(crate) struct Permit {
    limiter: Arc<Limiter>,
    key: Option<(String, String)>,
    _all: Option<OwnedSemaphorePermit>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(key) = self.key.take()
            && let Ok(mut keys) = self.limiter.keys.lock()
            && let Some(u) = keys.get_mut(&key)
        {
            u.in_flight = u.in_flight.saturating_sub(1);
        }
    }
}

impl Limiter {
    pub(crate) fn new(limits: RateLimits) -> Arc<Limiter> {
        let all = (limits.max_in_flight > 0).then(|| Arc::new(Semaphore::new(limits.max_in_flight as usize)));
        Arc::new(Limiter { limits, keys: Mutex::new(HashMap::new()), all })
    }

    /// Admits a call of `key` of seller `sid` at `now_secs`, or refuses it with the vendor's
    /// message. Refused calls do not count.
    pub(crate) fn admit(self: &Arc<Self>, sid: &str, key: &str, now_secs: i64) -> Result<Permit, ApiError> {
        let all = match &self.all {
            Some(s) => Some(Arc::clone(s).try_acquire_owned().map_err(|_| ApiError::ConcurrencyLimited)?),
            None => None,
        };
        let (per_minute, concurrent) = (self.limits.per_minute, self.limits.concurrent);
        if per_minute == 0 && concurrent == 0 {
            return Ok(Permit { limiter: Arc::clone(self), key: None, _all: all });
        }
        let id = (sid.to_owned(), key.to_owned());
        let mut keys = self.keys.lock().map_err(|_| ApiError::Internal)?;
        let u = keys.entry(id.clone()).or_default();
        let minute = now_secs.div_euclid(60);
        if u.minute != minute {
            u.minute = minute;
            u.calls = 0;
        }
        if concurrent > 0 && u.in_flight >= concurrent {
            return Err(ApiError::ConcurrencyLimited);
        }
        if per_minute > 0 && u.calls >= per_minute {
            return Err(ApiError::RateLimited);
        }
        u.calls += 1;
        u.in_flight += 1;
        Ok(Permit { limiter: Arc::clone(self), key: Some(id), _all: all })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_minute_limit_resets_each_minute_and_counts_per_key() {
        let l = Limiter::new(RateLimits { per_minute: 2, concurrent: 0, max_in_flight: 0 });
        let t = 600;
        drop(l.admit("s", "k", t).unwrap());
        drop(l.admit("s", "k", t + 1).unwrap());
        assert_eq!(l.admit("s", "k", t + 2).err(), Some(ApiError::RateLimited));
        assert!(l.admit("s", "other", t + 2).is_ok(), "another key has its own budget");
        assert!(l.admit("s", "k", t + 60).is_ok(), "a new minute");
    }

    #[test]
    fn concurrency_limit_counts_calls_in_flight() {
        let l = Limiter::new(RateLimits { per_minute: 0, concurrent: 2, max_in_flight: 0 });
        let a = l.admit("s", "k", 0).unwrap();
        let _b = l.admit("s", "k", 0).unwrap();
        assert_eq!(l.admit("s", "k", 0).err(), Some(ApiError::ConcurrencyLimited));
        drop(a);
        assert!(l.admit("s", "k", 0).is_ok());
    }

    #[test]
    fn the_global_bound_applies_to_all_keys() {
        let l = Limiter::new(RateLimits { per_minute: 0, concurrent: 0, max_in_flight: 1 });
        let a = l.admit("s", "k1", 0).unwrap();
        assert_eq!(l.admit("s", "k2", 0).err(), Some(ApiError::ConcurrencyLimited));
        drop(a);
        assert!(l.admit("s", "k2", 0).is_ok());
    }
}
