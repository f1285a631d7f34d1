//! Shutdown drain: every request the server accepted before (or as) the signal comes is answered.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wdt_server::{AppState, Server, ServerConfig};

use crate::helpers::*;

/// A request the server answers without the database: the envelope for missing parameters.
const BODY: &str = r#"[{"refund_no":"TK-DRAIN"}]"#;

fn request(keep_alive: bool) -> String {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    format!(
        "POST /openapi HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: {connection}\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    )
}

/// Complete answers in `bytes`: status line, headers, then exactly Content-Length bytes.
fn complete_answers(mut bytes: &[u8]) -> Result<usize, String> {
    let mut n = 0;
    while !bytes.is_empty() {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let end = text.find("\r\n\r\n").ok_or_else(|| format!("a head cut short: {text:?}"))?;
        if !text.starts_with("HTTP/1.1 200 ") {
            return Err(format!("not a 200: {text:?}"));
        }
        let len: usize = text[..end]
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(|v| v.trim().parse().unwrap()))
            .ok_or("no content-length")?;
        let body = bytes.get(end + 4..end + 4 + len).ok_or_else(|| format!("a body cut short: {text:?}"))?;
        if !String::from_utf8_lossy(body).contains("\"status\":2") {
            return Err(format!("not the envelope: {text:?}"));
        }
        bytes = &bytes[end + 4 + len..];
        n += 1;
    }
    Ok(n)
}

/// One client: `None` if the server refused the connection (it had stopped listening), else
/// how many complete answers it got for how many requests.
async fn client(addr: std::net::SocketAddr, kind: usize, after: Duration) -> Option<Result<(), String>> {
    tokio::time::sleep(after).await;
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let outcome = async {
        let sent = match kind {
            // Headers and half the body now, the rest while the server is stopping.
            0 => {
                let whole = request(false);
                let (head, tail) = whole.split_at(whole.len() - BODY.len() / 2);
                stream.write_all(head.as_bytes()).await.map_err(|e| e.to_string())?;
                tokio::time::sleep(Duration::from_millis(30)).await;
                stream.write_all(tail.as_bytes()).await.map_err(|e| e.to_string())?;
                1
            }
            // A keep-alive connection: one answered, then another request in flight.
            1 => {
                stream.write_all(request(true).as_bytes()).await.map_err(|e| e.to_string())?;
                let mut first = Vec::new();
                while complete_answers(&first).is_err() || first.is_empty() {
                    let mut chunk = [0u8; 4096];
                    match stream.read(&mut chunk).await {
                        Ok(0) => return Err(format!("closed before the first answer: {first:?}")),
                        Ok(n) => first.extend_from_slice(&chunk[..n]),
                        Err(e) => return Err(format!("first answer: {e}")),
                    }
                }
                stream.write_all(request(false).as_bytes()).await.map_err(|e| e.to_string())?;
                1
            }
            // Connected just now, the request right behind.
            _ => {
                stream.write_all(request(false).as_bytes()).await.map_err(|e| e.to_string())?;
                1
            }
        };
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
            .await
            .map_err(|_| "no end of answer".to_string())?
            .map_err(|e| format!("read: {e}"))?;
        match complete_answers(&answer)? {
            n if n == sent => Ok(()),
            n => Err(format!("{n} answers to {sent} requests: {:?}", String::from_utf8_lossy(&answer))),
        }
    };
    Some(outcome.await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_accepted_at_shutdown_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let (sql, _pg) = fresh_store(&dir).await;
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..10 {
        let state = AppState::new(sql.store(), ServerConfig::default());
        let server = Server::bind("127.0.0.1:0".parse().unwrap(), state).await.unwrap();
        let addr = server.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        // Clients start 0.1 ms apart over 5 ms; the signal comes in the middle, so that some are
        // served already, some wait in the backlog, some are accepted with their request unread,
        // some are half-way through sending, and some find the port closed.
        let clients: Vec<_> =
            (0..50).map(|i| tokio::spawn(client(addr, i % 3, Duration::from_micros(i as u64 * 100)))).collect();
        tokio::time::sleep(Duration::from_micros(1500 + round * 200)).await;
        let _ = stop.send(());
        let mut answered = 0;
        for (i, c) in clients.into_iter().enumerate() {
            match c.await.unwrap() {
                None => refused += 1,
                Some(Ok(())) => answered += 1,
                Some(Err(e)) => panic!("round {round}, client {i} (kind {}): accepted, not answered: {e}", i % 3),
            }
        }
        tokio::time::timeout(Duration::from_secs(20), running).await.expect("run returns").unwrap().unwrap();
        let refused = TcpStream::connect(addr).await.is_err();
        assert!(refused, "round {round}: stopped listening");
        eprintln!("round {round}: {answered} of 50 connected and were answered");
        accepted += answered;
    }
    assert!(accepted > 0 && refused > 0, "the signal came amid the clients: {accepted} answered, {refused} refused");
}
