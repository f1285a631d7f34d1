-- Test mode (SPEC.md §11): named snapshots of every table, and a way for reset and restore to
-- empty the append-only tables. A row in `maintenance_unlock`, written and removed inside the
-- one transaction that resets or restores, lets that transaction delete ledger and audit rows;
-- no other transaction ever sees it. Updates stay refused always.
CREATE TABLE maintenance_unlock (reason TEXT NOT NULL) STRICT;

CREATE TABLE snapshots (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    rows     INTEGER NOT NULL,
    created  INTEGER NOT NULL
) STRICT;

DROP TRIGGER stock_ledger_append_only_delete;
CREATE TRIGGER stock_ledger_append_only_delete BEFORE DELETE ON stock_ledger
WHEN NOT EXISTS (SELECT 1 FROM maintenance_unlock)
BEGIN SELECT RAISE(ABORT, 'stock_ledger is append-only'); END;
DROP TRIGGER audit_log_append_only_delete;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM maintenance_unlock)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
