//! Opening stock: which of a fixture's stock lines open a new stock row, and the moving-average
//! cost each warehouse × spec ends at once they join it.
//!
//! A line opens only where its row (warehouse × spec × defect × batch × position) is absent, from
//! the store and from the fixture's earlier lines alike, so a re-import never undoes what the API
//! has done since. Lines are taken in fixture order; each one's cost joins the stock its
//! warehouse × spec holds at that point, the fixture's earlier lines included.

use std::collections::{BTreeMap, HashMap, HashSet};

use wdt_protocol::Dec4;

use crate::cost::moving_average;

/// Where a stock row is: warehouse, spec, defect, batch (0 for none) and position ids.
pub type StockKey = (i64, i64, bool, i64, i64);

/// A warehouse × spec: warehouse and spec ids.
pub type WarehouseSpec = (i64, i64);

/// One stock line of a fixture, its ids resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct OpeningLine {
    /// The row the line opens.
    pub key: StockKey,
    /// Its quantity.
    pub num: Dec4,
    /// Its cost price.
    pub cost_price: Dec4,
}

impl OpeningLine {
    /// The warehouse × spec the line joins.
    pub fn warehouse_spec(&self) -> WarehouseSpec {
        (self.key.0, self.key.1)
    }
}

/// What the store holds for a fixture's lines before they are loaded.
#[derive(Debug, Clone, Default)]
pub struct OpeningState {
    /// The rows of the lines that already exist.
    pub existing: HashSet<StockKey>,
    /// Per warehouse × spec of the lines: the stock on hand (both defect kinds, every position).
    pub on_hand: HashMap<WarehouseSpec, Dec4>,
    /// Per warehouse × spec of the lines that has one: its stored cost.
    pub costs: HashMap<WarehouseSpec, Dec4>,
}

/// What loading the lines does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpeningPlan {
    /// The indexes of the lines that open their row, in fixture order. One with a quantity
    /// writes a ledger row from 0 to its quantity at its cost price; an empty one a bare row.
    pub opened: Vec<usize>,
    /// The cost each warehouse × spec an opened line joins ends at.
    pub costs: BTreeMap<WarehouseSpec, Dec4>,
}

/// Why lines cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange {
    /// The index of the line whose quantity takes its warehouse × spec out of range.
    pub line: usize,
}

/// Decides which `lines` open, and the costs they leave, from the store's `state`.
pub fn plan(lines: &[OpeningLine], state: &OpeningState) -> Result<OpeningPlan, OutOfRange> {
    let mut seen: HashSet<StockKey> = HashSet::with_capacity(lines.len());
    let mut levels: HashMap<WarehouseSpec, (Dec4, Dec4)> = HashMap::new();
    let mut plan = OpeningPlan::default();
    for (i, line) in lines.iter().enumerate() {
        if state.existing.contains(&line.key) || !seen.insert(line.key) {
            continue;
        }
        let pair = line.warehouse_spec();
        let (on_hand, cost) = levels.entry(pair).or_insert_with(|| {
            let on_hand = state.on_hand.get(&pair).copied().unwrap_or(Dec4::ZERO);
            (on_hand, state.costs.get(&pair).copied().unwrap_or(Dec4::ZERO))
        });
        *cost = moving_average(*on_hand, *cost, line.num, line.cost_price);
        *on_hand = on_hand.checked_add(line.num).ok_or(OutOfRange { line: i })?;
        plan.costs.insert(pair, *cost);
        plan.opened.push(i);
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn line(spec: i64, position: i64, num: &str, cost: &str) -> OpeningLine {
        OpeningLine { key: (1, spec, false, 0, position), num: d(num), cost_price: d(cost) }
    }

    #[test]
    fn lines_open_in_order_and_their_costs_average() {
        let lines = [line(7, 1, "10", "2"), line(7, 2, "30", "4"), line(8, 1, "5", "1")];
        let plan = plan(&lines, &OpeningState::default()).unwrap();
        assert_eq!(plan.opened, [0, 1, 2]);
        // (10 × 2 + 30 × 4) / 40 = 3.5.
        assert_eq!(plan.costs.get(&(1, 7)), Some(&d("3.5")));
        assert_eq!(plan.costs.get(&(1, 8)), Some(&d("1")));
    }

    #[test]
    fn an_existing_row_and_a_repeated_line_are_skipped() {
        let lines = [line(7, 1, "10", "2"), line(7, 2, "30", "4"), line(7, 2, "99", "99")];
        let state = OpeningState { existing: [(1, 7, false, 0, 1)].into(), ..OpeningState::default() };
        let plan = plan(&lines, &state).unwrap();
        assert_eq!(plan.opened, [1]);
        assert_eq!(plan.costs.get(&(1, 7)), Some(&d("4")));
    }

    #[test]
    fn the_stored_stock_and_cost_join_the_average() {
        let state = OpeningState {
            on_hand: [((1, 7), d("10"))].into(),
            costs: [((1, 7), d("1"))].into(),
            ..OpeningState::default()
        };
        let plan = plan(&[line(7, 3, "10", "3")], &state).unwrap();
        assert_eq!(plan.costs.get(&(1, 7)), Some(&d("2")));
    }

    #[test]
    fn an_empty_line_opens_and_keeps_the_cost() {
        let state = OpeningState { costs: [((1, 7), d("5"))].into(), ..OpeningState::default() };
        let plan = plan(&[line(7, 3, "0", "9")], &state).unwrap();
        assert_eq!(plan.opened, [0]);
        assert_eq!(plan.costs.get(&(1, 7)), Some(&d("5")));
    }

    #[test]
    fn a_quantity_out_of_range_names_its_line() {
        let state = OpeningState { on_hand: [((1, 7), Dec4::from_scaled(i64::MAX))].into(), ..OpeningState::default() };
        assert_eq!(plan(&[line(7, 3, "1", "1")], &state), Err(OutOfRange { line: 0 }));
    }
}
