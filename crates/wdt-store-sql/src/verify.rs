//! Invariant checks over the whole database (`wdt-returns verify`).

use crate::db::{Executor, query};
use wdt_domain::model::{RefundReceiptState, StockinStatus, receipt_state};
use wdt_protocol::Dec4;
use wdt_store::{StoreResult, VerifyReport};

fn q(scaled: i64) -> Dec4 {
    Dec4::from_scaled(scaled)
}

pub(crate) async fn verify(conn: &mut impl Executor) -> StoreResult<VerifyReport> {
    let mut report = VerifyReport::default();
    check_stock_lines(conn, &mut report).await?;
    check_orphan_ledger_rows(conn, &mut report).await?;
    check_ledger_chains(conn, &mut report).await?;
    check_refund_items(conn, &mut report).await?;
    check_stockin_shops(conn, &mut report).await?;
    check_receipt_states(conn, &mut report).await?;
    check_stock_specs(conn, &mut report).await?;
    check_ledger_levels(conn, &mut report).await?;
    Ok(report)
}

/// Each warehouse × spec × defect row `StockSpec.search` reads holds the sum of its stock lines,
/// and every group of stock lines holding stock has its row (the rows follow the ledger, so a
/// group of empty opening lines, which write no ledger row, has none).
async fn check_stock_specs(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    let groups = query(
        "SELECT g.warehouse_id, g.spec_id, g.defect, g.num, st.num FROM \
         (SELECT warehouse_id, spec_id, defect, CAST(SUM(num) AS BIGINT) AS num FROM stock \
          GROUP BY warehouse_id, spec_id, defect) g \
         LEFT JOIN stock_specs st ON st.warehouse_id = g.warehouse_id AND st.spec_id = g.spec_id \
         AND st.defect = g.defect",
    )
    .fetch_all(conn)
    .await?;
    for row in groups {
        let (warehouse, spec, num, kept): (i64, i64, i64, Option<i64>) =
            (row.get(0), row.get(1), row.get(3), row.get(4));
        if kept.unwrap_or(0) != num {
            let kept = kept.map_or_else(|| "no row".to_owned(), |k| q(k).to_string());
            report
                .problems
                .push(format!("stock of spec {spec} in warehouse {warehouse}: lines sum {} but kept {kept}", q(num)));
        }
    }
    Ok(())
}

/// Every ledger row has the group level `queryChangeHistory` shows beside it.
async fn check_ledger_levels(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    let missing: Vec<i64> = query(
        "SELECT l.id FROM stock_ledger l LEFT JOIN stock_ledger_levels lv ON lv.ledger_id = l.id \
         WHERE lv.ledger_id IS NULL ORDER BY l.id LIMIT 20",
    )
    .scalars(conn)
    .await?;
    for id in missing {
        report.problems.push(format!("ledger row {id}: no stock level kept beside it"));
    }
    Ok(())
}

/// Stock equals the ledger's sum, line by line; no negative stock.
async fn check_stock_lines(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    let lines = query(
        "SELECT s.id, s.warehouse_id, s.spec_id, s.defect, s.batch_id, s.position_id, s.num, \
                CAST(COALESCE((SELECT SUM(l.num_change) FROM stock_ledger l WHERE l.warehouse_id = s.warehouse_id \
                  AND l.spec_id = s.spec_id AND l.defect = s.defect AND l.batch_id = s.batch_id \
                  AND l.position_id = s.position_id), 0) AS BIGINT) AS ledger_sum \
         FROM stock s ORDER BY s.id",
    )
    .fetch_all(conn)
    .await?;
    for row in &lines {
        report.stock_lines += 1;
        let (id, num, sum): (i64, i64, i64) = (row.get("id"), row.get("num"), row.get("ledger_sum"));
        if num != sum {
            report.problems.push(format!("stock line {id}: stock {} but ledger sum {}", q(num), q(sum)));
        }
        if num < 0 {
            report.problems.push(format!("stock line {id}: negative stock {}", q(num)));
        }
    }
    Ok(())
}

/// The other direction: every ledger line has a stock line.
async fn check_orphan_ledger_rows(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    let orphans = query(
        "SELECT l.warehouse_id, l.spec_id, l.defect, l.batch_id, l.position_id, CAST(SUM(l.num_change) AS BIGINT) AS total \
         FROM stock_ledger l LEFT JOIN stock s ON s.warehouse_id = l.warehouse_id AND s.spec_id = l.spec_id \
           AND s.defect = l.defect AND s.batch_id = l.batch_id AND s.position_id = l.position_id \
         WHERE s.id IS NULL GROUP BY 1, 2, 3, 4, 5",
    )
    .fetch_all(conn)
    .await?;
    for row in orphans {
        report.problems.push(format!(
            "ledger rows for warehouse {} spec {} defect {} batch {} position {} (sum {}) have no stock line",
            row.get::<i64, _>(0),
            row.get::<i64, _>(1),
            row.get::<i64, _>(2),
            row.get::<i64, _>(3),
            row.get::<i64, _>(4),
            q(row.get::<i64, _>(5)),
        ));
    }
    Ok(())
}

/// Each ledger row is arithmetic, and each line's rows chain: before = the previous after.
async fn check_ledger_chains(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    report.ledger_rows = query("SELECT COUNT(*) FROM stock_ledger").scalar::<i64>(conn).await? as u64;
    let broken = query(
        "SELECT id, num_before, num_change, num_after, \
                LAG(num_after, 1, 0) OVER (PARTITION BY warehouse_id, spec_id, defect, batch_id, position_id ORDER BY id) AS prev \
         FROM stock_ledger",
    )
    .fetch_all(conn)
    .await?;
    for row in broken {
        let (id, before, change, after, prev): (i64, i64, i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
        if before + change != after {
            report.problems.push(format!("ledger row {id}: {} + {} ≠ {}", q(before), q(change), q(after)));
        }
        if before != prev {
            report.problems.push(format!("ledger row {id}: starts at {} but the line stood at {}", q(before), q(prev)));
        }
    }
    Ok(())
}

/// Refund items: received within expected, and equal to what checked stock-ins linked.
async fn check_refund_items(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    let items = query(
        // One pass over the links, grouped, rather than a lookup per item: links have no index by
        // item, and the request path never needs one.
        "SELECT i.id, r.refund_no, i.refund_num, i.stockin_num, i.opening_stockin_num, \
                CAST(COALESCE(linked.total, 0) AS BIGINT) AS linked \
         FROM refund_order_items i JOIN refund_orders r ON r.id = i.refund_order_id \
         LEFT JOIN (SELECT k.refund_item_id, SUM(k.num) AS total FROM stockin_refund_links k \
                    JOIN stockin_order_details d ON d.id = k.stockin_detail_id \
                    JOIN stockin_orders o ON o.id = d.stockin_id \
                    WHERE o.status = ? GROUP BY k.refund_item_id) linked ON linked.refund_item_id = i.id \
         ORDER BY i.id",
    )
    .bind(StockinStatus::Completed.code())
    .fetch_all(conn)
    .await?;
    for row in items {
        report.refund_items += 1;
        let id: i64 = row.get("id");
        let refund_no: String = row.get("refund_no");
        let (expected, received, opening, linked): (i64, i64, i64, i64) =
            (row.get("refund_num"), row.get("stockin_num"), row.get("opening_stockin_num"), row.get("linked"));
        if received > expected || received < 0 {
            report.problems.push(format!(
                "refund {refund_no} item {id}: received {} of {} expected",
                q(received),
                q(expected)
            ));
        }
        if received != opening + linked {
            report.problems.push(format!(
                "refund {refund_no} item {id}: received {} but checked stock-ins linked {} (+{} opening)",
                q(received),
                q(linked),
                q(opening)
            ));
        }
    }
    Ok(())
}

/// The shop copied onto each stock-in (which the query's filters read) is its refund order's.
async fn check_stockin_shops(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    let strays = query(
        "SELECT o.order_no, COALESCE(o.shop_id, 0), r.shop_id FROM stockin_orders o \
         JOIN refund_orders r ON r.id = o.refund_order_id \
         WHERE o.shop_id IS NULL OR o.shop_id <> r.shop_id ORDER BY o.id LIMIT 100",
    )
    .fetch_all(conn)
    .await?;
    for row in strays {
        let (no, copied, owner): (String, i64, i64) = (row.get(0), row.get(1), row.get(2));
        report.problems.push(format!("stock-in {no}: shop {copied}, but its refund order's shop is {owner}"));
    }
    Ok(())
}

/// Receipt state of every refund order that expects goods matches its items (one that expects
/// none, or whose receipt ended, keeps the state it was given).
async fn check_receipt_states(conn: &mut impl Executor, report: &mut VerifyReport) -> StoreResult<()> {
    let states = query(
        "SELECT r.refund_no, r.stockin_status, CAST(SUM(i.refund_num) AS BIGINT) AS expected, CAST(SUM(i.stockin_num) AS BIGINT) AS received \
         FROM refund_orders r JOIN refund_order_items i ON i.refund_order_id = r.id GROUP BY r.id",
    )
    .fetch_all(conn)
    .await?;
    for row in states {
        let (no, state, expected, received): (String, i64, i64, i64) = (row.get(0), row.get(1), row.get(2), row.get(3));
        if RefundReceiptState::from_code(state).is_some_and(|s| !s.expects_goods()) {
            continue;
        }
        let want = receipt_state(q(expected), q(received)).code();
        if state != want {
            report.problems.push(format!("refund {no}: receipt state {state}, items say {want}"));
        }
    }
    Ok(())
}
