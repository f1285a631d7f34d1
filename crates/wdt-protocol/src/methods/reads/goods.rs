//! `goods.Goods.queryWithSpec` (货品档案查询): goods with their specs, each spec with its
//! barcodes. Answers a [`GoodsPage`] (`data: {total_count, goods_list}`). Row fields follow the
//! page's example (its names and JSON types: `goods_modified` and `spec_modified` as epoch
//! milliseconds, the other times as `yyyy-MM-dd HH:mm:ss` text), with `brand_no` from the table;
//! what this ERP does not keep (prices, dimensions, classes) shows its empty value.

use serde::{Deserialize, Serialize};

use crate::decimal::Dec4;
use crate::error::ApiError;
use crate::methods::lenient::{row_struct, vec_or_empty, wire_struct};

use super::{GOODS_QUERY, PageRows, ReadParams};

wire_struct! {
    /// A page answered as `data: {"total_count": N, "goods_list": [...]}`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct GoodsPage {
        /// The number of matching goods over every page, when the pager asked for it.
        pub total_count?: i64,
        /// The page's goods.
        #[serde(default = "Vec::new", deserialize_with = "vec_or_empty")]
        pub goods_list: Vec<GoodsRow>,
    }
}

impl PageRows for GoodsPage {
    type Row = GoodsRow;
    fn into_rows(self) -> Vec<GoodsRow> {
        self.goods_list
    }
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
}

wire_struct! {
    /// `goods.Goods.queryWithSpec` `params`. The window (the goods' or a spec's last change) is
    /// required unless `spec_no` or `goods_no` is given, at most 30 days; a start without an end
    /// runs to now.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct GoodsQuery {
        /// 商家编码 (≤ 40): the goods holding this spec.
        pub spec_no?: String [max 40],
        /// 货品编号 (≤ 40).
        pub goods_no?: String [max 40],
        /// 品牌名称 (≤ 64).
        pub brand_name?: String [max 64],
        /// 分类名称 (≤ 100).
        pub class_name?: String [max 100],
        /// 条码 (≤ 50): the goods holding a spec with this barcode.
        pub barcode?: String [max 50],
        /// 是否隐藏已删除的货品 (default hidden; goods are never deleted here).
        pub hide_deleted?: bool,
        /// 开始时间 (modified), `yyyy-MM-dd HH:mm:ss`.
        pub start_time?: String [time],
        /// 结束时间 (modified); now when absent.
        pub end_time?: String [time],
    }
}

impl ReadParams for GoodsQuery {
    const METHOD: &'static str = GOODS_QUERY;
    type Page = GoodsPage;
    const WINDOW: Option<Option<i64>> = Some(Some(30));

    fn set_window(&mut self, start: String, end: String) {
        (self.start_time, self.end_time) = (Some(start), Some(end));
    }

    fn validate(&self) -> Result<(), ApiError> {
        self.check_declared(|f| f)
    }
}

row_struct! {
    /// One goods record (`goods_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct GoodsRow {
        /// 货品id.
        goods_id: i64;
        /// 货品编号.
        goods_no,
        /// 货品名称.
        goods_name,
        /// 货品简称: not kept: empty.
        short_name,
        /// 货品别名: not kept: empty.
        alias: String;
        /// 货品类别: always 1 销售货品.
        goods_type,
        /// 规格数.
        spec_count: i64;
        /// 品牌名称.
        brand_name: String;
        /// 品牌id: brands are kept by number only: 0.
        brand_id: i64;
        /// 备注: not kept: empty.
        remark,
        /// 自定义属性1: not kept: empty.
        prop1,
        /// 自定义属性2: not kept: empty.
        prop2,
        /// 自定义属性3: not kept: empty.
        prop3,
        /// 自定义属性4: not kept: empty.
        prop4,
        /// 自定义属性5: not kept: empty.
        prop5,
        /// 自定义属性6: not kept: empty.
        prop6,
        /// 产地: not kept: empty.
        origin,
        /// 分类名称: no classes are kept: empty.
        class_name: String;
        /// 分类ID: no classes are kept: 0.
        class_id: i64;
        /// 基本单位: the first spec's base unit.
        unit_name,
        /// 辅助单位: the first spec's smallest other unit, empty without one.
        aux_unit_name,
        /// 标记名称: no flags are kept: 无.
        flag_name: String;
        /// 货品已删除: goods are never deleted: 0.
        deleted,
        /// 最后修改时间: the goods record's own, epoch milliseconds (as the example).
        goods_modified: i64;
        /// 创建时间.
        goods_created,
        /// 最后修改时间: the latest of the goods' and its specs' modified times (what the window reads).
        modified,
        /// 品牌编号: in the table, not in the example.
        brand_no,
        /// pinyin: in the example, not in the table: empty.
        pinyin: String;
        /// 单品信息详情: its specs, in id order.
        #[serde(deserialize_with = "vec_or_empty")]
        spec_list: Vec<SpecRow>;
    }
}

row_struct! {
    /// One spec (`goods_list[].spec_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct SpecRow {
        /// 货品id.
        goods_id,
        /// 单品id.
        spec_id: i64;
        /// 商家编码.
        spec_no,
        /// 规格码.
        spec_code,
        /// 主条码.
        barcode,
        /// 规格名称.
        spec_name: String;
        /// 最低价: not kept: 0.
        lowest_price,
        /// 零售价: not kept: 0.
        retail_price,
        /// 批发价: not kept: 0.
        wholesale_price,
        /// 会员价: not kept: 0.
        member_price,
        /// 市场价: not kept: 0.
        market_price: Dec4;
        /// 有效期天数.
        validity_days,
        /// 最佳销售天数: not kept: 0.
        sales_days,
        /// 最佳收货天数: not kept: 0.
        receive_days: i64;
        /// 重量(kg): not kept: 0.
        weight,
        /// 长(cm): not kept: 0.
        length,
        /// 宽(cm): not kept: 0.
        width,
        /// 高(cm): not kept: 0.
        height: Dec4;
        /// 启用序列号: 1 when serial numbers are managed.
        sn_type: i64;
        /// 允许低于成本价: not kept: false.
        is_lower_cost: bool;
        /// 航空禁运: not kept: 0.
        is_not_use_air,
        /// 仓库流程: not kept: 0.
        wms_process_mask: i64;
        /// 税率: not kept: 0.
        tax_rate: Dec4;
        /// 拆分: not kept: 0.
        large_type: i64;
        /// 货品标签: not kept: empty.
        goods_label: String;
        /// 货品已删除: specs are never deleted: 0.
        deleted: i64;
        /// 备注: not kept: empty.
        remark: String;
        /// 最后修改时间: epoch milliseconds (as the example).
        spec_modified: i64;
        /// 创建时间.
        spec_created,
        /// 自定义属性1.
        prop1,
        /// 自定义属性2.
        prop2,
        /// 自定义属性3.
        prop3,
        /// 自定义属性4.
        prop4,
        /// 自定义属性5.
        prop5,
        /// 自定义属性6.
        prop6: String;
        /// 自定义价格1: not kept: 0.
        custom_price1,
        /// 自定义价格2: not kept: 0.
        custom_price2: Dec4;
        /// 图片URL: not kept: empty.
        img_url,
        /// 基本单位.
        spec_unit_name,
        /// 辅助单位: its smallest other unit, empty without one.
        spec_aux_unit_name,
        /// 税务编码: not kept: empty.
        tax_code: String;
        /// 条码信息: its barcodes, empty without one.
        #[serde(deserialize_with = "vec_or_empty")]
        barcode_list: Vec<BarcodeRow>;
    }
}

row_struct! {
    /// One barcode (`goods_list[].spec_list[].barcode_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct BarcodeRow {
        /// 条码.
        barcode: String;
        /// 类型.
        #[serde(rename = "type")]
        kind,
        /// 是否主条码: the one barcode kept is the main one.
        is_master: i64;
        /// 最后修改时间: the spec's.
        modified: String;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// (params, the refusal's text, or `None` when accepted).
    #[test]
    fn parameters_are_checked_as_the_page_says() {
        let cases: &[(serde_json::Value, Option<&str>)] = &[
            (json!({}), None),
            (json!({"spec_no": "S".repeat(40), "hide_deleted": 1, "barcode": "6".repeat(50)}), None),
            (json!({"spec_no": "S".repeat(41)}), Some("超长(最大40) spec_no")),
            (json!({"goods_no": "G".repeat(41)}), Some("超长(最大40) goods_no")),
            (json!({"brand_name": "B".repeat(65)}), Some("超长(最大64) brand_name")),
            (json!({"class_name": "C".repeat(101)}), Some("超长(最大100) class_name")),
            (json!({"barcode": "6".repeat(51)}), Some("超长(最大50) barcode")),
            (json!({"end_time": "2".repeat(41)}), Some("超长(最大40) end_time")),
        ];
        for (params, want) in cases {
            let got = GoodsQuery::from_args(vec![params.clone()]).err().map(|e| e.to_string());
            assert_eq!(got.is_some(), want.is_some(), "{params}: {got:?}");
            if let (Some(got), Some(want)) = (&got, want) {
                assert!(got.contains(want), "{params}: {got}");
            }
        }
    }

    #[test]
    fn pages_read_nested_specs_and_barcodes() {
        let page: GoodsPage = serde_json::from_value(json!({"total_count": 1, "goods_list": [{"goods_id": 1,
            "spec_list": [{"spec_id": 1, "weight": 0.2, "barcode_list": [{"barcode": "b", "type": 1}]}]}]}))
        .unwrap();
        assert_eq!(page.total_count(), Some(1));
        let goods = page.into_rows();
        let spec = &goods[0].spec_list[0];
        assert_eq!(spec.weight, Dec4::parse("0.2").unwrap());
        assert_eq!((spec.barcode_list[0].barcode.as_str(), spec.barcode_list[0].kind), ("b", 1));
    }
}
