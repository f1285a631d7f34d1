//! Loading a fixture inside one write transaction.
//!
//! Master data (warehouses, positions, logistics, shops, providers, goods, specs, units, batches,
//! customers, apps) is upserted: a changed name applies, an identical record writes nothing.
//! Documents (trades, refund orders, purchase orders) and opening stock lines are inserted only
//! when absent, so a re-import never undoes what the API has done since.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::db::{Arg, Executor, Row, query, write_rows};
use wdt_domain::fixture::{
    AppFixture, BatchFixture, Fixture, FixtureError, GoodsFixture, LogisticsFixture, ProviderFixture,
    PurchaseOrderFixture, RefundItemFixture, RefundOrderFixture, ShopFixture, SpecFixture, StockFixture, TradeFixture,
    TradeItemFixture, UnitFixture, WarehouseFixture,
};
use wdt_domain::master_push::{GoodsPlan, MasterPush, NONE_NAME};
use wdt_domain::model::{
    LedgerDocType, OPENING_DOC_NO, PurchaseOrderStatus, RefundOrderType, RefundReceiptState, TEMPORARY_POSITION_NO,
    receipt_state,
};
use wdt_domain::opening_stock::{self, OpeningLine, OpeningPlan, OpeningState, StockKey, WarehouseSpec};
use wdt_domain::purchase_order::{PlannedOrderLine, line_prices};
use wdt_protocol::ApiError;
use wdt_protocol::methods::LinePath;
use wdt_protocol::methods::goods_push::ARG_SPECS;
use wdt_protocol::time::parse_wire_time;
use wdt_protocol::{Dec4, Dialect, qjb};
use wdt_store::{ImportSummary, MasterPushed, StoreError, StoreResult};

use crate::db_err;
use crate::secrets::SecretBox;
use crate::sql::{Change, Val, same_named, upsert};

struct Importer<'c, E> {
    conn: &'c mut E,
    secrets: &'c SecretBox,
    sid: String,
    now: i64,
    summary: ImportSummary,
    /// Ids found by number in this transaction (a document's warehouse, spec, shop…): ids never
    /// change, and a fixture of thousands of lines names the same few again and again.
    found: HashMap<(&'static str, String, Option<String>), i64>,
    /// The position of a stock line: (warehouse id, position number or none for the default).
    positions: HashMap<(i64, Option<String>), i64>,
}

fn refused(path: String, message: String) -> StoreError {
    StoreError::Fixture(FixtureError::new(path, message))
}

/// A refund order item with the trade item it refunds: (trade item id, spec id, the fixture item).
type RefundLine<'f> = (i64, i64, &'f RefundItemFixture);

/// The rows of `items`, each led by the id of the document it belongs to (by number, among
/// `ids`) as column `owner`.
fn owned_by(
    owner: &'static str,
    ids: &HashMap<String, i64>,
    items: Vec<(&str, Vec<(&'static str, Val)>)>,
) -> StoreResult<Vec<Vec<(&'static str, Val)>>> {
    items
        .into_iter()
        .map(|(no, row)| {
            let id = ids.get(no).ok_or_else(|| StoreError::Database(format!("{no} was inserted without an id")))?;
            Ok([&[(owner, Val::from(*id))][..], &row].concat())
        })
        .collect()
}

/// A spec's id by its number (商家编码), as [`Importer::id_of`] remembers it.
const SPEC_BY_NO: &str = "SELECT id FROM specs WHERE sid = ? AND spec_no = ?";

/// A trade a fixture's refund orders name: its ids, and its items' (id, spec id) by oid.
struct RefundedTrade {
    id: i64,
    shop_id: i64,
    customer_id: Option<i64>,
    items: HashMap<String, (i64, i64)>,
}

/// The columns of trade item `it` (of spec `spec_id`) but its trade's id.
fn trade_item_row(sid: &str, spec_id: i64, it: &TradeItemFixture) -> Vec<(&'static str, Val)> {
    vec![
        ("sid", sid.into()),
        ("oid", (&it.oid).into()),
        ("spec_id", spec_id.into()),
        ("num", it.num.to_scaled().into()),
        ("price", it.price.to_scaled().into()),
        ("status", it.platform.status.into()),
        ("refund_status", it.platform.refund_status.into()),
        ("goods_name", (&it.platform.goods_name).into()),
        ("spec_name", (&it.platform.spec_name).into()),
        ("discount", it.platform.discount.to_scaled().into()),
        ("share_discount", it.platform.share_discount.to_scaled().into()),
        ("total_amount", it.platform.total_amount.to_scaled().into()),
        ("adjust_amount", it.platform.adjust_amount.to_scaled().into()),
        ("platform_goods_id", (&it.platform.platform_goods_id).into()),
        ("platform_spec_id", (&it.platform.platform_spec_id).into()),
        ("remark", (&it.platform.remark).into()),
    ]
}

fn opt_time(v: Option<&str>) -> Option<i64> {
    // Already checked by Fixture::parse.
    v.filter(|s| !s.is_empty()).and_then(|s| parse_wire_time(s).ok())
}

impl<'c, E: Executor> Importer<'c, E> {
    fn new(conn: &'c mut E, secrets: &'c SecretBox, sid: &str, now: i64) -> Self {
        let summary = ImportSummary::default();
        Importer { conn, secrets, sid: sid.to_owned(), now, summary, found: HashMap::new(), positions: HashMap::new() }
    }

    fn count(&mut self, change: Change) {
        match change {
            Change::Inserted => self.summary.inserted += 1,
            Change::Updated => self.summary.updated += 1,
            Change::Unchanged => {}
        }
    }

    async fn put(
        &mut self,
        table: &str,
        keys: &[(&str, Val)],
        data: &[(&str, Val)],
        update: bool,
    ) -> StoreResult<(i64, Change)> {
        self.put_new(table, keys, data, &[], update).await
    }

    /// Like `put`, with columns written only when the row is inserted.
    async fn put_new(
        &mut self,
        table: &str,
        keys: &[(&str, Val)],
        data: &[(&str, Val)],
        on_insert: &[(&str, Val)],
        update: bool,
    ) -> StoreResult<(i64, Change)> {
        let (id, change) = upsert(self.conn, table, keys, data, on_insert, update).await?;
        self.count(change);
        Ok((id, change))
    }

    /// A master record (warehouse, shop, logistics, provider, goods, spec): created and modified
    /// now when inserted, modified now when a value changed, as the setting queries read them.
    async fn put_master(&mut self, table: &str, keys: &[(&str, Val)], data: &[(&str, Val)]) -> StoreResult<i64> {
        let now = self.now;
        let (id, change) =
            self.put_new(table, keys, data, &[("created", now.into()), ("modified", now.into())], true).await?;
        if change == Change::Updated {
            query(format!("UPDATE {table} SET modified = ? WHERE id = ?"))
                .bind(now)
                .bind(id)
                .execute(self.conn)
                .await?;
        }
        Ok(id)
    }

    /// The id `sql` finds by the seller and `a` (and `b`), remembered once found.
    async fn id_of(&mut self, sql: &'static str, a: &str, b: Option<&str>) -> StoreResult<Option<i64>> {
        let key = (sql, a.to_owned(), b.map(str::to_owned));
        if let Some(id) = self.found.get(&key) {
            return Ok(Some(*id));
        }
        let mut q = query(sql).bind(self.sid.clone()).bind(a.to_owned());
        if let Some(b) = b {
            q = q.bind(b.to_owned());
        }
        let id = q.scalar_optional(self.conn).await?;
        if let Some(id) = id {
            self.found.insert(key, id);
        }
        Ok(id)
    }

    async fn warehouse(&mut self, no: &str, path: String) -> StoreResult<i64> {
        self.id_of("SELECT id FROM warehouses WHERE sid = ? AND warehouse_no = ?", no, None)
            .await?
            .ok_or_else(|| refused(path, format!("no warehouse {no}")))
    }

    async fn spec(&mut self, no: &str, path: String) -> StoreResult<i64> {
        self.id_of(SPEC_BY_NO, no, None).await?.ok_or_else(|| refused(path, format!("no spec (商家编码) {no}")))
    }

    async fn shop(&mut self, no: &str, path: String) -> StoreResult<i64> {
        self.id_of("SELECT id FROM shops WHERE sid = ? AND shop_no = ?", no, None)
            .await?
            .ok_or_else(|| refused(path, format!("no shop {no}")))
    }

    async fn provider(&mut self, no: &str, path: String) -> StoreResult<i64> {
        self.id_of("SELECT id FROM providers WHERE sid = ? AND provider_no = ?", no, None)
            .await?
            .ok_or_else(|| refused(path, format!("no provider {no}")))
    }

    async fn unit(&mut self, name: &str) -> StoreResult<i64> {
        let sid = self.sid.clone();
        Ok(self.put("units", &[("sid", (&sid).into()), ("name", name.into())], &[], false).await?.0)
    }

    async fn run(&mut self, f: &Fixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let now = self.now;
        self.put_new("sellers", &[("sid", (&sid).into())], &[], &[("created_at", now.into())], false).await?;
        for w in &f.warehouses {
            self.put_warehouse(w).await?;
        }
        for l in &f.logistics {
            self.put_logistics(l).await?;
        }
        for s in &f.shops {
            self.put_shop(s).await?;
        }
        for p in &f.providers {
            self.put_provider(p).await?;
        }
        for g in &f.goods {
            self.put_goods(g).await?;
        }
        for (i, a) in f.apps.iter().enumerate() {
            self.put_app(i, a).await?;
        }
        for (i, b) in f.batches.iter().enumerate() {
            self.put_batch(i, b).await?;
        }
        self.put_trades(&f.trades).await?;
        self.put_refund_orders(&f.refund_orders).await?;
        for (i, po) in f.purchase_orders.iter().enumerate() {
            self.put_purchase_order(i, po).await?;
        }
        self.put_stock(&f.stock).await?;
        Ok(())
    }

    /// A warehouse, its positions (the temporary one always among them) and its default position.
    async fn put_warehouse(&mut self, w: &WarehouseFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let wid = self
            .put_master(
                "warehouses",
                &[("sid", (&sid).into()), ("warehouse_no", (&w.warehouse_no).into())],
                &[
                    &[("kind", w.kind.as_str().into())][..],
                    &same_named!(w:
                        name, zip, address, province, city, district, mobile, telno, contact, remark,
                        sub_type, is_disabled, purchase_contact, purchase_telno, purchase_address
                    ),
                ]
                .concat(),
            )
            .await?;
        let mut default_id = None;
        let positions = w.positions.iter().map(|p| (p.as_str(), false));
        for (no, temporary) in positions.chain(std::iter::once((TEMPORARY_POSITION_NO, true))) {
            let (pid, _) = self
                .put(
                    "positions",
                    &[("warehouse_id", wid.into()), ("position_no", no.into())],
                    &[("sid", (&sid).into()), ("is_temporary", temporary.into())],
                    true,
                )
                .await?;
            if w.default_position.as_deref() == Some(no) {
                default_id = Some(pid);
            }
        }
        self.put("warehouses", &[("id", wid.into())], &[("default_position_id", Val::Int(default_id))], true).await?;
        Ok(())
    }

    async fn put_logistics(&mut self, l: &LogisticsFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let types = l.business_types.as_ref().map(|t| t.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
        self.put_master(
            "logistics",
            &[("sid", (&sid).into()), ("logistics_code", (&l.logistics_code).into())],
            &[
                &[("business_types", types.as_deref().into())][..],
                &same_named!(l:
                    name, logistics_type, contact, telno, mobile, address, remark, is_support_cod,
                    is_disabled
                ),
            ]
            .concat(),
        )
        .await?;
        Ok(())
    }

    async fn put_shop(&mut self, s: &ShopFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        self.put_master(
            "shops",
            &[("sid", (&sid).into()), ("shop_no", (&s.shop_no).into())],
            &same_named!(s:
                shop_name, platform_id, sub_platform_id, remark, contact, province, city, district, address,
                telno, mobile, zip, email, website, group_name, account_id, is_disabled, auth_state,
                auto_review_refunds
            ),
        )
        .await?;
        Ok(())
    }

    async fn put_provider(&mut self, p: &ProviderFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        self.put_master(
            "providers",
            &[("sid", (&sid).into()), ("provider_no", (&p.provider_no).into())],
            &same_named!(p:
                name, contact, telno, province, city, district, address, mobile, fax, zip, email, qq,
                wangwang, website, follower_name, description, remark, arrive_cycle_days, is_disabled,
                account_bank, collect_name, account_bank_no
            ),
        )
        .await?;
        Ok(())
    }

    /// Goods with their specs.
    async fn put_goods(&mut self, g: &GoodsFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        // No brand reads as the push writes it: `无`.
        let brand_name = if g.brand_name.trim().is_empty() { NONE_NAME } else { g.brand_name.as_str() };
        let gid = self
            .put_master(
                "goods",
                &[("sid", (&sid).into()), ("goods_no", (&g.goods_no).into())],
                &[
                    ("goods_name", (&g.goods_name).into()),
                    ("brand_no", (&g.brand_no).into()),
                    ("brand_name", brand_name.into()),
                ],
            )
            .await?;
        for s in &g.specs {
            self.put_spec(gid, s).await?;
        }
        Ok(())
    }

    /// A spec of goods `gid`, with its auxiliary units.
    async fn put_spec(&mut self, gid: i64, s: &SpecFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let base_unit = self.unit(&s.base_unit).await?;
        let prop = |i: usize| Val::from(s.props.get(i).map(String::as_str).unwrap_or(""));
        let spec_id = self
            .put_master(
                "specs",
                &[("sid", (&sid).into()), ("spec_no", (&s.spec_no).into())],
                &[
                    &[
                        ("goods_id", gid.into()),
                        ("base_unit_id", base_unit.into()),
                        ("prop1", prop(0)),
                        ("prop2", prop(1)),
                        ("prop3", prop(2)),
                        ("prop4", prop(3)),
                        ("prop5", prop(4)),
                        ("prop6", prop(5)),
                    ][..],
                    &same_named!(s: spec_name, spec_code, barcode, batch_managed, sn_managed, validity_days),
                ]
                .concat(),
            )
            .await?;
        for u in &s.units {
            self.put_spec_unit(spec_id, u).await?;
        }
        Ok(())
    }

    /// The ratio of auxiliary unit `u` to the base unit of spec `spec_id`.
    async fn put_spec_unit(&mut self, spec_id: i64, u: &UnitFixture) -> StoreResult<()> {
        let unit_id = self.unit(&u.name).await?;
        let existing: Option<i64> = query("SELECT ratio FROM spec_units WHERE spec_id = ? AND unit_id = ?")
            .bind(spec_id)
            .bind(unit_id)
            .scalar_optional(self.conn)
            .await?;
        let ratio = u.ratio.to_scaled();
        if existing == Some(ratio) {
            return Ok(());
        }
        query(
            "INSERT INTO spec_units (spec_id, unit_id, ratio) VALUES (?, ?, ?) \
             ON CONFLICT (spec_id, unit_id) DO UPDATE SET ratio = excluded.ratio",
        )
        .bind(spec_id)
        .bind(unit_id)
        .bind(ratio)
        .execute(self.conn)
        .await?;
        self.count(if existing.is_some() { Change::Updated } else { Change::Inserted });
        Ok(())
    }

    /// An app credential (`apps[i]`) and its warehouse and shop scopes.
    async fn put_app(&mut self, i: usize, a: &AppFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let key = a.app_key().unwrap_or_default();
        let (secret, salt) = match a.dialect {
            Dialect::Qjb => qjb::split_appsecret(&a.appsecret),
            Dialect::Openapi2 => (a.appsecret.as_str(), ""),
        };
        let stored = self.sealed_secret(a, key, secret).await?;
        let (app_id, _) = self
            .put(
                "apps",
                &[("sid", (&sid).into()), ("dialect", a.dialect.as_str().into()), ("app_key", key.into())],
                &[
                    ("secret", (&stored).into()),
                    ("salt", salt.into()),
                    ("all_warehouses", a.warehouses.is_none().into()),
                    ("all_shops", a.shops.is_none().into()),
                ],
                true,
            )
            .await?;
        let mut wanted = BTreeSet::new();
        for (j, no) in a.warehouses.iter().flatten().enumerate() {
            wanted.insert(self.warehouse(no, format!("apps[{i}].warehouses[{j}]")).await?);
        }
        self.scope(app_id, "app_warehouses", "warehouse_id", wanted).await?;
        let mut wanted = BTreeSet::new();
        for (j, no) in a.shops.iter().flatten().enumerate() {
            wanted.insert(self.shop(no, format!("apps[{i}].shops[{j}]")).await?);
        }
        self.scope(app_id, "app_shops", "shop_id", wanted).await
    }

    /// The sealed form of the app's secret to store. The secret is stored sealed; an unchanged
    /// secret keeps its stored form (a fresh nonce would otherwise rewrite it on every import).
    async fn sealed_secret(&mut self, a: &AppFixture, key: &str, secret: &str) -> StoreResult<String> {
        let existing = query("SELECT secret FROM apps WHERE sid = ? AND dialect = ? AND app_key = ?")
            .bind(&self.sid)
            .bind(a.dialect.as_str())
            .bind(key)
            .scalar_optional::<String>(self.conn)
            .await?;
        match existing {
            Some(old) if self.secrets.open(&old).is_ok_and(|plain| plain == secret) => Ok(old),
            _ => self.secrets.seal(secret),
        }
    }

    /// Makes the scope table of one app hold exactly `wanted`.
    async fn scope(&mut self, app_id: i64, table: &str, col: &str, wanted: BTreeSet<i64>) -> StoreResult<()> {
        let current: BTreeSet<i64> = query(format!("SELECT {col} FROM {table} WHERE app_id = ?"))
            .bind(app_id)
            .scalars(self.conn)
            .await?
            .into_iter()
            .collect();
        if current == wanted {
            return Ok(());
        }
        query(format!("DELETE FROM {table} WHERE app_id = ?")).bind(app_id).execute(self.conn).await?;
        for id in wanted {
            query(format!("INSERT INTO {table} (app_id, {col}) VALUES (?, ?)"))
                .bind(app_id)
                .bind(id)
                .execute(self.conn)
                .await?;
        }
        self.summary.updated += 1;
        Ok(())
    }

    /// A batch (`batches[i]`) of a spec loaded now or earlier.
    async fn put_batch(&mut self, i: usize, b: &BatchFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let spec_id = self.spec(&b.spec_no, format!("batches[{i}].spec_no")).await?;
        self.put_new(
            "batches",
            &[("sid", (&sid).into()), ("spec_id", spec_id.into()), ("batch_no", (&b.batch_no).into())],
            &[
                ("production_date", opt_time(b.production_date.as_deref()).into()),
                ("expire_date", opt_time(b.expire_date.as_deref()).into()),
            ],
            &[("created", self.now.into())],
            true,
        )
        .await?;
        Ok(())
    }

    /// The trades (`trades[]`) with their customers; the new ones (by `tid`) with their items,
    /// whose oids must be new to the seller. Each trade is resolved in fixture order (a refusal
    /// names the first bad one), then the new ones are inserted as one set.
    async fn put_trades(&mut self, trades: &[TradeFixture]) -> StoreResult<()> {
        if trades.is_empty() {
            return Ok(());
        }
        let sid = self.sid.clone();
        let mut known: HashSet<String> =
            self.numbers_in("trades", "tid", trades.iter().map(|t| t.tid.as_str()).collect()).await?;
        let oids =
            trades.iter().filter(|t| !known.contains(&t.tid)).flat_map(|t| t.items.iter().map(|it| it.oid.as_str()));
        let oids = oids.collect();
        let mut taken = self.numbers_in("trade_items", "oid", oids).await?;
        let mut rows = Vec::new();
        let mut items: Vec<(&str, Vec<(&'static str, Val)>)> = Vec::new();
        for (i, t) in trades.iter().enumerate() {
            let p = format!("trades[{i}]");
            let shop_id = self.shop(&t.shop_no, format!("{p}.shop_no")).await?;
            let customer_id = self.put_customer(t).await?;
            let pf = &t.platform;
            let time = |field: &str, v: &Option<String>| match v.as_deref().filter(|v| !v.trim().is_empty()) {
                None => Ok(None),
                Some(v) => {
                    parse_wire_time(v).map(Some).map_err(|e| refused(format!("{p}.platform.{field}"), e.to_string()))
                }
            };
            let (trade_time, pay_time) = (time("trade_time", &pf.trade_time)?, time("pay_time", &pf.pay_time)?);
            if !known.insert(t.tid.clone()) {
                continue;
            }
            rows.push(
                [
                    &[
                        ("sid", (&sid).into()),
                        ("tid", (&t.tid).into()),
                        ("trade_no", (&t.trade_no).into()),
                        ("shipped", t.shipped.into()),
                        ("shop_id", shop_id.into()),
                        ("customer_id", customer_id.into()),
                        ("created", self.now.into()),
                        ("modified", self.now.into()),
                        ("trade_time", trade_time.into()),
                        ("pay_time", pay_time.into()),
                        ("post_amount", pf.post_amount.to_scaled().into()),
                        ("discount", pf.discount.to_scaled().into()),
                        ("receivable", pf.receivable.to_scaled().into()),
                        ("paid", pf.paid.to_scaled().into()),
                    ][..],
                    &same_named!(pf:
                        trade_status, refund_status, pay_status, pay_method, delivery_term, buyer_nick, buyer_message, receiver_name, receiver_area,
                        receiver_address, receiver_zip, receiver_mobile, receiver_telno, remark
                    ),
                ]
                .concat(),
            );
            for (j, it) in t.items.iter().enumerate() {
                let ip = format!("{p}.items[{j}]");
                let spec_id = self.spec(&it.spec_no, format!("{ip}.spec_no")).await?;
                if !taken.insert(it.oid.clone()) {
                    return Err(refused(format!("{ip}.oid"), format!("oid {} belongs to another trade", it.oid)));
                }
                items.push((t.tid.as_str(), trade_item_row(&sid, spec_id, it)));
            }
        }
        let ids = self.insert_new("trades", rows, Some("tid")).await?;
        self.insert_new("trade_items", owned_by("trade_id", &ids, items)?, None).await?;
        Ok(())
    }

    /// The rows (`columns` of `t`) of the seller's `table` whose `column` is one of `numbers`.
    /// Where the backend binds arrays the list drives the lookup (`unnest` joined to the table),
    /// so each number is one probe of the seller's unique index whatever the table's statistics
    /// say: a bulk load outruns them, and `= ANY` planned on stale ones reads the seller's whole
    /// index instead.
    async fn rows_by_number(
        &mut self,
        table: &str,
        column: &str,
        columns: &str,
        numbers: BTreeSet<&str>,
    ) -> StoreResult<Vec<Row>> {
        if numbers.is_empty() {
            return Ok(Vec::new());
        }
        let qb = if self.conn.binds_arrays() {
            let list = Arg::Texts(numbers.into_iter().map(|n| Some(n.to_owned())).collect());
            query(format!(
                "SELECT {columns} FROM unnest(?) AS k (number) JOIN {table} t ON t.sid = ? AND t.{column} = k.number"
            ))
            .bind(list)
            .bind(&self.sid)
        } else {
            let mut qb =
                query(format!("SELECT {columns} FROM {table} t WHERE t.sid = ? AND t.{column}")).bind(&self.sid);
            qb.push_in(false, numbers);
            qb
        };
        Ok(qb.fetch_all(self.conn).await?)
    }

    /// Those of `numbers` the seller's `table` has in `column`.
    async fn numbers_in(&mut self, table: &str, column: &str, numbers: BTreeSet<&str>) -> StoreResult<HashSet<String>> {
        let rows = self.rows_by_number(table, column, &format!("t.{column}"), numbers).await?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    /// Inserts `rows` (each of the same columns) into `table` and counts them; with a `key`
    /// column, the new ids by its value.
    async fn insert_new(
        &mut self,
        table: &str,
        rows: Vec<Vec<(&'static str, Val)>>,
        key: Option<&str>,
    ) -> StoreResult<HashMap<String, i64>> {
        let Some(first) = rows.first() else { return Ok(HashMap::new()) };
        let columns: Vec<&str> = first.iter().map(|(c, _)| *c).collect();
        let head = format!("INSERT INTO {table} ({}) ", columns.join(", "));
        let values = rows.iter().flat_map(|r| r.iter().map(|(_, v)| Arg::from(v))).collect();
        let Some(key) = key else {
            write_rows(self.conn, &head, columns.len(), values, "").await?;
            self.summary.inserted += rows.len() as u64;
            return Ok(HashMap::new());
        };
        let inserted = write_rows(self.conn, &head, columns.len(), values, &format!(" RETURNING {key}, id")).await?;
        self.summary.inserted += inserted.len() as u64;
        Ok(inserted.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// The trade's customer, if it names one.
    async fn put_customer(&mut self, t: &TradeFixture) -> StoreResult<Option<i64>> {
        if t.customer_no.is_empty() {
            return Ok(None);
        }
        let sid = self.sid.clone();
        let (id, _) = self
            .put(
                "customers",
                &[("sid", (&sid).into()), ("customer_no", (&t.customer_no).into())],
                &[("customer_name", (&t.customer_name).into()), ("nick_name", (&t.nick_name).into())],
                true,
            )
            .await?;
        Ok(Some(id))
    }

    /// The refund orders (`refund_orders[]`) that are absent (by `refund_no`), with their items.
    /// Each is resolved in fixture order against its trade (a refusal names the first bad one),
    /// then the new ones are inserted as one set.
    async fn put_refund_orders(&mut self, orders: &[RefundOrderFixture]) -> StoreResult<()> {
        if orders.is_empty() {
            return Ok(());
        }
        let sid = self.sid.clone();
        let mut known = self
            .numbers_in("refund_orders", "refund_no", orders.iter().map(|r| r.refund_no.as_str()).collect())
            .await?;
        let new: Vec<(usize, &RefundOrderFixture)> =
            orders.iter().enumerate().filter(|(_, r)| known.insert(r.refund_no.clone())).collect();
        let trades = self.refunded_trades(&new).await?;
        let mut rows = Vec::new();
        let mut items: Vec<(&str, Vec<(&'static str, Val)>)> = Vec::new();
        for (i, r) in new {
            let p = format!("refund_orders[{i}]");
            let trade = trades.get(&r.tid).ok_or_else(|| refused(format!("{p}.tid"), format!("no trade {}", r.tid)))?;
            let (amount, lines) = self.refund_lines(&p, r, trade).await?;
            rows.push(self.refund_order_row(r, trade, amount));
            for (seq, (trade_item_id, spec_id, it)) in lines.into_iter().enumerate() {
                let row = vec![
                    ("seq", (seq as i64).into()),
                    ("sid", (&sid).into()),
                    ("oid", (&it.oid).into()),
                    ("trade_item_id", trade_item_id.into()),
                    ("spec_id", spec_id.into()),
                    ("refund_num", it.refund_num.to_scaled().into()),
                    ("stockin_num", it.stockin_num.to_scaled().into()),
                    ("opening_stockin_num", it.stockin_num.to_scaled().into()),
                    ("price", it.price.to_scaled().into()),
                    ("raw_refund_no", (&it.raw_refund_no).into()),
                ];
                items.push((r.refund_no.as_str(), row));
            }
        }
        let ids = self.insert_new("refund_orders", rows, Some("refund_no")).await?;
        self.insert_new("refund_order_items", owned_by("refund_order_id", &ids, items)?, None).await?;
        Ok(())
    }

    /// The trades the refund orders `new` name, by tid, with those of their items the orders
    /// name (found by oid: the seller's oids are unique and indexed).
    async fn refunded_trades(
        &mut self,
        new: &[(usize, &RefundOrderFixture)],
    ) -> StoreResult<HashMap<String, RefundedTrade>> {
        let tids: BTreeSet<&str> = new.iter().map(|(_, r)| r.tid.as_str()).collect();
        let mut trades: HashMap<String, RefundedTrade> = HashMap::new();
        if tids.is_empty() {
            return Ok(trades);
        }
        let mut by_id: HashMap<i64, String> = HashMap::new();
        for r in self.rows_by_number("trades", "tid", "t.id, t.tid, t.shop_id, t.customer_id", tids).await? {
            let trade = RefundedTrade { id: r.get(0), shop_id: r.get(2), customer_id: r.get(3), items: HashMap::new() };
            by_id.insert(trade.id, r.get(1));
            trades.insert(r.get(1), trade);
        }
        let oids: BTreeSet<&str> = new.iter().flat_map(|(_, r)| r.items.iter().map(|it| it.oid.as_str())).collect();
        if by_id.is_empty() || oids.is_empty() {
            return Ok(trades);
        }
        for r in self.rows_by_number("trade_items", "oid", "t.trade_id, t.oid, t.id, t.spec_id", oids).await? {
            if let Some(trade) = by_id.get(&r.get::<i64, _>(0)).and_then(|tid| trades.get_mut(tid)) {
                trade.items.insert(r.get(1), (r.get(2), r.get(3)));
            }
        }
        Ok(trades)
    }

    /// The items of refund order `r` (at path `p`) matched to the items of its `trade`, and the
    /// order's amount.
    async fn refund_lines<'f>(
        &mut self,
        p: &str,
        r: &'f RefundOrderFixture,
        trade: &RefundedTrade,
    ) -> StoreResult<(Dec4, Vec<RefundLine<'f>>)> {
        let mut amount = Dec4::ZERO;
        let mut items = Vec::new();
        for (j, it) in r.items.iter().enumerate() {
            let ip = format!("{p}.items[{j}]");
            let spec_id = self.spec(&it.spec_no, format!("{ip}.spec_no")).await?;
            let &(item_id, item_spec) = trade
                .items
                .get(&it.oid)
                .ok_or_else(|| refused(format!("{ip}.oid"), format!("trade {} has no item {}", r.tid, it.oid)))?;
            if item_spec != spec_id {
                return Err(refused(
                    format!("{ip}.spec_no"),
                    format!("item {} of trade {} is not {}", it.oid, r.tid, it.spec_no),
                ));
            }
            amount = it
                .refund_num
                .mul_round(it.price)
                .and_then(|v| v.checked_add(amount))
                .ok_or_else(|| refused(format!("{ip}.price"), "amount out of range".to_owned()))?;
            items.push((item_id, spec_id, it));
        }
        Ok((amount, items))
    }

    /// The columns of new refund order `r` of `trade`, whose items come to `amount`.
    fn refund_order_row(
        &self,
        r: &RefundOrderFixture,
        trade: &RefundedTrade,
        amount: Dec4,
    ) -> Vec<(&'static str, Val)> {
        let total_expected: i64 = r.items.iter().map(|it| it.refund_num.to_scaled()).sum();
        let total_received: i64 = r.items.iter().map(|it| it.stockin_num.to_scaled()).sum();
        let receipt = if r.refund_type == RefundOrderType::Return {
            receipt_state(Dec4::from_scaled(total_expected), Dec4::from_scaled(total_received))
        } else {
            RefundReceiptState::NotExpected
        };
        let refund_amount = r.refund_amount.unwrap_or(amount);
        let actual_refund_amount = r.actual_refund_amount.unwrap_or(refund_amount);
        [
            &[
                ("sid", (&self.sid).into()),
                ("refund_no", (&r.refund_no).into()),
                ("trade_id", trade.id.into()),
                ("shop_id", trade.shop_id.into()),
                ("customer_id", trade.customer_id.into()),
                ("type", r.refund_type.code().into()),
                ("status", r.status.code().into()),
                ("stockin_status", receipt.code().into()),
                ("refund_amount", refund_amount.to_scaled().into()),
                ("actual_refund_amount", actual_refund_amount.to_scaled().into()),
                ("created", self.now.into()),
                ("modified", self.now.into()),
            ][..],
            &same_named!(r: reason, remark, return_logistics_name, return_logistics_no),
        ]
        .concat()
    }

    /// A purchase order (`purchase_orders[i]`); its lines only when the order is new.
    async fn put_purchase_order(&mut self, i: usize, po: &PurchaseOrderFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let p = format!("purchase_orders[{i}]");
        let provider_id = self.provider(&po.provider_no, format!("{p}.provider_no")).await?;
        let warehouse_id = self.warehouse(&po.warehouse_no, format!("{p}.warehouse_no")).await?;
        let mut lines = Vec::new();
        for (j, d) in po.details.iter().enumerate() {
            lines.push((self.spec(&d.spec_no, format!("{p}.details[{j}].spec_no")).await?, d));
        }
        let receive_warehouse_id = match &po.receive_warehouse_no {
            Some(no) => self.warehouse(no, format!("{p}.receive_warehouse_no")).await?,
            None => warehouse_id,
        };
        let logistics_id = match po.logistics_no.as_deref().filter(|c| !c.is_empty()) {
            Some(code) => Some(
                self.id_of("SELECT id FROM logistics WHERE sid = ? AND logistics_code = ?", code, None)
                    .await?
                    .ok_or_else(|| refused(format!("{p}.logistics_no"), format!("no logistics company {code}")))?,
            ),
            None => None,
        };
        let time = |path: String, v: &Option<String>| match v.as_deref().filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => parse_wire_time(t).map(Some).map_err(|e| refused(path, e.to_string())),
        };
        let expect_time = time(format!("{p}.expect_time"), &po.expect_time)?;
        let check_time = (po.status != PurchaseOrderStatus::Editing && po.status != PurchaseOrderStatus::Cancelled)
            .then_some(self.now);
        let (po_id, change) = self
            .put(
                "purchase_orders",
                &[("sid", (&sid).into()), ("purchase_no", (&po.purchase_no).into())],
                &[
                    &[
                        ("provider_id", provider_id.into()),
                        ("warehouse_id", warehouse_id.into()),
                        ("status", po.status.code().into()),
                        ("created", self.now.into()),
                        ("modified", self.now.into()),
                        ("receive_warehouse_id", receive_warehouse_id.into()),
                        ("expect_time", expect_time.into()),
                        ("post_fee", po.post_fee.to_scaled().into()),
                        ("other_fee", po.other_fee.to_scaled().into()),
                        ("logistics_id", logistics_id.into()),
                        ("check_time", check_time.into()),
                    ][..],
                    &same_named!(po:
                        purchaser_name, apply_nos, receive_address, contact, telno, flag_name, pay_type,
                        postfee_pay_type, remark, prop1, prop2, prop3, prop4
                    ),
                ]
                .concat(),
                false,
            )
            .await?;
        if change != Change::Inserted {
            return Ok(());
        }
        for (j, (spec_id, d)) in lines.into_iter().enumerate() {
            let line = format!("{p}.details[{j}]");
            let discount = d.discount.unwrap_or(Dec4::ONE);
            let (price, tax_price) = line_prices(d.price, discount, d.tax_rate, Dec4::ONE)
                .ok_or_else(|| refused(format!("{line}.price"), format!("price out of range: {}", d.price)))?;
            let line = PlannedOrderLine {
                spec_id,
                num: d.num,
                price,
                unit_id: None,
                unit_ratio: Dec4::ONE,
                list_price: d.price,
                discount,
                tax_rate: d.tax_rate,
                tax_price,
                remark: d.remark.clone(),
                props: [d.prop1.clone(), d.prop2.clone(), d.prop3.clone(), d.prop4.clone()],
                batch_no: d.batch_no.clone(),
                expire_date: time(format!("{line}.expire_date"), &d.expire_date)?,
            };
            crate::purchase_order::insert_line(self.conn, po_id, &line).await?;
            self.summary.inserted += 1;
        }
        Ok(())
    }

    /// The opening stock lines (`stock[]`) whose rows are absent: their rows, the ledger rows of
    /// those with a quantity, the moving-average cost of each warehouse × spec they join, and
    /// their serial numbers. The lines are resolved one by one (refusals name the first bad one),
    /// then read, decided ([`opening_stock::plan`]) and written as one set.
    async fn put_stock(&mut self, stock: &[StockFixture]) -> StoreResult<()> {
        if stock.is_empty() {
            return Ok(());
        }
        // A fixture of opening stock names thousands of specs once each: found in one lookup.
        let spec_nos = stock.iter().map(|s| s.spec_no.as_str()).collect();
        for r in self.rows_by_number("specs", "spec_no", "t.spec_no, t.id", spec_nos).await? {
            self.found.insert((SPEC_BY_NO, r.get(0), None), r.get(1));
        }
        let mut lines = Vec::with_capacity(stock.len());
        for (i, s) in stock.iter().enumerate() {
            let p = format!("stock[{i}]");
            let warehouse_id = self.warehouse(&s.warehouse_no, format!("{p}.warehouse_no")).await?;
            let spec_id = self.spec(&s.spec_no, format!("{p}.spec_no")).await?;
            let batch_id = self.stock_batch(&p, spec_id, s).await?;
            let position_id = self.stock_position(&p, warehouse_id, s).await?;
            let key = (warehouse_id, spec_id, s.defect, batch_id, position_id);
            lines.push(OpeningLine { key, num: s.num, cost_price: s.cost_price });
        }
        let state = self.opening_state(&lines).await?;
        let plan = opening_stock::plan(&lines, &state).map_err(|e| {
            refused(format!("stock[{}].num", e.line), format!("stock out of range: {}", stock[e.line].num))
        })?;
        self.write_opening(&lines, &plan).await?;
        for &i in &plan.opened {
            self.put_serial_numbers(&format!("stock[{i}]"), lines[i].key, &stock[i]).await?;
        }
        Ok(())
    }

    /// Which of the lines' rows exist, and the stock and cost of the warehouse × specs they join.
    async fn opening_state(&mut self, lines: &[OpeningLine]) -> StoreResult<OpeningState> {
        let mut state = OpeningState::default();
        let keys = lines
            .iter()
            .flat_map(|l| {
                let (w, spec, defect, batch, position) = l.key;
                [w.into(), spec.into(), defect.into(), batch.into(), position.into()]
            })
            .collect();
        let head = "WITH k (w, spec, defect, batch, position) AS (";
        let tail = ") SELECT s.warehouse_id, s.spec_id, s.defect, s.batch_id, s.position_id FROM k \
            JOIN stock s ON s.warehouse_id = k.w AND s.spec_id = k.spec AND s.defect = k.defect \
            AND s.batch_id = k.batch AND s.position_id = k.position";
        for r in write_rows(self.conn, head, 5, keys, tail).await? {
            state.existing.insert((r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)));
        }
        let pairs: BTreeSet<WarehouseSpec> = lines.iter().map(OpeningLine::warehouse_spec).collect();
        let pair_rows = || pairs.iter().flat_map(|(w, spec)| [w.into(), spec.into()]).collect::<Vec<Arg>>();
        let head = "WITH k (w, spec) AS (";
        let tail = ") SELECT k.w, k.spec, CAST(SUM(s.num) AS BIGINT) FROM k \
            JOIN stock_specs s ON s.warehouse_id = k.w AND s.spec_id = k.spec GROUP BY k.w, k.spec";
        for r in write_rows(self.conn, head, 2, pair_rows(), tail).await? {
            state.on_hand.insert((r.get(0), r.get(1)), Dec4::from_scaled(r.get(2)));
        }
        let tail = ") SELECT k.w, k.spec, c.cost_price FROM k \
            JOIN stock_costs c ON c.warehouse_id = k.w AND c.spec_id = k.spec";
        for r in write_rows(self.conn, head, 2, pair_rows(), tail).await? {
            state.costs.insert((r.get(0), r.get(1)), Dec4::from_scaled(r.get(2)));
        }
        Ok(state)
    }

    /// Writes what `plan` opens: the stock rows, the opening ledger rows of the lines with a
    /// quantity (from 0, at the line's cost price) and the costs.
    async fn write_opening(&mut self, lines: &[OpeningLine], plan: &OpeningPlan) -> StoreResult<()> {
        let sid = self.sid.clone();
        let now = self.now;
        let opened = || plan.opened.iter().map(|&i| &lines[i]);
        let mut stock: Vec<Arg> = Vec::with_capacity(plan.opened.len() * 8);
        let mut ledger: Vec<Arg> = Vec::new();
        for line in opened() {
            let (w, spec, defect, batch, position) = line.key;
            let num = line.num.to_scaled();
            stock.extend([
                (&sid).into(),
                w.into(),
                spec.into(),
                defect.into(),
                batch.into(),
                position.into(),
                num.into(),
                now.into(),
            ]);
            if !line.num.is_zero() {
                ledger.extend([
                    (&sid).into(),
                    LedgerDocType::Opening.code().into(),
                    0i64.into(),
                    OPENING_DOC_NO.into(),
                    w.into(),
                    spec.into(),
                    position.into(),
                    batch.into(),
                    defect.into(),
                    0i64.into(),
                    num.into(),
                    num.into(),
                    line.cost_price.to_scaled().into(),
                    now.into(),
                ]);
            }
        }
        // A row another transaction opened since the lines were read fails the import whole.
        let head = "INSERT INTO stock (sid, warehouse_id, spec_id, defect, batch_id, position_id, num, last_in_at) ";
        write_rows(self.conn, head, 8, stock, "").await?;
        let head = "INSERT INTO stock_ledger (sid, doc_type, doc_id, doc_no, warehouse_id, spec_id, position_id, \
            batch_id, defect, num_before, num_change, num_after, cost_price, created) ";
        write_rows(self.conn, head, 14, ledger, "").await?;
        let costs = plan
            .costs
            .iter()
            .flat_map(|((w, spec), cost)| [w.into(), spec.into(), (&sid).into(), cost.to_scaled().into()]);
        let head = "INSERT INTO stock_costs (warehouse_id, spec_id, sid, cost_price) ";
        let tail = " ON CONFLICT (warehouse_id, spec_id) DO UPDATE SET cost_price = excluded.cost_price";
        write_rows(self.conn, head, 4, costs.collect(), tail).await?;
        self.summary.inserted += plan.opened.len() as u64;
        Ok(())
    }

    /// The batch id of a stock line (at path `p`), 0 when it names none.
    async fn stock_batch(&mut self, p: &str, spec_id: i64, s: &StockFixture) -> StoreResult<i64> {
        let Some(no) = s.batch_no.as_deref().filter(|no| !no.is_empty()) else {
            return Ok(0);
        };
        query("SELECT id FROM batches WHERE sid = ? AND spec_id = ? AND batch_no = ?")
            .bind(&self.sid)
            .bind(spec_id)
            .bind(no)
            .scalar_optional(self.conn)
            .await?
            .ok_or_else(|| refused(format!("{p}.batch_no"), format!("no batch {no} of {}", s.spec_no)))
    }

    /// The position of a stock line (at path `p`): the one it names, else the warehouse's default,
    /// else its temporary position.
    async fn stock_position(&mut self, p: &str, warehouse_id: i64, s: &StockFixture) -> StoreResult<i64> {
        let key = (warehouse_id, s.position_no.clone());
        if let Some(id) = self.positions.get(&key) {
            return Ok(*id);
        }
        let id = match &s.position_no {
            None => {
                query(
                    "SELECT COALESCE(w.default_position_id, (SELECT id FROM positions WHERE warehouse_id = w.id AND is_temporary)) \
                     FROM warehouses w WHERE w.id = ?",
                )
                .bind(warehouse_id)
                .scalar(self.conn)
                .await?
            }
            Some(no) => query("SELECT id FROM positions WHERE warehouse_id = ? AND position_no = ?")
                .bind(warehouse_id)
                .bind(no)
                .scalar_optional(self.conn)
                .await?
                .ok_or_else(|| {
                    refused(format!("{p}.position_no"), format!("warehouse {} has no position {no}", s.warehouse_no))
                })?,
        };
        self.positions.insert(key, id);
        Ok(id)
    }

    /// The serial numbers of a new stock line (at path `p`); each must be new to its spec.
    async fn put_serial_numbers(&mut self, p: &str, key: StockKey, s: &StockFixture) -> StoreResult<()> {
        let sid = self.sid.clone();
        let (warehouse_id, spec_id, ..) = key;
        for (k, sn) in s.sn.iter().enumerate() {
            let (_, change) = self
                .put(
                    "serial_numbers",
                    &[("sid", (&sid).into()), ("spec_id", spec_id.into()), ("sn", sn.into())],
                    &[("in_stock", true.into()), ("warehouse_id", warehouse_id.into())],
                    false,
                )
                .await?;
            if change != Change::Inserted {
                return Err(refused(format!("{p}.sn[{k}]"), format!("serial number {sn} is already loaded")));
            }
        }
        Ok(())
    }
}

/// Loads `fixture` through the open write transaction `tx`.
pub(crate) async fn import(
    conn: &mut impl Executor,
    secrets: &SecretBox,
    fixture: &Fixture,
    now: i64,
) -> StoreResult<ImportSummary> {
    if let Some(sql) = conn.bulk_load() {
        query(sql).execute(conn).await?;
    }
    let mut importer = Importer::new(conn, secrets, &fixture.sid, now);
    importer.run(fixture).await?;
    Ok(importer.summary)
}

/// Upserts a master record pushed through the API for seller `sid`, in the open write
/// transaction, with the importer's own upserts (`put_goods`, `put_provider`): created and
/// modified set as a fixture import sets them, a repeated push changing nothing.
///
/// The seller's row is locked first, so concurrent pushes of one seller run one after the other
/// on every backend (on PostgreSQL the second waits for the first to commit, then sees its rows
/// and updates them instead of racing it to the unique keys).
pub(crate) async fn push_master(
    conn: &mut impl Executor,
    secrets: &SecretBox,
    sid: &str,
    push: &MasterPush,
    now: i64,
) -> StoreResult<MasterPushed> {
    query("UPDATE sellers SET created_at = created_at WHERE sid = ?").bind(sid).execute(conn).await?;
    let mut importer = Importer::new(conn, secrets, sid, now);
    let id = match push {
        MasterPush::Goods(plan) => importer.push_goods(plan).await?,
        MasterPush::Provider(p) => importer.push_provider(p).await?,
    };
    Ok(MasterPushed { id, summary: importer.summary })
}

impl<E: Executor> Importer<'_, E> {
    /// `goods.Goods.push`: the state-dependent checks, the values kept from the stored specs,
    /// then [`Self::put_goods`]; the goods' id.
    async fn push_goods(&mut self, plan: &GoodsPlan) -> StoreResult<i64> {
        let mut goods = plan.goods.clone();
        goods.brand_no = self.pushed_brand(&goods.brand_name, plan.create_brand).await?;
        for (index, spec) in goods.specs.iter_mut().enumerate() {
            self.keep_stored_spec_values(&goods.goods_no, index, spec).await?;
        }
        self.put_goods(&goods).await?;
        query("SELECT id FROM goods WHERE sid = ? AND goods_no = ?")
            .bind(&self.sid)
            .bind(&goods.goods_no)
            .scalar(self.conn)
            .await
            .map_err(db_err)
    }

    /// The brand number of brand `name` (the one its goods carry, empty when none does). A brand
    /// no goods has is refused unless `create`; `无` is no brand.
    async fn pushed_brand(&mut self, name: &str, create: bool) -> StoreResult<String> {
        if name == NONE_NAME {
            return Ok(String::new());
        }
        let row = query("SELECT COUNT(*), COALESCE(MAX(brand_no), '') FROM goods WHERE sid = ? AND brand_name = ?")
            .bind(&self.sid)
            .bind(name)
            .fetch_optional(self.conn)
            .await?;
        let (count, brand_no) = row.map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1))).unwrap_or_default();
        if count == 0 && !create {
            return Err(StoreError::Api(ApiError::Business(format!("品牌不存在 brand_name: {name}"))));
        }
        Ok(brand_no)
    }

    /// Refuses a `spec_no` of other goods; keeps what the page cannot say from the stored spec:
    /// its batch flag and the ratio of an auxiliary unit it already has.
    async fn keep_stored_spec_values(
        &mut self,
        goods_no: &str,
        index: usize,
        spec: &mut SpecFixture,
    ) -> StoreResult<()> {
        let stored = query(
            "SELECT s.id, g.goods_no, s.batch_managed FROM specs s JOIN goods g ON g.id = s.goods_id \
             WHERE s.sid = ? AND s.spec_no = ?",
        )
        .bind(&self.sid)
        .bind(&spec.spec_no)
        .fetch_optional(self.conn)
        .await?;
        let Some(stored) = stored else { return Ok(()) };
        if stored.get::<String, _>("goods_no") != goods_no {
            let path = LinePath { list: ARG_SPECS, index, field: "spec_no" };
            return Err(StoreError::Api(ApiError::Business(format!("商家编码已存在 {path}: {}", spec.spec_no))));
        }
        spec.batch_managed = stored.get("batch_managed");
        let spec_id: i64 = stored.get("id");
        for unit in &mut spec.units {
            let ratio: Option<i64> = query(
                "SELECT su.ratio FROM spec_units su JOIN units u ON u.id = su.unit_id WHERE su.spec_id = ? AND u.name = ?",
            )
            .bind(spec_id)
            .bind(&unit.name)
            .scalar_optional(self.conn)
            .await?;
            if let Some(ratio) = ratio {
                unit.ratio = Dec4::from_scaled(ratio);
            }
        }
        Ok(())
    }

    /// `setting.PurchaseProvider.push`: a name another provider has is refused, then
    /// [`Self::put_provider`]; the provider's id.
    async fn push_provider(&mut self, p: &ProviderFixture) -> StoreResult<i64> {
        let other: Option<String> =
            query("SELECT provider_no FROM providers WHERE sid = ? AND name = ? AND provider_no <> ?")
                .bind(&self.sid)
                .bind(&p.name)
                .bind(&p.provider_no)
                .scalar_optional(self.conn)
                .await?;
        if other.is_some() {
            return Err(StoreError::Api(ApiError::Business(format!("供应商名称不能重复 provider_name: {}", p.name))));
        }
        self.put_provider(p).await?;
        query("SELECT id FROM providers WHERE sid = ? AND provider_no = ?")
            .bind(&self.sid)
            .bind(&p.provider_no)
            .scalar(self.conn)
            .await
            .map_err(db_err)
    }
}
