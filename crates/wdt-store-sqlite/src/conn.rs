//! rusqlite connections as the shared SQL's [`Executor`]: the writer thread's, the readers', and
//! maintenance transactions. Statements run synchronously through the connection's
//! prepared-statement cache; the futures they return are ready when first polled.

use std::sync::Arc;

use rusqlite::ffi;
use rusqlite::types::Value as SqlValue;
use wdt_store_sql::db::{Arg, DbError, DbErrorKind, Executor, Row, Value};

/// One SQLite connection. SQLite has no row locks (its one writer excludes every other) and no
/// array parameters.
pub struct DirectConn(rusqlite::Connection);

impl DirectConn {
    /// Wraps an open connection.
    pub fn new(conn: rusqlite::Connection) -> DirectConn {
        DirectConn(conn)
    }

    /// Runs statements without arguments or results (transaction control, pragmas).
    pub fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.0.execute_batch(sql).map_err(db_error)
    }

    fn prepare(&self, sql: &str, args: Vec<Arg>) -> Result<rusqlite::CachedStatement<'_>, DbError> {
        let mut stmt = self.0.prepare_cached(sql).map_err(db_error)?;
        for (i, a) in args.into_iter().enumerate() {
            stmt.raw_bind_parameter(i + 1, value_of(a)?).map_err(db_error)?;
        }
        Ok(stmt)
    }

    fn rows(&self, sql: &str, args: Vec<Arg>) -> Result<Vec<Row>, DbError> {
        let mut stmt = self.prepare(sql, args)?;
        let n = stmt.column_count();
        let columns: Arc<[String]> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(db_error)? {
            let values = (0..n).map(|i| row.get::<_, SqlValue>(i).map(neutral)).collect::<Result<_, _>>();
            out.push(Row::new(columns.clone(), values.map_err(db_error)?));
        }
        Ok(out)
    }
}

impl Executor for DirectConn {
    fn binds_arrays(&self) -> bool {
        false
    }

    fn row_lock(&self) -> &'static str {
        ""
    }

    async fn fetch_all(&mut self, sql: &str, args: Vec<Arg>) -> Result<Vec<Row>, DbError> {
        self.rows(sql, args)
    }

    async fn execute(&mut self, sql: &str, args: Vec<Arg>) -> Result<u64, DbError> {
        Ok(self.prepare(sql, args)?.raw_execute().map_err(db_error)? as u64)
    }
}

fn value_of(a: Arg) -> Result<SqlValue, DbError> {
    Ok(match a {
        Arg::Int(v) => v.map_or(SqlValue::Null, SqlValue::Integer),
        Arg::Text(v) => v.map_or(SqlValue::Null, SqlValue::Text),
        Arg::Bool(v) => SqlValue::Integer(i64::from(v)),
        Arg::Ints(_) | Arg::Texts(_) | Arg::Bools(_) => {
            return Err(DbError::other("array parameters need a backend that binds arrays"));
        }
    })
}

fn neutral(v: SqlValue) -> Value {
    match v {
        SqlValue::Null => Value::Null,
        SqlValue::Integer(i) => Value::Int(i),
        SqlValue::Text(s) => Value::Text(s),
        // The schema stores neither; a REAL or BLOB would be a bug in this crate's SQL.
        SqlValue::Real(f) => Value::Text(f.to_string()),
        SqlValue::Blob(b) => Value::Text(String::from_utf8_lossy(&b).into_owned()),
    }
}

/// A rusqlite failure, classified by SQLite's extended result code.
pub(crate) fn db_error(e: rusqlite::Error) -> DbError {
    let rusqlite::Error::SqliteFailure(f, msg) = e else {
        return DbError::other(e.to_string());
    };
    let message = msg.unwrap_or_else(|| f.to_string());
    let kind = match f.extended_code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => DbErrorKind::UniqueViolation,
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => DbErrorKind::ForeignKeyViolation,
        ffi::SQLITE_CONSTRAINT_NOTNULL => DbErrorKind::NotNullViolation,
        ffi::SQLITE_CONSTRAINT_CHECK | ffi::SQLITE_CONSTRAINT_TRIGGER => DbErrorKind::CheckViolation,
        _ => DbErrorKind::Other,
    };
    let constraint = (kind == DbErrorKind::UniqueViolation).then(|| unique_constraint_name(&message)).flatten();
    DbError { kind, code: Some(f.extended_code.to_string()), constraint, message }
}

/// The name PostgreSQL gives the table constraint a SQLite unique violation broke. SQLite names
/// no constraint; its error lists the columns (`UNIQUE constraint failed: t.a, t.b`), the one
/// structured part of it, and PostgreSQL's default name is made of the same (`t_a_b_key`).
fn unique_constraint_name(message: &str) -> Option<String> {
    let (_, columns) = message.split_once("constraint failed: ")?;
    let mut table = None;
    let mut name = String::new();
    for column in columns.split(", ") {
        let (t, c) = column.split_once('.')?;
        if *table.get_or_insert(t) != t {
            return None;
        }
        name.push('_');
        name.push_str(c);
    }
    Some(format!("{}{name}_key", table?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn unique_violations_are_named_as_postgresql_names_them() {
        let cases = [
            (
                "UNIQUE constraint failed: stockin_orders.sid, stockin_orders.outer_no",
                Some("stockin_orders_sid_outer_no_key"),
            ),
            (
                "UNIQUE constraint failed: batches.sid, batches.spec_id, batches.batch_no",
                Some("batches_sid_spec_id_batch_no_key"),
            ),
            ("UNIQUE constraint failed: a.x, b.y", None),
            ("something else", None),
        ];
        for (message, name) in cases {
            assert_eq!(super::unique_constraint_name(message).as_deref(), name, "{message}");
        }
    }
}
