//! Documents arriving through the API (SPEC.md §8): raw trades and raw refunds converted at once,
//! the same document twice changing nothing, refusals writing nothing, and concurrent pushes of
//! one `tid` or one `refund_no` making one document.

use serde_json::{Value, json};
use wdt_protocol::methods::raw_refund_upload::RawRefundUpload;
use wdt_protocol::methods::raw_trade_push::{RawTradePush, RawTradePushResult};
use wdt_protocol::methods::{RAW_REFUND_UPLOAD, RAW_TRADE_PUSH, decode_args, qjb_method};

use super::{DEMO, Demo, assert_verified, d, refusal};
use crate::{DocumentFilter, Store};

/// A raw trade `tid` of SHOP-OWN with MUG-RED × 2 on `<tid>-1` and MUG-BLUE × 1 on `<tid>-2`.
fn raw_trade(tid: &str) -> RawTradePush {
    let trade = json!({
        "tid": tid, "process_status": 10, "trade_status": 30, "refund_status": 0, "pay_status": 2,
        "order_count": 2, "goods_count": 3, "pay_method": 1, "trade_time": "2024-08-30 10:00:00",
        "buyer_nick": "buyer-1", "receiver_name": "收件人", "receiver_area": "北京 北京市 朝阳区",
        "receiver_address": "春天街道1号", "receiver_mobile": "15612340987", "post_amount": 0, "discount": 0,
        "receivable": 60, "delivery_term": 1, "is_auto_wms": false
    });
    let order = |n: u32, spec_no: &str, num: i64| {
        json!({
            "tid": tid, "oid": format!("{tid}-{n}"), "status": 30, "refund_status": 0, "goods_id": "g",
            "spec_id": "s", "goods_no": "G-MUG", "spec_no": spec_no, "goods_name": "马克杯", "num": num,
            "price": 20, "discount": 0, "share_discount": 0, "total_amount": 20 * num, "adjust_amount": 0,
            "remark": "", "json": ""
        })
    };
    let body = json!(["SHOP-OWN", [trade], [order(1, "MUG-RED", 2), order(2, "MUG-BLUE", 1)]]);
    let arity = qjb_method(RAW_TRADE_PUSH).expect("served").arity;
    let args = decode_args(RAW_TRADE_PUSH, body.to_string().as_bytes(), arity).expect("the arguments");
    RawTradePush::from_args(args).expect("a valid push")
}

/// A raw refund line of `refund_no` in the demo's SHOP-POS for `num` of `oid` of trade T-DEMO-7
/// (shipped, MUG-BLUE × 2 on T-DEMO-7-1).
fn raw_refund_line(refund_no: &str, oid: &str, refund_type: i64, num: i64) -> Value {
    json!({
        "refund_no": refund_no, "num": num, "tid": "T-DEMO-7", "oid": oid, "type": refund_type, "status": 2,
        "refund_version": "1", "refund_amount": 25, "actual_refund_amount": 25, "title": "",
        "buyer_nick": "b", "is_aftersale": 1, "reason": "不想要了"
    })
}

fn raw_refunds(lines: Vec<Value>) -> RawRefundUpload {
    RawRefundUpload::from_args(RAW_REFUND_UPLOAD, vec![json!("SHOP-POS"), json!(lines)]).expect("a valid upload")
}

/// The demo seller's refund orders on trade `tid`.
async fn refund_orders_of(store: &dyn Store, tid: &str) -> Vec<crate::RefundOrderSummary> {
    let all = store.list_refund_orders(&DocumentFilter::seller(DEMO, 1000)).await.expect("refund orders");
    all.into_iter().filter(|r| r.tid == tid).collect()
}

/// A pushed raw trade is a JY-numbered trade at once; the same push again changes nothing.
pub async fn a_raw_trade_becomes_a_trade_once(store: std::sync::Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let push = raw_trade("RT-1");
    let first = demo.store.push_raw_trades(&demo.app, &push).await.expect("pushed");
    assert_eq!(first, RawTradePushResult { chg_count: 0, new_count: 1 });
    let trade = demo.store.trade(DEMO, "RT-1").await.expect("trade").expect("converted");
    assert!(trade.trade_no.starts_with("JY"), "{}", trade.trade_no);
    assert_eq!(trade.items.len(), 2);
    let before = demo.snapshot().await;
    let again = demo.store.push_raw_trades(&demo.app, &push).await.expect("pushed again");
    assert_eq!(again, RawTradePushResult::default());
    assert_eq!(demo.snapshot().await, before, "the same document changes nothing");
    // A push the rules refuse writes nothing.
    let mut bad = raw_trade("RT-2");
    bad.orders[1].spec_no = "NOPE".into();
    let message = refusal(demo.store.push_raw_trades(&demo.app, &bad).await);
    assert_eq!(message, "货品不存在 rawTradeOrderList[1].spec_no: NOPE");
    assert!(demo.store.trade(DEMO, "RT-2").await.expect("trade").is_none());
    assert_verified(&*demo.store).await;
}

/// Twelve concurrent pushes of one `tid`: one trade, counted new once.
pub async fn concurrent_pushes_of_one_tid_make_one_trade(store: std::sync::Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (store, app) = (std::sync::Arc::clone(&demo.store), demo.app.clone());
            tokio::spawn(async move { store.push_raw_trades(&app, &raw_trade("RT-RACE")).await })
        })
        .collect();
    let mut new = 0;
    for task in tasks {
        let result = task.await.expect("the task finished").expect("every push is answered");
        assert_eq!(result.chg_count, 0);
        new += result.new_count;
    }
    assert_eq!(new, 1);
    let trades = demo.store.list_trades(&DocumentFilter::seller(DEMO, 1000)).await.expect("trades");
    assert_eq!(trades.iter().filter(|t| t.tid == "RT-RACE").count(), 1);
    assert_verified(&*demo.store).await;
}

/// A raw return on a shipped trade is a pending-review refund order expecting its goods; the
/// same upload again changes nothing; a refund of more than sold writes nothing.
pub async fn a_raw_refund_becomes_its_refund_order_once(store: std::sync::Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let upload = raw_refunds(vec![raw_refund_line("RR-C1", "T-DEMO-7-1", 2, 2)]);
    let done = demo.store.upload_raw_refunds(&demo.app, &upload, true).await.expect("uploaded");
    assert_eq!((done.chg_count, done.new_count), (0, 1));
    let orders = refund_orders_of(&*demo.store, "T-DEMO-7").await;
    assert_eq!(orders.len(), 1, "{orders:?}");
    // SHOP-POS reviews automatically in the demo data.
    assert_eq!((orders[0].status, orders[0].stockin_status, orders[0].expected), (30, 1, d("2")));
    let before = demo.snapshot().await;
    let again = demo.store.upload_raw_refunds(&demo.app, &upload, true).await.expect("uploaded again");
    assert_eq!((again.chg_count, again.new_count), (0, 0));
    assert_eq!(demo.snapshot().await, before);
    let more = raw_refunds(vec![raw_refund_line("RR-C2", "T-DEMO-7-1", 2, 1)]);
    let message = refusal(demo.store.upload_raw_refunds(&demo.app, &more, true).await);
    assert_eq!(message, "退款数量超过可退数量 order_list[0].num: 1 (可退: 0)");
    assert_eq!(demo.snapshot().await, before, "a refused upload writes nothing");
    assert_verified(&*demo.store).await;
}

/// Concurrent uploads: twelve of one `refund_no` make one refund order; six of other numbers
/// for one unit each of a sub-order sold twice refund exactly two.
pub async fn concurrent_uploads_never_refund_more_than_sold(store: std::sync::Arc<dyn Store>) {
    let demo = Demo::new(store).await;
    let spawn = |upload: RawRefundUpload| {
        let (store, app) = (std::sync::Arc::clone(&demo.store), demo.app.clone());
        tokio::spawn(async move { store.upload_raw_refunds(&app, &upload, true).await })
    };
    let same: Vec<_> =
        (0..12).map(|_| spawn(raw_refunds(vec![raw_refund_line("RR-SAME", "T-DEMO-7-2", 2, 5)]))).collect();
    let mut new = 0;
    for task in same {
        new += task.await.expect("the task finished").expect("every upload is answered").new_count;
    }
    assert_eq!(new, 1);
    let others: Vec<_> =
        (0..6).map(|i| spawn(raw_refunds(vec![raw_refund_line(&format!("RR-ONE-{i}"), "T-DEMO-7-1", 2, 1)]))).collect();
    let mut accepted = 0;
    for task in others {
        match task.await.expect("the task finished") {
            Ok(done) => accepted += done.new_count,
            Err(e) => assert!(format!("{e:?}").contains("退款数量超过可退数量"), "{e:?}"),
        }
    }
    assert_eq!(accepted, 2);
    let orders = refund_orders_of(&*demo.store, "T-DEMO-7").await;
    assert_eq!(orders.len(), 3, "{orders:?}");
    let expected = orders.iter().try_fold(d("0"), |s, o| s.checked_add(o.expected)).unwrap();
    assert_eq!(expected, d("7"), "5 RICE-KG and 2 MUG-BLUE");
    assert_verified(&*demo.store).await;
}
