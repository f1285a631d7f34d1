-- Operator actions (SPEC.md §10): who checked a document, where a trade shipped from, and the
-- audit log every action writes in its own transaction. The audit log, like the ledger, is
-- append-only.
ALTER TABLE stockin_orders ADD COLUMN checked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_returns ADD COLUMN checked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN warehouse_id INTEGER REFERENCES warehouses(id);
ALTER TABLE trades ADD COLUMN stockout_no TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN shipped_at INTEGER;

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    sid      TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    before   TEXT NOT NULL,
    after    TEXT NOT NULL,
    doc_no   TEXT NOT NULL DEFAULT '',
    created  INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (sid, created, id);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
