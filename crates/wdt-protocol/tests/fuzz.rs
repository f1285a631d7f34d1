//! Property-based fuzzing of everything that reads untrusted input: the qjb argument decoder and
//! method payloads, the openapi2 business field, the decimal and time parsers, and the signers.
//! Nothing may panic; what parses must round-trip. `PROPTEST_CASES` sets the cases per property
//! (CI runs more than the default); each property reports how many it ran.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use serde_json::Value;
use wdt_protocol::methods::purchase_return::PurchaseReturnCreate;
use wdt_protocol::methods::refund_stockin::RefundStockinOrder;
use wdt_protocol::methods::refund_stockin_query::RefundStockinQuery;
use wdt_protocol::methods::smart_refund::SmartRefundUpload;
use wdt_protocol::methods::stockin_refund_push::StockinRefundInfo;
use wdt_protocol::methods::{QJB_METHODS, decode_args};
use wdt_protocol::time::{format_wire_time, parse_wire_time};
use wdt_protocol::{Dec4, openapi2, qjb};

static RUNS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

fn count(i: usize) {
    RUNS[i].fetch_add(1, Ordering::Relaxed);
}

fn report(i: usize, name: &str) {
    // The real stderr handle: the harness captures eprintln! of passing tests.
    let _ = writeln!(std::io::stderr(), "fuzz {name}: {} executions", RUNS[i].load(Ordering::Relaxed));
}

/// Arbitrary JSON, up to a few levels deep, biased towards the shapes the decoders expect.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "-?[0-9]{1,20}(\\.[0-9]{1,8})?(e[+-]?[0-9]{1,3})?".prop_map(|s| s.parse::<Value>().unwrap_or(Value::Null)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("TK-DEMO-1"),
            Just("WH1"),
            Just("MUG-RED"),
            Just("2024-08-30 17:38:35"),
            Just("1"),
            Just("-1")
        ]
        .prop_map(Value::from),
    ];
    let keys = prop_oneof![
        Just("refund_no"),
        Just("warehouse_no"),
        Just("detail_list"),
        Just("spec_no"),
        Just("num"),
        Just("stockin_num"),
        Just("create_mode"),
        Just("is_check"),
        Just("batch_no"),
        Just("expire_date"),
        Just("start_time"),
        Just("end_time"),
        Just("status"),
        Just("tid"),
        Just("outer_no"),
        Just("x"),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest! {
    #[test]
    fn decode_args_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256), m in 0usize..4) {
        count(0);
        let method = QJB_METHODS[m % QJB_METHODS.len()];
        let _ = decode_args(method.name, &body, method.arity);
    }

    #[test]
    fn method_payloads_never_panic_on_json(args in prop::collection::vec(json(), 0..4)) {
        count(1);
        let body = Value::Array(args).to_string();
        for method in QJB_METHODS {
            if let Ok(args) = decode_args(method.name, body.as_bytes(), method.arity) {
                let _ = RefundStockinOrder::from_args(args.clone());
                let _ = SmartRefundUpload::from_args(args.clone());
                let _ = PurchaseReturnCreate::from_args(args.clone());
                let _ = RefundStockinQuery::from_args(args);
            }
        }
    }

    #[test]
    fn openapi2_field_never_panics(v in json(), text in ".{0,64}") {
        count(2);
        let _ = StockinRefundInfo::from_form_field(&v.to_string());
        let _ = StockinRefundInfo::from_form_field(&text);
    }

    #[test]
    fn decimals_parse_exactly_or_refuse(text in ".{0,24}", int in "-?[0-9]{1,14}", frac in "[0-9]{0,6}") {
        count(3);
        let _ = Dec4::parse(&text);
        let s = if frac.is_empty() { int.clone() } else { format!("{int}.{frac}") };
        let significant = frac.trim_end_matches('0').len();
        match Dec4::parse(&s) {
            Ok(d) => {
                prop_assert!(significant <= 4, "{s} accepted with {significant} decimals");
                prop_assert_eq!(Dec4::parse(&d.to_string()).unwrap(), d);
                prop_assert_eq!(Dec4::from_scaled(d.to_scaled()), d);
            }
            Err(_) => prop_assert!(significant > 4, "{s} refused"),
        }
    }

    #[test]
    fn times_parse_or_refuse_and_round_trip(text in ".{0,24}", ms in 0i64..4_102_444_800_000) {
        count(4);
        let _ = parse_wire_time(&text);
        let shown = format_wire_time(ms);
        prop_assert_eq!(parse_wire_time(&shown).unwrap(), ms - ms.rem_euclid(1000));
    }

    #[test]
    fn signatures_verify_only_what_was_signed(
        params in prop::collection::vec(("[a-z_]{1,8}", ".{0,16}"), 0..6),
        body in ".{0,64}",
        secret in ".{1,16}",
        flip in any::<u8>(),
    ) {
        count(5);
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let sign = qjb::sign(pairs.iter().copied(), &body, &secret);
        prop_assert!(qjb::verify(pairs.iter().copied(), &body, &secret, &sign));
        let changed_body = format!("{}{}", body, flip as char);
        prop_assert!(!qjb::verify(pairs.iter().copied(), &changed_body, &secret, &sign));
        let sign2 = openapi2::sign(pairs.iter().copied(), &secret);
        prop_assert!(openapi2::verify(pairs.iter().copied(), &secret, &sign2));
        let other_secret = format!("{}x", secret);
        prop_assert!(!openapi2::verify(pairs.iter().copied(), &other_secret, &sign2));
        let _ = qjb::parse_response(body.as_bytes());
        let _ = openapi2::parse_response(body.as_bytes());
    }
}

#[test]
fn zz_report_executions() {
    // Runs after the properties when tests run on one thread; otherwise it reports what has run.
    let _ = writeln!(std::io::stderr());
    for (i, name) in
        ["decode_args", "method payloads", "openapi2 field", "decimals", "times", "signatures"].iter().enumerate()
    {
        report(i, name);
    }
}
