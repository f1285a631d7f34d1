//! Raw refunds: `aftersales.refund.RawRefund.search`. Fields in the order of the page's response
//! table, with its example's JSON types (times as `yyyy-MM-dd HH:mm:ss` text, `""` when unknown),
//! then `swap_order_id`, which only the example shows.
//!
//! A raw refund keeps its lines (`raw_refund_items`); its own `num` and `total_amount` are their
//! sums, and its price and platform codes the first line's. The lines' names are those of the
//! goods sold on that sub-order. No discounts are kept: `discount_list` is empty. Shops of
//! 拼多多 (platform 39, `wdt_domain::privacy::PDD_PLATFORM_ID`) are left out by the join, beside
//! the platforms every query hides.

use super::Kind::*;
use super::{Children, Field, Listing, field, not_kept};

/// The first line's value of `column`.
macro_rules! first_line {
    ($column:literal) => {
        concat!(
            "(SELECT fl.",
            $column,
            " FROM raw_refund_items fl WHERE fl.raw_refund_id = rr.id ORDER BY fl.seq LIMIT 1)"
        )
    };
}

/// 原始退款单: shop scope (店铺权限); hidden platforms and 拼多多 never returned; the buyer's
/// nickname and pay account shown for own and offline shops only.
pub(crate) static RAW_REFUNDS: Listing = Listing {
    from: "raw_refunds rr JOIN shops sh ON sh.id = rr.shop_id AND sh.platform_id <> 39",
    sid: "rr.sid",
    id: "rr.id",
    times: &[("modified", "rr.modified"), ("refund_time", "rr.refund_time")],
    filters: &[
        ("refund_no", "rr.refund_no"),
        ("logistics_no", "rr.logistics_no"),
        ("platform_id", "sh.platform_id"),
        ("shop_no", "sh.shop_no"),
        ("tid", "rr.tid"),
        ("oid", "rr.id IN (SELECT fo.raw_refund_id FROM raw_refund_items fo WHERE fo.oid{})"),
    ],
    warehouse_scope: None,
    shop_scope: Some("sh.shop_no"),
    platform: Some("sh.platform_id"),
    fields: RAW_REFUND_FIELDS,
    children: &[
        Children {
            name: "detail_list",
            from: "raw_refund_items i JOIN raw_refunds ri ON ri.id = i.raw_refund_id \
                   JOIN shops si ON si.id = ri.shop_id JOIN trade_items ti ON ti.id = i.trade_item_id \
                   JOIN specs sp ON sp.id = ti.spec_id JOIN goods g ON g.id = sp.goods_id",
            parent: "i.raw_refund_id",
            order: "i.seq",
            fields: DETAIL_FIELDS,
        },
        // No discount lines are kept: the join reads none, and the list is empty.
        Children {
            name: "discount_list",
            from: "raw_refunds dr JOIN raw_refunds absent ON 1 = 0",
            parent: "dr.id",
            order: "dr.id",
            fields: DISCOUNT_FIELDS,
        },
    ],
};

const RAW_REFUND_FIELDS: &[Field] = &[
    field("refund_id", "rr.id", Int),
    field("platform_id", "sh.platform_id", Int),
    field("shop_no", "sh.shop_no", Text),
    field("shop_name", "sh.shop_name", Text),
    field("refund_no", "rr.refund_no", Text),
    field("tid", "rr.tid", Text),
    field("oid", "rr.oid", Text),
    field("type", "rr.type", Int),
    field("status", "rr.status", Int),
    field("process_status", "rr.process_status", Int),
    field("pay_account", "rr.pay_account", Customer),
    field("pay_no", "rr.pay_no", Text),
    field("refund_amount", "rr.refund_amount", Decimal),
    field("actual_refund_amount", "rr.actual_refund_amount", Decimal),
    field("current_phase_timeout", "rr.current_phase_timeout", Time),
    field("title", "rr.title", Text),
    field("logistics_name", "rr.logistics_name", Text),
    field("logistics_no", "rr.logistics_no", Text),
    field("buyer_nick", "rr.buyer_nick", Customer),
    field("refund_time", "rr.refund_time", Time),
    field("is_aftersale", "rr.is_aftersale", Bool),
    field("reason", "rr.reason", Text),
    not_kept("reason_id", Int),
    field("remark", "rr.remark", Text),
    field(
        "num",
        "(SELECT CAST(COALESCE(SUM(sl.num), 0) AS BIGINT) FROM raw_refund_items sl WHERE sl.raw_refund_id = rr.id)",
        Decimal,
    ),
    field("price", first_line!("price"), Decimal),
    field(
        "total_amount",
        "(SELECT CAST(COALESCE(SUM(sl.total_amount), 0) AS BIGINT) FROM raw_refund_items sl \
         WHERE sl.raw_refund_id = rr.id)",
        Decimal,
    ),
    field("goods_id", first_line!("platform_goods_id"), Text),
    field("spec_id", first_line!("platform_spec_id"), Text),
    field("goods_no", first_line!("platform_goods_no"), Text),
    field("spec_no", first_line!("platform_spec_no"), Text),
    field("modified", "rr.modified", Time),
    field("created", "rr.created", Time),
    field("shop_id", "sh.id", Int),
    field("sub_platform_id", "sh.sub_platform_id", Int),
    field("shop_platform_id", "sh.platform_id", Int),
    not_kept("is_reject", Int),
    field("refund_version", "rr.refund_version", Text),
    not_kept("tag", Int),
    not_kept("is_external", Int),
    field("modify_flag", "rr.modify_flag", Int),
    not_kept("swap_order_id", Text),
];

const DETAIL_FIELDS: &[Field] = &[
    field("refund_id", "i.id", Int),
    field("oid", "i.oid", Text),
    field("platform_id", "si.platform_id", Int),
    field("refund_no", "ri.refund_no", Text),
    field("tid", "ri.tid", Text),
    field("status", "i.status", Int),
    field("goods_name", "g.goods_name", Text),
    field("goods_no", "i.platform_goods_no", Text),
    field("goods_id", "i.platform_goods_id", Text),
    field("spec_name", "sp.spec_name", Text),
    field("spec_no", "i.platform_spec_no", Text),
    field("spec_id", "i.platform_spec_id", Text),
    field("num", "i.num", Decimal),
    field("total_amount", "i.total_amount", Decimal),
    field("remark", "i.remark", Text),
    field("price", "i.price", Decimal),
    // Every line is one of the raw refund's own lines (0); none is taken from its main record.
    not_kept("type", Int),
    field("refund_time", "i.refund_time", Time),
    field("modified_date", "i.modified", Time),
    field("created_date", "i.created", Time),
];

const DISCOUNT_FIELDS: &[Field] = &[
    field("rec_id", "dr.id", Int),
    not_kept("platform_id", Int),
    field("refund_no", "dr.refund_no", Text),
    field("tid", "dr.tid", Text),
    field("oid", "dr.oid", Text),
    not_kept("name", Text),
    not_kept("amount", Decimal),
];
