//! `wdt-returns`: the server, the importer, the invariant checker and a signed-call client in one
//! binary (SPEC.md §7).

mod backend;
mod commands;
mod config;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Requests allocate many small, short-lived values (bound statement values, rows, JSON); mimalloc
/// serves them with less CPU than the system allocator, which matters on the SQLite writer thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "wdt-returns",
    version,
    about = "Wire-compatible Wangdiantong returns warehouse: server, importer, client"
)]
struct Cli {
    /// TOML file of flag values (keys are long flag names); flags and WDT_* variables win.
    #[arg(long, env = "WDT_CONFIG", global = true)]
    config: Option<std::path::PathBuf>,
    /// Log line format.
    #[arg(long, env = "WDT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve both API dialects.
    Serve(commands::serve::ServeArgs),
    /// Load fixture files (master data and opening state) into the database.
    Import(commands::import::ImportArgs),
    /// Send one signed call and print the answer.
    Call(commands::call::CallArgs),
    /// Recompute stock from the ledger and check every invariant.
    Verify(commands::verify::VerifyArgs),
    /// Export every return stock-in of a time range (any length) as JSON lines or CSV.
    Export(commands::export::ExportArgs),
    /// Operator actions on a running server: review, check, cancel, ship, count stock, audit log.
    ///
    /// Each command does what a warehouse does between API calls, through the server's admin API:
    /// review or cancel a refund order, check (book into stock) or cancel a return stock-in, check
    /// or cancel a purchase return, ship a trade, set a stock line to the quantity counted on the
    /// shelf, and list the audit log of who did what. Actions are recorded as done by `admin`.
    ///
    /// The server must run with an admin token (`serve --admin-token …`; `serve --demo` prints
    /// one); give the same token here with --admin-token or WDT_ADMIN_TOKEN.
    Admin(commands::admin::AdminArgs),
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn main() -> ExitCode {
    wdt_store_sqlite::alloc::use_mimalloc();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Err(e) = config::apply(&args) {
        eprintln!("error: {e:#}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse_from(args);
    init_logging(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => commands::serve::run(args).await,
            Command::Import(args) => commands::import::run(args).await,
            Command::Call(args) => commands::call::run(args).await,
            Command::Verify(args) => commands::verify::run(args).await,
            Command::Export(args) => commands::export::run(args).await,
            Command::Admin(args) => commands::admin::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
