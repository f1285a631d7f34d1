//! The plain-sqlx baseline on SQLite: per order an order row, 3 details, 3 links, 3 stock
//! upserts, 3 ledger rows, 3 refund item updates, in tables of its own (not the product's), with
//! the server's durability (`synchronous = FULL`). What a hand-written write loop achieves on
//! the same machine in the same run, for the server's throughput to be read against.

use std::path::Path;
use std::time::Instant;

use sqlx::{Connection, SqliteConnection};

const SCHEMA: &str = "CREATE TABLE o (id INTEGER PRIMARY KEY, no TEXT UNIQUE, outer_no TEXT UNIQUE, created INTEGER); \
     CREATE TABLE d (id INTEGER PRIMARY KEY, o INTEGER, spec INTEGER, num INTEGER); \
     CREATE TABLE k (id INTEGER PRIMARY KEY, d INTEGER, item INTEGER, num INTEGER); \
     CREATE TABLE s (spec INTEGER PRIMARY KEY, num INTEGER); \
     CREATE TABLE l (id INTEGER PRIMARY KEY, spec INTEGER, before INTEGER, change INTEGER, after INTEGER); \
     CREATE TABLE i (id INTEGER PRIMARY KEY, received INTEGER)";

/// A fresh baseline database in `dir` with `3 × orders` refund items to receive against.
async fn prepare(dir: &Path, orders: u64, batch: u64) -> anyhow::Result<SqliteConnection> {
    let path = dir.join(format!("baseline-{batch}.db"));
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display())).await?;
    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut conn).await?;
    sqlx::query("PRAGMA synchronous = FULL").execute(&mut conn).await?;
    sqlx::query(SCHEMA).execute(&mut conn).await?;
    let mut tx = conn.begin().await?;
    for id in 0..3 * orders as i64 {
        sqlx::query("INSERT INTO i (id, received) VALUES (?, 0)").bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(conn)
}

/// Order `n`'s rows.
async fn write_order(conn: &mut SqliteConnection, n: u64) -> anyhow::Result<()> {
    let oid: i64 = sqlx::query_scalar("INSERT INTO o (no, outer_no, created) VALUES (?, ?, 0) RETURNING id")
        .bind(format!("RK{n}"))
        .bind(format!("B{n}"))
        .fetch_one(&mut *conn)
        .await?;
    for k in 0..3i64 {
        let item = n as i64 * 3 + k;
        let did: i64 = sqlx::query_scalar("INSERT INTO d (o, spec, num) VALUES (?, ?, 10000) RETURNING id")
            .bind(oid)
            .bind(k)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO k (d, item, num) VALUES (?, ?, 10000)")
            .bind(did)
            .bind(item)
            .execute(&mut *conn)
            .await?;
        let after: i64 = sqlx::query_scalar(
            "INSERT INTO s (spec, num) VALUES (?, 10000) ON CONFLICT (spec) DO UPDATE SET num = s.num + 10000 RETURNING num",
        )
        .bind(k)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query("INSERT INTO l (spec, before, change, after) VALUES (?, ?, 10000, ?)")
            .bind(k)
            .bind(after - 10000)
            .bind(after)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE i SET received = received + 10000 WHERE id = ?").bind(item).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Orders per second written by the plain loop, `batch` orders per transaction.
pub async fn orders_per_second(dir: &Path, orders: u64, batch: u64) -> anyhow::Result<f64> {
    let mut conn = prepare(dir, orders, batch).await?;
    let started = Instant::now();
    let mut n = 0;
    while n < orders {
        let mut tx = conn.begin().await?;
        for _ in 0..batch.min(orders - n) {
            write_order(&mut tx, n).await?;
            n += 1;
        }
        tx.commit().await?;
    }
    Ok(orders as f64 / started.elapsed().as_secs_f64())
}
