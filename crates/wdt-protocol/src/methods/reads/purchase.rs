//! The purchase documents' queries: `purchase.PurchaseReturn.queryWithDetail` (采购退货单及明细查询)
//! and `purchase.PurchaseOrder.queryWithDetail` (采购单查询). Both answer an [`OrderPage`]
//! (`data: {total_count, order}`), each document with its `detail_list`. Row fields follow the
//! page's example (its names and JSON types: times as epoch milliseconds on the documents, as
//! `yyyy-MM-dd HH:mm:ss` text on purchase order lines), with the table's fields the example lacks
//! where this ERP keeps them; what it does not keep shows its empty value.

use serde::{Deserialize, Serialize};

use crate::decimal::{Dec4, fixed4};
use crate::error::ApiError;
use crate::methods::lenient::{optional, row_struct, vec_or_empty, wire_struct};

pub use super::OrderPage;
use super::{PURCHASE_ORDER_QUERY, PURCHASE_RETURN_QUERY, ReadParams};

/// The purchase return states `status` may name: 10 已取消, 20 编辑中, 30 待审核, 40 已审核, 60 已完成.
pub const PURCHASE_RETURN_STATUSES: &[i64] = &[10, 20, 30, 40, 60];

wire_struct! {
    /// `purchase.PurchaseReturn.queryWithDetail` `params`. Without `return_no` both ends of the
    /// window are required, at most 30 days apart; with it the window is ignored.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PurchaseReturnQuery {
        /// 供应商编号 (≤ 20).
        pub provider_no?: String [max 20],
        /// 采购退货单号 (≤ 20).
        pub return_no?: String [max 20],
        /// 采购退货单状态 (one of [`PURCHASE_RETURN_STATUSES`]).
        pub status?: i64 [one_of PURCHASE_RETURN_STATUSES],
        /// 开始时间 (modified), `yyyy-MM-dd HH:mm:ss`.
        pub start_time?: String [time],
        /// 结束时间 (modified).
        pub end_time?: String [time],
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
        self.check_declared(|f| f)
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
        pub purchase_no?: String [max 40],
        /// 供应商编号 (≤ 20).
        pub provider_no?: String [max 20],
        /// 预计入库仓编号 (≤ 40).
        pub expect_warehouse_no?: String [max 40],
        /// 收货仓编号 (≤ 40).
        pub receive_warehouse_no?: String [max 40],
        /// 开始时间 (modified), `yyyy-MM-dd HH:mm:ss`.
        pub start_time?: String [time],
        /// 结束时间 (modified).
        pub end_time?: String [time],
        /// 入库状态 (one of [`PURCHASE_STOCKIN_STATUSES`]).
        pub stockin_status?: i64 [one_of PURCHASE_STOCKIN_STATUSES],
        /// 采购单状态: a comma list of [`PURCHASE_ORDER_STATUSES`] (≤ 64).
        pub status?: String [max 64],
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
        self.check_declared(|f| f)
    }
}

row_struct! {
    /// One purchase return (`order[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct PurchaseReturnRow {
        /// 采购退货单id.
        return_id: i64;
        /// 审核人.
        check_operator_name: String;
        /// 审核时间: epoch milliseconds (as the example), `null` before the check.
        #[serde(deserialize_with = "optional")]
        check_time: Option<i64>;
        /// 市.
        city,
        /// 供应商联系人姓名.
        contact: String;
        /// 创建时间: epoch milliseconds (as the example).
        created: i64;
        /// 制单员: not kept: empty.
        creator_name,
        /// 区.
        district: String;
        /// 货品数量: the lines' quantities in base units.
        goods_count,
        /// 货款: the lines' `amount`s.
        goods_fee,
        /// 退货出库量: every line leaves stock at the check.
        goods_out_count: Dec4;
        /// 货品种类数.
        goods_type_count: i64;
        /// 是否占用库存: always false: stock is taken at the check, never held before it.
        is_reserved: bool;
        /// 物流方式.
        logistics_type: i64;
        /// 物流公司编号.
        logistics_no: String;
        /// 物流公司id: 0 without one.
        logistics_id,
        /// 修改时间: epoch milliseconds (as the example).
        modified,
        /// 便签条数: no notes are kept: 0.
        note_count: i64;
        /// 其他费用.
        other_fee: Dec4;
        /// 外部单号: the `outer_no` it was created with (also its `return_no`).
        outer_no: String;
        /// 邮费.
        post_fee: Dec4;
        /// 供应商名称.
        provider_name,
        /// 省.
        province,
        /// 采购员: not kept: empty.
        purchaser_name,
        /// 退货地址.
        receive_address,
        /// 备注.
        remark,
        /// 采购退货单号.
        return_no: String;
        /// 结算状态: no settlement is kept: 0.
        settle_status,
        /// 状态.
        status: i64;
        /// 供应商联系电话.
        telno: String;
        /// 类型: always 1 退货.
        #[serde(rename = "type")]
        kind: i64;
        /// 仓库名称.
        warehouse_name,
        /// 仓库编号.
        warehouse_no: String;
        /// 仓库id.
        warehouse_id: i64;
        /// 供应商编号.
        provider_no,
        /// 原采购单号: empty unless exactly one purchase order is referenced.
        purchase_no: String;
        /// 出库状态.
        stockout_status: i64;
        /// 采购退货单自定义属性1: in the table, not in the example.
        prop1,
        /// 采购退货单自定义属性2: in the table, not in the example.
        prop2: String;
        /// 采购退货单详情: its lines, in line order.
        #[serde(deserialize_with = "vec_or_empty")]
        detail_list: Vec<PurchaseReturnLine>;
    }
}

row_struct! {
    /// One line of a purchase return (`order[].detail_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct PurchaseReturnLine {
        /// 主键id.
        rec_id: i64;
        /// 商家编码.
        spec_no: String;
        /// 单品ID.
        spec_id: i64;
        /// 自定义属性1 (the page writes 自定义属性2): not kept: empty.
        prop1,
        /// 自定义属性2: not kept: empty.
        prop2: String;
        /// 采购退货单id.
        return_id: i64;
        /// 是否残次品.
        defect: bool;
        /// 供应商货号: not kept: empty.
        provider_goods_no: String;
        /// 退货数量: in base units.
        num,
        /// 辅助数量: in the line's unit: `num` / `unit_ratio`, cut to 4 places.
        num2,
        /// 出库数量: all of `num` once out (at the check).
        out_num,
        /// 结算数量: no settlement is kept: 0.
        settle_num,
        /// 单位变换率.
        unit_ratio,
        /// 单价: per base unit.
        price,
        /// 折扣.
        discount,
        /// 税率.
        tax_rate,
        /// 税后单价.
        tax_price,
        /// 金额: `price` × `discount` (rounded to 4 places) × `num`, rounded to 4 places.
        amount,
        /// 出库金额: `amount` once out.
        out_amount: Dec4;
        /// 备注.
        remark: String;
        /// 修改时间: the return's (lines are not changed alone), epoch milliseconds.
        modified,
        /// 创建时间: the return's, epoch milliseconds.
        created: i64;
        /// 退货单位.
        unit_name,
        /// 基本单位.
        base_unit_name: String;
    }
}

row_struct! {
    /// One purchase order (`order[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct PurchaseOrderRow {
        /// 采购单id.
        purchase_id: i64;
        /// 采购单号.
        purchase_no,
        /// 供应商编号.
        provider_no: String;
        /// 供应商id.
        provider_id: i64;
        /// 供应商名称.
        provider_name: String;
        /// 当前状态（采购单状态）.
        status,
        /// 入库状态: receiving against purchase orders is not kept: 0.
        stockin_status,
        /// 结算状态: no settlement is kept: 0.
        settle_status: i64;
        /// 仓库名称.
        warehouse_name: String;
        /// 仓库id.
        warehouse_id: i64;
        /// 仓库编码.
        warehouse_no,
        /// 建单者: not kept: empty.
        creator_name,
        /// 采购员: not kept: empty.
        purchaser_name,
        /// 审核员: not kept: empty.
        check_operator_name,
        /// 财审员: not kept: empty.
        facheck_operator_name,
        /// 标记名称: no flags are kept: 无.
        flag_name: String;
        /// 标记id: no flags are kept: 0.
        flag_id: i64;
        /// 货运方式: not kept: empty.
        logistics_name: String;
        /// 物流方式: not kept: 0.
        logistics_type: i64;
        /// 物流公司编号: not kept: empty.
        logistics_no: String;
        /// 物流公司主键: not kept: 0.
        logistics_id,
        /// 付款方式: not kept: 0.
        pay_type,
        /// 运费付款方式: not kept: 0.
        postfee_pay_type: i64;
        /// 税前总货款: the lines' `amount`s.
        goods_fee,
        /// 邮资: not kept: 0.
        post_fee,
        /// 其他费用: not kept: 0.
        other_fee,
        /// 总金额: `goods_fee` (no postage or other fees are kept).
        total_fee,
        /// 税后总货款: `goods_fee` (lines are kept untaxed).
        tax_fee: Dec4;
        /// 货品种类数.
        goods_type_count: i64;
        /// 采购开单量.
        goods_count,
        /// 采购到货量: receiving is not kept: 0.
        goods_arrive_count,
        /// 采购入库量: receiving is not kept: 0.
        goods_stockin_count: Dec4;
        /// 采购单备注: not kept: empty.
        remark,
        /// 预计到货日期: not kept: empty.
        expect_arrive_time: String;
        /// 建单日期: epoch milliseconds (as the example).
        created: i64;
        /// 审核时间: not kept: empty (as the example shows an unchecked order).
        check_time: String;
        /// 最后修改日期: epoch milliseconds (as the example).
        modified: i64;
        /// 采购单自定义属性1: not kept: empty.
        prop1,
        /// 采购单自定义属性2: not kept: empty.
        prop2: String;
        /// 采购单详情: its lines, in line order.
        #[serde(deserialize_with = "vec_or_empty")]
        detail_list: Vec<PurchaseOrderLine>;
    }
}

row_struct! {
    /// One line of a purchase order (`order[].detail_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct PurchaseOrderLine {
        /// 采购单id.
        purchase_id,
        /// 明细id.
        rec_id,
        /// 单品id.
        spec_id: i64;
        /// 商家编码.
        spec_no: String;
        /// 零售价格: not kept: 0.
        retail_price: Dec4;
        /// 供应商货号: not kept: empty.
        provider_goods_no,
        /// 货品编号.
        goods_no,
        /// 货品名称.
        goods_name,
        /// 货品简称: not kept: empty.
        short_name,
        /// 单品备注: not kept: empty.
        spec_remark,
        /// 规格码.
        spec_code,
        /// 规格名称.
        spec_name,
        /// 单品条码.
        barcode,
        /// 品牌名称.
        brand_name,
        /// 图片地址: not kept: empty.
        img_url: String;
        /// 采购量: in base units.
        num,
        /// 辅助采购量: `num` (lines are kept in base units).
        num2,
        /// 采购确认量: not kept: 0.
        confirm_num,
        /// 到货未入库量: receiving is not kept: 0.
        arrive_num,
        /// 结算数量: no settlement is kept: 0.
        settle_num,
        /// 多到货量: receiving is not kept: 0.
        arrive_more_num,
        /// 到货入库量: receiving is not kept: 0.
        stockin_num,
        /// 入库总金额: receiving is not kept: 0.
        stockin_amount,
        /// 停止等待数量: not kept: 0.
        stopwait_num,
        /// 未到货量: `num` (nothing is recorded as arrived).
        lack_num: Dec4;
        /// 采购单位: the base unit.
        purchase_unit_name: String;
        /// 单位变换率: 1 (base units).
        unit_ratio: Dec4;
        /// 基本单位.
        base_unit_name: String;
        /// 税前单价: per base unit.
        price,
        /// 采购价: `price`, as a `"0.0000"` string (as the example).
        #[serde(serialize_with = "fixed4")]
        purchase_price,
        /// 辅助采购价: `price` (base units).
        aux_price,
        /// 折扣: 1: lines are kept at their net price.
        discount,
        /// 税率: 0: lines are kept untaxed.
        tax_rate,
        /// 税后单价: `price`.
        tax_price,
        /// 税后金额: `amount`.
        tax_amount,
        /// 税前折后单价: `price`.
        dis_price,
        /// 税前金额: `num` × `price`, rounded to 4 places.
        amount,
        /// 预估重量: not kept: 0.
        weight,
        /// 辅助金额: `amount`.
        aux_amount: Dec4;
        /// 采购单详情备注: not kept: empty.
        remark,
        /// 自定义属性1: not kept: empty.
        prop1,
        /// 自定义属性2: not kept: empty.
        prop2,
        /// 自定义属性3: not kept: empty.
        prop3,
        /// 自定义属性4: not kept: empty.
        prop4,
        /// 单品自定义属性1.
        gs_prop1,
        /// 单品自定义属性2.
        gs_prop2,
        /// 单品自定义属性3.
        gs_prop3,
        /// 单品自定义属性4.
        gs_prop4,
        /// 单品自定义属性5.
        gs_prop5,
        /// 单品自定义属性6.
        gs_prop6,
        /// 有效期: no batch is kept on a purchase line: empty.
        expire_date,
        /// 修改时间: the order's, `yyyy-MM-dd HH:mm:ss` (as the example).
        modified,
        /// 创建时间: the order's, `yyyy-MM-dd HH:mm:ss` (as the example).
        created: String;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::PageRows;
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
