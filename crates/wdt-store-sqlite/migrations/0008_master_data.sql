-- Master data as the setting queries show it (SPEC.md §9): the fields of
-- setting.Warehouse.queryWarehouse, setting.Shop.queryShop, setting.Logistics.queryLogistics and
-- setting.PurchaseProvider.queryDetail, and created/modified times (epoch ms) on every master
-- table, for the queries' windows and their (modified, id) order. Rows that exist already take
-- their seller's creation time.

ALTER TABLE warehouses ADD COLUMN zip TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN district TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN telno TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN sub_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE warehouses ADD COLUMN is_disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE warehouses ADD COLUMN purchase_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN purchase_telno TEXT NOT NULL DEFAULT '';
ALTER TABLE warehouses ADD COLUMN purchase_address TEXT NOT NULL DEFAULT '';

ALTER TABLE shops ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN district TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN telno TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN zip TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN is_disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN auth_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;

ALTER TABLE logistics ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE logistics ADD COLUMN telno TEXT NOT NULL DEFAULT '';
ALTER TABLE logistics ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
ALTER TABLE logistics ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE logistics ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE logistics ADD COLUMN is_support_cod INTEGER NOT NULL DEFAULT 0;
ALTER TABLE logistics ADD COLUMN is_disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE logistics ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE logistics ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;

ALTER TABLE providers ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN fax TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN zip TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN qq TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN wangwang TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN follower_name TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN arrive_cycle_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN is_disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN account_bank TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN collect_name TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN account_bank_no TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;

ALTER TABLE goods ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE goods ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;

ALTER TABLE specs ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE specs ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;

UPDATE shops SET created = (SELECT s.created_at FROM sellers s WHERE s.sid = shops.sid), modified = (SELECT s.created_at FROM sellers s WHERE s.sid = shops.sid);
UPDATE logistics SET created = (SELECT s.created_at FROM sellers s WHERE s.sid = logistics.sid), modified = (SELECT s.created_at FROM sellers s WHERE s.sid = logistics.sid);
UPDATE providers SET created = (SELECT s.created_at FROM sellers s WHERE s.sid = providers.sid), modified = (SELECT s.created_at FROM sellers s WHERE s.sid = providers.sid);
UPDATE goods SET created = (SELECT s.created_at FROM sellers s WHERE s.sid = goods.sid), modified = (SELECT s.created_at FROM sellers s WHERE s.sid = goods.sid);
UPDATE specs SET created = (SELECT s.created_at FROM sellers s WHERE s.sid = specs.sid), modified = (SELECT s.created_at FROM sellers s WHERE s.sid = specs.sid);
CREATE INDEX warehouses_by_modified ON warehouses (sid, modified, id);
CREATE INDEX shops_by_modified ON shops (sid, modified, id);
CREATE INDEX logistics_by_modified ON logistics (sid, modified, id);
CREATE INDEX providers_by_modified ON providers (sid, modified, id);
CREATE INDEX goods_by_modified ON goods (sid, modified, id);
CREATE INDEX specs_by_modified ON specs (sid, modified, id);
