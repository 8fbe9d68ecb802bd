//! Register: Ticks for absent rings

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Ticks for absent rings
///
/// Ticks that reached the DMA writer for a ring this build does not implement (see CAPS.rings); a safety net that stays 0: the flow filter already turns an action naming such a ring into a drop (counted in FLOW_DROPS).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct DmaBadRing(u32);

unsafe impl Send for DmaBadRing {}
unsafe impl Sync for DmaBadRing {}

impl core::default::Default for DmaBadRing {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for DmaBadRing {
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

impl DmaBadRing {
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

impl core::fmt::Debug for DmaBadRing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DmaBadRing")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = DmaBadRing::default();
        assert_eq!(reg.value(), 0);
    }
}
