//! Regfile: DMA ring

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

// Anonymous component instances
pub mod base_hi;
pub mod base_lo;
pub mod cons;
pub mod ctrl;
pub mod drops;
pub mod irqs;
pub mod itch_types;
pub mod locate_types;
pub mod prod;
pub mod signal;
pub mod slots;
pub mod status;
pub mod wb_hi;
pub mod wb_lo;

/// DMA ring
///
/// One ring of 64-byte tick slots in host memory. The card writes slot PROD mod SLOTS; the host returns space by writing CONS.
#[derive(Eq, PartialEq)]
pub struct TwRingRf<'io, IO = peakrdl_rust::io::PtrIO> {
    ptr: *mut u8,
    io: &'io IO,
}

unsafe impl<IO: Sync> Send for TwRingRf<'_, IO> {}
unsafe impl<IO: Sync> Sync for TwRingRf<'_, IO> {}

// manually implement Copy to ease generic bounds
// (IO does not need to be Copy)
impl<IO> Copy for TwRingRf<'_, IO> {}

// manually implement Clone to ease generic bounds
// (IO does not need to be Clone)
impl<IO> Clone for TwRingRf<'_, IO> {
    fn clone(&self) -> Self {
        *self
    }
}

impl TwRingRf<'static> {
    /// # Safety
    ///
    /// The caller must guarantee that the provided address points to a
    /// hardware register block implementing this interface.
    #[inline(always)]
    #[must_use]
    pub const unsafe fn from_ptr(ptr: *mut ()) -> Self {
        Self {
            ptr: ptr.cast::<u8>(),
            io: &peakrdl_rust::io::PtrIO,
        }
    }
}

impl<'io, IO> TwRingRf<'io, IO> {
    /// Size in bytes of the underlying memory
    pub const SIZE: usize = 0x38;

    /// # Safety
    ///
    /// The caller must guarantee that the provided address points to a
    /// hardware register block implementing this interface.
    #[inline(always)]
    #[must_use]
    pub const unsafe fn from_ptr_with(ptr: *mut (), io: &'io IO) -> Self {
        Self {
            ptr: ptr.cast::<u8>(),
            io,
        }
    }

    #[inline(always)]
    #[must_use]
    pub const fn as_ptr(&self) -> *mut () {
        self.ptr.cast::<()>()
    }
}

impl<'io, IO: peakrdl_rust::io::RegisterIO> TwRingRf<'io, IO> {
    /// Ring base, low word
    ///
    /// IOVA of slot 0, bits 31:0. Must be 64-byte aligned.
    #[inline(always)]
    #[must_use]
    pub const fn base_lo(&self) -> peakrdl_rust::reg::Reg<'io, base_lo::BaseLo, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x0).cast(), self.io)
        }
    }

    /// Ring base, high word
    #[inline(always)]
    #[must_use]
    pub const fn base_hi(&self) -> peakrdl_rust::reg::Reg<'io, base_hi::BaseHi, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x4).cast(), self.io)
        }
    }

    /// Slot count
    ///
    /// Number of 64-byte slots; a power of two, at least 2. Read when the ring is enabled.
    #[inline(always)]
    #[must_use]
    pub const fn slots(&self) -> peakrdl_rust::reg::Reg<'io, slots::Slots, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x8).cast(), self.io)
        }
    }

    /// Ring control
    #[inline(always)]
    #[must_use]
    pub const fn ctrl(&self) -> peakrdl_rust::reg::Reg<'io, ctrl::Ctrl, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0xC).cast(), self.io)
        }
    }

    /// Ring status
    #[inline(always)]
    #[must_use]
    pub const fn status(&self) -> peakrdl_rust::reg::Reg<'io, status::Status, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x10).cast(), self.io)
        }
    }

    /// Producer index
    ///
    /// Ticks written into this ring since it was last enabled (free-running, wraps at 2^32).
    #[inline(always)]
    #[must_use]
    pub const fn prod(&self) -> peakrdl_rust::reg::Reg<'io, prod::Prod, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x14).cast(), self.io)
        }
    }

    /// Consumer index
    ///
    /// Written by the host: ticks consumed since the ring was enabled (free-running). The card never writes slot PROD mod SLOTS while PROD - CONS == SLOTS.
    #[inline(always)]
    #[must_use]
    pub const fn cons(&self) -> peakrdl_rust::reg::Reg<'io, cons::Cons, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x18).cast(), self.io)
        }
    }

    /// Dropped ticks
    ///
    /// Ticks for this ring dropped because it was full or disabled.
    #[inline(always)]
    #[must_use]
    pub const fn drops(&self) -> peakrdl_rust::reg::Reg<'io, drops::Drops, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x1C).cast(), self.io)
        }
    }

    /// Write-back address, low word
    ///
    /// IOVA where the card writes this ring's indices for consumers that do not poll the slots: 8 bytes, PROD in the low word, DROPS in the high word. Must be 8-byte aligned and inside the 64-byte line right after the slots (BASE + SLOTS*64), so the card never writes outside the ring's window; else enabling the ring with write-back on sets cfg_error. Read when the ring is enabled.
    #[inline(always)]
    #[must_use]
    pub const fn wb_lo(&self) -> peakrdl_rust::reg::Reg<'io, wb_lo::WbLo, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x20).cast(), self.io)
        }
    }

    /// Write-back address, high word
    #[inline(always)]
    #[must_use]
    pub const fn wb_hi(&self) -> peakrdl_rust::reg::Reg<'io, wb_hi::WbHi, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x24).cast(), self.io)
        }
    }

    /// Signalling
    ///
    /// writeback: write PROD/DROPS to WB_HI:WB_LO once `every` ticks (0 counts as 1) have been written since the last write-back, and whenever the ring has nothing more to write. irq: after each write-back has its write response, pulse the ring's interrupt line (tw_core's irq output; MSI-X in the shells). Polling the slots stays the main path.
    #[inline(always)]
    #[must_use]
    pub const fn signal(&self) -> peakrdl_rust::reg::Reg<'io, signal::Signal, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x28).cast(), self.io)
        }
    }

    /// Interrupts
    ///
    /// Interrupt pulses raised for this ring since reset.
    #[inline(always)]
    #[must_use]
    pub const fn irqs(&self) -> peakrdl_rust::reg::Reg<'io, irqs::Irqs, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x2C).cast(), self.io)
        }
    }

    /// ITCH type filter
    ///
    /// Which decoded messages this ring takes: bit i passes ITCH message type i (in the order of docs/tick-format.md: S R H Y L V W K J h A F E C X D U P Q B I N O = bits 0..22), bit 23 passes raw records (unknown type or wrong length). Event and verdict records always pass. Messages a ring does not take are dropped and counted in ITCH_FILTERED.
    #[inline(always)]
    #[must_use]
    pub const fn itch_types(&self) -> peakrdl_rust::reg::Reg<'io, itch_types::ItchTypes, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x30).cast(), self.io)
        }
    }

    /// ITCH locate filter
    ///
    /// Message types (bits as in ITCH_TYPES, 0..22) that must also have their stock_locate set in this ring's locate bitmap (LOCATE_ADDR/LOCATE_DATA) to pass; types whose bit is clear (market-wide ones such as S, R, V, W) always pass the bitmap. 0: the bitmap is not used. Raw records are never checked against the bitmap.
    #[inline(always)]
    #[must_use]
    pub const fn locate_types(&self) -> peakrdl_rust::reg::Reg<'io, locate_types::LocateTypes, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x34).cast(), self.io)
        }
    }
}
