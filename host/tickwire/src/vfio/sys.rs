//! The unsafe layer of the VFIO backend: ioctls, mmap, volatile MMIO, rlimits, signal masks.
//!
//! Everything here is a thin, typed wrapper around one system call. Each ioctl wrapper pairs a
//! request number with the one uapi struct that request takes (from `vfio-bindings`), so callers
//! cannot mismatch them. Request numbers are computed from the uapi's `VFIO_TYPE`/`VFIO_BASE` with
//! nix's `_IO` equivalent, exactly as `linux/vfio.h` defines them (`_IO(VFIO_TYPE, VFIO_BASE + n)`).

use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::ptr::NonNull;

use vfio_bindings::bindings::vfio as uapi;

/// `_IO(VFIO_TYPE, VFIO_BASE + nr)`, as in linux/vfio.h.
const fn vfio_io(nr: u32) -> libc::Ioctl {
    nix::request_code_none!(uapi::VFIO_TYPE, uapi::VFIO_BASE + nr) as libc::Ioctl
}

// The `+ n` of each request, as linux/vfio.h numbers them.
const VFIO_GET_API_VERSION: libc::Ioctl = vfio_io(0);
const VFIO_CHECK_EXTENSION: libc::Ioctl = vfio_io(1);
const VFIO_SET_IOMMU: libc::Ioctl = vfio_io(2);
const VFIO_GROUP_GET_STATUS: libc::Ioctl = vfio_io(3);
const VFIO_GROUP_SET_CONTAINER: libc::Ioctl = vfio_io(4);
const VFIO_GROUP_GET_DEVICE_FD: libc::Ioctl = vfio_io(6);
const VFIO_DEVICE_GET_INFO: libc::Ioctl = vfio_io(7);
const VFIO_DEVICE_GET_REGION_INFO: libc::Ioctl = vfio_io(8);
const VFIO_DEVICE_RESET: libc::Ioctl = vfio_io(11);
const VFIO_IOMMU_MAP_DMA: libc::Ioctl = vfio_io(13);
const VFIO_IOMMU_UNMAP_DMA: libc::Ioctl = vfio_io(14);

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

fn argsz<T>() -> u32 {
    std::mem::size_of::<T>() as u32
}

/// VFIO_GET_API_VERSION on a container fd.
pub(crate) fn get_api_version(container: BorrowedFd<'_>) -> io::Result<i32> {
    // SAFETY: this request takes no argument.
    check(unsafe { libc::ioctl(container.as_raw_fd(), VFIO_GET_API_VERSION) })
}

/// VFIO_CHECK_EXTENSION: true when the container supports IOMMU type `ext`.
pub(crate) fn check_extension(container: BorrowedFd<'_>, ext: u32) -> io::Result<bool> {
    // SAFETY: this request takes an integer argument by value.
    check(unsafe { libc::ioctl(container.as_raw_fd(), VFIO_CHECK_EXTENSION, ext as libc::c_ulong) })
        .map(|r| r > 0)
}

/// VFIO_SET_IOMMU: select the IOMMU model of a container (after a group joined it).
pub(crate) fn set_iommu(container: BorrowedFd<'_>, kind: u32) -> io::Result<()> {
    // SAFETY: this request takes an integer argument by value.
    check(unsafe { libc::ioctl(container.as_raw_fd(), VFIO_SET_IOMMU, kind as libc::c_ulong) })
        .map(drop)
}

/// VFIO_GROUP_GET_STATUS: the group's flags (VFIO_GROUP_FLAGS_VIABLE, ..._CONTAINER_SET).
pub(crate) fn group_status(group: BorrowedFd<'_>) -> io::Result<u32> {
    let mut st = uapi::vfio_group_status {
        argsz: argsz::<uapi::vfio_group_status>(),
        flags: 0,
    };
    // SAFETY: the request takes a pointer to a vfio_group_status, which `st` is, with argsz set;
    // the kernel writes only within it.
    check(unsafe { libc::ioctl(group.as_raw_fd(), VFIO_GROUP_GET_STATUS, &mut st) })?;
    Ok(st.flags)
}

/// VFIO_GROUP_SET_CONTAINER: attach a group to a container.
pub(crate) fn group_set_container(group: BorrowedFd<'_>, container: BorrowedFd<'_>) -> io::Result<()> {
    let fd: libc::c_int = container.as_raw_fd();
    // SAFETY: the request takes a pointer to an int holding the container fd.
    check(unsafe { libc::ioctl(group.as_raw_fd(), VFIO_GROUP_SET_CONTAINER, &fd) }).map(drop)
}

/// VFIO_GROUP_GET_DEVICE_FD: open the device named `name` (its PCI address) in the group.
pub(crate) fn group_get_device_fd(group: BorrowedFd<'_>, name: &CStr) -> io::Result<OwnedFd> {
    // SAFETY: the request takes a pointer to a NUL-terminated device name, which a CStr is.
    let fd = check(unsafe { libc::ioctl(group.as_raw_fd(), VFIO_GROUP_GET_DEVICE_FD, name.as_ptr()) })?;
    // SAFETY: on success the kernel returned a new fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// VFIO_DEVICE_GET_INFO.
pub(crate) fn device_info(device: BorrowedFd<'_>) -> io::Result<uapi::vfio_device_info> {
    let mut info = uapi::vfio_device_info {
        argsz: argsz::<uapi::vfio_device_info>(),
        ..Default::default()
    };
    // SAFETY: the request takes a pointer to a vfio_device_info with argsz set; the kernel writes
    // at most argsz bytes.
    check(unsafe { libc::ioctl(device.as_raw_fd(), VFIO_DEVICE_GET_INFO, &mut info) })?;
    Ok(info)
}

/// VFIO_DEVICE_GET_REGION_INFO for region `index` (VFIO_PCI_BAR0_REGION_INDEX, ...).
pub(crate) fn region_info(device: BorrowedFd<'_>, index: u32) -> io::Result<uapi::vfio_region_info> {
    let mut info = uapi::vfio_region_info {
        argsz: argsz::<uapi::vfio_region_info>(),
        index,
        ..Default::default()
    };
    // SAFETY: the request takes a pointer to a vfio_region_info with argsz and index set; the
    // kernel writes at most argsz bytes (capabilities beyond it are only announced in argsz).
    check(unsafe { libc::ioctl(device.as_raw_fd(), VFIO_DEVICE_GET_REGION_INFO, &mut info) })?;
    Ok(info)
}

/// VFIO_DEVICE_RESET.
pub(crate) fn device_reset(device: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: this request takes no argument.
    check(unsafe { libc::ioctl(device.as_raw_fd(), VFIO_DEVICE_RESET) }).map(drop)
}

/// VFIO_IOMMU_MAP_DMA: let the device read and write `[vaddr, vaddr + size)` at `iova`.
///
/// # Safety
/// The memory must stay valid (not unmapped, not reused) until [`iommu_unmap_dma`] of the same
/// range has returned, because the device may access it at any time in between.
pub(crate) unsafe fn iommu_map_dma(
    container: BorrowedFd<'_>,
    vaddr: NonNull<u8>,
    iova: u64,
    size: u64,
) -> io::Result<()> {
    let map = uapi::vfio_iommu_type1_dma_map {
        argsz: argsz::<uapi::vfio_iommu_type1_dma_map>(),
        flags: uapi::VFIO_DMA_MAP_FLAG_READ | uapi::VFIO_DMA_MAP_FLAG_WRITE,
        vaddr: vaddr.as_ptr() as u64,
        iova,
        size,
    };
    // SAFETY: the request takes a pointer to a vfio_iommu_type1_dma_map; the caller keeps the
    // memory valid while mapped.
    check(unsafe { libc::ioctl(container.as_raw_fd(), VFIO_IOMMU_MAP_DMA, &map) }).map(drop)
}

/// VFIO_IOMMU_UNMAP_DMA of `[iova, iova + size)`; returns the number of bytes unmapped.
pub(crate) fn iommu_unmap_dma(container: BorrowedFd<'_>, iova: u64, size: u64) -> io::Result<u64> {
    let mut unmap = uapi::vfio_iommu_type1_dma_unmap {
        argsz: argsz::<uapi::vfio_iommu_type1_dma_unmap>(),
        flags: 0,
        iova,
        size,
        data: Default::default(),
    };
    // SAFETY: the request takes a pointer to a vfio_iommu_type1_dma_unmap (no trailing data with
    // flags 0); the kernel writes the unmapped size back into it.
    check(unsafe { libc::ioctl(container.as_raw_fd(), VFIO_IOMMU_UNMAP_DMA, &mut unmap) })?;
    Ok(unmap.size)
}

/// A shared memory mapping of a device region (BAR), accessed with volatile 32-bit loads/stores.
pub(crate) struct MmioMap {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the mapping is plain device memory; every access is a volatile load/store of an aligned
// u32 (atomic on x86 and aarch64 for MMIO), so concurrent use from several threads is sound.
unsafe impl Send for MmioMap {}
// SAFETY: as above.
unsafe impl Sync for MmioMap {}

impl MmioMap {
    /// mmap `len` bytes of `fd` at `offset`, shared, read/write.
    pub(crate) fn map(fd: BorrowedFd<'_>, offset: u64, len: usize) -> io::Result<Self> {
        // SAFETY: a new mapping at an address the kernel picks; no existing memory is affected.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                offset as libc::off_t,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let ptr = NonNull::new(p.cast::<u8>()).ok_or_else(|| io::Error::other("mmap returned NULL"))?;
        Ok(Self { ptr, len })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn at(&self, offset: usize) -> *mut u32 {
        assert!(
            offset.is_multiple_of(4) && offset.checked_add(4).is_some_and(|end| end <= self.len),
            "MMIO offset {offset:#x} outside the {:#x}-byte BAR or unaligned",
            self.len
        );
        // SAFETY: offset + 4 <= len (checked above), so the result stays inside the mapping.
        unsafe { self.ptr.as_ptr().add(offset).cast::<u32>() }
    }

    /// Volatile 32-bit load at `offset` (checked: aligned and inside the mapping).
    #[inline]
    pub(crate) fn read32(&self, offset: usize) -> u32 {
        let p = self.at(offset);
        // SAFETY: `p` is aligned and inside the live mapping (see `at`).
        u32::from_le(unsafe { p.read_volatile() })
    }

    /// Volatile 32-bit store at `offset` (checked: aligned and inside the mapping).
    #[inline]
    pub(crate) fn write32(&self, offset: usize, value: u32) {
        let p = self.at(offset);
        // SAFETY: `p` is aligned and inside the live mapping (see `at`).
        unsafe { p.write_volatile(value.to_le()) }
    }
}

impl Drop for MmioMap {
    fn drop(&mut self) {
        // SAFETY: ptr/len are exactly what mmap returned, and nothing uses the mapping after drop.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
    }
}

/// Anonymous, populated, private memory for DMA: 4 KiB pages or hugetlb pages of `page_size`.
pub(crate) struct HostMem {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: HostMem only owns the mapping; all accesses to its memory go through DmaRegion's atomics.
unsafe impl Send for HostMem {}
// SAFETY: as above.
unsafe impl Sync for HostMem {}

impl HostMem {
    /// Map `len` bytes (a multiple of `page_size`), faulted in now (MAP_POPULATE). With `huge`,
    /// from the hugetlb pool of `page_size` (2 MiB or 1 GiB); fails with ENOMEM if the pool is short.
    pub(crate) fn alloc(len: usize, page_size: usize, huge: bool) -> io::Result<Self> {
        let mut flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_POPULATE;
        if huge {
            flags |= libc::MAP_HUGETLB | ((page_size.trailing_zeros() as libc::c_int) << libc::MAP_HUGE_SHIFT);
        }
        // SAFETY: a new anonymous mapping at an address the kernel picks.
        let p = unsafe {
            libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, flags, -1, 0)
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let ptr = NonNull::new(p.cast::<u8>()).ok_or_else(|| io::Error::other("mmap returned NULL"))?;
        let mem = Self { ptr, len };
        // Memory the device writes must not be copied-on-write into a forked child (as DPDK and
        // SPDK do): the child would get private copies, and the parent's pinned pages could be
        // the ones replaced.
        // SAFETY: ptr/len are exactly the mapping created above.
        if unsafe { libc::madvise(p, len, libc::MADV_DONTFORK) } != 0 {
            return Err(io::Error::last_os_error()); // `mem` unmaps on drop
        }
        Ok(mem)
    }

    pub(crate) fn ptr(&self) -> NonNull<u8> {
        self.ptr
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl Drop for HostMem {
    fn drop(&mut self) {
        // SAFETY: ptr/len are exactly what mmap returned; the owner unmapped it from the IOMMU first.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
    }
}

/// RLIMIT_MEMLOCK (soft limit) in bytes; `u64::MAX` for unlimited.
pub(crate) fn memlock_limit() -> io::Result<u64> {
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes one rlimit struct, which `r` is.
    check(unsafe { libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut r) })?;
    Ok(if r.rlim_cur == libc::RLIM_INFINITY { u64::MAX } else { r.rlim_cur })
}

/// Set RLIMIT_MEMLOCK (soft and hard) to `bytes`.
pub(crate) fn set_memlock_limit(bytes: u64) -> io::Result<()> {
    let r = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
    // SAFETY: setrlimit reads one rlimit struct, which `r` is.
    check(unsafe { libc::setrlimit(libc::RLIMIT_MEMLOCK, &r) }).map(drop)
}

/// Block (`true`) or unblock SIGINT and SIGTERM in the calling thread.
pub(crate) fn block_termination_signals(block: bool) -> io::Result<()> {
    // SAFETY: sigset_t is plain data; sigemptyset/sigaddset initialise it before use.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid sigset_t; the signal numbers are valid.
    unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
    }
    let how = if block { libc::SIG_BLOCK } else { libc::SIG_UNBLOCK };
    // SAFETY: `set` is initialised; the old mask is not requested.
    let rc = unsafe { libc::pthread_sigmask(how, &set, std::ptr::null_mut()) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(())
}
