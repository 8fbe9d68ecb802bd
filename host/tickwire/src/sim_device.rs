//! The simulated card (Verilator model of the shipping RTL, in its own thread) as a [`Device`].

use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tickwire_sim::{DmaBuf, HostMemory, SimConfig, SimHandle};

use crate::device::{Device, DeviceError};
use crate::dma::DmaRegion;

/// Size of the simulated card's BAR0 (the CSR window of tw_core: 16 KiB).
pub const SIM_BAR0_LEN: usize = 0x4000;

/// The simulated host's clock reads this many ns at simulation time 0 (2026-01-01T00:00:00Z), so
/// that a servo has a realistic first step to make.
pub const SIM_HOST_EPOCH_NS: u64 = 1_767_225_600_000_000_000;

/// The first IOVA handed out: above 4 GiB, so BASE_HI is exercised.
const IOVA_BASE: u64 = 0x1_0000_0000;
const IOVA_ALIGN: u64 = 2 << 20;

/// IOVA space of a simulated card: hands out windows in its host memory (an IOMMU map per DMA
/// region, unmapped when the region is dropped). Shared by the simulated devices.
pub(crate) struct SimIovaSpace {
    next: AtomicU64,
}

impl SimIovaSpace {
    pub(crate) fn new() -> Self {
        Self { next: AtomicU64::new(IOVA_BASE) }
    }

    /// Allocate `len` bytes (rounded up to whole 64-byte lines), map them, wrap them as a region.
    pub(crate) fn alloc(&self, device: &str, mem: Arc<HostMemory>, len: usize) -> Result<DmaRegion, DeviceError> {
        let len = len.div_ceil(64) * 64;
        let span = (len as u64).div_ceil(IOVA_ALIGN) * IOVA_ALIGN;
        let iova = self.next.fetch_add(span, Ordering::Relaxed);
        let buf = DmaBuf::new(len);
        mem.map(iova, buf.clone())
            .map_err(|e| DeviceError::DmaAlloc { device: device.into(), len, reason: e.to_string() })?;
        let ptr = NonNull::new(buf.as_ptr().cast_mut()).expect("DmaBuf pointer is never null");
        let owner = SimDma { mem, iova, _buf: buf };
        // SAFETY: DmaBuf is 64-byte aligned lines of AtomicU64, `len` bytes long (a multiple of
        // 64), kept alive by `owner` (which the region owns); it is only accessed atomically, by
        // the simulation thread and through the region.
        Ok(unsafe { DmaRegion::from_raw(ptr, len, iova, Box::new(owner)) })
    }
}

/// The simulated card.
pub struct SimDevice {
    sim: SimHandle,
    iova: SimIovaSpace,
}

impl SimDevice {
    /// Start a simulated card (the model runs in its own thread).
    pub fn new(cfg: SimConfig) -> Result<Self, DeviceError> {
        let sim = SimHandle::spawn(cfg).map_err(|e| DeviceError::Sim {
            device: "sim".into(),
            source: Box::new(e),
        })?;
        Ok(Self { sim, iova: SimIovaSpace::new() })
    }

    /// The simulation itself: frames in, idle wait, host-memory checks.
    pub fn sim(&self) -> &SimHandle {
        &self.sim
    }

    /// Queue frames (without FCS) on the card's MAC interface.
    pub fn push_frames(&self, frames: Vec<(Vec<u8>, bool)>) {
        self.sim.push_frames(frames);
    }

    /// Queue every frame of a pcap or pcapng capture (Ethernet), in file order.
    pub fn push_capture(&self, path: impl AsRef<std::path::Path>) -> Result<usize, crate::pcap::PcapError> {
        let frames = crate::pcap::read_capture(path)?;
        let n = frames.len();
        self.push_frames(frames.into_iter().map(|f| (f.data, false)).collect());
        Ok(n)
    }

    /// Wait until every queued frame went through and the DMA master has been quiet for a while.
    pub fn wait_idle(&self, timeout: Duration) -> Result<(), DeviceError> {
        self.sim.wait_idle(timeout).map_err(|e| DeviceError::Sim {
            device: "sim".into(),
            source: Box::new(e),
        })
    }
}

struct SimDma {
    mem: Arc<HostMemory>,
    iova: u64,
    _buf: Arc<DmaBuf>,
}

impl Drop for SimDma {
    fn drop(&mut self) {
        // IOMMU unmap: a card write into this window from now on is a recorded violation.
        let _ = self.mem.unmap(self.iova);
    }
}

impl Device for SimDevice {
    fn name(&self) -> &str {
        "sim"
    }

    fn bar0_len(&self) -> usize {
        SIM_BAR0_LEN
    }

    fn read32(&self, offset: usize) -> u32 {
        // A failing simulated bus is a broken test bench, not a condition a caller can handle.
        self.sim
            .csr_read(offset as u32)
            .unwrap_or_else(|e| panic!("sim: CSR read at {offset:#x} failed: {e}"))
    }

    fn write32(&self, offset: usize, value: u32) {
        self.sim
            .csr_write(offset as u32, value)
            .unwrap_or_else(|e| panic!("sim: CSR write of {value:#x} at {offset:#x} failed: {e}"))
    }

    fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError> {
        self.iova.alloc("sim", self.sim.memory(), len)
    }

    fn host_time_ns(&self) -> u64 {
        SIM_HOST_EPOCH_NS + self.sim.time_ps() / 1000
    }

    fn host_sleep(&self, d: Duration) {
        let cycles = d.as_nanos() as u64 * 1000 / self.sim.config_clk_period_ps();
        self.sim
            .run_clk_cycles(cycles)
            .unwrap_or_else(|e| panic!("sim: running {cycles} clk cycles failed: {e}"));
    }
}
