//! Async SDK for the Wangdiantong returns APIs, in both dialects: it signs, sends, parses the
//! envelope into a value or a typed [`Error`], and retries only where the vendor says to (its two
//! rate-limit messages) or where nothing reached the server (connection failures).
//!
//! Each method has a typed call, its request type in and its answer type out ([`methods`]):
//! [`Client::create_return_stockin`], [`Client::push_stockin_refund`], [`Client::quick_return`],
//! [`Client::create_purchase_return`], [`Client::query_return_stockins`]. Any method can also be
//! called with JSON arguments:
//!
//! ```no_run
//! # async fn demo() -> Result<(), wdt_client::Error> {
//! let client = wdt_client::Client::qjb("http://127.0.0.1:8080", "demo", "demo-qjb", "demo-secret:demo-salt");
//! let order_no = client
//!     .call("wms.stockin.Refund.createOrder", &serde_json::json!([{
//!         "refund_no": "TK-DEMO-1", "warehouse_no": "WH1", "create_mode": 2,
//!         "detail_list": [{"spec_no": "MUG-RED", "num": 1}]
//!     }]))
//!     .await?;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod export;
pub mod methods;

pub use export::{ReadAll, StockinExport, split_windows};
pub use methods::{Openapi2Request, Paged, QjbRequest};

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wdt_protocol::clock::Clock;
use wdt_protocol::error::{CONCURRENCY_LIMIT_MESSAGE, RATE_LIMIT_MESSAGE};
use wdt_protocol::qjb::Pager;
use wdt_protocol::{ApiError, Dialect, openapi2, qjb, time::now_secs};

/// What can go wrong with a call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server refused the call (qjb `status` ≠ 0, openapi2 `code` ≠ 0).
    #[error("{dialect:?} refused: {code}: {message}")]
    Remote {
        /// Which dialect answered.
        dialect: Dialect,
        /// qjb `status` or openapi2 `code`, as text (`"40"` and `40` read the same).
        code: String,
        /// The message.
        message: String,
    },
    /// The request did not complete (connect, timeout, reset).
    #[error("transport: {0}")]
    Transport(#[from] reqwest::Error),
    /// The server answered something other than HTTP 200.
    #[error("HTTP {status}: {body}")]
    Http {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// The body is not the dialect's envelope, or data did not have the expected shape.
    #[error("malformed answer: {0}")]
    Malformed(String),
    /// The call belongs to the dialect the client does not speak; nothing was sent.
    #[error("{method} is a call of the {} dialect, but this client speaks {}", .expected.as_str(), .client.as_str())]
    WrongDialect {
        /// The qjb method or openapi2 endpoint.
        method: String,
        /// The dialect the call needs.
        expected: Dialect,
        /// The dialect of the client it was given to.
        client: Dialect,
    },
}

impl Error {
    /// The qjb status / openapi2 code as a number, for remote refusals.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Remote { code, .. } => code.parse().ok(),
            _ => None,
        }
    }

    /// The qjb `status` (same as [`Error::code`]; the openapi2 `code`), for remote refusals.
    pub fn status(&self) -> Option<i64> {
        self.code()
    }

    /// The server's message, for remote refusals.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Remote { message, .. } => Some(message),
            _ => None,
        }
    }

    /// One of the vendor's two per-key limit refusals (status 100), worth retrying after a pause.
    pub fn is_rate_limited(&self) -> bool {
        let limited =
            |status: ApiError, text: &str| self.code() == Some(status.qjb_status()) && self.message() == Some(text);
        limited(ApiError::RateLimited, RATE_LIMIT_MESSAGE)
            || limited(ApiError::ConcurrencyLimited, CONCURRENCY_LIMIT_MESSAGE)
    }

    /// Worth retrying: a rate-limit refusal, or a request that never reached the server.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect() || e.is_timeout(),
            other => other.is_rate_limited(),
        }
    }

    /// Worth retrying for a call that only reads (a paged query): also a connection that broke
    /// off before the answer was complete, and a gateway's 502/503/504. A write is not retried
    /// on those, since the server may have applied it.
    pub fn is_retryable_read(&self) -> bool {
        match self {
            Error::Transport(_) => true,
            Error::Http { status, .. } => matches!(status, 502..=504),
            other => other.is_retryable(),
        }
    }
}

/// When and how often to retry.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Pause before the second attempt; doubled before each further one.
    pub base_delay: Duration,
    /// Upper bound of a pause.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(30) }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    fn delay(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// A client of one seller account through one credential.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    dialect: Dialect,
    sid: String,
    key: String,
    appsecret: String,
    retry: RetryPolicy,
    clock_offset_secs: i64,
    clock: Option<Clock>,
}

impl Client {
    fn new(dialect: Dialect, base_url: &str, sid: &str, key: &str, appsecret: &str) -> Client {
        Client {
            http: reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap_or_default(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            dialect,
            sid: sid.to_owned(),
            key: key.to_owned(),
            appsecret: appsecret.to_owned(),
            retry: RetryPolicy::default(),
            clock_offset_secs: 0,
            clock: None,
        }
    }

    /// A 旗舰版 client posting to `{base_url}/openapi`; `appsecret` is the issued `secret:salt`.
    pub fn qjb(base_url: &str, sid: &str, key: &str, appsecret: &str) -> Client {
        Client::new(Dialect::Qjb, base_url, sid, key, appsecret)
    }

    /// A 企业版 client posting to `{base_url}/openapi2/{name}.php`.
    pub fn openapi2(base_url: &str, sid: &str, appkey: &str, appsecret: &str) -> Client {
        Client::new(Dialect::Openapi2, base_url, sid, appkey, appsecret)
    }

    /// Uses `policy` for retries.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Client {
        self.retry = policy;
        self
    }

    /// Gives up on a request after `timeout` (connect included); the default is 60 s. Replaces a
    /// client given to [`Client::with_http_client`].
    pub fn with_timeout(mut self, timeout: Duration) -> Client {
        self.http = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout).build().unwrap_or_default();
        self
    }

    /// Uses `http` (timeouts, proxies, connection pool) for requests.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Client {
        self.http = http;
        self
    }

    /// Shifts the clock used for timestamps by `secs` (for a skewed local clock, or tests). The
    /// shifted time saturates at the ends of `i64` rather than wrapping.
    pub fn with_clock_offset(mut self, secs: i64) -> Client {
        self.clock_offset_secs = secs;
        self
    }

    /// Reads the time for timestamps from `clock` instead of the local clock: the clock of an
    /// in-process server in test mode ([`Clock`]), so that signatures follow it when a test
    /// stops or moves it. The offset of [`Client::with_clock_offset`] still applies on top.
    pub fn with_clock(mut self, clock: Clock) -> Client {
        self.clock = Some(clock);
        self
    }

    /// The dialect this client speaks.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Unix seconds for a timestamp: the local clock shifted by the offset, saturating.
    fn now_secs(&self) -> i64 {
        let now = self.clock.as_ref().map_or_else(now_secs, Clock::now_secs);
        now.saturating_add(self.clock_offset_secs)
    }

    /// Refuses a call of `needs` on a client of the other dialect.
    fn require(&self, needs: Dialect, method: &str) -> Result<(), Error> {
        if self.dialect == needs {
            Ok(())
        } else {
            Err(Error::WrongDialect { method: method.to_owned(), expected: needs, client: self.dialect })
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, or the policy's attempts are spent;
    /// `reads_only` retries what [`Error::is_retryable_read`] allows.
    async fn with_retries<T, F, Fut>(&self, reads_only: bool, mut attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let mut n = 1;
        loop {
            match attempt().await {
                Err(e)
                    if (if reads_only { e.is_retryable_read() } else { e.is_retryable() })
                        && n < self.retry.max_attempts =>
                {
                    let pause = self.retry.delay(n);
                    tracing::debug!(error = %e, attempt = n, ?pause, "retrying");
                    tokio::time::sleep(pause).await;
                    n += 1;
                }
                other => return other,
            }
        }
    }

    async fn read(response: reqwest::Response) -> Result<bytes::Bytes, Error> {
        let status = response.status();
        let body = response.bytes().await?;
        if status != reqwest::StatusCode::OK {
            let text = String::from_utf8_lossy(&body[..body.len().min(500)]).into_owned();
            return Err(Error::Http { status: status.as_u16(), body: text });
        }
        Ok(body)
    }

    /// Posts a qjb call whose body is exactly `body`, with an optional pager; returns `data`.
    /// Refused with [`Error::WrongDialect`] on an openapi2 client.
    pub async fn call_raw_body(
        &self,
        method: &str,
        body: String,
        pager: Option<&Pager>,
    ) -> Result<Option<Value>, Error> {
        self.post_qjb(method, body, pager, false).await
    }

    /// Posts a qjb call; on success returns `data`, or with `whole` the whole envelope (for the
    /// methods that answer beside `data`, as `wms.StockSpec.search`'s `total`).
    async fn post_qjb(
        &self,
        method: &str,
        body: String,
        pager: Option<&Pager>,
        whole: bool,
    ) -> Result<Option<Value>, Error> {
        self.require(Dialect::Qjb, method)?;
        // Every paged method is a query.
        self.with_retries(pager.is_some(), || async {
            let ts = qjb::timestamp_from_unix(self.now_secs());
            let pairs = qjb::signed_query(&self.sid, &self.key, &self.appsecret, method, ts, pager, &body);
            let url = format!("{}/openapi?{}", self.base_url, qjb::encode_query(&pairs));
            let response = self
                .http
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
                .body(body.clone())
                .send()
                .await?;
            let bytes = Client::read(response).await?;
            let data = qjb::parse_response(&bytes).map_err(|e| match e {
                qjb::ResponseError::Remote(r) => {
                    Error::Remote { dialect: Dialect::Qjb, code: r.status.to_string(), message: r.message }
                }
                qjb::ResponseError::Malformed(m) => Error::Malformed(format!("HTTP 200: {m}")),
            })?;
            if whole {
                return serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| Error::Malformed(format!("HTTP 200: {e}")));
            }
            Ok(data)
        })
        .await
    }

    /// Calls a qjb method with its positional arguments (`args` is the JSON array); returns `data`.
    pub async fn call(&self, method: &str, args: &Value) -> Result<Option<Value>, Error> {
        self.call_raw_body(method, args.to_string(), None).await
    }

    /// Calls a paged qjb method; returns `data` (`{"total_count":…, "order":[…]}` and the like).
    pub async fn call_paged(&self, method: &str, pager: &Pager, args: &Value) -> Result<Value, Error> {
        Ok(self.call_raw_body(method, args.to_string(), Some(pager)).await?.unwrap_or(Value::Null))
    }

    /// Calls a qjb method and deserializes `data` into `T`.
    pub async fn call_typed<T: DeserializeOwned>(&self, method: &str, args: &Value) -> Result<T, Error> {
        let data = self.call(method, args).await?.unwrap_or(Value::Null);
        serde_json::from_value(data).map_err(|e| Error::Malformed(format!("data of {method}: {e}")))
    }

    /// Posts openapi2 form fields to `{base}/openapi2/{endpoint}` (`stockin_refund_push.php`; the
    /// `.php` may be left out); returns the whole answer object. `sid`, `appkey`, `timestamp` and
    /// `sign` are added. Refused with [`Error::WrongDialect`] on a qjb client.
    pub async fn post_openapi2(&self, endpoint: &str, fields: &[(&str, &str)]) -> Result<Map<String, Value>, Error> {
        self.require(Dialect::Openapi2, endpoint)?;
        let endpoint = endpoint.trim_start_matches('/');
        let path = if endpoint.ends_with(".php") { endpoint.to_owned() } else { format!("{endpoint}.php") };
        self.with_retries(false, || async {
            let form = openapi2::signed_form(&self.sid, &self.key, &self.appsecret, self.now_secs(), fields);
            let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&form).finish();
            let response = self
                .http
                .post(format!("{}/openapi2/{path}", self.base_url))
                .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await?;
            let bytes = Client::read(response).await?;
            openapi2::parse_response(&bytes).map_err(|e| match e {
                openapi2::ResponseError::Remote(r) => {
                    Error::Remote { dialect: Dialect::Openapi2, code: r.code, message: r.message }
                }
                openapi2::ResponseError::Malformed(m) => Error::Malformed(format!("HTTP 200: {m}")),
            })
        })
        .await
    }

    /// Sends a typed qjb request; returns its `data` as the request's answer type. Refused with
    /// [`Error::WrongDialect`] on an openapi2 client.
    pub async fn send_qjb<R: QjbRequest>(&self, request: &R) -> Result<R::Answer, Error> {
        let body = Value::Array(request.args()).to_string();
        let data = self.post_qjb(R::METHOD, body, request.pager().as_ref(), R::WHOLE_ENVELOPE).await?;
        serde_json::from_value(data.unwrap_or(Value::Null))
            .map_err(|e| Error::Malformed(format!("data of {}: {e}", R::METHOD)))
    }

    /// Sends a typed openapi2 request; returns the answer object as the request's answer type.
    /// Refused with [`Error::WrongDialect`] on a qjb client.
    pub async fn send_openapi2<R: Openapi2Request>(&self, request: &R) -> Result<R::Answer, Error> {
        let fields = request.fields();
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = self.post_openapi2(R::ENDPOINT, &borrowed).await?;
        serde_json::from_value(Value::Object(answer))
            .map_err(|e| Error::Malformed(format!("answer of {}: {e}", R::ENDPOINT)))
    }

    /// qjb `wms.stockin.Refund.createOrder` (退货入库单推送): creates a return stock-in against a
    /// refund order; answers the new stock-in's number.
    pub async fn create_return_stockin(
        &self,
        order: &methods::RefundStockinOrder,
    ) -> Result<methods::ReturnStockinCreated, Error> {
        self.send_qjb(order).await
    }

    /// openapi2 `stockin_refund_push.php` (创建退货入库单): the same operation in the older
    /// dialect; a repeated `outer_no` is refused with code `"40"`.
    pub async fn push_stockin_refund(
        &self,
        info: &methods::StockinRefundInfo,
    ) -> Result<methods::StockinRefundPushed, Error> {
        self.send_openapi2(info).await
    }

    /// qjb `wms.stockin.SmartRefund.upload` (快速退货): a checked return stock-in by original
    /// trade id; answers the stock-in's id and type (12).
    pub async fn quick_return(&self, upload: &methods::SmartRefundUpload) -> Result<methods::SmartRefundResult, Error> {
        self.send_qjb(upload).await
    }

    /// qjb `purchase.PurchaseReturn.createOrder` (采购退货单新建): a purchase return to a
    /// supplier. The answer's `status` is 0 with the return's number as `message`, or 20 with the
    /// reason when the return was written but its check failed (not enough stock); both are
    /// successful calls.
    pub async fn create_purchase_return(
        &self,
        create: &methods::PurchaseReturnCreate,
    ) -> Result<methods::PurchaseReturnResult, Error> {
        self.send_qjb(create).await
    }

    /// One page of any paged query (SPEC.md §9): its typed parameters in, its typed page out.
    /// [`ReadAll`] reads every page (and, over a time range, every window).
    ///
    /// ```no_run
    /// # async fn demo(client: wdt_client::Client) -> Result<(), wdt_client::Error> {
    /// use wdt_client::methods::{Pager, reads::settings::ShopQuery};
    ///
    /// let pager = Pager { page_size: 50, page_no: 0, calc_total: true };
    /// let page = client.read_page(&ShopQuery::default(), pager).await?;
    /// println!("{} shops", page.total_count.unwrap_or_default());
    /// # Ok(()) }
    /// ```
    pub async fn read_page<P: methods::reads::ReadParams>(&self, params: &P, pager: Pager) -> Result<P::Page, Error> {
        self.send_qjb(&Paged { params, pager }).await
    }

    /// qjb `wms.stockin.Refund.queryWithDetail` (退货入库单查询): one page of the return stock-ins
    /// of a window of at most 30 days, with their details. `total_count` is there when the pager
    /// asks for it. [`StockinExport`] reads a longer range, page by page.
    pub async fn query_return_stockins(
        &self,
        params: &methods::RefundStockinQuery,
        pager: &Pager,
    ) -> Result<methods::QueryPage, Error> {
        self.send_qjb(&Paged { params, pager: *pager }).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(code: &str, message: &str) -> Error {
        Error::Remote { dialect: Dialect::Qjb, code: code.into(), message: message.into() }
    }

    #[test]
    fn only_the_vendor_limit_messages_are_retried() {
        assert!(remote("100", RATE_LIMIT_MESSAGE).is_retryable());
        assert!(remote("100", CONCURRENCY_LIMIT_MESSAGE).is_retryable());
        assert!(!remote("100", "仓库不存在").is_retryable());
        assert!(!remote("1", RATE_LIMIT_MESSAGE).is_retryable());
        assert!(!remote("4", "数据库错误").is_retryable());
        assert!(!Error::Malformed("x".into()).is_retryable());
        assert!(!Error::Http { status: 500, body: String::new() }.is_retryable());
    }

    #[test]
    fn backoff_doubles_up_to_the_bound() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        assert_eq!(p.delay(1), Duration::from_millis(100));
        assert_eq!(p.delay(2), Duration::from_millis(200));
        assert_eq!(p.delay(3), Duration::from_millis(400));
        assert_eq!(p.delay(4), Duration::from_millis(500));
    }

    #[test]
    fn a_clock_offset_saturates_instead_of_wrapping() {
        let client = |secs| Client::qjb("http://127.0.0.1:1", "s", "k", "a:b").with_clock_offset(secs);
        assert_eq!(client(i64::MAX).now_secs(), i64::MAX);
        assert_eq!(client(i64::MAX - 5).now_secs(), i64::MAX);
        assert!(client(i64::MIN).now_secs() < 0);
        assert!((client(-600).now_secs() - (now_secs() - 600)).abs() <= 1);
    }

    #[test]
    fn codes_read_as_numbers() {
        assert_eq!(remote("40", "dup").code(), Some(40));
        assert_eq!(remote("7", "时间戳错误").status(), Some(7));
        assert_eq!(Error::Malformed("x".into()).status(), None);
        assert_eq!(Error::Http { status: 502, body: String::new() }.code(), None);
        assert_eq!(remote("100", "x").message(), Some("x"));
    }
}
