//! One accepted and one refused case per rule of SPEC.md §3.1.

use std::collections::{HashMap, HashSet};

use wdt_domain::model::{RefundOrderStatus, RefundReceiptState, Scope, StockinStatus, WarehouseKind};
use wdt_domain::refund_stockin::*;
use wdt_protocol::{ApiError, Dec4};

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

const MUG: i64 = 1;
const PHONE: i64 = 2;
const OTHER: i64 = 3;

fn ctx() -> ReturnContext {
    ReturnContext {
        refund: Some(RefundOrderState {
            id: 7,
            refund_no: "TK1".into(),
            status: RefundOrderStatus::Checked,
            shop_no: "S1".into(),
            shop_id: 3,
            receipt: wdt_domain::model::RefundReceiptState::Awaiting,
            items: vec![
                RefundItemState { id: 11, spec_id: MUG, refund_num: d("3"), stockin_num: d("0"), price: d("29.98") },
                RefundItemState { id: 12, spec_id: MUG, refund_num: d("2"), stockin_num: d("0"), price: d("20") },
                RefundItemState { id: 13, spec_id: PHONE, refund_num: d("2"), stockin_num: d("0"), price: d("2999") },
            ],
        }),
        warehouse: Some(WarehouseState {
            id: 100,
            warehouse_no: "W1".into(),
            kind: WarehouseKind::Normal,
            default_position_id: Some(1001),
            temporary_position_id: 1009,
        }),
        scope: Scope::default(),
        specs: HashMap::from([
            ("MUG".to_owned(), SpecState { id: MUG, sn_managed: false }),
            ("PHONE".to_owned(), SpecState { id: PHONE, sn_managed: true }),
            ("OTHER".to_owned(), SpecState { id: OTHER, sn_managed: false }),
        ]),
        positions: HashMap::from([("A-01".to_owned(), 1001), ("A-02".to_owned(), 1002)]),
        last_positions: HashMap::new(),
        batches: HashMap::from([((MUG, "B1".to_owned()), 500)]),
        batch_dates: HashMap::from([(500, (Some(1_700_000_000_000), Some(1_800_000_000_000)))]),
        sns_in_stock: HashSet::from([(PHONE, "SN-IN".to_owned())]),
        logistics_id: None,
        on_hand: HashMap::from([(MUG, (d("10"), d("10")))]),
        outer_no_taken: false,
    }
}

fn line(spec: &str, num: &str) -> ReturnLine {
    ReturnLine { spec_no: spec.into(), num: d(num), ..ReturnLine::default() }
}

fn cmd() -> ReturnStockin {
    ReturnStockin {
        outer_no: Some("OUT-1".into()),
        ..ReturnStockin::checked("TK1".into(), "W1".into(), vec![line("MUG", "1")], QJB_FIELDS)
    }
}

type Case = (&'static str, fn(&mut ReturnStockin, &mut ReturnContext), Result<fn(&ReturnPlan), &'static str>);

#[test]
fn each_rule_accepts_and_refuses() {
    let cases: Vec<Case> = vec![
        (
            "a checked refund order awaiting goods is received",
            |_, _| {},
            Ok(|p| {
                assert_eq!(p.status, StockinStatus::Completed);
                assert_eq!(p.refund_progress, vec![(11, d("1"))]);
                assert_eq!(p.receipt, Some(RefundReceiptState::Partial));
                assert_eq!(p.stock_changes.len(), 1);
                assert_eq!(p.details[0].price, d("29.98"));
            }),
        ),
        ("unknown refund order", |_, c| c.refund = None, Err("退换单不存在 退换单号: TK1")),
        (
            "a refund order that expects no goods",
            |_, c| c.refund.as_mut().unwrap().receipt = RefundReceiptState::NotExpected,
            Err("退换单无需入库 退换单号: TK1"),
        ),
        (
            "a refund order whose receiving was ended",
            |_, c| c.refund.as_mut().unwrap().receipt = RefundReceiptState::Ended,
            Err("退换单已终止入库 退换单号: TK1"),
        ),
        (
            "cancelled refund order",
            |_, c| c.refund.as_mut().unwrap().status = RefundOrderStatus::Cancelled,
            Err("退换单已取消"),
        ),
        (
            "pending-review refund order",
            |_, c| c.refund.as_mut().unwrap().status = RefundOrderStatus::PendingReview,
            Err("未审核"),
        ),
        (
            "fully received refund order",
            |_, c| {
                for it in &mut c.refund.as_mut().unwrap().items {
                    it.stockin_num = it.refund_num;
                }
            },
            Err("已全部入库"),
        ),
        ("unknown warehouse", |_, c| c.warehouse = None, Err("仓库不存在  仓库编号: W1")),
        (
            "outsourced warehouse",
            |_, c| c.warehouse.as_mut().unwrap().kind = WarehouseKind::Outsourced,
            Err("不支持委外仓储"),
        ),
        (
            "external warehouse is accepted",
            |_, c| c.warehouse.as_mut().unwrap().kind = WarehouseKind::External,
            Ok(|_| {}),
        ),
        (
            "warehouse outside the key's scope answers as unknown",
            |_, c| c.scope.warehouses = Some(vec!["W2".into()]),
            Err("仓库不存在  仓库编号: W1"),
        ),
        ("warehouse inside the key's scope", |_, c| c.scope.warehouses = Some(vec!["W1".into()]), Ok(|_| {})),
        (
            "a cancelled refund order of a shop outside the key's scope answers as unknown",
            |_, c| {
                c.scope.shops = Some(vec!["S2".into()]);
                c.refund.as_mut().unwrap().status = RefundOrderStatus::Cancelled;
            },
            Err("退换单不存在 退换单号: TK1"),
        ),
        ("unknown spec", |m, _| m.lines = vec![line("NOPE", "1")], Err("商家编码不存在 detail_list[0].spec_no: NOPE")),
        ("spec not on the refund order", |m, _| m.lines = vec![line("OTHER", "1")], Err("货品不在退换单中")),
        (
            "more than still expected",
            |m, _| m.lines = vec![line("MUG", "3"), line("MUG", "2.5")],
            Err("待入库数量: 5 本次入库: 5.5"),
        ),
        (
            "exactly what is expected, across two items",
            |m, _| m.lines = vec![line("MUG", "4"), line("MUG", "1")],
            Ok(|p| {
                assert_eq!(p.details[0].links, vec![(11, d("3")), (12, d("1"))]);
                assert_eq!(p.details[1].links, vec![(12, d("1"))]);
                assert_eq!(p.refund_progress, vec![(11, d("3")), (12, d("2"))]);
                assert_eq!(p.details[0].refund_amount, d("109.94"));
                assert_eq!(p.details[0].expect_num, d("5"));
            }),
        ),
        ("zero quantity", |m, _| m.lines = vec![line("MUG", "0")], Err("数量不合法 detail_list[0].num: 0")),
        ("negative quantity", |m, _| m.lines = vec![line("MUG", "-1")], Err("数量不合法")),
        (
            "fractional quantity of a plain spec",
            |m, _| m.lines = vec![line("MUG", "0.5")],
            Ok(|p| assert_eq!(p.goods_count, d("0.5"))),
        ),
        (
            "fractional quantity of an SN-managed spec",
            |m, _| m.lines = vec![line("PHONE", "1.5")],
            Err("SN管理的货品数量必须为整数"),
        ),
        (
            "known position",
            |m, _| m.lines[0].position_no = Some("A-02".into()),
            Ok(|p| assert_eq!(p.details[0].position_id, 1002)),
        ),
        (
            "unknown position",
            |m, _| m.lines[0].position_no = Some("Z-99".into()),
            Err("货位不存在 仓库编号: W1 detail_list[0].position_no: Z-99"),
        ),
        (
            "no position: last position of this spec",
            |_, c| {
                c.last_positions.insert((MUG, false), 1002);
            },
            Ok(|p| assert_eq!(p.details[0].position_id, 1002)),
        ),
        (
            "no position: the last position of defect stock does not count for good goods",
            |_, c| {
                c.last_positions.insert((MUG, true), 1002);
            },
            Ok(|p| assert_eq!(p.details[0].position_id, 1001)),
        ),
        (
            "no position: defect goods go where defect stock of the spec last came in",
            |m, c| {
                m.lines[0].defect = true;
                c.last_positions.insert((MUG, true), 1002);
                c.last_positions.insert((MUG, false), 1009);
            },
            Ok(|p| assert_eq!(p.details[0].position_id, 1002)),
        ),
        ("no position: warehouse default", |_, _| {}, Ok(|p| assert_eq!(p.details[0].position_id, 1001))),
        (
            "no position and no default: 暂存",
            |_, c| c.warehouse.as_mut().unwrap().default_position_id = None,
            Ok(|p| assert_eq!(p.details[0].position_id, 1009)),
        ),
        (
            "known batch",
            |m, _| m.lines[0].batch_no = Some("B1".into()),
            Ok(|p| {
                assert_eq!(p.details[0].batch, BatchRef::Existing(500));
                let dates = (p.details[0].production_date, p.details[0].expire_date);
                assert_eq!(dates, (Some(1_700_000_000_000), Some(1_800_000_000_000)), "the batch's dates");
            }),
        ),
        (
            "known batch with other dates: the batch's dates stand",
            |m, _| {
                m.lines[0].batch_no = Some("B1".into());
                m.lines[0].expire_date = Some("2030-01-01 00:00:00".into());
            },
            Ok(|p| assert_eq!(p.details[0].expire_date, Some(1_800_000_000_000))),
        ),
        (
            "unknown batch without the create flag",
            |m, _| m.lines[0].batch_no = Some("B9".into()),
            Err("批次 B9 不存在或已停用"),
        ),
        (
            "unknown batch with the create flag",
            |m, _| {
                m.create_batches = true;
                m.lines = vec![line("MUG", "1"), line("MUG", "1")];
                for l in &mut m.lines {
                    l.batch_no = Some("B9".into());
                    l.expire_date = Some("2027-01-01 00:00:00".into());
                }
            },
            Ok(|p| {
                assert_eq!(p.new_batches.len(), 1, "created once for two lines");
                assert_eq!(p.details[1].batch, BatchRef::New(0));
                assert!(p.new_batches[0].expire_date.is_some());
                assert_eq!(p.details[1].expire_date, p.new_batches[0].expire_date);
            }),
        ),
        (
            "unparsable date",
            |m, _| m.lines[0].expire_date = Some("2027/01/01".into()),
            Err("detail_list[0].expire_date: Unparseable date: 2027/01/01"),
        ),
        (
            "zero date means none",
            |m, _| m.lines[0].production_date = Some("0000-00-00 00:00:00".into()),
            Ok(|p| assert_eq!(p.details[0].production_date, None)),
        ),
        (
            "SNs matching the quantity while editing",
            |m, _| {
                m.status = StockinStatus::Editing;
                m.lines = vec![ReturnLine { sn: vec!["SN-A".into(), "SN-B".into()], ..line("PHONE", "2") }];
            },
            Ok(|p| {
                assert_eq!(p.details[0].sn.len(), 2);
                assert!(p.stock_changes.is_empty(), "editing moves no stock");
                assert!(p.refund_progress.is_empty());
                assert_eq!(p.receipt, None);
            }),
        ),
        (
            "SN count differs from the quantity",
            |m, _| {
                m.status = StockinStatus::Editing;
                m.lines = vec![ReturnLine { sn: vec!["SN-A".into()], ..line("PHONE", "2") }];
            },
            Err("SN数量与入库数量不一致"),
        ),
        (
            "duplicate SN",
            |m, _| {
                m.status = StockinStatus::Editing;
                m.lines = vec![ReturnLine { sn: vec!["SN-A".into(), "SN-A".into()], ..line("PHONE", "2") }];
            },
            Err("SN重复 detail_list[0].sn_strings: SN-A"),
        ),
        (
            "SN already in stock",
            |m, _| {
                m.status = StockinStatus::Editing;
                m.lines = vec![ReturnLine { sn: vec!["SN-IN".into()], ..line("PHONE", "1") }];
            },
            Err("SN已在库"),
        ),
        (
            "SNs with create_mode other than 0",
            |m, _| {
                m.lines = vec![ReturnLine { sn: vec!["SN-A".into()], ..line("PHONE", "1") }];
            },
            Err("create_mode需要为0"),
        ),
        (
            "openapi2 may not send SNs, so no create_mode rule",
            |m, _| {
                m.fields = OPENAPI2_FIELDS;
                m.lines = vec![ReturnLine { sn: vec!["SN-A".into()], ..line("PHONE", "1") }];
            },
            Ok(|p| assert_eq!(p.stock_changes.len(), 1)),
        ),
        ("unknown logistics code", |m, _| m.logistics_code = Some("ZZ".into()), Err("不存在物流编码为 ZZ 的物流公司")),
        (
            "known logistics code",
            |m, c| {
                m.logistics_code = Some("SF".into());
                c.logistics_id = Some(3);
            },
            Ok(|p| assert_eq!(p.logistics_id, Some(3))),
        ),
        (
            "explicit price",
            |m, _| m.lines[0].price = Some(d("5")),
            Ok(|p| {
                assert_eq!(p.details[0].price, d("5"));
                assert_eq!(p.costs, vec![(MUG, d("9.5455"))]);
            }),
        ),
        ("negative price", |m, _| m.lines[0].price = Some(d("-2")), Err("价格不合法 detail_list[0].stockin_price: -2")),
        ("negative post fee", |m, _| m.post_fee = d("-5"), Err("金额不合法 post_fee: -5")),
        ("negative other fee", |m, _| m.other_fee = d("-0.5"), Err("金额不合法 other_fee: -0.5")),
        (
            "a bad line is refused before the refund order is looked up",
            |m, c| {
                c.refund = None;
                c.outer_no_taken = true;
                m.lines = vec![line("NOPE", "1"), line("MUG", "0")];
            },
            Err("数量不合法 detail_list[1].num: 0"),
        ),
        (
            "openapi2 names its quantity field",
            |m, _| {
                m.fields = OPENAPI2_FIELDS;
                m.lines = vec![line("MUG", "-1")];
            },
            Err("数量不合法 detail_list[0].stockin_num: -1"),
        ),
        ("outer number already used", |_, c| c.outer_no_taken = true, Err("外部单号已存在")),
        (
            "pending review moves no stock",
            |m, _| m.status = StockinStatus::PendingReview,
            Ok(|p| {
                assert!(p.stock_changes.is_empty() && p.costs.is_empty() && p.refund_progress.is_empty());
            }),
        ),
        ("empty detail list", |m, _| m.lines.clear(), Err("detail_list不能为空")),
        (
            "receiving the rest makes the order full",
            |m, c| {
                c.refund.as_mut().unwrap().items.truncate(1);
                m.lines = vec![line("MUG", "3")];
            },
            Ok(|p| assert_eq!(p.receipt, Some(RefundReceiptState::Full))),
        ),
    ];
    for (name, change, expected) in cases {
        let (mut m, mut c) = (cmd(), ctx());
        change(&mut m, &mut c);
        let got = plan(&m, &c);
        match (expected, got) {
            (Ok(check), Ok(p)) => check(&p),
            (Err(want), Err(e)) => {
                let text = match &e {
                    ApiError::Business(m) => m.clone(),
                    other => other.to_string(),
                };
                assert!(text.contains(want), "{name}: {text:?} should contain {want:?}");
            }
            (Ok(_), Err(e)) => panic!("{name}: refused: {e}"),
            (Err(want), Ok(p)) => panic!("{name}: accepted, expected {want:?}: {p:?}"),
        }
    }
}
