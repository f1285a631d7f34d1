//! Goods leaving stock: first expiry first out (FEFO) over a warehouse's stock lines. Purchase
//! returns and shipped trades take their goods this way; each says what it needs, and gets back
//! the lines to take from, or the first need that stock cannot meet.

use std::collections::HashMap;

use wdt_protocol::Dec4;

/// A stock line of the warehouse, in the order goods leave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLineState {
    /// Spec row id.
    pub spec_id: i64,
    /// Defect stock.
    pub defect: bool,
    /// Batch row id (0 = none).
    pub batch_id: i64,
    /// Position row id.
    pub position_id: i64,
    /// On hand.
    pub num: Dec4,
}

/// A stock line to take goods from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockTake {
    /// The line.
    pub line: StockLineState,
    /// How much leaves it (positive).
    pub num: Dec4,
    /// On hand on the line before this take (earlier takes of the same document included); the
    /// ledger row's before, and its after less `num`.
    pub before: Dec4,
    /// Cost recorded on the ledger row.
    pub cost_price: Dec4,
}

/// What one line of a document takes out of stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// Spec row id.
    pub spec_id: i64,
    /// Defect stock.
    pub defect: bool,
    /// Batch row id; 0 takes from any batch.
    pub batch_id: i64,
    /// Quantity in base units.
    pub num: Dec4,
}

/// The first need stock could not meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortage {
    /// Its index among the needs.
    pub index: usize,
    /// What it needed.
    pub need: Dec4,
    /// What the matching lines held once the earlier needs were taken.
    pub available: Dec4,
}

/// Takes each need from the matching lines of `stock` in their order (the caller orders them:
/// earliest expiry first, then batch, then position), at the spec's cost in `costs`.
pub fn take(needs: &[Need], stock: &[StockLineState], costs: &HashMap<i64, Dec4>) -> Result<Vec<StockTake>, Shortage> {
    let mut left: Vec<Dec4> = stock.iter().map(|l| l.num).collect();
    let mut takes = Vec::new();
    for (index, need) in needs.iter().enumerate() {
        let mut missing = need.num;
        let cost = costs.get(&need.spec_id).copied().unwrap_or(Dec4::ZERO);
        for (k, line) in stock.iter().enumerate() {
            let matches = line.spec_id == need.spec_id
                && line.defect == need.defect
                && (need.batch_id == 0 || line.batch_id == need.batch_id);
            if !matches || !left[k].is_positive() || !missing.is_positive() {
                continue;
            }
            let (before, num) = (left[k], missing.min(left[k]));
            left[k] = left[k].checked_sub(num).unwrap_or(Dec4::ZERO);
            missing = missing.checked_sub(num).unwrap_or(Dec4::ZERO);
            takes.push(StockTake { line: line.clone(), num, before, cost_price: cost });
        }
        if missing.is_positive() {
            let available = need.num.checked_sub(missing).unwrap_or(Dec4::ZERO);
            return Err(Shortage { index, need: need.num, available });
        }
    }
    Ok(takes)
}

/// The refusal text of a shortage: `库存不足 商家编码: X (正品 批次 B) 需要: 3 可用: 1`.
pub fn shortage_text(spec_no: &str, defect: bool, batch_no: Option<&str>, shortage: &Shortage) -> String {
    let kind = if defect { "残次品" } else { "正品" };
    let batch = batch_no.filter(|b| !b.is_empty()).map(|b| format!(" 批次 {b}")).unwrap_or_default();
    format!("库存不足 商家编码: {spec_no} ({kind}{batch}) 需要: {} 可用: {}", shortage.need, shortage.available)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn line(batch_id: i64, position_id: i64, num: &str) -> StockLineState {
        StockLineState { spec_id: 5, defect: false, batch_id, position_id, num: d(num) }
    }

    #[test]
    fn needs_take_lines_in_order_and_see_earlier_takes() {
        let stock = [line(50, 1, "2"), line(0, 2, "5"), StockLineState { defect: true, ..line(0, 3, "9") }];
        let costs = HashMap::from([(5, d("8"))]);
        let need = |batch_id, num| Need { spec_id: 5, defect: false, batch_id, num: d(num) };
        let takes = take(&[need(0, "3"), need(0, "1")], &stock, &costs).unwrap();
        let got: Vec<(i64, Dec4, Dec4)> = takes.iter().map(|t| (t.line.position_id, t.num, t.before)).collect();
        assert_eq!(got, vec![(1, d("2"), d("2")), (2, d("1"), d("5")), (2, d("1"), d("4"))]);
        assert!(takes.iter().all(|t| t.cost_price == d("8")));

        let short = take(&[need(50, "3")], &stock, &costs).unwrap_err();
        assert_eq!(short, Shortage { index: 0, need: d("3"), available: d("2") });
        let short = take(&[need(0, "7"), need(0, "1")], &stock, &costs).unwrap_err();
        assert_eq!(short, Shortage { index: 1, need: d("1"), available: d("0") });
        assert_eq!(
            shortage_text("MUG", false, Some("B1"), &short),
            "库存不足 商家编码: MUG (正品 批次 B1) 需要: 1 可用: 0"
        );
    }
}
