//! Register: ITCH length mismatches

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// ITCH length mismatches
///
/// Messages (not duplicates) of a known ITCH 5.0 type whose MoldUDP64 block length is not the type's fixed length: delivered raw, flagged RAW, not decoded (counted when made, also in frames that turn out bad).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ItchLenErr(u32);

unsafe impl Send for ItchLenErr {}
unsafe impl Sync for ItchLenErr {}

impl core::default::Default for ItchLenErr {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ItchLenErr {
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

impl ItchLenErr {
    pub const VALUE_OFFSET: usize = 0;
    pub const VALUE_WIDTH: usize = 32;
    pub const VALUE_MASK: u32 = 0xFFFF_FFFF;

    /// value
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn value(&self) -> u32 {
        let val = (self.0 >> Self::VALUE_OFFSET) & Self::VALUE_MASK;
        val
    }
}

impl core::fmt::Debug for ItchLenErr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ItchLenErr")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ItchLenErr::default();
        assert_eq!(reg.value(), 0);
    }
}
