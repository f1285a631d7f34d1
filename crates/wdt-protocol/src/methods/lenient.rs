//! Lenient scalar decoding, for `#[serde(deserialize_with = "…")]`.
//!
//! Clients of both dialects send scalars in more than one JSON shape: the seeds' PHP and C#
//! examples send numbers as strings (`"stockin_num": "1"`, `"create_mode": "2"`), openapi2 sends
//! `is_check` as `1`/`0` and `is_created_batch` as the varchar `"0"`/`"1"`, and codes that look
//! like numbers arrive as numbers (`"logistics_code": 426`). Every wire scalar therefore goes
//! through [`Lenient`]:
//!
//! | Rust type | accepted JSON |
//! |---|---|
//! | `String` | a string; a number (its exact text) |
//! | `i64` | an integer number; a string holding an integer (blanks around it are ignored) |
//! | `bool` | `true`/`false`; `1`/`0`; `"1"`/`"0"`; `"true"`/`"false"` (any case) |
//! | [`Dec4`] | a number or a string holding a plain decimal with at most four decimals |
//!
//! How `null` and `""` are read depends on the wrapper:
//! [`required`] refuses `null` (and `""` for non-strings) as absent; [`optional`] reads them as
//! `None` (an empty string stays `Some("")` for `String`); [`or_default`] (for responses) reads
//! them as the type's default; [`list`] reads `null` as an empty list.
//!
//! Refusals are the reason followed by the value (`不是合法的整数: abc`);
//! [`super::decode_field`] prefixes the path.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serializer};
use serde_json::Value;

use crate::decimal::{Dec4, DecimalError};

/// The refusal a wrapper gives for an absent required value; [`super::decode_field`] renders it
/// as `<path>不能为空`.
pub(crate) const ABSENT: &str = "不能为空";

/// The longest value text quoted in a message, in characters.
const SHOWN_CHARS: usize = 64;

/// Renders a value for a message: strings without quotes, anything else as compact JSON; longer
/// than 64 characters is cut and ends with `…`.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::String(s) => shorten(s),
        other => shorten(&other.to_string()),
    }
}

/// Cuts a text to 64 characters for a message, marking the cut with `…`.
pub(crate) fn shorten(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(SHOWN_CHARS).collect();
        cut.push('…');
        cut
    }
}

/// A scalar that may arrive in several JSON shapes.
pub trait Lenient: Sized {
    /// Whether a blank string means "absent" (true for everything but `String`).
    const BLANK_IS_ABSENT: bool;

    /// Reads one JSON value other than `null`. The error is the reason, ending with the value.
    fn from_json(value: &Value) -> Result<Self, String>;
}

impl Lenient for String {
    const BLANK_IS_ABSENT: bool = false;

    fn from_json(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(format!("应为字符串: {}", show(other))),
        }
    }
}

impl Lenient for i64 {
    const BLANK_IS_ABSENT: bool = true;

    fn from_json(value: &Value) -> Result<Self, String> {
        let parsed = match value {
            Value::Number(n) => n.to_string().parse::<i64>().ok(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        parsed.ok_or_else(|| format!("不是合法的整数: {}", show(value)))
    }
}

impl Lenient for bool {
    const BLANK_IS_ABSENT: bool = true;

    fn from_json(value: &Value) -> Result<Self, String> {
        let parsed = match value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => match n.to_string().as_str() {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            },
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Some(true),
                "0" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        parsed.ok_or_else(|| format!("不是合法的布尔值(true/false/1/0): {}", show(value)))
    }
}

impl Lenient for Dec4 {
    const BLANK_IS_ABSENT: bool = true;

    fn from_json(value: &Value) -> Result<Self, String> {
        let parsed = match value {
            Value::Number(n) => Dec4::parse(&n.to_string()),
            Value::String(s) => Dec4::parse(s),
            other => Err(DecimalError::NotANumber(show(other))),
        };
        parsed.map_err(|e| match e {
            // Keep messages short when someone sends a huge text.
            DecimalError::NotANumber(t) => DecimalError::NotANumber(shorten(&t)).to_string(),
            DecimalError::TooManyDecimals(t) => DecimalError::TooManyDecimals(shorten(&t)).to_string(),
            DecimalError::OutOfRange(t) => DecimalError::OutOfRange(shorten(&t)).to_string(),
        })
    }
}

fn is_absent<T: Lenient>(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => T::BLANK_IS_ABSENT && s.trim().is_empty(),
        _ => false,
    }
}

/// A required scalar: `null` (and, except for strings, a blank string) is refused as absent.
pub fn required<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    let value = Value::deserialize(deserializer)?;
    if is_absent::<T>(&value) {
        return Err(de::Error::custom(ABSENT));
    }
    T::from_json(&value).map_err(de::Error::custom)
}

/// An optional scalar: `null` (and, except for strings, a blank string) is `None`. Pair it with
/// `#[serde(default)]` so that a missing key is `None` too.
pub fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    let value = Value::deserialize(deserializer)?;
    if is_absent::<T>(&value) {
        return Ok(None);
    }
    T::from_json(&value).map(Some).map_err(de::Error::custom)
}

/// A response scalar: `null` (and, except for strings, a blank string) is the type's default.
/// Pair it with `#[serde(default)]`.
pub fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient + Default,
{
    Ok(optional(deserializer)?.unwrap_or_default())
}

/// A list of scalars: `null` is an empty list; each element is read as by [`required`], and a
/// refused element is reported at its index (`ref_purchase_nos[1]`).
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    deserializer.deserialize_any(ListVisitor(PhantomData))
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("数组")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(Element::<T>(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
}

struct Element<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for Element<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        required(deserializer)
    }
}

/// Serializes `Some(true)`/`Some(false)` as the numbers `1`/`0`, as openapi2's tinyint flags
/// travel. Pair it with `skip_serializing_if = "Option::is_none"`.
pub fn opt_bool_as_int<S: Serializer>(value: &Option<bool>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(b) => serializer.serialize_i64(i64::from(*b)),
        None => serializer.serialize_none(),
    }
}

/// A list of records in a response: `null` is an empty list. Pair it with `#[serde(default)]`.
pub fn vec_or_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// Declares a wire struct in which a field written `name?: T` is an optional scalar: it is
/// `Option<T>`, read by [`optional`] (absent, `null` or blank is `None`) and left out of the
/// JSON sent when `None`. Every other field stands as written, attributes and all.
///
/// A field may declare its check after its type, checked in the order of the fields by the
/// struct's `check_declared(path)` (`path` names a field in a refusal: the field's name, or a
/// line's `detail_list[2].remark`):
///
/// | written | checked |
/// |---|---|
/// | `name?: String [max 40]` | at most 40 characters when given |
/// | `name?: String [time]` | a time's text: at most [`TIME_CHARS`](super::rules) (40) characters when given |
/// | `name?: i64 [one_of CODES]` | one of `CODES` when given |
/// | `name: String [max 255]` | at most 255 characters |
/// | `name: String [required max 40]` | not blank, at most 40 characters |
///
/// Optional fields written `a?,` before one written `b?: T [check]` share its type and check
/// (a time window's two ends, a run of numbers of one length).
///
/// ```ignore
/// wire_struct! {
///     /// A request.
///     #[derive(Debug, Default, Serialize, Deserialize)]
///     pub struct Params {
///         /// Required.
///         #[serde(deserialize_with = "crate::methods::lenient::required")]
///         pub refund_no: String [required max 40],
///         /// Optional: `Option<String>`.
///         pub remark?: String [max 255],
///     }
/// }
/// ```
macro_rules! wire_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $crate::methods::lenient::wire_struct!(@fields [$(#[$meta])* $vis struct $name] $name [] [] $($body)*);
    };
    // `a?,` shares the type and check of the next optional field: held until that one comes.
    (@fields $head:tt $name:ident $done:tt $checks:tt
        $(#[doc = $doc:literal])* $fvis:vis $field:ident ?, $($rest:tt)*) => {
        $crate::methods::lenient::wire_struct!(@shared $head $name $done $checks
            [($(#[doc = $doc])* $fvis $field)] $($rest)*);
    };
    (@shared $head:tt $name:ident $done:tt $checks:tt [$($held:tt)*]
        $(#[doc = $doc:literal])* $fvis:vis $field:ident ?, $($rest:tt)*) => {
        $crate::methods::lenient::wire_struct!(@shared $head $name $done $checks
            [$($held)* ($(#[doc = $doc])* $fvis $field)] $($rest)*);
    };
    (@shared $head:tt $name:ident $done:tt $checks:tt $held:tt
        $(#[doc = $doc:literal])* $fvis:vis $field:ident ?: $ty:ty [$($check:tt)+] $(, $($rest:tt)*)?) => {
        $crate::methods::lenient::wire_struct!(@release $head $name $done $checks $held ($ty) [$($check)+]
            $(#[doc = $doc])* $fvis $field ?: $ty [$($check)+] $(, $($rest)*)?);
    };
    (@release $head:tt $name:ident [$($done:tt)*] [$($checks:tt)*]
        [$(($(#[doc = $hdoc:literal])* $hvis:vis $held:ident))+] ($ty:ty) $check:tt $($rest:tt)*) => {
        $crate::methods::lenient::wire_struct!(@fields $head $name [$($done)*
            $(
                $(#[doc = $hdoc])*
                #[serde(
                    default,
                    deserialize_with = "crate::methods::lenient::optional",
                    skip_serializing_if = "Option::is_none"
                )]
                $hvis $held: Option<$ty>,
            )+
        ] [$($checks)* $((optional $held $check))+] $($rest)*);
    };
    (@fields $head:tt $name:ident [$($done:tt)*] [$($checks:tt)*]
        $(#[doc = $doc:literal])* $fvis:vis $field:ident ?: $ty:ty $([$($check:tt)+])? $(, $($rest:tt)*)?) => {
        $crate::methods::lenient::wire_struct!(@fields $head $name [$($done)*
            $(#[doc = $doc])*
            #[serde(
                default,
                deserialize_with = "crate::methods::lenient::optional",
                skip_serializing_if = "Option::is_none"
            )]
            $fvis $field: Option<$ty>,
        ] [$($checks)* $((optional $field $($check)+))?] $($($rest)*)?);
    };
    (@fields $head:tt $name:ident [$($done:tt)*] [$($checks:tt)*]
        $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty $([$($check:tt)+])? $(, $($rest:tt)*)?) => {
        $crate::methods::lenient::wire_struct!(@fields $head $name [$($done)*
            $(#[$fmeta])* $fvis $field: $ty,
        ] [$($checks)* $((given $field $($check)+))?] $($($rest)*)?);
    };
    (@fields [$($head:tt)*] $name:ident [$($done:tt)*] []) => {
        $($head)* { $($done)* }
    };
    (@fields [$($head:tt)*] $name:ident [$($done:tt)*] [$($checks:tt)+]) => {
        $($head)* { $($done)* }

        impl $name {
            /// Checks what the fields declare (lengths, codes), in their order; `path` names a
            /// field in a refusal.
            pub(crate) fn check_declared<P: ::std::fmt::Display>(
                &self,
                path: impl Fn(&'static str) -> P,
            ) -> Result<(), $crate::error::ApiError> {
                $($crate::methods::lenient::wire_struct!(@check self path $checks);)+
                Ok(())
            }
        }
    };
    (@check $self:ident $path:ident (optional $field:ident [$($check:tt)+])) => {
        $crate::methods::lenient::wire_struct!(@check $self $path (optional $field $($check)+))
    };
    (@check $self:ident $path:ident (optional $field:ident max $max:expr)) => {
        $crate::methods::rules::optional_text($path(stringify!($field)), $self.$field.as_deref(), $max)?
    };
    (@check $self:ident $path:ident (optional $field:ident time)) => {
        $crate::methods::rules::optional_text(
            $path(stringify!($field)),
            $self.$field.as_deref(),
            $crate::methods::rules::TIME_CHARS,
        )?
    };
    (@check $self:ident $path:ident (optional $field:ident one_of $codes:expr)) => {
        $crate::methods::rules::one_of($path(stringify!($field)), $self.$field, $codes, |c| c)?
    };
    (@check $self:ident $path:ident (given $field:ident max $max:expr)) => {
        $crate::methods::rules::text_len($path(stringify!($field)), &$self.$field, Some($max))?
    };
    (@check $self:ident $path:ident (given $field:ident required max $max:expr)) => {
        $crate::methods::rules::required_text($path(stringify!($field)), &$self.$field, Some($max))?
    };
}
pub(crate) use wire_struct;

/// Declares a struct of public fields in which consecutive fields of one type share it, written
/// once after the last of them: `a, b, c: T;` (each field with its own docs and attributes), in
/// the order of the fields (a response row's JSON order). For records whose tables run to dozens
/// of fields: response rows, commands, fixture records.
///
/// ```ignore
/// row_struct! {
///     /// A row.
///     #[derive(Debug, Default, Serialize, Deserialize)]
///     pub struct Row {
///         /// 店铺编号.
///         shop_no,
///         /// 店铺名称.
///         shop_name: String;
///         /// 店铺id.
///         shop_id: i64;
///     }
/// }
/// ```
#[macro_export]
macro_rules! row_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($($(#[$fmeta:meta])* $field:ident),+ : $ty:ty;)*
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($($(#[$fmeta])* pub $field: $ty,)+)*
        }
    };
}
pub(crate) use crate::row_struct;
