//! The VFIO backend: a real card (or any PCI device bound to vfio-pci) as a [`crate::Device`].
//!
//! - [`VfioDevice`]: container, group, type1v2 IOMMU, device fd, BAR0 mmap, bus mastering, reset.
//! - DMA memory: hugepage-backed with a logged 4 KiB fallback ([`HugePages`]), pinned and mapped by
//!   VFIO at an IOVA from [`IovaAllocator`], owned by a [`crate::DmaRegion`] whose drop unmaps it.
//! - [`Sysfs`]: discovery (`tickwire list`) and binding (`tickwire bind/unbind`).
//! - [`VfioError`]: every usual failure with what to do about it.
//!
//! `unsafe` is confined to [`sys`] (system calls, mmap, volatile MMIO) and two calls in
//! `device.rs`: the DMA map of memory `sys` allocated, and `DmaRegion::from_raw`. docs/vfio.md has the set-up for a production box.

mod device;
mod error;
pub mod iova;
pub mod mem;
pub(crate) mod sys;
pub mod sysfs;

pub use device::{VfioDevice, VfioOptions};
pub use error::{GroupMember, VfioError};
pub use iova::IovaAllocator;
pub use mem::HugePages;
pub use sysfs::{parse_bdf, PciDeviceInfo, Sysfs, VFIO_DRIVER};

use crate::afu::{is_afu_function, open_afu, CsrWindow};
use crate::card::{Card, CardError, CardInfo};
use crate::card_id::SUPPORTED_BUILD_IDS;
use crate::device::DeviceError;

/// Opening a card failed: the device, the card checks, or a build id this host build refuses.
#[derive(Debug, thiserror::Error)]
pub enum OpenCardError {
    /// The device or the card layer failed (wrong card, unsupported register map version, ...).
    #[error(transparent)]
    Card(#[from] CardError),
    /// An AFU board's port VF that does not carry tickwire's AFU.
    #[error(transparent)]
    Afu(#[from] crate::afu::AfuError),
    /// The card runs a bitstream this host build does not support.
    #[error("{device}: bitstream build id {build_id:#010x} is not supported by this host build (supported: {}): load a supported bitstream, or update tickwire (hdl/regs/card.toml lists the build ids)", fmt_ids(supported))]
    UnsupportedBuild {
        /// Device name.
        device: String,
        /// What BUILD_ID reads.
        build_id: u32,
        /// What this build supports.
        supported: &'static [u32],
    },
}

fn fmt_ids(ids: &[u32]) -> String {
    ids.iter().map(|i| format!("{i:#010x}")).collect::<Vec<_>>().join(", ")
}

/// Check a card's build id against the ones this host build supports (hdl/regs/card.toml).
pub fn check_build_id(device: &str, info: &CardInfo) -> Result<(), OpenCardError> {
    check_build_id_in(device, info, SUPPORTED_BUILD_IDS)
}

/// [`check_build_id`] against an explicit list.
pub fn check_build_id_in(device: &str, info: &CardInfo, supported: &'static [u32]) -> Result<(), OpenCardError> {
    if supported.contains(&info.build_id) {
        Ok(())
    } else {
        Err(OpenCardError::UnsupportedBuild { device: device.to_string(), build_id: info.build_id, supported })
    }
}

/// A card opened through VFIO: its CSR window (all of BAR0 on Alveo, behind the AFU header on a
/// PAC D5005).
pub type VfioCard = Card<CsrWindow<VfioDevice>>;

/// Open the tickwire card at `bdf`: VFIO device, card identity and version, build id.
///
/// A function with the ids of an AFU board's port VF (`hdl/regs/card.toml` `[afu]`) must carry
/// tickwire's AFU: its AFU header is checked before any CSR is touched, and the CSRs are the window
/// behind it ([`crate::afu`]). Any other function is taken as a tickwire card of our own ids.
pub fn open_card(bdf: &str, opts: VfioOptions) -> Result<VfioCard, OpenCardError> {
    let ids = opts.sysfs.info(bdf).ok().map(|i| (i.vendor, i.device));
    let dev = VfioDevice::open(bdf, opts).map_err(|e| CardError::Device(DeviceError::Vfio(e)))?;
    let name = crate::Device::name(&dev).to_string();
    let window = match ids {
        Some((vendor, device)) if is_afu_function(vendor, device) => open_afu(dev)?,
        _ => CsrWindow::whole(dev),
    };
    let card = Card::open(window)?;
    check_build_id(&name, card.info())?;
    Ok(card)
}

/// RLIMIT_MEMLOCK (soft), in bytes; `u64::MAX` when unlimited.
pub fn memlock_limit() -> std::io::Result<u64> {
    sys::memlock_limit()
}

/// Set RLIMIT_MEMLOCK (soft and hard) to `bytes` (lowering needs no privilege; raising does).
pub fn set_memlock_limit(bytes: u64) -> std::io::Result<()> {
    sys::set_memlock_limit(bytes)
}

/// While alive, SIGINT and SIGTERM stay pending in the calling thread instead of killing the
/// process, so that a device opened and DMA memory mapped under the guard are torn down in order
/// (quiesce → unmap DMA → close) by their destructors. Dropping the guard (after them) unblocks
/// the signals, and a pending one then takes effect. For single-threaded commands such as
/// `tickwire info`; a long-running poll loop watches a flag instead.
pub struct TerminationGuard(());

impl TerminationGuard {
    /// Block SIGINT and SIGTERM in this thread.
    pub fn new() -> std::io::Result<Self> {
        sys::block_termination_signals(true)?;
        Ok(Self(()))
    }
}

impl Drop for TerminationGuard {
    fn drop(&mut self) {
        let _ = sys::block_termination_signals(false);
    }
}
