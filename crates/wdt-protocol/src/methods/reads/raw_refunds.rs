//! `aftersales.refund.RawRefund.search` (原始退款单查询): the platform refunds (原始退款单) pushed
//! by `aftersales.refund.RawRefund.upload`, with their lines. The page answers
//! `data: {"total_count": N, "order": [...]}` ([`RawRefundPage`]). Row fields follow the page's
//! response tables with the types of its example (times as `yyyy-MM-dd HH:mm:ss` text,
//! `is_aftersale` a boolean, decimals as JSON numbers); `swap_order_id`, which only the example
//! shows, is there too.

use serde::{Deserialize, Serialize};

use crate::decimal::Dec4;
use crate::error::ApiError;
use crate::methods::lenient::{row_struct, vec_or_empty, wire_struct};
use crate::methods::rules;

use super::{OrderPage, RAW_REFUND_SEARCH, ReadParams};

/// `time_type` 1: the window applies to the last modification (the default).
pub const TIME_MODIFIED: i64 = 1;
/// `time_type` 2: the window applies to the refund's creation on the platform (`refund_time`).
pub const TIME_REFUND: i64 = 2;
/// The values `time_type` may take.
pub const TIME_TYPES: &[i64] = &[TIME_MODIFIED, TIME_REFUND];
/// `detail_mask`: 0 without, 1 with the refund's discount lines.
pub const DETAIL_MASKS: &[i64] = &[0, 1];
/// `filter_detail`: 0 every line, 1 only lines of the raw refund's own detail (type 0).
pub const FILTER_DETAILS: &[i64] = &[0, 1];

wire_struct! {
    /// `aftersales.refund.RawRefund.search` `params`. Times stay as sent; `wdt-domain` parses them
    /// and applies the window rules (30 days; optional when the refund is named otherwise).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RawRefundSearch {
        /// 开始时间 (≤ 40).
        pub start_time?: String [time],
        /// 结束时间 (≤ 40).
        pub end_time?: String [time],
        /// 时间条件类型 ([`TIME_TYPES`]); absent = modified.
        pub time_type?: i64,
        /// 原始退单号 (≤ 40).
        pub refund_no?: String [max 40],
        /// 物流单号 (≤ 40).
        pub logistics_no?: String [max 40],
        /// 平台id (≤ 6 digits).
        pub platform_id?: i64,
        /// 店铺编号 (≤ 40, one shop).
        pub shop_no?: String [max 40],
        /// 原始单号 (≤ 40).
        pub tid?: String [max 40],
        /// 原始子单号 (≤ 40).
        pub oid?: String [max 40],
        /// 明细掩码 ([`DETAIL_MASKS`]).
        pub detail_mask?: i64,
        /// 是否过滤明细 ([`FILTER_DETAILS`]).
        pub filter_detail?: i64,
    }
}

impl ReadParams for RawRefundSearch {
    const METHOD: &'static str = RAW_REFUND_SEARCH;
    type Page = RawRefundPage;
    const WINDOW: Option<Option<i64>> = Some(Some(30));

    fn set_window(&mut self, start: String, end: String) {
        (self.start_time, self.end_time) = (Some(start), Some(end));
    }

    fn validate(&self) -> Result<(), ApiError> {
        self.check_declared(|f| f)?;
        if let Some(p) = self.platform_id {
            rules::text_len("platform_id", &p.to_string(), Some(6))?;
        }
        rules::one_of("time_type", self.time_type, TIME_TYPES, |c| c)?;
        rules::one_of("detail_mask", self.detail_mask, DETAIL_MASKS, |c| c)?;
        rules::one_of("filter_detail", self.filter_detail, FILTER_DETAILS, |c| c)?;
        Ok(())
    }
}

/// Response `data`: one page of raw refunds.
pub type RawRefundPage = OrderPage<RawRefundRow>;

row_struct! {
    /// One raw refund (`order[]`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct RawRefundRow {
        /// 原始退款单唯一id.
        refund_id,
        /// 平台id (the shop's).
        platform_id: i64;
        /// 店铺编号.
        shop_no,
        /// 店铺名称.
        shop_name,
        /// 原始退款单号.
        refund_no,
        /// 原始单号.
        tid,
        /// 原始子单号 (of the first line).
        oid: String;
        /// 类型 (as pushed: 0 取消订单, 1 退款, 2 退货, 3 换货, 4 退款不退货).
        #[serde(rename = "type")]
        kind,
        /// 平台状态 (1 取消退款 … 5 退款成功).
        status,
        /// 系统状态 (0 待递交, 15 已递交, 20 递交失败, 40 已处理).
        process_status: i64;
        /// 买家支付账号 (own and offline shops only).
        pay_account,
        /// 支付单号.
        pay_no: String;
        /// 申请退款金额.
        refund_amount,
        /// 实际退款金额.
        actual_refund_amount: Dec4;
        /// 退款成功时间 (`""` when unknown).
        current_phase_timeout,
        /// 标题.
        title,
        /// 物流公司名称.
        logistics_name,
        /// 物流单号.
        logistics_no,
        /// 网名 (own and offline shops only).
        buyer_nick,
        /// 退款时间.
        refund_time: String;
        /// 是否售后.
        is_aftersale: bool;
        /// 退款原因.
        reason: String;
        /// 退款原因关键字映射对应id.
        reason_id: i64;
        /// 备注.
        remark: String;
        /// 数量 (Σ of the lines).
        num,
        /// 单价 (the first line's).
        price,
        /// 退款货品总价格 (Σ of the lines).
        total_amount: Dec4;
        /// 平台货品id (the first line's).
        goods_id,
        /// 平台规格id (the first line's).
        spec_id,
        /// 平台货品编码 (the first line's).
        goods_no,
        /// 平台规格编码 (the first line's).
        spec_no,
        /// 最后修改时间.
        modified,
        /// 创建时间.
        created: String;
        /// 店铺id.
        shop_id,
        /// 子平台id.
        sub_platform_id,
        /// 店铺平台id.
        shop_platform_id,
        /// 是否拒收.
        is_reject: i64;
        /// 退款版本.
        refund_version: String;
        /// tag.
        tag,
        /// 外部退款单.
        is_external,
        /// 修改掩码.
        modify_flag: i64;
        /// 换货单 id (the example's; no exchange orders are made).
        swap_order_id: String;
        /// 原始退款单明细.
        #[serde(deserialize_with = "vec_or_empty")]
        detail_list: Vec<RawRefundDetailRow>;
        /// 原始退款单优惠明细.
        #[serde(deserialize_with = "vec_or_empty")]
        discount_list: Vec<RawRefundDiscountRow>;
    }
}

row_struct! {
    /// One line of a raw refund (`detail_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct RawRefundDetailRow {
        /// 明细主键id.
        refund_id: i64;
        /// 原始子单号.
        oid: String;
        /// 平台id.
        platform_id: i64;
        /// 原始退款单号.
        refund_no,
        /// 原始单号.
        tid: String;
        /// 平台状态.
        status: i64;
        /// 平台货品名称.
        goods_name,
        /// 平台货品编码.
        goods_no,
        /// 平台货品id.
        goods_id,
        /// 平台规格名称.
        spec_name,
        /// 平台规格编码.
        spec_no,
        /// 平台规格id.
        spec_id: String;
        /// 数量.
        num,
        /// 总金额.
        total_amount: Dec4;
        /// 备注.
        remark: String;
        /// 单价.
        price: Dec4;
        /// 类型: 0 from the raw refund's lines, 1 from its main record.
        #[serde(rename = "type")]
        kind: i64;
        /// 退货时间.
        refund_time,
        /// 最后修改时间.
        modified_date,
        /// 创建时间.
        created_date: String;
    }
}

row_struct! {
    /// One discount line of a raw refund (`discount_list[]`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct RawRefundDiscountRow {
        /// 优惠明细唯一键.
        rec_id,
        /// 平台id.
        platform_id: i64;
        /// 原始退款单号.
        refund_no,
        /// 原始单号.
        tid,
        /// 原始子单号.
        oid,
        /// 优惠名称.
        name: String;
        /// 金额.
        amount: Dec4;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parameters_are_checked_as_the_page_says() {
        let cases: &[(serde_json::Value, Option<&str>)] = &[
            (json!({"refund_no": "91294632450951678", "platform_id": 1}), None),
            (json!({"start_time": "2020-01-01 00:00:00", "end_time": "2020-01-20 00:00:00", "time_type": "2"}), None),
            (json!({"detail_mask": 1, "filter_detail": "0", "oid": "O1", "shop_no": "S1"}), None),
            (json!({"refund_no": "R".repeat(41)}), Some("超长(最大40) refund_no")),
            (json!({"logistics_no": "L".repeat(41)}), Some("超长(最大40) logistics_no")),
            (json!({"platform_id": 1234567}), Some("超长(最大6) platform_id")),
            (json!({"time_type": 0}), Some("取值不合法(1/2) time_type: 0")),
            (json!({"detail_mask": 2}), Some("取值不合法(0/1) detail_mask: 2")),
            (json!({"filter_detail": 3}), Some("取值不合法(0/1) filter_detail: 3")),
            (json!({"platform_id": "x"}), Some("platform_id")),
        ];
        for (params, want) in cases {
            let got = RawRefundSearch::from_args(vec![params.clone()]).map(|_| ()).map_err(|e| e.to_string());
            match (want, &got) {
                (None, Ok(())) => {}
                (Some(w), Err(g)) => assert!(g.contains(w), "{params}: {g}"),
                _ => panic!("{params}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn the_page_example_reads() {
        let example = json!({"total_count": 1, "order": [{"logistics_name": " ", "refund_version": " ", "reason": " ",
            "detail_list": [{"refund_id": 210348, "oid": "202210270002-0", "price": 0, "platform_id": 127,
                "refund_no": "202210270002", "num": 5, "remark": " ", "total_amount": 0, "tid": "202210270002",
                "status": 3, "goods_no": "", "spec_no": "", "goods_id": "", "spec_id": "",
                "refund_time": "2022-04-08 09:18:00", "modified_date": "2022-10-27 17:47:17",
                "created_date": "2022-10-27 17:46:21", "goods_name": "", "spec_name": ""}],
            "refund_no": "202210270002", "num": 5, "type": 3, "is_aftersale": true, "discount_list": [],
            "process_status": 15, "shop_id": 711, "refund_amount": 0, "modified": "2022-10-27 17:47:17"}]});
        let page: RawRefundPage = serde_json::from_value(example).unwrap();
        let row = &page.order[0];
        assert_eq!((row.kind, row.process_status, row.is_aftersale), (3, 15, true));
        assert_eq!(row.detail_list[0].num, Dec4::from_int(5).unwrap());
        assert_eq!(page.total_count, Some(1));
    }
}
