//! wdt-store
