//! The `tickwire` subcommands, one module each.

pub mod gen;
pub mod replay;
