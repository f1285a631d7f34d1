//! Small SQL helpers: a generic "upsert and tell me what changed" used by the importer, and the
//! text of statements written from a column list.

use crate::db::{Arg, Executor, Query, query};

/// A column value: integers (ids, scaled decimals, epoch ms), flags, or text, nullable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Int(Option<i64>),
    Bool(bool),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_owned()))
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(Some(v.clone()))
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::Text(v.map(str::to_owned))
    }
}

impl From<&i64> for Val {
    fn from(v: &i64) -> Self {
        Val::Int(Some(*v))
    }
}
impl From<&bool> for Val {
    fn from(v: &bool) -> Self {
        Val::Bool(*v)
    }
}

/// The columns of a record that are named as its fields: `same_named!(w: zip, city)` is
/// `[("zip", Val::from(&w.zip)), ("city", Val::from(&w.city))]`.
macro_rules! same_named {
    ($record:ident: $($field:ident),+ $(,)?) => {
        [$((stringify!($field), $crate::sql::Val::from(&$record.$field))),+]
    };
}
pub(crate) use same_named;

impl From<&Val> for Arg {
    fn from(v: &Val) -> Self {
        match v {
            Val::Int(i) => Arg::Int(*i),
            Val::Bool(b) => Arg::Bool(*b),
            Val::Text(t) => Arg::Text(t.clone()),
        }
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Inserted,
    Updated,
    Unchanged,
}

fn push_where(qb: &mut Query, keys: &[(&str, Val)]) {
    qb.push(" WHERE ");
    for (i, (col, v)) in keys.iter().enumerate() {
        if i > 0 {
            qb.push(" AND ");
        }
        qb.push(col).push(" = ").push_bind(v);
    }
}

/// Finds the row of `table` with `keys`; inserts it with `data` and `on_insert` when absent,
/// updates `data` when `update` is set and a column differs (`on_insert` columns such as
/// `created` are never compared or updated). Returns the row id and what happened.
pub(crate) async fn upsert(
    conn: &mut impl Executor,
    table: &str,
    keys: &[(&str, Val)],
    data: &[(&str, Val)],
    on_insert: &[(&str, Val)],
    update: bool,
) -> Result<(i64, Change), crate::db::DbError> {
    let mut select = query("SELECT id");
    for (col, _) in data {
        select.push(", ").push(col);
    }
    select.push(" FROM ").push(table);
    push_where(&mut select, keys);
    let existing = select.fetch_optional(conn).await?;

    let Some(row) = existing else {
        let mut insert = query("INSERT INTO ");
        insert.push(table).push(" (");
        let cols: Vec<&str> = keys.iter().chain(data).chain(on_insert).map(|(c, _)| *c).collect();
        insert.push(&cols.join(", ")).push(") VALUES (");
        for (i, (_, v)) in keys.iter().chain(data).chain(on_insert).enumerate() {
            if i > 0 {
                insert.push(", ");
            }
            insert.push_bind(v);
        }
        insert.push(") RETURNING id");
        let id: i64 = insert.scalar(conn).await?;
        return Ok((id, Change::Inserted));
    };

    let id: i64 = row.get(0);
    if !update {
        return Ok((id, Change::Unchanged));
    }
    let differs = data.iter().enumerate().any(|(i, (_, v))| match v {
        Val::Int(new) => row.get::<Option<i64>, _>(i + 1) != *new,
        Val::Bool(new) => row.get::<bool, _>(i + 1) != *new,
        Val::Text(new) => row.get::<Option<String>, _>(i + 1) != *new,
    });
    if !differs {
        return Ok((id, Change::Unchanged));
    }
    let mut upd = query("UPDATE ");
    upd.push(table).push(" SET ");
    for (i, (col, v)) in data.iter().enumerate() {
        if i > 0 {
            upd.push(", ");
        }
        upd.push(col).push(" = ").push_bind(v);
    }
    upd.push(" WHERE id = ").push_bind(id);
    upd.execute(conn).await?;
    Ok((id, Change::Updated))
}

/// `n` placeholders, comma-separated: the `VALUES (…)` of `n` columns.
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `a = ?, b = ?, …` for the comma-separated `columns`: the `SET` of an update of them all.
pub(crate) fn assignments(columns: &str) -> String {
    columns.split(", ").map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
}
