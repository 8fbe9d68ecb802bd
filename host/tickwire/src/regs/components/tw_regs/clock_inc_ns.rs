//! Register: Clock increment, whole ns

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Clock increment, whole ns
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockIncNs(u32);

unsafe impl Send for ClockIncNs {}
unsafe impl Sync for ClockIncNs {}

impl core::default::Default for ClockIncNs {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockIncNs {
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

impl ClockIncNs {
    pub const NS_OFFSET: usize = 0;
    pub const NS_WIDTH: usize = 8;
    pub const NS_MASK: u32 = 0xFF;

    /// ns
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn ns(&self) -> u8 {
        let val = (self.0 >> Self::NS_OFFSET) & Self::NS_MASK;
        val as u8
    }

    /// ns
    #[inline(always)]
    pub fn set_ns(&mut self, val: u8) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::NS_MASK << Self::NS_OFFSET))
            | ((val & Self::NS_MASK) << Self::NS_OFFSET);
    }
}

impl core::fmt::Debug for ClockIncNs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockIncNs")
            .field("ns", &self.ns())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockIncNs::default();
        assert_eq!(reg.ns(), 0);
    }
}
