//! The checks that every `validate()` shares, each producing the message format of
//! [`super`]'s module docs.

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::lenient::shorten;

/// `<path>不能为空`.
pub(crate) fn absent(path: &str) -> ApiError {
    ApiError::Business(format!("{path}不能为空"))
}

/// A required text: not blank, at most `max` characters (`None`: no limit).
pub(crate) fn required_text(path: &str, value: &str, max: Option<usize>) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(absent(path));
    }
    text_len(path, value, max)
}

/// An optional text: at most `max` characters when given.
pub(crate) fn optional_text(path: &str, value: Option<&str>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) => text_len(path, v, Some(max)),
        None => Ok(()),
    }
}

/// At most `max` characters (counted as characters, not bytes): `超长(最大N) <path>: <value>`.
pub(crate) fn text_len(path: &str, value: &str, max: Option<usize>) -> Result<(), ApiError> {
    match max {
        Some(max) if value.chars().count() > max => {
            Err(ApiError::Business(format!("超长(最大{max}) {path}: {}", shorten(value))))
        }
        _ => Ok(()),
    }
}

/// A quantity: strictly positive. `数量不合法 <path>: <value>`.
pub(crate) fn positive_quantity(path: &str, value: Dec4) -> Result<(), ApiError> {
    if value.is_positive() { Ok(()) } else { Err(ApiError::Business(format!("数量不合法 {path}: {value}"))) }
}

/// A price: not negative when given. `价格不合法 <path>: <value>`.
pub(crate) fn non_negative_price(path: &str, value: Option<Dec4>) -> Result<(), ApiError> {
    match value {
        Some(v) if v.is_negative() => Err(ApiError::Business(format!("价格不合法 {path}: {v}"))),
        _ => Ok(()),
    }
}

/// A coded integer: one of `allowed` when given. `取值不合法(0/1/2) <path>: <value>`.
pub(crate) fn one_of(path: &str, value: Option<i64>, allowed: &[i64]) -> Result<(), ApiError> {
    match value {
        Some(v) if !allowed.contains(&v) => {
            let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
            Err(ApiError::Business(format!("取值不合法({}) {path}: {v}", list.join("/"))))
        }
        _ => Ok(()),
    }
}

/// A detail list: at least one line (`<path>不能为空`), at most
/// [`super::MAX_DETAIL_LINES`] (`明细行数超过上限(N) <path>: <count>`).
pub(crate) fn non_empty<T>(path: &str, list: &[T]) -> Result<(), ApiError> {
    if list.is_empty() {
        Err(absent(path))
    } else if list.len() > super::MAX_DETAIL_LINES {
        Err(ApiError::Business(format!("明细行数超过上限({}) {path}: {}", super::MAX_DETAIL_LINES, list.len())))
    } else {
        Ok(())
    }
}
