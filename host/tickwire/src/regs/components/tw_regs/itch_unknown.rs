//! Register: Unknown ITCH message types

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Unknown ITCH message types
///
/// Messages (not duplicates) whose type byte is none of ITCH 5.0's 23: delivered raw, flagged RAW, or dropped if CTRL.drop_unknown (counted when made, also in frames that turn out bad).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ItchUnknown(u32);

unsafe impl Send for ItchUnknown {}
unsafe impl Sync for ItchUnknown {}

impl core::default::Default for ItchUnknown {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ItchUnknown {
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

impl ItchUnknown {
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

impl core::fmt::Debug for ItchUnknown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ItchUnknown")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ItchUnknown::default();
        assert_eq!(reg.value(), 0);
    }
}
