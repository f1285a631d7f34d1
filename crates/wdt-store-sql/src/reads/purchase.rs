//! The purchase documents: `purchase.PurchaseReturn.queryWithDetail` and
//! `purchase.PurchaseOrder.queryWithDetail`, under the key's warehouse scope. Fields in the
//! order of each page's response table, with its example's JSON types; what the ERP keeps and
//! this one does not (settlement, receiving against an order, flags, operators) shows its empty
//! value. Decimals are the stored scaled integers throughout: a line's `amount` is
//! round(round(price × discount) × num) at 4 places, a document's `goods_fee` the sum of its
//! lines' amounts.

use super::{Children, Field, Listing, fields};

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
    ..Listing::BASE
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
    ..Listing::BASE
};

/// The return's lines' sum of `expr` (of `d`), as a BIGINT.
macro_rules! return_lines {
    ($expr:expr) => {
        concat!(
            "CAST(COALESCE((SELECT SUM(",
            $expr,
            ") FROM purchase_return_details d WHERE d.purchase_return_id = p.id), 0) AS BIGINT)"
        )
    };
}

/// A return line's amount: round(round(price × discount) × num).
macro_rules! line_amount {
    () => {
        "((d.price * d.discount + 5000) / 10000 * d.num + 5000) / 10000"
    };
}

/// The order's lines' amounts, summed (without the cast).
macro_rules! order_goods_fee {
    () => {
        "COALESCE((SELECT SUM((i.num * i.price + 5000) / 10000) FROM purchase_order_items i \
         WHERE i.purchase_order_id = po.id), 0)"
    };
}

/// The order purchased from, when the return names exactly one.
const RETURN_PURCHASE_NO: &str = "CASE WHEN (SELECT COUNT(*) FROM purchase_return_refs r \
                                  WHERE r.purchase_return_id = p.id) = 1 \
                                  THEN (SELECT po.purchase_no FROM purchase_return_refs r JOIN purchase_orders po \
                                  ON po.id = r.purchase_order_id WHERE r.purchase_return_id = p.id) ELSE '' END";

const RETURN_FIELDS: &[Field] = fields! { "p";
    Int(return_id = "p.id"), Text(check_operator_name = "p.checked_by"), Millis(check_time),
    Text(city = "p.receive_city", contact), Millis(created), NotKept Text(creator_name),
    Text(district = "p.receive_district"),
    Decimal(goods_count = return_lines!("d.num"), goods_fee = return_lines!(line_amount!())),
    Decimal(goods_out_count = concat!("CASE WHEN p.stockout_status = 2 THEN ", return_lines!("d.num"), " ELSE 0 END")),
    Int(goods_type_count = "(SELECT COUNT(DISTINCT d.spec_id) FROM purchase_return_details d \
                            WHERE d.purchase_return_id = p.id)"),
    NotKept Bool(is_reserved), Int(logistics_type = "COALESCE(l.logistics_type, 0)"),
    Text(logistics_no = "l.logistics_code"), Int(logistics_id), Millis(modified), NotKept Int(note_count),
    Decimal(other_fee), Text(outer_no = "p.return_no"), Decimal(post_fee), Text(provider_name = "pr.name"),
    Text(province = "p.receive_province"), NotKept Text(purchaser_name), Text(receive_address, remark, return_no),
    NotKept Int(settle_status), Int(status), Text(telno), Int(r#type = "1"), Text(warehouse_name = "w.name"),
    Text(warehouse_no = "w.warehouse_no"), Int(warehouse_id = "w.id"), Text(provider_no = "pr.provider_no"),
    Text(purchase_no = RETURN_PURCHASE_NO), Int(stockout_status), Text(prop1, prop2),
};

const RETURN_LINE_FIELDS: &[Field] = fields! { "d";
    Int(rec_id = "d.id"), Text(spec_no = "sp.spec_no"), Int(spec_id), NotKept Text(prop1, prop2),
    Int(return_id = "d.purchase_return_id"), Bool(defect), NotKept Text(provider_goods_no),
    Decimal(num, num2 = "d.num * 10000 / d.unit_ratio"),
    Decimal(out_num = "CASE WHEN p.stockout_status = 2 THEN d.num ELSE 0 END"),
    NotKept Decimal(settle_num), Decimal(unit_ratio, price, discount, tax_rate, tax_price, amount = line_amount!()),
    Decimal(out_amount = concat!("CASE WHEN p.stockout_status = 2 THEN ", line_amount!(), " ELSE 0 END")),
    Text(remark), Millis(modified = "p.modified", created = "p.created"),
    Text(unit_name = "COALESCE(u.name, bu.name)", base_unit_name = "bu.name"),
};

const ORDER_FIELDS: &[Field] = fields! { "po";
    Int(purchase_id = "po.id"), Text(purchase_no, provider_no = "pr.provider_no"), Int(provider_id),
    Text(provider_name = "pr.name"), Int(status), NotKept Int(stockin_status, settle_status),
    Text(warehouse_name = "w.name"), Int(warehouse_id = "w.id"), Text(warehouse_no = "w.warehouse_no"),
    NotKept Text(creator_name), Text(purchaser_name), NotKept Text(check_operator_name, facheck_operator_name),
    Text(flag_name = "CASE WHEN po.flag_name = '' THEN '无' ELSE po.flag_name END"), NotKept Int(flag_id),
    Text(logistics_name = "COALESCE(lg.name, '')"), Int(logistics_type = "COALESCE(lg.logistics_type, 0)"),
    NotKept Text(logistics_no), Int(logistics_id = "COALESCE(po.logistics_id, 0)", pay_type, postfee_pay_type),
    Decimal(goods_fee = concat!("CAST(", order_goods_fee!(), " AS BIGINT)"), post_fee, other_fee),
    Decimal(total_fee = concat!("CAST(", order_goods_fee!(), " + po.post_fee + po.other_fee AS BIGINT)")),
    Decimal(tax_fee = concat!("CAST(", order_goods_fee!(), " AS BIGINT)")),
    Int(goods_type_count = "(SELECT COUNT(DISTINCT i.spec_id) FROM purchase_order_items i \
                            WHERE i.purchase_order_id = po.id)"),
    Decimal(goods_count = "CAST(COALESCE((SELECT SUM(i.num) FROM purchase_order_items i \
                           WHERE i.purchase_order_id = po.id), 0) AS BIGINT)"),
    NotKept Decimal(goods_arrive_count, goods_stockin_count), Text(remark),
    Time(expect_arrive_time = "po.expect_time"), Millis(created), Time(check_time), Millis(modified),
    Text(prop1, prop2),
};

/// A purchase line's amount: round(num × price).
const ORDER_LINE_AMOUNT: &str = "(i.num * i.price + 5000) / 10000";

const ORDER_LINE_FIELDS: &[Field] = fields! { "i";
    Int(purchase_id = "i.purchase_order_id", rec_id = "i.id", spec_id), Text(spec_no = "sp.spec_no"),
    NotKept Decimal(retail_price), NotKept Text(provider_goods_no),
    Text(goods_no = "g.goods_no", goods_name = "g.goods_name"),
    NotKept Text(short_name, spec_remark), Text(spec_code = "sp.spec_code", spec_name = "sp.spec_name"),
    Text(barcode = "sp.barcode", brand_name = "g.brand_name"), NotKept Text(img_url),
    Decimal(num, num2 = "i.num * 10000 / i.unit_ratio"),
    NotKept Decimal(confirm_num, arrive_num, settle_num, arrive_more_num, stockin_num, stockin_amount, stopwait_num),
    Decimal(lack_num = "i.num"), Text(purchase_unit_name = "COALESCE(pu.name, bu.name)"), Decimal(unit_ratio),
    Text(base_unit_name = "bu.name"), Decimal(price), DecimalText(purchase_price = "i.list_price"),
    Decimal(aux_price = "i.price", discount, tax_rate, tax_price, tax_amount = ORDER_LINE_AMOUNT),
    Decimal(dis_price = "i.price", amount = ORDER_LINE_AMOUNT), NotKept Decimal(weight),
    Decimal(aux_amount = ORDER_LINE_AMOUNT), Text(remark, prop1, prop2, prop3, prop4),
    Text(gs_prop1 = "sp.prop1", gs_prop2 = "sp.prop2", gs_prop3 = "sp.prop3"),
    Text(gs_prop4 = "sp.prop4", gs_prop5 = "sp.prop5", gs_prop6 = "sp.prop6"),
    Time(expire_date, modified = "po.modified", created = "po.created"),
};

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
