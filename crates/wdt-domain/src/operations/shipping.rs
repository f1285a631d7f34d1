//! 发货: a trade's goods leave one warehouse, first expiry first, as sales stock-out ledger rows.
//! A trade ships once, whole; short stock refuses the whole shipment.

use std::collections::HashMap;

use wdt_protocol::Dec4;

use super::Refusal;
use crate::model::WarehouseKind;
use crate::stock_out::{Need, StockLineState, StockTake, shortage_text, take};

/// A trade as loaded for shipping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeState {
    /// Row id.
    pub id: i64,
    /// 原始单号.
    pub tid: String,
    /// Shipped already.
    pub shipped: bool,
    /// Items: spec id, 商家编码, quantity.
    pub items: Vec<(i64, String, Dec4)>,
}

/// What shipping reads besides the trade.
#[derive(Debug, Clone, Default)]
pub struct ShipContext {
    /// The warehouse named (id, number, kind), if found.
    pub warehouse: Option<(i64, String, WarehouseKind)>,
    /// Its good (non-defect) stock lines of the trade's specs, earliest expiry first.
    pub stock: Vec<StockLineState>,
    /// Moving-average cost per spec in that warehouse.
    pub costs: HashMap<i64, Dec4>,
}

/// The goods leaving stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipPlan {
    /// Warehouse row id.
    pub warehouse_id: i64,
    /// Lines taken from, in order.
    pub takes: Vec<StockTake>,
}

/// Ships `trade` from `warehouse_no`.
pub fn plan(trade: Option<&TradeState>, tid: &str, warehouse_no: &str, ctx: &ShipContext) -> Result<ShipPlan, Refusal> {
    let trade = trade.ok_or_else(|| Refusal::not_found("订单", "tid", tid))?;
    if trade.shipped {
        return Err(Refusal::conflict("tid", tid, format!("订单已发货 tid: {tid}")));
    }
    let (warehouse_id, _, kind) =
        ctx.warehouse.as_ref().ok_or_else(|| Refusal::not_found("仓库", "warehouse_no", warehouse_no))?;
    if *kind != WarehouseKind::Normal {
        return Err(Refusal::conflict(
            "warehouse_no",
            warehouse_no,
            format!("只能从普通仓发货 warehouse_no: {warehouse_no}"),
        ));
    }
    if trade.items.is_empty() {
        return Err(Refusal::conflict("tid", tid, format!("订单没有货品 tid: {tid}")));
    }
    let needs: Vec<Need> = trade
        .items
        .iter()
        .map(|(spec_id, _, num)| Need { spec_id: *spec_id, defect: false, batch_id: 0, num: *num })
        .collect();
    let takes = take(&needs, &ctx.stock, &ctx.costs).map_err(|short| {
        let spec_no = &trade.items[short.index].1;
        Refusal::conflict("tid", tid, format!("{} tid: {tid}", shortage_text(spec_no, false, None, &short)))
    })?;
    Ok(ShipPlan { warehouse_id: *warehouse_id, takes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::RefusalKind;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn trade() -> TradeState {
        TradeState { id: 1, tid: "T1".into(), shipped: false, items: vec![(5, "MUG".into(), d("3"))] }
    }

    fn ctx() -> ShipContext {
        ShipContext {
            warehouse: Some((9, "WH1".into(), WarehouseKind::Normal)),
            stock: vec![
                StockLineState { spec_id: 5, defect: false, batch_id: 7, position_id: 1, num: d("2") },
                StockLineState { spec_id: 5, defect: false, batch_id: 0, position_id: 2, num: d("4") },
            ],
            costs: HashMap::from([(5, d("10"))]),
        }
    }

    #[test]
    fn ships_first_expiry_first() {
        let plan = plan(Some(&trade()), "T1", "WH1", &ctx()).unwrap();
        assert_eq!(plan.warehouse_id, 9);
        let taken: Vec<(i64, Dec4)> = plan.takes.iter().map(|t| (t.line.batch_id, t.num)).collect();
        assert_eq!(taken, vec![(7, d("2")), (0, d("1"))]);
    }

    #[test]
    fn refusals() {
        type Case = (&'static str, fn(&mut TradeState, &mut ShipContext), RefusalKind, &'static str);
        let cases: Vec<Case> = vec![
            ("shipped", |t, _| t.shipped = true, RefusalKind::Conflict, "订单已发货 tid: T1"),
            ("no warehouse", |_, c| c.warehouse = None, RefusalKind::NotFound, "仓库不存在 warehouse_no: WH1"),
            (
                "outsourced warehouse",
                |_, c| c.warehouse = Some((9, "WH1".into(), WarehouseKind::Outsourced)),
                RefusalKind::Conflict,
                "只能从普通仓发货",
            ),
            ("no items", |t, _| t.items.clear(), RefusalKind::Conflict, "订单没有货品"),
            (
                "short",
                |t, _| t.items[0].2 = d("7"),
                RefusalKind::Conflict,
                "库存不足 商家编码: MUG (正品) 需要: 7 可用: 6 tid: T1",
            ),
        ];
        for (name, change, kind, text) in cases {
            let (mut t, mut c) = (trade(), ctx());
            change(&mut t, &mut c);
            let e = plan(Some(&t), "T1", "WH1", &c).unwrap_err();
            assert_eq!(e.kind, kind, "{name}");
            assert!(e.message.contains(text), "{name}: {}", e.message);
        }
        let e = plan(None, "T9", "WH1", &ctx()).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (RefusalKind::NotFound, "订单不存在 tid: T9"));
    }
}
