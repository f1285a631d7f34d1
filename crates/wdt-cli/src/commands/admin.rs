//! `wdt-returns admin …`: the operator actions of a running server, through its admin API
//! (`/admin/v1/…`, SPEC.md §10), from a terminal.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// Arguments of `admin`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
        export WDT_ADMIN_TOKEN=the-token-the-server-printed\n  \
        wdt-returns admin check-stockin demo RK202601010001\n  \
        wdt-returns admin ship demo T-DEMO-8 --warehouse WH1\n  \
        wdt-returns admin adjust demo --warehouse WH1 --spec MUG-RED --position A-01 --num 7\n  \
        wdt-returns admin audit --sid demo --since '2026-01-01 00:00:00'\n\n\
        Exit status: 0 done, 2 refused by the server (the reason is printed), 1 no answer.")]
pub struct AdminArgs {
    /// Base URL of the server.
    #[arg(long, env = "WDT_ADMIN_URL", default_value = "http://127.0.0.1:8080", global = true)]
    url: String,
    /// The server's admin token.
    #[arg(long, env = "WDT_ADMIN_TOKEN", hide_env_values = true, global = true)]
    admin_token: Option<String>,
    /// Print the server's JSON answer instead of the summary.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: AdminCommand,
}

/// One admin action or query.
#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Approve (审核) a refund order awaiting review, so its goods can be received.
    #[command(after_help = "Example:\n  wdt-returns admin review-refund demo TK-DEMO-4")]
    ReviewRefund {
        /// Seller account.
        sid: String,
        /// 退换单号: the refund order number.
        refund_no: String,
    },
    /// Cancel a refund order. Refused once any of its goods were received.
    #[command(after_help = "Example:\n  wdt-returns admin cancel-refund demo TK-DEMO-5")]
    CancelRefund {
        /// Seller account.
        sid: String,
        /// 退换单号: the refund order number.
        refund_no: String,
    },
    /// Check (审核) a return stock-in that is being edited or waits for review: its goods go into
    /// stock and count as received on its refund order. A stock-in is checked once; checking it
    /// again is refused.
    #[command(after_help = "Example:\n  wdt-returns admin check-stockin demo RK202601010001")]
    CheckStockin {
        /// Seller account.
        sid: String,
        /// 入库单号: the stock-in number (RK…).
        order_no: String,
    },
    /// Cancel a return stock-in that is not checked yet. Nothing moves.
    #[command(after_help = "Example:\n  wdt-returns admin cancel-stockin demo RK202601010001")]
    CancelStockin {
        /// Seller account.
        sid: String,
        /// 入库单号: the stock-in number (RK…).
        order_no: String,
    },
    /// Check a purchase return that is not checked yet: its goods leave stock, earliest expiry
    /// first. Refused when stock is short.
    #[command(after_help = "Example:\n  wdt-returns admin check-purchase-return demo PR-1")]
    CheckPurchaseReturn {
        /// Seller account.
        sid: String,
        /// The purchase return's number (the outer number it was pushed with).
        order_no: String,
    },
    /// Cancel a purchase return that is not checked yet. Nothing moves.
    #[command(after_help = "Example:\n  wdt-returns admin cancel-purchase-return demo PR-1")]
    CancelPurchaseReturn {
        /// Seller account.
        sid: String,
        /// The purchase return's number (the outer number it was pushed with).
        order_no: String,
    },
    /// Ship (发货) a trade from a warehouse: its goods leave that warehouse's stock, earliest
    /// expiry first. Refused when stock is short or the trade has shipped already.
    #[command(after_help = "Example:\n  wdt-returns admin ship demo T-DEMO-8 --warehouse WH1")]
    Ship {
        /// Seller account.
        sid: String,
        /// 原始单号: the trade's platform order number.
        tid: String,
        /// 仓库编号: the warehouse the goods leave.
        #[arg(long)]
        warehouse: String,
    },
    /// Count (盘点) one stock line: set it to the quantity found on the shelf. The difference is
    /// booked as a stock count (PD…); counting what the line already holds books nothing.
    #[command(after_help = "Examples:\n  \
        wdt-returns admin adjust demo --warehouse WH1 --spec MUG-RED --position A-01 --num 7\n  \
        wdt-returns admin adjust demo --warehouse WH1 --spec MUG-RED --position B-01 --defect --num 0\n  \
        wdt-returns admin adjust demo --warehouse WH1 --spec MILK-1L --batch B2601 --num 40")]
    Adjust {
        /// Seller account.
        sid: String,
        /// 仓库编号: the warehouse.
        #[arg(long)]
        warehouse: String,
        /// 商家编码: the spec counted.
        #[arg(long)]
        spec: String,
        /// The quantity counted (not negative, at most 4 decimals).
        #[arg(long, allow_hyphen_values = true)]
        num: String,
        /// Count the defect (残次品) stock of the line instead of the good stock.
        #[arg(long)]
        defect: bool,
        /// 批次号: the batch, for goods kept by batch.
        #[arg(long)]
        batch: Option<String>,
        /// 货位编号: the shelf position; without it, the warehouse's default position.
        #[arg(long)]
        position: Option<String>,
    },
    /// List the audit log, oldest first: who did which action to which document, when, and its
    /// state before and after.
    #[command(after_help = "Examples:\n  \
        wdt-returns admin audit\n  \
        wdt-returns admin audit --sid demo --since '2026-01-01 09:00:00'")]
    Audit {
        /// Only this seller's actions.
        #[arg(long)]
        sid: Option<String>,
        /// Only actions at or after this time: `yyyy-MM-dd HH:mm:ss` (Beijing time) or epoch
        /// milliseconds.
        #[arg(long)]
        since: Option<String>,
        /// At most this many rows (the server caps it at 1000).
        #[arg(long)]
        limit: Option<u32>,
    },
}

/// What to send: the path segments under `/admin/v1`, and the method and body.
struct Request {
    segments: Vec<String>,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
}

impl AdminCommand {
    fn request(self) -> Request {
        let action = |kind: &str, sid: String, no: String, verb: &str| Request {
            segments: vec![kind.to_owned(), sid, no, verb.to_owned()],
            query: Vec::new(),
            body: None,
        };
        match self {
            AdminCommand::ReviewRefund { sid, refund_no } => action("refund-orders", sid, refund_no, "review"),
            AdminCommand::CancelRefund { sid, refund_no } => action("refund-orders", sid, refund_no, "cancel"),
            AdminCommand::CheckStockin { sid, order_no } => action("stockins", sid, order_no, "check"),
            AdminCommand::CancelStockin { sid, order_no } => action("stockins", sid, order_no, "cancel"),
            AdminCommand::CheckPurchaseReturn { sid, order_no } => action("purchase-returns", sid, order_no, "check"),
            AdminCommand::CancelPurchaseReturn { sid, order_no } => action("purchase-returns", sid, order_no, "cancel"),
            AdminCommand::Ship { sid, tid, warehouse } => {
                Request { body: Some(json!({"warehouse_no": warehouse})), ..action("trades", sid, tid, "ship") }
            }
            AdminCommand::Adjust { sid, warehouse, spec, num, defect, batch, position } => Request {
                segments: vec!["stock".to_owned(), sid, "adjust".to_owned()],
                query: Vec::new(),
                body: Some(json!({
                    "warehouse_no": warehouse, "spec_no": spec, "defect": defect,
                    "batch_no": batch, "position_no": position, "num": num,
                })),
            },
            AdminCommand::Audit { sid, since, limit } => {
                let mut query = Vec::new();
                query.extend(sid.map(|s| ("sid", s)));
                query.extend(since.map(|s| ("since", s)));
                query.extend(limit.map(|l| ("limit", l.to_string())));
                Request { segments: vec!["audit".to_owned()], query, body: None }
            }
        }
    }
}

/// `base` with `/admin/v1/<segments>` appended, each segment percent-encoded.
fn endpoint(base: &str, segments: &[String]) -> anyhow::Result<reqwest::Url> {
    let mut url = reqwest::Url::parse(base).with_context(|| format!("--url {base} is not a URL"))?;
    {
        let Ok(mut path) = url.path_segments_mut() else { bail!("--url {base} cannot take a path") };
        path.pop_if_empty().extend(["admin", "v1"]).extend(segments);
    }
    Ok(url)
}

/// Sends the command and prints the answer; exit 0 done, 2 refused, 1 no usable answer.
pub async fn run(args: AdminArgs) -> anyhow::Result<ExitCode> {
    let Some(token) = args.admin_token.filter(|t| !t.is_empty()) else {
        bail!("give the server's admin token with --admin-token or WDT_ADMIN_TOKEN");
    };
    let is_audit = matches!(args.command, AdminCommand::Audit { .. });
    let request = args.command.request();
    let url = endpoint(&args.url, &request.segments)?;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().context("HTTP client")?;
    let builder = match &request.body {
        _ if is_audit => http.get(url.clone()).query(&request.query),
        Some(body) => http.post(url.clone()).json(body),
        None => http.post(url.clone()),
    };
    let response = match builder.bearer_auth(&token).send().await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: no answer from {}: {e}", args.url);
            return Ok(ExitCode::FAILURE);
        }
    };
    let status = response.status();
    let text = response.text().await.context("reading the answer")?;
    let Ok(answer) = serde_json::from_str::<Value>(&text) else {
        eprintln!("error: HTTP {status} from {url}, not a JSON answer: {}", text.chars().take(300).collect::<String>());
        return Ok(ExitCode::FAILURE);
    };
    if !status.is_success() {
        let error = &answer["error"];
        let code = error["code"].as_str().unwrap_or("?");
        let message = error["message"].as_str().unwrap_or(&text);
        eprintln!("error: {} {code}: {message}", status.as_u16());
        if args.json {
            println!("{}", serde_json::to_string_pretty(&answer)?);
        }
        return Ok(if status.is_client_error() { ExitCode::from(2) } else { ExitCode::FAILURE });
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else if is_audit {
        print!("{}", audit_text(&answer));
    } else {
        print!("{}", document_text(&answer["document"]));
        println!("{}", audit_line(&answer["audit"]));
    }
    Ok(ExitCode::SUCCESS)
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The changed document in a few lines: what it is, its state, its lines.
fn document_text(doc: &Value) -> String {
    let mut out = String::new();
    match s(&doc["type"]) {
        "refund_order" => {
            out += &format!(
                "refund order {} ({}): {}, receipt {}\n",
                s(&doc["refund_no"]),
                s(&doc["sid"]),
                s(&doc["status_label"]),
                s(&doc["stockin_status_label"])
            );
            for i in doc["items"].as_array().into_iter().flatten() {
                out +=
                    &format!("  {} received {} of {}\n", s(&i["spec_no"]), s(&i["stockin_num"]), s(&i["refund_num"]));
            }
        }
        "stockin" => {
            out += &format!(
                "stock-in {} ({}, refund order {}, warehouse {}): {}\n",
                s(&doc["order_no"]),
                s(&doc["sid"]),
                s(&doc["refund_no"]),
                s(&doc["warehouse_no"]),
                s(&doc["status_label"])
            );
            for l in doc["lines"].as_array().into_iter().flatten() {
                let defect = if l["defect"] == true { " defect" } else { "" };
                let batch =
                    if s(&l["batch_no"]).is_empty() { String::new() } else { format!(" batch {}", s(&l["batch_no"])) };
                out += &format!("  {} {}{defect}{batch} at {}\n", s(&l["spec_no"]), s(&l["num"]), s(&l["position_no"]));
            }
        }
        "purchase_return" => {
            out += &format!(
                "purchase return {} ({}, to {}, from {}): {}\n",
                s(&doc["return_no"]),
                s(&doc["sid"]),
                s(&doc["provider_no"]),
                s(&doc["warehouse_no"]),
                s(&doc["status_label"])
            );
        }
        "trade" => {
            let state = if doc["shipped"] == true {
                format!(
                    "shipped from {} at {}, stock-out {}",
                    s(&doc["warehouse_no"]),
                    s(&doc["shipped_at"]),
                    s(&doc["stockout_no"])
                )
            } else {
                "not shipped".to_owned()
            };
            out += &format!("trade {} ({} {}): {state}\n", s(&doc["tid"]), s(&doc["sid"]), s(&doc["trade_no"]));
            for i in doc["items"].as_array().into_iter().flatten() {
                out += &format!("  {} {}\n", s(&i["spec_no"]), s(&i["num"]));
            }
        }
        "stock_line" => {
            let defect = if doc["defect"] == true { " defect" } else { "" };
            let batch =
                if s(&doc["batch_no"]).is_empty() { String::new() } else { format!(" batch {}", s(&doc["batch_no"])) };
            out += &format!(
                "stock {} ({}) in {} at {}{defect}{batch}: {} on hand\n",
                s(&doc["spec_no"]),
                s(&doc["sid"]),
                s(&doc["warehouse_no"]),
                s(&doc["position_no"]),
                s(&doc["num"])
            );
        }
        other => out += &format!("{other}: {doc}\n"),
    }
    out
}

/// One audit row on one line.
fn audit_line(a: &Value) -> String {
    let doc_no = if s(&a["doc_no"]).is_empty() { String::new() } else { format!(" [{}]", s(&a["doc_no"])) };
    format!(
        "audit #{} {} {} {} {} {}: {} → {}{doc_no}",
        a["id"],
        s(&a["created"]),
        s(&a["sid"]),
        s(&a["actor"]),
        s(&a["action"]),
        s(&a["target"]),
        s(&a["before"]),
        s(&a["after"])
    )
}

/// The audit listing, one row a line, and a note when more rows follow.
fn audit_text(answer: &Value) -> String {
    let rows = answer["audit"].as_array().cloned().unwrap_or_default();
    let mut out = String::new();
    if rows.is_empty() {
        out += "no audit rows\n";
    }
    for r in &rows {
        out += &audit_line(r);
        out.push('\n');
    }
    if answer["more"] == true
        && let Some(last) = rows.last()
    {
        out += &format!("… more rows follow: add --since {} (or a larger --limit)\n", last["created_ms"]);
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        admin: AdminArgs,
    }

    fn parse(args: &[&str]) -> Result<AdminArgs, clap::Error> {
        Cli::try_parse_from([&["admin"], args].concat()).map(|cli| cli.admin)
    }

    #[test]
    fn each_command_names_its_path_and_body() {
        let cases: Vec<(&[&str], &str, Option<Value>)> = vec![
            (&["review-refund", "demo", "TK-1"], "refund-orders/demo/TK-1/review", None),
            (&["cancel-refund", "demo", "TK-1"], "refund-orders/demo/TK-1/cancel", None),
            (&["check-stockin", "demo", "RK1"], "stockins/demo/RK1/check", None),
            (&["cancel-stockin", "demo", "RK1"], "stockins/demo/RK1/cancel", None),
            (&["check-purchase-return", "demo", "PR1"], "purchase-returns/demo/PR1/check", None),
            (&["cancel-purchase-return", "demo", "PR1"], "purchase-returns/demo/PR1/cancel", None),
            (
                &["ship", "demo", "T-8", "--warehouse", "WH1"],
                "trades/demo/T-8/ship",
                Some(json!({"warehouse_no": "WH1"})),
            ),
            (
                &["adjust", "demo", "--warehouse", "WH1", "--spec", "MUG", "--num", "7", "--position", "A-01"],
                "stock/demo/adjust",
                Some(json!({"warehouse_no": "WH1", "spec_no": "MUG", "defect": false, "batch_no": null,
                            "position_no": "A-01", "num": "7"})),
            ),
            (&["audit"], "audit", None),
        ];
        for (args, path, body) in cases {
            let parsed = parse(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let request = parsed.command.request();
            assert_eq!(request.segments.join("/"), path, "{args:?}");
            assert_eq!(request.body, body, "{args:?}");
        }
        let audit = parse(&["audit", "--sid", "demo", "--since", "2026-01-01 00:00:00", "--limit", "5"]).unwrap();
        assert_eq!(
            audit.command.request().query,
            [("sid", "demo".to_owned()), ("since", "2026-01-01 00:00:00".to_owned()), ("limit", "5".to_owned())]
        );
        // A negative count reaches the server, which names it.
        let negative = parse(&["adjust", "demo", "--warehouse", "WH1", "--spec", "MUG", "--num", "-1"]).unwrap();
        assert_eq!(negative.command.request().body.unwrap()["num"], "-1");
        assert!(parse(&["ship", "demo", "T-8"]).is_err(), "--warehouse is required");
        assert!(parse(&["adjust", "demo", "--warehouse", "WH1", "--num", "1"]).is_err(), "--spec is required");
    }

    #[test]
    fn global_flags_go_anywhere_and_segments_are_escaped() {
        let a = parse(&["ship", "demo", "T 8/x", "--warehouse", "WH1", "--url", "http://h:1/base/", "--json"]).unwrap();
        assert!(a.json);
        let request = a.command.request();
        let url = endpoint(&a.url, &request.segments).unwrap();
        assert_eq!(url.as_str(), "http://h:1/base/admin/v1/trades/demo/T%208%2Fx/ship");
        assert!(endpoint("not a url", &[]).is_err());
    }

    #[test]
    fn answers_read_as_one_line_each() {
        let audit = json!({"id": 3, "created": "2026-01-01 09:00:00", "sid": "demo", "actor": "admin",
                           "action": "trade.ship", "target": "T-8", "before": "未发货", "after": "已发货", "doc_no": "CK1"});
        assert_eq!(audit_line(&audit), "audit #3 2026-01-01 09:00:00 demo admin trade.ship T-8: 未发货 → 已发货 [CK1]");
        let more = audit_text(&json!({"audit": [audit], "more": true}));
        assert!(more.contains("more rows follow"), "{more}");
        assert_eq!(audit_text(&json!({"audit": [], "more": false})), "no audit rows\n");
        let line = json!({"type": "stock_line", "sid": "demo", "warehouse_no": "WH1", "spec_no": "MUG", "defect": true,
                          "batch_no": "", "position_no": "A-01", "num": "7"});
        assert_eq!(document_text(&line), "stock MUG (demo) in WH1 at A-01 defect: 7 on hand\n");
    }
}
