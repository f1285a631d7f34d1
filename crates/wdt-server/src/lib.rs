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
mod gate;
mod handlers;
mod limits;
mod openapi2;
mod qjb;
mod replay;
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
    /// How long a console login lasts (real time); the session is also ended by logging out.
    pub console_session_ttl: Duration,
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
            console_session_ttl: Duration::from_secs(12 * 3600),
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
    /// The replay registry in memory, when this server is the only one over its database
    /// ([`Store::single_server`]); `None`: the store's, shared by every server.
    pub(crate) local_calls: Option<Arc<replay::LocalRegistry>>,
}

impl AppState {
    /// Records a finished call for the console's request log; calls that did not authenticate
    /// go to a log of their own.
    pub(crate) fn log_call(&self, record: console::CallRecord, authenticated: bool) {
        self.calls.push(record, authenticated);
    }

    /// Admits a call of an authenticated key under the limits: the bound on this server's calls
    /// in flight, then the key's limits, held in the database for every server over it.
    pub(crate) async fn admit(&self, app: &wdt_store::AppCredential) -> Result<Admitted, wdt_protocol::ApiError> {
        let local = self.limiter.admit(&app.sid, &app.key, self.store.clock().now_secs())?;
        let RateLimits { per_minute, concurrent, .. } = self.config.rate_limits;
        // The only server over its database holds the key's limits in `limiter` itself.
        if self.local_calls.is_some() || (per_minute == 0 && concurrent == 0) {
            return Ok(Admitted { _local: local, lease: None });
        }
        let limits = wdt_store::CallLimits { per_minute, concurrent, lease_ms: limits::LEASE_MS };
        match self.store.admit_call(&app.sid, &app.key, &limits).await {
            Ok(lease) => Ok(Admitted { _local: local, lease: Some((self.store.clone(), lease)) }),
            Err(wdt_store::StoreError::Api(e)) => Err(e),
            Err(e) => {
                tracing::error!(error = %e, "admitting a call failed");
                Err(wdt_protocol::ApiError::Internal)
            }
        }
    }

    /// Forgets the calls this server answered (test mode's reset and restore; the store forgets
    /// its own registry in the same transaction).
    pub(crate) fn forget_calls(&self) {
        if let Some(local) = &self.local_calls {
            local.clear();
        }
    }

    /// Gives back what [`AppState::admit`] took, once the call is done.
    pub(crate) async fn release(&self, mut admitted: Admitted) {
        if let Some((store, lease)) = admitted.lease.take()
            && let Err(e) = store.release_call(lease).await
        {
            tracing::error!(error = %e, "releasing a call's permit failed");
        }
    }

    /// The state of a server over `store` with `config`.
    pub fn new(store: Arc<dyn Store>, config: ServerConfig) -> AppState {
        telemetry::handle();
        // The per-key limits are the store's (shared by every server) unless this server is the
        // only one; either way the limiter keeps the bound on this server's calls in flight.
        let single = store.single_server();
        let local_limits =
            if single { config.rate_limits } else { RateLimits { per_minute: 0, concurrent: 0, ..config.rate_limits } };
        let limiter = limits::Limiter::new(local_limits);
        let local_calls = single.then(Arc::default);
        let test = config.test_mode.then(Arc::default);
        AppState { store, config: Arc::new(config), limiter, calls: Arc::default(), test, local_calls }
    }
}

/// What an admitted call holds: its share of this server's bound and, when the key has limits,
/// its in-flight permit in the store. Dropped without [`AppState::release`] (a call cut short),
/// the permit is given back in a task of its own.
pub(crate) struct Admitted {
    _local: limits::Permit,
    lease: Option<(Arc<dyn Store>, wdt_store::CallLease)>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Some((store, lease)) = self.lease.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                let _ = store.release_call(lease).await;
            });
        }
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

    /// Serves until `shutdown` completes, then stops accepting and answers every request it
    /// accepted before exiting. A client that does not send its headers within the header timeout
    /// is disconnected.
    ///
    /// On shutdown: the connections already waiting in the listen backlog are accepted too;
    /// every connection stays open for [`DRAIN_GRACE`] (a client that connected just as the
    /// signal came is still sending its request), and past it for as long as it has a request
    /// read, partly read or waiting unread in its socket; then it is closed (after the answer
    /// being written, if any, which says `Connection: close`). `run` returns once every
    /// connection has ended.
    ///
    /// hyper keeps its default read buffer (about 400 KiB): every URI the `http` crate can hold
    /// (65,534 bytes) fits in it with its headers, so the handlers' own query-string limit applies
    /// first; what hyper still refuses on its own (longer URIs, oversized or unparseable heads)
    /// is rewritten into the envelope (or 401 on the console) by `transport::EnvelopeIo`.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let mut shutdown = std::pin::pin!(shutdown);
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        // Each connection's task holds a sender; `recv` answers `None` once all have ended.
        let (alive_tx, mut alive_rx) = tokio::sync::mpsc::channel::<()>(1);
        loop {
            let stream = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: pause instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut shutdown => break,
            };
            Self::serve(stream, &self.router, self.header_timeout, self.query_limit, stop_rx.clone(), alive_tx.clone());
        }
        let _ = stop_tx.send(true);
        // Connections the kernel completed before the signal, or completes while the gate closes:
        // accepted (non-blocking) and served.
        let listener = match self.listener.into_std() {
            Ok(listener) => Some(listener),
            Err(e) => {
                tracing::warn!(error = %e, "could not take the connections waiting at shutdown");
                None
            }
        };
        if let Some(listener) = &listener {
            // With the gate shut no new handshake starts, so the backlog can be emptied for good;
            // without it, one pass is all that can be promised.
            let settle = if gate::refuse_new_handshakes(listener) { HANDSHAKE_SETTLE } else { Duration::ZERO };
            let mut last_arrival = tokio::time::Instant::now();
            loop {
                match listener.accept() {
                    Ok((stream, _)) => {
                        last_arrival = tokio::time::Instant::now();
                        if stream.set_nonblocking(true).is_err() {
                            continue;
                        }
                        match tokio::net::TcpStream::from_std(stream) {
                            Ok(stream) => Self::serve(
                                stream,
                                &self.router,
                                self.header_timeout,
                                self.query_limit,
                                stop_rx.clone(),
                                alive_tx.clone(),
                            ),
                            Err(e) => tracing::warn!(error = %e, "could not serve a connection accepted at shutdown"),
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && last_arrival.elapsed() < settle => {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                    Err(_) => break,
                }
            }
        }
        drop(listener);
        drop(alive_tx);
        let _ = alive_rx.recv().await;
        Ok(())
    }

    /// Serves one connection on its own task until it ends or, once `stop` turns true, until
    /// nothing it accepted is left unanswered.
    fn serve(
        stream: tokio::net::TcpStream,
        router: &Router,
        header_timeout: Duration,
        query_limit: usize,
        mut stop: tokio::sync::watch::Receiver<bool>,
        alive: tokio::sync::mpsc::Sender<()>,
    ) {
        use hyper_util::rt::{TokioIo, TokioTimer};
        use hyper_util::service::TowerToHyperService;

        let _ = stream.set_nodelay(true);
        // A second handle on the socket, to see whether a request waits unread in it.
        let Some((stream, peeker)) = stream
            .into_std()
            .and_then(|s| Ok((s.try_clone()?, s)))
            .and_then(|(s, peeker)| Ok((tokio::net::TcpStream::from_std(s)?, peeker)))
            .map_err(|e| tracing::warn!(error = %e, "could not set up a connection"))
            .ok()
        else {
            return;
        };
        let service = TowerToHyperService::new(router.clone());
        let io = transport::EnvelopeIo::new(stream, query_limit);
        let awaiting = io.awaiting_answer();
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
        let conn = builder.serve_connection(TokioIo::new(io), service);
        tokio::spawn(async move {
            let _alive = alive;
            let mut conn = std::pin::pin!(conn);
            let stopped = async {
                let _ = stop.wait_for(|s| *s).await;
            };
            let ended = tokio::select! {
                biased;
                result = conn.as_mut() => Some(result),
                _ = stopped => None,
            };
            let result = match ended {
                Some(result) => result,
                None => {
                    let grace_ends = tokio::time::Instant::now() + DRAIN_GRACE;
                    let pending = || {
                        let mut byte = [0u8; 1];
                        awaiting.load(std::sync::atomic::Ordering::Acquire)
                            || matches!(peeker.peek(&mut byte), Ok(n) if n > 0)
                    };
                    let mut finished = None;
                    while pending() || tokio::time::Instant::now() < grace_ends {
                        tokio::select! {
                            biased;
                            result = conn.as_mut() => {
                                finished = Some(result);
                                break;
                            }
                            _ = tokio::time::sleep(Duration::from_millis(2)) => {}
                        }
                    }
                    match finished {
                        Some(result) => result,
                        None => {
                            // Nothing pending: an idle connection closes now, one whose answer is
                            // being written closes after it.
                            conn.as_mut().graceful_shutdown();
                            conn.await
                        }
                    }
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection closed with an error");
            }
        });
    }
}

/// How long the backlog must stay empty, once new handshakes are refused, before the listening
/// socket closes: a handshake the kernel answered just before the gate shut completes within a
/// round trip, and closing earlier would reset a connection its client already holds.
const HANDSHAKE_SETTLE: Duration = Duration::from_millis(50);

/// How long, after the shutdown signal, a connection with nothing pending is kept open for a
/// request to arrive: a client that connected just as the signal came is still sending it.
pub const DRAIN_GRACE: Duration = Duration::from_millis(200);

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
