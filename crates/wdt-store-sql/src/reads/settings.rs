//! Master data: `setting.Warehouse.queryWarehouse`, `setting.Shop.queryShop`,
//! `setting.Logistics.queryLogistics`, `setting.PurchaseProvider.queryDetail`. Fields in the
//! order of each page's response table, with its example's JSON types; fields the ERP keeps and
//! this one does not (authorisation times, electronic waybills) show their empty value.

use super::Kind::*;
use super::{Field, Listing, field, not_kept};

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
        ("type", "CASE w.kind WHEN 'normal' THEN 1 WHEN 'outsourced' THEN 11 ELSE 3 END"),
        ("sub_type", "w.sub_type"),
        ("is_disabled", "w.is_disabled"),
    ],
    warehouse_scope: Some("w.warehouse_no"),
    shop_scope: None,
    platform: None,
    fields: WAREHOUSE_FIELDS,
    children: &[],
};

const WAREHOUSE_FIELDS: &[Field] = &[
    field("warehouse_id", "w.id", Int),
    field("warehouse_no", "w.warehouse_no", Text),
    field("name", "w.name", Text),
    field("zip", "w.zip", Text),
    field("address", "w.address", Text),
    field("province", "w.province", Text),
    field("city", "w.city", Text),
    field("district", "w.district", Text),
    field("mobile", "w.mobile", Text),
    field("remark", "w.remark", Text),
    field("type", "CASE w.kind WHEN 'normal' THEN 1 WHEN 'outsourced' THEN 11 ELSE 3 END", Int),
    field("telno", "w.telno", Text),
    field("sub_type", "w.sub_type", Int),
    field("contact", "w.contact", Text),
    // The example shows `modified` as epoch milliseconds and `created` as text.
    field("modified", "w.modified", Millis),
    field("is_disabled", "w.is_disabled", Bool),
    field("created", "w.created", Time),
    field("purchase_contact", "w.purchase_contact", Text),
    field("purchase_telno", "w.purchase_telno", Text),
    field("purchase_address", "w.purchase_address", Text),
    not_kept("prop1", Text),
    not_kept("prop2", Text),
];

/// 店铺: shop scope; every platform's shops are listed (privacy hides documents, not shops).
pub(crate) static SHOPS: Listing = Listing {
    from: "shops s",
    sid: "s.sid",
    id: "s.id",
    times: &[("id", "s.id"), ("modified", "s.modified")],
    filters: &[("shop_no", "s.shop_no"), ("platform_id", "s.platform_id")],
    warehouse_scope: None,
    shop_scope: Some("s.shop_no"),
    platform: None,
    fields: SHOP_FIELDS,
    children: &[],
};

const SHOP_FIELDS: &[Field] = &[
    field("shop_id", "s.id", Int),
    field("shop_name", "s.shop_name", Text),
    field("shop_no", "s.shop_no", Text),
    field("platform_id", "s.platform_id", Int),
    field("sub_platform_id", "s.sub_platform_id", Int),
    field("contact", "s.contact", Text),
    field("province", "s.province", Text),
    field("city", "s.city", Text),
    field("district", "s.district", Text),
    field("address", "s.address", Text),
    field("telno", "s.telno", Text),
    field("mobile", "s.mobile", Text),
    field("zip", "s.zip", Text),
    field("email", "s.email", Text),
    field("remark", "s.remark", Text),
    field("website", "s.website", Text),
    // 分组: the vendor shows a shop without a group as 无.
    field("group_id", "CASE WHEN s.group_name = '' THEN '无' ELSE s.group_name END", Text),
    field("account_id", "s.account_id", Text),
    field("is_disabled", "s.is_disabled", Bool),
    field("auth_state", "s.auth_state", Int),
    not_kept("auth_time", Text),
    not_kept("re_expire_time", Text),
    field("modified", "s.modified", Time),
    not_kept("expire_time", Text),
    field("created", "s.created", Time),
];

/// 物流: no scope. `type` is the first business the company serves (1 销售出库 when it serves
/// every business).
pub(crate) static LOGISTICS: Listing = Listing {
    from: "logistics l",
    sid: "l.sid",
    id: "l.id",
    times: &[("id", "l.id"), ("modified", "l.modified")],
    filters: &[("logistics_no", "l.logistics_code"), ("logistics_name", "l.name"), ("is_disabled", "l.is_disabled")],
    warehouse_scope: None,
    shop_scope: None,
    platform: None,
    fields: LOGISTICS_FIELDS,
    children: &[],
};

const LOGISTICS_FIELDS: &[Field] = &[
    field("logistics_id", "l.id", Int),
    field("logistics_type", "l.logistics_type", Int),
    field("is_support_cod", "l.is_support_cod", Bool),
    field("logistics_no", "l.logistics_code", Text),
    field("logistics_name", "l.name", Text),
    field("contact", "l.contact", Text),
    field("telno", "l.telno", Text),
    field("mobile", "l.mobile", Text),
    field("address", "l.address", Text),
    not_kept("ebill_api", Int),
    not_kept("is_preset_no", Bool),
    not_kept("send_type", Int),
    field("is_disabled", "l.is_disabled", Bool),
    not_kept("max_weight", Decimal),
    field("remark", "l.remark", Text),
    field("modified", "l.modified", Time),
    field("created", "l.created", Time),
    not_kept("month_card", Text),
    not_kept("volume_weight_ratio", Decimal),
    not_kept("volume_weight_ratio_switch", Int),
    not_kept("volume_type", Int),
    not_kept("volume_threshold", Decimal),
    not_kept("volume_weight_ratio_special", Decimal),
    field("type", "l.business_types", FirstCode),
    not_kept("main_logistics_name", Text),
    not_kept("quantity", Text),
];

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
    warehouse_scope: None,
    shop_scope: None,
    platform: None,
    fields: PROVIDER_FIELDS,
    children: &[],
};

const PROVIDER_FIELDS: &[Field] = &[
    field("provider_id", "p.id", Int),
    field("provider_no", "p.provider_no", Text),
    field("provider_name", "p.name", Text),
    field("contact", "p.contact", Text),
    field("follower_name", "p.follower_name", Text),
    field("telno", "p.telno", Text),
    field("mobile", "p.mobile", Text),
    field("fax", "p.fax", Text),
    field("zip", "p.zip", Text),
    field("email", "p.email", Text),
    field("qq", "p.qq", Text),
    field("wangwang", "p.wangwang", Text),
    field("address", "p.address", Text),
    field("website", "p.website", Text),
    field("arrive_cycle_days", "p.arrive_cycle_days", Int),
    field(
        "last_purchase_time",
        "(SELECT MAX(po.created) FROM purchase_orders po WHERE po.provider_id = p.id)",
        MillisIfAny,
    ),
    field("remark", "p.remark", Text),
    field("is_disabled", "p.is_disabled", Bool),
    field("deleted", "p.deleted", Int),
    // The example shows the times as epoch milliseconds.
    field("modified", "p.modified", Millis),
    field("created", "p.created", Millis),
    field("province", "p.province", Text),
    field("city", "p.city", Text),
    field("district", "p.district", Text),
    field("account_bank", "p.account_bank", Text),
    field("collect_name", "p.collect_name", Text),
    field("account_bank_no", "p.account_bank_no", Text),
];
