//! wdt-domain
