//! The command line.

use std::path::PathBuf;

use clap::Parser;

/// Measure the write path of `wdt-returns` under load beside a plain-sqlx baseline, then its
/// read path at a million stock-ins beside a hand-written fetch.
#[derive(Debug, Parser)]
#[command(name = "wdt-bench", version)]
pub struct BenchArgs {
    /// Refund orders to create (each takes one push).
    #[arg(long, default_value_t = 100_000)]
    pub orders: u64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    pub connections: u64,
    /// Seconds of load.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Database for the server (default: a fresh SQLite file in a temporary directory).
    #[arg(long)]
    pub database: Option<String>,
    /// Stock-in orders to grow the database to for the query phase (0 skips it).
    #[arg(long, default_value_t = 1_000_000)]
    pub query_orders: u64,
    /// Seconds of queries, through the server and by hand each.
    #[arg(long, default_value_t = 10)]
    pub query_seconds: u64,
    /// Append the figures to this Markdown file.
    #[arg(long)]
    pub write: Option<PathBuf>,
    /// Measure only test mode's snapshot, restore and reset, at `--state-orders` refund orders,
    /// instead of the push and query phases.
    #[arg(long)]
    pub state: bool,
    /// Refund orders of the `--state` run.
    #[arg(long, default_value_t = 10_000)]
    pub state_orders: u64,
    /// Measure only the server's peak memory under the largest legal query pages, many at once,
    /// instead of the push and query phases.
    #[arg(long)]
    pub read_memory: bool,
    /// Connections of the `--read-memory` run, each asking at once.
    #[arg(long, default_value_t = 16)]
    pub read_memory_connections: u64,
    /// Pages each connection of the `--read-memory` run asks, one after another.
    #[arg(long, default_value_t = 4)]
    pub read_memory_rounds: u64,
    /// Measure only the read-back queries (`Refund.search`, `StockSpec.search`,
    /// `queryChangeHistory`) beside a hand-written fetch, instead of the push and query phases.
    #[arg(long)]
    pub reads: bool,
    /// Refund orders of the `--reads` run.
    #[arg(long, default_value_t = 1_000_000)]
    pub read_refunds: u64,
    /// Specs with a stock line each in the `--reads` run.
    #[arg(long, default_value_t = 100_000)]
    pub read_specs: u64,
    /// Ledger rows of the `--reads` run.
    #[arg(long, default_value_t = 10_000_000)]
    pub read_ledger: u64,
    /// Measure only `aftersales.refund.RawRefund.upload` (one 3-line return per shipped trade,
    /// `--connections`, `--seconds`) beside a plain-sqlx baseline, instead of the push and query
    /// phases.
    #[arg(long)]
    pub raw_refunds: bool,
    /// Shipped trades for the raw refund uploads (one upload each at most), in the default run
    /// after the push phase (0 skips it) and in the `--raw-refunds` run.
    #[arg(long, default_value_t = 20_000)]
    pub raw_refund_trades: u64,
    /// The `wdt-returns` binary to start (default: the one next to this binary, as cargo
    /// builds both into the same target directory).
    #[arg(long, env = "WDT_BENCH_SERVER_BIN")]
    pub server_bin: Option<PathBuf>,
}
