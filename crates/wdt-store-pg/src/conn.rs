//! sqlx's PostgreSQL connections as the shared SQL's [`Executor`]: `?` placeholders become
//! `$1…$n`, lists bind as arrays, rows of a write transaction are locked `FOR UPDATE`.

use std::sync::Arc;

use sqlx::postgres::{PgArguments, PgPool, PgRow};
use sqlx::{Column, Postgres, Row as _, Transaction, TypeInfo, ValueRef};
use wdt_store_sql::db::{Arg, DbError, DbErrorKind, Executor, Row, Value, numbered};

/// A write transaction on the primary.
pub struct PgTx(Transaction<'static, Postgres>);

impl PgTx {
    /// Begins a transaction on a connection of `pool`.
    pub async fn begin(pool: &PgPool) -> Result<PgTx, DbError> {
        Ok(PgTx(pool.begin().await.map_err(db_error)?))
    }

    /// Commits it.
    pub async fn commit(self) -> Result<(), DbError> {
        self.0.commit().await.map_err(db_error)
    }
}

/// Reads on a pool (the primary or the replica), outside any transaction.
pub struct PgReader(pub PgPool);

type PgQuery = sqlx::query::Query<'static, Postgres, PgArguments>;

fn statement(sql: &str, args: Vec<Arg>) -> PgQuery {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(numbered(sql)));
    for a in args {
        q = match a {
            Arg::Int(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
            Arg::Bool(v) => q.bind(v),
            Arg::Ints(v) => q.bind(v),
            Arg::Texts(v) => q.bind(v),
            Arg::Bools(v) => q.bind(v),
        };
    }
    q
}

impl Executor for PgTx {
    fn binds_arrays(&self) -> bool {
        true
    }

    fn truncate_all(&self, tables: &[&str]) -> Option<String> {
        Some(format!("TRUNCATE {}", tables.join(", ")))
    }

    fn bulk_load(&self) -> Option<&'static str> {
        Some("SET LOCAL plan_cache_mode = force_custom_plan")
    }

    fn resync_identity(&self, table: &str) -> Option<String> {
        // Tables whose key is an identity column named `id`; the others have composite keys.
        let has_id = !matches!(
            table,
            "app_warehouses"
                | "app_shops"
                | "spec_units"
                | "stockin_detail_sns"
                | "purchase_return_refs"
                | "stock_costs"
                | "stock_ledger_levels"
                | "doc_sequences"
        );
        has_id.then(|| {
            format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        })
    }

    fn row_lock(&self) -> &'static str {
        " FOR UPDATE"
    }

    async fn fetch_all(&mut self, sql: &str, args: Vec<Arg>) -> Result<Vec<Row>, DbError> {
        neutral_rows(statement(sql, args).fetch_all(&mut *self.0).await.map_err(db_error)?)
    }

    async fn execute(&mut self, sql: &str, args: Vec<Arg>) -> Result<u64, DbError> {
        Ok(statement(sql, args).execute(&mut *self.0).await.map_err(db_error)?.rows_affected())
    }
}

impl Executor for PgReader {
    fn binds_arrays(&self) -> bool {
        true
    }

    fn row_lock(&self) -> &'static str {
        ""
    }

    async fn fetch_all(&mut self, sql: &str, args: Vec<Arg>) -> Result<Vec<Row>, DbError> {
        neutral_rows(statement(sql, args).fetch_all(&self.0).await.map_err(db_error)?)
    }

    async fn execute(&mut self, sql: &str, args: Vec<Arg>) -> Result<u64, DbError> {
        Ok(statement(sql, args).execute(&self.0).await.map_err(db_error)?.rows_affected())
    }
}

/// Rows as driver-neutral [`Row`]s sharing one list of column names.
fn neutral_rows(rows: Vec<PgRow>) -> Result<Vec<Row>, DbError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let columns: Arc<[String]> = first.columns().iter().map(|c| c.name().to_owned()).collect();
    rows.iter()
        .map(|r| Ok(Row::new(columns.clone(), (0..columns.len()).map(|i| value(r, i)).collect::<Result<_, _>>()?)))
        .collect()
}

/// Column `i` of `row`, by its PostgreSQL type: the schema uses BIGINT, BOOLEAN and TEXT
/// (and the integer and text types expressions give).
fn value(row: &PgRow, i: usize) -> Result<Value, DbError> {
    let raw = row.try_get_raw(i).map_err(db_error)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let type_name = raw.type_info().name().to_owned();
    let v = match type_name.as_str() {
        "INT8" => row.try_get::<i64, _>(i).map(Value::Int),
        "INT4" => row.try_get::<i32, _>(i).map(|v| Value::Int(v.into())),
        "INT2" => row.try_get::<i16, _>(i).map(|v| Value::Int(v.into())),
        "BOOL" => row.try_get::<bool, _>(i).map(Value::Bool),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => row.try_get::<String, _>(i).map(Value::Text),
        other => return Err(DbError::other(format!("column {i} has type {other}, which the store does not read"))),
    };
    v.map_err(db_error)
}

/// An sqlx failure, classified by its SQLSTATE.
pub(crate) fn db_error(e: sqlx::Error) -> DbError {
    let sqlx::Error::Database(d) = &e else {
        return DbError::other(e.to_string());
    };
    let code = d.code().map(|c| c.into_owned());
    let kind = match (code.as_deref(), d.kind()) {
        // serialization_failure, deadlock_detected
        (Some("40001" | "40P01"), _) => DbErrorKind::Transient,
        (_, sqlx::error::ErrorKind::UniqueViolation) => DbErrorKind::UniqueViolation,
        (_, sqlx::error::ErrorKind::ForeignKeyViolation) => DbErrorKind::ForeignKeyViolation,
        (_, sqlx::error::ErrorKind::NotNullViolation) => DbErrorKind::NotNullViolation,
        (_, sqlx::error::ErrorKind::CheckViolation) => DbErrorKind::CheckViolation,
        _ => DbErrorKind::Other,
    };
    DbError { kind, code, constraint: d.constraint().map(str::to_owned), message: d.message().to_owned() }
}
