//! Lists longer than a database's limit on bound parameters (SQLite's 32,766) answer as short
//! lists do: a refusal by rule, or the write, never a database error.

use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::purchase_return::PurchaseReturnCmd;
use wdt_domain::refund_stockin::{OPENAPI2_FIELDS, ReturnStockin};

use super::purchase_return::purchase_return;
use super::{DEMO_FIXTURE, Demo, assert_verified, d, line, receipt, refusal};
use crate::Store;

/// A purchase return naming purchase orders none of which exist is refused naming the first,
/// whether it names 3 or 17,000 (each number a parameter of the lookup, spelled out or not).
pub async fn a_purchase_return_naming_thousands_of_purchase_orders_is_refused_by_rule(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    for count in [3, 1024, 1025, 17_000] {
        let nos: Vec<String> = (0..count).map(|i| format!("CG-NONE-{i}")).collect();
        let cmd = PurchaseReturnCmd {
            ref_purchase_nos: nos,
            ..purchase_return(&format!("PR-MANY-{count}"), &[("MUG-BLUE", "1")], false)
        };
        let refused = refusal(demo.store.create_purchase_return(&demo.app, &cmd).await);
        assert_eq!(refused, "采购单不存在 ref_purchase_nos[0]: CG-NONE-0", "{count} purchase orders");
    }
}

/// A refund order expecting 16,385 serial-numbered phones receives them in one push (16,385
/// serial numbers, padded past 32,768 parameters if spelled out), and every one is then in stock.
pub async fn a_push_with_sixteen_thousand_serial_numbers_is_received(store: Arc<dyn Store>) {
    let mut fixture = Fixture::parse(DEMO_FIXTURE).expect("the demo fixture");
    let phones = d("16385");
    let trade = fixture.trades.iter_mut().find(|t| t.tid == "T-DEMO-2").expect("T-DEMO-2");
    trade.items[0].num = phones;
    let refund = fixture.refund_orders.iter_mut().find(|r| r.refund_no == "TK-DEMO-2").expect("TK-DEMO-2");
    refund.items[0].refund_num = phones;
    let demo = Demo::load(store, &fixture).await;
    let before: usize = demo.stock_in("PHONE-128", "WH1").await.len();

    let mut push =
        ReturnStockin { fields: OPENAPI2_FIELDS, ..receipt("TK-DEMO-2", "WH1", vec![line("PHONE-128", "16385")]) };
    push.lines[0].sn = (0..16_385).map(|i| format!("SN-BULK-{i:05}")).collect();
    demo.store.create_return_stockin(&demo.ent, &push).await.expect("16,385 serial numbers received");
    assert_eq!(demo.refund("TK-DEMO-2").await.stockin_status, 3, "fully received");
    let lines = demo.stock_in("PHONE-128", "WH1").await;
    assert!(lines.len() >= before.max(1), "{lines:?}");
    let on_hand = lines.iter().fold(d("0"), |a, l| a.checked_add(l.num).expect("a quantity"));
    assert!(on_hand >= phones, "{on_hand}");
    assert_verified(&*demo.store).await;
}
