//! Integration tests: the real server on a random port over a throwaway SQLite file, spoken to
//! through hand-built HTTP and through `wdt-client`. One binary, so it links once.

mod admin;
mod auth;
mod browser;
mod browser_actions;
mod client;
mod console;
mod console_actions;
mod console_client;
mod console_sessions;
mod drain;
mod duplicate_keys;
mod envelopes;
mod helpers;
mod hostile;
mod limits;
mod master_push;
mod messages;
mod metrics;
mod parameters;
mod purchase_documents;
mod purchase_return;
mod query;
mod quick_return;
mod reads_consistency;
mod reads_goods;
mod reads_purchase;
mod reads_raw_refunds;
mod reads_refunds;
mod reads_settings;
mod reads_stock;
mod replays;
mod request_log;
mod stockin;
mod testmode;
mod timestamps;
