//! Moving-average cost per warehouse × spec.
//!
//! The vendor's default is one company-wide cost per spec; we keep one per warehouse × spec so a
//! return into one warehouse does not move the valuation of another (docs/COMPAT.md).

use wdt_protocol::Dec4;

/// The cost after `in_qty` units at `in_price` join `old_qty` units at `old_cost`, rounded half
/// away from zero to four decimals. With no stock on hand (zero or negative), the incoming price
/// becomes the cost; if the result would leave nothing on hand, the old cost stays.
pub fn moving_average(old_qty: Dec4, old_cost: Dec4, in_qty: Dec4, in_price: Dec4) -> Dec4 {
    if !old_qty.is_positive() {
        return if in_qty.is_positive() { in_price } else { old_cost };
    }
    let total_qty = old_qty.to_decimal() + in_qty.to_decimal();
    if total_qty <= rust_decimal::Decimal::ZERO {
        return old_cost;
    }
    let value = old_qty.to_decimal() * old_cost.to_decimal() + in_qty.to_decimal() * in_price.to_decimal();
    Dec4::round_from(value / total_qty).unwrap_or(old_cost)
}

/// A refund order's amount: Σ quantity × price over its items, each product rounded to four
/// places; `None` when it leaves the Decimal(19,4) range.
pub fn order_amount(items: impl IntoIterator<Item = (Dec4, Dec4)>) -> Option<Dec4> {
    items.into_iter().try_fold(Dec4::ZERO, |a, (num, price)| num.mul_round(price).and_then(|v| a.checked_add(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    #[test]
    fn order_amounts_round_each_item_and_refuse_overflow() {
        assert_eq!(order_amount([(d("3"), d("29.98")), (d("0.333"), d("0.1"))]), Some(d("89.9733")));
        assert_eq!(order_amount([]), Some(Dec4::ZERO));
        assert_eq!(order_amount([(d("99999999999"), d("99999999"))]), None);
    }

    #[test]
    fn moving_average_cases() {
        let cases = [
            // old qty, old cost, in qty, in price, expected
            ("0", "0", "2", "10", "10"),
            ("10", "10.5", "0", "0", "10.5"),
            ("10", "10", "10", "20", "15"),
            ("3", "1", "1", "0", "0.75"),
            ("3", "0.1", "0", "5", "0.1"),
            ("-1", "4", "2", "6", "6"),
            ("1", "0.3333", "2", "0.3333", "0.3333"),
            ("2", "1", "1", "0", "0.6667"),
        ];
        for (oq, oc, iq, ip, want) in cases {
            assert_eq!(moving_average(d(oq), d(oc), d(iq), d(ip)), d(want), "{oq}@{oc} + {iq}@{ip}");
        }
    }
}
