//! The `Device` seam: what the driver needs from a card, whether it is a real card behind VFIO
//! or the Verilator simulation of the same RTL.

use crate::dma::DmaRegion;

/// Errors of a device backend.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// DMA memory could not be allocated or mapped for the device.
    #[error("{device}: cannot allocate {len} bytes of DMA memory: {reason}")]
    DmaAlloc {
        /// Device name.
        device: String,
        /// Requested length in bytes.
        len: usize,
        /// What went wrong, and what to do about it.
        reason: String,
    },
    /// The VFIO backend failed (the error says what to do).
    #[error(transparent)]
    Vfio(#[from] crate::vfio::VfioError),
    /// The simulated card failed (model, bus or thread).
    #[error("{device}: simulation failed")]
    Sim {
        /// Device name.
        device: String,
        /// The simulation's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A tickwire card as the driver sees it: BAR0 registers and DMA memory.
///
/// MMIO is infallible, as on real hardware: offsets are checked once, when a [`crate::Card`] is
/// opened (BAR0 must cover the generated register map), and the generated accessors never
/// address outside it.
pub trait Device: Send + Sync {
    /// Short name for messages: a PCI address, or `sim`.
    fn name(&self) -> &str;
    /// Size of BAR0 in bytes.
    fn bar0_len(&self) -> usize;
    /// Aligned 32-bit read of BAR0 at byte `offset`.
    fn read32(&self, offset: usize) -> u32;
    /// Aligned 32-bit write of BAR0 at byte `offset`.
    fn write32(&self, offset: usize, value: u32);
    /// Memory the card can write, at least `len` bytes, 64-byte aligned, zeroed, mapped for DMA.
    /// Dropping the region unmaps it; quiesce the rings that point into it first.
    fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError>;

    /// The host clock the card clock is disciplined to, in ns since the Unix epoch: the system's
    /// CLOCK_REALTIME on a real machine (itself typically disciplined by PTP or NTP); the simulated
    /// host's clock on the simulated card.
    fn host_time_ns(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    }

    /// Let `d` of host time pass (the servo's pace): a sleep on a real machine; on the simulated
    /// card, the simulation runs for that long.
    fn host_sleep(&self, d: std::time::Duration) {
        std::thread::sleep(d);
    }
}
