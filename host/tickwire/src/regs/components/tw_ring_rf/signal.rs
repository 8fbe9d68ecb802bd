//! Register: Signalling

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Signalling
///
/// writeback: write PROD/DROPS to WB_HI:WB_LO once `every` ticks (0 counts as 1) have been written since the last write-back, and whenever the ring has nothing more to write. irq: after each write-back has its write response, pulse the ring's interrupt line (tw_core's irq output; MSI-X in the shells). Polling the slots stays the main path.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Signal(u32);

unsafe impl Send for Signal {}
unsafe impl Sync for Signal {}

impl core::default::Default for Signal {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Signal {
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

impl Signal {
    pub const WRITEBACK_OFFSET: usize = 0;
    pub const WRITEBACK_WIDTH: usize = 1;
    pub const WRITEBACK_MASK: u32 = 0x1;

    /// writeback
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn writeback(&self) -> bool {
        let val = (self.0 >> Self::WRITEBACK_OFFSET) & Self::WRITEBACK_MASK;
        val != 0
    }

    /// writeback
    #[inline(always)]
    pub fn set_writeback(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::WRITEBACK_MASK << Self::WRITEBACK_OFFSET))
            | ((val & Self::WRITEBACK_MASK) << Self::WRITEBACK_OFFSET);
    }

    pub const IRQ_OFFSET: usize = 1;
    pub const IRQ_WIDTH: usize = 1;
    pub const IRQ_MASK: u32 = 0x1;

    /// irq
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn irq(&self) -> bool {
        let val = (self.0 >> Self::IRQ_OFFSET) & Self::IRQ_MASK;
        val != 0
    }

    /// irq
    #[inline(always)]
    pub fn set_irq(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::IRQ_MASK << Self::IRQ_OFFSET))
            | ((val & Self::IRQ_MASK) << Self::IRQ_OFFSET);
    }

    pub const EVERY_OFFSET: usize = 16;
    pub const EVERY_WIDTH: usize = 16;
    pub const EVERY_MASK: u32 = 0xFFFF;

    /// every
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn every(&self) -> u16 {
        let val = (self.0 >> Self::EVERY_OFFSET) & Self::EVERY_MASK;
        val as u16
    }

    /// every
    #[inline(always)]
    pub fn set_every(&mut self, val: u16) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::EVERY_MASK << Self::EVERY_OFFSET))
            | ((val & Self::EVERY_MASK) << Self::EVERY_OFFSET);
    }
}

impl core::fmt::Debug for Signal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signal")
            .field("writeback", &self.writeback())
            .field("irq", &self.irq())
            .field("every", &self.every())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Signal::default();
        assert_eq!(reg.writeback(), false);
        assert_eq!(reg.irq(), false);
        assert_eq!(reg.every(), 0);
    }
}
