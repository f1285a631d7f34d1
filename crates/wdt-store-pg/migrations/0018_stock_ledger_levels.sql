-- wms.StockSpec.queryChangeHistory shows, for each ledger row, the warehouse × spec × defect
-- flag's stock before and after it. Summing the group's earlier rows for every row of every
-- page grew with the group's history; this keeps the level after each row as it is appended
-- (in the trigger that keeps stock_specs, so every writer keeps it), and the page reads it.
-- Within one statement the rows of a group follow in id order from the level the group had
-- before it; across transactions, in the order they took the group's row lock.
CREATE TABLE stock_ledger_levels (
    ledger_id  BIGINT PRIMARY KEY,
    num_after  BIGINT NOT NULL
);

CREATE OR REPLACE FUNCTION stock_specs_follow_the_ledger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    WITH groups AS (
        INSERT INTO stock_specs (sid, warehouse_id, spec_id, defect, num, first_change, last_change, last_count, last_inout)
        SELECT sid, warehouse_id, spec_id, defect, SUM(num_change), MIN(created), MAX(created),
               MAX(CASE WHEN doc_type = 4 THEN created END), MAX(CASE WHEN doc_type <> 4 THEN created END)
        FROM appended GROUP BY sid, warehouse_id, spec_id, defect ORDER BY warehouse_id, spec_id, defect
        ON CONFLICT (warehouse_id, spec_id, defect) DO UPDATE SET
            num = stock_specs.num + EXCLUDED.num,
            first_change = LEAST(stock_specs.first_change, EXCLUDED.first_change),
            last_change = GREATEST(stock_specs.last_change, EXCLUDED.last_change),
            last_count = GREATEST(stock_specs.last_count, EXCLUDED.last_count),
            last_inout = GREATEST(stock_specs.last_inout, EXCLUDED.last_inout)
        RETURNING warehouse_id, spec_id, defect, num
    )
    INSERT INTO stock_ledger_levels (ledger_id, num_after)
    SELECT a.id,
           g.num - CAST(SUM(a.num_change) OVER whole AS BIGINT) + CAST(SUM(a.num_change) OVER running AS BIGINT)
    FROM appended a
    JOIN groups g ON g.warehouse_id = a.warehouse_id AND g.spec_id = a.spec_id AND g.defect = a.defect
    WINDOW whole AS (PARTITION BY a.warehouse_id, a.spec_id, a.defect),
           running AS (PARTITION BY a.warehouse_id, a.spec_id, a.defect ORDER BY a.id);
    RETURN NULL;
END $$;

INSERT INTO stock_ledger_levels (ledger_id, num_after)
SELECT id, CAST(SUM(num_change) OVER (PARTITION BY warehouse_id, spec_id, defect ORDER BY id) AS BIGINT)
FROM stock_ledger;
