//! Register: ITCH messages filtered

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// ITCH messages filtered
///
/// Messages (not duplicates, not unknown types dropped by CTRL.drop_unknown) that their ring's ITCH_TYPES or locate bitmap did not take (counted when made, also in frames that turn out bad).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ItchFiltered(u32);

unsafe impl Send for ItchFiltered {}
unsafe impl Sync for ItchFiltered {}

impl core::default::Default for ItchFiltered {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ItchFiltered {
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

impl ItchFiltered {
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

impl core::fmt::Debug for ItchFiltered {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ItchFiltered")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ItchFiltered::default();
        assert_eq!(reg.value(), 0);
    }
}
