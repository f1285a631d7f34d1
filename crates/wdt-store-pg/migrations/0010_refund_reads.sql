-- The refund order query (SPEC.md §9): aftersales.refund.Refund.search pages a seller's refund
-- orders in (modified, id) order, and finds a refund order's return warehouse through its first
-- stock-in (stockin_orders_by_refund covers that).
CREATE INDEX refund_orders_by_modified ON refund_orders (sid, modified, id);
