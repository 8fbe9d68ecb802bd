//! Register: Clock step, high word

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Clock step, high word
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockStepHi(u32);

unsafe impl Send for ClockStepHi {}
unsafe impl Sync for ClockStepHi {}

impl core::default::Default for ClockStepHi {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockStepHi {
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

impl ClockStepHi {
    pub const NS_OFFSET: usize = 0;
    pub const NS_WIDTH: usize = 32;
    pub const NS_MASK: u32 = 0xFFFF_FFFF;

    /// ns
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn ns(&self) -> u32 {
        let val = (self.0 >> Self::NS_OFFSET) & Self::NS_MASK;
        val
    }

    /// ns
    #[inline(always)]
    pub fn set_ns(&mut self, val: u32) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::NS_MASK << Self::NS_OFFSET))
            | ((val & Self::NS_MASK) << Self::NS_OFFSET);
    }
}

impl core::fmt::Debug for ClockStepHi {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockStepHi")
            .field("ns", &self.ns())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockStepHi::default();
        assert_eq!(reg.ns(), 0);
    }
}
