//! Read-back queries (SPEC.md §9): one engine for every [`wdt_domain::reads::Listing`].
//!
//! A listing is declared, not programmed: the tables it reads, the columns its filters, time
//! keys and scope apply to, and its response fields as (wire name, SQL expression, JSON kind),
//! with nested lists read for the whole page in one statement each. The engine turns any
//! [`ReadQuery`] into one page statement (the page's ids under every filter, the window, the
//! key's scope and the hidden platforms, in (time, id) order; then the fields of those rows), a
//! count when the pager asks for it, and one statement per nested list.

mod goods;
mod purchase;
mod raw_refunds;
mod refunds;
mod settings;
mod stock;

use std::collections::HashMap;

use serde_json::{Map, Value as Json};
use wdt_domain::privacy;
use wdt_domain::reads::{FilterValue, Listing as ListingKind, ReadQuery};
use wdt_protocol::Dec4;
use wdt_protocol::time::format_wire_time;
use wdt_store::{ReadPage, StoreError, StoreResult};

use crate::db::{Executor, Query, Row, Value, query};

/// How a column is shown on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text; NULL is `""`.
    Text,
    /// An integer; NULL is 0.
    Int,
    /// An integer written as a string (`"624"`).
    IntText,
    /// `true` / `false` from a flag.
    Bool,
    /// A scaled decimal (4 places) as a JSON number.
    Decimal,
    /// A scaled decimal as a `"2.0000"` string.
    DecimalText,
    /// Epoch milliseconds as `yyyy-MM-dd HH:mm:ss`; NULL is `""`.
    Time,
    /// Epoch milliseconds as a JSON number; NULL is `null`.
    Millis,
    /// Epoch milliseconds as a JSON number; NULL leaves the field out.
    MillisIfAny,
    /// The first code of a comma list of codes as a JSON number; NULL (every code) is 1.
    FirstCode,
    /// The buyer's name or nickname: shown for the seller's own and offline shops only
    /// ([`privacy::customer_field`]); needs the listing's `platform` column.
    Customer,
}

/// One response field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    /// Its wire name.
    pub name: &'static str,
    /// The SQL expression it reads.
    pub sql: &'static str,
    /// How it is shown.
    pub kind: Kind,
    /// The optional group it belongs to: shown only when the query's listing shows that group
    /// ([`ListingKind::shows`], e.g. `StockSpec.search`'s `mask`); `None` is always shown.
    pub group: Option<&'static str>,
}

/// A field: wire name, SQL expression, kind.
pub(crate) const fn field(name: &'static str, sql: &'static str, kind: Kind) -> Field {
    Field { name, sql, kind, group: None }
}

/// A field this ERP does not keep: the empty value of its kind in every row (`""` for text, 0 or
/// `false` for the others).
pub(crate) const fn not_kept(name: &'static str, kind: Kind) -> Field {
    let sql = match kind {
        Kind::Text => "''",
        _ => "0",
    };
    field(name, sql, kind)
}

/// A field of the optional group `group`.
pub(crate) const fn grouped(group: &'static str, f: Field) -> Field {
    Field { group: Some(group), ..f }
}

/// The wire name a [`fields!`] entry is written as: its identifier, without the `r#` a keyword
/// (`r#type`) is written with.
pub(crate) const fn wire_name(ident: &'static str) -> &'static str {
    match ident.as_bytes() {
        [b'r', b'#', ..] => ident.split_at(2).1,
        _ => ident,
    }
}

/// A `&[Field]` table, in wire order: `fields!("w"; Int(warehouse_id = "w.id"), Text(name, zip),
/// NotKept Text(prop1))`. The string before `;` is the alias of the table most fields read: a
/// field written by its name alone reads the column of that name there (`name` is `w.name`), one
/// written `name = sql` reads `sql`. Each group is a [`Kind`] and its fields, consecutive fields
/// of one kind in one group; `NotKept Kind(…)` are [`not_kept`] fields, and a group written
/// `[GROUP] …` belongs to the optional group `GROUP` ([`grouped`]). A keyword is written raw
/// (`r#type = "r.type"`), with its SQL.
macro_rules! fields {
    ($alias:literal; $($groups:tt)*) => {
        $crate::reads::fields!(@to $alias [] $($groups)*)
    };
    // One group at a time, kept as `({its optional group} [its fields])`.
    (@to $alias:literal [$($done:tt)*]
        $([$group:expr])? NotKept $kind:ident($($name:ident),+ $(,)?) $(, $($rest:tt)*)?) => {
        $crate::reads::fields!(@to $alias [$($done)* ({$($group)?} [$(
            $crate::reads::not_kept($crate::reads::wire_name(stringify!($name)), $crate::reads::Kind::$kind)
        ),+])] $($($rest)*)?)
    };
    (@to $alias:literal [$($done:tt)*]
        $([$group:expr])? $kind:ident($($name:ident $(= $sql:expr)?),+ $(,)?) $(, $($rest:tt)*)?) => {
        $crate::reads::fields!(@to $alias [$($done)* ({$($group)?} [$(
            $crate::reads::field(
                $crate::reads::wire_name(stringify!($name)),
                $crate::reads::fields!(@sql $alias $name $($sql)?),
                $crate::reads::Kind::$kind,
            )
        ),+])] $($($rest)*)?)
    };
    (@to $alias:literal [$(($group:tt [$($field:expr),+]))*]) => {
        &[$($($crate::reads::fields!(@in $group $field),)+)*]
    };
    (@sql $alias:literal $name:ident) => {
        concat!($alias, ".", stringify!($name))
    };
    (@sql $alias:literal $name:ident $sql:expr) => {
        $sql
    };
    (@in {} $field:expr) => {
        $field
    };
    (@in {$group:expr} $field:expr) => {
        $crate::reads::grouped($group, $field)
    };
}
pub(crate) use fields;

/// A nested list of each row (`details`, `spec_list`, …).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Children {
    /// Its wire name.
    pub name: &'static str,
    /// FROM clause, with the aliases its fields use.
    pub from: &'static str,
    /// The column holding the parent row's id.
    pub parent: &'static str,
    /// The order within one parent.
    pub order: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
}

/// A nested list this ERP keeps nothing of: `absent_list!("amount_detail_list", "refund_orders",
/// "ad", FIELDS)` reads `FIELDS` of the table (under the alias) joined to nothing, so every row
/// shows the list empty.
macro_rules! absent_list {
    ($name:literal, $table:literal, $alias:literal, $fields:expr) => {
        $crate::reads::Children {
            name: $name,
            from: concat!($table, " ", $alias, " JOIN ", $table, " absent ON 1 = 0"),
            parent: concat!($alias, ".id"),
            order: concat!($alias, ".id"),
            fields: $fields,
        }
    };
}
pub(crate) use absent_list;

/// A listing's declaration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing {
    /// FROM clause, with the aliases the other columns use.
    pub from: &'static str,
    /// The seller column.
    pub sid: &'static str,
    /// The row's id (the order's tie-break, the nested lists' parent key).
    pub id: &'static str,
    /// Time keys → columns holding epoch milliseconds.
    pub times: &'static [(&'static str, &'static str)],
    /// Filter keys → columns; a column written `before{}after` is a condition with the
    /// comparison in place of `{}` (on another table: `g.id IN (SELECT ... WHERE x.barcode{})`).
    pub filters: &'static [(&'static str, &'static str)],
    /// The column holding the warehouse number the key's warehouse scope applies to.
    pub warehouse_scope: Option<&'static str>,
    /// The column holding the shop number the key's shop scope applies to.
    pub shop_scope: Option<&'static str>,
    /// The column holding the shop's platform id: rows of hidden platforms are never returned,
    /// [`Kind::Customer`] fields are masked by it.
    pub platform: Option<&'static str>,
    /// The response fields, in the page's order.
    pub fields: &'static [Field],
    /// Nested lists, after the fields.
    pub children: &'static [Children],
}

impl Listing {
    /// What a listing does not say: no filters, no scope, no platform column, no nested lists.
    /// A listing states the rest (`Listing { from, sid, id, times, fields, ..Listing::BASE }`).
    pub(crate) const BASE: Listing = Listing {
        from: "",
        sid: "",
        id: "",
        times: &[],
        filters: &[],
        warehouse_scope: None,
        shop_scope: None,
        platform: None,
        fields: &[],
        children: &[],
    };
}

fn listing(kind: ListingKind) -> &'static Listing {
    match kind {
        ListingKind::RefundOrders => &refunds::REFUND_ORDERS,
        ListingKind::RawRefunds => &raw_refunds::RAW_REFUNDS,
        ListingKind::Warehouses => &settings::WAREHOUSES,
        ListingKind::Shops => &settings::SHOPS,
        ListingKind::Logistics => &settings::LOGISTICS,
        ListingKind::Providers => &settings::PROVIDERS,
        ListingKind::StockSpecs(_) => &stock::STOCK_SPECS,
        ListingKind::StockChanges => &stock::STOCK_CHANGES,
        ListingKind::PurchaseReturns => &purchase::PURCHASE_RETURNS,
        ListingKind::PurchaseOrders => &purchase::PURCHASE_ORDERS,
        ListingKind::Goods => &goods::GOODS,
    }
}

fn column<'a>(pairs: &'a [(&'static str, &'static str)], key: &str, what: &str) -> StoreResult<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, c)| *c)
        .ok_or_else(|| StoreError::Database(format!("read: no {what} {key}")))
}

/// Escapes `LIKE` wildcards so that a prefix matches as written.
fn like_prefix(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// FROM and WHERE, shared by the page and its count.
fn push_filtered(qb: &mut Query, arrays: bool, l: &Listing, sid: &str, q: &ReadQuery) -> StoreResult<()> {
    qb.push(" FROM ").push(l.from);
    qb.push(&format!(" WHERE {} = ", l.sid)).push_bind(sid.to_owned());
    for (key, w) in &q.windows {
        let time = column(l.times, key, "time")?;
        qb.push(&format!(" AND {time} >= ")).push_bind(w.start_ms);
        qb.push(&format!(" AND {time} <= ")).push_bind(w.end_ms);
    }
    for f in &q.filters {
        // A column written `before{}after` puts the comparison in place of `{}` (a condition on
        // another table: `g.id IN (SELECT x.goods_id FROM specs x WHERE x.barcode{})`).
        let col = column(l.filters, f.key, "filter")?;
        let (col, after) = col.split_once("{}").unwrap_or((col, ""));
        qb.push(&format!(" AND {col}"));
        match &f.value {
            FilterValue::Text(v) => qb.push(" = ").push_bind(v.clone()),
            FilterValue::Int(v) => qb.push(" = ").push_bind(*v),
            FilterValue::Flag(v) => qb.push(" = ").push_bind(*v),
            FilterValue::Texts(vs) => qb.push_in(arrays, vs.iter().map(String::as_str)),
            FilterValue::Ints(vs) => qb.push_in(arrays, vs.iter().copied()),
            FilterValue::Prefix(p) => qb.push(" LIKE ").push_bind(like_prefix(p)).push(" ESCAPE '\\'"),
        };
        qb.push(after);
    }
    let scopes = [(l.warehouse_scope, &q.scope.warehouses), (l.shop_scope, &q.scope.shops)];
    for (col, allowed) in scopes {
        match (col, allowed) {
            (Some(_), Some(list)) if list.is_empty() => {
                qb.push(" AND 1 = 0");
            }
            (Some(col), Some(list)) => {
                qb.push(&format!(" AND {col}")).push_in(arrays, list.iter().map(String::as_str));
            }
            _ => {}
        }
    }
    if let Some(platform) = l.platform {
        qb.push(&format!(" AND {platform} NOT")).push_in(arrays, privacy::HIDDEN_PLATFORM_IDS.iter().copied());
    }
    Ok(())
}

fn push_fields(qb: &mut Query, fields: &[Field]) {
    for (n, f) in fields.iter().enumerate() {
        qb.push(if n == 0 { "" } else { ", " }).push(f.sql);
    }
}

/// The wire value of `v` shown as `kind`; `platform` is the row's platform for masking.
fn shown(v: &Value, kind: Kind, platform: Option<i64>) -> Json {
    let int = || match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Text(t) => t.parse().ok(),
        Value::Null => None,
    };
    let text = || match v {
        Value::Text(t) => t.clone(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
    };
    match kind {
        Kind::Text => Json::from(text()),
        Kind::Int => Json::from(int().unwrap_or(0)),
        Kind::IntText => Json::from(int().map(|i| i.to_string()).unwrap_or_default()),
        Kind::Bool => Json::from(int().unwrap_or(0) != 0),
        Kind::Decimal => serde_json::to_value(Dec4::from_scaled(int().unwrap_or(0))).unwrap_or(Json::Null),
        Kind::DecimalText => Json::from(Dec4::from_scaled(int().unwrap_or(0)).to_fixed4()),
        Kind::Time => Json::from(int().map(format_wire_time).unwrap_or_default()),
        Kind::Millis | Kind::MillisIfAny => int().map(Json::from).unwrap_or(Json::Null),
        Kind::FirstCode => match v {
            Value::Text(t) => Json::from(t.split(',').find_map(|c| c.trim().parse::<i64>().ok()).unwrap_or(1)),
            _ => Json::from(int().unwrap_or(1)),
        },
        Kind::Customer => match platform {
            Some(p) => Json::from(privacy::customer_field(p, text())),
            None => Json::from(privacy::MASKED),
        },
    }
}

fn object(row: &Row, fields: &[Field], platform: Option<i64>) -> Map<String, Json> {
    fields
        .iter()
        .enumerate()
        .filter(|(at, f)| !(f.kind == Kind::MillisIfAny && *row.value(*at) == Value::Null))
        .map(|(at, f)| (f.name.to_owned(), shown(row.value(at), f.kind, platform)))
        .collect()
}

/// One page of `q` for seller `sid`.
pub(crate) async fn page<E: Executor>(conn: &mut E, sid: &str, q: &ReadQuery) -> StoreResult<ReadPage> {
    let l = listing(q.listing);
    let arrays = conn.binds_arrays();
    let time = column(l.times, q.order_key, "time")?;

    let total_count = if q.pager.calc_total {
        let mut count = query("SELECT COUNT(*)");
        push_filtered(&mut count, arrays, l, sid, q)?;
        Some(count.scalar::<i64>(conn).await?)
    } else {
        None
    };

    // The fields of the groups the query shows.
    let fields: Vec<Field> = l.fields.iter().filter(|f| f.group.is_none_or(|g| q.listing.shows(g))).copied().collect();
    // The page's ids first (an inner select under the window, order and pager), then the fields
    // of those rows only. Read in one select, a deep page (a large OFFSET) computed every field
    // of every row it skipped, subqueries included: PostgreSQL projects below its LIMIT (338 ms
    // for a ledger page at offset 10,000).
    let mut qb = query("SELECT ");
    push_fields(&mut qb, &fields);
    qb.push(&format!(
        ", {id} AS read_id, {} AS read_platform FROM {} WHERE {id} IN (SELECT {id}",
        l.platform.unwrap_or("NULL"),
        l.from,
        id = l.id
    ));
    push_filtered(&mut qb, arrays, l, sid, q)?;
    qb.push(&format!(" ORDER BY {time}, {} LIMIT ", l.id)).push_bind(i64::from(q.pager.page_size));
    qb.push(" OFFSET ").push_bind(i64::try_from(q.offset()).unwrap_or(i64::MAX));
    qb.push(&format!(") ORDER BY {time}, {}", l.id));
    let found = qb.fetch_all(conn).await?;

    let width = fields.len();
    let mut ids = Vec::with_capacity(found.len());
    let mut rows: Vec<Map<String, Json>> = Vec::with_capacity(found.len());
    for row in &found {
        let platform = match row.value(width + 1) {
            Value::Int(p) => Some(*p),
            _ => None,
        };
        ids.push(row.get::<i64, _>(width));
        rows.push(object(row, &fields, platform));
    }

    // Each nested list's rows as (parent, own key, object); a list nested in a nested list is
    // named `outer/inner`, declared after `outer`, and its `parent` holds `outer`'s `order` value
    // (the outer row's id), read as the outer rows' own key.
    type Keyed = Vec<(i64, i64, Map<String, Json>)>;
    let mut read: Vec<(&Children, Keyed)> = Vec::with_capacity(l.children.len());
    for child in l.children {
        let parents: Vec<i64> = match child.name.rsplit_once('/') {
            None => ids.clone(),
            Some((outer, _)) => read
                .iter()
                .find(|(c, _)| c.name == outer)
                .map(|(_, rows)| rows.iter().map(|r| r.1).collect())
                .ok_or_else(|| StoreError::Database(format!("read: {} before {outer}", child.name)))?,
        };
        let keyed = l.children.iter().any(|c| c.name.rsplit_once('/').is_some_and(|(o, _)| o == child.name));
        let mut found = Vec::new();
        if !parents.is_empty() {
            let width = child.fields.len();
            let mut cq = query("SELECT ");
            push_fields(&mut cq, child.fields);
            let key = if keyed { child.order } else { "0" };
            cq.push(&format!(", {} AS read_parent, {key} AS read_key", child.parent));
            cq.push(&format!(" FROM {} WHERE {}", child.from, child.parent));
            cq.push_in_ids(arrays, parents.iter().copied());
            cq.push(&format!(" ORDER BY {}, {}", child.parent, child.order));
            for row in cq.fetch_all(conn).await? {
                found.push((row.get(width), row.get(width + 1), object(&row, child.fields, None)));
            }
        }
        read.push((child, found));
    }
    // Innermost first: each list goes into its outer list's rows, the outermost into the page's.
    while let Some((child, found)) = read.pop() {
        let mut lists: HashMap<i64, Vec<Json>> = HashMap::new();
        for (parent, _, object) in found {
            lists.entry(parent).or_default().push(Json::Object(object));
        }
        match child.name.rsplit_once('/') {
            None => {
                for (row, id) in rows.iter_mut().zip(&ids) {
                    row.insert(child.name.to_owned(), Json::Array(lists.remove(id).unwrap_or_default()));
                }
            }
            Some((outer, name)) => {
                let outer_rows = read.iter_mut().find(|(c, _)| c.name == outer).map(|(_, rows)| rows);
                for (_, key, row) in outer_rows.into_iter().flatten() {
                    row.insert(name.to_owned(), Json::Array(lists.remove(key).unwrap_or_default()));
                }
            }
        }
    }
    Ok(ReadPage { total_count, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_as_written() {
        assert_eq!(like_prefix("A_1%"), "A\\_1\\%%");
        assert_eq!(like_prefix("a\\b"), "a\\\\b%");
    }

    #[test]
    fn values_are_shown_as_their_kind() {
        let cases = [
            (Value::Null, Kind::Text, Json::from("")),
            (Value::Int(7), Kind::IntText, Json::from("7")),
            (Value::Int(1), Kind::Bool, Json::from(true)),
            (Value::Bool(false), Kind::Bool, Json::from(false)),
            (Value::Int(20_000), Kind::DecimalText, Json::from("2.0000")),
            (Value::Null, Kind::Time, Json::from("")),
            (Value::Null, Kind::Millis, Json::Null),
            (Value::Int(5), Kind::Millis, Json::from(5)),
            (Value::Text("2,10".into()), Kind::FirstCode, Json::from(2)),
            (Value::Null, Kind::FirstCode, Json::from(1)),
        ];
        for (v, kind, want) in cases {
            assert_eq!(shown(&v, kind, None), want, "{v:?} as {kind:?}");
        }
        let name = Value::Text("张三".into());
        assert_eq!(shown(&name, Kind::Customer, Some(privacy::OWN_PLATFORM_ID)), Json::from("张三"));
        assert_eq!(shown(&name, Kind::Customer, Some(3)), Json::from(privacy::MASKED));
    }

    /// Every declared listing names its time and filter keys once, and its platform column when
    /// it masks a field.
    #[test]
    fn listings_are_well_formed() {
        use ListingKind::*;
        let stock_specs = StockSpecs(wdt_domain::reads::stock::StockExtras::default());
        for kind in [
            RefundOrders,
            RawRefunds,
            Warehouses,
            Shops,
            Logistics,
            Providers,
            stock_specs,
            StockChanges,
            PurchaseReturns,
            PurchaseOrders,
            Goods,
        ] {
            let l = listing(kind);
            assert!(![l.from, l.sid, l.id].contains(&""), "{kind:?} names its table, seller and id");
            assert!(!l.times.is_empty(), "{kind:?} has a time key");
            assert!(!l.fields.is_empty(), "{kind:?} has fields");
            let tables = std::iter::once(l.fields).chain(l.children.iter().map(|c| c.fields));
            for f in tables.flatten() {
                // A keyword written raw (`r#type`) names no column: it is given its SQL.
                assert!(!f.name.contains('#') && !f.sql.contains('#'), "{kind:?}: {} reads {}", f.name, f.sql);
            }
            for keys in [l.times, l.filters] {
                let mut seen = std::collections::HashSet::new();
                assert!(keys.iter().all(|(k, _)| seen.insert(*k)), "{kind:?}: a key named twice");
            }
            let masks = l.fields.iter().any(|f| f.kind == Kind::Customer);
            assert!(!masks || l.platform.is_some(), "{kind:?} masks without a platform column");
        }
    }
}
