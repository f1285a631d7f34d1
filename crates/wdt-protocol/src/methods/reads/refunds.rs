//! `aftersales.refund.Refund.search` (退换单查询): refund orders with their items, receipt state
//! and received quantities. The page answers `data: {"total_count": N, "order": [...]}`
//! ([`RefundPage`]). Row fields follow the page's response tables, with the types of its example
//! (`modified` and `created` as epoch-millisecond numbers, `platform_id` as a numeric string,
//! `modified_date` and a detail's `created` as `yyyy-MM-dd HH:mm:ss` text, decimals as JSON
//! numbers); fields that only the example shows (`return_telno`, `tmp_data`, `sync_return`,
//! `return_mask`) are there too.

use serde::{Deserialize, Serialize};

use crate::decimal::Dec4;
use crate::error::ApiError;
use crate::methods::lenient::{optional, row_struct, vec_or_empty, wire_struct};
use crate::methods::rules;

use super::{OrderPage, REFUND_SEARCH, ReadParams};

/// The refund order statuses `status` may name: 10 已取消, 20 待审核, 30 已审核, 40 已推送,
/// 80 已结算, 81 待回传, 85 待过账, 86 已过账, 87 成本确认, 90 已完成.
pub const REFUND_STATUSES: &[i64] = &[10, 20, 30, 40, 80, 81, 85, 86, 87, 90];
/// The receipt states `stockin_status` may name: 0 无需入库, 1 待入库, 2 部分入库, 3 全部入库,
/// 4 终止入库.
pub const STOCKIN_STATUSES: &[i64] = &[0, 1, 2, 3, 4];
/// The refund order types `type` may name: 1 售前退款, 2 退货, 3 换货, 4 退款不退货, 6 保价退款.
pub const REFUND_TYPES: &[i64] = &[1, 2, 3, 4, 6];
/// `order_type`: 0 默认排序 (modified ascending), 1 修改时间降序.
pub const ORDER_TYPES: &[i64] = &[0, 1];
/// `order_type` 1: newest modified first.
pub const ORDER_MODIFIED_DESC: i64 = 1;
/// The platform states `rr_status` may name: 1 取消退款, 2 申请退款, 3 等待退货, 4 等待收货,
/// 5 退款成功.
pub const RR_STATUSES: &[i64] = &[1, 2, 3, 4, 5];

wire_struct! {
    /// `aftersales.refund.Refund.search` `params`. Times stay as sent (`yyyy-MM-dd HH:mm:ss`);
    /// `wdt-domain` parses them and applies the window rules.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RefundSearch {
        /// 店铺编号, comma-separated (≤ 255).
        pub shop_nos?: String [max 255],
        /// 原始单号 (≤ 40).
        pub tid?: String [max 40],
        /// 客户网名 (≤ 100).
        pub buyer_nick?: String [max 100],
        /// 系统订单编号 (≤ 40).
        pub trade_no?,
        /// 退换单号 (≤ 40).
        pub refund_no?,
        /// 物流单号 (the return's logistics no, ≤ 40).
        pub return_logistics_no?: String [max 40],
        /// 修改起始时间 (≤ 40).
        pub modified_from?,
        /// 修改结束时间 (≤ 40).
        pub modified_to?,
        /// 结算起始时间 (≤ 40).
        pub settle_from?,
        /// 结算结束时间 (≤ 40).
        pub settle_to?,
        /// 审核起始时间 (≤ 40).
        pub agree_from?,
        /// 审核结束时间 (≤ 40).
        pub agree_to?: String [time],
        /// 退换单状态 ([`REFUND_STATUSES`]).
        pub status?: i64,
        /// 入库状态 ([`STOCKIN_STATUSES`]).
        pub stockin_status?: i64,
        /// 退回仓库编号, comma-separated (≤ 1000).
        pub return_warehouse_nos?: String [max 1000],
        /// 退换单类型 ([`REFUND_TYPES`]).
        #[serde(rename = "type", default, deserialize_with = "optional", skip_serializing_if = "Option::is_none")]
        pub kind: Option<i64>,
        /// 模糊查询: the business numbers (`refund_no`, `tid`, `trade_no`, `return_logistics_no`)
        /// match as prefixes.
        pub fuzzy_query?: bool,
        /// 是否为拦截件; absent = either.
        pub return_mask_manual_intercept?: bool,
        /// 是否拒收; absent = either.
        pub refund_mask_reject_return?: bool,
        /// 排序类型 ([`ORDER_TYPES`]).
        pub order_type?: i64,
        /// 平台状态 ([`RR_STATUSES`]); absent = every state.
        pub rr_status?: i64,
        /// 退款成功时间起始 (≤ 40).
        pub current_phase_timeout_from?: String [time],
        /// 退款成功时间结束 (≤ 40).
        pub current_phase_timeout_to?: String [time],
        /// 是否需要国补信息.
        pub need_gov_subsidy_info?: bool,
        /// 原始退款单号, comma-separated (≤ 255).
        pub raw_refund_nos?: String [max 255],
    }
}

impl ReadParams for RefundSearch {
    const METHOD: &'static str = REFUND_SEARCH;
    type Page = RefundPage;
    const WINDOW: Option<Option<i64>> = Some(Some(30));

    fn set_window(&mut self, start: String, end: String) {
        (self.modified_from, self.modified_to) = (Some(start), Some(end));
    }

    fn validate(&self) -> Result<(), ApiError> {
        self.check_declared(|f| f)?;
        rules::one_of("status", self.status, REFUND_STATUSES, |c| c)?;
        rules::one_of("stockin_status", self.stockin_status, STOCKIN_STATUSES, |c| c)?;
        rules::one_of("type", self.kind, REFUND_TYPES, |c| c)?;
        rules::one_of("order_type", self.order_type, ORDER_TYPES, |c| c)?;
        rules::one_of("rr_status", self.rr_status, RR_STATUSES, |c| c)?;
        Ok(())
    }
}

/// Response `data`: one page of refund orders.
pub type RefundPage = OrderPage<RefundRow>;

row_struct! {
    /// One refund order (`order[]`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct RefundRow {
        /// 退换单id.
        refund_id: i64;
        /// 原始单号 (of the trade).
        src_tids,
        /// 退换单号.
        refund_no,
        /// 备注.
        remark: String;
        /// 退换单类型 ([`REFUND_TYPES`]).
        #[serde(rename = "type")]
        kind,
        /// 入库状态 ([`STOCKIN_STATUSES`]).
        stockin_status: i64;
        /// 标记名称.
        flag_name: String;
        /// 退回货品数量 (Σ items' refund_num).
        return_goods_count: Dec4;
        /// 收件人电话 (own and offline shops only).
        receiver_telno,
        /// 收件人姓名 (own and offline shops only).
        receiver_name: String;
        /// 修改时间, epoch milliseconds.
        modified,
        /// 便签数量.
        note_count: i64;
        /// 店铺编号.
        shop_no: String;
        /// 建单方式: 0 API抓单, 1 手工建单, 2 Excel导入, 3 分销商推送.
        from_type,
        /// 建单时间, epoch milliseconds.
        created: i64;
        /// 结算时间; empty when not settled.
        settle_time,
        /// 审核时间; empty when not checked.
        check_time,
        /// 退货物流单号.
        return_logistics_no,
        /// 系统订单号列表.
        trade_no_list: String;
        /// 平台退款金额.
        guarantee_refund_amount,
        /// 退货金额 (Σ items' refund_num × price).
        return_goods_amount: Dec4;
        /// 物流公司名称.
        return_logistics_name,
        /// 退换说明.
        reason_name,
        /// 退款原因.
        refund_reason,
        /// 客户网名 (own and offline shops only).
        buyer_nick,
        /// 建单者.
        operator_name: String;
        /// 实际退款金额.
        actual_refund_amount: Dec4;
        /// 驳回原因.
        revert_reason_name,
        /// 退回仓库编号.
        return_warehouse_no: String;
        /// 线下退款金额.
        direct_refund_amount,
        /// 收款金额.
        receive_amount: Dec4;
        /// 客户姓名 (own and offline shops only).
        customer_name: String;
        /// 分销商昵称; left out without one.
        #[serde(deserialize_with = "optional", skip_serializing_if = "Option::is_none")]
        fenxiao_nick_name: Option<String>;
        /// 退换单状态 ([`REFUND_STATUSES`]).
        status,
        /// 店铺id.
        shop_id,
        /// 订单id.
        trade_id: i64;
        /// 原始退换单号, comma-separated.
        raw_refund_nos,
        /// 支付订单号.
        pay_id,
        /// 分销退换单号.
        provider_refund_no: String;
        /// 店铺平台id.
        shop_platform_id: i64;
        /// 原始单号.
        tid_list: String;
        /// 子平台id.
        sub_platform_id,
        /// 退回仓库id.
        return_warehouse_id: i64;
        /// 平台id, a numeric string (`"127"`) as the example shows.
        platform_id: String;
        /// 退回仓库类型.
        warehouse_type,
        /// 拦截原因.
        bad_reason: i64;
        /// 最后修改时间, `yyyy-MM-dd HH:mm:ss`.
        modified_date,
        /// 退换信息.
        return_mask_info: String;
        /// 处理状态.
        process_status,
        /// 退款原因id.
        reason_id,
        /// 驳回原因id.
        revert_reason,
        /// 客户id.
        customer_id,
        /// 发货方式.
        consign_mode: i64;
        /// 退款创建时间, `yyyy-MM-dd HH:mm:ss`.
        refund_time,
        /// 分销原始单号.
        fenxiao_tid,
        /// 分销商编码.
        fenxiao_nick_no,
        /// wms单号.
        wms_code: String;
        /// 平台状态 (0 空).
        rr_status: i64;
        /// 退款成功时间.
        current_phase_timeout,
        /// The return's phone (in the example only).
        return_telno: String;
        /// The return warehouse id again (in the example only).
        tmp_data: i64;
        /// Whether the return syncs to the platform (in the example only).
        sync_return: bool;
        /// Return flags (in the example only).
        return_mask: i64;
        /// 退换单详情.
        #[serde(deserialize_with = "vec_or_empty")]
        detail_list: Vec<RefundDetailRow>;
        /// 金额明细.
        #[serde(deserialize_with = "vec_or_empty")]
        amount_detail_list: Vec<RefundAmountRow>;
    }
}

row_struct! {
    /// One item of a refund order (`detail_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct RefundDetailRow {
        /// 退换单明细Id.
        rec_id,
        /// 退换单id.
        refund_id,
        /// 平台id.
        platform_id: i64;
        /// 原始子单号.
        oid,
        /// 原始单号.
        tid,
        /// 系统订单编号.
        trade_no: String;
        /// 成本价.
        checked_cost_price,
        /// 数量 (shipped on the trade item).
        num,
        /// 价格.
        price,
        /// 原价.
        original_price,
        /// 退款数量.
        refund_num,
        /// 退款总额 (refund_num × price).
        total_amount,
        /// 退款金额 (already refunded).
        refund_amount: Dec4;
        /// 是否担保退款.
        is_guarantee: bool;
        /// 货品编号.
        goods_no,
        /// 货品名称.
        goods_name,
        /// 规格名.
        spec_name,
        /// 商家编码.
        spec_no,
        /// 规格码.
        spec_code,
        /// 条码.
        barcode: String;
        /// 入库数量: received by checked stock-ins.
        stockin_num: Dec4;
        /// 备注.
        remark,
        /// 平台货品名称.
        api_goods_name: String;
        /// 订单id.
        sales_trade_id: i64;
        /// 平台规格名称.
        api_spec_name: String;
        /// 订单明细id.
        trade_order_id,
        /// 最后修改时间, epoch milliseconds (as the example).
        modified: i64;
        /// 平台货品id.
        goods_id,
        /// 平台规格id.
        spec_id: String;
        /// 系统货品id.
        sys_goods_id,
        /// 系统规格id.
        sys_spec_id: i64;
        /// 总折扣金额.
        discount,
        /// 已支付金额.
        paid: Dec4;
        /// 组合装id.
        suite_id: i64;
        /// 组合装编号.
        suite_no,
        /// 组合装名称.
        suite_name: String;
        /// 组合装数量.
        suite_num: Dec4;
        /// 创建时间, `yyyy-MM-dd HH:mm:ss`.
        created,
        /// 最后修改时间, `yyyy-MM-dd HH:mm:ss`.
        modified_date,
        /// 原始退款单号 (at submission).
        raw_refund_no,
        /// 原始退款单号, comma-separated.
        raw_refund_nos: String;
        /// 赠品类型 (0 非赠品).
        gift_type: i64;
    }
}

row_struct! {
    /// One amount line of a refund order (`amount_detail_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct RefundAmountRow {
        /// 金额明细记录id.
        rec_id,
        /// 退换单id.
        refund_id,
        /// 退换类型: 1 货款, 2 邮费, 99 返现.
        refund_type,
        /// 金额流向: 0 商家→买家, 1 买家→商家.
        is_return: i64;
        /// 退款金额.
        refund_amount,
        /// 收款金额.
        receive_amount: Dec4;
        /// 是否担保支付.
        is_guarantee: bool;
        /// 支付账户.
        account_id: i64;
        /// 买家账号 (own and offline shops only).
        pay_account,
        /// 买家开户人姓名.
        account_name,
        /// 开户银行.
        account_bank: String;
        /// 是否系统自动生成.
        is_auto: bool;
        /// 备注.
        remark: String;
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
            (json!({"modified_from": "2020-01-01 00:00:00", "modified_to": "2020-01-20 00:00:00"}), None),
            (json!({"status": "30", "stockin_status": 2, "type": 2, "order_type": 1, "rr_status": 5}), None),
            (json!({"fuzzy_query": true, "return_mask_manual_intercept": 0, "need_gov_subsidy_info": "1"}), None),
            (json!({"refund_no": "T".repeat(41)}), Some("超长(最大40) refund_no")),
            (json!({"buyer_nick": "n".repeat(101)}), Some("超长(最大100) buyer_nick")),
            (json!({"shop_nos": "s".repeat(256)}), Some("超长(最大255) shop_nos")),
            (json!({"return_warehouse_nos": "w".repeat(1001)}), Some("超长(最大1000) return_warehouse_nos")),
            (json!({"status": 50}), Some("取值不合法(10/20/30/40/80/81/85/86/87/90) status: 50")),
            (json!({"stockin_status": 5}), Some("取值不合法(0/1/2/3/4) stockin_status: 5")),
            (json!({"type": 5}), Some("取值不合法(1/2/3/4/6) type: 5")),
            (json!({"order_type": 2}), Some("取值不合法(0/1) order_type: 2")),
            (json!({"rr_status": 0}), Some("rr_status: 0")),
            (json!({"status": "x"}), Some("status")),
        ];
        for (params, want) in cases {
            let got = RefundSearch::from_args(vec![params.clone()]).err().map(|e| e.to_string());
            assert_eq!(got.is_some(), want.is_some(), "{params}: {got:?}");
            if let (Some(got), Some(want)) = (&got, want) {
                assert!(got.contains(want), "{params}: {got}");
            }
        }
    }

    #[test]
    fn the_window_is_the_modified_time() {
        let mut p = RefundSearch::default();
        p.set_window("2020-01-01 00:00:00".into(), "2020-01-02 00:00:00".into());
        assert_eq!(
            p.to_args(),
            vec![json!({"modified_from": "2020-01-01 00:00:00", "modified_to": "2020-01-02 00:00:00"})]
        );
    }

    #[test]
    fn a_page_reads_back_what_it_writes() {
        let row = RefundRow {
            refund_no: "TK1".into(),
            kind: 2,
            platform_id: "127".into(),
            detail_list: vec![RefundDetailRow { stockin_num: Dec4::ONE, ..RefundDetailRow::default() }],
            ..RefundRow::default()
        };
        let page = RefundPage { total_count: Some(1), order: vec![row] };
        let text = serde_json::to_value(&page).unwrap();
        assert_eq!(text["order"][0]["type"], 2);
        assert!(text["order"][0].get("fenxiao_nick_name").is_none());
        assert_eq!(serde_json::from_value::<RefundPage>(text).unwrap(), page);
    }
}
