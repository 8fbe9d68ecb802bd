//! Register: Frames with a bad header

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Frames with a bad header
///
/// Frames with a malformed header or that ended inside the headers (dropped whole), and frames that ended inside their UDP payload (cut-through: messages completed before the cut were delivered; the packet also counts in MOLD_ERR).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct RxBadHdr(u32);

unsafe impl Send for RxBadHdr {}
unsafe impl Sync for RxBadHdr {}

impl core::default::Default for RxBadHdr {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for RxBadHdr {
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

impl RxBadHdr {
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

impl core::fmt::Debug for RxBadHdr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RxBadHdr")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = RxBadHdr::default();
        assert_eq!(reg.value(), 0);
    }
}
