//! The binary as a newcomer uses it: `serve --demo`, `call`, `import`, `verify`, SIGTERM.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wdt-returns");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env_remove("RUST_LOG").output().expect("run wdt-returns")
}

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` and waits (bounded) until /healthz answers.
fn serve(dir: &Path, port: u16, extra: &[&str]) -> Served {
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(BIN)
        .args(["serve", "--listen", &listen])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let served = Served(child);
    wait_healthy(&listen);
    served
}

/// Waits (bounded) until `GET /healthz` on `listen` answers 200.
fn wait_healthy(listen: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(mut s) = std::net::TcpStream::connect(listen) {
            use std::io::{Read, Write};
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut text = String::new();
            let _ = s.read_to_string(&mut text);
            if text.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        assert!(Instant::now() < deadline, "server did not become healthy");
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn serve_demo_answers_a_signed_call_from_call_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut served = serve(dir.path(), port, &["--demo"]);
    let url = format!("http://127.0.0.1:{port}");
    let body = r#"[{"refund_no":"TK-DEMO-1","out_stockin_no":"CLI-1","warehouse_no":"WH1","create_mode":2,"detail_list":[{"spec_no":"MUG-RED","num":1}]}]"#;
    let push = [
        "call",
        "--url",
        &url,
        "--sid",
        "demo",
        "--qjb-key",
        "demo-qjb",
        "--secret",
        "demo-secret:demo-salt",
        "wms.stockin.Refund.createOrder",
        body,
    ];
    let out = run(&push, dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "call failed: {stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("\"RK"), "the answer carries the new order no: {stdout}");

    // The same outer number in another request: a remote business error, exit code 2. (The
    // same bytes again within the timestamp window would be answered as the first call was.)
    let other = body.replace(r#""num":1"#, r#""num":2"#);
    let mut push_again = push;
    push_again[10] = &other;
    let again = run(&push_again, dir.path());
    assert_eq!(again.status.code(), Some(2), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stderr).contains("CLI-1"));

    // openapi2 through the same CLI.
    let info = r#"{"stockin_refund_info":{"refund_no":"TK-DEMO-1","outer_no":"CLI-E1","warehouse_no":"WH1","detail_list":[{"spec_no":"MUG-BLUE","stockin_num":1}]}}"#;
    let out = run(
        &[
            "call",
            "--url",
            &url,
            "--sid",
            "demo",
            "--appkey",
            "demo-ent",
            "--secret",
            "demo-ent-secret",
            "stockin_refund_push.php",
            info,
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("succeed"));

    // The documents' methods through the same CLI: a raw trade of the self-owned shop, then a
    // raw refund of the demo's unshipped trade.
    let qjb = |method: &str, body: &str| {
        let args =
            ["call", "--url", &url, "--sid", "demo", "--qjb-key", "demo-qjb", "--secret", "demo-secret:demo-salt"];
        run(&[&args[..], &[method, body]].concat(), dir.path())
    };
    let trade = r#"["SHOP-OWN", [{"tid": "CLI-T1", "process_status": 10, "trade_status": 30, "refund_status": 0,
        "pay_status": 2, "order_count": 1, "goods_count": 1, "pay_method": 1, "trade_time": "2024-08-30 10:00:00",
        "buyer_nick": "cli", "receiver_name": "cli", "receiver_area": "北京 北京市 朝阳区", "receiver_address": "1号",
        "receiver_mobile": "15612340987", "post_amount": 0, "discount": 0, "receivable": 10, "delivery_term": 1,
        "is_auto_wms": false}], [{"tid": "CLI-T1", "oid": "CLI-T1-1", "status": 30, "refund_status": 0,
        "goods_id": "g", "spec_id": "s", "goods_no": "G-MUG", "spec_no": "MUG-RED", "goods_name": "马克杯", "num": 1,
        "price": 10, "discount": 0, "share_discount": 0, "total_amount": 10, "adjust_amount": 0, "remark": "",
        "json": ""}]]"#;
    let out = qjb("sales.RawTrade.pushSelf", trade);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\"new_count\": 1"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let refund = r#"["SHOP-OWN", [{"refund_no": "CLI-RR1", "num": 1, "tid": "T-DEMO-8", "oid": "T-DEMO-8-1", "type": 1,
        "status": 2, "refund_version": "1", "refund_amount": 1, "actual_refund_amount": 1, "title": "",
        "buyer_nick": "cli", "is_aftersale": 0, "reason": ""}]]"#;
    for method in ["aftersales.refund.RawRefund.upload", "aftersales.refund.RawRefund.upload2"] {
        let out = qjb(method, refund);
        assert!(out.status.success(), "{method}: {}", String::from_utf8_lossy(&out.stderr));
    }

    // Export a range longer than 30 days, piped: plain lines, no progress bar.
    let now = wdt_protocol::time::now_ms();
    let fmt = wdt_protocol::time::format_wire_time;
    let (from, to) = (fmt(now - 40 * 86_400_000), fmt(now + 3_600_000));
    let common =
        ["export", "--url", &url, "--sid", "demo", "--qjb-key", "demo-qjb", "--secret", "demo-secret:demo-salt"];
    let jsonl = run(&[&common[..], &["--from", &from, "--to", &to]].concat(), dir.path());
    let text = String::from_utf8_lossy(&jsonl.stdout);
    assert!(jsonl.status.success(), "{}", String::from_utf8_lossy(&jsonl.stderr));
    assert_eq!(text.lines().count(), 2, "two orders pushed: {text}");
    assert!(text.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    let csv = run(&[&common[..], &["--from", &from, "--to", &to, "--format", "csv"]].concat(), dir.path());
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(text.starts_with("order_no,status,refund_no"), "{text}");
    assert_eq!(text.lines().count(), 3, "header and one line per detail: {text}");

    // Any paged query: every shop, one JSON line each, through pages of one.
    let shops = run(&[&common[..], &["--method", "setting.Shop.queryShop", "--page-size", "1"]].concat(), dir.path());
    let text = String::from_utf8_lossy(&shops.stdout);
    assert!(shops.status.success(), "{}", String::from_utf8_lossy(&shops.stderr));
    let nos: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["shop_no"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(nos, ["SHOP-OWN", "SHOP-POS", "SHOP-JD", "SHOP-TB"]);
    let filtered = run(
        &[&common[..], &["--method", "setting.Shop.queryShop", "--params", r#"{"platform_id":3}"#]].concat(),
        dir.path(),
    );
    assert_eq!(String::from_utf8_lossy(&filtered.stdout).lines().count(), 1);
    // A query read by time refuses to run without its range; csv is for stock-ins only.
    let no_range = run(&common, dir.path());
    assert!(!no_range.status.success());
    let csv_shops =
        run(&[&common[..], &["--method", "setting.Shop.queryShop", "--format", "csv"]].concat(), dir.path());
    assert!(!csv_shops.status.success());

    // SIGTERM: stop accepting, answer what was accepted, exit 0. Ten requests are half sent
    // when the signal comes, and finished after it.
    let half_sent: Vec<std::net::TcpStream> = (0..10)
        .map(|_| {
            use std::io::Write;
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"POST /openapi HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let pid = served.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    std::thread::sleep(Duration::from_millis(50));
    for mut s in half_sent {
        use std::io::{Read, Write};
        s.write_all(b"]").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with('}'), "answered in full: {answer:?}");
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = served.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(25));
    };
    assert!(status.success(), "exit status {status}");

    let verify = run(&["verify"], dir.path());
    let text = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{text}");
    assert!(text.contains("all invariants hold"), "{text}");
}

#[test]
fn import_loads_once_and_refuses_a_bad_record_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/spec-example.json");
    let fixture = fixture.to_str().unwrap();
    let db = format!("sqlite://{}", dir.path().join("imp.db").display());
    let first = run(&["import", "--database", &db, fixture], dir.path());
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let second = run(&["import", "--database", &db, fixture], dir.path());
    let text = String::from_utf8_lossy(&second.stdout);
    assert!(text.contains("0 rows inserted, 0 updated"), "{text}");

    let bad = dir.path().join("bad.json");
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    json["sid"] = "other".into();
    json["refund_orders"][0]["items"][0]["spec_no"] = "NO-SUCH".into();
    std::fs::write(&bad, json.to_string()).unwrap();
    let refused = run(&["import", "--database", &db, bad.to_str().unwrap()], dir.path());
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("refund_orders[0].items[0].spec_no") && err.contains("NO-SUCH"), "{err}");
    // Nothing of the refused file: the other sid has no credentials, so verify still sees only acme.
    let verify = run(&["verify", "--database", &db], dir.path());
    assert!(verify.status.success());
}

#[test]
fn verify_fails_with_a_report_when_stock_disagrees_with_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.db");
    let db = format!("sqlite://{}", path.display());
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo.json");
    assert!(run(&["import", "--database", &db, fixture.to_str().unwrap()], dir.path()).status.success());
    // Tamper with the stock table behind the application's back.
    let conn = rusqlite_free_update(&path);
    assert!(conn, "tampering worked");
    let out = run(&["verify", "--database", &db], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL") && text.contains("ledger sum"), "{text}");
}

/// Changes one stock quantity directly in the database file; returns whether a row changed.
fn rusqlite_free_update(path: &Path) -> bool {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        let done = sqlx::query("UPDATE stock SET num = num + 10000 WHERE id = (SELECT MIN(id) FROM stock)")
            .execute(&mut conn)
            .await
            .unwrap();
        done.rows_affected() == 1
    })
}

#[test]
fn a_config_file_sets_what_flags_would() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let db = dir.path().join("cfg.db");
    let config = dir.path().join("wdt.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{port}\"\ndatabase = \"sqlite://{}\"\ndemo = true\nlog-format = \"json\"\n",
            db.display()
        ),
    )
    .unwrap();
    let child = Command::new(BIN)
        .args(["serve", "--config", config.to_str().unwrap()])
        .current_dir(dir.path())
        .env_remove("WDT_LISTEN")
        .env_remove("WDT_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _served = Served(child);
    wait_healthy(&format!("127.0.0.1:{port}"));
    assert!(db.exists(), "the database named in the config file was created");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "lisen = \"x\"\n").unwrap();
    let out = run(&["serve", "--config", bad.to_str().unwrap()], dir.path());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lisen"));
}
