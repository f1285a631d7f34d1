//! Typed payloads of the five seed methods.
