//! `wdt-returns import FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use wdt_domain::fixture::Fixture;

use crate::backend;

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    keys: backend::KeyArgs,
    /// Database URL (`sqlite://PATH` or `postgres://…`).
    #[arg(long, env = "WDT_DATABASE_URL", default_value = backend::DEFAULT_DATABASE_URL)]
    database: String,
    /// Fixture files (SPEC.md §6).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Reads and checks a fixture file; the error names the file, record and field.
pub fn read_fixture(path: &PathBuf) -> anyhow::Result<Fixture> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Fixture::parse(&text).with_context(|| format!("{} refused, nothing loaded", path.display()))
}

/// Loads every file: all are checked before the first is written; each loads whole or not at all.
pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let fixtures = args.files.iter().map(read_fixture).collect::<anyhow::Result<Vec<_>>>()?;
    let store = backend::open(&args.database, None, &wdt_store_pg::PgSettings::default(), &args.keys).await?;
    // A progress bar on a terminal; plain lines when stderr is piped.
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        let bar = indicatif::ProgressBar::new(fixtures.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} files {wide_msg} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    });
    for (path, fixture) in args.files.iter().zip(&fixtures) {
        if let Some(bar) = &bar {
            bar.set_message(format!("loading {} (sid {})", path.display(), fixture.sid));
        }
        let summary = store
            .import_fixture(fixture)
            .await
            .with_context(|| format!("{} refused, nothing of it loaded", path.display()))?;
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        println!(
            "{}: sid {}: {} rows inserted, {} updated",
            path.display(),
            fixture.sid,
            summary.inserted,
            summary.updated
        );
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(ExitCode::SUCCESS)
}
