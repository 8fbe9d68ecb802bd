//! Register: Clock increment, fraction

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Clock increment, fraction
///
/// Operand of CLOCK_CMD.inc: ns added per rx_clk cycle, fraction bits (units of 2^-32 ns). The driver computes it from a frequency correction in ppb and CLOCK_INC_NOM.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockIncFrac(u32);

unsafe impl Send for ClockIncFrac {}
unsafe impl Sync for ClockIncFrac {}

impl core::default::Default for ClockIncFrac {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockIncFrac {
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

impl ClockIncFrac {
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

    /// frac
    #[inline(always)]
    pub fn set_frac(&mut self, val: u32) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::FRAC_MASK << Self::FRAC_OFFSET))
            | ((val & Self::FRAC_MASK) << Self::FRAC_OFFSET);
    }
}

impl core::fmt::Debug for ClockIncFrac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockIncFrac")
            .field("frac", &self.frac())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockIncFrac::default();
        assert_eq!(reg.frac(), 0);
    }
}
