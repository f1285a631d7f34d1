//! wdt-server
