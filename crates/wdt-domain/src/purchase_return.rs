//! Purchase return (采购退货单, `purchase.PurchaseReturn.createOrder`, SPEC.md §3.3).
//!
//! [`plan`] checks the order against master data and, when asked to check it, allocates the
//! goods out of stock. An allocation that cannot be met is not a refusal: the order is still
//! written, unchecked (or cancelled with `check_fail_cancel`), and the answer carries status 20
//! with the reason; no stock moves.

use std::collections::{HashMap, HashSet};

use wdt_protocol::methods::LinePath;
use wdt_protocol::time::parse_wire_time;
use wdt_protocol::{ApiError, Dec4};

use crate::line_rules;
use crate::model::{PurchaseOrderStatus, Scope};
use crate::stock_out::{Need, shortage_text, take};
pub use crate::stock_out::{StockLineState, StockTake};

/// Purchase return status numbers, as the plan and the store carry them
/// ([`PurchaseReturnStatus`](crate::model::PurchaseReturnStatus)).
pub mod status {
    use crate::model::PurchaseReturnStatus;

    /// 已取消.
    pub const CANCELLED: i64 = PurchaseReturnStatus::Cancelled.code();
    /// 编辑中.
    pub const EDITING: i64 = PurchaseReturnStatus::Editing.code();
    /// 已审核: checked, goods out of stock.
    pub const CHECKED: i64 = PurchaseReturnStatus::Checked.code();
}

/// `stockout_status` numbers ([`StockoutStatus`](crate::model::StockoutStatus)): 0 未出库 / 2 已出库.
pub mod stockout {
    use crate::model::StockoutStatus;

    /// 未出库.
    pub const NONE: i64 = StockoutStatus::NotOut.code();
    /// 已出库.
    pub const DONE: i64 = StockoutStatus::Out.code();
}

/// The request.
#[derive(Debug, Clone, Default)]
pub struct PurchaseReturnCmd {
    /// 外部单号, becomes the return number.
    pub outer_no: String,
    /// 仓库编码.
    pub warehouse_no: String,
    /// 供应商编号.
    pub provider_no: String,
    /// 物流公司编号 (purchase business).
    pub logistics_no: Option<String>,
    /// 邮费.
    pub post_fee: Dec4,
    /// 其他费用.
    pub other_fee: Dec4,
    /// 联系人; empty = the provider's.
    pub contact: Option<String>,
    /// 联系电话; empty = the provider's.
    pub telno: Option<String>,
    /// 收件地址.
    pub address: Option<String>,
    /// 省.
    pub province: Option<String>,
    /// 市.
    pub city: Option<String>,
    /// 区.
    pub district: Option<String>,
    /// 自定义属性1.
    pub prop1: String,
    /// 自定义属性2.
    pub prop2: String,
    /// 备注.
    pub remark: String,
    /// 引用的采购单号.
    pub ref_purchase_nos: Vec<String>,
    /// Cancel the order when the check fails.
    pub check_fail_cancel: bool,
    /// Lines.
    pub lines: Vec<PurchaseReturnLine>,
    /// Check it (goods leave stock).
    pub check: bool,
}

impl PurchaseReturnCmd {
    /// The rules on the request's own lines ([`crate::line_rules`]): at least one, every
    /// quantity positive, no price negative. [`plan`] checks them first; a caller may check them
    /// earlier, before loading anything.
    pub fn check_lines(&self) -> Result<(), ApiError> {
        line_rules::not_empty(LINES, self.lines.len())?;
        for (index, line) in self.lines.iter().enumerate() {
            line_rules::positive_quantity(LinePath { list: LINES, index, field: "num" }, line.num)?;
            line_rules::non_negative_price(LinePath { list: LINES, index, field: "price" }, line.price)?;
        }
        line_rules::fees(self.post_fee, self.other_fee)
    }
}

/// The wire name of the detail list, as refusals name it.
const LINES: &str = "detailList";

/// One line of `detailList`.
#[derive(Debug, Clone, Default)]
pub struct PurchaseReturnLine {
    /// 商家编码.
    pub spec_no: String,
    /// Quantity in `unit_name` (base unit when absent).
    pub num: Dec4,
    /// 折扣, default 1.
    pub discount: Option<Dec4>,
    /// 税率, default 0.
    pub tax_rate: Option<Dec4>,
    /// 单价, default 0.
    pub price: Option<Dec4>,
    /// 退货单位.
    pub unit_name: Option<String>,
    /// Defect stock.
    pub defect: bool,
    /// 备注.
    pub remark: String,
    /// 批次号.
    pub batch_no: Option<String>,
    /// 有效期.
    pub expire_date: Option<String>,
    /// 税后金额.
    pub tax_price: Option<Dec4>,
}

/// A provider as loaded.
#[derive(Debug, Clone, Default)]
pub struct ProviderState {
    /// Row id.
    pub id: i64,
    /// 联系人.
    pub contact: String,
    /// 电话.
    pub telno: String,
    /// Province code.
    pub province: String,
    /// City code.
    pub city: String,
    /// District code.
    pub district: String,
    /// Address.
    pub address: String,
}

/// A spec as loaded, with its units.
#[derive(Debug, Clone, Default)]
pub struct PrSpecState {
    /// Row id.
    pub id: i64,
    /// Base unit (id, name).
    pub base_unit: (i64, String),
    /// Auxiliary units (id, name, ratio to the base unit).
    pub units: Vec<(i64, String, Dec4)>,
}

/// What [`plan`] needs.
#[derive(Debug, Clone, Default)]
pub struct PurchaseReturnContext {
    /// The outer number is already a return number of this seller.
    pub outer_no_taken: bool,
    /// The warehouse (id, number), if found.
    pub warehouse: Option<(i64, String)>,
    /// The caller's scope.
    pub scope: Scope,
    /// The provider, if found.
    pub provider: Option<ProviderState>,
    /// The logistics company, if given and found for purchases.
    pub logistics_id: Option<i64>,
    /// Referenced purchase orders found: number → (id, provider id, status).
    pub purchase_orders: HashMap<String, (i64, i64, PurchaseOrderStatus, String)>,
    /// Specs found, by spec_no.
    pub specs: HashMap<String, PrSpecState>,
    /// Batches found: (spec id, batch_no) → id.
    pub batches: HashMap<(i64, String), i64>,
    /// Stock lines of this warehouse for these specs, in allocation order (earliest expiry first,
    /// then batch, then position).
    pub stock: Vec<StockLineState>,
    /// Moving-average cost per spec in this warehouse.
    pub costs: HashMap<i64, Dec4>,
}

/// A detail to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedReturnDetail {
    /// Spec row id.
    pub spec_id: i64,
    /// Quantity in base units.
    pub num: Dec4,
    /// Unit row id (the base unit when none given).
    pub unit_id: i64,
    /// Units per base unit of the unit used.
    pub unit_ratio: Dec4,
    /// 单价.
    pub price: Dec4,
    /// 折扣.
    pub discount: Dec4,
    /// 税率.
    pub tax_rate: Dec4,
    /// 税后单价.
    pub tax_price: Dec4,
    /// Defect stock.
    pub defect: bool,
    /// Batch row id (0 = any).
    pub batch_id: i64,
    /// 有效期 (epoch ms).
    pub expire_date: Option<i64>,
    /// 备注.
    pub remark: String,
}

/// Everything to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseReturnPlan {
    /// Warehouse row id.
    pub warehouse_id: i64,
    /// Provider row id.
    pub provider_id: i64,
    /// Logistics row id.
    pub logistics_id: Option<i64>,
    /// Resolved contact, phone and address (defaults from the provider applied).
    pub contact: String,
    /// Phone.
    pub telno: String,
    /// Province.
    pub province: String,
    /// City.
    pub city: String,
    /// District.
    pub district: String,
    /// Address.
    pub address: String,
    /// Status after this request (20, 40 or 10).
    pub status: i64,
    /// Stock-out status.
    pub stockout_status: i64,
    /// Why the check failed, if it did.
    pub check_failure: Option<String>,
    /// Referenced purchase order ids.
    pub refs: Vec<i64>,
    /// Details.
    pub details: Vec<PlannedReturnDetail>,
    /// Stock taken (empty unless checked).
    pub takes: Vec<StockTake>,
}

fn refuse(message: String) -> ApiError {
    ApiError::Business(message)
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// Checks the request; plans the order and, when checking, the goods leaving stock. The rules on
/// the request's own lines ([`PurchaseReturnCmd::check_lines`]) come before everything else.
pub fn plan(cmd: &PurchaseReturnCmd, ctx: &PurchaseReturnContext) -> Result<PurchaseReturnPlan, ApiError> {
    cmd.check_lines()?;
    if ctx.outer_no_taken {
        return Err(ApiError::DuplicateOuterNo { field: "outer_no", value: cmd.outer_no.clone() });
    }
    // A warehouse the key may not use answers exactly as one that does not exist.
    let (warehouse_id, _) = ctx
        .warehouse
        .as_ref()
        .filter(|(_, no)| ctx.scope.allows_warehouse(no))
        .ok_or_else(|| refuse(format!("仓库不存在  仓库编号: {}", cmd.warehouse_no)))?;
    let provider =
        ctx.provider.as_ref().ok_or_else(|| refuse(format!("供应商不存在 provider_no: {}", cmd.provider_no)))?;
    if let Some(code) = cmd.logistics_no.as_deref().filter(|c| !c.trim().is_empty())
        && ctx.logistics_id.is_none()
    {
        return Err(refuse(format!("不存在物流编码为 {code} 的物流公司或业务类型错误!")));
    }
    let refs = check_refs(cmd, ctx, provider.id)?;
    let mut seen = HashSet::new();
    let details = cmd
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| plan_line(&format!("{LINES}[{i}]"), line, ctx, &mut seen))
        .collect::<Result<Vec<_>, _>>()?;

    // Address: all four empty → the provider's; contact and phone default one by one.
    let use_provider_address = [&cmd.province, &cmd.city, &cmd.district, &cmd.address].iter().all(|v| blank(v));
    let pick = |given: &Option<String>, fallback: &str| {
        if blank(given) { fallback.to_owned() } else { given.clone().unwrap_or_default() }
    };
    let (province, city, district, address) = if use_provider_address {
        (provider.province.clone(), provider.city.clone(), provider.district.clone(), provider.address.clone())
    } else {
        let own = |v: &Option<String>| v.clone().unwrap_or_default();
        (own(&cmd.province), own(&cmd.city), own(&cmd.district), own(&cmd.address))
    };

    let mut plan = PurchaseReturnPlan {
        warehouse_id: *warehouse_id,
        provider_id: provider.id,
        logistics_id: ctx.logistics_id,
        contact: pick(&cmd.contact, &provider.contact),
        telno: pick(&cmd.telno, &provider.telno),
        province,
        city,
        district,
        address,
        status: status::EDITING,
        stockout_status: stockout::NONE,
        check_failure: None,
        refs,
        details,
        takes: Vec::new(),
    };
    if cmd.check {
        let names: Vec<(String, Option<String>)> =
            cmd.lines.iter().map(|l| (l.spec_no.clone(), l.batch_no.clone())).collect();
        match allocate(&plan.details, ctx, &names) {
            Ok(takes) => {
                plan.takes = takes;
                plan.status = status::CHECKED;
                plan.stockout_status = stockout::DONE;
            }
            Err(reason) => {
                plan.check_failure = Some(reason);
                if cmd.check_fail_cancel {
                    plan.status = status::CANCELLED;
                }
            }
        }
    }
    Ok(plan)
}

/// The referenced purchase orders: found, of this provider, checked or later; their ids, once
/// each.
fn check_refs(cmd: &PurchaseReturnCmd, ctx: &PurchaseReturnContext, provider_id: i64) -> Result<Vec<i64>, ApiError> {
    let mut refs = Vec::new();
    for (i, no) in cmd.ref_purchase_nos.iter().enumerate() {
        // A purchase order of a warehouse the key may not use answers as one that does not exist.
        let (id, owner, status, warehouse_no) = ctx
            .purchase_orders
            .get(no)
            .filter(|po| ctx.scope.allows_warehouse(&po.3))
            .ok_or_else(|| refuse(format!("采购单不存在 ref_purchase_nos[{i}]: {no}")))?;
        if *warehouse_no != cmd.warehouse_no {
            return Err(refuse(format!(
                "采购单不属于该仓库 ref_purchase_nos[{i}]: {no} warehouse_no: {}",
                cmd.warehouse_no
            )));
        }
        if *owner != provider_id {
            return Err(refuse(format!(
                "采购单不属于该供应商 ref_purchase_nos[{i}]: {no} provider_no: {}",
                cmd.provider_no
            )));
        }
        if matches!(status, PurchaseOrderStatus::Editing | PurchaseOrderStatus::Cancelled) {
            return Err(refuse(format!("采购单状态要大于已审核 ref_purchase_nos[{i}]: {no}")));
        }
        if !refs.contains(id) {
            refs.push(*id);
        }
    }
    Ok(refs)
}

/// One line (`p` = `detailList[i]`): spec, discount, tax, unit, batch and expiry resolved; the
/// same spec, defect flag and batch only once (`seen`).
fn plan_line(
    p: &str,
    line: &PurchaseReturnLine,
    ctx: &PurchaseReturnContext,
    seen: &mut HashSet<(i64, bool, i64)>,
) -> Result<PlannedReturnDetail, ApiError> {
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
    if tax_rate.is_negative() {
        return Err(refuse(format!("税率不合法 {p}.tax_rate: {tax_rate}")));
    }
    let price = line.price.unwrap_or(Dec4::ZERO);
    let (unit_id, ratio) = match line.unit_name.as_deref().filter(|u| !u.trim().is_empty()) {
        None => (spec.base_unit.0, Dec4::ONE),
        Some(name) if name == spec.base_unit.1 => (spec.base_unit.0, Dec4::ONE),
        Some(name) => spec
            .units
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(id, _, r)| (*id, *r))
            .ok_or_else(|| refuse(format!("单位不存在 {p}.unit_name: {name} 商家编码: {}", line.spec_no)))?,
    };
    let num = line.num.mul_round(ratio).ok_or_else(|| refuse(format!("数量不合法 {p}.num: {}", line.num)))?;
    let batch_id = match line.batch_no.as_deref().filter(|b| !b.trim().is_empty()) {
        None => 0,
        Some(no) => *ctx
            .batches
            .get(&(spec.id, no.to_owned()))
            .ok_or_else(|| refuse(format!("批次 {no} 不存在或已停用 {p}.batch_no 商家编码: {}", line.spec_no)))?,
    };
    let expire_date = match line.expire_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(v) => Some(parse_wire_time(v).map_err(|e| refuse(format!("{p}.expire_date: {e}")))?),
    };
    if !seen.insert((spec.id, line.defect, batch_id)) {
        return Err(refuse(format!("货品 {} 重复! {p}", line.spec_no)));
    }
    let tax_price = match line.tax_price {
        Some(t) if t.is_negative() => return Err(refuse(format!("税后金额不合法 {p}.tax_price: {t}"))),
        Some(t) => t,
        None => Dec4::ONE
            .checked_add(tax_rate)
            .and_then(|f| price.mul_round(f))
            .ok_or_else(|| refuse(format!("价格不合法 {p}.price: {price}")))?,
    };
    Ok(PlannedReturnDetail {
        spec_id: spec.id,
        num,
        unit_id,
        unit_ratio: ratio,
        price,
        discount,
        tax_rate,
        tax_price,
        defect: line.defect,
        batch_id,
        expire_date,
        remark: line.remark.clone(),
    })
}

/// Takes each detail's quantity out of stock, first expiry first; the reason when short.
pub fn allocate(
    details: &[PlannedReturnDetail],
    ctx: &PurchaseReturnContext,
    lines: &[(String, Option<String>)],
) -> Result<Vec<StockTake>, String> {
    let needs: Vec<Need> = details
        .iter()
        .map(|d| Need { spec_id: d.spec_id, defect: d.defect, batch_id: d.batch_id, num: d.num })
        .collect();
    take(&needs, &ctx.stock, &ctx.costs).map_err(|short| {
        let d = &details[short.index];
        let (spec_no, batch_no) = lines.get(short.index).map(|(s, b)| (s.as_str(), b.as_deref())).unwrap_or(("", None));
        shortage_text(spec_no, d.defect, batch_no, &short)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn ctx() -> PurchaseReturnContext {
        PurchaseReturnContext {
            outer_no_taken: false,
            warehouse: Some((1, "W1".into())),
            scope: Scope::default(),
            provider: Some(ProviderState {
                id: 7,
                contact: "Li".into(),
                telno: "138".into(),
                province: "31".into(),
                city: "3101".into(),
                district: "310115".into(),
                address: "Zhangjiang".into(),
            }),
            logistics_id: None,
            purchase_orders: HashMap::from([
                ("CG1".to_owned(), (100, 7, PurchaseOrderStatus::Checked, "W1".to_owned())),
                ("CG2".to_owned(), (101, 7, PurchaseOrderStatus::Editing, "W1".to_owned())),
                ("CG3".to_owned(), (102, 8, PurchaseOrderStatus::Arrived, "W1".to_owned())),
                ("CG4".to_owned(), (103, 7, PurchaseOrderStatus::Cancelled, "W1".to_owned())),
                ("CG5".to_owned(), (104, 7, PurchaseOrderStatus::Checked, "W2".to_owned())),
            ]),
            specs: HashMap::from([(
                "MUG".to_owned(),
                PrSpecState { id: 5, base_unit: (1, "件".into()), units: vec![(2, "箱".into(), d("12"))] },
            )]),
            batches: HashMap::from([((5, "B1".to_owned()), 50)]),
            stock: vec![
                StockLineState { spec_id: 5, defect: false, batch_id: 50, position_id: 1, num: d("10") },
                StockLineState { spec_id: 5, defect: false, batch_id: 0, position_id: 2, num: d("5") },
                StockLineState { spec_id: 5, defect: true, batch_id: 0, position_id: 3, num: d("2") },
            ],
            costs: HashMap::from([(5, d("8"))]),
        }
    }

    fn line(num: &str) -> PurchaseReturnLine {
        PurchaseReturnLine { spec_no: "MUG".into(), num: d(num), ..PurchaseReturnLine::default() }
    }

    fn cmd(lines: Vec<PurchaseReturnLine>, check: bool) -> PurchaseReturnCmd {
        PurchaseReturnCmd {
            outer_no: "R1".into(),
            warehouse_no: "W1".into(),
            provider_no: "P1".into(),
            lines,
            check,
            ..Default::default()
        }
    }

    #[test]
    fn refusals() {
        type Case = (&'static str, fn(&mut PurchaseReturnCmd, &mut PurchaseReturnContext), &'static str);
        let cases: Vec<Case> = vec![
            ("duplicate outer number", |_, c| c.outer_no_taken = true, "外部单号已存在"),
            ("unknown warehouse", |_, c| c.warehouse = None, "仓库不存在"),
            (
                "warehouse outside scope, as unknown",
                |_, c| c.scope.warehouses = Some(vec!["W9".into()]),
                "仓库不存在  仓库编号: W1",
            ),
            ("unknown provider", |_, c| c.provider = None, "供应商不存在 provider_no: P1"),
            ("unknown logistics", |m, _| m.logistics_no = Some("ZZ".into()), "不存在物流编码为 ZZ"),
            (
                "unknown purchase order",
                |m, _| m.ref_purchase_nos = vec!["CG9".into()],
                "采购单不存在 ref_purchase_nos[0]: CG9",
            ),
            ("editing purchase order", |m, _| m.ref_purchase_nos = vec!["CG2".into()], "采购单状态要大于已审核"),
            ("cancelled purchase order", |m, _| m.ref_purchase_nos = vec!["CG4".into()], "CG4"),
            ("other provider's purchase order", |m, _| m.ref_purchase_nos = vec!["CG3".into()], "采购单不属于该供应商"),
            (
                "another warehouse's purchase order",
                |m, _| m.ref_purchase_nos = vec!["CG5".into()],
                "采购单不属于该仓库 ref_purchase_nos[0]: CG5 warehouse_no: W1",
            ),
            (
                "a purchase order of a warehouse outside the scope, as unknown",
                |m, c| {
                    m.ref_purchase_nos = vec!["CG5".into()];
                    c.scope.warehouses = Some(vec!["W1".into()]);
                },
                "采购单不存在 ref_purchase_nos[0]: CG5",
            ),
            ("unknown spec", |m, _| m.lines[0].spec_no = "HAT".into(), "detailList[0].spec_no: HAT"),
            ("zero quantity", |m, _| m.lines[0].num = Dec4::ZERO, "数量不合法"),
            ("zero discount", |m, _| m.lines[0].discount = Some(Dec4::ZERO), "折扣应大于0"),
            ("discount over 1", |m, _| m.lines[0].discount = Some(d("1.1")), "折扣不能大于1"),
            ("negative tax rate", |m, _| m.lines[0].tax_rate = Some(d("-0.1")), "税率不合法"),
            ("negative price", |m, _| m.lines[0].price = Some(d("-1")), "价格不合法"),
            ("negative post fee", |m, _| m.post_fee = d("-1"), "金额不合法 post_fee: -1"),
            ("negative other fee", |m, _| m.other_fee = d("-0.01"), "金额不合法 other_fee: -0.01"),
            ("unknown unit", |m, _| m.lines[0].unit_name = Some("盒".into()), "单位不存在 detailList[0].unit_name: 盒"),
            ("unknown batch", |m, _| m.lines[0].batch_no = Some("B9".into()), "批次 B9 不存在"),
            ("bad expiry", |m, _| m.lines[0].expire_date = Some("2020/04/20".into()), "Unparseable date"),
            ("same line twice", |m, _| m.lines.push(line("1")), "货品 MUG 重复!"),
            ("no lines", |m, _| m.lines.clear(), "detailList不能为空"),
            (
                "a bad line before the outer number and the warehouse",
                |m, c| {
                    (c.outer_no_taken, c.warehouse) = (true, None);
                    m.lines[0].price = Some(d("-0.5"));
                },
                "价格不合法 detailList[0].price: -0.5",
            ),
        ];
        for (name, change, want) in cases {
            let (mut m, mut c) = (cmd(vec![line("1")], true), ctx());
            change(&mut m, &mut c);
            let err = plan(&m, &c).expect_err(name).to_string();
            assert!(err.contains(want), "{name}: {err}");
        }
    }

    #[test]
    fn accepted_orders() {
        // Unchecked: nothing leaves; provider address and contact fill in.
        let p = plan(&cmd(vec![line("1")], false), &ctx()).unwrap();
        assert_eq!((p.status, p.takes.len()), (status::EDITING, 0));
        assert_eq!((p.contact.as_str(), p.address.as_str(), p.province.as_str()), ("Li", "Zhangjiang", "31"));
        // Given any address field, the provider's address is not used.
        let mut m = cmd(vec![line("1")], false);
        m.city = Some("4401".into());
        m.contact = Some("Wu".into());
        let p = plan(&m, &ctx()).unwrap();
        assert_eq!(
            (p.contact.as_str(), p.city.as_str(), p.address.as_str(), p.telno.as_str()),
            ("Wu", "4401", "", "138")
        );
        // A unit converts by its ratio; discount and tax defaults.
        let mut l = line("1");
        l.unit_name = Some("箱".into());
        let p = plan(&cmd(vec![l], false), &ctx()).unwrap();
        assert_eq!(
            (p.details[0].num, p.details[0].unit_id, p.details[0].discount, p.details[0].tax_rate),
            (d("12"), 2, Dec4::ONE, Dec4::ZERO)
        );
        // Checked: across lines in order, exactly emptying the good stock.
        let p = plan(&cmd(vec![line("15")], true), &ctx()).unwrap();
        assert_eq!(p.status, status::CHECKED);
        assert_eq!(
            p.takes.iter().map(|t| (t.line.position_id, t.num)).collect::<Vec<_>>(),
            vec![(1, d("10")), (2, d("5"))]
        );
        assert!(p.takes.iter().all(|t| t.cost_price == d("8")));
        // A given batch takes only from it; defect from defect stock.
        let mut b = line("3");
        b.batch_no = Some("B1".into());
        let mut def = line("2");
        def.defect = true;
        let p = plan(&cmd(vec![b, def], true), &ctx()).unwrap();
        assert_eq!(
            p.takes.iter().map(|t| (t.line.position_id, t.num)).collect::<Vec<_>>(),
            vec![(1, d("3")), (3, d("2"))]
        );
    }

    #[test]
    fn each_take_records_the_line_as_earlier_takes_of_the_return_left_it() {
        let mut b = line("3");
        b.batch_no = Some("B1".into());
        let p = plan(&cmd(vec![b, line("8")], true), &ctx()).unwrap();
        assert_eq!(
            p.takes.iter().map(|t| (t.line.position_id, t.before, t.num)).collect::<Vec<_>>(),
            vec![(1, d("10"), d("3")), (1, d("7"), d("7")), (2, d("5"), d("1"))]
        );
    }

    #[test]
    fn a_check_short_of_stock_fails_without_moving_anything() {
        let p = plan(&cmd(vec![line("16")], true), &ctx()).unwrap();
        assert_eq!(p.status, status::EDITING);
        assert!(p.takes.is_empty());
        assert!(p.check_failure.as_deref().unwrap().contains("需要: 16 可用: 15"), "{:?}", p.check_failure);
        let mut m = cmd(vec![line("16")], true);
        m.check_fail_cancel = true;
        assert_eq!(plan(&m, &ctx()).unwrap().status, status::CANCELLED);
        // Two lines that each fit but not together.
        let mut l2 = line("5");
        l2.batch_no = Some("B1".into());
        let p = plan(&cmd(vec![line("12"), l2], true), &ctx()).unwrap();
        assert!(p.check_failure.is_some(), "cumulative allocation");
    }
}
