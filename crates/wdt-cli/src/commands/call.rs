//! `wdt-returns call`: one signed call from a terminal, against this server or the real ERP.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use serde_json::Value;
use wdt_client::{Client, Error, RetryPolicy};
use wdt_protocol::qjb::Pager;

/// Arguments of `call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// Base URL (`http://127.0.0.1:8080`; `/openapi` or `/openapi2/…` is appended).
    #[arg(long, env = "WDT_URL")]
    url: String,
    /// Seller account.
    #[arg(long, env = "WDT_SID")]
    sid: String,
    /// qjb key (旗舰版).
    #[arg(long, env = "WDT_QJB_KEY", conflicts_with = "appkey", required_unless_present = "appkey")]
    qjb_key: Option<String>,
    /// openapi2 appkey (企业版).
    #[arg(long, env = "WDT_APPKEY")]
    appkey: Option<String>,
    /// The appsecret (qjb: `secret:salt`).
    #[arg(long, env = "WDT_SECRET", hide_env_values = true)]
    secret: String,
    /// Page size, for paged qjb methods (sends `page_size`, `page_no`, `calc_total`).
    #[arg(long, conflicts_with = "appkey")]
    page_size: Option<u32>,
    /// Page number from 0, for paged qjb methods (default 0).
    #[arg(long, requires = "page_size")]
    page_no: Option<u32>,
    /// Ask for total_count, for paged qjb methods.
    #[arg(long, requires = "page_size")]
    calc_total: bool,
    /// qjb: the method (`wms.stockin.Refund.createOrder`); openapi2: the endpoint
    /// (`stockin_refund_push.php`).
    method: String,
    /// qjb: the JSON array of arguments; openapi2: a JSON object of form fields (objects and
    /// arrays are sent as their JSON text). `-` reads standard input, `@FILE` a file.
    args_json: String,
}

fn read_args(text: &str) -> anyhow::Result<Value> {
    let raw = if text == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("reading standard input")?;
        s
    } else if let Some(path) = text.strip_prefix('@') {
        std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?
    } else {
        text.to_owned()
    };
    serde_json::from_str(&raw).context("ARGS_JSON is not JSON")
}

/// The openapi2 form fields of an ARGS_JSON object: strings as they are, everything else as its
/// compact JSON text.
fn form_fields(payload: Value) -> anyhow::Result<Vec<(String, String)>> {
    let Value::Object(fields) = payload else {
        bail!("an openapi2 call takes a JSON object of form fields, e.g. '{{\"stockin_refund_info\":{{…}}}}'");
    };
    Ok(fields
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

/// Sends the call, prints the answer; exit 0 on success, 2 on a refusal, 1 when nothing came back.
pub async fn run(args: CallArgs) -> anyhow::Result<ExitCode> {
    let payload = read_args(&args.args_json)?;
    let result = match (&args.qjb_key, &args.appkey) {
        (Some(key), _) => {
            if !payload.is_array() {
                bail!("a qjb call takes a JSON array of arguments, e.g. '[{{…}}]'");
            }
            let client = Client::qjb(&args.url, &args.sid, key, &args.secret).with_retry(RetryPolicy::none());
            match args.page_size {
                Some(page_size) => {
                    let pager = Pager { page_size, page_no: args.page_no.unwrap_or(0), calc_total: args.calc_total };
                    client
                        .call_paged(&args.method, &pager, &payload)
                        .await
                        .map(|data| serde_json::json!({"status": 0, "data": data}))
                }
                None => client.call(&args.method, &payload).await.map(|data| match data {
                    Some(data) => serde_json::json!({"status": 0, "data": data}),
                    None => serde_json::json!({"status": 0}),
                }),
            }
        }
        (None, Some(appkey)) => {
            let fields = form_fields(payload)?;
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let client = Client::openapi2(&args.url, &args.sid, appkey, &args.secret).with_retry(RetryPolicy::none());
            client.post_openapi2(&args.method, &borrowed).await.map(Value::Object)
        }
        (None, None) => bail!("give --qjb-key or --appkey"),
    };
    match result {
        Ok(answer) => {
            println!("{}", serde_json::to_string_pretty(&answer)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Remote { code, message, .. }) => {
            eprintln!("error: status {code}: {message}");
            Ok(ExitCode::from(2))
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        call: CallArgs,
    }

    fn parse(args: &[&str]) -> Result<CallArgs, clap::Error> {
        Cli::try_parse_from([&["call"], args].concat()).map(|cli| cli.call)
    }

    #[test]
    fn one_dialect_per_call() {
        let common = ["--url", "http://x", "--sid", "s", "--secret", "a:b"];
        let qjb = parse(&[&common[..], &["--qjb-key", "k", "m", "[]"]].concat()).unwrap();
        assert_eq!((qjb.qjb_key.as_deref(), qjb.appkey.as_deref()), (Some("k"), None));
        let ent = parse(&[&common[..], &["--appkey", "k", "x.php", "{}"]].concat()).unwrap();
        assert_eq!((ent.qjb_key.as_deref(), ent.appkey.as_deref()), (None, Some("k")));
        assert!(parse(&[&common[..], &["--qjb-key", "k", "--appkey", "k", "m", "[]"]].concat()).is_err());
        assert!(parse(&[&common[..], &["--appkey", "k", "--page-size", "5", "x.php", "{}"]].concat()).is_err());
        assert!(parse(&[&common[..], &["--qjb-key", "k", "--page-no", "1", "m", "[]"]].concat()).is_err());
        let paged =
            parse(&[&common[..], &["--qjb-key", "k", "--page-size", "5", "--calc-total", "m", "[]"]].concat()).unwrap();
        assert_eq!((paged.page_size, paged.page_no, paged.calc_total), (Some(5), None, true));
    }

    #[test]
    fn args_json_inline_or_from_a_file() {
        assert_eq!(read_args("[1]").unwrap(), json!([1]));
        let path = std::env::temp_dir().join(format!("wdt-call-args-{}", std::process::id()));
        std::fs::write(&path, r#"{"a":"b"}"#).unwrap();
        let read = read_args(&format!("@{}", path.display()));
        let _ = std::fs::remove_file(&path);
        assert_eq!(read.unwrap(), json!({"a": "b"}));
        assert!(read_args("{").is_err());
        assert!(read_args("@/no/such/file").is_err());
    }

    #[test]
    fn form_fields_send_structures_as_compact_json() {
        let fields = form_fields(json!({
            "stockin_refund_info": {"refund_no": "TK1", "detail_list": [{"stockin_num": "1.5"}]},
            "page_no": "0",
            "page_size": 40
        }))
        .unwrap();
        assert_eq!(
            fields,
            [
                (
                    "stockin_refund_info".to_owned(),
                    r#"{"refund_no":"TK1","detail_list":[{"stockin_num":"1.5"}]}"#.to_owned()
                ),
                ("page_no".to_owned(), "0".to_owned()),
                ("page_size".to_owned(), "40".to_owned()),
            ]
        );
        assert!(form_fields(json!([1])).is_err());
    }
}
