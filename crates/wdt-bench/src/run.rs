//! One run, phase by phase: seed, push load, verify, baseline, raw refund uploads, query phase,
//! report.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::args::BenchArgs;
use crate::handwritten::{self, Db};
use crate::load::{self, Load};
use crate::report::{self, PushReport, QueryReport};
use crate::server::Server;
use crate::store::{self, SECRET_KEY};
use crate::{baseline, grow, maintenance, procfs, query, seed};

/// Runs the benchmark and prints (and optionally writes) the figures.
pub async fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("bench.db");
    let database = args.database.clone().unwrap_or_else(|| format!("sqlite://{}", file.display()));
    if args.state {
        let orders = args.state_orders;
        let sqlite_file = args.database.is_none().then_some(file.as_path());
        let report = crate::state::run(&database, sqlite_file, orders).await?;
        crate::state::print(&database, orders, &report);
        return Ok(if report.same_state && report.verified { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let exe = crate::server::binary(args.server_bin.as_deref())?;
    if args.read_memory {
        let (connections, rounds) = (args.read_memory_connections, args.read_memory_rounds);
        let reports = crate::read_memory::run(&exe, &database, connections, rounds).await?;
        crate::read_memory::print(&database, connections, rounds, &reports);
        let clean = reports.iter().all(|r| r.errors == 0 && r.over_refused);
        return Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    if args.raw_refunds {
        let (trades, connections, seconds) = (args.raw_refund_trades, args.connections, args.seconds);
        let report =
            crate::raw_refunds::run(&exe, (&database, false), dir.path(), trades, connections, seconds).await?;
        crate::raw_refunds::print(&report);
        let clean = report.verified && report.load.errors == 0 && report.refund_orders == report.load.ok;
        return Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    if args.reads {
        let sizes = (args.read_refunds, args.read_specs, args.read_ledger);
        let reports = crate::reads::run(&exe, &database, sizes, args.query_seconds).await?;
        crate::reads::print(&database, sizes, &reports);
        return Ok(if reports.iter().all(|r| r.errors == 0) { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    eprintln!("loading {} refund orders into {database} …", args.orders);
    let t = Instant::now();
    seed::seed(&store::open(&database).await?, args.orders).await?;
    maintenance::after_seeding(&database).await?;
    let load_secs = t.elapsed().as_secs_f64();

    let pushes = push_phase(&exe, &database, &args).await?;
    let verified = verify(&database).await?;

    let base_n = pushes.load.ok.clamp(1000, 20_000);
    eprintln!("baseline: plain sqlx on SQLite, {base_n} orders …");
    let baselines = (
        baseline::orders_per_second(dir.path(), base_n, 1).await?,
        baseline::orders_per_second(dir.path(), base_n, 100).await?,
    );
    let raw_refunds = if args.raw_refund_trades > 0 {
        let (trades, connections, seconds) = (args.raw_refund_trades, args.connections, args.seconds);
        Some(crate::raw_refunds::run(&exe, (&database, true), dir.path(), trades, connections, seconds).await?)
    } else {
        None
    };
    let queries =
        if args.query_orders > 0 { Some(query_phase(&args, &exe, &database, &pushes.load).await?) } else { None };

    let push_row = report::push_row(&database, &args, &pushes, baselines, verified);
    println!("loaded {} refund orders in {load_secs:.1} s", args.orders);
    report::print_push_details(&pushes);
    report::print_tables(&push_row, queries.as_ref().map(QueryReport::row).as_deref());
    if let Some(r) = &raw_refunds {
        crate::raw_refunds::print(r);
    }
    if let Some(path) = &args.write {
        report::append(path, &push_row, queries.as_ref().map(QueryReport::row).as_deref())?;
    }
    let uploads_clean =
        raw_refunds.as_ref().is_none_or(|r| r.verified && r.load.errors == 0 && r.refund_orders == r.load.ok);
    Ok(if verified && pushes.load.errors == 0 && uploads_clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Starts the server, drives the pushes, and reads what the server and the generator spent.
async fn push_phase(exe: &Path, database: &str, args: &BenchArgs) -> anyhow::Result<PushReport> {
    let server = Server::start(exe, SECRET_KEY, database).await?;
    eprintln!("driving {} connections for {} s …", args.connections, args.seconds);
    let generator_before = procfs::own_cpu();
    let writes_before = server.write_counters().await;
    let load = load::drive(&server.addr(), args.orders, args.connections, args.seconds).await;
    if load.ok + load.errors >= args.orders && load.took < Duration::from_secs(args.seconds) {
        eprintln!(
            "every one of the {} refund orders got its push after {:.1} s, which ended the load early \
             (more --orders make it last the full {} s)",
            args.orders,
            load.took.as_secs_f64(),
            args.seconds
        );
    }
    let writes = server.write_counters().await.zip(writes_before).map(|(after, before)| after.since(&before));
    let generator_cpu = procfs::own_cpu() - generator_before;
    let (rss_kb, threads, ready) = (server.peak_rss_kb(), server.thread_cpu(), server.ready);
    drop(server);
    Ok(PushReport { load, writes, generator_cpu, rss_kb, threads, ready })
}

/// Recomputes stock from the ledger and checks every invariant, as `wdt-returns verify` does.
async fn verify(database: &str) -> anyhow::Result<bool> {
    let report = store::open(database).await?.verify().await?;
    for problem in report.problems.iter().take(10) {
        eprintln!("verify: {problem}");
    }
    Ok(report.is_ok())
}

/// The query phase: grow through the store, pick pages, fetch them by hand, then through a
/// fresh server.
async fn query_phase(args: &BenchArgs, exe: &Path, database: &str, pushes: &Load) -> anyhow::Result<QueryReport> {
    eprintln!("growing the stock-ins to {} …", args.query_orders);
    let t = Instant::now();
    let store = store::open(database).await?;
    let stockins = grow::grow(&store, args.orders, pushes.ok, args.query_orders).await?;
    maintenance::after_growth(database).await?;
    let grow_time = t.elapsed();
    let asks = query::pages(store.as_ref(), &store::bench_app(store.as_ref()).await?, 200).await?;
    drop(store);
    eprintln!("reading pages of 100 by hand for {} s …", args.query_seconds);
    let mut db = Db::open(database).await?;
    let hand = handwritten::fetch_pages(&mut db, &asks, args.query_seconds).await?;
    drop(db);
    let server = Server::start(exe, SECRET_KEY, database).await?;
    eprintln!("reading the same pages through the server for {} s …", args.query_seconds);
    let (served, errors) = query::through_server(&server.addr(), &asks, args.query_seconds).await?;
    Ok(QueryReport {
        backend: store::backend_name(database),
        stockins,
        served,
        errors,
        hand,
        grow: grow_time,
        ready: server.ready,
        rss_kb: server.peak_rss_kb(),
    })
}
