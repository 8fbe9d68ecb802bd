//! Register: Port and VLAN

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Port and VLAN
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct PortVlan(u32);

unsafe impl Send for PortVlan {}
unsafe impl Sync for PortVlan {}

impl core::default::Default for PortVlan {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for PortVlan {
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

impl PortVlan {
    pub const DST_PORT_OFFSET: usize = 0;
    pub const DST_PORT_WIDTH: usize = 16;
    pub const DST_PORT_MASK: u32 = 0xFFFF;

    /// dst_port
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn dst_port(&self) -> u16 {
        let val = (self.0 >> Self::DST_PORT_OFFSET) & Self::DST_PORT_MASK;
        val as u16
    }

    /// dst_port
    #[inline(always)]
    pub fn set_dst_port(&mut self, val: u16) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::DST_PORT_MASK << Self::DST_PORT_OFFSET))
            | ((val & Self::DST_PORT_MASK) << Self::DST_PORT_OFFSET);
    }

    pub const VID_OFFSET: usize = 16;
    pub const VID_WIDTH: usize = 12;
    pub const VID_MASK: u32 = 0xFFF;

    /// vid
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn vid(&self) -> u16 {
        let val = (self.0 >> Self::VID_OFFSET) & Self::VID_MASK;
        val as u16
    }

    /// vid
    #[inline(always)]
    pub fn set_vid(&mut self, val: u16) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::VID_MASK << Self::VID_OFFSET))
            | ((val & Self::VID_MASK) << Self::VID_OFFSET);
    }
}

impl core::fmt::Debug for PortVlan {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PortVlan")
            .field("dst_port", &self.dst_port())
            .field("vid", &self.vid())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = PortVlan::default();
        assert_eq!(reg.dst_port(), 0);
        assert_eq!(reg.vid(), 0);
    }
}
