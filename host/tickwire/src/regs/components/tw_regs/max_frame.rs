//! Register: Maximum frame length

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Maximum frame length
///
/// Longest frame accepted, in bytes without the FCS (0: no limit). Longer frames are counted in RX_TOO_LONG: dropped whole when found before the UDP payload, else ended there and delivered with a bad verdict. The default fits two VLAN tags and a 1500-byte IP MTU.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct MaxFrame(u32);

unsafe impl Send for MaxFrame {}
unsafe impl Sync for MaxFrame {}

impl core::default::Default for MaxFrame {
    fn default() -> Self {
        Self(0x5F2)
    }
}

impl peakrdl_rust::reg::Register for MaxFrame {
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

impl MaxFrame {
    pub const BYTES_OFFSET: usize = 0;
    pub const BYTES_WIDTH: usize = 16;
    pub const BYTES_MASK: u32 = 0xFFFF;

    /// bytes
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn bytes(&self) -> u16 {
        let val = (self.0 >> Self::BYTES_OFFSET) & Self::BYTES_MASK;
        val as u16
    }

    /// bytes
    #[inline(always)]
    pub fn set_bytes(&mut self, val: u16) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::BYTES_MASK << Self::BYTES_OFFSET))
            | ((val & Self::BYTES_MASK) << Self::BYTES_OFFSET);
    }
}

impl core::fmt::Debug for MaxFrame {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MaxFrame")
            .field("bytes", &self.bytes())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = MaxFrame::default();
        assert_eq!(reg.bytes(), 1522);
    }
}
