//! wdt-store-sqlite
