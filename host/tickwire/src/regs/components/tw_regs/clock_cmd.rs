//! Register: Clock command

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Clock command
///
/// Write 1 to a bit to issue the command with its operand registers: set (time := CLOCK_SET), step (time += CLOCK_STEP), inc (increment := CLOCK_INC). The command crosses to the rx_clk domain; wait for CLOCK_STATUS.busy to clear before the next one and before changing its operands.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct ClockCmd(u32);

unsafe impl Send for ClockCmd {}
unsafe impl Sync for ClockCmd {}

impl core::default::Default for ClockCmd {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for ClockCmd {
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

impl ClockCmd {
    pub const SET_OFFSET: usize = 0;
    pub const SET_WIDTH: usize = 1;
    pub const SET_MASK: u32 = 0x1;

    /// set
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn set(&self) -> bool {
        let val = (self.0 >> Self::SET_OFFSET) & Self::SET_MASK;
        val != 0
    }

    /// set
    #[inline(always)]
    pub fn set_set(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::SET_MASK << Self::SET_OFFSET))
            | ((val & Self::SET_MASK) << Self::SET_OFFSET);
    }

    pub const STEP_OFFSET: usize = 1;
    pub const STEP_WIDTH: usize = 1;
    pub const STEP_MASK: u32 = 0x1;

    /// step
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn step(&self) -> bool {
        let val = (self.0 >> Self::STEP_OFFSET) & Self::STEP_MASK;
        val != 0
    }

    /// step
    #[inline(always)]
    pub fn set_step(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::STEP_MASK << Self::STEP_OFFSET))
            | ((val & Self::STEP_MASK) << Self::STEP_OFFSET);
    }

    pub const INC_OFFSET: usize = 2;
    pub const INC_WIDTH: usize = 1;
    pub const INC_MASK: u32 = 0x1;

    /// inc
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn inc(&self) -> bool {
        let val = (self.0 >> Self::INC_OFFSET) & Self::INC_MASK;
        val != 0
    }

    /// inc
    #[inline(always)]
    pub fn set_inc(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::INC_MASK << Self::INC_OFFSET))
            | ((val & Self::INC_MASK) << Self::INC_OFFSET);
    }
}

impl core::fmt::Debug for ClockCmd {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClockCmd")
            .field("set", &self.set())
            .field("step", &self.step())
            .field("inc", &self.inc())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = ClockCmd::default();
        assert_eq!(reg.set(), false);
        assert_eq!(reg.step(), false);
        assert_eq!(reg.inc(), false);
    }
}
