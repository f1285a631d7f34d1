-- purchase.PurchaseOrder.createOrder: what the page's params and purchase_details carry beyond
-- what a purchase order kept so far. The order's warehouse (warehouse_id) is its expected one
-- (预计入库仓库); receive_warehouse_id is where it is received (NULL: the same). A line keeps its
-- quantity in base units at a net untaxed price per base unit (num, price, as before), and beside
-- them the unit it was pushed in, the pushed price, discount, tax and the taxed price. Orders
-- written before keep the defaults, their list and taxed prices their price.
ALTER TABLE purchase_orders ADD COLUMN receive_warehouse_id INTEGER REFERENCES warehouses(id);
ALTER TABLE purchase_orders ADD COLUMN purchaser_name TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN apply_nos TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN receive_address TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN telno TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN flag_name TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN expect_time INTEGER;
ALTER TABLE purchase_orders ADD COLUMN pay_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_orders ADD COLUMN postfee_pay_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_orders ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN post_fee INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_orders ADD COLUMN other_fee INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_orders ADD COLUMN logistics_id INTEGER REFERENCES logistics(id);
ALTER TABLE purchase_orders ADD COLUMN prop1 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN prop2 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN prop3 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN prop4 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN check_time INTEGER;
ALTER TABLE purchase_order_items ADD COLUMN unit_id INTEGER REFERENCES units(id);
ALTER TABLE purchase_order_items ADD COLUMN unit_ratio INTEGER NOT NULL DEFAULT 10000;
ALTER TABLE purchase_order_items ADD COLUMN list_price INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_order_items ADD COLUMN discount INTEGER NOT NULL DEFAULT 10000;
ALTER TABLE purchase_order_items ADD COLUMN tax_rate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_order_items ADD COLUMN tax_price INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_order_items ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_order_items ADD COLUMN prop1 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_order_items ADD COLUMN prop2 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_order_items ADD COLUMN prop3 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_order_items ADD COLUMN prop4 TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_order_items ADD COLUMN batch_no TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_order_items ADD COLUMN expire_date INTEGER;
UPDATE purchase_order_items SET list_price = price, tax_price = price;
