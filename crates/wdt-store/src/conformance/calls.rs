//! The calls servers share through the store: the replay registry and the per-key limits.

use std::sync::Arc;

use wdt_protocol::{ApiError, Dialect};

use crate::{CallClaim, CallKey, CallLimits, Store, StoreError};

fn key(digest: &str) -> CallKey {
    CallKey { sid: "demo".into(), dialect: Dialect::Qjb, key: "demo-qjb".into(), digest: digest.into() }
}

/// A call is claimed once; while it runs a copy finds it in flight, afterwards its saved answer;
/// a given-up claim and an expired entry may be claimed again.
pub async fn a_call_is_claimed_once_and_answered_with_its_saved_answer(store: Arc<dyn Store>) {
    let now = store.clock().now_ms();
    let later = now + 180_000;
    let a = key("aa");
    assert_eq!(store.claim_call(&a, later).await.unwrap(), CallClaim::Claimed);
    assert_eq!(store.claim_call(&a, later).await.unwrap(), CallClaim::InFlight);
    assert_eq!(store.peek_call(&a).await.unwrap(), CallClaim::InFlight);
    store.finish_call(&a, Some(r#"{"status":0}"#)).await.unwrap();
    assert_eq!(store.claim_call(&a, later).await.unwrap(), CallClaim::Answered(r#"{"status":0}"#.into()));
    // Another key or dialect is another call.
    let other = CallKey { key: "demo-qjb-wh2".into(), ..a.clone() };
    assert_eq!(store.claim_call(&other, later).await.unwrap(), CallClaim::Claimed);
    let ent = CallKey { dialect: Dialect::Openapi2, ..a.clone() };
    assert_eq!(store.claim_call(&ent, later).await.unwrap(), CallClaim::Claimed);
    // Given up (a refusal by limit): the same call may run again.
    store.finish_call(&other, None).await.unwrap();
    assert_eq!(store.peek_call(&other).await.unwrap(), CallClaim::Claimed, "no live entry");
    assert_eq!(store.claim_call(&other, later).await.unwrap(), CallClaim::Claimed);
    // Expired: taken over.
    let b = key("bb");
    assert_eq!(store.claim_call(&b, now - 1).await.unwrap(), CallClaim::Claimed);
    assert_eq!(store.claim_call(&b, later).await.unwrap(), CallClaim::Claimed);
    assert_eq!(store.claim_call(&b, later).await.unwrap(), CallClaim::InFlight);
}

/// Calls per minute count per key and reset each minute; refused calls do not count; calls in
/// flight hold a lease until released or expired.
pub async fn limits_count_calls_per_minute_and_in_flight(store: Arc<dyn Store>) {
    let clock = store.clock();
    clock.freeze_at(clock.now_ms().div_euclid(60_000) * 60_000 + 1_000);
    let per_minute = CallLimits { per_minute: 2, concurrent: 0, lease_ms: 60_000 };
    for _ in 0..2 {
        store.admit_call("demo", "k", &per_minute).await.unwrap();
    }
    let refused = store.admit_call("demo", "k", &per_minute).await;
    assert!(matches!(refused, Err(StoreError::Api(ApiError::RateLimited))), "{refused:?}");
    store.admit_call("demo", "k2", &per_minute).await.expect("another key, its own budget");
    clock.advance(60_000);
    store.admit_call("demo", "k", &per_minute).await.expect("a new minute");

    let one = CallLimits { per_minute: 0, concurrent: 1, lease_ms: 60_000 };
    let lease = store.admit_call("demo", "c", &one).await.unwrap();
    let refused = store.admit_call("demo", "c", &one).await;
    assert!(matches!(refused, Err(StoreError::Api(ApiError::ConcurrencyLimited))), "{refused:?}");
    store.release_call(lease).await.unwrap();
    let held = store.admit_call("demo", "c", &one).await.expect("released");
    // A server that never releases: its lease runs out.
    clock.advance(60_001);
    store.admit_call("demo", "c", &one).await.expect("the lease expired");
    let _ = held;
    clock.release();
}
