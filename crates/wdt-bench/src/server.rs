//! The server under test: `wdt-returns serve` as a child process, and its `/metrics`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::procfs;

/// The `wdt-returns` binary to start: `given`, else the one next to this binary.
pub fn binary(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    let path = match given {
        Some(p) => p.to_owned(),
        None => std::env::current_exe()?.with_file_name(format!("wdt-returns{}", std::env::consts::EXE_SUFFIX)),
    };
    anyhow::ensure!(
        path.is_file(),
        "no server binary at {}: build it first (`cargo build --release -p wdt-cli`) or name one with --server-bin",
        path.display()
    );
    Ok(path)
}

/// A running `serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// From spawning it to its first healthy `/healthz`.
    pub ready: Duration,
}

impl Server {
    /// Starts `serve` from `exe` on `database` at a free port (key `key`, no rate limits) and
    /// waits for `/healthz`.
    pub async fn start(exe: &Path, key: &str, database: &str) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let started = Instant::now();
        let child = Command::new(exe)
            .env("WDT_SECRET_KEY", key)
            .env("RUST_LOG", "warn")
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database", database])
            .args(["--rate-limit-per-minute", "0", "--rate-limit-concurrent", "0", "--max-in-flight", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting the server {}", exe.display()))?;
        let mut server = Server { child, port, ready: Duration::ZERO };
        let http = reqwest::Client::new();
        loop {
            if let Ok(r) = http.get(format!("{}/healthz", server.url())).send().await
                && r.status().is_success()
            {
                server.ready = started.elapsed();
                return Ok(server);
            }
            anyhow::ensure!(started.elapsed() < Duration::from_secs(60), "the server did not become healthy");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Its peak RSS so far, in KiB.
    pub fn peak_rss_kb(&self) -> Option<u64> {
        procfs::peak_rss_kb(self.child.id())
    }

    /// Its CPU seconds per thread name so far, busiest first.
    pub fn thread_cpu(&self) -> Vec<(String, f64)> {
        procfs::thread_cpu(self.child.id())
    }

    /// Its group commit counters, from `/metrics`; `None` if it has none (no batching).
    pub async fn write_counters(&self) -> Option<WriteCounters> {
        let text = reqwest::get(format!("{}/metrics", self.url())).await.ok()?.text().await.ok()?;
        WriteCounters::parse(&text)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's group commit counters, from `/metrics`.
pub struct WriteCounters {
    /// Batches committed.
    pub batches: u64,
    /// Requests in them.
    pub requests: u64,
    /// Seconds the writer spent inside batches.
    pub busy_secs: f64,
    /// Groups of pushes that failed whole and reran one at a time.
    pub group_fallbacks: u64,
}

impl WriteCounters {
    /// The counters of a Prometheus text page.
    fn parse(text: &str) -> Option<WriteCounters> {
        let value = |name: &str| -> Option<u64> {
            text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
        };
        Some(WriteCounters {
            batches: value("wdt_write_batches_total")?,
            requests: value("wdt_write_batch_requests_total")?,
            busy_secs: value("wdt_write_busy_microseconds_total")? as f64 / 1e6,
            group_fallbacks: value("wdt_write_group_fallbacks_total")?,
        })
    }

    /// What changed since `before`.
    pub fn since(&self, before: &WriteCounters) -> WriteCounters {
        WriteCounters {
            batches: self.batches.saturating_sub(before.batches),
            requests: self.requests.saturating_sub(before.requests),
            busy_secs: self.busy_secs - before.busy_secs,
            group_fallbacks: self.group_fallbacks.saturating_sub(before.group_fallbacks),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_counters_are_read_from_metrics() {
        let text = "# TYPE x counter\nwdt_write_batches_total 4\nwdt_write_batch_requests_total 120\n\
                    wdt_write_busy_microseconds_total 2500000\nwdt_write_group_fallbacks_total 0\n";
        let c = super::WriteCounters::parse(text).unwrap();
        assert_eq!((c.batches, c.requests, c.group_fallbacks), (4, 120, 0));
        assert_eq!(c.busy_secs, 2.5);
        assert!(super::WriteCounters::parse("wdt_write_batches_total 4\n").is_none());
    }
}
