//! The HTTP server: both wire dialects over one [`Store`].
//!
//! - `POST /openapi` — 旗舰版 (qjb): common parameters in the query string, the body is the JSON
//!   array of the method's positional arguments.
//! - `POST /openapi2/{name}.php` — 企业版 (openapi2): form-encoded, business data as JSON text in
//!   form fields.
//! - `GET /healthz` — 200 once the database answers.
//!
//! Every answer on `/openapi` and `/openapi2/…`, whatever its cause (signature, timestamp,
//! malformed body, oversized body or query string, wrong HTTP method, a request head hyper cannot
//! read, business rule, database fault), is HTTP 200 with the dialect's JSON envelope. Every
//! `/console…` path except the login form answers 401 without the admin token before it reads
//! anything else. Every `/admin…` path (the operator actions, SPEC.md §10) answers JSON and is
//! 401 without the admin token as `Authorization: Bearer`.
#![warn(missing_docs)]

mod admin;
mod auth;
mod console;
mod dispatch;
mod handlers;
mod limits;
mod openapi2;
mod qjb;
mod reply;
mod telemetry;
pub mod testmode;
mod transport;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use limits::RateLimits;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use wdt_store::Store;

/// Settings of the HTTP front-ends.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Largest request body accepted, in bytes; larger bodies are refused in the envelope.
    pub body_limit: usize,
    /// Largest query string accepted on the API paths, in bytes; longer ones are refused in the
    /// envelope as status/code 1 naming the limit. URIs over 65,534 bytes cannot reach a handler
    /// (the `http` crate's hard limit, answered by hyper with a bare 414/431); those are
    /// rewritten into the same envelope, so the effective limit is at most that.
    pub query_limit: usize,
    /// qjb timestamp window, seconds either side of server time.
    pub qjb_timestamp_window: i64,
    /// openapi2 timestamp window, seconds either side of server time.
    pub openapi2_timestamp_window: i64,
    /// Also accept openapi2 signatures computed with byte lengths instead of character lengths
    /// (some third-party SDKs do that; both still need the secret).
    pub openapi2_accept_byte_lengths: bool,
    /// Per-key and overall call limits.
    pub rate_limits: RateLimits,
    /// How long a client may take to send its request headers.
    pub header_timeout: Duration,
    /// How long a client may take to send its request body.
    pub body_timeout: Duration,
    /// The token that opens the console; `None` keeps it closed (401 everywhere).
    pub admin_token: Option<String>,
    /// Test mode (SPEC.md §11): the clock, fixture, reset, snapshot, fault and journal controls
    /// under `/admin/v1`, and the journal of calls. Off, none of those paths exists.
    pub test_mode: bool,
}

impl ServerConfig {
    /// The query-string limit actually enforced: `query_limit`, at most what a URI can hold.
    pub(crate) fn effective_query_limit(&self) -> usize {
        self.query_limit.min(transport::URI_MAX)
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 4 * 1024 * 1024,
            query_limit: 32 * 1024,
            qjb_timestamp_window: wdt_protocol::qjb::TIMESTAMP_WINDOW_SECS,
            openapi2_timestamp_window: wdt_protocol::openapi2::TIMESTAMP_WINDOW_SECS,
            openapi2_accept_byte_lengths: true,
            rate_limits: RateLimits::default(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            admin_token: None,
            test_mode: false,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Settings.
    pub config: Arc<ServerConfig>,
    limiter: Arc<limits::Limiter>,
    calls: Arc<console::CallLog>,
    /// Test mode's faults and journal, when it is on.
    pub(crate) test: Option<Arc<testmode::TestMode>>,
}

impl AppState {
    /// Records a finished call for the console's request log.
    pub(crate) fn log_call(&self, record: console::CallRecord) {
        self.calls.push(record);
    }

    /// Admits a call of an authenticated key under the rate limits.
    pub(crate) fn admit(&self, app: &wdt_store::AppCredential) -> Result<limits::Permit, wdt_protocol::ApiError> {
        self.limiter.admit(&app.sid, &app.key, self.store.clock().now_secs())
    }

    /// The state of a server over `store` with `config`.
    pub fn new(store: Arc<dyn Store>, config: ServerConfig) -> AppState {
        telemetry::handle();
        let limiter = limits::Limiter::new(config.rate_limits);
        let test = config.test_mode.then(Arc::default);
        AppState { store, config: Arc::new(config), limiter, calls: Arc::default(), test }
    }
}

/// The router with every route, for tests that call it without a socket.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/openapi", post(qjb::handle).fallback(qjb::wrong_method))
        .route("/openapi2/{name}", post(openapi2::handle).fallback(openapi2::wrong_method))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .merge(console::routes())
        .merge(admin::routes(&state))
        // Outermost, so it runs before routing, extractors and method matching.
        .layer(axum::middleware::from_fn_with_state(state.clone(), console::guard))
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], telemetry::render(state.store.as_ref()))
}

/// A bound server, ready to run. Binding first lets callers (and tests) learn the real port
/// before any request is sent.
pub struct Server {
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    query_limit: usize,
}

impl Server {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn bind(addr: SocketAddr, state: AppState) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr).await?;
        let header_timeout = state.config.header_timeout;
        let query_limit = state.config.effective_query_limit();
        Ok(Server { listener, router: router(state), header_timeout, query_limit })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then stops accepting and finishes in-flight requests.
    /// A client that does not send its headers within the header timeout is disconnected.
    ///
    /// hyper keeps its default read buffer (about 400 KiB): every URI the `http` crate can hold
    /// (65,534 bytes) fits in it with its headers, so the handlers' own query-string limit applies
    /// first; what hyper still refuses on its own (longer URIs, oversized or unparseable heads)
    /// is rewritten into the envelope (or 401 on the console) by [`transport::EnvelopeIo`].
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        use hyper_util::rt::{TokioIo, TokioTimer};
        use hyper_util::service::TowerToHyperService;

        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut shutdown = std::pin::pin!(shutdown);
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(self.header_timeout).keep_alive(true);
        loop {
            let (stream, _) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(conn) => conn,
                    Err(e) => {
                        // Out of file descriptors and the like: pause instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut shutdown => break,
            };
            let _ = stream.set_nodelay(true);
            let service = TowerToHyperService::new(self.router.clone());
            let stream = transport::EnvelopeIo::new(stream, self.query_limit);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let conn = graceful.watch(conn);
            tokio::spawn(async move {
                if let Err(e) = conn.await {
                    tracing::debug!(error = %e, "connection closed with an error");
                }
            });
        }
        drop(self.listener);
        graceful.shutdown().await;
        Ok(())
    }
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
