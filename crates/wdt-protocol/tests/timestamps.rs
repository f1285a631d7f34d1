//! The timestamp window of both dialects against hostile client numbers: the distance between
//! the caller's timestamp and the clock is computed without overflow, so `i64::MIN + now` (which
//! used to wrap `now - ts` to `i64::MIN`, whose `abs()` stays negative) and every other extreme
//! is refused, while the window's inclusive edges still pass.

use wdt_protocol::{openapi2, qjb};

/// 2024-08-30 17:38:35 +08:00 (seed 004's `created_time`), in unix seconds.
const NOW_UNIX: i64 = 1_725_010_715;

/// `(name, client timestamp, accepted)` around `now` for a window of `window` seconds.
fn table(now: i64, window: i64) -> Vec<(&'static str, i64, bool)> {
    vec![
        ("now", now, true),
        ("now - window", now - window, true),
        ("now + window", now + window, true),
        ("now - window - 1", now - window - 1, false),
        ("now + window + 1", now + window + 1, false),
        ("zero", 0, false),
        ("minus one", -1, false),
        ("i64::MIN", i64::MIN, false),
        ("i64::MIN + now", i64::MIN + now, false),
        ("i64::MIN + now - 1", i64::MIN + now - 1, false),
        ("i64::MIN + now + 1", i64::MIN + now + 1, false),
        ("i64::MIN + now + window", i64::MIN + now + window, false),
        ("i64::MIN + 1", i64::MIN + 1, false),
        ("i64::MAX", i64::MAX, false),
        ("i64::MAX - window", i64::MAX - window, false),
        ("i64::MAX + now (wrapped)", i64::MAX.wrapping_add(now), false),
        ("now in milliseconds", now * 1000, false),
    ]
}

#[test]
fn qjb_window_refuses_every_overflowing_timestamp() {
    let now = NOW_UNIX - qjb::TIMESTAMP_EPOCH;
    for (name, ts, accepted) in table(now, qjb::TIMESTAMP_WINDOW_SECS) {
        assert_eq!(qjb::timestamp_in_window(ts, NOW_UNIX), accepted, "qjb {name}: {ts}");
    }
    // A unix timestamp where a 2012-epoch one belongs is outside the window.
    assert!(!qjb::timestamp_in_window(NOW_UNIX, NOW_UNIX));
}

#[test]
fn openapi2_window_refuses_every_overflowing_timestamp() {
    for (name, ts, accepted) in table(NOW_UNIX, openapi2::TIMESTAMP_WINDOW_SECS) {
        assert_eq!(openapi2::timestamp_in_window(ts, NOW_UNIX), accepted, "openapi2 {name}: {ts}");
    }
}

#[test]
fn configured_windows_are_checked_without_overflow() {
    let now = NOW_UNIX - qjb::TIMESTAMP_EPOCH;
    // A server may configure its own window (`ServerConfig::*_timestamp_window`).
    for window in [0, 1, 120, 300, 86_400] {
        for (name, ts, accepted) in table(now, window) {
            assert_eq!(qjb::timestamp_within(ts, NOW_UNIX, window), accepted, "qjb ±{window} {name}: {ts}");
        }
        for (name, ts, accepted) in table(NOW_UNIX, window) {
            assert_eq!(openapi2::timestamp_within(ts, NOW_UNIX, window), accepted, "openapi2 ±{window} {name}: {ts}");
        }
    }
    // A negative window holds nothing; the widest window still measures the true distance.
    for ts in [now, i64::MIN, i64::MAX] {
        assert!(!qjb::timestamp_within(ts, NOW_UNIX, -1), "qjb negative window: {ts}");
        assert!(!qjb::timestamp_within(ts, NOW_UNIX, i64::MIN), "qjb i64::MIN window: {ts}");
        assert!(!openapi2::timestamp_within(ts, NOW_UNIX, -1), "openapi2 negative window: {ts}");
    }
    assert!(qjb::timestamp_within(i64::MIN + now + 1, NOW_UNIX, i64::MAX), "the distance is exactly i64::MAX");
    assert!(!qjb::timestamp_within(i64::MIN + now, NOW_UNIX, i64::MAX), "the distance is i64::MAX + 1");
    assert!(!openapi2::timestamp_within(i64::MIN, 0, i64::MAX), "|0 - i64::MIN| is past i64::MAX");
    // An absurd server clock refuses rather than wraps.
    assert!(!qjb::timestamp_within(i64::MAX, i64::MIN, qjb::TIMESTAMP_WINDOW_SECS));
    assert!(!qjb::timestamp_within(i64::MIN, i64::MIN, qjb::TIMESTAMP_WINDOW_SECS));
    assert!(openapi2::timestamp_within(i64::MIN, i64::MIN, 0));
    assert!(!openapi2::timestamp_within(i64::MAX, i64::MIN, openapi2::TIMESTAMP_WINDOW_SECS));
}

#[test]
fn qjb_and_unix_conversions_are_checked() {
    let now = NOW_UNIX - qjb::TIMESTAMP_EPOCH;
    assert_eq!(qjb::timestamp_from_unix(NOW_UNIX), now);
    assert_eq!(qjb::checked_timestamp_from_unix(NOW_UNIX), Some(now));
    assert_eq!(qjb::unix_from_timestamp(now), Some(NOW_UNIX));
    assert_eq!(qjb::unix_from_timestamp(0), Some(qjb::TIMESTAMP_EPOCH), "2012-01-01 00:00:00 +08:00");
    // Extremes: the checked forms refuse, the plain form saturates (and no window holds i64::MIN).
    assert_eq!(qjb::checked_timestamp_from_unix(i64::MIN), None);
    assert_eq!(qjb::checked_timestamp_from_unix(i64::MIN + qjb::TIMESTAMP_EPOCH - 1), None);
    assert_eq!(qjb::checked_timestamp_from_unix(i64::MIN + qjb::TIMESTAMP_EPOCH), Some(i64::MIN));
    assert_eq!(qjb::checked_timestamp_from_unix(i64::MAX), Some(i64::MAX - qjb::TIMESTAMP_EPOCH));
    assert_eq!(qjb::timestamp_from_unix(i64::MIN), i64::MIN);
    assert_eq!(qjb::unix_from_timestamp(i64::MAX), None);
    assert_eq!(qjb::unix_from_timestamp(i64::MAX - qjb::TIMESTAMP_EPOCH + 1), None);
    assert_eq!(qjb::unix_from_timestamp(i64::MAX - qjb::TIMESTAMP_EPOCH), Some(i64::MAX));
    assert_eq!(qjb::unix_from_timestamp(i64::MIN), Some(i64::MIN + qjb::TIMESTAMP_EPOCH));
}
