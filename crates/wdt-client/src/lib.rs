//! wdt-client
