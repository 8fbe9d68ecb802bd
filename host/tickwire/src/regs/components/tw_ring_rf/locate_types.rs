//! Register: ITCH locate filter

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// ITCH locate filter
///
/// Message types (bits as in ITCH_TYPES, 0..22) that must also have their stock_locate set in this ring's locate bitmap (LOCATE_ADDR/LOCATE_DATA) to pass; types whose bit is clear (market-wide ones such as S, R, V, W) always pass the bitmap. 0: the bitmap is not used. Raw records are never checked against the bitmap.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct LocateTypes(u32);

unsafe impl Send for LocateTypes {}
unsafe impl Sync for LocateTypes {}

impl core::default::Default for LocateTypes {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for LocateTypes {
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

impl LocateTypes {
    pub const TYPES_OFFSET: usize = 0;
    pub const TYPES_WIDTH: usize = 23;
    pub const TYPES_MASK: u32 = 0x7F_FFFF;

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

impl core::fmt::Debug for LocateTypes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LocateTypes")
            .field("types", &self.types())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = LocateTypes::default();
        assert_eq!(reg.types(), 0);
    }
}
