//! The purchase documents' queries: `purchase.PurchaseReturn.queryWithDetail` (采购退货单及明细查询)
//! and `purchase.PurchaseOrder.queryWithDetail` (采购单查询). Both answer an [`OrderPage`]
//! (`data: {total_count, order}`), each document with its `detail_list`. Row fields follow the
//! page's example (its names and JSON types: times as epoch milliseconds on the documents, as
//! `yyyy-MM-dd HH:mm:ss` text on purchase order lines), with the table's fields the example lacks
//! where this ERP keeps them; what it does not keep shows its empty value.

use crate::methods::lenient::wire_struct;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::decimal::{Dec4, fixed4};
use crate::error::ApiError;
use crate::methods::lenient::{optional, vec_or_empty};
use crate::methods::rules;

use super::{PURCHASE_ORDER_QUERY, PURCHASE_RETURN_QUERY, PageRows, ReadParams};

/// A page answered as `data: {"total_count": N, "order": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
pub struct OrderPage<T> {
    /// The number of matching documents over every page, when the pager asked for it.
    #[serde(default, deserialize_with = "optional", skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The page's documents.
    #[serde(default = "Vec::new", deserialize_with = "vec_or_empty")]
    pub order: Vec<T>,
}

impl<T> Default for OrderPage<T> {
    fn default() -> Self {
        OrderPage { total_count: None, order: Vec::new() }
    }
}

impl<T: Serialize + DeserializeOwned> PageRows for OrderPage<T> {
    type Row = T;
    fn into_rows(self) -> Vec<T> {
        self.order
    }
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
}

/// The purchase return states `status` may name: 10 已取消, 20 编辑中, 30 待审核, 40 已审核, 60 已完成.
pub const PURCHASE_RETURN_STATUSES: &[i64] = &[10, 20, 30, 40, 60];

wire_struct! {
    /// `purchase.PurchaseReturn.queryWithDetail` `params`. Without `return_no` both ends of the
    /// window are required, at most 30 days apart; with it the window is ignored.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PurchaseReturnQuery {
        /// 供应商编号 (≤ 20).
        pub provider_no?: String,
        /// 采购退货单号 (≤ 20).
        pub return_no?: String,
        /// 采购退货单状态 (one of [`PURCHASE_RETURN_STATUSES`]).
        pub status?: i64,
        /// 开始时间 (modified), `yyyy-MM-dd HH:mm:ss`.
        pub start_time?: String,
        /// 结束时间 (modified).
        pub end_time?: String,
        /// 模糊查询: `return_no` matches as a prefix.
        pub fuzzy_query?: bool,
    }
}

impl ReadParams for PurchaseReturnQuery {
    const METHOD: &'static str = PURCHASE_RETURN_QUERY;
    type Page = OrderPage<PurchaseReturnRow>;
    const WINDOW: Option<Option<i64>> = Some(Some(30));

    fn set_window(&mut self, start: String, end: String) {
        (self.start_time, self.end_time) = (Some(start), Some(end));
    }

    fn validate(&self) -> Result<(), ApiError> {
        rules::optional_text("provider_no", self.provider_no.as_deref(), 20)?;
        rules::optional_text("return_no", self.return_no.as_deref(), 20)?;
        rules::one_of("status", self.status, PURCHASE_RETURN_STATUSES, |t| t)?;
        rules::optional_text("start_time", self.start_time.as_deref(), 40)?;
        rules::optional_text("end_time", self.end_time.as_deref(), 40)?;
        Ok(())
    }
}

/// The purchase order states `status` may list: 10 已取消, 20 编辑中, 30 待审核, 35 待财审,
/// 40 已审核, 50 部分到货, 60 已到货, 70 待结算, 80 部分结算, 90 已完成.
pub const PURCHASE_ORDER_STATUSES: &[i64] = &[10, 20, 30, 35, 40, 50, 60, 70, 80, 90];

/// The stock-in states `stockin_status` may name: 0 未入库, 1 部分入库, 2 已入库, 3 停止入库,
/// 4 超量入库, 5 部分-超量入库.
pub const PURCHASE_STOCKIN_STATUSES: &[i64] = &[0, 1, 2, 3, 4, 5];

wire_struct! {
    /// `purchase.PurchaseOrder.queryWithDetail` `params`. Without `purchase_no` both ends of the
    /// window are required, at most 30 days apart; with it the window is ignored.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PurchaseOrderQuery {
        /// 采购单号 (≤ 40).
        pub purchase_no?: String,
        /// 供应商编号 (≤ 20).
        pub provider_no?: String,
        /// 预计入库仓编号 (≤ 40).
        pub expect_warehouse_no?: String,
        /// 收货仓编号 (≤ 40).
        pub receive_warehouse_no?: String,
        /// 开始时间 (modified), `yyyy-MM-dd HH:mm:ss`.
        pub start_time?: String,
        /// 结束时间 (modified).
        pub end_time?: String,
        /// 入库状态 (one of [`PURCHASE_STOCKIN_STATUSES`]).
        pub stockin_status?: i64,
        /// 采购单状态: a comma list of [`PURCHASE_ORDER_STATUSES`] (≤ 64).
        pub status?: String,
        /// 模糊查询: `purchase_no` matches as a prefix.
        pub fuzzy_query?: bool,
    }
}

impl ReadParams for PurchaseOrderQuery {
    const METHOD: &'static str = PURCHASE_ORDER_QUERY;
    type Page = OrderPage<PurchaseOrderRow>;
    const WINDOW: Option<Option<i64>> = Some(Some(30));

    fn set_window(&mut self, start: String, end: String) {
        (self.start_time, self.end_time) = (Some(start), Some(end));
    }

    fn validate(&self) -> Result<(), ApiError> {
        rules::optional_text("purchase_no", self.purchase_no.as_deref(), 40)?;
        rules::optional_text("provider_no", self.provider_no.as_deref(), 20)?;
        rules::optional_text("expect_warehouse_no", self.expect_warehouse_no.as_deref(), 40)?;
        rules::optional_text("receive_warehouse_no", self.receive_warehouse_no.as_deref(), 40)?;
        rules::optional_text("start_time", self.start_time.as_deref(), 40)?;
        rules::optional_text("end_time", self.end_time.as_deref(), 40)?;
        rules::one_of("stockin_status", self.stockin_status, PURCHASE_STOCKIN_STATUSES, |t| t)?;
        rules::optional_text("status", self.status.as_deref(), 64)?;
        Ok(())
    }
}

/// One purchase return (`order[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseReturnRow {
    /// 采购退货单id.
    pub return_id: i64,
    /// 审核人.
    pub check_operator_name: String,
    /// 审核时间: epoch milliseconds (as the example), `null` before the check.
    #[serde(deserialize_with = "optional")]
    pub check_time: Option<i64>,
    /// 市.
    pub city: String,
    /// 供应商联系人姓名.
    pub contact: String,
    /// 创建时间: epoch milliseconds (as the example).
    pub created: i64,
    /// 制单员: not kept: empty.
    pub creator_name: String,
    /// 区.
    pub district: String,
    /// 货品数量: the lines' quantities in base units.
    pub goods_count: Dec4,
    /// 货款: the lines' `amount`s.
    pub goods_fee: Dec4,
    /// 退货出库量: every line leaves stock at the check.
    pub goods_out_count: Dec4,
    /// 货品种类数.
    pub goods_type_count: i64,
    /// 是否占用库存: always false: stock is taken at the check, never held before it.
    pub is_reserved: bool,
    /// 物流方式.
    pub logistics_type: i64,
    /// 物流公司编号.
    pub logistics_no: String,
    /// 物流公司id: 0 without one.
    pub logistics_id: i64,
    /// 修改时间: epoch milliseconds (as the example).
    pub modified: i64,
    /// 便签条数: no notes are kept: 0.
    pub note_count: i64,
    /// 其他费用.
    pub other_fee: Dec4,
    /// 外部单号: the `outer_no` it was created with (also its `return_no`).
    pub outer_no: String,
    /// 邮费.
    pub post_fee: Dec4,
    /// 供应商名称.
    pub provider_name: String,
    /// 省.
    pub province: String,
    /// 采购员: not kept: empty.
    pub purchaser_name: String,
    /// 退货地址.
    pub receive_address: String,
    /// 备注.
    pub remark: String,
    /// 采购退货单号.
    pub return_no: String,
    /// 结算状态: no settlement is kept: 0.
    pub settle_status: i64,
    /// 状态.
    pub status: i64,
    /// 供应商联系电话.
    pub telno: String,
    /// 类型: always 1 退货.
    #[serde(rename = "type")]
    pub kind: i64,
    /// 仓库名称.
    pub warehouse_name: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// 仓库id.
    pub warehouse_id: i64,
    /// 供应商编号.
    pub provider_no: String,
    /// 原采购单号: empty unless exactly one purchase order is referenced.
    pub purchase_no: String,
    /// 出库状态.
    pub stockout_status: i64,
    /// 采购退货单自定义属性1: in the table, not in the example.
    pub prop1: String,
    /// 采购退货单自定义属性2: in the table, not in the example.
    pub prop2: String,
    /// 采购退货单详情: its lines, in line order.
    #[serde(deserialize_with = "vec_or_empty")]
    pub detail_list: Vec<PurchaseReturnLine>,
}

/// One line of a purchase return (`order[].detail_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseReturnLine {
    /// 主键id.
    pub rec_id: i64,
    /// 商家编码.
    pub spec_no: String,
    /// 单品ID.
    pub spec_id: i64,
    /// 自定义属性1 (the page writes 自定义属性2): not kept: empty.
    pub prop1: String,
    /// 自定义属性2: not kept: empty.
    pub prop2: String,
    /// 采购退货单id.
    pub return_id: i64,
    /// 是否残次品.
    pub defect: bool,
    /// 供应商货号: not kept: empty.
    pub provider_goods_no: String,
    /// 退货数量: in base units.
    pub num: Dec4,
    /// 辅助数量: in the line's unit: `num` / `unit_ratio`, cut to 4 places.
    pub num2: Dec4,
    /// 出库数量: all of `num` once out (at the check).
    pub out_num: Dec4,
    /// 结算数量: no settlement is kept: 0.
    pub settle_num: Dec4,
    /// 单位变换率.
    pub unit_ratio: Dec4,
    /// 单价: per base unit.
    pub price: Dec4,
    /// 折扣.
    pub discount: Dec4,
    /// 税率.
    pub tax_rate: Dec4,
    /// 税后单价.
    pub tax_price: Dec4,
    /// 金额: `price` × `discount` (rounded to 4 places) × `num`, rounded to 4 places.
    pub amount: Dec4,
    /// 出库金额: `amount` once out.
    pub out_amount: Dec4,
    /// 备注.
    pub remark: String,
    /// 修改时间: the return's (lines are not changed alone), epoch milliseconds.
    pub modified: i64,
    /// 创建时间: the return's, epoch milliseconds.
    pub created: i64,
    /// 退货单位.
    pub unit_name: String,
    /// 基本单位.
    pub base_unit_name: String,
}

/// One purchase order (`order[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseOrderRow {
    /// 采购单id.
    pub purchase_id: i64,
    /// 采购单号.
    pub purchase_no: String,
    /// 供应商编号.
    pub provider_no: String,
    /// 供应商id.
    pub provider_id: i64,
    /// 供应商名称.
    pub provider_name: String,
    /// 当前状态（采购单状态）.
    pub status: i64,
    /// 入库状态: receiving against purchase orders is not kept: 0.
    pub stockin_status: i64,
    /// 结算状态: no settlement is kept: 0.
    pub settle_status: i64,
    /// 仓库名称.
    pub warehouse_name: String,
    /// 仓库id.
    pub warehouse_id: i64,
    /// 仓库编码.
    pub warehouse_no: String,
    /// 建单者: not kept: empty.
    pub creator_name: String,
    /// 采购员: not kept: empty.
    pub purchaser_name: String,
    /// 审核员: not kept: empty.
    pub check_operator_name: String,
    /// 财审员: not kept: empty.
    pub facheck_operator_name: String,
    /// 标记名称: no flags are kept: 无.
    pub flag_name: String,
    /// 标记id: no flags are kept: 0.
    pub flag_id: i64,
    /// 货运方式: not kept: empty.
    pub logistics_name: String,
    /// 物流方式: not kept: 0.
    pub logistics_type: i64,
    /// 物流公司编号: not kept: empty.
    pub logistics_no: String,
    /// 物流公司主键: not kept: 0.
    pub logistics_id: i64,
    /// 付款方式: not kept: 0.
    pub pay_type: i64,
    /// 运费付款方式: not kept: 0.
    pub postfee_pay_type: i64,
    /// 税前总货款: the lines' `amount`s.
    pub goods_fee: Dec4,
    /// 邮资: not kept: 0.
    pub post_fee: Dec4,
    /// 其他费用: not kept: 0.
    pub other_fee: Dec4,
    /// 总金额: `goods_fee` (no postage or other fees are kept).
    pub total_fee: Dec4,
    /// 税后总货款: `goods_fee` (lines are kept untaxed).
    pub tax_fee: Dec4,
    /// 货品种类数.
    pub goods_type_count: i64,
    /// 采购开单量.
    pub goods_count: Dec4,
    /// 采购到货量: receiving is not kept: 0.
    pub goods_arrive_count: Dec4,
    /// 采购入库量: receiving is not kept: 0.
    pub goods_stockin_count: Dec4,
    /// 采购单备注: not kept: empty.
    pub remark: String,
    /// 预计到货日期: not kept: empty.
    pub expect_arrive_time: String,
    /// 建单日期: epoch milliseconds (as the example).
    pub created: i64,
    /// 审核时间: not kept: empty (as the example shows an unchecked order).
    pub check_time: String,
    /// 最后修改日期: epoch milliseconds (as the example).
    pub modified: i64,
    /// 采购单自定义属性1: not kept: empty.
    pub prop1: String,
    /// 采购单自定义属性2: not kept: empty.
    pub prop2: String,
    /// 采购单详情: its lines, in line order.
    #[serde(deserialize_with = "vec_or_empty")]
    pub detail_list: Vec<PurchaseOrderLine>,
}

/// One line of a purchase order (`order[].detail_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseOrderLine {
    /// 采购单id.
    pub purchase_id: i64,
    /// 明细id.
    pub rec_id: i64,
    /// 单品id.
    pub spec_id: i64,
    /// 商家编码.
    pub spec_no: String,
    /// 零售价格: not kept: 0.
    pub retail_price: Dec4,
    /// 供应商货号: not kept: empty.
    pub provider_goods_no: String,
    /// 货品编号.
    pub goods_no: String,
    /// 货品名称.
    pub goods_name: String,
    /// 货品简称: not kept: empty.
    pub short_name: String,
    /// 单品备注: not kept: empty.
    pub spec_remark: String,
    /// 规格码.
    pub spec_code: String,
    /// 规格名称.
    pub spec_name: String,
    /// 单品条码.
    pub barcode: String,
    /// 品牌名称.
    pub brand_name: String,
    /// 图片地址: not kept: empty.
    pub img_url: String,
    /// 采购量: in base units.
    pub num: Dec4,
    /// 辅助采购量: `num` (lines are kept in base units).
    pub num2: Dec4,
    /// 采购确认量: not kept: 0.
    pub confirm_num: Dec4,
    /// 到货未入库量: receiving is not kept: 0.
    pub arrive_num: Dec4,
    /// 结算数量: no settlement is kept: 0.
    pub settle_num: Dec4,
    /// 多到货量: receiving is not kept: 0.
    pub arrive_more_num: Dec4,
    /// 到货入库量: receiving is not kept: 0.
    pub stockin_num: Dec4,
    /// 入库总金额: receiving is not kept: 0.
    pub stockin_amount: Dec4,
    /// 停止等待数量: not kept: 0.
    pub stopwait_num: Dec4,
    /// 未到货量: `num` (nothing is recorded as arrived).
    pub lack_num: Dec4,
    /// 采购单位: the base unit.
    pub purchase_unit_name: String,
    /// 单位变换率: 1 (base units).
    pub unit_ratio: Dec4,
    /// 基本单位.
    pub base_unit_name: String,
    /// 税前单价: per base unit.
    pub price: Dec4,
    /// 采购价: `price`, as a `"0.0000"` string (as the example).
    #[serde(serialize_with = "fixed4")]
    pub purchase_price: Dec4,
    /// 辅助采购价: `price` (base units).
    pub aux_price: Dec4,
    /// 折扣: 1: lines are kept at their net price.
    pub discount: Dec4,
    /// 税率: 0: lines are kept untaxed.
    pub tax_rate: Dec4,
    /// 税后单价: `price`.
    pub tax_price: Dec4,
    /// 税后金额: `amount`.
    pub tax_amount: Dec4,
    /// 税前折后单价: `price`.
    pub dis_price: Dec4,
    /// 税前金额: `num` × `price`, rounded to 4 places.
    pub amount: Dec4,
    /// 预估重量: not kept: 0.
    pub weight: Dec4,
    /// 辅助金额: `amount`.
    pub aux_amount: Dec4,
    /// 采购单详情备注: not kept: empty.
    pub remark: String,
    /// 自定义属性1: not kept: empty.
    pub prop1: String,
    /// 自定义属性2: not kept: empty.
    pub prop2: String,
    /// 自定义属性3: not kept: empty.
    pub prop3: String,
    /// 自定义属性4: not kept: empty.
    pub prop4: String,
    /// 单品自定义属性1.
    pub gs_prop1: String,
    /// 单品自定义属性2.
    pub gs_prop2: String,
    /// 单品自定义属性3.
    pub gs_prop3: String,
    /// 单品自定义属性4.
    pub gs_prop4: String,
    /// 单品自定义属性5.
    pub gs_prop5: String,
    /// 单品自定义属性6.
    pub gs_prop6: String,
    /// 有效期: no batch is kept on a purchase line: empty.
    pub expire_date: String,
    /// 修改时间: the order's, `yyyy-MM-dd HH:mm:ss` (as the example).
    pub modified: String,
    /// 创建时间: the order's, `yyyy-MM-dd HH:mm:ss` (as the example).
    pub created: String,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn refusal<P: ReadParams>(params: serde_json::Value) -> Option<String> {
        P::from_args(vec![params]).err().map(|e| e.to_string())
    }

    fn check<P: ReadParams>(cases: &[(serde_json::Value, Option<&str>)]) {
        for (params, want) in cases {
            let got = refusal::<P>(params.clone());
            assert_eq!(got.is_some(), want.is_some(), "{params}: {got:?}");
            if let (Some(got), Some(want)) = (&got, want) {
                assert!(got.contains(want), "{params}: {got}");
            }
        }
    }

    /// (params, the refusal's text, or `None` when accepted), one table per method.
    #[test]
    fn parameters_are_checked_as_the_pages_say() {
        check::<PurchaseReturnQuery>(&[
            (json!({}), None),
            (json!({"return_no": "R".repeat(20), "status": "40", "fuzzy_query": true}), None),
            (json!({"return_no": "R".repeat(21)}), Some("超长(最大20) return_no")),
            (json!({"provider_no": "P".repeat(21)}), Some("超长(最大20) provider_no")),
            (json!({"status": 50}), Some("取值不合法(10/20/30/40/60) status: 50")),
            (json!({"start_time": "2".repeat(41)}), Some("超长(最大40) start_time")),
            (json!({"status": "x"}), Some("参数不合法 status")),
        ]);
        check::<PurchaseOrderQuery>(&[
            (json!({}), None),
            (json!({"purchase_no": "C".repeat(40), "status": "10,90", "stockin_status": 5}), None),
            (json!({"purchase_no": "C".repeat(41)}), Some("超长(最大40) purchase_no")),
            (json!({"expect_warehouse_no": "W".repeat(41)}), Some("超长(最大40) expect_warehouse_no")),
            (json!({"receive_warehouse_no": "W".repeat(41)}), Some("超长(最大40) receive_warehouse_no")),
            (json!({"stockin_status": 6}), Some("取值不合法(0/1/2/3/4/5) stockin_status: 6")),
            (json!({"status": "1,".repeat(33)}), Some("超长(最大64) status")),
        ]);
    }

    #[test]
    fn the_window_is_set_on_the_modified_times() {
        let mut p = PurchaseOrderQuery::default();
        p.set_window("a".into(), "b".into());
        assert_eq!((p.start_time.as_deref(), p.end_time.as_deref()), (Some("a"), Some("b")));
        assert_eq!(PurchaseReturnQuery::WINDOW, Some(Some(30)));
    }

    #[test]
    fn pages_read_their_order_list() {
        let page: OrderPage<PurchaseOrderRow> =
            serde_json::from_value(json!({"total_count": 1, "order": [{"purchase_id": 8490, "detail_list": [
                {"rec_id": 1, "purchase_price": "0.0000", "num": 1}]}]}))
            .unwrap();
        assert_eq!(page.total_count(), Some(1));
        let rows = page.into_rows();
        assert_eq!(rows[0].detail_list[0].num, Dec4::ONE);
        let back = serde_json::to_value(&rows[0].detail_list[0]).unwrap();
        assert_eq!(back["purchase_price"], "0.0000", "shown as text, as the example");
    }
}
