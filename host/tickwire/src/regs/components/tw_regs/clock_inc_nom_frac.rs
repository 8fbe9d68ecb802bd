//! Register: Nominal clock increment, fraction

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Nominal clock increment, fraction
///
/// The rx_clk period this build was made for (the increment after reset), fraction bits.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockIncNomFrac(u32);

unsafe impl Send for ClockIncNomFrac {}
unsafe impl Sync for ClockIncNomFrac {}

impl core::default::Default for ClockIncNomFrac {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockIncNomFrac {
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

impl ClockIncNomFrac {
    pub const FRAC_OFFSET: usize = 0;
    pub const FRAC_WIDTH: usize = 32;
    pub const FRAC_MASK: u32 = 0xFFFF_FFFF;

    /// frac
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn frac(&self) -> u32 {
        let val = (self.0 >> Self::FRAC_OFFSET) & Self::FRAC_MASK;
        val
    }
}

impl core::fmt::Debug for ClockIncNomFrac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockIncNomFrac")
            .field("frac", &self.frac())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockIncNomFrac::default();
        assert_eq!(reg.frac(), 0);
    }
}
