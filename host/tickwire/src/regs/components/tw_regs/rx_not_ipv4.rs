//! Register: Frames dropped: not IPv4

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Frames dropped: not IPv4
///
/// EtherType not IPv4 after at most two VLAN tags (ARP, IPv6, a third tag, ...).
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct RxNotIpv4(u32);

unsafe impl Send for RxNotIpv4 {}
unsafe impl Sync for RxNotIpv4 {}

impl core::default::Default for RxNotIpv4 {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for RxNotIpv4 {
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

impl RxNotIpv4 {
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

impl core::fmt::Debug for RxNotIpv4 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RxNotIpv4")
            .field("value", &self.value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = RxNotIpv4::default();
        assert_eq!(reg.value(), 0);
    }
}
