//! 旗舰版 (qjb) transport: signing, verification, query building, envelopes.
//!
//! `sign = md5(secret + k1 + v1 + k2 + v2 + … + secret)` over every query parameter except
//! `sign`, plus `body` = the exact JSON text posted, keys sorted by byte order, lowercase hex.
//! The server verifies over the URL-decoded query values and the body bytes as received.

use md5::{Digest, Md5};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use crate::ApiError;
use crate::envelope::{self, Refusal};

/// The qjb timestamp counts seconds from 2012-01-01 00:00:00 +08:00.
pub const TIMESTAMP_EPOCH: i64 = 1_325_347_200;
/// Accepted distance between the caller's timestamp and the server clock, in seconds.
pub const TIMESTAMP_WINDOW_SECS: i64 = 120;
/// The only version.
pub const VERSION: &str = "1.0";

/// Splits an issued appsecret `secret:salt` on its first colon. Without a colon the whole text is
/// the secret and the salt is empty.
pub fn split_appsecret(appsecret: &str) -> (&str, &str) {
    appsecret.split_once(':').unwrap_or((appsecret, ""))
}

/// The qjb timestamp for a unix time in seconds (saturating at `i64::MIN`, which no window holds).
pub fn timestamp_from_unix(unix_secs: i64) -> i64 {
    unix_secs.saturating_sub(TIMESTAMP_EPOCH)
}

/// The qjb timestamp for a unix time in seconds, or `None` if it does not fit an `i64`.
pub fn checked_timestamp_from_unix(unix_secs: i64) -> Option<i64> {
    unix_secs.checked_sub(TIMESTAMP_EPOCH)
}

/// The unix time in seconds of qjb timestamp `ts`, or `None` if it does not fit an `i64`.
pub fn unix_from_timestamp(ts: i64) -> Option<i64> {
    ts.checked_add(TIMESTAMP_EPOCH)
}

/// Whether qjb timestamp `ts` is within [`TIMESTAMP_WINDOW_SECS`] (inclusive) of unix time `now_unix`.
pub fn timestamp_in_window(ts: i64, now_unix: i64) -> bool {
    timestamp_within(ts, now_unix, TIMESTAMP_WINDOW_SECS)
}

/// Whether qjb timestamp `ts` is within `window_secs` (inclusive) of unix time `now_unix`. The
/// distance is computed without overflow, so no client number wraps into the window; a negative
/// window holds nothing.
pub fn timestamp_within(ts: i64, now_unix: i64, window_secs: i64) -> bool {
    let (Some(now), Ok(window)) = (checked_timestamp_from_unix(now_unix), u64::try_from(window_secs)) else {
        return false;
    };
    now.abs_diff(ts) <= window
}

/// The signature of `params` (any `sign` among them is skipped) and `body` under `secret`.
pub fn sign<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>, body: &str, secret: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = params.into_iter().filter(|(k, _)| *k != "sign").collect();
    pairs.push(("body", body));
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut md5 = Md5::new();
    md5.update(secret.as_bytes());
    for (k, v) in pairs {
        md5.update(k.as_bytes());
        md5.update(v.as_bytes());
    }
    md5.update(secret.as_bytes());
    hex::encode(md5.finalize())
}

/// Whether `provided` is the signature of `params` and `body` under `secret`. The comparison is
/// constant-time and exact: lowercase hex, as every SDK sends it.
pub fn verify<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &str,
    secret: &str,
    provided: &str,
) -> bool {
    let expected = sign(params, body, secret);
    expected.len() == provided.len() && bool::from(expected.as_bytes().ct_eq(provided.as_bytes()))
}

/// Paging parameters of a paged query (`page_no` counts from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    /// Rows per page.
    pub page_size: u32,
    /// Page number, from 0.
    pub page_no: u32,
    /// Ask for `total_count`.
    pub calc_total: bool,
}

/// The signed query parameters of one call, in the order the official SDK sends them.
pub fn signed_query(
    sid: &str,
    key: &str,
    appsecret: &str,
    method: &str,
    timestamp: i64,
    pager: Option<&Pager>,
    body: &str,
) -> Vec<(String, String)> {
    let (secret, salt) = split_appsecret(appsecret);
    let mut pairs: Vec<(String, String)> = vec![
        ("sid".into(), sid.into()),
        ("key".into(), key.into()),
        ("salt".into(), salt.into()),
        ("method".into(), method.into()),
        ("timestamp".into(), timestamp.to_string()),
        ("v".into(), VERSION.into()),
    ];
    if let Some(p) = pager {
        pairs.push(("page_size".into(), p.page_size.to_string()));
        pairs.push(("page_no".into(), p.page_no.to_string()));
        pairs.push(("calc_total".into(), if p.calc_total { "1" } else { "0" }.into()));
    }
    let sign = sign(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), body, secret);
    pairs.push(("sign".into(), sign));
    pairs
}

/// `application/x-www-form-urlencoded` encoding of query pairs.
pub fn encode_query(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// `{"status":0,"data":…}`; without data, `{"status":0}`.
pub fn success_body(data: Option<Value>) -> Value {
    let mut map = Map::new();
    map.insert("status".into(), Value::from(0));
    if let Some(data) = data {
        map.insert("data".into(), data);
    }
    Value::Object(map)
}

/// `{"status":N,"message":"…"}`.
pub fn error_body(err: &ApiError) -> Value {
    let mut map = Map::new();
    map.insert("status".into(), Value::from(err.qjb_status()));
    map.insert("message".into(), Value::String(err.qjb_message()));
    Value::Object(map)
}

/// A refusal received from a qjb server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status {status}: {message}")]
pub struct RemoteError {
    /// The `status`.
    pub status: i64,
    /// The `message`.
    pub message: String,
}

impl Refusal for RemoteError {
    const NOT_AN_ENVELOPE: &'static str = "not a qjb envelope";
}

/// What a qjb response body can be besides success.
pub type ResponseError = envelope::ResponseError<RemoteError>;

fn status_of(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Parses a qjb response: `Ok(data)` for status 0 (data may be absent), the refusal otherwise.
pub fn parse_response(bytes: &[u8]) -> Result<Option<Value>, ResponseError> {
    let mut map = envelope::object(bytes)?;
    let status = status_of(map.get("status")).ok_or_else(|| ResponseError::Malformed("no integer `status`".into()))?;
    if status == 0 {
        return Ok(map.remove("data"));
    }
    Err(RemoteError { status, message: envelope::message(&mut map) }.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_vector() {
        let params = [
            ("sid", "wdterp30"),
            ("key", "czhc"),
            ("salt", "dd488d0802b1e431e4c72cd355847853"),
            ("method", "wms.stockout.Sales.weighingExt"),
            ("timestamp", "232623153"),
            ("v", "1.0"),
        ];
        let body = r#"["xc109393939393939","",1.2,0,false]"#;
        let secret = "693f9fed686bfe13441385da98b436b6";
        // The concatenation the vendor page shows.
        let s = format!(
            "{secret}body{body}keyczhcmethodwms.stockout.Sales.weighingExtsaltdd488d0802b1e431e4c72cd355847853sidwdterp30timestamp232623153v1.0{secret}"
        );
        assert_eq!(hex::encode(Md5::digest(s.as_bytes())), "20f557aaf9190797c581bbceeb6d5a5c");
        assert_eq!(sign(params, body, secret), "20f557aaf9190797c581bbceeb6d5a5c");
        assert!(verify(params, body, secret, "20f557aaf9190797c581bbceeb6d5a5c"));
        assert!(!verify(params, body, secret, "20F557AAF9190797C581BBCEEB6D5A5C"));
    }

    #[test]
    fn paged_vector_and_its_query_string() {
        let body = r#"[{"start_time":"2024-08-01 00:00:00","end_time":"2024-08-30 23:59:59","status":"80"}]"#;
        let pager = Pager { page_size: 50, page_no: 0, calc_total: true };
        let pairs = signed_query(
            "wdtapi3",
            "wdtapi3-test",
            "testsecret:testsalt",
            "wms.stockin.Refund.queryWithDetail",
            400_000_000,
            Some(&pager),
            body,
        );
        let concatenated = format!(
            "testsecretbody{body}calc_total1keywdtapi3-testmethodwms.stockin.Refund.queryWithDetailpage_no0page_size50salttestsaltsidwdtapi3timestamp400000000v1.0testsecret"
        );
        assert_eq!(hex::encode(Md5::digest(concatenated.as_bytes())), "e9201e0b419013734fdc4f5611c1b04d");
        assert_eq!(pairs.last().unwrap().1, "e9201e0b419013734fdc4f5611c1b04d");
        let received: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert!(verify(received.iter().copied(), body, "testsecret", "e9201e0b419013734fdc4f5611c1b04d"));
        assert!(!verify(received.iter().copied(), &body.replace("80", "90"), "testsecret", &pairs.last().unwrap().1));
        assert_eq!(
            encode_query(&pairs),
            "sid=wdtapi3&key=wdtapi3-test&salt=testsalt&method=wms.stockin.Refund.queryWithDetail&timestamp=400000000&v=1.0&page_size=50&page_no=0&calc_total=1&sign=e9201e0b419013734fdc4f5611c1b04d"
        );
    }

    #[test]
    fn non_ascii_bodies_sign_as_sent() {
        let params = [
            ("sid", "wdtapi3"),
            ("key", "wdtapi3-test"),
            ("salt", "testsalt"),
            ("method", "wms.stockin.Refund.createOrder"),
            ("timestamp", "400000000"),
            ("v", "1.0"),
        ];
        let args = serde_json::json!([{
            "refund_no": "TK2408300021",
            "warehouse_no": "wdtapi3-test",
            "remark": "退货",
            "detail_list": [{"spec_no": "wangdiantong", "num": 2}]
        }]);
        let raw = serde_json::to_string(&args).unwrap();
        assert_eq!(
            raw,
            r#"[{"refund_no":"TK2408300021","warehouse_no":"wdtapi3-test","remark":"退货","detail_list":[{"spec_no":"wangdiantong","num":2}]}]"#
        );
        let escaped = php_json_encode(&raw);
        assert_eq!(
            escaped,
            r#"[{"refund_no":"TK2408300021","warehouse_no":"wdtapi3-test","remark":"\u9000\u8d27","detail_list":[{"spec_no":"wangdiantong","num":2}]}]"#
        );
        assert_eq!(sign(params, &raw, "testsecret"), "d0b766dd0d1c8d1ccefa76c732c38693");
        assert_eq!(sign(params, &escaped, "testsecret"), "b4137dca2af4540556723008cba77764");
        assert!(verify(params, &raw, "testsecret", "d0b766dd0d1c8d1ccefa76c732c38693"));
        assert!(verify(params, &escaped, "testsecret", "b4137dca2af4540556723008cba77764"));
        // Same object, different bytes: each verifies only as sent.
        assert!(!verify(params, &escaped, "testsecret", "d0b766dd0d1c8d1ccefa76c732c38693"));
        assert!(!verify(params, &raw, "testsecret", "b4137dca2af4540556723008cba77764"));
        let pairs = signed_query(
            "wdtapi3",
            "wdtapi3-test",
            "testsecret:testsalt",
            "wms.stockin.Refund.createOrder",
            400_000_000,
            None,
            &escaped,
        );
        assert_eq!(pairs.last().unwrap().1, "b4137dca2af4540556723008cba77764");
    }

    /// Re-escapes compact JSON text the way PHP's default `json_encode` writes it: every non-ASCII
    /// character as `\uXXXX` (UTF-16 units) and `/` as `\/`.
    fn php_json_encode(compact: &str) -> String {
        let mut out = String::with_capacity(compact.len() * 2);
        let mut units = [0u16; 2];
        for c in compact.chars() {
            if c == '/' {
                out.push_str("\\/");
            } else if c.is_ascii() {
                out.push(c);
            } else {
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        out
    }

    #[test]
    fn php_escaping_covers_slashes_and_astral_characters() {
        assert_eq!(php_json_encode(r#"["a/b","é😀"]"#), r#"["a\/b","\u00e9\ud83d\ude00"]"#);
    }

    #[test]
    fn tampering_fails_verification() {
        let params = [("sid", "a"), ("key", "k"), ("timestamp", "1")];
        let good = sign(params, "[]", "s");
        assert!(verify(params, "[]", "s", &good));
        assert!(!verify(params, "[ ]", "s", &good));
        assert!(!verify([("sid", "b"), ("key", "k"), ("timestamp", "1")], "[]", "s", &good));
        assert!(!verify(params, "[]", "t", &good));
        assert!(!verify(params, "[]", "s", ""));
    }

    #[test]
    fn appsecret_splits_on_the_first_colon() {
        assert_eq!(split_appsecret("a:b:c"), ("a", "b:c"));
        assert_eq!(split_appsecret("abc"), ("abc", ""));
    }

    #[test]
    fn envelopes_and_parsing() {
        assert_eq!(success_body(Some(Value::from("RK1"))).to_string(), r#"{"status":0,"data":"RK1"}"#);
        assert_eq!(success_body(None).to_string(), r#"{"status":0}"#);
        assert_eq!(error_body(&ApiError::BadVersion).to_string(), r#"{"status":8,"message":"版本错误"}"#);
        assert_eq!(parse_response(br#"{"status":0,"data":"RK1"}"#), Ok(Some(Value::from("RK1"))));
        assert_eq!(
            parse_response(br#"{"status":"100","message":"x"}"#),
            Err(ResponseError::Remote(RemoteError { status: 100, message: "x".into() }))
        );
        assert!(matches!(parse_response(b"<html>"), Err(ResponseError::Malformed(_))));
        assert_eq!(parse_response(br#"{"status":0}"#), Ok(None));
        assert_eq!(
            parse_response(r#"{"status":100,"message":"仓库不存在  仓库编号: 1002x"}"#.as_bytes()),
            Err(ResponseError::Remote(RemoteError {
                status: 100, message: "仓库不存在  仓库编号: 1002x".into()
            }))
        );
        assert!(matches!(parse_response(br#"{"data":1}"#), Err(ResponseError::Malformed(_))));
        assert!(matches!(parse_response(br#"{"status":"x"}"#), Err(ResponseError::Malformed(_))));
        assert!(matches!(parse_response(b"[]"), Err(ResponseError::Malformed(_))));
    }
}
