//! One module per subcommand.

pub mod admin;
pub mod call;
pub mod export;
pub mod import;
pub mod serve;
pub mod verify;
