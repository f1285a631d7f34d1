//! `Dec4`: the vendor's `Decimal(19,4)`, exact.
//!
//! Quantities and money arrive as JSON numbers or as strings (`"num":"1"`,
//! `"stockin_price":"0.01"`: the seeds' own PHP and C# examples send strings). Both are parsed
//! from their decimal text (serde_json runs with `arbitrary_precision`, so a number keeps its
//! digits), never through `f64`. More than four decimals is refused, never rounded.
//!
//! Storage uses the value scaled by 10⁴ as an `i64`, so the range is
//! ±922,337,203,685,477.5807.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Digits after the decimal point that `Decimal(19,4)` keeps.
pub const SCALE: u32 = 4;
const FACTOR: i64 = 10_000;

/// An exact decimal with at most four fractional digits whose scaled value fits an `i64`.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dec4(Decimal);

/// Why a text is not a `Decimal(19,4)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// Not a plain decimal number (letters, exponent, NaN, empty, …).
    #[error("不是合法的数字: {0}")]
    NotANumber(String),
    /// More than four digits after the point.
    #[error("小数位数不能超过4位: {0}")]
    TooManyDecimals(String),
    /// Outside what `Decimal(19,4)` stored as scaled `i64` can hold.
    #[error("数值超出范围: {0}")]
    OutOfRange(String),
}

impl Dec4 {
    /// Zero.
    pub const ZERO: Dec4 = Dec4(Decimal::ZERO);
    /// One.
    pub const ONE: Dec4 = Dec4(Decimal::ONE);

    /// Parses plain decimal text: optional sign, digits, optional point and up to four digits.
    /// Exponents, `NaN`, `inf`, blanks and thousands separators are refused.
    pub fn parse(text: &str) -> Result<Dec4, DecimalError> {
        let t = text.trim();
        let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
        let (int_part, frac_part) = match unsigned.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (unsigned, None),
        };
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let well_formed = digits_ok(int_part)
            && frac_part.is_none_or(digits_ok)
            && !(int_part.is_empty() && frac_part.is_none_or(str::is_empty));
        if !well_formed {
            return Err(DecimalError::NotANumber(text.to_owned()));
        }
        if let Some(frac) = frac_part {
            // Trailing zeros beyond four places are still exact ("1.00000" is 1).
            if frac.trim_end_matches('0').len() > SCALE as usize {
                return Err(DecimalError::TooManyDecimals(text.to_owned()));
            }
        }
        let value = Decimal::from_str(t).map_err(|_| DecimalError::OutOfRange(text.to_owned()))?;
        Dec4::from_decimal(value).ok_or_else(|| DecimalError::OutOfRange(text.to_owned()))
    }

    /// Wraps a `Decimal` if it has at most four decimals and fits the scaled `i64` range.
    pub fn from_decimal(value: Decimal) -> Option<Dec4> {
        let normalized = value.normalize();
        if normalized.scale() > SCALE {
            return None;
        }
        let d = Dec4(normalized);
        d.checked_scaled().map(|_| d)
    }

    /// Rounds a `Decimal` half away from zero to four decimals (for computed values such as
    /// price × quantity or a moving average). `None` when out of range.
    pub fn round_from(value: Decimal) -> Option<Dec4> {
        let rounded = value.round_dp_with_strategy(SCALE, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        Dec4::from_decimal(rounded)
    }

    /// The value as stored: scaled by 10⁴.
    pub fn from_scaled(scaled: i64) -> Dec4 {
        Dec4(Decimal::new(scaled, SCALE).normalize())
    }

    /// The value scaled by 10⁴ (always exact for a `Dec4`).
    pub fn to_scaled(self) -> i64 {
        self.checked_scaled().expect("Dec4 invariant: scaled value fits i64")
    }

    fn checked_scaled(self) -> Option<i64> {
        let scaled = self.0.checked_mul(Decimal::from(FACTOR))?;
        i64::try_from(scaled.trunc()).ok()
    }

    /// A whole number.
    pub fn from_int(n: i64) -> Option<Dec4> {
        Dec4::from_decimal(Decimal::from(n))
    }

    /// The inner `Decimal`.
    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    /// Strictly greater than zero.
    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    /// Strictly less than zero.
    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }

    /// Zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Has no fractional part.
    pub fn is_integer(self) -> bool {
        self.0.fract().is_zero()
    }

    /// Exact sum, `None` on overflow of the stored range.
    pub fn checked_add(self, other: Dec4) -> Option<Dec4> {
        Dec4::from_decimal(self.0.checked_add(other.0)?)
    }

    /// Exact difference, `None` on overflow of the stored range.
    pub fn checked_sub(self, other: Dec4) -> Option<Dec4> {
        Dec4::from_decimal(self.0.checked_sub(other.0)?)
    }

    /// Product rounded half away from zero to four decimals.
    pub fn mul_round(self, other: Dec4) -> Option<Dec4> {
        Dec4::round_from(self.0.checked_mul(other.0)?)
    }

    /// The smaller of two values.
    pub fn min(self, other: Dec4) -> Dec4 {
        if self <= other { self } else { other }
    }

    /// Fixed four-decimal text, as the vendor renders some fields (`"2.0000"`).
    pub fn to_fixed4(self) -> String {
        format!("{:.4}", self.0)
    }

    /// The value as a JSON number with its exact digits (normalized: `2`, `29.98`).
    pub fn to_json_number(self) -> serde_json::Number {
        serde_json::Number::from_str(&self.to_string()).expect("a normalized decimal is a valid JSON number")
    }
}

impl fmt::Display for Dec4 {
    /// Normalized text: `2`, `29.98`, `-0.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl fmt::Debug for Dec4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dec4({self})")
    }
}

impl std::ops::Neg for Dec4 {
    type Output = Dec4;
    fn neg(self) -> Dec4 {
        Dec4(-self.0)
    }
}

impl FromStr for Dec4 {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dec4::parse(s)
    }
}

impl Serialize for Dec4 {
    /// As a JSON number with exact digits.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json_number().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Dec4 {
    /// From a JSON number (its exact text) or a string holding a plain decimal.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match &value {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            other => return Err(D::Error::custom(DecimalError::NotANumber(other.to_string()))),
        };
        Dec4::parse(&text).map_err(D::Error::custom)
    }
}

/// `#[serde(serialize_with = "fixed4")]`: render as a `"2.0000"` string, as the seeds do for
/// `stockin_num` and `total_goods_stockin_num`.
pub fn fixed4<S: Serializer>(value: &Dec4, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_fixed4())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(text: &str) -> Result<Dec4, String> {
        serde_json::from_str::<Dec4>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn accepts_numbers_and_strings_exactly() {
        let cases = [
            ("1", "1"),
            ("\"1\"", "1"),
            ("0.01", "0.01"),
            ("\"0.01\"", "0.01"),
            ("29.98", "29.98"),
            ("2.0000", "2"),
            ("1234567890123.4567", "1234567890123.4567"),
            ("\"-3.5\"", "-3.5"),
            ("1.50000", "1.5"),
            ("922337203685477.5807", "922337203685477.5807"),
        ];
        for (json, shown) in cases {
            assert_eq!(from_json(json).unwrap().to_string(), shown, "{json}");
        }
    }

    #[test]
    fn refuses_what_is_not_decimal_19_4() {
        let cases = [
            "1.23456",
            "\"0.00001\"",
            "\"abc\"",
            "\"\"",
            "\"1e3\"",
            "1e400",
            "\"NaN\"",
            "true",
            "null",
            "[1]",
            "922337203685477.5808",
            "\" 1 2\"",
            "\".\"",
        ];
        for json in cases {
            assert!(from_json(json).is_err(), "{json} should be refused");
        }
    }

    #[test]
    fn error_names_the_value() {
        let err = from_json("\"1.23456\"").unwrap_err();
        assert!(err.contains("1.23456"), "{err}");
    }

    #[test]
    fn serializes_as_the_seeds_show() {
        let v = Dec4::parse("2").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "2");
        assert_eq!(v.to_fixed4(), "2.0000");
        let p = Dec4::parse("29.98").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "29.98");
        let c = Dec4::parse("0.2324").unwrap();
        assert_eq!(c.to_fixed4(), "0.2324");
    }

    #[test]
    fn scaled_storage_round_trips() {
        for text in ["0", "1", "0.0001", "-12.5", "922337203685477.5807"] {
            let d = Dec4::parse(text).unwrap();
            assert_eq!(Dec4::from_scaled(d.to_scaled()), d, "{text}");
        }
        assert_eq!(Dec4::parse("1.5").unwrap().to_scaled(), 15_000);
    }

    #[test]
    fn arithmetic_is_exact_or_rounded_half_up() {
        let a = Dec4::parse("0.1").unwrap();
        let b = Dec4::parse("0.2").unwrap();
        assert_eq!(a.checked_add(b).unwrap(), Dec4::parse("0.3").unwrap());
        let price = Dec4::parse("0.1167").unwrap();
        let qty = Dec4::parse("1.5").unwrap();
        assert_eq!(price.mul_round(qty).unwrap(), Dec4::parse("0.1751").unwrap());
        assert!(Dec4::parse("922337203685477").unwrap().checked_add(Dec4::ONE).is_none());
    }
}
