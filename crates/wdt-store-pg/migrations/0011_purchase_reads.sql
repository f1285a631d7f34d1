-- Reading purchase orders back (purchase.PurchaseOrder.queryWithDetail): their last change, the
-- time the query's window and order apply to. Purchase orders change only when loaded, so an
-- order's modified time is its creation until something writes it.
ALTER TABLE purchase_orders ADD COLUMN modified BIGINT NOT NULL DEFAULT 0;
UPDATE purchase_orders SET modified = created;
CREATE INDEX purchase_orders_by_modified ON purchase_orders (sid, modified, id);
CREATE INDEX purchase_returns_by_modified ON purchase_returns (sid, modified, id);
