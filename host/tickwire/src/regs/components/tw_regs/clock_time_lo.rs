//! Register: Card clock, low word

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Card clock, low word
///
/// Card time in ns, bits 31:0, from a snapshot refreshed continuously across the clock crossing (see docs/architecture.md, card clock, for how old it can be). Reading it latches bits 63:32 of the same snapshot into CLOCK_TIME_HI: read LO, then HI.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockTimeLo(u32);

unsafe impl Send for ClockTimeLo {}
unsafe impl Sync for ClockTimeLo {}

impl core::default::Default for ClockTimeLo {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockTimeLo {
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

impl ClockTimeLo {
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

impl core::fmt::Debug for ClockTimeLo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockTimeLo")
            .field("ns", &self.ns())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockTimeLo::default();
        assert_eq!(reg.ns(), 0);
    }
}
