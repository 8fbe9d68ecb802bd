//! Register: Duplicate messages

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Duplicate messages
///
/// MoldUDP64 messages dropped because their sequence number is below the next one their feed expects and outside the feed's open gap: the other line's copy of a message already delivered (counted when seen, also in frames that turn out bad).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct SeqDups(u32);

unsafe impl Send for SeqDups {}
unsafe impl Sync for SeqDups {}

impl core::default::Default for SeqDups {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for SeqDups {
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

impl SeqDups {
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

impl core::fmt::Debug for SeqDups {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SeqDups")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = SeqDups::default();
        assert_eq!(reg.value(), 0);
    }
}
