//! `goods.Goods.queryWithSpec`: goods with their specs, each spec with its barcode. No key scope
//! (the page's 品牌权限 is set in the vendor's client). A goods record's `modified` (what the
//! window and the order read) is the latest of its own and its specs' modified times, so a
//! change to either shows in the next window. Fields follow the page's example, with its JSON
//! types; prices, dimensions, classes and flags are not kept and show their empty value.

use super::Kind::*;
use super::{Children, Field, Listing, field, not_kept};

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
    warehouse_scope: None,
    shop_scope: None,
    platform: None,
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
};

const GOODS_FIELDS: &[Field] = &[
    field("goods_id", "g.id", Int),
    field("goods_no", "g.goods_no", Text),
    field("goods_name", "g.goods_name", Text),
    not_kept("short_name", Text),
    not_kept("alias", Text),
    field("goods_type", "1", Int),
    field("spec_count", "(SELECT COUNT(*) FROM specs s0 WHERE s0.goods_id = g.id)", Int),
    field("brand_name", "g.brand_name", Text),
    not_kept("brand_id", Int),
    not_kept("remark", Text),
    not_kept("prop1", Text),
    not_kept("prop2", Text),
    not_kept("prop3", Text),
    not_kept("prop4", Text),
    not_kept("prop5", Text),
    not_kept("prop6", Text),
    not_kept("origin", Text),
    not_kept("class_name", Text),
    not_kept("class_id", Int),
    field(
        "unit_name",
        "(SELECT u1.name FROM specs s1 JOIN units u1 ON u1.id = s1.base_unit_id WHERE s1.id = (SELECT MIN(s1.id) FROM specs s1 WHERE s1.goods_id = g.id))",
        Text,
    ),
    field(
        "aux_unit_name",
        "(SELECT u2.name FROM spec_units su JOIN units u2 ON u2.id = su.unit_id WHERE su.spec_id = (SELECT MIN(s1.id) FROM specs s1 WHERE s1.goods_id = g.id) ORDER BY su.ratio, u2.id LIMIT 1)",
        Text,
    ),
    field("flag_name", "'无'", Text),
    not_kept("deleted", Int),
    field("goods_modified", "g.modified", Millis),
    field("goods_created", "g.created", Time),
    field("modified", MODIFIED, Time),
    field("brand_no", "g.brand_no", Text),
    not_kept("pinyin", Text),
];

const SPEC_FIELDS: &[Field] = &[
    field("goods_id", "sp.goods_id", Int),
    field("spec_id", "sp.id", Int),
    field("spec_no", "sp.spec_no", Text),
    field("spec_code", "sp.spec_code", Text),
    field("barcode", "sp.barcode", Text),
    field("spec_name", "sp.spec_name", Text),
    not_kept("lowest_price", Decimal),
    not_kept("retail_price", Decimal),
    not_kept("wholesale_price", Decimal),
    not_kept("member_price", Decimal),
    not_kept("market_price", Decimal),
    field("validity_days", "sp.validity_days", Int),
    not_kept("sales_days", Int),
    not_kept("receive_days", Int),
    not_kept("weight", Decimal),
    not_kept("length", Decimal),
    not_kept("width", Decimal),
    not_kept("height", Decimal),
    field("sn_type", "sp.sn_managed", Int),
    not_kept("is_lower_cost", Bool),
    not_kept("is_not_use_air", Int),
    not_kept("wms_process_mask", Int),
    not_kept("tax_rate", Decimal),
    not_kept("large_type", Int),
    not_kept("goods_label", Text),
    not_kept("deleted", Int),
    not_kept("remark", Text),
    field("spec_modified", "sp.modified", Millis),
    field("spec_created", "sp.created", Time),
    field("prop1", "sp.prop1", Text),
    field("prop2", "sp.prop2", Text),
    field("prop3", "sp.prop3", Text),
    field("prop4", "sp.prop4", Text),
    field("prop5", "sp.prop5", Text),
    field("prop6", "sp.prop6", Text),
    not_kept("custom_price1", Decimal),
    not_kept("custom_price2", Decimal),
    not_kept("img_url", Text),
    field("spec_unit_name", "bu.name", Text),
    field(
        "spec_aux_unit_name",
        "COALESCE((SELECT u2.name FROM spec_units su JOIN units u2 ON u2.id = su.unit_id WHERE su.spec_id = sp.id ORDER BY su.ratio, u2.id LIMIT 1), '')",
        Text,
    ),
    not_kept("tax_code", Text),
];

const BARCODE_FIELDS: &[Field] = &[
    field("barcode", "bc.barcode", Text),
    field("type", "1", Int),
    field("is_master", "1", Int),
    field("modified", "bc.modified", Time),
];

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
