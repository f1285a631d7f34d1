-- wms.StockSpec.queryChangeHistory shows, for each ledger row, the warehouse × spec × defect
-- flag's stock before and after it. Summing the group's earlier rows for every row of every
-- page grew with the group's history; this keeps the level after each row as it is appended
-- (in the trigger that keeps stock_specs, so every writer keeps it), and the page reads it.
CREATE TABLE stock_ledger_levels (
    ledger_id  INTEGER PRIMARY KEY,
    num_after  INTEGER NOT NULL
) STRICT;

DROP TRIGGER stock_specs_follow_the_ledger;
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
    INSERT INTO stock_ledger_levels (ledger_id, num_after)
    SELECT NEW.id, num FROM stock_specs
    WHERE warehouse_id = NEW.warehouse_id AND spec_id = NEW.spec_id AND defect = NEW.defect;
END;

INSERT INTO stock_ledger_levels (ledger_id, num_after)
SELECT id, SUM(num_change) OVER (PARTITION BY warehouse_id, spec_id, defect ORDER BY id)
FROM stock_ledger;
