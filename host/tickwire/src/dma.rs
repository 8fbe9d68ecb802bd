//! DMA memory: one owning type for memory the card writes and the host reads.
//!
//! The card may write a region at any time while a ring points into it, so the host never holds a
//! Rust reference (`&[u8]`, `&T`) into it: every access is an atomic load or store of an aligned
//! 64-bit word, and hand-off is explicit (the ring protocol's validity word, read with Acquire).

use std::any::Any;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A block of DMA memory: host virtual address, device address (IOVA) and length.
pub struct DmaRegion {
    ptr: NonNull<AtomicU64>,
    words: usize,
    iova: u64,
    // Keeps the memory alive (and mapped for the device) as long as the region exists; its Drop
    // unmaps and frees. Dropped after `ptr` is last used, since `self` owns both.
    owner: ManuallyDrop<Box<dyn Any + Send + Sync>>,
    // Set when a device may still write the memory: dropping the region then leaks it (never
    // unmapped, never reused) instead of handing it back.
    leak: AtomicBool,
}

// SAFETY: the region is only accessed through atomic operations on `AtomicU64`, which is Sync;
// the owner is Send + Sync.
unsafe impl Send for DmaRegion {}
// SAFETY: as above: shared access is atomic only.
unsafe impl Sync for DmaRegion {}

impl DmaRegion {
    /// Wrap memory that a backend allocated and mapped.
    ///
    /// # Safety
    /// `ptr` must be 64-byte aligned and valid for reads and writes of `len` bytes for as long as
    /// `owner` lives; `len` must be a multiple of 64; nothing may access the memory other than
    /// through atomic operations (the device's DMA writes aside) while the region exists.
    pub(crate) unsafe fn from_raw(
        ptr: NonNull<AtomicU64>,
        len: usize,
        iova: u64,
        owner: Box<dyn Any + Send + Sync>,
    ) -> Self {
        debug_assert!(len.is_multiple_of(64) && (ptr.as_ptr() as usize).is_multiple_of(64));
        Self {
            ptr,
            words: len / 8,
            iova,
            owner: ManuallyDrop::new(owner),
            leak: AtomicBool::new(false),
        }
    }

    /// Device address of byte 0.
    pub fn iova(&self) -> u64 {
        self.iova
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.words * 8
    }

    /// True when the region has no bytes.
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    #[inline(always)]
    fn word(&self, index: usize) -> &AtomicU64 {
        assert!(
            index < self.words,
            "DMA word {index} out of range ({} words)",
            self.words
        );
        // SAFETY: index is in bounds (checked above); the memory is valid and aligned for the
        // region's lifetime (from_raw's contract) and only accessed atomically.
        unsafe { &*self.ptr.as_ptr().add(index) }
    }

    /// The 64-byte line `index` (bytes `64 * index ..`), as eight atomic words: one bounds check
    /// for a whole tick slot.
    #[inline(always)]
    pub(crate) fn line(&self, index: usize) -> &[AtomicU64; 8] {
        assert!(index < self.words / 8, "DMA line {index} out of range ({} lines)", self.words / 8);
        // SAFETY: the line is in bounds (checked above) and 64-byte aligned (from_raw's contract:
        // the region is 64-byte aligned and a whole number of lines); [AtomicU64; 8] has the
        // layout of eight consecutive AtomicU64; the memory is only accessed atomically.
        unsafe { &*self.ptr.as_ptr().add(index * 8).cast::<[AtomicU64; 8]>() }
    }

    /// Atomic load of the little-endian 64-bit word at `index` (byte offset `8 * index`).
    #[inline(always)]
    pub fn load(&self, index: usize, order: Ordering) -> u64 {
        u64::from_le(self.word(index).load(order))
    }

    /// Atomic store of the 64-bit word at `index`, little-endian. For buffers the host hands to a
    /// device to read (e.g. a DMA source); never write into a ring the card is writing: the ring's
    /// own code does that (zeroing before enable).
    #[inline(always)]
    pub fn store(&self, index: usize, value: u64, order: Ordering) {
        self.word(index).store(value.to_le(), order)
    }

    /// Zero the whole region (before handing it to the device).
    pub(crate) fn zero(&self) {
        for i in 0..self.words {
            self.store(i, 0, Ordering::Relaxed);
        }
        std::sync::atomic::fence(Ordering::SeqCst);
    }
}

impl DmaRegion {
    /// Never unmap or free this memory: the device may still write it (a ring that did not go
    /// idle). Dropping the region then leaks it, which is safe; unmapping it would not be.
    pub(crate) fn leak_on_drop(&self) {
        self.leak.store(true, Ordering::Relaxed);
    }

    /// Whether the region will be leaked on drop.
    pub(crate) fn leaks(&self) -> bool {
        self.leak.load(Ordering::Relaxed)
    }
}

impl Drop for DmaRegion {
    fn drop(&mut self) {
        if !self.leak.load(Ordering::Relaxed) {
            // SAFETY: `owner` is dropped exactly once, here, and never used again: `self` is
            // being dropped and `ptr` is not dereferenced after this point.
            unsafe { ManuallyDrop::drop(&mut self.owner) }
        }
    }
}

impl std::fmt::Debug for DmaRegion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DmaRegion")
            .field("iova", &format_args!("{:#x}", self.iova))
            .field("len", &self.len())
            .finish()
    }
}
