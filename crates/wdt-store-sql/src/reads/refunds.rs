//! Refund orders: `aftersales.refund.Refund.search`. Fields in the order of the page's response
//! table, with its example's JSON types (`modified` / `created` as epoch milliseconds,
//! `platform_id` as a numeric string), then the fields only the example shows.
//!
//! What the model keeps is read from it: the refund order, its trade, shop and customer, its
//! items with their spec and trade item, the received quantities (`stockin_num`, maintained by
//! every checked stock-in) and the warehouse the goods came back to (its first stock-in's). What
//! it does not keep (logistics of the return, settlement, review and platform refund times, raw
//! refunds, flags, amount details) shows its empty value, and a filter or window on it matches
//! nothing (`NULL` / `''` / `FALSE` columns).

use super::Kind::*;
use super::{Children, Field, Listing, field, not_kept};

/// The warehouse of the refund order's first stock-in that was not cancelled; NULL before any.
const RETURN_WAREHOUSE: &str = "(SELECT rw.warehouse_no FROM stockin_orders rs JOIN warehouses rw ON rw.id = rs.warehouse_id \
     WHERE rs.refund_order_id = r.id AND rs.status <> 10 ORDER BY rs.id LIMIT 1)";

/// Its id.
const RETURN_WAREHOUSE_ID: &str = "(SELECT rs.warehouse_id FROM stockin_orders rs \
     WHERE rs.refund_order_id = r.id AND rs.status <> 10 ORDER BY rs.id LIMIT 1)";

/// The buyer's nickname where the page shows it (own and offline shops, as
/// `wdt_domain::privacy::OPEN_PRIVACY_PLATFORM_IDS`), else NULL: a `buyer_nick` filter never
/// finds a masked buyer.
const BUYER_NICK: &str = "CASE WHEN sh.platform_id IN (127, 0) THEN c.nick_name END";

/// The raw refund (原始退款单) a refund order was converted from (its items name it), `''` for one
/// made otherwise.
const RAW_REFUND_NO: &str = "COALESCE((SELECT MIN(ri.raw_refund_no) FROM refund_order_items ri \
     WHERE ri.refund_order_id = r.id AND ri.raw_refund_no <> ''), '')";

/// 退换单: shop scope (店铺权限); hidden platforms never returned; buyer fields masked by the
/// shop's platform. `modified_desc` orders newest first (`order_type` 1), ties by id.
pub(crate) static REFUND_ORDERS: Listing = Listing {
    from: "refund_orders r JOIN shops sh ON sh.id = r.shop_id JOIN trades t ON t.id = r.trade_id \
           LEFT JOIN customers c ON c.id = r.customer_id",
    sid: "r.sid",
    id: "r.id",
    times: &[
        ("modified", "r.modified"),
        ("modified_desc", "r.modified DESC"),
        ("settle", "NULL"),
        ("agree", "NULL"),
        ("current_phase_timeout", "NULL"),
    ],
    filters: &[
        ("shop_no", "sh.shop_no"),
        ("tid", "t.tid"),
        ("buyer_nick", BUYER_NICK),
        ("trade_no", "t.trade_no"),
        ("refund_no", "r.refund_no"),
        ("return_logistics_no", "r.return_logistics_no"),
        ("status", "r.status"),
        ("stockin_status", "r.stockin_status"),
        ("type", "r.type"),
        ("rr_status", "0"),
        ("return_warehouse_no", RETURN_WAREHOUSE),
        ("raw_refund_no", RAW_REFUND_NO),
        ("manual_intercept", "FALSE"),
        ("reject_return", "FALSE"),
    ],
    warehouse_scope: None,
    shop_scope: Some("sh.shop_no"),
    platform: Some("sh.platform_id"),
    fields: REFUND_FIELDS,
    children: &[
        Children {
            name: "detail_list",
            from: "refund_order_items i JOIN refund_orders ri ON ri.id = i.refund_order_id \
                   JOIN shops si ON si.id = ri.shop_id JOIN trades ti ON ti.id = ri.trade_id \
                   JOIN specs sp ON sp.id = i.spec_id JOIN goods g ON g.id = sp.goods_id \
                   LEFT JOIN trade_items tit ON tit.id = i.trade_item_id",
            parent: "i.refund_order_id",
            order: "i.seq",
            fields: DETAIL_FIELDS,
        },
        // The model keeps no amount lines: the join reads none, and the list is empty.
        Children {
            name: "amount_detail_list",
            from: "refund_orders ad JOIN refund_orders absent ON 1 = 0",
            parent: "ad.id",
            order: "ad.id",
            fields: AMOUNT_FIELDS,
        },
    ],
};

const REFUND_FIELDS: &[Field] = &[
    field("refund_id", "r.id", Int),
    field("src_tids", "t.tid", Text),
    field("refund_no", "r.refund_no", Text),
    field("remark", "r.remark", Text),
    field("type", "r.type", Int),
    field("stockin_status", "r.stockin_status", Int),
    field("flag_name", "'无'", Text),
    field(
        "return_goods_count",
        "(SELECT CAST(COALESCE(SUM(gi.refund_num), 0) AS BIGINT) FROM refund_order_items gi \
         WHERE gi.refund_order_id = r.id)",
        Decimal,
    ),
    field("receiver_telno", "''", Customer),
    field("receiver_name", "c.customer_name", Customer),
    field("modified", "r.modified", Millis),
    not_kept("note_count", Int),
    field("shop_no", "sh.shop_no", Text),
    not_kept("from_type", Int),
    field("created", "r.created", Millis),
    not_kept("settle_time", Text),
    not_kept("check_time", Text),
    field("return_logistics_no", "r.return_logistics_no", Text),
    field("trade_no_list", "t.trade_no", Text),
    field("guarantee_refund_amount", "r.refund_amount", Decimal),
    field(
        "return_goods_amount",
        "(SELECT CAST(COALESCE(SUM(gi.refund_num * gi.price / 10000), 0) AS BIGINT) FROM refund_order_items gi \
         WHERE gi.refund_order_id = r.id)",
        Decimal,
    ),
    field("return_logistics_name", "r.return_logistics_name", Text),
    field("reason_name", "CASE WHEN r.reason = '' THEN '无' ELSE r.reason END", Text),
    field("refund_reason", "r.reason", Text),
    field("buyer_nick", "c.nick_name", Customer),
    field("operator_name", "'系统'", Text),
    field("actual_refund_amount", "r.actual_refund_amount", Decimal),
    field("revert_reason_name", "'无'", Text),
    field("return_warehouse_no", RETURN_WAREHOUSE, Text),
    not_kept("direct_refund_amount", Decimal),
    not_kept("receive_amount", Decimal),
    field("customer_name", "c.customer_name", Customer),
    field("status", "r.status", Int),
    field("shop_id", "sh.id", Int),
    field("trade_id", "r.trade_id", Int),
    field("raw_refund_nos", RAW_REFUND_NO, Text),
    not_kept("pay_id", Text),
    not_kept("provider_refund_no", Text),
    field("shop_platform_id", "sh.platform_id", Int),
    field("tid_list", "t.tid", Text),
    field("sub_platform_id", "sh.sub_platform_id", Int),
    field("return_warehouse_id", RETURN_WAREHOUSE_ID, Int),
    field("platform_id", "sh.platform_id", IntText),
    field("warehouse_type", "1", Int),
    not_kept("bad_reason", Int),
    field("modified_date", "r.modified", Time),
    not_kept("return_mask_info", Text),
    not_kept("process_status", Int),
    not_kept("reason_id", Int),
    not_kept("revert_reason", Int),
    field("customer_id", "r.customer_id", Int),
    not_kept("consign_mode", Int),
    field("refund_time", "r.created", Time),
    not_kept("fenxiao_tid", Text),
    not_kept("fenxiao_nick_no", Text),
    not_kept("wms_code", Text),
    not_kept("rr_status", Int),
    not_kept("current_phase_timeout", Text),
    // In the example only.
    not_kept("return_telno", Text),
    field("tmp_data", RETURN_WAREHOUSE_ID, Int),
    field("sync_return", "TRUE", Bool),
    not_kept("return_mask", Int),
];

const DETAIL_FIELDS: &[Field] = &[
    field("rec_id", "i.id", Int),
    field("refund_id", "i.refund_order_id", Int),
    field("platform_id", "si.platform_id", Int),
    field("oid", "i.oid", Text),
    field("tid", "ti.tid", Text),
    field("trade_no", "ti.trade_no", Text),
    not_kept("checked_cost_price", Decimal),
    field("num", "COALESCE(tit.num, i.refund_num)", Decimal),
    field("price", "i.price", Decimal),
    field("original_price", "COALESCE(tit.price, i.price)", Decimal),
    field("refund_num", "i.refund_num", Decimal),
    field("total_amount", "i.refund_num * i.price / 10000", Decimal),
    not_kept("refund_amount", Decimal),
    field("is_guarantee", "TRUE", Bool),
    field("goods_no", "g.goods_no", Text),
    field("goods_name", "g.goods_name", Text),
    field("spec_name", "sp.spec_name", Text),
    field("spec_no", "sp.spec_no", Text),
    field("spec_code", "sp.spec_code", Text),
    field("barcode", "sp.barcode", Text),
    field("stockin_num", "i.stockin_num", Decimal),
    not_kept("remark", Text),
    field("api_goods_name", "g.goods_name", Text),
    field("sales_trade_id", "ri.trade_id", Int),
    field("api_spec_name", "sp.spec_name", Text),
    field("trade_order_id", "i.trade_item_id", Int),
    field("modified", "ri.modified", Millis),
    field("goods_id", "COALESCE(tit.platform_goods_id, '')", Text),
    field("spec_id", "COALESCE(tit.platform_spec_id, '')", Text),
    field("sys_goods_id", "g.id", Int),
    field("sys_spec_id", "sp.id", Int),
    not_kept("discount", Decimal),
    not_kept("paid", Decimal),
    not_kept("suite_id", Int),
    not_kept("suite_no", Text),
    not_kept("suite_name", Text),
    not_kept("suite_num", Decimal),
    field("created", "ri.created", Time),
    field("modified_date", "ri.modified", Time),
    field("raw_refund_no", "i.raw_refund_no", Text),
    field("raw_refund_nos", "i.raw_refund_no", Text),
    not_kept("gift_type", Int),
];

const AMOUNT_FIELDS: &[Field] = &[
    field("rec_id", "ad.id", Int),
    field("refund_id", "ad.id", Int),
    field("refund_type", "1", Int),
    not_kept("is_return", Int),
    field("refund_amount", "ad.refund_amount", Decimal),
    not_kept("receive_amount", Decimal),
    field("is_guarantee", "FALSE", Bool),
    not_kept("account_id", Int),
    field("pay_account", "''", Customer),
    not_kept("account_name", Text),
    not_kept("account_bank", Text),
    field("is_auto", "TRUE", Bool),
    not_kept("remark", Text),
];

#[cfg(test)]
mod tests {
    use wdt_domain::privacy::OPEN_PRIVACY_PLATFORM_IDS;

    #[test]
    fn the_nickname_filter_reads_the_platforms_that_show_it() {
        let ids: Vec<String> = OPEN_PRIVACY_PLATFORM_IDS.iter().map(i64::to_string).collect();
        assert!(super::BUYER_NICK.contains(&format!("IN ({})", ids.join(", "))), "{}", super::BUYER_NICK);
    }
}
