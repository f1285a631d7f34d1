//! 企业版 (openapi2) transport: signing, verification, form building, envelopes.
//!
//! Every parameter except `sign`, sorted by key, becomes `LL-key:VVVV-value` (lengths in
//! characters, zero-padded to 2 and 4, longer lengths written in full), joined with `;`;
//! `sign = md5(packed + appsecret)`, lowercase hex. Signing always counts characters; a server
//! also accepts the lengths other SDKs count ([`verify_accepted`]).

use md5::{Digest, Md5};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use crate::ApiError;
use crate::envelope::{self, Refusal};

/// Accepted distance between the caller's timestamp and the server clock, in seconds.
pub const TIMESTAMP_WINDOW_SECS: i64 = 300;

/// Whether unix timestamp `ts` is within [`TIMESTAMP_WINDOW_SECS`] (inclusive) of `now_unix`.
pub fn timestamp_in_window(ts: i64, now_unix: i64) -> bool {
    timestamp_within(ts, now_unix, TIMESTAMP_WINDOW_SECS)
}

/// Whether unix timestamp `ts` is within `window_secs` (inclusive) of `now_unix`. The distance
/// is computed without overflow, so no client number wraps into the window; a negative window
/// holds nothing.
pub fn timestamp_within(ts: i64, now_unix: i64, window_secs: i64) -> bool {
    u64::try_from(window_secs).is_ok_and(|window| now_unix.abs_diff(ts) <= window)
}

/// How lengths are counted in the packed string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthRule {
    /// Unicode code points, as the official SDK (`iconv_strlen`) and the sign doc do.
    Chars,
    /// UTF-8 bytes, as some third-party SDKs do.
    Bytes,
    /// UTF-16 code units, as the vendor's Java (`String.length()`) and C# SDKs and JS `.length`
    /// do: a character outside the BMP (an emoji) counts 2. Same as [`LengthRule::Chars`] for
    /// text inside the BMP.
    Utf16,
}

fn len(text: &str, rule: LengthRule) -> usize {
    match rule {
        LengthRule::Chars => text.chars().count(),
        LengthRule::Bytes => text.len(),
        LengthRule::Utf16 => text.encode_utf16().count(),
    }
}

/// The packed string of `params` (any `sign` skipped) with lengths counted by `rule`.
pub fn pack_with<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>, rule: LengthRule) -> String {
    let mut pairs: Vec<(&str, &str)> = params.into_iter().filter(|(k, _)| *k != "sign").collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    pairs.iter().map(|(k, v)| format!("{:02}-{k}:{:04}-{v}", len(k, rule), len(v, rule))).collect::<Vec<_>>().join(";")
}

/// The packed string with character lengths (the official rule).
pub fn pack<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pack_with(params, LengthRule::Chars)
}

/// The signature with lengths counted by `rule`.
pub fn sign_with<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    appsecret: &str,
    rule: LengthRule,
) -> String {
    let mut md5 = Md5::new();
    md5.update(pack_with(params, rule).as_bytes());
    md5.update(appsecret.as_bytes());
    hex::encode(md5.finalize())
}

/// The signature with character lengths (the official rule).
pub fn sign<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>, appsecret: &str) -> String {
    sign_with(params, appsecret, LengthRule::Chars)
}

/// Whether `provided` is the signature under `rule`; constant-time, exact lowercase hex.
pub fn verify_with<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    appsecret: &str,
    provided: &str,
    rule: LengthRule,
) -> bool {
    let expected = sign_with(params, appsecret, rule);
    expected.len() == provided.len() && bool::from(expected.as_bytes().ct_eq(provided.as_bytes()))
}

/// Whether `provided` is the signature of `params` under any length rule a server accepts: code
/// points (official), UTF-16 code units (the vendor's Java and C# SDKs), and UTF-8 bytes when
/// `accept_byte_lengths` (some third-party SDKs). Each comparison is constant-time. The UTF-16
/// variant is only computed when some key or value has a character outside the BMP, since
/// otherwise it packs exactly as the official rule does.
pub fn verify_accepted<'a, I>(params: I, appsecret: &str, provided: &str, accept_byte_lengths: bool) -> bool
where
    I: IntoIterator<Item = (&'a str, &'a str)> + Clone,
{
    let astral = params.clone().into_iter().any(|(k, v)| has_astral(k) || has_astral(v));
    let by_chars = verify_with(params.clone(), appsecret, provided, LengthRule::Chars);
    let by_utf16 = astral && verify_with(params.clone(), appsecret, provided, LengthRule::Utf16);
    let by_bytes = accept_byte_lengths && verify_with(params, appsecret, provided, LengthRule::Bytes);
    by_chars || by_utf16 || by_bytes
}

/// Whether `text` has a character outside the BMP (two UTF-16 code units).
fn has_astral(text: &str) -> bool {
    text.chars().any(|c| c.len_utf16() == 2)
}

/// Whether `provided` is the official (character-length) signature.
pub fn verify<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>, appsecret: &str, provided: &str) -> bool {
    verify_with(params, appsecret, provided, LengthRule::Chars)
}

/// The signed form fields of one call: `sid`, `appkey`, `timestamp`, the business fields, `sign`.
pub fn signed_form(
    sid: &str,
    appkey: &str,
    appsecret: &str,
    timestamp: i64,
    business: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> =
        vec![("sid".into(), sid.into()), ("appkey".into(), appkey.into()), ("timestamp".into(), timestamp.to_string())];
    form.extend(business.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    let sign = sign(form.iter().map(|(k, v)| (k.as_str(), v.as_str())), appsecret);
    form.push(("sign".into(), sign));
    form
}

/// `{"code":0,"message":"succeed", …extra}` (payload fields at the top level).
pub fn success_body(extra: Map<String, Value>) -> Value {
    let mut map = Map::new();
    map.insert("code".into(), Value::from(0));
    map.insert("message".into(), Value::from("succeed"));
    map.extend(extra);
    Value::Object(map)
}

/// `{"code":N,"message":"…"}`.
pub fn error_body(err: &ApiError) -> Value {
    let mut map = Map::new();
    map.insert("code".into(), err.openapi2_code());
    map.insert("message".into(), Value::String(err.openapi2_message()));
    Value::Object(map)
}

/// A refusal received from an openapi2 server; `code` as sent (number or string).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code {code}: {message}")]
pub struct RemoteError {
    /// The `code`, as text (`"40"` and `40` read the same).
    pub code: String,
    /// The `message`.
    pub message: String,
}

impl Refusal for RemoteError {
    const NOT_AN_ENVELOPE: &'static str = "not an openapi2 envelope";
}

/// What a openapi2 response body can be besides success.
pub type ResponseError = envelope::ResponseError<RemoteError>;

/// Parses an openapi2 response: the whole object for code 0 / `"0"`, the refusal otherwise.
pub fn parse_response(bytes: &[u8]) -> Result<Map<String, Value>, ResponseError> {
    let mut map = envelope::object(bytes)?;
    let code = match map.get("code") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.trim().to_owned(),
        _ => return Err(ResponseError::Malformed("no `code`".into())),
    };
    if code == "0" {
        return Ok(map);
    }
    let message = envelope::message(&mut map);
    Err(RemoteError { code, message }.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_PARAMS: [(&str, &str); 7] = [
        ("appkey", "test2-xx"),
        ("page_no", "0"),
        ("end_time", "2016-08-01 13:00:00"),
        ("start_time", "2016-08-01 12:00:00"),
        ("page_size", "40"),
        ("sid", "test2"),
        ("timestamp", "1470042310"),
    ];

    #[test]
    fn sign_doc_packed_string() {
        assert_eq!(
            pack(DOC_PARAMS),
            "06-appkey:0008-test2-xx;08-end_time:0019-2016-08-01 13:00:00;07-page_no:0001-0;09-page_size:0002-40;03-sid:0005-test2;10-start_time:0019-2016-08-01 12:00:00;09-timestamp:0010-1470042310"
        );
        assert_eq!(sign(DOC_PARAMS, "12345"), "ad4e6fe037ea6e3ba4768317be9d1309");
    }

    #[test]
    fn non_ascii_vector_in_both_length_rules() {
        let info = r#"{"refund_no":"TK1608030001","outer_no":"ghs","warehouse_no":"xy001","logistics_code":"yjwl04","remark":"退货入库","detail_list":[{"spec_no":"33412","stockin_num":2,"batch_no":"20160601","stockin_price":"0.01"}]}"#;
        let params =
            [("sid", "test2"), ("appkey", "test2-xx"), ("timestamp", "1470042310"), ("stockin_refund_info", info)];
        assert!(pack(params).contains("19-stockin_refund_info:0207-{"));
        assert!(pack_with(params, LengthRule::Bytes).contains("19-stockin_refund_info:0215-{"));
        assert_eq!(sign(params, "12345"), "14eaa4d26fa638a6ee6465abd013fbbb");
        assert_eq!(sign_with(params, "12345", LengthRule::Bytes), "f0d3f26c28f0fb42eab0e3cfb09b62d0");
        assert_eq!(
            pack(params),
            format!(
                "06-appkey:0008-test2-xx;03-sid:0005-test2;19-stockin_refund_info:0207-{info};09-timestamp:0010-1470042310"
            )
        );
        assert!(verify(params, "12345", "14eaa4d26fa638a6ee6465abd013fbbb"));
        assert!(!verify(params, "12345", "f0d3f26c28f0fb42eab0e3cfb09b62d0"));
        assert!(verify_with(params, "12345", "f0d3f26c28f0fb42eab0e3cfb09b62d0", LengthRule::Bytes));
        let form = signed_form("test2", "test2-xx", "12345", 1_470_042_310, &[("stockin_refund_info", info)]);
        assert_eq!(form.last().unwrap().1, "14eaa4d26fa638a6ee6465abd013fbbb");
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(&form).finish();
        assert!(
            encoded
                .starts_with("sid=test2&appkey=test2-xx&timestamp=1470042310&stockin_refund_info=%7B%22refund_no%22")
        );
        assert!(encoded.ends_with("%7D&sign=14eaa4d26fa638a6ee6465abd013fbbb"));
        let decoded: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes()).into_owned().collect();
        assert_eq!(decoded, form);
    }

    #[test]
    fn long_values_write_their_length_in_full() {
        let long = "x".repeat(10_000);
        assert_eq!(pack([("k", long.as_str())]), format!("01-k:10000-{long}"));
        let long_key = "k".repeat(100);
        assert!(pack([(long_key.as_str(), "v")]).starts_with(&format!("100-{long_key}:0001-v")));
    }

    #[test]
    fn tampering_fails_verification() {
        let good = sign(DOC_PARAMS, "12345");
        assert!(verify(DOC_PARAMS, "12345", &good));
        assert!(!verify(DOC_PARAMS, "12346", &good));
        assert!(!verify(DOC_PARAMS, "12345", &good.to_uppercase()));
        assert!(!verify(DOC_PARAMS, "12345", ""));
        let mut changed = DOC_PARAMS;
        changed[1].1 = "1";
        assert!(!verify(changed, "12345", &good));
        let with_sign = DOC_PARAMS.iter().copied().chain([("sign", good.as_str())]);
        assert!(verify(with_sign, "12345", &good));
        let extra = DOC_PARAMS.iter().copied().chain([("warehouse_no", "x")]);
        assert!(!verify(extra, "12345", &good));
    }

    #[test]
    fn envelopes_and_parsing() {
        assert_eq!(success_body(Map::new()).to_string(), r#"{"code":0,"message":"succeed"}"#);
        let dup = ApiError::DuplicateOuterNo { field: "outer_no", value: "x".into() };
        assert_eq!(error_body(&dup).to_string(), r#"{"code":"40","message":"外部单号已存在,不能重复推送"}"#);
        assert!(parse_response(br#"{"code":0,"message":"succeed"}"#).is_ok());
        assert_eq!(
            parse_response(br#"{"code":"40","message":"m"}"#),
            Err(ResponseError::Remote(RemoteError { code: "40".into(), message: "m".into() }))
        );
        assert_eq!(
            parse_response(br#"{"code":100,"message":"m"}"#),
            Err(ResponseError::Remote(RemoteError { code: "100".into(), message: "m".into() }))
        );
        let ok = parse_response(br#"{"code":"0","message":"succeed","new_count":1,"chg_count":0}"#).unwrap();
        assert_eq!(ok.get("new_count"), Some(&Value::from(1)));
        assert!(matches!(parse_response(b"<html>"), Err(ResponseError::Malformed(_))));
        assert!(matches!(parse_response(br#"{"message":"m"}"#), Err(ResponseError::Malformed(_))));
        assert!(matches!(parse_response(b"[]"), Err(ResponseError::Malformed(_))));
    }
}
