//! 企业版 (openapi2) transport: signing, verification, envelopes.
