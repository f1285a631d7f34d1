//! `wdt-returns verify`

use std::process::ExitCode;

use clap::Args;

use crate::backend;

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    keys: backend::KeyArgs,
    /// Database URL (`sqlite://PATH` or `postgres://…`).
    #[arg(long, env = "WDT_DATABASE_URL", default_value = backend::DEFAULT_DATABASE_URL)]
    database: String,
}

/// Prints the report; exit 0 when every invariant holds, 1 otherwise.
pub async fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let store = backend::open(&args.database, None, &wdt_store_pg::PgSettings::default(), &args.keys).await?;
    let report = store.verify().await?;
    println!(
        "checked {} stock lines against {} ledger rows, {} refund order items",
        report.stock_lines, report.ledger_rows, report.refund_items
    );
    if report.is_ok() {
        println!("all invariants hold");
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &report.problems {
            println!("FAIL {problem}");
        }
        println!("{} problems", report.problems.len());
        Ok(ExitCode::from(1))
    }
}
