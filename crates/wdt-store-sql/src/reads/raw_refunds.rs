//! Raw refunds: `aftersales.refund.RawRefund.search`. Fields in the order of the page's response
//! table, with its example's JSON types (times as `yyyy-MM-dd HH:mm:ss` text, `""` when unknown),
//! then `swap_order_id`, which only the example shows.
//!
//! A raw refund keeps its lines (`raw_refund_items`); its own `num` and `total_amount` are their
//! sums, and its price and platform codes the first line's. The lines' names are those of the
//! goods sold on that sub-order. No discounts are kept: `discount_list` is empty. Shops of
//! 拼多多 (platform 39, `wdt_domain::privacy::PDD_PLATFORM_ID`) are left out by the join, beside
//! the platforms every query hides.

use super::{Children, Field, Listing, absent_list, fields};

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
        // No discount lines are kept.
        absent_list!("discount_list", "raw_refunds", "dr", DISCOUNT_FIELDS),
    ],
    ..Listing::BASE
};

/// The sum of the lines' `column`.
macro_rules! lines_sum {
    ($column:literal) => {
        concat!(
            "(SELECT CAST(COALESCE(SUM(sl.",
            $column,
            "), 0) AS BIGINT) FROM raw_refund_items sl WHERE sl.raw_refund_id = rr.id)"
        )
    };
}

const RAW_REFUND_FIELDS: &[Field] = fields! { "rr";
    Int(refund_id = "rr.id", platform_id = "sh.platform_id"), Text(shop_no = "sh.shop_no", shop_name = "sh.shop_name"),
    Text(refund_no, tid, oid), Int(r#type = "rr.type", status, process_status), Customer(pay_account), Text(pay_no),
    Decimal(refund_amount, actual_refund_amount), Time(current_phase_timeout),
    Text(title, logistics_name, logistics_no), Customer(buyer_nick), Time(refund_time), Bool(is_aftersale),
    Text(reason), NotKept Int(reason_id), Text(remark),
    Decimal(num = lines_sum!("num"), price = first_line!("price"), total_amount = lines_sum!("total_amount")),
    Text(goods_id = first_line!("platform_goods_id"), spec_id = first_line!("platform_spec_id")),
    Text(goods_no = first_line!("platform_goods_no"), spec_no = first_line!("platform_spec_no")),
    Time(modified, created), Int(shop_id = "sh.id", sub_platform_id = "sh.sub_platform_id"),
    Int(shop_platform_id = "sh.platform_id"), NotKept Int(is_reject), Text(refund_version),
    NotKept Int(tag, is_external), Int(modify_flag), NotKept Text(swap_order_id),
};

// Every line is one of the raw refund's own lines (`type` 0); none is taken from its main record.
const DETAIL_FIELDS: &[Field] = fields! { "i";
    Int(refund_id = "i.id"), Text(oid), Int(platform_id = "si.platform_id"),
    Text(refund_no = "ri.refund_no", tid = "ri.tid"), Int(status),
    Text(goods_name = "g.goods_name", goods_no = "i.platform_goods_no", goods_id = "i.platform_goods_id"),
    Text(spec_name = "sp.spec_name", spec_no = "i.platform_spec_no", spec_id = "i.platform_spec_id"),
    Decimal(num, total_amount), Text(remark), Decimal(price), NotKept Int(r#type),
    Time(refund_time, modified_date = "i.modified", created_date = "i.created"),
};

const DISCOUNT_FIELDS: &[Field] = fields! { "dr";
    Int(rec_id = "dr.id"), NotKept Int(platform_id), Text(refund_no, tid, oid), NotKept Text(name),
    NotKept Decimal(amount),
};
