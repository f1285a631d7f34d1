//! `wdt-returns bench`: the write path under load, beside a baseline measured in the same run.
//!
//! 1. Builds a database with N refund orders (3 items each) and the master data they need: a
//!    seed imported through `import`, copied in bulk up to N ([`setup`]).
//! 2. Starts `wdt-returns serve` on it as a child process and drives signed qjb
//!    `wms.stockin.Refund.createOrder` pushes (3 lines, `create_mode` 2, distinct outer numbers)
//!    from C concurrent keep-alive connections for a fixed time: throughput, p50/p99/max latency,
//!    errors, and the server's peak RSS.
//! 3. Baseline: the same kind of rows (order, 3 details, 3 links, 3 stock upserts with ledger
//!    rows, 3 refund item updates) written by a plain sqlx loop on SQLite, one transaction per
//!    order and batched 100 per transaction; the server's throughput is printed as a ratio to it.
//! 4. Grows the stock-ins to a million and reads pages of 100 through `queryWithDetail`, beside
//!    a hand-written SQL fetch of the same rows ([`query`]).

mod query;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use serde_json::{Value, json};
use sqlx::Connection;
use wdt_domain::model::RefundOrderStatus;
use wdt_domain::privacy::OWN_PLATFORM_ID;
use wdt_protocol::methods::refund_stockin::CreateMode;
use wdt_protocol::qjb;

/// Arguments of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Refund orders to create (each takes one push).
    #[arg(long, default_value_t = 100_000)]
    orders: u64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: u64,
    /// Seconds of load.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Database for the server (default: a fresh SQLite file in a temporary directory).
    #[arg(long)]
    database: Option<String>,
    /// Stock-in orders to grow the database to for the query phase (0 skips it).
    #[arg(long, default_value_t = 1_000_000)]
    query_orders: u64,
    /// Seconds of queries, through the server and by hand each.
    #[arg(long, default_value_t = 10)]
    query_seconds: u64,
    /// Append the figures to this Markdown file.
    #[arg(long)]
    write: Option<PathBuf>,
}

const BENCH_SID: &str = "bench";
const BENCH_KEY: &str = "bench";
const BENCH_APPSECRET: &str = "bench-secret:bench-salt";

fn fixture(orders: u64) -> Value {
    let specs: Vec<Value> =
        (0..3).map(|k| json!({"spec_no": format!("S{k}"), "spec_name": format!("spec {k}")})).collect();
    let trades: Vec<Value> = (0..orders)
        .map(|i| {
            json!({"tid": format!("T{i}"), "shop_no": "SHOP", "shipped": true,
                   "items": (0..3).map(|k| json!({"oid": format!("T{i}-{k}"), "spec_no": format!("S{k}"), "num": "10", "price": "9.9"})).collect::<Vec<_>>()})
        })
        .collect();
    let refunds: Vec<Value> = (0..orders)
        .map(|i| {
            json!({"refund_no": format!("TK{i}"), "tid": format!("T{i}"), "status": RefundOrderStatus::Checked,
                   "items": (0..3).map(|k| json!({"oid": format!("T{i}-{k}"), "spec_no": format!("S{k}"), "refund_num": "10", "price": "9.9"})).collect::<Vec<_>>()})
        })
        .collect();
    json!({
        "sid": BENCH_SID,
        "apps": [{"dialect": "qjb", "key": BENCH_KEY, "appsecret": BENCH_APPSECRET}],
        "warehouses": [{"warehouse_no": "W", "name": "bench", "positions": ["A"], "default_position": "A"}],
        "shops": [{"shop_no": "SHOP", "shop_name": "bench", "platform_id": OWN_PLATFORM_ID}],
        "goods": [{"goods_no": "G", "goods_name": "bench", "specs": specs}],
        "trades": trades,
        "refund_orders": refunds,
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// CPU seconds (user + system) per thread name of process `pid`, busiest first.
fn thread_cpu(pid: u32) -> Vec<(String, f64)> {
    let tick = 100.0; // USER_HZ on Linux
    let mut by_name: std::collections::BTreeMap<String, f64> = Default::default();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    for t in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(t.path().join("stat")) else { continue };
        // The name is in parentheses and may hold spaces; the fields after it are fixed.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let name = stat[open + 1..close].to_owned();
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        // utime and stime are fields 14 and 15 of stat; 11 and 12 after the name.
        *by_name.entry(name).or_default() += (ticks(11) + ticks(12)) / tick;
    }
    let mut v: Vec<_> = by_name.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}

fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

struct Load {
    ok: u64,
    errors: u64,
    took: Duration,
    latencies: Vec<Duration>,
}

/// The signed HTTP request of push `i`, byte for byte. Built before the clock starts, so that
/// the load generator (sharing the machine with the server) spends its time sending and
/// reading, as `wrk` does, not signing.
fn push_request(addr: &str, i: u64, timestamp: i64) -> Vec<u8> {
    let body = json!([{"refund_no": format!("TK{i}"), "out_stockin_no": format!("B{i}"), "warehouse_no": "W",
        "create_mode": CreateMode::Checked.code(), "detail_list": (0..3).map(|k| json!({"spec_no": format!("S{k}"), "num": 1})).collect::<Vec<_>>()}])
    .to_string();
    let pairs = qjb::signed_query(
        BENCH_SID,
        BENCH_KEY,
        BENCH_APPSECRET,
        "wms.stockin.Refund.createOrder",
        timestamp,
        None,
        &body,
    );
    qjb_post(addr, &pairs, &body)
}

/// A qjb POST with its signed query and JSON body, as raw HTTP/1.1 bytes.
fn qjb_post(addr: &str, pairs: &[(String, String)], body: &str) -> Vec<u8> {
    format!(
        "POST /openapi?{} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\n\r\n{body}",
        qjb::encode_query(pairs),
        body.len()
    )
    .into_bytes()
}

/// Reads one HTTP/1.1 response with a `Content-Length` from `stream`; whether it was a 200 whose
/// envelope says success (`"status":0`).
async fn read_response(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    use tokio::io::AsyncReadExt;
    buf.clear();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .ok_or_else(|| std::io::Error::other("a response without Content-Length"))?;
            break (end + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let ok_status = buf.starts_with(b"HTTP/1.1 200");
    let body = &buf[head_end..head_end + length];
    Ok(ok_status && body.starts_with(b"{\"status\":0"))
}

async fn drive(addr: &str, args: &BenchArgs) -> Load {
    let timestamp = qjb::timestamp_from_unix(wdt_protocol::time::now_secs());
    let requests: Arc<Vec<Vec<u8>>> = Arc::new((0..args.orders).map(|i| push_request(addr, i, timestamp)).collect());
    let next = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (next, requests, addr) = (Arc::clone(&next), Arc::clone(&requests), addr.to_owned());
        tasks.push(tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let (mut ok, mut errors, mut latencies) = (0u64, 0u64, Vec::new());
            let Ok(mut stream) = tokio::net::TcpStream::connect(&addr).await else { return (0, 1, latencies) };
            let _ = stream.set_nodelay(true);
            let mut buf = Vec::with_capacity(4096);
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(request) = requests.get(i as usize) else { break };
                let t = Instant::now();
                let answered = match stream.write_all(request).await {
                    Ok(()) => read_response(&mut stream, &mut buf).await,
                    Err(e) => Err(e),
                };
                latencies.push(t.elapsed());
                match answered {
                    Ok(true) => ok += 1,
                    Ok(false) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        break;
                    }
                }
            }
            (ok, errors, latencies)
        }));
    }
    let mut load = Load { ok: 0, errors: 0, took: Duration::ZERO, latencies: Vec::new() };
    for t in tasks {
        if let Ok((ok, errors, lat)) = t.await {
            load.ok += ok;
            load.errors += errors;
            load.latencies.extend(lat);
        }
    }
    load.took = started.elapsed();
    load.latencies.sort();
    load
}

/// The plain-sqlx baseline on SQLite: per order an order row, 3 details, 3 links, 3 stock
/// upserts, 3 ledger rows, 3 refund item updates; `batch` orders per transaction.
async fn baseline(dir: &Path, orders: u64, batch: u64) -> anyhow::Result<f64> {
    let path = dir.join(format!("baseline-{batch}.db"));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await?;
    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut conn).await?;
    sqlx::query("PRAGMA synchronous = FULL").execute(&mut conn).await?;
    sqlx::query(
        "CREATE TABLE o (id INTEGER PRIMARY KEY, no TEXT UNIQUE, outer_no TEXT UNIQUE, created INTEGER); \
         CREATE TABLE d (id INTEGER PRIMARY KEY, o INTEGER, spec INTEGER, num INTEGER); \
         CREATE TABLE k (id INTEGER PRIMARY KEY, d INTEGER, item INTEGER, num INTEGER); \
         CREATE TABLE s (spec INTEGER PRIMARY KEY, num INTEGER); \
         CREATE TABLE l (id INTEGER PRIMARY KEY, spec INTEGER, before INTEGER, change INTEGER, after INTEGER); \
         CREATE TABLE i (id INTEGER PRIMARY KEY, received INTEGER)",
    )
    .execute(&mut conn)
    .await?;
    let mut tx = conn.begin().await?;
    for id in 0..3 * orders as i64 {
        sqlx::query("INSERT INTO i (id, received) VALUES (?, 0)").bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    let started = Instant::now();
    let mut n = 0;
    while n < orders {
        let mut tx = conn.begin().await?;
        for _ in 0..batch.min(orders - n) {
            let oid: i64 = sqlx::query_scalar("INSERT INTO o (no, outer_no, created) VALUES (?, ?, 0) RETURNING id")
                .bind(format!("RK{n}"))
                .bind(format!("B{n}"))
                .fetch_one(&mut *tx)
                .await?;
            for k in 0..3i64 {
                let did: i64 = sqlx::query_scalar("INSERT INTO d (o, spec, num) VALUES (?, ?, 10000) RETURNING id")
                    .bind(oid)
                    .bind(k)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO k (d, item, num) VALUES (?, ?, 10000)")
                    .bind(did)
                    .bind(n as i64 * 3 + k)
                    .execute(&mut *tx)
                    .await?;
                let after: i64 = sqlx::query_scalar(
                    "INSERT INTO s (spec, num) VALUES (?, 10000) ON CONFLICT (spec) DO UPDATE SET num = s.num + 10000 RETURNING num",
                )
                .bind(k)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO l (spec, before, change, after) VALUES (?, ?, 10000, ?)")
                    .bind(k)
                    .bind(after - 10000)
                    .bind(after)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE i SET received = received + 10000 WHERE id = ?")
                    .bind(n as i64 * 3 + k)
                    .execute(&mut *tx)
                    .await?;
            }
            n += 1;
        }
        tx.commit().await?;
    }
    Ok(orders as f64 / started.elapsed().as_secs_f64())
}

/// The query phase: grow, pick pages, fetch them by hand, then through a fresh server.
async fn query_phase(args: &BenchArgs, exe: &Path, key: &str, database: &str) -> anyhow::Result<String> {
    let mut db = query::Db::open(database).await?;
    eprintln!("growing the stock-ins to {} …", args.query_orders);
    let t = Instant::now();
    let total = query::grow(&mut db, args.query_orders).await?;
    let grow = t.elapsed();
    let asks = query::pages(&mut db, 200).await?;
    eprintln!("reading pages of 100 by hand for {} s …", args.query_seconds);
    let hand = query::hand_written(&mut db, &asks, args.query_seconds).await?;
    drop(db);
    let (mut server, port, ready) = start_server(exe, key, database).await?;
    eprintln!("reading the same pages through the server for {} s …", args.query_seconds);
    let served = query::through_server(&format!("127.0.0.1:{port}"), &asks, args.query_seconds).await;
    let rss = peak_rss_kb(server.id());
    let _ = server.kill();
    let _ = server.wait();
    let (latencies, errors) = served?;
    let (s50, s99) = query::p50_p99(&latencies);
    let (h50, h99) = query::p50_p99(&hand);
    let backend = if database.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    Ok(format!(
        "| {backend} | {total} | {n} | {errors} | {s50:.2} | {s99:.2} | {h50:.2} | {h99:.2} | {r50:.2}x | {r99:.2}x | {grow:.0} s | {ready:.0} ms | {rss} |",
        n = latencies.len(),
        r50 = s50 / h50,
        r99 = s99 / h99,
        grow = grow.as_secs_f64(),
        ready = ready.as_secs_f64() * 1000.0,
        rss = rss.map(|kb| format!("{:.0} MB", kb as f64 / 1024.0)).unwrap_or_else(|| "?".into()),
    ))
}

/// The server's group commit counters, from `/metrics`.
struct WriteCounters {
    batches: u64,
    requests: u64,
    busy_secs: f64,
    group_fallbacks: u64,
}

impl WriteCounters {
    fn since(&self, before: &WriteCounters) -> WriteCounters {
        WriteCounters {
            batches: self.batches.saturating_sub(before.batches),
            requests: self.requests.saturating_sub(before.requests),
            busy_secs: self.busy_secs - before.busy_secs,
            group_fallbacks: self.group_fallbacks.saturating_sub(before.group_fallbacks),
        }
    }
}

/// Reads the write counters of the server on `port`; `None` if it has none (no batching).
async fn write_counters(port: u16) -> Option<WriteCounters> {
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await.ok()?.text().await.ok()?;
    let value = |name: &str| -> Option<u64> {
        text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
    };
    Some(WriteCounters {
        batches: value("wdt_write_batches_total")?,
        requests: value("wdt_write_batch_requests_total")?,
        busy_secs: value("wdt_write_busy_microseconds_total")? as f64 / 1e6,
        group_fallbacks: value("wdt_write_group_fallbacks_total")?,
    })
}

/// Starts `serve` on `database` at a free port; the child, the port, and the time to `/healthz`.
async fn start_server(exe: &Path, key: &str, database: &str) -> anyhow::Result<(std::process::Child, u16, Duration)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let started = Instant::now();
    let mut server = Command::new(exe)
        .env("WDT_SECRET_KEY", key)
        .env("RUST_LOG", "warn")
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database", database])
        .args(["--rate-limit-per-minute", "0", "--rate-limit-concurrent", "0", "--max-in-flight", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the server")?;
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let ready = loop {
        if let Ok(r) = http.get(format!("{url}/healthz")).send().await
            && r.status().is_success()
        {
            break started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = server.kill();
            let _ = server.wait();
            anyhow::bail!("the server did not become healthy");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    Ok((server, port, ready))
}

/// Runs the benchmark and prints (and optionally writes) the figures.
pub async fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let database =
        args.database.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let fixture_path = dir.path().join("bench.json");
    std::fs::write(&fixture_path, fixture(args.orders.min(setup::SEED_ORDERS)).to_string())?;
    let exe = std::env::current_exe()?;
    let key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    eprintln!("loading {} refund orders into {database} …", args.orders);
    let t = Instant::now();
    let status = Command::new(&exe)
        .env("WDT_SECRET_KEY", key)
        .args(["import", "--database", &database, fixture_path.to_str().unwrap_or_default()])
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "import failed");
    if args.orders > setup::SEED_ORDERS {
        let mut db = query::Db::open(&database).await?;
        let n = setup::grow_refunds(&mut db, BENCH_SID, args.orders).await?;
        anyhow::ensure!(n == args.orders as i64, "grew to {n} refund orders, not {}", args.orders);
    }
    let load_secs = t.elapsed().as_secs_f64();

    let (mut server, port, ready) = start_server(&exe, key, &database).await?;
    eprintln!("driving {} connections for {} s …", args.connections, args.seconds);
    let generator_before = thread_cpu(std::process::id()).iter().map(|t| t.1).sum::<f64>();
    let writes_before = write_counters(port).await;
    let load = drive(&format!("127.0.0.1:{port}"), &args).await;
    if load.ok + load.errors >= args.orders && load.took < Duration::from_secs(args.seconds) {
        eprintln!(
            "every one of the {} refund orders got its push after {:.1} s, which ended the load early \
             (more --orders make it last the full {} s)",
            args.orders,
            load.took.as_secs_f64(),
            args.seconds
        );
    }
    let writes = write_counters(port).await.zip(writes_before).map(|(after, before)| after.since(&before));
    let generator_cpu = thread_cpu(std::process::id()).iter().map(|t| t.1).sum::<f64>() - generator_before;
    let rss = peak_rss_kb(server.id());
    let threads = thread_cpu(server.id());
    let _ = server.kill();
    let _ = server.wait();

    let verify = Command::new(&exe).env("WDT_SECRET_KEY", key).args(["verify", "--database", &database]).output()?;
    let verified = verify.status.success();

    let base_n = load.ok.clamp(1000, 20_000);
    eprintln!("baseline: plain sqlx on SQLite, {base_n} orders …");
    let base_single = baseline(dir.path(), base_n, 1).await?;
    let base_batched = baseline(dir.path(), base_n, 100).await?;

    let query_report = if args.query_orders > 0 { Some(query_phase(&args, &exe, key, &database).await?) } else { None };

    let throughput = load.ok as f64 / load.took.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let backend = if database.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    let report = format!(
        "| {backend} | {orders} | {conns} | {ok} | {errors} | {tp:.0}/s | {p50:.2} | {p99:.2} | {max:.2} | {rss} | {ready:.0} ms | {b1:.0}/s ({r1:.2}x) | {b100:.0}/s ({r100:.2}x) | {verified} |",
        orders = args.orders,
        conns = args.connections,
        ok = load.ok,
        errors = load.errors,
        tp = throughput,
        p50 = ms(percentile(&load.latencies, 0.50)),
        p99 = ms(percentile(&load.latencies, 0.99)),
        max = ms(load.latencies.last().copied().unwrap_or_default()),
        rss = rss.map(|kb| format!("{:.0} MB", kb as f64 / 1024.0)).unwrap_or_else(|| "?".into()),
        ready = ms(ready),
        b1 = base_single,
        r1 = throughput / base_single,
        b100 = base_batched,
        r100 = throughput / base_batched,
        verified = if verified { "ok" } else { "FAILED" },
    );
    println!("loaded {} refund orders in {load_secs:.1} s", args.orders);
    let cpu: f64 = threads.iter().map(|t| t.1).sum();
    println!(
        "server CPU {cpu:.1} s in {:.1} s of load ({:.0} µs per push): {}",
        load.took.as_secs_f64(),
        cpu * 1e6 / load.ok.max(1) as f64,
        threads.iter().take(6).map(|(n, s)| format!("{n} {s:.1} s")).collect::<Vec<_>>().join(", ")
    );
    println!("load generator CPU {generator_cpu:.1} s (signing done beforehand)");
    if let Some(w) = writes {
        println!(
            "writer busy {:.1} s in {:.1} s of load ({:.0}%): {} batches of {:.1} pushes on average",
            w.busy_secs,
            load.took.as_secs_f64(),
            w.busy_secs * 100.0 / load.took.as_secs_f64(),
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
    println!(
        "| backend | refund orders | connections | pushes ok | errors | throughput | p50 ms | p99 ms | max ms | peak RSS | start→healthz | baseline 1/tx (ratio) | baseline 100/tx (ratio) | verify |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    println!("{report}");
    if let Some(q) = &query_report {
        println!();
        println!(
            "| backend | stock-ins | pages read | errors | server p50 ms | server p99 ms | hand-written p50 ms | hand-written p99 ms | ratio p50 | ratio p99 | grow | start→healthz | peak RSS |"
        );
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        println!("{q}");
    }
    if let Some(path) = &args.write {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        writeln!(f, "{report}")?;
        if let Some(q) = &query_report {
            writeln!(f, "{q}")?;
        }
    }
    Ok(if verified && load.errors == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
