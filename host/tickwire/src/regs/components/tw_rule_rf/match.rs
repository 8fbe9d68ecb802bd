//! Register: Match control

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Match control
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Match(u32);

unsafe impl Send for Match {}
unsafe impl Sync for Match {}

impl core::default::Default for Match {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Match {
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

impl Match {
    pub const VALID_OFFSET: usize = 0;
    pub const VALID_WIDTH: usize = 1;
    pub const VALID_MASK: u32 = 0x1;

    /// valid
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn valid(&self) -> bool {
        let val = (self.0 >> Self::VALID_OFFSET) & Self::VALID_MASK;
        val != 0
    }

    /// valid
    #[inline(always)]
    pub fn set_valid(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::VALID_MASK << Self::VALID_OFFSET))
            | ((val & Self::VALID_MASK) << Self::VALID_OFFSET);
    }

    pub const PORT_ANY_OFFSET: usize = 1;
    pub const PORT_ANY_WIDTH: usize = 1;
    pub const PORT_ANY_MASK: u32 = 0x1;

    /// port_any
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn port_any(&self) -> bool {
        let val = (self.0 >> Self::PORT_ANY_OFFSET) & Self::PORT_ANY_MASK;
        val != 0
    }

    /// port_any
    #[inline(always)]
    pub fn set_port_any(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::PORT_ANY_MASK << Self::PORT_ANY_OFFSET))
            | ((val & Self::PORT_ANY_MASK) << Self::PORT_ANY_OFFSET);
    }

    pub const VLAN_ANY_OFFSET: usize = 2;
    pub const VLAN_ANY_WIDTH: usize = 1;
    pub const VLAN_ANY_MASK: u32 = 0x1;

    /// vlan_any
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn vlan_any(&self) -> bool {
        let val = (self.0 >> Self::VLAN_ANY_OFFSET) & Self::VLAN_ANY_MASK;
        val != 0
    }

    /// vlan_any
    #[inline(always)]
    pub fn set_vlan_any(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::VLAN_ANY_MASK << Self::VLAN_ANY_OFFSET))
            | ((val & Self::VLAN_ANY_MASK) << Self::VLAN_ANY_OFFSET);
    }

    pub const SRC_PREFIX_LEN_OFFSET: usize = 8;
    pub const SRC_PREFIX_LEN_WIDTH: usize = 6;
    pub const SRC_PREFIX_LEN_MASK: u32 = 0x3F;

    /// src_prefix_len
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn src_prefix_len(&self) -> u8 {
        let val = (self.0 >> Self::SRC_PREFIX_LEN_OFFSET) & Self::SRC_PREFIX_LEN_MASK;
        val as u8
    }

    /// src_prefix_len
    #[inline(always)]
    pub fn set_src_prefix_len(&mut self, val: u8) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::SRC_PREFIX_LEN_MASK << Self::SRC_PREFIX_LEN_OFFSET))
            | ((val & Self::SRC_PREFIX_LEN_MASK) << Self::SRC_PREFIX_LEN_OFFSET);
    }
}

impl core::fmt::Debug for Match {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Match")
            .field("valid", &self.valid())
            .field("port_any", &self.port_any())
            .field("vlan_any", &self.vlan_any())
            .field("src_prefix_len", &self.src_prefix_len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Match::default();
        assert_eq!(reg.valid(), false);
        assert_eq!(reg.port_any(), false);
        assert_eq!(reg.vlan_any(), false);
        assert_eq!(reg.src_prefix_len(), 0);
    }
}
