//! Documents and audit rows as the admin API writes them: quantities and money as decimal
//! strings (`"2"`, `"29.98"`), times as `yyyy-MM-dd HH:mm:ss` Shanghai time beside their epoch
//! milliseconds (`created`, `created_ms`), statuses as their number beside their label
//! (`status: 30`, `status_label: "30 已审核 checked"`).

use serde_json::{Value, json};
use wdt_domain::model::{Coded, PurchaseReturnStatus, RefundOrderStatus, RefundReceiptState, StockinStatus};
use wdt_protocol::Dec4;
use wdt_protocol::time::format_wire_time;
use wdt_store::{
    AuditEntry, DocumentView, PurchaseReturnSummary, RefundOrderView, StockLineView, StockinView, TradeView,
};

fn dec(d: Dec4) -> Value {
    Value::String(d.to_string())
}

fn time(ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, |ms| Value::String(format_wire_time(ms)))
}

/// The document an action left, tagged with its `type`; `sid` is the seller it belongs to.
pub(crate) fn document(sid: &str, document: &DocumentView) -> Value {
    match document {
        DocumentView::RefundOrder(r) => refund_order(sid, r),
        DocumentView::Stockin(s) => stockin(s),
        DocumentView::PurchaseReturn(p) => purchase_return(p),
        DocumentView::Trade(t) => trade(t),
        DocumentView::StockLine(l) => stock_line(l),
    }
}

fn refund_order(sid: &str, r: &RefundOrderView) -> Value {
    let items: Vec<Value> = r
        .items
        .iter()
        .map(|i| {
            json!({
                "oid": i.oid, "spec_no": i.spec_no, "refund_num": dec(i.refund_num),
                "stockin_num": dec(i.stockin_num), "price": dec(i.price),
            })
        })
        .collect();
    json!({
        "type": "refund_order",
        "sid": sid,
        "refund_no": r.refund_no,
        "status": r.status,
        "status_label": RefundOrderStatus::describe(r.status),
        "stockin_status": r.stockin_status,
        "stockin_status_label": RefundReceiptState::describe(r.stockin_status),
        "items": items,
    })
}

fn stockin(s: &StockinView) -> Value {
    let h = &s.summary;
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| {
            json!({
                "spec_no": l.spec_no, "warehouse_no": l.warehouse_no, "position_no": l.position_no,
                "batch_no": l.batch_no, "defect": l.defect, "num": dec(l.num), "price": dec(l.price),
            })
        })
        .collect();
    json!({
        "type": "stockin",
        "sid": h.sid,
        "order_no": h.order_no,
        "outer_no": h.outer_no,
        "status": h.status,
        "status_label": StockinStatus::describe(h.status),
        "refund_no": h.refund_no,
        "warehouse_no": h.warehouse_no,
        "goods_count": dec(h.goods_count),
        "created": time(Some(h.created)),
        "created_ms": h.created,
        "check_time": time(h.check_time),
        "check_time_ms": h.check_time,
        "created_by": s.created_by,
        "checked_by": s.checked_by,
        "remark": s.remark,
        "lines": lines,
    })
}

fn purchase_return(p: &PurchaseReturnSummary) -> Value {
    json!({
        "type": "purchase_return",
        "sid": p.sid,
        "return_no": p.return_no,
        "provider_no": p.provider_no,
        "warehouse_no": p.warehouse_no,
        "status": p.status,
        "status_label": PurchaseReturnStatus::describe(p.status),
        "check_failure": p.check_failure,
        "created": time(Some(p.created)),
        "created_ms": p.created,
    })
}

fn trade(t: &TradeView) -> Value {
    let items: Vec<Value> = t
        .items
        .iter()
        .map(|i| json!({"oid": i.oid, "spec_no": i.spec_no, "num": dec(i.num), "price": dec(i.price)}))
        .collect();
    json!({
        "type": "trade",
        "sid": t.sid,
        "tid": t.tid,
        "trade_no": t.trade_no,
        "shop_no": t.shop_no,
        "shipped": t.shipped,
        "warehouse_no": t.warehouse_no,
        "stockout_no": t.stockout_no,
        "shipped_at": time(t.shipped_at),
        "shipped_at_ms": t.shipped_at,
        "created": time(Some(t.created)),
        "created_ms": t.created,
        "items": items,
    })
}

fn stock_line(l: &StockLineView) -> Value {
    json!({
        "type": "stock_line",
        "sid": l.sid,
        "warehouse_no": l.warehouse_no,
        "spec_no": l.spec_no,
        "defect": l.defect,
        "batch_no": l.batch_no,
        "position_no": l.position_no,
        "num": dec(l.num),
        "cost_price": dec(l.cost_price),
    })
}

/// One audit row.
pub(crate) fn audit(a: &AuditEntry) -> Value {
    json!({
        "id": a.id,
        "sid": a.sid,
        "actor": a.actor,
        "action": a.action,
        "target": a.target,
        "before": a.before,
        "after": a.after,
        "doc_no": a.doc_no,
        "created": format_wire_time(a.created),
        "created_ms": a.created,
    })
}
