//! Stock: `wms.StockSpec.search` and `wms.StockSpec.queryChangeHistory`. Both read the stock
//! that documents posted and nothing else, so they agree with each other: a search row's
//! `stock_num` is the stock table's sum over its warehouse × spec × defect flag (every batch and
//! position), and the ledger's `stock_num_old` / `stock_num_new` are the same warehouse × spec ×
//! defect flag's stock before and after each row, kept in `stock_ledger_levels` as the row is
//! appended, whose last value is that `stock_num`.
//!
//! Fields the ERP keeps and this one does not (reservations and in-transit quantities, external
//! WMS sync, weights, images, flags, sales statistics, alarm settings) show 0 or `""`: nothing
//! here reserves stock, so `available_send_stock` is the stock on hand.

use super::settings::WAREHOUSE_TYPE;
use super::{Field, Listing, fields};
use wdt_domain::reads::stock::{ALARM_FIELDS, COST_FIELDS, SALES_FIELDS};

/// 库存: one row per warehouse × spec × defect flag, as `stock_specs` keeps it from the ledger (its
/// stock summed over batch and position, `rec_id` the row's own id). Its times are the ledger's:
/// `created` the first change, `modified` (the window and the order) the last. Warehouse scope.
pub(crate) static STOCK_SPECS: Listing = Listing {
    from: "stock_specs st \
           JOIN warehouses w ON w.id = st.warehouse_id \
           JOIN specs sp ON sp.id = st.spec_id \
           JOIN goods g ON g.id = sp.goods_id \
           LEFT JOIN units u ON u.id = sp.base_unit_id \
           LEFT JOIN stock_costs c ON c.warehouse_id = st.warehouse_id AND c.spec_id = st.spec_id",
    sid: "st.sid",
    id: "st.id",
    times: &[("modified", LAST_CHANGE), ("created", FIRST_CHANGE)],
    filters: &[("warehouse_no", "w.warehouse_no"), ("spec_no", "sp.spec_no")],
    warehouse_scope: Some("w.warehouse_no"),
    fields: STOCK_SPEC_FIELDS,
    ..Listing::BASE
};

/// The last ledger change of a search row's warehouse × spec × defect flag.
const LAST_CHANGE: &str = "st.last_change";
/// Its first ledger change.
const FIRST_CHANGE: &str = "st.first_change";
/// Its last stock count (盘点, ledger type 4).
const LAST_COUNT: &str = "st.last_count";
/// Its last stock-in or stock-out (every ledger type but a count).
const LAST_INOUT: &str = "st.last_inout";
/// 采购在途量: what checked purchase orders (40 已审核, nothing arrived) of the warehouse still
/// bring of the spec, on the good-stock row. A partly arrived order counts nothing: what arrived of
/// it is not kept.
pub(crate) const PURCHASE_ON_THE_WAY: &str = "CASE WHEN st.defect THEN 0 ELSE COALESCE((SELECT CAST(SUM(pi.num) AS BIGINT) \
                                              FROM purchase_orders po JOIN purchase_order_items pi \
                                              ON pi.purchase_order_id = po.id WHERE po.warehouse_id = st.warehouse_id \
                                              AND pi.spec_id = st.spec_id AND po.status = 40), 0) END";
/// The spec's first auxiliary unit (by unit id), `""` without one.
const AUX_UNIT: &str = "(SELECT au.name FROM spec_units su JOIN units au ON au.id = su.unit_id \
                        WHERE su.spec_id = sp.id AND su.unit_id <> sp.base_unit_id ORDER BY su.unit_id LIMIT 1)";

/// In the example's order, then the response table's fields the example leaves out. The example
/// shows `defect` as a number (`"defect": 1`); `status` is 1 启用 (specs are never disabled
/// here); `flag_name` is the example's text for no flag.
const STOCK_SPEC_FIELDS: &[Field] = fields! { "sp";
    Text(goods_no = "g.goods_no", goods_name = "g.goods_name", spec_code, spec_name, barcode),
    NotKept Decimal(weight), NotKept Text(img_url), Text(spec_no), Int(spec_id = "sp.id"),
    Text(brand_name = "g.brand_name", brand_no = "g.brand_no"),
    Int(rec_id = "st.id", defect = "st.defect", status = "1"),
    Decimal(stock_num = "st.num"), NotKept Decimal(unpay_num, subscribe_num, order_num, sending_num),
    Decimal(purchase_num = PURCHASE_ON_THE_WAY),
    NotKept Decimal(transfer_num, to_transfer_num, to_other_out_num, to_process_out_num, to_process_in_num),
    NotKept Decimal(to_purchase_num, purchase_arrive_num, return_num, return_exch_num, return_onway_num),
    NotKept Decimal(refund_num, refund_exch_num, refund_onway_num, part_paid_num),
    NotKept Decimal(wms_sync_stock, wms_stock_diff, wms_preempty_stock, wms_preempty_diff),
    Time(modified = LAST_CHANGE, created = FIRST_CHANGE), Int(warehouse_id = "w.id"),
    Text(warehouse_no = "w.warehouse_no", warehouse_name = "w.name"), Int(warehouse_type = WAREHOUSE_TYPE),
    Decimal(available_send_stock = "st.num"), NotKept Text(remark), NotKept Int(flag_id),
    Text(flag_name = "'无'"),
    NotKept Decimal(lock_num), Time(last_pd_time = LAST_COUNT, last_inout_time = LAST_INOUT),
    [SALES_FIELDS] NotKept Decimal(today_num, num_7days, num_14days, num_month, num_all),
    [COST_FIELDS] Decimal(cost_price = "COALESCE(c.cost_price, 0)"), NotKept Text(wms_sync_time),
    NotKept Decimal(to_other_in_num, wait_transfer_num, sys_user_define_stock1, sys_user_define_stock2),
    NotKept Decimal(inspect_num, trade_reserve_num), Text(unit_name = "u.name", aux_unit_name = AUX_UNIT),
    NotKept Decimal(process_onway_num), [SALES_FIELDS] NotKept Decimal(num_yesterday, num_60days, num_90days),
    [ALARM_FIELDS] NotKept Decimal(safe_stock, safe_stock_uppe), [ALARM_FIELDS] NotKept Int(alarm_type),
    [ALARM_FIELDS] NotKept Decimal(alarm_days, alarm_days_upper, cycle_days),
};

/// 库存变化: one row per ledger row, in (created, id) order. Warehouse scope.
pub(crate) static STOCK_CHANGES: Listing = Listing {
    from: "stock_ledger l JOIN stock_ledger_levels lv ON lv.ledger_id = l.id \
           JOIN warehouses w ON w.id = l.warehouse_id JOIN specs sp ON sp.id = l.spec_id",
    sid: "l.sid",
    id: "l.id",
    times: &[("created", "l.created")],
    filters: &[
        ("warehouse_no", "w.warehouse_no"),
        ("spec_no", "sp.spec_no"),
        ("type", CHANGE_TYPE),
        ("defect", "l.defect"),
    ],
    warehouse_scope: Some("w.warehouse_no"),
    fields: STOCK_CHANGE_FIELDS,
    ..Listing::BASE
};

/// 1 入库 / 2 出库.
const CHANGE_TYPE: &str = "CASE WHEN l.num_change > 0 THEN 1 ELSE 2 END";

/// The vendor's `src_order_type` of each ledger type, as
/// [`wdt_domain::reads::stock::vendor_order_type`] gives it (a unit test holds them equal).
pub(crate) const SRC_ORDER_TYPE: &str = "CASE l.doc_type WHEN 0 THEN CASE WHEN l.num_change > 0 THEN 33 ELSE 34 END \
                                         WHEN 12 THEN 12 WHEN 3 THEN 14 WHEN 1 THEN 1 WHEN 4 THEN 4 \
                                         ELSE l.doc_type END";

/// The warehouse × spec × defect flag after the row, as the ledger's trigger kept it.
const STOCK_AFTER: &str = "lv.num_after";
/// Before the row.
const STOCK_BEFORE: &str = "(lv.num_after - l.num_change)";
/// 来源单号: a return stock-in's refund order (TK…), a sales stock-out's trade (JY…); a purchase
/// return, a count and an opening balance are their own source.
const SRC_ORDER_NO: &str = "CASE l.doc_type \
                            WHEN 12 THEN COALESCE((SELECT r.refund_no FROM stockin_orders so \
                            JOIN refund_orders r ON r.id = so.refund_order_id WHERE so.id = l.doc_id), l.doc_no) \
                            WHEN 1 THEN COALESCE((SELECT t.trade_no FROM trades t WHERE t.id = l.doc_id), l.doc_no) \
                            ELSE l.doc_no END";
/// 操作人: who checked the document (the key that pushed it when it was checked on creation); for
/// an operator's action (a shipment, a count) the operator of the audit log.
const OPERATOR: &str = "CASE l.doc_type \
                        WHEN 12 THEN COALESCE((SELECT CASE WHEN so.checked_by <> '' THEN so.checked_by \
                        ELSE COALESCE(a.app_key, '') END FROM stockin_orders so LEFT JOIN apps a ON a.id = so.app_id \
                        WHERE so.id = l.doc_id), '') \
                        WHEN 3 THEN COALESCE((SELECT CASE WHEN pr.checked_by <> '' THEN pr.checked_by \
                        ELSE COALESCE(a.app_key, '') END FROM purchase_returns pr LEFT JOIN apps a ON a.id = pr.app_id \
                        WHERE pr.id = l.doc_id), '') \
                        ELSE COALESCE((SELECT MIN(al.actor) FROM audit_log al WHERE al.sid = l.sid \
                        AND al.doc_no = l.doc_no), '') END";
/// 备注: the document's remark.
const REMARK: &str = "CASE l.doc_type \
                      WHEN 12 THEN COALESCE((SELECT so.remark FROM stockin_orders so WHERE so.id = l.doc_id), '') \
                      WHEN 3 THEN COALESCE((SELECT pr.remark FROM purchase_returns pr WHERE pr.id = l.doc_id), '') \
                      ELSE '' END";

/// In the example's order; the example shows `created` as epoch milliseconds.
const STOCK_CHANGE_FIELDS: &[Field] = fields! { "l";
    NotKept Decimal(actual_weight_new), Millis(created), Int(src_order_type = SRC_ORDER_TYPE),
    Decimal(num = "ABS(l.num_change)", stock_num_new = STOCK_AFTER), Text(remark = REMARK),
    Int(r#type = CHANGE_TYPE), Text(spec_no = "sp.spec_no", src_order_no = SRC_ORDER_NO),
    NotKept Decimal(actual_weight), Text(operator_name = OPERATOR), Bool(defect),
    Decimal(stock_num_old = STOCK_BEFORE), Text(warehouse_name = "w.name", warehouse_no = "w.warehouse_no"),
    Text(stockio_no = "l.doc_no"), NotKept Decimal(actual_weight_old),
};

#[cfg(test)]
mod tests {
    use wdt_domain::model::{Coded, LedgerDocType};
    use wdt_domain::reads::stock::vendor_order_type;

    use super::*;

    /// The SQL's `src_order_type` is the domain's, for every ledger type the store writes.
    #[test]
    fn the_ledger_types_are_the_domains() {
        let sql: String = SRC_ORDER_TYPE.split_whitespace().collect::<Vec<_>>().join(" ");
        for doc in LedgerDocType::ALL {
            let (code, inbound, outbound) = (doc.code(), vendor_order_type(*doc, true), vendor_order_type(*doc, false));
            let want = if inbound == outbound {
                format!("WHEN {code} THEN {inbound} ")
            } else {
                format!("WHEN {code} THEN CASE WHEN l.num_change > 0 THEN {inbound} ELSE {outbound} END ")
            };
            assert!(sql.contains(&want), "{doc:?}: {want} not in {sql}");
        }
    }

    /// The in-transit purchase quantity reads the domain's checked status.
    #[test]
    fn purchases_on_the_way_are_the_checked_ones() {
        let checked = wdt_domain::model::PurchaseOrderStatus::Checked.code();
        assert!(PURCHASE_ON_THE_WAY.contains(&format!("po.status = {checked})")), "{PURCHASE_ON_THE_WAY}");
    }

    /// Every optional field belongs to a group the domain knows, and each wire name appears once.
    #[test]
    fn fields_are_named_once() {
        for fields in [STOCK_SPEC_FIELDS, STOCK_CHANGE_FIELDS] {
            let mut seen = std::collections::HashSet::new();
            assert!(fields.iter().all(|f| seen.insert(f.name)), "a field named twice");
            for f in fields {
                assert!(f.group.is_none_or(|g| [SALES_FIELDS, COST_FIELDS, ALARM_FIELDS].contains(&g)), "{}", f.name);
            }
        }
    }
}
