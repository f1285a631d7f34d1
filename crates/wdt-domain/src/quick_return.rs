//! Quick return (快速退货, `wms.stockin.SmartRefund.upload`, SPEC.md §3.2).
//!
//! Two steps inside one transaction: [`prepare`] decides which refund order receives the goods
//! (an open one of the trade, or a new one made from the trade) and how its items must grow to
//! expect them; the store writes that, then the goods are received by the return stock-in rule
//! ([`crate::refund_stockin::plan`]) as a checked stock-in. A refusal in either step rolls back
//! both.

use std::collections::BTreeMap;

use wdt_protocol::methods::LinePath;
use wdt_protocol::{ApiError, Dec4};

use crate::line_rules;
use crate::model::{RefundOrderStatus, RefundReceiptState, Scope, WarehouseKind};
use crate::refund_stockin::{QUICK_RETURN_FIELDS, ReturnLine, ReturnStockin};

/// The quick-return request.
#[derive(Debug, Clone)]
pub struct QuickReturn {
    /// 原始单号.
    pub tid: String,
    /// 退货入库仓编号.
    pub warehouse_no: String,
    /// 退货备注.
    pub remark: String,
    /// Lines.
    pub lines: Vec<QuickReturnLine>,
    /// `createPreStockin`: allow returning more than was sold.
    pub allow_more_than_sold: bool,
}

impl QuickReturn {
    /// The rules on the request's own lines ([`crate::line_rules`]): at least one, every
    /// quantity positive. [`prepare`] checks them first; a caller may check them earlier, before
    /// loading anything.
    pub fn check_lines(&self) -> Result<(), ApiError> {
        let f = QUICK_RETURN_FIELDS;
        line_rules::not_empty(f.lines, self.lines.len())?;
        for (index, line) in self.lines.iter().enumerate() {
            line_rules::positive_quantity(LinePath { list: f.lines, index, field: f.num }, line.num)?;
        }
        Ok(())
    }

    /// The return stock-in that receives the goods once [`prepare`]'s target is written: against
    /// refund order `refund_no`, into the return warehouse, checked at once (status 80), positions
    /// and prices by the return stock-in rule's defaults.
    pub fn stockin(&self, refund_no: String) -> ReturnStockin {
        let lines = self
            .lines
            .iter()
            .map(|l| ReturnLine {
                spec_no: l.spec_no.clone(),
                num: l.num,
                remark: l.remark.clone(),
                ..ReturnLine::default()
            })
            .collect();
        ReturnStockin {
            remark: self.remark.clone(),
            ..ReturnStockin::checked(refund_no, self.warehouse_no.clone(), lines, QUICK_RETURN_FIELDS)
        }
    }
}

/// One line of `detailMapList`.
#[derive(Debug, Clone)]
pub struct QuickReturnLine {
    /// 商家编码.
    pub spec_no: String,
    /// 入库数量.
    pub num: Dec4,
    /// 备注.
    pub remark: String,
}

/// A trade item.
#[derive(Debug, Clone)]
pub struct TradeItemState {
    /// Row id.
    pub id: i64,
    /// 原始子单号.
    pub oid: String,
    /// Spec row id.
    pub spec_id: i64,
    /// 商家编码.
    pub spec_no: String,
    /// Quantity sold.
    pub num: Dec4,
    /// Unit price.
    pub price: Dec4,
}

/// A refund order of the trade.
#[derive(Debug, Clone)]
pub struct TradeRefundState {
    /// Row id.
    pub id: i64,
    /// 退换单号.
    pub refund_no: String,
    /// Status.
    pub status: RefundOrderStatus,
    /// Receipt state: one that expects no goods (0 无需入库) or was ended (4 终止入库) never
    /// receives a quick return.
    pub receipt: RefundReceiptState,
    /// Items in item order.
    pub items: Vec<TradeRefundItem>,
}

/// A refund order item.
#[derive(Debug, Clone)]
pub struct TradeRefundItem {
    /// Row id.
    pub id: i64,
    /// Spec row id.
    pub spec_id: i64,
    /// Expected.
    pub refund_num: Dec4,
    /// Received.
    pub stockin_num: Dec4,
}

/// What [`prepare`] needs.
#[derive(Debug, Clone, Default)]
pub struct QuickReturnContext {
    /// The trade, if found: id, shop number, items.
    pub trade: Option<TradeState>,
    /// The warehouse's number and kind, if found.
    pub warehouse: Option<(String, WarehouseKind)>,
    /// The caller's scope.
    pub scope: Scope,
    /// Refund orders of the trade, oldest first.
    pub refunds: Vec<TradeRefundState>,
}

/// A trade as loaded for a quick return.
#[derive(Debug, Clone)]
pub struct TradeState {
    /// Row id.
    pub id: i64,
    /// Shop number.
    pub shop_no: String,
    /// Shipped: only goods that left can come back.
    pub shipped: bool,
    /// Items in order.
    pub items: Vec<TradeItemState>,
}

/// A refund order item to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRefundItem {
    /// The trade item it refunds.
    pub trade_item_id: i64,
    /// 原始子单号.
    pub oid: String,
    /// Spec row id.
    pub spec_id: i64,
    /// Quantity expected.
    pub refund_num: Dec4,
    /// Price (the trade item's).
    pub price: Dec4,
}

/// Which refund order receives the goods, and what to write to it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundTarget {
    /// An open refund order of the trade.
    Existing {
        /// Row id.
        id: i64,
        /// 退换单号.
        refund_no: String,
        /// It was pending review and becomes checked.
        check: bool,
        /// (item id, new refund_num) for items that must expect more.
        raise: Vec<(i64, Dec4)>,
        /// Items to add.
        add: Vec<NewRefundItem>,
    },
    /// A new refund order made from the trade, checked.
    New {
        /// Items.
        items: Vec<NewRefundItem>,
    },
}

fn refuse(message: String) -> ApiError {
    ApiError::Business(message)
}

/// Checks the quick return against the trade and decides the refund order that receives it.
/// The rules on the request's own lines ([`QuickReturn::check_lines`]) come before everything
/// else.
pub fn prepare(cmd: &QuickReturn, ctx: &QuickReturnContext) -> Result<RefundTarget, ApiError> {
    cmd.check_lines()?;
    // What the key may not see answers exactly as what does not exist.
    let trade = ctx
        .trade
        .as_ref()
        .filter(|t| ctx.scope.allows_shop(&t.shop_no))
        .ok_or_else(|| refuse(format!("未找到对应的单据信息! tid: {}", cmd.tid)))?;
    if !trade.shipped {
        return Err(refuse(format!("订单未发货,不能退货 tid: {}", cmd.tid)));
    }
    let (warehouse_no, kind) = ctx
        .warehouse
        .as_ref()
        .filter(|(no, _)| ctx.scope.allows_warehouse(no))
        .ok_or_else(|| refuse(format!("仓库不存在  仓库编号: {}", cmd.warehouse_no)))?;
    match kind {
        WarehouseKind::External => return Err(refuse(format!("不支持外部仓库 return_warehouse_no: {warehouse_no}"))),
        WarehouseKind::Outsourced => return Err(refuse(format!("不支持委外仓储 return_warehouse_no: {warehouse_no}"))),
        WarehouseKind::Normal => {}
    }

    // Requested per spec, in first-seen order.
    let mut requested: Vec<(i64, Dec4, &str)> = Vec::new();
    for (i, line) in cmd.lines.iter().enumerate() {
        let item = trade.items.iter().find(|it| it.spec_no == line.spec_no).ok_or_else(|| {
            refuse(format!("货品不在原始单中 tid: {} detailMapList[{i}].spec_no: {}", cmd.tid, line.spec_no))
        })?;
        match requested.iter_mut().find(|(s, _, _)| *s == item.spec_id) {
            Some((_, total, _)) => {
                *total = total
                    .checked_add(line.num)
                    .ok_or_else(|| refuse(format!("数量不合法 detailMapList[{i}].stockin_num: {}", line.num)))?;
            }
            None => requested.push((item.spec_id, line.num, line.spec_no.as_str())),
        }
    }

    let sum = |it: &mut dyn Iterator<Item = Dec4>| it.fold(Dec4::ZERO, |a, b| a.checked_add(b).unwrap_or(a));
    if !cmd.allow_more_than_sold {
        for (spec_id, want, spec_no) in &requested {
            let sold = sum(&mut trade.items.iter().filter(|it| it.spec_id == *spec_id).map(|it| it.num));
            let returned = sum(&mut ctx
                .refunds
                .iter()
                .filter(|r| r.status != RefundOrderStatus::Cancelled)
                .flat_map(|r| r.items.iter())
                .filter(|it| it.spec_id == *spec_id)
                .map(|it| it.stockin_num));
            if returned.checked_add(*want).is_none_or(|total| total > sold) {
                return Err(refuse(format!(
                    "退货数量超过购买数量 商家编码: {spec_no} 购买数量: {sold} 已退货: {returned} 本次退货: {want} (createPreStockin=true 可超量退货)"
                )));
            }
        }
    }

    // An open refund order of the trade that still awaits goods, else a new one.
    let open = ctx.refunds.iter().find(|r| {
        matches!(r.status, RefundOrderStatus::PendingReview | RefundOrderStatus::Checked)
            && r.receipt.expects_goods()
            && r.items.iter().any(|it| it.stockin_num < it.refund_num)
    });
    match open {
        Some(refund) => {
            let mut raise: BTreeMap<i64, Dec4> = BTreeMap::new();
            let mut add = Vec::new();
            for (spec_id, want, _) in &requested {
                let items: Vec<&TradeRefundItem> = refund.items.iter().filter(|it| it.spec_id == *spec_id).collect();
                let remaining =
                    sum(&mut items.iter().map(|it| it.refund_num.checked_sub(it.stockin_num).unwrap_or(Dec4::ZERO)));
                if *want <= remaining {
                    continue;
                }
                let short = want.checked_sub(remaining).unwrap_or(*want);
                match items.last() {
                    Some(last) => {
                        raise.insert(last.id, last.refund_num.checked_add(short).unwrap_or(last.refund_num));
                    }
                    None => add.extend(new_items(trade, *spec_id, short)),
                }
            }
            Ok(RefundTarget::Existing {
                id: refund.id,
                refund_no: refund.refund_no.clone(),
                check: refund.status == RefundOrderStatus::PendingReview,
                raise: raise.into_iter().collect(),
                add,
            })
        }
        None => Ok(RefundTarget::New {
            items: requested.iter().flat_map(|(spec_id, want, _)| new_items(trade, *spec_id, *want)).collect(),
        }),
    }
}

/// Items expecting `want` of a spec, spread over the trade's items of that spec up to what each
/// sold; anything beyond (a return over the sold quantity) goes to the last one.
fn new_items(trade: &TradeState, spec_id: i64, want: Dec4) -> Vec<NewRefundItem> {
    let sources: Vec<&TradeItemState> = trade.items.iter().filter(|it| it.spec_id == spec_id).collect();
    let mut left = want;
    let mut items = Vec::new();
    for (k, it) in sources.iter().enumerate() {
        if !left.is_positive() {
            break;
        }
        let take = if k + 1 == sources.len() { left } else { left.min(it.num) };
        left = left.checked_sub(take).unwrap_or(Dec4::ZERO);
        items.push(NewRefundItem {
            trade_item_id: it.id,
            oid: it.oid.clone(),
            spec_id,
            refund_num: take,
            price: it.price,
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StockinStatus;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn ctx() -> QuickReturnContext {
        QuickReturnContext {
            trade: Some(TradeState {
                id: 1,
                shop_no: "S1".into(),
                shipped: true,
                items: vec![
                    TradeItemState {
                        id: 10,
                        oid: "o1".into(),
                        spec_id: 5,
                        spec_no: "MUG".into(),
                        num: d("2"),
                        price: d("10"),
                    },
                    TradeItemState {
                        id: 11,
                        oid: "o2".into(),
                        spec_id: 5,
                        spec_no: "MUG".into(),
                        num: d("1"),
                        price: d("8"),
                    },
                    TradeItemState {
                        id: 12,
                        oid: "o3".into(),
                        spec_id: 6,
                        spec_no: "CAP".into(),
                        num: d("1"),
                        price: d("3"),
                    },
                ],
            }),
            warehouse: Some(("W1".into(), WarehouseKind::Normal)),
            scope: Scope::default(),
            refunds: Vec::new(),
        }
    }

    fn cmd(lines: &[(&str, &str)], allow: bool) -> QuickReturn {
        QuickReturn {
            tid: "T1".into(),
            warehouse_no: "W1".into(),
            remark: String::new(),
            lines: lines
                .iter()
                .map(|(s, n)| QuickReturnLine { spec_no: (*s).into(), num: d(n), remark: String::new() })
                .collect(),
            allow_more_than_sold: allow,
        }
    }

    fn refund(status: RefundOrderStatus, items: &[(i64, i64, &str, &str)]) -> TradeRefundState {
        TradeRefundState {
            id: 99,
            refund_no: "TK1".into(),
            status,
            receipt: RefundReceiptState::Awaiting,
            items: items
                .iter()
                .map(|(id, spec, expect, got)| TradeRefundItem {
                    id: *id,
                    spec_id: *spec,
                    refund_num: d(expect),
                    stockin_num: d(got),
                })
                .collect(),
        }
    }

    #[test]
    fn refusals() {
        let cases: Vec<(QuickReturnContext, QuickReturn, &str)> = vec![
            (QuickReturnContext { trade: None, ..ctx() }, cmd(&[("MUG", "1")], false), "未找到对应的单据信息! tid: T1"),
            (QuickReturnContext { warehouse: None, ..ctx() }, cmd(&[("MUG", "1")], false), "仓库不存在"),
            (
                {
                    let mut c = ctx();
                    c.trade.as_mut().unwrap().shipped = false;
                    c
                },
                cmd(&[("MUG", "1")], false),
                "订单未发货,不能退货 tid: T1",
            ),
            (
                QuickReturnContext { warehouse: Some(("W1".into(), WarehouseKind::External)), ..ctx() },
                cmd(&[("MUG", "1")], false),
                "不支持外部仓库",
            ),
            (
                QuickReturnContext { warehouse: Some(("W1".into(), WarehouseKind::Outsourced)), ..ctx() },
                cmd(&[("MUG", "1")], false),
                "不支持委外仓储",
            ),
            (
                QuickReturnContext { scope: Scope { warehouses: Some(vec![]), shops: None }, ..ctx() },
                cmd(&[("MUG", "1")], false),
                "仓库不存在  仓库编号: W1",
            ),
            (
                // An outsourced warehouse outside the scope does not say it is outsourced.
                QuickReturnContext {
                    warehouse: Some(("W1".into(), WarehouseKind::Outsourced)),
                    scope: Scope { warehouses: Some(vec![]), shops: None },
                    ..ctx()
                },
                cmd(&[("MUG", "1")], false),
                "仓库不存在  仓库编号: W1",
            ),
            (
                QuickReturnContext { scope: Scope { warehouses: None, shops: Some(vec![]) }, ..ctx() },
                cmd(&[("MUG", "1")], false),
                "未找到对应的单据信息! tid:",
            ),
            (ctx(), cmd(&[("HAT", "1")], false), "detailMapList[0].spec_no: HAT"),
            (ctx(), cmd(&[("MUG", "2"), ("MUG", "2")], false), "购买数量: 3 已退货: 0 本次退货: 4"),
            (
                QuickReturnContext { refunds: vec![refund(RefundOrderStatus::Checked, &[(1, 5, "3", "3")])], ..ctx() },
                cmd(&[("MUG", "1")], false),
                "已退货: 3",
            ),
            (ctx(), cmd(&[], false), "detailMapList不能为空"),
            (
                QuickReturnContext { trade: None, ..ctx() },
                cmd(&[("HAT", "1"), ("MUG", "-1")], false),
                "数量不合法 detailMapList[1].stockin_num: -1",
            ),
        ];
        for (c, m, want) in cases {
            let err = prepare(&m, &c).unwrap_err().to_string();
            assert!(err.contains(want), "{err} should contain {want}");
        }
    }

    #[test]
    fn the_goods_are_received_by_a_checked_stock_in() {
        let mut m = cmd(&[("MUG", "2"), ("CAP", "1")], false);
        m.remark = "quick".into();
        m.lines[1].remark = "torn".into();
        let r = m.stockin("TK1".into());
        assert_eq!((r.refund_no.as_str(), r.warehouse_no.as_str(), r.remark.as_str()), ("TK1", "W1", "quick"));
        assert_eq!(
            (r.status, r.outer_no, r.create_batches, r.fields),
            (StockinStatus::Completed, None, false, QUICK_RETURN_FIELDS)
        );
        let lines: Vec<(&str, Dec4, &str)> =
            r.lines.iter().map(|l| (l.spec_no.as_str(), l.num, l.remark.as_str())).collect();
        assert_eq!(lines, vec![("MUG", d("2"), ""), ("CAP", d("1"), "torn")]);
        assert!(r.lines.iter().all(|l| l.price.is_none() && l.position_no.is_none() && l.batch_no.is_none()));
    }

    #[test]
    fn a_new_refund_order_spreads_over_the_trade_items() {
        let target = prepare(&cmd(&[("MUG", "3"), ("CAP", "1")], false), &ctx()).unwrap();
        let RefundTarget::New { items } = target else { panic!("{target:?}") };
        let got: Vec<(String, Dec4, Dec4)> = items.iter().map(|i| (i.oid.clone(), i.refund_num, i.price)).collect();
        assert_eq!(
            got,
            vec![("o1".into(), d("2"), d("10")), ("o2".into(), d("1"), d("8")), ("o3".into(), d("1"), d("3"))]
        );
        // Over the sold quantity only with createPreStockin; the excess goes to the last item.
        let RefundTarget::New { items } = prepare(&cmd(&[("MUG", "5")], true), &ctx()).unwrap() else { panic!() };
        assert_eq!(items.iter().map(|i| i.refund_num).collect::<Vec<_>>(), vec![d("2"), d("3")]);
    }

    #[test]
    fn an_open_refund_order_is_linked_checked_and_raised_when_short() {
        let c = QuickReturnContext {
            refunds: vec![refund(RefundOrderStatus::PendingReview, &[(1, 5, "1", "0")])],
            ..ctx()
        };
        let target = prepare(&cmd(&[("MUG", "2"), ("CAP", "1")], false), &c).unwrap();
        assert_eq!(
            target,
            RefundTarget::Existing {
                id: 99,
                refund_no: "TK1".into(),
                check: true,
                raise: vec![(1, d("2"))],
                add: vec![NewRefundItem {
                    trade_item_id: 12,
                    oid: "o3".into(),
                    spec_id: 6,
                    refund_num: d("1"),
                    price: d("3")
                }],
            }
        );
        // A fully received or cancelled refund order, or one that expects no goods or was ended, is
        // not reused.
        for r in [
            refund(RefundOrderStatus::Checked, &[(1, 5, "1", "1")]),
            refund(RefundOrderStatus::Cancelled, &[(1, 5, "1", "0")]),
            TradeRefundState {
                receipt: RefundReceiptState::NotExpected,
                ..refund(RefundOrderStatus::Checked, &[(1, 5, "1", "0")])
            },
            TradeRefundState {
                receipt: RefundReceiptState::Ended,
                ..refund(RefundOrderStatus::Checked, &[(1, 5, "2", "1")])
            },
        ] {
            let c = QuickReturnContext { refunds: vec![r], ..ctx() };
            assert!(matches!(prepare(&cmd(&[("MUG", "1")], false), &c).unwrap(), RefundTarget::New { .. }));
        }
    }
}
