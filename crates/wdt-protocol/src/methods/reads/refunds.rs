//! `aftersales.refund.Refund.search` (退换单查询): refund orders with their items, receipt state
//! and received quantities. The page answers `data: {"total_count": N, "order": [...]}`
//! ([`RefundPage`]). Row fields follow the page's response tables, with the types of its example
//! (`modified` and `created` as epoch-millisecond numbers, `platform_id` as a numeric string,
//! `modified_date` and a detail's `created` as `yyyy-MM-dd HH:mm:ss` text, decimals as JSON
//! numbers); fields that only the example shows (`return_telno`, `tmp_data`, `sync_return`,
//! `return_mask`) are there too.

use crate::methods::lenient::wire_struct;
use serde::{Deserialize, Serialize};

use crate::decimal::Dec4;
use crate::error::ApiError;
use crate::methods::lenient::{optional, vec_or_empty};
use crate::methods::rules;

use super::{PageRows, REFUND_SEARCH, ReadParams};

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
        pub shop_nos?: String,
        /// 原始单号 (≤ 40).
        pub tid?: String,
        /// 客户网名 (≤ 100).
        pub buyer_nick?: String,
        /// 系统订单编号 (≤ 40).
        pub trade_no?: String,
        /// 退换单号 (≤ 40).
        pub refund_no?: String,
        /// 物流单号 (the return's logistics no, ≤ 40).
        pub return_logistics_no?: String,
        /// 修改起始时间 (≤ 40).
        pub modified_from?: String,
        /// 修改结束时间 (≤ 40).
        pub modified_to?: String,
        /// 结算起始时间 (≤ 40).
        pub settle_from?: String,
        /// 结算结束时间 (≤ 40).
        pub settle_to?: String,
        /// 审核起始时间 (≤ 40).
        pub agree_from?: String,
        /// 审核结束时间 (≤ 40).
        pub agree_to?: String,
        /// 退换单状态 ([`REFUND_STATUSES`]).
        pub status?: i64,
        /// 入库状态 ([`STOCKIN_STATUSES`]).
        pub stockin_status?: i64,
        /// 退回仓库编号, comma-separated (≤ 1000).
        pub return_warehouse_nos?: String,
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
        pub current_phase_timeout_from?: String,
        /// 退款成功时间结束 (≤ 40).
        pub current_phase_timeout_to?: String,
        /// 是否需要国补信息.
        pub need_gov_subsidy_info?: bool,
        /// 原始退款单号, comma-separated (≤ 255).
        pub raw_refund_nos?: String,
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
        let texts: [(&str, &Option<String>, usize); 15] = [
            ("shop_nos", &self.shop_nos, 255),
            ("tid", &self.tid, 40),
            ("buyer_nick", &self.buyer_nick, 100),
            ("trade_no", &self.trade_no, 40),
            ("refund_no", &self.refund_no, 40),
            ("return_logistics_no", &self.return_logistics_no, 40),
            ("modified_from", &self.modified_from, 40),
            ("modified_to", &self.modified_to, 40),
            ("settle_from", &self.settle_from, 40),
            ("settle_to", &self.settle_to, 40),
            ("agree_from", &self.agree_from, 40),
            ("agree_to", &self.agree_to, 40),
            ("return_warehouse_nos", &self.return_warehouse_nos, 1000),
            ("current_phase_timeout_from", &self.current_phase_timeout_from, 40),
            ("current_phase_timeout_to", &self.current_phase_timeout_to, 40),
        ];
        for (name, value, max) in texts {
            rules::optional_text(name, value.as_deref(), max)?;
        }
        rules::optional_text("raw_refund_nos", self.raw_refund_nos.as_deref(), 255)?;
        rules::one_of("status", self.status, REFUND_STATUSES, |c| c)?;
        rules::one_of("stockin_status", self.stockin_status, STOCKIN_STATUSES, |c| c)?;
        rules::one_of("type", self.kind, REFUND_TYPES, |c| c)?;
        rules::one_of("order_type", self.order_type, ORDER_TYPES, |c| c)?;
        rules::one_of("rr_status", self.rr_status, RR_STATUSES, |c| c)?;
        Ok(())
    }
}

wire_struct! {
    /// Response `data`: one page of refund orders.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    pub struct RefundPage {
        /// 数据总条数, when the pager asked for it.
        pub total_count?: i64,
        /// 单据数据.
        #[serde(default = "Vec::new", deserialize_with = "vec_or_empty")]
        pub order: Vec<RefundRow>,
    }
}

impl PageRows for RefundPage {
    type Row = RefundRow;
    fn into_rows(self) -> Vec<RefundRow> {
        self.order
    }
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
}

/// One refund order (`order[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundRow {
    /// 退换单id.
    pub refund_id: i64,
    /// 原始单号 (of the trade).
    pub src_tids: String,
    /// 退换单号.
    pub refund_no: String,
    /// 备注.
    pub remark: String,
    /// 退换单类型 ([`REFUND_TYPES`]).
    #[serde(rename = "type")]
    pub kind: i64,
    /// 入库状态 ([`STOCKIN_STATUSES`]).
    pub stockin_status: i64,
    /// 标记名称.
    pub flag_name: String,
    /// 退回货品数量 (Σ items' refund_num).
    pub return_goods_count: Dec4,
    /// 收件人电话 (own and offline shops only).
    pub receiver_telno: String,
    /// 收件人姓名 (own and offline shops only).
    pub receiver_name: String,
    /// 修改时间, epoch milliseconds.
    pub modified: i64,
    /// 便签数量.
    pub note_count: i64,
    /// 店铺编号.
    pub shop_no: String,
    /// 建单方式: 0 API抓单, 1 手工建单, 2 Excel导入, 3 分销商推送.
    pub from_type: i64,
    /// 建单时间, epoch milliseconds.
    pub created: i64,
    /// 结算时间; empty when not settled.
    pub settle_time: String,
    /// 审核时间; empty when not checked.
    pub check_time: String,
    /// 退货物流单号.
    pub return_logistics_no: String,
    /// 系统订单号列表.
    pub trade_no_list: String,
    /// 平台退款金额.
    pub guarantee_refund_amount: Dec4,
    /// 退货金额 (Σ items' refund_num × price).
    pub return_goods_amount: Dec4,
    /// 物流公司名称.
    pub return_logistics_name: String,
    /// 退换说明.
    pub reason_name: String,
    /// 退款原因.
    pub refund_reason: String,
    /// 客户网名 (own and offline shops only).
    pub buyer_nick: String,
    /// 建单者.
    pub operator_name: String,
    /// 实际退款金额.
    pub actual_refund_amount: Dec4,
    /// 驳回原因.
    pub revert_reason_name: String,
    /// 退回仓库编号.
    pub return_warehouse_no: String,
    /// 线下退款金额.
    pub direct_refund_amount: Dec4,
    /// 收款金额.
    pub receive_amount: Dec4,
    /// 客户姓名 (own and offline shops only).
    pub customer_name: String,
    /// 分销商昵称; left out without one.
    #[serde(deserialize_with = "optional", skip_serializing_if = "Option::is_none")]
    pub fenxiao_nick_name: Option<String>,
    /// 退换单状态 ([`REFUND_STATUSES`]).
    pub status: i64,
    /// 店铺id.
    pub shop_id: i64,
    /// 订单id.
    pub trade_id: i64,
    /// 原始退换单号, comma-separated.
    pub raw_refund_nos: String,
    /// 支付订单号.
    pub pay_id: String,
    /// 分销退换单号.
    pub provider_refund_no: String,
    /// 店铺平台id.
    pub shop_platform_id: i64,
    /// 原始单号.
    pub tid_list: String,
    /// 子平台id.
    pub sub_platform_id: i64,
    /// 退回仓库id.
    pub return_warehouse_id: i64,
    /// 平台id, a numeric string (`"127"`) as the example shows.
    pub platform_id: String,
    /// 退回仓库类型.
    pub warehouse_type: i64,
    /// 拦截原因.
    pub bad_reason: i64,
    /// 最后修改时间, `yyyy-MM-dd HH:mm:ss`.
    pub modified_date: String,
    /// 退换信息.
    pub return_mask_info: String,
    /// 处理状态.
    pub process_status: i64,
    /// 退款原因id.
    pub reason_id: i64,
    /// 驳回原因id.
    pub revert_reason: i64,
    /// 客户id.
    pub customer_id: i64,
    /// 发货方式.
    pub consign_mode: i64,
    /// 退款创建时间, `yyyy-MM-dd HH:mm:ss`.
    pub refund_time: String,
    /// 分销原始单号.
    pub fenxiao_tid: String,
    /// 分销商编码.
    pub fenxiao_nick_no: String,
    /// wms单号.
    pub wms_code: String,
    /// 平台状态 (0 空).
    pub rr_status: i64,
    /// 退款成功时间.
    pub current_phase_timeout: String,
    /// The return's phone (in the example only).
    pub return_telno: String,
    /// The return warehouse id again (in the example only).
    pub tmp_data: i64,
    /// Whether the return syncs to the platform (in the example only).
    pub sync_return: bool,
    /// Return flags (in the example only).
    pub return_mask: i64,
    /// 退换单详情.
    #[serde(deserialize_with = "vec_or_empty")]
    pub detail_list: Vec<RefundDetailRow>,
    /// 金额明细.
    #[serde(deserialize_with = "vec_or_empty")]
    pub amount_detail_list: Vec<RefundAmountRow>,
}

/// One item of a refund order (`detail_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundDetailRow {
    /// 退换单明细Id.
    pub rec_id: i64,
    /// 退换单id.
    pub refund_id: i64,
    /// 平台id.
    pub platform_id: i64,
    /// 原始子单号.
    pub oid: String,
    /// 原始单号.
    pub tid: String,
    /// 系统订单编号.
    pub trade_no: String,
    /// 成本价.
    pub checked_cost_price: Dec4,
    /// 数量 (shipped on the trade item).
    pub num: Dec4,
    /// 价格.
    pub price: Dec4,
    /// 原价.
    pub original_price: Dec4,
    /// 退款数量.
    pub refund_num: Dec4,
    /// 退款总额 (refund_num × price).
    pub total_amount: Dec4,
    /// 退款金额 (already refunded).
    pub refund_amount: Dec4,
    /// 是否担保退款.
    pub is_guarantee: bool,
    /// 货品编号.
    pub goods_no: String,
    /// 货品名称.
    pub goods_name: String,
    /// 规格名.
    pub spec_name: String,
    /// 商家编码.
    pub spec_no: String,
    /// 规格码.
    pub spec_code: String,
    /// 条码.
    pub barcode: String,
    /// 入库数量: received by checked stock-ins.
    pub stockin_num: Dec4,
    /// 备注.
    pub remark: String,
    /// 平台货品名称.
    pub api_goods_name: String,
    /// 订单id.
    pub sales_trade_id: i64,
    /// 平台规格名称.
    pub api_spec_name: String,
    /// 订单明细id.
    pub trade_order_id: i64,
    /// 最后修改时间, epoch milliseconds (as the example).
    pub modified: i64,
    /// 平台货品id.
    pub goods_id: String,
    /// 平台规格id.
    pub spec_id: String,
    /// 系统货品id.
    pub sys_goods_id: i64,
    /// 系统规格id.
    pub sys_spec_id: i64,
    /// 总折扣金额.
    pub discount: Dec4,
    /// 已支付金额.
    pub paid: Dec4,
    /// 组合装id.
    pub suite_id: i64,
    /// 组合装编号.
    pub suite_no: String,
    /// 组合装名称.
    pub suite_name: String,
    /// 组合装数量.
    pub suite_num: Dec4,
    /// 创建时间, `yyyy-MM-dd HH:mm:ss`.
    pub created: String,
    /// 最后修改时间, `yyyy-MM-dd HH:mm:ss`.
    pub modified_date: String,
    /// 原始退款单号 (at submission).
    pub raw_refund_no: String,
    /// 原始退款单号, comma-separated.
    pub raw_refund_nos: String,
    /// 赠品类型 (0 非赠品).
    pub gift_type: i64,
}

/// One amount line of a refund order (`amount_detail_list[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundAmountRow {
    /// 金额明细记录id.
    pub rec_id: i64,
    /// 退换单id.
    pub refund_id: i64,
    /// 退换类型: 1 货款, 2 邮费, 99 返现.
    pub refund_type: i64,
    /// 金额流向: 0 商家→买家, 1 买家→商家.
    pub is_return: i64,
    /// 退款金额.
    pub refund_amount: Dec4,
    /// 收款金额.
    pub receive_amount: Dec4,
    /// 是否担保支付.
    pub is_guarantee: bool,
    /// 支付账户.
    pub account_id: i64,
    /// 买家账号 (own and offline shops only).
    pub pay_account: String,
    /// 买家开户人姓名.
    pub account_name: String,
    /// 开户银行.
    pub account_bank: String,
    /// 是否系统自动生成.
    pub is_auto: bool,
    /// 备注.
    pub remark: String,
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
