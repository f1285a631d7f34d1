//! The purchase documents: `purchase.PurchaseReturn.queryWithDetail` and
//! `purchase.PurchaseOrder.queryWithDetail`, under the key's warehouse scope. Fields in the
//! order of each page's response table, with its example's JSON types; what the ERP keeps and
//! this one does not (settlement, receiving against an order, flags, operators) shows its empty
//! value. Decimals are the stored scaled integers throughout: a line's `amount` is
//! round(round(price × discount) × num) at 4 places, a document's `goods_fee` the sum of its
//! lines' amounts.

use super::Kind::*;
use super::{Children, Field, Listing, field, not_kept};

/// 采购退货单: its lines in line order. A return's stock leaves at its check, all at once, so a
/// line's `out_num` is its `num` once the return is out (`stockout_status` 2), 0 before.
pub(crate) static PURCHASE_RETURNS: Listing = Listing {
    from: "purchase_returns p JOIN warehouses w ON w.id = p.warehouse_id JOIN providers pr ON pr.id = p.provider_id \
           LEFT JOIN logistics l ON l.id = p.logistics_id",
    sid: "p.sid",
    id: "p.id",
    times: &[("modified", "p.modified"), ("created", "p.created")],
    filters: &[("provider_no", "pr.provider_no"), ("return_no", "p.return_no"), ("status", "p.status")],
    warehouse_scope: Some("w.warehouse_no"),
    shop_scope: None,
    platform: None,
    fields: RETURN_FIELDS,
    children: &[Children {
        name: "detail_list",
        from: "purchase_return_details d JOIN purchase_returns p ON p.id = d.purchase_return_id \
               JOIN specs sp ON sp.id = d.spec_id JOIN units bu ON bu.id = sp.base_unit_id \
               LEFT JOIN units u ON u.id = d.unit_id",
        parent: "d.purchase_return_id",
        order: "d.id",
        fields: RETURN_LINE_FIELDS,
    }],
};

/// 采购单: its lines in line order. Orders are kept as loaded (one warehouse, lines in base
/// units at a net untaxed price); nothing is recorded as arrived or stocked in against them.
pub(crate) static PURCHASE_ORDERS: Listing = Listing {
    from: "purchase_orders po JOIN warehouses w ON w.id = po.warehouse_id JOIN providers pr ON pr.id = po.provider_id \
           LEFT JOIN logistics lg ON lg.id = po.logistics_id",
    sid: "po.sid",
    id: "po.id",
    times: &[("modified", "po.modified"), ("created", "po.created")],
    filters: &[
        ("purchase_no", "po.purchase_no"),
        ("provider_no", "pr.provider_no"),
        ("warehouse_no", "w.warehouse_no"),
        (
            "receive_warehouse_no",
            "(SELECT rw.warehouse_no FROM warehouses rw WHERE rw.id = COALESCE(po.receive_warehouse_id, po.warehouse_id))",
        ),
        ("stockin_status", "0"),
        ("status", "po.status"),
    ],
    warehouse_scope: Some("w.warehouse_no"),
    shop_scope: None,
    platform: None,
    fields: ORDER_FIELDS,
    children: &[Children {
        name: "detail_list",
        from: "purchase_order_items i JOIN purchase_orders po ON po.id = i.purchase_order_id \
               JOIN specs sp ON sp.id = i.spec_id JOIN goods g ON g.id = sp.goods_id \
               JOIN units bu ON bu.id = sp.base_unit_id LEFT JOIN units pu ON pu.id = i.unit_id",
        parent: "i.purchase_order_id",
        order: "i.id",
        fields: ORDER_LINE_FIELDS,
    }],
};

const RETURN_FIELDS: &[Field] = &[
    field("return_id", "p.id", Int),
    field("check_operator_name", "p.checked_by", Text),
    field("check_time", "p.check_time", Millis),
    field("city", "p.receive_city", Text),
    field("contact", "p.contact", Text),
    field("created", "p.created", Millis),
    not_kept("creator_name", Text),
    field("district", "p.receive_district", Text),
    field(
        "goods_count",
        "CAST(COALESCE((SELECT SUM(d.num) FROM purchase_return_details d WHERE d.purchase_return_id = p.id), 0) AS BIGINT)",
        Decimal,
    ),
    field(
        "goods_fee",
        "CAST(COALESCE((SELECT SUM(((d.price * d.discount + 5000) / 10000 * d.num + 5000) / 10000) FROM purchase_return_details d WHERE d.purchase_return_id = p.id), 0) AS BIGINT)",
        Decimal,
    ),
    field(
        "goods_out_count",
        "CASE WHEN p.stockout_status = 2 THEN CAST(COALESCE((SELECT SUM(d.num) FROM purchase_return_details d WHERE d.purchase_return_id = p.id), 0) AS BIGINT) ELSE 0 END",
        Decimal,
    ),
    field(
        "goods_type_count",
        "(SELECT COUNT(DISTINCT d.spec_id) FROM purchase_return_details d WHERE d.purchase_return_id = p.id)",
        Int,
    ),
    not_kept("is_reserved", Bool),
    field("logistics_type", "COALESCE(l.logistics_type, 0)", Int),
    field("logistics_no", "l.logistics_code", Text),
    field("logistics_id", "p.logistics_id", Int),
    field("modified", "p.modified", Millis),
    not_kept("note_count", Int),
    field("other_fee", "p.other_fee", Decimal),
    field("outer_no", "p.return_no", Text),
    field("post_fee", "p.post_fee", Decimal),
    field("provider_name", "pr.name", Text),
    field("province", "p.receive_province", Text),
    not_kept("purchaser_name", Text),
    field("receive_address", "p.receive_address", Text),
    field("remark", "p.remark", Text),
    field("return_no", "p.return_no", Text),
    not_kept("settle_status", Int),
    field("status", "p.status", Int),
    field("telno", "p.telno", Text),
    field("type", "1", Int),
    field("warehouse_name", "w.name", Text),
    field("warehouse_no", "w.warehouse_no", Text),
    field("warehouse_id", "w.id", Int),
    field("provider_no", "pr.provider_no", Text),
    field(
        "purchase_no",
        "CASE WHEN (SELECT COUNT(*) FROM purchase_return_refs r WHERE r.purchase_return_id = p.id) = 1 THEN (SELECT po.purchase_no FROM purchase_return_refs r JOIN purchase_orders po ON po.id = r.purchase_order_id WHERE r.purchase_return_id = p.id) ELSE '' END",
        Text,
    ),
    field("stockout_status", "p.stockout_status", Int),
    field("prop1", "p.prop1", Text),
    field("prop2", "p.prop2", Text),
];

const RETURN_LINE_FIELDS: &[Field] = &[
    field("rec_id", "d.id", Int),
    field("spec_no", "sp.spec_no", Text),
    field("spec_id", "d.spec_id", Int),
    not_kept("prop1", Text),
    not_kept("prop2", Text),
    field("return_id", "d.purchase_return_id", Int),
    field("defect", "d.defect", Bool),
    not_kept("provider_goods_no", Text),
    field("num", "d.num", Decimal),
    field("num2", "d.num * 10000 / d.unit_ratio", Decimal),
    field("out_num", "CASE WHEN p.stockout_status = 2 THEN d.num ELSE 0 END", Decimal),
    not_kept("settle_num", Decimal),
    field("unit_ratio", "d.unit_ratio", Decimal),
    field("price", "d.price", Decimal),
    field("discount", "d.discount", Decimal),
    field("tax_rate", "d.tax_rate", Decimal),
    field("tax_price", "d.tax_price", Decimal),
    field("amount", "((d.price * d.discount + 5000) / 10000 * d.num + 5000) / 10000", Decimal),
    field(
        "out_amount",
        "CASE WHEN p.stockout_status = 2 THEN ((d.price * d.discount + 5000) / 10000 * d.num + 5000) / 10000 ELSE 0 END",
        Decimal,
    ),
    field("remark", "d.remark", Text),
    field("modified", "p.modified", Millis),
    field("created", "p.created", Millis),
    field("unit_name", "COALESCE(u.name, bu.name)", Text),
    field("base_unit_name", "bu.name", Text),
];

const ORDER_FIELDS: &[Field] = &[
    field("purchase_id", "po.id", Int),
    field("purchase_no", "po.purchase_no", Text),
    field("provider_no", "pr.provider_no", Text),
    field("provider_id", "po.provider_id", Int),
    field("provider_name", "pr.name", Text),
    field("status", "po.status", Int),
    not_kept("stockin_status", Int),
    not_kept("settle_status", Int),
    field("warehouse_name", "w.name", Text),
    field("warehouse_id", "w.id", Int),
    field("warehouse_no", "w.warehouse_no", Text),
    not_kept("creator_name", Text),
    field("purchaser_name", "po.purchaser_name", Text),
    not_kept("check_operator_name", Text),
    not_kept("facheck_operator_name", Text),
    field("flag_name", "CASE WHEN po.flag_name = '' THEN '无' ELSE po.flag_name END", Text),
    not_kept("flag_id", Int),
    field("logistics_name", "COALESCE(lg.name, '')", Text),
    field("logistics_type", "COALESCE(lg.logistics_type, 0)", Int),
    not_kept("logistics_no", Text),
    field("logistics_id", "COALESCE(po.logistics_id, 0)", Int),
    field("pay_type", "po.pay_type", Int),
    field("postfee_pay_type", "po.postfee_pay_type", Int),
    field(
        "goods_fee",
        "CAST(COALESCE((SELECT SUM((i.num * i.price + 5000) / 10000) FROM purchase_order_items i WHERE i.purchase_order_id = po.id), 0) AS BIGINT)",
        Decimal,
    ),
    field("post_fee", "po.post_fee", Decimal),
    field("other_fee", "po.other_fee", Decimal),
    field(
        "total_fee",
        "CAST(COALESCE((SELECT SUM((i.num * i.price + 5000) / 10000) FROM purchase_order_items i WHERE i.purchase_order_id = po.id), 0) + po.post_fee + po.other_fee AS BIGINT)",
        Decimal,
    ),
    field(
        "tax_fee",
        "CAST(COALESCE((SELECT SUM((i.num * i.price + 5000) / 10000) FROM purchase_order_items i WHERE i.purchase_order_id = po.id), 0) AS BIGINT)",
        Decimal,
    ),
    field(
        "goods_type_count",
        "(SELECT COUNT(DISTINCT i.spec_id) FROM purchase_order_items i WHERE i.purchase_order_id = po.id)",
        Int,
    ),
    field(
        "goods_count",
        "CAST(COALESCE((SELECT SUM(i.num) FROM purchase_order_items i WHERE i.purchase_order_id = po.id), 0) AS BIGINT)",
        Decimal,
    ),
    not_kept("goods_arrive_count", Decimal),
    not_kept("goods_stockin_count", Decimal),
    field("remark", "po.remark", Text),
    field("expect_arrive_time", "po.expect_time", Time),
    field("created", "po.created", Millis),
    field("check_time", "po.check_time", Time),
    field("modified", "po.modified", Millis),
    field("prop1", "po.prop1", Text),
    field("prop2", "po.prop2", Text),
];

const ORDER_LINE_FIELDS: &[Field] = &[
    field("purchase_id", "i.purchase_order_id", Int),
    field("rec_id", "i.id", Int),
    field("spec_id", "i.spec_id", Int),
    field("spec_no", "sp.spec_no", Text),
    not_kept("retail_price", Decimal),
    not_kept("provider_goods_no", Text),
    field("goods_no", "g.goods_no", Text),
    field("goods_name", "g.goods_name", Text),
    not_kept("short_name", Text),
    not_kept("spec_remark", Text),
    field("spec_code", "sp.spec_code", Text),
    field("spec_name", "sp.spec_name", Text),
    field("barcode", "sp.barcode", Text),
    field("brand_name", "g.brand_name", Text),
    not_kept("img_url", Text),
    field("num", "i.num", Decimal),
    field("num2", "i.num * 10000 / i.unit_ratio", Decimal),
    not_kept("confirm_num", Decimal),
    not_kept("arrive_num", Decimal),
    not_kept("settle_num", Decimal),
    not_kept("arrive_more_num", Decimal),
    not_kept("stockin_num", Decimal),
    not_kept("stockin_amount", Decimal),
    not_kept("stopwait_num", Decimal),
    field("lack_num", "i.num", Decimal),
    field("purchase_unit_name", "COALESCE(pu.name, bu.name)", Text),
    field("unit_ratio", "i.unit_ratio", Decimal),
    field("base_unit_name", "bu.name", Text),
    field("price", "i.price", Decimal),
    field("purchase_price", "i.list_price", DecimalText),
    field("aux_price", "i.price", Decimal),
    field("discount", "i.discount", Decimal),
    field("tax_rate", "i.tax_rate", Decimal),
    field("tax_price", "i.tax_price", Decimal),
    field("tax_amount", "(i.num * i.price + 5000) / 10000", Decimal),
    field("dis_price", "i.price", Decimal),
    field("amount", "(i.num * i.price + 5000) / 10000", Decimal),
    not_kept("weight", Decimal),
    field("aux_amount", "(i.num * i.price + 5000) / 10000", Decimal),
    field("remark", "i.remark", Text),
    field("prop1", "i.prop1", Text),
    field("prop2", "i.prop2", Text),
    field("prop3", "i.prop3", Text),
    field("prop4", "i.prop4", Text),
    field("gs_prop1", "sp.prop1", Text),
    field("gs_prop2", "sp.prop2", Text),
    field("gs_prop3", "sp.prop3", Text),
    field("gs_prop4", "sp.prop4", Text),
    field("gs_prop5", "sp.prop5", Text),
    field("gs_prop6", "sp.prop6", Text),
    field("expire_date", "i.expire_date", Time),
    field("modified", "po.modified", Time),
    field("created", "po.created", Time),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// No field is named twice, and both documents are scoped by their warehouse.
    #[test]
    fn documents_are_declared_once_and_scoped() {
        for l in [&PURCHASE_RETURNS, &PURCHASE_ORDERS] {
            assert_eq!(l.warehouse_scope, Some("w.warehouse_no"));
            for fields in [l.fields, l.children[0].fields] {
                let mut seen = std::collections::HashSet::new();
                assert!(fields.iter().all(|f| seen.insert(f.name)), "a field named twice");
            }
        }
    }
}
