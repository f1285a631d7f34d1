//! A logged-in console user over plain HTTP (cookies kept by hand, redirects followed by hand),
//! and the API pushes that give the console something to act on.

use serde_json::json;
use wdt_server::{RateLimits, ServerConfig};

use crate::helpers::*;

/// The admin token of the console tests.
pub const TOKEN: &str = "console-actions-token";

/// A server with the console open under [`TOKEN`].
pub async fn spawn_console_app() -> TestApp {
    spawn_app_with(ServerConfig {
        admin_token: Some(TOKEN.into()),
        rate_limits: RateLimits::off(),
        ..ServerConfig::default()
    })
    .await
}

/// One browser's worth of console session, without a browser.
pub struct Console {
    pub base: String,
    pub http: reqwest::Client,
    /// `wdt_console=…`.
    pub cookie: String,
}

/// The `name=value` of the `Set-Cookie` naming `name`, if the response sets it.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .find(|c| c.starts_with(&format!("{name}=")))
}

/// The CSRF token of the first form on `page`.
pub fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("a CSRF field on the page: {page}"));
    page[at + 19..].split('"').next().unwrap().to_owned()
}

/// The text of the page's flash banner, if it shows one.
pub fn flash_of(page: &str) -> Option<String> {
    let at = page.find("<div class=\"flash ")?;
    let rest = &page[at..];
    let start = rest.find('>')? + 1;
    let end = rest.find("</div>")?;
    Some(rest[start..end].to_owned())
}

/// What a POST answered: its status, where it redirects, and the flash it set.
pub struct Posted {
    pub status: u16,
    pub location: String,
    pub flash: Option<String>,
    pub body: String,
}

impl Console {
    /// Logs in with [`TOKEN`] through the login form.
    pub async fn login(app: &TestApp) -> Console {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let base = app.url();
        let login = http.post(format!("{base}/console/login")).form(&[("token", TOKEN)]).send().await.unwrap();
        assert_eq!(login.status().as_u16(), 303, "logged in");
        let cookie = set_cookie(&login, "wdt_console").expect("a session cookie");
        Console { base, http, cookie }
    }

    /// GET `path` with the session (and `extra` cookies); status and body.
    pub async fn get_with(&self, path: &str, extra: Option<&str>) -> (u16, String) {
        let cookies = match extra {
            Some(e) => format!("{}; {e}", self.cookie),
            None => self.cookie.clone(),
        };
        let r = self.http.get(format!("{}{path}", self.base)).header("Cookie", cookies).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// GET `path` with the session; status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        self.get_with(path, None).await
    }

    /// GET `path`, expecting 200.
    pub async fn page(&self, path: &str) -> String {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// POSTs `fields` to `path` as they are (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Posted {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Cookie", &self.cookie)
            .form(fields)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let flash = set_cookie(&r, "wdt_flash");
        let body = r.text().await.unwrap();
        Posted { status, location, flash, body }
    }

    /// Presses a button: the token of `from` (a page path) and `fields` posted to `action`, the
    /// redirect followed with its flash. Returns the page it lands on.
    pub async fn press(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> String {
        let token = csrf_of(&self.page(from).await);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        let posted = self.post_raw(action, &all).await;
        assert_eq!(posted.status, 303, "{action}: {}", posted.body);
        let flash = posted.flash.expect("a flash");
        let (status, body) = self.get_with(&posted.location, Some(&flash)).await;
        assert_eq!(status, 200, "{}: {body}", posted.location);
        body
    }
}

/// A pending-review return stock-in (qjb `create_mode` 1) of `num` MUG-RED against TK-DEMO-1;
/// its order number.
pub async fn push_pending_stockin(app: &TestApp, outer_no: &str, num: u32) -> String {
    let push = json!([{"refund_no": "TK-DEMO-1", "out_stockin_no": outer_no, "warehouse_no": "WH1", "create_mode": 1,
                       "detail_list": [{"spec_no": "MUG-RED", "num": num, "position_no": "A-02"}]}])
    .to_string();
    let (_, answer) = app.post_qjb(&QjbCall::new("wms.stockin.Refund.createOrder", &push)).await;
    answer["data"].as_str().unwrap_or_else(|| panic!("a stock-in: {answer}")).to_owned()
}

/// An unchecked purchase return of `num` MUG-BLUE from WH1 to P1, numbered `outer_no`.
pub async fn push_unchecked_purchase_return(app: &TestApp, outer_no: &str, num: u32) {
    let body = json!([{"outer_no": outer_no, "warehouse_no": "WH1", "provider_no": "P1"},
                      [{"spec_no": "MUG-BLUE", "num": num, "price": 8}], false]);
    let (_, answer) = app.post_qjb(&QjbCall::new("purchase.PurchaseReturn.createOrder", &body.to_string())).await;
    assert_eq!(answer["data"], json!({"status": 0, "message": outer_no}), "{answer}");
}
