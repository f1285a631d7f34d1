//! Purchase order (采购单, `purchase.PurchaseOrder.createOrder`, SPEC.md §8).
//!
//! [`plan`] checks the order against master data and says what to write: the header with its
//! resolved row ids and status, and each line in base units at its net untaxed price, as a
//! fixture's purchase order is kept ([`crate::fixture::PurchaseOrderFixture`]), with the pushed
//! list price, discount, tax and unit beside it.
//!
//! Prices follow the ERP's default setting (已知税前折后单价&税率求税后单价): the discounted price
//! is `price × discount`, the taxed price `discounted × (1 + tax_rate)`; a pushed `tax_price` is
//! only effective under the other setting, which this ERP does not offer, so it is not used.
//! Each is rounded to four decimals.

use std::collections::HashMap;

use wdt_protocol::methods::LinePath;
use wdt_protocol::{ApiError, Dec4, row_struct};

use crate::line_rules;
use crate::model::{PurchaseOrderStatus, Scope, WarehouseKind};
pub use crate::purchase_return::PrSpecState;

/// The wire name of the detail list, as refusals name it.
const LINES: &str = "purchase_details";

/// The number prefix of purchase orders the ERP numbers itself (the page's `CG202003260001`).
pub const PURCHASE_NO_PREFIX: &str = "CG";

/// The day part of purchase order numbers given at `now_ms` (epoch ms): the Shanghai date as
/// `yyyyMMdd`, the key of the day's sequence, as [`crate::numbering::DocKind::day`] writes it for
/// stock-ins.
pub fn purchase_day(now_ms: i64) -> String {
    let day = wdt_protocol::time::shanghai_day(now_ms);
    format!("{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day())
}

/// The `seq`-th purchase order number of `day` (as [`purchase_day`] gives it), in the vendor's
/// form (`CG202003260001`): the prefix, the day and a four-digit sequence.
pub fn purchase_no(day: &str, seq: i64) -> String {
    format!("{PURCHASE_NO_PREFIX}{day}{seq:04}")
}

row_struct! {
    /// The request, as the page's fields arrive (times already read to epoch ms).
    #[derive(Debug, Clone, Default)]
    pub struct PurchaseOrderCmd {
        /// 采购单编号; the ERP numbers the order when absent.
        purchase_no: Option<String>;
        /// 供应商编号.
        provider_no,
        /// 收货仓编号.
        receive_warehouse_no,
        /// 预计入库仓库编号.
        expect_warehouse_no,
        /// 采购员.
        purchaser_name: String;
        /// 审核 at once.
        check: bool;
        /// 引用的采购申请单编号 (comma-separated).
        apply_nos,
        /// 收货地址.
        receive_address,
        /// 联系人.
        contact,
        /// 电话.
        telno,
        /// 标记名称.
        flag_name: String;
        /// 预计到货时间 (epoch ms).
        expect_time,
        /// 创建时间 (epoch ms); now when absent.
        created: Option<i64>;
        /// 付款方式 (0 when not given, 1 现付, 2 到付).
        pay_type,
        /// 运费支付方式 (0 无, 1 现付, 2 到付, 3 包邮).
        postfee_pay_type: i64;
        /// 备注.
        remark: String;
        /// 邮费.
        post_fee,
        /// 其他费用.
        other_fee: Dec4;
        /// 物流公司编号 (purchase business).
        logistics_no: Option<String>;
        /// 自定义属性1–4.
        props: [String; 4];
        /// Lines.
        lines: Vec<PurchaseOrderLine>;
    }
}

/// One line of `purchase_details`.
#[derive(Debug, Clone, Default)]
pub struct PurchaseOrderLine {
    /// 商家编码.
    pub spec_no: String,
    /// 采购数量, in `unit_name` (the base unit when absent).
    pub num: Dec4,
    /// 采购单位.
    pub unit_name: Option<String>,
    /// 备注.
    pub remark: String,
    /// 自定义属性1–4.
    pub props: [String; 4],
    /// 税前单价 per `unit_name`, default 0.
    pub price: Option<Dec4>,
    /// 折扣, default 1.
    pub discount: Option<Dec4>,
    /// 税率, default 0.
    pub tax_rate: Option<Dec4>,
    /// 批次号.
    pub batch_no: String,
    /// 有效期 (epoch ms).
    pub expire_date: Option<i64>,
}

impl PurchaseOrderCmd {
    /// The rules on the request's own values: quantities positive, prices and fees not negative.
    /// [`plan`] checks them first; a caller may check them earlier, before loading anything.
    pub fn check_lines(&self) -> Result<(), ApiError> {
        for (index, line) in self.lines.iter().enumerate() {
            line_rules::positive_quantity(LinePath { list: LINES, index, field: "num" }, line.num)?;
            line_rules::non_negative_price(LinePath { list: LINES, index, field: "price" }, line.price)?;
        }
        line_rules::fees(self.post_fee, self.other_fee)
    }
}

/// What [`plan`] needs from the store.
#[derive(Debug, Clone, Default)]
pub struct PurchaseOrderContext {
    /// The caller's warehouse scope.
    pub scope: Scope,
    /// The given `purchase_no` is already a purchase order of this seller.
    pub purchase_no_taken: bool,
    /// The provider's row id, if found.
    pub provider_id: Option<i64>,
    /// The warehouses named (both fields), by number: row id and kind.
    pub warehouses: HashMap<String, (i64, WarehouseKind)>,
    /// The logistics company, if given and found for purchases.
    pub logistics_id: Option<i64>,
    /// Specs found, by spec_no.
    pub specs: HashMap<String, PrSpecState>,
}

/// A line to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedOrderLine {
    /// Spec row id.
    pub spec_id: i64,
    /// Quantity in base units.
    pub num: Dec4,
    /// Net untaxed price per base unit (what the order's amounts are computed from).
    pub price: Dec4,
    /// The unit pushed (row id), `None` for the base unit.
    pub unit_id: Option<i64>,
    /// Base units per pushed unit.
    pub unit_ratio: Dec4,
    /// 税前单价 as pushed, per pushed unit.
    pub list_price: Dec4,
    /// 折扣.
    pub discount: Dec4,
    /// 税率.
    pub tax_rate: Dec4,
    /// 税后单价 per pushed unit.
    pub tax_price: Dec4,
    /// 备注.
    pub remark: String,
    /// 自定义属性1–4.
    pub props: [String; 4],
    /// 批次号.
    pub batch_no: String,
    /// 有效期 (epoch ms).
    pub expire_date: Option<i64>,
}

/// Everything to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrderPlan {
    /// The order's number, or `None` for the store to number it ([`purchase_no`]).
    pub purchase_no: Option<String>,
    /// Provider row id.
    pub provider_id: i64,
    /// The expected (预计入库) warehouse's row id: the order's warehouse.
    pub warehouse_id: i64,
    /// The receiving warehouse's row id.
    pub receive_warehouse_id: i64,
    /// 编辑中, or 已审核 when checked at once.
    pub status: PurchaseOrderStatus,
    /// Logistics row id.
    pub logistics_id: Option<i64>,
    /// Lines.
    pub lines: Vec<PlannedOrderLine>,
}

fn refuse(message: String) -> ApiError {
    ApiError::Business(message)
}

/// A warehouse named by `field`: found and in the key's scope (else it answers as unknown), and
/// not outsourced (the page: 不支持分销委外仓).
fn warehouse(ctx: &PurchaseOrderContext, field: &str, no: &str) -> Result<i64, ApiError> {
    let (id, kind) = ctx
        .warehouses
        .get(no)
        .filter(|_| ctx.scope.allows_warehouse(no))
        .ok_or_else(|| refuse(format!("仓库不存在 {field}: {no}")))?;
    if *kind == WarehouseKind::Outsourced {
        return Err(refuse(format!("不支持委外仓 {field}: {no}")));
    }
    Ok(*id)
}

/// Checks the request and plans the order.
pub fn plan(cmd: &PurchaseOrderCmd, ctx: &PurchaseOrderContext) -> Result<PurchaseOrderPlan, ApiError> {
    cmd.check_lines()?;
    let purchase_no = cmd.purchase_no.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    if let Some(no) = &purchase_no
        && ctx.purchase_no_taken
    {
        return Err(ApiError::DuplicateOuterNo { field: "purchase_no", value: no.clone() });
    }
    let provider_id =
        ctx.provider_id.ok_or_else(|| refuse(format!("供应商不存在 provider_no: {}", cmd.provider_no)))?;
    let receive_warehouse_id = warehouse(ctx, "receive_warehouse_nos", &cmd.receive_warehouse_no)?;
    let warehouse_id = warehouse(ctx, "expect_warehouse_no", &cmd.expect_warehouse_no)?;
    if let Some(code) = cmd.logistics_no.as_deref().filter(|c| !c.trim().is_empty())
        && ctx.logistics_id.is_none()
    {
        return Err(refuse(format!("不存在物流编码为 {code} 的物流公司或业务类型错误! logistics_no: {code}")));
    }
    let lines = cmd
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| plan_line(&format!("{LINES}[{i}]"), line, ctx))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PurchaseOrderPlan {
        purchase_no,
        provider_id,
        warehouse_id,
        receive_warehouse_id,
        status: if cmd.check { PurchaseOrderStatus::Checked } else { PurchaseOrderStatus::Editing },
        logistics_id: ctx.logistics_id,
        lines,
    })
}

/// A line's prices from its list price (税前单价 per pushed unit), discount, tax rate and unit
/// ratio: the net untaxed price per base unit (`price × discount / ratio`) and the taxed price per
/// pushed unit (`price × discount × (1 + tax_rate)`), each rounded to four decimals. A fixture's
/// line is kept by the same rule. `None` when out of range.
pub fn line_prices(list_price: Dec4, discount: Dec4, tax_rate: Dec4, ratio: Dec4) -> Option<(Dec4, Dec4)> {
    let discounted = list_price.mul_round(discount)?;
    let tax_price = discounted.mul_round(Dec4::ONE.checked_add(tax_rate)?)?;
    Some((div_round(discounted, ratio)?, tax_price))
}

/// `a / b` at four decimals, rounded half away from zero.
fn div_round(a: Dec4, b: Dec4) -> Option<Dec4> {
    let q = a.to_decimal().checked_div(b.to_decimal())?;
    Dec4::round_from(q)
}

/// One line (`p` = `purchase_details[i]`).
fn plan_line(p: &str, line: &PurchaseOrderLine, ctx: &PurchaseOrderContext) -> Result<PlannedOrderLine, ApiError> {
    let spec =
        ctx.specs.get(&line.spec_no).ok_or_else(|| refuse(format!("商家编码不存在 {p}.spec_no: {}", line.spec_no)))?;
    let discount = line.discount.unwrap_or(Dec4::ONE);
    if !discount.is_positive() {
        return Err(refuse(format!("折扣应大于0 {p}.discount: {discount}")));
    }
    if discount > Dec4::ONE {
        return Err(refuse(format!("折扣不能大于1 {p}.discount: {discount}")));
    }
    let tax_rate = line.tax_rate.unwrap_or(Dec4::ZERO);
    if tax_rate.is_negative() || tax_rate >= Dec4::ONE {
        return Err(refuse(format!("税率不合法(0 ≤ 税率 < 1) {p}.tax_rate: {tax_rate}")));
    }
    let (unit_id, ratio) = match line.unit_name.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => (None, Dec4::ONE),
        Some(name) if name == spec.base_unit.1 => (None, Dec4::ONE),
        Some(name) => {
            spec.units.iter().find(|(_, n, _)| n == name).map(|(id, _, r)| (Some(*id), *r)).ok_or_else(|| {
                refuse(format!("单位不存在 {p}.purchase_unit_name: {name} 商家编码: {}", line.spec_no))
            })?
        }
    };
    let out_of_range = || refuse(format!("数量不合法 {p}.num: {}", line.num));
    let num = line.num.mul_round(ratio).ok_or_else(out_of_range)?;
    let list_price = line.price.unwrap_or(Dec4::ZERO);
    let (price, tax_price) = line_prices(list_price, discount, tax_rate, ratio)
        .ok_or_else(|| refuse(format!("价格不合法 {p}.price: {list_price}")))?;
    Ok(PlannedOrderLine {
        spec_id: spec.id,
        num,
        price,
        unit_id,
        unit_ratio: ratio,
        list_price,
        discount,
        tax_rate,
        tax_price,
        remark: line.remark.clone(),
        props: line.props.clone(),
        batch_no: line.batch_no.clone(),
        expire_date: line.expire_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn cmd() -> PurchaseOrderCmd {
        PurchaseOrderCmd {
            provider_no: "P1".into(),
            receive_warehouse_no: "WH1".into(),
            expect_warehouse_no: "WH1".into(),
            purchaser_name: "lj".into(),
            lines: vec![PurchaseOrderLine { spec_no: "MUG".into(), num: d("2"), ..PurchaseOrderLine::default() }],
            ..PurchaseOrderCmd::default()
        }
    }

    fn ctx() -> PurchaseOrderContext {
        let mug = PrSpecState { id: 7, base_unit: (1, "件".into()), units: vec![(2, "箱".into(), d("12"))] };
        PurchaseOrderContext {
            scope: Scope::default(),
            purchase_no_taken: false,
            provider_id: Some(3),
            warehouses: HashMap::from([
                ("WH1".to_owned(), (5, WarehouseKind::Normal)),
                ("WH2".to_owned(), (6, WarehouseKind::Normal)),
                ("WH-OUT".to_owned(), (8, WarehouseKind::Outsourced)),
            ]),
            logistics_id: None,
            specs: HashMap::from([("MUG".to_owned(), mug)]),
        }
    }

    #[test]
    fn a_plain_order_and_a_priced_one() {
        let plan = plan(&cmd(), &ctx()).unwrap();
        assert_eq!((plan.provider_id, plan.warehouse_id, plan.receive_warehouse_id), (3, 5, 5));
        assert_eq!((plan.status, plan.purchase_no.as_deref()), (PurchaseOrderStatus::Editing, None));
        let l = &plan.lines[0];
        assert_eq!((l.spec_id, l.num, l.price, l.discount, l.unit_ratio), (7, d("2"), d("0"), d("1"), d("1")));

        let mut c = cmd();
        c.check = true;
        c.purchase_no = Some("PO-1".into());
        c.expect_warehouse_no = "WH2".into();
        c.lines[0].unit_name = Some("箱".into());
        c.lines[0].price = Some(d("100"));
        c.lines[0].discount = Some(d("0.9"));
        c.lines[0].tax_rate = Some(d("0.13"));
        let plan = super::plan(&c, &ctx()).unwrap();
        assert_eq!(
            (plan.status, plan.purchase_no.as_deref(), plan.warehouse_id),
            (PurchaseOrderStatus::Checked, Some("PO-1"), 6)
        );
        let l = &plan.lines[0];
        assert_eq!(
            (l.num, l.unit_id, l.list_price, l.tax_price, l.price),
            (d("24"), Some(2), d("100"), d("101.7"), d("7.5"))
        );
        assert_eq!(purchase_no("20260101", 3), "CG202601010003");
        // 2024-08-30 16:30 UTC is already 2024-08-31 in Shanghai.
        assert_eq!(purchase_day(1_725_035_400_000), "20240831");
    }

    #[test]
    fn refusals() {
        type Case = (&'static str, fn(&mut PurchaseOrderCmd, &mut PurchaseOrderContext), &'static str);
        let cases: Vec<Case> = vec![
            ("zero num", |c, _| c.lines[0].num = d("0"), "数量不合法 purchase_details[0].num: 0"),
            ("negative price", |c, _| c.lines[0].price = Some(d("-1")), "价格不合法 purchase_details[0].price: -1"),
            ("negative fee", |c, _| c.post_fee = d("-1"), "金额不合法 post_fee: -1"),
            (
                "taken number",
                |c, x| {
                    c.purchase_no = Some("PO-1".into());
                    x.purchase_no_taken = true;
                },
                "此外部单已使用! purchase_no: PO-1",
            ),
            ("unknown provider", |_, x| x.provider_id = None, "供应商不存在 provider_no: P1"),
            (
                "unknown warehouse",
                |c, _| c.receive_warehouse_no = "WH9".into(),
                "仓库不存在 receive_warehouse_nos: WH9",
            ),
            (
                "out of scope",
                |c, x| {
                    c.expect_warehouse_no = "WH2".into();
                    x.scope.warehouses = Some(vec!["WH1".into()]);
                },
                "仓库不存在 expect_warehouse_no: WH2",
            ),
            ("outsourced", |c, _| c.expect_warehouse_no = "WH-OUT".into(), "不支持委外仓 expect_warehouse_no: WH-OUT"),
            ("unknown logistics", |c, _| c.logistics_no = Some("ZZ".into()), "不存在物流编码为 ZZ 的物流公司"),
            (
                "unknown spec",
                |c, _| c.lines[0].spec_no = "NOPE".into(),
                "商家编码不存在 purchase_details[0].spec_no: NOPE",
            ),
            (
                "unknown unit",
                |c, _| c.lines[0].unit_name = Some("桶".into()),
                "单位不存在 purchase_details[0].purchase_unit_name: 桶",
            ),
            ("discount 0", |c, _| c.lines[0].discount = Some(d("0")), "折扣应大于0 purchase_details[0].discount: 0"),
            ("discount 1.5", |c, _| c.lines[0].discount = Some(d("1.5")), "折扣不能大于1"),
            (
                "tax rate 1",
                |c, _| c.lines[0].tax_rate = Some(d("1")),
                "税率不合法(0 ≤ 税率 < 1) purchase_details[0].tax_rate: 1",
            ),
        ];
        for (name, change, text) in cases {
            let (mut c, mut x) = (cmd(), ctx());
            change(&mut c, &mut x);
            let e = plan(&c, &x).unwrap_err();
            let shown = e.qjb_message();
            assert!(shown.contains(text), "{name}: {shown}");
        }
    }
}
