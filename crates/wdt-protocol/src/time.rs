//! Wire times: `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai (+08:00, no DST), stored and compared
//! as UTC epoch milliseconds.

use time::format_description::FormatItem;
use time::macros::{format_description, offset};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Asia/Shanghai. China has had no daylight saving time since 1991.
pub const SHANGHAI: UtcOffset = offset!(+8);

const WIRE_FORMAT: &[FormatItem<'static>] = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const DATE_ONLY: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// Why a text is not a wire time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unparseable date: {0}")]
pub struct TimeError(pub String);

/// Parses `yyyy-MM-dd HH:mm:ss` (Shanghai time) into epoch milliseconds. A bare
/// `yyyy-MM-dd` is accepted as midnight, since dates of production and expiry are often sent so.
pub fn parse_wire_time(text: &str) -> Result<i64, TimeError> {
    let t = text.trim();
    let primitive = PrimitiveDateTime::parse(t, WIRE_FORMAT)
        .or_else(|_| time::Date::parse(t, DATE_ONLY).map(|d| d.midnight()))
        .map_err(|_| TimeError(text.to_owned()))?;
    let at = primitive.assume_offset(SHANGHAI);
    // A Shanghai time early on -9999-01-01 is before the first representable UTC instant: refuse
    // it rather than store a number that reads back as another time.
    if at.checked_to_offset(UtcOffset::UTC).is_none() {
        return Err(TimeError(text.to_owned()));
    }
    Ok(to_millis(at))
}

/// Formats epoch milliseconds as `yyyy-MM-dd HH:mm:ss` Shanghai time (milliseconds dropped).
pub fn format_wire_time(epoch_ms: i64) -> String {
    let at = in_shanghai(epoch_ms);
    at.format(WIRE_FORMAT).expect("the wire format has only numeric components")
}

/// The real time in epoch milliseconds. A server reads its own [`Clock`](crate::clock::Clock)
/// instead, which a test may stop or move.
pub fn now_ms() -> i64 {
    to_millis(OffsetDateTime::now_utc())
}

/// The real time in epoch seconds.
pub fn now_secs() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// `yyyyMMdd` of the Shanghai calendar day holding `epoch_ms` (used in document numbers).
pub fn shanghai_day(epoch_ms: i64) -> time::Date {
    in_shanghai(epoch_ms).date()
}

/// `epoch_ms` in Shanghai time; never panics (the last eight hours of +9999 in UTC have no
/// Shanghai time and stay in UTC).
fn in_shanghai(epoch_ms: i64) -> OffsetDateTime {
    let at = from_millis(epoch_ms);
    at.checked_to_offset(SHANGHAI).unwrap_or(at)
}

fn to_millis(at: OffsetDateTime) -> i64 {
    // Every `OffsetDateTime` (years ±9999) fits in i64 milliseconds; saturate rather than
    // truncate should the range ever grow.
    let ms = at.unix_timestamp_nanos() / 1_000_000;
    i64::try_from(ms).unwrap_or(if ms < 0 { i64::MIN } else { i64::MAX })
}

fn from_millis(epoch_ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(epoch_ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_004_times_round_trip() {
        // created_time 1725010715000 is shown as created "2024-08-30 17:38:35".
        assert_eq!(parse_wire_time("2024-08-30 17:38:35").unwrap(), 1_725_010_715_000);
        assert_eq!(format_wire_time(1_725_010_725_000), "2024-08-30 17:38:45");
    }

    #[test]
    fn refuses_other_shapes() {
        for bad in ["2023/02/06 17:59:19", "2024-13-01 00:00:00", "", "1725010715000", "2024-02-30 00:00:00"] {
            let err = parse_wire_time(bad).unwrap_err();
            assert_eq!(err.to_string(), format!("Unparseable date: {bad}"));
        }
    }

    #[test]
    fn extreme_wire_times_stay_far_from_overflow() {
        // The widest times a client can send: their milliseconds, and the difference of any two,
        // fit in i64 with room to spare, so query windows computed from them cannot overflow.
        let (first, last) =
            (parse_wire_time("-9999-01-01 08:00:00").unwrap(), parse_wire_time("9999-12-31 23:59:59").unwrap());
        assert!(last.checked_sub(first).is_some() && first.checked_sub(last).is_some());
        assert!(last < i64::MAX / 1_000 && first > i64::MIN / 1_000);
        assert_eq!(format_wire_time(last), "9999-12-31 23:59:59");
        assert_eq!(format_wire_time(first), "-9999-01-01 08:00:00");
        // Before the first UTC instant: refused, not read back as 1970.
        assert!(parse_wire_time("-9999-01-01 07:59:59").is_err());
        assert_eq!(format_wire_time(parse_wire_time("-9999-01-01 08:00:00").unwrap()), "-9999-01-01 08:00:00");
        // Numbers that no wire time gives format without panicking.
        for ms in [i64::MIN, i64::MAX, 253_402_300_799_999, -377_705_116_800_000] {
            let _ = (format_wire_time(ms), shanghai_day(ms));
        }
        for bad in ["10000-01-01 00:00:00", "-10000-01-01 00:00:00", "9223372036854775807", "-9223372036854775808"] {
            assert!(parse_wire_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_only_is_midnight() {
        assert_eq!(parse_wire_time("2024-08-30").unwrap(), parse_wire_time("2024-08-30 00:00:00").unwrap());
    }
}
