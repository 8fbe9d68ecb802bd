//! Register: Card status

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Card status
///
/// rx_idle: no frame is inside the receive pipeline.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Status(u32);

unsafe impl Send for Status {}
unsafe impl Sync for Status {}

impl core::default::Default for Status {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Status {
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

impl Status {
    pub const RX_IDLE_OFFSET: usize = 0;
    pub const RX_IDLE_WIDTH: usize = 1;
    pub const RX_IDLE_MASK: u32 = 0x1;

    /// rx_idle
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn rx_idle(&self) -> bool {
        let val = (self.0 >> Self::RX_IDLE_OFFSET) & Self::RX_IDLE_MASK;
        val != 0
    }
}

impl core::fmt::Debug for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Status")
            .field("rx_idle", &self.rx_idle())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Status::default();
        assert_eq!(reg.rx_idle(), false);
    }
}
