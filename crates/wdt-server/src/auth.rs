//! Who is calling: common parameters, credential lookup, version, timestamp window, signature.
//!
//! Checks run in a fixed order so each failure has one answer: required parameters present →
//! sid and key known → version → timestamp → signature. Secrets and signatures never reach a log.

use wdt_protocol::{ApiError, Dialect, openapi2, qjb};
use wdt_store::{AppCredential, AppLookup};

use crate::AppState;

/// Decoded request parameters in arrival order (query string or form).
#[derive(Debug, Default)]
pub(crate) struct Params(pub Vec<(String, String)>);

impl Params {
    /// Decodes `a=1&b=2` (percent-decoding, `+` as space).
    pub(crate) fn parse(encoded: &[u8]) -> Params {
        Params(form_urlencoded::parse(encoded).into_owned().collect())
    }

    /// The value of `name`, if present.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of `name`, which must be present and non-empty.
    pub(crate) fn require(&self, name: &str) -> Result<&str, ApiError> {
        match self.get(name) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ApiError::MissingParameter(name.to_owned())),
        }
    }

    /// Refuses a parameter given twice: which copy was signed would be ambiguous.
    pub(crate) fn refuse_duplicates(&self) -> Result<(), ApiError> {
        let mut seen = std::collections::HashSet::new();
        for (k, _) in &self.0 {
            if !seen.insert(k.as_str()) {
                return Err(ApiError::BadParameter(format!("参数 {k} 重复")));
            }
        }
        Ok(())
    }

    /// Refuses the first parameter whose name is not in `known`, naming it: the qjb signature
    /// concatenates names and values without separators, so an unknown name is what a rewrite
    /// such as `calc_total=1` → `calc_tota=l1` leaves behind with the signature still valid.
    pub(crate) fn refuse_unknown(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((k, _)) => Err(ApiError::BadParameter(format!("不支持的参数 {k}"))),
            None => Ok(()),
        }
    }

    /// The pairs as `(&str, &str)`, for signing.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

async fn lookup(state: &AppState, sid: &str, dialect: Dialect, key: &str) -> Result<AppCredential, ApiError> {
    match state.store.find_app(sid, dialect, key).await {
        Ok(AppLookup::Found(app)) => Ok(app),
        Ok(AppLookup::UnknownSid) => Err(ApiError::UnknownSid),
        Ok(AppLookup::UnknownKey) => Err(ApiError::AppAuthFail),
        Err(e) => {
            tracing::error!(error = %e, "credential lookup failed");
            Err(ApiError::Internal)
        }
    }
}

/// Every query parameter a qjb client sends: the common parameters and the pager. The official
/// PHP SDK, `waywake/wdt-sdk-ts` and `go-marvis/wangdian-sdk-go` send exactly these (the pager's
/// three only on paged calls).
pub(crate) const QJB_PARAMETERS: [&str; 10] =
    ["sid", "key", "salt", "method", "v", "timestamp", "sign", "page_size", "page_no", "calc_total"];

/// Authenticates a qjb call: `params` from the query string, `body` the raw body text.
pub(crate) async fn qjb(state: &AppState, params: &Params, body: &str) -> Result<AppCredential, ApiError> {
    params.refuse_duplicates()?;
    params.refuse_unknown(&QJB_PARAMETERS)?;
    for name in ["sid", "key", "method", "timestamp", "v", "sign"] {
        params.require(name)?;
    }
    // The salt is signed and may legitimately be empty (an appsecret without one), but not absent.
    let salt = params.get("salt").ok_or_else(|| ApiError::MissingParameter("salt".to_owned()))?;
    let app = lookup(state, params.require("sid")?, Dialect::Qjb, params.require("key")?).await?;
    if params.require("v")? != qjb::VERSION {
        return Err(ApiError::BadVersion);
    }
    let ts: i64 = params.require("timestamp")?.parse().map_err(|_| ApiError::BadTimestamp)?;
    if !qjb::timestamp_within(ts, state.store.clock().now_secs(), state.config.qjb_timestamp_window) {
        return Err(ApiError::BadTimestamp);
    }
    let signed = params.pairs().filter(|(k, _)| *k != "sign");
    if salt != app.salt || !qjb::verify(signed, body, &app.secret, params.require("sign")?) {
        return Err(ApiError::SignatureMismatch);
    }
    Ok(app)
}

/// Authenticates an openapi2 call: `params` are every query and form field.
pub(crate) async fn openapi2(state: &AppState, params: &Params) -> Result<AppCredential, ApiError> {
    params.refuse_duplicates()?;
    for name in ["sid", "appkey", "timestamp", "sign"] {
        params.require(name)?;
    }
    let app = lookup(state, params.require("sid")?, Dialect::Openapi2, params.require("appkey")?).await?;
    let ts: i64 = params.require("timestamp")?.parse().map_err(|_| ApiError::BadTimestamp)?;
    if !openapi2::timestamp_within(ts, state.store.clock().now_secs(), state.config.openapi2_timestamp_window) {
        return Err(ApiError::BadTimestamp);
    }
    let sign = params.require("sign")?;
    let signed = params.pairs().filter(|(k, _)| *k != "sign");
    if !openapi2::verify_accepted(signed, &app.secret, sign, state.config.openapi2_accept_byte_lengths) {
        return Err(ApiError::SignatureMismatch);
    }
    Ok(app)
}
