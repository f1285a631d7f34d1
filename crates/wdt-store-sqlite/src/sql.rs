//! Small SQL helpers: a generic "upsert and tell me what changed" used by the importer.

use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

/// A column value: integers (ids, flags, scaled decimals, epoch ms) or text, either nullable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Int(Option<i64>),
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
        Val::Int(Some(i64::from(v)))
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

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Inserted,
    Updated,
    Unchanged,
}

fn push_val(qb: &mut QueryBuilder<Sqlite>, v: &Val) {
    match v {
        Val::Int(i) => qb.push_bind(*i),
        Val::Text(t) => qb.push_bind(t.clone()),
    };
}

fn push_where(qb: &mut QueryBuilder<Sqlite>, keys: &[(&str, Val)]) {
    qb.push(" WHERE ");
    for (i, (col, v)) in keys.iter().enumerate() {
        if i > 0 {
            qb.push(" AND ");
        }
        qb.push(*col).push(" = ");
        push_val(qb, v);
    }
}

/// Finds the row of `table` with `keys`; inserts it with `data` and `on_insert` when absent,
/// updates `data` when `update` is set and a column differs (`on_insert` columns such as
/// `created` are never compared or updated). Returns the row id and what happened.
pub(crate) async fn upsert(
    conn: &mut SqliteConnection,
    table: &str,
    keys: &[(&str, Val)],
    data: &[(&str, Val)],
    on_insert: &[(&str, Val)],
    update: bool,
) -> Result<(i64, Change), sqlx::Error> {
    let mut select = QueryBuilder::<Sqlite>::new("SELECT rowid");
    for (col, _) in data {
        select.push(", ").push(*col);
    }
    select.push(" FROM ").push(table);
    push_where(&mut select, keys);
    let existing = select.build().fetch_optional(&mut *conn).await?;

    let Some(row) = existing else {
        let mut insert = QueryBuilder::<Sqlite>::new("INSERT INTO ");
        insert.push(table).push(" (");
        let cols: Vec<&str> = keys.iter().chain(data).chain(on_insert).map(|(c, _)| *c).collect();
        insert.push(cols.join(", ")).push(") VALUES (");
        for (i, (_, v)) in keys.iter().chain(data).chain(on_insert).enumerate() {
            if i > 0 {
                insert.push(", ");
            }
            push_val(&mut insert, v);
        }
        insert.push(") RETURNING rowid");
        let id: i64 = insert.build().fetch_one(&mut *conn).await?.try_get(0)?;
        return Ok((id, Change::Inserted));
    };

    let id: i64 = row.try_get(0)?;
    if !update {
        return Ok((id, Change::Unchanged));
    }
    let mut differs = false;
    for (i, (_, v)) in data.iter().enumerate() {
        let same = match v {
            Val::Int(new) => row.try_get::<Option<i64>, _>(i + 1)? == *new,
            Val::Text(new) => row.try_get::<Option<String>, _>(i + 1)? == *new,
        };
        differs |= !same;
    }
    if !differs {
        return Ok((id, Change::Unchanged));
    }
    let mut upd = QueryBuilder::<Sqlite>::new("UPDATE ");
    upd.push(table).push(" SET ");
    for (i, (col, v)) in data.iter().enumerate() {
        if i > 0 {
            upd.push(", ");
        }
        upd.push(*col).push(" = ");
        push_val(&mut upd, v);
    }
    upd.push(" WHERE rowid = ").push_bind(id);
    upd.build().execute(&mut *conn).await?;
    Ok((id, Change::Updated))
}
