//! Register: Card control

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Card control
///
/// rx_enable: accept frames from the MAC (frames arriving while clear are counted in RX_DISABLED and dropped whole). hold: hold mode, deliver a frame's ticks only once its verdict is known and only if it is good (bad frames deliver nothing; costs latency, see docs/architecture.md); clear: cut-through, ticks leave as their messages complete and the frame's last tick carries its verdict (FRAME_END, FRAME_BAD). Change hold only while rx_enable is clear and STATUS.rx_idle is set. drop_unknown: drop messages whose type is none of ITCH 5.0's 23 (they are counted in ITCH_UNKNOWN either way); clear: deliver them raw, flagged RAW.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Ctrl(u32);

unsafe impl Send for Ctrl {}
unsafe impl Sync for Ctrl {}

impl core::default::Default for Ctrl {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Ctrl {
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

impl Ctrl {
    pub const RX_ENABLE_OFFSET: usize = 0;
    pub const RX_ENABLE_WIDTH: usize = 1;
    pub const RX_ENABLE_MASK: u32 = 0x1;

    /// rx_enable
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn rx_enable(&self) -> bool {
        let val = (self.0 >> Self::RX_ENABLE_OFFSET) & Self::RX_ENABLE_MASK;
        val != 0
    }

    /// rx_enable
    #[inline(always)]
    pub fn set_rx_enable(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::RX_ENABLE_MASK << Self::RX_ENABLE_OFFSET))
            | ((val & Self::RX_ENABLE_MASK) << Self::RX_ENABLE_OFFSET);
    }

    pub const HOLD_OFFSET: usize = 1;
    pub const HOLD_WIDTH: usize = 1;
    pub const HOLD_MASK: u32 = 0x1;

    /// hold
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn hold(&self) -> bool {
        let val = (self.0 >> Self::HOLD_OFFSET) & Self::HOLD_MASK;
        val != 0
    }

    /// hold
    #[inline(always)]
    pub fn set_hold(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::HOLD_MASK << Self::HOLD_OFFSET))
            | ((val & Self::HOLD_MASK) << Self::HOLD_OFFSET);
    }

    pub const DROP_UNKNOWN_OFFSET: usize = 2;
    pub const DROP_UNKNOWN_WIDTH: usize = 1;
    pub const DROP_UNKNOWN_MASK: u32 = 0x1;

    /// drop_unknown
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn drop_unknown(&self) -> bool {
        let val = (self.0 >> Self::DROP_UNKNOWN_OFFSET) & Self::DROP_UNKNOWN_MASK;
        val != 0
    }

    /// drop_unknown
    #[inline(always)]
    pub fn set_drop_unknown(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::DROP_UNKNOWN_MASK << Self::DROP_UNKNOWN_OFFSET))
            | ((val & Self::DROP_UNKNOWN_MASK) << Self::DROP_UNKNOWN_OFFSET);
    }
}

impl core::fmt::Debug for Ctrl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ctrl")
            .field("rx_enable", &self.rx_enable())
            .field("hold", &self.hold())
            .field("drop_unknown", &self.drop_unknown())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Ctrl::default();
        assert_eq!(reg.rx_enable(), false);
        assert_eq!(reg.hold(), false);
        assert_eq!(reg.drop_unknown(), false);
    }
}
