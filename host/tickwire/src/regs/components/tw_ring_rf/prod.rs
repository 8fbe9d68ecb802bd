//! Register: Producer index

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Producer index
///
/// Ticks written into this ring since it was last enabled (free-running, wraps at 2^32).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Prod(u32);

unsafe impl Send for Prod {}
unsafe impl Sync for Prod {}

impl core::default::Default for Prod {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Prod {
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

impl Prod {
    pub const INDEX_OFFSET: usize = 0;
    pub const INDEX_WIDTH: usize = 32;
    pub const INDEX_MASK: u32 = 0xFFFF_FFFF;

    /// index
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn index(&self) -> u32 {
        let val = (self.0 >> Self::INDEX_OFFSET) & Self::INDEX_MASK;
        val
    }
}

impl core::fmt::Debug for Prod {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Prod")
            .field("index", &self.index())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Prod::default();
        assert_eq!(reg.index(), 0);
    }
}
