//! Register: Late fills

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Late fills
///
/// MoldUDP64 messages delivered late, flagged LATE: the other line's copy of a message that its feed had reported missing in a gap event (counted when made, also in frames that turn out bad).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct SeqLate(u32);

unsafe impl Send for SeqLate {}
unsafe impl Sync for SeqLate {}

impl core::default::Default for SeqLate {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for SeqLate {
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

impl SeqLate {
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

impl core::fmt::Debug for SeqLate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SeqLate")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = SeqLate::default();
        assert_eq!(reg.value(), 0);
    }
}
