//! The push load: C keep-alive connections sending pre-signed pushes until the time is up or
//! every refund order has had its push.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use wdt_protocol::qjb;
use wdt_protocol::time::now_secs;

use crate::wire::{push_request, read_response};

/// What the load did.
pub struct Load {
    /// Pushes answered with success.
    pub ok: u64,
    /// Pushes refused, failed, or cut off.
    pub errors: u64,
    /// From the first send to the last answer.
    pub took: Duration,
    /// Every push's latency, sorted.
    pub latencies: Vec<Duration>,
}

impl Load {
    /// Successful pushes per second.
    pub fn throughput(&self) -> f64 {
        self.ok as f64 / self.took.as_secs_f64()
    }
}

/// The value at quantile `p` of `sorted`; zero for none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One connection's share: pushes taken from `next` until `deadline`.
struct Connection {
    requests: Arc<Vec<Vec<u8>>>,
    next: Arc<AtomicU64>,
    deadline: Instant,
}

impl Connection {
    /// Sends pushes one after another; (ok, errors, latencies). A broken connection ends it.
    async fn run(self, addr: String) -> (u64, u64, Vec<Duration>) {
        use tokio::io::AsyncWriteExt;
        let (mut ok, mut errors, mut latencies) = (0u64, 0u64, Vec::new());
        let Ok(mut stream) = tokio::net::TcpStream::connect(&addr).await else { return (0, 1, latencies) };
        let _ = stream.set_nodelay(true);
        let mut buf = Vec::with_capacity(4096);
        while Instant::now() < self.deadline {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(request) = self.requests.get(i as usize) else { break };
            let t = Instant::now();
            let answered = match stream.write_all(request).await {
                Ok(()) => read_response(&mut stream, &mut buf).await,
                Err(e) => Err(e),
            };
            latencies.push(t.elapsed());
            match answered {
                Ok(true) => ok += 1,
                Ok(false) => errors += 1,
                Err(_) => {
                    errors += 1;
                    break;
                }
            }
        }
        (ok, errors, latencies)
    }
}

/// Drives pushes for refund orders `TK0..TK{orders}` at `addr` from `connections` connections
/// for `seconds`.
pub async fn drive(addr: &str, orders: u64, connections: u64, seconds: u64) -> Load {
    let timestamp = qjb::timestamp_from_unix(now_secs());
    drive_requests(addr, (0..orders).map(|i| push_request(addr, i, timestamp)).collect(), connections, seconds).await
}

/// Sends the pre-built `requests` (each once, in order) at `addr` from `connections` connections
/// for `seconds` at most.
pub async fn drive_requests(addr: &str, requests: Vec<Vec<u8>>, connections: u64, seconds: u64) -> Load {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let connection = Connection { requests: Arc::clone(&requests), next: Arc::clone(&next), deadline };
            tokio::spawn(connection.run(addr.to_owned()))
        })
        .collect();
    let mut load = Load { ok: 0, errors: 0, took: Duration::ZERO, latencies: Vec::new() };
    for t in tasks {
        if let Ok((ok, errors, lat)) = t.await {
            load.ok += ok;
            load.errors += errors;
            load.latencies.extend(lat);
        }
    }
    load.took = started.elapsed();
    load.latencies.sort();
    load
}
