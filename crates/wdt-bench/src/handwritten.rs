//! The hand-written fetch baseline: one SQL statement per page that fetches the rows a
//! `queryWithDetail` page returns, on a connection of its own, past the store and the server.
//! It only reads; its time is what the server's page time is compared with.

use std::time::{Duration, Instant};

use sqlx::Row;

use crate::query::{PAGE_SIZE, PageAsk};
use crate::wire::BENCH_SID;

/// A database of either kind, opened directly (not through the store).
pub enum Db {
    /// SQLite.
    Sqlite(sqlx::SqliteConnection),
    /// PostgreSQL.
    Pg(sqlx::PgConnection),
}

impl Db {
    /// Opens `url` (`sqlite://…` or `postgres://…`).
    pub async fn open(url: &str) -> anyhow::Result<Db> {
        use sqlx::ConnectOptions;
        use std::str::FromStr;
        Ok(if crate::store::is_postgres(url) {
            Db::Pg(sqlx::postgres::PgConnectOptions::from_str(url)?.disable_statement_logging().connect().await?)
        } else {
            Db::Sqlite(sqlx::sqlite::SqliteConnectOptions::from_str(url)?.disable_statement_logging().connect().await?)
        })
    }

    /// Runs `sql` and decodes every row: order id, order no, modified, detail id, num, spec no,
    /// linked num, then text columns; the number of rows.
    async fn fetch_page(&mut self, sql: String) -> anyhow::Result<usize> {
        type Line = (i64, String, i64, i64, i64, String, Option<i64>, Vec<Option<String>>);
        let sql = sqlx::AssertSqlSafe(sql);
        macro_rules! decode {
            ($rows:expr) => {
                $rows
                    .iter()
                    .map(|r| -> Result<Line, sqlx::Error> {
                        let text = (7..r.len()).map(|i| r.try_get::<Option<String>, _>(i)).collect::<Result<_, _>>()?;
                        Ok((
                            r.try_get(0)?,
                            r.try_get(1)?,
                            r.try_get(2)?,
                            r.try_get(3)?,
                            r.try_get(4)?,
                            r.try_get(5)?,
                            r.try_get(6)?,
                            text,
                        ))
                    })
                    .collect::<Result<Vec<Line>, _>>()?
                    .len()
            };
        }
        Ok(match self {
            Db::Sqlite(c) => decode!(sqlx::query(sql).fetch_all(c).await?),
            Db::Pg(c) => decode!(sqlx::query(sql).fetch_all(c).await?),
        })
    }
}

/// The hand-written fetch of one page: the page's orders with everything the API returns about
/// them (refund order, shop, warehouse, trade, customer, logistics, app; details with spec,
/// goods, unit, position, batch; refund links with their items), in the API's order, in one
/// statement.
fn page_sql(a: &PageAsk) -> String {
    format!(
        "WITH page AS (SELECT o.id, o.order_no, o.modified, r.refund_no, sh.shop_no, w.warehouse_no, t.tid, \
             COALESCE(c.customer_no, '') AS customer_no, COALESCE(l.name, '') AS logistics, COALESCE(a.app_key, '') AS app \
           FROM stockin_orders o JOIN refund_orders r ON r.id = o.refund_order_id JOIN shops sh ON sh.id = r.shop_id \
           JOIN warehouses w ON w.id = o.warehouse_id JOIN trades t ON t.id = r.trade_id \
           LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN logistics l ON l.id = o.logistics_id \
           LEFT JOIN apps a ON a.id = o.app_id \
           WHERE o.sid = '{BENCH_SID}' AND o.modified >= {} AND o.modified <= {} \
           ORDER BY o.modified, o.id LIMIT {PAGE_SIZE} OFFSET {}) \
         SELECT page.id, page.order_no, page.modified, d.id, d.num, sp.spec_no, k.num, g.goods_no, u.name, p.position_no, \
             COALESCE(b.batch_no, ''), i.oid, page.refund_no, page.shop_no, page.warehouse_no, page.tid, page.customer_no, \
             page.logistics, page.app \
         FROM page JOIN stockin_order_details d ON d.stockin_id = page.id JOIN specs sp ON sp.id = d.spec_id \
           JOIN goods g ON g.id = sp.goods_id JOIN units u ON u.id = sp.base_unit_id JOIN positions p ON p.id = d.position_id \
           LEFT JOIN batches b ON b.id = d.batch_id \
           LEFT JOIN stockin_refund_links k ON k.stockin_detail_id = d.id LEFT JOIN refund_order_items i ON i.id = k.refund_item_id \
         ORDER BY page.modified, page.id, d.id, k.id",
        a.start_ms,
        a.end_ms + 999,
        a.page_no * PAGE_SIZE
    )
}

/// Latencies of the hand-written fetch over `asks`, one after another for `seconds`, sorted.
pub async fn fetch_pages(db: &mut Db, asks: &[PageAsk], seconds: u64) -> anyhow::Result<Vec<Duration>> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut latencies = Vec::new();
    for a in asks.iter().cycle() {
        if Instant::now() >= deadline {
            break;
        }
        let t = Instant::now();
        let rows = db.fetch_page(page_sql(a)).await?;
        latencies.push(t.elapsed());
        anyhow::ensure!(rows > 0, "an empty page: {a:?}");
    }
    latencies.sort();
    Ok(latencies)
}
