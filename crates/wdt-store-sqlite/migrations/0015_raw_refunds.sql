-- aftersales.refund.RawRefund.upload / upload2 (原始退款单推送, SPEC.md §8): raw refunds as a shop's
-- platform pushed them, one row per refund_no with one item per sub-order (oid), each converted
-- at once (递交) into the refund order (退换单) it became. Decimals scaled by 10^4, times epoch ms.
-- A shop may create those refund orders reviewed (30) instead of pending review (20); a refund
-- order keeps the return logistics its raw refunds carried, and each item the raw refund it came
-- from.
ALTER TABLE shops ADD COLUMN auto_review_refunds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE refund_orders ADD COLUMN return_logistics_name TEXT NOT NULL DEFAULT '';
ALTER TABLE refund_orders ADD COLUMN return_logistics_no TEXT NOT NULL DEFAULT '';
ALTER TABLE refund_order_items ADD COLUMN raw_refund_no TEXT NOT NULL DEFAULT '';

CREATE TABLE raw_refunds (
    id                     INTEGER PRIMARY KEY,
    sid                    TEXT NOT NULL REFERENCES sellers(sid),
    shop_id                INTEGER NOT NULL REFERENCES shops(id),
    refund_no              TEXT NOT NULL,
    trade_id               INTEGER NOT NULL REFERENCES trades(id),
    tid                    TEXT NOT NULL,
    oid                    TEXT NOT NULL,                -- the first line's
    type                   INTEGER NOT NULL,             -- as pushed: 0 取消订单 1 退款 2 退货 3 换货 4 退款不退货
    status                 INTEGER NOT NULL,             -- platform status as pushed: 1..5
    process_status         INTEGER NOT NULL,             -- 0 待递交 15 已递交 20 递交失败 40 已处理
    refund_version         TEXT NOT NULL,
    refund_amount          INTEGER NOT NULL DEFAULT 0,
    actual_refund_amount   INTEGER NOT NULL DEFAULT 0,
    title                  TEXT NOT NULL DEFAULT '',
    logistics_name         TEXT NOT NULL DEFAULT '',
    logistics_no           TEXT NOT NULL DEFAULT '',
    buyer_nick             TEXT NOT NULL DEFAULT '',
    refund_time            INTEGER,
    current_phase_timeout  INTEGER,
    is_aftersale           INTEGER NOT NULL DEFAULT 0,
    reason                 TEXT NOT NULL DEFAULT '',
    pay_account            TEXT NOT NULL DEFAULT '',
    pay_no                 TEXT NOT NULL DEFAULT '',
    remark                 TEXT NOT NULL DEFAULT '',
    modify_flag            INTEGER NOT NULL DEFAULT 0,
    refund_order_id        INTEGER REFERENCES refund_orders(id),   -- the 退换单 it became; NULL for type 3
    created                INTEGER NOT NULL,
    modified               INTEGER NOT NULL,
    UNIQUE (sid, shop_id, refund_no)
) STRICT;
CREATE INDEX raw_refunds_by_modified ON raw_refunds (sid, modified, id);
CREATE INDEX raw_refunds_by_trade ON raw_refunds (trade_id);

CREATE TABLE raw_refund_items (
    id                 INTEGER PRIMARY KEY,
    raw_refund_id      INTEGER NOT NULL REFERENCES raw_refunds(id),
    seq                INTEGER NOT NULL,
    oid                TEXT NOT NULL,
    trade_item_id      INTEGER NOT NULL REFERENCES trade_items(id),
    status             INTEGER NOT NULL,
    num                INTEGER NOT NULL,
    price              INTEGER NOT NULL DEFAULT 0,
    total_amount       INTEGER NOT NULL DEFAULT 0,
    platform_goods_id  TEXT NOT NULL DEFAULT '',
    platform_goods_no  TEXT NOT NULL DEFAULT '',
    platform_spec_id   TEXT NOT NULL DEFAULT '',
    platform_spec_no   TEXT NOT NULL DEFAULT '',
    remark             TEXT NOT NULL DEFAULT '',
    refund_time        INTEGER,
    created            INTEGER NOT NULL,
    modified           INTEGER NOT NULL,
    UNIQUE (raw_refund_id, oid)
) STRICT;
