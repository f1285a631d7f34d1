//! `wdt-returns export`: every row of a paged query (by default every return stock-in of a time
//! range), as JSON lines, or for return stock-ins CSV.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde_json::{Map, Value};
use wdt_client::{Client, ReadAll};
use wdt_protocol::methods::REFUND_STOCKIN_QUERY;
use wdt_protocol::methods::reads::{self, ReadParams, goods, purchase, refunds, settings, stock};
use wdt_protocol::methods::refund_stockin_query::{
    RefundStockinHistoryQuery, RefundStockinQuery, StockinOrderRow, TimeType,
};
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
    /// The query: `wms.stockin.Refund.queryWithDetail` or any read-back method
    /// (`setting.Shop.queryShop`, …).
    #[arg(long, default_value = REFUND_STOCKIN_QUERY)]
    method: String,
    /// The query's other parameters, as a JSON object (`{"shop_no":"S1"}`).
    #[arg(long)]
    params: Option<String>,
    /// Start of the range, `yyyy-MM-dd HH:mm:ss` (+08:00), inclusive; with `--to`, for methods
    /// read by time (required for return stock-ins).
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// End of the range, inclusive; any length (split into the windows the method accepts).
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Only this warehouse (a `params` field).
    #[arg(long)]
    warehouse_no: Option<String>,
    /// Only these statuses (return stock-ins: comma list of 10/20/30/80).
    #[arg(long)]
    status: Option<String>,
    /// Return stock-ins: use the stock-in (check) time instead of the modified time.
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

/// What one export run writes rows to, and counts them with.
struct Output<W: Write> {
    sink: Sink<W>,
    bar: Option<indicatif::ProgressBar>,
    count: u64,
}

impl<W: Write> Output<W> {
    fn row(&mut self, row: Value, known_total: u64) -> anyhow::Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => {
                let order: StockinOrderRow = serde_json::from_value(row).context("a return stock-in")?;
                for record in csv_rows(&order) {
                    w.write_record(&record)?;
                }
            }
            Sink::Jsonl(out) => writeln!(out, "{}", serde_json::to_string(&row)?)?,
        }
        self.count += 1;
        if let Some(bar) = &self.bar {
            bar.set_length(known_total);
            bar.set_position(self.count);
        }
        Ok(())
    }
}

/// Reads every row of `P` and writes it out.
async fn export<P: ReadParams, W: Write>(
    client: &Client,
    params: Map<String, Value>,
    range: Option<(i64, i64)>,
    page_size: u32,
    out: &mut Output<W>,
) -> anyhow::Result<()> {
    let params: P = serde_json::from_value(Value::Object(params)).context("--params")?;
    let mut rows = match range {
        Some((start, end)) => ReadAll::over(client, params, start, end, page_size)?,
        None => ReadAll::new(client, params, page_size),
    };
    while let Some(row) = rows.next().await {
        let row = serde_json::to_value(row?)?;
        out.row(row, rows.known_total())?;
    }
    Ok(())
}

/// Streams every row to standard output; a progress bar goes to a terminal's standard error.
pub async fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let range = match (&args.from, &args.to) {
        (Some(from), Some(to)) => {
            let (start, end) = (seconds(from, "from")?, seconds(to, "to")?);
            anyhow::ensure!(end >= start, "--to is before --from");
            Some((start, end))
        }
        _ => None,
    };
    let stockins = [REFUND_STOCKIN_QUERY, reads::REFUND_STOCKIN_HISTORY].contains(&args.method.as_str());
    anyhow::ensure!(range.is_some() || !stockins, "return stock-ins are exported by time: give --from and --to");
    anyhow::ensure!(
        stockins || matches!(args.format, Format::Jsonl),
        "--format csv is for return stock-ins; {} exports as jsonl",
        args.method
    );
    let client = Client::qjb(&args.url, &args.sid, &args.qjb_key, &args.secret);
    let mut params = match &args.params {
        Some(text) => match serde_json::from_str(text).context("--params")? {
            Value::Object(map) => map,
            other => anyhow::bail!("--params is a JSON object, not {other}"),
        },
        None => Map::new(),
    };
    if let Some(w) = args.warehouse_no {
        params.insert("warehouse_no".into(), Value::from(w));
    }
    if let Some(s) = args.status {
        params.insert("status".into(), Value::from(s));
    }
    if args.by_check_time {
        params.insert("time_type".into(), Value::from(TimeType::Stockin.code()));
    }
    if stockins {
        // Required on the wire; each window sets them.
        params.entry("start_time").or_insert_with(|| Value::from(""));
        params.entry("end_time").or_insert_with(|| Value::from(""));
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} rows {wide_bar} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let sink = match args.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(CSV_HEADER)?;
            Sink::Csv(Box::new(w))
        }
        Format::Jsonl => Sink::Jsonl(out),
    };
    let mut out = Output { sink, bar, count: 0 };
    let (c, size) = (&client, args.page_size);
    match args.method.as_str() {
        REFUND_STOCKIN_QUERY => export::<RefundStockinQuery, _>(c, params, range, size, &mut out).await?,
        reads::REFUND_STOCKIN_HISTORY => {
            export::<RefundStockinHistoryQuery, _>(c, params, range, size, &mut out).await?
        }
        reads::WAREHOUSE_QUERY => export::<settings::WarehouseQuery, _>(c, params, range, size, &mut out).await?,
        reads::SHOP_QUERY => export::<settings::ShopQuery, _>(c, params, range, size, &mut out).await?,
        reads::LOGISTICS_QUERY => export::<settings::LogisticsQuery, _>(c, params, range, size, &mut out).await?,
        reads::PROVIDER_QUERY => export::<settings::ProviderQuery, _>(c, params, range, size, &mut out).await?,
        reads::REFUND_SEARCH => export::<refunds::RefundSearch, _>(c, params, range, size, &mut out).await?,
        reads::RAW_REFUND_SEARCH => {
            export::<reads::raw_refunds::RawRefundSearch, _>(c, params, range, size, &mut out).await?
        }
        reads::STOCK_SPEC_SEARCH => export::<stock::StockSpecQuery, _>(c, params, range, size, &mut out).await?,
        reads::STOCK_CHANGE_QUERY => export::<stock::StockChangeQuery, _>(c, params, range, size, &mut out).await?,
        reads::PURCHASE_RETURN_QUERY => {
            export::<purchase::PurchaseReturnQuery, _>(c, params, range, size, &mut out).await?
        }
        reads::PURCHASE_ORDER_QUERY => {
            export::<purchase::PurchaseOrderQuery, _>(c, params, range, size, &mut out).await?
        }
        reads::GOODS_QUERY => export::<goods::GoodsQuery, _>(c, params, range, size, &mut out).await?,
        other => anyhow::bail!("--method {other} is not a paged query this tool exports"),
    }
    match &mut out.sink {
        Sink::Csv(w) => w.flush()?,
        Sink::Jsonl(w) => w.flush()?,
    }
    if let Some(bar) = out.bar {
        bar.finish_and_clear();
    }
    eprintln!("{} rows exported", out.count);
    Ok(ExitCode::SUCCESS)
}
