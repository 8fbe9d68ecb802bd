//! Register: Clock increment in effect, whole ns

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Clock increment in effect, whole ns
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockIncCurNs(u32);

unsafe impl Send for ClockIncCurNs {}
unsafe impl Sync for ClockIncCurNs {}

impl core::default::Default for ClockIncCurNs {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockIncCurNs {
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

impl ClockIncCurNs {
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
}

impl core::fmt::Debug for ClockIncCurNs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockIncCurNs")
            .field("ns", &self.ns())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockIncCurNs::default();
        assert_eq!(reg.ns(), 0);
    }
}
