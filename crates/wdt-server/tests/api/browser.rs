//! A real browser through the console: headless Chromium driven over WebDriver (chromedriver)
//! logs in, opens a refund order, follows it to its stock-in and on to the ledger rows, and saves
//! a screenshot of each page. Skipped with a message when chromedriver is missing, except under
//! `CI=true`, where `.ci/run` installs it.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use wdt_server::{RateLimits, ServerConfig};

use crate::helpers::*;

const TOKEN: &str = "browser-test-token";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub(crate) struct Driver {
    child: Child,
    url: String,
    pub(crate) session: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn chromedriver() -> Option<&'static str> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].into_iter().find(|p| std::path::Path::new(p).exists())
}

impl Driver {
    pub(crate) async fn start(path: &str) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while http.get(format!("{url}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=420,900",
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}});
        let mut driver = Driver { child, url, session: String::new(), http };
        let created = driver.call("POST", "/session", Some(caps)).await;
        driver.session = created["sessionId"].as_str().expect("a session").to_owned();
        driver
    }

    pub(crate) async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body).await.unwrap_or_else(|answer| panic!("webdriver {path}: {answer}"))
    }

    /// One WebDriver command; a WebDriver error comes back as `Err` with the whole answer.
    pub(crate) async fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "POST" => self.http.post(url).json(&body.unwrap_or(json!({}))),
            "DELETE" => self.http.delete(url),
            _ => self.http.get(url),
        };
        let answer: Value = req.send().await.expect("webdriver").json().await.expect("webdriver json");
        match answer["value"].get("error") {
            None => Ok(answer["value"].clone()),
            Some(_) => Err(answer),
        }
    }

    pub(crate) async fn go(&self, url: &str) {
        self.call("POST", &format!("/session/{}/url", self.session), Some(json!({"url": url}))).await;
    }

    pub(crate) async fn find(&self, using: &str, value: &str) -> String {
        let e = self
            .call("POST", &format!("/session/{}/element", self.session), Some(json!({"using": using, "value": value})))
            .await;
        e[ELEMENT].as_str().unwrap_or_else(|| panic!("element {using} {value}: {e}")).to_owned()
    }

    pub(crate) async fn click(&self, element: &str) {
        self.call("POST", &format!("/session/{}/element/{element}/click", self.session), None).await;
    }

    pub(crate) async fn type_into(&self, element: &str, text: &str) {
        self.call("POST", &format!("/session/{}/element/{element}/value", self.session), Some(json!({"text": text})))
            .await;
    }

    /// The page's text once it contains `needle`. A click that navigates returns before the next
    /// page has loaded, so the old body may go stale or the new one not exist yet: retry until
    /// the text shows up or ten seconds pass, then return what the page says.
    pub(crate) async fn text_containing(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.try_text().await.unwrap_or_default();
            if text.contains(needle) || Instant::now() >= deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(crate) async fn try_text(&self) -> Result<String, Value> {
        let found = self
            .try_call(
                "POST",
                &format!("/session/{}/element", self.session),
                Some(json!({"using": "css selector", "value": "body"})),
            )
            .await?;
        let body = found[ELEMENT].as_str().unwrap_or_default();
        let text = self.try_call("GET", &format!("/session/{}/element/{body}/text", self.session), None).await?;
        Ok(text.as_str().unwrap_or("").to_owned())
    }

    /// Resizes the window (the console is tried at a phone's width and a desk's).
    pub(crate) async fn resize(&self, width: u32, height: u32) {
        let rect = json!({"width": width, "height": height});
        self.call("POST", &format!("/session/{}/window/rect", self.session), Some(rect)).await;
    }

    /// Accepts the confirmation dialog a click opened, once it is open.
    pub(crate) async fn accept_alert(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let path = format!("/session/{}/alert/accept", self.session);
        while self.try_call("POST", &path, None).await.is_err() {
            assert!(Instant::now() < deadline, "no dialog opened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the element `xpath` finds, once it reads `wanted` (or ten seconds pass).
    pub(crate) async fn text_at(&self, xpath: &str, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self
                .try_call(
                    "POST",
                    &format!("/session/{}/element", self.session),
                    Some(json!({"using": "xpath", "value": xpath})),
                )
                .await;
            let text = match found {
                Ok(e) => {
                    let id = e[ELEMENT].as_str().unwrap_or_default().to_owned();
                    let path = format!("/session/{}/element/{id}/text", self.session);
                    self.try_call("GET", &path, None).await.ok().and_then(|t| t.as_str().map(str::to_owned))
                }
                Err(_) => None,
            };
            let text = text.unwrap_or_default();
            if text == wanted || Instant::now() >= deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(crate) async fn screenshot(&self, name: &str) -> std::path::PathBuf {
        let b64 = self.call("GET", &format!("/session/{}/screenshot", self.session), None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap();
        // `WDT_CONSOLE_SHOTS` names another folder for them.
        let dir = std::env::var_os("WDT_CONSOLE_SHOTS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-screenshots"));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, &png).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        path
    }
}

#[tokio::test]
async fn a_browser_follows_a_refund_to_its_stockin_and_ledger() {
    let Some(driver_path) = chromedriver() else {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true needs chromedriver (.ci/run installs it)");
        let _ = writeln!(std::io::stderr(), "skipped the browser test: install chromium and chromium-driver to run it");
        return;
    };
    let app = spawn_app_with(ServerConfig {
        admin_token: Some(TOKEN.into()),
        rate_limits: RateLimits::off(),
        ..ServerConfig::default()
    })
    .await;
    let push = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": "WEB-1", "warehouse_no": "WH1", "create_mode": 2,
                       "detail_list": [{"spec_no": "MUG-RED", "num": 1}]}])
    .to_string();
    let (_, answer) = app.post_qjb(&QjbCall::new("wms.stockin.Refund.createOrder", &push)).await;
    let order_no = answer["data"].as_str().unwrap().to_owned();

    let d = Driver::start(driver_path).await;
    d.go(&format!("{}/console/refunds", app.url())).await;
    assert!(d.text_containing("401").await.contains("401"), "nothing without logging in");

    d.go(&format!("{}/console/login", app.url())).await;
    let input = d.find("css selector", "input[name=token]").await;
    d.type_into(&input, TOKEN).await;
    let submit = d.find("css selector", "button[type=submit]").await;
    d.click(&submit).await;
    assert!(d.text_containing("控制台 Console").await.contains("控制台 Console"), "logged in");

    d.go(&format!("{}/console/refunds?sid=demo", app.url())).await;
    let shots = vec![d.screenshot("1-refunds").await];
    let link = d.find("link text", "TK-DEMO-1").await;
    d.click(&link).await;
    let refund = d.text_containing("退换单 Refund order TK-DEMO-1").await;
    assert!(refund.contains("退换单 Refund order TK-DEMO-1") && refund.contains(&order_no), "{refund}");
    let shots = [shots, vec![d.screenshot("2-refund").await]].concat();

    let to_stockin = d.find("link text", &order_no).await;
    d.click(&to_stockin).await;
    let stockin = d.text_containing(&format!("入库单 Stock-in {order_no}")).await;
    assert!(stockin.contains(&format!("入库单 Stock-in {order_no}")) && stockin.contains("MUG-RED"), "{stockin}");
    let shots = [shots, vec![d.screenshot("3-stockin").await]].concat();

    let to_ledger = d.find("css selector", "a[href^='/console/ledger']").await;
    d.click(&to_ledger).await;
    let ledger = d.text_containing("库存台账 Stock ledger").await;
    assert!(
        ledger.contains("库存台账 Stock ledger") && ledger.contains(&order_no) && ledger.contains("12 退货入库"),
        "{ledger}"
    );
    let shots = [shots, vec![d.screenshot("4-ledger").await]].concat();
    d.call("DELETE", &format!("/session/{}", d.session), None).await;
    let _ = writeln!(
        std::io::stderr(),
        "console screenshots: {}",
        shots.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ")
    );
}
