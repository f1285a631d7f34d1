//! `goods.Goods.queryWithSpec`: goods with their specs, each spec with its barcode. No key scope
//! (the page's 品牌权限 is set in the vendor's client). A goods record's `modified` (what the
//! window and the order read) is the latest of its own and its specs' modified times, so a
//! change to either shows in the next window. Fields follow the page's example, with its JSON
//! types; prices, dimensions, classes and flags are not kept and show their empty value.

use super::{Children, Field, Listing, fields};

/// The latest of the goods record's and its specs' modified times.
const MODIFIED: &str = "(CASE WHEN COALESCE((SELECT MAX(s9.modified) FROM specs s9 WHERE s9.goods_id = g.id), 0) > g.modified THEN (SELECT MAX(s9.modified) FROM specs s9 WHERE s9.goods_id = g.id) ELSE g.modified END)";

/// 货品: specs in id order; the one barcode kept per spec is its main one (`barcode_list` is
/// empty without it).
pub(crate) static GOODS: Listing = Listing {
    from: "goods g",
    sid: "g.sid",
    id: "g.id",
    times: &[("modified", MODIFIED), ("goods_modified", "g.modified")],
    filters: &[
        ("spec_no", "g.id IN (SELECT x.goods_id FROM specs x WHERE x.spec_no{})"),
        ("goods_no", "g.goods_no"),
        ("brand_name", "g.brand_name"),
        // No classes are kept: a named class matches nothing.
        ("class_name", "''"),
        ("barcode", "g.id IN (SELECT x.goods_id FROM specs x WHERE x.barcode{})"),
    ],
    fields: GOODS_FIELDS,
    children: &[
        Children {
            name: "spec_list",
            from: "specs sp JOIN units bu ON bu.id = sp.base_unit_id",
            parent: "sp.goods_id",
            order: "sp.id",
            fields: SPEC_FIELDS,
        },
        Children {
            name: "spec_list/barcode_list",
            from: "(SELECT id, barcode, modified FROM specs WHERE barcode <> '') bc",
            parent: "bc.id",
            order: "bc.id",
            fields: BARCODE_FIELDS,
        },
    ],
    ..Listing::BASE
};

/// The first spec's base unit.
const UNIT_NAME: &str = "(SELECT u1.name FROM specs s1 JOIN units u1 ON u1.id = s1.base_unit_id \
                         WHERE s1.id = (SELECT MIN(s1.id) FROM specs s1 WHERE s1.goods_id = g.id))";
/// The first spec's smallest other unit.
const AUX_UNIT_NAME: &str = "(SELECT u2.name FROM spec_units su JOIN units u2 ON u2.id = su.unit_id \
                             WHERE su.spec_id = (SELECT MIN(s1.id) FROM specs s1 WHERE s1.goods_id = g.id) \
                             ORDER BY su.ratio, u2.id LIMIT 1)";
/// The spec's smallest other unit, `''` without one.
const SPEC_AUX_UNIT_NAME: &str = "COALESCE((SELECT u2.name FROM spec_units su JOIN units u2 ON u2.id = su.unit_id \
                                  WHERE su.spec_id = sp.id ORDER BY su.ratio, u2.id LIMIT 1), '')";

const GOODS_FIELDS: &[Field] = fields! { "g";
    Int(goods_id = "g.id"), Text(goods_no, goods_name), NotKept Text(short_name, alias),
    Int(goods_type = "1", spec_count = "(SELECT COUNT(*) FROM specs s0 WHERE s0.goods_id = g.id)"),
    Text(brand_name), NotKept Int(brand_id), NotKept Text(remark, prop1, prop2, prop3, prop4, prop5, prop6),
    NotKept Text(origin, class_name), NotKept Int(class_id),
    Text(unit_name = UNIT_NAME, aux_unit_name = AUX_UNIT_NAME, flag_name = "'无'"), NotKept Int(deleted),
    Millis(goods_modified = "g.modified"), Time(goods_created = "g.created", modified = MODIFIED),
    Text(brand_no), NotKept Text(pinyin),
};

const SPEC_FIELDS: &[Field] = fields! { "sp";
    Int(goods_id, spec_id = "sp.id"), Text(spec_no, spec_code, barcode, spec_name),
    NotKept Decimal(lowest_price, retail_price, wholesale_price, member_price, market_price),
    Int(validity_days), NotKept Int(sales_days, receive_days), NotKept Decimal(weight, length, width, height),
    Int(sn_type = "sp.sn_managed"), NotKept Bool(is_lower_cost), NotKept Int(is_not_use_air, wms_process_mask),
    NotKept Decimal(tax_rate), NotKept Int(large_type), NotKept Text(goods_label), NotKept Int(deleted),
    NotKept Text(remark), Millis(spec_modified = "sp.modified"), Time(spec_created = "sp.created"),
    Text(prop1, prop2, prop3, prop4, prop5, prop6), NotKept Decimal(custom_price1, custom_price2),
    NotKept Text(img_url), Text(spec_unit_name = "bu.name", spec_aux_unit_name = SPEC_AUX_UNIT_NAME),
    NotKept Text(tax_code),
};

const BARCODE_FIELDS: &[Field] = fields! { "bc";
    Text(barcode), Int(r#type = "1", is_master = "1"), Time(modified),
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A list nested in a nested list names its outer list, declared before it, and reads the
    /// outer rows' `order` column (their id) as its parent.
    #[test]
    fn the_barcodes_are_nested_in_the_spec_list() {
        let [specs, barcodes] = GOODS.children else { panic!("two nested lists") };
        assert_eq!(barcodes.name.rsplit_once('/'), Some((specs.name, "barcode_list")));
        assert_eq!(specs.order, "sp.id", "the spec's id is the barcodes' parent key");
        let names: Vec<&str> = GOODS.fields.iter().map(|f| f.name).collect();
        let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
        assert_eq!(names.len(), unique.len(), "a field named twice");
    }
}
