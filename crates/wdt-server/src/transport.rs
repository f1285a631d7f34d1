//! Answers hyper gives before any handler runs, rewritten into the server's own.
//!
//! hyper answers a request head it cannot read with a bare status and an empty body: 414 for a
//! URI longer than the `http` crate can hold (65,534 bytes, a hard limit), 431 for a head larger
//! than its read buffer or with too many headers, 400 for an unparseable request line or header.
//! No handler sees those requests, so [`EnvelopeIo`] sits between the socket and hyper: it keeps
//! the start of the request hyper is reading, and when hyper writes one of those automatic
//! answers it writes instead what the path would have answered — HTTP 200 with the dialect's
//! envelope on `/openapi` and `/openapi2/…`, 401 on `/console…`. Other paths keep hyper's answer.
//!
//! The request is found as "the bytes read since the last answer": a pipelined request whose
//! start was read before the previous answer was written keeps hyper's bare status.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use wdt_protocol::{ApiError, openapi2, qjb};

/// How much of a request's start is kept to tell its path.
const PREFIX: usize = 256;

/// The URI length the `http` crate refuses beyond (`http::uri::MAX_LEN`).
pub(crate) const URI_MAX: usize = u16::MAX as usize - 1;

/// Where an unreadable request was going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Qjb,
    Openapi2,
    Console,
}

/// A socket whose automatic hyper refusals are rewritten; see the module documentation.
pub(crate) struct EnvelopeIo<S> {
    inner: S,
    query_limit: usize,
    /// The first bytes of the request being read.
    prefix: Vec<u8>,
    /// Bytes of that request read so far up to its first line feed, and whether it was seen.
    line_len: usize,
    line_done: bool,
    /// No byte of a new request read yet since the last answer.
    fresh: bool,
    /// A request has been read from and its answer not yet started.
    awaiting_answer: bool,
    /// The same, for the connection's shutdown drain (see [`crate::Server::run`]).
    awaiting_shared: Arc<AtomicBool>,
    /// Our replacement answer and how much of it is written.
    pending: Vec<u8>,
    sent: usize,
}

impl<S> EnvelopeIo<S> {
    pub(crate) fn new(inner: S, query_limit: usize) -> EnvelopeIo<S> {
        EnvelopeIo {
            inner,
            query_limit,
            prefix: Vec::new(),
            line_len: 0,
            line_done: false,
            fresh: true,
            awaiting_answer: false,
            awaiting_shared: Arc::default(),
            pending: Vec::new(),
            sent: 0,
        }
    }

    /// True while a request has been read from and its answer not yet started; shared, so
    /// that the connection's task can tell whether stopping now would leave a request unanswered.
    pub(crate) fn awaiting_answer(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.awaiting_shared)
    }

    fn saw(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.fresh {
            self.fresh = false;
            self.prefix.clear();
            self.line_len = 0;
            self.line_done = false;
        }
        self.awaiting_answer = true;
        self.awaiting_shared.store(true, Ordering::Release);
        let room = PREFIX.saturating_sub(self.prefix.len());
        self.prefix.extend_from_slice(&bytes[..room.min(bytes.len())]);
        if !self.line_done {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.line_len += i;
                    self.line_done = true;
                }
                None => self.line_len += bytes.len(),
            }
        }
    }

    fn target(&self) -> Option<Target> {
        let line = &self.prefix;
        let start = line.iter().position(|&b| b == b' ')? + 1;
        let path = &line[start..];
        let end = path.iter().position(|&b| matches!(b, b'?' | b' ' | b'\r' | b'\n')).unwrap_or(path.len());
        let path = &path[..end];
        if path == b"/openapi" {
            Some(Target::Qjb)
        } else if path.starts_with(b"/openapi2/") {
            Some(Target::Openapi2)
        } else if path == b"/console" || path.starts_with(b"/console/") {
            Some(Target::Console)
        } else {
            None
        }
    }

    /// The answer to write instead of `head`, if `head` is one of hyper's automatic refusals of
    /// a request on an API or console path.
    fn replacement(&self, head: &[u8]) -> Option<Vec<u8>> {
        let status = automatic_refusal(head)?;
        let target = self.target()?;
        let error = match status {
            // The request line did not end within what hyper could hold: the query string.
            414 => query_too_large(self.query_limit),
            431 if !self.line_done || self.line_len > self.query_limit => query_too_large(self.query_limit),
            431 => ApiError::BadParameter("请求头过大或过多".to_owned()),
            _ => ApiError::BadParameter("请求行或请求头无法解析".to_owned()),
        };
        tracing::info!(status, ?target, message = %error, "request head refused before routing");
        let (status_line, content_type, body) = match target {
            Target::Qjb => ("200 OK", "application/json; charset=utf-8", json(&qjb::error_body(&error))),
            Target::Openapi2 => ("200 OK", "application/json; charset=utf-8", json(&openapi2::error_body(&error))),
            Target::Console => ("401 Unauthorized", "text/plain; charset=utf-8", b"401 unauthorized\n".to_vec()),
        };
        let mut answer = format!(
            "HTTP/1.1 {status_line}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        answer.extend_from_slice(&body);
        Some(answer)
    }
}

/// The refusal of a query string over `limit` bytes, in handlers and here alike.
pub(crate) fn query_too_large(limit: usize) -> ApiError {
    ApiError::BadParameter(format!("查询串超过 {limit} 字节上限"))
}

fn json(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// The status of hyper's automatic answer to an unreadable head: status line and no body.
fn automatic_refusal(head: &[u8]) -> Option<u16> {
    let status = match head.get(..13)? {
        b"HTTP/1.1 400 " => 400,
        b"HTTP/1.1 414 " => 414,
        b"HTTP/1.1 431 " => 431,
        _ => return None,
    };
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    let text = std::str::from_utf8(&head[..end]).ok()?.to_ascii_lowercase();
    let empty = text.contains("\r\ncontent-length: 0") && text.contains("\r\nconnection: close");
    (empty && end + 4 == head.len()).then_some(status)
}

impl<S: AsyncWrite + Unpin> EnvelopeIo<S> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Called with the first bytes of an answer; true when they were replaced.
    fn intercept(&mut self, first: &[u8]) -> bool {
        if !self.awaiting_answer {
            return false;
        }
        self.awaiting_answer = false;
        self.awaiting_shared.store(false, Ordering::Release);
        self.fresh = true;
        match self.replacement(first) {
            Some(answer) => {
                self.pending = answer;
                self.sent = 0;
                true
            }
            None => false,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for EnvelopeIo<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        let this = &mut *self;
        this.saw(&buf.filled()[before..]);
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for EnvelopeIo<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if !self.pending.is_empty() {
            // The replacement is out; hyper closes the connection after its refusal.
            return Poll::Ready(Ok(buf.len()));
        }
        if self.intercept(buf) {
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        let total = bufs.iter().map(|b| b.len()).sum();
        if !self.pending.is_empty() {
            return Poll::Ready(Ok(total));
        }
        if let Some(first) = bufs.iter().find(|b| !b.is_empty())
            && self.intercept(first)
        {
            return Poll::Ready(Ok(total));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io_after(request: &[u8]) -> EnvelopeIo<()> {
        let mut io = EnvelopeIo::new((), 100);
        io.saw(request);
        io
    }

    #[test]
    fn only_hypers_bare_refusals_on_known_paths_are_replaced() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert!(io_after(b"POST /openapi?sid=").replacement(bare).is_some());
        assert!(io_after(b"GET /openapi2/x.php?a").replacement(bare).is_some());
        assert!(io_after(b"GET /console/refunds?a").replacement(bare).is_some());
        assert!(io_after(b"GET /openapix?a").replacement(bare).is_none());
        assert!(io_after(b"GET /healthz?a").replacement(bare).is_none());
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad";
        assert!(io_after(b"GET /openapi ").replacement(with_body).is_none());
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        assert!(io_after(b"GET /openapi ").replacement(ok).is_none());
    }
}
