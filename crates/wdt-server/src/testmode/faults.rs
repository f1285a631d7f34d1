//! Injected faults (SPEC.md §11): the next `count` calls of a method (and, optionally, of one
//! key) fail the way the vendor's gateway fails, before anything is read or written.

use std::sync::Mutex;
use std::sync::PoisonError;

use serde::{Deserialize, Serialize};

/// How a faulted call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Status 100 `超过每分钟最大调用频率限制，请稍后重试`, in the dialect's envelope.
    RateLimit,
    /// Status 100 `超过每分钟最大并发次数限制，请稍后重试`.
    ConcurrencyLimit,
    /// Status 4 `数据库错误`.
    Internal,
    /// The call waits `delay_ms`, then runs as usual.
    Delay,
    /// An HTTP `http_status` answer with the gateway's HTML error page.
    HttpStatus,
    /// HTTP 200 with an HTML login page instead of JSON (a gateway session gone astray).
    HtmlPage,
    /// The connection closes before a complete answer.
    Close,
}

/// A fault as asked for (`POST /admin/v1/faults`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// The method it matches: a qjb method (`wms.stockin.Refund.createOrder`), an openapi2
    /// endpoint (`stockin_refund_push.php`), or `*` for every call.
    pub method: String,
    /// The key (qjb `key`, openapi2 `appkey`) it matches; every key when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// How the call fails.
    pub kind: FaultKind,
    /// For `delay`: milliseconds (at most 600,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// For `http_status`: the status (400–599).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// How many matching calls it fails (default 1, at most 1,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// A fault waiting for calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fault {
    /// Its number, in the order faults were added.
    pub id: u64,
    /// The method it matches.
    pub method: String,
    /// The key it matches, if one.
    pub key: Option<String>,
    /// How the call fails.
    pub kind: FaultKind,
    /// For `delay`.
    pub delay_ms: Option<u64>,
    /// For `http_status`.
    pub http_status: Option<u16>,
    /// Calls it still fails.
    pub remaining: u32,
}

/// A fault one call consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Armed {
    /// How the call fails.
    pub kind: FaultKind,
    /// For `delay`.
    pub delay_ms: u64,
    /// For `http_status`.
    pub http_status: u16,
}

/// Why a fault was not added: the field and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRefusal {
    /// The field.
    pub field: &'static str,
    /// Its value.
    pub value: String,
    /// The message, naming both.
    pub message: String,
}

fn refusal(field: &'static str, value: impl ToString, why: &str) -> FaultRefusal {
    let value = value.to_string();
    FaultRefusal { field, message: format!("{why}: {field} = {value}"), value }
}

/// The faults of one server.
#[derive(Debug, Default)]
pub struct Faults {
    state: Mutex<(u64, Vec<Fault>)>,
}

impl FaultSpec {
    /// A fault of `kind` on the next call of `method` (every key).
    pub fn new(method: &str, kind: FaultKind) -> FaultSpec {
        FaultSpec { method: method.to_owned(), key: None, kind, delay_ms: None, http_status: None, count: None }
    }

    /// Only calls of `key`.
    pub fn for_key(mut self, key: &str) -> FaultSpec {
        self.key = Some(key.to_owned());
        self
    }

    /// The next `count` matching calls.
    pub fn times(mut self, count: u32) -> FaultSpec {
        self.count = Some(count);
        self
    }

    /// For `delay`: how long.
    pub fn delay_ms(mut self, ms: u64) -> FaultSpec {
        self.delay_ms = Some(ms);
        self
    }

    /// For `http_status`: which status.
    pub fn http_status(mut self, status: u16) -> FaultSpec {
        self.http_status = Some(status);
        self
    }
}

impl Faults {
    /// Adds a fault, checked.
    pub fn add(&self, spec: FaultSpec) -> Result<Fault, FaultRefusal> {
        if spec.method.trim().is_empty() || spec.method.len() > 200 {
            return Err(refusal("method", &spec.method, "a method name, or * for every call"));
        }
        let count = spec.count.unwrap_or(1);
        if !(1..=1_000_000).contains(&count) {
            return Err(refusal("count", count, "between 1 and 1000000"));
        }
        match spec.kind {
            FaultKind::Delay => match spec.delay_ms {
                Some(ms) if ms <= 600_000 => {}
                Some(ms) => return Err(refusal("delay_ms", ms, "at most 600000")),
                None => return Err(refusal("delay_ms", "null", "a delay needs delay_ms")),
            },
            FaultKind::HttpStatus => match spec.http_status {
                Some(s) if (400..=599).contains(&s) => {}
                Some(s) => return Err(refusal("http_status", s, "between 400 and 599")),
                None => return Err(refusal("http_status", "null", "an http_status fault needs http_status")),
            },
            _ => {}
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 += 1;
        let fault = Fault {
            id: state.0,
            method: spec.method,
            key: spec.key.filter(|k| !k.is_empty()),
            kind: spec.kind,
            delay_ms: spec.delay_ms,
            http_status: spec.http_status,
            remaining: count,
        };
        state.1.push(fault.clone());
        Ok(fault)
    }

    /// Consumes one call of the oldest fault matching `method` and `key`, if any.
    pub fn take(&self, method: &str, key: &str) -> Option<Armed> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let list = &mut state.1;
        let at = list
            .iter()
            .position(|f| (f.method == "*" || f.method == method) && f.key.as_deref().is_none_or(|k| k == key))?;
        let fault = &mut list[at];
        let armed = Armed {
            kind: fault.kind,
            delay_ms: fault.delay_ms.unwrap_or(0),
            http_status: fault.http_status.unwrap_or(500),
        };
        fault.remaining -= 1;
        if fault.remaining == 0 {
            list.remove(at);
        }
        Some(armed)
    }

    /// The faults still waiting, oldest first.
    pub fn list(&self) -> Vec<Fault> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1.clone()
    }

    /// Removes every fault; how many there were.
    pub fn clear(&self) -> usize {
        std::mem::take(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner).1).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(method: &str, key: Option<&str>, kind: FaultKind, count: Option<u32>) -> FaultSpec {
        FaultSpec { method: method.into(), key: key.map(Into::into), kind, delay_ms: None, http_status: None, count }
    }

    #[test]
    fn a_fault_is_consumed_by_matching_calls_oldest_first() {
        let faults = Faults::default();
        faults.add(spec("m.a", Some("k1"), FaultKind::RateLimit, Some(2))).unwrap();
        faults.add(spec("*", None, FaultKind::Internal, None)).unwrap();
        assert_eq!(faults.take("m.a", "k2").map(|a| a.kind), Some(FaultKind::Internal), "k2 skips the k1 fault");
        assert_eq!(faults.take("m.a", "k2"), None, "the catch-all was used up");
        assert_eq!(faults.take("m.a", "k1").map(|a| a.kind), Some(FaultKind::RateLimit));
        assert_eq!(faults.list()[0].remaining, 1);
        assert_eq!(faults.take("m.a", "k1").map(|a| a.kind), Some(FaultKind::RateLimit));
        assert_eq!(faults.take("m.a", "k1"), None);
        assert!(faults.list().is_empty());
        faults.add(spec("m.b", None, FaultKind::Close, Some(5))).unwrap();
        assert_eq!(faults.clear(), 1);
        assert_eq!(faults.take("m.b", "k"), None);
    }

    #[test]
    fn bad_faults_are_refused_naming_the_field() {
        let faults = Faults::default();
        let cases = [
            (spec("", None, FaultKind::Internal, None), "method"),
            (spec("m", None, FaultKind::Internal, Some(0)), "count"),
            (spec("m", None, FaultKind::Delay, None), "delay_ms"),
            (FaultSpec { delay_ms: Some(600_001), ..spec("m", None, FaultKind::Delay, None) }, "delay_ms"),
            (spec("m", None, FaultKind::HttpStatus, None), "http_status"),
            (FaultSpec { http_status: Some(200), ..spec("m", None, FaultKind::HttpStatus, None) }, "http_status"),
        ];
        for (spec, field) in cases {
            let e = faults.add(spec).unwrap_err();
            assert_eq!(e.field, field, "{}", e.message);
            assert!(e.message.contains(field) && e.message.contains(&e.value), "{}", e.message);
        }
        assert!(faults.list().is_empty());
    }
}
