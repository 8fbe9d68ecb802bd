//! tickwire: the host side of the tickwire FPGA market-data card.
//!
//! Layers (see docs/architecture.md): generated register accessors ([`regs`]) and tick layout
//! ([`tick_layout`]) → the [`Device`] seam (VFIO or the simulated card) → rings and the [`Card`]
//! API → the daemon and CLI in the `tickwired` crate.

#[allow(clippy::all, clippy::undocumented_unsafe_blocks, missing_docs, dead_code, unused_imports)]
pub mod regs;
pub mod tick_layout;
pub mod afu;
pub mod book;
pub mod capture;
pub mod card;
pub mod clock;
pub mod filter;
pub mod flow;
pub mod frame;
pub mod gen;
pub mod itch;
pub mod mold;
pub mod pcap;
pub mod rerequest;
pub mod device;
pub mod dma;
pub mod mem_device;
pub mod mmio;
pub mod model;
pub mod ring;
pub mod rx;
pub mod servo;
pub mod tick;
pub mod verdict;
pub mod card_id;
pub mod vfio;

pub use card::{Card, CardError, CardInfo, FlowAction, FlowRule, RingStatus};
pub use device::{Device, DeviceError};
pub use dma::DmaRegion;
pub use ring::Ring;
pub use tick::TickRecord;
pub use vfio::{VfioDevice, VfioError, VfioOptions};

#[cfg(feature = "sim")]
pub mod sim_device;
#[cfg(feature = "sim")]
pub use sim_device::SimDevice;
#[cfg(feature = "sim")]
pub use tickwire_sim::{RtlParams, SimConfig};
#[cfg(feature = "sim")]
pub mod replay;
#[cfg(feature = "sim")]
pub mod scenario;
#[cfg(feature = "sim")]
pub mod fuzz;
