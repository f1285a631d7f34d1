//! `wdt-returns admin …` against `serve --demo` with an admin token: actions, refusals and their
//! exit codes, the audit listing, the help a clerk reads.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wdt-returns");
const TOKEN: &str = "cli-admin-token";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve --demo` with the admin token and waits (bounded) until /healthz answers.
fn serve(dir: &Path, port: u16) -> Served {
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(BIN)
        .args(["serve", "--listen", &listen, "--demo", "--admin-token", TOKEN])
        .current_dir(dir)
        .env_remove("WDT_ADMIN_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let served = Served(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(mut s) = std::net::TcpStream::connect(&listen) {
            use std::io::{Read, Write};
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut text = String::new();
            let _ = s.read_to_string(&mut text);
            if text.starts_with("HTTP/1.1 200") {
                return served;
            }
        }
        assert!(Instant::now() < deadline, "server did not become healthy");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Runs `wdt-returns` with `env` set and nothing inherited that would change it.
fn run(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("WDT_ADMIN_TOKEN")
        .env_remove("WDT_ADMIN_URL");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run wdt-returns")
}

fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn admin_commands_act_on_a_running_server_and_refusals_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut served = serve(dir.path(), port);
    let url = format!("http://127.0.0.1:{port}");
    let admin = |args: &[&str]| {
        let mut all = vec!["admin", "--url", url.as_str(), "--admin-token", TOKEN];
        all.extend_from_slice(args);
        run(&all, dir.path(), &[])
    };

    let ship = admin(&["ship", "demo", "T-DEMO-8", "--warehouse", "WH1"]);
    let (stdout, stderr) = text(&ship);
    assert!(ship.status.success(), "{stdout} {stderr}");
    assert!(stdout.contains("trade T-DEMO-8 (demo JY-DEMO-8): shipped from WH1"), "{stdout}");
    assert!(stdout.contains("stock-out CK"), "{stdout}");
    assert!(stdout.contains(" admin trade.ship T-DEMO-8:"), "the audit line: {stdout}");

    // Shipped already: the server's reason on stderr, exit 2, nothing on stdout.
    let again = admin(&["ship", "demo", "T-DEMO-8", "--warehouse", "WH1"]);
    let (stdout, stderr) = text(&again);
    assert_eq!(again.status.code(), Some(2), "{stdout} {stderr}");
    assert!(stderr.contains("409 conflict") && stderr.contains("T-DEMO-8"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");

    let count =
        admin(&["adjust", "demo", "--warehouse", "WH1", "--spec", "MUG-RED", "--position", "A-01", "--num", "7"]);
    let (stdout, stderr) = text(&count);
    assert!(count.status.success(), "{stdout} {stderr}");
    assert!(stdout.contains("stock MUG-RED (demo) in WH1 at A-01: 7 on hand"), "{stdout}");
    assert!(stdout.contains("stock.adjust") && stdout.contains("98 → 7") && stdout.contains("[PD"), "{stdout}");

    let negative = admin(&["adjust", "demo", "--warehouse", "WH1", "--spec", "MUG-RED", "--num", "-1"]);
    let (_, stderr) = text(&negative);
    assert_eq!(negative.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("422 invalid") && stderr.contains("num: -1"), "{stderr}");

    // URL and token from the environment.
    let env = [("WDT_ADMIN_URL", url.as_str()), ("WDT_ADMIN_TOKEN", TOKEN)];
    let review = run(&["admin", "review-refund", "demo", "TK-DEMO-4"], dir.path(), &env);
    let (stdout, stderr) = text(&review);
    assert!(review.status.success(), "{stdout} {stderr}");
    assert!(stdout.contains("refund order TK-DEMO-4 (demo): 30 已审核 checked"), "{stdout}");
    assert!(stdout.contains("20 待审核 pending review → 30 已审核 checked"), "{stdout}");
    let missing = run(&["admin", "check-stockin", "demo", "RK-NONE"], dir.path(), &env);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing).1.contains("404 not_found"), "{}", text(&missing).1);

    let audit = admin(&["audit", "--sid", "demo"]);
    let (stdout, stderr) = text(&audit);
    assert!(audit.status.success(), "{stdout} {stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, action) in lines.iter().zip(["trade.ship", "stock.adjust", "refund_order.review"]) {
        assert!(line.starts_with("audit #") && line.contains(&format!(" demo admin {action} ")), "{line}");
    }
    let limited = admin(&["audit", "--limit", "1"]);
    let (stdout, _) = text(&limited);
    assert!(stdout.contains("trade.ship") && stdout.contains("more rows follow: add --since"), "{stdout}");
    let json = admin(&["audit", "--json", "--since", "2000-01-01 00:00:00"]);
    let answer: serde_json::Value = serde_json::from_slice(&json.stdout).expect("--json prints the answer");
    assert_eq!(answer["audit"].as_array().map(Vec::len), Some(3), "{answer}");
    let bad_since = admin(&["audit", "--since", "yesterday"]);
    assert_eq!(bad_since.status.code(), Some(2));
    assert!(text(&bad_since).1.contains("since: yesterday"), "{}", text(&bad_since).1);

    // A wrong token is a refusal; no token, or no server, is no answer at all.
    let wrong = run(&["admin", "--url", &url, "--admin-token", "nope", "audit"], dir.path(), &[]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong).1.contains("401 unauthorized"), "{}", text(&wrong).1);
    let none = run(&["admin", "--url", &url, "audit"], dir.path(), &[]);
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none).1.contains("--admin-token"), "{}", text(&none).1);
    let closed = format!("http://127.0.0.1:{}", free_port());
    let down = run(&["admin", "--url", &closed, "--admin-token", TOKEN, "audit"], dir.path(), &[]);
    assert_eq!(down.status.code(), Some(1));
    assert!(text(&down).1.contains("no answer"), "{}", text(&down).1);

    // Stop the server; every invariant holds over what the commands did.
    let _ = served.0.kill();
    let _ = served.0.wait();
    let verify = run(&["verify"], dir.path(), &[]);
    assert!(verify.status.success(), "{}", text(&verify).0);
}

#[test]
fn the_help_says_what_each_command_does_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let help = run(&["admin", "--help"], dir.path(), &[]);
    let (stdout, _) = text(&help);
    assert!(help.status.success());
    for command in [
        "review-refund",
        "cancel-refund",
        "check-stockin",
        "cancel-stockin",
        "check-purchase-return",
        "cancel-purchase-return",
        "ship",
        "adjust",
        "audit",
    ] {
        assert!(stdout.contains(command), "{command} in {stdout}");
    }
    assert!(stdout.contains("WDT_ADMIN_TOKEN") && stdout.contains("Examples:"), "{stdout}");
    for (command, example) in [
        ("ship", "wdt-returns admin ship demo T-DEMO-8 --warehouse WH1"),
        ("adjust", "--spec MUG-RED --position A-01 --num 7"),
        ("check-stockin", "wdt-returns admin check-stockin demo RK"),
        ("audit", "--since '2026-01-01 09:00:00'"),
    ] {
        let out = run(&["admin", command, "--help"], dir.path(), &[]);
        let (stdout, _) = text(&out);
        assert!(out.status.success() && stdout.contains(example), "{command}: {stdout}");
    }
    let top = run(&["--help"], dir.path(), &[]);
    assert!(text(&top).0.contains("admin"), "{}", text(&top).0);
}
