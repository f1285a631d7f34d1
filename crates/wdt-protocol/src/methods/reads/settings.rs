//! The master-data queries: `setting.Warehouse.queryWarehouse`, `setting.Shop.queryShop`,
//! `setting.Logistics.queryLogistics`, `setting.PurchaseProvider.queryDetail`. Each answers a
//! [`DetailsPage`] of its rows. Row fields follow the page's response table,
//! with the types of its example (`modified` as epoch milliseconds where the example shows a
//! number, as `yyyy-MM-dd HH:mm:ss` text where it shows text).

use serde::{Deserialize, Serialize};

use crate::decimal::Dec4;
use crate::error::ApiError;
use crate::methods::lenient::{optional, row_struct, wire_struct};
use crate::methods::rules;

use super::{DetailsPage, LOGISTICS_QUERY, PROVIDER_QUERY, ReadParams, SHOP_QUERY, WAREHOUSE_QUERY};

wire_struct! {
    /// `setting.Warehouse.queryWarehouse` `params`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct WarehouseQuery {
        /// 仓库编号 (≤ 40).
        pub warehouse_no?: String,
        /// 仓库名称 (≤ 64).
        pub warehouse_name?: String,
        /// 类型: 1 普通, 2 自流转, 3 平台, 4 京东沧海, 6 抖音云仓, 11 委外, 125 代发仓, 126 分销委外.
        #[serde(rename = "type", default, deserialize_with = "optional", skip_serializing_if = "Option::is_none")]
        pub kind: Option<i64>,
        /// 子类型 (0 默认, 1 旺店通, …, 36 GEEK).
        pub sub_type?: i64,
        /// 开始时间 (last modified), `yyyy-MM-dd HH:mm:ss`; with `end_time` or not at all.
        pub start_time?: String,
        /// 结束时间 (last modified).
        pub end_time?: String,
        /// 是否隐藏已停用数据: 0 不隐藏, 1 隐藏 (the default).
        pub hide_delete?: i64,
    }
}

/// The warehouse types `type` may name.
pub const WAREHOUSE_TYPES: &[i64] = &[1, 2, 3, 4, 6, 11, 125, 126];

impl ReadParams for WarehouseQuery {
    const METHOD: &'static str = WAREHOUSE_QUERY;
    type Page = DetailsPage<WarehouseRow>;
    const WINDOW: Option<Option<i64>> = Some(None);

    fn set_window(&mut self, start: String, end: String) {
        (self.start_time, self.end_time) = (Some(start), Some(end));
    }

    fn validate(&self) -> Result<(), ApiError> {
        rules::optional_text("warehouse_no", self.warehouse_no.as_deref(), 40)?;
        rules::optional_text("warehouse_name", self.warehouse_name.as_deref(), 64)?;
        rules::one_of("type", self.kind, WAREHOUSE_TYPES, |t| t)?;
        rules::one_of("sub_type", self.sub_type, &(0..=36).collect::<Vec<i64>>(), |t| t)?;
        rules::optional_text("start_time", self.start_time.as_deref(), 40)?;
        rules::optional_text("end_time", self.end_time.as_deref(), 40)?;
        rules::one_of("hide_delete", self.hide_delete, &[0, 1], |t| t)?;
        Ok(())
    }
}

row_struct! {
    /// One warehouse (`details[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct WarehouseRow {
        /// 仓库id.
        warehouse_id: i64;
        /// 仓库编号.
        warehouse_no,
        /// 仓库名称.
        name,
        /// 邮编.
        zip,
        /// 地址.
        address,
        /// 省份.
        province,
        /// 城市.
        city,
        /// 区县.
        district,
        /// 手机.
        mobile,
        /// 备注.
        remark: String;
        /// 类别 (1 普通, 11 委外, 3 平台, …).
        #[serde(rename = "type")]
        kind: i64;
        /// 固话.
        telno: String;
        /// 子类别.
        sub_type: i64;
        /// 联系人.
        contact: String;
        /// 修改时间, epoch milliseconds (as the page's example).
        modified: i64;
        /// 停用.
        is_disabled: bool;
        /// 创建时间, `yyyy-MM-dd HH:mm:ss`.
        created,
        /// 采购联系人.
        purchase_contact,
        /// 采购联系电话.
        purchase_telno,
        /// 采购联系地址.
        purchase_address,
        /// 自定义属性1 (the example's `prop1`).
        prop1,
        /// 自定义属性2.
        prop2: String;
    }
}

wire_struct! {
    /// `setting.Shop.queryShop` `params`. Without `shop_no` every shop the key may see is listed.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ShopQuery {
        /// 店铺编号 (≤ 20).
        pub shop_no?: String [max 20],
        /// 平台id.
        pub platform_id?: i64,
    }
}

impl ReadParams for ShopQuery {
    const METHOD: &'static str = SHOP_QUERY;
    type Page = DetailsPage<ShopRow>;

    fn validate(&self) -> Result<(), ApiError> {
        self.check_declared(|f| f)
    }
}

row_struct! {
    /// One shop (`details[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct ShopRow {
        /// 店铺id.
        shop_id: i64;
        /// 店铺名称.
        shop_name,
        /// 店铺编号.
        shop_no: String;
        /// 平台id.
        platform_id,
        /// 子平台id.
        sub_platform_id: i64;
        /// 联系人.
        contact,
        /// 省份.
        province,
        /// 城市.
        city,
        /// 区县.
        district,
        /// 地址.
        address,
        /// 电话.
        telno,
        /// 手机.
        mobile,
        /// 邮编.
        zip,
        /// Email.
        email,
        /// 备注.
        remark,
        /// 网址.
        website,
        /// 分组 (`无` without one).
        group_id,
        /// 平台的主键.
        account_id: String;
        /// 停用.
        is_disabled: bool;
        /// 授权状态: 0 未授权, 1 已授权, 2 授权失效, 3 授权停用.
        auth_state: i64;
        /// 授权时间.
        auth_time,
        /// refresh_token过期时间.
        re_expire_time,
        /// 修改时间, `yyyy-MM-dd HH:mm:ss`.
        modified,
        /// session过期时间.
        expire_time,
        /// 创建时间, `yyyy-MM-dd HH:mm:ss`.
        created: String;
    }
}

wire_struct! {
    /// `setting.Logistics.queryLogistics` `params`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct LogisticsQuery {
        /// 物流编号 (≤ 40).
        pub logistics_no?: String [max 40],
        /// 物流名称 (≤ 40).
        pub logistics_name?: String [max 40],
        /// 是否隐藏已停用: true (the default) hides them.
        pub hide_delete?: bool,
        /// 是否需要刷新单量余额 (no waybill balances are kept: `quantity` stays empty).
        pub need_quantity?: bool,
    }
}

impl ReadParams for LogisticsQuery {
    const METHOD: &'static str = LOGISTICS_QUERY;
    type Page = DetailsPage<LogisticsRow>;

    fn validate(&self) -> Result<(), ApiError> {
        self.check_declared(|f| f)
    }
}

row_struct! {
    /// One logistics company (`details[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct LogisticsRow {
        /// 物流id.
        logistics_id,
        /// 物流类型 (物流代码表).
        logistics_type: i64;
        /// 是否支持货到付款.
        is_support_cod: bool;
        /// 物流编号.
        logistics_no,
        /// 物流名称.
        logistics_name,
        /// 联系人.
        contact,
        /// 固话/联系电话.
        telno,
        /// 手机.
        mobile,
        /// 地址.
        address: String;
        /// 单号来源 (0 纸质面单).
        ebill_api: i64;
        /// 是否预支单号.
        is_preset_no: bool;
        /// 货运方式 (0 标准快递).
        send_type: i64;
        /// 停用.
        is_disabled: bool;
        /// 重量上限.
        max_weight: Dec4;
        /// 备注.
        remark,
        /// 修改时间, `yyyy-MM-dd HH:mm:ss`.
        modified,
        /// 创建时间, `yyyy-MM-dd HH:mm:ss`.
        created,
        /// 月结卡号.
        month_card: String;
        /// 抛重比.
        volume_weight_ratio: Dec4;
        /// 是否使用分区抛重比.
        volume_weight_ratio_switch,
        /// 分区类型.
        volume_type: i64;
        /// 阈值.
        volume_threshold,
        /// 分区抛重比.
        volume_weight_ratio_special: Dec4;
        /// 业务类型 (1 销售出库, 2 销售退货, 10 采购业务, 127 其它).
        #[serde(rename = "type")]
        business_type: i64;
        /// 主物流.
        main_logistics_name,
        /// 单量余额.
        quantity: String;
    }
}

wire_struct! {
    /// `setting.PurchaseProvider.queryDetail` `params`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ProviderQuery {
        /// 供应商编号 (≤ 20).
        pub provider_no?: String [max 20],
        /// 供应商名称 (≤ 64).
        pub provider_name?: String [max 64],
        /// 电话 (≤ 20).
        pub telno?,
        /// 手机 (≤ 20).
        pub mobile?: String [max 20],
        /// 采购平台供应商账户名 (≤ 128).
        pub description?: String [max 128],
        /// 联系人 (≤ 40).
        pub contact?: String [max 40],
        /// 创建开始时间.
        pub created_begin?,
        /// 创建结束时间.
        pub created_end?,
        /// 修改开始时间.
        pub modified_begin?,
        /// 修改结束时间.
        pub modified_end?: String [time],
        /// 是否停用: 1 停用, 0 未停用.
        pub is_disabled?: i64 [one_of &[0, 1]],
        /// 是否删除: 0 未删除, 1 已删除.
        pub deleted?: i64 [one_of &[0, 1]],
    }
}

impl ReadParams for ProviderQuery {
    const METHOD: &'static str = PROVIDER_QUERY;
    type Page = DetailsPage<ProviderRow>;
    /// The modified window (`modified_begin` / `modified_end`).
    const WINDOW: Option<Option<i64>> = Some(None);

    fn set_window(&mut self, start: String, end: String) {
        (self.modified_begin, self.modified_end) = (Some(start), Some(end));
    }

    fn validate(&self) -> Result<(), ApiError> {
        self.check_declared(|f| f)
    }
}

row_struct! {
    /// One provider (`details[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct ProviderRow {
        /// 供应商id.
        provider_id: i64;
        /// 供应商编号.
        provider_no,
        /// 供应商名称.
        provider_name,
        /// 联系人.
        contact,
        /// 跟进人.
        follower_name,
        /// 固话.
        telno,
        /// 手机.
        mobile,
        /// 传真.
        fax,
        /// 邮编.
        zip,
        /// 邮件.
        email,
        /// QQ.
        qq,
        /// 旺旺.
        wangwang,
        /// 地址.
        address,
        /// 网址.
        website: String;
        /// 到货天数.
        arrive_cycle_days: i64;
        /// 上次采购日期, epoch milliseconds; absent when nothing was ever purchased from it.
        #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "optional")]
        last_purchase_time: Option<i64>;
        /// 备注.
        remark: String;
        /// 停用.
        is_disabled: bool;
        /// 是否删除 (0 正常).
        deleted,
        /// 最后修改时间, epoch milliseconds.
        modified,
        /// 创建时间, epoch milliseconds.
        created: i64;
        /// 省.
        province,
        /// 市.
        city,
        /// 区.
        district,
        /// 收款银行.
        account_bank,
        /// 收款人.
        collect_name,
        /// 银行账号.
        account_bank_no: String;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn refusal<P: ReadParams>(params: serde_json::Value) -> Option<String> {
        P::from_args(vec![params]).err().map(|e| e.to_string())
    }

    /// (params, the refusal's text, or `None` when accepted), one table per method.
    #[test]
    fn parameters_are_checked_as_the_pages_say() {
        let warehouse: &[(serde_json::Value, Option<&str>)] = &[
            (json!({}), None),
            (json!({"warehouse_no": "W".repeat(40), "type": "11", "hide_delete": 0}), None),
            (json!({"warehouse_no": "W".repeat(41)}), Some("超长(最大40) warehouse_no")),
            (json!({"type": 5}), Some("取值不合法(1/2/3/4/6/11/125/126) type: 5")),
            (json!({"sub_type": 37}), Some("sub_type: 37")),
            (json!({"hide_delete": 2}), Some("取值不合法(0/1) hide_delete: 2")),
            (json!({"type": "x"}), Some("参数不合法 type")),
        ];
        for (params, want) in warehouse {
            let got = refusal::<WarehouseQuery>(params.clone());
            assert_eq!(got.is_some(), want.is_some(), "{params}: {got:?}");
            if let (Some(got), Some(want)) = (&got, want) {
                assert!(got.contains(want), "{params}: {got}");
            }
        }
        let shop: &[(serde_json::Value, Option<&str>)] = &[
            (json!({"shop_no": "S1", "platform_id": "127"}), None),
            (json!({"shop_no": "S".repeat(21)}), Some("超长(最大20) shop_no")),
        ];
        for (params, want) in shop {
            let got = refusal::<ShopQuery>(params.clone());
            assert_eq!(got.as_deref().map(|g| want.is_some_and(|w| g.contains(w))), want.map(|_| true), "{params}");
        }
        let logistics: &[(serde_json::Value, Option<&str>)] = &[
            (json!({"hide_delete": true, "need_quantity": 0}), None),
            (json!({"logistics_no": "L".repeat(41)}), Some("超长(最大40) logistics_no")),
        ];
        for (params, want) in logistics {
            let got = refusal::<LogisticsQuery>(params.clone());
            assert_eq!(got.as_deref().map(|g| want.is_some_and(|w| g.contains(w))), want.map(|_| true), "{params}");
        }
        let provider: &[(serde_json::Value, Option<&str>)] = &[
            (json!({"provider_no": "P1", "is_disabled": 1, "deleted": "0"}), None),
            (json!({"provider_name": "P".repeat(65)}), Some("超长(最大64) provider_name")),
            (json!({"deleted": 2}), Some("取值不合法(0/1) deleted: 2")),
        ];
        for (params, want) in provider {
            let got = refusal::<ProviderQuery>(params.clone());
            assert_eq!(got.as_deref().map(|g| want.is_some_and(|w| g.contains(w))), want.map(|_| true), "{params}");
        }
    }
}
