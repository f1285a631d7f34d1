//! Purchase return (SPEC.md §3.3): goods leaving stock at the moving-average cost when checked,
//! a check short of stock that keeps the order unchecked or cancels it, and refusals.

use std::sync::Arc;

use wdt_domain::purchase_return::{PurchaseReturnCmd, PurchaseReturnLine};

use super::{DEMO, Demo, assert_duplicate, assert_verified, d, describe_ledger_row, lines_of, refusal};
use crate::{PurchaseReturnOutcome, Store};

/// A purchase return `outer_no` of `lines` (spec, quantity) from WH1 to provider P1.
pub(super) fn purchase_return(outer_no: &str, lines: &[(&str, &str)], check: bool) -> PurchaseReturnCmd {
    PurchaseReturnCmd {
        outer_no: outer_no.into(),
        warehouse_no: "WH1".into(),
        provider_no: "P1".into(),
        lines: lines
            .iter()
            .map(|(spec_no, num)| PurchaseReturnLine {
                spec_no: (*spec_no).into(),
                num: d(num),
                ..PurchaseReturnLine::default()
            })
            .collect(),
        check,
        ..PurchaseReturnCmd::default()
    }
}

/// What a written purchase return answered: (return number, status, why its check failed).
fn outcome(o: &PurchaseReturnOutcome) -> (&str, i64, Option<&str>) {
    (o.return_no.as_str(), o.status, o.check_failure.as_deref())
}

/// Returning exactly what is on hand empties the line, with one ledger row at the moving-average
/// cost, and the order is checked (40).
pub async fn a_checked_purchase_return_takes_goods_out_at_the_moving_average_cost(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let exact = purchase_return("PR-EXACT", &[("MUG-BLUE", "20")], true);
    let written = demo.store.create_purchase_return(&demo.app, &exact).await.expect("written");
    assert!(written.id > 0);
    assert_eq!(outcome(&written), ("PR-EXACT", 40, None));
    assert_eq!(lines_of(&demo.stock("MUG-BLUE").await), vec![("WH1", "A-02", "", false, d("0"), d("11"))]);
    let ledger = demo.store.ledger_of(DEMO, "MUG-BLUE").await.expect("ledger");
    let rows: Vec<_> = ledger.iter().filter(|r| r.doc_no == "PR-EXACT").map(describe_ledger_row).collect();
    assert_eq!(rows, ["3 A-02 defect false: 20 + -20 = 0 at 11"]);
    let listed =
        demo.store.list_purchase_returns(&crate::DocumentFilter::seller(DEMO, 10)).await.expect("purchase returns");
    let listed: Vec<_> = listed
        .iter()
        .map(|p| {
            (p.return_no.as_str(), p.provider_no.as_str(), p.warehouse_no.as_str(), p.status, p.check_failure.as_str())
        })
        .collect();
    assert_eq!(listed, vec![("PR-EXACT", "P1", "WH1", 40, "")]);
    // An unchecked one moves nothing.
    let before = demo.stock("MUG-RED").await;
    let unchecked = purchase_return("PR-LATER", &[("MUG-RED", "1")], false);
    let written = demo.store.create_purchase_return(&demo.app, &unchecked).await.expect("written");
    assert_eq!(outcome(&written), ("PR-LATER", 20, None));
    assert_eq!(demo.stock("MUG-RED").await, before);
    let report = assert_verified(&*demo.store).await;
    assert_eq!(report.ledger_rows, 7);
}

/// Purchase returns whose check comes up short, with the reason each gives: (return number,
/// command, status written).
fn short_returns() -> Vec<(&'static str, PurchaseReturnCmd, i64, &'static str)> {
    let blue = "库存不足 商家编码: MUG-BLUE (正品) 需要: 21 可用: 20";
    let mut defect = purchase_return("PR-DEFECT", &[("MUG-RED", "6")], true);
    defect.lines[0].defect = true;
    let mut batch = purchase_return("PR-BATCH", &[("MILK-1L", "49")], true);
    batch.lines[0].batch_no = Some("B2601".into());
    // Each line fits on its own, not both: the first takes 40 of the 48 in batch B2601.
    let mut both = purchase_return("PR-BOTH", &[("MILK-1L", "40"), ("MILK-1L", "10")], true);
    both.lines[1].batch_no = Some("B2601".into());
    vec![
        ("PR-SHORT", purchase_return("PR-SHORT", &[("MUG-BLUE", "21")], true), 20, blue),
        (
            "PR-CANCEL",
            PurchaseReturnCmd { check_fail_cancel: true, ..purchase_return("PR-CANCEL", &[("MUG-BLUE", "21")], true) },
            10,
            blue,
        ),
        ("PR-DEFECT", defect, 20, "库存不足 商家编码: MUG-RED (残次品) 需要: 6 可用: 5"),
        ("PR-BATCH", batch, 20, "库存不足 商家编码: MILK-1L (正品 批次 B2601) 需要: 49 可用: 48"),
        ("PR-BOTH", both, 20, "库存不足 商家编码: MILK-1L (正品 批次 B2601) 需要: 10 可用: 8"),
    ]
}

/// One unit more than on hand (of good or defect stock, of a batch, or of what the lines before
/// took): the order is written unchecked (20) with the reason, or cancelled (10) with
/// `check_fail_cancel`; no stock moves.
pub async fn a_purchase_return_short_of_stock_stays_unchecked_or_is_cancelled(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let before = demo.goods().await;
    let cases = short_returns();
    for (return_no, cmd, status, reason) in &cases {
        let written = demo.store.create_purchase_return(&demo.app, cmd).await.expect("written");
        assert_eq!(outcome(&written), (*return_no, *status, Some(*reason)), "{return_no}");
    }
    assert_eq!(demo.goods().await, before, "no stock moved");
    let listed =
        demo.store.list_purchase_returns(&crate::DocumentFilter::seller(DEMO, 10)).await.expect("purchase returns");
    let listed: Vec<_> = listed.iter().map(|p| (p.return_no.as_str(), p.status, p.check_failure.as_str())).collect();
    let mut expected: Vec<_> = cases.iter().map(|(no, _, status, reason)| (*no, *status, *reason)).collect();
    expected.reverse();
    assert_eq!(listed, expected, "newest first, each with why its check failed");
    assert_verified(&*demo.store).await;
}

/// A unit converts by its ratio, defect lines take defect stock, a batch only its own stock; each
/// ledger row carries the warehouse's moving-average cost.
pub async fn units_defects_and_batches_leave_the_right_lines(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let mut cmd = purchase_return("PR-MIX", &[("MUG-RED", "1"), ("MUG-RED", "5"), ("MILK-1L", "1")], true);
    cmd.logistics_no = Some("DBL".into());
    cmd.ref_purchase_nos = vec!["CG-DEMO-1".into()];
    cmd.lines[0].unit_name = Some("箱".into());
    cmd.lines[0].price = Some(d("96"));
    cmd.lines[0].discount = Some(d("0.9"));
    cmd.lines[0].tax_rate = Some(d("0.13"));
    cmd.lines[1].defect = true;
    cmd.lines[2].unit_name = Some("箱".into());
    cmd.lines[2].batch_no = Some("B2601".into());
    let written = demo.store.create_purchase_return(&demo.app, &cmd).await.expect("written");
    assert_eq!(outcome(&written), ("PR-MIX", 40, None));
    assert_eq!(
        lines_of(&demo.stock("MUG-RED").await),
        vec![("WH1", "A-01", "", false, d("88"), d("10.5")), ("WH1", "B-01", "", true, d("0"), d("10.5"))],
        "one box of 12, and the defect stock"
    );
    assert_eq!(lines_of(&demo.stock("MILK-1L").await), vec![("WH1", "A-01", "B2601", false, d("36"), d("4.2"))]);
    let mut rows = Vec::new();
    for spec in ["MUG-RED", "MILK-1L"] {
        let ledger = demo.store.ledger_of(DEMO, spec).await.expect("ledger");
        rows.extend(ledger.iter().filter(|r| r.doc_no == "PR-MIX").map(describe_ledger_row));
    }
    assert_eq!(
        rows,
        [
            "3 A-01 defect false: 100 + -12 = 88 at 10.5",
            "3 B-01 defect true: 5 + -5 = 0 at 10.5",
            "3 A-01 defect false: 48 + -12 = 36 at 4.2"
        ]
    );
    let report = assert_verified(&*demo.store).await;
    assert_eq!(report.ledger_rows, 9);
}

type Refused = (&'static str, fn(&mut PurchaseReturnCmd), &'static str);

#[rustfmt::skip]
fn refused_purchase_returns() -> Vec<Refused> {
    vec![
        ("unknown warehouse", |c| c.warehouse_no = "WH-NONE".into(), "仓库不存在  仓库编号: WH-NONE"),
        ("unknown provider", |c| c.provider_no = "P9".into(), "供应商不存在 provider_no: P9"),
        ("logistics not for purchases", |c| c.logistics_no = Some("YTO".into()), "不存在物流编码为 YTO 的物流公司或业务类型错误!"),
        ("editing purchase order", |c| c.ref_purchase_nos = vec!["CG-DEMO-2".into()], "采购单状态要大于已审核 ref_purchase_nos[0]: CG-DEMO-2"),
        ("another provider's purchase order", |c| c.ref_purchase_nos = vec!["CG-DEMO-3".into()], "采购单不属于该供应商 ref_purchase_nos[0]: CG-DEMO-3 provider_no: P1"),
        ("unknown purchase order", |c| c.ref_purchase_nos = vec!["CG-DEMO-1".into(), "CG-NONE".into()], "采购单不存在 ref_purchase_nos[1]: CG-NONE"),
        ("no lines", |c| c.lines.clear(), "detailList不能为空"),
        ("unknown spec", |c| c.lines[0].spec_no = "NOPE".into(), "商家编码不存在 detailList[0].spec_no: NOPE"),
        ("zero quantity", |c| c.lines[0].num = d("0"), "数量不合法 detailList[0].num: 0"),
        ("zero discount", |c| c.lines[0].discount = Some(d("0")), "折扣应大于0 detailList[0].discount: 0"),
        ("discount over 1", |c| c.lines[0].discount = Some(d("1.5")), "折扣不能大于1 detailList[0].discount: 1.5"),
        ("unknown unit", |c| c.lines[0].unit_name = Some("盒".into()), "单位不存在 detailList[0].unit_name: 盒 商家编码: MUG-RED"),
        ("another spec's batch", |c| c.lines[0].batch_no = Some("B2601".into()), "批次 B2601 不存在或已停用 detailList[0].batch_no 商家编码: MUG-RED"),
        ("the same line twice", |c| c.lines.push(c.lines[0].clone()), "货品 MUG-RED 重复! detailList[1]"),
    ]
}

/// Every refusal of the table answers with the vendor's message and writes nothing; the refused
/// outer number stays free, and once used it is refused.
pub async fn refused_purchase_returns_write_nothing_and_say_why(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let base = || purchase_return("PR-BAD", &[("MUG-RED", "1")], true);
    let before = demo.snapshot().await;
    for (name, change, message) in refused_purchase_returns() {
        let mut cmd = base();
        change(&mut cmd);
        assert_eq!(refusal(demo.store.create_purchase_return(&demo.app, &cmd).await), message, "{name}");
    }
    let outside = demo.store.create_purchase_return(&demo.wh2, &base()).await;
    assert_eq!(refusal(outside), "仓库不存在  仓库编号: WH1", "warehouse outside the key's scope, as unknown");
    // CG-DEMO-1 is WH1's: a return from WH2 may not name it, and a key limited to WH2 does not
    // learn that it exists.
    let from_wh2 = || PurchaseReturnCmd {
        warehouse_no: "WH2".into(),
        ref_purchase_nos: vec!["CG-DEMO-1".into()],
        ..purchase_return("PR-WH2", &[("MUG-RED", "1")], false)
    };
    let other_warehouse = refusal(demo.store.create_purchase_return(&demo.app, &from_wh2()).await);
    assert_eq!(other_warehouse, "采购单不属于该仓库 ref_purchase_nos[0]: CG-DEMO-1 warehouse_no: WH2");
    let unseen = refusal(demo.store.create_purchase_return(&demo.wh2, &from_wh2()).await);
    assert_eq!(unseen, "采购单不存在 ref_purchase_nos[0]: CG-DEMO-1", "as an unknown purchase order");
    assert_eq!(demo.snapshot().await, before, "the refusals wrote nothing");
    let written = demo.store.create_purchase_return(&demo.app, &base()).await.expect("PR-BAD is free");
    assert_eq!(outcome(&written), ("PR-BAD", 40, None));
    let after = demo.snapshot().await;
    assert_duplicate(demo.store.create_purchase_return(&demo.app, &base()).await, "outer_no", "PR-BAD");
    assert_eq!(demo.snapshot().await, after);
    assert_verified(&*demo.store).await;
}
