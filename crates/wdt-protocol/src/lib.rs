//! The two Wangdiantong wire dialects, shared by the server and the SDK so the two sides cannot
//! drift: 旗舰版 (`qjb`, `POST /openapi?method=…`, JSON array body) and 企业版 (`openapi2`,
//! `POST /openapi2/<name>.php`, form body).
//!
//! Nothing here does I/O. Signing works on the raw strings exactly as they travel.
#![warn(missing_docs)]

pub mod clock;
pub mod decimal;
pub mod duplicate_keys;
pub mod envelope;
pub mod error;
pub mod methods;
pub mod openapi2;
pub mod qjb;
pub mod time;

pub use decimal::Dec4;
pub use error::ApiError;

/// The two API generations a credential can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// 旗舰版: `POST /openapi?method=…`, JSON array body, md5(secret + sorted pairs + secret).
    Qjb,
    /// 企业版: `POST /openapi2/<name>.php`, form body, md5(packed `LL-key:VVVV-value` + appsecret).
    Openapi2,
}

impl Dialect {
    /// The name used in fixtures, the database and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Qjb => "qjb",
            Dialect::Openapi2 => "openapi2",
        }
    }

    /// Parses the name used in fixtures and the database.
    pub fn parse(text: &str) -> Option<Dialect> {
        match text {
            "qjb" => Some(Dialect::Qjb),
            "openapi2" => Some(Dialect::Openapi2),
            _ => None,
        }
    }
}
