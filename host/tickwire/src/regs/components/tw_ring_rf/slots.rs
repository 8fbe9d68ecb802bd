//! Register: Slot count

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Slot count
///
/// Number of 64-byte slots; a power of two, at least 2. Read when the ring is enabled.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Slots(u32);

unsafe impl Send for Slots {}
unsafe impl Sync for Slots {}

impl core::default::Default for Slots {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Slots {
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

impl Slots {
    pub const SLOTS_OFFSET: usize = 0;
    pub const SLOTS_WIDTH: usize = 32;
    pub const SLOTS_MASK: u32 = 0xFFFF_FFFF;

    /// slots
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn slots(&self) -> u32 {
        let val = (self.0 >> Self::SLOTS_OFFSET) & Self::SLOTS_MASK;
        val
    }

    /// slots
    #[inline(always)]
    pub fn set_slots(&mut self, val: u32) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::SLOTS_MASK << Self::SLOTS_OFFSET))
            | ((val & Self::SLOTS_MASK) << Self::SLOTS_OFFSET);
    }
}

impl core::fmt::Debug for Slots {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Slots")
            .field("slots", &self.slots())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Slots::default();
        assert_eq!(reg.slots(), 0);
    }
}
