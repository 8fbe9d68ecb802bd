//! Register: Locate bitmap address

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Locate bitmap address
///
/// Where the next LOCATE_DATA write goes: ring (bits 15:11) and 32-bit word (10:0) of that ring's 65 536-bit stock-locate bitmap (word w holds locates 32w..32w+31, locate 32w+b in bit b). Each LOCATE_DATA write advances the word (past word 2047 it wraps to word 0 of the same ring); reading LOCATE_ADDR returns the value last written to it, not the advanced word. Rings beyond CAPS.rings ignore writes.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct LocateAddr(u32);

unsafe impl Send for LocateAddr {}
unsafe impl Sync for LocateAddr {}

impl core::default::Default for LocateAddr {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for LocateAddr {
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

impl LocateAddr {
    pub const ADDR_OFFSET: usize = 0;
    pub const ADDR_WIDTH: usize = 16;
    pub const ADDR_MASK: u32 = 0xFFFF;

    /// addr
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn addr(&self) -> u16 {
        let val = (self.0 >> Self::ADDR_OFFSET) & Self::ADDR_MASK;
        val as u16
    }

    /// addr
    #[inline(always)]
    pub fn set_addr(&mut self, val: u16) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::ADDR_MASK << Self::ADDR_OFFSET))
            | ((val & Self::ADDR_MASK) << Self::ADDR_OFFSET);
    }
}

impl core::fmt::Debug for LocateAddr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LocateAddr")
            .field("addr", &self.addr())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = LocateAddr::default();
        assert_eq!(reg.addr(), 0);
    }
}
