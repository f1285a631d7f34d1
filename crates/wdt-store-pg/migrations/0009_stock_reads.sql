-- The stock queries (SPEC.md §9): wms.StockSpec.queryChangeHistory reads the ledger by seller
-- and time in (created, id) order; both queries read a warehouse × spec × defect flag's changes
-- in append order (its running sum, its first and last change); the ledger's operator is found
-- in the audit log by document number.
CREATE INDEX stock_ledger_by_time ON stock_ledger (sid, created, id);
CREATE INDEX stock_ledger_by_spec ON stock_ledger (warehouse_id, spec_id, defect, id);
CREATE INDEX audit_log_by_doc ON audit_log (sid, doc_no);
