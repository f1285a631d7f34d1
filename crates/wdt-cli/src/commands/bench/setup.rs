//! The bench's refund orders: a seed imported through `wdt-returns import` (the real loader,
//! with every check), then copied in bulk with `INSERT … SELECT` until there are N. Copy k of
//! seed order `TKi` is `TK(i + k × seed)`, with its trade and items, so the pushes can name any
//! order below N. Loading 100k orders row by row through the importer takes minutes on
//! PostgreSQL; copying them takes seconds.

use super::query::Db;

/// Refund orders imported through the real loader; the rest are copies.
pub const SEED_ORDERS: u64 = 2000;

/// Copies the seed's trades, trade items, refund orders and refund items until the seller has
/// `target` refund orders; returns how many it has.
pub async fn grow_refunds(db: &mut Db, sid: &str, target: u64) -> anyhow::Result<i64> {
    db.bulk(async |db: &mut Db| copy_refunds(db, sid, target).await).await
}

async fn copy_refunds(db: &mut Db, sid: &str, target: u64) -> anyhow::Result<i64> {
    let max = |t: &str| format!("SELECT COALESCE(MAX(id), 0) FROM {t}");
    let seed = db.scalar(format!("SELECT COUNT(*) FROM refund_orders WHERE sid = '{sid}'")).await?;
    let target = i64::try_from(target)?;
    anyhow::ensure!(
        seed == SEED_ORDERS as i64,
        "the bench needs a database of its own: found {seed} refund orders of seller {sid}, expected the {SEED_ORDERS} it imports"
    );
    let (trades, items, refunds, refund_items) = (
        db.scalar(max("trades")).await?,
        db.scalar(max("trade_items")).await?,
        db.scalar(max("refund_orders")).await?,
        db.scalar(max("refund_order_items")).await?,
    );
    let index = |col: &str, prefix_len: usize| format!("CAST(SUBSTR({col}, {}) AS BIGINT)", prefix_len + 1);
    let copies = (target - 1) / seed;
    for k in 1..=copies {
        let off = k * seed;
        // Only the copies whose new number is below the target.
        let trade_kept = format!("t.sid = '{sid}' AND t.id <= {trades} AND {} + {off} < {target}", index("t.tid", 1));
        let statements = [
            format!(
                "INSERT INTO trades (id, sid, tid, trade_no, shop_id, customer_id, shipped, created) \
                 SELECT t.id + {k} * {trades}, t.sid, 'T' || ({} + {off}), t.trade_no, t.shop_id, t.customer_id, \
                 t.shipped, t.created FROM trades t WHERE {trade_kept}",
                index("t.tid", 1)
            ),
            format!(
                "INSERT INTO trade_items (id, sid, trade_id, oid, spec_id, num, price) \
                 SELECT i.id + {k} * {items}, i.sid, i.trade_id + {k} * {trades}, i.oid || '-{k}', i.spec_id, i.num, \
                 i.price FROM trade_items i JOIN trades t ON t.id = i.trade_id WHERE i.id <= {items} AND {trade_kept}"
            ),
            format!(
                "INSERT INTO refund_orders (id, sid, refund_no, trade_id, shop_id, customer_id, type, status, \
                 stockin_status, reason, remark, refund_amount, actual_refund_amount, created, modified) \
                 SELECT r.id + {k} * {refunds}, r.sid, 'TK' || ({ri} + {off}), r.trade_id + {k} * {trades}, r.shop_id, \
                 r.customer_id, r.type, r.status, r.stockin_status, r.reason, r.remark, r.refund_amount, \
                 r.actual_refund_amount, r.created, r.modified FROM refund_orders r \
                 WHERE r.sid = '{sid}' AND r.id <= {refunds} AND {ri} + {off} < {target}",
                ri = index("r.refund_no", 2)
            ),
            format!(
                "INSERT INTO refund_order_items (id, sid, refund_order_id, seq, oid, trade_item_id, spec_id, refund_num, \
                 stockin_num, opening_stockin_num, price) \
                 SELECT i.id + {k} * {refund_items}, i.sid, i.refund_order_id + {k} * {refunds}, i.seq, i.oid || '-{k}', \
                 i.trade_item_id + {k} * {items}, i.spec_id, i.refund_num, i.stockin_num, i.opening_stockin_num, i.price \
                 FROM refund_order_items i JOIN refund_orders r ON r.id = i.refund_order_id \
                 WHERE i.id <= {refund_items} AND r.sid = '{sid}' AND r.id <= {refunds} AND {ri} + {off} < {target}",
                ri = index("r.refund_no", 2)
            ),
        ];
        for sql in statements {
            db.execute(sql).await?;
        }
    }
    if let Db::Pg(_) = db {
        // Explicit ids leave the identity sequences behind; later inserts must not collide.
        let copied = ["trades", "trade_items", "refund_orders", "refund_order_items"];
        for t in copied {
            db.scalar(format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")).await?;
        }
        // Only the copied tables: statistics saying the stock-in tables are empty would make
        // PostgreSQL plan the foreign-key checks against them as sequential scans, and each
        // connection keeps those plans while the tables grow under the load.
        db.execute(format!("VACUUM ANALYZE {}", copied.join(", "))).await?;
        // The copies' WAL would otherwise be checkpointed during the load it is not part of
        // (needs superuser or pg_checkpoint; without it the load may see that checkpoint).
        if let Err(e) = db.execute("CHECKPOINT".to_owned()).await {
            eprintln!("no CHECKPOINT after the copies ({e}); the load may pay for one");
        }
    }
    db.scalar(format!("SELECT COUNT(*) FROM refund_orders WHERE sid = '{sid}'")).await
}
