//! Register: ITCH type filter

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// ITCH type filter
///
/// Which decoded messages this ring takes: bit i passes ITCH message type i (in the order of docs/tick-format.md: S R H Y L V W K J h A F E C X D U P Q B I N O = bits 0..22), bit 23 passes raw records (unknown type or wrong length). Event and verdict records always pass. Messages a ring does not take are dropped and counted in ITCH_FILTERED.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ItchTypes(u32);

unsafe impl Send for ItchTypes {}
unsafe impl Sync for ItchTypes {}

impl core::default::Default for ItchTypes {
    fn default() -> Self {
        Self(0xFF_FFFF)
    }
}

impl peakrdl_rust::reg::Register for ItchTypes {
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

impl ItchTypes {
    pub const TYPES_OFFSET: usize = 0;
    pub const TYPES_WIDTH: usize = 24;
    pub const TYPES_MASK: u32 = 0xFF_FFFF;

    /// types
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn types(&self) -> u32 {
        let val = (self.0 >> Self::TYPES_OFFSET) & Self::TYPES_MASK;
        val
    }

    /// types
    #[inline(always)]
    pub fn set_types(&mut self, val: u32) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::TYPES_MASK << Self::TYPES_OFFSET))
            | ((val & Self::TYPES_MASK) << Self::TYPES_OFFSET);
    }
}

impl core::fmt::Debug for ItchTypes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ItchTypes")
            .field("types", &self.types())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ItchTypes::default();
        assert_eq!(reg.types(), 16777215);
    }
}
