//! Register: Capabilities

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Capabilities
///
/// rings: DMA rings implemented. rules: flow-filter rules implemented. data_bytes: width of the MAC stream in bytes.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Caps(u32);

unsafe impl Send for Caps {}
unsafe impl Sync for Caps {}

impl core::default::Default for Caps {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Caps {
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

impl Caps {
    pub const RINGS_OFFSET: usize = 0;
    pub const RINGS_WIDTH: usize = 8;
    pub const RINGS_MASK: u32 = 0xFF;

    /// rings
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn rings(&self) -> u8 {
        let val = (self.0 >> Self::RINGS_OFFSET) & Self::RINGS_MASK;
        val as u8
    }

    pub const RULES_OFFSET: usize = 8;
    pub const RULES_WIDTH: usize = 8;
    pub const RULES_MASK: u32 = 0xFF;

    /// rules
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn rules(&self) -> u8 {
        let val = (self.0 >> Self::RULES_OFFSET) & Self::RULES_MASK;
        val as u8
    }

    pub const DATA_BYTES_OFFSET: usize = 16;
    pub const DATA_BYTES_WIDTH: usize = 8;
    pub const DATA_BYTES_MASK: u32 = 0xFF;

    /// data_bytes
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn data_bytes(&self) -> u8 {
        let val = (self.0 >> Self::DATA_BYTES_OFFSET) & Self::DATA_BYTES_MASK;
        val as u8
    }
}

impl core::fmt::Debug for Caps {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Caps")
            .field("rings", &self.rings())
            .field("rules", &self.rules())
            .field("data_bytes", &self.data_bytes())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Caps::default();
        assert_eq!(reg.rings(), 0);
        assert_eq!(reg.rules(), 0);
        assert_eq!(reg.data_bytes(), 0);
    }
}
