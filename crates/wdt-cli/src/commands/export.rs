//! `wdt-returns export`: every return stock-in of a time range, as JSON lines or CSV.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde_json::{Map, Value};
use wdt_client::{Client, StockinExport};
use wdt_protocol::methods::refund_stockin_query::{StockinOrderRow, TimeType};
use wdt_protocol::time::parse_wire_time;

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// One order (with its details) per line, as the server sends it.
    Jsonl,
    /// One row per detail line, order fields repeated.
    Csv,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Base URL.
    #[arg(long, env = "WDT_URL")]
    url: String,
    /// Seller account.
    #[arg(long, env = "WDT_SID")]
    sid: String,
    /// qjb key.
    #[arg(long, env = "WDT_QJB_KEY")]
    qjb_key: String,
    /// The appsecret (`secret:salt`).
    #[arg(long, env = "WDT_SECRET", hide_env_values = true)]
    secret: String,
    /// Start of the range, `yyyy-MM-dd HH:mm:ss` (+08:00), inclusive.
    #[arg(long)]
    from: String,
    /// End of the range, inclusive; any length (split into 30-day windows).
    #[arg(long)]
    to: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Only this warehouse.
    #[arg(long)]
    warehouse_no: Option<String>,
    /// Only these statuses (comma list of 10/20/30/80).
    #[arg(long)]
    status: Option<String>,
    /// Use the stock-in (check) time instead of the modified time.
    #[arg(long)]
    by_check_time: bool,
    /// Rows per page.
    #[arg(long, default_value_t = 100)]
    page_size: u32,
}

const CSV_HEADER: [&str; 16] = [
    "order_no",
    "status",
    "refund_no",
    "warehouse_no",
    "shop_no",
    "created",
    "modified",
    "check_time",
    "rec_id",
    "spec_no",
    "num",
    "checked_cost_price",
    "defect",
    "batch_no",
    "position_no",
    "refund_amount",
];

fn csv_rows(order: &StockinOrderRow) -> Vec<Vec<String>> {
    order
        .details_list
        .iter()
        .map(|d| {
            vec![
                order.order_no.clone(),
                order.status.to_string(),
                order.refund_no.clone(),
                order.warehouse_no.clone(),
                order.shop_no.clone(),
                order.created.clone(),
                order.modified.clone(),
                order.check_time.to_string(),
                d.rec_id.to_string(),
                d.spec_no.clone(),
                d.num.to_string(),
                d.checked_cost_price.to_string(),
                d.defect.to_string(),
                d.batch_no.clone(),
                d.position_no.clone(),
                d.refund_amount.to_string(),
            ]
        })
        .collect()
}

enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
}

fn seconds(text: &str, flag: &str) -> anyhow::Result<i64> {
    Ok(parse_wire_time(text).with_context(|| format!("--{flag}"))? / 1000)
}

/// Streams every row to standard output; a progress bar goes to a terminal's standard error.
pub async fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let (start, end) = (seconds(&args.from, "from")?, seconds(&args.to, "to")?);
    anyhow::ensure!(end >= start, "--to is before --from");
    let client = Client::qjb(&args.url, &args.sid, &args.qjb_key, &args.secret);
    let mut filters = Map::new();
    if let Some(w) = args.warehouse_no {
        filters.insert("warehouse_no".into(), Value::from(w));
    }
    if let Some(s) = args.status {
        filters.insert("status".into(), Value::from(s));
    }
    if args.by_check_time {
        filters.insert("time_type".into(), Value::from(TimeType::Stockin.code()));
    }
    let mut export = StockinExport::new(&client, start, end, filters, args.page_size);
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} orders {wide_bar} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let mut sink = match args.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(CSV_HEADER)?;
            Sink::Csv(Box::new(w))
        }
        Format::Jsonl => Sink::Jsonl(out),
    };
    let mut count = 0u64;
    while let Some(row) = export.next().await {
        let row = row?;
        match &mut sink {
            Sink::Csv(w) => {
                for record in csv_rows(&row) {
                    w.write_record(&record)?;
                }
            }
            Sink::Jsonl(out) => writeln!(out, "{}", serde_json::to_string(&row)?)?,
        }
        count += 1;
        if let Some(bar) = &bar {
            bar.set_length(export.known_total());
            bar.set_position(count);
        }
    }
    match &mut sink {
        Sink::Csv(w) => w.flush()?,
        Sink::Jsonl(out) => out.flush()?,
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    eprintln!("{count} orders exported");
    Ok(ExitCode::SUCCESS)
}
