//! `wdt-returns serve`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use wdt_domain::fixture::Fixture;
use wdt_server::{AppState, RateLimits, Server, ServerConfig};
use wdt_store_pg::PgSettings;

use crate::backend;
use crate::commands::import::read_fixture;

/// The built-in demo fixture (credentials in the README).
pub const DEMO_FIXTURE: &str = include_str!("../../../../fixtures/demo.json");

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    keys: backend::KeyArgs,
    /// Address to listen on.
    #[arg(long, env = "WDT_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Database URL: `sqlite://PATH` (created on first use) or `postgres://…`.
    #[arg(long, env = "WDT_DATABASE_URL", default_value = backend::DEFAULT_DATABASE_URL)]
    database: String,
    /// Read replica for `is_slave=true` queries (PostgreSQL only).
    #[arg(long, env = "WDT_REPLICA_URL")]
    replica_url: Option<String>,
    /// Fixture files to load before listening.
    #[arg(long, env = "WDT_FIXTURE", value_delimiter = ',')]
    fixture: Vec<PathBuf>,
    /// Load the built-in demo fixture (sid `demo`; see the README for its keys). Implies
    /// `--test-mode`.
    #[arg(long, env = "WDT_DEMO")]
    demo: bool,
    /// Test mode: the clock, fixture, reset, snapshot, fault and journal controls under
    /// /admin/v1 (behind the admin token). Never on a server with real data.
    #[arg(long, env = "WDT_TEST_MODE")]
    test_mode: bool,
    /// PostgreSQL: connections per pool.
    #[arg(long, env = "WDT_PG_MAX_CONNECTIONS", default_value_t = PgSettings::default().max_connections)]
    pg_max_connections: u32,
    /// PostgreSQL: seconds a request waits for a free connection.
    #[arg(long, env = "WDT_PG_ACQUIRE_TIMEOUT", default_value_t = PgSettings::default().acquire_timeout.as_secs())]
    pg_acquire_timeout: u64,
    /// PostgreSQL: return stock-ins per shared transaction at most (0: one transaction each).
    #[arg(long, env = "WDT_PG_MAX_BATCH", default_value_t = PgSettings::default().max_batch)]
    pg_max_batch: usize,
    /// Calls per key per minute (0: no limit; `--demo` turns limits off unless given).
    #[arg(long, env = "WDT_RATE_LIMIT_PER_MINUTE")]
    rate_limit_per_minute: Option<u32>,
    /// Calls per key in flight at once (0: no limit).
    #[arg(long, env = "WDT_RATE_LIMIT_CONCURRENT")]
    rate_limit_concurrent: Option<u32>,
    /// Calls in flight at once, all keys together (0: no limit).
    #[arg(long, env = "WDT_MAX_IN_FLIGHT", default_value_t = RateLimits::default().max_in_flight)]
    max_in_flight: u32,
    /// Token that opens the web console at /console (`--demo` makes one when none is given).
    #[arg(long, env = "WDT_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "WDT_BODY_LIMIT", default_value_t = ServerConfig::default().body_limit)]
    body_limit: usize,
}

/// Opens the store, loads fixtures, binds, and serves until SIGINT/SIGTERM.
pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut fixtures: Vec<(String, Fixture)> = Vec::new();
    if args.demo {
        fixtures.push(("built-in demo fixture".to_owned(), Fixture::parse(DEMO_FIXTURE).context("demo fixture")?));
    }
    for path in &args.fixture {
        fixtures.push((path.display().to_string(), read_fixture(path)?));
    }
    let pg = PgSettings {
        max_connections: args.pg_max_connections,
        acquire_timeout: std::time::Duration::from_secs(args.pg_acquire_timeout),
        max_batch: args.pg_max_batch,
        ..PgSettings::default()
    };
    let store = backend::open(&args.database, args.replica_url.as_deref(), &pg, &args.keys).await?;
    for (name, fixture) in &fixtures {
        let summary =
            store.import_fixture(fixture).await.with_context(|| format!("{name} refused, nothing of it loaded"))?;
        tracing::info!(fixture = %name, sid = %fixture.sid, inserted = summary.inserted, updated = summary.updated, "fixture loaded");
    }
    let defaults = if args.demo { RateLimits::off() } else { RateLimits::default() };
    let rate_limits = RateLimits {
        per_minute: args.rate_limit_per_minute.unwrap_or(defaults.per_minute),
        concurrent: args.rate_limit_concurrent.unwrap_or(defaults.concurrent),
        max_in_flight: args.max_in_flight,
    };
    let admin_token = match (&args.admin_token, args.demo) {
        (Some(t), _) => Some(t.clone()),
        (None, true) => Some(demo_token()?),
        (None, false) => None,
    };
    let test_mode = args.test_mode || args.demo;
    let config = ServerConfig {
        body_limit: args.body_limit,
        rate_limits,
        admin_token: admin_token.clone(),
        test_mode,
        ..ServerConfig::default()
    };
    if test_mode {
        tracing::warn!(
            "TEST MODE: /admin/v1/clock, /fixtures, /reset, /snapshots, /faults and /journal are open to the admin \
             token; reset empties every seller's data. Never run test mode on real data."
        );
        eprintln!("TEST MODE is on: the admin token can move the clock, reset every seller's data and inject faults");
    }
    let state = AppState::new(Arc::clone(&store), config);
    let server = Server::bind(args.listen, state).await.with_context(|| format!("binding {}", args.listen))?;
    let addr = server.local_addr()?;
    tracing::info!(%addr, database = %backend::redact(&args.database), "listening: POST /openapi (qjb), POST /openapi2/{{name}}.php, GET /healthz");
    if let (true, Some(token)) = (args.demo, &admin_token) {
        eprintln!("console: http://{addr}/console/login  admin token: {token}");
    }
    if args.demo {
        eprintln!(
            "demo credentials (sid demo):\n  qjb:      --qjb-key demo-qjb --secret demo-secret:demo-salt\n  openapi2: --appkey demo-ent --secret demo-ent-secret\n  try: wdt-returns call --url http://{addr} --sid demo --qjb-key demo-qjb --secret demo-secret:demo-salt \\\n         --page-size 10 --page-no 0 wms.stockin.Refund.queryWithDetail '[{{\"start_time\":\"2026-01-01 00:00:00\",\"end_time\":\"2026-01-30 23:59:59\"}}]'"
        );
    }
    server.run(wdt_server::shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// A random console token for the demo.
fn demo_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
