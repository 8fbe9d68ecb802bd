//! The only unsafe code of the crate: mapping the ring file and asking whether a pid is alive.
//!
//! Every participant (the writer and any number of readers, in any process) touches the mapped
//! memory through `AtomicU64` only, never through plain references, so the words may be
//! modified concurrently by another process while this one holds `&AtomicU64`s into them.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::sync::atomic::AtomicU64;

/// A shared (`MAP_SHARED`) mapping of a whole ring file, unmapped on drop.
pub(crate) struct Mapping {
    ptr: *mut libc::c_void,
    len: usize,
}

// SAFETY: the mapping is plain memory owned by this value; it is only accessed through
// `AtomicU64`, which is safe to share between threads.
unsafe impl Send for Mapping {}
// SAFETY: as above; `&Mapping` only hands out `&[AtomicU64]`.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Map `len` bytes (a multiple of 8, non-zero) of `file`, read-write or read-only.
    pub(crate) fn new(file: &File, len: usize, writable: bool) -> io::Result<Self> {
        assert!(len > 0 && len.is_multiple_of(8));
        let prot = if writable { libc::PROT_READ | libc::PROT_WRITE } else { libc::PROT_READ };
        // SAFETY: a fresh mapping chosen by the kernel (addr NULL) of an open fd; it aliases no
        // Rust object. The result is checked for MAP_FAILED before use.
        let ptr = unsafe { libc::mmap(std::ptr::null_mut(), len, prot, libc::MAP_SHARED, file.as_raw_fd(), 0) };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Self { ptr, len })
    }

    /// The mapping as 64-bit atomic words. A read-only mapping must only be loaded from (the
    /// reader never stores; std documents atomic loads of read-only memory as allowed for
    /// native-width atomics such as `AtomicU64`).
    pub(crate) fn words(&self) -> &[AtomicU64] {
        // SAFETY: `ptr` is page-aligned (so aligned for AtomicU64) and valid for `len` bytes
        // until `self` is dropped, which the returned lifetime enforces. All accesses by every
        // process go through atomics, and AtomicU64 allows mutation through shared references,
        // so concurrent writes by other processes are not data races.
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<AtomicU64>(), self.len / 8) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `ptr`/`len` are exactly what mmap returned; no reference from `words()` can
        // outlive `self`.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

/// Whether a process with this pid exists (in our pid namespace). `kill(pid, 0)` sends nothing;
/// EPERM means it exists but belongs to someone else.
pub(crate) fn pid_alive(pid: u64) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only performs the existence and permission checks.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
