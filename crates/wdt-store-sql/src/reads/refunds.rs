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

use super::{Children, Field, Listing, absent_list, fields};

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
        // The model keeps no amount lines.
        absent_list!("amount_detail_list", "refund_orders", "ad", AMOUNT_FIELDS),
    ],
    ..Listing::BASE
};

/// The sum over the refund order's items of `expr` (of `gi`).
macro_rules! items_sum {
    ($expr:literal) => {
        concat!(
            "(SELECT CAST(COALESCE(SUM(",
            $expr,
            "), 0) AS BIGINT) FROM refund_order_items gi WHERE gi.refund_order_id = r.id)"
        )
    };
}

// `tmp_data`, `return_telno` and after: in the example only.
const REFUND_FIELDS: &[Field] = fields! { "r";
    Int(refund_id = "r.id"), Text(src_tids = "t.tid", refund_no, remark), Int(r#type = "r.type", stockin_status),
    Text(flag_name = "'无'"), Decimal(return_goods_count = items_sum!("gi.refund_num")),
    Customer(receiver_telno = "''", receiver_name = "c.customer_name"), Millis(modified), NotKept Int(note_count),
    Text(shop_no = "sh.shop_no"), NotKept Int(from_type), Millis(created), NotKept Text(settle_time, check_time),
    Text(return_logistics_no, trade_no_list = "t.trade_no"), Decimal(guarantee_refund_amount = "r.refund_amount"),
    Decimal(return_goods_amount = items_sum!("gi.refund_num * gi.price / 10000")),
    Text(return_logistics_name, reason_name = "CASE WHEN r.reason = '' THEN '无' ELSE r.reason END"),
    Text(refund_reason = "r.reason"), Customer(buyer_nick = "c.nick_name"), Text(operator_name = "'系统'"),
    Decimal(actual_refund_amount), Text(revert_reason_name = "'无'", return_warehouse_no = RETURN_WAREHOUSE),
    NotKept Decimal(direct_refund_amount, receive_amount), Customer(customer_name = "c.customer_name"),
    Int(status, shop_id = "sh.id", trade_id), Text(raw_refund_nos = RAW_REFUND_NO),
    NotKept Text(pay_id, provider_refund_no), Int(shop_platform_id = "sh.platform_id"), Text(tid_list = "t.tid"),
    Int(sub_platform_id = "sh.sub_platform_id", return_warehouse_id = RETURN_WAREHOUSE_ID),
    IntText(platform_id = "sh.platform_id"), Int(warehouse_type = "1"), NotKept Int(bad_reason),
    Time(modified_date = "r.modified"), NotKept Text(return_mask_info),
    NotKept Int(process_status, reason_id, revert_reason), Int(customer_id), NotKept Int(consign_mode),
    Time(refund_time = "r.created"), NotKept Text(fenxiao_tid, fenxiao_nick_no, wms_code), NotKept Int(rr_status),
    NotKept Text(current_phase_timeout, return_telno), Int(tmp_data = RETURN_WAREHOUSE_ID),
    Bool(sync_return = "TRUE"), NotKept Int(return_mask),
};

const DETAIL_FIELDS: &[Field] = fields! { "i";
    Int(rec_id = "i.id", refund_id = "i.refund_order_id", platform_id = "si.platform_id"), Text(oid),
    Text(tid = "ti.tid", trade_no = "ti.trade_no"), NotKept Decimal(checked_cost_price),
    Decimal(num = "COALESCE(tit.num, i.refund_num)", price, original_price = "COALESCE(tit.price, i.price)"),
    Decimal(refund_num, total_amount = "i.refund_num * i.price / 10000"), NotKept Decimal(refund_amount),
    Bool(is_guarantee = "TRUE"), Text(goods_no = "g.goods_no", goods_name = "g.goods_name"),
    Text(spec_name = "sp.spec_name", spec_no = "sp.spec_no", spec_code = "sp.spec_code", barcode = "sp.barcode"),
    Decimal(stockin_num), NotKept Text(remark), Text(api_goods_name = "g.goods_name"),
    Int(sales_trade_id = "ri.trade_id"), Text(api_spec_name = "sp.spec_name"), Int(trade_order_id = "i.trade_item_id"),
    Millis(modified = "ri.modified"),
    Text(goods_id = "COALESCE(tit.platform_goods_id, '')", spec_id = "COALESCE(tit.platform_spec_id, '')"),
    Int(sys_goods_id = "g.id", sys_spec_id = "sp.id"), NotKept Decimal(discount, paid), NotKept Int(suite_id),
    NotKept Text(suite_no, suite_name), NotKept Decimal(suite_num),
    Time(created = "ri.created", modified_date = "ri.modified"),
    Text(raw_refund_no, raw_refund_nos = "i.raw_refund_no"), NotKept Int(gift_type),
};

const AMOUNT_FIELDS: &[Field] = fields! { "ad";
    Int(rec_id = "ad.id", refund_id = "ad.id", refund_type = "1"), NotKept Int(is_return), Decimal(refund_amount),
    NotKept Decimal(receive_amount), Bool(is_guarantee = "FALSE"), NotKept Int(account_id),
    Customer(pay_account = "''"), NotKept Text(account_name, account_bank), Bool(is_auto = "TRUE"),
    NotKept Text(remark),
};

#[cfg(test)]
mod tests {
    use wdt_domain::privacy::OPEN_PRIVACY_PLATFORM_IDS;

    #[test]
    fn the_nickname_filter_reads_the_platforms_that_show_it() {
        let ids: Vec<String> = OPEN_PRIVACY_PLATFORM_IDS.iter().map(i64::to_string).collect();
        assert!(super::BUYER_NICK.contains(&format!("IN ({})", ids.join(", "))), "{}", super::BUYER_NICK);
    }
}
