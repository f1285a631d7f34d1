//! The figures as the bench prints them: a few lines, then one Markdown row per phase (the
//! tables of BENCHMARKS.md).

use std::path::Path;
use std::time::Duration;

use crate::args::BenchArgs;
use crate::load::{Load, percentile};
use crate::procfs::megabytes;
use crate::query::p50_p99;
use crate::server::WriteCounters;

const PUSH_HEADER: &str = "| backend | refund orders | connections | pushes ok | errors | throughput | p50 ms | p99 ms | max ms | peak RSS | start→healthz | baseline 1/tx (ratio) | baseline 100/tx (ratio) | verify |\n\
     |---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
const QUERY_HEADER: &str = "| backend | stock-ins | pages read | errors | server p50 ms | server p99 ms | hand-written p50 ms | hand-written p99 ms | ratio p50 | ratio p99 | grow | start→healthz | peak RSS |\n\
     |---|---|---|---|---|---|---|---|---|---|---|---|---|";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What the push phase measured.
pub struct PushReport {
    /// The load itself.
    pub load: Load,
    /// The server's group commit counters over the load, where it batches.
    pub writes: Option<WriteCounters>,
    /// CPU seconds the load generator (this process) spent during the load.
    pub generator_cpu: f64,
    /// The server's peak RSS.
    pub rss_kb: Option<u64>,
    /// The server's CPU seconds per thread name, busiest first.
    pub threads: Vec<(String, f64)>,
    /// The server's time from start to healthy.
    pub ready: Duration,
}

/// The push table's row; `baselines` are the plain loop's orders per second at 1 and 100 per
/// transaction.
pub fn push_row(database: &str, args: &BenchArgs, p: &PushReport, baselines: (f64, f64), verified: bool) -> String {
    let load = &p.load;
    let tp = load.throughput();
    let (b1, b100) = baselines;
    format!(
        "| {backend} | {orders} | {conns} | {ok} | {errors} | {tp:.0}/s | {p50:.2} | {p99:.2} | {max:.2} | {rss} | {ready:.0} ms | {b1:.0}/s ({r1:.2}x) | {b100:.0}/s ({r100:.2}x) | {verified} |",
        backend = crate::store::backend_name(database),
        orders = args.orders,
        conns = args.connections,
        ok = load.ok,
        errors = load.errors,
        p50 = ms(percentile(&load.latencies, 0.50)),
        p99 = ms(percentile(&load.latencies, 0.99)),
        max = ms(load.latencies.last().copied().unwrap_or_default()),
        rss = megabytes(p.rss_kb),
        ready = ms(p.ready),
        r1 = tp / b1,
        r100 = tp / b100,
        verified = if verified { "ok" } else { "FAILED" },
    )
}

/// Where the push phase's CPU went, and the writer's busy share.
pub fn print_push_details(p: &PushReport) {
    let took = p.load.took.as_secs_f64();
    let cpu: f64 = p.threads.iter().map(|t| t.1).sum();
    println!(
        "server CPU {cpu:.1} s in {took:.1} s of load ({:.0} µs per push): {}",
        cpu * 1e6 / p.load.ok.max(1) as f64,
        p.threads.iter().take(6).map(|(n, s)| format!("{n} {s:.1} s")).collect::<Vec<_>>().join(", ")
    );
    println!("load generator CPU {:.1} s (signing done beforehand)", p.generator_cpu);
    if let Some(w) = &p.writes {
        println!(
            "writer busy {:.1} s in {took:.1} s of load ({:.0}%): {} batches of {:.1} pushes on average",
            w.busy_secs,
            w.busy_secs * 100.0 / took,
            w.batches,
            w.requests as f64 / w.batches.max(1) as f64
        );
        if w.group_fallbacks > 0 {
            // The figures would then be those of the one-at-a-time path, not of batched creation.
            println!(
                "warning: {} groups of pushes failed whole and reran one at a time (the server logs why)",
                w.group_fallbacks
            );
        }
    }
}

/// What the query phase measured.
pub struct QueryReport {
    /// `SQLite` or `PostgreSQL`.
    pub backend: &'static str,
    /// Stock-ins in the database.
    pub stockins: u64,
    /// Page latencies through the server, sorted.
    pub served: Vec<Duration>,
    /// Pages the server refused.
    pub errors: u64,
    /// Page latencies of the hand-written fetch, sorted.
    pub hand: Vec<Duration>,
    /// Time to grow the stock-ins.
    pub grow: Duration,
    /// The query server's time from start to healthy.
    pub ready: Duration,
    /// The query server's peak RSS.
    pub rss_kb: Option<u64>,
}

impl QueryReport {
    /// The query table's row.
    pub fn row(&self) -> String {
        let (s50, s99) = p50_p99(&self.served);
        let (h50, h99) = p50_p99(&self.hand);
        format!(
            "| {backend} | {total} | {n} | {errors} | {s50:.2} | {s99:.2} | {h50:.2} | {h99:.2} | {r50:.2}x | {r99:.2}x | {grow:.0} s | {ready:.0} ms | {rss} |",
            backend = self.backend,
            total = self.stockins,
            n = self.served.len(),
            errors = self.errors,
            r50 = s50 / h50,
            r99 = s99 / h99,
            grow = self.grow.as_secs_f64(),
            ready = ms(self.ready),
            rss = megabytes(self.rss_kb),
        )
    }
}

/// The push table and, after a blank line, the query table.
pub fn print_tables(push_row: &str, query_row: Option<&str>) {
    println!("{PUSH_HEADER}");
    println!("{push_row}");
    if let Some(q) = query_row {
        println!();
        println!("{QUERY_HEADER}");
        println!("{q}");
    }
}

/// Appends the rows to the Markdown file at `path`.
pub fn append(path: &Path, push_row: &str, query_row: Option<&str>) -> anyhow::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(f, "{push_row}")?;
    if let Some(q) = query_row {
        writeln!(f, "{q}")?;
    }
    Ok(())
}
