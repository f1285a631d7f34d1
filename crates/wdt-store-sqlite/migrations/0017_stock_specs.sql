-- wms.StockSpec.search reads one row per warehouse × spec × defect flag: its stock on hand and
-- the times of its first, last, last count (盘点, ledger type 4) and last other change. Summing
-- the stock table and searching the ledger for every group on every page scaled with all the
-- stock; this keeps each group's row as the ledger is appended to (a trigger, so every writer,
-- the batched ones included, keeps it), read by the window and order of the search.
CREATE TABLE stock_specs (
    id            INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL,
    warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
    spec_id       INTEGER NOT NULL REFERENCES specs(id),
    defect        INTEGER NOT NULL,
    num           INTEGER NOT NULL,
    first_change  INTEGER NOT NULL,
    last_change   INTEGER NOT NULL,
    last_count    INTEGER,
    last_inout    INTEGER,
    UNIQUE (warehouse_id, spec_id, defect)
) STRICT;
CREATE INDEX stock_specs_by_modified ON stock_specs (sid, last_change, id);

CREATE TRIGGER stock_specs_follow_the_ledger AFTER INSERT ON stock_ledger
BEGIN
    INSERT INTO stock_specs (sid, warehouse_id, spec_id, defect, num, first_change, last_change, last_count, last_inout)
    VALUES (NEW.sid, NEW.warehouse_id, NEW.spec_id, NEW.defect, NEW.num_change, NEW.created, NEW.created,
            CASE WHEN NEW.doc_type = 4 THEN NEW.created END, CASE WHEN NEW.doc_type <> 4 THEN NEW.created END)
    ON CONFLICT (warehouse_id, spec_id, defect) DO UPDATE SET
        num = num + excluded.num,
        first_change = min(first_change, excluded.first_change),
        last_change = max(last_change, excluded.last_change),
        last_count = CASE WHEN excluded.last_count IS NULL THEN last_count
                          ELSE max(COALESCE(last_count, excluded.last_count), excluded.last_count) END,
        last_inout = CASE WHEN excluded.last_inout IS NULL THEN last_inout
                          ELSE max(COALESCE(last_inout, excluded.last_inout), excluded.last_inout) END;
END;

INSERT INTO stock_specs (sid, warehouse_id, spec_id, defect, num, first_change, last_change, last_count, last_inout)
SELECT sid, warehouse_id, spec_id, defect, SUM(num_change), MIN(created), MAX(created),
       MAX(CASE WHEN doc_type = 4 THEN created END), MAX(CASE WHEN doc_type <> 4 THEN created END)
FROM stock_ledger GROUP BY sid, warehouse_id, spec_id, defect;
