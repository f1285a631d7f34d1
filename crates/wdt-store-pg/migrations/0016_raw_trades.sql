-- sales.RawTrade.pushSelf (原始单推送, SPEC.md §8): a raw trade is converted at once (递交) into the
-- trade it becomes, so one row keeps both: the platform's statuses, buyer, receiver and amounts as
-- last pushed, and each sub-order's platform fields beside the spec it matched. Trades loaded from
-- a fixture keep the defaults. Decimals scaled by 10^4, times epoch ms.
ALTER TABLE trades ADD COLUMN trade_status BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN refund_status BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN pay_status BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN pay_method BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN delivery_term BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN trade_time BIGINT;
ALTER TABLE trades ADD COLUMN pay_time BIGINT;
ALTER TABLE trades ADD COLUMN buyer_nick TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN buyer_message TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN receiver_name TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN receiver_area TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN receiver_address TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN receiver_zip TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN receiver_mobile TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN receiver_telno TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN post_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN discount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN receivable BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN paid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN modified BIGINT NOT NULL DEFAULT 0;
UPDATE trades SET modified = created;

ALTER TABLE trade_items ADD COLUMN status BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trade_items ADD COLUMN refund_status BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trade_items ADD COLUMN goods_name TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_items ADD COLUMN spec_name TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_items ADD COLUMN discount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trade_items ADD COLUMN share_discount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trade_items ADD COLUMN total_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trade_items ADD COLUMN adjust_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trade_items ADD COLUMN platform_goods_id TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_items ADD COLUMN platform_spec_id TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_items ADD COLUMN remark TEXT NOT NULL DEFAULT '';
