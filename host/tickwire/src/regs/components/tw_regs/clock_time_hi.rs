//! Register: Card clock, high word

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Card clock, high word
///
/// Bits 63:32 of the time latched by the last CLOCK_TIME_LO read.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockTimeHi(u32);

unsafe impl Send for ClockTimeHi {}
unsafe impl Sync for ClockTimeHi {}

impl core::default::Default for ClockTimeHi {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockTimeHi {
    type Regwidth = u32;
    type Accesswidth = u32;
    type Access = peakrdl_rust::access::R;
    type ByteEndian = peakrdl_rust::endian::LittleEndian;
    type WordEndian = peakrdl_rust::endian::LittleEndian;

    unsafe fn from_raw(val: Self::Regwidth) -> Self {
        Self(val)
    }

    fn to_raw(self) -> Self::Regwidth {
        self.0
    }
}

impl ClockTimeHi {
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
}

impl core::fmt::Debug for ClockTimeHi {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockTimeHi")
            .field("ns", &self.ns())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockTimeHi::default();
        assert_eq!(reg.ns(), 0);
    }
}
