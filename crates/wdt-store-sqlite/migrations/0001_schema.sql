-- The whole returns-warehouse domain (SPEC.md §3).
-- Conventions: every table carries `sid`; money and quantities are Decimal(19,4) stored as
-- INTEGER scaled by 10^4 (columns named *_x4 would be noise: every quantity/price/cost column is
-- scaled); times are UTC epoch milliseconds; booleans are 0/1.

CREATE TABLE sellers (
    id          INTEGER PRIMARY KEY,
    sid         TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE apps (
    id             INTEGER PRIMARY KEY,
    sid            TEXT NOT NULL REFERENCES sellers(sid),
    dialect        TEXT NOT NULL CHECK (dialect IN ('qjb', 'openapi2')),
    app_key        TEXT NOT NULL,
    secret         TEXT NOT NULL,          -- qjb: the part before ':'; openapi2: the whole appsecret
    salt           TEXT NOT NULL DEFAULT '',
    all_warehouses INTEGER NOT NULL DEFAULT 1,
    all_shops      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (sid, dialect, app_key)
) STRICT;

CREATE TABLE warehouses (
    id                   INTEGER PRIMARY KEY,
    sid                  TEXT NOT NULL REFERENCES sellers(sid),
    warehouse_no         TEXT NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('normal', 'outsourced', 'external')),
    default_position_id  INTEGER,
    created              INTEGER NOT NULL,
    modified             INTEGER NOT NULL,
    UNIQUE (sid, warehouse_no)
) STRICT;

CREATE TABLE positions (
    id            INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL,
    warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
    position_no   TEXT NOT NULL,
    is_temporary  INTEGER NOT NULL DEFAULT 0,   -- 暂存 ZANCUN
    UNIQUE (warehouse_id, position_no)
) STRICT;

CREATE TABLE app_warehouses (
    app_id        INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
    PRIMARY KEY (app_id, warehouse_id)
) STRICT;

CREATE TABLE logistics (
    id              INTEGER PRIMARY KEY,
    sid             TEXT NOT NULL REFERENCES sellers(sid),
    logistics_code  TEXT NOT NULL,
    name            TEXT NOT NULL,
    logistics_type  INTEGER NOT NULL DEFAULT 0,
    business_types  TEXT,                     -- comma list of vendor business numbers; NULL = all
    UNIQUE (sid, logistics_code)
) STRICT;

CREATE TABLE shops (
    id               INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL REFERENCES sellers(sid),
    shop_no          TEXT NOT NULL,
    shop_name        TEXT NOT NULL,
    platform_id      INTEGER NOT NULL,
    sub_platform_id  INTEGER NOT NULL DEFAULT 0,
    remark           TEXT NOT NULL DEFAULT '',
    UNIQUE (sid, shop_no)
) STRICT;

CREATE TABLE app_shops (
    app_id   INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    shop_id  INTEGER NOT NULL REFERENCES shops(id),
    PRIMARY KEY (app_id, shop_id)
) STRICT;

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    sid            TEXT NOT NULL REFERENCES sellers(sid),
    customer_no    TEXT NOT NULL,
    customer_name  TEXT NOT NULL DEFAULT '',
    nick_name      TEXT NOT NULL DEFAULT '',
    UNIQUE (sid, customer_no)
) STRICT;

CREATE TABLE providers (
    id           INTEGER PRIMARY KEY,
    sid          TEXT NOT NULL REFERENCES sellers(sid),
    provider_no  TEXT NOT NULL,
    name         TEXT NOT NULL,
    contact      TEXT NOT NULL DEFAULT '',
    telno        TEXT NOT NULL DEFAULT '',
    province     TEXT NOT NULL DEFAULT '',
    city         TEXT NOT NULL DEFAULT '',
    district     TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    UNIQUE (sid, provider_no)
) STRICT;

CREATE TABLE units (
    id    INTEGER PRIMARY KEY,
    sid   TEXT NOT NULL REFERENCES sellers(sid),
    name  TEXT NOT NULL,
    UNIQUE (sid, name)
) STRICT;

CREATE TABLE goods (
    id          INTEGER PRIMARY KEY,
    sid         TEXT NOT NULL REFERENCES sellers(sid),
    goods_no    TEXT NOT NULL,
    goods_name  TEXT NOT NULL,
    brand_no    TEXT NOT NULL DEFAULT '',
    brand_name  TEXT NOT NULL DEFAULT '',
    UNIQUE (sid, goods_no)
) STRICT;

CREATE TABLE specs (
    id             INTEGER PRIMARY KEY,
    sid            TEXT NOT NULL REFERENCES sellers(sid),
    goods_id       INTEGER NOT NULL REFERENCES goods(id),
    spec_no        TEXT NOT NULL,
    spec_name      TEXT NOT NULL DEFAULT '',
    spec_code      TEXT NOT NULL DEFAULT '',
    barcode        TEXT NOT NULL DEFAULT '',
    base_unit_id   INTEGER NOT NULL REFERENCES units(id),
    batch_managed  INTEGER NOT NULL DEFAULT 0,
    sn_managed     INTEGER NOT NULL DEFAULT 0,
    validity_days  INTEGER NOT NULL DEFAULT 0,
    prop1 TEXT NOT NULL DEFAULT '', prop2 TEXT NOT NULL DEFAULT '', prop3 TEXT NOT NULL DEFAULT '',
    prop4 TEXT NOT NULL DEFAULT '', prop5 TEXT NOT NULL DEFAULT '', prop6 TEXT NOT NULL DEFAULT '',
    UNIQUE (sid, spec_no)
) STRICT;

CREATE TABLE spec_units (
    spec_id  INTEGER NOT NULL REFERENCES specs(id),
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    ratio    INTEGER NOT NULL CHECK (ratio > 0),
    PRIMARY KEY (spec_id, unit_id)
) STRICT;

CREATE TABLE batches (
    id               INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL REFERENCES sellers(sid),
    spec_id          INTEGER NOT NULL REFERENCES specs(id),
    batch_no         TEXT NOT NULL,
    production_date  INTEGER,
    expire_date      INTEGER,
    remark           TEXT NOT NULL DEFAULT '',
    created          INTEGER NOT NULL,
    UNIQUE (sid, spec_id, batch_no)
) STRICT;

CREATE TABLE trades (
    id           INTEGER PRIMARY KEY,
    sid          TEXT NOT NULL REFERENCES sellers(sid),
    tid          TEXT NOT NULL,
    trade_no     TEXT NOT NULL DEFAULT '',
    shop_id      INTEGER NOT NULL REFERENCES shops(id),
    customer_id  INTEGER REFERENCES customers(id),
    shipped      INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL,
    UNIQUE (sid, tid)
) STRICT;

CREATE TABLE trade_items (
    id        INTEGER PRIMARY KEY,
    sid       TEXT NOT NULL,
    trade_id  INTEGER NOT NULL REFERENCES trades(id),
    oid       TEXT NOT NULL,
    spec_id   INTEGER NOT NULL REFERENCES specs(id),
    num       INTEGER NOT NULL CHECK (num > 0),
    price     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sid, oid)
) STRICT;

CREATE TABLE refund_orders (
    id                    INTEGER PRIMARY KEY,
    sid                   TEXT NOT NULL REFERENCES sellers(sid),
    refund_no             TEXT NOT NULL,
    trade_id              INTEGER NOT NULL REFERENCES trades(id),
    shop_id               INTEGER NOT NULL REFERENCES shops(id),
    customer_id           INTEGER REFERENCES customers(id),
    type                  INTEGER NOT NULL DEFAULT 2,    -- 2 退货
    status                INTEGER NOT NULL,              -- 10 / 20 / 30 / 90
    stockin_status        INTEGER NOT NULL DEFAULT 1,    -- 1 待入库 / 2 部分入库 / 3 全部入库
    reason                TEXT NOT NULL DEFAULT '',
    remark                TEXT NOT NULL DEFAULT '',
    refund_amount         INTEGER NOT NULL DEFAULT 0,
    actual_refund_amount  INTEGER NOT NULL DEFAULT 0,
    created               INTEGER NOT NULL,
    modified              INTEGER NOT NULL,
    UNIQUE (sid, refund_no)
) STRICT;
CREATE INDEX refund_orders_by_trade ON refund_orders (trade_id);

CREATE TABLE refund_order_items (
    id               INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL,
    refund_order_id  INTEGER NOT NULL REFERENCES refund_orders(id),
    seq              INTEGER NOT NULL,
    oid              TEXT NOT NULL DEFAULT '',
    trade_item_id    INTEGER REFERENCES trade_items(id),
    spec_id          INTEGER NOT NULL REFERENCES specs(id),
    refund_num       INTEGER NOT NULL CHECK (refund_num > 0),
    stockin_num      INTEGER NOT NULL DEFAULT 0 CHECK (stockin_num >= 0 AND stockin_num <= refund_num),
    opening_stockin_num INTEGER NOT NULL DEFAULT 0,  -- received before the data was loaded
    price            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (refund_order_id, seq)
) STRICT;

CREATE TABLE purchase_orders (
    id            INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL REFERENCES sellers(sid),
    purchase_no   TEXT NOT NULL,
    provider_id   INTEGER NOT NULL REFERENCES providers(id),
    warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
    status        INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    UNIQUE (sid, purchase_no)
) STRICT;

CREATE TABLE purchase_order_items (
    id                 INTEGER PRIMARY KEY,
    purchase_order_id  INTEGER NOT NULL REFERENCES purchase_orders(id),
    spec_id            INTEGER NOT NULL REFERENCES specs(id),
    num                INTEGER NOT NULL,
    price              INTEGER NOT NULL DEFAULT 0
) STRICT;

-- 入库单 (src_order_type 12 = 退货入库).
CREATE TABLE stockin_orders (
    id                INTEGER PRIMARY KEY,
    sid               TEXT NOT NULL REFERENCES sellers(sid),
    order_no          TEXT NOT NULL,
    outer_no          TEXT,                 -- out_stockin_no / outer_no; unique per sid when given
    src_order_type    INTEGER NOT NULL DEFAULT 12,
    refund_order_id   INTEGER NOT NULL REFERENCES refund_orders(id),
    warehouse_id      INTEGER NOT NULL REFERENCES warehouses(id),
    status            INTEGER NOT NULL,
    logistics_id      INTEGER REFERENCES logistics(id),
    logistics_no      TEXT NOT NULL DEFAULT '',
    post_fee          INTEGER NOT NULL DEFAULT 0,
    other_fee         INTEGER NOT NULL DEFAULT 0,
    remark            TEXT NOT NULL DEFAULT '',
    app_id            INTEGER REFERENCES apps(id),
    goods_count       INTEGER NOT NULL DEFAULT 0,
    goods_type_count  INTEGER NOT NULL DEFAULT 0,
    total_price       INTEGER NOT NULL DEFAULT 0,
    refund_amount     INTEGER NOT NULL DEFAULT 0,
    created           INTEGER NOT NULL,
    modified          INTEGER NOT NULL,
    check_time        INTEGER,
    UNIQUE (sid, order_no),
    UNIQUE (sid, outer_no)
) STRICT;
CREATE INDEX stockin_orders_by_modified ON stockin_orders (sid, modified, id);
CREATE INDEX stockin_orders_by_check_time ON stockin_orders (sid, check_time, id);
CREATE INDEX stockin_orders_by_refund ON stockin_orders (refund_order_id);

CREATE TABLE stockin_order_details (
    id               INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL,
    stockin_id       INTEGER NOT NULL REFERENCES stockin_orders(id),
    spec_id          INTEGER NOT NULL REFERENCES specs(id),
    num              INTEGER NOT NULL CHECK (num > 0),
    expect_num       INTEGER NOT NULL DEFAULT 0,
    stockin_price    INTEGER NOT NULL DEFAULT 0,
    defect           INTEGER NOT NULL DEFAULT 0,
    batch_id         INTEGER NOT NULL DEFAULT 0,    -- 0 = no batch
    position_id      INTEGER NOT NULL REFERENCES positions(id),
    unit_id          INTEGER NOT NULL DEFAULT 0,
    unit_ratio       INTEGER NOT NULL DEFAULT 10000,
    production_date  INTEGER,
    expire_date      INTEGER,
    total_cost       INTEGER NOT NULL DEFAULT 0,
    refund_amount    INTEGER NOT NULL DEFAULT 0,
    remark           TEXT NOT NULL DEFAULT '',
    created          INTEGER NOT NULL,
    modified         INTEGER NOT NULL
) STRICT;
CREATE INDEX stockin_order_details_by_order ON stockin_order_details (stockin_id);

-- Which refund order items a stock-in detail received against, and how much of each.
CREATE TABLE stockin_refund_links (
    id                 INTEGER PRIMARY KEY,
    stockin_detail_id  INTEGER NOT NULL REFERENCES stockin_order_details(id),
    refund_item_id     INTEGER NOT NULL REFERENCES refund_order_items(id),
    num                INTEGER NOT NULL CHECK (num > 0)
) STRICT;
CREATE INDEX stockin_refund_links_by_detail ON stockin_refund_links (stockin_detail_id);

CREATE TABLE serial_numbers (
    id            INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL REFERENCES sellers(sid),
    spec_id       INTEGER NOT NULL REFERENCES specs(id),
    sn            TEXT NOT NULL,
    in_stock      INTEGER NOT NULL DEFAULT 1,
    warehouse_id  INTEGER REFERENCES warehouses(id),
    UNIQUE (sid, spec_id, sn)
) STRICT;

CREATE TABLE stockin_detail_sns (
    stockin_detail_id  INTEGER NOT NULL REFERENCES stockin_order_details(id),
    sn_id              INTEGER NOT NULL REFERENCES serial_numbers(id),
    PRIMARY KEY (stockin_detail_id, sn_id)
) STRICT;

-- 采购退货单.
CREATE TABLE purchase_returns (
    id                 INTEGER PRIMARY KEY,
    sid                TEXT NOT NULL REFERENCES sellers(sid),
    return_no          TEXT NOT NULL,            -- the outer_no it was pushed with
    provider_id        INTEGER NOT NULL REFERENCES providers(id),
    warehouse_id       INTEGER NOT NULL REFERENCES warehouses(id),
    status             INTEGER NOT NULL,         -- 10 / 20 / 30 / 40 / 60
    stockout_status    INTEGER NOT NULL DEFAULT 0,
    logistics_id       INTEGER REFERENCES logistics(id),
    post_fee           INTEGER NOT NULL DEFAULT 0,
    other_fee          INTEGER NOT NULL DEFAULT 0,
    contact            TEXT NOT NULL DEFAULT '',
    telno              TEXT NOT NULL DEFAULT '',
    receive_province   TEXT NOT NULL DEFAULT '',
    receive_city       TEXT NOT NULL DEFAULT '',
    receive_district   TEXT NOT NULL DEFAULT '',
    receive_address    TEXT NOT NULL DEFAULT '',
    prop1              TEXT NOT NULL DEFAULT '',
    prop2              TEXT NOT NULL DEFAULT '',
    remark             TEXT NOT NULL DEFAULT '',
    check_fail_reason  TEXT NOT NULL DEFAULT '',
    app_id             INTEGER REFERENCES apps(id),
    created            INTEGER NOT NULL,
    modified           INTEGER NOT NULL,
    check_time         INTEGER,
    UNIQUE (sid, return_no)
) STRICT;

CREATE TABLE purchase_return_details (
    id                  INTEGER PRIMARY KEY,
    purchase_return_id  INTEGER NOT NULL REFERENCES purchase_returns(id),
    spec_id             INTEGER NOT NULL REFERENCES specs(id),
    num                 INTEGER NOT NULL CHECK (num > 0),   -- in base units
    unit_id             INTEGER NOT NULL DEFAULT 0,
    unit_ratio          INTEGER NOT NULL DEFAULT 10000,
    price               INTEGER NOT NULL DEFAULT 0,
    discount            INTEGER NOT NULL DEFAULT 10000,
    tax_rate            INTEGER NOT NULL DEFAULT 0,
    tax_price           INTEGER NOT NULL DEFAULT 0,
    defect              INTEGER NOT NULL DEFAULT 0,
    batch_id            INTEGER NOT NULL DEFAULT 0,
    expire_date         INTEGER,
    remark              TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE purchase_return_refs (
    purchase_return_id  INTEGER NOT NULL REFERENCES purchase_returns(id),
    purchase_order_id   INTEGER NOT NULL REFERENCES purchase_orders(id),
    PRIMARY KEY (purchase_return_id, purchase_order_id)
) STRICT;

-- Stock per warehouse × spec × defect × batch × position; batch_id 0 = no batch.
CREATE TABLE stock (
    id            INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL,
    warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
    spec_id       INTEGER NOT NULL REFERENCES specs(id),
    defect        INTEGER NOT NULL,
    batch_id      INTEGER NOT NULL,
    position_id   INTEGER NOT NULL REFERENCES positions(id),
    num           INTEGER NOT NULL,
    last_in_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (warehouse_id, spec_id, defect, batch_id, position_id)
) STRICT;
CREATE INDEX stock_by_spec ON stock (warehouse_id, spec_id);

-- Moving-average cost per warehouse × spec.
CREATE TABLE stock_costs (
    warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
    spec_id       INTEGER NOT NULL REFERENCES specs(id),
    sid           TEXT NOT NULL,
    cost_price    INTEGER NOT NULL,
    PRIMARY KEY (warehouse_id, spec_id)
) STRICT;

-- Append-only: one row per stock change, written in the transaction that changes stock.
CREATE TABLE stock_ledger (
    id            INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL,
    doc_type      INTEGER NOT NULL,     -- 0 opening, 12 return stock-in, 3 purchase return
    doc_id        INTEGER NOT NULL,
    doc_no        TEXT NOT NULL,
    warehouse_id  INTEGER NOT NULL,
    spec_id       INTEGER NOT NULL,
    position_id   INTEGER NOT NULL,
    batch_id      INTEGER NOT NULL,
    defect        INTEGER NOT NULL,
    num_before    INTEGER NOT NULL,
    num_change    INTEGER NOT NULL,
    num_after     INTEGER NOT NULL,
    cost_price    INTEGER NOT NULL,
    created       INTEGER NOT NULL
) STRICT;
CREATE INDEX stock_ledger_by_line ON stock_ledger (warehouse_id, spec_id, defect, batch_id, position_id);
CREATE TRIGGER stock_ledger_append_only_update BEFORE UPDATE ON stock_ledger
BEGIN SELECT RAISE(ABORT, 'stock_ledger is append-only'); END;
CREATE TRIGGER stock_ledger_append_only_delete BEFORE DELETE ON stock_ledger
BEGIN SELECT RAISE(ABORT, 'stock_ledger is append-only'); END;

-- Document number sequences per seller, prefix and day (RK20240830 0001, TK240830 0001).
CREATE TABLE doc_sequences (
    sid     TEXT NOT NULL,
    prefix  TEXT NOT NULL,
    day     TEXT NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (sid, prefix, day)
) STRICT;
