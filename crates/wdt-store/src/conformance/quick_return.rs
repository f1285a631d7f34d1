//! Quick return by original trade (SPEC.md §3.2): linking the trade's open refund order or
//! creating one from the trade, the sold-quantity rule, and refusals that roll back both steps.

use std::sync::Arc;

use wdt_domain::quick_return::{QuickReturn, QuickReturnLine};

use super::{DEMO, Demo, assert_verified, d, describe_ledger_row, lines_of, refusal};
use crate::{RefundOrderSummary, Store};

/// A quick return of `lines` (spec, quantity) of trade `tid` into `warehouse_no`.
fn quick(tid: &str, warehouse_no: &str, lines: &[(&str, &str)]) -> QuickReturn {
    QuickReturn {
        tid: tid.into(),
        warehouse_no: warehouse_no.into(),
        remark: "quick".into(),
        lines: lines
            .iter()
            .map(|(spec_no, num)| QuickReturnLine { spec_no: (*spec_no).into(), num: d(num), remark: String::new() })
            .collect(),
        allow_more_than_sold: false,
    }
}

/// The demo seller's refund orders of trade `tid`, oldest first.
async fn refunds_of_trade(demo: &Demo, tid: &str) -> Vec<RefundOrderSummary> {
    let mut all =
        demo.store.list_refund_orders(&crate::DocumentFilter::seller(DEMO, 1000)).await.expect("refund orders");
    all.retain(|r| r.tid == tid);
    all.reverse();
    all
}

/// A trade with a pending-review refund order: the return links to it and checks it, partial
/// then full; beyond what was sold it is refused unless allowed, and an allowed return with no
/// open refund order left gets a new one.
pub async fn a_quick_return_links_the_open_refund_order_and_checks_it(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    assert_eq!(demo.refund("TK-DEMO-4").await.status, 20);
    let one = quick("T-DEMO-4", "WH1", &[("MUG-RED", "1")]);
    let created = demo.store.create_quick_return(&demo.app, &one).await.expect("received");
    assert!(created.id > 0 && created.order_no.starts_with("RK"), "{created:?}");
    let refund = demo.refund("TK-DEMO-4").await;
    assert_eq!((refund.status, refund.stockin_status), (30, 2), "checked, partly received");
    let items: Vec<_> = refund.items.iter().map(|i| (i.oid.as_str(), i.refund_num, i.stockin_num)).collect();
    assert_eq!(items, vec![("T-DEMO-4-1", d("2"), d("1"))]);
    let order = demo.stockins().await.into_iter().find(|o| o.order_no == created.order_no).expect("listed");
    assert_eq!((order.status, order.refund_no.as_str(), order.goods_count), (80, "TK-DEMO-4", d("1")));
    // Where good MUG-RED last came in to WH1 (the opening good line's A-01; B-01 holds only
    // defect stock, which good goods do not follow), at the item price.
    let ledger = demo.store.ledger_of(DEMO, "MUG-RED").await.expect("ledger");
    let last = ledger.iter().find(|r| r.doc_no == created.order_no).map(describe_ledger_row);
    assert_eq!(last.as_deref(), Some("12 A-01 defect false: 100 + 1 = 101 at 29.98"));

    demo.store.create_quick_return(&demo.app, &one).await.expect("the rest is received");
    assert_eq!(demo.refund("TK-DEMO-4").await.stockin_status, 3);
    let before = demo.snapshot().await;
    assert_eq!(
        refusal(demo.store.create_quick_return(&demo.app, &one).await),
        "退货数量超过购买数量 商家编码: MUG-RED 购买数量: 2 已退货: 2 本次退货: 1 (createPreStockin=true 可超量退货)"
    );
    assert_eq!(demo.snapshot().await, before);
    let allowed = QuickReturn { allow_more_than_sold: true, ..one };
    demo.store.create_quick_return(&demo.app, &allowed).await.expect("allowed beyond what was sold");
    let refunds = refunds_of_trade(&demo, "T-DEMO-4").await;
    let got: Vec<_> = refunds.iter().map(|r| (r.status, r.stockin_status, r.expected, r.received)).collect();
    assert_eq!(got, vec![(30, 3, d("2"), d("2")), (30, 3, d("1"), d("1"))], "TK-DEMO-4, then a new one");
    let in_wh1: Vec<_> =
        demo.stock("MUG-RED").await.into_iter().filter(|l| l.position_no == "A-01" && !l.defect).collect();
    assert_eq!(in_wh1.iter().map(|l| l.num).collect::<Vec<_>>(), vec![d("103")]);
    let report = assert_verified(&*demo.store).await;
    assert_eq!((report.stock_lines, report.ledger_rows, report.refund_items), (6, 9, 8));
}

/// A trade without a refund order gets a new one made from the trade (its items, their prices),
/// checked and received in full; goods go to 暂存 of a warehouse without a default position.
pub async fn a_quick_return_without_a_refund_order_creates_one_from_the_trade(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let cmd = quick("T-DEMO-7", "WH2", &[("MUG-BLUE", "2"), ("RICE-KG", "2.5")]);
    let created = demo.store.create_quick_return(&demo.app, &cmd).await.expect("received");
    let order = demo.stockins().await.into_iter().find(|o| o.order_no == created.order_no).expect("listed");
    assert_eq!((order.status, order.warehouse_no.as_str(), order.goods_count), (80, "WH2", d("4.5")));
    let refund_no = order.refund_no;
    assert!(refund_no.starts_with("TK") && refund_no.len() == 12, "{refund_no}");
    let summary = &refunds_of_trade(&demo, "T-DEMO-7").await;
    assert_eq!(summary.len(), 1);
    assert_eq!((summary[0].refund_no.as_str(), summary[0].shop_no.as_str()), (refund_no.as_str(), "SHOP-POS"));
    let refund = demo.refund(&refund_no).await;
    assert_eq!((refund.status, refund.stockin_status), (30, 3), "checked, and it expects what came back");
    let items: Vec<_> = refund
        .items
        .iter()
        .map(|i| (i.oid.as_str(), i.spec_no.as_str(), i.refund_num, i.stockin_num, i.price))
        .collect();
    assert_eq!(
        items,
        vec![
            ("T-DEMO-7-1", "MUG-BLUE", d("2"), d("2"), d("25")),
            ("T-DEMO-7-2", "RICE-KG", d("2.5"), d("2.5"), d("6.5"))
        ]
    );
    assert_eq!(lines_of(&demo.stock_in("MUG-BLUE", "WH2").await), vec![("WH2", "ZANCUN", "", false, d("2"), d("25"))]);
    assert_eq!(
        lines_of(&demo.stock_in("RICE-KG", "WH2").await),
        vec![("WH2", "ZANCUN", "", false, d("2.5"), d("6.5"))]
    );
    let report = assert_verified(&*demo.store).await;
    assert_eq!((report.stock_lines, report.ledger_rows, report.refund_items), (8, 8, 9));
}

type Refused = (&'static str, bool, QuickReturn, &'static str);

#[rustfmt::skip]
fn refused_quick_returns() -> Vec<Refused> {
    let blue = [("MUG-BLUE", "1")];
    vec![
        ("unknown trade", false, quick("T-NONE", "WH1", &blue), "未找到对应的单据信息! tid: T-NONE"),
        ("unknown warehouse", false, quick("T-DEMO-7", "WH-NONE", &blue), "仓库不存在  仓库编号: WH-NONE"),
        ("external warehouse", false, quick("T-DEMO-7", "WH-EXT", &blue), "不支持外部仓库 return_warehouse_no: WH-EXT"),
        ("outsourced warehouse", false, quick("T-DEMO-7", "WH-OUT", &blue), "不支持委外仓储 return_warehouse_no: WH-OUT"),
        ("spec not of the trade", false, quick("T-DEMO-7", "WH1", &[("MUG-RED", "1")]), "货品不在原始单中 tid: T-DEMO-7 detailMapList[0].spec_no: MUG-RED"),
        ("more than sold", false, quick("T-DEMO-7", "WH1", &[("MUG-BLUE", "1"), ("MUG-BLUE", "2")]), "退货数量超过购买数量 商家编码: MUG-BLUE 购买数量: 2 已退货: 0 本次退货: 3 (createPreStockin=true 可超量退货)"),
        ("zero quantity", false, quick("T-DEMO-7", "WH1", &[("MUG-BLUE", "0")]), "数量不合法 detailMapList[0].stockin_num: 0"),
        ("no lines", false, quick("T-DEMO-7", "WH1", &[]), "detailMapList不能为空"),
        // The open refund order is found, then receiving it refuses: neither step stays.
        ("part of a serial-number spec", false, quick("T-DEMO-2", "WH1", &[("PHONE-128", "0.5")]), "SN管理的货品数量必须为整数 detailMapList[0].stockin_num: 0.5 商家编码: PHONE-128"),
        ("warehouse outside the key's scope, as unknown", true, quick("T-DEMO-1", "WH1", &[("MUG-RED", "1")]), "仓库不存在  仓库编号: WH1"),
        ("shop outside the key's scope, as unknown", true, quick("T-DEMO-7", "WH2", &blue), "未找到对应的单据信息! tid: T-DEMO-7"),
    ]
}

/// Every refusal of the table answers with the vendor's message and writes nothing: no refund
/// order is made, linked or checked, no stock moves.
pub async fn refused_quick_returns_change_nothing_and_say_why(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let before = demo.snapshot().await;
    for (name, limited, cmd, message) in refused_quick_returns() {
        let app = if limited { &demo.wh2 } else { &demo.app };
        assert_eq!(refusal(demo.store.create_quick_return(app, &cmd).await), message, "{name}");
    }
    assert_eq!(demo.snapshot().await, before, "the refusals wrote nothing");
    let report = assert_verified(&*demo.store).await;
    assert_eq!((report.ledger_rows, report.refund_items), (6, 7));
}
