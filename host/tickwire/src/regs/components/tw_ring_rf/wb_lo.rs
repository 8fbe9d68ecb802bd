//! Register: Write-back address, low word

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Write-back address, low word
///
/// IOVA where the card writes this ring's indices for consumers that do not poll the slots: 8 bytes, PROD in the low word, DROPS in the high word. Must be 8-byte aligned and inside the 64-byte line right after the slots (BASE + SLOTS*64), so the card never writes outside the ring's window; else enabling the ring with write-back on sets cfg_error. Read when the ring is enabled.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct WbLo(u32);

unsafe impl Send for WbLo {}
unsafe impl Sync for WbLo {}

impl core::default::Default for WbLo {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for WbLo {
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

impl WbLo {
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

impl core::fmt::Debug for WbLo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WbLo").field("addr", &self.addr()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = WbLo::default();
        assert_eq!(reg.addr(), 0);
    }
}
