//! One piece of SQL for every backend.
//!
//! Statements are written once with `?` placeholders; their arguments are the few kinds the
//! schema uses ([`Arg`]) and their rows come back as driver-neutral [`Row`]s. Each backend crate
//! implements [`Executor`] for its own connections (rusqlite on SQLite, sqlx on PostgreSQL) and
//! turns its driver's failures into [`DbError`]s that carry the constraint name and the error
//! code, never a message to match text against.

use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;

use wdt_store::{StoreError, StoreResult};

/// One bound value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A (nullable) integer: ids, scaled decimals, epoch milliseconds, codes.
    Int(Option<i64>),
    /// A (nullable) text.
    Text(Option<String>),
    /// A boolean flag.
    Bool(bool),
    /// A column of integers, bound as one array where the backend [binds arrays](Executor::binds_arrays).
    Ints(Vec<Option<i64>>),
    /// A column of texts, bound as one array.
    Texts(Vec<Option<String>>),
    /// A column of flags, bound as one array.
    Bools(Vec<bool>),
}

impl Arg {
    /// Whether this is a whole column bound as one array.
    pub fn is_array(&self) -> bool {
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

/// A value read from a row, whatever the driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (SQLite also stores flags this way).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A text.
    Text(String),
}

/// Rust types a [`Value`] converts to.
pub trait FromValue: Sized {
    /// The value as `Self`, or `None` when it is of another kind.
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            _ => None,
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A column position or name.
pub trait Index: std::fmt::Debug {
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

/// One row: its values, and the statement's column names (shared by every row of a result).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    /// A row of `values` under `columns`.
    pub fn new(columns: Arc<[String]>, values: Vec<Value>) -> Row {
        Row { columns, values }
    }

    /// The value at position `at` (panics past the last column, a programming error).
    pub fn value(&self, at: usize) -> &Value {
        &self.values[at]
    }

    /// The column names of the row's statement.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The column at `idx` (position or name). A missing column or a kind mismatch is a
    /// programming error in this crate's SQL, so it panics naming the column, as sqlx's
    /// `Row::get` does.
    pub fn get<T: FromValue, I: Index>(&self, idx: I) -> T {
        let at = idx.position(&self.columns).unwrap_or_else(|| panic!("no column {idx:?}"));
        let value = &self.values[at];
        T::from_value(value).unwrap_or_else(|| {
            panic!("column {idx:?} ({}) holds {value:?}, not a {}", self.columns[at], std::any::type_name::<T>())
        })
    }
}

/// How the database classified a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbErrorKind {
    /// A unique or primary-key constraint.
    UniqueViolation,
    /// A foreign key.
    ForeignKeyViolation,
    /// A check constraint (the ledger's append-only trigger raises one too).
    CheckViolation,
    /// A NOT NULL column.
    NotNullViolation,
    /// A serialisation failure or deadlock: rerunning the whole transaction may succeed.
    Transient,
    /// Anything else.
    Other,
}

/// A database failure, as the backend's driver reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    /// Its class.
    pub kind: DbErrorKind,
    /// The driver's code: PostgreSQL's SQLSTATE, SQLite's extended result code.
    pub code: Option<String>,
    /// The constraint it broke, named as PostgreSQL names a table constraint
    /// (`stockin_orders_sid_outer_no_key`); SQLite's errors are mapped to the same names.
    pub constraint: Option<String>,
    /// The driver's message, for logs.
    pub message: String,
}

impl DbError {
    /// A failure that is no constraint's, with `message`.
    pub fn other(message: impl Into<String>) -> DbError {
        DbError { kind: DbErrorKind::Other, code: None, constraint: None, message: message.into() }
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = &self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DbError {}

impl From<DbError> for StoreError {
    fn from(e: DbError) -> StoreError {
        match e.kind {
            DbErrorKind::Transient => StoreError::Transient(e.to_string()),
            _ => StoreError::Database(e.to_string()),
        }
    }
}

/// Turning one constraint's violation into a refusal, as realworld-axum-sqlx does.
pub trait ResultExt<T> {
    /// `f`'s error when the failure broke `constraint`; any other failure as a database error.
    fn on_constraint(self, constraint: &str, f: impl FnOnce(DbError) -> StoreError) -> StoreResult<T>;
}

impl<T> ResultExt<T> for Result<T, DbError> {
    fn on_constraint(self, constraint: &str, f: impl FnOnce(DbError) -> StoreError) -> StoreResult<T> {
        self.map_err(|e| if e.constraint.as_deref() == Some(constraint) { f(e) } else { e.into() })
    }
}

/// A connection that runs this crate's SQL: a backend's write transaction or its readers.
pub trait Executor: Send {
    /// Whether a statement may bind a whole column as one array (PostgreSQL's `= ANY(?)` and
    /// `unnest`); without, lists are spelled out value by value.
    fn binds_arrays(&self) -> bool;

    /// ` FOR UPDATE` where rows are locked for the transaction (PostgreSQL's writers); empty where
    /// one writer already excludes every other (SQLite) or nothing is written (readers).
    fn row_lock(&self) -> &'static str;

    /// Runs `sql` with `args` bound to its `?` placeholders, in order, and returns every row.
    fn fetch_all(&mut self, sql: &str, args: Vec<Arg>) -> impl Future<Output = Result<Vec<Row>, DbError>> + Send;

    /// Runs `sql` with `args` and returns how many rows it changed.
    fn execute(&mut self, sql: &str, args: Vec<Arg>) -> impl Future<Output = Result<u64, DbError>> + Send;

    /// The statement that sets `table`'s identity sequence past its largest id, after rows were
    /// inserted with their ids (a snapshot restored); `None` where ids follow the table's rows by
    /// themselves (SQLite's rowid) or the table has no identity.
    fn resync_identity(&self, table: &str) -> Option<String> {
        let _ = table;
        None
    }

    /// The statement a transaction that loads many rows runs first, where the database needs one.
    /// PostgreSQL's is `SET LOCAL plan_cache_mode = force_custom_plan`: a plan it cached while a
    /// table was still empty finds a record by its number through the seller's `(sid, modified)`
    /// index and reads every row of the seller for each lookup as the table fills; a plan made
    /// for each statement sees the table's size.
    fn bulk_load(&self) -> Option<&'static str> {
        None
    }

    /// One statement that empties every table of `tables` at once, where the database has one
    /// (PostgreSQL's `TRUNCATE`); `None` where they are emptied row by row, children first.
    fn truncate_all(&self, tables: &[&str]) -> Option<String> {
        let _ = tables;
        None
    }

    /// ` FOR UPDATE OF alias` where rows are locked, nothing elsewhere.
    fn lock_of(&self, alias: &str) -> String {
        match self.row_lock() {
            "" => String::new(),
            lock => format!("{lock} OF {alias}"),
        }
    }
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

/// The longest list [`Query::push_in`] spells out value by value (padded, at most this many
/// parameters); a longer one binds as one parameter.
pub const MAX_LISTED: usize = 1024;

/// The most rows one spelled-out statement of [`write_rows`] carries.
pub const MAX_PIECE_ROWS: usize = 64;

/// Runs a multi-row statement: `head` (`INSERT INTO t (…) `), the rows (`width` values each, row
/// after row in `values`), then `tail` (`ON CONFLICT …`, `RETURNING …`), and returns the rows it
/// returns, in order.
///
/// Where the backend binds arrays that is one statement whose text is the same for any number
/// of rows (see `Query::push_rows`). Elsewhere (SQLite) it is `VALUES` lists of at most
/// [`MAX_PIECE_ROWS`] rows (150 rows: 64, 64 and 22). A text per list length, each kept among the
/// connection's prepared statements, would be a new statement for many batches: their cache held
/// 217 MB at 256 connections, and preparing them anew each time cost a quarter of the throughput.
/// Pieces of at most 64 rows come in 64 lengths per statement, few and small enough to keep.
pub async fn write_rows<E: Executor>(
    conn: &mut E,
    head: &str,
    width: usize,
    values: Vec<Arg>,
    tail: &str,
) -> Result<Vec<Row>, DbError> {
    if width == 0 || !values.len().is_multiple_of(width) {
        return Err(DbError::other(format!("{} values do not make rows of {width}", values.len())));
    }
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let arrays = conn.binds_arrays();
    if arrays || values.len() <= width {
        let mut qb = query(head.to_owned());
        qb.push_rows(arrays, width, values).push(tail);
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

/// Rewrites `?` placeholders as `$1…$n`, for drivers that number them (PostgreSQL). This
/// crate's SQL has no `?` in literals.
pub fn numbered(sql: &str) -> String {
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
    ///
    /// A list longer than [`MAX_LISTED`] (a push's serial numbers, a page's detail lines) binds
    /// as one parameter instead, so no statement nears a database's limit on parameters
    /// (SQLite's 32,766): one array where the backend binds arrays (`arrays`), else one JSON
    /// array read back with `json_each`.
    pub fn push_in<A: Into<Arg>>(&mut self, arrays: bool, values: impl IntoIterator<Item = A>) -> &mut Self {
        let values: Vec<Arg> = values.into_iter().map(Into::into).collect();
        if values.len() > MAX_LISTED {
            return self.push_whole_list(arrays, values);
        }
        let values = padded(values);
        if values.is_empty() {
            return self.push(" IN (NULL)");
        }
        self.push(" IN (");
        for (n, v) in values.into_iter().enumerate() {
            self.push(if n == 0 { "" } else { ", " }).push_bind(v);
        }
        self.push(")")
    }

    /// Appends a match against a list of ids: ` = ANY(?)` binding one array where the backend
    /// binds arrays (`arrays`), so that the statement's text, and the plan PostgreSQL caches for
    /// it, is the same however many ids there are; elsewhere [`Query::push_in`]'s padded list.
    pub fn push_in_ids(&mut self, arrays: bool, ids: impl IntoIterator<Item = i64>) -> &mut Self {
        if !arrays {
            return self.push_in(false, ids);
        }
        self.push(" = ANY(?)");
        self.args.push(Arg::Ints(ids.into_iter().map(Some).collect()));
        self
    }

    /// A long list as one parameter: ` = ANY(?)` with an array, or ` IN (SELECT value FROM
    /// json_each(?))` with a JSON array (SQLite). Lists are of one kind: integers or texts.
    fn push_whole_list(&mut self, arrays: bool, values: Vec<Arg>) -> &mut Self {
        let texts = matches!(values.first(), Some(Arg::Text(_)));
        if arrays {
            self.push(" = ANY(?)");
            let column = if texts {
                Arg::Texts(values.into_iter().map(|v| if let Arg::Text(t) = v { t } else { None }).collect())
            } else {
                Arg::Ints(values.into_iter().map(|v| if let Arg::Int(i) = v { i } else { None }).collect())
            };
            self.args.push(column);
            return self;
        }
        let json: Vec<serde_json::Value> = values
            .into_iter()
            .map(|v| match v {
                Arg::Int(i) => i.into(),
                Arg::Text(t) => t.into(),
                Arg::Bool(b) => b.into(),
                Arg::Ints(_) | Arg::Texts(_) | Arg::Bools(_) => serde_json::Value::Null,
            })
            .collect();
        self.push(" IN (SELECT value FROM json_each(?))");
        self.args.push(Arg::Text(Some(serde_json::Value::Array(json).to_string())));
        self
    }

    /// Appends the rows of a multi-row insert (at least one), `width` values each, row after row
    /// in `values`: `VALUES (?, …), (?, …)`, or with `arrays` `SELECT * FROM unnest(?, …)` with
    /// one array per column, so the statement's text is the same for any number of rows and
    /// each connection parses and plans it once. The kind of a column's first value decides its
    /// array's type; a column mixing kinds is a programming error in this crate's SQL and panics,
    /// as [`Row::get`] does on a kind mismatch. [`write_rows`] splits long lists.
    fn push_rows(&mut self, arrays: bool, width: usize, values: Vec<Arg>) -> &mut Self {
        if !arrays {
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
    pub async fn fetch_all<E: Executor>(self, conn: &mut E) -> Result<Vec<Row>, DbError> {
        conn.fetch_all(&self.sql, self.args).await
    }

    /// At most one row (the first).
    pub async fn fetch_optional<E: Executor>(self, conn: &mut E) -> Result<Option<Row>, DbError> {
        Ok(self.fetch_all(conn).await?.into_iter().next())
    }

    /// Exactly one row.
    pub async fn fetch_one<E: Executor>(self, conn: &mut E) -> Result<Row, DbError> {
        self.fetch_optional(conn).await?.ok_or_else(|| DbError::other("no row returned"))
    }

    /// The first column of the one row.
    pub async fn scalar<T: FromValue>(self, conn: &mut impl Executor) -> Result<T, DbError> {
        Ok(self.fetch_one(conn).await?.get(0))
    }

    /// The first column of the row, if there is one.
    pub async fn scalar_optional<T: FromValue>(self, conn: &mut impl Executor) -> Result<Option<T>, DbError> {
        Ok(self.fetch_optional(conn).await?.map(|r| r.get(0)))
    }

    /// The first column of every row.
    pub async fn scalars<T: FromValue>(self, conn: &mut impl Executor) -> Result<Vec<T>, DbError> {
        Ok(self.fetch_all(conn).await?.into_iter().map(|r| r.get(0)).collect())
    }

    /// Whether any row matches.
    pub async fn exists<E: Executor>(self, conn: &mut E) -> Result<bool, DbError> {
        Ok(self.fetch_optional(conn).await?.is_some())
    }

    /// Runs the statement; rows affected.
    pub async fn execute<E: Executor>(self, conn: &mut E) -> Result<u64, DbError> {
        conn.execute(&self.sql, self.args).await
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
    use super::{Arg, DbError, DbErrorKind, ResultExt, Row, Value, query};
    use wdt_store::StoreError;

    #[test]
    fn rows_are_values_or_one_array_per_column() {
        let rows = || vec![Arg::from(1), Arg::from("a"), Arg::from(2), Arg::Text(None)];
        let mut listed = query("INSERT INTO t (n, s) ");
        listed.push_rows(false, 2, rows());
        assert_eq!(listed.sql, "INSERT INTO t (n, s) VALUES (?, ?), (?, ?)");
        assert_eq!(listed.args, rows());

        let mut arrays = query("INSERT INTO t (n, s) ");
        arrays.push_rows(true, 2, rows());
        assert_eq!(arrays.sql, "INSERT INTO t (n, s) SELECT * FROM unnest(?, ?)");
        assert_eq!(arrays.args, [Arg::Ints(vec![Some(1), Some(2)]), Arg::Texts(vec![Some("a".to_owned()), None])]);
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
        qb.push_in(false, [1i64, 2, 3]);
        assert_eq!(qb.sql, "x IN (?, ?, ?, ?)");
        assert_eq!(qb.args, [Arg::from(1), Arg::from(2), Arg::from(3), Arg::from(3)]);
        let mut empty = query("x");
        empty.push_in(false, Vec::<i64>::new());
        assert_eq!(empty.sql, "x IN (NULL)");
    }

    #[test]
    fn lists_past_the_listed_bound_bind_as_one_parameter() {
        let long: Vec<i64> = (0..=super::MAX_LISTED as i64).collect();
        let mut json = query("x");
        json.push_in(false, long.clone());
        assert_eq!(json.sql, "x IN (SELECT value FROM json_each(?))");
        assert_eq!(json.args.len(), 1);
        let mut array = query("x");
        array.push_in(true, long);
        assert_eq!((array.sql.as_ref(), array.args.len()), ("x = ANY(?)", 1));
        let mut texts = query("x");
        texts.push_in(false, (0..=super::MAX_LISTED).map(|i| format!("S\"{i}")));
        assert!(matches!(&texts.args[0], Arg::Text(Some(j)) if j.starts_with(r#"["S\"0","S\"1""#)), "{:?}", texts.args);
        let mut at_bound = query("x");
        at_bound.push_in(false, 0..super::MAX_LISTED as i64);
        assert_eq!(at_bound.args.len(), super::MAX_LISTED, "spelled out up to the bound");
    }

    #[test]
    fn placeholders_are_numbered() {
        assert_eq!(super::numbered("a = ? AND b IN (?, ?)"), "a = $1 AND b IN ($2, $3)");
    }

    #[test]
    fn rows_convert_by_kind_and_flags_read_from_integers() {
        let row = Row::new(
            vec!["n".to_owned(), "b".to_owned(), "s".to_owned(), "z".to_owned()].into(),
            vec![Value::Int(7), Value::Int(1), Value::Text("x".into()), Value::Null],
        );
        assert_eq!(row.get::<i64, _>("n"), 7);
        assert!(row.get::<bool, _>(1));
        assert_eq!(row.get::<String, _>("s"), "x");
        assert_eq!(row.get::<Option<i64>, _>("z"), None);
    }

    #[test]
    fn constraint_violations_become_refusals_only_for_their_constraint() {
        let unique = |constraint: &str| DbError {
            kind: DbErrorKind::UniqueViolation,
            code: Some("23505".into()),
            constraint: Some(constraint.into()),
            message: "duplicate".into(),
        };
        let refused = || StoreError::Database("refused".into());
        let mine: Result<(), _> = Err(unique("stockin_orders_sid_outer_no_key"));
        let other: Result<(), _> = Err(unique("batches_sid_spec_id_batch_no_key"));
        assert_eq!(
            mine.on_constraint("stockin_orders_sid_outer_no_key", |_| refused()).unwrap_err().to_string(),
            "database: refused"
        );
        assert!(
            other
                .on_constraint("stockin_orders_sid_outer_no_key", |_| refused())
                .unwrap_err()
                .to_string()
                .contains("duplicate")
        );
        let transient = DbError { kind: DbErrorKind::Transient, ..unique("x") };
        assert!(matches!(StoreError::from(transient), StoreError::Transient(_)));
    }
}
