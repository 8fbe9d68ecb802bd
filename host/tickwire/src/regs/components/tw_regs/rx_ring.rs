//! Register: Receive ring

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Receive ring
///
/// Ring that receives every tick, until the flow filter chooses rings per frame. Read when a tick leaves the clock-crossing FIFO.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct RxRing(u32);

unsafe impl Send for RxRing {}
unsafe impl Sync for RxRing {}

impl core::default::Default for RxRing {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for RxRing {
    type Regwidth = u32;
    type Accesswidth = u32;
    type Access = peakrdl_rust::access::RW;
    type ByteEndian = peakrdl_rust::endian::LittleEndian;
    type WordEndian = peakrdl_rust::endian::LittleEndian;

    unsafe fn from_raw(val: Self::Regwidth) -> Self {
        Self(val)
    }

    fn to_raw(self) -> Self::Regwidth {
        self.0
    }
}

impl RxRing {
    pub const RING_OFFSET: usize = 0;
    pub const RING_WIDTH: usize = 5;
    pub const RING_MASK: u32 = 0x1F;

    /// ring
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn ring(&self) -> u8 {
        let val = (self.0 >> Self::RING_OFFSET) & Self::RING_MASK;
        val as u8
    }

    /// ring
    #[inline(always)]
    pub fn set_ring(&mut self, val: u8) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::RING_MASK << Self::RING_OFFSET))
            | ((val & Self::RING_MASK) << Self::RING_OFFSET);
    }
}

impl core::fmt::Debug for RxRing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RxRing")
            .field("ring", &self.ring())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = RxRing::default();
        assert_eq!(reg.ring(), 0);
    }
}
