//! The business rules on a command's own detail lines, shared by every write operation: there
//! is at least one line, every quantity is positive, no price is negative, no fee is negative.
//!
//! The wire layer (`wdt-protocol`) checks shape, type, length and format only; these rules are
//! checked once, here, by each command's `check_lines`, which its rule (`plan`, `prepare`) runs
//! before it reads any stored state. A request with a bad line is therefore refused for that line
//! whatever else about it (an unknown refund order, trade or warehouse) is wrong too.
//!
//! Messages follow the wire's `<problem> <path>: <value>` order, with the wire path of the field
//! (`detail_list[0].num`, `detailMapList[1].stockin_num`).

use std::fmt::Display;

use wdt_protocol::{ApiError, Dec4};

/// A detail list with at least one line; `<list>不能为空` otherwise.
pub fn not_empty(list: &str, len: usize) -> Result<(), ApiError> {
    if len == 0 { Err(ApiError::Business(format!("{list}不能为空"))) } else { Ok(()) }
}

/// A strictly positive quantity; `数量不合法 <path>: <value>` (the vendor's `数量不合法`) otherwise.
pub fn positive_quantity(path: impl Display, value: Dec4) -> Result<(), ApiError> {
    if value.is_positive() { Ok(()) } else { Err(ApiError::Business(format!("数量不合法 {path}: {value}"))) }
}

/// A price that is not negative when given; `价格不合法 <path>: <value>` otherwise.
pub fn non_negative_price(path: impl Display, value: Option<Dec4>) -> Result<(), ApiError> {
    match value {
        Some(v) if v.is_negative() => Err(ApiError::Business(format!("价格不合法 {path}: {v}"))),
        _ => Ok(()),
    }
}

/// A fee of the order (`post_fee`, `other_fee`): not negative.
pub fn non_negative_fee(field: &str, value: Dec4) -> Result<(), ApiError> {
    if value.is_negative() { Err(ApiError::Business(format!("金额不合法 {field}: {value}"))) } else { Ok(()) }
}

/// The order's fees: `post_fee` and `other_fee`, neither negative.
pub fn fees(post_fee: Dec4, other_fee: Dec4) -> Result<(), ApiError> {
    non_negative_fee("post_fee", post_fee)?;
    non_negative_fee("other_fee", other_fee)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wdt_protocol::methods::LinePath;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn message(r: Result<(), ApiError>) -> Option<String> {
        r.err().map(|e| e.to_string())
    }

    #[test]
    fn each_rule_names_the_path_and_the_value() {
        let path = LinePath { list: "detail_list", index: 2, field: "num" };
        let cases: Vec<(&str, Result<(), ApiError>, Option<&str>)> = vec![
            ("one line", not_empty("detail_list", 1), None),
            ("no lines", not_empty("detailMapList", 0), Some("detailMapList不能为空")),
            ("positive", positive_quantity(path, d("0.0001")), None),
            ("zero", positive_quantity(path, Dec4::ZERO), Some("数量不合法 detail_list[2].num: 0")),
            ("negative", positive_quantity(path, d("-1.5")), Some("数量不合法 detail_list[2].num: -1.5")),
            ("no price", non_negative_price("detailList[0].price", None), None),
            ("zero price", non_negative_price("detailList[0].price", Some(Dec4::ZERO)), None),
            (
                "negative price",
                non_negative_price("detailList[0].price", Some(d("-3"))),
                Some("价格不合法 detailList[0].price: -3"),
            ),
        ];
        for (name, got, want) in cases {
            assert_eq!(message(got).as_deref(), want, "{name}");
        }
    }
}
