//! Register: Locate bitmap data

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Locate bitmap data
///
/// Write: store 32 bits of the locate bitmap at LOCATE_ADDR, then advance the address by one word. Reads return 0 (the bitmap is written only: keep its image on the host). A word changes at once for the messages that follow; a message looked up while its word is being written sees the old or the new word.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct LocateData(u32);

unsafe impl Send for LocateData {}
unsafe impl Sync for LocateData {}

impl core::default::Default for LocateData {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for LocateData {
    type Regwidth = u32;
    type Accesswidth = u32;
    type Access = peakrdl_rust::access::W;
    type ByteEndian = peakrdl_rust::endian::LittleEndian;
    type WordEndian = peakrdl_rust::endian::LittleEndian;

    unsafe fn from_raw(val: Self::Regwidth) -> Self {
        Self(val)
    }

    fn to_raw(self) -> Self::Regwidth {
        self.0
    }
}

impl LocateData {
    pub const BITS_OFFSET: usize = 0;
    pub const BITS_WIDTH: usize = 32;
    pub const BITS_MASK: u32 = 0xFFFF_FFFF;

    /// bits
    #[inline(always)]
    pub fn set_bits(&mut self, val: u32) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::BITS_MASK << Self::BITS_OFFSET))
            | ((val & Self::BITS_MASK) << Self::BITS_OFFSET);
    }
}

impl core::fmt::Debug for LocateData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LocateData").finish()
    }
}
