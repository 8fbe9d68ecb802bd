//! Register: Consumer index

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Consumer index
///
/// Written by the host: ticks consumed since the ring was enabled (free-running). The card never writes slot PROD mod SLOTS while PROD - CONS == SLOTS.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Cons(u32);

unsafe impl Send for Cons {}
unsafe impl Sync for Cons {}

impl core::default::Default for Cons {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Cons {
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

impl Cons {
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

    /// index
    #[inline(always)]
    pub fn set_index(&mut self, val: u32) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::INDEX_MASK << Self::INDEX_OFFSET))
            | ((val & Self::INDEX_MASK) << Self::INDEX_OFFSET);
    }
}

impl core::fmt::Debug for Cons {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Cons")
            .field("index", &self.index())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Cons::default();
        assert_eq!(reg.index(), 0);
    }
}
