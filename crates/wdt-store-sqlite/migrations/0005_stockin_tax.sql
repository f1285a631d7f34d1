-- 税率 of a return stock-in line (seed 001 `detail_list[].tax`, decimal(19,4)), scaled by 10,000
-- as every other decimal; NULL when the push did not send one.
ALTER TABLE stockin_order_details ADD COLUMN tax INTEGER;
