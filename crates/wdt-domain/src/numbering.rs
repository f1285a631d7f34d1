//! Document numbers as the vendor writes them: a prefix, the Shanghai date, and a four-digit
//! sequence per seller, prefix and day. The store keeps the sequence (one counter row per day,
//! taken under its lock); this says what the numbers look like.

use wdt_protocol::time::shanghai_day;

use crate::model::{REFUND_NO_PREFIX, STOCK_COUNT_NO_PREFIX, STOCKIN_NO_PREFIX, STOCKOUT_NO_PREFIX, TRADE_NO_PREFIX};

/// A kind of numbered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// 入库单: `RK` + yyyyMMdd + sequence (RK202408300001).
    Stockin,
    /// 退换单 made by a quick return: `TK` + yyMMdd + sequence (TK2408300001).
    RefundOrder,
    /// 出库单 of a shipped trade: `CK` + yyyyMMdd + sequence.
    Stockout,
    /// 盘点单: `PD` + yyyyMMdd + sequence.
    StockCount,
    /// 系统订单 of a converted raw trade: `JY` + yyyyMMdd + sequence.
    Trade,
}

impl DocKind {
    /// The number's prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            DocKind::Stockin => STOCKIN_NO_PREFIX,
            DocKind::RefundOrder => REFUND_NO_PREFIX,
            DocKind::Stockout => STOCKOUT_NO_PREFIX,
            DocKind::StockCount => STOCK_COUNT_NO_PREFIX,
            DocKind::Trade => TRADE_NO_PREFIX,
        }
    }

    /// The day part of numbers given at `now_ms` (epoch ms), in Shanghai time: the key of the
    /// day's sequence.
    pub fn day(self, now_ms: i64) -> String {
        let day = shanghai_day(now_ms);
        let month = u8::from(day.month());
        match self {
            DocKind::Stockin | DocKind::Stockout | DocKind::StockCount | DocKind::Trade => {
                format!("{:04}{month:02}{:02}", day.year(), day.day())
            }
            DocKind::RefundOrder => format!("{:02}{month:02}{:02}", day.year() % 100, day.day()),
        }
    }

    /// The `seq`-th number of `day` (as [`DocKind::day`] gives it).
    pub fn number(self, day: &str, seq: i64) -> String {
        format!("{}{day}{seq:04}", self.prefix())
    }
}

#[cfg(test)]
mod tests {
    use super::DocKind;

    #[test]
    fn numbers_carry_the_shanghai_date_and_a_four_digit_sequence() {
        // 2024-08-30 16:30 UTC is already 2024-08-31 in Shanghai.
        let at = 1_725_035_400_000;
        let cases = [
            (DocKind::Stockin, "20240831", "RK202408310007"),
            (DocKind::RefundOrder, "240831", "TK2408310007"),
            (DocKind::Stockout, "20240831", "CK202408310007"),
            (DocKind::StockCount, "20240831", "PD202408310007"),
            (DocKind::Trade, "20240831", "JY202408310007"),
        ];
        for (kind, day, number) in cases {
            assert_eq!(kind.day(at), day);
            assert_eq!(kind.number(day, 7), number);
        }
        assert_eq!(DocKind::Stockin.number("20240831", 12345), "RK2024083112345", "past 9999 the sequence widens");
    }
}
