//! Master data: `setting.Warehouse.queryWarehouse`, `setting.Shop.queryShop`,
//! `setting.Logistics.queryLogistics`, `setting.PurchaseProvider.queryDetail`. Fields in the
//! order of each page's response table, with its example's JSON types; fields the ERP keeps and
//! this one does not (authorisation times, electronic waybills) show their empty value.

use super::{Field, Listing, fields};

/// 仓库: warehouse scope; `type` is the vendor's warehouse type of the kind kept here (普通 1,
/// 委外 11, 外部 3, as `wdt_domain::model::WarehouseKind::vendor_type`).
pub(crate) static WAREHOUSES: Listing = Listing {
    from: "warehouses w",
    sid: "w.sid",
    id: "w.id",
    times: &[("modified", "w.modified"), ("id", "w.id")],
    filters: &[
        ("warehouse_no", "w.warehouse_no"),
        ("name", "w.name"),
        ("type", WAREHOUSE_TYPE),
        ("sub_type", "w.sub_type"),
        ("is_disabled", "w.is_disabled"),
    ],
    warehouse_scope: Some("w.warehouse_no"),
    fields: WAREHOUSE_FIELDS,
    ..Listing::BASE
};

/// The vendor's warehouse type of the kind kept (the stock search shows it too).
pub(crate) const WAREHOUSE_TYPE: &str = "CASE w.kind WHEN 'normal' THEN 1 WHEN 'outsourced' THEN 11 ELSE 3 END";

// The example shows `modified` as epoch milliseconds and `created` as text.
const WAREHOUSE_FIELDS: &[Field] = fields! { "w";
    Int(warehouse_id = "w.id"), Text(warehouse_no, name, zip, address, province, city, district, mobile, remark),
    Int(r#type = WAREHOUSE_TYPE), Text(telno), Int(sub_type), Text(contact),
    Millis(modified), Bool(is_disabled), Time(created), Text(purchase_contact, purchase_telno, purchase_address),
    NotKept Text(prop1, prop2),
};

/// 店铺: shop scope; every platform's shops are listed (privacy hides documents, not shops).
pub(crate) static SHOPS: Listing = Listing {
    from: "shops s",
    sid: "s.sid",
    id: "s.id",
    times: &[("id", "s.id"), ("modified", "s.modified")],
    filters: &[("shop_no", "s.shop_no"), ("platform_id", "s.platform_id")],
    shop_scope: Some("s.shop_no"),
    fields: SHOP_FIELDS,
    ..Listing::BASE
};

// 分组 (`group_id`): the vendor shows a shop without a group as 无.
const SHOP_FIELDS: &[Field] = fields! { "s";
    Int(shop_id = "s.id"), Text(shop_name, shop_no), Int(platform_id, sub_platform_id),
    Text(contact, province, city, district, address, telno, mobile, zip, email, remark, website),
    Text(group_id = "CASE WHEN s.group_name = '' THEN '无' ELSE s.group_name END", account_id),
    Bool(is_disabled), Int(auth_state), NotKept Text(auth_time, re_expire_time),
    Time(modified), NotKept Text(expire_time), Time(created),
};

/// 物流: no scope. `type` is the first business the company serves (1 销售出库 when it serves
/// every business).
pub(crate) static LOGISTICS: Listing = Listing {
    from: "logistics l",
    sid: "l.sid",
    id: "l.id",
    times: &[("id", "l.id"), ("modified", "l.modified")],
    filters: &[("logistics_no", "l.logistics_code"), ("logistics_name", "l.name"), ("is_disabled", "l.is_disabled")],
    fields: LOGISTICS_FIELDS,
    ..Listing::BASE
};

const LOGISTICS_FIELDS: &[Field] = fields! { "l";
    Int(logistics_id = "l.id", logistics_type), Bool(is_support_cod),
    Text(logistics_no = "l.logistics_code", logistics_name = "l.name", contact, telno, mobile, address),
    NotKept Int(ebill_api), NotKept Bool(is_preset_no), NotKept Int(send_type), Bool(is_disabled),
    NotKept Decimal(max_weight), Text(remark), Time(modified, created), NotKept Text(month_card),
    NotKept Decimal(volume_weight_ratio), NotKept Int(volume_weight_ratio_switch, volume_type),
    NotKept Decimal(volume_threshold, volume_weight_ratio_special),
    FirstCode(r#type = "l.business_types"), NotKept Text(main_logistics_name, quantity),
};

/// 供应商: no scope (the vendor's 供应商权限 is set in its client, not on the key).
/// `last_purchase_time` is the newest purchase order's creation, `null` without one (the page:
/// not returned when the provider has never been purchased from).
pub(crate) static PROVIDERS: Listing = Listing {
    from: "providers p",
    sid: "p.sid",
    id: "p.id",
    times: &[("modified", "p.modified"), ("created", "p.created"), ("id", "p.id")],
    filters: &[
        ("provider_no", "p.provider_no"),
        ("provider_name", "p.name"),
        ("telno", "p.telno"),
        ("mobile", "p.mobile"),
        ("description", "p.description"),
        ("contact", "p.contact"),
        ("is_disabled", "p.is_disabled"),
        ("deleted", "p.deleted"),
    ],
    fields: PROVIDER_FIELDS,
    ..Listing::BASE
};

/// The newest purchase order's creation.
const LAST_PURCHASE: &str = "(SELECT MAX(po.created) FROM purchase_orders po WHERE po.provider_id = p.id)";

// The example shows the times as epoch milliseconds.
const PROVIDER_FIELDS: &[Field] = fields! { "p";
    Int(provider_id = "p.id"), Text(provider_no, provider_name = "p.name", contact, follower_name, telno, mobile),
    Text(fax, zip, email, qq, wangwang, address, website), Int(arrive_cycle_days),
    MillisIfAny(last_purchase_time = LAST_PURCHASE), Text(remark), Bool(is_disabled), Int(deleted),
    Millis(modified, created), Text(province, city, district, account_bank, collect_name, account_bank_no),
};
