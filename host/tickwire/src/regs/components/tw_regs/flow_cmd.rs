//! Register: Flow filter command

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Flow filter command
///
/// commit: copy the shadow table (FLOW.RULE[*] and FLOW_DEFAULT) into the active table, between two frames: every frame sees one whole table version. Wait for FLOW_STATUS.commit_pending to clear before writing the shadow again.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct FlowCmd(u32);

unsafe impl Send for FlowCmd {}
unsafe impl Sync for FlowCmd {}

impl core::default::Default for FlowCmd {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for FlowCmd {
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

impl FlowCmd {
    pub const COMMIT_OFFSET: usize = 0;
    pub const COMMIT_WIDTH: usize = 1;
    pub const COMMIT_MASK: u32 = 0x1;

    /// commit
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn commit(&self) -> bool {
        let val = (self.0 >> Self::COMMIT_OFFSET) & Self::COMMIT_MASK;
        val != 0
    }

    /// commit
    #[inline(always)]
    pub fn set_commit(&mut self, val: bool) {
        let val = val as u32;
        self.0 = (self.0 & !(Self::COMMIT_MASK << Self::COMMIT_OFFSET))
            | ((val & Self::COMMIT_MASK) << Self::COMMIT_OFFSET);
    }
}

impl core::fmt::Debug for FlowCmd {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FlowCmd")
            .field("commit", &self.commit())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = FlowCmd::default();
        assert_eq!(reg.commit(), false);
    }
}
