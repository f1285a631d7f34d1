-- The page query of `queryWithDetail` skips and counts stock-ins by time window and drops those of
-- hidden platforms (淘系, 系统供销), which hang off the refund order's shop. With the shop copied
-- onto the stock-in and carried in the time indexes, a page is found in the index alone: before,
-- every row of the window up to the page's offset cost a visit to its stock-in and its refund
-- order.
--
-- `shop_id` is the refund order's shop, written with the stock-in; a refund order never changes
-- shop. It has no reference of its own (the refund order's covers it); `verify` reports any
-- stock-in whose shop differs from its refund order's.
ALTER TABLE stockin_orders ADD COLUMN shop_id BIGINT;
UPDATE stockin_orders o SET shop_id = r.shop_id FROM refund_orders r WHERE r.id = o.refund_order_id;
ALTER TABLE stockin_orders ALTER COLUMN shop_id SET NOT NULL;

DROP INDEX stockin_orders_by_modified;
DROP INDEX stockin_orders_by_check_time;
CREATE INDEX stockin_orders_by_modified ON stockin_orders (sid, modified, id) INCLUDE (shop_id);
CREATE INDEX stockin_orders_by_check_time ON stockin_orders (sid, check_time, id) INCLUDE (shop_id);
