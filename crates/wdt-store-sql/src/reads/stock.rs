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

use super::Kind::*;
use super::{Children, Field, Listing, field, grouped, not_kept};
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
    shop_scope: None,
    platform: None,
    fields: STOCK_SPEC_FIELDS,
    children: &[] as &[Children],
};

/// The last ledger change of a search row's warehouse × spec × defect flag.
const LAST_CHANGE: &str = "st.last_change";
/// Its first ledger change.
const FIRST_CHANGE: &str = "st.first_change";
/// Its last stock count (盘点, ledger type 4).
const LAST_COUNT: &str = "st.last_count";
/// Its last stock-in or stock-out (every ledger type but a count).
const LAST_INOUT: &str = "st.last_inout";
/// The vendor warehouse type, as `setting.Warehouse.queryWarehouse` shows it.
const WAREHOUSE_TYPE: &str = "CASE w.kind WHEN 'normal' THEN 1 WHEN 'outsourced' THEN 11 ELSE 3 END";
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

/// In the example's order, then the response table's fields the example leaves out.
const STOCK_SPEC_FIELDS: &[Field] = &[
    field("goods_no", "g.goods_no", Text),
    field("goods_name", "g.goods_name", Text),
    field("spec_code", "sp.spec_code", Text),
    field("spec_name", "sp.spec_name", Text),
    field("barcode", "sp.barcode", Text),
    not_kept("weight", Decimal),
    not_kept("img_url", Text),
    field("spec_no", "sp.spec_no", Text),
    field("spec_id", "sp.id", Int),
    field("brand_name", "g.brand_name", Text),
    field("brand_no", "g.brand_no", Text),
    field("rec_id", "st.id", Int),
    // The example shows the flag as a number (`"defect": 1`).
    field("defect", "st.defect", Int),
    // 1 启用: specs are never disabled here.
    field("status", "1", Int),
    field("stock_num", "st.num", Decimal),
    not_kept("unpay_num", Decimal),
    not_kept("subscribe_num", Decimal),
    not_kept("order_num", Decimal),
    not_kept("sending_num", Decimal),
    field("purchase_num", PURCHASE_ON_THE_WAY, Decimal),
    not_kept("transfer_num", Decimal),
    not_kept("to_transfer_num", Decimal),
    not_kept("to_other_out_num", Decimal),
    not_kept("to_process_out_num", Decimal),
    not_kept("to_process_in_num", Decimal),
    not_kept("to_purchase_num", Decimal),
    not_kept("purchase_arrive_num", Decimal),
    not_kept("return_num", Decimal),
    not_kept("return_exch_num", Decimal),
    not_kept("return_onway_num", Decimal),
    not_kept("refund_num", Decimal),
    not_kept("refund_exch_num", Decimal),
    not_kept("refund_onway_num", Decimal),
    not_kept("part_paid_num", Decimal),
    not_kept("wms_sync_stock", Decimal),
    not_kept("wms_stock_diff", Decimal),
    not_kept("wms_preempty_stock", Decimal),
    not_kept("wms_preempty_diff", Decimal),
    field("modified", LAST_CHANGE, Time),
    field("created", FIRST_CHANGE, Time),
    field("warehouse_id", "w.id", Int),
    field("warehouse_no", "w.warehouse_no", Text),
    field("warehouse_name", "w.name", Text),
    field("warehouse_type", WAREHOUSE_TYPE, Int),
    field("available_send_stock", "st.num", Decimal),
    not_kept("remark", Text),
    not_kept("flag_id", Int),
    // The example's text for no flag.
    field("flag_name", "'无'", Text),
    not_kept("lock_num", Decimal),
    field("last_pd_time", LAST_COUNT, Time),
    field("last_inout_time", LAST_INOUT, Time),
    grouped(SALES_FIELDS, not_kept("today_num", Decimal)),
    grouped(SALES_FIELDS, not_kept("num_7days", Decimal)),
    grouped(SALES_FIELDS, not_kept("num_14days", Decimal)),
    grouped(SALES_FIELDS, not_kept("num_month", Decimal)),
    grouped(SALES_FIELDS, not_kept("num_all", Decimal)),
    grouped(COST_FIELDS, field("cost_price", "COALESCE(c.cost_price, 0)", Decimal)),
    not_kept("wms_sync_time", Text),
    not_kept("to_other_in_num", Decimal),
    not_kept("wait_transfer_num", Decimal),
    not_kept("sys_user_define_stock1", Decimal),
    not_kept("sys_user_define_stock2", Decimal),
    not_kept("inspect_num", Decimal),
    not_kept("trade_reserve_num", Decimal),
    field("unit_name", "u.name", Text),
    field("aux_unit_name", AUX_UNIT, Text),
    not_kept("process_onway_num", Decimal),
    grouped(SALES_FIELDS, not_kept("num_yesterday", Decimal)),
    grouped(SALES_FIELDS, not_kept("num_60days", Decimal)),
    grouped(SALES_FIELDS, not_kept("num_90days", Decimal)),
    grouped(ALARM_FIELDS, not_kept("safe_stock", Decimal)),
    grouped(ALARM_FIELDS, not_kept("safe_stock_uppe", Decimal)),
    grouped(ALARM_FIELDS, not_kept("alarm_type", Int)),
    grouped(ALARM_FIELDS, not_kept("alarm_days", Decimal)),
    grouped(ALARM_FIELDS, not_kept("alarm_days_upper", Decimal)),
    grouped(ALARM_FIELDS, not_kept("cycle_days", Decimal)),
];

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
    shop_scope: None,
    platform: None,
    fields: STOCK_CHANGE_FIELDS,
    children: &[],
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

/// In the example's order.
const STOCK_CHANGE_FIELDS: &[Field] = &[
    not_kept("actual_weight_new", Decimal),
    // The example shows the time as epoch milliseconds.
    field("created", "l.created", Millis),
    field("src_order_type", SRC_ORDER_TYPE, Int),
    field("num", "ABS(l.num_change)", Decimal),
    field("stock_num_new", STOCK_AFTER, Decimal),
    field("remark", REMARK, Text),
    field("type", CHANGE_TYPE, Int),
    field("spec_no", "sp.spec_no", Text),
    field("src_order_no", SRC_ORDER_NO, Text),
    not_kept("actual_weight", Decimal),
    field("operator_name", OPERATOR, Text),
    field("defect", "l.defect", Bool),
    field("stock_num_old", STOCK_BEFORE, Decimal),
    field("warehouse_name", "w.name", Text),
    field("warehouse_no", "w.warehouse_no", Text),
    field("stockio_no", "l.doc_no", Text),
    not_kept("actual_weight_old", Decimal),
];

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
