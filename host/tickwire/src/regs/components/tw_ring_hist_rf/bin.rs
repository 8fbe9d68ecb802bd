//! Register: Bin

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Bin
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Bin(u32);

unsafe impl Send for Bin {}
unsafe impl Sync for Bin {}

impl core::default::Default for Bin {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Bin {
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

impl Bin {
    pub const COUNT_OFFSET: usize = 0;
    pub const COUNT_WIDTH: usize = 32;
    pub const COUNT_MASK: u32 = 0xFFFF_FFFF;

    /// count
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn count(&self) -> u32 {
        let val = (self.0 >> Self::COUNT_OFFSET) & Self::COUNT_MASK;
        val
    }
}

impl core::fmt::Debug for Bin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Bin").field("count", &self.count()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Bin::default();
        assert_eq!(reg.count(), 0);
    }
}
