//! Register: Source IPv4 prefix

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Source IPv4 prefix
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct SrcIp(u32);

unsafe impl Send for SrcIp {}
unsafe impl Sync for SrcIp {}

impl core::default::Default for SrcIp {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for SrcIp {
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

impl SrcIp {
    pub const ADDR_OFFSET: usize = 0;
    pub const ADDR_WIDTH: usize = 32;
    pub const ADDR_MASK: u32 = 0xFFFF_FFFF;

    /// addr
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn addr(&self) -> u32 {
        let val = (self.0 >> Self::ADDR_OFFSET) & Self::ADDR_MASK;
        val
    }

    /// addr
    #[inline(always)]
    pub fn set_addr(&mut self, val: u32) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::ADDR_MASK << Self::ADDR_OFFSET))
            | ((val & Self::ADDR_MASK) << Self::ADDR_OFFSET);
    }
}

impl core::fmt::Debug for SrcIp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SrcIp").field("addr", &self.addr()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = SrcIp::default();
        assert_eq!(reg.addr(), 0);
    }
}
