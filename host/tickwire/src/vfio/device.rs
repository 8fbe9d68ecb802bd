//! `VfioDevice`: a PCI device bound to vfio-pci, as a [`Device`].
//!
//! Open: sysfs checks (exists, IOMMU group, bound to vfio-pci) → container (/dev/vfio/vfio, API
//! version, type1v2) → group (/dev/vfio/N, viable) → group joins container → IOMMU type1v2 →
//! device fd → BAR0 region info + mmap → memory space + bus mastering on (→ reset if asked).
//!
//! Teardown (Drop) runs the other way: the Card layer quiesces rings first; each `DmaRegion`
//! unmaps its IOVA range and frees its memory when dropped; dropping the device clears bus
//! mastering, unmaps BAR0 and closes the device fd; the group and container fds close when the
//! last DMA region that needs them is gone (they are shared through an `Arc`).

use std::ffi::CString;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use vfio_bindings::bindings::vfio as uapi;

use super::error::VfioError;
use super::iova::IovaAllocator;
use super::mem::{self, HugePages, PAGE_1G, PAGE_2M};
use super::sys;
use super::sysfs::Sysfs;
use crate::device::{Device, DeviceError};
use crate::dma::DmaRegion;

// PCI configuration header (PCI Local Bus Specification 3.0, §6.2.2): the Command register and
// the two bits the driver needs. Not in any crate this project uses; named once, here.
const PCI_COMMAND: u64 = 0x04;
const PCI_COMMAND_MEMORY: u16 = 1 << 1;
const PCI_COMMAND_MASTER: u16 = 1 << 2;

/// How to open a [`VfioDevice`].
#[derive(Clone, Debug)]
pub struct VfioOptions {
    /// The sysfs tree (default: `$TICKWIRE_SYSFS` or `/sys`).
    pub sysfs: Sysfs,
    /// Where the VFIO device nodes are (default `/dev/vfio`).
    pub dev_vfio: PathBuf,
    /// IOVA window handed to the device: `[start, end)`. The default starts at 4 GiB (so a card's
    /// 64-bit address path is exercised) and stays below 2^39, which every VT-d/AMD-Vi supports.
    pub iova: (u64, u64),
    /// Hugepage policy for DMA memory.
    pub hugepages: HugePages,
    /// Reset the device (VFIO_DEVICE_RESET) right after opening it, if it supports reset.
    pub reset_on_open: bool,
}

impl Default for VfioOptions {
    fn default() -> Self {
        Self {
            sysfs: Sysfs::from_env(),
            dev_vfio: "/dev/vfio".into(),
            iova: (1 << 32, 1 << 39),
            hugepages: HugePages::Prefer,
            reset_on_open: false,
        }
    }
}

/// The container and group: shared by the device and every DMA region mapped through them.
/// Fields drop in order: the group leaves the container, then the container closes.
struct Iommu {
    bdf: String,
    group: OwnedFd,
    container: OwnedFd,
    iova: Mutex<IovaAllocator>,
    pinned: AtomicU64,
}

/// A PCI device driven through VFIO.
pub struct VfioDevice {
    name: String,
    // Field order is teardown order: BAR0 unmapped, device fd closed, then the IOMMU handles
    // (kept alive by outstanding DMA regions, if any).
    bar0: sys::MmioMap,
    device: File,
    config_offset: u64,
    flags: u32,
    hugepages: HugePages,
    sysfs: Sysfs,
    iommu: Arc<Iommu>,
}

fn open_node(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open(path)
}

fn is_permission(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::PermissionDenied
}

impl VfioDevice {
    /// Open the device at PCI address `bdf`, which must be bound to vfio-pci.
    pub fn open(bdf: &str, opts: VfioOptions) -> Result<Self, VfioError> {
        let bdf = super::sysfs::parse_bdf(bdf)?;
        let group = opts.sysfs.check_vfio_ready(&bdf)?;

        let cpath = opts.dev_vfio.join("vfio");
        let container = open_node(&cpath).map_err(|e| {
            if is_permission(&e) {
                VfioError::Permission { bdf: bdf.clone(), path: cpath.clone(), source: e }
            } else {
                VfioError::NoVfio { path: cpath.clone(), source: e }
            }
        })?;
        let version = sys::get_api_version(container.as_fd()).map_err(|e| VfioError::io(&bdf, "VFIO_GET_API_VERSION", e))?;
        if version != uapi::VFIO_API_VERSION as i32 {
            return Err(VfioError::ApiVersion { found: version, expected: uapi::VFIO_API_VERSION });
        }
        if !sys::check_extension(container.as_fd(), uapi::VFIO_TYPE1v2_IOMMU).unwrap_or(false) {
            return Err(VfioError::NoType1 { bdf });
        }

        let gpath = opts.dev_vfio.join(group.to_string());
        let gfile = open_node(&gpath).map_err(|e| match e.raw_os_error() {
            _ if is_permission(&e) => VfioError::Permission { bdf: bdf.clone(), path: gpath.clone(), source: e },
            Some(libc::EBUSY) => VfioError::GroupBusy { bdf: bdf.clone(), path: gpath.clone() },
            Some(libc::ENOENT) => VfioError::NoVfio { path: gpath.clone(), source: e },
            _ => VfioError::io(&bdf, "open the IOMMU group", e),
        })?;
        let status = sys::group_status(gfile.as_fd()).map_err(|e| VfioError::io(&bdf, "VFIO_GROUP_GET_STATUS", e))?;
        if status & uapi::VFIO_GROUP_FLAGS_VIABLE == 0 {
            let others = opts.sysfs.group_members(group, &bdf);
            return Err(VfioError::GroupNotViable { bdf, group, others });
        }
        sys::group_set_container(gfile.as_fd(), container.as_fd())
            .map_err(|e| VfioError::io(&bdf, "VFIO_GROUP_SET_CONTAINER", e))?;
        sys::set_iommu(container.as_fd(), uapi::VFIO_TYPE1v2_IOMMU)
            .map_err(|e| VfioError::io(&bdf, "VFIO_SET_IOMMU (type1v2)", e))?;
        let iommu = Arc::new(Iommu {
            bdf: bdf.clone(),
            group: gfile.into(),
            container: container.into(),
            iova: Mutex::new(IovaAllocator::new(opts.iova.0, opts.iova.1)),
            pinned: AtomicU64::new(0),
        });

        let cname = CString::new(bdf.clone()).expect("a PCI address has no NUL");
        let dfd = sys::group_get_device_fd(iommu.group.as_fd(), &cname)
            .map_err(|e| VfioError::io(&bdf, "VFIO_GROUP_GET_DEVICE_FD", e))?;
        let info = sys::device_info(dfd.as_fd()).map_err(|e| VfioError::io(&bdf, "VFIO_DEVICE_GET_INFO", e))?;
        if info.flags & uapi::VFIO_DEVICE_FLAGS_PCI == 0 || info.num_regions <= uapi::VFIO_PCI_CONFIG_REGION_INDEX {
            return Err(VfioError::Bar { bdf, reason: "missing: VFIO does not present this device as PCI".into() });
        }
        let bar = sys::region_info(dfd.as_fd(), uapi::VFIO_PCI_BAR0_REGION_INDEX)
            .map_err(|e| VfioError::io(&bdf, "VFIO_DEVICE_GET_REGION_INFO (BAR0)", e))?;
        if bar.size == 0 {
            return Err(VfioError::Bar { bdf, reason: "is not implemented (size 0)".into() });
        }
        if bar.flags & uapi::VFIO_REGION_INFO_FLAG_MMAP == 0 {
            return Err(VfioError::Bar {
                bdf,
                reason: "cannot be mmapped (is it a memory BAR, at least one page long?)".into(),
            });
        }
        let bar0 = sys::MmioMap::map(dfd.as_fd(), bar.offset, bar.size as usize)
            .map_err(|e| VfioError::io(&bdf, "mmap BAR0", e))?;
        let cfg = sys::region_info(dfd.as_fd(), uapi::VFIO_PCI_CONFIG_REGION_INDEX)
            .map_err(|e| VfioError::io(&bdf, "VFIO_DEVICE_GET_REGION_INFO (config)", e))?;

        let dev = Self {
            name: bdf,
            bar0,
            device: File::from(dfd),
            config_offset: cfg.offset,
            flags: info.flags,
            hugepages: opts.hugepages,
            sysfs: opts.sysfs,
            iommu,
        };
        if opts.reset_on_open && dev.can_reset() {
            dev.reset()?;
        }
        dev.set_command(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, true)?;
        tracing::debug!(device = %dev.name, group, bar0_len = dev.bar0.len(), "VFIO device open");
        Ok(dev)
    }

    /// Read the PCI Command register.
    fn command(&self) -> Result<u16, VfioError> {
        let mut b = [0u8; 2];
        self.device
            .read_exact_at(&mut b, self.config_offset + PCI_COMMAND)
            .map_err(|e| VfioError::io(&self.name, "read PCI command register", e))?;
        Ok(u16::from_le_bytes(b))
    }

    fn set_command(&self, bits: u16, on: bool) -> Result<(), VfioError> {
        let cmd = self.command()?;
        let new = if on { cmd | bits } else { cmd & !bits };
        self.device
            .write_all_at(&new.to_le_bytes(), self.config_offset + PCI_COMMAND)
            .map_err(|e| VfioError::io(&self.name, "write PCI command register", e))
    }

    /// Whether bus mastering (the device's DMA) is on.
    pub fn bus_master(&self) -> Result<bool, VfioError> {
        Ok(self.command()? & PCI_COMMAND_MASTER != 0)
    }

    /// Whether VFIO offers a reset for this device (FLR, PM or bus reset).
    pub fn can_reset(&self) -> bool {
        self.flags & uapi::VFIO_DEVICE_FLAGS_RESET != 0
    }

    /// Reset the device (VFIO_DEVICE_RESET), then turn memory space and bus mastering back on.
    /// Quiesce the rings first: a reset drops everything the card was doing.
    pub fn reset(&self) -> Result<(), VfioError> {
        if !self.can_reset() {
            return Err(VfioError::NoReset { bdf: self.name.clone() });
        }
        sys::device_reset(self.device.as_fd()).map_err(|e| VfioError::io(&self.name, "VFIO_DEVICE_RESET", e))?;
        self.set_command(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, true)
    }

    /// Bytes currently pinned for DMA through this device's container.
    pub fn pinned_bytes(&self) -> u64 {
        self.iommu.pinned.load(Ordering::Relaxed)
    }

    /// Allocate DMA memory (hugepages per [`VfioOptions::hugepages`]), map it at a fresh IOVA,
    /// and wrap it. Dropping the region unmaps the IOVA range, then frees the memory.
    pub fn map_dma(&self, len: usize) -> Result<DmaRegion, VfioError> {
        self.map_dma_with(len, self.hugepages)
    }

    /// [`map_dma`](Self::map_dma) with an explicit hugepage policy.
    pub fn map_dma_with(&self, len: usize, policy: HugePages) -> Result<DmaRegion, VfioError> {
        let bdf = &self.name;
        let plan = match mem::plan_pages(
            policy,
            len.max(1),
            self.sysfs.free_hugepages(PAGE_2M),
            self.sysfs.free_hugepages(PAGE_1G),
        ) {
            Ok(p) => p,
            Err(e) => return Err(VfioError::NoHugepages { bdf: bdf.clone(), len, page_size: e.page_size }),
        };
        if let Some(why) = &plan.fallback {
            tracing::warn!(device = %bdf, "DMA memory: {why}");
        }

        let limit = sys::memlock_limit().map_err(|e| VfioError::io(bdf, "getrlimit(RLIMIT_MEMLOCK)", e))?;
        let cap = mem::has_cap_ipc_lock();
        let need = self.pinned_bytes() + plan.bytes as u64;
        if !mem::memlock_allows(need, limit, cap) {
            return Err(VfioError::MemlockLimit { bdf: bdf.clone(), need, limit });
        }

        let (host, page_size) = match sys::HostMem::alloc(plan.bytes, plan.page_size, plan.huge) {
            Ok(m) => (m, plan.page_size),
            Err(e) if plan.huge && e.raw_os_error() == Some(libc::ENOMEM) => {
                if policy == HugePages::Require {
                    return Err(VfioError::NoHugepages { bdf: bdf.clone(), len, page_size: plan.page_size });
                }
                tracing::warn!(device = %bdf, "DMA memory: hugetlb pool exhausted ({e}); using 4 KiB pages");
                let bytes = len.max(1).div_ceil(mem::PAGE_4K) * mem::PAGE_4K;
                let m = sys::HostMem::alloc(bytes, mem::PAGE_4K, false)
                    .map_err(|e| VfioError::io(bdf, "mmap DMA memory", e))?;
                (m, mem::PAGE_4K)
            }
            Err(e) => return Err(VfioError::io(bdf, "mmap DMA memory", e)),
        };
        let size = host.len() as u64;
        let iova = {
            let mut a = self.iommu.iova.lock().unwrap_or_else(|p| p.into_inner());
            a.alloc(size, page_size as u64).ok_or_else(|| {
                let (start, end) = a.window();
                VfioError::IovaExhausted { bdf: bdf.clone(), len: size, start, end }
            })?
        };
        // SAFETY: `host` stays alive until the owner below has unmapped the range (VfioDma::drop).
        if let Err(e) = unsafe { sys::iommu_map_dma(self.iommu.container.as_fd(), host.ptr(), iova, size) } {
            self.iommu.iova.lock().unwrap_or_else(|p| p.into_inner()).free(iova, size);
            let limited = e.raw_os_error() == Some(libc::ENOMEM) && !cap;
            return Err(if limited {
                VfioError::MemlockLimit { bdf: bdf.clone(), need, limit }
            } else {
                VfioError::io(bdf, "VFIO_IOMMU_MAP_DMA", e)
            });
        }
        self.iommu.pinned.fetch_add(size, Ordering::Relaxed);
        tracing::debug!(device = %bdf, iova = format_args!("{iova:#x}"), size, page_size, "DMA mapped");
        let ptr: NonNull<u8> = host.ptr();
        let owner = VfioDma { iommu: self.iommu.clone(), host: Some(host), iova, size };
        // SAFETY: `ptr` is page aligned (so 64-byte aligned), valid for `size` bytes (a multiple
        // of 4096) for as long as `owner` lives, freshly mapped (zeroed) and touched by nothing
        // else; DmaRegion only accesses it atomically.
        Ok(unsafe { DmaRegion::from_raw(ptr.cast(), size as usize, iova, Box::new(owner)) })
    }
}

impl Drop for VfioDevice {
    fn drop(&mut self) {
        // Stop the device's DMA before anything else goes away; vfio-pci does it again on release.
        if let Err(e) = self.set_command(PCI_COMMAND_MASTER, false) {
            tracing::warn!(device = %self.name, "teardown: {e}");
        }
    }
}

/// Owner of one mapped DMA range: unmaps the IOVA range, then frees the memory.
struct VfioDma {
    iommu: Arc<Iommu>,
    host: Option<sys::HostMem>,
    iova: u64,
    size: u64,
}

impl Drop for VfioDma {
    fn drop(&mut self) {
        match sys::iommu_unmap_dma(self.iommu.container.as_fd(), self.iova, self.size) {
            Ok(n) if n == self.size => {
                self.iommu.iova.lock().unwrap_or_else(|p| p.into_inner()).free(self.iova, self.size);
                self.iommu.pinned.fetch_sub(self.size, Ordering::Relaxed);
            }
            result => {
                // The device might still reach this memory: never hand it back to the allocator.
                tracing::error!(
                    device = %self.iommu.bdf,
                    iova = format_args!("{:#x}", self.iova),
                    "VFIO_IOMMU_UNMAP_DMA failed ({result:?}); leaking the memory to keep the host safe"
                );
                std::mem::forget(self.host.take());
            }
        }
    }
}

impl Device for VfioDevice {
    fn name(&self) -> &str {
        &self.name
    }

    fn bar0_len(&self) -> usize {
        self.bar0.len()
    }

    fn read32(&self, offset: usize) -> u32 {
        self.bar0.read32(offset)
    }

    fn write32(&self, offset: usize, value: u32) {
        self.bar0.write32(offset, value)
    }

    fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError> {
        Ok(self.map_dma(len)?)
    }
}
