//! A small layer over sqlx that lets one piece of SQL run on SQLite and PostgreSQL.
//!
//! SQL is written once with `?` placeholders (PostgreSQL gets `$1…$n`); arguments are the few
//! types the schema uses (integers, text, booleans, each nullable); rows decode any type both
//! drivers decode. A [`Conn`] is either a write transaction or a read pool of either driver, or
//! the SQLite writer thread's own connection ([`Conn::Direct`]), which runs statements
//! synchronously through rusqlite's prepared-statement cache.

use std::borrow::Cow;
use std::sync::Arc;

use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{ColumnIndex, Decode, Postgres, Row, Sqlite, Transaction, Type};

/// One bound value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A (nullable) integer: ids, scaled decimals, epoch milliseconds, codes.
    Int(Option<i64>),
    /// A (nullable) text.
    Text(Option<String>),
    /// A boolean flag.
    Bool(bool),
    /// A column of integers, bound as one PostgreSQL array ([`Query::push_rows`]).
    Ints(Vec<Option<i64>>),
    /// A column of texts, bound as one PostgreSQL array.
    Texts(Vec<Option<String>>),
    /// A column of flags, bound as one PostgreSQL array.
    Bools(Vec<bool>),
}

impl Arg {
    fn is_array(&self) -> bool {
        matches!(self, Arg::Ints(_) | Arg::Texts(_) | Arg::Bools(_))
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<&i64> for Arg {
    fn from(v: &i64) -> Self {
        Arg::Int(Some(*v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<&Option<String>> for Arg {
    fn from(v: &Option<String>) -> Self {
        Arg::Text(v.clone())
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_owned))
    }
}

/// A row of either driver.
pub enum DbRow {
    /// SQLite.
    Sqlite(SqliteRow),
    /// PostgreSQL.
    Pg(PgRow),
    /// SQLite through the writer thread's own connection.
    Direct(DirectRow),
}

/// A row read through [`Conn::Direct`]: the values, and the statement's column names.
pub struct DirectRow {
    columns: Arc<[String]>,
    values: Vec<rusqlite::types::Value>,
}

/// Types every driver decodes.
pub trait Column:
    for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres> + rusqlite::types::FromSql
{
}
impl<T> Column for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + rusqlite::types::FromSql
{
}

/// A column position or name, for every driver.
pub trait Index: ColumnIndex<SqliteRow> + ColumnIndex<PgRow> + std::fmt::Debug {
    /// The position of this column among `columns`.
    fn position(&self, columns: &[String]) -> Option<usize>;
}
impl Index for usize {
    fn position(&self, columns: &[String]) -> Option<usize> {
        (*self < columns.len()).then_some(*self)
    }
}
impl Index for &str {
    fn position(&self, columns: &[String]) -> Option<usize> {
        columns.iter().position(|c| c == self)
    }
}

impl DbRow {
    /// The column at `idx` (position or name). A type mismatch is a programming error in the
    /// SQL of this crate, so it panics with the column named, as sqlx's `Row::get` does.
    pub fn get<T: Column, I: Index>(&self, idx: I) -> T {
        match self {
            DbRow::Sqlite(r) => r.get(idx),
            DbRow::Pg(r) => r.get(idx),
            DbRow::Direct(r) => {
                let at = idx.position(&r.columns).unwrap_or_else(|| panic!("no column {idx:?}"));
                T::column_result((&r.values[at]).into())
                    .unwrap_or_else(|e| panic!("column {idx:?} ({}): {e}", r.columns[at]))
            }
        }
    }
}

/// A connection to run SQL on: a write transaction, or a read pool.
pub enum Conn {
    /// A SQLite write transaction (`BEGIN IMMEDIATE`).
    SqliteTx(Transaction<'static, Sqlite>),
    /// A PostgreSQL transaction.
    PgTx(Transaction<'static, Postgres>),
    /// SQLite readers.
    SqliteRead(SqlitePool),
    /// PostgreSQL readers (primary or replica).
    PgRead(PgPool),
    /// The SQLite writer thread's connection; the thread owns its transactions and savepoints.
    Direct(rusqlite::Connection),
}

impl Conn {
    /// Whether this is a PostgreSQL connection.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Conn::PgTx(_) | Conn::PgRead(_))
    }

    /// ` FOR UPDATE` where row locks exist (PostgreSQL); SQLite's single writer already excludes
    /// every other writer.
    pub fn for_update(&self) -> &'static str {
        match self {
            Conn::PgTx(_) => " FOR UPDATE",
            _ => "",
        }
    }

    /// ` FOR UPDATE OF alias` on PostgreSQL, nothing on SQLite.
    pub fn lock_of(&self, alias: &str) -> String {
        match self {
            Conn::PgTx(_) => format!(" FOR UPDATE OF {alias}"),
            _ => String::new(),
        }
    }

    /// Commits a write transaction; a no-op for read pools.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Conn::SqliteTx(tx) => tx.commit().await,
            Conn::PgTx(tx) => tx.commit().await,
            Conn::SqliteRead(_) | Conn::PgRead(_) | Conn::Direct(_) => Ok(()),
        }
    }

    /// Runs statements without arguments or results (transaction control, pragmas) on a
    /// direct connection.
    pub fn batch(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Conn::Direct(c) => c.execute_batch(sql).map_err(direct_err),
            _ => Err(sqlx::Error::Protocol(format!("`{sql}` needs the writer's own connection"))),
        }
    }
}

/// A rusqlite failure as the sqlx error the rest of the crate inspects (constraint kinds
/// included, so a unique violation reads the same on every driver).
#[derive(Debug)]
struct DirectError {
    message: String,
    code: i32,
}

impl std::fmt::Display for DirectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DirectError {}

impl sqlx::error::DatabaseError for DirectError {
    fn message(&self) -> &str {
        &self.message
    }
    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> sqlx::error::ErrorKind {
        use rusqlite::ffi;
        use sqlx::error::ErrorKind;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => ErrorKind::UniqueViolation,
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

fn direct_err(e: rusqlite::Error) -> sqlx::Error {
    match e {
        rusqlite::Error::SqliteFailure(f, msg) => sqlx::Error::Database(Box::new(DirectError {
            message: msg.unwrap_or_else(|| f.to_string()),
            code: f.extended_code,
        })),
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

fn direct_value(a: Arg) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    match a {
        Arg::Int(v) => v.map_or(Value::Null, Value::Integer),
        Arg::Text(v) => v.map_or(Value::Null, Value::Text),
        Arg::Bool(v) => Value::Integer(i64::from(v)),
        // Refused before binding: see `refuse_arrays`.
        Arg::Ints(_) | Arg::Texts(_) | Arg::Bools(_) => Value::Null,
    }
}

/// SQLite has no array parameters; [`Query::push_rows`] binds them only for PostgreSQL.
fn refuse_arrays(args: &[Arg]) -> Result<(), sqlx::Error> {
    if args.iter().any(Arg::is_array) {
        return Err(sqlx::Error::Protocol("array parameters need PostgreSQL".to_owned()));
    }
    Ok(())
}

/// Prepares (from the connection's cache) and binds a statement.
fn direct_prepare<'c>(
    c: &'c rusqlite::Connection,
    sql: &str,
    args: Vec<Arg>,
) -> Result<rusqlite::CachedStatement<'c>, sqlx::Error> {
    let mut stmt = c.prepare_cached(sql).map_err(direct_err)?;
    for (i, a) in args.into_iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, direct_value(a)).map_err(direct_err)?;
    }
    Ok(stmt)
}

fn direct_rows(c: &rusqlite::Connection, sql: &str, args: Vec<Arg>) -> Result<Vec<DbRow>, sqlx::Error> {
    let mut stmt = direct_prepare(c, sql, args)?;
    let n = stmt.column_count();
    let columns: Arc<[String]> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(direct_err)? {
        let values = (0..n).map(|i| row.get::<_, rusqlite::types::Value>(i)).collect::<Result<_, _>>();
        out.push(DbRow::Direct(DirectRow { columns: columns.clone(), values: values.map_err(direct_err)? }));
    }
    Ok(out)
}

/// `values` padded to a power of two with copies of the last, for lists whose repeats change
/// nothing (`IN`, the `VALUES` an `UPDATE … FROM` joins): statements of a few lengths recur and
/// stay prepared.
pub fn padded<T: Clone>(mut values: Vec<T>) -> Vec<T> {
    if let Some(last) = values.last().cloned() {
        values.resize(values.len().next_power_of_two(), last);
    }
    values
}

/// The most rows one SQLite statement of [`write_rows`] carries.
pub const MAX_PIECE_ROWS: usize = 64;

/// Runs a multi-row statement: `head` (`INSERT INTO t (…) `), the rows (`width` values each, row
/// after row in `values`), then `tail` (`ON CONFLICT …`, `RETURNING …`), and returns the rows it
/// returns, in order.
///
/// On PostgreSQL that is one statement whose text is the same for any number of rows (see
/// [`Query::push_rows`]). SQLite has no arrays: it gets `VALUES` lists of at most
/// [`MAX_PIECE_ROWS`] rows (150 rows: 64, 64 and 22). A text per list length, each kept among the
/// connection's prepared statements, would be a new statement for many batches: their cache held
/// 217 MB at 256 connections, and preparing them anew each time cost a quarter of the throughput.
/// Pieces of at most 64 rows come in 64 lengths per statement, few and small enough to keep.
pub async fn write_rows(
    conn: &mut Conn,
    head: &str,
    width: usize,
    values: Vec<Arg>,
    tail: &str,
) -> Result<Vec<DbRow>, sqlx::Error> {
    if width == 0 || !values.len().is_multiple_of(width) {
        return Err(sqlx::Error::Protocol(format!("{} values do not make rows of {width}", values.len())));
    }
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let postgres = conn.is_postgres();
    if postgres || values.len() <= width {
        let mut qb = query(head.to_owned());
        qb.push_rows(postgres, width, values).push(tail);
        return qb.fetch_all(conn).await;
    }
    let mut out = Vec::new();
    let mut values = values.into_iter();
    let mut left = values.len() / width;
    while left > 0 {
        let piece = piece_rows(left);
        let mut qb = query(head.to_owned());
        qb.push_rows(false, width, values.by_ref().take(piece * width).collect()).push(tail);
        out.extend(qb.fetch_all(conn).await?);
        left -= piece;
    }
    Ok(out)
}

/// The rows of the next piece of a list of `left` rows.
fn piece_rows(left: usize) -> usize {
    left.min(MAX_PIECE_ROWS)
}

/// Rewrites `?` placeholders as `$1…$n` for PostgreSQL. The crate's SQL has no `?` in literals.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A statement under construction, sqlx-style: `query(sql).bind(a).fetch_all(conn)`.
#[derive(Debug, Clone)]
pub struct Query {
    sql: Cow<'static, str>,
    args: Vec<Arg>,
}

/// Starts a statement.
pub fn query(sql: impl Into<Cow<'static, str>>) -> Query {
    Query { sql: sql.into(), args: Vec::new() }
}

macro_rules! run {
    ($self:ident, $conn:ident, $method:ident, $wrap:expr, $direct:expr) => {{
        let args = $self.args;
        if !$conn.is_postgres() {
            refuse_arrays(&args)?;
        }
        match $conn {
            Conn::Direct(c) => $direct(direct_rows(c, &$self.sql, args)),
            Conn::SqliteTx(tx) => {
                let q = bind_all(sqlx::query::<Sqlite>(sqlx::AssertSqlSafe($self.sql.into_owned())), args);
                $wrap(q.$method(&mut **tx).await, DbRow::Sqlite)
            }
            Conn::SqliteRead(pool) => {
                let q = bind_all(sqlx::query::<Sqlite>(sqlx::AssertSqlSafe($self.sql.into_owned())), args);
                $wrap(q.$method(&*pool).await, DbRow::Sqlite)
            }
            Conn::PgTx(tx) => {
                let q = bind_all(sqlx::query::<Postgres>(sqlx::AssertSqlSafe(numbered(&$self.sql))), args);
                $wrap(q.$method(&mut **tx).await, DbRow::Pg)
            }
            Conn::PgRead(pool) => {
                let q = bind_all(sqlx::query::<Postgres>(sqlx::AssertSqlSafe(numbered(&$self.sql))), args);
                $wrap(q.$method(&*pool).await, DbRow::Pg)
            }
        }
    }};
}

trait BindArgs: Sized {
    fn bind_int(self, v: Option<i64>) -> Self;
    fn bind_text(self, v: Option<String>) -> Self;
    fn bind_bool(self, v: bool) -> Self;
    fn bind_ints(self, v: Vec<Option<i64>>) -> Self;
    fn bind_texts(self, v: Vec<Option<String>>) -> Self;
    fn bind_bools(self, v: Vec<bool>) -> Self;
}

impl<'q> BindArgs for sqlx::query::Query<'q, Sqlite, <Sqlite as sqlx::Database>::Arguments> {
    fn bind_int(self, v: Option<i64>) -> Self {
        self.bind(v)
    }
    fn bind_text(self, v: Option<String>) -> Self {
        self.bind(v)
    }
    fn bind_bool(self, v: bool) -> Self {
        self.bind(v)
    }
    // Refused before binding: see `refuse_arrays`.
    fn bind_ints(self, _: Vec<Option<i64>>) -> Self {
        self.bind(None::<i64>)
    }
    fn bind_texts(self, _: Vec<Option<String>>) -> Self {
        self.bind(None::<i64>)
    }
    fn bind_bools(self, _: Vec<bool>) -> Self {
        self.bind(None::<i64>)
    }
}

impl<'q> BindArgs for sqlx::query::Query<'q, Postgres, <Postgres as sqlx::Database>::Arguments> {
    fn bind_int(self, v: Option<i64>) -> Self {
        self.bind(v)
    }
    fn bind_text(self, v: Option<String>) -> Self {
        self.bind(v)
    }
    fn bind_bool(self, v: bool) -> Self {
        self.bind(v)
    }
    fn bind_ints(self, v: Vec<Option<i64>>) -> Self {
        self.bind(v)
    }
    fn bind_texts(self, v: Vec<Option<String>>) -> Self {
        self.bind(v)
    }
    fn bind_bools(self, v: Vec<bool>) -> Self {
        self.bind(v)
    }
}

fn bind_all<Q: BindArgs>(mut q: Q, args: Vec<Arg>) -> Q {
    for a in args {
        q = match a {
            Arg::Int(v) => q.bind_int(v),
            Arg::Text(v) => q.bind_text(v),
            Arg::Bool(v) => q.bind_bool(v),
            Arg::Ints(v) => q.bind_ints(v),
            Arg::Texts(v) => q.bind_texts(v),
            Arg::Bools(v) => q.bind_bools(v),
        };
    }
    q
}

fn rows<R>(r: Result<Vec<R>, sqlx::Error>, wrap: fn(R) -> DbRow) -> Result<Vec<DbRow>, sqlx::Error> {
    r.map(|v| v.into_iter().map(wrap).collect())
}

fn opt_row<R>(r: Result<Option<R>, sqlx::Error>, wrap: fn(R) -> DbRow) -> Result<Option<DbRow>, sqlx::Error> {
    r.map(|v| v.map(wrap))
}

impl Query {
    /// Binds the next `?`.
    pub fn bind(mut self, v: impl Into<Arg>) -> Self {
        self.args.push(v.into());
        self
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.to_mut().push_str(sql);
        self
    }

    /// Appends a placeholder and binds it.
    pub fn push_bind(&mut self, v: impl Into<Arg>) -> &mut Self {
        self.push("?");
        self.args.push(v.into());
        self
    }

    /// Appends ` IN (?, ?, …)` binding each value; an empty list matches nothing. The list is
    /// padded to a power of two with copies of its last value, which changes nothing it matches:
    /// the statement's text then comes in a few lengths that stay among the connection's prepared
    /// statements (see [`write_rows`]).
    pub fn push_in<A: Into<Arg>>(&mut self, values: impl IntoIterator<Item = A>) -> &mut Self {
        let values = padded(values.into_iter().map(Into::into).collect());
        if values.is_empty() {
            return self.push(" IN (NULL)");
        }
        self.push(" IN (");
        for (n, v) in values.into_iter().enumerate() {
            self.push(if n == 0 { "" } else { ", " }).push_bind(v);
        }
        self.push(")")
    }

    /// Appends a match against a list of ids: ` = ANY(?)` binding one array on PostgreSQL (`postgres`),
    /// so that the statement's text, and the plan PostgreSQL caches for it, is the same however
    /// many ids there are; on SQLite, which has no arrays, [`Query::push_in`]'s padded list.
    pub fn push_in_ids(&mut self, postgres: bool, ids: impl IntoIterator<Item = i64>) -> &mut Self {
        if !postgres {
            return self.push_in(ids);
        }
        self.push(" = ANY(?)");
        self.args.push(Arg::Ints(ids.into_iter().map(Some).collect()));
        self
    }

    /// Appends the rows of a multi-row insert (at least one), `width` values each, row after row
    /// in `values`:
    /// `VALUES (?, …), (?, …)` on SQLite; on PostgreSQL (`postgres`) `SELECT * FROM unnest(?, …)`
    /// with one array per column, so the statement's text is the same for any number of rows and
    /// each connection parses and plans it once. The kind of a column's first value decides its
    /// array's type; a column mixing kinds is a programming error in this crate's SQL and panics,
    /// as [`DbRow::get`] does on a type mismatch. [`write_rows`] splits long lists for SQLite.
    fn push_rows(&mut self, postgres: bool, width: usize, values: Vec<Arg>) -> &mut Self {
        if !postgres {
            self.push("VALUES ");
            for (i, v) in values.into_iter().enumerate() {
                let sep = match (i % width, i) {
                    (0, 0) => "(",
                    (0, _) => "), (",
                    _ => ", ",
                };
                self.push(sep).push_bind(v);
            }
            return self.push(")");
        }
        let mut columns: Vec<Option<Arg>> = (0..width).map(|_| None).collect();
        for (i, v) in values.into_iter().enumerate() {
            let column = &mut columns[i % width];
            match (column.get_or_insert_with(|| empty_column(&v)), v) {
                (Arg::Ints(c), Arg::Int(v)) => c.push(v),
                (Arg::Texts(c), Arg::Text(v)) => c.push(v),
                (Arg::Bools(c), Arg::Bool(v)) => c.push(v),
                (c, v) => panic!("column {} mixes {c:?} and {v:?}", i % width),
            }
        }
        self.push("SELECT * FROM unnest(");
        for (k, c) in columns.into_iter().enumerate() {
            self.push(if k == 0 { "" } else { ", " });
            self.push_bind(c.unwrap_or(Arg::Ints(Vec::new())));
        }
        self.push(")")
    }

    /// All rows.
    pub async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<DbRow>, sqlx::Error> {
        run!(self, conn, fetch_all, rows, |r| r)
    }

    /// At most one row.
    pub async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<DbRow>, sqlx::Error> {
        run!(self, conn, fetch_optional, opt_row, |r: Result<Vec<DbRow>, _>| r.map(|v| v.into_iter().next()))
    }

    /// Exactly one row.
    pub async fn fetch_one(self, conn: &mut Conn) -> Result<DbRow, sqlx::Error> {
        self.fetch_optional(conn).await?.ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of the one row.
    pub async fn scalar<T: Column>(self, conn: &mut Conn) -> Result<T, sqlx::Error> {
        Ok(self.fetch_one(conn).await?.get(0))
    }

    /// The first column of the row, if there is one.
    pub async fn scalar_optional<T: Column>(self, conn: &mut Conn) -> Result<Option<T>, sqlx::Error> {
        Ok(self.fetch_optional(conn).await?.map(|r| r.get(0)))
    }

    /// The first column of every row.
    pub async fn scalars<T: Column>(self, conn: &mut Conn) -> Result<Vec<T>, sqlx::Error> {
        Ok(self.fetch_all(conn).await?.into_iter().map(|r| r.get(0)).collect())
    }

    /// Whether any row matches.
    pub async fn exists(self, conn: &mut Conn) -> Result<bool, sqlx::Error> {
        Ok(self.fetch_optional(conn).await?.is_some())
    }

    /// Runs the statement; rows affected.
    pub async fn execute(self, conn: &mut Conn) -> Result<u64, sqlx::Error> {
        let args = self.args;
        if !conn.is_postgres() {
            refuse_arrays(&args)?;
        }
        Ok(match conn {
            Conn::Direct(c) => direct_prepare(c, &self.sql, args)?.raw_execute().map_err(direct_err)? as u64,
            Conn::SqliteTx(tx) => bind_all(sqlx::query::<Sqlite>(sqlx::AssertSqlSafe(self.sql.into_owned())), args)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Conn::SqliteRead(pool) => bind_all(sqlx::query::<Sqlite>(sqlx::AssertSqlSafe(self.sql.into_owned())), args)
                .execute(&*pool)
                .await?
                .rows_affected(),
            Conn::PgTx(tx) => bind_all(sqlx::query::<Postgres>(sqlx::AssertSqlSafe(numbered(&self.sql))), args)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Conn::PgRead(pool) => bind_all(sqlx::query::<Postgres>(sqlx::AssertSqlSafe(numbered(&self.sql))), args)
                .execute(&*pool)
                .await?
                .rows_affected(),
        })
    }
}

/// An empty array column of `value`'s kind.
fn empty_column(value: &Arg) -> Arg {
    match value {
        Arg::Text(_) | Arg::Texts(_) => Arg::Texts(Vec::new()),
        Arg::Bool(_) | Arg::Bools(_) => Arg::Bools(Vec::new()),
        Arg::Int(_) | Arg::Ints(_) => Arg::Ints(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::{Arg, query};

    #[test]
    fn rows_are_values_on_sqlite_and_one_array_per_column_on_postgres() {
        let rows = || vec![Arg::from(1), Arg::from("a"), Arg::from(2), Arg::Text(None)];
        let mut sqlite = query("INSERT INTO t (n, s) ");
        sqlite.push_rows(false, 2, rows());
        assert_eq!(sqlite.sql, "INSERT INTO t (n, s) VALUES (?, ?), (?, ?)");
        assert_eq!(sqlite.args, rows());

        let mut postgres = query("INSERT INTO t (n, s) ");
        postgres.push_rows(true, 2, rows());
        assert_eq!(postgres.sql, "INSERT INTO t (n, s) SELECT * FROM unnest(?, ?)");
        assert_eq!(postgres.args, [Arg::Ints(vec![Some(1), Some(2)]), Arg::Texts(vec![Some("a".to_owned()), None])]);
    }

    #[test]
    fn long_row_lists_split_into_pieces_of_at_most_64_rows() {
        let pieces = |mut left: usize| {
            let mut out = Vec::new();
            while left > 0 {
                out.push(super::piece_rows(left));
                left -= out[out.len() - 1];
            }
            out
        };
        assert_eq!(pieces(1), [1]);
        assert_eq!(pieces(64), [64]);
        assert_eq!(pieces(150), [64, 64, 22]);
    }

    #[test]
    fn in_lists_are_padded_to_a_power_of_two_with_their_last_value() {
        let mut qb = query("x");
        qb.push_in([1i64, 2, 3]);
        assert_eq!(qb.sql, "x IN (?, ?, ?, ?)");
        assert_eq!(qb.args, [Arg::from(1), Arg::from(2), Arg::from(3), Arg::from(3)]);
        let mut empty = query("x");
        empty.push_in(Vec::<i64>::new());
        assert_eq!(empty.sql, "x IN (NULL)");
    }

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(super::numbered("a = ? AND b IN (?, ?)"), "a = $1 AND b IN ($2, $3)");
    }
}
