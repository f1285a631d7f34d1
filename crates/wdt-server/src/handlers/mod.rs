//! One module per business operation: wire payload → domain command → store → wire answer.

pub(crate) mod refund_stockin;
