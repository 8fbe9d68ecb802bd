//! tickwired: the daemon (issue [F]) and the `tickwire` command. Shared output formatting lives
//! here so the daemon and the CLI print ticks the same way.

pub mod cli;
pub mod config;
pub mod daemon;
pub mod output;
