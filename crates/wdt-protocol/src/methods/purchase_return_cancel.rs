//! `purchase.PurchaseReturn.cancelOrder` (采购退货单取消): body `[return_no]`, one string.
//!
//! The page answers every outcome with `status` 0 and says what happened in `data`: `message`
//! is `OK` when the return was cancelled, else the reason (its error example:
//! `{"status":0,"data":{"message":"采购退货单号为 xxxxxxxxx 的单据不存在","status":0}}`). What is
//! wrong with the argument itself (missing, blank, longer than 20) is refused in the usual
//! envelope (status 100), as for every method.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;

use super::lenient::{Lenient, shorten};
use super::{PURCHASE_RETURN_CANCEL, rules, take_args};

/// Name of the only positional argument.
pub const ARG_RETURN_NO: &str = "return_no";

/// `data.message` when the return was cancelled.
pub const MESSAGE_OK: &str = "OK";

/// The vendor's text for a return that is not open any more (batchCancelOrder's page).
pub const NOT_OPEN: &str = "采购退货单不是待审核或者编辑中状态";

/// The argument of [`PURCHASE_RETURN_CANCEL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseReturnCancel {
    /// 采购退货单号 (required, ≤ 20).
    pub return_no: String,
}

impl PurchaseReturnCancel {
    /// Decodes and validates the positional argument of [`PURCHASE_RETURN_CANCEL`]: a string
    /// (a number is read as its text).
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [no] = take_args::<1>(PURCHASE_RETURN_CANCEL, args)?;
        let return_no = String::from_json(&no)
            .map_err(|e| ApiError::ArgumentType(format!("{ARG_RETURN_NO}: expected a string, got {}", shorten(&e))))?;
        let cancel = PurchaseReturnCancel { return_no };
        cancel.validate()?;
        Ok(cancel)
    }

    /// The positional arguments that carry this call (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        vec![Value::String(self.return_no.clone())]
    }

    /// `return_no` is required and at most 20 characters.
    pub fn validate(&self) -> Result<(), ApiError> {
        rules::required_text(ARG_RETURN_NO, &self.return_no, Some(20))
    }
}

/// Response `data`: `{"message": "OK", "status": 0}`, or the reason in `message`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseReturnCancelResult {
    /// `OK`, or why the return was not cancelled.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub message: String,
    /// 0, as the page's examples give it in both cases.
    #[serde(deserialize_with = "super::lenient::or_default")]
    pub status: i64,
}

impl PurchaseReturnCancelResult {
    /// The return was cancelled.
    pub fn cancelled() -> Self {
        PurchaseReturnCancelResult { message: MESSAGE_OK.to_owned(), status: 0 }
    }

    /// No return of that number (in the key's warehouses): the page's text,
    /// `采购退货单号为 <no> 的单据不存在`.
    pub fn not_found(return_no: &str) -> Self {
        PurchaseReturnCancelResult {
            message: format!("采购退货单号为 {return_no} 的单据不存在"), status: 0
        }
    }

    /// The return is checked or cancelled already: the vendor's text, then field and value
    /// (`采购退货单不是待审核或者编辑中状态 return_no: PR1`).
    pub fn not_open(return_no: &str) -> Self {
        PurchaseReturnCancelResult { message: format!("{NOT_OPEN} {ARG_RETURN_NO}: {return_no}"), status: 0 }
    }

    /// Whether the return was cancelled (`message` is `OK`).
    pub fn is_cancelled(&self) -> bool {
        self.message == MESSAGE_OK
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn args(v: Value) -> Vec<Value> {
        match v {
            Value::Array(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_page_example_and_refusals() {
        let ok = PurchaseReturnCancel::from_args(args(json!(["CR202003230001"]))).unwrap();
        assert_eq!(ok.return_no, "CR202003230001");
        assert_eq!(ok.to_args(), vec![json!("CR202003230001")]);
        assert_eq!(PurchaseReturnCancel::from_args(args(json!([123]))).unwrap().return_no, "123");
        let cases = [
            (json!([""]), "return_no不能为空"),
            (json!(["  "]), "return_no不能为空"),
            (json!(["CR2020032300011234567"]), "超长(最大20) return_no: CR2020032300011234567"),
            (json!([{"return_no": "X"}]), "return_no: expected a string, got an object"),
            (json!([null]), "return_no: expected a string, got null"),
            (json!([true]), "return_no: expected a string, got boolean true"),
        ];
        for (body, text) in cases {
            let e = PurchaseReturnCancel::from_args(args(body.clone())).unwrap_err();
            assert!(e.to_string().contains(text), "{body}: {e}");
        }
    }

    #[test]
    fn results() {
        assert_eq!(
            serde_json::to_value(PurchaseReturnCancelResult::cancelled()).unwrap(),
            json!({"message": "OK", "status": 0})
        );
        assert_eq!(PurchaseReturnCancelResult::not_found("PR9").message, "采购退货单号为 PR9 的单据不存在");
        assert!(!PurchaseReturnCancelResult::not_open("PR1").is_cancelled());
        assert_eq!(
            PurchaseReturnCancelResult::not_open("PR1").message,
            "采购退货单不是待审核或者编辑中状态 return_no: PR1"
        );
    }
}
