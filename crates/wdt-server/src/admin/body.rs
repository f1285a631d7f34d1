//! Reading an admin request's JSON body into named fields, each refusal naming the field and the
//! value it got.

use axum::body::Body;
use serde_json::{Map, Value};
use wdt_protocol::Dec4;
use wdt_protocol::decimal::DecimalError;

use super::AdminError;

/// Largest admin request body, in bytes: the bodies are a few fields.
pub(crate) const BODY_LIMIT: usize = 64 * 1024;

/// The longest value quoted back in a refusal.
const QUOTE_MAX: usize = 200;

/// `text` cut to what a refusal quotes back.
pub(crate) fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_MAX {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(QUOTE_MAX).collect();
        cut.push('…');
        cut
    }
}

/// Reads the body within the limit and the server's body timeout.
pub(crate) async fn read(body: Body, timeout: std::time::Duration) -> Result<Vec<u8>, AdminError> {
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
        Ok(Err(_)) => Err(AdminError::too_large(BODY_LIMIT)),
        Err(_) => Err(AdminError::invalid("body", "", "请求体读取超时 body not received in time".to_owned())),
    }
}

/// A body's JSON object, with the fields an endpoint takes.
#[derive(Debug)]
pub(crate) struct Fields {
    map: Map<String, Value>,
}

impl Fields {
    /// Parses `bytes` as one JSON object whose keys are all in `known`, each given once.
    pub(crate) fn parse(bytes: &[u8], known: &[&str]) -> Result<Fields, AdminError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            AdminError::invalid("body", quote(&String::from_utf8_lossy(bytes)), format!("请求体不是 UTF-8 文本: {e}"))
        })?;
        if text.trim().is_empty() {
            return Err(AdminError::invalid("body", "", format!("请求体应为 JSON 对象, 字段: {}", known.join(", "))));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| AdminError::invalid("body", quote(text), format!("请求体不是合法的 JSON: {e}")))?;
        let Value::Object(map) = value else {
            return Err(AdminError::invalid("body", quote(text), format!("请求体应为 JSON 对象: {}", quote(text))));
        };
        if let Some(path) = wdt_protocol::duplicate_keys::first_duplicate_key(text) {
            return Err(AdminError::invalid(path.clone(), "", format!("字段重复 {path}")));
        }
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(AdminError::invalid(
                unknown.clone(),
                quote(&map[unknown].to_string()),
                format!("未知字段 {unknown} (可用字段: {})", known.join(", ")),
            ));
        }
        Ok(Fields { map })
    }

    /// The field's JSON value as given, for fields of more than one type; `null` counts as absent.
    pub(crate) fn value(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A required, non-empty string.
    pub(crate) fn required_string(&self, name: &str) -> Result<String, AdminError> {
        match self.optional_string(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(s) => Err(AdminError::invalid(name, s, format!("字段不能为空 {name}"))),
            None => Err(AdminError::invalid(name, "", format!("缺少必填字段 {name}"))),
        }
    }

    /// An optional string, as given (possibly empty).
    pub(crate) fn optional_string(&self, name: &str) -> Result<Option<String>, AdminError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => {
                let text = quote(&other.to_string());
                Err(AdminError::invalid(name, text.clone(), format!("字段应为字符串 {name}: {text}")))
            }
        }
    }

    /// An optional flag: `true`/`false` (or `1`/`0`), `false` when absent.
    pub(crate) fn flag(&self, name: &str) -> Result<bool, AdminError> {
        match self.value(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(false),
            Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(true),
            Some(other) => {
                let text = quote(&other.to_string());
                Err(AdminError::invalid(name, text.clone(), format!("字段应为 true 或 false {name}: {text}")))
            }
        }
    }

    /// A required quantity: a JSON number or a string holding a plain decimal, at most four
    /// places, exact.
    pub(crate) fn quantity(&self, name: &str) -> Result<Dec4, AdminError> {
        let text = match self.value(name) {
            None => return Err(AdminError::invalid(name, "", format!("缺少必填字段 {name}"))),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                let text = quote(&other.to_string());
                return Err(AdminError::invalid(name, text.clone(), format!("字段应为数字 {name}: {text}")));
            }
        };
        Dec4::parse(&text).map_err(|e| {
            let why = match e {
                DecimalError::NotANumber(_) => "不是合法的数字",
                DecimalError::TooManyDecimals(_) => "小数位数不能超过4位",
                DecimalError::OutOfRange(_) => "数值超出范围",
            };
            let text = quote(&text);
            AdminError::invalid(name, text.clone(), format!("{why} {name}: {text}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Result<Fields, AdminError> {
        Fields::parse(text.as_bytes(), &["a", "num", "flag"])
    }

    fn refusal(e: AdminError) -> (String, String) {
        (e.field.unwrap_or_default(), e.value.unwrap_or_default())
    }

    #[test]
    fn bodies_that_are_not_one_object_of_known_fields_are_refused_by_name() {
        let cases: &[(&str, (&str, &str))] = &[
            ("", ("body", "")),
            ("{", ("body", "{")),
            ("[1]", ("body", "[1]")),
            ("{\"b\":1}", ("b", "1")),
            ("{\"a\":\"x\",\"a\":\"y\"}", ("a", "")),
        ];
        for (text, want) in cases {
            let e = fields(text).expect_err(text);
            assert_eq!(e.code, "invalid", "{text}");
            assert_eq!(refusal(e), (want.0.to_owned(), want.1.to_owned()), "{text}");
        }
    }

    #[test]
    fn fields_are_typed_and_named() {
        let f = fields(r#"{"a":"WH1","num":"2.5","flag":true}"#).unwrap();
        assert_eq!(f.required_string("a").unwrap(), "WH1");
        assert_eq!(f.quantity("num").unwrap(), Dec4::parse("2.5").unwrap());
        assert!(f.flag("flag").unwrap());
        let f = fields(r#"{"a":7,"num":"1.23456","flag":"yes"}"#).unwrap();
        assert_eq!(refusal(f.required_string("a").unwrap_err()), ("a".to_owned(), "7".to_owned()));
        assert_eq!(refusal(f.quantity("num").unwrap_err()), ("num".to_owned(), "1.23456".to_owned()));
        assert_eq!(refusal(f.flag("flag").unwrap_err()), ("flag".to_owned(), "\"yes\"".to_owned()));
        let f = fields(r#"{"a":"","num":[1]}"#).unwrap();
        assert_eq!(refusal(f.required_string("a").unwrap_err()), ("a".to_owned(), String::new()));
        assert_eq!(refusal(f.quantity("num").unwrap_err()), ("num".to_owned(), "[1]".to_owned()));
        let f = fields("{}").unwrap();
        assert!(f.required_string("a").unwrap_err().message.contains("缺少必填字段 a"));
        assert!(!f.flag("flag").unwrap());
        assert_eq!(f.optional_string("a").unwrap(), None);
        let f = fields(r#"{"num":1e3}"#).unwrap();
        assert_eq!(refusal(f.quantity("num").unwrap_err()).0, "num");
    }
}
