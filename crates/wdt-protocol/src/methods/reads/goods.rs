//! `goods.Goods.queryWithSpec` (货品档案查询): goods with their specs, each spec with its
//! barcodes. Answers a [`GoodsPage`] (`data: {total_count, goods_list}`). Row fields follow the
//! page's example (its names and JSON types: `goods_modified` and `spec_modified` as epoch
//! milliseconds, the other times as `yyyy-MM-dd HH:mm:ss` text), with `brand_no` from the table;
//! what this ERP does not keep (prices, dimensions, classes) shows its empty value.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};

use crate::decimal::Dec4;
use crate::error::ApiError;
use crate::methods::lenient::vec_or_empty;
use crate::methods::rules;

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
        pub spec_no?: String,
        /// 货品编号 (≤ 40).
        pub goods_no?: String,
        /// 品牌名称 (≤ 64).
        pub brand_name?: String,
        /// 分类名称 (≤ 100).
        pub class_name?: String,
        /// 条码 (≤ 50): the goods holding a spec with this barcode.
        pub barcode?: String,
        /// 是否隐藏已删除的货品 (default hidden; goods are never deleted here).
        pub hide_deleted?: bool,
        /// 开始时间 (modified), `yyyy-MM-dd HH:mm:ss`.
        pub start_time?: String,
        /// 结束时间 (modified); now when absent.
        pub end_time?: String,
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
        rules::optional_text("spec_no", self.spec_no.as_deref(), 40)?;
        rules::optional_text("goods_no", self.goods_no.as_deref(), 40)?;
        rules::optional_text("brand_name", self.brand_name.as_deref(), 64)?;
        rules::optional_text("class_name", self.class_name.as_deref(), 100)?;
        rules::optional_text("barcode", self.barcode.as_deref(), 50)?;
        rules::optional_text("start_time", self.start_time.as_deref(), 40)?;
        rules::optional_text("end_time", self.end_time.as_deref(), 40)?;
        Ok(())
    }
}

/// One goods record (`goods_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GoodsRow {
    /// 货品id.
    pub goods_id: i64,
    /// 货品编号.
    pub goods_no: String,
    /// 货品名称.
    pub goods_name: String,
    /// 货品简称: not kept: empty.
    pub short_name: String,
    /// 货品别名: not kept: empty.
    pub alias: String,
    /// 货品类别: always 1 销售货品.
    pub goods_type: i64,
    /// 规格数.
    pub spec_count: i64,
    /// 品牌名称.
    pub brand_name: String,
    /// 品牌id: brands are kept by number only: 0.
    pub brand_id: i64,
    /// 备注: not kept: empty.
    pub remark: String,
    /// 自定义属性1: not kept: empty.
    pub prop1: String,
    /// 自定义属性2: not kept: empty.
    pub prop2: String,
    /// 自定义属性3: not kept: empty.
    pub prop3: String,
    /// 自定义属性4: not kept: empty.
    pub prop4: String,
    /// 自定义属性5: not kept: empty.
    pub prop5: String,
    /// 自定义属性6: not kept: empty.
    pub prop6: String,
    /// 产地: not kept: empty.
    pub origin: String,
    /// 分类名称: no classes are kept: empty.
    pub class_name: String,
    /// 分类ID: no classes are kept: 0.
    pub class_id: i64,
    /// 基本单位: the first spec's base unit.
    pub unit_name: String,
    /// 辅助单位: the first spec's smallest other unit, empty without one.
    pub aux_unit_name: String,
    /// 标记名称: no flags are kept: 无.
    pub flag_name: String,
    /// 货品已删除: goods are never deleted: 0.
    pub deleted: i64,
    /// 最后修改时间: the goods record's own, epoch milliseconds (as the example).
    pub goods_modified: i64,
    /// 创建时间.
    pub goods_created: String,
    /// 最后修改时间: the latest of the goods' and its specs' modified times (what the window reads).
    pub modified: String,
    /// 品牌编号: in the table, not in the example.
    pub brand_no: String,
    /// pinyin: in the example, not in the table: empty.
    pub pinyin: String,
    /// 单品信息详情: its specs, in id order.
    #[serde(deserialize_with = "vec_or_empty")]
    pub spec_list: Vec<SpecRow>,
}

/// One spec (`goods_list[].spec_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpecRow {
    /// 货品id.
    pub goods_id: i64,
    /// 单品id.
    pub spec_id: i64,
    /// 商家编码.
    pub spec_no: String,
    /// 规格码.
    pub spec_code: String,
    /// 主条码.
    pub barcode: String,
    /// 规格名称.
    pub spec_name: String,
    /// 最低价: not kept: 0.
    pub lowest_price: Dec4,
    /// 零售价: not kept: 0.
    pub retail_price: Dec4,
    /// 批发价: not kept: 0.
    pub wholesale_price: Dec4,
    /// 会员价: not kept: 0.
    pub member_price: Dec4,
    /// 市场价: not kept: 0.
    pub market_price: Dec4,
    /// 有效期天数.
    pub validity_days: i64,
    /// 最佳销售天数: not kept: 0.
    pub sales_days: i64,
    /// 最佳收货天数: not kept: 0.
    pub receive_days: i64,
    /// 重量(kg): not kept: 0.
    pub weight: Dec4,
    /// 长(cm): not kept: 0.
    pub length: Dec4,
    /// 宽(cm): not kept: 0.
    pub width: Dec4,
    /// 高(cm): not kept: 0.
    pub height: Dec4,
    /// 启用序列号: 1 when serial numbers are managed.
    pub sn_type: i64,
    /// 允许低于成本价: not kept: false.
    pub is_lower_cost: bool,
    /// 航空禁运: not kept: 0.
    pub is_not_use_air: i64,
    /// 仓库流程: not kept: 0.
    pub wms_process_mask: i64,
    /// 税率: not kept: 0.
    pub tax_rate: Dec4,
    /// 拆分: not kept: 0.
    pub large_type: i64,
    /// 货品标签: not kept: empty.
    pub goods_label: String,
    /// 货品已删除: specs are never deleted: 0.
    pub deleted: i64,
    /// 备注: not kept: empty.
    pub remark: String,
    /// 最后修改时间: epoch milliseconds (as the example).
    pub spec_modified: i64,
    /// 创建时间.
    pub spec_created: String,
    /// 自定义属性1.
    pub prop1: String,
    /// 自定义属性2.
    pub prop2: String,
    /// 自定义属性3.
    pub prop3: String,
    /// 自定义属性4.
    pub prop4: String,
    /// 自定义属性5.
    pub prop5: String,
    /// 自定义属性6.
    pub prop6: String,
    /// 自定义价格1: not kept: 0.
    pub custom_price1: Dec4,
    /// 自定义价格2: not kept: 0.
    pub custom_price2: Dec4,
    /// 图片URL: not kept: empty.
    pub img_url: String,
    /// 基本单位.
    pub spec_unit_name: String,
    /// 辅助单位: its smallest other unit, empty without one.
    pub spec_aux_unit_name: String,
    /// 税务编码: not kept: empty.
    pub tax_code: String,
    /// 条码信息: its barcodes, empty without one.
    #[serde(deserialize_with = "vec_or_empty")]
    pub barcode_list: Vec<BarcodeRow>,
}

/// One barcode (`goods_list[].spec_list[].barcode_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BarcodeRow {
    /// 条码.
    pub barcode: String,
    /// 类型.
    #[serde(rename = "type")]
    pub kind: i64,
    /// 是否主条码: the one barcode kept is the main one.
    pub is_master: i64,
    /// 最后修改时间: the spec's.
    pub modified: String,
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
