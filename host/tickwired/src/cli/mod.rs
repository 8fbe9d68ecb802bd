//! The `tickwire` subcommands, one module each.

pub mod book;
pub mod gen;
pub mod pci;
pub mod replay;
pub mod rerequest;
pub mod status;
