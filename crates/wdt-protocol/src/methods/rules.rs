//! The checks that every `validate()` shares, each producing the message format of
//! [`super`]'s module docs.

use std::fmt::Display;

use crate::error::ApiError;

use super::lenient::shorten;

/// The most characters of a time parameter (`yyyy-MM-dd HH:mm:ss`), as the pages give it.
pub(crate) const TIME_CHARS: usize = 40;

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

/// A coded integer: one of `allowed` (each read by `code`) when given, else
/// `取值不合法(0/1/2) <path>: <value>`. Returns the value the code stands for.
pub(crate) fn one_of<T: Copy>(
    path: impl Display,
    value: Option<i64>,
    allowed: &[T],
    code: impl Fn(T) -> i64,
) -> Result<Option<T>, ApiError> {
    let Some(v) = value else { return Ok(None) };
    allowed.iter().copied().find(|t| code(*t) == v).map(Some).ok_or_else(|| {
        let list: Vec<String> = allowed.iter().map(|t| code(*t).to_string()).collect();
        ApiError::Business(format!("取值不合法({}) {path}: {v}", list.join("/")))
    })
}

/// The path of a field of line `index` of a list (`detail_list[2].num`), written only when a
/// check fails: most requests pass every check, and building each path up front cost an
/// allocation per field per line. The business rules of `wdt-domain` name lines the same way.
#[derive(Debug, Clone, Copy)]
pub struct LinePath<'a> {
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

/// A detail list: at most [`super::MAX_DETAIL_LINES`] lines
/// (`明细行数超过上限(N) <path>: <count>`). Whether it may be empty is a business rule
/// (`wdt-domain` refuses an empty one as `<path>不能为空`).
pub(crate) fn max_lines<T>(path: impl Display, list: &[T]) -> Result<(), ApiError> {
    if list.len() > super::MAX_DETAIL_LINES {
        Err(ApiError::Business(format!("明细行数超过上限({}) {path}: {}", super::MAX_DETAIL_LINES, list.len())))
    } else {
        Ok(())
    }
}
