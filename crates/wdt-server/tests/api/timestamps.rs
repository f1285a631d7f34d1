//! The timestamp window over HTTP with hostile numbers: extremes that used to overflow the
//! window arithmetic (`i64::MIN + now` wrapped `now - ts` to `i64::MIN`, whose `abs()` is
//! negative, so it passed in release builds and panicked the handler in debug builds) are
//! refused with the dialect's timestamp error, and timestamps near the edges still pass.

use serde_json::json;
use wdt_protocol::openapi2;
use wdt_protocol::time::now_secs;

use crate::helpers::*;

/// Checked after the timestamp and the signature: reaching it means the timestamp passed.
const QJB_UNKNOWN_METHOD: &str = "wms.stockin.Refund.deleteEverything";
const ENT_UNKNOWN_ENDPOINT: &str = "refund_delete.php";

/// `(name, client timestamp, accepted)` around `now`; the accepted edges keep a second's margin
/// for the clock ticking between the test and the server.
fn table(now: i64, window: i64) -> Vec<(&'static str, i64, bool)> {
    vec![
        ("now", now, true),
        ("just inside the past edge", now - window + 1, true),
        ("just inside the future edge", now + window - 1, true),
        ("past the past edge", now - window - 2, false),
        ("past the future edge", now + window + 2, false),
        ("i64::MIN", i64::MIN, false),
        ("i64::MIN + now", i64::MIN + now, false),
        ("i64::MIN + now + window", i64::MIN + now + window, false),
        ("i64::MAX", i64::MAX, false),
        ("i64::MAX - window", i64::MAX - window, false),
    ]
}

#[tokio::test]
async fn qjb_overflowing_timestamps_are_refused_with_status_7() {
    let app = spawn_app().await;
    for (name, ts, accepted) in table(qjb_now(), wdt_protocol::qjb::TIMESTAMP_WINDOW_SECS) {
        let call = QjbCall::signed("demo", QJB_KEY, QJB_SECRET, QJB_UNKNOWN_METHOD, ts, None, "[]");
        let answer = app.post_qjb(&call).await;
        assert_eq!(answer.0, 200, "{name}: {ts}");
        if accepted {
            assert_qjb_error(&answer, 100, "权限不足");
        } else {
            assert_eq!(answer.1["status"], json!(7), "{name}: {ts}: {}", answer.1);
            assert_qjb_error(&answer, 7, "时间戳错误");
        }
    }
}

#[tokio::test]
async fn openapi2_overflowing_timestamps_are_refused_with_code_7() {
    let app = spawn_app().await;
    for (name, ts, accepted) in table(now_secs(), openapi2::TIMESTAMP_WINDOW_SECS) {
        let form = openapi2::signed_form("demo", ENT_KEY, ENT_SECRET, ts, &[]);
        let answer = app.post_openapi2(ENT_UNKNOWN_ENDPOINT, &form).await;
        assert_eq!(answer.0, 200, "{name}: {ts}");
        if accepted {
            assert_openapi2_error(&answer, json!(100), "权限不足");
        } else {
            assert_eq!(answer.1["code"], json!(7), "{name}: {ts}: {}", answer.1);
            assert_openapi2_error(&answer, json!(7), "时间戳错误");
        }
    }
}
