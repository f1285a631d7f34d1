//! 盘点: one stock line set to the quantity counted on the shelf, as one ledger row of its own
//! document type. Counting a line to what it holds writes nothing.

use wdt_protocol::Dec4;

use super::{Refusal, counted_quantity};

/// The count an operator entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockCount {
    /// 仓库编号.
    pub warehouse_no: String,
    /// 商家编码.
    pub spec_no: String,
    /// Defect stock.
    pub defect: bool,
    /// 批次号; none for stock without a batch.
    pub batch_no: Option<String>,
    /// 货位编号; none for the warehouse's temporary position.
    pub position_no: Option<String>,
    /// The counted quantity.
    pub num: Dec4,
}

impl StockCount {
    /// `WH1/MUG/正品/B1/A-01`, as the audit log names the line.
    pub fn line_name(&self) -> String {
        format!(
            "{}/{}/{}/{}/{}",
            self.warehouse_no,
            self.spec_no,
            if self.defect { "残次品" } else { "正品" },
            self.batch_no.as_deref().unwrap_or(""),
            self.position_no.as_deref().unwrap_or(crate::model::TEMPORARY_POSITION_NO),
        )
    }
}

/// What counting reads.
#[derive(Debug, Clone, Default)]
pub struct CountContext {
    /// The warehouse's row id, if found.
    pub warehouse_id: Option<i64>,
    /// The spec (row id, SN-managed), if found.
    pub spec: Option<(i64, bool)>,
    /// The batch's row id, if one was named and found.
    pub batch_id: Option<i64>,
    /// The position's row id, if found (the temporary one when none was named).
    pub position_id: Option<i64>,
    /// What the line holds now (zero for a line never stocked).
    pub current: Dec4,
}

/// The line, as row ids, and its change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountPlan {
    /// Warehouse row id.
    pub warehouse_id: i64,
    /// Spec row id.
    pub spec_id: i64,
    /// Batch row id (0 = none).
    pub batch_id: i64,
    /// Position row id.
    pub position_id: i64,
    /// On hand before.
    pub before: Dec4,
    /// Signed change (zero: nothing to write).
    pub change: Dec4,
}

/// Plans the count.
pub fn plan(count: &StockCount, ctx: &CountContext) -> Result<CountPlan, Refusal> {
    let num = counted_quantity("num", count.num)?;
    let warehouse_id =
        ctx.warehouse_id.ok_or_else(|| Refusal::not_found("仓库", "warehouse_no", &count.warehouse_no))?;
    let (spec_id, sn_managed) = ctx.spec.ok_or_else(|| Refusal::not_found("商家编码", "spec_no", &count.spec_no))?;
    if sn_managed && !num.is_integer() {
        return Err(Refusal::invalid("num", &num.to_string(), format!("SN管理的货品数量必须为整数 num: {num}")));
    }
    let batch_id = match count.batch_no.as_deref().filter(|b| !b.is_empty()) {
        None => 0,
        Some(no) => ctx.batch_id.ok_or_else(|| Refusal::not_found("批次", "batch_no", no))?,
    };
    let position_id = ctx
        .position_id
        .ok_or_else(|| Refusal::not_found("货位", "position_no", count.position_no.as_deref().unwrap_or_default()))?;
    let change = num
        .checked_sub(ctx.current)
        .ok_or_else(|| Refusal::invalid("num", &num.to_string(), format!("数量超出范围 num: {num}")))?;
    Ok(CountPlan { warehouse_id, spec_id, batch_id, position_id, before: ctx.current, change })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::RefusalKind;

    fn d(s: &str) -> Dec4 {
        Dec4::parse(s).unwrap()
    }

    fn count(num: &str) -> StockCount {
        StockCount {
            warehouse_no: "WH1".into(),
            spec_no: "MUG".into(),
            defect: false,
            batch_no: None,
            position_no: Some("A-01".into()),
            num: d(num),
        }
    }

    fn ctx() -> CountContext {
        CountContext {
            warehouse_id: Some(1),
            spec: Some((5, false)),
            batch_id: None,
            position_id: Some(3),
            current: d("4"),
        }
    }

    #[test]
    fn a_count_changes_the_line_by_the_difference() {
        let cases = [("7", "3"), ("0", "-4"), ("4", "0"), ("4.5", "0.5")];
        for (num, change) in cases {
            let plan = plan(&count(num), &ctx()).unwrap();
            assert_eq!((plan.before, plan.change), (d("4"), d(change)), "count {num}");
            assert_eq!((plan.warehouse_id, plan.spec_id, plan.batch_id, plan.position_id), (1, 5, 0, 3));
        }
        assert_eq!(count("1").line_name(), "WH1/MUG/正品//A-01");
    }

    #[test]
    fn refusals() {
        type Case = (&'static str, fn(&mut StockCount, &mut CountContext), RefusalKind, &'static str);
        let cases: Vec<Case> = vec![
            ("negative", |c, _| c.num = d("-1"), RefusalKind::Invalid, "数量不能为负 num: -1"),
            ("unknown warehouse", |_, x| x.warehouse_id = None, RefusalKind::NotFound, "仓库不存在 warehouse_no: WH1"),
            ("unknown spec", |_, x| x.spec = None, RefusalKind::NotFound, "商家编码不存在 spec_no: MUG"),
            (
                "fraction of an SN-managed spec",
                |c, x| {
                    c.num = d("1.5");
                    x.spec = Some((5, true));
                },
                RefusalKind::Invalid,
                "SN管理的货品数量必须为整数",
            ),
            ("unknown batch", |c, _| c.batch_no = Some("B9".into()), RefusalKind::NotFound, "批次不存在 batch_no: B9"),
            ("unknown position", |_, x| x.position_id = None, RefusalKind::NotFound, "货位不存在 position_no: A-01"),
        ];
        for (name, change, kind, text) in cases {
            let (mut c, mut x) = (count("1"), ctx());
            change(&mut c, &mut x);
            let e = plan(&c, &x).unwrap_err();
            assert_eq!(e.kind, kind, "{name}");
            assert!(e.message.contains(text), "{name}: {}", e.message);
        }
    }
}
