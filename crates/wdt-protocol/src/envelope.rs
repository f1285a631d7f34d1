//! What the two dialects' response envelopes share: the error a client reads from a body that
//! is not a success, and the reading of the body as a JSON object with its `message`.

use serde_json::{Map, Value};

/// A dialect's refusal, as a client receives it (`qjb::RemoteError`, `openapi2::RemoteError`).
pub trait Refusal: std::error::Error + 'static {
    /// How a body that is not this dialect's envelope is described.
    const NOT_AN_ENVELOPE: &'static str;
}

/// What a response body can be besides success, in the dialect whose refusal is `R`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError<R: Refusal> {
    /// The server refused the call.
    #[error(transparent)]
    Remote(#[from] R),
    /// The body is not the dialect's envelope.
    #[error("{what}: {0}", what = R::NOT_AN_ENVELOPE)]
    Malformed(String),
}

/// The body as a JSON object.
pub(crate) fn object<R: Refusal>(bytes: &[u8]) -> Result<Map<String, Value>, ResponseError<R>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ResponseError::Malformed(format!("{e}: {}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)])))
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ResponseError::Malformed("the body is not a JSON object".into())),
    }
}

/// The refusal's `message` as text (`""` without one).
pub(crate) fn message(map: &mut Map<String, Value>) -> String {
    match map.remove("message") {
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
