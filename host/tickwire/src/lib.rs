//! tickwire: the host side of the tickwire FPGA market-data card.
//!
//! Layers (see docs/architecture.md): generated register accessors ([`regs`]) and tick layout
//! ([`tick_layout`]) → the [`Device`] seam (VFIO or the simulated card) → rings and the [`Card`]
//! API → the daemon and CLI in the `tickwired` crate.

#[allow(clippy::all, clippy::undocumented_unsafe_blocks, missing_docs, dead_code, unused_imports)]
pub mod regs;
pub mod tick_layout;
