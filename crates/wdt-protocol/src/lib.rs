//! The two Wangdiantong wire dialects, shared by the server and the SDK so the two sides cannot
//! drift: 旗舰版 (`qjb`, `POST /openapi?method=…`, JSON array body) and 企业版 (`openapi2`,
//! `POST /openapi2/<name>.php`, form body).
//!
//! Nothing here does I/O. Signing works on the raw strings exactly as they travel.

pub mod decimal;
pub mod error;
pub mod methods;
pub mod openapi2;
pub mod qjb;
pub mod time;

pub use decimal::Dec4;
pub use error::ApiError;
