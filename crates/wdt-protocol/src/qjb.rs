//! 旗舰版 (qjb) transport: signing, verification, envelopes.
