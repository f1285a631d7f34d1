//! The read path of `bench`: `wms.stockin.Refund.queryWithDetail` pages of 100 at a million
//! stock-in orders, beside a hand-written SQL fetch of the same rows.
//!
//! The stock-ins the push phase wrote are copied (order, details, refund links; new ids and
//! numbers) until the database holds the target count, their times spread over 29 days. A
//! syncing client asks one hour at a time and pages through it, so each request is a random
//! one-hour window and a random page that exists in it; the server and the hand-written fetch
//! get the same list.

use std::time::{Duration, Instant};

use sqlx::Row;
use wdt_protocol::qjb;
use wdt_protocol::time::{format_wire_time, now_ms};

use super::{BENCH_APPSECRET, BENCH_KEY, BENCH_SID, percentile, qjb_post, read_response};

/// The span the copies are spread over, in milliseconds (29 days: inside the 30-day limit).
const SPREAD_MS: i64 = 29 * 86_400_000;
const HOUR_MS: i64 = 3_600_000;
const PAGE_SIZE: i64 = 100;

/// A database of either kind, opened directly (not through the server).
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
        // The bulk copies are slow statements by design; no warning per statement.
        Ok(if url.starts_with("postgres") {
            Db::Pg(sqlx::postgres::PgConnectOptions::from_str(url)?.disable_statement_logging().connect().await?)
        } else {
            Db::Sqlite(sqlx::sqlite::SqliteConnectOptions::from_str(url)?.disable_statement_logging().connect().await?)
        })
    }

    /// Runs `copy` with PostgreSQL's foreign-key triggers off for this session (the copies point at
    /// rows that exist by construction, and `verify` checks the result), which makes bulk copies
    /// several times faster. Needs a superuser; without one the copy runs with the checks.
    pub(super) async fn bulk<T>(&mut self, copy: impl AsyncFnOnce(&mut Db) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let off = matches!(self, Db::Pg(_))
            && self.execute("SET session_replication_role = replica".to_owned()).await.is_ok();
        let result = copy(self).await;
        if off {
            self.execute("SET session_replication_role = DEFAULT".to_owned()).await?;
        }
        result
    }

    pub(super) async fn execute(&mut self, sql: String) -> anyhow::Result<u64> {
        let sql = sqlx::AssertSqlSafe(sql);
        Ok(match self {
            Db::Sqlite(c) => sqlx::query(sql).execute(c).await?.rows_affected(),
            Db::Pg(c) => sqlx::query(sql).execute(c).await?.rows_affected(),
        })
    }

    pub(super) async fn scalar(&mut self, sql: String) -> anyhow::Result<i64> {
        let sql = sqlx::AssertSqlSafe(sql);
        Ok(match self {
            Db::Sqlite(c) => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await?,
            Db::Pg(c) => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await?,
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

/// Copies the stock-ins until there are `target`; returns how many there are now.
pub async fn grow(db: &mut Db, target: u64) -> anyhow::Result<i64> {
    db.bulk(async |db: &mut Db| copy_stockins(db, target).await).await
}

async fn copy_stockins(db: &mut Db, target: u64) -> anyhow::Result<i64> {
    let count = |t: &str| format!("SELECT COUNT(*) FROM {t}");
    let max = |t: &str| format!("SELECT COALESCE(MAX(id), 0) FROM {t}");
    let base = db.scalar(count("stockin_orders")).await?;
    anyhow::ensure!(base > 0, "no stock-in orders to copy");
    let (max_order, max_detail, max_link) = (
        db.scalar(max("stockin_orders")).await?,
        db.scalar(max("stockin_order_details")).await?,
        db.scalar(max("stockin_refund_links")).await?,
    );
    let copies = ((target as i64 - base).max(0) + base - 1) / base;
    for k in 1..=copies {
        // A per-row pseudo-random shift back in time, the same for an order and its details.
        let shift = |id: &str| format!("(({id} + {k} * {max_order}) * 2654435761 % {SPREAD_MS})");
        let orders = format!(
            "INSERT INTO stockin_orders (id, sid, order_no, outer_no, src_order_type, refund_order_id, shop_id, warehouse_id, \
             status, logistics_id, logistics_no, post_fee, other_fee, remark, app_id, goods_count, goods_type_count, total_price, \
             refund_amount, created, modified, check_time) \
             SELECT id + {k} * {max_order}, sid, order_no || '-{k}', outer_no || '-{k}', src_order_type, refund_order_id, \
             shop_id, warehouse_id, status, logistics_id, logistics_no, post_fee, other_fee, remark, app_id, goods_count, \
             goods_type_count, total_price, refund_amount, created - {s}, modified - {s}, check_time - {s} \
             FROM stockin_orders WHERE id <= {max_order}",
            s = shift("id")
        );
        let details = format!(
            "INSERT INTO stockin_order_details (id, sid, stockin_id, spec_id, num, expect_num, stockin_price, defect, batch_id, \
             position_id, unit_id, unit_ratio, production_date, expire_date, total_cost, refund_amount, remark, created, modified) \
             SELECT id + {k} * {max_detail}, sid, stockin_id + {k} * {max_order}, spec_id, num, expect_num, stockin_price, \
             defect, batch_id, position_id, unit_id, unit_ratio, production_date, expire_date, total_cost, refund_amount, \
             remark, created - {s}, modified - {s} FROM stockin_order_details WHERE id <= {max_detail}",
            s = shift("stockin_id")
        );
        let links = format!(
            "INSERT INTO stockin_refund_links (id, stockin_detail_id, refund_item_id, num) \
             SELECT id + {k} * {max_link}, stockin_detail_id + {k} * {max_detail}, refund_item_id, num \
             FROM stockin_refund_links WHERE id <= {max_link}"
        );
        for sql in [orders, details, links] {
            db.execute(sql).await?;
        }
    }
    if let Db::Pg(_) = db {
        // Explicit ids leave the identity sequences behind; later inserts must not collide.
        for t in ["stockin_orders", "stockin_order_details", "stockin_refund_links"] {
            db.scalar(format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")).await?;
        }
        // The state autovacuum keeps a table of a million rows in (it vacuums inserted rows past
        // a fifth of the table): statistics, and a visibility map that lets the page query read
        // the time index alone instead of visiting every row it skips.
        db.execute("VACUUM ANALYZE stockin_orders, stockin_order_details, stockin_refund_links".to_owned()).await?;
    }
    db.scalar(count("stockin_orders")).await
}

/// One page to ask for: a window and a page number in it.
#[derive(Debug, Clone, Copy)]
pub struct PageAsk {
    start_ms: i64,
    end_ms: i64,
    page_no: i64,
}

/// `n` random (window, page) pairs whose pages hold rows.
pub async fn pages(db: &mut Db, n: usize) -> anyhow::Result<Vec<PageAsk>> {
    let now = now_ms();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut asks = Vec::with_capacity(n);
    while asks.len() < n {
        let start_ms = now - SPREAD_MS + (next() % (SPREAD_MS as u64 - HOUR_MS as u64)) as i64;
        // Whole seconds: the wire format has no milliseconds.
        let start_ms = start_ms - start_ms.rem_euclid(1000);
        let end_ms = start_ms + HOUR_MS - 1000;
        let rows = db
            .scalar(format!(
                "SELECT COUNT(*) FROM stockin_orders WHERE sid = '{BENCH_SID}' AND modified >= {start_ms} AND modified <= {}",
                end_ms + 999
            ))
            .await?;
        if rows == 0 {
            continue;
        }
        let page_no = (next() % (rows as u64).div_ceil(PAGE_SIZE as u64)) as i64;
        asks.push(PageAsk { start_ms, end_ms, page_no });
    }
    Ok(asks)
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

/// Latencies of the hand-written fetch over `asks`, one after another for `seconds`.
pub async fn hand_written(db: &mut Db, asks: &[PageAsk], seconds: u64) -> anyhow::Result<Vec<Duration>> {
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

fn query_request(addr: &str, a: &PageAsk) -> Vec<u8> {
    let body =
        serde_json::json!([{"start_time": format_wire_time(a.start_ms), "end_time": format_wire_time(a.end_ms)}])
            .to_string();
    let pager = qjb::Pager { page_size: PAGE_SIZE as u32, page_no: a.page_no as u32, calc_total: false };
    let ts = qjb::timestamp_from_unix(wdt_protocol::time::now_secs());
    let pairs = qjb::signed_query(
        BENCH_SID,
        BENCH_KEY,
        BENCH_APPSECRET,
        "wms.stockin.Refund.queryWithDetail",
        ts,
        Some(&pager),
        &body,
    );
    qjb_post(addr, &pairs, &body)
}

/// Latencies of the same pages through the server, one connection, one request at a time.
pub async fn through_server(addr: &str, asks: &[PageAsk], seconds: u64) -> anyhow::Result<(Vec<Duration>, u64)> {
    use tokio::io::AsyncWriteExt;
    let requests: Vec<Vec<u8>> = asks.iter().map(|a| query_request(addr, a)).collect();
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(1 << 20);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for r in requests.iter().cycle() {
        if Instant::now() >= deadline {
            break;
        }
        let t = Instant::now();
        stream.write_all(r).await?;
        let ok = read_response(&mut stream, &mut buf).await?;
        latencies.push(t.elapsed());
        if !ok {
            errors += 1;
        }
    }
    latencies.sort();
    Ok((latencies, errors))
}

/// p50 and p99 in milliseconds.
pub fn p50_p99(sorted: &[Duration]) -> (f64, f64) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.99)))
}
