//! The bench's requests as raw HTTP/1.1 bytes, and reading their answers.
//!
//! Requests are built and signed before the clock starts, so that the load generator (sharing
//! the machine with the server) spends its time sending and reading, as `wrk` does, not signing.

use serde_json::json;
use wdt_protocol::qjb;
use wdt_protocol::time::{format_wire_time, now_secs};

/// The seller every seeded record belongs to.
pub const BENCH_SID: &str = "bench";
/// The qjb key the pushes and queries are signed with.
pub const BENCH_KEY: &str = "bench";
/// Its appsecret (`secret:salt`).
pub const BENCH_APPSECRET: &str = "bench-secret:bench-salt";
/// The warehouse every stock-in goes to.
pub const BENCH_WAREHOUSE: &str = "W";
/// Specs per refund order (and lines per push): `S0`, `S1`, `S2`.
pub const LINES: u64 = 3;

/// The push method.
const CREATE: &str = "wms.stockin.Refund.createOrder";
/// The page method.
const QUERY: &str = "wms.stockin.Refund.queryWithDetail";

/// The signed HTTP request of push `i`: refund order `TK{i}`, outer number `B{i}`, one of each
/// spec.
pub fn push_request(addr: &str, i: u64, timestamp: i64) -> Vec<u8> {
    let body = json!([{"refund_no": format!("TK{i}"), "out_stockin_no": format!("B{i}"), "warehouse_no": BENCH_WAREHOUSE,
        "create_mode": wdt_protocol::methods::refund_stockin::CreateMode::Checked.code(), "detail_list": (0..LINES).map(|k| json!({"spec_no": format!("S{k}"), "num": 1})).collect::<Vec<_>>()}])
    .to_string();
    let pairs = qjb::signed_query(BENCH_SID, BENCH_KEY, BENCH_APPSECRET, CREATE, timestamp, None, &body);
    qjb_post(addr, &pairs, &body)
}

/// The raw refund upload method.
const RAW_REFUND_UPLOAD: &str = "aftersales.refund.RawRefund.upload";

/// The signed HTTP request of raw refund upload `i`: raw refund `RR{i}` of trade `{prefix}{i}` in
/// the bench's self-owned shop, a return (type 2) of one of each spec.
pub fn raw_refund_request(addr: &str, prefix: &str, i: u64, timestamp: i64) -> Vec<u8> {
    let lines: Vec<_> = (0..LINES)
        .map(|k| {
            json!({"refund_no": format!("RR{i}"), "num": 1, "tid": format!("{prefix}{i}"), "oid": format!("{prefix}{i}-{k}"),
                   "type": 2, "status": 2, "refund_version": "1", "refund_amount": 29.7, "actual_refund_amount": 29.7,
                   "title": "bench", "logistics_name": "", "logistics_no": "", "buyer_nick": "bench",
                   "is_aftersale": 1, "reason": ""})
        })
        .collect();
    let body = json!(["SHOP", lines]).to_string();
    let pairs = qjb::signed_query(BENCH_SID, BENCH_KEY, BENCH_APPSECRET, RAW_REFUND_UPLOAD, timestamp, None, &body);
    qjb_post(addr, &pairs, &body)
}

/// The signed HTTP request of one page: `page_size` orders of the window, page `page_no`.
pub fn query_request(addr: &str, start_ms: i64, end_ms: i64, page_size: u32, page_no: u32) -> Vec<u8> {
    let body = json!([{"start_time": format_wire_time(start_ms), "end_time": format_wire_time(end_ms)}]).to_string();
    let pager = qjb::Pager { page_size, page_no, calc_total: false };
    let ts = qjb::timestamp_from_unix(now_secs());
    let pairs = qjb::signed_query(BENCH_SID, BENCH_KEY, BENCH_APPSECRET, QUERY, ts, Some(&pager), &body);
    qjb_post(addr, &pairs, &body)
}

/// The signed HTTP request of one page with the query's business `filters` (an object) beside
/// the window.
pub fn query_request_with(
    addr: &str,
    start_ms: i64,
    end_ms: i64,
    filters: &serde_json::Value,
    page_size: u32,
    page_no: u32,
) -> Vec<u8> {
    let mut params = filters.clone();
    params["start_time"] = format_wire_time(start_ms).into();
    params["end_time"] = format_wire_time(end_ms).into();
    let body = json!([params]).to_string();
    let pager = qjb::Pager { page_size, page_no, calc_total: false };
    let ts = qjb::timestamp_from_unix(now_secs());
    let pairs = qjb::signed_query(BENCH_SID, BENCH_KEY, BENCH_APPSECRET, QUERY, ts, Some(&pager), &body);
    qjb_post(addr, &pairs, &body)
}

/// A qjb POST with its signed query and JSON body, as raw HTTP/1.1 bytes.
fn qjb_post(addr: &str, pairs: &[(String, String)], body: &str) -> Vec<u8> {
    format!(
        "POST /openapi?{} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\n\r\n{body}",
        qjb::encode_query(pairs),
        body.len()
    )
    .into_bytes()
}

/// Reads more of `stream` into `buf`; an error at the end of the stream.
async fn read_more(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>, chunk: &mut [u8]) -> std::io::Result<()> {
    use tokio::io::AsyncReadExt;
    let n = stream.read(chunk).await?;
    if n == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

/// Where the head of the response in `buf` ends and its `Content-Length`, once the head is in.
fn head_of(buf: &[u8]) -> std::io::Result<Option<(usize, usize)>> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else { return Ok(None) };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .ok_or_else(|| std::io::Error::other("a response without Content-Length"))?;
    Ok(Some((end + 4, length)))
}

/// Reads one HTTP/1.1 response with a `Content-Length` from `stream`; whether it was a 200 whose
/// envelope says success (`"status":0`).
pub async fn read_response(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    buf.clear();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        read_more(stream, buf, &mut chunk).await?;
        if let Some(found) = head_of(buf)? {
            break found;
        }
    };
    while buf.len() < head_end + length {
        read_more(stream, buf, &mut chunk).await?;
    }
    let ok_status = buf.starts_with(b"HTTP/1.1 200");
    let body = &buf[head_end..head_end + length];
    Ok(ok_status && body.starts_with(b"{\"status\":0"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_push_is_one_signed_post_with_its_body() {
        let request = String::from_utf8(super::push_request("127.0.0.1:1", 7, 1_700_000_000)).unwrap();
        assert!(request.starts_with("POST /openapi?"), "{request}");
        let (head, body) = request.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())), "{head}");
        assert!(body.contains("\"refund_no\":\"TK7\"") && body.contains("\"out_stockin_no\":\"B7\""), "{body}");
    }

    #[test]
    fn a_head_is_found_with_its_length() {
        let buf = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"status\":0}";
        assert_eq!(super::head_of(buf).unwrap(), Some((39, 12)));
        assert_eq!(super::head_of(b"HTTP/1.1 200 OK\r\n").unwrap(), None);
        assert!(super::head_of(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
    }
}
