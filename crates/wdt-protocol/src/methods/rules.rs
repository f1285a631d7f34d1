//! The checks that every `validate()` shares, each producing the message format of
//! [`super`]'s module docs.

use std::fmt::Display;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::lenient::shorten;

/// `<path>不能为空`.
pub(crate) fn absent(path: impl Display) -> ApiError {
    ApiError::Business(format!("{path}不能为空"))
}

/// A required text: not blank, at most `max` characters (`None`: no limit).
pub(crate) fn required_text(path: impl Display, value: &str, max: Option<usize>) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(absent(path));
    }
    text_len(path, value, max)
}

/// An optional text: at most `max` characters when given.
pub(crate) fn optional_text(path: impl Display, value: Option<&str>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) => text_len(path, v, Some(max)),
        None => Ok(()),
    }
}

/// At most `max` characters (counted as characters, not bytes): `超长(最大N) <path>: <value>`.
pub(crate) fn text_len(path: impl Display, value: &str, max: Option<usize>) -> Result<(), ApiError> {
    match max {
        Some(max) if value.chars().count() > max => {
            Err(ApiError::Business(format!("超长(最大{max}) {path}: {}", shorten(value))))
        }
        _ => Ok(()),
    }
}

/// A quantity: strictly positive. `数量不合法 <path>: <value>`.
pub(crate) fn positive_quantity(path: impl Display, value: Dec4) -> Result<(), ApiError> {
    if value.is_positive() { Ok(()) } else { Err(ApiError::Business(format!("数量不合法 {path}: {value}"))) }
}

/// A price: not negative when given. `价格不合法 <path>: <value>`.
pub(crate) fn non_negative_price(path: impl Display, value: Option<Dec4>) -> Result<(), ApiError> {
    match value {
        Some(v) if v.is_negative() => Err(ApiError::Business(format!("价格不合法 {path}: {v}"))),
        _ => Ok(()),
    }
}

/// A coded integer: one of `allowed` when given. `取值不合法(0/1/2) <path>: <value>`.
pub(crate) fn one_of(path: impl Display, value: Option<i64>, allowed: &[i64]) -> Result<(), ApiError> {
    match value {
        Some(v) if !allowed.contains(&v) => {
            let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
            Err(ApiError::Business(format!("取值不合法({}) {path}: {v}", list.join("/"))))
        }
        _ => Ok(()),
    }
}

/// The path of a field of line `index` of a list (`detail_list[2].num`), written only when a
/// check fails: most requests pass every check, and building each path up front cost an
/// allocation per field per line.
pub(crate) struct LinePath<'a> {
    /// The list's field name.
    pub list: &'a str,
    /// The line's index.
    pub index: usize,
    /// The field's name in the line.
    pub field: &'a str,
}

impl Display for LinePath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}].{}", self.list, self.index, self.field)
    }
}

/// A detail list: at least one line (`<path>不能为空`), at most
/// [`super::MAX_DETAIL_LINES`] (`明细行数超过上限(N) <path>: <count>`).
pub(crate) fn non_empty<T>(path: impl Display, list: &[T]) -> Result<(), ApiError> {
    if list.is_empty() {
        Err(absent(path))
    } else if list.len() > super::MAX_DETAIL_LINES {
        Err(ApiError::Business(format!("明细行数超过上限({}) {path}: {}", super::MAX_DETAIL_LINES, list.len())))
    } else {
        Ok(())
    }
}
