//! Prometheus metrics and the per-call log line.
//!
//! Metric names: `wdt_requests_total{dialect,method,status}`,
//! `wdt_request_duration_seconds{dialect,method}` (histogram), `wdt_signature_rejections_total`,
//! `wdt_stockins_created_total{method}`, `wdt_db_connections{pool,state}`. Method labels are the
//! known method names or `unknown`, so hostile input cannot grow the label set.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use wdt_protocol::ApiError;
use wdt_protocol::methods::{OPENAPI2_STOCKIN_REFUND_PUSH, QJB_METHODS};
use wdt_store::Store;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
static NEXT_REQUEST_ID: AtomicU64 = AtomicU64::new(1);

const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Installs the process-wide recorder once; `None` if another recorder was installed first.
pub(crate) fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("wdt_request_duration_seconds".into()), LATENCY_BUCKETS)
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// A process-unique id for one call, for correlating log lines.
pub(crate) fn next_request_id() -> u64 {
    NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed)
}

/// The method label: a known method name, or `unknown`.
pub(crate) fn method_label(method: &str) -> &'static str {
    QJB_METHODS
        .iter()
        .map(|m| m.name)
        .chain(std::iter::once(OPENAPI2_STOCKIN_REFUND_PUSH))
        .find(|m| *m == method)
        .unwrap_or("unknown")
}

/// Records one finished call.
pub(crate) fn record(dialect: &'static str, method: &str, status: i64, error: Option<&ApiError>, took: Duration) {
    if handle().is_none() {
        return;
    }
    let method = method_label(method);
    metrics::counter!("wdt_requests_total", "dialect" => dialect, "method" => method, "status" => status.to_string())
        .increment(1);
    metrics::histogram!("wdt_request_duration_seconds", "dialect" => dialect, "method" => method)
        .record(took.as_secs_f64());
    if matches!(error, Some(ApiError::SignatureMismatch)) {
        metrics::counter!("wdt_signature_rejections_total", "dialect" => dialect).increment(1);
    }
}

/// Counts a stock-in order written by `method`.
pub(crate) fn stockin_created(method: &str) {
    if handle().is_some() {
        metrics::counter!("wdt_stockins_created_total", "method" => method_label(method)).increment(1);
    }
}

/// The Prometheus text, with the database pools sampled now.
pub(crate) fn render(store: &dyn Store) -> String {
    let Some(handle) = handle() else { return String::new() };
    for p in store.pool_stats() {
        metrics::gauge!("wdt_db_connections", "pool" => p.name, "state" => "open").set(f64::from(p.size));
        metrics::gauge!("wdt_db_connections", "pool" => p.name, "state" => "idle").set(p.idle as f64);
    }
    if let Some(w) = store.write_batches() {
        metrics::counter!("wdt_write_batches_total").absolute(w.batches);
        metrics::counter!("wdt_write_batch_requests_total").absolute(w.requests);
        metrics::gauge!("wdt_write_queue_depth").set(w.queued as f64);
        metrics::counter!("wdt_write_busy_microseconds_total")
            .absolute(u64::try_from(w.busy.as_micros()).unwrap_or(u64::MAX));
        metrics::counter!("wdt_write_group_fallbacks_total").absolute(w.group_fallbacks);
    }
    handle.render()
}
