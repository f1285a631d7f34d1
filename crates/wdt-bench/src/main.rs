//! `wdt-bench`: the write path of `wdt-returns` under load, beside a baseline measured in the
//! same run, then the read path at a million stock-ins.
//!
//! 1. Seeds a database with N refund orders (3 items each) and the master data they need, as
//!    generated fixtures imported through the store, a few thousand refund orders per fixture
//!    ([`seed`]).
//! 2. Starts `wdt-returns serve` on it as a child process and drives signed qjb
//!    `wms.stockin.Refund.createOrder` pushes (3 lines, `create_mode` 2, distinct outer numbers)
//!    from C concurrent keep-alive connections for a fixed time: throughput, p50/p99/max latency,
//!    errors, and the server's peak RSS ([`load`]).
//! 3. Baseline: the same kind of rows (order, 3 details, 3 links, 3 stock upserts with ledger
//!    rows, 3 refund item updates) written by a plain sqlx loop on SQLite, one transaction per
//!    order and batched 100 per transaction; the server's throughput is printed as a ratio to it
//!    ([`baseline`]).
//! 4. Uploads raw refunds (`aftersales.refund.RawRefund.upload`, one 3-line return per shipped
//!    trade, seeded beside the refund orders) from the same connections, beside a plain-sqlx
//!    baseline of the same rows ([`raw_refunds`]).
//! 5. Grows the stock-ins to a million through the store, their times spread over 29 days
//!    ([`grow`]), and reads pages of 100 through `queryWithDetail`, beside a hand-written SQL fetch
//!    of the same rows ([`query`], [`handwritten`]).
//!
//! `--state` measures test mode's snapshots instead ([`state`]); `--read-memory` the server's
//! peak memory under the largest legal query pages, many at once ([`read_memory`]); `--reads`
//! the read-back queries at a million refund orders and ten million ledger rows ([`reads`]);
//! `--raw-refunds` `aftersales.refund.RawRefund.upload` under load beside its own baseline
//! ([`raw_refunds`]).
#![warn(missing_docs)]

mod args;
mod baseline;
mod grow;
mod handwritten;
mod load;
mod maintenance;
mod procfs;
mod query;
mod raw_refunds;
mod read_memory;
mod reads;
mod report;
mod run;
mod seed;
mod server;
mod state;
mod store;
mod wire;

use std::process::ExitCode;

use clap::Parser;

/// The allocator of the product binary, so the load generator costs what it did inside it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = args::BenchArgs::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
