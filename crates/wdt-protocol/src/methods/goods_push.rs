//! `goods.Goods.push` (货品推送): body `[goodsInfo, specInfoList]`. Goods are matched by
//! `goods_no` and specs by `spec_no`: a number already loaded is an update.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Dec4;
use crate::error::ApiError;

use super::{GOODS_PUSH, decode_field, rules, take_args};

/// Name of the first positional argument.
pub const ARG_GOODS: &str = "goodsInfo";
/// Name of the second positional argument.
pub const ARG_SPECS: &str = "specInfoList";

/// `goods_type` values the page lists.
pub const GOODS_TYPES: &[i64] = &[0, 1, 2, 3, 4, 5, 6, 8, 9, 10];
/// `sn_type` values: 0 不启用, 1 强序列号, 2 弱序列号.
pub const SN_TYPES: &[i64] = &[0, 1, 2];
/// `large_type` values: -1 非单发件, 0 非大件, 1 普通大件, 2 独立大件, 3 按箱规拆分.
pub const LARGE_TYPES: &[i64] = &[-1, 0, 1, 2, 3];
/// `validity_type` values: 0 按天, 1 按月.
pub const VALIDITY_TYPES: &[i64] = &[0, 1];
/// The flags `wms_process_mask` sums: 2 无需验货, 8 需要质检, 16 无需拣货, 32 无需唯一码,
/// 64 无需自动打印吊牌.
pub const WMS_PROCESS_FLAGS: &[i64] = &[2, 8, 16, 32, 64];

wire_struct! {
    /// `goodsInfo`: the goods record (SPU); one per push.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct GoodsInfo {
        /// 货品编号 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub goods_no: String,
        /// 货品名称 (required, ≤ 255).
        #[serde(deserialize_with = "super::lenient::required")]
        pub goods_name: String,
        /// 分类名称 (≤ 64); `无` when absent or blank.
        pub class_name?: String,
        /// 品牌名称 (≤ 64); `无` when absent or blank.
        pub brand_name?: String,
        /// 基本单位名称 (≤ 20): the base unit of specs that name none; `无` when absent or blank.
        pub unit_name?: String,
        /// 辅助单位名称 (≤ 20): the auxiliary unit of specs that name none; none when absent, blank or `无`.
        pub aux_unit_name?: String,
        /// 标记名称 (≤ 32); `无` when absent or blank.
        pub flag_name?: String,
        /// 货品类别: 0 其它 (default), 1 销售货品, 2 原材料, 3 包装物, 4 周转材料, 5 虚拟商品, 6 固定资产, 8 分装箱, 9 周期送货品, 10 赠品.
        pub goods_type?: i64,
        /// 货品简称 (≤ 255).
        pub short_name?: String,
        /// 货品别名 (≤ 255).
        pub alias?: String,
        /// 产地 (≤ 64).
        pub origin?: String,
        /// 货品备注 (≤ 512).
        pub remark?: String,
        /// 货品自定义属性1 (≤ 255).
        pub prop1?: String,
        /// 货品自定义属性2 (≤ 255).
        pub prop2?: String,
        /// 货品自定义属性3 (≤ 255).
        pub prop3?: String,
        /// 货品自定义属性4 (≤ 255).
        pub prop4?: String,
        /// 货品自定义属性5 (≤ 255).
        pub prop5?: String,
        /// 货品自定义属性6 (≤ 255).
        pub prop6?: String,
        /// 是否自动创建品牌和分类: create a brand no goods has yet (default false: an unknown brand is refused).
        pub auto_create_bc?: bool,
    }
}

wire_struct! {
    /// One element of `specInfoList`: a spec (单品, SKU) of the goods.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct SpecInfo {
        /// 商家编码 (required, ≤ 40).
        #[serde(deserialize_with = "super::lenient::required")]
        pub spec_no: String,
        /// 规格码 (≤ 40).
        pub spec_code?: String,
        /// 条码 (≤ 50).
        pub barcode?: String,
        /// 规格名称 (≤ 100).
        pub spec_name?: String,
        /// 仓库流程: a sum of 2 无需验货, 8 需要质检, 16 无需拣货, 32 无需唯一码, 64 无需自动打印吊牌 (default 0).
        pub wms_process_mask?: i64,
        /// 货品标签 (≤ 11): label names joined by `,`.
        pub goods_label?: String,
        /// 启用序列号: 0 不启用 (default), 1 强序列号, 2 弱序列号.
        pub sn_type?: i64,
        /// 最低价.
        pub lowest_price?: Dec4,
        /// 零售价.
        pub retail_price?: Dec4,
        /// 批发价.
        pub wholesale_price?: Dec4,
        /// 会员价.
        pub member_price?: Dec4,
        /// 市场价.
        pub market_price?: Dec4,
        /// 有效期天数 (≤ 6 digits).
        pub validity_days?: i64,
        /// 最佳销售天数 (≤ 11 digits).
        pub sales_days?: i64,
        /// 最佳收货天数 (≤ 11 digits).
        pub receive_days?: i64,
        /// 重量.
        pub weight?: Dec4,
        /// 高.
        pub height?: Dec4,
        /// 长.
        pub length?: Dec4,
        /// 宽.
        pub width?: Dec4,
        /// 拆分: 0 非大件 (default), 1 普通大件, 2 独立大件, 3 按箱规拆分, -1 非单发件.
        pub large_type?: i64,
        /// 单品自定义属性1 (≤ 255).
        pub prop1?: String,
        /// 单品自定义属性2 (≤ 255).
        pub prop2?: String,
        /// 单品自定义属性3 (≤ 255).
        pub prop3?: String,
        /// 单品自定义属性4 (≤ 255).
        pub prop4?: String,
        /// 单品自定义属性5 (≤ 255).
        pub prop5?: String,
        /// 单品自定义属性6 (≤ 255).
        pub prop6?: String,
        /// 自定义价格1.
        pub custom_price1?: Dec4,
        /// 自定义价格2.
        pub custom_price2?: Dec4,
        /// 允许低于成本 (default false).
        pub is_lower_cost?: bool,
        /// 图片链接 (≤ 1024).
        pub img_url?: String,
        /// 单品备注 (≤ 512).
        pub remark?: String,
        /// 销售积分.
        pub sale_score?: Dec4,
        /// 打包积分.
        pub pack_score?: Dec4,
        /// 拣货积分.
        pub pick_score?: Dec4,
        /// 分拣积分.
        pub sort_score?: Dec4,
        /// 扫描积分.
        pub scan_score?: Dec4,
        /// 补货积分.
        pub supply_score?: Dec4,
        /// 上架积分.
        pub shelve_score?: Dec4,
        /// 入库积分.
        pub stockin_score?: Dec4,
        /// 质检积分.
        pub inspect_score?: Dec4,
        /// 分装积分.
        pub packing_score?: Dec4,
        /// 操作积分.
        pub operate_score?: Dec4,
        /// 称重积分.
        pub weigh_score?: Dec4,
        /// 发货积分.
        pub consign_score?: Dec4,
        /// 税务编码 (≤ 40).
        pub tax_code?: String,
        /// 基本单位名称 (≤ 20); the goods' when absent or blank.
        pub unit_name?: String,
        /// 辅助单位名称 (≤ 20); the goods' when absent or blank; `无` = none.
        pub aux_unit_name?: String,
        /// 保质期计算方式: 0 按天 (default), 1 按月.
        pub validity_type?: i64,
    }
}

/// The two arguments of [`GOODS_PUSH`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoodsPush {
    /// `goodsInfo`.
    pub goods: GoodsInfo,
    /// `specInfoList` (not empty is a business rule).
    pub specs: Vec<SpecInfo>,
}

/// A coded integer given with at most `digits` decimal digits (the page's Int length).
fn int_len(path: impl std::fmt::Display, value: Option<i64>, digits: u32) -> Result<(), ApiError> {
    match value {
        Some(v) if v.unsigned_abs() >= 10u64.pow(digits) => {
            Err(ApiError::Business(format!("超长(最大{digits}) {path}: {v}")))
        }
        _ => Ok(()),
    }
}

fn code(v: i64) -> i64 {
    v
}

impl GoodsPush {
    /// Decodes and validates the positional arguments of [`GOODS_PUSH`].
    pub fn from_args(args: Vec<Value>) -> Result<Self, ApiError> {
        let [goods, specs] = take_args::<2>(GOODS_PUSH, args)?;
        let push = GoodsPush { goods: decode_field(ARG_GOODS, goods)?, specs: decode_field(ARG_SPECS, specs)? };
        push.validate()?;
        Ok(push)
    }

    /// The positional arguments that carry this call (what an SDK sends).
    pub fn to_args(&self) -> Vec<Value> {
        vec![
            serde_json::to_value(&self.goods).expect("a request always serializes"),
            serde_json::to_value(&self.specs).expect("a request always serializes"),
        ]
    }

    /// Checks the page's required fields, lengths and enumerations. An empty `specInfoList`,
    /// a `spec_no` given twice and negative numbers are the business rules' (`wdt-domain`).
    pub fn validate(&self) -> Result<(), ApiError> {
        let g = &self.goods;
        rules::required_text("goods_no", &g.goods_no, Some(40))?;
        rules::required_text("goods_name", &g.goods_name, Some(255))?;
        rules::optional_text("class_name", g.class_name.as_deref(), 64)?;
        rules::optional_text("brand_name", g.brand_name.as_deref(), 64)?;
        rules::optional_text("unit_name", g.unit_name.as_deref(), 20)?;
        rules::optional_text("aux_unit_name", g.aux_unit_name.as_deref(), 20)?;
        rules::optional_text("flag_name", g.flag_name.as_deref(), 32)?;
        rules::one_of("goods_type", g.goods_type, GOODS_TYPES, code)?;
        rules::optional_text("short_name", g.short_name.as_deref(), 255)?;
        rules::optional_text("alias", g.alias.as_deref(), 255)?;
        rules::optional_text("origin", g.origin.as_deref(), 64)?;
        rules::optional_text("remark", g.remark.as_deref(), 512)?;
        for (i, prop) in g.props().iter().enumerate() {
            rules::optional_text(format_args!("prop{}", i + 1), prop.as_deref(), 255)?;
        }
        rules::max_lines(ARG_SPECS, &self.specs)?;
        for (i, s) in self.specs.iter().enumerate() {
            s.validate(i)?;
        }
        Ok(())
    }
}

impl GoodsInfo {
    /// `prop1` … `prop6`.
    pub fn props(&self) -> [&Option<String>; 6] {
        [&self.prop1, &self.prop2, &self.prop3, &self.prop4, &self.prop5, &self.prop6]
    }
}

impl SpecInfo {
    /// `prop1` … `prop6`.
    pub fn props(&self) -> [&Option<String>; 6] {
        [&self.prop1, &self.prop2, &self.prop3, &self.prop4, &self.prop5, &self.prop6]
    }

    /// The decimals of the spec with their field names (prices, dimensions, scores).
    pub fn decimals(&self) -> [(&'static str, Option<Dec4>); 24] {
        [
            ("lowest_price", self.lowest_price),
            ("retail_price", self.retail_price),
            ("wholesale_price", self.wholesale_price),
            ("member_price", self.member_price),
            ("market_price", self.market_price),
            ("weight", self.weight),
            ("height", self.height),
            ("length", self.length),
            ("width", self.width),
            ("custom_price1", self.custom_price1),
            ("custom_price2", self.custom_price2),
            ("sale_score", self.sale_score),
            ("pack_score", self.pack_score),
            ("pick_score", self.pick_score),
            ("sort_score", self.sort_score),
            ("scan_score", self.scan_score),
            ("supply_score", self.supply_score),
            ("shelve_score", self.shelve_score),
            ("stockin_score", self.stockin_score),
            ("inspect_score", self.inspect_score),
            ("packing_score", self.packing_score),
            ("operate_score", self.operate_score),
            ("weigh_score", self.weigh_score),
            ("consign_score", self.consign_score),
        ]
    }

    /// The day counts of the spec with their field names.
    pub fn days(&self) -> [(&'static str, Option<i64>); 3] {
        [("validity_days", self.validity_days), ("sales_days", self.sales_days), ("receive_days", self.receive_days)]
    }

    /// `wms_process_mask` when it is a sum of [`WMS_PROCESS_FLAGS`] (or absent).
    fn check_mask(&self, index: usize) -> Result<(), ApiError> {
        let Some(mask) = self.wms_process_mask else { return Ok(()) };
        let all: i64 = WMS_PROCESS_FLAGS.iter().sum();
        if mask < 0 || mask & !all != 0 {
            let path = rules::LinePath { list: ARG_SPECS, index, field: "wms_process_mask" };
            let flags: Vec<String> = WMS_PROCESS_FLAGS.iter().map(i64::to_string).collect();
            return Err(ApiError::Business(format!("取值不合法({}之和) {path}: {mask}", flags.join("/"))));
        }
        Ok(())
    }

    fn validate(&self, index: usize) -> Result<(), ApiError> {
        let p = |field| rules::LinePath { list: ARG_SPECS, index, field };
        rules::required_text(p("spec_no"), &self.spec_no, Some(40))?;
        rules::optional_text(p("spec_code"), self.spec_code.as_deref(), 40)?;
        rules::optional_text(p("barcode"), self.barcode.as_deref(), 50)?;
        rules::optional_text(p("spec_name"), self.spec_name.as_deref(), 100)?;
        self.check_mask(index)?;
        rules::optional_text(p("goods_label"), self.goods_label.as_deref(), 11)?;
        rules::one_of(p("sn_type"), self.sn_type, SN_TYPES, code)?;
        int_len(p("validity_days"), self.validity_days, 6)?;
        int_len(p("sales_days"), self.sales_days, 11)?;
        int_len(p("receive_days"), self.receive_days, 11)?;
        rules::one_of(p("large_type"), self.large_type, LARGE_TYPES, code)?;
        const PROPS: [&str; 6] = ["prop1", "prop2", "prop3", "prop4", "prop5", "prop6"];
        for (field, prop) in PROPS.into_iter().zip(self.props()) {
            rules::optional_text(p(field), prop.as_deref(), 255)?;
        }
        rules::optional_text(p("img_url"), self.img_url.as_deref(), 1024)?;
        rules::optional_text(p("remark"), self.remark.as_deref(), 512)?;
        rules::optional_text(p("tax_code"), self.tax_code.as_deref(), 40)?;
        rules::optional_text(p("unit_name"), self.unit_name.as_deref(), 20)?;
        rules::optional_text(p("aux_unit_name"), self.aux_unit_name.as_deref(), 20)?;
        rules::one_of(p("validity_type"), self.validity_type, VALIDITY_TYPES, code)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn refusal(goods: Value, specs: Value) -> String {
        GoodsPush::from_args(vec![goods, specs]).unwrap_err().to_string()
    }

    #[test]
    fn the_pages_lengths_and_enumerations() {
        let g = json!({"goods_no": "G", "goods_name": "n"});
        assert_eq!(refusal(json!({"goods_name": "n"}), json!([])), "goods_no不能为空");
        assert_eq!(
            refusal(json!({"goods_no": "G", "goods_name": "n", "goods_type": 7}), json!([])),
            "取值不合法(0/1/2/3/4/5/6/8/9/10) goods_type: 7"
        );
        assert_eq!(
            refusal(g.clone(), json!([{"spec_no": "S", "wms_process_mask": 3}])),
            "取值不合法(2/8/16/32/64之和) specInfoList[0].wms_process_mask: 3"
        );
        assert_eq!(
            refusal(g.clone(), json!([{"spec_no": "S", "sales_days": 123456789012_i64}])),
            "超长(最大11) specInfoList[0].sales_days: 123456789012"
        );
        assert_eq!(
            refusal(g.clone(), json!([{"spec_no": "S", "tax_code": "x".repeat(41)}])),
            format!("超长(最大40) specInfoList[0].tax_code: {}", "x".repeat(41))
        );
        let ok = GoodsPush::from_args(vec![
            g,
            json!([{"spec_no": "S", "wms_process_mask": "26", "is_lower_cost": 1, "large_type": -1}]),
        ])
        .unwrap();
        assert_eq!(ok.specs[0].wms_process_mask, Some(26));
        assert_eq!(GoodsPush::from_args(ok.to_args()).unwrap(), ok, "what an SDK sends reads back the same");
    }
}
