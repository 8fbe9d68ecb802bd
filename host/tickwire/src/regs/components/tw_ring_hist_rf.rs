//! Regfile: Latency histogram of one ring

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

// Anonymous component instances
pub mod bin;

/// Latency histogram of one ring
///
/// BIN[b] counts the ticks whose DMA write was issued (DMA issue time - receive timestamp) ns after their frame's first beat: b = 0..15: [16b, 16b+16) ns; b = 16..30: [2^(b-8), 2^(b-7)) ns; b = 31: 2^23 ns (8.4 ms) and more. Accurate to about 11 ns (the issue time is the clk domain's card-clock snapshot plus its mean age). Wraps; clears on reset.
#[derive(Eq, PartialEq)]
pub struct TwRingHistRf<'io, IO = peakrdl_rust::io::PtrIO> {
    ptr: *mut u8,
    io: &'io IO,
}

unsafe impl<IO: Sync> Send for TwRingHistRf<'_, IO> {}
unsafe impl<IO: Sync> Sync for TwRingHistRf<'_, IO> {}

// manually implement Copy to ease generic bounds
// (IO does not need to be Copy)
impl<IO> Copy for TwRingHistRf<'_, IO> {}

// manually implement Clone to ease generic bounds
// (IO does not need to be Clone)
impl<IO> Clone for TwRingHistRf<'_, IO> {
    fn clone(&self) -> Self {
        *self
    }
}

impl TwRingHistRf<'static> {
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

impl<'io, IO> TwRingHistRf<'io, IO> {
    /// Size in bytes of the underlying memory
    pub const SIZE: usize = 0x80;

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

impl<'io, IO: peakrdl_rust::io::RegisterIO> TwRingHistRf<'io, IO> {
    /// Bin
    #[inline(always)]
    #[must_use]
    pub const fn bin(&self) -> [peakrdl_rust::reg::Reg<'io, bin::Bin, IO>; 32] {
        // SAFETY: We will initialize every element before using the array
        let mut array = [core::mem::MaybeUninit::uninit(); 32];

        let mut i0 = 0;
        while i0 < 32 {
            array[i0].write(unsafe {
                peakrdl_rust::reg::Reg::<'io, bin::Bin, IO>::from_ptr_with(
                    self.ptr.wrapping_byte_add(0x0 + i0 * 0x4).cast(),
                    self.io,
                )
            });
            i0 += 1;
        }

        // SAFETY: All elements have been initialized above
        unsafe { core::mem::transmute(array) }
    }
}
