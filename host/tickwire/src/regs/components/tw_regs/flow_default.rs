//! Register: Flow filter: default action

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Flow filter: default action
///
/// What a frame matching no rule gets: deliver (1) with feed, line and ring, or drop (0). Part of the shadow table: takes effect at the next FLOW_CMD.commit.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct FlowDefault(u32);

unsafe impl Send for FlowDefault {}
unsafe impl Sync for FlowDefault {}

impl core::default::Default for FlowDefault {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for FlowDefault {
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

impl FlowDefault {
    pub const DELIVER_OFFSET: usize = 0;
    pub const DELIVER_WIDTH: usize = 1;
    pub const DELIVER_MASK: u32 = 0x1;

    /// deliver
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn deliver(&self) -> bool {
        let val = (self.0 >> Self::DELIVER_OFFSET) & Self::DELIVER_MASK;
        val != 0
    }

    /// deliver
    #[inline(always)]
    pub fn set_deliver(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::DELIVER_MASK << Self::DELIVER_OFFSET))
            | ((val & Self::DELIVER_MASK) << Self::DELIVER_OFFSET);
    }

    pub const FEED_OFFSET: usize = 8;
    pub const FEED_WIDTH: usize = 4;
    pub const FEED_MASK: u32 = 0xF;

    /// feed
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn feed(&self) -> u8 {
        let val = (self.0 >> Self::FEED_OFFSET) & Self::FEED_MASK;
        val as u8
    }

    /// feed
    #[inline(always)]
    pub fn set_feed(&mut self, val: u8) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::FEED_MASK << Self::FEED_OFFSET))
            | ((val & Self::FEED_MASK) << Self::FEED_OFFSET);
    }

    pub const LINE_OFFSET: usize = 16;
    pub const LINE_WIDTH: usize = 1;
    pub const LINE_MASK: u32 = 0x1;

    /// line
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn line(&self) -> bool {
        let val = (self.0 >> Self::LINE_OFFSET) & Self::LINE_MASK;
        val != 0
    }

    /// line
    #[inline(always)]
    pub fn set_line(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::LINE_MASK << Self::LINE_OFFSET))
            | ((val & Self::LINE_MASK) << Self::LINE_OFFSET);
    }

    pub const RING_OFFSET: usize = 24;
    pub const RING_WIDTH: usize = 5;
    pub const RING_MASK: u32 = 0x1F;

    /// ring
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn ring(&self) -> u8 {
        let val = (self.0 >> Self::RING_OFFSET) & Self::RING_MASK;
        val as u8
    }

    /// ring
    #[inline(always)]
    pub fn set_ring(&mut self, val: u8) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::RING_MASK << Self::RING_OFFSET))
            | ((val & Self::RING_MASK) << Self::RING_OFFSET);
    }
}

impl core::fmt::Debug for FlowDefault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FlowDefault")
            .field("deliver", &self.deliver())
            .field("feed", &self.feed())
            .field("line", &self.line())
            .field("ring", &self.ring())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = FlowDefault::default();
        assert_eq!(reg.deliver(), false);
        assert_eq!(reg.feed(), 0);
        assert_eq!(reg.line(), false);
        assert_eq!(reg.ring(), 0);
    }
}
