//! `wdt-returns serve`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use wdt_domain::fixture::Fixture;
use wdt_server::{AppState, Server, ServerConfig};

use crate::backend;
use crate::commands::import::read_fixture;

/// The built-in demo fixture (credentials in the README).
pub const DEMO_FIXTURE: &str = include_str!("../../../../fixtures/demo.json");

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "WDT_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Database URL (`sqlite://PATH`), created on first use.
    #[arg(long, env = "WDT_DATABASE_URL", default_value = backend::DEFAULT_DATABASE_URL)]
    database: String,
    /// Read replica for `is_slave=true` queries (PostgreSQL only).
    #[arg(long, env = "WDT_REPLICA_URL")]
    replica_url: Option<String>,
    /// Fixture files to load before listening.
    #[arg(long, env = "WDT_FIXTURE", value_delimiter = ',')]
    fixture: Vec<PathBuf>,
    /// Load the built-in demo fixture (sid `demo`; see the README for its keys).
    #[arg(long, env = "WDT_DEMO")]
    demo: bool,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "WDT_BODY_LIMIT", default_value_t = ServerConfig::default().body_limit)]
    body_limit: usize,
}

/// Opens the store, loads fixtures, binds, and serves until SIGINT/SIGTERM.
pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    if args.replica_url.is_some() {
        bail!("--replica-url needs a PostgreSQL database; SQLite reads already use a separate reader pool");
    }
    let mut fixtures: Vec<(String, Fixture)> = Vec::new();
    if args.demo {
        fixtures.push(("built-in demo fixture".to_owned(), Fixture::parse(DEMO_FIXTURE).context("demo fixture")?));
    }
    for path in &args.fixture {
        fixtures.push((path.display().to_string(), read_fixture(path)?));
    }
    let store = backend::open(&args.database).await?;
    for (name, fixture) in &fixtures {
        let summary =
            store.import_fixture(fixture).await.with_context(|| format!("{name} refused, nothing of it loaded"))?;
        tracing::info!(fixture = %name, sid = %fixture.sid, inserted = summary.inserted, updated = summary.updated, "fixture loaded");
    }
    let config = ServerConfig { body_limit: args.body_limit, ..ServerConfig::default() };
    let state = AppState { store: Arc::clone(&store), config: Arc::new(config) };
    let server = Server::bind(args.listen, state).await.with_context(|| format!("binding {}", args.listen))?;
    let addr = server.local_addr()?;
    tracing::info!(%addr, database = %args.database, "listening: POST /openapi (qjb), POST /openapi2/{{name}}.php, GET /healthz");
    if args.demo {
        eprintln!(
            "demo credentials (sid demo):\n  qjb:      --qjb-key demo-qjb --secret demo-secret:demo-salt\n  openapi2: --appkey demo-ent --secret demo-ent-secret\n  try: wdt-returns call --url http://{addr} --sid demo --qjb-key demo-qjb --secret demo-secret:demo-salt \\\n         --page-size 10 --page-no 0 wms.stockin.Refund.queryWithDetail '[{{\"start_time\":\"2026-01-01 00:00:00\",\"end_time\":\"2026-01-30 23:59:59\"}}]'"
        );
    }
    server.run(wdt_server::shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}
