//! Return stock-in (SPEC.md §3.1): what a checked push moves, what an unchecked one does not,
//! and that every refusal, a repeated outer number included, changes nothing.

use std::sync::Arc;

use wdt_domain::fixture::Fixture;
use wdt_domain::model::Scope;
use wdt_domain::model::StockinStatus;
use wdt_domain::query::{QueryParams, StockinQuery};
use wdt_domain::refund_stockin::{OPENAPI2_FIELDS, ReturnStockin};
use wdt_protocol::Dialect;
use wdt_protocol::time::{format_wire_time, now_ms};

use super::{
    DEMO, Demo, SPEC_EXAMPLE_FIXTURE, app_of, assert_duplicate, assert_verified, d, line, lines_of, receipt, refusal,
};
use crate::Store;

/// Ledger rows of the demo seller's `spec_no` written by document `doc_no`, as
/// "type position defect: before + change = after at cost".
async fn ledger_of_doc(demo: &Demo, spec_no: &str, doc_no: &str) -> Vec<String> {
    let rows = demo.store.ledger_of(DEMO, spec_no).await.expect("ledger");
    rows.iter().filter(|r| r.doc_no == doc_no).map(super::describe_ledger_row).collect()
}

/// A checked push moves stock to the given position (or the spec's last one), writes a ledger
/// row per line at its stock-in price (the refund item's when none is given), moves the
/// moving-average cost, and advances the refund order from partial to full; a push to a refund
/// order received in full is refused.
pub async fn a_checked_stockin_moves_stock_ledger_cost_and_refund_progress(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let mut cmd = receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "2"), line("MUG-RED", "1")]);
    cmd.lines[0].position_no = Some("A-02".into());
    cmd.lines[1].defect = true;
    cmd.lines[1].price = Some(d("12.5"));
    let created = demo.store.create_return_stockin(&demo.app, &cmd).await.expect("received");
    assert!(created.id > 0 && created.order_no.starts_with("RK") && created.order_no.len() == 14, "{created:?}");

    // 105 on hand at 10.5; +2 at 29.98 → 10.8641; +1 at 12.5 → 10.8792.
    let cost = d("10.8792");
    assert_eq!(
        lines_of(&demo.stock("MUG-RED").await),
        vec![
            ("WH1", "A-01", "", false, d("100"), cost),
            ("WH1", "A-02", "", false, d("2"), cost),
            // No position given: the one this spec last came in at (the opening defect line).
            ("WH1", "B-01", "", true, d("6"), cost),
        ]
    );
    assert_eq!(
        ledger_of_doc(&demo, "MUG-RED", &created.order_no).await,
        ["12 A-02 defect false: 0 + 2 = 2 at 29.98", "12 B-01 defect true: 5 + 1 = 6 at 12.5"]
    );
    let lines = demo.store.stockin_lines(DEMO, &created.order_no).await.expect("lines");
    let lines: Vec<_> = lines.iter().map(|l| (l.position_no.as_str(), l.defect, l.num, l.price)).collect();
    assert_eq!(lines, vec![("A-02", false, d("2"), d("29.98")), ("B-01", true, d("1"), d("12.5"))]);
    let orders = demo.stockins().await;
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(
        (order.order_no.as_str(), order.status, order.refund_no.as_str()),
        (&*created.order_no, 80, "TK-DEMO-1")
    );
    assert_eq!((order.warehouse_no.as_str(), order.goods_count), ("WH1", d("3")));
    assert!(order.check_time.is_some(), "a checked order has a check time");

    let refund = demo.refund("TK-DEMO-1").await;
    assert_eq!((refund.status, refund.stockin_status), (30, 2), "partial: MUG-BLUE still expected");
    let items: Vec<_> = refund.items.iter().map(|i| (i.oid.as_str(), i.refund_num, i.stockin_num, i.price)).collect();
    assert_eq!(items, vec![("T-DEMO-1-1", d("3"), d("3"), d("29.98")), ("T-DEMO-1-2", d("1"), d("0"), d("25"))]);

    // The rest arrives: full. 20 on hand at 11, +1 at 25 → 11.6667.
    let rest = receipt("TK-DEMO-1", "WH1", vec![line("MUG-BLUE", "1")]);
    demo.store.create_return_stockin(&demo.app, &rest).await.expect("the rest is received");
    assert_eq!(demo.refund("TK-DEMO-1").await.stockin_status, 3);
    assert_eq!(lines_of(&demo.stock("MUG-BLUE").await), vec![("WH1", "A-02", "", false, d("21"), d("11.6667"))]);
    let before = demo.snapshot().await;
    let again = demo.store.create_return_stockin(&demo.app, &rest).await;
    assert_eq!(refusal(again), "退换单已全部入库 退换单号: TK-DEMO-1");
    assert_eq!(demo.snapshot().await, before);
    let report = assert_verified(&*demo.store).await;
    assert_eq!((report.stock_lines, report.ledger_rows), (7, 9), "one new line; three receipt rows");
}

/// Editing and pending-review orders are written with their status and move nothing: no stock,
/// no ledger row, no refund progress, and nothing reserved for them.
pub async fn unchecked_stockins_move_nothing_and_reserve_nothing(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let before = demo.goods().await;
    for status in [StockinStatus::Editing, StockinStatus::PendingReview] {
        let cmd = ReturnStockin { status, ..receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "3")]) };
        demo.store.create_return_stockin(&demo.app, &cmd).await.expect("an unchecked order is written");
    }
    assert_eq!(demo.goods().await, before);
    let orders = demo.stockins().await;
    let statuses: Vec<_> = orders.iter().map(|o| (o.status, o.goods_count, o.check_time)).collect();
    assert_eq!(statuses, vec![(30, d("3"), None), (20, d("3"), None)], "newest first");
    // All three units are still expected.
    let cmd = receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "3")]);
    demo.store.create_return_stockin(&demo.app, &cmd).await.expect("nothing was reserved");
    assert_eq!(demo.refund("TK-DEMO-1").await.items[0].stockin_num, d("3"));
    let report = assert_verified(&*demo.store).await;
    assert_eq!(report.ledger_rows, 7, "only the checked order wrote a row");
}

/// Which of the demo credentials pushes.
#[derive(Clone, Copy)]
enum Key {
    /// `demo-qjb`, unlimited.
    All,
    /// `demo-qjb-wh2`: WH2 and SHOP-OWN only.
    Wh2,
}

type Refused = (&'static str, Key, fn(&mut ReturnStockin), &'static str);

#[rustfmt::skip]
fn refused_stockins() -> Vec<Refused> {
    use Key::{All, Wh2};
    vec![
        ("unknown refund order", All, |c| c.refund_no = "TK-NONE".into(), "退换单不存在 退换单号: TK-NONE"),
        ("cancelled refund order", All, |c| c.refund_no = "TK-DEMO-6".into(), "退换单已取消 退换单号: TK-DEMO-6"),
        ("pending-review refund order", All, |c| c.refund_no = "TK-DEMO-4".into(), "退换单未审核,不是待收货状态 退换单号: TK-DEMO-4"),
        ("unknown warehouse", All, |c| c.warehouse_no = "WH-NONE".into(), "仓库不存在  仓库编号: WH-NONE"),
        ("outsourced warehouse", All, |c| c.warehouse_no = "WH-OUT".into(), "不支持委外仓储 仓库编号: WH-OUT"),
        ("unknown logistics", All, |c| c.logistics_code = Some("ZZ".into()), "不存在物流编码为 ZZ 的物流公司或业务类型错误!"),
        ("logistics for purchases only", All, |c| c.logistics_code = Some("DBL".into()), "不存在物流编码为 DBL 的物流公司或业务类型错误!"),
        ("no lines", All, |c| c.lines.clear(), "detail_list不能为空"),
        ("unknown spec", All, |c| c.lines[0].spec_no = "NOPE".into(), "商家编码不存在 detail_list[0].spec_no: NOPE"),
        ("spec not on the refund order", All, |c| c.lines[0].spec_no = "RICE-KG".into(), "货品不在退换单中 退换单号: TK-DEMO-1 detail_list[0].spec_no: RICE-KG"),
        ("zero quantity", All, |c| c.lines[0].num = d("0"), "数量不合法 detail_list[0].num: 0"),
        ("over-receipt", All, |c| c.lines[0].num = d("4"), "入库数量超过退换单待入库数量 商家编码: MUG-RED 退换数量: 3 待入库数量: 3 本次入库: 4"),
        ("over-receipt over two lines", All, |c| c.lines = vec![line("MUG-RED", "2"), line("MUG-RED", "1.5")], "入库数量超过退换单待入库数量 商家编码: MUG-RED 退换数量: 3 待入库数量: 3 本次入库: 3.5"),
        ("unknown position", All, |c| c.lines[0].position_no = Some("Z-9".into()), "货位不存在 仓库编号: WH1 detail_list[0].position_no: Z-9"),
        ("another warehouse's position", All, |c| c.lines[0].position_no = Some("R-01".into()), "货位不存在 仓库编号: WH1 detail_list[0].position_no: R-01"),
        ("unknown batch", All, |c| c.lines[0].batch_no = Some("NOB".into()), "批次 NOB 不存在或已停用 detail_list[0].batch_no 商家编码: MUG-RED (传 is_create_batch=true 可自动创建)"),
        ("another spec's batch", All, |c| c.lines[0].batch_no = Some("B2601".into()), "批次 B2601 不存在或已停用 detail_list[0].batch_no 商家编码: MUG-RED (传 is_create_batch=true 可自动创建)"),
        ("unparsable date", All, |c| c.lines[0].expire_date = Some("2026/01/01".into()), "detail_list[0].expire_date: Unparseable date: 2026/01/01"),
        ("negative price", All, |c| c.lines[0].price = Some(d("-2")), "价格不合法 detail_list[0].stockin_price: -2"),
        ("openapi2 names its own fields", All, |c| { c.fields = OPENAPI2_FIELDS; c.lines[0].num = d("0") }, "数量不合法 detail_list[0].stockin_num: 0"),
        ("openapi2 batch flag", All, |c| { c.fields = OPENAPI2_FIELDS; c.lines[0].batch_no = Some("NOB".into()) }, "批次 NOB 不存在或已停用 detail_list[0].batch_no 商家编码: MUG-RED (传 is_created_batch=true 可自动创建)"),
        ("serial numbers on a checked qjb order", All, |c| phone(c, StockinStatus::Completed, "1", &["SN-9"]), "传入sn信息时create_mode需要为0 detail_list[0].sn_strings: SN-9"),
        ("serial numbers not matching the quantity", All, |c| phone(c, StockinStatus::Editing, "1", &["SN-8", "SN-9"]), "SN数量与入库数量不一致 detail_list[0].sn_strings: 2 个 num: 1"),
        ("a serial number in stock", All, |c| phone(c, StockinStatus::Editing, "1", &["SN-0001"]), "SN已在库 detail_list[0].sn_strings: SN-0001 商家编码: PHONE-128"),
        ("part of a serial-number spec", All, |c| phone(c, StockinStatus::Editing, "0.5", &[]), "SN管理的货品数量必须为整数 detail_list[0].num: 0.5 商家编码: PHONE-128"),
        ("warehouse outside the key's scope, as unknown", Wh2, |_| {}, "仓库不存在  仓库编号: WH1"),
        ("shop outside the key's scope, as unknown", Wh2, |c| { c.warehouse_no = "WH2".into(); phone(c, StockinStatus::Editing, "1", &[]) }, "退换单不存在 退换单号: TK-DEMO-2"),
    ]
}

/// One PHONE-128 (serial-number managed) line against TK-DEMO-2 with status `status`.
fn phone(cmd: &mut ReturnStockin, status: StockinStatus, num: &str, sns: &[&str]) {
    cmd.refund_no = "TK-DEMO-2".into();
    cmd.status = status;
    cmd.lines = vec![line("PHONE-128", num)];
    cmd.lines[0].sn = sns.iter().map(|s| (*s).to_owned()).collect();
}

/// Every refusal of the table answers with the vendor's message naming field and value, and
/// writes nothing; the refused outer number stays free.
pub async fn refused_stockins_change_nothing_and_say_why(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let base =
        || ReturnStockin { outer_no: Some("BAD-1".into()), ..receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "1")]) };
    let before = demo.snapshot().await;
    for (name, key, change, message) in refused_stockins() {
        let mut cmd = base();
        change(&mut cmd);
        let app = match key {
            Key::All => &demo.app,
            Key::Wh2 => &demo.wh2,
        };
        let got = refusal(demo.store.create_return_stockin(app, &cmd).await);
        assert_eq!(got, message, "{name}");
    }
    assert_eq!(demo.snapshot().await, before, "the refusals wrote nothing");
    demo.store.create_return_stockin(&demo.app, &base()).await.expect("the refused outer number was never taken");
    assert_verified(&*demo.store).await;
}

/// A second push with a used outer number is refused before anything else, in either dialect,
/// whatever else it holds, and changes nothing; outer numbers are unique per seller only.
pub async fn a_repeated_outer_number_changes_nothing(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let first =
        ReturnStockin { outer_no: Some("OUT-1".into()), ..receipt("TK-DEMO-1", "WH1", vec![line("MUG-RED", "1")]) };
    demo.store.create_return_stockin(&demo.app, &first).await.expect("the first push is received");
    let before = demo.snapshot().await;
    assert_duplicate(demo.store.create_return_stockin(&demo.app, &first).await, "out_stockin_no", "OUT-1");
    let openapi2 = ReturnStockin { fields: OPENAPI2_FIELDS, refund_no: "TK-DEMO-3".into(), ..first.clone() };
    assert_duplicate(demo.store.create_return_stockin(&demo.ent, &openapi2).await, "outer_no", "OUT-1");
    let unknown = ReturnStockin { refund_no: "TK-NONE".into(), ..first.clone() };
    assert_duplicate(demo.store.create_return_stockin(&demo.app, &unknown).await, "out_stockin_no", "OUT-1");
    let pending = ReturnStockin { status: StockinStatus::PendingReview, ..first.clone() };
    assert_duplicate(demo.store.create_return_stockin(&demo.app, &pending).await, "out_stockin_no", "OUT-1");
    assert_eq!(demo.snapshot().await, before, "the repeated pushes wrote nothing");

    // Another seller's outer numbers are its own.
    demo.store.import_fixture(&Fixture::parse(SPEC_EXAMPLE_FIXTURE).expect("fixture")).await.expect("import");
    let acme = app_of(&*demo.store, "acme", Dialect::Qjb, "acme-qjb").await;
    let theirs = ReturnStockin { refund_no: "TK1".into(), ..first };
    demo.store.create_return_stockin(&acme, &theirs).await.expect("OUT-1 is free for another seller");
    assert_eq!(demo.snapshot().await, before, "the other seller's push is not the demo seller's");
    assert_eq!(demo.refund("TK-DEMO-1").await.items[0].stockin_num, d("1"));
    assert_verified(&*demo.store).await;
}

/// Batches are created on request with their dates, existing ones are found by spec; lines
/// without a position go to the spec's last position in that warehouse, else to 暂存; serial
/// numbers are taken on an editing order.
pub async fn batches_positions_and_serial_numbers(store: Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let mut milk = receipt("TK-DEMO-3", "WH1", vec![line("MILK-1L", "2"), line("MILK-1L", "1")]);
    milk.fields = OPENAPI2_FIELDS;
    milk.create_batches = true;
    milk.lines[0].batch_no = Some("B2602".into());
    milk.lines[0].production_date = Some("2026-02-01 00:00:00".into());
    milk.lines[0].expire_date = Some("2026-08-01".into());
    milk.lines[1].batch_no = Some("B2601".into());
    milk.lines[1].position_no = Some("B-01".into());
    // Other dates for an existing batch: the batch's own stand.
    milk.lines[1].expire_date = Some("2027-01-01 00:00:00".into());
    let created = demo.store.create_return_stockin(&demo.ent, &milk).await.expect("received");
    let (from, to) = (now_ms() - 60_000, now_ms() + 60_000);
    let (from, to) = (format_wire_time(from), format_wire_time(to));
    let window = QueryParams { start_time: &from, end_time: &to, ..QueryParams::default() };
    let query = StockinQuery::check(&window, 100, 0, false, &Scope::default()).expect("a valid query");
    let page = demo.store.query_return_stockins(DEMO, &query).await.expect("query");
    let order = page.order.iter().find(|o| o.order_no == created.order_no).expect("the stock-in");
    let dates: Vec<_> = order
        .details_list
        .iter()
        .map(|l| (l.batch_no.as_str(), l.production_date.as_str(), l.expire_date.as_str()))
        .collect();
    assert_eq!(
        dates,
        vec![
            ("B2602", "2026-02-01 00:00:00", "2026-08-01 00:00:00"),
            ("B2601", "2026-01-01 00:00:00", "2026-06-30 00:00:00")
        ],
        "each line shows its batch's dates"
    );
    // 48 on hand at 4.2; +2 at 9.9 → 4.428; +1 at 9.9 → 4.5353.
    let cost = d("4.5353");
    assert_eq!(
        lines_of(&demo.stock("MILK-1L").await),
        vec![
            ("WH1", "A-01", "B2601", false, d("48"), cost),
            ("WH1", "B-01", "B2601", false, d("1"), cost),
            ("WH1", "A-01", "B2602", false, d("2"), cost),
        ]
    );
    let refund = demo.refund("TK-DEMO-3").await;
    assert_eq!((refund.stockin_status, refund.items[0].stockin_num), (2, d("5")), "2 opening + 3 now");

    // WH2 has no default position and no stock of these specs: 暂存, then the last position.
    let mut first = receipt("TK-DEMO-1", "WH2", vec![line("MUG-BLUE", "1"), line("MUG-RED", "1")]);
    first.lines[1].position_no = Some("R-01".into());
    demo.store.create_return_stockin(&demo.app, &first).await.expect("received");
    let second = receipt("TK-DEMO-1", "WH2", vec![line("MUG-RED", "1")]);
    demo.store.create_return_stockin(&demo.app, &second).await.expect("received");
    assert_eq!(lines_of(&demo.stock_in("MUG-BLUE", "WH2").await), vec![("WH2", "ZANCUN", "", false, d("1"), d("25"))]);
    assert_eq!(lines_of(&demo.stock_in("MUG-RED", "WH2").await), vec![("WH2", "R-01", "", false, d("2"), d("29.98"))]);

    let mut sn = receipt("TK-DEMO-2", "WH1", vec![line("PHONE-128", "1")]);
    sn.status = StockinStatus::Editing;
    sn.lines[0].sn = vec!["SN-9".into()];
    let created = demo.store.create_return_stockin(&demo.app, &sn).await.expect("serial numbers on an editing order");
    let order = demo.stockins().await.into_iter().find(|o| o.order_no == created.order_no).expect("listed");
    assert_eq!((order.status, order.refund_no.as_str()), (20, "TK-DEMO-2"));
    assert_eq!(demo.refund("TK-DEMO-2").await.items[0].stockin_num, d("0"));
    let report = assert_verified(&*demo.store).await;
    assert_eq!((report.stock_lines, report.ledger_rows), (10, 11));
}
